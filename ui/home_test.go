package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

func TestHomeLoaderCountsProgress(t *testing.T) {
	db := newStore(t, 40, demo.DefaultWard)
	list, _ := db.ListGroup("Tổ 03")
	rec, _, _ := db.Get(list[0].ID)
	rec.Address = "Số 1, đường mới"
	if _, err := db.SaveDraft(rec, "test"); err != nil {
		t.Fatal(err)
	}
	m, _ := db.Meta()
	v, err := loadHome(db, m, "Tổ 03", household.DateOf(testNow))
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Groups) != 4 || !v.NoAssign {
		t.Fatalf("without an assignment every group shows, with a note: %d groups, note %v", len(v.Groups), v.NoAssign)
	}
	want := groupRow{Group: "Tổ 03", Assigned: 10, Done: 9, Drafts: 1}
	if v.Groups[2] != want {
		t.Errorf("Tổ 03: %+v, want %+v", v.Groups[2], want)
	}
	if v.Selected != "Tổ 03" || len(v.Households) != 10 {
		t.Errorf("selected %q with %d households", v.Selected, len(v.Households))
	}
	for _, h := range v.Households {
		if h.ID == rec.ID && (h.Status != store.StatusDraft || !strings.HasPrefix(h.Detail, "Số 1, đường mới · Tổ 03 · ")) {
			t.Errorf("the edited household's row: %+v", h)
		}
	}
}

func TestHomeShowsOnlyMyAssignment(t *testing.T) {
	db := newStore(t, 40, demo.DefaultWard)
	t3, _ := db.ListGroup("Tổ 03")
	err := db.SetAssignment(store.Assignment{Surveyor: "Le Van Hien", Groups: []string{"Tổ 02"},
		Households: []string{t3[4].ID, t3[7].ID}})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := db.Meta()
	v, err := loadHome(db, m, "", household.DateOf(testNow))
	if err != nil {
		t.Fatal(err)
	}
	if v.NoAssign || len(v.Groups) != 2 {
		t.Fatalf("assigned groups: %+v", v.Groups)
	}
	if v.Groups[0].Group != "Tổ 02" || v.Groups[0].Assigned != 10 || v.Groups[1].Group != "Tổ 03" || v.Groups[1].Assigned != 2 {
		t.Errorf("progress of the assignment: %+v", v.Groups)
	}
	rows, _ := loadGroup(db, "Tổ 03", v.mine, household.DateOf(testNow))
	if len(rows) != 2 {
		t.Errorf("only the 2 assigned households of Tổ 03 are listed, got %d", len(rows))
	}
	// The office sees every group.
	m.Role = store.RoleOffice
	if v, _ = loadHome(db, m, "", household.DateOf(testNow)); len(v.Groups) != 4 || v.NoAssign {
		t.Errorf("office: %d groups", len(v.Groups))
	}
}

func TestHomeSearchIgnoresDiacritics(t *testing.T) {
	db := newStore(t, 40, demo.DefaultWard)
	a := newApp(t, db)
	h := a.home
	if got := h.listTitle.Text; got != "Tổ 01 — 10 hộ" {
		t.Errorf("list title %q", got)
	}
	// Find a head's name in the demo ward and type it without diacritics, key by key.
	all, _ := db.List()
	target := all[7]
	query := store.Fold(target.HeadName)
	shortcut(a, fyne.KeyF)
	if a.win.Canvas().Focused() != h.search {
		t.Fatal("Ctrl+F should put the cursor in the search box")
	}
	for _, r := range query {
		test.Type(h.search, string(r))
		a.Wait()
	}
	if !strings.Contains(h.listTitle.Text, query) {
		t.Errorf("list title %q", h.listTitle.Text)
	}
	found := false
	for _, r := range h.rows {
		found = found || r.ID == target.ID
		if !strings.HasPrefix(store.Fold(r.Head), query) { // the last word may be a prefix
			t.Errorf("searching %q listed %q", query, r.Head)
		}
	}
	if !found {
		t.Errorf("typing %q did not find %q", query, target.HeadName)
	}
	// Clearing the search shows the group again; opening a row opens its form.
	h.search.SetText("")
	a.Wait()
	if len(h.rows) != 10 {
		t.Errorf("after clearing the search: %d rows", len(h.rows))
	}
	h.households.Select(3)
	a.Wait()
	if a.Screen() != "form" || a.form.rec.ID != h.rows[3].ID {
		t.Errorf("selecting a household should open it: screen %q", a.Screen())
	}
}

func TestHomeGroupsAndNewHousehold(t *testing.T) {
	a := newApp(t, newStore(t, 40, demo.DefaultWard))
	h := a.home
	text := allText(h.groupList)
	if !strings.Contains(text, "Tổ 02") {
		t.Errorf("group list:\n%s", text)
	}
	h.groupList.Select(1)
	a.Wait()
	if h.view.Selected != "Tổ 02" || h.listTitle.Text != "Tổ 02 — 10 hộ" {
		t.Errorf("selected %q, title %q", h.view.Selected, h.listTitle.Text)
	}
	shortcut(a, fyne.KeyN)
	a.Wait()
	if a.Screen() != "form" || a.form.rec.Group != "Tổ 02" || a.form.groupPick.Selected != "Tổ 02" {
		t.Errorf("Ctrl+N should open a new household of the selected group: %q %q", a.Screen(), a.form.rec.Group)
	}
	if a.form.groupType.Visible() {
		t.Error("a field laptop chooses among the ward's groups; it does not type new ones")
	}
}

// TestHomeCarriedOverIsNotDone: households complete in last year's round (survey.round
// 2025-periodic) are not done in this year's: home counts none of them in "x/y hộ đã xong",
// lists them as "Cần rà soát lại" with their number under the group, and one carried into this
// round and completed counts again.
func TestHomeCarriedOverIsNotDone(t *testing.T) {
	ward := demo.DefaultWard
	ward.Round, ward.SurveyDate = "2025-periodic", household.MustDate("2025-09-20")
	db := newStore(t, 8, ward)
	a := newApp(t, db)
	h := a.home
	g := h.view.Groups[0]
	if g.Assigned != 2 || g.Done != 0 || g.Again != 2 || g.Drafts != 0 {
		t.Fatalf("a group of last year's households: %+v", g)
	}
	text := allText(h.groupList)
	for _, want := range []string{"0/2 hộ đã xong", "2 cần rà soát lại (đợt trước)"} {
		if !strings.Contains(text, want) {
			t.Errorf("group list lacks %q:\n%s", want, text)
		}
	}
	if text := allText(h.households); strings.Contains(text, "Đã xong") || !strings.Contains(text, "Cần rà soát lại") {
		t.Errorf("the households of last year's round:\n%s", text)
	}

	// carried into this round (as the form does) and completed: done again
	rec, _, _ := db.Get(h.rows[0].ID)
	today := household.DateOf(testNow)
	rec.Survey.Round, rec.Survey.Date = household.RoundFor(today), today
	if _, err := db.SaveDraft(rec, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkComplete(rec.ID, "test"); err != nil {
		t.Fatalf("complete in this round: %v", err)
	}
	h.refresh()
	a.Wait()
	if g := h.view.Groups[0]; g.Done != 1 || g.Again != 1 {
		t.Errorf("after completing one in this round: %+v", g)
	}
	if r := h.rows[0]; r.ID != rec.ID || r.Again || statusText(r.Status, r.Conflict) != "Đã xong" {
		t.Errorf("the household completed this round: %+v", r)
	}
	if text := allText(h.groupList); !strings.Contains(text, "1/2 hộ đã xong") {
		t.Errorf("group list after completing one:\n%s", text)
	}
	// search lists it the same way
	h.search.SetText(h.rows[1].Head)
	a.Wait()
	if len(h.rows) == 0 || !h.rows[0].Again || !strings.Contains(allText(h.households), "Cần rà soát lại") {
		t.Errorf("search of a carried-over household: %+v", h.rows)
	}
}
