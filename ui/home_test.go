package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/demo"
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
	v, err := loadHome(db, m, "Tổ 03")
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
	v, err := loadHome(db, m, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.NoAssign || len(v.Groups) != 2 {
		t.Fatalf("assigned groups: %+v", v.Groups)
	}
	if v.Groups[0].Group != "Tổ 02" || v.Groups[0].Assigned != 10 || v.Groups[1].Group != "Tổ 03" || v.Groups[1].Assigned != 2 {
		t.Errorf("progress of the assignment: %+v", v.Groups)
	}
	rows, _ := loadGroup(db, "Tổ 03", v.mine)
	if len(rows) != 2 {
		t.Errorf("only the 2 assigned households of Tổ 03 are listed, got %d", len(rows))
	}
	// The office sees every group.
	m.Role = store.RoleOffice
	if v, _ = loadHome(db, m, ""); len(v.Groups) != 4 || v.NoAssign {
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
