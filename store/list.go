package store

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

// Summary is what a list shows of a household, kept up to date with its current revision so
// that lists never decode records.
type Summary struct {
	ID, Group, Address, HeadName, Surveyor, Status, Comment string
	Members                                                 int
	Updated                                                 time.Time
	Deleted                                                 bool
	Conflict                                                bool           // two heads: concurrent edits to resolve
	Round                                                   string         // the record's survey.round
	Date                                                    household.Date // the record's survey.date
}

// DoneFor tells whether the household counts as done for the round of date d
// (household.DoneFor): complete or approved in that round, not carried over from an earlier one.
func (s Summary) DoneFor(d household.Date) bool { return household.DoneFor(s.Status, s.Round, d) }

// GroupCount is a residential group with its number of (not deleted) households by status,
// and by status and survey round.
type GroupCount struct {
	Group    string
	Total    int
	ByStatus map[string]int
	ByRound  map[StatusRound]int
}

// StatusRound is a record status with a survey round (survey.round).
type StatusRound struct{ Status, Round string }

// DoneFor counts the group's households done for the round of date d (household.DoneFor).
func (g GroupCount) DoneFor(d household.Date) int {
	n := 0
	for k, c := range g.ByRound {
		if household.DoneFor(k.Status, k.Round, d) {
			n += c
		}
	}
	return n
}

// Groups returns every residential group that has households, in byte order of the name,
// with counts by status and by status and survey round.
func (s *Store) Groups() ([]GroupCount, error) {
	var out []GroupCount
	// the group's index values (status ␀ round) counted; a count by pointer, so that counting
	// allocates only for a value not seen before (a lookup by string(v) does not allocate)
	var raw map[string]*int
	end := func() error {
		if len(out) == 0 {
			return nil
		}
		gc := &out[len(out)-1]
		for v, n := range raw {
			i := strings.IndexByte(v, 0)
			if i < 0 {
				return errorf(ErrCorrupt, nil, "giá trị chỉ mục tổ hỏng", "a group index value is damaged")
			}
			gc.ByStatus[v[:i]] += *n
			gc.ByRound[StatusRound{v[:i], v[i+1:]}] += *n
		}
		clear(raw)
		return nil
	}
	err := s.viewTxn(func(t *txn) error {
		raw = map[string]*int{}
		c := t.group.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			i := bytes.IndexByte(k, 0)
			if i < 0 {
				return errorf(ErrCorrupt, nil, "khóa chỉ mục tổ hỏng", "a group index key is damaged")
			}
			g := k[:i]
			if len(out) == 0 || out[len(out)-1].Group != string(g) {
				if err := end(); err != nil {
					return err
				}
				out = append(out, GroupCount{Group: string(g), ByStatus: map[string]int{}, ByRound: map[StatusRound]int{}})
			}
			out[len(out)-1].Total++
			if n := raw[string(v)]; n != nil {
				*n++
			} else {
				raw[string(v)] = new(1)
			}
		}
		return end()
	})
	return out, err
}

// summaries returns the summaries of households, in the store's order (first arrival).
func (t *txn) summaries(ids [][]byte) ([]Summary, error) {
	type item struct {
		order uint64
		s     Summary
	}
	items := make([]item, 0, len(ids))
	for _, id := range ids {
		c, ok, err := t.cur(string(id))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errorf(ErrCorrupt, nil, "chỉ mục trỏ tới hộ %s không có", "an index points to missing household %s", id)
		}
		items = append(items, item{c.Order, c.summary(string(id))})
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(a.order, b.order) })
	out := make([]Summary, len(items))
	for i := range items {
		out[i] = items[i].s
	}
	return out, nil
}

// idsWithPrefix returns copies of the household ids of an index under one key part.
func idsWithPrefix(b *bolt.Bucket, part string) [][]byte {
	var ids [][]byte
	p := prefix(part)
	c := b.Cursor()
	for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
		ids = append(ids, bytes.Clone(k[len(p):]))
	}
	return ids
}

func (s *Store) listIndex(b func(*txn) *bolt.Bucket, part string) ([]Summary, error) {
	var out []Summary
	err := s.viewTxn(func(t *txn) error {
		var err error
		out, err = t.summaries(idsWithPrefix(b(t), part))
		return err
	})
	return out, err
}

// ListGroup returns the households of a residential group, not deleted, in the store's order.
func (s *Store) ListGroup(group string) ([]Summary, error) {
	return s.listIndex(func(t *txn) *bolt.Bucket { return t.group }, group)
}

// ListStatus returns the households with a status, not deleted, in the store's order.
func (s *Store) ListStatus(status string) ([]Summary, error) {
	return s.listIndex(func(t *txn) *bolt.Bucket { return t.status }, status)
}

// ListSurveyor returns the households whose survey.surveyor is the given name, not deleted.
func (s *Store) ListSurveyor(surveyor string) ([]Summary, error) {
	return s.listIndex(func(t *txn) *bolt.Bucket { return t.surveyor }, surveyor)
}

// List returns every household that is not deleted, in the store's order.
func (s *Store) List() ([]Summary, error) { return s.list(false) }

// ListDeleted returns the deleted households, which Undelete can bring back.
func (s *Store) ListDeleted() ([]Summary, error) { return s.list(true) }

func (s *Store) list(deleted bool) ([]Summary, error) {
	var out []Summary
	err := s.viewTxn(func(t *txn) error {
		return t.eachCurrent(func(id []byte, c *current) error {
			if c.Deleted == deleted {
				out = append(out, c.summary(string(id)))
			}
			return nil
		})
	})
	return out, err
}

// eachCurrent calls fn for every household in the store's order.
func (t *txn) eachCurrent(fn func(id []byte, c *current) error) error {
	cur := t.order.Cursor()
	for k, id := cur.First(); k != nil; k, id = cur.Next() {
		c, ok, err := t.cur(string(id))
		if err == nil && !ok {
			err = errorf(ErrCorrupt, nil, "thứ tự trỏ tới hộ %s không có", "the order points to missing household %s", id)
		}
		if err != nil {
			return err
		}
		if err := fn(id, &c); err != nil {
			return err
		}
	}
	return nil
}

// Conflicts returns the ids of the households with concurrent edits (two or more heads).
func (s *Store) Conflicts() ([]string, error) {
	var out []string
	err := s.viewTxn(func(t *txn) error {
		return t.conflict.ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	return out, err
}

// ForEach calls fn with the current record and revision of every household that is not
// deleted, in the store's order. The records are read in one transaction and fn is called
// after it ends, so fn may use the store.
func (s *Store) ForEach(fn func(rec *household.Record, rev Revision) error) error {
	type item struct {
		rec *household.Record
		rev Revision
	}
	var items []item
	err := s.viewTxn(func(t *txn) error {
		return t.eachCurrent(func(id []byte, c *current) error {
			if c.Deleted {
				return nil
			}
			rev, err := t.currentRev(c)
			if err != nil {
				return err
			}
			rec, err := decodeBlob(rev.Record, c.Hash)
			if err != nil {
				return err
			}
			items = append(items, item{rec, rev})
			return nil
		})
	})
	if err != nil {
		return err
	}
	for _, it := range items {
		if err := fn(it.rec, it.rev); err != nil {
			return err
		}
	}
	return nil
}

// Search finds the households, not deleted, whose member names or address hold every word of
// the query, ignoring case and Vietnamese diacritics ("nguyen thi mui" finds "Nguyễn Thị Mùi";
// "d" matches "đ"). The last word also matches as a prefix, so results come while typing,
// unless the query ends with a space. At most limit results (limit <= 0: all): the first ones
// in the store's order.
func (s *Store) Search(query string, limit int) ([]Summary, error) {
	terms := searchTerms(query)
	if len(terms) == 0 {
		return nil, nil
	}
	var out []Summary
	err := s.viewTxn(func(t *txn) error {
		var err error
		out, err = s.searchIn(t, terms, limit)
		return err
	})
	return out, err
}
