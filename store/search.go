package store

import (
	"cmp"
	"slices"
	gosync "sync"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// The search index lives in memory, not in the file: every household's folded search words
// (kept in its current state, sealed when the database is encrypted), in the store's order.
// A ward has at most some ten thousand households, so looking at each one's few words is
// quicker than any query needs, and it spares every save and import a dozen index keys per
// household (for an encrypted database, a keyed hash of every prefix of every word), most of
// the cost of storing a batch. The index is built from the current states the first time a
// search asks for it, then follows each committed write (searchLog).

// searchIndex is the search index of the state committed by transaction txid.
type searchIndex struct {
	mu      gosync.Mutex
	built   bool
	txid    int
	entries []searchEntry  // by order
	pos     map[string]int // household id → index in entries
	sorted  bool           // entries are by order (a household added out of order unsets it)
}

// searchEntry is one household as the search index sees it.
type searchEntry struct {
	id      string
	order   uint64
	deleted bool
	words   []string
}

// searchLog is what one write transaction changed in the households' search words, applied
// to the index when it commits.
type searchLog struct {
	entries []searchEntry
	reset   bool // the transaction rebuilt every current state: build the index again
}

// noteSearch records the new current state of a household for the index.
func (t *txn) noteSearch(hid []byte, c *current) {
	if t.log == nil {
		return
	}
	t.log.entries = append(t.log.entries, searchEntry{id: string(hid), order: c.Order, deleted: c.Deleted, words: c.Tokens})
}

// commit applies the changes of the write transaction txid, which committed; the index
// follows only when it was of the state just before, otherwise it is built again when asked.
func (x *searchIndex) commit(txid int, l *searchLog) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if !x.built || x.txid != txid-1 || l.reset {
		x.forget()
		return
	}
	for _, e := range l.entries {
		x.set(e)
	}
	x.txid = txid
}

func (x *searchIndex) set(e searchEntry) {
	if i, ok := x.pos[e.id]; ok {
		x.entries[i] = e
		return
	}
	if n := len(x.entries); n > 0 && x.entries[n-1].order > e.order {
		x.sorted = false
	}
	x.pos[e.id] = len(x.entries)
	x.entries = append(x.entries, e)
}

// forget drops the index (Lock: the words of an encrypted database are not kept while it is
// locked).
func (x *searchIndex) forget() {
	x.built, x.entries, x.pos = false, nil, nil
}

// at makes the index that of the state the read transaction t sees, building it from the
// current states when it is not. The caller holds x.mu.
func (x *searchIndex) at(t *txn) error {
	if x.built && x.txid == t.tx.ID() {
		if !x.sorted {
			x.sort()
		}
		return nil
	}
	x.forget()
	entries := make([]searchEntry, 0, t.order.Sequence())
	c := t.current.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		v, err := openValue(t.kr, ctxCur, k, v)
		if err != nil {
			return err
		}
		order, deleted, words, ok := skimCur(v)
		if !ok {
			return errorf(ErrCorrupt, nil, "trạng thái hộ %s không đọc được", "the state of household %s cannot be read", k)
		}
		e := searchEntry{id: string(k), order: order, deleted: deleted, words: make([]string, len(words))}
		for i, w := range words {
			e.words[i] = string(w)
		}
		entries = append(entries, e)
	}
	x.entries, x.built, x.txid = entries, true, t.tx.ID()
	x.sort()
	return nil
}

func (x *searchIndex) sort() {
	slices.SortFunc(x.entries, func(a, b searchEntry) int { return cmp.Compare(a.order, b.order) })
	x.pos = make(map[string]int, len(x.entries))
	for i, e := range x.entries {
		x.pos[e.id] = i
	}
	x.sorted = true
}

// searchTerm is a folded word of a query; prefix: it also matches the start of a word.
type searchTerm struct {
	word   string
	prefix bool
}

// searchTerms are the terms of a query: its folded words, the last one also as a prefix
// unless the query ends with a space (or anything but a letter or digit).
func searchTerms(query string) []searchTerm {
	words := Tokens(query)
	last, _ := utf8.DecodeLastRuneInString(query)
	open := unicode.IsLetter(last) || unicode.IsDigit(last) || unicode.Is(unicode.Mn, last)
	terms := make([]searchTerm, len(words))
	for i, w := range words {
		terms[i] = searchTerm{w, open && i == len(words)-1}
	}
	return terms
}

// find returns the ids of the households, not deleted, with every term, in the store's
// order, at most limit of them (limit <= 0: all). The caller holds x.mu.
func (x *searchIndex) find(terms []searchTerm, limit int) [][]byte {
	var ids [][]byte
	for i := range x.entries {
		e := &x.entries[i]
		if e.deleted {
			continue
		}
		match := true
		for _, tm := range terms {
			if !hasWord(e.words, tm.word, tm.prefix) {
				match = false
				break
			}
		}
		if match {
			ids = append(ids, []byte(e.id))
			if limit > 0 && len(ids) >= limit {
				break
			}
		}
	}
	return ids
}

// searchIn runs a search in the read transaction t.
func (s *Store) searchIn(t *txn, terms []searchTerm, limit int) ([]Summary, error) {
	x := &s.search
	x.mu.Lock()
	if err := x.at(t); err != nil {
		x.mu.Unlock()
		return nil, err
	}
	ids := x.find(terms, limit)
	x.mu.Unlock()
	return t.summaries(ids)
}

// dropSearchIndex removes the search index bucket of schemas 3 and 4 (migrate4to5).
func dropSearchIndex(tx *bolt.Tx) error {
	idx := tx.Bucket(bIndex)
	if idx == nil || idx.Bucket(bSearch) == nil {
		return nil
	}
	return idx.DeleteBucket(bSearch)
}

func hasWord[T string | []byte](tokens []T, w string, isPrefix bool) bool {
	for _, t := range tokens {
		if string(t) == w || isPrefix && len(t) >= len(w) && string(t[:len(w)]) == w {
			return true
		}
	}
	return false
}
