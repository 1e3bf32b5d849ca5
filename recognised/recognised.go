// Package recognised reads last year's recognised list of poor and near-poor households (the
// chairman's decision, as the ward keeps it in Excel or CSV) and matches its rows to this
// year's households, so that each household's previous_status can be set and the movements
// (escaped, newly poor, fell back…) come out right.
package recognised

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/rasoat/rasoat/household"
)

// Table is a sheet as read: a header row and the data rows, every cell as text.
type Table struct {
	Header []string
	Rows   [][]string
}

// MaxRows bounds what is read from one file: a province's list fits, a wrong file does not
// exhaust memory.
const MaxRows = 500_000

// ReadCSV reads a CSV file (comma or semicolon separated, UTF-8 with or without BOM). The first
// non-empty row is the header.
func ReadCSV(r io.Reader) (*Table, error) {
	data, err := io.ReadAll(io.LimitReader(r, 256<<20))
	if err != nil {
		return nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, errors.New("tệp không phải UTF-8: hãy lưu lại từ Excel dạng \"CSV UTF-8\" / the file is not UTF-8: save it from Excel as \"CSV UTF-8\"")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	// Excel in a Vietnamese locale saves CSV with semicolons.
	if head := data[:min(len(data), 4096)]; bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		cr.Comma = ';'
	}
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("tệp CSV bị lỗi / the CSV file is malformed: %w", err)
	}
	return fromRows(recs)
}

// ReadXLSX reads the first sheet of an Excel workbook that has a header row.
func ReadXLSX(r io.Reader) (*Table, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("không mở được tệp Excel / cannot open the Excel file: %w", err)
	}
	defer f.Close()
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			return nil, err
		}
		if t, err := fromRows(rows); err == nil {
			return t, nil
		}
	}
	return nil, errors.New("tệp Excel không có trang nào có dữ liệu / the workbook has no sheet with data")
}

// fromRows takes as header the first row with at least two non-empty cells (official lists
// start with title lines).
func fromRows(rows [][]string) (*Table, error) {
	for i, r := range rows {
		filled := 0
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				filled++
			}
		}
		if filled < 2 {
			continue
		}
		t := &Table{Header: trimAll(r)}
		for _, d := range rows[i+1:] {
			if len(t.Rows) >= MaxRows {
				return nil, fmt.Errorf("tệp có quá %d dòng / the file has more than %d rows", MaxRows, MaxRows)
			}
			if !blank(d) {
				t.Rows = append(t.Rows, trimAll(d))
			}
		}
		return t, nil
	}
	return nil, errors.New("tệp không có dòng tiêu đề / the file has no header row")
}

func trimAll(r []string) []string {
	out := make([]string, len(r))
	for i, c := range r {
		out[i] = strings.TrimSpace(norm.NFC.String(c))
	}
	return out
}

func blank(r []string) bool {
	for _, c := range r {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Mapping says which column (0-based; -1 for none) holds what.
type Mapping struct {
	ID, Name, Address, Group, Status int
}

// Guess proposes a mapping from the header's words, for the dialog to show; the user confirms
// or changes it.
func Guess(header []string) Mapping {
	m := Mapping{-1, -1, -1, -1, -1}
	for i, h := range header {
		f := Fold(h)
		switch {
		case m.ID < 0 && (strings.Contains(f, "ma ho") || f == "id" || strings.Contains(f, "household id")):
			m.ID = i
		case m.Name < 0 && (strings.Contains(f, "ten chu ho") || strings.Contains(f, "chu ho") || strings.Contains(f, "ho va ten") || strings.Contains(f, "head")):
			m.Name = i
		case m.Address < 0 && (strings.Contains(f, "dia chi") || strings.Contains(f, "address")):
			m.Address = i
		case m.Group < 0 && (strings.Contains(f, "to dan pho") || strings.HasPrefix(f, "thon") || strings.Contains(f, "group") || f == "to"):
			m.Group = i
		case m.Status < 0 && (strings.Contains(f, "phan loai") || strings.Contains(f, "loai ho") || strings.Contains(f, "ket qua") || strings.Contains(f, "class") || strings.Contains(f, "status")):
			m.Status = i
		}
	}
	return m
}

// Check says what a mapping lacks: a status column, and an id or a name column to match by.
func (m Mapping) Check(ncols int) error {
	for _, c := range []int{m.ID, m.Name, m.Address, m.Group, m.Status} {
		if c >= ncols {
			return errors.New("cột được chọn không có trong tệp / a chosen column is not in the file")
		}
	}
	if m.Status < 0 {
		return errors.New("hãy chọn cột phân loại hộ (nghèo / cận nghèo) / choose the column with the class (poor / near-poor)")
	}
	if m.ID < 0 && m.Name < 0 {
		return errors.New("hãy chọn cột mã hộ hoặc cột họ tên chủ hộ / choose the household id or the head's name column")
	}
	return nil
}

// ParseStatus reads a class as lists write it ("Hộ nghèo", "HN", "cận nghèo", "near_poor",
// "Thoát nghèo"…) and returns a previous_status value.
func ParseStatus(s string) (string, bool) {
	f := Fold(s)
	f = strings.TrimPrefix(f, "ho ")
	switch f {
	case "ngheo", "hn", "poor":
		return "poor", true
	case "can ngheo", "hcn", "near poor", "near_poor", "near-poor":
		return "near_poor", true
	case "thoat ngheo", "escaped poor", "escaped_poor":
		return "escaped_poor", true
	case "thoat can ngheo", "escaped near poor", "escaped_near_poor":
		return "escaped_near_poor", true
	case "co muc song trung binh", "muc song trung binh", "trung binh", "medium":
		return "medium", true
	case "khong ngheo", "not poor", "not_poor":
		return "not_poor", true
	}
	return "", false
}

var fold = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// Fold lowers case, removes Vietnamese diacritics (đ becomes d) and collapses spaces, so names
// typed with or without accents compare equal.
func Fold(s string) string {
	s = strings.NewReplacer("đ", "d", "Đ", "d").Replace(s)
	if t, _, err := transform.String(fold, s); err == nil {
		s = t
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// Entry is one row of last year's list, read through a mapping.
type Entry struct {
	Row                              int // 1-based data row
	ID, Name, Address, Group, Status string
}

// Problem is a row that could not be used, with the reason.
type Problem struct {
	Row    int
	VI, EN string
}

// Entries reads the rows of a table through a mapping; rows without a recognisable status or
// without anything to match by are reported, not dropped silently.
func Entries(t *Table, m Mapping) ([]Entry, []Problem, error) {
	if err := m.Check(len(t.Header)); err != nil {
		return nil, nil, err
	}
	get := func(r []string, c int) string {
		if c < 0 || c >= len(r) {
			return ""
		}
		return r[c]
	}
	var out []Entry
	var probs []Problem
	for i, r := range t.Rows {
		e := Entry{Row: i + 1, ID: get(r, m.ID), Name: get(r, m.Name), Address: get(r, m.Address), Group: get(r, m.Group)}
		st, ok := ParseStatus(get(r, m.Status))
		if !ok {
			probs = append(probs, Problem{e.Row, fmt.Sprintf("không hiểu phân loại %q", get(r, m.Status)), fmt.Sprintf("class %q is not understood", get(r, m.Status))})
			continue
		}
		if e.ID == "" && e.Name == "" {
			probs = append(probs, Problem{e.Row, "thiếu cả mã hộ và họ tên chủ hộ", "neither a household id nor a name"})
			continue
		}
		e.Status = st
		out = append(out, e)
	}
	return out, probs, nil
}

// Match is the household an entry was matched to.
type Match struct {
	Entry       Entry
	HouseholdID string
}

// MatchAll matches entries to households: by household id when the list has one, otherwise by
// the head's name, narrowed by group and then address when several households share a name.
// Entries that match none, or several, are returned as problems for the officer to settle.
func MatchAll(entries []Entry, hs []*household.Record) ([]Match, []Problem) {
	byID := map[string]*household.Record{}
	byName := map[string][]*household.Record{}
	for _, h := range hs {
		byID[strings.ToLower(h.ID)] = h
		byName[Fold(h.HeadName())] = append(byName[Fold(h.HeadName())], h)
	}
	var ms []Match
	var probs []Problem
	used := map[string]int{}
	for _, e := range entries {
		var found []*household.Record
		if h, ok := byID[strings.ToLower(e.ID)]; ok && e.ID != "" {
			found = []*household.Record{h}
		} else {
			found = narrow(byName[Fold(e.Name)], e)
		}
		switch len(found) {
		case 0:
			probs = append(probs, Problem{e.Row, fmt.Sprintf("không tìm thấy hộ %q (%s) trong danh sách năm nay", e.Name, e.Address),
				fmt.Sprintf("no household %q (%s) in this year's list", e.Name, e.Address)})
		case 1:
			if prev, dup := used[found[0].ID]; dup {
				probs = append(probs, Problem{e.Row, fmt.Sprintf("trùng với dòng %d (cùng một hộ)", prev), fmt.Sprintf("same household as row %d", prev)})
				continue
			}
			used[found[0].ID] = e.Row
			ms = append(ms, Match{Entry: e, HouseholdID: found[0].ID})
		default:
			probs = append(probs, Problem{e.Row, fmt.Sprintf("có %d hộ cùng tên %q: hãy thêm cột mã hộ hoặc địa chỉ", len(found), e.Name),
				fmt.Sprintf("%d households are called %q: add the id or address column", len(found), e.Name)})
		}
	}
	return ms, probs
}

func narrow(cands []*household.Record, e Entry) []*household.Record {
	keep := func(ok func(*household.Record) bool) {
		var out []*household.Record
		for _, h := range cands {
			if ok(h) {
				out = append(out, h)
			}
		}
		if len(out) > 0 {
			cands = out
		}
	}
	if len(cands) > 1 && e.Group != "" {
		keep(func(h *household.Record) bool { return Fold(h.Group) == Fold(e.Group) })
	}
	if len(cands) > 1 && e.Address != "" {
		keep(func(h *household.Record) bool { return Fold(h.Address) == Fold(e.Address) })
	}
	return cands
}
