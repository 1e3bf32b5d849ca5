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

// Table is a sheet as read (or the list sheets of a workbook, put together): a header row and
// the data rows, every cell as text.
type Table struct {
	Header []string
	Rows   [][]string
	// Where each row is in the file, for problems to point to when a workbook's sheets are put
	// together: its sheet ("" in a CSV file) and its number there, as a spreadsheet shows it.
	// Empty for a table made by hand.
	Sheets []string
	Lines  []int
	// Skipped are the sheets not read, and why (Row 0).
	Skipped []Problem
}

// PreviousColumn is the column ReadXLSX adds to the lists the app writes (report.WriteListsXLSX):
// each household's status as next year's review takes it, from its class and, for a household
// that escaped poverty or near-poverty, its movement (household-record.md: escaped_poor,
// escaped_near_poor), so that one that falls back is "re-poor", not "newly poor".
const PreviousColumn = "Tình trạng năm trước (theo danh sách)"

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
	// Excel in a Vietnamese locale saves CSV with semicolons. The separator more frequent at
	// the start is tried first; the other is taken when it reads a header with more of the
	// columns Guess knows (cells of the app's own lists, separated by commas, may hold more
	// semicolons than there are commas), or reads where the first does not.
	comma, other := ',', ';'
	if head := data[:min(len(data), 4096)]; bytes.Count(head, []byte(";")) > bytes.Count(head, []byte(",")) {
		comma, other = ';', ','
	}
	t, err := readCSV(data, comma)
	if t2, err2 := readCSV(data, other); err2 == nil && (err != nil || known(t2.Header) > known(t.Header)) {
		return t2, nil
	}
	return t, err
}

// readCSV reads CSV data with the given separator.
func readCSV(data []byte, comma rune) (*Table, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.Comma = comma
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("tệp CSV bị lỗi / the CSV file is malformed: %w", err)
	}
	return fromRows(recs)
}

// ReadXLSX reads every list sheet of an Excel workbook: each sheet whose header has a class
// column and a household id or name column (the app's own list workbook: the poor, near-poor,
// medium and movements sheets), put together under one header. Sheets that are not lists are
// skipped and named in Skipped; a workbook with no such sheet gives its first sheet with a
// header, for the columns to be chosen by hand. In the app's own lists, the totals line ends a
// sheet, a household listed twice (the movements sheet repeats the others) is read once, and
// PreviousColumn is added.
func ReadXLSX(r io.Reader) (*Table, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("không mở được tệp Excel / cannot open the Excel file: %w", err)
	}
	defer f.Close()
	var sheets []Sheet
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			return nil, err
		}
		sheets = append(sheets, Sheet{Name: sh, Rows: rows})
	}
	return FromSheets(sheets)
}

// Sheet is one sheet of a workbook as read: its name and its cells as text, row by row.
type Sheet struct {
	Name string
	Rows [][]string
}

// FromSheets makes the table of a workbook's sheets, in order, as ReadXLSX says.
func FromSheets(sheets []Sheet) (*Table, error) {
	var lists []*Table
	var fallback *Table
	type skip struct {
		sheet string
		p     Problem
	}
	var skipped []skip
	for _, s := range sheets {
		sh := s.Name
		t, err := fromRows(s.Rows)
		if err != nil {
			skipped = append(skipped, skip{sh, Problem{0, fmt.Sprintf("bỏ qua trang %q: không có dòng tiêu đề", sh), fmt.Sprintf("sheet %q skipped: it has no header row", sh)}})
			continue
		}
		t.Sheets = make([]string, len(t.Rows))
		for i := range t.Sheets {
			t.Sheets[i] = sh
		}
		if Guess(t.Header).Check(len(t.Header)) != nil {
			if fallback == nil {
				fallback = t
			}
			skipped = append(skipped, skip{sh, Problem{0, fmt.Sprintf("bỏ qua trang %q: không có cột phân loại và cột mã hộ hoặc họ tên chủ hộ", sh),
				fmt.Sprintf("sheet %q skipped: it has no class column with an id or name column", sh)}})
			continue
		}
		lists = append(lists, t)
	}
	var t *Table
	switch {
	case len(lists) > 0:
		t = join(lists)
	case fallback != nil:
		// Nothing recognisable: the first sheet with a header, its columns to be chosen by hand.
		t = fallback
	default:
		return nil, errors.New("tệp Excel không có trang nào có dữ liệu / the workbook has no sheet with data")
	}
	var notes []Problem
	for _, s := range skipped {
		if t != fallback || s.sheet != firstSheet(t) {
			notes = append(notes, s.p)
		}
	}
	t.Skipped = append(notes, t.Skipped...)
	return t, nil
}

// firstSheet is the sheet of the table's first row ("" when none).
func firstSheet(t *Table) string {
	if len(t.Sheets) == 0 {
		return ""
	}
	return t.Sheets[0]
}

// join puts list sheets together under the union of their headers (by name), and in the
// app's own lists reads each household once and adds PreviousColumn.
func join(ts []*Table) *Table {
	out := &Table{}
	col := map[string]int{}
	for _, t := range ts {
		for _, h := range t.Header {
			if _, ok := col[h]; !ok {
				col[h] = len(out.Header)
				out.Header = append(out.Header, h)
			}
		}
	}
	m := Guess(out.Header)
	move := -1
	for i, h := range out.Header {
		if f := Fold(h); move < 0 && (strings.Contains(f, "bien dong") || strings.Contains(f, "change since")) {
			move = i
		}
	}
	own := m.ID >= 0 && m.Status >= 0 && move >= 0
	if own {
		out.Header = append(out.Header, PreviousColumn)
	}
	seen := map[string]bool{}
	for _, t := range ts {
		dup := 0
		for i, r := range t.Rows {
			row := make([]string, len(out.Header))
			for j, c := range r {
				if j < len(t.Header) {
					row[col[t.Header[j]]] = c
				}
			}
			if own {
				id := strings.ToLower(row[m.ID])
				if id != "" && seen[id] {
					dup++
					continue
				}
				seen[id] = true
				row[len(row)-1] = row[m.Status]
				if st, ok := ParseStatus(row[move]); ok && (st == "escaped_poor" || st == "escaped_near_poor") {
					row[len(row)-1] = row[move]
				}
			}
			out.Rows = append(out.Rows, row)
			out.Sheets = append(out.Sheets, t.Sheets[i])
			out.Lines = append(out.Lines, t.Lines[i])
		}
		if dup > 0 {
			sh := firstSheet(t)
			out.Skipped = append(out.Skipped, Problem{0, fmt.Sprintf("trang %q: %d hộ đã có ở trang trước, không đọc lại", sh, dup),
				fmt.Sprintf("sheet %q: %d households already read on an earlier sheet were not read again", sh, dup)})
		}
	}
	return out
}

// fromRows takes as header the first row in which Guess finds two of the columns it knows
// (official lists start with title lines, and the national motto beside the issuing body),
// else the first row with at least two non-empty cells. A line that starts with "Tổng cộng"
// (the totals) ends the data: what follows is signatures; a subtotal line ("Cộng") is passed.
func fromRows(rows [][]string) (*Table, error) {
	head := -1
	for i, r := range rows {
		if known(r) >= 2 {
			head = i
			break
		}
	}
	for i, r := range rows {
		if head >= 0 {
			break
		}
		filled := 0
		for _, c := range r {
			if strings.TrimSpace(c) != "" {
				filled++
			}
		}
		if filled >= 2 {
			head = i
		}
	}
	if head < 0 {
		return nil, errors.New("tệp không có dòng tiêu đề / the file has no header row")
	}
	t := &Table{Header: trimAll(rows[head])}
	for i, d := range rows[head+1:] {
		if len(t.Rows) >= MaxRows {
			return nil, fmt.Errorf("tệp có quá %d dòng / the file has more than %d rows", MaxRows, MaxRows)
		}
		if blank(d) {
			continue
		}
		d = trimAll(d)
		first := ""
		for _, c := range d {
			if c != "" {
				first = Fold(c)
				break
			}
		}
		if strings.HasPrefix(first, "tong cong") || strings.HasPrefix(first, "total") {
			break
		}
		if first == "cong" || strings.HasPrefix(first, "cong:") || strings.HasPrefix(first, "cong ") {
			continue
		}
		t.Rows = append(t.Rows, d)
		t.Lines = append(t.Lines, head+i+2)
	}
	return t, nil
}

// known counts the columns Guess finds in a row.
func known(r []string) int {
	m := Guess(trimAll(r))
	n := 0
	for _, c := range []int{m.ID, m.Name, m.Address, m.Group, m.Status} {
		if c >= 0 {
			n++
		}
	}
	return n
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
		case h == PreviousColumn:
			m.Status = i
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
	Row                              int    // 1-based data row
	Sheet                            string // the row's sheet, when the table has rows from several…
	Line                             int    // …and its number there, as a spreadsheet shows it
	ID, Name, Address, Group, Status string
}

// Problem is a row (Row 0: a sheet or the file) that could not be used, with the reason.
type Problem struct {
	Row    int
	VI, EN string
}

// problem is a problem of an entry's row, naming its sheet and row there when the list has
// several sheets.
func (e Entry) problem(vi, en string) Problem {
	if e.Sheet != "" {
		vi, en = fmt.Sprintf("(trang %q, dòng %d) %s", e.Sheet, e.Line, vi), fmt.Sprintf("(sheet %q, row %d) %s", e.Sheet, e.Line, en)
	}
	return Problem{e.Row, vi, en}
}

// Entries reads the rows of a table through a mapping; rows without a recognisable status or
// without anything to match by are reported, not dropped silently, after the sheets the
// table's reader skipped.
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
	several := false
	for _, sh := range t.Sheets {
		several = several || sh != firstSheet(t)
	}
	var out []Entry
	probs := append([]Problem(nil), t.Skipped...)
	for i, r := range t.Rows {
		e := Entry{Row: i + 1, ID: get(r, m.ID), Name: get(r, m.Name), Address: get(r, m.Address), Group: get(r, m.Group)}
		if several && i < len(t.Lines) {
			e.Sheet, e.Line = t.Sheets[i], t.Lines[i]
		}
		st, ok := ParseStatus(get(r, m.Status))
		if !ok {
			probs = append(probs, e.problem(fmt.Sprintf("không hiểu phân loại %q", get(r, m.Status)), fmt.Sprintf("class %q is not understood", get(r, m.Status))))
			continue
		}
		if e.ID == "" && e.Name == "" {
			probs = append(probs, e.problem("thiếu cả mã hộ và họ tên chủ hộ", "neither a household id nor a name"))
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
	used := map[string]Entry{}
	for _, e := range entries {
		var found []*household.Record
		if h, ok := byID[strings.ToLower(e.ID)]; ok && e.ID != "" {
			found = []*household.Record{h}
		} else {
			found = narrow(byName[Fold(e.Name)], e)
		}
		switch len(found) {
		case 0:
			probs = append(probs, e.problem(fmt.Sprintf("không tìm thấy hộ %q (%s) trong danh sách năm nay", e.Name, e.Address),
				fmt.Sprintf("no household %q (%s) in this year's list", e.Name, e.Address)))
		case 1:
			if prev, dup := used[found[0].ID]; dup {
				where, whereEN := fmt.Sprintf("dòng %d", prev.Row), fmt.Sprintf("row %d", prev.Row)
				if prev.Sheet != "" {
					where, whereEN = fmt.Sprintf("dòng %d trang %q", prev.Line, prev.Sheet), fmt.Sprintf("row %d of sheet %q", prev.Line, prev.Sheet)
				}
				probs = append(probs, e.problem(fmt.Sprintf("trùng với %s (cùng một hộ)", where), "same household as "+whereEN))
				continue
			}
			used[found[0].ID] = e
			ms = append(ms, Match{Entry: e, HouseholdID: found[0].ID})
		default:
			probs = append(probs, e.problem(fmt.Sprintf("có %d hộ cùng tên %q: hãy thêm cột mã hộ hoặc địa chỉ", len(found), e.Name),
				fmt.Sprintf("%d households are called %q: add the id or address column", len(found), e.Name)))
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
