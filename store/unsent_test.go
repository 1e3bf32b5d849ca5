package store

import (
	"testing"
	"time"
)

// TestDeleteUnsentDraft: a field laptop deletes a draft it made and never sent, by a revision
// that syncs like any other (RevisionsSince gives it) and that Undelete undoes; it refuses a
// complete household, one the office acknowledged, one made before the last export or sync,
// one another device edited, and any on the office's database.
func TestDeleteUnsentDraft(t *testing.T) {
	s := newTestStore(t, RoleField)
	recs := households(6, 3)
	for _, r := range recs {
		if _, err := s.SaveDraft(r, "x"); err != nil {
			t.Fatal(err)
		}
	}
	can := func(id string) bool {
		t.Helper()
		ok, err := s.UnsentDraft(id)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !can(recs[0].ID) {
		t.Fatal("a new draft of this laptop cannot be deleted")
	}
	r, err := s.DeleteUnsentDraft(recs[0].ID, "x")
	if err != nil || !r.Deleted {
		t.Fatalf("delete: %+v %v", r, err)
	}
	m, _ := s.Meta()
	revs, _ := s.RevisionsSince(m.DeviceID, 0)
	if last := revs[len(revs)-1]; last.ID != r.ID || !last.Deleted || last.HouseholdID != recs[0].ID {
		t.Errorf("the delete is not the laptop's last revision to sync: %+v", last)
	}
	if l, _ := s.ListDeleted(); len(l) != 1 || l[0].ID != recs[0].ID {
		t.Errorf("deleted: %+v", l)
	}
	if can(recs[0].ID) {
		t.Error("a deleted household can be deleted again")
	}
	if _, err := s.Undelete(recs[0].ID, "x"); err != nil {
		t.Fatal(err)
	}

	// another device's revision of it: no
	o := newTestStore(t, RoleField)
	mine, _ := s.History(recs[5].ID)
	if _, err := o.PutRevisions(mine); err != nil {
		t.Fatal(err)
	}
	e := recs[5].Clone()
	e.Address = "sửa trên máy khác"
	if _, err := o.SaveDraft(e, "y"); err != nil {
		t.Fatal(err)
	}
	om, _ := o.Meta()
	theirs, _ := o.RevisionsSince(om.DeviceID, 0)
	if _, err := s.PutRevisions(theirs); err != nil {
		t.Fatal(err)
	}
	if rec, _, _ := s.Get(recs[5].ID); rec.Address != e.Address || can(recs[5].ID) {
		t.Errorf("a draft another device edited (%q) can be deleted", rec.Address)
	}
	// complete: no
	if _, err := s.MarkComplete(recs[1].ID, "x"); err != nil {
		t.Fatal(err)
	}
	if can(recs[1].ID) {
		t.Error("a complete household can be deleted")
	}
	if _, err := s.DeleteUnsentDraft(recs[1].ID, "x"); !isKind(err, ErrStatus) {
		t.Errorf("deleting a complete household: %v", err)
	}
	// back to draft after being complete: the complete version may have gone; the office's
	// acknowledgement of this laptop's revisions up to recs[2]'s
	h, _ := s.History(recs[2].ID)
	if _, err := s.SetAck(h[len(h)-1].Seq, 1); err != nil {
		t.Fatal(err)
	}
	if can(recs[2].ID) || !can(recs[3].ID) {
		t.Errorf("after the ack: acknowledged %v, later %v", can(recs[2].ID), can(recs[3].ID))
	}
	// an export to a stick after recs[3] was made
	if err := s.SetSyncTime("export", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if can(recs[3].ID) {
		t.Error("a draft written to a stick can be deleted")
	}
	if _, err := s.DeleteUnsentDraft(recs[3].ID, "x"); !isKind(err, ErrStatus) {
		t.Errorf("deleting an exported draft: %v", err)
	}
	if l, _ := s.ListDeleted(); len(l) != 0 {
		t.Errorf("refused deletes deleted %+v", l)
	}

	off := newTestStore(t, RoleOffice)
	if _, err := off.SaveDraft(recs[4], "z"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := off.UnsentDraft(recs[4].ID); ok {
		t.Error("the office deletes by its own audit screen, not this")
	}
}
