package sync

import (
	"path/filepath"
	"testing"

	"github.com/rasoat/rasoat/store"
)

// TestConcurrentEditsBothWaysRound: two laptops edit one household from the same revision.
// Whichever edit is later is the provisional current version, whichever order the batches
// reach the office in; both revisions are kept and the household is a conflict.
func TestConcurrentEditsBothWaysRound(t *testing.T) {
	for _, tc := range []struct {
		name       string
		laterIsB   bool // b edits after a
		bFirstHome bool // b's batch reaches the office first
	}{
		{"a-later,a-first", false, false},
		{"a-later,b-first", false, true},
		{"b-later,a-first", true, false},
		{"b-later,b-first", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			office := w.newOffice("")
			a := w.newLaptop("a", "")
			b := w.newLaptop("b", "")
			hs := office.households(t, 3, 7) // last year's list, from the office
			stick := filepath.Join(w.dir, "usb")
			usbRound(t, stick, office, a, b)
			id := hs[1].ID
			var ra, rb store.Revision
			if tc.laterIsB {
				ra = a.edit(t, id, "bản của A")
				rb = b.edit(t, id, "bản của B")
			} else {
				rb = b.edit(t, id, "bản của B")
				ra = a.edit(t, id, "bản của A")
			}
			want := ra
			if tc.laterIsB {
				want = rb
			}
			sa, sb := filepath.Join(w.dir, "stick-a"), filepath.Join(w.dir, "stick-b")
			for _, x := range []struct {
				l   *site
				dir string
			}{{a, sa}, {b, sb}} {
				if _, err := x.l.n.ExportTo(x.dir); err != nil {
					t.Fatal(err)
				}
			}
			order := []string{sa, sb}
			if tc.bFirstHome {
				order = []string{sb, sa}
			}
			for _, dir := range order {
				if res, err := office.n.ImportFrom(dir); err != nil || len(res.Refused) > 0 {
					t.Fatal(err, res.Refused)
				}
				if dir != order[0] {
					continue
				}
				// one edit so far: it is current, and no conflict yet
				first := ra
				if tc.bFirstHome {
					first = rb
				}
				if _, cur, _ := office.st.Get(id); cur.ID != first.ID {
					t.Fatalf("after the first batch the current is %s, want %s", cur.ID, first.ID)
				}
				if cs, _ := office.st.Conflicts(); len(cs) != 0 {
					t.Fatalf("conflict after one batch: %v", cs)
				}
			}
			_, cur, err := office.st.Get(id)
			if err != nil || cur.ID != want.ID {
				t.Fatalf("current %s (%v), want %s", cur.ID, err, want.ID)
			}
			cs, _ := office.st.Conflicts()
			if len(cs) != 1 || cs[0] != id {
				t.Fatalf("conflicts %v", cs)
			}
			hist, _ := office.st.History(id)
			got := map[string]bool{}
			for _, r := range hist {
				got[r.ID] = true
			}
			if !got[ra.ID] || !got[rb.ID] {
				t.Fatalf("history lacks an edit: %v", got)
			}
			// the laptops settle on the same version when they hear of the other's edit
			if _, err := office.n.ExportTo(stick); err != nil {
				t.Fatal(err)
			}
			for _, l := range []*site{a, b} {
				if _, err := l.n.ImportFrom(stick); err != nil {
					t.Fatal(err)
				}
				if _, cur, _ := l.st.Get(id); cur.ID != want.ID {
					t.Errorf("%s: current %s, want %s", l.name, cur.ID, want.ID)
				}
			}
		})
	}
}

// TestOutOfOrderAndGaps: batches imported last first, with a gap, are kept and applied as the
// gap fills; the laptop re-sends what the office has not acknowledged.
func TestOutOfOrderAndGaps(t *testing.T) {
	w := newWorld(t)
	w.opts.BatchRevisions = 5
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	hs := a.households(t, 8, 3)
	for _, h := range hs[:4] {
		a.edit(t, h.ID, "sửa "+h.ID[:4]) // revisions 9…12 edit households of revisions 1…4
	}
	stick := t.TempDir()
	res, err := a.n.ExportTo(stick)
	if err != nil || res.Batches != 3 {
		t.Fatalf("%d batches (%v), want 3", res.Batches, err)
	}
	files := res.Files
	imp := func(name string) BatchResult {
		t.Helper()
		data := readFile(t, filepath.Join(stick, name))
		br, err := office.n.Import(data)
		if err != nil {
			t.Fatal(err)
		}
		return br
	}
	// last batch first: a gap, kept
	if br := imp(files[2]); !br.Pending || br.Added != 0 {
		t.Fatalf("last batch: %+v", br)
	}
	if n, _ := office.st.CountPendingBatches(); n != 1 {
		t.Fatalf("%d waiting", n)
	}
	if cs, _ := office.st.Conflicts(); len(cs) != 0 {
		t.Fatalf("conflicts before the gap filled: %v", cs)
	}
	if br := imp(files[2]); !br.Pending {
		t.Fatal("the same batch again is not kept as waiting")
	}
	if n, _ := office.st.CountPendingBatches(); n != 1 {
		t.Fatalf("%d waiting after importing it twice", n)
	}
	// the first batch applies
	if br := imp(files[0]); br.Pending || br.Added != 5 || br.Released != 0 {
		t.Fatalf("first batch: %+v", br)
	}
	have, _ := office.st.Devices()
	if have[a.n.DeviceID()] != 5 {
		t.Fatalf("office has %d", have[a.n.DeviceID()])
	}
	// the middle one fills the gap and lets the waiting one through
	if br := imp(files[1]); br.Pending || br.Added != 7 || br.Released != 1 {
		t.Fatalf("middle batch: %+v", br)
	}
	if n, _ := office.st.CountPendingBatches(); n != 0 {
		t.Fatalf("%d still waiting", n)
	}
	sameRevisions(t, "office", office.revisions(t), a.revisions(t))
	if cs, _ := office.st.Conflicts(); len(cs) != 0 {
		t.Fatalf("conflicts: %v", cs)
	}

	// nothing acknowledged yet: the laptop exports everything again
	if p, _ := a.n.Pending(); p != 12 {
		t.Fatalf("pending %d, want 12", p)
	}
	if _, err := office.n.ExportTo(stick); err != nil {
		t.Fatal(err)
	}
	if _, err := a.n.ImportFrom(stick); err != nil {
		t.Fatal(err)
	}
	if p, _ := a.n.Pending(); p != 0 {
		t.Fatalf("pending %d after the acknowledgement", p)
	}
	a.households(t, 2, 4)
	res, err = a.n.ExportTo(stick)
	if err != nil || res.Revisions != 2 || len(res.Files) != 1 {
		t.Fatalf("export after ack: %+v (%v)", res, err)
	}
	// the files of the earlier export were replaced
	names, _ := filepath.Glob(filepath.Join(stick, "up-*"))
	if len(names) != 1 {
		t.Fatalf("stick holds %v", names)
	}
}

// TestAckFromOfficeThatLostData: an acknowledgement lower than before, but newer, makes the
// laptop send again what the office no longer has.
func TestAckFromOfficeThatLostData(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	a.households(t, 4, 8)
	stick := t.TempDir()
	usbRound(t, stick, office, a)
	if p, _ := a.n.Pending(); p != 0 {
		t.Fatal(p)
	}
	if ok, err := a.st.SetAck(1, w.clock.Now().UnixNano()); !ok || err != nil {
		t.Fatal(ok, err)
	}
	if p, _ := a.n.Pending(); p != 3 {
		t.Fatalf("pending %d, want 3", p)
	}
	// an older acknowledgement does not move it
	if ok, _ := a.st.SetAck(4, 1); ok {
		t.Fatal("an older acknowledgement was taken")
	}
	res, err := a.n.ExportTo(stick)
	if err != nil || res.Revisions != 3 {
		t.Fatalf("%+v %v", res, err)
	}
}

// TestAssignmentsAndReviewsGoDown: the office's assignments and review decisions reach the
// laptop; an older down-batch does not bring back older assignments.
func TestAssignmentsAndReviewsGoDown(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	hs := a.households(t, 2, 9)
	if _, err := a.st.MarkComplete(hs[0].ID, "a"); err != nil {
		t.Fatal(err)
	}
	stick, old := t.TempDir(), t.TempDir()
	usbRound(t, stick, office, a)
	if err := office.st.SetAssignment(store.Assignment{Surveyor: "ĐTV a", Groups: []string{"Tổ 01"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := office.n.ExportTo(old); err != nil { // an older stick
		t.Fatal(err)
	}
	if _, err := office.st.SetReview(hs[0].ID, store.StatusReturned, "thiếu số CCCD", "cán bộ"); err != nil {
		t.Fatal(err)
	}
	if err := office.st.SetAssignment(store.Assignment{Surveyor: "ĐTV a", Groups: []string{"Tổ 02"}}); err != nil {
		t.Fatal(err)
	}
	usbRound(t, stick, office, a)
	_, cur, err := a.st.Get(hs[0].ID)
	if err != nil || cur.Status != store.StatusReturned || cur.Comment != "thiếu số CCCD" {
		t.Fatalf("review not on the laptop: %+v %v", cur, err)
	}
	as, _ := a.st.Assignments()
	if len(as) != 1 || as[0].Groups[0] != "Tổ 02" {
		t.Fatalf("assignments %+v", as)
	}
	if _, err := a.n.ImportFrom(old); err != nil {
		t.Fatal(err)
	}
	as, _ = a.st.Assignments()
	if len(as) != 1 || as[0].Groups[0] != "Tổ 02" {
		t.Fatalf("an older batch brought back %+v", as)
	}
	// the office removes the last assignment: the laptop has none either
	if err := office.st.SetAssignment(store.Assignment{Surveyor: "ĐTV a"}); err != nil {
		t.Fatal(err)
	}
	usbRound(t, stick, office, a)
	if as, _ = a.st.Assignments(); len(as) != 0 {
		t.Fatalf("assignments after the office removed them all: %+v", as)
	}
}
