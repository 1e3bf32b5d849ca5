package recognised

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/report"
)

// fuzzHouseholds are this year's households the fuzzed lists are matched against.
var fuzzHouseholds = demo.Households(demo.DefaultWard, 12, 3)

// ownCSV is the app's own CSV of each of the ward's lists (report.WriteCSV).
func ownCSV(t testing.TB, hs []*household.Record) [][]byte {
	var out [][]byte
	for _, l := range wardLists(classified(t, hs)) {
		var b bytes.Buffer
		if err := report.WriteCSV(&b, l, "vi"); err != nil {
			t.Fatal(err)
		}
		out = append(out, b.Bytes())
	}
	return out
}

// checkTable fails t unless every row of a table read from outside input becomes an entry
// or a problem naming it, through the guessed mapping and through a mapping of any columns,
// and every entry is matched or a problem naming its row.
func checkTable(t *testing.T, tab *Table, pick []byte) {
	t.Helper()
	if len(tab.Sheets) != 0 && len(tab.Sheets) != len(tab.Rows) || len(tab.Lines) != 0 && len(tab.Lines) != len(tab.Rows) {
		t.Fatalf("%d rows, %d sheets, %d lines", len(tab.Rows), len(tab.Sheets), len(tab.Lines))
	}
	for i, l := range tab.Lines {
		if l < 2 || (i > 0 && (len(tab.Sheets) == 0 || tab.Sheets[i] == tab.Sheets[i-1]) && l <= tab.Lines[i-1]) {
			t.Fatalf("row %d at line %d", i+1, l)
		}
	}
	maps := []Mapping{Guess(tab.Header)}
	if len(pick) >= 5 {
		c := func(b byte) int { return int(b)%(len(tab.Header)+1) - 1 }
		maps = append(maps, Mapping{c(pick[0]), c(pick[1]), c(pick[2]), c(pick[3]), c(pick[4])})
	}
	for _, m := range maps {
		es, probs, err := Entries(tab, m)
		if err != nil {
			if m.Check(len(tab.Header)) == nil {
				t.Fatalf("Entries refused a mapping Check takes: %v", err)
			}
			continue
		}
		rows := map[int]bool{}
		for _, e := range es {
			if rows[e.Row] || e.Row < 1 || e.Row > len(tab.Rows) {
				t.Fatalf("entry of row %d", e.Row)
			}
			rows[e.Row] = true
			if _, ok := ParseStatus(e.Status); !ok || e.ID == "" && e.Name == "" {
				t.Fatalf("entry %+v", e)
			}
		}
		for _, p := range probs {
			if p.VI == "" || p.EN == "" {
				t.Fatalf("problem without a message: %+v", p)
			}
			if p.Row == 0 {
				continue
			}
			if rows[p.Row] || p.Row < 1 || p.Row > len(tab.Rows) {
				t.Fatalf("problem of row %d: %s", p.Row, p.EN)
			}
			rows[p.Row] = true
		}
		if len(rows) != len(tab.Rows) {
			t.Fatalf("%d of %d rows are an entry or a problem", len(rows), len(tab.Rows))
		}
		ms, mprobs := MatchAll(es, fuzzHouseholds)
		if len(ms)+len(mprobs) != len(es) {
			t.Fatalf("%d entries: %d matches, %d problems", len(es), len(ms), len(mprobs))
		}
		for _, p := range mprobs {
			if p.Row < 1 || p.Row > len(tab.Rows) {
				t.Fatalf("match problem of row %d: %s", p.Row, p.EN)
			}
		}
	}
}

// FuzzReadCSV feeds ReadCSV arbitrary bytes, seeded with the CSV files of the unit tests and
// the app's own lists. Nothing may panic; what reads has every row an entry or a problem.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(sampleCSV), []byte{0, 0, 0, 0, 0})
	f.Add([]byte(notUTF8CSV), []byte{})
	for _, b := range ownCSV(f, demo.Households(demo.DefaultWard, 8, 5)) {
		f.Add(b, []byte{14, 2, 4, 3, 5})
	}
	f.Fuzz(func(t *testing.T, data, pick []byte) {
		tab, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		checkTable(t, tab, pick)
	})
}

// FuzzCSVRoundTrip writes the app's own lists (report.WriteCSV) of households with names,
// addresses and groups of any text, and reads them back as last year's list: every listed
// household comes back, matched, with its class.
func FuzzCSVRoundTrip(f *testing.F) {
	f.Add("Nguyễn Thị Mùi", "Số 12, ngõ 3", "Tổ 04")
	f.Add("Tổng cộng", "; ; ;", "\"Cộng\"")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, name, address, group string) {
		if !utf8.ValidString(name) || !utf8.ValidString(address) || !utf8.ValidString(group) {
			return // ReadCSV refuses files that are not UTF-8; the app writes only UTF-8
		}
		hs := demo.Households(demo.DefaultWard, 6, 9)
		for _, h := range hs[:3] {
			h.Members[h.Head()].Name = name
			h.Address = address
			h.Group = group
		}
		ward := wardLists(classified(t, hs))
		for i, b := range ownCSV(t, hs) {
			l := ward[i]
			tab, err := ReadCSV(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("list %s: %v", l.Kind, err)
			}
			es, probs, err := Entries(tab, Guess(tab.Header))
			if err != nil || len(probs) != 0 || len(es) != len(l.Rows) {
				t.Fatalf("list %s of %d: %d entries, %v, %v\n%q", l.Kind, len(l.Rows), len(es), probs, err, b)
			}
			ms, probs := MatchAll(es, hs)
			if len(probs) != 0 || len(ms) != len(l.Rows) {
				t.Fatalf("list %s: %d matches, %v", l.Kind, len(ms), probs)
			}
			for j, m := range ms {
				r := l.Rows[j]
				want, _ := ParseStatus(report.ClassWord(r.Result.Class, "vi"))
				if m.HouseholdID != r.Record.ID || m.Entry.Status != want {
					t.Fatalf("list %s row %d: %s %s, want %s %s", l.Kind, j+1, m.HouseholdID, m.Entry.Status, r.Record.ID, want)
				}
			}
		}
	})
}

// Workbooks reach the fuzzer as text: sheets separated by '\f', each its name on the first
// line, then its rows, one a line, cells separated by '\t'.
func gridText(sheets []Sheet) []byte {
	var b bytes.Buffer
	for i, s := range sheets {
		if i > 0 {
			b.WriteByte('\f')
		}
		b.WriteString(s.Name)
		for _, r := range s.Rows {
			b.WriteByte('\n')
			b.WriteString(strings.Join(r, "\t"))
		}
	}
	return b.Bytes()
}

// gridSheets reads the text of gridText back; a sheet's name is made unique as a workbook's
// are (case aside).
func gridSheets(data []byte) []Sheet {
	var out []Sheet
	names := map[string]bool{}
	for _, part := range strings.Split(string(data), "\f") {
		lines := strings.Split(part, "\n")
		s := Sheet{Name: lines[0]}
		for names[strings.ToLower(s.Name)] {
			s.Name += "'"
		}
		names[strings.ToLower(s.Name)] = true
		for _, l := range lines[1:] {
			s.Rows = append(s.Rows, strings.Split(l, "\t"))
		}
		out = append(out, s)
	}
	return out
}

// bookSheets reads a workbook's cell grid as ReadXLSX does.
func bookSheets(t testing.TB, book []byte) []Sheet {
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Sheet
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Sheet{Name: sh, Rows: rows})
	}
	return out
}

// ownBook is the app's own list workbook (report.WriteListsXLSX) of a few households.
func ownBook(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := report.WriteListsXLSX(&buf, wardLists(classified(t, demo.Households(demo.DefaultWard, 10, 7))), "vi"); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzFromSheets feeds the reading of a workbook's sheets (what ReadXLSX does once excelize
// has the cells) any grid of cells, seeded with the unit tests' workbooks and the app's own.
// Nothing may panic; what reads has every row an entry or a problem naming it.
func FuzzFromSheets(f *testing.F) {
	for _, book := range [][]byte{entriesBook(f), skipsBook(f), ownBook(f)} {
		f.Add(gridText(bookSheets(f, book)), []byte{0, 1, 2, 3, 4})
	}
	f.Add([]byte("\f\f"), []byte{})
	f.Fuzz(func(t *testing.T, data, pick []byte) {
		tab, err := FromSheets(gridSheets(data))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		checkTable(t, tab, pick)
	})
}

// FuzzReadXLSX feeds ReadXLSX arbitrary bytes, lightly (excelize is slow): the zip and XML
// reading must not panic, and what reads is checked as FuzzFromSheets checks it.
func FuzzReadXLSX(f *testing.F) {
	f.Add(entriesBook(f))
	f.Add(skipsBook(f))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := ReadXLSX(bytes.NewReader(data))
		if err != nil {
			return
		}
		checkTable(t, tab, nil)
	})
}
