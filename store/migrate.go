package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

// A migration brings the primary data (revisions, records, meta, assignments) of a database
// from one schema version to the next. Migrations run in order, all in one transaction with
// the rebuild of the derived data (everything else: see doc.go) by the current code, so a
// failed migration leaves the database as it was. testdata/schema-v*.db are frozen databases
// of each earlier version; the tests open copies of them.
var migrations = map[int]func(tx *bolt.Tx) error{
	1: migrate1to2,
	2: migrate2to3,
	3: migrate3to4,
	4: migrate4to5,
	5: migrate5to6,
}

func (s *Store) migrate(tx *bolt.Tx, from int) error {
	for v := from; v < SchemaVersion; v++ {
		if err := migrations[v](tx); err != nil {
			return errorf(ErrCorrupt, err, "không nâng cấp được từ lược đồ %d lên %d", "cannot migrate from schema %d to %d", v, v+1)
		}
	}
	if err := createTree(tx); err != nil {
		return err
	}
	t, err := s.txn(tx)
	if err != nil {
		return err
	}
	if err := t.rebuild(); err != nil {
		return errorf(ErrCorrupt, err, "không dựng lại được chỉ mục sau khi nâng cấp", "cannot rebuild the indexes after migrating")
	}
	return t.meta.Put(kSchema, u64(SchemaVersion))
}

// Schema 1 (the first prototype) kept each revision as JSON with its record inline in a flat
// "revisions" bucket, the current revision of each household in a flat "households" bucket
// and assignments as JSON. Schema 2 splits records into content-addressed blobs, writes
// revisions in binary and adds the derived buckets.
type v1Revision struct {
	Household string          `json:"household"`
	Parent    string          `json:"parent"`
	Device    string          `json:"device"`
	Seq       uint64          `json:"seq"`
	Time      time.Time       `json:"time"`
	Author    string          `json:"author"`
	Status    string          `json:"status"`
	Comment   string          `json:"comment"`
	Deleted   bool            `json:"deleted"`
	Hash      string          `json:"hash"`
	Record    json.RawMessage `json:"record"`
}

func migrate1to2(tx *bolt.Tx) error {
	type rev struct {
		id string
		r  v1Revision
	}
	var revs []rev
	if b := tx.Bucket(bRevisions); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			var r v1Revision
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("revision %s: %w", k, err)
			}
			revs = append(revs, rev{string(k), r})
			return nil
		})
		if err != nil {
			return err
		}
	}
	type assignment struct {
		Groups     []string `json:"groups"`
		Households []string `json:"households"`
	}
	assigns := map[string]assignment{}
	if b := tx.Bucket(bAssignments); b != nil {
		err := b.ForEach(func(k, v []byte) error {
			var a assignment
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("assignment of %s: %w", k, err)
			}
			assigns[string(k)] = a
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, name := range [][]byte{bRevisions, bHouseholds, bAssignments} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
	}
	if err := createTree(tx); err != nil {
		return err
	}
	revb := tx.Bucket(bRevisions)
	byID, blobs := revb.Bucket(bByID), revb.Bucket(bBlobs)
	for _, rv := range revs {
		// encoding/json compacted the record when schema 1 wrote it; the hash is of the
		// canonical bytes, which decoding and encoding again give back.
		dec, ps := household.Decode(rv.r.Record)
		if len(ps) > 0 {
			return fmt.Errorf("revision %s: %w", rv.id, ps)
		}
		rec := household.Encode(dec)
		h := hashOf(rec)
		if want, ok := parseHash(rv.r.Hash); !ok || want != h {
			return fmt.Errorf("revision %s: the hash does not match the record", rv.id)
		}
		r := Revision{ID: rv.id, HouseholdID: rv.r.Household, Parent: rv.r.Parent, Device: rv.r.Device,
			Seq: rv.r.Seq, Time: rv.r.Time.UTC(), Author: rv.r.Author, Status: rv.r.Status,
			Comment: rv.r.Comment, Deleted: rv.r.Deleted}
		if err := byID.Put([]byte(rv.id), encodeRev(&r, h)); err != nil {
			return err
		}
		if err := blobs.Put(h[:], rec); err != nil {
			return err
		}
	}
	ab := tx.Bucket(bAssignments)
	for who, a := range assigns {
		e := enc{}
		e.byte(assignFormat)
		e.strs(a.Groups)
		e.strs(a.Households)
		if err := ab.Put([]byte(who), e.b); err != nil {
			return err
		}
	}
	meta := tx.Bucket(bMeta)
	for _, k := range [][]byte{kArea, kSurveyor, kDeviceName} {
		if meta.Get(k) == nil {
			if err := meta.Put(k, nil); err != nil {
				return err
			}
		}
	}
	if meta.Get(kCreated) == nil {
		if err := meta.Put(kCreated, []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
			return err
		}
	}
	return meta.Put(kSchema, u64(2))
}

// Schema 3 adds the search index, the children of each revision (to find the heads of
// revisions that arrive out of order from other devices), the conflict index and the search
// words in the current state; revisions gain merged parents and the restored revision in a
// new format, and the old one stays readable. All of it is derived data, which the rebuild
// after the migrations makes, so the primary data does not change.
func migrate2to3(tx *bolt.Tx) error {
	return tx.Bucket(bMeta).Put(kSchema, u64(3))
}

// Schema 4 adds the audit log (audit.go). An older database starts with an empty log: the
// buckets are made by createTree after the migrations.
func migrate3to4(tx *bolt.Tx) error {
	return tx.Bucket(bMeta).Put(kSchema, u64(4))
}

// Schema 5 keeps the search index in memory (search.go) and drops its bucket.
func migrate4to5(tx *bolt.Tx) error {
	if err := dropSearchIndex(tx); err != nil {
		return err
	}
	return tx.Bucket(bMeta).Put(kSchema, u64(5))
}

// Schema 6 keeps each household's survey round and date in its current state, and its survey
// round with its status in the group index, so that home counts the households done in this
// round (GroupCount.DoneFor) without reading records. Both are derived data, which the rebuild
// after the migrations makes, so the primary data does not change.
func migrate5to6(tx *bolt.Tx) error {
	return tx.Bucket(bMeta).Put(kSchema, u64(6))
}

// derived are the buckets made from the revisions alone: (parent, child) pairs of bucket
// names.
var derived = [][2][]byte{
	{bRevisions, bByDevice}, {bRevisions, bByHousehold}, {bRevisions, bChildren},
	{bHouseholds, bCurrent}, {bHouseholds, bOrder},
	{bIndex, bGroup}, {bIndex, bStatus}, {bIndex, bSurveyor}, {bIndex, bConflict},
}

// rebuild makes the derived buckets again from the revisions and their records. Households
// keep their order when the old order bucket can be read; others follow by the time of their
// first revision.
func (t *txn) rebuild() error {
	var order []string
	if t.order != nil {
		c := t.order.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			order = append(order, string(v))
		}
	}
	for _, d := range derived {
		parent := t.tx.Bucket(d[0])
		if parent.Bucket(d[1]) != nil {
			if err := parent.DeleteBucket(d[1]); err != nil {
				return err
			}
		}
		if _, err := parent.CreateBucket(d[1]); err != nil {
			return err
		}
	}
	nt, err := t.s.txn(t.tx)
	if err != nil {
		return err
	}
	nt.kr = t.kr // EnableEncryption rebuilds with the new key before the store has it
	*t = *nt
	if t.log != nil {
		t.log.reset = true
	}

	type rv struct {
		r Revision
		h [32]byte
	}
	byHH := map[string][]rv{}
	err = t.byID.ForEach(func(k, v []byte) error {
		r, h, err := t.decodeRev(k, v)
		if err != nil {
			return err
		}
		byHH[r.HouseholdID] = append(byHH[r.HouseholdID], rv{r, h})
		return nil
	})
	if err != nil {
		return err
	}
	known := map[string]bool{}
	var kept []string
	for _, id := range order {
		if byHH[id] != nil && !known[id] {
			known[id] = true
			kept = append(kept, id)
		}
	}
	var rest []string // households not in the old order, by the time of their first revision
	for id, rs := range byHH {
		slices.SortFunc(rs, func(a, b rv) int {
			if a.r.Time.Equal(b.r.Time) {
				return strings.Compare(a.r.ID, b.r.ID)
			}
			return a.r.Time.Compare(b.r.Time)
		})
		if !known[id] {
			rest = append(rest, id)
		}
	}
	slices.SortFunc(rest, func(a, b string) int {
		ra, rb := byHH[a][0].r, byHH[b][0].r
		if ra.Time.Equal(rb.Time) {
			return strings.Compare(a, b)
		}
		return ra.Time.Compare(rb.Time)
	})
	order = append(kept, rest...)
	t.buffer()
	for _, id := range order {
		for _, x := range byHH[id] {
			if err := t.derive(&x.r, x.h, nil); err != nil {
				return err
			}
		}
	}
	return t.flush()
}
