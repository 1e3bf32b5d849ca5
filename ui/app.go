// Package ui is the desktop app a survey team member uses door to door, offline: first-run
// setup and settings, the home screen of assignments and search, and the household form with
// its live classification preview. Screens are structs holding their widgets, built by
// buildUI and driven by named onXxx handlers; data is loaded off the UI goroutine into plain
// rows and applied in one fyne.Do. Every string goes through lang.L with the translations of
// assets/translations, Vietnamese by default.
package ui

import (
	"errors"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/store"
)

// Options are the app's dependencies beyond the store; zero values mean the real ones.
type Options struct {
	Now       func() time.Time  // the clock (survey dates, rounds)
	Standards *poverty.Registry // the poverty standards; the shipped ones by default
	// Sync makes the sync side of the database (sync.New); it is made again when the laptop's
	// role changes. nil: no sync, the enrollment and the sync screen are not offered.
	Sync func() (Syncer, error)
}

// App is the running app: one window whose content is the current screen.
type App struct {
	fyne fyne.App
	win  fyne.Window
	db   Store
	reg  *poverty.Registry
	// ownReg: reg was given in Options and is kept; else it is the store's (scoretable.go)
	ownReg bool
	// scoreTable is the income score table loaded in the database, nil when none is
	scoreTable *poverty.ScoreTable
	now        func() time.Time
	after      afterFunc // the timer of the drafts being typed (saver.go); nil: time.AfterFunc
	meta       store.Meta

	jobs   sync.WaitGroup // background loads and draft saves under way
	post   func(func())   // runs a function on the UI goroutine: fyne.Do
	keys   []fyne.Shortcut
	screen string
	home   *homeScreen
	form   *formScreen
	setts  *settingsScreen
	office *officeNav // the ward office's screens

	newSync  func() (Syncer, error)
	node     Syncer     // the sync side of the database
	nodeRole store.Role // the role node was made for
	syncScr  *syncScreen
	choose   chooser // the folder and file dialogs
	idle     idle    // the idle lock of an encrypted database (unlock.go)
}

// New makes the app on a window. Start shows its first screen.
func New(fa fyne.App, win fyne.Window, db Store, o Options) *App {
	a := &App{fyne: fa, win: win, db: db, reg: o.Standards, now: o.Now, post: fyne.Do, newSync: o.Sync}
	a.choose = fyneChooser{a}
	a.ownReg = a.reg != nil
	if a.reg == nil {
		a.reg = poverty.MustBuiltin()
	}
	if a.now == nil {
		a.now = time.Now
	}
	return a
}

// Start reads the laptop's settings and shows the first-run setup when they are not filled in
// yet, else the home screen.
func (a *App) Start() error {
	m, err := a.db.Meta()
	if err != nil {
		return err
	}
	a.meta = m
	a.useStoreStandards()
	a.win.SetTitle(lang.L("app.title"))
	if a.locker() != nil {
		a.startIdleLock()
	}
	if a.fyne != nil {
		// the window going to the background (another window, the laptop's lid, the app
		// quitting): what is being typed is written now, not a moment later
		a.fyne.Lifecycle().SetOnExitedForeground(a.saveTyping)
	}
	if NeedsSetup(m) {
		a.ShowSettings(true)
	} else {
		a.ShowHome()
	}
	return nil
}

// NeedsSetup reports whether the first-run questions still have to be answered: the ward, its
// area and the name of the person using the laptop.
func NeedsSetup(m store.Meta) bool {
	return m.Ward == "" || m.Area == "" || m.Surveyor == "" || m.Role == ""
}

// Screen names the screen shown: "setup", "settings", "home", "form" or "sync".
func (a *App) Screen() string { return a.screen }

// background runs work off the UI goroutine; the function it returns, if any, is then run on
// the UI goroutine (fyne.Do).
func (a *App) background(work func() func()) {
	a.jobs.Add(1)
	go func() {
		defer a.jobs.Done()
		if apply := work(); apply != nil {
			a.post(apply)
		}
	}()
}

// show puts a screen in the window with its keyboard shortcuts, removing the last screen's.
func (a *App) show(name string, content fyne.CanvasObject, keys map[fyne.Shortcut]func()) {
	c := a.win.Canvas()
	for _, k := range a.keys {
		c.RemoveShortcut(k)
	}
	a.keys = a.keys[:0]
	for k, f := range keys {
		c.AddShortcut(k, func(fyne.Shortcut) { f() })
		a.keys = append(a.keys, k)
	}
	a.screen = name
	a.touch()
	a.win.SetContent(content)
}

// onLeave makes the focus-lost handler of a question: left runs once the focus has gone to
// another widget. Fyne also takes the focus from a widget while the whole window is in the
// background, and gives it back after; that is not leaving the question. The check waits for
// the focus change to finish, on the UI goroutine.
func (a *App) onLeave(w fyne.Focusable, left func()) func() {
	return func() {
		a.touch()
		a.post(func() {
			if a.win.Canvas().Focused() != w {
				left()
			}
		})
	}
}

// author is the name saved with every revision this laptop writes.
func (a *App) author() string {
	if u := a.officeUser(); u != "" {
		return u // the office user logged in (login.go)
	}
	if a.meta.Surveyor != "" {
		return a.meta.Surveyor
	}
	return a.meta.DeviceName
}

// showError tells the user what went wrong, in their language.
func (a *App) showError(err error) {
	if err == nil || a.idle.locked && errors.Is(err, store.ErrEncrypted) {
		return // a load that ended after the idle lock: the unlock screen stays alone
	}
	dialog.ShowInformation(lang.L("error.title"), store.Message(err, Lang()), a.win)
}

// ShowHome shows the home screen and loads its data; the ward office's copy shows its own
// screens instead (the last one shown, at first the dashboard).
func (a *App) ShowHome() {
	if a.meta.Role == store.RoleOffice {
		a.ShowOffice("")
		return
	}
	a.form = nil
	a.home = newHomeScreen(a)
	a.show("home", a.home.buildUI(), a.home.shortcuts())
	a.home.refresh()
}

// ShowHousehold opens the form on a stored household.
func (a *App) ShowHousehold(id string) {
	a.form = newFormScreen(a)
	a.show("form", a.form.buildUI(), a.form.shortcuts())
	a.form.load(id)
}

// ShowNewHousehold opens the form on a new household of a residential group ("" lets the
// surveyor choose).
func (a *App) ShowNewHousehold(group string) {
	a.form = newFormScreen(a)
	a.show("form", a.form.buildUI(), a.form.shortcuts())
	a.form.startNew(group)
}

// ShowSettings shows the settings; firstRun shows them as the first-run setup.
func (a *App) ShowSettings(firstRun bool) {
	a.form = nil
	a.setts = newSettingsScreen(a, firstRun)
	name := "settings"
	if firstRun {
		name = "setup"
	}
	a.show(name, a.setts.buildUI(), nil)
	a.setts.focusFirst()
	a.setts.enroll.refresh()
}

// ShowSync shows the sync screen: what is waiting to go to the office, USB and LAN sync.
func (a *App) ShowSync() {
	a.form = nil
	a.syncScr = newSyncScreen(a)
	a.show("sync", a.syncScr.buildUI(), a.syncScr.shortcuts())
	a.syncScr.refresh()
}

// ChangeLanguage switches every screen to another language and remembers the choice.
func (a *App) ChangeLanguage(code string) {
	if err := SetLanguage(code); err != nil {
		a.showError(err)
		return
	}
	if a.fyne != nil {
		a.fyne.Preferences().SetString(PrefLanguage, code)
	}
	a.win.SetTitle(lang.L("app.title"))
}

// PrefLanguage is the preference key of the language chosen in the settings.
const PrefLanguage = "language"

// Close closes the window (done) once nothing typed would be lost: a member being typed in
// the household form is put into the household, or the form stays with its dialog saying what
// is missing; a draft that could not be saved is not dropped without asking (formScreen.leave).
// Flush runs before done.
func (a *App) Close(done func()) {
	closeNow := func() {
		a.Flush()
		done()
	}
	if a.form != nil && a.screen == "form" {
		a.form.leave(closeNow)
		return
	}
	closeNow()
}

// saveTyping writes the household form's draft being typed (saver.hold) at once, and waits for
// it.
func (a *App) saveTyping() {
	if a.form != nil {
		_ = a.form.saver.wait() // an error is the form's to tell (its status line, leaving)
	}
}

// Flush waits until the household being typed is saved, stops a LAN sync under way and the office's LAN server; call
// it before the window closes.
func (a *App) Flush() {
	if a.form != nil {
		_ = a.form.saver.wait() // an error is the form's to tell (Close)
	}
	if a.syncScr != nil {
		a.syncScr.onStop() // a LAN sync stops at its last acknowledged batch
	}
	a.StopOffice() // the office's LAN server stops serving before the database closes
}
