package store

import (
	"slices"
	"testing"

	"github.com/rasoat/rasoat/household"
)

func TestSetPreviousStatusesKeepsStatusAndUndoes(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	hs := households(4, 3)
	mustImport(t, s, jsonl(hs))
	if _, err := s.SetReview(hs[1].ID, StatusApproved, "", "office"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetReview(hs[2].ID, StatusReturned, "xem lại thu nhập", "office"); err != nil {
		t.Fatal(err)
	}
	before := map[string]string{}
	for _, h := range hs {
		rec, _, _ := s.Get(h.ID)
		before[h.ID] = rec.PreviousStatus
	}
	set := map[string]string{hs[0].ID: "poor", hs[1].ID: "near_poor", hs[2].ID: "escaped_poor", "no-such-household": "poor"}
	if before[hs[3].ID] != "" {
		set[hs[3].ID] = before[hs[3].ID] // unchanged: no revision
	}
	changes, skipped, err := s.SetPreviousStatuses(set, "Cán bộ LĐ-TBXH")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(skipped, []string{"no-such-household"}) {
		t.Errorf("skipped %v", skipped)
	}
	if len(changes) != 3 {
		t.Fatalf("changes %+v", changes)
	}
	wantStatus := map[string]string{hs[0].ID: StatusComplete, hs[1].ID: StatusApproved, hs[2].ID: StatusReturned}
	for _, c := range changes {
		rec, rev, _ := s.Get(c.ID)
		if rec.PreviousStatus != set[c.ID] || c.New != set[c.ID] || c.Old != before[c.ID] || rev.ID != c.Revision {
			t.Errorf("%s: previous %q, change %+v, current revision %s", c.ID, rec.PreviousStatus, c, rev.ID)
		}
		if rev.Status != wantStatus[c.ID] || rev.Author != "Cán bộ LĐ-TBXH" {
			t.Errorf("%s: status %q by %q, want %q kept", c.ID, rev.Status, rev.Author, wantStatus[c.ID])
		}
	}
	if _, rev, _ := s.Get(hs[2].ID); rev.Comment != "xem lại thu nhập" {
		t.Errorf("the office's comment is kept: %q", rev.Comment)
	}
	// Applying the same list again changes nothing.
	if again, _, _ := s.SetPreviousStatuses(set, "x"); len(again) != 0 {
		t.Errorf("applying twice: %+v", again)
	}
	// Undo: the old values, as new revisions; the history keeps every step.
	undo := map[string]string{}
	for _, c := range changes {
		undo[c.ID] = c.Old
	}
	if back, _, err := s.SetPreviousStatuses(undo, "x"); err != nil || len(back) != 3 {
		t.Fatalf("undo: %+v %v", back, err)
	}
	for _, c := range changes {
		rec, _, _ := s.Get(c.ID)
		h, _ := s.History(c.ID)
		if rec.PreviousStatus != before[c.ID] || len(h) < 3 {
			t.Errorf("%s after undo: %q, %d revisions", c.ID, rec.PreviousStatus, len(h))
		}
	}
	if _, _, err := s.SetPreviousStatuses(map[string]string{hs[0].ID: "rich"}, "x"); !isKind(err, ErrInvalid) {
		t.Errorf("a value that is no status: %v", err)
	}
}

func TestSaveMergeResolvesConflict(t *testing.T) {
	c := newClock()
	office, a, b := device(t, "office", RoleOffice, c), device(t, "a", RoleField, c), device(t, "b", RoleField, c)
	h := households(1, 5)[0]
	mustImport(t, office, jsonl([]*household.Record{h}))
	pull(t, a, office)
	pull(t, b, office)
	ea, eb := h.Clone(), h.Clone()
	ea.Address = "sửa trên máy A"
	eb.Housing.FloorAreaM2 = 99
	ra, _ := a.SaveDraft(ea, "A")
	rb, _ := b.SaveDraft(eb, "B")
	if _, err := office.SaveMerge(ea, "office"); !isKind(err, ErrStatus) {
		t.Errorf("merging without a conflict: %v", err)
	}
	pull(t, office, a)
	pull(t, office, b)
	if conf, _ := office.Conflicts(); len(conf) != 1 {
		t.Fatalf("conflicts %v", conf)
	}
	if _, _, err := office.SetPreviousStatuses(map[string]string{h.ID: "poor"}, "x"); err != nil {
		t.Fatal(err)
	} else if rec, _, _ := office.Get(h.ID); rec.PreviousStatus == "poor" && h.PreviousStatus != "poor" {
		t.Error("a household in conflict must not be changed")
	}
	heads, err := office.Heads(h.ID)
	if err != nil || len(heads) != 2 || heads[0].ID != rb.ID || heads[1].ID != ra.ID || len(heads[1].Record) == 0 {
		t.Fatalf("heads: %v %v", revIDs(heads), err)
	}
	m, ps := household.Merge(ea, eb, map[string]bool{"housing.floor_area_m2": true})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	rev, err := office.SaveMerge(m, "office")
	if err != nil {
		t.Fatal(err)
	}
	if conf, _ := office.Conflicts(); len(conf) != 0 {
		t.Errorf("conflicts after the merge: %v", conf)
	}
	parents := append([]string{rev.Parent}, rev.Merged...)
	slices.Sort(parents)
	want := []string{ra.ID, rb.ID}
	slices.Sort(want)
	if !slices.Equal(parents, want) || rev.Status != StatusDraft {
		t.Errorf("merge revision parents %v status %s", parents, rev.Status)
	}
	got, _, _ := office.Get(h.ID)
	if got.Address != "sửa trên máy A" || got.Housing.FloorAreaM2 != 99 {
		t.Errorf("merged record: %q %v", got.Address, got.Housing.FloorAreaM2)
	}
	if hist, _ := office.History(h.ID); len(hist) != 4 {
		t.Errorf("history keeps both versions and the merge: %d revisions", len(hist))
	}
	if heads, _ := office.Heads(h.ID); len(heads) != 1 || heads[0].ID != rev.ID {
		t.Errorf("one head after the merge: %v", revIDs(heads))
	}
}

func TestListed(t *testing.T) {
	for _, c := range []struct {
		status   string
		conflict bool
		want     bool
	}{{StatusComplete, false, true}, {StatusApproved, false, true}, {StatusDraft, false, false},
		{StatusReturned, false, false}, {StatusApproved, true, false}} {
		if Listed(c.status, c.conflict) != c.want {
			t.Errorf("Listed(%s, %v) != %v", c.status, c.conflict, c.want)
		}
	}
}
