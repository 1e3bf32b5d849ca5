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
	bad := func(vi, en string, args ...any) error {
		return errorf(ErrInvalid, nil, "phiên bản %q: "+vi, "revision %q: "+en, append([]any{r.ID}, args...)...)
	}
	var h [32]byte
	for _, k := range []struct{ name, v string }{{"id", r.ID}, {"household", r.HouseholdID}, {"device", r.Device}} {
		if k.v == "" || checkKey(k.name, k.v, maxIDLen) != nil {
			return nil, h, bad("%s trống, dài quá hoặc có ký tự điều khiển", "%s is empty, too long or holds a control character", k.name)
		}
	}
	for _, p := range r.parents() {
		if checkKey("parent", p, maxIDLen) != nil || p == r.ID {
			return nil, h, bad("phiên bản cha %q không hợp lệ", "parent %q is not valid", p)
		}
	}
	if r.Seq == 0 {
		return nil, h, bad("thiếu số thứ tự", "the sequence number is missing")
	}
	if !validStatus(r.Status) {
		return nil, h, bad("trạng thái %q không hợp lệ", "status %q is not valid", r.Status)
	}
	if r.Time.IsZero() {
		return nil, h, bad("thiếu thời gian", "the time is missing")
	}
	h = hashOf(r.Record)
	if want, ok := parseHash(r.Hash); !ok || want != h {
		return nil, h, bad("mã băm %q không khớp nội dung", "hash %q does not match the record", r.Hash)
	}
	rec, ps := household.Decode(r.Record)
	if len(ps) > 0 {
		return nil, h, errorf(ErrInvalid, ps, "phiên bản %q: nội dung phiếu không đọc được", "revision %q: the record cannot be read", r.ID)
	}
	if rec.ID != r.HouseholdID {
		return nil, h, bad("nội dung là của hộ %q", "the record is of household %q", rec.ID)
	}
	var canon []byte
	if buf != nil {
		canon = household.AppendRecord((*buf)[:0], rec)
		*buf = canon
	} else {
		canon = household.Encode(rec)
	}
	if !bytes.Equal(canon, r.Record) {
		return nil, h, bad("nội dung phiếu không ở dạng chuẩn", "the record is not in canonical form")
	}
	return rec, h, nil
}

// checked is a revision from elsewhere after checkRevision: its record's hash and what the
// derived state takes from the record, or why it was refused.
type checked struct {
	h    [32]byte
	info *recInfo
	err  error
}

// checkAll checks revisions from elsewhere, on every processor: decoding the records is most
// of the work of storing them. It runs outside the write transaction, which it does not hold
// up.
func checkAll(revs []Revision) []checked {
	out := make([]checked, len(revs))
	const chunk = 32
	one := func(i int, buf *[]byte) {
		rec, h, err := checkRevision(&revs[i], buf)
		out[i] = checked{h: h, err: err}
		if err == nil {
			out[i].info = infoOf(rec)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), (len(revs)+chunk-1)/chunk)
	if workers <= 1 {
		var buf []byte
		for i := range revs {
			one(i, &buf)
		}
		return out
	}
	var next atomic.Int64
	var wg gosync.WaitGroup
	for range workers {
		wg.Go(func() {
			var buf []byte
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(revs) {
					return
				}
				for i := start; i < min(start+chunk, len(revs)); i++ {
					one(i, &buf)
				}
			}
		})
	}
	wg.Wait()
	return out
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
		have, hh, ok := decodeRev(r.ID, v)
		if !ok {
			return false, errorf(ErrCorrupt, nil, "phiên bản %s không đọc được", "revision %s cannot be read", r.ID)
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
	checks := checkAll(revs)
	err = s.updateTxn(func(t *txn) error {
		added = 0
		t.buffer()
		for i := range revs {
			ok, err := t.putRevision(&revs[i], &checks[i])
			if err != nil {
				return err
			}
			if ok {
				added++
			}
		}
		if err := t.flush(); err != nil {
			return err
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
