package recognised

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
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

func TestGuessAndReadCSV(t *testing.T) {
	csv := "\uFEFFDANH SÁCH HỘ NGHÈO NĂM 2025\n\nSTT;Họ và tên chủ hộ;Địa chỉ;Tổ dân phố;Phân loại\n1;Nguyễn Thị Mùi;Số 12;Tổ 04;Hộ nghèo\n2;Trần Văn An;Số 3;Tổ 01;Cận nghèo\n"
	tab, err := ReadCSV(strings.NewReader(csv))
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
	if _, err := ReadCSV(bytes.NewReader([]byte("a,b\n\xff\xfe,c\n"))); err == nil {
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

func TestReadXLSXAndEntries(t *testing.T) {
	f := excelize.NewFile()
	sh := f.GetSheetName(0)
	f.SetSheetRow(sh, "A1", &[]any{"DANH SÁCH HỘ CẬN NGHÈO"})
	f.SetSheetRow(sh, "A3", &[]any{"Mã hộ", "Chủ hộ", "Loại hộ"})
	f.SetSheetRow(sh, "A4", &[]any{"11111111-1111-4111-8111-111111111111", "A", "HCN"})
	f.SetSheetRow(sh, "A5", &[]any{"", "", "HN"})
	f.SetSheetRow(sh, "A6", &[]any{"x", "B", "???"})
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	tab, err := ReadXLSX(&buf)
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
