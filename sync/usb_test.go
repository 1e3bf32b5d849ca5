package sync

import (
	"path/filepath"
	"testing"
)

// usbRound carries a USB stick between the laptops and the office: every laptop exports, the
// office imports and exports, every laptop imports.
func usbRound(t testing.TB, stick string, office *site, laptops ...*site) {
	t.Helper()
	for _, l := range laptops {
		if _, err := l.n.ExportTo(stick); err != nil {
			t.Fatalf("%s export: %v", l.name, err)
		}
	}
	res, err := office.n.ImportFrom(stick)
	if err != nil || len(res.Refused) > 0 {
		t.Fatalf("office import: %v %v", err, res.Refused)
	}
	if _, err := office.n.ExportTo(stick); err != nil {
		t.Fatalf("office export: %v", err)
	}
	for _, l := range laptops {
		res, err := l.n.ImportFrom(stick)
		if err != nil || len(res.Refused) > 0 {
			t.Fatalf("%s import: %v %v", l.name, err, res.Refused)
		}
	}
}

func TestUSBTwoLaptopsOneOffice(t *testing.T) {
	w := newWorld(t)
	w.opts.BatchRevisions = 7 // several batches per export
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	b := w.newLaptop("b", "")
	ha := a.households(t, 12, 1)
	b.households(t, 9, 2)
	stick := filepath.Join(w.dir, "usb")

	usbRound(t, stick, office, a, b)
	sameRevisions(t, "office", office.revisions(t), union(t, a, b))
	// the laptops got each other's households and their revisions are acknowledged
	for _, l := range []*site{a, b} {
		sameRevisions(t, l.name, l.revisions(t), union(t, a, b))
		if p, err := l.n.Pending(); err != nil || p != 0 {
			t.Errorf("%s: %d unacknowledged (%v)", l.name, p, err)
		}
	}

	// concurrent edits of one household on both laptops: both kept, a conflict at the office
	ra := a.edit(t, ha[0].ID, "Số 1, đường A")
	rb := b.edit(t, ha[0].ID, "Số 2, đường B")
	usbRound(t, stick, office, a, b)
	want := union(t, a, b)
	sameRevisions(t, "office after edits", office.revisions(t), want)
	if _, ok := want[ra.ID]; !ok {
		t.Fatal("edit of a lost")
	}
	if _, ok := want[rb.ID]; !ok {
		t.Fatal("edit of b lost")
	}
	cs, err := office.st.Conflicts()
	if err != nil || len(cs) != 1 || cs[0] != ha[0].ID {
		t.Fatalf("conflicts %v, %v; want [%s]", cs, err, ha[0].ID)
	}
	// b's edit is later: it is the provisional current version everywhere
	for _, s := range []*site{office, a, b} {
		_, cur, err := s.st.Get(ha[0].ID)
		if err != nil || cur.ID != rb.ID {
			t.Errorf("%s: current %s (%v), want %s", s.name, cur.ID, err, rb.ID)
		}
	}

	// re-running every step changes nothing
	before := map[string]string{}
	for _, s := range []*site{office, a, b} {
		before[s.name] = snapshot(t, s)
	}
	usbRound(t, stick, office, a, b)
	res, err := office.n.ImportFrom(stick)
	if err != nil || res.Added != 0 {
		t.Fatalf("second import added %d (%v)", res.Added, err)
	}
	for _, s := range []*site{office, a, b} {
		if got := snapshot(t, s); got != before[s.name] {
			t.Errorf("%s changed by a second round:\n%s\nwant\n%s", s.name, got, before[s.name])
		}
	}
}

func TestBatchFileNames(t *testing.T) {
	for _, c := range []struct {
		name, kind, dev string
		want            bool
	}{
		{"up-dev-a-0000000001-0000000020.rsb", KindUp, "dev-a", true},
		{"up-dev-a-have.rsb", KindUp, "dev-a", true},
		{"up-dev-a-b-0000000001-0000000020.rsb", KindUp, "dev-a", false},
		{"up-dev-a-b-have.rsb", KindUp, "dev-a", false},
		{"up-dev-a-0000000001-0000000020.rsb", KindUp, "dev-a-b", false},
		{"down-dev-a-0001.rsb", KindDown, "dev-a", true},
		{"down-dev-a-b-0001.rsb", KindDown, "dev-a", false},
		{"down-dev-a-0001.rsb.tmp", KindDown, "dev-a", false},
		{".down-dev-a-0001.rsb.tmp-123", KindDown, "dev-a", false},
		{"down-dev-a-0001.rsb", KindUp, "dev-a", false},
	} {
		if got := isBatchFile(c.name, c.kind, c.dev); got != c.want {
			t.Errorf("isBatchFile(%q, %s, %s) = %v", c.name, c.kind, c.dev, got)
		}
	}
}
