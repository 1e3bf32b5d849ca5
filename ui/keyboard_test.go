package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/store"
)

// TestKeyboardOnly adds two members and answers questions without the mouse: Tab, Space, the
// arrow keys, Enter for the next member, Escape to stop.
func TestKeyboardOnly(t *testing.T) {
	a := newApp(t, newStore(t, 4, demoWard()))
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	c := a.win.Canvas()
	f := a.form
	typeKeys(a, "Số 5")
	press(a, fyne.KeyReturn) // Enter moves on to the next question
	if c.Focused() != f.date {
		t.Fatalf("Enter in the address should move to the survey date, focus is on %T", c.Focused())
	}
	shortcut(a, fyne.KeyM)
	d := f.member
	if d == nil || c.Focused() != d.name {
		t.Fatal("Ctrl+M should open the member dialog with the cursor in the name")
	}
	typeKeys(a, "Phạm Văn Nam")
	test.FocusNext(c) // relation: pre-filled "Chủ hộ"
	if c.Focused() != d.relation {
		t.Fatalf("after the name comes the relation, not %T", c.Focused())
	}
	test.FocusNext(c) // sex: the first radio item, Nam
	space(a)
	test.FocusNext(c) // Nữ
	test.FocusNext(c) // birth
	if c.Focused() != d.birth {
		t.Fatalf("after the sex comes the birth, not %T", c.Focused())
	}
	typeKeys(a, "1970")
	test.FocusNext(c)
	if c.Focused() != d.ethnicity {
		t.Fatalf("after the birth comes the ethnicity, not %T", c.Focused())
	}
	typeKeys(a, "Kinh")
	press(a, fyne.KeyReturn) // refused: the Có/Không questions of an adult are not answered
	if f.member != d {
		t.Fatal("Enter should not save a member whose Có/Không questions are unanswered")
	}
	answerYesNoByKeys(t, a, d)
	d2 := f.member
	if d2 == nil || d2 == d || c.Focused() != d2.name {
		t.Fatalf("saving should open the next member, cursor in the name: %v %v %T %d", d2 == nil, d2 == d, c.Focused(), len(f.rec.Members))
	}
	typeKeys(a, "Phạm Thị Hoa")
	test.FocusNext(c)
	press(a, fyne.KeyRight) // Chủ hộ
	press(a, fyne.KeyRight) // Vợ, chồng
	test.FocusNext(c)
	test.FocusNext(c)
	space(a) // Nữ
	test.FocusNext(c)
	typeKeys(a, "12/05/1972")
	answerYesNoByKeys(t, a, d2)
	press(a, fyne.KeyEscape) // the third, blank dialog
	if f.member != nil {
		t.Fatal("Escape should close the member dialog")
	}
	a.Wait()
	if len(f.rec.Members) != 2 {
		t.Fatalf("%d members", len(f.rec.Members))
	}
	nam, hoa := f.rec.Members[0], f.rec.Members[1]
	if nam.Name != "Phạm Văn Nam" || nam.Relation != "head" || nam.Sex != "male" || nam.BirthYear != 1970 || nam.Ethnicity != "Kinh" {
		t.Errorf("first member %+v", nam)
	}
	if hoa.Name != "Phạm Thị Hoa" || hoa.Relation != "spouse" || hoa.Sex != "female" || hoa.BirthDate.VN() != "12/05/1972" || hoa.Ethnicity != "Kinh" {
		t.Errorf("second member %+v", hoa)
	}
	// The roster's buttons are reachable with Tab and work with Space.
	c.Focus(f.addMember)
	space(a)
	if f.member == nil {
		t.Fatal("Space on 'add a member' should open the dialog")
	}
	press(a, fyne.KeyEscape)
}

// answerYesNoByKeys answers Có to an adult's two Có/Không questions with Tab and Space, then
// tabs on to "save and add the next one" and presses Space.
func answerYesNoByKeys(t *testing.T, a *App, d *memberDialog) {
	t.Helper()
	c := a.win.Canvas()
	in := func(o fyne.CanvasObject) bool {
		found := false
		fo, _ := c.Focused().(fyne.CanvasObject)
		walkObjects(o, func(x fyne.CanvasObject) { found = found || fo != nil && x == fo })
		return found
	}
	answered := 0
	for range 30 {
		test.FocusNext(c)
		if (in(d.insurance) || in(d.able)) && answered < 2 {
			space(a) // the first item of the group is Có
			answered++
			test.FocusNext(c) // past Không
			continue
		}
		if b, ok := c.Focused().(*widget.Button); ok && b.Text == lang.L("member.save_next") {
			space(a)
			if a.form.member == d || a.form.member == nil {
				t.Fatalf("Space on %q did not save the member: %s", b.Text, topDialogText(a))
			}
			return
		}
	}
	t.Fatal("Tab never reached the save button")
}

// TestTabOrderFollowsTheForm checks that Tab walks the form's questions in reading order.
func TestTabOrderFollowsTheForm(t *testing.T) {
	a := newApp(t, newStore(t, 4, demoWard()))
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	c := a.win.Canvas()
	f := a.form
	want := []fyne.Focusable{f.address, f.date, f.addMember}
	c.Focus(f.groupPick)
	var got []fyne.Focusable
	seen := map[fyne.Focusable]bool{}
	for range 60 {
		test.FocusNext(c)
		o := c.Focused()
		if seen[o] {
			break
		}
		seen[o] = true
		got = append(got, o)
	}
	pos := func(o fyne.Focusable) int {
		for i, g := range got {
			if g == o {
				return i
			}
		}
		return -1
	}
	order := append(want, f.floor, f.water, f.toilet, firstFocusable(f.internet), firstFocusable(f.loudspeaker), f.amount)
	last := -1
	for i, o := range order {
		p := pos(o)
		if p < 0 {
			t.Errorf("question %d (%T) is not reached with Tab", i, o)
			continue
		}
		if p < last {
			t.Errorf("question %d (%T) comes before the one above it", i, o)
		}
		last = p
	}
}

// TestKeyboardAroundTheScreens goes from the home screen to a household and back, and to the
// settings, with keys only.
func TestKeyboardAroundTheScreens(t *testing.T) {
	db := newStore(t, 40, demoWard())
	a := newApp(t, db)
	all, _ := db.ListGroup("Tổ 04")
	target := all[2]
	shortcut(a, fyne.KeyF)
	typeKeys(a, store.Fold(target.HeadName))
	a.Wait()
	press(a, fyne.KeyDown) // into the results
	if a.win.Canvas().Focused() != a.home.households {
		t.Fatalf("the down arrow should move into the results, focus on %T", a.win.Canvas().Focused())
	}
	a.win.Canvas().Focus(a.home.search)
	press(a, fyne.KeyReturn) // Enter opens the first result
	a.Wait()
	if a.Screen() != "form" || a.form.rec.HeadName() != a.home.rows[0].Head {
		t.Fatalf("Enter in the search box should open the first household: %s", a.Screen())
	}
	a.win.Canvas().Focus(a.form.address)
	a.win.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: fyne.KeyModifierAlt})
	a.Wait()
	if a.Screen() != "home" {
		t.Fatalf("Alt+Left should go back to the list, screen %q", a.Screen())
	}
	shortcut(a, fyne.KeyComma)
	a.Wait()
	if a.Screen() != "settings" {
		t.Fatalf("Ctrl+, should open the settings, screen %q", a.Screen())
	}
}
