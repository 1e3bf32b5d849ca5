package sync

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	gosync "sync"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// clock is a test clock shared by the stores and nodes of a test: every reading is 1 ms after
// the one before, so times are distinct and the run is deterministic.
type clock struct {
	mu gosync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 9, 15, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Millisecond)
	return c.t
}

// ids makes ids "prefix-000001", "prefix-000002"…
func ids(prefix string) func() string {
	var mu gosync.Mutex
	n := 0
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("%s-%06d", prefix, n)
	}
}

// site is one database with its sync node.
type site struct {
	name string
	path string
	st   *store.Store
	n    *Node
}

type world struct {
	t      testing.TB
	dir    string
	clock  *clock
	office *site
	opts   Options // node options for new sites (Now and NewID are set per site)
	noSync bool
}

func newWorld(t testing.TB) *world {
	return &world{t: t, dir: t.TempDir(), clock: newClock(), noSync: true}
}

func (w *world) open(name string, role store.Role) *site {
	w.t.Helper()
	path := filepath.Join(w.dir, name+".db")
	st, err := store.Create(path, store.Meta{Role: role, Ward: "Phường Demo", Area: household.AreaUrban,
		DeviceID: "dev-" + name, DeviceName: "Máy " + name, Surveyor: "ĐTV " + name},
		store.Options{Now: w.clock.Now, NewID: ids("rev-" + name), NoSync: w.noSync})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { st.Close() })
	return w.attach(name, path, st)
}

func (w *world) attach(name, path string, st *store.Store) *site {
	w.t.Helper()
	o := w.opts
	o.Now = w.clock.Now
	o.NewID = ids("batch-" + name)
	n, err := New(st, o)
	if err != nil {
		w.t.Fatal(err)
	}
	return &site{name: name, path: path, st: st, n: n}
}

// reopen closes a site's store and opens it again (as after a restart).
func (w *world) reopen(s *site) *site {
	w.t.Helper()
	s.st.Close()
	st, err := store.Open(s.path, store.Options{Now: w.clock.Now, NewID: ids("rev2-" + s.name), NoSync: w.noSync})
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() { st.Close() })
	return w.attach(s.name, s.path, st)
}

// newDiskOffice is newOffice with the office's store syncing to disk, as in the field, whatever
// the world does for its laptops.
func (w *world) newDiskOffice() *site {
	keep := w.noSync
	w.noSync = false
	defer func() { w.noSync = keep }()
	return w.newOffice("")
}

func (w *world) newOffice(addr string) *site {
	w.t.Helper()
	o := w.open("office", store.RoleOffice)
	if _, err := o.n.SetupOffice(); err != nil {
		w.t.Fatal(err)
	}
	w.office = o
	return o
}

// newLaptop makes a field laptop and enrolls it with the office: request, code, approval,
// package.
func (w *world) newLaptop(name, addr string) *site {
	w.t.Helper()
	l := w.open(name, store.RoleField)
	req, code, err := l.n.EnrollRequest()
	if err != nil {
		w.t.Fatal(err)
	}
	pkg, _, err := w.office.n.Approve(req, code, addr)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := l.n.InstallPackage(pkg); err != nil {
		w.t.Fatal(err)
	}
	return l
}

// households saves n demo households as drafts on the site and returns them.
func (s *site) households(t testing.TB, n int, seed uint64) []*household.Record {
	t.Helper()
	hs := demo.Households(demo.DefaultWard, n, seed)
	for _, h := range hs {
		if _, err := s.st.SaveDraft(h, s.name); err != nil {
			t.Fatal(err)
		}
	}
	return hs
}

// edit changes a household's address on the site and saves it.
func (s *site) edit(t testing.TB, id, address string) store.Revision {
	t.Helper()
	rec, _, err := s.st.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	rec.Address = address
	r, err := s.st.SaveDraft(rec, s.name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// revisions returns every revision of the site's store, by id.
func (s *site) revisions(t testing.TB) map[string]store.Revision {
	t.Helper()
	have, err := s.st.Devices()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Revision{}
	for d := range have {
		rs, err := s.st.RevisionsSince(d, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if _, dup := out[r.ID]; dup {
				t.Fatalf("%s: revision %s twice", s.name, r.ID)
			}
			out[r.ID] = r
		}
	}
	return out
}

// union is the revisions of all the sites, by id.
func union(t testing.TB, sites ...*site) map[string]store.Revision {
	out := map[string]store.Revision{}
	for _, s := range sites {
		for id, r := range s.revisions(t) {
			out[id] = r
		}
	}
	return out
}

// sameRevisions fails unless got holds exactly the revisions of want, with the same content.
func sameRevisions(t testing.TB, what string, got, want map[string]store.Revision) {
	t.Helper()
	var missing, extra []string
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			missing = append(missing, id)
			continue
		}
		if g.Hash != w.Hash || g.Device != w.Device || g.Seq != w.Seq || g.Parent != w.Parent ||
			!g.Time.Equal(w.Time) || g.Status != w.Status || !bytes.Equal(g.Record, w.Record) {
			t.Errorf("%s: revision %s differs", what, id)
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			extra = append(extra, id)
		}
	}
	slices.Sort(missing)
	slices.Sort(extra)
	if len(missing) > 0 || len(extra) > 0 {
		t.Fatalf("%s: %d revisions, want %d; missing %v; extra %v", what, len(got), len(want), head(missing), head(extra))
	}
}

func head(s []string) []string {
	if len(s) > 5 {
		return append(s[:5:5], "…")
	}
	return s
}

// snapshot is a digest of everything a store holds that sync may change: revisions, current
// state, conflicts, assignments and the sync state, for "re-running changes nothing".
func snapshot(t testing.TB, s *site) string {
	t.Helper()
	var b bytes.Buffer
	revs := s.revisions(t)
	keys := make([]string, 0, len(revs))
	for id := range revs {
		keys = append(keys, id)
	}
	slices.Sort(keys)
	for _, id := range keys {
		r := revs[id]
		fmt.Fprintf(&b, "rev %s %s %d %s %s\n", id, r.Device, r.Seq, r.Hash, r.Status)
	}
	sums, err := s.st.List()
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range sums {
		fmt.Fprintf(&b, "cur %s %s %v %s\n", x.ID, x.Status, x.Conflict, x.Address)
	}
	cs, err := s.st.Conflicts()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "conflicts %v\n", cs)
	as, err := s.st.Assignments()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "assignments %v\n", as)
	ack, _, err := s.st.Ack()
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.st.CountPendingBatches()
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "ack %d waiting %d\n", ack, n)
	return b.String()
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// recipient is the age recipient of batches sent to the node.
func (n *Node) recipient(t testing.TB) age.Recipient {
	_, id, ok, err := n.loadKeys()
	if err != nil || !ok {
		t.Fatal("no keys", err)
	}
	return id.(*age.HybridIdentity).Recipient()
}
