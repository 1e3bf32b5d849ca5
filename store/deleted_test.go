package store

import "testing"

// TestDeletions: the deleted households are listed with who deleted each, when and on which
// device, the office's delete as a laptop's (its unsent draft, brought by sync); a household
// brought back is no longer listed.
func TestDeletions(t *testing.T) {
	office := newTestStore(t, RoleOffice)
	recs := households(4, 2)
	for _, r := range recs {
		if _, err := office.SaveDraft(r, "x"); err != nil {
			t.Fatal(err)
		}
	}
	del, err := office.Delete(recs[1].ID, "Phạm Thu Hà")
	if err != nil {
		t.Fatal(err)
	}

	// a laptop's draft, deleted before it was ever sent, reaches the office as a tombstone
	laptop := newTestStore(t, RoleField)
	draft := households(1, 1)[0]
	draft.ID = "laptop-draft"
	if _, err := laptop.SaveDraft(draft, "Lê Văn Hiến"); err != nil {
		t.Fatal(err)
	}
	ldel, err := laptop.DeleteUnsentDraft(draft.ID, "Lê Văn Hiến")
	if err != nil {
		t.Fatal(err)
	}
	lm, _ := laptop.Meta()
	revs, _ := laptop.RevisionsSince(lm.DeviceID, 0)
	if _, err := office.PutRevisions(revs); err != nil {
		t.Fatal(err)
	}

	ds, err := office.Deletions()
	if err != nil {
		t.Fatal(err)
	}
	om, _ := office.Meta()
	if len(ds) != 2 {
		t.Fatalf("%d deletions: %+v", len(ds), ds)
	}
	if d := ds[0]; d.ID != recs[1].ID || d.By != "Phạm Thu Hà" || !d.At.Equal(del.Time) || d.Device != om.DeviceID ||
		!d.Deleted || d.HeadName != recs[1].HeadName() || d.Group != recs[1].Group {
		t.Errorf("the office's delete: %+v", d)
	}
	if d := ds[1]; d.ID != draft.ID || d.By != "Lê Văn Hiến" || !d.At.Equal(ldel.Time) || d.Device != lm.DeviceID {
		t.Errorf("the laptop's delete: %+v", d)
	}

	if _, err := office.Undelete(recs[1].ID, "Phạm Thu Hà"); err != nil {
		t.Fatal(err)
	}
	if ds, _ := office.Deletions(); len(ds) != 1 || ds[0].ID != draft.ID {
		t.Errorf("after undelete: %+v", ds)
	}
}
