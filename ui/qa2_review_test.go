package ui

import (
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/store"
)

// The tests of this file come from the second QA pass of the field app; each failed before
// its fix.

// loadExampleTable loads the EXAMPLE score table into db.
func loadExampleTable(t *testing.T, db *store.Store) {
	t.Helper()
	data, err := os.ReadFile(exampleScoreTable)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadScoreTable(data, "test"); err != nil {
		t.Fatal(err)
	}
}

// openCalculator chooses the income score on the form and opens the score calculator, every
// characteristic answered.
func openCalculator(t *testing.T, a *App) *scoreDialog {
	t.Helper()
	f := a.form
	f.incomeKind.SetSelected(choiceLabel("income", "score"))
	a.Wait()
	test.Tap(f.scoreBtn)
	a.Wait()
	d := f.score
	if d == nil || a.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the calculator did not open")
	}
	walkObjects(a.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			s.SetSelectedIndex(0)
		}
	})
	if d.use.Disabled() {
		t.Fatal("every characteristic chosen, yet the score cannot be used")
	}
	return d
}

// TestLeavingClosesScoreCalculator: leaving the form (Alt+←, "Danh sách", closing the
// window, the idle lock) closes the score calculator, and its "use this score" never writes
// into a household no longer shown.
func TestLeavingClosesScoreCalculator(t *testing.T) {
	db := newEncryptedStore(t, 2)
	loadExampleTable(t, db)
	a := newApp(t, db)
	list, _ := db.List()
	id := list[0].ID

	a.ShowHousehold(id)
	a.Wait()
	d := openCalculator(t, a)
	a.form.saver.flush()
	a.Wait()
	before, _, _ := db.Get(id)
	a.form.onBack()
	a.Wait()
	if a.Screen() != "home" || a.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("after leaving: screen %s, dialog on top %q", a.Screen(), topDialogText(a))
	}
	d.onUse() // a tap that was on its way
	a.Wait()
	if rec, _, _ := db.Get(id); rec.Income.Kind != before.Income.Kind || rec.Income.Value != before.Income.Value {
		t.Fatalf("the calculator wrote into the household left: %+v, was %+v", rec.Income, before.Income)
	}

	// Closing the window
	a.ShowHousehold(id)
	a.Wait()
	openCalculator(t, a)
	closed := false
	a.Close(func() { closed = true })
	a.Wait()
	if !closed || a.form.score != nil || a.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("closing the window: closed %v, calculator still open %v", closed, a.form.score != nil)
	}

	// The idle lock, then the form shown again after the unlock
	a.ShowHousehold(id)
	a.Wait()
	f := a.form
	d = openCalculator(t, a)
	typed := f.amount.Text
	a.LockNow()
	a.Wait()
	if f.score != nil || a.Screen() != "unlock" {
		t.Fatalf("the idle lock left the calculator open: screen %s", a.Screen())
	}
	d.onUse()
	a.Wait()
	if f.amount.Text != typed {
		t.Fatalf("the calculator wrote into the form locked away: %q, was %q", f.amount.Text, typed)
	}
}
