package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/store"
)

// The office's screens, in the order of its navigation bar. The ward office's copy shows them
// instead of the field home screen: the dashboard first.
const (
	officeDashboard = "office.dashboard"
	officeIncoming  = "office.incoming"
	officeReview    = "office.review"
	officeConflicts = "office.conflicts"
	officePrevious  = "office.previous"
	officeLists     = "office.lists"
)

var officeScreens = []string{officeDashboard, officeIncoming, officeReview, officeConflicts, officePrevious, officeLists}

// officePage is one of the office's screens.
type officePage interface {
	buildUI() fyne.CanvasObject
	refresh()
}

// officeNav is the office's part of the app: the screen shown and what outlives a screen
// (the LAN sync server).
type officeNav struct {
	last   string
	page   officePage
	server officeServer
	runs   int    // servers started
	focus  string // the household the next review or conflicts screen opens on
	user   string // the office user logged in (login.go)

	backupDay string // the day of the last daily backup started (office_audit.go)
}

// ShowOffice shows one of the office's screens ("" for the last one shown, else the
// dashboard) and loads its data.
func (a *App) ShowOffice(name string) {
	if a.meta.Role != store.RoleOffice {
		a.ShowHome() // a field laptop has no office screens nor actions
		return
	}
	if a.office == nil {
		a.office = &officeNav{last: officeDashboard}
	}
	if name == "" {
		name = a.office.last
	}
	a.form = nil
	a.office.last = name
	a.dailyBackup()
	// a dialog left open belongs to the screen being left (Alt+N works over it)
	for _, o := range a.win.Canvas().Overlays().List() {
		a.win.Canvas().Overlays().Remove(o)
	}
	p := a.newOfficePage(name)
	a.office.page = p
	a.show(name, a.officeFrame(name, p.buildUI()), a.officeKeys())
	p.refresh()
}

// officeKeys are the office's shortcuts: Alt+1 … Alt+6 open its screens in the order of the
// navigation bar.
func (a *App) officeKeys() map[fyne.Shortcut]func() {
	keys := map[fyne.Shortcut]func(){}
	for i, name := range officeScreens {
		k := &desktop.CustomShortcut{KeyName: fyne.KeyName(strconv.Itoa(i + 1)), Modifier: fyne.KeyModifierAlt}
		keys[k] = func() { a.ShowOffice(name) }
	}
	return keys
}

func (a *App) newOfficePage(name string) officePage {
	switch name {
	case officeIncoming:
		return newIncomingScreen(a)
	case officeReview:
		return newReviewScreen(a, a.office.takeFocus())
	case officeConflicts:
		return newConflictScreen(a, a.office.takeFocus())
	case officePrevious:
		return newPreviousScreen(a)
	case officeLists:
		return newListsScreen(a)
	}
	return newDashboardScreen(a)
}

// takeFocus returns the household to open on, once.
func (n *officeNav) takeFocus() string {
	id := n.focus
	n.focus = ""
	return id
}

// officeFrame puts a screen under the office's title and navigation bar.
func (a *App) officeFrame(current string, body fyne.CanvasObject) fyne.CanvasObject {
	title := widget.NewLabel(lang.L("office.title", map[string]any{"Ward": a.meta.Ward}))
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameSubHeadingText
	title.Truncation = fyne.TextTruncateEllipsis
	who := widget.NewLabel(a.author())
	who.Importance = widget.LowImportance
	labels := map[string]string{officeDashboard: lang.L("office.nav.dashboard"), officeIncoming: lang.L("office.nav.incoming"),
		officeReview: lang.L("office.nav.review"), officeConflicts: lang.L("office.nav.conflicts"),
		officePrevious: lang.L("office.nav.previous"), officeLists: lang.L("office.nav.lists")}
	nav := container.NewHBox()
	for _, name := range officeScreens {
		b := widget.NewButton(labels[name], func() { a.ShowOffice(name) })
		if name == current {
			b.Importance = widget.HighImportance
		}
		nav.Add(b)
	}
	settings := widget.NewButtonWithIcon(lang.L("home.settings"), theme.SettingsIcon(), func() { a.ShowSettings(false) })
	log := widget.NewButtonWithIcon(lang.L("audit.all"), theme.HistoryIcon(), func() { a.asOffice(a.showAuditAll) })
	top := container.NewVBox(container.NewBorder(nil, nil, nil, who, title),
		container.NewBorder(nil, nil, nil, container.NewHBox(log, settings), nav), widget.NewSeparator())
	return container.NewBorder(top, nil, nil, nil, body)
}

// officeDB is the database as the office uses it.
func (a *App) officeDB() (OfficeStore, error) {
	db, ok := a.db.(OfficeStore)
	if !ok {
		return nil, store.ErrRole
	}
	return db, nil
}

// officeLoad loads the whole ward off the UI goroutine and hands it to apply on the UI
// goroutine; an error is shown instead.
func (a *App) officeLoad(apply func(officeView)) {
	db, err := a.officeDB()
	if err != nil {
		a.showError(err)
		return
	}
	reg, ward := a.reg, a.meta.Ward
	a.background(func() func() {
		v, err := loadOffice(db, reg, ward)
		return func() {
			if err != nil {
				a.showError(err)
				return
			}
			apply(v)
		}
	})
}

// boldLabel is a label in bold, for headings inside a screen.
func boldLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle = fyne.TextStyle{Bold: true}
	return l
}

// wrapLabel is a label whose text wraps at the width it is given.
func wrapLabel(text string, imp widget.Importance) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = imp
	return l
}
