package ui

import (
	"sync"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// saver writes drafts off the UI goroutine, one at a time and always the latest: while one save
// runs, newer copies replace each other and only the last is written next. So every change is
// saved at once without the form ever waiting for the disk, and a crash loses at most the
// change being typed.
type saver struct {
	jobs  *sync.WaitGroup // counts the saving goroutine while it runs
	save  func(*household.Record) (store.Revision, error)
	done  func(store.Revision, error) // called on the saving goroutine after each save
	mu    sync.Mutex
	idle  *sync.Cond
	next  *household.Record
	busy  bool
	saved int
	err   error // the last save's error: nil once a later save succeeds
}

func newSaver(jobs *sync.WaitGroup, save func(*household.Record) (store.Revision, error), done func(store.Revision, error)) *saver {
	s := &saver{jobs: jobs, save: save, done: done}
	s.idle = sync.NewCond(&s.mu)
	return s
}

// put queues a copy of the record for saving; the caller keeps editing its own.
func (s *saver) put(rec *household.Record) {
	c := rec.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next = c
	if !s.busy {
		s.busy = true
		s.jobs.Add(1)
		go s.run()
	}
}

func (s *saver) run() {
	for {
		s.mu.Lock()
		rec := s.next
		s.next = nil
		if rec == nil {
			s.busy = false
			s.idle.Broadcast()
			s.mu.Unlock()
			s.jobs.Done()
			return
		}
		s.mu.Unlock()
		rev, err := s.save(rec)
		s.mu.Lock()
		s.saved++
		s.err = err
		s.mu.Unlock()
		if s.done != nil {
			s.done(rev, err)
		}
	}
}

// wait blocks until every queued copy is written, and returns the error of the last save: not
// nil means the latest changes are not stored.
func (s *saver) wait() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.busy {
		s.idle.Wait()
	}
	return s.err
}

// pending reports whether a save is queued or running.
func (s *saver) pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busy
}
