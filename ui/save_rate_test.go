package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/store"
)

// TestRevisionsPerHousehold fills a new household the way a surveyor does, every answer typed
// key by key, and completes it: the store keeps a revision when a question is left or a choice
// made, not one per keystroke (QA finding 15).
func TestRevisionsPerHousehold(t *testing.T) {
	db := newStore(t, 2, demo.DefaultWard)
	a := newApp(t, db)
	a.ShowNewHousehold("Tổ 02")
	a.Wait()
	f := a.form
	test.Type(f.address, "Số 7, ngõ 3 Hoàng Liên")
	shortcut(a, fyne.KeyM)
	typeMembers(t, a) // 3 members, each put into the household by Enter
	answerHousehold(a)
	id := f.rec.ID
	shortcut(a, fyne.KeyReturn)
	a.Wait()
	if a.Screen() != "home" {
		t.Fatalf("the household did not complete: %s", topDialogText(a))
	}
	hist, err := db.History(id)
	if err != nil {
		t.Fatal(err)
	}
	// address, 3 members, wall, column, roof, floor area, water, toilet, waste, internet,
	// devices, loudspeaker, income kind, amount, then "complete"
	answers := 1 + 3 + 4 + 3 + 3 + 2 + 1
	t.Logf("%d revisions stored for one household (%d answers)", len(hist), answers)
	if len(hist) > answers+3 {
		t.Errorf("%d revisions stored for one household of %d answers: one per keystroke?", len(hist), answers)
	}
	if last := hist[len(hist)-1]; last.Status != store.StatusComplete {
		t.Errorf("last revision %q", last.Status)
	}
}

// TestTypingIsSavedOnEveryWayOut: what is being typed in a text question, its timer not run
// yet and the question not left, is stored before the form is left, the window closed, the
// idle lock, "complete", or when the window goes to the background.
func TestTypingIsSavedOnEveryWayOut(t *testing.T) {
	background := func(a *App) {
		lc := a.fyne.Lifecycle().(interface{ OnExitedForeground() func() })
		lc.OnExitedForeground()()
	}
	for _, tc := range []struct {
		name      string
		encrypted bool
		out       func(t *testing.T, a *App)
	}{
		{"back", false, func(t *testing.T, a *App) { a.form.onBack() }},
		{"close", false, func(t *testing.T, a *App) {
			closed := false
			a.Close(func() { closed = true })
			a.Wait()
			if !closed {
				t.Error("the window did not close")
			}
		}},
		{"complete", false, func(t *testing.T, a *App) { shortcut(a, fyne.KeyReturn) }},
		{"background", false, func(t *testing.T, a *App) { background(a) }},
		{"idle lock", true, func(t *testing.T, a *App) {
			a.LockNow()
			a.Wait()
			test.Type(entriesIn(a.win.Content())[0], uiPass)
			test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.button")))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var db *store.Store
			if tc.encrypted {
				db = newEncryptedStore(t, 2)
			} else {
				db = newStore(t, 2, demo.DefaultWard)
			}
			a := newApp(t, db)
			list, _ := db.List()
			id := list[0].ID
			a.ShowHousehold(id)
			a.Wait()
			before, _ := db.History(id)
			typeInto(a, a.form.address, "Số 5 đường Mới")
			a.Wait()
			if rec, _, _ := db.Get(id); rec.Address == "Số 5 đường Mới" {
				t.Fatal("saved before the question was left or its timer ran: the test tests nothing")
			}
			tc.out(t, a)
			a.Wait()
			if rec, _, _ := db.Get(id); rec.Address != "Số 5 đường Mới" {
				t.Errorf("stored address %q: the typing was lost", rec.Address)
			}
			if after, _ := db.History(id); len(after) > len(before)+2 {
				t.Errorf("%d revisions for one answer typed", len(after)-len(before))
			}
		})
	}
}
