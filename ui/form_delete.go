package ui

import (
	"errors"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/store"
)

// buildDelete is the form's "Xóa hộ" button: on a field laptop only (the office deletes from
// the review screen, office_delete.go).
func (f *formScreen) buildDelete() *widget.Button {
	f.del = widget.NewButtonWithIcon(lang.L("form.delete"), theme.DeleteIcon(), f.onDelete)
	f.del.Importance = widget.DangerImportance
	f.del.Hidden = f.app.meta.Role == store.RoleOffice
	return f.del
}

// showDelete offers "Xóa hộ" for a draft only: a red button beside "complete" on a household
// already done or approved would only lead to "ask the ward office" (onDelete still says so).
func (f *formScreen) showDelete(status string) {
	f.del.Hidden = f.app.meta.Role == store.RoleOffice || status != "" && status != store.StatusDraft
	f.del.Refresh()
}

// onDelete deletes a household entered by mistake, once the surveyor confirms: only a draft
// this laptop made and never sent to the office (store.UnsentDraft decides); for any other the
// surveyor is told to tell the ward office. The delete is a revision that goes to the office
// with the next sync (its audit log shows it); the household stays in the history. A new
// household not stored yet is simply left.
func (f *formScreen) onDelete() {
	if f.rec == nil || f.member != nil {
		return
	}
	db, id, sv := f.app.db, f.rec.ID, f.saver
	f.app.background(func() func() {
		saveErr := sv.wait() // the last change is stored before deciding
		ok, err := db.UnsentDraft(id)
		return func() {
			switch {
			case errors.Is(err, store.ErrNotFound) && saveErr == nil:
				f.app.ShowHome() // nothing of it was stored
			case err != nil:
				f.app.showError(err)
			case saveErr != nil:
				f.app.showError(saveErr)
			case !ok:
				dialog.ShowInformation(lang.L("form.delete_title"), lang.L("form.delete_refused"), f.app.win)
			default:
				f.confirmDelete(id)
			}
		}
	})
}

func (f *formScreen) confirmDelete(id string) {
	name := f.rec.HeadName()
	if name == "" {
		name = lang.L("home.no_name")
	}
	c := dialog.NewConfirm(lang.L("form.delete_title"), lang.L("form.delete_confirm", map[string]any{"Name": name}),
		func(yes bool) {
			if !yes {
				return
			}
			db, author, sv := f.app.db, f.app.author(), f.saver
			f.app.background(func() func() {
				err := sv.wait()
				if err == nil {
					_, err = db.DeleteUnsentDraft(id, author)
				}
				return func() {
					if err != nil {
						f.app.showError(err)
						return
					}
					f.app.ShowHome()
				}
			})
		}, f.app.win)
	c.SetConfirmText(lang.L("form.delete"))
	c.SetConfirmImportance(widget.DangerImportance)
	c.SetDismissText(lang.L("form.delete_keep"))
	c.Show()
}
