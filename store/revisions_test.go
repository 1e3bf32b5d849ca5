package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/rasoat/rasoat/household"
)

func TestSaveDraftCompleteReview(t *testing.T) {
	s := newTestStore(t, RoleField)
	rec := households(1, 3)[0]

	// A draft may be invalid: no income answered yet is fine… but it must decode.
	bad := rec.Clone()
	bad.Survey.Date = household.Date{}
	if _, err := s.SaveDraft(bad, "Lan"); err == nil {
		t.Fatal("a record that does not decode was saved")
	} else {
		var ps household.Problems
		if !errors.As(err, &ps) || ps[0].Path != "survey.date" {
			t.Errorf("error %v does not name survey.date", err)
		}
	}
	if _, err := s.SaveDraft(&household.Record{}, "Lan"); err == nil {
		t.Error("a record without id was saved")
	}

	draft := rec.Clone()
	draft.Housing.FloorAreaM2 = 0 // invalid: must be > 0
	r1, err := s.SaveDraft(draft, "Lan")
	if err != nil {
		t.Fatal(err)
	}
	if r1.Status != StatusDraft || r1.Parent != "" || r1.Seq != 1 || r1.Author != "Lan" || r1.HouseholdID != rec.ID {
		t.Errorf("first revision %+v", r1)
	}
	sum := sha256.Sum256(r1.Record)
	if r1.Hash != hex.EncodeToString(sum[:]) || !bytes.Equal(r1.Record, household.Encode(draft)) {
		t.Error("the revision's record or hash is not the canonical encoding")
	}
	// saving the same content again changes nothing
	if again, err := s.SaveDraft(draft, "Lan"); err != nil || again.ID != r1.ID {
		t.Errorf("saving unchanged content made %+v, %v", again, err)
	}

	// complete is refused with the problems
	_, err = s.MarkComplete(rec.ID, "Lan")
	var ps household.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Path != "housing.floor_area_m2" || ps[0].RecordID != rec.ID {
		t.Fatalf("MarkComplete of an invalid record: %v", err)
	}
	// the standard's own rules too: waste_collected is required under 2027-2030
	std := rec.Clone()
	std.Survey.Date = household.MustDate("2027-03-01")
	std.WasteCollected = nil
	s.SaveDraft(std, "Lan")
	_, err = s.MarkComplete(rec.ID, "Lan")
	if !errors.As(err, &ps) || ps[0].Path != "waste_collected" {
		t.Fatalf("MarkComplete without waste answer under 2027-2030: %v", err)
	}

	r2, err := s.SaveDraft(rec, "Lan")
	if err != nil {
		t.Fatal(err)
	}
	r3, err := s.MarkComplete(rec.ID, "Lan")
	if err != nil {
		t.Fatal(err)
	}
	if r3.Status != StatusComplete || r3.Parent != r2.ID || r3.Hash != r2.Hash || r3.Seq != r2.Seq+1 {
		t.Errorf("complete revision %+v after %+v", r3, r2)
	}
	if again, err := s.MarkComplete(rec.ID, "Lan"); err != nil || again.ID != r3.ID {
		t.Errorf("completing twice: %+v %v", again, err)
	}

	// review is for the office only
	if _, err := s.SetReview(rec.ID, StatusApproved, "", "Hà"); !isKind(err, ErrRole) {
		t.Errorf("review on a field laptop: %v", err)
	}
	s.UpdateMeta(func(m *Meta) { m.Role = RoleOffice })
	if _, err := s.SetReview(rec.ID, StatusDraft, "", "Hà"); !isKind(err, ErrInvalid) {
		t.Errorf("review with status draft: %v", err)
	}
	ret, err := s.SetReview(rec.ID, StatusReturned, "Thiếu thu nhập tháng 8", "Hà")
	if err != nil {
		t.Fatal(err)
	}
	if ret.Status != StatusReturned || ret.Comment != "Thiếu thu nhập tháng 8" {
		t.Errorf("returned: %+v", ret)
	}
	sums, _ := s.ListGroup(rec.Group)
	if len(sums) != 1 || sums[0].Status != StatusReturned || sums[0].Comment != "Thiếu thu nhập tháng 8" {
		t.Errorf("list after return: %+v", sums)
	}
	if _, err := s.SetReview(rec.ID, StatusApproved, "", "Hà"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkComplete(rec.ID, "Lan"); !isKind(err, ErrStatus) {
		t.Errorf("completing an approved household: %v", err)
	}

	got, rev, err := s.Get(rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Status != StatusApproved || !bytes.Equal(household.Encode(got), household.Encode(rec)) {
		t.Errorf("Get: status %s, record differs", rev.Status)
	}
	if _, _, err := s.Get("no-such-id"); !isKind(err, ErrNotFound) {
		t.Errorf("Get of an unknown id: %v", err)
	}
	// a draft review is refused
	other := households(2, 3)[1]
	s.SaveDraft(other, "Lan")
	if _, err := s.SetReview(other.ID, StatusApproved, "", "Hà"); !isKind(err, ErrStatus) {
		t.Errorf("approving a draft: %v", err)
	}
}

func TestHistoryRestoreDelete(t *testing.T) {
	s := newTestStore(t, RoleField)
	rec := households(1, 4)[0]
	v1, _ := s.SaveDraft(rec, "Lan")
	edit := rec.Clone()
	edit.Address = "Số 99, đường Mới"
	edit.Members[0].Name = "Trần Văn Đông"
	v2, _ := s.SaveDraft(edit, "Lan")
	v3, err := s.MarkComplete(rec.ID, "Lan")
	if err != nil {
		t.Fatal(err)
	}

	if res, _ := s.Search("dong", 0); len(res) != 1 {
		t.Errorf("search for the edited name: %v", res)
	}
	h, err := s.History(rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(h) != 3 || h[0].ID != v1.ID || h[1].ID != v2.ID || h[2].ID != v3.ID {
		t.Fatalf("history %v", revIDs(h))
	}
	if h[1].Parent != v1.ID || h[2].Parent != v2.ID || !bytes.Equal(h[0].Record, v1.Record) {
		t.Error("history parents or records wrong")
	}

	// restore the first version: a new draft revision with its record
	r4, err := s.Restore(rec.ID, v1.ID, "Lan")
	if err != nil {
		t.Fatal(err)
	}
	if r4.Parent != v3.ID || r4.Restored != v1.ID || r4.Hash != v1.Hash || r4.Status != StatusDraft {
		t.Errorf("restore revision %+v", r4)
	}
	got, _, _ := s.Get(rec.ID)
	if got.Address != rec.Address {
		t.Errorf("after restore the address is %q", got.Address)
	}
	if res, _ := s.Search("dong", 0); len(res) != 0 {
		t.Errorf("the restored-away name still finds: %v", res)
	}
	if _, err := s.Restore(rec.ID, "nope", "Lan"); !isKind(err, ErrNotFound) {
		t.Errorf("restore of an unknown revision: %v", err)
	}
	other := households(2, 4)[1]
	ov, _ := s.SaveDraft(other, "Lan")
	if _, err := s.Restore(rec.ID, ov.ID, "Lan"); !isKind(err, ErrNotFound) {
		t.Errorf("restore of another household's revision: %v", err)
	}

	// delete is a tombstone; undelete brings it back
	d, err := s.Delete(rec.ID, "Lan")
	if err != nil {
		t.Fatal(err)
	}
	if !d.Deleted || d.Hash != r4.Hash {
		t.Errorf("tombstone %+v", d)
	}
	if _, _, err := s.Get(rec.ID); !isKind(err, ErrDeleted) {
		t.Errorf("Get of a deleted household: %v", err)
	}
	if l, _ := s.ListGroup(rec.Group); containsID(l, rec.ID) {
		t.Error("a deleted household is listed")
	}
	if l, _ := s.List(); containsID(l, rec.ID) || !containsID(l, other.ID) {
		t.Error("List wrong after delete")
	}
	if l, _ := s.ListDeleted(); len(l) != 1 || l[0].ID != rec.ID || !l[0].Deleted {
		t.Errorf("ListDeleted = %+v", l)
	}
	if res, _ := s.Search(Fold(rec.HeadName()), 0); containsID(res, rec.ID) {
		t.Error("a deleted household is found")
	}
	if _, err := s.MarkComplete(rec.ID, "Lan"); !isKind(err, ErrDeleted) {
		t.Errorf("completing a deleted household: %v", err)
	}
	if _, err := s.Restore(rec.ID, d.ID, "Lan"); !isKind(err, ErrDeleted) {
		t.Errorf("restoring the tombstone: %v", err)
	}
	u, err := s.Undelete(rec.ID, "Lan")
	if err != nil {
		t.Fatal(err)
	}
	if u.Deleted || u.Parent != d.ID || u.Hash != d.Hash || u.Status != r4.Status {
		t.Errorf("undelete %+v", u)
	}
	if l, _ := s.ListGroup(rec.Group); !containsID(l, rec.ID) {
		t.Error("an undeleted household is not listed")
	}
	h, _ = s.History(rec.ID)
	if len(h) != 6 {
		t.Errorf("history has %d revisions, want 6", len(h))
	}
	for i := 1; i < len(h); i++ {
		if h[i].Parent != h[i-1].ID || !h[i].Time.After(h[i-1].Time) {
			t.Errorf("revision %d does not follow %d", i, i-1)
		}
	}
	if _, err := s.History("nope"); !isKind(err, ErrNotFound) {
		t.Errorf("history of an unknown household: %v", err)
	}
}

// TestClockGoesBack: a revision is never dated before its parent.
func TestClockGoesBack(t *testing.T) {
	path := t.TempDir() + "/c.db"
	c := newClock()
	back := false
	s, err := Create(path, Meta{}, Options{NoSync: true, Now: func() time.Time {
		if back {
			return c.t.Add(-time.Hour)
		}
		return c.Now()
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer checkFile(t, path)
	defer s.Close()
	rec := households(1, 5)[0]
	r1, _ := s.SaveDraft(rec, "a")
	back = true
	r2, err := s.MarkComplete(rec.ID, "a")
	if err != nil {
		t.Fatal(err)
	}
	if !r2.Time.After(r1.Time) {
		t.Errorf("child %v is not after parent %v", r2.Time, r1.Time)
	}
}

func revIDs(rs []Revision) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

func containsID(ss []Summary, id string) bool {
	for _, s := range ss {
		if s.ID == id {
			return true
		}
	}
	return false
}
