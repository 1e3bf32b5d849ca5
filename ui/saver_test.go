package ui

import (
	"sync"
	"testing"
	"time"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// TestSaverWritesTheLatestInOrder: changes made while a save runs are coalesced, the last one is
// always written, and saves never overlap.
func TestSaverWritesTheLatestInOrder(t *testing.T) {
	var jobs sync.WaitGroup
	var mu sync.Mutex
	var written []string
	running := 0
	s := newSaver(&jobs, func(r *household.Record) (store.Revision, error) {
		mu.Lock()
		running++
		if running > 1 {
			t.Error("two saves at once")
		}
		mu.Unlock()
		time.Sleep(5 * time.Millisecond) // a slow disk
		mu.Lock()
		written = append(written, r.Address)
		running--
		mu.Unlock()
		return store.Revision{}, nil
	}, nil)
	rec := &household.Record{ID: "x"}
	for _, a := range []string{"S", "Số", "Số ", "Số 1", "Số 12"} {
		rec.Address = a
		s.put(rec)
		time.Sleep(time.Millisecond)
	}
	rec.Address = "changed after put" // put took a copy
	s.wait()
	jobs.Wait()
	if len(written) == 0 || written[len(written)-1] != "Số 12" {
		t.Fatalf("written %q: the last change must be written last", written)
	}
	if len(written) >= 5 {
		t.Errorf("written %q: keystrokes during a save should be coalesced", written)
	}
	if s.pending() {
		t.Error("still pending after wait")
	}
}
