package sync

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/store"
)

// TestBatchAppliesInOneTransaction: a batch whose bookkeeping cannot be written leaves nothing
// behind, not even its revisions: the revisions, the acknowledgement and the assignments of a
// batch commit together.
func TestBatchAppliesInOneTransaction(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	b := w.newLaptop("b", "")
	b.households(t, 3, 41)
	usbRound(t, t.TempDir(), office, b)
	d, ok, err := office.st.SyncDevice(a.n.DeviceID())
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	k, _, _, err := office.n.loadKeys()
	if err != nil {
		t.Fatal(err)
	}
	revs, err := office.st.RevisionsSince(b.n.DeviceID(), 0)
	if err != nil || len(revs) != 3 {
		t.Fatal(len(revs), err)
	}
	// an office that signs an assignment the store refuses (a control character in the name)
	bad := []Assignment{{Surveyor: "ĐTV\x01a", Groups: []string{"Tổ 01"}}}
	data, err := office.n.downBatch(d, k, revs, false, 5, bad, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, a)
	if _, err := a.n.Import(data); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("import: %v, want the store's refusal of the assignment", err)
	}
	if got := snapshot(t, a); got != before {
		t.Fatalf("a batch that failed left changes:\n%s\nwant\n%s", got, before)
	}
	if n, _ := a.st.LastSeq(b.n.DeviceID()); n != 0 {
		t.Fatalf("the laptop kept %d revisions of the failed batch", n)
	}
	// the same revisions with good assignments go through, with the acknowledgement
	good := []Assignment{{Surveyor: "ĐTV a", Groups: []string{"Tổ 01"}}}
	if data, err = office.n.downBatch(d, k, revs, false, 0, good, nil); err != nil {
		t.Fatal(err)
	}
	res, err := a.n.Import(data)
	if err != nil || res.Added != 3 {
		t.Fatalf("good batch: %+v %v", res, err)
	}
	if as, _ := a.st.Assignments(); len(as) != 1 || as[0].Surveyor != "ĐTV a" {
		t.Fatalf("assignments %+v", as)
	}
}

// TestWaitingBatchesAreBounded: past Limits.MaxWaiting batches of one device waiting for a
// gap, the next is refused with a message in both languages and nothing is written; the
// waiting ones still apply when the gap is filled, and another device's batches are counted
// apart.
func TestWaitingBatchesAreBounded(t *testing.T) {
	w := newWorld(t)
	w.opts.BatchRevisions = 2
	w.opts.Limits.MaxWaiting = 2
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	b := w.newLaptop("b", "")
	a.households(t, 8, 42)
	b.households(t, 4, 43)
	sa, sb := t.TempDir(), t.TempDir()
	ra, err := a.n.ExportTo(sa)
	if err != nil || len(ra.Files) != 4 {
		t.Fatalf("a: %d files (%v), want 4", len(ra.Files), err)
	}
	rb, err := b.n.ExportTo(sb)
	if err != nil || len(rb.Files) != 2 {
		t.Fatalf("b: %d files (%v), want 2", len(rb.Files), err)
	}
	imp := func(stick, name string) (BatchResult, error) {
		t.Helper()
		return office.n.Import(readFile(t, filepath.Join(stick, name)))
	}
	for _, f := range ra.Files[1:3] {
		if br, err := imp(sa, f); err != nil || !br.Pending {
			t.Fatalf("%s: %+v %v", f, br, err)
		}
	}
	before := snapshot(t, office)
	_, err = imp(sa, ra.Files[3])
	if !errors.Is(err, ErrTooManyWaiting) || !IsRefusal(err) {
		t.Fatalf("third waiting batch: %v", err)
	}
	vi, en := store.Message(err, "vi"), store.Message(err, "en")
	if !strings.Contains(vi, "quá nhiều lô") || !strings.Contains(en, "Too many batches") || vi == en {
		t.Errorf("messages: %q / %q", vi, en)
	}
	if got := snapshot(t, office); got != before {
		t.Fatalf("a refused batch changed the office:\n%s\nwant\n%s", got, before)
	}
	// one already waiting is not refused when it comes again
	if br, err := imp(sa, ra.Files[2]); err != nil || !br.Pending {
		t.Fatalf("a waiting batch again: %+v %v", br, err)
	}
	// the other laptop's batches are counted apart
	if br, err := imp(sb, rb.Files[1]); err != nil || !br.Pending {
		t.Fatalf("b's waiting batch: %+v %v", br, err)
	}
	// the whole stick, in order, fills the gap: the waiting batches and the refused one apply
	res, err := office.n.ImportFrom(sa)
	if err != nil || len(res.Refused) != 0 || res.Waiting != 1 {
		t.Fatalf("import of a's stick: %+v %v", res, err)
	}
	if n, _ := office.st.LastSeq(a.n.DeviceID()); n != 8 {
		t.Fatalf("office has a's revisions up to %d, want 8", n)
	}
	if br, err := imp(sb, rb.Files[0]); err != nil || br.Added != 4 || br.Released != 1 {
		t.Fatalf("b's first batch: %+v %v", br, err)
	}
	sameRevisions(t, "office", office.revisions(t), union(t, a, b))
}

// TestDownBatchesPage: the office's down-batches take each device's revisions a batch at a
// time, across devices, in order, and say when more remain.
func TestDownBatchesPage(t *testing.T) {
	w := newWorld(t)
	w.opts.BatchRevisions = 3
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	b := w.newLaptop("b", "")
	c := w.newLaptop("c", "")
	a.households(t, 5, 44)
	b.households(t, 4, 45)
	stick := t.TempDir()
	usbRound(t, stick, office, a, b)
	var got []Range
	var mores []bool
	have, _ := c.st.Devices()
	for i := 0; ; i++ {
		data, err := office.n.DownFor(c.n.DeviceID(), have)
		if err != nil {
			t.Fatal(err)
		}
		br, err := c.n.Import(data)
		if err != nil || br.Pending {
			t.Fatalf("batch %d: %+v %v", i, br, err)
		}
		got = append(got, br.Header.Ranges...)
		mores = append(mores, br.Header.More)
		if have, err = c.st.Devices(); err != nil {
			t.Fatal(err)
		}
		if !br.Header.More || i > 10 {
			break
		}
	}
	da, db := a.n.DeviceID(), b.n.DeviceID()
	want := []Range{{da, 1, 3}, {da, 4, 5}, {db, 1, 1}, {db, 2, 4}}
	if len(got) != len(want) {
		t.Fatalf("ranges %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("ranges %v, want %v", got, want)
		}
	}
	if len(mores) != 3 || !mores[0] || !mores[1] || mores[2] {
		t.Errorf("more flags %v", mores)
	}
	sameRevisions(t, "c", c.revisions(t), union(t, a, b))
}

// TestRevokedDeviceWaitingBatchesDropped: batches of a device waiting for a gap are dropped
// once it is revoked, at the next batch applied, and never applied.
func TestRevokedDeviceWaitingBatchesDropped(t *testing.T) {
	w := newWorld(t)
	w.opts.BatchRevisions = 2
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	c := w.newLaptop("c", "")
	a.households(t, 2, 46)
	c.households(t, 6, 47)
	sa, sc := t.TempDir(), t.TempDir()
	if _, err := a.n.ExportTo(sa); err != nil {
		t.Fatal(err)
	}
	rc, err := c.n.ExportTo(sc)
	if err != nil || len(rc.Files) != 3 {
		t.Fatalf("%d files (%v)", len(rc.Files), err)
	}
	for _, f := range rc.Files[1:] {
		if br, err := office.n.Import(readFile(t, filepath.Join(sc, f))); err != nil || !br.Pending {
			t.Fatalf("%s: %+v %v", f, br, err)
		}
	}
	if _, err := office.n.Revoke(c.n.DeviceID()); err != nil {
		t.Fatal(err)
	}
	res, err := office.n.ImportFrom(sa)
	if err != nil || res.Added != 2 || res.Waiting != 0 {
		t.Fatalf("a's batch: %+v %v", res, err)
	}
	if n, _ := office.st.LastSeq(c.n.DeviceID()); n != 0 {
		t.Fatalf("the office took %d revisions of the revoked device", n)
	}
}
