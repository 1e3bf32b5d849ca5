// Package report turns classified households into the ward's lists (poor, near-poor, medium
// living standard, movements against last year) per residential group and for the whole ward,
// and writes them for people: CSV that Excel opens with Vietnamese intact.
package report

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// Row is one classified household.
type Row struct {
	Record *household.Record
	Result poverty.Result
}

// Kinds of list.
const (
	ListPoor      = poverty.Poor
	ListNearPoor  = poverty.NearPoor
	ListMedium    = poverty.Medium
	ListMovements = "movements"
)

// ListKinds are the lists made for each scope, in the order they are printed.
var ListKinds = []string{ListPoor, ListNearPoor, ListMedium, ListMovements}

// List is one list of one scope: a residential group, or the whole ward when Group is "".
type List struct {
	Ward  string
	Group string
	Kind  string
	Rows  []Row
}

// Lists holds every list of a ward: the ward's own first, then each group's in group order.
type Lists struct {
	Ward   string
	Groups []string
	All    []List
}

// Title names a list kind in the given language.
func Title(kind, lang string) string {
	t := map[string]household.Text{
		ListPoor:      {VI: "Danh sách hộ nghèo", EN: "List of poor households"},
		ListNearPoor:  {VI: "Danh sách hộ cận nghèo", EN: "List of near-poor households"},
		ListMedium:    {VI: "Danh sách hộ có mức sống trung bình", EN: "List of households with a medium living standard"},
		ListMovements: {VI: "Biến động hộ nghèo, hộ cận nghèo so với năm trước", EN: "Changes in poor and near-poor households since last year"},
	}[kind]
	return t.In(lang)
}

// SheetName is a list's sheet name in a workbook: whole words within Excel's 31 characters,
// unlike the title ("Danh sách hộ có mức sống trung bình" would be cut).
func SheetName(kind, lang string) string {
	t := map[string]household.Text{
		ListPoor:      {VI: "Hộ nghèo", EN: "Poor"},
		ListNearPoor:  {VI: "Hộ cận nghèo", EN: "Near-poor"},
		ListMedium:    {VI: "Hộ có mức sống trung bình", EN: "Medium living standard"},
		ListMovements: {VI: "Biến động so với năm trước", EN: "Changes since last year"},
	}[kind]
	return t.In(lang)
}

// InList reports whether a row belongs on a list kind.
func InList(kind string, r *Row) bool {
	switch kind {
	case ListMovements:
		switch r.Result.Movement {
		case poverty.MovementNone, poverty.RemainsPoor, poverty.RemainsNearPoor:
			return false
		}
		return true
	default:
		return r.Result.Class == kind
	}
}

// collatorPool holds collators for Vietnamese alphabetical order in which a run of digits sorts
// by its value ("Tổ 2" before "Tổ 10", "Số 38" before "Số 120"; "Tổ 01" and "Tổ 1" alike).
var collatorPool = sync.Pool{New: func() any { return collate.New(language.Vietnamese, collate.Numeric) }}

// sortKey is a name's collation key, with the name itself to tell apart names the collator
// finds equal ("Tổ 01" and "Tổ 1").
type sortKey struct {
	key  []byte
	text string
}

func (k sortKey) compare(o sortKey) int {
	if c := bytes.Compare(k.key, o.key); c != 0 {
		return c
	}
	return strings.Compare(k.text, o.text)
}

func keyOf(c *collate.Collator, buf *collate.Buffer, s string) sortKey {
	return sortKey{append([]byte(nil), c.KeyFromString(buf, s)...), s}
}

// CompareNames compares two names (of residential groups, households, addresses) in the
// order lists use: Vietnamese alphabetical order, numbers by value ("Tổ 2" < "Tổ 10"), names
// that read alike ("Tổ 01", "Tổ 1") next to each other but apart. Screens that list groups
// use it so that they show them in the lists' order.
func CompareNames(a, b string) int {
	c := collatorPool.Get().(*collate.Collator)
	defer collatorPool.Put(c)
	if r := c.CompareString(a, b); r != 0 {
		return r
	}
	return strings.Compare(a, b)
}

// SortNames sorts names in place with CompareNames.
func SortNames(names []string) {
	c := collatorPool.Get().(*collate.Collator)
	defer collatorPool.Put(c)
	var buf collate.Buffer
	keys := make([]sortKey, len(names))
	for i, n := range names {
		keys[i] = keyOf(c, &buf, n)
		buf.Reset()
	}
	slices.SortStableFunc(keys, sortKey.compare)
	for i := range keys {
		names[i] = keys[i].text
	}
}

// Sort orders rows the way lists are read: by residential group, then by the head's name in
// Vietnamese alphabetical order, then by address; numbers in names and addresses by value
// (CompareNames).
func Sort(rows []Row) {
	c := collatorPool.Get().(*collate.Collator)
	defer collatorPool.Put(c)
	type key struct{ group, name, addr sortKey }
	var buf collate.Buffer
	keys := make([]key, len(rows))
	groups := map[string]sortKey{} // a ward has few groups and many households
	for i := range rows {
		r := rows[i].Record
		g, ok := groups[r.Group]
		if !ok {
			g = keyOf(c, &buf, r.Group)
			groups[r.Group] = g
		}
		keys[i] = key{g, keyOf(c, &buf, lastNameFirst(r.HeadName())), keyOf(c, &buf, r.Address)}
		buf.Reset()
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ka, kb := &keys[idx[a]], &keys[idx[b]]
		if c := ka.group.compare(kb.group); c != 0 {
			return c < 0
		}
		if c := ka.name.compare(kb.name); c != 0 {
			return c < 0
		}
		return ka.addr.compare(kb.addr) < 0
	})
	sorted := make([]Row, len(rows))
	for i, j := range idx {
		sorted[i] = rows[j]
	}
	copy(rows, sorted)
}

// lastNameFirst puts the given name first, as Vietnamese lists are alphabetised by given name
// ("Nguyễn Văn An" sorts under An).
func lastNameFirst(name string) string {
	i := strings.LastIndexByte(strings.TrimSpace(name), ' ')
	if i < 0 {
		return name
	}
	return name[i+1:] + " " + name[:i]
}

// Build sorts the rows and makes every list of the ward and of each group.
func Build(ward string, rows []Row) *Lists {
	rows = append([]Row(nil), rows...)
	Sort(rows)
	ls := &Lists{Ward: ward}
	byGroup := map[string][]Row{}
	for _, r := range rows {
		g := r.Record.Group
		if _, ok := byGroup[g]; !ok {
			ls.Groups = append(ls.Groups, g)
		}
		byGroup[g] = append(byGroup[g], r)
	}
	for _, kind := range ListKinds {
		ls.All = append(ls.All, filter(ward, "", kind, rows))
	}
	for _, g := range ls.Groups {
		for _, kind := range ListKinds {
			ls.All = append(ls.All, filter(ward, g, kind, byGroup[g]))
		}
	}
	return ls
}

func filter(ward, group, kind string, rows []Row) List {
	l := List{Ward: ward, Group: group, Kind: kind}
	for i := range rows {
		if InList(kind, &rows[i]) {
			l.Rows = append(l.Rows, rows[i])
		}
	}
	return l
}
