package store

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rasoat/rasoat/household"
)

// device makes a store of one device with its own id, clock and revision ids.
func device(t *testing.T, name string, role Role, c *clock) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), name+".db")
	s, err := Create(path, Meta{Role: role, DeviceID: "dev-" + name, DeviceName: name},
		Options{NoSync: true, Now: c.Now, NewID: ids("rev-" + name)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		checkFile(t, path)
	})
	return s
}

// pull copies into dst every revision of src's devices that dst lacks, the way sync will.
func pull(t *testing.T, dst, src *Store) int {
	t.Helper()
	have, err := dst.Devices()
	if err != nil {
		t.Fatal(err)
	}
	theirs, _ := src.Devices()
	var revs []Revision
	for dev := range theirs {
		rs, err := src.RevisionsSince(dev, have[dev])
		if err != nil {
			t.Fatal(err)
		}
		revs = append(revs, rs...)
	}
	n, err := dst.PutRevisions(revs)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// state is what two stores must agree on about a household.
func state(t *testing.T, s *Store, id string) string {
	t.Helper()
	rec, rev, err := s.Get(id)
	if err != nil && !isKind(err, ErrDeleted) {
		t.Fatal(err)
	}
	h, _ := s.History(id)
	var sum Summary
	l, _ := s.List()
	for _, x := range l {
		if x.ID == id {
			sum = x
		}
	}
	c, _ := s.Conflicts()
	return fmt.Sprintf("current %s %s\nrecord %s\nhistory %v\nsummary %+v\nconflicts %v",
		rev.ID, rev.Status, household.Encode(rec), revIDs(h), sum, c)
}

func TestSyncRevisionsAndConflicts(t *testing.T) {
	c := newClock()
	a := device(t, "a", RoleField, c)
	b := device(t, "b", RoleField, c)
	office := device(t, "office", RoleOffice, c)
	recs := households(3, 31)
	h := recs[0]

	// a surveys; the office and b get it
	for _, r := range recs {
		if _, err := a.SaveDraft(r, "A"); err != nil {
			t.Fatal(err)
		}
	}
	a.MarkComplete(h.ID, "A")
	if n := pull(t, office, a); n != 4 {
		t.Errorf("office got %d revisions, want 4", n)
	}
	if n := pull(t, office, a); n != 0 {
		t.Errorf("pulling again added %d", n)
	}
	pull(t, b, office)
	if state(t, b, h.ID) != state(t, a, h.ID) {
		t.Fatalf("b differs from a:\n%s\n%s", state(t, b, h.ID), state(t, a, h.ID))
	}
	if rs, _ := a.RevisionsSince("dev-a", 2); len(rs) != 2 || rs[0].Seq != 3 || rs[1].Seq != 4 {
		t.Errorf("RevisionsSince(a, 2) = %v", revIDs(rs))
	}
	if d, _ := office.Devices(); d["dev-a"] != 4 || len(d) != 1 {
		t.Errorf("office devices %v", d)
	}

	// a and b edit the same household at the same time
	ea := h.Clone()
	ea.Address = "sửa trên máy A"
	ra, _ := a.SaveDraft(ea, "A")
	eb := h.Clone()
	eb.Address = "sửa trên máy B"
	rb, _ := b.SaveDraft(eb, "B") // later by the clock
	if ra.Parent != rb.Parent {
		t.Fatal("not concurrent")
	}

	// two office copies receive them in opposite orders
	office2 := device(t, "office2", RoleOffice, c)
	pull(t, office2, office)
	pull(t, office, a)
	pull(t, office, b)
	pull(t, office2, b)
	pull(t, office2, a)
	s1, s2 := state(t, office, h.ID), state(t, office2, h.ID)
	if s1 != s2 {
		t.Fatalf("the order of arrival changed the result:\n%s\n---\n%s", s1, s2)
	}
	conf, _ := office.Conflicts()
	if !slices.Equal(conf, []string{h.ID}) {
		t.Fatalf("Conflicts = %v", conf)
	}
	got, cur, _ := office.Get(h.ID)
	if cur.ID != rb.ID || got.Address != "sửa trên máy B" {
		t.Errorf("provisional current %s %q, want b's later edit", cur.ID, got.Address)
	}
	l, _ := office.ListGroup(h.Group)
	for _, x := range l {
		if x.Conflict != (x.ID == h.ID) {
			t.Errorf("Summary.Conflict of %s = %v", x.ID, x.Conflict)
		}
	}
	if _, err := office.MarkComplete(h.ID, "office"); !isKind(err, ErrConflict) {
		t.Errorf("completing a conflict: %v", err)
	}
	if _, err := office.SetReview(h.ID, StatusApproved, "", "office"); !isKind(err, ErrConflict) {
		t.Errorf("approving a conflict: %v", err)
	}
	// an edit on top keeps the conflict: the other edit is not silently dropped
	e2 := eb.Clone()
	e2.Address = "sửa tiếp"
	if _, err := office2.SaveDraft(e2, "o2"); err != nil {
		t.Fatal(err)
	}
	if c, _ := office2.Conflicts(); len(c) != 1 {
		t.Errorf("office2 conflicts after an edit on top: %v", c)
	}

	// the office chooses a's version: a restore merging both heads
	res, err := office.Restore(h.ID, ra.ID, "office")
	if err != nil {
		t.Fatal(err)
	}
	if res.Parent != rb.ID || !slices.Equal(res.Merged, []string{ra.ID}) || res.Hash != ra.Hash {
		t.Errorf("merge revision %+v", res)
	}
	if c, _ := office.Conflicts(); len(c) != 0 {
		t.Errorf("conflicts after restore: %v", c)
	}
	if _, err := office.MarkComplete(h.ID, "office"); err != nil {
		t.Errorf("complete after resolving: %v", err)
	}
	// the resolution travels: a and b end where the office is
	pull(t, a, office)
	pull(t, b, office)
	pull(t, office, office2) // office2's edit on b's head: a new conflict in the office
	if c, _ := office.Conflicts(); len(c) != 1 {
		t.Errorf("office2's edit on the old head should conflict with the resolution: %v", c)
	}
	for _, s := range []*Store{a, b, office2} {
		pull(t, s, office)
	}
	want := state(t, office, h.ID)
	for _, s := range []*Store{a, b, office2} {
		if got := state(t, s, h.ID); got != want {
			t.Errorf("after full sync:\n%s\n---\n%s", got, want)
		}
	}
}

// TestPutRevisionsAnyOrder: the same revisions in any order give the same state, and
// children arriving before their parents do not become stale heads.
func TestPutRevisionsAnyOrder(t *testing.T) {
	c := newClock()
	a := device(t, "a", RoleField, c)
	h := households(1, 32)[0]
	a.SaveDraft(h, "A")
	for i := range 5 {
		e := h.Clone()
		e.Income.Value += int64(i + 1)
		a.SaveDraft(e, "A")
	}
	a.MarkComplete(h.ID, "A")
	a.Delete(h.ID, "A")
	a.Undelete(h.ID, "A")
	revs, _ := a.RevisionsSince("dev-a", 0)
	want := state(t, a, h.ID)
	orders := [][]Revision{slices.Clone(revs), slices.Clone(revs), slices.Clone(revs)}
	slices.Reverse(orders[1])
	orders[2] = append(append([]Revision{}, revs[3:]...), revs[:3]...)
	for i, order := range orders {
		s := device(t, fmt.Sprintf("x%d", i), RoleOffice, c)
		// one at a time, so each arrives in its own transaction
		for _, r := range order {
			if _, err := s.PutRevisions([]Revision{r}); err != nil {
				t.Fatal(err)
			}
		}
		if got := state(t, s, h.ID); got != want {
			t.Errorf("order %d:\n%s\n---\n%s", i, got, want)
		}
	}
}

func TestPutRevisionsRefusesBadOnes(t *testing.T) {
	c := newClock()
	a := device(t, "a", RoleField, c)
	o := device(t, "o", RoleOffice, c)
	recs := households(2, 33)
	a.SaveDraft(recs[0], "A")
	a.SaveDraft(recs[1], "A")
	revs, _ := a.RevisionsSince("dev-a", 0)

	bad := func(name string, change func(r *Revision)) {
		t.Helper()
		rs := []Revision{revs[0], revs[1]}
		rs[1].Record = slices.Clone(rs[1].Record)
		change(&rs[1])
		n, err := o.PutRevisions(rs)
		if err == nil || !isKind(err, ErrInvalid) || n != 0 {
			t.Errorf("%s: added %d, %v", name, n, err)
		}
		if l, _ := o.List(); len(l) != 0 {
			t.Errorf("%s: a refused batch was partly stored", name)
		}
	}
	bad("hash", func(r *Revision) { r.Hash = revs[0].Hash })
	bad("record changed", func(r *Revision) { r.Record[len(r.Record)-2] = ' ' })
	bad("record of another household", func(r *Revision) { r.HouseholdID = revs[0].HouseholdID })
	bad("status", func(r *Revision) { r.Status = "done" })
	bad("no seq", func(r *Revision) { r.Seq = 0 })
	bad("same device and seq", func(r *Revision) { r.Seq = 1 })
	bad("no device", func(r *Revision) { r.Device = "" })
	bad("control character", func(r *Revision) { r.ID = "a\x00b" })
	bad("parent is itself", func(r *Revision) { r.Parent = r.ID })

	if n, err := o.PutRevisions(revs); n != 2 || err != nil {
		t.Fatalf("good batch: %d %v", n, err)
	}
	// the same id with other content
	r := revs[1]
	r.Status = StatusComplete
	if _, err := o.PutRevisions([]Revision{r}); !isKind(err, ErrInvalid) {
		t.Errorf("same id, other content: %v", err)
	}
}

// TestOwnRevisionsComeBack: a device whose database is rebuilt from the office's revisions
// keeps numbering its revisions after the last one.
func TestOwnRevisionsComeBack(t *testing.T) {
	c := newClock()
	a := device(t, "a", RoleField, c)
	h := households(1, 34)[0]
	a.SaveDraft(h, "A")
	a.MarkComplete(h.ID, "A")
	revs, _ := a.RevisionsSince("dev-a", 0)

	path := filepath.Join(t.TempDir(), "a2.db")
	a2, err := Create(path, Meta{DeviceID: "dev-a"}, Options{NoSync: true, Now: c.Now, NewID: ids("rev-a2")})
	if err != nil {
		t.Fatal(err)
	}
	defer checkFile(t, path)
	defer a2.Close()
	a2.PutRevisions(revs)
	e := h.Clone()
	e.Address = "x"
	r, err := a2.SaveDraft(e, "A")
	if err != nil || r.Seq != 3 {
		t.Errorf("next revision has seq %d, want 3 (%v)", r.Seq, err)
	}
}

// TestConflictTieBreak: two heads with the same time: the larger revision id is current, in
// whichever order they arrive.
func TestConflictTieBreak(t *testing.T) {
	c := newClock()
	a := device(t, "a", RoleField, c)
	h := households(1, 35)[0]
	base, _ := a.SaveDraft(h, "A")
	mk := func(id, dev, addr string) Revision {
		e := h.Clone()
		e.Address = addr
		b := household.Encode(e)
		sum := hashOf(b)
		return Revision{ID: id, Parent: base.ID, HouseholdID: h.ID, Device: dev, Seq: 1, Time: base.Time.Add(time.Minute),
			Author: dev, Hash: hexHash(sum), Status: StatusDraft, Record: b}
	}
	x, y := mk("rev-x", "dev-x", "x"), mk("rev-y", "dev-y", "y")
	for i, order := range [][]Revision{{x, y}, {y, x}} {
		s := device(t, fmt.Sprintf("o%d", i), RoleOffice, c)
		if _, err := s.PutRevisions([]Revision{base}); err != nil {
			t.Fatal(err)
		}
		for _, r := range order {
			if _, err := s.PutRevisions([]Revision{r}); err != nil {
				t.Fatal(err)
			}
		}
		rec, rev, _ := s.Get(h.ID)
		if rev.ID != "rev-y" || rec.Address != "y" {
			t.Errorf("order %d: current %s", i, rev.ID)
		}
	}
}

// TestLastSeqAndPaging: LastSeq is the end of the run 1…n a store has of a device, as Devices
// says, and RevisionsSinceLimit pages through a device's revisions in order.
func TestLastSeqAndPaging(t *testing.T) {
	c := newClock()
	a := device(t, "a", RoleField, c)
	for _, h := range households(7, 36) {
		if _, err := a.SaveDraft(h, "A"); err != nil {
			t.Fatal(err)
		}
	}
	all, err := a.RevisionsSince("dev-a", 0)
	if err != nil || len(all) != 7 {
		t.Fatal(len(all), err)
	}
	seqs := func(rs []Revision) []uint64 {
		var out []uint64
		for _, r := range rs {
			out = append(out, r.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		after uint64
		limit int
		want  []uint64
	}{
		{0, 0, []uint64{1, 2, 3, 4, 5, 6, 7}},
		{0, 3, []uint64{1, 2, 3}},
		{2, 3, []uint64{3, 4, 5}},
		{5, 3, []uint64{6, 7}},
		{6, -1, []uint64{7}},
		{7, 3, nil},
		{^uint64(0), 3, nil},
	} {
		rs, err := a.RevisionsSinceLimit("dev-a", tc.after, tc.limit)
		if err != nil || !slices.Equal(seqs(rs), tc.want) {
			t.Errorf("after %d limit %d: %v %v, want %v", tc.after, tc.limit, seqs(rs), err, tc.want)
		}
		for i, r := range rs {
			if want := all[r.Seq-1]; r.ID != want.ID || string(r.Record) != string(want.Record) {
				t.Errorf("after %d limit %d: revision %d is %s, want %s", tc.after, tc.limit, i, r.ID, want.ID)
			}
		}
	}

	o := device(t, "o", RoleOffice, c)
	check := func(when string, want uint64) {
		t.Helper()
		n, err := o.LastSeq("dev-a")
		devs, _ := o.Devices()
		if err != nil || n != want || devs["dev-a"] != want {
			t.Errorf("%s: LastSeq %d (%v), Devices %d, want %d", when, n, err, devs["dev-a"], want)
		}
	}
	check("empty", 0)
	if n, err := o.LastSeq("dev-nobody"); n != 0 || err != nil {
		t.Errorf("unknown device: %d %v", n, err)
	}
	put := func(rs ...Revision) {
		t.Helper()
		if _, err := o.PutRevisions(rs); err != nil {
			t.Fatal(err)
		}
	}
	put(all[1], all[2])
	check("without the first", 0)
	put(all[0], all[4], all[5])
	check("with a gap after 3", 3)
	put(all[3])
	check("gap filled", 6)
	put(all[6])
	check("all", 7)
}

// TestPutRevisionsLargeBatch: a batch larger than the checker's chunks, where most records
// are shared by two revisions (a draft and its completion): every revision is checked on its
// own, a bad one anywhere refuses the whole batch, and a good batch is stored exactly.
func TestPutRevisionsLargeBatch(t *testing.T) {
	c := newClock()
	a := device(t, "a", RoleField, c)
	hs := households(150, 38)
	for _, h := range hs {
		if _, err := a.SaveDraft(h, "A"); err != nil {
			t.Fatal(err)
		}
	}
	for _, h := range hs {
		if _, err := a.MarkComplete(h.ID, "A"); err != nil {
			t.Fatal(err)
		}
	}
	revs, _ := a.RevisionsSince("dev-a", 0)
	if len(revs) != 300 || revs[299].Hash != revs[149].Hash {
		t.Fatalf("%d revisions; the last does not share its record with its draft", len(revs))
	}
	o := device(t, "o", RoleOffice, c)
	bad := func(name string, i int, change func(r *Revision)) {
		t.Helper()
		rs := slices.Clone(revs)
		rs[i].Record = slices.Clone(rs[i].Record)
		change(&rs[i])
		if n, err := o.PutRevisions(rs); n != 0 || !isKind(err, ErrInvalid) || !strings.Contains(err.Error(), rs[i].ID) {
			t.Errorf("%s: added %d, %v", name, n, err)
		}
		if l, _ := o.List(); len(l) != 0 {
			t.Errorf("%s: %d households stored", name, len(l))
		}
	}
	// the completion claims its draft's record for another household
	bad("shared record, other household", 299, func(r *Revision) { r.HouseholdID = hs[0].ID })
	bad("shared record, bad status", 200, func(r *Revision) { r.Status = "done" })
	bad("shared record changed", 180, func(r *Revision) { r.Record[len(r.Record)-2] = ' ' })
	bad("draft changed", 40, func(r *Revision) { r.Record[len(r.Record)-2] = ' ' })
	bad("draft not canonical", 41, func(r *Revision) {
		r.Record = append([]byte(" "), r.Record...)
		r.Hash = hexHash(hashOf(r.Record))
	})
	if n, err := o.PutRevisions(revs); n != 300 || err != nil {
		t.Fatalf("good batch: %d %v", n, err)
	}
	for _, h := range []string{hs[0].ID, hs[77].ID, hs[149].ID} {
		if got, want := state(t, o, h), state(t, a, h); got != want {
			t.Errorf("%s:\n%s\nwant\n%s", h, got, want)
		}
	}
	if n, err := o.PutRevisions(revs); n != 0 || err != nil {
		t.Fatalf("again: %d %v", n, err)
	}
}

// TestPutRevisionsOneBatchInAnyOrder: a whole history (edits, a conflict between two
// devices, its resolution, a deletion and its undoing, a second household) stored in one
// batch, in any order, gives the state of the store that made it, as one revision at a time
// does: the households' derived state is settled once, at the end of the batch.
func TestPutRevisionsOneBatchInAnyOrder(t *testing.T) {
	c := newClock()
	a := device(t, "a", RoleOffice, c)
	b := device(t, "b", RoleField, c)
	hs := households(2, 39)
	h, g := hs[0], hs[1]
	a.SaveDraft(h, "A")
	a.SaveDraft(g, "A")
	pull(t, b, a)
	for i := range 3 {
		e := h.Clone()
		e.Address = fmt.Sprintf("A %d", i)
		a.SaveDraft(e, "A")
	}
	e := h.Clone()
	e.Address = "B"
	e.Members[0].Name = "Tên Mới Hoàn Toàn"
	rb, err := b.SaveDraft(e, "B")
	if err != nil {
		t.Fatal(err)
	}
	pull(t, a, b)
	if cs, _ := a.Conflicts(); !slices.Equal(cs, []string{h.ID}) {
		t.Fatalf("conflicts %v", cs)
	}
	if _, err := a.Restore(h.ID, rb.ID, "A"); err != nil {
		t.Fatal(err)
	}
	a.MarkComplete(h.ID, "A")
	a.Delete(g.ID, "A")
	a.Undelete(g.ID, "A")
	a.Delete(g.ID, "A")
	want := map[string]string{h.ID: state(t, a, h.ID), g.ID: state(t, a, g.ID)}
	wantSearch := searchIDs(t, a, "ten moi hoan toan")
	if len(wantSearch) != 1 {
		t.Fatalf("search on the source: %v", wantSearch)
	}

	var revs []Revision
	for _, dev := range []string{"dev-a", "dev-b"} {
		rs, err := a.RevisionsSince(dev, 0)
		if err != nil {
			t.Fatal(err)
		}
		revs = append(revs, rs...)
	}
	if len(revs) != 11 {
		t.Fatalf("%d revisions", len(revs))
	}
	orders := [][]Revision{slices.Clone(revs), slices.Clone(revs), slices.Clone(revs), slices.Clone(revs)}
	slices.Reverse(orders[1])
	orders[2] = append(append([]Revision{}, revs[5:]...), revs[:5]...)
	for i := range orders[3] { // interleaved from both ends
		j := i / 2
		if i%2 == 1 {
			j = len(revs) - 1 - i/2
		}
		orders[3][i] = revs[j]
	}
	for i, order := range orders {
		s := device(t, fmt.Sprintf("x%d", i), RoleOffice, c)
		if n, err := s.PutRevisions(order); err != nil || n != len(revs) {
			t.Fatalf("order %d: %d %v", i, n, err)
		}
		for id, w := range want {
			if got := state(t, s, id); got != w {
				t.Errorf("order %d, %s:\n%s\n---\n%s", i, id, got, w)
			}
		}
		if got := searchIDs(t, s, "ten moi hoan toan"); !slices.Equal(got, wantSearch) {
			t.Errorf("order %d: search %v, want %v", i, got, wantSearch)
		}
		if got := searchIDs(t, s, "A 1"); len(got) != 0 {
			t.Errorf("order %d: an address that is no longer current is found: %v", i, got)
		}
	}
}
