package ui

import (
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/seal"
	"github.com/rasoat/rasoat/store"
)

// OfficeAccess is what the office's users, its audit log and its automatic backups need of the
// database. *store.Store satisfies it; a database that does not (the tests' fakes) asks for no
// login.
type OfficeAccess interface {
	HasUsers() (bool, error)
	AddUser(name, password, by string) error
	CheckUser(name, password string) (store.User, error)
	AuditFor(householdID string) ([]store.AuditEntry, error)
	EachAudit(fn func(store.AuditEntry) error) error
	Audit(e store.AuditEntry) error
	DailyBackup(now time.Time) (string, error)
	BackupBeforeImport(now time.Time, author string) (string, error)
	BackupDir() (string, error)
	SetSetting(key, value, author string) error
}

var _ OfficeAccess = (*store.Store)(nil)

func (a *App) access() OfficeAccess {
	x, _ := a.db.(OfficeAccess)
	return x
}

// officeUser is the office user logged in, "" before the first login.
func (a *App) officeUser() string {
	if a.office == nil {
		return ""
	}
	return a.office.user
}

// asOffice runs an office action (approve, return, revoke a device, export lists, change
// settings) once an office user is logged in: it asks for the login first when nobody is, and
// for the first office user when the database has none yet (the office's set-up). The user is
// then the author of what is done (App.author).
func (a *App) asOffice(action func()) {
	x := a.access()
	if x == nil || a.officeUser() != "" {
		action()
		return
	}
	a.background(func() func() {
		has, err := x.HasUsers()
		return func() {
			switch {
			case err != nil:
				a.showError(err)
			case has:
				a.showLogin(x, action)
			default:
				a.showFirstUser(x, action)
			}
		}
	})
}

// loggedIn records the office user.
func (a *App) loggedIn(name string) {
	if a.office == nil {
		a.office = &officeNav{last: officeDashboard}
	}
	a.office.user = name
}

// showLogin asks for an office user's name and password.
func (a *App) showLogin(x OfficeAccess, then func()) {
	name := widget.NewEntry()
	name.SetText(a.lastLogin())
	pw := widget.NewPasswordEntry()
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("login.name"), name),
		widget.NewFormItem(lang.L("login.password"), pw),
	}
	d := dialog.NewForm(lang.L("login.title"), lang.L("login.confirm"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		n, p := strings.TrimSpace(name.Text), pw.Text
		a.background(func() func() {
			u, err := x.CheckUser(n, p)
			return func() {
				if err != nil {
					if errors.Is(err, store.ErrLogin) {
						dialog.ShowInformation(lang.L("login.title"), lang.L("login.wrong"), a.win)
						return
					}
					a.showError(err)
					return
				}
				a.loggedIn(u.Name)
				then()
			}
		})
	}, a.win)
	// Enter logs in from the password (the form's button checks it the same way), and moves
	// on from the name.
	name.OnSubmitted = func(string) { a.win.Canvas().Focus(pw) }
	pw.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(480, 240))
	d.Show()
	if name.Text == "" {
		a.win.Canvas().Focus(name)
	} else {
		a.win.Canvas().Focus(pw)
	}
}

// lastLogin is the name to offer: the database's user when it has one.
func (a *App) lastLogin() string { return a.meta.Surveyor }

// showFirstUser makes the office's first user (its set-up): a name and a password given twice.
func (a *App) showFirstUser(x OfficeAccess, then func()) {
	name := widget.NewEntry()
	name.SetText(a.meta.Surveyor)
	pw, again := widget.NewPasswordEntry(), widget.NewPasswordEntry()
	pw.Validator = func(s string) error {
		if len([]rune(s)) < seal.MinPassphrase {
			return errors.New(lang.L("login.too_short", map[string]any{"N": seal.MinPassphrase}))
		}
		return nil
	}
	again.Validator = func(s string) error {
		if s != pw.Text {
			return errors.New(lang.L("login.mismatch"))
		}
		return nil
	}
	name.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(lang.L("login.name_needed"))
		}
		return nil
	}
	intro := wrapLabel(lang.L("login.first_intro"), widget.MediumImportance)
	items := []*widget.FormItem{
		widget.NewFormItem("", intro),
		widget.NewFormItem(lang.L("login.name"), name),
		widget.NewFormItem(lang.L("login.password"), pw),
		widget.NewFormItem(lang.L("login.again"), again),
	}
	d := dialog.NewForm(lang.L("login.first_title"), lang.L("login.create"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		n, p := strings.TrimSpace(name.Text), pw.Text
		a.background(func() func() {
			err := x.AddUser(n, p, "")
			if err == nil {
				_, err = x.CheckUser(n, p)
			}
			return func() {
				if err != nil {
					a.showError(err)
					return
				}
				a.loggedIn(n)
				then()
			}
		})
	}, a.win)
	name.OnSubmitted = func(string) { a.win.Canvas().Focus(pw) }
	pw.OnSubmitted = func(string) { a.win.Canvas().Focus(again) }
	again.OnSubmitted = func(string) { d.Submit() }
	d.Resize(fyne.NewSize(560, 360))
	d.Show()
	a.win.Canvas().Focus(name)
}
