package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/store"
)

// deleteButton is the form's "Xóa hộ" button.
func deleteButton(t *testing.T, a *App) *widget.Button {
	t.Helper()
	var found *widget.Button
	walkObjects(a.win.Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Xóa hộ" {
			found = b
		}
	})
	if found == nil {
		t.Fatal("no Xóa hộ button on the form")
	}
	return found
}

// TestDeleteDraftMadeByMistake: a new household typed on this laptop and never sent is
// deleted after the surveyor confirms, and leaves the group's progress; the delete is a
// revision waiting to go to the office. Keeping it (Không xóa) deletes nothing.
func TestDeleteDraftMadeByMistake(t *testing.T) {
	db := newStore(t, 4, demo.DefaultWard)
	a := newApp(t, db)
	before := a.home.view.Groups[0]
	a.ShowNewHousehold(before.Group)
	a.Wait()
	f := a.form
	typeInto(a, f.address, "Số 9, nhập nhầm")
	leave(a)
	id := f.rec.ID
	if _, _, err := db.Get(id); err != nil {
		t.Fatalf("the draft is not stored: %v", err)
	}
	m, _ := db.Meta()
	revsBefore, _ := db.RevisionsSince(m.DeviceID, 0)

	test.Tap(deleteButton(t, a))
	a.Wait()
	if text := topDialogText(a); !strings.Contains(text, "Xóa hộ (chưa có tên chủ hộ)?") || !strings.Contains(text, "gửi văn phòng phường ở lần đồng bộ sau") {
		t.Fatalf("confirmation:\n%s", text)
	}
	answerDialog(t, a, "Không xóa")
	if _, _, err := db.Get(id); err != nil || a.Screen() != "form" {
		t.Fatalf("kept: %v on %q", err, a.Screen())
	}

	test.Tap(deleteButton(t, a))
	a.Wait()
	answerDialog(t, a, "Xóa hộ")
	if a.Screen() != "home" {
		t.Fatalf("after deleting, the screen is %q", a.Screen())
	}
	if _, _, err := db.Get(id); !errors.Is(err, store.ErrDeleted) {
		t.Errorf("the household after deleting: %v", err)
	}
	if g := a.home.view.Groups[0]; g != before {
		t.Errorf("the group's progress after deleting: %+v, before %+v", g, before)
	}
	revs, _ := db.RevisionsSince(m.DeviceID, 0)
	if len(revs) != len(revsBefore)+1 || !revs[len(revs)-1].Deleted {
		t.Errorf("the delete is not a revision for the office: %d → %d", len(revsBefore), len(revs))
	}
}

// TestDeleteRefusedForSentOrComplete: a complete household, or a draft written to a stick for
// the office, is not deleted on the laptop: the surveyor is told to ask the ward office.
func TestDeleteRefusedForSentOrComplete(t *testing.T) {
	db := newStore(t, 4, demo.DefaultWard)
	a := newApp(t, db)
	id := a.home.rows[0].ID
	a.ShowHousehold(id)
	a.Wait()
	// A complete household offers no "Xóa hộ"; the handler still refuses if reached.
	if a.form.del.Visible() {
		t.Error("a complete household offers Xóa hộ")
	}
	a.form.onDelete()
	a.Wait()
	if text := topDialogText(a); !strings.Contains(text, "hãy báo văn phòng phường") {
		t.Errorf("deleting a complete household:\n%s", text)
	}
	if _, _, err := db.Get(id); err != nil {
		t.Errorf("a complete household was deleted: %v", err)
	}

	// a draft, then an export to a stick
	rec, _, _ := db.Get(id)
	rec.Address = "sửa lại"
	if _, err := db.SaveDraft(rec, "test"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSyncTime("export", testNow.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	a.ShowHousehold(id)
	a.Wait()
	test.Tap(deleteButton(t, a))
	a.Wait()
	if text := topDialogText(a); !strings.Contains(text, "hãy báo văn phòng phường") {
		t.Errorf("deleting an exported draft:\n%s", text)
	}
	if _, _, err := db.Get(id); err != nil {
		t.Errorf("an exported draft was deleted: %v", err)
	}
}
