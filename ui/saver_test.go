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
	s := newSaver(&jobs, nil, func(r *household.Record) (store.Revision, error) {
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

// TestSaverHoldsKeystrokes: keystrokes are written at most every typingSave while typing, the
// latest each time; a change saved at once (put) takes the held copy's place, and wait writes
// what is held.
func TestSaverHoldsKeystrokes(t *testing.T) {
	var jobs sync.WaitGroup
	var mu sync.Mutex
	var written []string
	clock := &fakeClock{}
	s := newSaver(&jobs, clock.after, func(r *household.Record) (store.Revision, error) {
		mu.Lock()
		written = append(written, r.Address)
		mu.Unlock()
		return store.Revision{}, nil
	}, nil)
	rec := &household.Record{ID: "x"}
	typed := ""
	for _, r := range "Số 12 ngõ 5 phố Hàng Bạc" { // 24 keys, one each 250 ms
		typed += string(r)
		rec.Address = typed
		s.hold(rec)
		clock.advance(250 * time.Millisecond)
		jobs.Wait()
	}
	// 6 s of typing: written at 1.5, 3, 4.5 and 6 s, each time what was typed by then
	if len(written) != 4 || written[0] != "Số 12 " || written[3] != typed || s.pending() {
		t.Errorf("written while typing: %q", written)
	}
	rec.Address = "Số 12 ngõ 5 phố Hàng Bạc, Hoàn Kiếm"
	s.hold(rec)
	rec.Address = "Số 14"
	s.put(rec) // a choice made: written at once, the held copy with it
	jobs.Wait()
	clock.advance(time.Hour)
	jobs.Wait()
	if got := written[len(written)-1]; got != "Số 14" || len(written) != 5 {
		t.Errorf("after put: written %q", written)
	}
	rec.Address = "Số 16"
	s.hold(rec)
	if !s.pending() {
		t.Error("a held copy is pending")
	}
	if err := s.wait(); err != nil || written[len(written)-1] != "Số 16" || s.pending() {
		t.Errorf("wait did not write the held copy: %q", written)
	}
	clock.advance(time.Hour)
	jobs.Wait()
	if len(written) != 6 {
		t.Errorf("the timer of a copy already written wrote again: %q", written)
	}
}
