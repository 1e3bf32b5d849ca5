package report

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

func classified(t testing.TB, n int) []Row {
	t.Helper()
	reg := poverty.MustBuiltin()
	var rows []Row
	for _, h := range demo.Households(demo.DefaultWard, n, 11) {
		s, p := reg.Choose(h, "")
		if p != nil {
			t.Fatal(p)
		}
		res, err := poverty.Classify(h, s)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, Row{Record: h, Result: res})
	}
	return rows
}

func TestSortVietnamese(t *testing.T) {
	names := []string{"Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn Dũng", "Phạm Thị An", "Hoàng Văn Ân", "Vũ Thị Ă"}
	var rows []Row
	for _, n := range names {
		rows = append(rows, Row{Record: &household.Record{Group: "Tổ 01", Members: []household.Member{{Name: n, Relation: "head"}}}})
	}
	Sort(rows)
	var got []string
	for _, r := range rows {
		got = append(got, r.Record.HeadName())
	}
	// By given name in Vietnamese order: An < Ánh < Ă < Ân < Dũng < Đức.
	want := []string{"Phạm Thị An", "Trần Thị Ánh", "Vũ Thị Ă", "Hoàng Văn Ân", "Lê Văn Dũng", "Nguyễn Văn Đức"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{"Tổ 04": "to-04", "Thôn Bản Cầm": "thon-ban-cam", "Phường Đồng Tâm": "phuong-dong-tam", "  Tổ  5/A ": "to-5-a"} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBuildCoversEveryHouseholdOnce(t *testing.T) {
	rows := classified(t, 500)
	ls := Build("Phường Demo", rows)
	if len(ls.Groups) != demo.DefaultWard.Groups || len(ls.All) != 4*(1+len(ls.Groups)) {
		t.Fatalf("%d groups, %d lists", len(ls.Groups), len(ls.All))
	}
	wardCount, groupCount := map[string]int{}, map[string]int{}
	for _, l := range ls.All {
		for _, r := range l.Rows {
			if !InList(l.Kind, &r) {
				t.Fatalf("%s list holds a %s household", l.Kind, r.Result.Class)
			}
			if l.Group == "" {
				wardCount[l.Kind]++
			} else {
				groupCount[l.Kind]++
				if r.Record.Group != l.Group {
					t.Fatalf("group %s list holds a household of %s", l.Group, r.Record.Group)
				}
			}
		}
	}
	for _, k := range ListKinds {
		if wardCount[k] != groupCount[k] {
			t.Errorf("%s: ward list has %d, groups together %d", k, wardCount[k], groupCount[k])
		}
	}
	want := 0
	for _, r := range rows {
		if r.Result.Class == poverty.Poor {
			want++
		}
	}
	if wardCount[ListPoor] != want || want == 0 {
		t.Errorf("ward poor list has %d, want %d", wardCount[ListPoor], want)
	}
}

func TestWriteCSV(t *testing.T) {
	rows := classified(t, 300)
	ls := Build("Phường Demo", rows)
	dir := t.TempDir()
	paths, err := WriteCSVDir(dir, ls, "vi")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(ls.All) {
		t.Fatalf("%d files for %d lists", len(paths), len(ls.All))
	}
	data, err := os.ReadFile(filepath.Join(dir, "toan-phuong_ho-ngheo.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte(bom)) {
		t.Fatal("no byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(data[len(bom):])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	if header[0] != "STT" || header[9] != "Việc làm" || header[len(header)-1] != "Chuẩn nghèo áp dụng" {
		t.Errorf("header %v", header)
	}
	for i, rec := range recs[1:] {
		if rec[0] != strings.TrimSpace(rec[0]) || rec[0] != strconv.Itoa(i+1) || rec[4] != "Hộ nghèo" {
			t.Fatalf("row %d: %v", i+1, rec)
		}
		if rec[len(rec)-1] != "Chuẩn nghèo đa chiều giai đoạn 2022–2025 (phiên bản 2026.1)" {
			t.Fatalf("row %d names standard %q", i+1, rec[len(rec)-1])
		}
	}
	// English headers on request.
	var en bytes.Buffer
	if err := WriteCSV(&en, ls.All[0], "en"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(en.String(), "Head of household") || !strings.Contains(en.String(), ",Poor,") {
		t.Errorf("English list: %.200s", en.String())
	}
}

// Numbers inside group names and addresses sort by value, letters in Vietnamese order, and
// groups written "Tổ 01" and "Tổ 1" stay apart (poverty review QA, finding 12).
func TestSortNumbersByValue(t *testing.T) {
	groups := []string{"Tổ 10", "Thôn Ư Đồng", "Tổ 2", "Tổ 1", "Thôn Ải", "Tổ 11", "Tổ 01", "Thôn Đồng Tâm", "Tổ 3", "Thôn Dền"}
	res := classified(t, 1)[0].Result
	var rows []Row
	for i, g := range groups {
		for _, addr := range []string{"Số 120, thôn Bản Cầm", "Số 38, thôn Bản Cầm", "Số 9, thôn Bản Cầm"} {
			rows = append(rows, Row{Record: &household.Record{ID: fmt.Sprint(i, addr), Group: g, Address: addr,
				Members: []household.Member{{Name: "Lò Văn An", Relation: "head"}}}, Result: res})
		}
	}
	Sort(rows)
	var gotGroups []string
	for i, r := range rows {
		if i == 0 || r.Record.Group != rows[i-1].Record.Group {
			gotGroups = append(gotGroups, r.Record.Group)
		}
		if want := []string{"Số 9, thôn Bản Cầm", "Số 38, thôn Bản Cầm", "Số 120, thôn Bản Cầm"}[i%3]; r.Record.Address != want {
			t.Errorf("row %d of %s: address %q, want %q", i, r.Record.Group, r.Record.Address, want)
		}
	}
	want := []string{"Thôn Ải", "Thôn Dền", "Thôn Đồng Tâm", "Thôn Ư Đồng", "Tổ 01", "Tổ 1", "Tổ 2", "Tổ 3", "Tổ 10", "Tổ 11"}
	if strings.Join(gotGroups, "|") != strings.Join(want, "|") {
		t.Errorf("groups in order\n got %v\nwant %v", gotGroups, want)
	}
	names := append([]string(nil), groups...)
	SortNames(names)
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Errorf("SortNames\n got %v\nwant %v", names, want)
	}
	if CompareNames("Tổ 2", "Tổ 10") >= 0 || CompareNames("Tổ 01", "Tổ 1") == 0 || CompareNames("Tổ 1", "Tổ 1") != 0 {
		t.Error("CompareNames does not order numbers by value")
	}
	ls := Build("Phường Cốc Lếu", rows)
	if strings.Join(ls.Groups, "|") != strings.Join(want, "|") {
		t.Errorf("Build's groups %v", ls.Groups)
	}
	tables := Reports("Phường Cốc Lếu", rows, "vi")
	for _, tb := range tables {
		var got []string
		for _, r := range tb.Rows {
			got = append(got, fmt.Sprint(r[0]))
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("report %s: group rows %v", tb.Key, got)
		}
	}
}

// The words for movements are the questionnaire's (questionnaire.md, "Words for results"), and
// every movement has words of its own in both languages (QA finding 13).
func TestMovementWords(t *testing.T) {
	spec := map[string][2]string{
		poverty.EscapedPoor: {"Thoát nghèo", "Escaped poverty"}, poverty.EscapedNearPoor: {"Thoát cận nghèo", "Escaped near-poverty"},
		poverty.NewPoor: {"Phát sinh nghèo", "Newly poor"}, poverty.NewNearPoor: {"Phát sinh cận nghèo", "Newly near-poor"},
		poverty.RePoor: {"Tái nghèo", "Fell back into poverty"}, poverty.ReNearPoor: {"Tái cận nghèo", "Fell back into near-poverty"},
		poverty.PoorToNearPoor: {"Từ nghèo sang cận nghèo", "Poor to near-poor"}, poverty.NearPoorToPoor: {"Từ cận nghèo sang nghèo", "Near-poor to poor"},
		poverty.RemainsPoor: {"Vẫn nghèo", "Remains poor"}, poverty.RemainsNearPoor: {"Vẫn cận nghèo", "Remains near-poor"},
		poverty.MovementNone: {"Không thay đổi", "No change"},
	}
	for m, w := range spec {
		if got := MovementWord(m, "vi"); got != w[0] {
			t.Errorf("%s: %q, want %q", m, got, w[0])
		}
		if got := MovementWord(m, "en"); got != w[1] {
			t.Errorf("%s (en): %q, want %q", m, got, w[1])
		}
	}
	if len(movementWords) != len(spec) {
		t.Errorf("%d movements have words, the test knows %d", len(movementWords), len(spec))
	}
}

// TestYearNote: rows of one survey year give no note; rows of several name the others, year
// by year, against the list's year.
func TestYearNote(t *testing.T) {
	rows := classified(t, 30)
	if note := YearNote(rows, "vi"); note != "" {
		t.Fatalf("one year: %q", note)
	}
	year := surveyYear(rows)
	rows[3].Record.Survey.Date.Y = int16(year - 2)
	rows[7].Record.Survey.Date.Y = int16(year - 1)
	rows[9].Record.Survey.Date.Y = int16(year - 2)
	want := fmt.Sprintf("danh sách năm %d có 3 hộ rà soát năm khác (năm: số hộ — %d: 2, %d: 1)", year, year-2, year-1)
	if note := YearNote(rows, "vi"); !strings.Contains(note, want) {
		t.Errorf("note %q lacks %q", note, want)
	}
	if note := YearNote(rows, "en"); !strings.Contains(note, "hold 3 households surveyed in another year") {
		t.Errorf("English note %q", note)
	}
}

// TestScoreTableNote: a standard whose score thresholds come from an imported table names it
// in the documents' heads, and an EXAMPLE table says it is not for real lists; a standard
// with its own thresholds gets no such line.
func TestScoreTableNote(t *testing.T) {
	data, err := os.ReadFile("../poverty/testdata/score-table-example.json")
	if err != nil {
		t.Fatal(err)
	}
	table, err := poverty.ParseScoreTable(data)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := poverty.MustBuiltin().WithScoreTable(table)
	if err != nil {
		t.Fatal(err)
	}
	own, _ := reg.Get("2022-2025")
	from, _ := reg.Get("2027-2030")
	if n := ScoreTableNote(own, "vi"); n != "" {
		t.Errorf("2022-2025 has its own thresholds: %q", n)
	}
	n := ScoreTableNote(from, "vi")
	if !strings.HasPrefix(n, "Ngưỡng điểm thu nhập theo bảng điểm: VÍ DỤ") || !strings.Contains(n, "KHÔNG DÙNG CHO DANH SÁCH THẬT") {
		t.Errorf("2027-2030: %q", n)
	}
	rows := []Row{{Record: demo.Households(demo.DefaultWard, 1, 1)[0], Result: poverty.Result{Standard: from}}}
	if sub := subtitle("Phường X", rows, "vi"); !slices.Contains(sub, n) {
		t.Errorf("the reports' head lacks the table: %q", sub)
	}
}

// TestWriteFileAtomic: a document is readable by others (0644: it is handed round), a failed
// fill leaves the file as it was and no temporary file, and a folder in the path's place is a
// *fs.PathError for the caller to word.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ds.csv")
	if err := WriteFileAtomic(p, func(w io.Writer) error { _, err := io.WriteString(w, "one"); return err }); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644", fi.Mode().Perm(), err)
	}
	bad := errors.New("the fill's own error")
	if err := WriteFileAtomic(p, func(w io.Writer) error { io.WriteString(w, "half"); return bad }); err != bad {
		t.Errorf("fill's error came back as %v", err)
	}
	if data, _ := os.ReadFile(p); string(data) != "one" {
		t.Errorf("the file became %q", data)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("left behind: %v", es)
	}
	var pe *fs.PathError
	if err := WriteFileAtomic(dir, func(io.Writer) error { return nil }); !errors.As(err, &pe) {
		t.Errorf("a folder: %v", err)
	}
}
