package store

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/demo"

	"github.com/rasoat/rasoat/household"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Nguyễn Thị Mùi":     "nguyen thi mui",
		"nguyen thi mui":     "nguyen thi mui",
		"NGUYEN THI MUI":     "nguyen thi mui",
		"Đặng Văn Đức":       "dang van duc",
		"đường Hoàng Liên":   "duong hoang lien",
		"Ưng Ơn Ấp Ợ":        "ung on ap o",
		"Nguye\u0302\u0303n": "nguyen", // typed decomposed (NFD)
		"Sùng Mỷ":            "sung my",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Tokens("Số 12, đường Nguyễn Huệ", "Nguyễn Thị Mùi"); !slices.Equal(got, []string{"so", "12", "duong", "nguyen", "hue", "thi", "mui"}) {
		t.Errorf("Tokens = %q", got)
	}
}

func searchIDs(t *testing.T, s *Store, q string) []string {
	t.Helper()
	res, err := s.Search(q, 0)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	var ids []string
	for _, r := range res {
		ids = append(ids, r.ID)
	}
	slices.Sort(ids)
	return ids
}

func TestSearch(t *testing.T) {
	s := newTestStore(t, RoleField)
	recs := households(200, 11)
	mui := recs[5].Clone()
	mui.Members[0].Name = "Nguyễn Thị Mùi"
	mui.Members[0].Sex = household.SexFemale
	mui.Address = "Số 12, ngõ Quỳnh Lưu"
	recs[5] = mui
	dung := recs[6].Clone()
	dung.Members[0].Name = "Đỗ Văn Dũng"
	dung.Address = "xóm Đồi Đá"
	recs[6] = dung
	mustImport(t, s, jsonl(recs))

	// scan is what Search must find: households with every word, the last one as a prefix
	// unless the query ends with a space
	scan := func(q string) []string {
		var want []string
		words := Tokens(q)
		open := len(q) > 0 && q[len(q)-1] != ' '
		for _, r := range recs {
			tokens := searchTokens(r)
			ok := len(words) > 0
			for i, w := range words {
				if !hasWord(tokens, w, open && i == len(words)-1) {
					ok = false
				}
			}
			if ok {
				want = append(want, r.ID)
			}
		}
		slices.Sort(want)
		return want
	}
	same := func(q string, want []string) {
		t.Helper()
		got := searchIDs(t, s, q)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Search(%q) = %v, want %v", q, got, want)
		}
	}
	// the same households with and without diacritics, in any case, typed composed or not
	common := searchIDs(t, s, "nguyen thi mui")
	if !slices.Contains(common, mui.ID) {
		t.Fatalf("Search(nguyen thi mui) = %v misses %s", common, mui.ID)
	}
	for _, q := range []string{"Nguyen Thi Mui", "Nguyễn Thị Mùi", "NGUYỄN THỊ MÙI", "mùi nguyễn thị", "Nguye\u0302\u0303n Thi\u0323 Mu\u0300i"} {
		same(q, common)
	}
	for _, q := range []string{"mui quynh luu", "Mùi Quỳnh Lưu", "MÙI QUỲNH LƯU", "quynh luu nguyen"} {
		same(q, []string{mui.ID}) // name and address words together
	}
	// đ matches d
	for _, q := range []string{"xom doi da dung", "Xóm Đồi Đá Dũng", "do van dung doi"} {
		same(q, []string{dung.ID})
	}
	// the last word matches as a prefix while typing…
	same("quynh lu", []string{mui.ID})
	same("xom doi da d", []string{dung.ID})
	// …but not once a space ends it, and never a word before it
	same("quynh lu ", nil)
	same("quyn luu", nil)
	// every word must match
	same("mui quynh luu dung", nil)
	// nothing to search
	same("", nil)
	same("  ,. ", nil)
	for _, q := range []string{"nguyen", "thi", "le van", "ho", "so 1", "t", "mui dung", "nguyen thi mu"} {
		want := scan(q)
		if len(want) == 0 && q != "mui dung" {
			t.Fatalf("no household for %q: a bad test", q)
		}
		same(q, want)
	}
	if res, _ := s.Search("nguyen", 3); len(res) != 3 {
		t.Errorf("limit 3 gave %d", len(res))
	}

	// edits and deletions keep the index right
	mui2 := mui.Clone()
	mui2.Members[0].Name = "Nguyễn Thị Mai"
	s.SaveDraft(mui2, "x")
	same("mui quynh luu", nil)
	same("mai quynh luu", []string{mui.ID})
	s.Delete(dung.ID, "x")
	same("xom doi da", nil)
	s.Undelete(dung.ID, "x")
	same("xom doi da", []string{dung.ID})
}

func TestGroupsAndLists(t *testing.T) {
	s := newTestStore(t, RoleField)
	recs := households(40, 12) // 4 groups of 10
	mustImport(t, s, jsonl(recs))
	draft := recs[0].Clone()
	draft.Income.Value++
	s.SaveDraft(draft, "x")
	s.Delete(recs[1].ID, "x")

	groups, err := s.Groups()
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 4 || groups[0].Group != "Tổ 01" {
		t.Fatalf("groups %+v", groups)
	}
	total := 0
	for _, g := range groups {
		total += g.Total
		n := 0
		for _, c := range g.ByStatus {
			n += c
		}
		if n != g.Total {
			t.Errorf("%s: status counts %v do not add up to %d", g.Group, g.ByStatus, g.Total)
		}
	}
	if total != 39 {
		t.Errorf("total %d, want 39 (one deleted)", total)
	}
	g1 := groups[0]
	if recs[0].Group != "Tổ 01" || g1.ByStatus[StatusDraft] != 1 || g1.ByStatus[StatusComplete] != 9 {
		t.Errorf("Tổ 01 counts %v", g1.ByStatus)
	}
	l, err := s.ListGroup("Tổ 01")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, r := range recs {
		if r.Group == "Tổ 01" {
			want = append(want, r.ID)
		}
	}
	var got []string
	for _, x := range l {
		got = append(got, x.ID)
	}
	if !slices.Equal(got, want) { // the order of the file
		t.Errorf("ListGroup order %v, want %v", got, want)
	}
	if l[0].HeadName != draft.HeadName() || l[0].Members != len(draft.Members) || l[0].Status != StatusDraft || l[0].Address != draft.Address || l[0].Surveyor != draft.Survey.Surveyor {
		t.Errorf("summary %+v", l[0])
	}
	if l, _ := s.ListStatus(StatusDraft); len(l) != 1 || l[0].ID != draft.ID {
		t.Errorf("ListStatus(draft) = %+v", l)
	}
	if l, _ := s.ListSurveyor("Lê Văn Hiến"); len(l) != 20 {
		t.Errorf("ListSurveyor = %d households, want 20", len(l))
	}
	if l, _ := s.List(); len(l) != 39 {
		t.Errorf("List = %d households", len(l))
	}
	if l, _ := s.ListGroup("Tổ 99"); len(l) != 0 {
		t.Errorf("unknown group listed %d", len(l))
	}

	// moving a household to another group moves it in the index
	moved := recs[2].Clone()
	moved.Group = "Tổ 09"
	s.SaveDraft(moved, "x")
	if l, _ := s.ListGroup("Tổ 09"); len(l) != 1 {
		t.Errorf("moved household not in its new group")
	}
	var n int
	err = s.ForEach(func(rec *household.Record, rev Revision) error {
		n++
		if rec.ID != rev.HouseholdID || rev.Deleted {
			t.Errorf("ForEach gave %s with revision of %s", rec.ID, rev.HouseholdID)
		}
		return nil
	})
	if err != nil || n != 39 {
		t.Errorf("ForEach: %d, %v", n, err)
	}
}

func TestAssignments(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	a := Assignment{Surveyor: "Lê Văn Hiến", Groups: []string{"Tổ 01", "Tổ 02"}, Households: []string{"5b1f0c1e-7d43-4c55-9a0e-3c2b7f1d9e21"}}
	b := Assignment{Surveyor: "Nguyễn Thị Lan", Groups: []string{"Tổ 03"}}
	for _, x := range []Assignment{b, a} {
		if err := s.SetAssignment(x); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Assignments()
	if err != nil || len(got) != 2 || got[0].Surveyor != a.Surveyor || !slices.Equal(got[0].Groups, a.Groups) || !slices.Equal(got[0].Households, a.Households) || !slices.Equal(got[1].Groups, b.Groups) {
		t.Errorf("Assignments = %+v, %v", got, err)
	}
	a.Groups = []string{"Tổ 04"}
	s.SetAssignment(a)
	s.SetAssignment(Assignment{Surveyor: b.Surveyor})
	got, _ = s.Assignments()
	if len(got) != 1 || !slices.Equal(got[0].Groups, []string{"Tổ 04"}) {
		t.Errorf("after replace and remove: %+v", got)
	}
	if err := s.SetAssignment(Assignment{Groups: []string{"x"}}); !isKind(err, ErrInvalid) {
		t.Errorf("assignment without surveyor: %v", err)
	}
}

// TestFoldLatinIsFoldNFD: the table of Latin runes folds every text of them as the
// decomposition does: each rune alone, with marks after it, and random Vietnamese text; text
// with other runes goes the long way.
func TestFoldLatinIsFoldNFD(t *testing.T) {
	var runes []rune
	for _, rg := range [][2]rune{{0x20, 0x7e}, {latinLo, latinHi}, {marksLo, marksHi}, {extLo, extHi}} {
		for r := rg[0]; r <= rg[1]; r++ {
			runes = append(runes, r)
		}
	}
	check := func(s string) {
		t.Helper()
		if got, want := Fold(s), foldNFD(s); got != want {
			t.Fatalf("Fold(%q) = %q, want %q", s, got, want)
		}
	}
	inTable := 0
	for _, r := range runes {
		if _, ok := foldLatin(string(r)); ok {
			inTable++
		}
		check(string(r))
		for _, m := range []rune{0x300, 0x301, 0x302, 0x303, 0x309, 0x323, 0x31b, 0x306, 0x34f} {
			check(string(r) + string(m))
			check(string(m) + string(r))
		}
	}
	if inTable < len(runes)*3/4 {
		t.Errorf("only %d of %d runes fold by the table", inTable, len(runes))
	}
	viet := []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵÝỲỶỸỴ ,.0123456789\u0300\u0301\u0303\u0309\u0323\u0302")
	seed := uint64(1)
	for range 20000 {
		n := 1 + int(seed%20)
		var b strings.Builder
		for range n {
			seed = seed*6364136223846793005 + 1442695040888963407
			b.WriteRune(viet[(seed>>33)%uint64(len(viet))])
		}
		check(b.String())
	}
	for _, s := range []string{"Ωμέγα", "Nguyễn Ωμέγα", "a\u0345b", "\xffNguyễn", "Ǆ ǅ ǆ", "ÅΩ", "ẞ", "ﬁ"} {
		check(s)
	}
}

// searchAll is Search for every query with the index as it is, then with the index built
// again from the current states: the two must agree whatever writes came between.
func searchAgree(t *testing.T, s *Store, queries []string) {
	t.Helper()
	for _, q := range queries {
		kept := searchIDs(t, s, q)
		s.search.mu.Lock()
		s.search.forget()
		s.search.mu.Unlock()
		built := searchIDs(t, s, q)
		if !slices.Equal(kept, built) {
			t.Errorf("Search(%q): index kept through the writes gives %v, built again %v", q, kept, built)
		}
	}
}

// TestSearchIndexFollowsWrites changes households in every way a store can (save, delete,
// undelete, import, revisions from elsewhere, restore, reindex, a write that fails and a write
// the index does not follow) and checks after each that the in-memory index kept through the
// writes finds what one built again finds.
func TestSearchIndexFollowsWrites(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	recs := households(60, 31)
	mustImport(t, s, jsonl(recs[:40]))
	queries := []string{"nguyen", "thi", "van", "to", "so 1", "mai quynh", "ngo hoa binh", "t", "zz"}
	searchAgree(t, s, queries)
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		searchAgree(t, s, queries)
	}
	r := recs[3].Clone()
	r.Members[0].Name = "Nguyễn Thị Mai"
	r.Address = "Số 9 ngõ Quỳnh Hòa Bình"
	_, err := s.SaveDraft(r, "x")
	step("save", err)
	if got := searchIDs(t, s, "mai quynh"); !slices.Equal(got, []string{r.ID}) {
		t.Fatalf("the edit is not found: %v", got)
	}
	_, err = s.Delete(recs[4].ID, "x")
	step("delete", err)
	_, err = s.Undelete(recs[4].ID, "x")
	step("undelete", err)
	_, err = s.Import(bytes.NewReader(jsonl(recs[40:50])), ImportOptions{Author: "x"})
	step("import", err)
	h, err := s.History(r.ID)
	step("history", err)
	_, err = s.Restore(r.ID, h[0].ID, "x")
	step("restore", err)
	if got := searchIDs(t, s, "mai quynh"); len(got) != 0 {
		t.Fatalf("restored household still found by its later name: %v", got)
	}

	// revisions from another device, in a transaction that fails after storing them: the
	// index must not take them
	other := newTestStore(t, RoleField)
	mustImport(t, other, jsonl(recs[50:]))
	om, err := other.Meta()
	if err != nil {
		t.Fatal(err)
	}
	revs, err := other.RevisionsSince(om.DeviceID, 0)
	if err != nil || len(revs) != 10 {
		t.Fatal(len(revs), err)
	}
	boom := errors.New("boom")
	if _, err := s.PutRevisionsWith(revs, func(*bolt.Tx) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("PutRevisionsWith: %v", err)
	}
	if got := searchIDs(t, s, Fold(recs[55].HeadName())); slices.Contains(got, recs[55].ID) {
		t.Fatal("a household of a failed transaction is found")
	}
	searchAgree(t, s, queries)
	_, err = s.PutRevisions(revs)
	step("revisions from elsewhere", err)
	if got := searchIDs(t, s, Fold(recs[55].HeadName())); !slices.Contains(got, recs[55].ID) {
		t.Fatal("a household from elsewhere is not found")
	}

	// a write the index is not told of (here: a current state changed behind the store's
	// back, straight through bbolt) moves the database on, so the next search builds the
	// index again
	searchIDs(t, s, "nguyen")
	err = s.db.Update(func(tx *bolt.Tx) error {
		tt, err := s.txn(tx)
		if err != nil {
			return err
		}
		c, _, err := tt.cur(recs[6].ID)
		if err != nil {
			return err
		}
		c.Tokens = []string{"khongaibiet"}
		return tt.current.Put([]byte(recs[6].ID), encodeCur(&c))
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, "khongaibiet"); !slices.Equal(got, []string{recs[6].ID}) {
		t.Fatalf("the index did not see a write it was not told of: %v", got)
	}
	step("reindex", s.Reindex())
	if got := searchIDs(t, s, "khongaibiet"); len(got) != 0 {
		t.Fatalf("reindex left the index stale: %v", got)
	}
}

// TestSearchWhileWriting searches from several goroutines while another saves: every search
// sees one committed state (run with -race).
func TestSearchWhileWriting(t *testing.T) {
	s := newTestStore(t, RoleField)
	recs := households(50, 3)
	mustImport(t, s, jsonl(recs))
	stop := make(chan struct{})
	var wg gosync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.Search("nguyen", 0); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	for i := range 40 {
		r := recs[i%len(recs)].Clone()
		r.Members[0].Name = fmt.Sprintf("Nguyễn Văn Thứ%d", i)
		if _, err := s.SaveDraft(r, "x"); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if got := searchIDs(t, s, "thu39"); !slices.Equal(got, []string{recs[39].ID}) {
		t.Fatalf("last save not found: %v", got)
	}
}

// TestSearchLockForgets: a locked encrypted store keeps no search words in memory and
// searches again once unlocked.
func TestSearchLockForgets(t *testing.T) {
	path := filepath.Join(t.TempDir(), "enc.db")
	s, err := Create(path, Meta{Role: RoleField, Ward: demo.DefaultWard.Name, Area: household.AreaUrban, DeviceName: "t"}, encOptions(testPass))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs := knownHouseholds(20)
	mustImport(t, s, jsonl(recs))
	if got := searchIDs(t, s, "mui ngoan"); !slices.Equal(got, []string{recs[0].ID}) {
		t.Fatalf("search: %v", got)
	}
	s.Lock()
	if s.search.built || s.search.entries != nil {
		t.Error("the search words stay in memory while locked")
	}
	if _, err := s.Search("mui", 0); !isKind(err, ErrEncrypted) {
		t.Errorf("search while locked: %v", err)
	}
	if err := s.Unlock(testPass); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, "mui ngoan"); !slices.Equal(got, []string{recs[0].ID}) {
		t.Fatalf("search after unlock: %v", got)
	}
}
