package store

import (
	"bytes"
	"encoding/binary"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/seal"
)

// Revision is one immutable save of a household. A household's revisions form a graph by
// their parents; a revision without children is a head, and a household with two heads
// (edits made concurrently on two devices) is in conflict until a restore merges them.
type Revision struct {
	ID          string
	Parent      string // the revision this one was made from; "" for the first
	HouseholdID string
	Device      string // id of the device that made it
	Seq         uint64 // that device's sequence number, 1, 2, 3…, without gaps
	Time        time.Time
	Author      string
	Hash        string // hex SHA-256 of Record
	Status      string // StatusDraft, StatusComplete, StatusApproved, StatusReturned
	Comment     string // the office's comment when approving or returning
	Deleted     bool   // a tombstone: the household is deleted (Record keeps its last content)
	Record      []byte // canonical household.Encode bytes

	Merged   []string // further parents: the other heads of a conflict this revision resolves
	Restored string   // for a restore, the revision whose record was copied
}

func (r *Revision) parents() []string {
	var ps []string
	if r.Parent != "" {
		ps = append(ps, r.Parent)
	}
	return append(ps, r.Merged...)
}

// txn is one transaction with the buckets of the current schema at hand.
type txn struct {
	s  *Store
	tx *bolt.Tx
	kr *seal.Keyring // the data key of an encrypted database, nil otherwise (encrypt.go)

	meta, byID, byDevice, byHousehold, children, blobs *bolt.Bucket
	current, order                                     *bolt.Bucket
	group, status, surveyor, conflict                  *bolt.Bucket
	assignments                                        *bolt.Bucket

	wb  *writeBuffer // see wbuf.go
	log *searchLog   // the changes of a write transaction for the search index (search.go)

	later    *deferred // see deferDerived
	noRecord bool      // local leaves the record out of the revision it returns (Import)
	noAudit  bool      // local writes no audit entry per revision (Import writes one for all)
	scratch  []byte    // reused by checks within the transaction
	slab     []byte    // see mem
}

func (s *Store) txn(tx *bolt.Tx) (*txn, error) {
	t := &txn{s: s, tx: tx}
	if tx.Writable() {
		t.log = s.wlog
	}
	if s.encrypted.Load() {
		if t.kr = s.kr.Load(); t.kr == nil {
			return nil, errorf(ErrEncrypted, nil, "", "")
		}
	}
	missing := ""
	top := func(name []byte) *bolt.Bucket {
		b := tx.Bucket(name)
		if b == nil && missing == "" {
			missing = string(name)
		}
		return b
	}
	sub := func(parent *bolt.Bucket, name []byte) *bolt.Bucket {
		if parent == nil {
			return nil
		}
		b := parent.Bucket(name)
		if b == nil && missing == "" {
			missing = string(name)
		}
		return b
	}
	t.meta = top(bMeta)
	revs := top(bRevisions)
	t.byID, t.byDevice, t.byHousehold = sub(revs, bByID), sub(revs, bByDevice), sub(revs, bByHousehold)
	t.children, t.blobs = sub(revs, bChildren), sub(revs, bBlobs)
	hh := top(bHouseholds)
	t.current, t.order = sub(hh, bCurrent), sub(hh, bOrder)
	idx := top(bIndex)
	t.group, t.status, t.surveyor = sub(idx, bGroup), sub(idx, bStatus), sub(idx, bSurveyor)
	t.conflict = sub(idx, bConflict)
	t.assignments = top(bAssignments)
	if missing != "" {
		return nil, errorf(ErrCorrupt, nil, "thiếu nhóm dữ liệu %q", "bucket %q is missing", missing)
	}
	return t, nil
}

// mem returns an empty slice with room for n bytes that stay valid until the transaction
// ends, cut from larger blocks: keys are many and small, and bbolt keeps them until the
// commit.
func (t *txn) mem(n int) []byte {
	if cap(t.slab)-len(t.slab) < n {
		t.slab = make([]byte, 0, max(n, 32<<10))
	}
	k := t.slab[len(t.slab) : len(t.slab) : len(t.slab)+n]
	t.slab = t.slab[:len(t.slab)+n]
	return k
}

// key is key(first, rest…) in memory of the transaction (mem).
func (t *txn) key(first string, rest ...[]byte) []byte {
	n := len(first) + len(rest)
	for _, p := range rest {
		n += len(p)
	}
	k := append(t.mem(n), first...)
	for _, p := range rest {
		k = append(append(k, 0), p...)
	}
	return k
}

// viewTxn and updateTxn run one transaction with the buckets at hand.
func (s *Store) viewTxn(fn func(*txn) error) error {
	return s.view(func(tx *bolt.Tx) error {
		t, err := s.txn(tx)
		if err != nil {
			return err
		}
		return fn(t)
	})
}

func (s *Store) updateTxn(fn func(*txn) error) error {
	return s.update(func(tx *bolt.Tx) error {
		t, err := s.txn(tx)
		if err != nil {
			return err
		}
		return fn(t)
	})
}

// cur returns the derived state of a household; ok is false when the store has no such
// household.
func (t *txn) cur(id string) (current, bool, error) {
	v := t.get(t.current, []byte(id))
	if v == nil {
		return current{}, false, nil
	}
	v, err := openValue(t.kr, ctxCur, []byte(id), v)
	if err != nil {
		return current{}, false, err
	}
	c, ok := decodeCur(v)
	if !ok {
		return c, false, errorf(ErrCorrupt, nil, "trạng thái hộ %s không đọc được", "the state of household %s cannot be read", id)
	}
	return c, true, nil
}

// mustCur is cur for operations on an existing household.
func (t *txn) mustCur(id string) (current, error) {
	c, ok, err := t.cur(id)
	if err == nil && !ok {
		err = errorf(ErrNotFound, nil, "hộ %s", "household %s", id)
	}
	return c, err
}

// rev returns a revision's header and its record's hash.
func (t *txn) rev(id string) (Revision, [32]byte, error) {
	v := t.get(t.byID, []byte(id))
	if v == nil {
		return Revision{}, [32]byte{}, errorf(ErrNotFound, nil, "phiên bản %s", "revision %s", id)
	}
	return t.decodeRev([]byte(id), v)
}

// decodeRev opens and decodes a stored revision header.
func (t *txn) decodeRev(id, v []byte) (Revision, [32]byte, error) {
	v, err := openValue(t.kr, ctxRev, id, v)
	if err != nil {
		return Revision{}, [32]byte{}, err
	}
	r, h, ok := decodeRev(string(id), v)
	if !ok {
		return r, h, errorf(ErrCorrupt, nil, "phiên bản %s không đọc được", "revision %s cannot be read", id)
	}
	return r, h, nil
}

// blob returns the record bytes of a hash; they belong to the transaction.
func (t *txn) blob(h [32]byte) ([]byte, error) {
	b := t.get(t.blobs, h[:])
	if b == nil {
		return nil, errorf(ErrCorrupt, nil, "thiếu nội dung phiếu %x", "the record %x is missing", h[:6])
	}
	return openValue(t.kr, ctxBlob, h[:], b)
}

// fullRev returns a revision with a copy of its record bytes.
func (t *txn) fullRev(id string) (Revision, [32]byte, error) {
	r, h, err := t.rev(id)
	if err != nil {
		return r, h, err
	}
	b, err := t.blob(h)
	if err != nil {
		return r, h, err
	}
	r.Record = bytes.Clone(b)
	return r, h, nil
}

// decodeBlob decodes stored record bytes, which were valid JSON of the format when stored.
func decodeBlob(b []byte, h [32]byte) (*household.Record, error) {
	rec, ps := household.Decode(b)
	if len(ps) > 0 {
		return nil, errorf(ErrCorrupt, ps, "nội dung phiếu %x không đọc được", "the record %x cannot be read", h[:6])
	}
	return rec, nil
}

func (t *txn) hasChild(id string) bool {
	if t.wb != nil && t.wb.parents[id] {
		return true
	}
	p := prefix(id)
	k, _ := t.children.Cursor().Seek(p)
	return k != nil && bytes.HasPrefix(k, p)
}

// add stores a new revision (its id not yet in the store) with its record bytes, and brings
// the derived state of its household up to date. info is what the derived state takes from
// the record, when the caller has it. recBytes must not change until the transaction ends.
func (t *txn) add(r *Revision, h [32]byte, recBytes []byte, info *recInfo) error {
	if err := t.put(t.byID, []byte(r.ID), sealValue(t.kr, ctxRev, []byte(r.ID), encodeRev(r, h))); err != nil {
		return err
	}
	if t.get(t.blobs, h[:]) == nil {
		if err := t.put(t.blobs, h[:], sealValue(t.kr, ctxBlob, h[:], recBytes)); err != nil {
			return err
		}
	}
	return t.derive(r, h, info)
}

// derive files a stored revision in the derived buckets: by device, by household, children,
// the household's heads and current state, and the indexes.
func (t *txn) derive(r *Revision, h [32]byte, info *recInfo) error {
	id := []byte(r.ID)
	dk := t.key(r.Device, u64(r.Seq))
	if v := t.get(t.byDevice, dk); v != nil && !bytes.Equal(v, id) {
		return errorf(ErrInvalid, nil, "thiết bị %s đã có phiên bản số %d (%s), khác %s",
			"device %s already has revision number %d (%s), not %s", r.Device, r.Seq, v, r.ID)
	}
	if err := t.put(t.byDevice, dk, id); err != nil {
		return err
	}
	hid := []byte(r.HouseholdID)
	hk := append(append(t.mem(len(hid)+9+len(id)), hid...), 0)
	hk = append(binary.BigEndian.AppendUint64(hk, uint64(r.Time.UnixNano())^1<<63), id...) // timeKey
	if err := t.put(t.byHousehold, hk, nil); err != nil {
		return err
	}
	parents := r.parents()
	for _, p := range parents {
		if err := t.put(t.children, t.key(p, id), hid); err != nil {
			return err
		}
	}

	if d := t.later; d != nil {
		p := d.hh[r.HouseholdID]
		if p == nil {
			old, exists, err := t.cur(r.HouseholdID)
			if err != nil {
				return err
			}
			p = &laterHousehold{old: old, exists: exists, nc: old}
			d.hh[r.HouseholdID] = p
			d.order = append(d.order, r.HouseholdID)
		}
		p.nc.Heads = t.newHeads(p.nc.Heads, r, parents)
		if info != nil {
			d.infos[r.ID] = info
		}
		d.revs[r.ID] = laterRev{*r, h}
		return nil
	}
	old, exists, err := t.cur(r.HouseholdID)
	if err != nil {
		return err
	}
	nc := old
	nc.Heads = t.newHeads(old.Heads, r, parents)
	return t.settle(hid, &old, exists, &nc, r, h, info)
}

// newHeads returns the heads of a household that had heads when revision r, with those
// parents, arrives: its parents are heads no more, and it is one unless a revision already
// stored is its child. They are sorted by later().
func (t *txn) newHeads(heads []head, r *Revision, parents []string) []head {
	var out []head
	for _, hd := range heads {
		if !slices.Contains(parents, hd.ID) {
			out = append(out, hd)
		}
	}
	if !t.hasChild(r.ID) || len(out) == 0 {
		out = append(out, head{ID: r.ID, Time: r.Time})
	}
	slices.SortFunc(out, func(a, b head) int {
		if later(a, b) {
			return -1
		}
		if later(b, a) {
			return 1
		}
		return 0
	})
	return out
}

// settle brings the rest of a household's derived state in line with its new heads (nc,
// changed from old, which exists or not): the current revision's fields when the first head
// changed, its place in the order, the indexes, the current state. r, when not nil, is the
// revision just stored, with h and info (nil: read from the store).
func (t *txn) settle(hid []byte, old *current, exists bool, nc *current, r *Revision, h [32]byte, info *recInfo) error {
	var err error
	if first := nc.Heads[0].ID; !exists || first != old.Rev {
		var cr Revision
		var ch [32]byte
		if r != nil && first == r.ID {
			cr, ch = *r, h
		} else {
			info = nil
			if lr, ok := t.later.rev(first); ok {
				cr, ch, info = lr.r, lr.h, t.later.infos[first]
			} else if cr, ch, err = t.rev(first); err != nil {
				return err
			}
		}
		if info == nil {
			if info, err = t.blobInfo(ch); err != nil {
				return err
			}
		}
		nc.fill(&cr, ch, info)
	}
	if !exists {
		if nc.Order, err = t.order.NextSequence(); err != nil {
			return err
		}
		if err := t.put(t.order, u64(nc.Order), hid); err != nil {
			return err
		}
	}
	var oldp *current
	if exists {
		oldp = old
	}
	if err := t.reindex(hid, oldp, nc); err != nil {
		return err
	}
	t.noteSearch(hid, nc)
	return t.put(t.current, hid, sealValue(t.kr, ctxCur, hid, encodeCur(nc)))
}

// A transaction that stores many revisions (PutRevisions) defers the derived state of their
// households until all are stored (settleLater): a household with several new revisions gets
// its current state, search words and indexes once, from its final heads.
type deferred struct {
	hh    map[string]*laterHousehold
	order []string            // households in the order their first revision came
	infos map[string]*recInfo // of the revisions stored, by id
	revs  map[string]laterRev // the revisions stored, by id: settle need not read them back
}

type laterRev struct {
	r Revision
	h [32]byte
}

// rev returns a revision stored in this transaction (d may be nil).
func (d *deferred) rev(id string) (laterRev, bool) {
	if d == nil {
		return laterRev{}, false
	}
	lr, ok := d.revs[id]
	return lr, ok
}

type laterHousehold struct {
	old    current // as stored before
	exists bool
	nc     current // with the new heads
}

// deferDerived makes derive defer the households' state until settleLater.
func (t *txn) deferDerived() {
	t.later = &deferred{hh: map[string]*laterHousehold{}, infos: map[string]*recInfo{}, revs: map[string]laterRev{}}
}

// settleLater settles the deferred households, in the order they came, and ends deferring.
func (t *txn) settleLater() error {
	d := t.later
	if d == nil {
		return nil
	}
	for _, id := range d.order {
		p := d.hh[id]
		if err := t.settle([]byte(id), &p.old, p.exists, &p.nc, nil, [32]byte{}, nil); err != nil {
			return err
		}
	}
	t.later = nil
	return nil
}

// recInfo is what the derived state of a household takes from its current record.
type recInfo struct {
	Group, Address, Surveyor, HeadName string
	Members                            int
	Round                              string         // survey.round
	Date                               household.Date // survey.date
	texts                              []string       // the texts of the search words
	words                              []string
	folded                             bool
}

func infoOf(rec *household.Record) *recInfo {
	texts := make([]string, 0, len(rec.Members)+2)
	texts = append(texts, rec.HeadName())
	for i := range rec.Members {
		texts = append(texts, rec.Members[i].Name)
	}
	texts = append(texts, rec.Address)
	return &recInfo{Group: rec.Group, Address: rec.Address, Surveyor: rec.Survey.Surveyor,
		HeadName: rec.HeadName(), Members: len(rec.Members), Round: rec.Survey.Round, Date: rec.Survey.Date,
		texts: texts}
}

// searchTokens are the search words of a household: names of its members, head first, and its
// address.
func searchTokens(rec *household.Record) []string { return infoOf(rec).tokens() }

// tokens returns the search words of the household (names of its members, head first, and its
// address), folded the first time they are asked for: only for the records that become
// current.
func (i *recInfo) tokens() []string {
	if !i.folded {
		i.words, i.folded = Tokens(i.texts...), true
	}
	return i.words
}

// blobInfo decodes stored record bytes for the derived state.
func (t *txn) blobInfo(h [32]byte) (*recInfo, error) {
	b, err := t.blob(h)
	if err != nil {
		return nil, err
	}
	rec, err := decodeBlob(b, h)
	if err != nil {
		return nil, err
	}
	return infoOf(rec), nil
}

// fill sets the fields of the current state taken from the current revision and its record.
func (c *current) fill(r *Revision, h [32]byte, info *recInfo) {
	c.Rev, c.Hash = r.ID, h
	c.Status, c.Comment, c.Author = r.Status, r.Comment, r.Author
	c.Updated, c.Deleted = r.Time, r.Deleted
	c.Group, c.Address, c.Surveyor = info.Group, info.Address, info.Surveyor
	c.HeadName, c.Members = info.HeadName, info.Members
	c.Round, c.Date = info.Round, info.Date
	c.Tokens = nil
	if !r.Deleted {
		c.Tokens = info.tokens()
	}
}

// reindex moves a household's index entries from its old state (nil: new household) to the
// new one. Deleted households are in no index but the conflict index.
func (t *txn) reindex(hid []byte, old, nc *current) error {
	oldIn := old != nil && !old.Deleted
	newIn := !nc.Deleted
	var o current
	if old != nil {
		o = *old
	}
	type entry struct {
		b       *bolt.Bucket
		was, is string
		value   func() []byte
		changed bool // the value changed though the key did not
	}
	entries := []entry{
		{t.group, o.Group, nc.Group, func() []byte { return groupValue(nc) }, o.Status != nc.Status || o.Round != nc.Round},
		{t.status, o.Status, nc.Status, nil, false},
		{t.surveyor, o.Surveyor, nc.Surveyor, nil, false},
	}
	for _, e := range entries {
		if oldIn && (!newIn || e.was != e.is) {
			if err := t.del(e.b, t.key(e.was, hid)); err != nil {
				return err
			}
		}
		if newIn && (!oldIn || e.was != e.is || e.changed) {
			var v []byte
			if e.value != nil {
				v = e.value()
			}
			if err := t.put(e.b, t.key(e.is, hid), v); err != nil {
				return err
			}
		}
	}
	wasC, isC := len(o.Heads) > 1, len(nc.Heads) > 1
	if wasC && !isC {
		return t.del(t.conflict, hid)
	}
	if isC && !wasC {
		return t.put(t.conflict, hid, nil)
	}
	return nil
}

// local makes a new revision of this device for a household (old is nil for a new one) and
// stores it. With merge, the other heads of a conflict become further parents.
func (t *txn) local(hid string, old *current, recBytes []byte, h [32]byte, rec *household.Record,
	status, comment, author string, deleted, merge bool, restored string) (Revision, error) {
	dev := string(t.get(t.meta, kDeviceID))
	sv := t.get(t.meta, kSeq)
	if dev == "" || len(sv) != 8 {
		return Revision{}, errorf(ErrCorrupt, nil, "thiếu mã thiết bị", "the device id is missing")
	}
	seq := beUint64(sv) + 1
	if err := t.put(t.meta, kSeq, u64(seq)); err != nil {
		return Revision{}, err
	}
	now := time.Unix(0, t.s.now().UnixNano()).UTC()
	r := Revision{ID: t.s.newID(), HouseholdID: hid, Device: dev, Seq: seq, Author: author,
		Hash: hexHash(h), Status: status, Comment: comment, Deleted: deleted, Restored: restored}
	if old != nil {
		r.Parent = old.Rev
		for _, hd := range old.Heads {
			// a revision is never older than what it replaces, even if the clock went back
			if !now.After(hd.Time) {
				now = hd.Time.Add(time.Nanosecond)
			}
			if merge && hd.ID != old.Rev {
				r.Merged = append(r.Merged, hd.ID)
			}
		}
	}
	r.Time = now
	if r.ID == "" || t.get(t.byID, []byte(r.ID)) != nil {
		return Revision{}, errorf(ErrInvalid, nil, "mã phiên bản %q trùng hoặc trống", "revision id %q is empty or taken", r.ID)
	}
	var info *recInfo
	if rec != nil {
		info = infoOf(rec)
	}
	if err := t.add(&r, h, recBytes, info); err != nil {
		return Revision{}, err
	}
	if err := t.auditLocal(&r, old, recBytes, rec, merge); err != nil {
		return Revision{}, err
	}
	if !t.noRecord {
		r.Record = bytes.Clone(recBytes)
	}
	return r, nil
}

// currentRev returns the household's current revision with its record bytes.
func (t *txn) currentRev(c *current) (Revision, error) {
	r, _, err := t.fullRev(c.Rev)
	return r, err
}
