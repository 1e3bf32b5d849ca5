package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"

	"github.com/rasoat/rasoat/household"
)

// The values of the store are written in a small binary format: unsigned varints, strings as a
// varint length and the bytes, times as signed varint Unix nanoseconds. Every value begins with
// a format byte so a later schema can read the older form.

type enc struct{ b []byte }

func (e *enc) byte(c byte)      { e.b = append(e.b, c) }
func (e *enc) uvar(v uint64)    { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) svar(v int64)     { e.b = binary.AppendVarint(e.b, v) }
func (e *enc) raw(p []byte)     { e.b = append(e.b, p...) }
func (e *enc) time(t time.Time) { e.svar(t.UnixNano()) }
func (e *enc) str(s string)     { e.uvar(uint64(len(s))); e.b = append(e.b, s...) }
func (e *enc) strs(ss []string) {
	e.uvar(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}
func (e *enc) bool(v bool)      { e.byte(b2i(v)) }
func (e *enc) fixed(p [32]byte) { e.b = append(e.b, p[:]...) }

// date writes a calendar date as three unsigned varints (year, month, day); the zero date is
// 0, 0, 0.
func (e *enc) date(d household.Date) {
	e.uvar(uint64(uint16(d.Y)))
	e.uvar(uint64(uint8(d.M)))
	e.uvar(uint64(uint8(d.D)))
}
func b2i(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// dec reads what enc wrote; the first error sticks and later reads return zero values.
type dec struct {
	b   []byte
	bad bool
}

func (d *dec) byte() byte {
	if len(d.b) < 1 {
		d.bad = true
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *dec) uvar() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) svar() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.bad = true
		d.b = nil
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) time() time.Time { return time.Unix(0, d.svar()).UTC() }

func (d *dec) bytes(n uint64) []byte {
	if uint64(len(d.b)) < n {
		d.bad = true
		d.b = nil
		return nil
	}
	p := d.b[:n]
	d.b = d.b[n:]
	return p
}

// str copies a string out of the (transaction-owned) buffer.
func (d *dec) str() string { return string(d.bytes(d.uvar())) }

func (d *dec) strs() []string {
	n := d.uvar()
	if n > uint64(len(d.b)) {
		d.bad = true
		return nil
	}
	var out []string
	if n > 0 {
		out = make([]string, n)
	}
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *dec) bool() bool { return d.byte() != 0 }

func (d *dec) date() household.Date {
	y, m, day := d.uvar(), d.uvar(), d.uvar()
	if y > 9999 || m > 12 || day > 31 {
		d.bad = true
		return household.Date{}
	}
	return household.Date{Y: int16(y), M: int8(m), D: int8(day)}
}

func (d *dec) fixed() (h [32]byte) {
	copy(h[:], d.bytes(32))
	return h
}

// u64 is a big-endian uint64 key: it sorts as the number does.
func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// timeKey is a time as 8 bytes that sort in time order (sign bit flipped).
func timeKey(t time.Time) []byte { return u64(uint64(t.UnixNano()) ^ 1<<63) }

// key joins key parts with a 0 byte, which ids, groups and tokens never contain.
func key(parts ...[]byte) []byte {
	n := len(parts) - 1
	for _, p := range parts {
		n += len(p)
	}
	k := make([]byte, 0, n)
	for i, p := range parts {
		if i > 0 {
			k = append(k, 0)
		}
		k = append(k, p...)
	}
	return k
}

// prefix is a key part followed by the separator: the start of every key under that part.
func prefix(p string) []byte { return append([]byte(p), 0) }

// hashOf is the content hash of canonical record bytes.
func hashOf(rec []byte) [32]byte { return sha256.Sum256(rec) }

func hexHash(h [32]byte) string { return hex.EncodeToString(h[:]) }

func parseHash(s string) ([32]byte, bool) {
	var h [32]byte
	if len(s) != 64 {
		return h, false
	}
	if _, err := hex.Decode(h[:], []byte(s)); err != nil {
		return h, false
	}
	return h, true
}

// Revision formats: 1 was written by schema 2 (no merged parents, no restored revision); 2 is
// the current one. Revisions are immutable, so both stay readable.
const revFormat = 2

// encodeRev writes a revision's header; its record is kept apart in the blob bucket under its
// hash, so revisions that only change the status share the record bytes.
func encodeRev(r *Revision, h [32]byte) []byte {
	e := enc{b: make([]byte, 0, 96+len(r.HouseholdID)+len(r.Parent)+len(r.Author)+len(r.Comment))}
	e.byte(revFormat)
	e.str(r.HouseholdID)
	e.str(r.Parent)
	e.strs(r.Merged)
	e.str(r.Device)
	e.uvar(r.Seq)
	e.time(r.Time)
	e.str(r.Author)
	e.str(r.Status)
	e.str(r.Comment)
	e.bool(r.Deleted)
	e.str(r.Restored)
	e.fixed(h)
	return e.b
}

// decodeRev reads a revision header (without its record bytes) and the record's hash.
func decodeRev(id string, v []byte) (Revision, [32]byte, bool) {
	d := dec{b: v}
	r := Revision{ID: id}
	format := d.byte()
	if format != 1 && format != 2 {
		return r, [32]byte{}, false
	}
	r.HouseholdID = d.str()
	r.Parent = d.str()
	if format >= 2 {
		r.Merged = d.strs()
	}
	r.Device = d.str()
	r.Seq = d.uvar()
	r.Time = d.time()
	r.Author = d.str()
	r.Status = d.str()
	r.Comment = d.str()
	r.Deleted = d.bool()
	if format >= 2 {
		r.Restored = d.str()
	}
	h := d.fixed()
	r.Hash = hexHash(h)
	return r, h, !d.bad && len(d.b) == 0
}

// head is a revision that has no child yet: the household's tip on one line of edits.
type head struct {
	ID   string
	Time time.Time
}

// later orders heads by the deterministic rule that picks the provisional current revision of
// a conflict: the later time, then the larger revision id.
func later(a, b head) bool {
	if !a.Time.Equal(b.Time) {
		return a.Time.After(b.Time)
	}
	return a.ID > b.ID
}

// current is the derived state of one household: its current revision, its heads, and what
// lists and indexes need, so that a list never decodes records.
type current struct {
	Order    uint64 // position of first arrival in this store: the export and list order
	Rev      string // current revision id
	Heads    []head // sorted by later(); Heads[0].ID == Rev; more than one is a conflict
	Hash     [32]byte
	Status   string
	Comment  string
	Group    string
	Address  string
	HeadName string
	Surveyor string
	Author   string
	Members  int
	Updated  time.Time
	Deleted  bool
	Tokens   []string       // search words, as indexed (none when deleted)
	Round    string         // the record's survey.round
	Date     household.Date // the record's survey.date
}

// Current-state formats: 1 was written by schema 2 (no search tokens); 2 by schemas 3 to 5
// (no survey round and date); 3 is the current one. The current state is derived data,
// rebuilt by the migration, so only 3 is read.
const curFormat = 3

func encodeCur(c *current) []byte {
	e := enc{b: make([]byte, 0, 256)}
	e.byte(curFormat)
	e.uvar(c.Order)
	e.str(c.Rev)
	e.uvar(uint64(len(c.Heads)))
	for _, h := range c.Heads {
		e.str(h.ID)
		e.time(h.Time)
	}
	e.fixed(c.Hash)
	e.str(c.Status)
	e.str(c.Comment)
	e.str(c.Group)
	e.str(c.Address)
	e.str(c.HeadName)
	e.str(c.Surveyor)
	e.str(c.Author)
	e.uvar(uint64(c.Members))
	e.time(c.Updated)
	e.bool(c.Deleted)
	e.strs(c.Tokens)
	e.str(c.Round)
	e.date(c.Date)
	return e.b
}

func decodeCur(v []byte) (current, bool) {
	d := dec{b: v}
	var c current
	if d.byte() != curFormat {
		return c, false
	}
	c.Order = d.uvar()
	c.Rev = d.str()
	n := d.uvar()
	if n > uint64(len(d.b)) {
		return c, false
	}
	c.Heads = make([]head, n)
	for i := range c.Heads {
		c.Heads[i].ID = d.str()
		c.Heads[i].Time = d.time()
	}
	c.Hash = d.fixed()
	c.Status = d.str()
	c.Comment = d.str()
	c.Group = d.str()
	c.Address = d.str()
	c.HeadName = d.str()
	c.Surveyor = d.str()
	c.Author = d.str()
	c.Members = int(d.uvar())
	c.Updated = d.time()
	c.Deleted = d.bool()
	c.Tokens = d.strs()
	c.Round = d.str()
	c.Date = d.date()
	return c, !d.bad && len(d.b) == 0
}

// skimCur reads only what the search index needs from a current state, without copying: the
// household's order, whether it is deleted and its search words (valid for the transaction).
func skimCur(v []byte) (order uint64, deleted bool, tokens [][]byte, ok bool) {
	d := dec{b: v}
	if d.byte() != curFormat {
		return 0, false, nil, false
	}
	order = d.uvar()
	d.bytes(d.uvar())
	for n := d.uvar(); n > 0 && !d.bad; n-- {
		d.bytes(d.uvar())
		d.svar()
	}
	d.bytes(32)
	for range 7 {
		d.bytes(d.uvar())
	}
	d.uvar()
	d.svar()
	deleted = d.bool()
	n := d.uvar()
	if n > uint64(len(d.b)) {
		return 0, false, nil, false
	}
	tokens = make([][]byte, n)
	for i := range tokens {
		tokens[i] = d.bytes(d.uvar())
	}
	d.bytes(d.uvar()) // round
	d.date()
	return order, deleted, tokens, !d.bad && len(d.b) == 0
}

func (c *current) summary(id string) Summary {
	return Summary{ID: id, Group: c.Group, Address: c.Address, HeadName: c.HeadName,
		Surveyor: c.Surveyor, Status: c.Status, Comment: c.Comment, Members: c.Members,
		Updated: c.Updated, Deleted: c.Deleted, Conflict: len(c.Heads) > 1, Round: c.Round, Date: c.Date}
}

// groupValue is a household's value in the group index: its status and survey round, which
// Groups counts, joined by 0x00.
func groupValue(c *current) []byte {
	v := make([]byte, 0, len(c.Status)+1+len(c.Round))
	return append(append(append(v, c.Status...), 0), c.Round...)
}

func beUint64(b []byte) uint64 { return binary.BigEndian.Uint64(b) }
