package recognised

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/report"
)

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]string{"Hộ nghèo": "poor", "HN": "poor", " hộ cận  nghèo ": "near_poor", "HCN": "near_poor",
		"Thoát nghèo": "escaped_poor", "thoat can ngheo": "escaped_near_poor", "near_poor": "near_poor", "Hộ có mức sống trung bình": "medium"} {
		if got, ok := ParseStatus(in); !ok || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "giàu", "x"} {
		if _, ok := ParseStatus(in); ok {
			t.Errorf("ParseStatus(%q) accepted", in)
		}
	}
}

// sampleCSV is a list as Excel in a Vietnamese locale saves it; notUTF8CSV is one saved in
// another encoding.
const (
	sampleCSV  = "\uFEFFDANH SÁCH HỘ NGHÈO NĂM 2025\n\nSTT;Họ và tên chủ hộ;Địa chỉ;Tổ dân phố;Phân loại\n1;Nguyễn Thị Mùi;Số 12;Tổ 04;Hộ nghèo\n2;Trần Văn An;Số 3;Tổ 01;Cận nghèo\n"
	notUTF8CSV = "a,b\n\xff\xfe,c\n"
)

func TestGuessAndReadCSV(t *testing.T) {
	tab, err := ReadCSV(strings.NewReader(sampleCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 || tab.Header[1] != "Họ và tên chủ hộ" {
		t.Fatalf("table %+v", tab)
	}
	m := Guess(tab.Header)
	if m != (Mapping{ID: -1, Name: 1, Address: 2, Group: 3, Status: 4}) {
		t.Errorf("guess %+v", m)
	}
	if _, err := ReadCSV(bytes.NewReader([]byte(notUTF8CSV))); err == nil {
		t.Error("a non-UTF-8 file must be refused")
	}
}

func TestMatchAll(t *testing.T) {
	hs := demo.Households(demo.DefaultWard, 50, 4)
	// Two households whose heads share a name, in different groups.
	hs[1].Members[hs[1].Head()].Name = hs[0].HeadName()
	hs[1].Group = "Tổ 09"
	name := hs[0].HeadName()
	entries := []Entry{
		{Row: 1, Name: strings.ToUpper(Fold(name)), Group: hs[0].Group, Status: "poor"}, // no accents, upper case, group narrows
		{Row: 2, ID: strings.ToUpper(hs[5].ID), Status: "near_poor"},                    // by id
		{Row: 3, Name: "Không Có Ai", Status: "poor"},
		{Row: 4, Name: name, Status: "poor"}, // ambiguous without group
		{Row: 5, ID: hs[5].ID, Status: "poor"},
	}
	ms, probs := MatchAll(entries, hs)
	if len(ms) != 2 || ms[0].HouseholdID != hs[0].ID || ms[1].HouseholdID != hs[5].ID {
		t.Fatalf("matches %+v", ms)
	}
	rows := map[int]string{}
	for _, p := range probs {
		rows[p.Row] = p.VI
	}
	if !strings.Contains(rows[3], "không tìm thấy") || !strings.Contains(rows[4], "có 2 hộ cùng tên") || !strings.Contains(rows[5], "trùng với dòng 2") {
		t.Errorf("problems %v", rows)
	}
}

// entriesBook is a one-sheet list with a title line, a row with nothing to match by and a row
// whose class is not understood.
func entriesBook(t testing.TB) []byte {
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	f.SetSheetRow(sh, "A1", &[]any{"DANH SÁCH HỘ CẬN NGHÈO"})
	f.SetSheetRow(sh, "A3", &[]any{"Mã hộ", "Chủ hộ", "Loại hộ"})
	f.SetSheetRow(sh, "A4", &[]any{"11111111-1111-4111-8111-111111111111", "A", "HCN"})
	f.SetSheetRow(sh, "A5", &[]any{"", "", "HN"})
	f.SetSheetRow(sh, "A6", &[]any{"x", "B", "???"})
	return bookBytes(t, f)
}

// skipsBook is a workbook with a sheet that is not a list, then an official list: title
// lines, a subtotal, the totals line and the signatures.
func skipsBook(t testing.TB) []byte {
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Ghi chú của cán bộ"})
	f.NewSheet("HN")
	f.SetSheetRow("HN", "A1", &[]any{"ỦY BAN NHÂN DÂN", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"})
	f.SetSheetRow("HN", "A3", &[]any{"STT", "Họ và tên chủ hộ", "Phân loại"})
	f.SetSheetRow("HN", "A4", &[]any{1, "Nguyễn Văn A", "Hộ nghèo"})
	f.SetSheetRow("HN", "A5", &[]any{"Cộng", "", ""})
	f.SetSheetRow("HN", "A6", &[]any{2, "Trần Thị B", "HCN"})
	f.SetSheetRow("HN", "A8", &[]any{"Tổng cộng: 2 hộ"})
	f.SetSheetRow("HN", "A10", &[]any{"NGƯỜI LẬP BIỂU", "", "TM. ỦY BAN NHÂN DÂN"})
	return bookBytes(t, f)
}

func bookBytes(t testing.TB, f *excelize.File) []byte {
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestReadXLSXAndEntries(t *testing.T) {
	tab, err := ReadXLSX(bytes.NewReader(entriesBook(t)))
	if err != nil {
		t.Fatal(err)
	}
	m := Guess(tab.Header)
	es, probs, err := Entries(tab, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 1 || es[0].Status != "near_poor" || len(probs) != 2 {
		t.Fatalf("entries %+v problems %+v", es, probs)
	}
	if _, _, err := Entries(tab, Mapping{-1, -1, -1, -1, 2}); err == nil {
		t.Error("a mapping with nothing to match by must be refused")
	}
	_ = household.Schema
}

// classified classifies households under the standard of their date, with last year's
// statuses of every kind.
func classified(t testing.TB, hs []*household.Record) []report.Row {
	reg := poverty.MustBuiltin()
	prev := []string{"poor", "near_poor", "", "medium", "escaped_poor", "poor", "near_poor"}
	var rows []report.Row
	for i, h := range hs {
		h.PreviousStatus = prev[i%len(prev)]
		s, p := reg.Choose(h, "")
		if p != nil {
			t.Fatal(p)
		}
		res, err := poverty.Classify(h, s)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, report.Row{Record: h, Result: res})
	}
	return rows
}

// wardLists are the ward's lists (not a group's) of classified households.
func wardLists(rows []report.Row) []report.List {
	var ward []report.List
	for _, l := range report.Build(demo.DefaultWard.Name, rows).All {
		if l.Group == "" {
			ward = append(ward, l)
		}
	}
	return ward
}

// The app's own list workbook (report.WriteListsXLSX), read back as last year's list: every
// poor, near-poor and medium household comes back with its class, a household that escaped
// poverty or near-poverty as escaped (so that one falling back is "re-poor"), the totals
// lines and signatures are not rows, and the movements sheet's repeats are named, not read.
func TestReadOwnListsXLSX(t *testing.T) {
	hs := demo.Households(demo.DefaultWard, 300, 7)
	rows := classified(t, hs)
	want := map[string]string{}
	for _, r := range rows {
		st := r.Result.Class
		switch r.Result.Movement {
		case poverty.EscapedPoor, poverty.EscapedNearPoor:
			st = r.Result.Movement
		}
		if st != poverty.NotPoor {
			want[r.Record.ID] = st
		}
	}
	ward := wardLists(rows)
	var buf bytes.Buffer
	if err := report.WriteListsXLSX(&buf, ward, "vi"); err != nil {
		t.Fatal(err)
	}
	tab, err := ReadXLSX(&buf)
	if err != nil {
		t.Fatal(err)
	}
	m := Guess(tab.Header)
	if m.Status < 0 || tab.Header[m.Status] != PreviousColumn || m.ID < 0 {
		t.Fatalf("mapping %+v of %q", m, tab.Header)
	}
	es, probs, err := Entries(tab, m)
	if err != nil {
		t.Fatal(err)
	}
	notes := 0
	for _, p := range probs {
		if p.Row != 0 {
			t.Errorf("row %d: %s", p.Row, p.VI)
		} else if strings.Contains(p.VI, "đã có ở trang trước") {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("the movements sheet's repeats are not named once: %v", probs)
	}
	ms, more := MatchAll(es, hs)
	if len(more) != 0 {
		t.Errorf("match problems %v", more)
	}
	got := map[string]string{}
	for _, mt := range ms {
		got[mt.HouseholdID] = mt.Entry.Status
	}
	kinds := map[string]int{}
	for id, st := range want {
		kinds[st]++
		if got[id] != st {
			t.Errorf("household %s: read %q, want %q", id, got[id], st)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d households read, want %d", len(got), len(want))
	}
	for _, k := range []string{"poor", "near_poor", "medium", "escaped_poor", "escaped_near_poor"} {
		if kinds[k] == 0 {
			t.Errorf("the test ward has no %s household", k)
		}
	}
}

// A workbook's sheets that are not lists are named as skipped; a sheet's totals line and what
// follows it are not rows.
func TestReadXLSXSkipsSheets(t *testing.T) {
	tab, err := ReadXLSX(bytes.NewReader(skipsBook(t)))
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 || tab.Header[1] != "Họ và tên chủ hộ" || tab.Lines[1] != 6 {
		t.Fatalf("table %+v", tab)
	}
	if len(tab.Skipped) != 1 || !strings.Contains(tab.Skipped[0].VI, `"Sheet1"`) {
		t.Errorf("skipped %+v", tab.Skipped)
	}
	es, probs, err := Entries(tab, Guess(tab.Header))
	if err != nil || len(es) != 2 || len(probs) != 1 || probs[0].Row != 0 {
		t.Errorf("entries %+v, problems %+v, %v", es, probs, err)
	}
}

// TestReadOwnCSVSemicolons: the app's own CSV list (commas) of households whose addresses
// hold more semicolons than the file has commas is read with commas (found by
// FuzzCSVRoundTrip: the separator was taken from the counts alone, and no column was found).
func TestReadOwnCSVSemicolons(t *testing.T) {
	hs := demo.Households(demo.DefaultWard, 6, 9)
	for _, h := range hs {
		h.Address = strings.Repeat("; ", 300)
	}
	for _, b := range ownCSV(t, hs) {
		tab, err := ReadCSV(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if m := Guess(tab.Header); m.Check(len(tab.Header)) != nil || m.ID < 0 || tab.Rows[0][m.Address] != strings.TrimSpace(strings.Repeat("; ", 300)) {
			t.Fatalf("header %q, mapping %+v", tab.Header, m)
		}
	}
	// a list saved by Excel with semicolons, its cells holding commas, still reads with them
	tab, err := ReadCSV(strings.NewReader("Họ và tên chủ hộ;Địa chỉ;Phân loại\nA;Số 1, ngõ 2, tổ 3;HN\n"))
	if err != nil || len(tab.Header) != 3 || tab.Rows[0][1] != "Số 1, ngõ 2, tổ 3" {
		t.Fatalf("%+v %v", tab, err)
	}
}
