package store

import (
	"bytes"
	"runtime"
	gosync "sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

// checkRevision checks a revision that comes from another store: ids usable as keys, a known
// status, a time, a record that decodes, is canonical, belongs to the household and has the
// stated hash. buf, when not nil, is scratch space for the canonical form, kept for the next
// call.
func checkRevision(r *Revision, buf *[]byte) (*household.Record, [32]byte, error) {
	if err := checkHeader(r); err != nil {
		return nil, [32]byte{}, err
	}
	rec, h, err := checkRecord(r, buf)
	if err != nil {
		return nil, h, err
	}
	if err := checkOwner(r, rec.ID); err != nil {
		return nil, h, err
	}
	return rec, h, nil
}

func badRevision(r *Revision, vi, en string, args ...any) error {
	return errorf(ErrInvalid, nil, "phiên bản %q: "+vi, "revision %q: "+en, append([]any{r.ID}, args...)...)
}

// checkHeader checks what a revision says of itself.
func checkHeader(r *Revision) error {
	for _, k := range []struct{ name, v string }{{"id", r.ID}, {"household", r.HouseholdID}, {"device", r.Device}} {
		if k.v == "" || checkKey(k.name, k.v, maxIDLen) != nil {
			return badRevision(r, "%s trống, dài quá hoặc có ký tự điều khiển", "%s is empty, too long or holds a control character", k.name)
		}
	}
	for _, p := range r.parents() {
		if checkKey("parent", p, maxIDLen) != nil || p == r.ID {
			return badRevision(r, "phiên bản cha %q không hợp lệ", "parent %q is not valid", p)
		}
	}
	if r.Seq == 0 {
		return badRevision(r, "thiếu số thứ tự", "the sequence number is missing")
	}
	if !validStatus(r.Status) {
		return badRevision(r, "trạng thái %q không hợp lệ", "status %q is not valid", r.Status)
	}
	if r.Time.IsZero() {
		return badRevision(r, "thiếu thời gian", "the time is missing")
	}
	return nil
}

// checkRecord checks a revision's record: the stated hash, and bytes that decode and are the
// canonical form of what they decode to.
func checkRecord(r *Revision, buf *[]byte) (*household.Record, [32]byte, error) {
	h := hashOf(r.Record)
	if want, ok := parseHash(r.Hash); !ok || want != h {
		return nil, h, badRevision(r, "mã băm %q không khớp nội dung", "hash %q does not match the record", r.Hash)
	}
	rec, ps := household.Decode(r.Record)
	if len(ps) > 0 {
		return nil, h, errorf(ErrInvalid, ps, "phiên bản %q: nội dung phiếu không đọc được", "revision %q: the record cannot be read", r.ID)
	}
	var canon []byte
	if buf != nil {
		canon = household.AppendRecord((*buf)[:0], rec)
		*buf = canon
	} else {
		canon = household.Encode(rec)
	}
	if !bytes.Equal(canon, r.Record) {
		return nil, h, badRevision(r, "nội dung phiếu không ở dạng chuẩn", "the record is not in canonical form")
	}
	return rec, h, nil
}

// checkOwner checks that the record is of the revision's household.
func checkOwner(r *Revision, recID string) error {
	if recID != r.HouseholdID {
		return badRevision(r, "nội dung là của hộ %q", "the record is of household %q", recID)
	}
	return nil
}

// checked is a revision from elsewhere after the checks of checkRevision: its record's hash
// and what the derived state takes from the record, or why it was refused.
type checked struct {
	h      [32]byte
	recID  string
	info   *recInfo
	recErr error // of the record alone (checkRecord), shared by revisions with the same bytes
	err    error
}

// checker checks revisions from elsewhere on every processor while the write transaction
// stores those already checked: decoding the records is most of the work of storing them. A
// record that several revisions share (a status change keeps the content) is decoded once.
type checker struct {
	revs  []Revision
	out   []checked
	twin  []int           // an earlier revision with the same record bytes, or -1
	last  []bool          // the last revision of its household in the batch
	done  []chan struct{} // closed when a chunk of revisions is checked
	next  atomic.Int64
	stop  atomic.Bool
	wg    gosync.WaitGroup
	chunk int
}

func newChecker(revs []Revision) *checker {
	c := &checker{revs: revs, out: make([]checked, len(revs)), twin: make([]int, len(revs)),
		last: make([]bool, len(revs)), chunk: 16}
	first := make(map[string]int, len(revs))
	lastOf := make(map[string]int, len(revs))
	for i := range revs {
		lastOf[revs[i].HouseholdID] = i
		c.twin[i] = -1
		if j, ok := first[revs[i].Hash]; ok && bytes.Equal(revs[j].Record, revs[i].Record) {
			c.twin[i] = j
		} else if !ok {
			first[revs[i].Hash] = i
		}
	}
	for _, i := range lastOf {
		c.last[i] = true
	}
	n := (len(revs) + c.chunk - 1) / c.chunk
	c.done = make([]chan struct{}, n)
	for i := range c.done {
		c.done[i] = make(chan struct{})
	}
	for range min(runtime.GOMAXPROCS(0), n) {
		c.wg.Go(c.work)
	}
	return c
}

func (c *checker) work() {
	var buf []byte
	for !c.stop.Load() {
		k := int(c.next.Add(1)) - 1
		if k >= len(c.done) {
			return
		}
		for i := k * c.chunk; i < min((k+1)*c.chunk, len(c.revs)); i++ {
			c.one(i, &buf)
		}
		close(c.done[k])
	}
}

func (c *checker) one(i int, buf *[]byte) {
	r, out := &c.revs[i], &c.out[i]
	if j := c.twin[i]; j >= 0 {
		// the same bytes as an earlier revision, whose chunk was taken before this one's
		if j/c.chunk != i/c.chunk {
			<-c.done[j/c.chunk]
		}
		t := &c.out[j]
		out.h, out.recID, out.info, out.recErr = t.h, t.recID, t.info, t.recErr
	} else {
		rec, h, err := checkRecord(r, buf)
		out.h, out.recErr = h, err
		if err == nil {
			out.recID, out.info = rec.ID, infoOf(rec)
		}
	}
	out.err = checkHeader(r)
	if out.err == nil {
		out.err = out.recErr
	}
	if out.err == nil {
		out.err = checkOwner(r, out.recID)
	}
	if out.err == nil && c.last[i] {
		// most likely the household's current record: its search words are folded here,
		// on every processor, rather than in the transaction (revisions that share this
		// record are all of this household, and this is the last of them)
		out.info.tokens()
	}
}

// wait returns the checks of revision i, once made.
func (c *checker) wait(i int) *checked {
	<-c.done[i/c.chunk]
	return &c.out[i]
}

// close stops the workers and waits for them.
func (c *checker) close() {
	c.stop.Store(true)
	c.wg.Wait()
}

// putRevision adds a revision from elsewhere, checked by checkRevision, unless the store has
// it; it reports whether it was new. A revision id already present with other content is an
// error. r.Record must not change until the transaction ends.
func (t *txn) putRevision(r *Revision, c *checked) (bool, error) {
	if c.err != nil {
		return false, c.err
	}
	h := c.h
	if v := t.get(t.byID, []byte(r.ID)); v != nil {
		have, hh, err := t.decodeRev([]byte(r.ID), v)
		if err != nil {
			return false, err
		}
		if hh != h || have.HouseholdID != r.HouseholdID || have.Device != r.Device || have.Seq != r.Seq ||
			have.Status != r.Status || have.Deleted != r.Deleted || !have.Time.Equal(r.Time) {
			return false, errorf(ErrInvalid, nil, "phiên bản %s đã có với nội dung khác", "revision %s is already stored with other content", r.ID)
		}
		return false, nil
	}
	dk := key([]byte(r.Device), u64(r.Seq))
	if v := t.get(t.byDevice, dk); v != nil {
		return false, errorf(ErrInvalid, nil, "thiết bị %s đã có phiên bản số %d (%s), khác %s",
			"device %s already has revision number %d (%s), not %s", r.Device, r.Seq, v, r.ID)
	}
	cr := *r
	cr.Time = cr.Time.UTC()
	if err := t.add(&cr, h, r.Record, c.info); err != nil {
		return false, err
	}
	// revisions of this device coming back (from a backup, or the office) keep its numbering
	if cr.Device == string(t.get(t.meta, kDeviceID)) {
		if v := t.get(t.meta, kSeq); len(v) == 8 && cr.Seq > beUint64(v) {
			if err := t.put(t.meta, kSeq, u64(cr.Seq)); err != nil {
				return false, err
			}
		}
	}
	return true, nil
}

// PutRevisions stores revisions made by other stores, in one transaction: all or none. It is
// idempotent: revisions already present are skipped. Each must carry its record, whose hash
// must match. Revisions may come in any order; a household whose revisions end in two heads
// is in conflict (see Conflicts) and shows the later head, by time then revision id, until a
// Restore merges the heads. revs must not change until it returns.
func (s *Store) PutRevisions(revs []Revision) (added int, err error) {
	return s.PutRevisionsWith(revs, nil)
}

// PutRevisionsWith is PutRevisions with more writes in the same transaction: extra, when not
// nil, runs after the revisions are stored and before the commit, and an error from it undoes
// them. Sync uses it so that a batch's revisions and what it records about the batch (see
// SyncTx) are written together, with one sync to disk. extra must not use the Store's own
// methods (they would wait for this transaction) nor keep tx.
func (s *Store) PutRevisionsWith(revs []Revision, extra func(tx *bolt.Tx) error) (added int, err error) {
	chk := newChecker(revs)
	defer chk.close()
	err = s.updateTxn(func(t *txn) error {
		added = 0
		t.buffer()
		t.deferDerived()
		for i := range revs {
			ok, err := t.putRevision(&revs[i], chk.wait(i))
			if err != nil {
				return err
			}
			if ok {
				added++
			}
		}
		if err := t.settleLater(); err != nil {
			return err
		}
		if err := t.flush(); err != nil {
			return err
		}
		if len(revs) > 0 {
			if err := s.appendAudit(t.tx, AuditEntry{Action: AuditSync, Count: added, Detail: revDevices(revs)}); err != nil {
				return err
			}
		}
		if extra != nil {
			return extra(t.tx)
		}
		return nil
	})
	if err != nil {
		added = 0
	}
	return added, err
}

// RevisionsSince returns the revisions a device made after its sequence number afterSeq, in
// order, with their records: what another store lacks when it has that device's revisions up
// to afterSeq.
func (s *Store) RevisionsSince(device string, afterSeq uint64) ([]Revision, error) {
	return s.RevisionsSinceLimit(device, afterSeq, 0)
}

// RevisionsSinceLimit is RevisionsSince returning at most limit revisions (all of them when
// limit ≤ 0): the first ones after afterSeq, in order, so that a batch of a few hundred is
// read without loading everything that follows it.
func (s *Store) RevisionsSinceLimit(device string, afterSeq uint64, limit int) ([]Revision, error) {
	var out []Revision
	if afterSeq == ^uint64(0) {
		return nil, nil
	}
	err := s.viewTxn(func(t *txn) error {
		p := prefix(device)
		c := t.byDevice.Cursor()
		for k, v := c.Seek(key([]byte(device), u64(afterSeq+1))); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if limit > 0 && len(out) == limit {
				break
			}
			r, _, err := t.fullRev(string(v))
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}

// LastSeq returns the sequence number up to which the store has every revision of a device
// (1…n without a gap; 0 when it has none, or not the first): what Devices says of that
// device, reading only that device's keys.
func (s *Store) LastSeq(device string) (uint64, error) {
	var n uint64
	err := s.viewTxn(func(t *txn) error {
		var err error
		n, err = t.lastSeq(device)
		return err
	})
	return n, err
}

// lastSeq walks a device's keys from its first revision to the first gap.
func (t *txn) lastSeq(device string) (uint64, error) {
	p := prefix(device)
	var n uint64
	c := t.byDevice.Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		if len(k) != len(p)+8 {
			return 0, errorf(ErrCorrupt, nil, "khóa thiết bị hỏng", "a device key is damaged")
		}
		if beUint64(k[len(p):]) != n+1 {
			break
		}
		n++
	}
	return n, nil
}

// Devices returns every device that made revisions in this store with the sequence number up
// to which the store has all of that device's revisions (1…n without a gap): the "what I
// have" of a sync.
func (s *Store) Devices() (map[string]uint64, error) {
	out := map[string]uint64{}
	err := s.viewTxn(func(t *txn) error {
		c := t.byDevice.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			i := bytes.IndexByte(k, 0)
			if i < 0 || len(k) != i+9 {
				return errorf(ErrCorrupt, nil, "khóa thiết bị hỏng", "a device key is damaged")
			}
			dev, seq := string(k[:i]), beUint64(k[i+1:])
			if hw, ok := out[dev]; !ok && seq == 1 || ok && seq == hw+1 {
				out[dev] = seq
			} else if !ok {
				out[dev] = 0
			}
		}
		return nil
	})
	return out, err
}
