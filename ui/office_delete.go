package ui

import (
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The review screen deletes a household that should not be on the ward's list (moved away,
// entered twice) and brings a deleted one back: both by a revision (store.Delete, Undelete)
// that syncs to the laptops and that the audit log records, by the office user logged in.
// The "deleted" filter lists the deleted households, with who deleted each and when: at the
// office, or on a laptop that deleted a draft it never sent.

// buildDelete makes the "Xóa hộ…" and "Khôi phục hộ" buttons and the line saying who deleted
// the household shown.
func (r *reviewScreen) buildDelete() {
	r.deleteBtn = widget.NewButtonWithIcon(lang.L("office.delete"), theme.DeleteIcon(), r.onDelete)
	r.undelBtn = widget.NewButtonWithIcon(lang.L("office.undelete"), theme.ContentUndoIcon(), r.onUndelete)
	r.undelBtn.Importance = widget.HighImportance
	r.undelBtn.Hide()
	r.deleted = wrapLabel("", widget.MediumImportance)
	r.deleted.Hide()
}

// showDeleted fits the detail to a deleted household (who deleted it and when, "Khôi phục
// hộ", nothing to review or open) or to one on the list ("Xóa hộ…", not while in conflict).
func (r *reviewScreen) showDeleted(row reviewRow) {
	del := row.Deleted
	for _, b := range []*widget.Button{r.approveBtn, r.returnBtn, r.openBtn, r.deleteBtn} {
		b.Hidden = del != nil
		b.Refresh()
	}
	r.undelBtn.Hidden = del == nil
	r.undelBtn.Refresh()
	r.deleted.Hidden = del == nil
	if del == nil {
		setEnabled(r.deleteBtn, !row.Conflict)
		r.deleted.Refresh()
		return
	}
	r.resolveBtn.Hide()
	r.comment.Hide()
	r.status.Importance = widget.LowImportance
	r.status.SetText(lang.L("office.filter.deleted"))
	key := "office.deleted_laptop"
	if del.Device == r.app.meta.DeviceID {
		key = "office.deleted_here"
	}
	who := del.By
	if who == "" {
		who = lang.L("audit.nobody")
	}
	r.deleted.SetText(lang.L(key, map[string]any{"Name": who, "Time": officeClock(del.At)}) + " " +
		lang.L("office.deleted_note"))
}

// onDelete asks the office user, naming the household and saying it can be brought back,
// before deleting it.
func (r *reviewScreen) onDelete() { r.app.asOffice(r.confirmDelete) }

func (r *reviewScreen) confirmDelete() {
	id, row := r.chosen, r.detail.Row
	if id == "" || row.ID != id || row.Deleted != nil {
		return
	}
	c := dialog.NewConfirm(lang.L("office.delete_title"),
		lang.L("office.delete_confirm", map[string]any{"Head": row.Head, "Group": row.Group}),
		func(yes bool) {
			if yes {
				r.setDeleted(id, true)
			}
		}, r.app.win)
	c.SetConfirmText(lang.L("office.delete_do"))
	c.SetConfirmImportance(widget.DangerImportance)
	c.SetDismissText(lang.L("office.delete_keep"))
	c.Show()
}

// onUndelete brings the deleted household shown back, then shows it among all the households.
func (r *reviewScreen) onUndelete() {
	r.app.asOffice(func() {
		if r.chosen != "" && r.detail.Row.ID == r.chosen && r.detail.Row.Deleted != nil {
			r.setDeleted(r.chosen, false)
		}
	})
}

// setDeleted deletes the household or brings it back, by the office user, then reloads the
// list: after a delete the next household is shown, after bringing one back that household
// under "all". The dashboard and lists load the ward afresh when shown.
func (r *reviewScreen) setDeleted(id string, deleted bool) {
	db, err := r.app.officeDB()
	if err != nil {
		r.app.showError(err)
		return
	}
	author := r.app.author()
	next := r.nextAfter(id)
	r.app.background(func() func() {
		var err error
		if deleted {
			_, err = db.Delete(id, author)
		} else {
			_, err = db.Undelete(id, author)
		}
		return func() {
			if err != nil {
				r.app.showError(err)
				return
			}
			if deleted {
				r.chosen = next
			} else {
				r.filter.SetSelected(r.filterLabel("all"))
				r.initial = id
			}
			r.refresh()
		}
	})
}
