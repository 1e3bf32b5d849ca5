package report

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"

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

// titleRows writes a merged title and subtitle lines over ncols columns of width wide (in
// Excel's character widths); it returns the next row.
func titleRows(f *excelize.File, sh string, st styles, ncols int, wide float64, title string, sub []string) int {
	f.SetCellValue(sh, "A1", strings.ToUpper(title))
	f.MergeCell(sh, "A1", cell(ncols, 1))
	f.SetCellStyle(sh, "A1", "A1", st.title)
	f.SetRowHeight(sh, 1, 24)
	row := 2
	for _, s := range sub {
		f.SetCellValue(sh, cell(1, row), s)
		f.MergeCell(sh, cell(1, row), cell(ncols, row))
		f.SetCellStyle(sh, cell(1, row), cell(1, row), st.subtitle)
		f.SetRowHeight(sh, row, wrappedHeight(s, wide))
		row++
	}
	return row + 1
}

// wrappedHeight is the height, in points, of a row whose one merged cell of width wide (in
// Excel's character widths) wraps text in the 11-point subtitle font: spreadsheet programs do
// not grow a merged cell's row to fit, so a long line (the legal basis) would be cut.
func wrappedHeight(text string, wide float64) float64 {
	lines := math.Ceil(float64(utf8.RuneCountInString(text)) * 1.1 / max(wide, 1))
	return 15 * max(lines, 1)
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
		sh, err := addSheet(f, &first, cmp.Or(t.Sheet, t.Title))
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
	row := titleRows(f, sh, st, n, 22+12*float64(n-1), t.Title, t.Subtitle)
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
	printSetup(f, sh, h1, h2)
	f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: h2, TopLeftCell: cell(2, h2+1), ActivePane: "bottomRight"})
}

// printSetup makes a sheet print on A4 landscape, fitted to the page width, with its header
// rows repeated on every page.
func printSetup(f *excelize.File, sh string, headerFrom, headerTo int) {
	size, orient, one, zero := 9, "landscape", 1, 0
	fit := true
	f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &zero})
	f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit})
	margin := 0.4
	f.SetPageMargins(sh, &excelize.PageLayoutMarginsOptions{Left: &margin, Right: &margin, Top: &margin, Bottom: &margin})
	f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{OddFooter: "&C&P / &N"})
	f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sh,
		RefersTo: fmt.Sprintf("'%s'!$%d:$%d", strings.ReplaceAll(sh, "'", "''"), headerFrom, headerTo)})
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
		if err := writeList(f, sh, st, l, lang); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

func writeList(f *excelize.File, sh string, st styles, l List, lang string) error {
	cols := indicatorColumns(l.Rows)
	header := listHeader(cols, lang)
	n := len(header)
	scope := l.Ward
	if l.Group != "" {
		scope = l.Group + " — " + l.Ward
	}
	lines := []string{strings.ToUpper(Title(l.Kind, lang)), scope}
	for _, s := range Standards(l.Rows) {
		lines = append(lines, household.Text{VI: "Chuẩn nghèo áp dụng: ", EN: "Standard applied: "}.In(lang)+s.Title(lang), LegalBasis(s, lang))
	}
	headerRow := len(lines) + 2
	printSetup(f, sh, headerRow, headerRow)
	// A streamed sheet: a ward's lists have tens of thousands of cells.
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		return err
	}
	widths := map[int]float64{1: 6, 2: 24, 3: 12, 4: 26, 5: 16, n - 2: 22, n - 1: 38, n: 40}
	wide := 0.0
	for c := 1; c <= n; c++ {
		w, ok := widths[c]
		if !ok {
			w = 10
		}
		wide += w
		if err := sw.SetColWidth(c, c, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: headerRow, TopLeftCell: cell(3, headerRow+1), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	for i, text := range lines {
		style := st.subtitle
		if i == 0 {
			style = st.title
		}
		if err := sw.SetRow(cell(1, i+1), []any{excelize.Cell{StyleID: style, Value: text}}, excelize.RowOpts{Height: wrappedHeight(text, wide)}); err != nil {
			return err
		}
		if err := sw.MergeCell(cell(1, i+1), cell(n, i+1)); err != nil {
			return err
		}
	}
	hcells := make([]any, n)
	for i, h := range header {
		hcells[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow(cell(1, headerRow), hcells, excelize.RowOpts{Height: 60}); err != nil {
		return err
	}
	members := 0
	row := headerRow
	for i := range l.Rows {
		row++
		cells := listCells(i+1, &l.Rows[i], cols, lang)
		members += len(l.Rows[i].Record.Members)
		for j, c := range cells {
			style := st.text
			switch {
			case j == 7 || j == 8:
				style = st.money
			case j == 0 || j == 5 || j == 6 || (j >= 9 && j <= 9+len(cols)):
				style = st.number
			}
			cells[j] = excelize.Cell{StyleID: style, Value: c}
		}
		if err := sw.SetRow(cell(1, row), cells); err != nil {
			return err
		}
	}
	total := fmt.Sprintf(household.Text{VI: "Tổng cộng: %d hộ, %d nhân khẩu", EN: "Total: %d households, %d members"}.In(lang), len(l.Rows), members)
	if err := sw.SetRow(cell(1, row+2), []any{excelize.Cell{StyleID: st.total, Value: total}}); err != nil {
		return err
	}
	return sw.Flush()
}
