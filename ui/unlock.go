package ui

// Encryption at rest in the app (store/encrypt.go): the unlock screen at start and after the
// idle lock, the passphrase change and turning encryption on in the settings, and the
// forgotten-passphrase flow. The unlock screen shows no household data: only the ward and the
// user's name, which the database keeps in clear to say whose it is.

import (
	"errors"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/seal"
	"github.com/rasoat/rasoat/store"
)

// Locker is what an encrypted database offers the app; *store.Store satisfies it.
type Locker interface {
	Encrypted() bool
	Locked() bool
	Lock()
	Unlock(passphrase string) error
	ChangePassphrase(old, new string) error
	EnableEncryption(passphrase string) error
}

var _ Locker = (*store.Store)(nil)

// PrefIdleLock is the preference of the idle lock: minutes without use before an encrypted
// database locks (0: never). DefaultIdleLock when unset.
const (
	PrefIdleLock    = "idle_lock_minutes"
	DefaultIdleLock = 10
)

// unlockScreen asks for the passphrase. try checks it off the UI goroutine; done runs on the
// UI goroutine once it was right; forgot starts the forgotten-passphrase flow.
type unlockScreen struct {
	win    fyne.Window
	run    func(work func() func()) // runs work off the UI goroutine, its result on it
	meta   store.Meta
	try    func(pass string) error
	done   func()
	forgot func()

	pass    *widget.Entry
	message *widget.Label
	button  *widget.Button
}

func (u *unlockScreen) buildUI() fyne.CanvasObject {
	title := widget.NewLabel(lang.L("unlock.title"))
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel(lang.L("unlock.intro", map[string]any{"Ward": u.meta.Ward, "User": u.meta.Surveyor}))
	intro.Wrapping = fyne.TextWrapWord
	u.pass = widget.NewPasswordEntry()
	u.pass.SetPlaceHolder(lang.L("unlock.passphrase"))
	u.pass.OnSubmitted = func(string) { u.onUnlock() }
	u.message = widget.NewLabel("")
	u.message.Wrapping = fyne.TextWrapWord
	u.message.Importance = widget.DangerImportance
	u.message.Hide()
	u.button = widget.NewButtonWithIcon(lang.L("unlock.button"), theme.LoginIcon(), u.onUnlock)
	u.button.Importance = widget.HighImportance
	buttons := container.NewHBox(u.button)
	if u.forgot != nil {
		buttons.Add(widget.NewButton(lang.L("unlock.forgot"), u.forgot))
	}
	box := container.NewVBox(title, intro, widget.NewLabel(lang.L("unlock.passphrase")), u.pass, u.message, buttons)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(460, 320), box))
}

func (u *unlockScreen) onUnlock() {
	pass := u.pass.Text
	if pass == "" {
		u.showMessage(lang.L("unlock.empty"))
		return
	}
	u.button.Disable()
	u.message.Hide()
	try := u.try
	u.run(func() func() {
		err := try(pass)
		return func() {
			u.button.Enable()
			if err != nil {
				u.pass.SetText("")
				if errors.Is(err, store.ErrWrongPassphrase) {
					u.showMessage(lang.L("unlock.wrong"))
				} else {
					u.showMessage(store.Message(err, Lang()))
				}
				u.win.Canvas().Focus(u.pass)
				return
			}
			u.done()
		}
	})
}

func (u *unlockScreen) showMessage(m string) {
	u.message.SetText(m)
	u.message.Show()
}

// Runner runs work off the UI goroutine and the function it returns, if any, on the UI
// goroutine. nil means a goroutine and fyne.Do; tests give one that runs both at once.
type Runner func(work func() func())

func (r Runner) orAsync() Runner {
	if r != nil {
		return r
	}
	return func(work func() func()) {
		go func() {
			if apply := work(); apply != nil {
				fyne.Do(apply)
			}
		}()
	}
}

// StartUnlock shows the unlock screen of a database that needs its passphrase at start, before
// the app exists: open tries a passphrase (store.ErrWrongPassphrase when wrong), opened runs
// once it opened, forgot (nil: not offered) starts the forgotten-passphrase flow.
func StartUnlock(win fyne.Window, m store.Meta, run Runner, open func(pass string) error, opened func(), forgot func()) {
	u := &unlockScreen{win: win, meta: m, try: open, done: opened, forgot: forgot, run: run.orAsync()}
	win.SetContent(u.buildUI())
	win.Canvas().Focus(u.pass)
}

// ConfirmForgotten explains what a forgotten passphrase costs (work not yet synced is lost;
// the locked file is moved aside, never deleted; a new database is made and enrolled again,
// and a sync brings the ward's data back from the office) and runs proceed when confirmed.
func ConfirmForgotten(win fyne.Window, role store.Role, proceed func()) {
	text := lang.L("unlock.forgot_field")
	if role == store.RoleOffice {
		text = lang.L("unlock.forgot_office")
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(lang.L("unlock.forgot_title"), lang.L("unlock.forgot_confirm"), lang.L("Cancel"),
		container.NewGridWrap(fyne.NewSize(480, 220), msg), func(ok bool) {
			if ok {
				proceed()
			}
		}, win)
	d.Show()
}

// idle is the state of the idle lock.
type idle struct {
	last   atomic.Int64 // Unix nanoseconds of the last use
	locked bool         // the unlock screen is shown (UI goroutine)
	stop   chan struct{}
}

// touch notes that the app is in use.
func (a *App) touch() { a.idle.last.Store(time.Now().UnixNano()) }

// idleMinutes is the idle lock's delay from the preferences.
func (a *App) idleMinutes() int {
	if a.fyne == nil {
		return DefaultIdleLock
	}
	return a.fyne.Preferences().IntWithFallback(PrefIdleLock, DefaultIdleLock)
}

// locker is the database's encryption side when it is encrypted, else nil.
func (a *App) locker() Locker {
	if l, ok := a.db.(Locker); ok && l.Encrypted() {
		return l
	}
	return nil
}

// startIdleLock checks twice a minute whether the app has been unused for the idle delay.
func (a *App) startIdleLock() {
	a.touch()
	if a.idle.stop != nil {
		return
	}
	a.idle.stop = make(chan struct{})
	stop := a.idle.stop
	go func() {
		t := time.NewTicker(30 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case now := <-t.C:
				a.post(func() { a.checkIdle(now) })
			}
		}
	}()
}

// checkIdle locks the app when it has not been used for the idle delay before now.
func (a *App) checkIdle(now time.Time) {
	n := a.idleMinutes()
	if n <= 0 || a.idle.locked || a.locker() == nil {
		return
	}
	if now.Sub(time.Unix(0, a.idle.last.Load())) >= time.Duration(n)*time.Minute {
		a.LockNow()
	}
}

// LockNow locks an encrypted database: the typing under way is saved and the screen noted
// first, dialogs are closed, a LAN sync or the office's LAN server is stopped, the data key is
// forgotten and the unlock screen shown; the right passphrase brings the same screen back.
func (a *App) LockNow() {
	l := a.locker()
	if l == nil || a.idle.locked {
		return
	}
	a.idle.locked = true
	a.win.Canvas().Unfocus() // the question being typed is read and queued for saving
	a.post(func() {
		// A member being typed in its dialog: put into the household (and so saved) when it
		// can be, else kept to fill the dialog again after the unlock.
		var member *keptMember
		if a.form != nil {
			a.form.closeScore() // it keeps nothing (its answers are not stored)
			if a.form.member != nil {
				member = a.form.member.keep()
			}
		}
		resume := a.resumer(member)
		form := a.form
		a.background(func() func() {
			if form != nil {
				form.saver.wait()
			}
			return func() {
				for _, o := range a.win.Canvas().Overlays().List() {
					a.win.Canvas().Overlays().Remove(o)
				}
				a.form = nil
				// sync needs the key: a LAN sync stops at its last acknowledged batch, and the
				// office stops serving the LAN (started again from its screen after the unlock)
				if a.syncScr != nil {
					a.syncScr.onStop()
				}
				a.StopOffice()
				l.Lock()
				if a.office != nil {
					a.office.user = "" // the office user logs in again after the lock (login.go)
				}
				u := &unlockScreen{win: a.win, run: a.background, meta: a.meta, try: l.Unlock,
					done: func() {
						a.idle.locked = false
						a.touch()
						resume()
					}}
				a.show("unlock", u.buildUI(), nil)
				a.win.Canvas().Focus(u.pass)
			}
		})
	})
}

// resumer returns what shows the current screen again after an unlock; member (when not nil)
// fills the member dialog again.
func (a *App) resumer(member *keptMember) func() {
	switch a.screen {
	case "form":
		if a.form != nil && a.form.rec != nil && (a.form.rev.ID != "" || a.form.saver.pending()) {
			id := a.form.rec.ID
			return func() {
				f := newFormScreen(a)
				a.form = f
				a.show("form", f.buildUI(), f.shortcuts())
				db := a.db
				a.background(func() func() {
					rec, rev, err := db.Get(id)
					groups, gerr := groupNames(db)
					return func() {
						if err = errors.Join(err, gerr); err != nil {
							a.showError(err)
							a.ShowHome()
							return
						}
						f.open(rec, rev, groups, false)
						if member != nil {
							member.reopen(f)
						}
					}
				})
			}
		}
	case "settings":
		return func() { a.ShowSettings(false) }
	case "sync":
		return a.ShowSync
	}
	return a.ShowHome
}

// securityPanel is the settings' part on encryption: turn it on, change the passphrase, the
// idle lock's delay.
func (s *settingsScreen) buildSecurity() fyne.CanvasObject {
	l, ok := s.app.db.(Locker)
	if !ok || s.firstRun {
		return container.NewVBox()
	}
	head := widget.NewLabel(lang.L("unlock.security"))
	head.TextStyle = fyne.TextStyle{Bold: true}
	state := widget.NewLabel(lang.L("unlock.state_off"))
	state.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(widget.NewSeparator(), head, state)
	if l.Encrypted() {
		state.SetText(lang.L("unlock.state_on"))
		box.Add(container.NewHBox(widget.NewButton(lang.L("unlock.change"), func() { s.onChangePassphrase(l) })))
		idleChoices := []string{"5", "10", "15", "30", "60"}
		sel := widget.NewSelect(idleChoices, func(v string) {
			var n int
			for _, c := range v {
				n = n*10 + int(c-'0')
			}
			if s.app.fyne != nil && n > 0 {
				s.app.fyne.Preferences().SetInt(PrefIdleLock, n)
			}
		})
		sel.SetSelected(itoa(s.app.idleMinutes()))
		box.Add(container.NewHBox(widget.NewLabel(lang.L("unlock.idle")), sel, widget.NewLabel(lang.L("unlock.minutes"))))
	} else {
		box.Add(container.NewHBox(widget.NewButton(lang.L("unlock.enable"), func() { s.onEnableEncryption(l) })))
	}
	return box
}

func itoa(n int) string {
	if n <= 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// passForm is a dialog's passphrase entries: the old one (when asked), the new one twice.
type passForm struct {
	old, new, again *widget.Entry
	problem         *widget.Label
	box             *fyne.Container // laid out again when the problem shows
}

func newPassForm(withOld bool) *passForm {
	f := &passForm{new: widget.NewPasswordEntry(), again: widget.NewPasswordEntry(), problem: widget.NewLabel("")}
	if withOld {
		f.old = widget.NewPasswordEntry()
	}
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	return f
}

func (f *passForm) ui() fyne.CanvasObject {
	items := []fyne.CanvasObject{}
	if f.old != nil {
		items = append(items, widget.NewLabel(lang.L("unlock.old")), f.old)
	}
	items = append(items, widget.NewLabel(lang.L("unlock.new")), f.new, widget.NewLabel(lang.L("unlock.again")), f.again, f.problem)
	f.box = container.NewVBox(items...)
	return container.NewGridWrap(fyne.NewSize(420, 300), f.box)
}

// check returns the problem of the new passphrase, or "".
func (f *passForm) check() string {
	switch {
	case len([]rune(f.new.Text)) < seal.MinPassphrase:
		return lang.L("unlock.too_short", map[string]any{"N": seal.MinPassphrase})
	case f.new.Text != f.again.Text:
		return lang.L("unlock.mismatch")
	}
	return ""
}

// show says the problem under the entries. A label shown in a box takes no room until the
// box is laid out again, so the box is refreshed: else the problem is drawn over the first
// label.
func (f *passForm) show(p string) {
	f.problem.SetText(p)
	f.problem.Show()
	if f.box != nil {
		f.box.Refresh()
	}
}

// passDialog shows a dialog of a passphrase form (with above, when not nil, over it) and an OK
// button, and Cancel when cancel: OK checks the form, then runs use off the UI goroutine with
// the old (when asked) and new passphrases. An error is shown in the form, which stays open;
// otherwise the dialog closes and done, when not nil, runs.
func passDialog(win fyne.Window, title, okLabel string, f *passForm, above fyne.CanvasObject, cancel bool,
	run Runner, use func(old, nw string) error, done func()) {
	var d *dialog.CustomDialog
	ok := widget.NewButton(okLabel, nil)
	ok.Importance = widget.HighImportance
	ok.OnTapped = func() {
		if p := f.check(); p != "" {
			f.show(p)
			return
		}
		old, nw := "", f.new.Text
		if f.old != nil {
			old = f.old.Text
		}
		ok.Disable()
		run.orAsync()(func() func() {
			err := use(old, nw)
			return func() {
				ok.Enable()
				switch {
				case f.old != nil && errors.Is(err, store.ErrWrongPassphrase):
					f.show(lang.L("unlock.wrong_old"))
				case err != nil:
					f.show(store.Message(err, Lang()))
				default:
					d.Hide()
					if done != nil {
						done()
					}
				}
			}
		})
	}
	buttons := container.NewHBox(ok)
	if cancel {
		buttons.Add(widget.NewButton(lang.L("Cancel"), func() { d.Hide() }))
	}
	box := container.NewVBox(f.ui(), buttons)
	if above != nil {
		box.Objects = append([]fyne.CanvasObject{above}, box.Objects...)
	}
	d = dialog.NewCustomWithoutButtons(title, box, win)
	d.Show()
	if f.old != nil {
		win.Canvas().Focus(f.old)
	} else {
		win.Canvas().Focus(f.new)
	}
}

// onChangePassphrase asks for the old passphrase and a new one; the data key is wrapped again.
func (s *settingsScreen) onChangePassphrase(l Locker) {
	passDialog(s.app.win, lang.L("unlock.change"), lang.L("unlock.change"), newPassForm(true), nil, true,
		s.app.background, l.ChangePassphrase, func() {
			dialog.ShowInformation(lang.L("unlock.change"), lang.L("unlock.changed"), s.app.win)
		})
}

// onEnableEncryption asks for a new passphrase and encrypts the database in place.
func (s *settingsScreen) onEnableEncryption(l Locker) {
	note := widget.NewLabel(lang.L("unlock.enable_note"))
	note.Wrapping = fyne.TextWrapWord
	passDialog(s.app.win, lang.L("unlock.enable"), lang.L("unlock.enable"), newPassForm(false),
		container.NewGridWrap(fyne.NewSize(420, 80), note), true, s.app.background,
		func(_, pass string) error { return l.EnableEncryption(pass) }, func() {
			s.app.startIdleLock()
			s.app.ShowSettings(false)
			dialog.ShowInformation(lang.L("unlock.enable"), lang.L("unlock.enabled"), s.app.win)
		})
}

// AskNewPassphrase asks for a new passphrase twice in a dialog and runs use with it (off the
// UI goroutine); an error of use is shown in the dialog, which stays open.
func AskNewPassphrase(win fyne.Window, title string, run Runner, use func(pass string) error) {
	passDialog(win, title, lang.L("Confirm"), newPassForm(false), nil, false, run,
		func(_, pass string) error { return use(pass) }, nil)
}
