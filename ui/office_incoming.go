package ui

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

// officeServer is the LAN sync server while it runs; it outlives the incoming screen.
type officeServer struct {
	stop    context.CancelFunc
	addr    string // host:port the laptops reach it at
	tls     string // the certificate's fingerprint the laptops pin
	started time.Time
	run     int   // which start this is: a late end of an earlier server is not this one's
	err     error // why it stopped on its own
}

// officeListen is where the LAN sync server listens: every interface on port 8443, like
// rasoatctl serve. Tests listen on the loopback only.
var officeListen = ":8443"

// incomingView is what the incoming screen shows, loaded off the UI goroutine.
type incomingView struct {
	Devices    []rsync.DeviceStatus
	LastImport time.Time
	Waiting    int
	Conflicts  int
}

// incomingScreen is where the survey's data comes in: batches brought on a USB stick, the LAN
// sync server, and the laptops enrolled with the office (approving new ones, revoking lost
// ones).
type incomingScreen struct {
	app                   *App
	state, server, result *widget.Label
	importBtn, serveBtn   *widget.Button
	approveBtn, revokeBtn *widget.Button
	devices               *widget.Table
	view                  incomingView
	selected              int
}

func newIncomingScreen(a *App) *incomingScreen { return &incomingScreen{app: a, selected: -1} }

func (s *incomingScreen) deviceHeaders() []string {
	return []string{lang.L("office.col.device"), lang.L("office.col.surveyor"), lang.L("office.col.enrolled"),
		lang.L("office.col.last_seen"), lang.L("office.col.have"), lang.L("office.col.device_state")}
}

func (s *incomingScreen) buildUI() fyne.CanvasObject {
	s.state = wrapLabel("", widget.MediumImportance)
	s.result = wrapLabel("", widget.MediumImportance)
	s.result.Hide()
	s.importBtn = widget.NewButtonWithIcon(lang.L("office.import"), theme.FolderOpenIcon(), s.onImport)
	s.importBtn.Importance = widget.HighImportance
	usb := container.NewVBox(boldLabel(lang.L("office.usb")), wrapLabel(lang.L("office.usb_help"), widget.LowImportance),
		container.NewHBox(s.importBtn), s.state, s.result)
	s.server = wrapLabel("", widget.MediumImportance)
	s.serveBtn = widget.NewButtonWithIcon("", theme.MediaPlayIcon(), s.onServe)
	lan := container.NewVBox(boldLabel(lang.L("office.lan")), s.server, container.NewHBox(s.serveBtn))
	s.devices = newTextTable(s.deviceHeaders(), []float32{170, 190, 120, 150, 90, 120},
		func() int { return len(s.view.Devices) }, s.deviceCell)
	s.devices.OnSelected = s.onDeviceSelected
	s.approveBtn = widget.NewButtonWithIcon(lang.L("office.approve_device"), theme.ContentAddIcon(), s.onApprove)
	s.revokeBtn = widget.NewButtonWithIcon(lang.L("office.revoke"), theme.CancelIcon(), s.onRevoke)
	s.revokeBtn.Importance = widget.DangerImportance
	s.revokeBtn.Disable()
	devHead := container.NewBorder(nil, nil, boldLabel(lang.L("office.devices")), container.NewHBox(s.approveBtn, s.revokeBtn))
	top := container.NewVBox(container.NewGridWithColumns(2, usb, lan), widget.NewSeparator(), devHead)
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, s.devices)
}

func (s *incomingScreen) deviceCell(r, c int) (string, widget.Importance) {
	d := s.view.Devices[r]
	switch c {
	case 0:
		return d.Name, widget.MediumImportance
	case 1:
		return d.Surveyor, widget.MediumImportance
	case 2:
		return household.DateOf(d.Enrolled.Local()).VN(), widget.MediumImportance
	case 3:
		if d.LastSeen.IsZero() {
			return lang.L("office.never"), widget.LowImportance
		}
		return officeClock(d.LastSeen), widget.MediumImportance
	case 4:
		return strconv.FormatUint(d.Have, 10), widget.MediumImportance
	}
	if !d.Revoked.IsZero() {
		return lang.L("office.revoked", map[string]any{"Date": household.DateOf(d.Revoked.Local()).VN()}), widget.DangerImportance
	}
	return lang.L("office.active"), widget.SuccessImportance
}

// officeClock writes a moment as the office's time and date: 10:05 25/11/2026.
func officeClock(t time.Time) string {
	t = t.Local()
	return t.Format("15:04") + " " + household.DateOf(t).VN()
}

// officeSync is the office's sync engine.
func (a *App) officeSync() (OfficeSyncer, error) {
	sy, err := a.syncer()
	if err != nil {
		return nil, err
	}
	n, ok := sy.(OfficeSyncer)
	if sy == nil || !ok {
		return nil, rsync.ErrNotOffice
	}
	return n, nil
}

func (s *incomingScreen) refresh() {
	s.showServer()
	n, err := s.app.officeSync()
	if err != nil {
		s.state.SetText(store.Message(err, Lang()))
		s.importBtn.Disable()
		s.approveBtn.Disable()
		s.serveBtn.Disable()
		return
	}
	s.app.background(func() func() {
		v, err := loadIncoming(n)
		return func() {
			if err != nil {
				s.app.showError(err)
				return
			}
			s.apply(v)
		}
	})
}

func loadIncoming(n OfficeSyncer) (incomingView, error) {
	var v incomingView
	st, err := n.Status()
	if err != nil {
		return v, err
	}
	v.LastImport, v.Waiting, v.Conflicts = st.LastImport, st.Waiting, st.Conflicts
	v.Devices, err = n.Devices()
	return v, err
}

func (s *incomingScreen) apply(v incomingView) {
	s.view = v
	last := lang.L("office.never")
	if !v.LastImport.IsZero() {
		last = officeClock(v.LastImport)
	}
	s.state.SetText(lang.L("office.incoming_state", map[string]any{"Last": last, "Waiting": v.Waiting, "Conflicts": v.Conflicts}))
	s.devices.Refresh()
	s.onDeviceChosen()
}

// showServer shows whether the LAN server runs, where, and the button to start or stop it.
func (s *incomingScreen) showServer() {
	sv := &s.app.office.server
	switch {
	case sv.stop != nil:
		s.server.Importance = widget.SuccessImportance
		s.server.SetText(lang.L("office.server_running", map[string]any{"Address": "https://" + sv.addr,
			"Since": officeClock(sv.started), "TLS": sv.tls}))
		s.serveBtn.SetText(lang.L("office.server_stop"))
		s.serveBtn.SetIcon(theme.MediaStopIcon())
	case sv.err != nil:
		s.server.Importance = widget.DangerImportance
		s.server.SetText(lang.L("office.server_failed", map[string]any{"Error": store.Message(sv.err, Lang())}))
		s.serveBtn.SetText(lang.L("office.server_start"))
		s.serveBtn.SetIcon(theme.MediaPlayIcon())
	default:
		s.server.Importance = widget.MediumImportance
		s.server.SetText(lang.L("office.server_stopped"))
		s.serveBtn.SetText(lang.L("office.server_start"))
		s.serveBtn.SetIcon(theme.MediaPlayIcon())
	}
}

func (s *incomingScreen) onImport() {
	s.app.choose.folder(lang.L("office.import_title"), lang.L("office.import_confirm"), s.importFrom)
}

// importFrom imports the laptops' batches found in a folder.
func (s *incomingScreen) importFrom(dir string) {
	n, err := s.app.officeSync()
	if err != nil {
		s.app.showError(err)
		return
	}
	s.importBtn.Disable()
	author := s.app.author()
	s.app.background(func() func() {
		// the office copy is backed up before every import (store/autobackup.go)
		if err := s.app.backupBeforeImport(author); err != nil {
			return func() {
				s.importBtn.Enable()
				s.app.showError(err)
			}
		}
		res, err := n.ImportFrom(dir)
		return func() {
			s.importBtn.Enable()
			s.showResult(res, err)
			s.refresh()
		}
	})
}

// showResult says what an import did: batches applied, revisions new here, files refused.
func (s *incomingScreen) showResult(res rsync.Result, err error) {
	s.result.Show()
	if err != nil {
		s.result.Importance = widget.DangerImportance
		s.result.SetText(store.Message(err, Lang()))
		return
	}
	lines := []string{lang.L("office.import_done", map[string]any{"Files": len(res.Files), "Batches": res.Batches,
		"Added": res.Added, "Waiting": res.Waiting, "Conflicts": res.Conflicts})}
	for _, r := range res.Refused {
		lines = append(lines, "• "+filepath.Base(r.File)+": "+store.Message(r.Err, Lang()))
	}
	s.result.Importance = widget.SuccessImportance
	if len(res.Refused) > 0 {
		s.result.Importance = widget.WarningImportance
	}
	s.result.SetText(strings.Join(lines, "\n"))
}

func (s *incomingScreen) onServe() {
	if s.app.office.server.stop != nil {
		s.stopServer()
		return
	}
	s.startServer()
}

// startServer sets the office up for LAN sync (once: keys and certificate for this computer's
// addresses) and starts the server.
func (s *incomingScreen) startServer() {
	n, err := s.app.officeSync()
	if err != nil {
		s.app.showError(err)
		return
	}
	s.serveBtn.Disable()
	a := s.app
	a.background(func() func() {
		sv, ln, err := listenOffice(n, a.now())
		return func() {
			s.serveBtn.Enable()
			if err != nil {
				a.office.server = officeServer{err: err}
				s.showServer()
				return
			}
			ctx, stop := context.WithCancel(context.Background())
			a.office.runs++
			sv.stop, sv.run = stop, a.office.runs
			a.office.server = sv
			go func() {
				err := n.Serve(ctx, ln)
				a.post(func() { a.serverStopped(sv.run, err) })
			}()
			s.showServer()
		}
	})
}

// listenOffice prepares the office's certificate and opens the server's port.
func listenOffice(n OfficeSyncer, now time.Time) (officeServer, net.Listener, error) {
	hosts := lanHosts()
	info, err := n.SetupOffice(hosts...)
	if err != nil {
		return officeServer{}, nil, err
	}
	ln, err := net.Listen("tcp", officeListen)
	if err != nil {
		return officeServer{}, nil, err
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	host := "127.0.0.1"
	if h, _, _ := net.SplitHostPort(officeListen); h != "" {
		host = h
	} else if len(hosts) > 0 {
		host = hosts[0]
	}
	return officeServer{addr: net.JoinHostPort(host, port), tls: info.TLSSHA256, started: now}, ln, nil
}

// lanHosts are this computer's IPv4 addresses on the local network, the laptops' way in.
func lanHosts() []string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var out []string
	for _, a := range addrs {
		if ip, ok := a.(*net.IPNet); ok && ip.IP.To4() != nil && !ip.IP.IsLoopback() && !ip.IP.IsLinkLocalUnicast() {
			out = append(out, ip.IP.String())
		}
	}
	return out
}

// serverStopped notes that the server ended: stopped by the user, or failed.
func (a *App) serverStopped(run int, err error) {
	sv := &a.office.server
	if sv.stop == nil || sv.run != run {
		return // stopped by the user, or a later server runs now
	}
	*sv = officeServer{err: err}
	if p, ok := a.office.page.(*incomingScreen); ok {
		p.showServer()
	}
}

func (s *incomingScreen) stopServer() {
	sv := &s.app.office.server
	if sv.stop != nil {
		sv.stop()
	}
	*sv = officeServer{}
	s.showServer()
}

// StopOffice stops the LAN sync server, if it runs (the window is closing).
func (a *App) StopOffice() {
	if a.office != nil && a.office.server.stop != nil {
		a.office.server.stop()
		a.office.server = officeServer{}
	}
}

func (s *incomingScreen) onDeviceSelected(id widget.TableCellID) {
	s.selected = id.Row
	s.onDeviceChosen()
}

func (s *incomingScreen) onDeviceChosen() {
	if s.selected >= 0 && s.selected < len(s.view.Devices) && s.view.Devices[s.selected].Revoked.IsZero() {
		s.revokeBtn.Enable()
		return
	}
	s.revokeBtn.Disable()
}

// onApprove reads a laptop's enrollment request and asks for the code the surveyor reads out.
func (s *incomingScreen) onApprove() {
	s.app.asOffice(func() {
		s.app.choose.file(lang.L("office.request_title"), lang.L("office.request_confirm"), []string{".json"}, s.onRequestChosen)
	})
}

func (s *incomingScreen) onRequestChosen(path string) {
	data, err := os.ReadFile(path)
	if err != nil {
		s.app.showError(err)
		return
	}
	req, _, err := rsync.ParseRequest(data)
	if err != nil {
		s.app.showError(err)
		return
	}
	code := newEntry(lang.L("office.code_hint"))
	about := wrapLabel(lang.L("office.request_about", map[string]any{"Name": req.Name, "Surveyor": req.Surveyor,
		"Ward": req.Ward}), widget.MediumImportance)
	items := []*widget.FormItem{widget.NewFormItem("", about), widget.NewFormItem(lang.L("office.code"), code)}
	dlg := dialog.NewForm(lang.L("office.approve_device"), lang.L("office.approve_confirm"), lang.L("Cancel"), items,
		func(ok bool) {
			if ok {
				s.approve(path, code.Text)
			}
		}, s.app.win)
	dlg.Resize(fyne.NewSize(560, 280))
	dlg.Show()
	s.app.win.Canvas().Focus(code)
}

// approve enrolls the laptop of a request file, once the code matches, and writes its
// enrollment package beside the request (on the same USB stick).
func (s *incomingScreen) approve(path, code string) {
	n, err := s.app.officeSync()
	if err != nil {
		s.app.showError(err)
		return
	}
	addr := s.app.office.server.addr
	s.app.background(func() func() {
		out, d, err := approveFile(n, path, strings.TrimSpace(code), addr)
		return func() {
			if err != nil {
				s.app.showError(err)
				return
			}
			dialog.ShowInformation(lang.L("office.approve_device"), lang.L("office.approved",
				map[string]any{"Name": d.Name, "Surveyor": d.Surveyor, "Path": out}), s.app.win)
			s.refresh()
		}
	})
}

func approveFile(n OfficeSyncer, path, code, addr string) (string, store.SyncDevice, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", store.SyncDevice{}, err
	}
	pkg, d, err := n.Approve(data, code, addr)
	if err != nil {
		return "", d, err
	}
	out := filepath.Join(filepath.Dir(path), "rasoat-enroll-"+safeFileName(d.ID)+".json")
	if err := os.WriteFile(out, pkg, 0o600); err != nil {
		return "", d, err
	}
	return out, d, nil
}

// safeFileName keeps the letters, digits, - and _ of a device id for a file name.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, s)
}

// onRevoke revokes the chosen laptop, once confirmed: its batches are refused from now on.
func (s *incomingScreen) onRevoke() {
	if s.selected < 0 || s.selected >= len(s.view.Devices) {
		return
	}
	d := s.view.Devices[s.selected]
	msg := lang.L("office.revoke_confirm", map[string]any{"Name": d.Name, "Surveyor": d.Surveyor})
	dialog.ShowConfirm(lang.L("office.revoke"), msg, func(ok bool) {
		if ok {
			s.app.asOffice(func() { s.revoke(d.ID) })
		}
	}, s.app.win)
}

func (s *incomingScreen) revoke(id string) {
	n, err := s.app.officeSync()
	if err != nil {
		s.app.showError(err)
		return
	}
	s.app.background(func() func() {
		_, err := n.Revoke(id)
		return func() {
			if err != nil {
				s.app.showError(err)
			}
			s.refresh()
		}
	})
}
