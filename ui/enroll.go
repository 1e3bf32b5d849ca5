package ui

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

// enrollView is the laptop's enrollment with the ward office, loaded off the UI goroutine.
type enrollView struct {
	Enrolled      bool
	Ward, Address string
	Since         time.Time
}

// enrollRequest is the last enrollment request this laptop wrote. It is kept in the app's
// preferences, by device, so that the code can be read out again until the package is in.
type enrollRequest struct {
	Code string
	File string
	Time time.Time
}

// maxPackage bounds the size of an enrollment package file read (one is about 2 KB).
const maxPackage = 1 << 20

// enrollPanel is the enrollment part of the settings and of the first-run setup: the state
// (not enrolled, waiting for the package, enrolled with an office since when), "enroll with
// the ward office", which writes the request to a folder (the USB stick) and shows the code to
// read out to the office, and "install the enrollment package" the office hands back.
type enrollPanel struct {
	app    *App
	before func(then func())  // the settings: save what is typed first (the request carries it)
	after  func(m store.Meta) // the settings: the package has set the ward and its area
	view   enrollView

	state, help      *widget.Label
	request, install *widget.Button
	section          fyne.CanvasObject
}

func newEnrollPanel(a *App) *enrollPanel { return &enrollPanel{app: a} }

func (p *enrollPanel) buildUI() fyne.CanvasObject {
	p.state = widget.NewLabel(lang.L("enroll.loading"))
	p.state.Wrapping = fyne.TextWrapWord
	p.help = widget.NewLabel(lang.L("enroll.help"))
	p.help.Wrapping = fyne.TextWrapWord
	p.request = widget.NewButtonWithIcon(lang.L("enroll.request"), theme.UploadIcon(), p.onRequest)
	p.install = widget.NewButtonWithIcon(lang.L("enroll.install"), theme.DownloadIcon(), p.onInstall)
	p.section = section(lang.L("enroll.title"), p.state, p.help, container.NewHBox(p.request, p.install))
	if p.app.newSync == nil {
		p.section.Hide()
	}
	return p.section
}

// show shows the panel, or hides it (the ward office's own computer does not enroll).
func (p *enrollPanel) show(on bool) {
	switch {
	case p.section == nil || p.app.newSync == nil || p.section.Visible() == on:
	case on:
		p.app.reveal(p.section)
	default:
		p.section.Hide()
	}
}

// refresh reloads the enrollment.
func (p *enrollPanel) refresh() {
	sy, err := p.app.syncer()
	if err != nil || sy == nil || p.app.meta.Role == store.RoleOffice {
		p.app.showError(err)
		return
	}
	p.app.background(func() func() {
		v, err := loadEnroll(sy)
		return func() { p.apply(v, err) }
	})
}

// loadEnroll reads the laptop's enrollment.
func loadEnroll(sy Syncer) (enrollView, error) {
	pkg, ok, err := sy.Enrollment()
	if err != nil || !ok {
		return enrollView{}, err
	}
	return enrollView{Enrolled: true, Ward: pkg.Ward, Address: pkg.Address, Since: pkg.Issued}, nil
}

func (p *enrollPanel) apply(v enrollView, err error) {
	if err != nil {
		p.app.showError(err)
		return
	}
	p.view = v
	p.state.SetText(enrollStateText(v, p.lastRequest()))
	p.state.Importance = widget.SuccessImportance
	if !v.Enrolled {
		p.state.Importance = widget.WarningImportance
	}
	p.state.Refresh()
}

// enrollStateText says where the enrollment stands: not enrolled, waiting for the package of
// the request written (with its code, to read out again), or enrolled with an office.
func enrollStateText(v enrollView, req enrollRequest) string {
	if v.Enrolled {
		return enrollmentText(true, v.Ward, v.Address, v.Since)
	}
	if req.Code == "" {
		return lang.L("enroll.none")
	}
	return lang.L("enroll.waiting", map[string]any{"Time": clockText(req.Time), "File": req.File, "Code": req.Code})
}

// onRequest saves what is typed, asks where to write the request (the USB stick), then
// writes it.
func (p *enrollPanel) onRequest() {
	ask := func() {
		p.app.choose.folder(lang.L("enroll.choose_folder"), lang.L("sync.choose"), func(dir string) {
			rememberFolder(p.app, dir)
			p.writeRequest(dir)
		})
	}
	if p.before != nil {
		p.before(ask)
		return
	}
	ask()
}

// writeRequest writes the enrollment request to dir and shows the code to read out.
func (p *enrollPanel) writeRequest(dir string) {
	sy, err := p.app.syncer()
	if err != nil || sy == nil {
		p.app.showError(err)
		return
	}
	name := requestFileName(p.app.meta)
	now := p.app.now()
	p.request.Disable()
	p.app.background(func() func() {
		path := filepath.Join(dir, name)
		file, code, err := sy.EnrollRequest()
		if err == nil {
			err = os.WriteFile(path, file, 0o600)
		}
		return func() {
			p.request.Enable()
			if err != nil {
				p.app.showError(err)
				return
			}
			req := enrollRequest{Code: code, File: path, Time: now}
			p.remember(req)
			p.apply(p.view, nil)
			p.showCode(req)
		}
	})
}

// requestFileName names a laptop's request file after the laptop, so the requests of several
// laptops can share a stick.
func requestFileName(m store.Meta) string {
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, store.Fold(m.DeviceName))
	id := m.DeviceID
	if len(id) > 8 {
		id = id[:8]
	}
	return fmt.Sprintf("rasoat-enroll-request-%s-%s.json", strings.Trim(name, "_"), id)
}

// showCode shows the code of the request written, big, to read out to the office.
func (p *enrollPanel) showCode(req enrollRequest) {
	intro := widget.NewLabel(lang.L("enroll.code_intro", map[string]any{"File": req.File}))
	intro.Wrapping = fyne.TextWrapWord
	code := canvas.NewText(req.Code, theme.Color(theme.ColorNameForeground))
	code.TextSize = 3 * theme.TextHeadingSize()
	code.TextStyle = fyne.TextStyle{Bold: true}
	code.Alignment = fyne.TextAlignCenter
	next := widget.NewLabel(lang.L("enroll.code_next"))
	next.Wrapping = fyne.TextWrapWord
	p.dialog(lang.L("enroll.code_title"), lang.L("enroll.ok"),
		container.NewVBox(intro, container.NewPadded(code), next))
}

// dialog shows a message with one button that has the focus (Enter or Space closes it).
func (p *enrollPanel) dialog(title, button string, content fyne.CanvasObject) {
	var d *dialog.CustomDialog
	ok := widget.NewButton(button, func() { d.Hide() })
	ok.Importance = widget.HighImportance
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, container.NewCenter(ok), nil, nil, content), p.app.win)
	d.Resize(fyne.NewSize(680, d.MinSize().Height))
	d.Show()
	p.app.win.Canvas().Focus(ok)
}

// onInstall asks for the enrollment package file the office handed back, then installs it.
func (p *enrollPanel) onInstall() {
	p.app.choose.file(lang.L("enroll.choose_package"), lang.L("sync.choose"), []string{".json"}, p.installFrom)
}

// installFrom installs the enrollment package in a file and shows the office it names.
func (p *enrollPanel) installFrom(path string) {
	sy, err := p.app.syncer()
	if err != nil || sy == nil {
		p.app.showError(err)
		return
	}
	rememberFolder(p.app, filepath.Dir(path))
	db := p.app.db
	p.install.Disable()
	p.app.background(func() func() {
		pkg, m, err := installPackage(sy, db, path)
		return func() {
			p.install.Enable()
			if err != nil {
				p.app.showError(err)
				return
			}
			p.app.meta = m
			p.app.useStoreStandards() // the package may carry the office's score table
			p.forget()
			p.apply(enrollView{Enrolled: true, Ward: pkg.Ward, Address: pkg.Address, Since: pkg.Issued}, nil)
			if p.after != nil {
				p.after(m)
			}
			p.showInstalled(pkg)
		}
	})
}

// installPackage reads a package file, installs it and reads the settings it changed.
func installPackage(sy Syncer, db Settings, path string) (rsync.Package, store.Meta, error) {
	f, err := os.Open(path)
	if err != nil {
		return rsync.Package{}, store.Meta{}, err
	}
	data, err := io.ReadAll(io.LimitReader(f, maxPackage))
	f.Close()
	if err != nil {
		return rsync.Package{}, store.Meta{}, err
	}
	pkg, err := sy.InstallPackage(data)
	if err != nil {
		return pkg, store.Meta{}, err
	}
	m, err := db.Meta()
	return pkg, m, err
}

// showInstalled tells the office the laptop is now enrolled with, and how it can sync.
func (p *enrollPanel) showInstalled(pkg rsync.Package) {
	words := map[string]any{"Ward": pkg.Ward, "Address": pkg.Address}
	lines := []string{lang.L("enroll.installed_ward", words)}
	if pkg.Address != "" {
		lines = append(lines, lang.L("enroll.installed_lan", words))
	} else {
		lines = append(lines, lang.L("enroll.installed_usb"))
	}
	text := widget.NewLabel(strings.Join(lines, "\n\n"))
	text.Wrapping = fyne.TextWrapWord
	p.dialog(lang.L("enroll.installed_title"), lang.L("enroll.ok"), text)
}

// The last request is kept in the preferences under these keys and the device id.
const (
	prefEnrollCode = "enrollCode/"
	prefEnrollFile = "enrollFile/"
	prefEnrollTime = "enrollTime/"
)

func (p *enrollPanel) lastRequest() enrollRequest {
	if p.app.fyne == nil {
		return enrollRequest{}
	}
	pr, dev := p.app.fyne.Preferences(), p.app.meta.DeviceID
	t, _ := time.Parse(time.RFC3339, pr.String(prefEnrollTime+dev))
	return enrollRequest{Code: pr.String(prefEnrollCode + dev), File: pr.String(prefEnrollFile + dev), Time: t}
}

func (p *enrollPanel) remember(r enrollRequest) {
	if p.app.fyne == nil {
		return
	}
	pr, dev := p.app.fyne.Preferences(), p.app.meta.DeviceID
	pr.SetString(prefEnrollCode+dev, r.Code)
	pr.SetString(prefEnrollFile+dev, r.File)
	pr.SetString(prefEnrollTime+dev, r.Time.Format(time.RFC3339))
}

func (p *enrollPanel) forget() {
	if p.app.fyne == nil {
		return
	}
	pr, dev := p.app.fyne.Preferences(), p.app.meta.DeviceID
	for _, k := range []string{prefEnrollCode, prefEnrollFile, prefEnrollTime} {
		pr.RemoveValue(k + dev)
	}
}
