package store

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"
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
