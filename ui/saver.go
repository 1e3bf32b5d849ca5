package ui

import (
	"sync"
	"time"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// typingSave is how long the keystrokes in one text question are held before their draft is
// written: while the surveyor types, a draft at most this often, not one per key.
const typingSave = 1500 * time.Millisecond

// afterFunc runs f once d has passed, on its own goroutine, unless stop is called first:
// time.AfterFunc, or a test's clock.
type afterFunc func(d time.Duration, f func()) (stop func() bool)

func realAfter(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// saver writes drafts off the UI goroutine, one at a time and always the latest: while one save
// runs, newer copies replace each other and only the last is written next. So the form never
// waits for the disk.
//
// Each stored draft is a revision kept in the household's history and sent to the office, so
// keystrokes are not saved one by one: hold keeps the copy typed so far and writes it once
// typingSave has passed (at most that often while typing); put writes at once (a question left,
// a choice made) and takes the held copy's place. wait, which every path that leaves the form,
// locks, completes, deletes or closes goes through, writes the held copy first: nothing typed
// is left behind, and a crash loses at most the last typingSave of typing.
type saver struct {
	jobs  *sync.WaitGroup // counts the saving goroutine while it runs
	after afterFunc
	save  func(*household.Record) (store.Revision, error)
	done  func(store.Revision, error) // called on the saving goroutine after each save
	mu    sync.Mutex
	idle  *sync.Cond
	held  *household.Record // typed, to be written when the timer fires or at the next put/flush
	timer func() bool       // stops the timer of held; nil when none runs
	next  *household.Record
	busy  bool
	saved int
	err   error // the last save's error: nil once a later save succeeds
}

// newSaver makes a saver; after nil means time.AfterFunc.
func newSaver(jobs *sync.WaitGroup, after afterFunc, save func(*household.Record) (store.Revision, error), done func(store.Revision, error)) *saver {
	if after == nil {
		after = realAfter
	}
	s := &saver{jobs: jobs, after: after, save: save, done: done}
	s.idle = sync.NewCond(&s.mu)
	return s
}

// put queues a copy of the record for saving at once; the caller keeps editing its own.
func (s *saver) put(rec *household.Record) {
	c := rec.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropHeld()
	s.queue(c)
}

// hold keeps a copy of the record being typed, written typingSave after the first keystroke
// not yet saved (or sooner by put, flush or wait).
func (s *saver) hold(rec *household.Record) {
	c := rec.Clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.held = c
	if s.timer == nil {
		s.timer = s.after(typingSave, s.flush)
	}
}

// flush queues the copy held, if any, for saving at once.
func (s *saver) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.held; c != nil {
		s.dropHeld()
		s.queue(c)
	}
}

// dropHeld forgets the copy held and its timer; s.mu is held.
func (s *saver) dropHeld() {
	s.held = nil
	if s.timer != nil {
		s.timer()
		s.timer = nil
	}
}

// queue makes c the next copy written; s.mu is held.
func (s *saver) queue(c *household.Record) {
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

// wait writes the copy held, blocks until every queued copy is written, and returns the error
// of the last save: not nil means the latest changes are not stored.
func (s *saver) wait() error {
	s.flush()
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.busy {
		s.idle.Wait()
	}
	return s.err
}

// pending reports whether a save is held, queued or running.
func (s *saver) pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.busy || s.held != nil
}
