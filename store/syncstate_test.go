package store

import (
	"bytes"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func syncTestStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.db")
	s, err := Create(path, Meta{Role: RoleOffice, Ward: "W"}, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func TestSyncStateKeysAreMadeOnce(t *testing.T) {
	s, path := syncTestStore(t)
	if _, ok, err := s.SyncKeys(); ok || err != nil {
		t.Fatalf("keys before init: %v %v", ok, err)
	}
	if _, err := s.InitSyncKeys(SyncKeys{}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty keys: %v", err)
	}
	k1 := SyncKeys{WardID: "w1", SignKey: []byte{1, 2, 3}, AgeIdentity: "AGE-1", Created: time.Unix(5, 0).UTC()}
	got, err := s.InitSyncKeys(k1)
	if err != nil || got.WardID != "w1" {
		t.Fatal(got, err)
	}
	got, err = s.InitSyncKeys(SyncKeys{WardID: "w2", SignKey: []byte{9}, AgeIdentity: "AGE-2"})
	if err != nil || got.WardID != "w1" || !bytes.Equal(got.SignKey, k1.SignKey) {
		t.Fatalf("keys replaced: %+v %v", got, err)
	}
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, ok, err := s2.SyncKeys()
	if !ok || err != nil || got.AgeIdentity != "AGE-1" || !got.Created.Equal(k1.Created) {
		t.Fatalf("after reopening: %+v %v %v", got, ok, err)
	}
}

func TestSyncStateDevices(t *testing.T) {
	s, _ := syncTestStore(t)
	if err := s.PutSyncDevice(SyncDevice{ID: "bad\x00id"}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("bad id: %v", err)
	}
	for _, id := range []string{"b", "a"} {
		if err := s.PutSyncDevice(SyncDevice{ID: id, Name: "máy " + id, SignKey: []byte(id)}); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := s.SyncDevices()
	if err != nil || len(ds) != 2 || ds[0].ID != "a" || ds[1].Name != "máy b" {
		t.Fatalf("%+v %v", ds, err)
	}
	if _, err := s.RevokeSyncDevice("nobody", time.Now()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoke unknown: %v", err)
	}
	at := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	if d, err := s.RevokeSyncDevice("a", at); err != nil || !d.Revoked.Equal(at) {
		t.Fatal(d, err)
	}
	if d, err := s.RevokeSyncDevice("a", at.Add(time.Hour)); err != nil || !d.Revoked.Equal(at) {
		t.Fatalf("second revocation moved the time: %v %v", d.Revoked, err)
	}
	d, ok, err := s.SyncDevice("a")
	if !ok || err != nil || d.Revoked.IsZero() {
		t.Fatal(d, ok, err)
	}
	if _, ok, _ := s.SyncDevice("zz"); ok {
		t.Fatal("unknown device found")
	}
}

func TestSyncStateAckStampsAndPeers(t *testing.T) {
	s, _ := syncTestStore(t)
	if seq, stamp, err := s.Ack(); seq != 0 || stamp != 0 || err != nil {
		t.Fatal(seq, stamp, err)
	}
	for _, c := range []struct {
		seq    uint64
		stamp  int64
		taken  bool
		wantSq uint64
	}{{5, 10, true, 5}, {9, 9, false, 5}, {3, 11, true, 3}, {7, 11, true, 7}} {
		ok, err := s.SetAck(c.seq, c.stamp)
		if err != nil || ok != c.taken {
			t.Fatalf("SetAck(%d,%d) = %v %v", c.seq, c.stamp, ok, err)
		}
		if seq, _, _ := s.Ack(); seq != c.wantSq {
			t.Fatalf("after SetAck(%d,%d): %d", c.seq, c.stamp, seq)
		}
	}
	if moved, _ := s.AdvanceSyncStamp("x", 5); !moved {
		t.Fatal("first stamp")
	}
	if moved, _ := s.AdvanceSyncStamp("x", 5); moved {
		t.Fatal("equal stamp moved")
	}
	if v, _ := s.SyncStamp("x"); v != 5 {
		t.Fatal(v)
	}
	if err := s.MergePeerHave("p", map[string]uint64{"a": 3, "b": 7}); err != nil {
		t.Fatal(err)
	}
	if err := s.NoteBatchFrom("p", map[string]uint64{"a": 5, "b": 2}, time.Unix(100, 0)); err != nil {
		t.Fatal(err)
	}
	if err := s.MergePeerHave("pq", map[string]uint64{"a": 99}); err != nil {
		t.Fatal(err)
	}
	h, err := s.PeerHave("p")
	if err != nil || len(h) != 2 || h["a"] != 5 || h["b"] != 7 {
		t.Fatalf("peer have %v %v", h, err)
	}
	if tm, _ := s.SyncTime("seen/p"); !tm.Equal(time.Unix(100, 0)) {
		t.Fatal(tm)
	}
	if tm, _ := s.SyncTime("never"); !tm.IsZero() {
		t.Fatal(tm)
	}
}

func TestSyncStatePendingAndEnrollment(t *testing.T) {
	s, _ := syncTestStore(t)
	if n, _ := s.CountPendingBatches(); n != 0 {
		t.Fatal(n)
	}
	for _, id := range []string{"b2", "b1", "b2"} {
		if err := s.PutPendingBatch(id, []byte("data-"+id)); err != nil {
			t.Fatal(err)
		}
	}
	ps, err := s.PendingBatches()
	if err != nil || len(ps) != 2 || ps[0].ID != "b1" || string(ps[1].Data) != "data-b2" {
		t.Fatalf("%+v %v", ps, err)
	}
	if ids, err := s.PendingBatchIDs(); err != nil || !slices.Equal(ids, []string{"b1", "b2"}) {
		t.Fatalf("ids %v %v", ids, err)
	}
	if d, ok, err := s.PendingBatch("b2"); !ok || err != nil || string(d) != "data-b2" {
		t.Fatalf("b2: %q %v %v", d, ok, err)
	}
	if d, ok, err := s.PendingBatch("b3"); ok || err != nil || d != nil {
		t.Fatalf("b3: %q %v %v", d, ok, err)
	}
	if err := s.DeletePendingBatch("b1"); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.CountPendingBatches(); n != 1 {
		t.Fatal(n)
	}
	if _, ok, _ := s.Enrollment(); ok {
		t.Fatal("enrollment before set")
	}
	if err := s.SetEnrollment([]byte("pkg")); err != nil {
		t.Fatal(err)
	}
	if p, ok, err := s.Enrollment(); !ok || err != nil || string(p) != "pkg" {
		t.Fatal(string(p), ok, err)
	}
}

// TestPutRevisionsWith: the revisions and the sync state written by extra commit together, or
// neither does.
func TestPutRevisionsWith(t *testing.T) {
	c := newClock()
	a := device(t, "a", RoleField, c)
	for _, h := range households(3, 37) {
		if _, err := a.SaveDraft(h, "A"); err != nil {
			t.Fatal(err)
		}
	}
	revs, _ := a.RevisionsSince("dev-a", 0)
	o := device(t, "o", RoleOffice, c)
	if err := o.SetAssignment(Assignment{Surveyor: "old", Groups: []string{"Tổ 1"}}); err != nil {
		t.Fatal(err)
	}
	if err := o.PutPendingBatch("waiting", []byte("x")); err != nil {
		t.Fatal(err)
	}
	record := func(x *SyncTx) error {
		if _, err := x.SetAck(7, 70); err != nil {
			return err
		}
		if err := x.NoteBatchFrom("dev-a", map[string]uint64{"dev-a": 3}, time.Unix(200, 0)); err != nil {
			return err
		}
		if _, err := x.AdvanceSyncStamp("assignments", 70); err != nil {
			return err
		}
		if err := x.SetAssignments([]Assignment{{Surveyor: "new", Households: []string{"H1"}}}); err != nil {
			return err
		}
		return x.DeletePendingBatch("waiting")
	}

	// extra fails: nothing of either is written
	boom := errors.New("boom")
	n, err := o.PutRevisionsWith(revs, func(tx *bolt.Tx) error {
		x, err := o.SyncTx(tx)
		if err != nil {
			return err
		}
		if err := record(x); err != nil {
			return err
		}
		return boom
	})
	if n != 0 || !errors.Is(err, boom) {
		t.Fatalf("failing extra: %d %v", n, err)
	}
	if l, _ := o.List(); len(l) != 0 {
		t.Errorf("failing extra: %d households stored", len(l))
	}
	if seq, _, _ := o.Ack(); seq != 0 {
		t.Errorf("failing extra: ack %d recorded", seq)
	}
	if k, _ := o.CountPendingBatches(); k != 1 {
		t.Errorf("failing extra: %d batches waiting, want 1", k)
	}

	// a bad revision: extra does not run, nothing is written
	bad := slices.Clone(revs)
	bad[2].Hash = bad[1].Hash
	ran := false
	if n, err := o.PutRevisionsWith(bad, func(*bolt.Tx) error { ran = true; return nil }); n != 0 || !errors.Is(err, ErrInvalid) || ran {
		t.Fatalf("bad revision: %d %v, extra ran %v", n, err, ran)
	}

	// a transaction that is not this store's
	if _, err := o.PutRevisionsWith(nil, func(*bolt.Tx) error {
		return a.update(func(tx *bolt.Tx) error { _, err := o.SyncTx(tx); return err })
	}); !errors.Is(err, ErrInvalid) {
		t.Errorf("another store's transaction: %v", err)
	}

	// both commit
	n, err = o.PutRevisionsWith(revs, func(tx *bolt.Tx) error {
		x, err := o.SyncTx(tx)
		if err != nil {
			return err
		}
		return record(x)
	})
	if n != 3 || err != nil {
		t.Fatalf("good batch: %d %v", n, err)
	}
	if l, _ := o.List(); len(l) != 3 {
		t.Errorf("%d households stored, want 3", len(l))
	}
	if seq, stamp, _ := o.Ack(); seq != 7 || stamp != 70 {
		t.Errorf("ack %d %d", seq, stamp)
	}
	if h, _ := o.PeerHave("dev-a"); h["dev-a"] != 3 {
		t.Errorf("peer have %v", h)
	}
	if tm, _ := o.SyncTime("seen/dev-a"); !tm.Equal(time.Unix(200, 0)) {
		t.Errorf("seen %v", tm)
	}
	if v, _ := o.SyncStamp("assignments"); v != 70 {
		t.Errorf("stamp %d", v)
	}
	if as, _ := o.Assignments(); len(as) != 1 || as[0].Surveyor != "new" || !slices.Equal(as[0].Households, []string{"H1"}) {
		t.Errorf("assignments %+v", as)
	}
	if k, _ := o.CountPendingBatches(); k != 0 {
		t.Errorf("%d batches waiting, want 0", k)
	}
	// again: nothing new, and the sync state is still written
	n, err = o.PutRevisionsWith(revs, func(tx *bolt.Tx) error {
		x, err := o.SyncTx(tx)
		if err != nil {
			return err
		}
		_, err = x.SetAck(8, 80)
		return err
	})
	if seq, _, _ := o.Ack(); n != 0 || err != nil || seq != 8 {
		t.Errorf("again: %d %v, ack %d", n, err, seq)
	}
}
