package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/rasoat/rasoat/household"
)

// styles are the cell styles of a workbook.
type styles struct {
	title, subtitle, header, text, number, money, percent, total, totalPercent int
}

func newStyles(f *excelize.File) (styles, error) {
	border := []excelize.Border{{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1}}
	font := func(bold bool, size float64) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: size, Bold: bold}
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	left := &excelize.Alignment{Vertical: "center", WrapText: true}
	defs := []*excelize.Style{
		{Font: font(true, 14), Alignment: center},
		{Font: &excelize.Font{Family: "Times New Roman", Size: 11, Italic: true}, Alignment: center},
		{Font: font(true, 11), Alignment: center, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}},
		{Font: font(false, 11), Alignment: left, Border: border},
		{Font: font(false, 11), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}, Border: border},
		{Font: font(false, 11), Border: border, NumFmt: 3},
		{Font: font(false, 11), Border: border, NumFmt: 10},
		{Font: font(true, 11), Alignment: center, Border: border},
		{Font: font(true, 11), Border: border, NumFmt: 10},
	}
	ids := make([]int, len(defs))
	for i, d := range defs {
		id, err := f.NewStyle(d)
		if err != nil {
			return styles{}, err
		}
		ids[i] = id
	}
	return styles{ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8]}, nil
}

func cell(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// sheetName makes a valid, unique Excel sheet name (at most 31 characters, no []:*?/\).
func sheetName(f *excelize.File, name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	base, n := name, 2
	for idx, _ := f.GetSheetIndex(name); idx >= 0; idx, _ = f.GetSheetIndex(name) {
		suffix := fmt.Sprintf(" (%d)", n)
		r := []rune(base)
		name = string(r[:min(len(r), 31-len(suffix))]) + suffix
		n++
	}
	return name
}

// addSheet adds a sheet (renaming the workbook's first, empty sheet the first time).
func addSheet(f *excelize.File, first *bool, name string) (string, error) {
	name = sheetName(f, name)
	if *first {
		*first = false
		return name, f.SetSheetName(f.GetSheetName(0), name)
	}
	_, err := f.NewSheet(name)
	return name, err
}

// titleRows writes a merged title and subtitle lines over ncols columns; it returns the next row.
func titleRows(f *excelize.File, sh string, st styles, ncols int, title string, sub []string) int {
	f.SetCellValue(sh, "A1", strings.ToUpper(title))
	f.MergeCell(sh, "A1", cell(ncols, 1))
	f.SetCellStyle(sh, "A1", "A1", st.title)
	f.SetRowHeight(sh, 1, 24)
	row := 2
	for _, s := range sub {
		f.SetCellValue(sh, cell(1, row), s)
		f.MergeCell(sh, cell(1, row), cell(ncols, row))
		f.SetCellStyle(sh, cell(1, row), cell(1, row), st.subtitle)
		row++
	}
	return row + 1
}

// WriteReportsXLSX writes the summary reports, one sheet each, with merged two-level headers
// and a totals row.
func WriteReportsXLSX(w io.Writer, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	first := true
	for _, t := range tables {
		sh, err := addSheet(f, &first, t.Title)
		if err != nil {
			return err
		}
		writeTable(f, sh, st, t)
	}
	_, err = f.WriteTo(w)
	return err
}

func writeTable(f *excelize.File, sh string, st styles, t Table) {
	n := len(t.Columns)
	row := titleRows(f, sh, st, n, t.Title, t.Subtitle)
	h1, h2 := row, row+1
	for i := 0; i < n; {
		c := t.Columns[i]
		if c.Group == "" {
			f.SetCellValue(sh, cell(i+1, h1), c.Name)
			f.MergeCell(sh, cell(i+1, h1), cell(i+1, h2))
			i++
			continue
		}
		j := i
		for j < n && t.Columns[j].Group == c.Group {
			f.SetCellValue(sh, cell(j+1, h2), t.Columns[j].Name)
			j++
		}
		f.SetCellValue(sh, cell(i+1, h1), c.Group)
		if j-i > 1 {
			f.MergeCell(sh, cell(i+1, h1), cell(j, h1))
		}
		i = j
	}
	f.SetCellStyle(sh, cell(1, h1), cell(n, h2), st.header)
	f.SetRowHeight(sh, h1, 45)
	f.SetRowHeight(sh, h2, 30)
	row = h2 + 1
	for _, r := range t.Rows {
		writeCells(f, sh, st, row, r, false)
		row++
	}
	writeCells(f, sh, st, row, t.Total, true)
	for i, note := range t.Notes {
		f.SetCellValue(sh, cell(1, row+2+i), note)
	}
	f.SetColWidth(sh, "A", "A", 22)
	f.SetColWidth(sh, "B", excelCol(n), 12)
	f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: h2, TopLeftCell: cell(2, h2+1), ActivePane: "bottomRight"})
}

func excelCol(n int) string {
	name, _ := excelize.ColumnNumberToName(n)
	return name
}

func writeCells(f *excelize.File, sh string, st styles, row int, cells []any, total bool) {
	for i, c := range cells {
		ref := cell(i+1, row)
		style := st.text
		switch v := c.(type) {
		case Rate:
			f.SetCellFloat(sh, ref, v.Percent()/100, 4, 64)
			style = st.percent
			if total {
				style = st.totalPercent
			}
		case int, int64:
			f.SetCellValue(sh, ref, v)
			style = st.number
			if total {
				style = st.total
			}
		default:
			f.SetCellValue(sh, ref, v)
			if total {
				style = st.total
			}
		}
		f.SetCellStyle(sh, ref, ref, style)
	}
}

// WriteListsXLSX writes the lists of one scope (the ward or one group) to a workbook, one
// sheet per list, with the standard named under the title and a totals line.
func WriteListsXLSX(w io.Writer, lists []List, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	first := true
	for _, l := range lists {
		sh, err := addSheet(f, &first, Title(l.Kind, lang))
		if err != nil {
			return err
		}
		writeList(f, sh, st, l, lang)
	}
	_, err = f.WriteTo(w)
	return err
}

func writeList(f *excelize.File, sh string, st styles, l List, lang string) {
	cols := indicatorColumns(l.Rows)
	header := listHeader(cols, lang)
	scope := l.Ward
	if l.Group != "" {
		scope = l.Group + " — " + l.Ward
	}
	sub := []string{scope}
	for _, s := range Standards(l.Rows) {
		sub = append(sub, household.Text{VI: "Chuẩn nghèo áp dụng: ", EN: "Standard applied: "}.In(lang)+s.Title(lang))
	}
	row := titleRows(f, sh, st, len(header), Title(l.Kind, lang), sub)
	for i, h := range header {
		f.SetCellValue(sh, cell(i+1, row), h)
	}
	f.SetCellStyle(sh, cell(1, row), cell(len(header), row), st.header)
	f.SetRowHeight(sh, row, 60)
	headerRow := row
	members := 0
	for i := range l.Rows {
		row++
		cells := listCells(i+1, &l.Rows[i], cols, lang)
		members += len(l.Rows[i].Record.Members)
		for j, c := range cells {
			ref := cell(j+1, row)
			f.SetCellValue(sh, ref, c)
			style := st.text
			switch {
			case j == 7 || j == 8:
				style = st.money
			case j == 0 || j == 5 || j == 6 || (j >= 9 && j < 9+len(cols)) || j == 9+len(cols):
				style = st.number
			}
			f.SetCellStyle(sh, ref, ref, style)
		}
	}
	row += 2
	f.SetCellValue(sh, cell(1, row), fmt.Sprintf(household.Text{VI: "Tổng cộng: %d hộ, %d nhân khẩu", EN: "Total: %d households, %d members"}.In(lang), len(l.Rows), members))
	f.SetColWidth(sh, "A", "A", 6)
	f.SetColWidth(sh, "B", "B", 24)
	f.SetColWidth(sh, "C", "C", 12)
	f.SetColWidth(sh, "D", "D", 26)
	f.SetColWidth(sh, "E", "E", 16)
	f.SetColWidth(sh, "F", excelCol(len(header)-4), 10)
	f.SetColWidth(sh, excelCol(len(header)-2), excelCol(len(header)-2), 22)
	f.SetColWidth(sh, excelCol(len(header)-1), excelCol(len(header)-1), 38)
	f.SetColWidth(sh, excelCol(len(header)), excelCol(len(header)), 40)
	f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: headerRow, TopLeftCell: cell(3, headerRow+1), ActivePane: "bottomRight"})
}
