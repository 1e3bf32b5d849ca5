package store

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
)

// clock is a test clock that moves one second per reading.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 9, 15, 8, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// ids makes predictable ids: prefix-1, prefix-2…
func ids(prefix string) func() string {
	var mu sync.Mutex
	n := 0
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("%s-%04d", prefix, n)
	}
}

// testOptions are the options of most tests: a test clock and no fsync (the crash tests sync).
func testOptions() Options {
	return Options{Now: newClock().Now, NoSync: true}
}

// newTestStore creates a store in a temporary directory. When the test ends the store is
// closed, opened again and verified (bbolt's tx.Check and the store's own checks).
func newTestStore(t testing.TB, role Role) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rasoat.db")
	s, err := Create(path, Meta{Role: role, Ward: demo.DefaultWard.Name, Area: household.AreaUrban, DeviceName: "test"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		checkFile(t, path)
	})
	return s
}

// checkFile opens a database file and verifies it.
func checkFile(t testing.TB, path string) {
	t.Helper()
	s, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Errorf("opening %s again: %v", path, err)
		return
	}
	defer s.Close()
	if rep, err := s.Verify(); err != nil {
		t.Errorf("verify %s: %v\n%s", path, err, joinLines(rep.Errors))
	}
}

func joinLines(ss []string) string {
	var b bytes.Buffer
	for _, s := range ss {
		b.WriteString("  " + s + "\n")
	}
	return b.String()
}

// jsonl encodes records as a JSON Lines file.
func jsonl(recs []*household.Record) []byte {
	var b bytes.Buffer
	for _, r := range recs {
		b.Write(household.Encode(r))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func households(n int, seed uint64) []*household.Record {
	return demo.Households(demo.DefaultWard, n, seed)
}

func mustImport(t testing.TB, s *Store, data []byte) ImportReport {
	t.Helper()
	rep, err := s.Import(bytes.NewReader(data), ImportOptions{Author: "test"})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return rep
}

func isKind(err error, kind *Error) bool { return errors.Is(err, kind) }
