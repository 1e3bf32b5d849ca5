package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/store"
)

// exampleTable is the EXAMPLE score table of docs/score-table.md (not a ward's).
func exampleTable(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile("../poverty/testdata/score-table-example.json")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// badTable is the example with a threshold that disagrees with the 2022-2025 standard's own:
// poverty.ParseScoreTable takes it, store.LoadScoreTable refuses it.
func badTable(t testing.TB) []byte {
	t.Helper()
	bad := bytes.Replace(exampleTable(t), []byte(`"2022-2025": {"rural": 140`), []byte(`"2022-2025": {"rural": 150`), 1)
	if bytes.Equal(bad, exampleTable(t)) {
		t.Fatal("the example table changed: fix badTable")
	}
	return bad
}

// tableOf returns the site's score table file (nil: none), checking the store uses it.
func tableOf(t testing.TB, s *site) []byte {
	t.Helper()
	file, err := s.st.ScoreTableFile()
	if err != nil {
		t.Fatal(err)
	}
	st, err := s.st.ScoreTable()
	if err != nil {
		t.Fatalf("%s: table in force: %v", s.name, err)
	}
	if (st == nil) != (file == nil) || st != nil && st.SHA256() != hashHex(file) {
		t.Fatalf("%s: stored table %d bytes, table in force %v", s.name, len(file), st)
	}
	return file
}

// refText describes what a header says of a table, for failure messages.
func refText(r *ScoreTableRef) string {
	if r == nil {
		return "nothing"
	}
	return fmt.Sprintf("sha256 %s, file of %d bytes", r.SHA256, len(r.File))
}

// downHeader decodes the header of a down-batch file for laptop l.
func downHeader(t testing.TB, l *site, file []byte) Header {
	t.Helper()
	_, id, _, err := l.n.loadKeys()
	if err != nil {
		t.Fatal(err)
	}
	inner, err := unseal(file, id, l.n.o.Limits)
	if err != nil {
		t.Fatal(err)
	}
	p, err := parseInner(inner)
	if err != nil {
		t.Fatal(err)
	}
	return p.hdr
}

// TestScoreTableGoesDownUSB: the office's score table reaches its laptops by USB, is not sent
// again while it is unchanged, and its removal removes it on the laptops; an older stick does
// not bring it back; a laptop's own table gives way to the office's.
func TestScoreTableGoesDownUSB(t *testing.T) {
	w := newWorld(t)
	w.opts.BatchRevisions = 2 // several down-batches per export
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	b := w.newLaptop("b", "")
	a.households(t, 3, 1)
	b.households(t, 3, 2)
	example := exampleTable(t)
	if _, err := office.st.LoadScoreTable(example, "cán bộ"); err != nil {
		t.Fatal(err)
	}
	// b loaded a table of its own (the example, altered in its title): the office's wins
	own := bytes.Replace(example, []byte(`"version": "`), []byte(`"version": "x`), 1)
	if _, err := b.st.LoadScoreTable(own, "b"); err != nil {
		t.Fatal(err)
	}
	stick, old := filepath.Join(w.dir, "usb"), t.TempDir()

	officeRound(t, stick, office, a, b)
	files, _ := filepath.Glob(filepath.Join(stick, "down-dev-a-*"))
	if len(files) < 2 {
		t.Fatalf("down files %v", files)
	}
	// the first batch carries the file, the next ones name it
	for i, f := range files {
		h := downHeader(t, a, readFile(t, f))
		if h.ScoreTable == nil || h.ScoreTable.SHA256 != hashHex(example) || (h.ScoreTable.File != nil) != (i == 0) {
			t.Fatalf("%s: score table: %s", filepath.Base(f), refText(h.ScoreTable))
		}
	}
	for _, l := range []*site{a, b} {
		res, err := l.n.ImportFrom(stick)
		if err != nil || len(res.Refused) > 0 || res.ScoreTable != ScoreTableLoaded {
			t.Fatalf("%s import: %+v %v", l.name, res, err)
		}
		if !bytes.Equal(tableOf(t, l), example) {
			t.Fatalf("%s: not the office's table", l.name)
		}
	}
	if err := os.CopyFS(old, os.DirFS(stick)); err != nil { // a stick with the table
		t.Fatal(err)
	}

	// an unchanged table is named, not sent again
	usbRound(t, stick, office, a, b)
	files, _ = filepath.Glob(filepath.Join(stick, "down-dev-a-*"))
	for _, f := range files {
		if h := downHeader(t, a, readFile(t, f)); h.ScoreTable == nil || h.ScoreTable.File != nil || h.ScoreTable.SHA256 != hashHex(example) {
			t.Fatalf("%s: score table: %s, want its hash only", filepath.Base(f), refText(h.ScoreTable))
		}
	}
	if res, err := a.n.ImportFrom(stick); err != nil || res.ScoreTable != "" || !bytes.Equal(tableOf(t, a), example) {
		t.Fatalf("again: %+v %v", res, err)
	}

	// the office removes its table: so do the laptops, and the older stick does not bring it back
	if err := office.st.RemoveScoreTable("cán bộ"); err != nil {
		t.Fatal(err)
	}
	officeRound(t, stick, office, a, b)
	for _, l := range []*site{a, b} {
		res, err := l.n.ImportFrom(stick)
		if err != nil || len(res.Refused) > 0 || res.ScoreTable != ScoreTableRemoved {
			t.Fatalf("%s import after removal: %+v %v", l.name, res, err)
		}
		if tableOf(t, l) != nil {
			t.Fatalf("%s still has a table", l.name)
		}
		if _, err := l.n.ImportFrom(old); err != nil {
			t.Fatal(err)
		}
		if tableOf(t, l) != nil {
			t.Fatalf("%s: an older stick brought the table back", l.name)
		}
	}
	// the laptops' audit logs say where the table came from
	entries, err := a.st.AuditLog()
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, e := range entries {
		if e.Action == store.AuditSettings {
			seen = append(seen, e.Detail)
		}
	}
	if len(seen) != 2 || !strings.Contains(seen[0]+seen[1], "loaded from the ward office") || !strings.Contains(seen[0]+seen[1], "removed by the ward office") {
		t.Fatalf("audit %q", seen)
	}
}

// TestScoreTableGoesDownHTTPS: the same over the LAN: the first sync brings the table, the
// next one names it only, and the office's removal removes it.
func TestScoreTableGoesDownHTTPS(t *testing.T) {
	w := newWorld(t)
	w.opts.BatchRevisions = 2
	office := w.newDiskOffice()
	addr := serve(t, office)
	a := w.newLaptop("a", addr)
	b := w.newLaptop("b", addr)
	b.households(t, 5, 3)
	syncNow(t, b)
	example := exampleTable(t)
	if _, err := office.st.LoadScoreTable(example, "cán bộ"); err != nil {
		t.Fatal(err)
	}
	if res := syncNow(t, a); res.ScoreTable != ScoreTableLoaded || res.Added != 5 {
		t.Fatalf("a: %+v", res)
	}
	if !bytes.Equal(tableOf(t, a), example) {
		t.Fatal("a: not the office's table")
	}
	// a said it has the table: the office's next down-batch to it names it only
	have, err := a.st.Devices()
	if err != nil {
		t.Fatal(err)
	}
	data, err := office.n.DownFor(a.n.DeviceID(), have)
	if err != nil {
		t.Fatal(err)
	}
	if h := downHeader(t, a, data); h.ScoreTable == nil || h.ScoreTable.File != nil || h.ScoreTable.SHA256 != hashHex(example) {
		t.Fatalf("second down-batch: score table: %s, want its hash only", refText(h.ScoreTable))
	}
	if res := syncNow(t, a); res.ScoreTable != "" || !bytes.Equal(tableOf(t, a), example) {
		t.Fatalf("a again: %+v", res)
	}
	if err := office.st.RemoveScoreTable("cán bộ"); err != nil {
		t.Fatal(err)
	}
	if res := syncNow(t, a); res.ScoreTable != ScoreTableRemoved || tableOf(t, a) != nil {
		t.Fatalf("a after removal: %+v", res)
	}
	// a new table reaches a laptop that had none
	if _, err := office.st.LoadScoreTable(example, "cán bộ"); err != nil {
		t.Fatal(err)
	}
	if res := syncNow(t, a); res.ScoreTable != ScoreTableLoaded || !bytes.Equal(tableOf(t, a), example) {
		t.Fatalf("a after loading again: %+v", res)
	}
}

// TestScoreTableInEnrollmentPackage: a laptop enrolled while the office has a table has it
// before its first sync; a package whose table this laptop cannot use is refused whole.
func TestScoreTableInEnrollmentPackage(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	example := exampleTable(t)
	if _, err := office.st.LoadScoreTable(example, "cán bộ"); err != nil {
		t.Fatal(err)
	}
	a := w.newLaptop("a", "")
	if !bytes.Equal(tableOf(t, a), example) {
		t.Fatal("the enrolled laptop has not the office's table")
	}

	// a package whose table does not pass (signed by the office): refused, nothing installed
	c := w.open("c", store.RoleField)
	req, code, err := c.n.EnrollRequest()
	if err != nil {
		t.Fatal(err)
	}
	// the office cannot load a bad table itself: forge its package with one
	raw, err := office.st.ScoreTableFile()
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := office.n.Approve(req, code, "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePackage(pkg)
	if err != nil || !bytes.Equal(p.ScoreTable, raw) {
		t.Fatalf("package: %v, table %d bytes", err, len(p.ScoreTable))
	}
	p.ScoreTable = badTable(t)
	forged := forgePackage(t, office, p)
	_, err = c.n.InstallPackage(forged)
	if !errors.Is(err, ErrEnrollment) || !strings.Contains(store.Message(err, "en"), "score table") ||
		!strings.Contains(store.Message(err, "vi"), "bảng điểm") {
		t.Fatalf("install with a bad table: %v", err)
	}
	if _, ok, _ := c.n.Enrollment(); ok || tableOf(t, c) != nil {
		t.Fatal("a refused package was installed")
	}
	if _, err := c.n.InstallPackage(pkg); err != nil || !bytes.Equal(tableOf(t, c), example) {
		t.Fatalf("the good package: %v", err)
	}
}

// TestScoreTableRefused: a down-batch whose table this laptop cannot use, or whose table does
// not match the hash its header states, is refused whole with the other refusals of the
// import, saying why, even when it would wait for a gap; nothing of it is written; the same
// batch with the office's good table goes through. An up-batch never carries a table.
func TestScoreTableRefused(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	b := w.newLaptop("b", "")
	b.households(t, 3, 5)
	usbRound(t, t.TempDir(), office, b)
	d, _, err := office.st.SyncDevice(a.n.DeviceID())
	if err != nil {
		t.Fatal(err)
	}
	k, _, _, err := office.n.loadKeys()
	if err != nil {
		t.Fatal(err)
	}
	revs, err := office.st.RevisionsSince(b.n.DeviceID(), 0)
	if err != nil || len(revs) != 3 {
		t.Fatal(len(revs), err)
	}
	example, bad := exampleTable(t), badTable(t)
	down := func(revs []store.Revision, table *ScoreTableRef, as ...Assignment) []byte {
		t.Helper()
		if as == nil {
			as = []Assignment{{Surveyor: "ĐTV a", Groups: []string{"Tổ 01"}}}
		}
		data, err := office.n.downBatch(d, k, revs, false, 0, as, table)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}

	stick := t.TempDir()
	cases := []struct {
		name string
		data []byte
		want *Error
	}{
		{"a table the laptop cannot use", down(revs, &ScoreTableRef{SHA256: hashHex(bad), File: bad}), store.ErrInvalid},
		{"the same, behind a gap", down(revs[1:], &ScoreTableRef{SHA256: hashHex(bad), File: bad}), store.ErrInvalid},
		{"a table that does not match its hash", down(revs, &ScoreTableRef{SHA256: hashHex(example), File: bad}), ErrTampered},
		{"a table with the hash of none", down(revs, &ScoreTableRef{SHA256: NoScoreTable, File: example}), ErrTampered},
		{"a hash that is not one", down(revs, &ScoreTableRef{SHA256: "ABC"}), ErrTampered},
		// the good table, in a batch the store refuses (an assignment with a control
		// character): the table is not loaded either
		{"the good table in a refused batch", down(revs, &ScoreTableRef{SHA256: hashHex(example), File: example},
			Assignment{Surveyor: "ĐTV\x01a"}), store.ErrInvalid},
	}
	before := snapshot(t, a)
	for i, tc := range cases {
		_, err := a.n.Import(tc.data)
		if !errors.Is(err, tc.want) || store.Message(err, "vi") == store.Message(err, "en") {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if i < 2 && (!strings.Contains(store.Message(err, "en"), "the ward office's income score table cannot be used on this laptop") ||
			!strings.Contains(store.Message(err, "en"), "2022-2025") || !strings.Contains(store.Message(err, "vi"), "bảng điểm thu nhập của văn phòng phường")) {
			t.Errorf("%s: %q / %q", tc.name, store.Message(err, "vi"), store.Message(err, "en"))
		}
		if err := os.WriteFile(filepath.Join(stick, "down-dev-a-000"+string(rune('1'+i))+".rsb"), tc.data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	res, err := a.n.ImportFrom(stick)
	if err != nil || len(res.Refused) != len(cases) || res.Added != 0 || res.ScoreTable != "" {
		t.Fatalf("import from the stick: %+v %v", res, err)
	}
	for i, r := range res.Refused {
		if !errors.Is(r.Err, cases[i].want) {
			t.Errorf("%s: %v", r.File, r.Err)
		}
	}
	if got := snapshot(t, a); got != before || tableOf(t, a) != nil {
		t.Fatalf("a refused batch left changes:\n%s\nwant\n%s", got, before)
	}

	// the office's good table: all of the batch applies
	r, err := a.n.Import(down(revs, &ScoreTableRef{SHA256: hashHex(example), File: example}))
	if err != nil || r.Added != 3 || r.ScoreTable != ScoreTableLoaded || !bytes.Equal(tableOf(t, a), example) {
		t.Fatalf("good batch: %+v %v", r, err)
	}
	if as, _ := a.st.Assignments(); len(as) != 1 {
		t.Fatalf("assignments %+v", as)
	}

	// a laptop that sends a table up is refused
	withFile := forge(t, a, nil, nil, func(h *Header) { h.ScoreTable = &ScoreTableRef{SHA256: hashHex(example), File: example} })
	if _, err := office.n.Import(withFile); !errors.Is(err, ErrTampered) {
		t.Fatalf("an up-batch with a table: %v", err)
	}
}

// TestScoreTableTamper: one byte changed anywhere in a down-batch that carries the table, or
// the file cut short, and the batch is refused with nothing written: the table is inside the
// encrypted, signed batch.
func TestScoreTableTamper(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	example := exampleTable(t)
	if _, err := office.st.LoadScoreTable(example, "cán bộ"); err != nil {
		t.Fatal(err)
	}
	have, _ := a.st.Devices()
	good, err := office.n.DownFor(a.n.DeviceID(), have)
	if err != nil {
		t.Fatal(err)
	}
	if h := downHeader(t, a, good); h.ScoreTable == nil || !bytes.Equal(h.ScoreTable.File, example) {
		t.Fatalf("the batch does not carry the table: %s", refText(h.ScoreTable))
	}
	if err := a.st.RemoveScoreTable("a"); err != nil { // enrollment brought it
		t.Fatal(err)
	}
	before := snapshot(t, a)
	step := 1
	if testing.Short() {
		step = 7
	}
	for i := 0; i < len(good); i += step {
		bad := bytes.Clone(good)
		bad[i] ^= 0x01
		if _, err := a.n.Import(bad); !IsRefusal(err) {
			t.Fatalf("byte %d of %d flipped: %v", i, len(good), err)
		}
	}
	for l := 0; l < len(good); l += 97 * step {
		if _, err := a.n.Import(good[:l]); !IsRefusal(err) {
			t.Fatalf("cut at %d of %d: %v", l, len(good), err)
		}
	}
	if got := snapshot(t, a); got != before || tableOf(t, a) != nil {
		t.Fatal("a damaged batch changed the laptop")
	}
	if r, err := a.n.Import(good); err != nil || r.ScoreTable != ScoreTableLoaded {
		t.Fatalf("the batch itself: %+v %v", r, err)
	}
}

// forgePackage signs p with the office's own key, as only the office could: a package whose
// signature holds, so that what the laptop does with its content is what is tested.
func forgePackage(t testing.TB, office *site, p Package) []byte {
	t.Helper()
	k, _, _, err := office.n.loadKeys()
	if err != nil {
		t.Fatal(err)
	}
	signed, sig, err := signJSON(p, k.SignKey, packageFormat+"\x00")
	if err != nil {
		t.Fatal(err)
	}
	forged, err := json.Marshal(signedFile{Package: signed, Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	return forged
}

// officeRound is the laptops' trip to the office with one stick: each writes its batches,
// the office imports them and writes its answers.
func officeRound(t testing.TB, stick string, office *site, laptops ...*site) {
	t.Helper()
	for _, l := range laptops {
		if _, err := l.n.ExportTo(stick); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := office.n.ImportFrom(stick); err != nil {
		t.Fatal(err)
	}
	if _, err := office.n.ExportTo(stick); err != nil {
		t.Fatal(err)
	}
}
