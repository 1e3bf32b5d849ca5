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
	// The summary reports' tables, in 11 points.
	title, subtitle, header, text, number, money, percent, total, totalPercent int
	// An official document's head and foot: the issuing body and the national motto, the place
	// and date line, the signature blocks.
	state, motto, place, sign, signNote, note int
	// The lists' tables, in 10 points (a 9-point header): 24 columns across a landscape page.
	lHeader, lText, lCenter, lMoney, lTotal, lID int
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	border := []excelize.Border{{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1}}
	font := func(size float64, bold, italic bool) *excelize.Font {
		return &excelize.Font{Family: "Times New Roman", Size: size, Bold: bold, Italic: italic}
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	left := &excelize.Alignment{Vertical: "center", WrapText: true}
	middle := &excelize.Alignment{Horizontal: "center", Vertical: "center"}
	fill := excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}
	defs := []struct {
		id *int
		s  excelize.Style
	}{
		{&st.title, excelize.Style{Font: font(14, true, false), Alignment: center}},
		{&st.subtitle, excelize.Style{Font: font(11, false, true), Alignment: center}},
		{&st.header, excelize.Style{Font: font(11, true, false), Alignment: center, Border: border, Fill: fill}},
		{&st.text, excelize.Style{Font: font(11, false, false), Alignment: left, Border: border}},
		{&st.number, excelize.Style{Font: font(11, false, false), Alignment: middle, Border: border}},
		{&st.money, excelize.Style{Font: font(11, false, false), Border: border, NumFmt: 3}},
		{&st.percent, excelize.Style{Font: font(11, false, false), Border: border, NumFmt: 10}},
		{&st.total, excelize.Style{Font: font(11, true, false), Alignment: center, Border: border}},
		{&st.totalPercent, excelize.Style{Font: font(11, true, false), Border: border, NumFmt: 10}},
		{&st.state, excelize.Style{Font: font(11, true, false), Alignment: center}},
		{&st.motto, excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 11, Bold: true, Underline: "single"}, Alignment: center}},
		{&st.place, excelize.Style{Font: font(11, false, true), Alignment: center}},
		{&st.sign, excelize.Style{Font: font(11, true, false), Alignment: center}},
		{&st.signNote, excelize.Style{Font: font(10, false, true), Alignment: center}},
		{&st.note, excelize.Style{Font: font(11, false, true), Alignment: left}},
		{&st.lHeader, excelize.Style{Font: font(9, true, false), Alignment: center, Border: border, Fill: fill}},
		{&st.lText, excelize.Style{Font: font(10, false, false), Alignment: left, Border: border}},
		{&st.lCenter, excelize.Style{Font: font(10, false, false), Alignment: center, Border: border}},
		{&st.lMoney, excelize.Style{Font: font(10, false, false), Alignment: &excelize.Alignment{Vertical: "center"}, Border: border, NumFmt: 3}},
		{&st.lTotal, excelize.Style{Font: font(11, true, false), Alignment: &excelize.Alignment{Vertical: "center"}}},
		{&st.lID, excelize.Style{Font: font(8, false, false), Alignment: &excelize.Alignment{Vertical: "center"}, Border: border}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return styles{}, err
		}
		*d.id = id
	}
	return st, nil
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

// Text sizes. Column widths are in Excel's character widths: a column w wide is 7w+5 pixels
// (the default font's digit), at 96 pixels an inch.
func colPixels(w float64) float64 { return 7*w + 5 }

// textLines estimates the lines text takes when a cell wide columns across wraps it at word
// boundaries in a Times New Roman font of size points. It errs on the long side (a wide
// average letter), as spreadsheet programs do not grow a row to fit when the file gives its
// height, and cut what does not fit.
func textLines(text string, wide, size float64, bold bool) int {
	em := 0.5
	if bold {
		em = 0.56
	}
	per := max((colPixels(wide)-8)/(size*96/72*em), 1) // 8 pixels of the cell's padding
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		n, cur := 1, 0.0
		for _, w := range strings.Fields(para) {
			l := float64(utf8.RuneCountInString(w))
			switch {
			case cur == 0:
				cur = l
			case cur+1+l <= per:
				cur += 1 + l
			default:
				n++
				cur = l
			}
			for cur > per { // a word longer than the line is broken
				n++
				cur -= per
			}
		}
		lines += n
	}
	return max(lines, 1)
}

// textHeight is the height, in points, of a row whose cell wide columns across wraps text in
// a size-point font.
func textHeight(text string, wide, size float64, bold bool) float64 {
	return math.Ceil(float64(textLines(text, wide, size, bold))*size*1.3 + 3)
}

// wrappedHeight is the height of a row whose one merged cell of width wide wraps text in the
// 11-point subtitle font: spreadsheet programs do not grow a merged cell's row to fit, so a
// long line (the legal basis) would be cut.
func wrappedHeight(text string, wide float64) float64 { return textHeight(text, wide, 11, false) }

func sum(ws []float64) float64 {
	s := 0.0
	for _, w := range ws {
		s += w
	}
	return s
}

// span is a cell of a document's head or foot, merged over the columns from..to (1-based).
type span struct {
	from, to int
	text     string
	style    int
	size     float64
	bold     bool
}

// docRow is a row of spans; an empty one is a blank row.
type docRow []span

// height is the height the row's text needs across the columns of widths.
func (r docRow) height(widths []float64) float64 {
	h := 0.0
	for _, s := range r {
		h = max(h, textHeight(s.text, sum(widths[s.from-1:s.to]), s.size, s.bold))
	}
	return h
}

// halves splits n columns of widths into a left block (about two fifths of the width, where
// the issuing body and the preparer sign) and a right one (the national motto, the chairman).
func halves(widths []float64) (leftTo int) {
	total, acc := sum(widths), 0.0
	for i, w := range widths {
		if acc+w/2 > total*0.4 {
			return min(max(i, 1), len(widths)-1)
		}
		acc += w
	}
	return max(len(widths)-1, 1)
}

// docHead is the head of an official sheet across the columns of widths, as report/pdf.go's
// stateHeader and title: the People's Committee of the ward on the left, the national motto on
// the right; the title with the year; then the lines under it (scope, standard, legal basis).
func docHead(st styles, widths []float64, ward, title string, year int, sub []string, lang string) []docRow {
	tx := func(vi, en string) string { return household.Text{VI: vi, EN: en}.In(lang) }
	n := len(widths)
	l := halves(widths)
	left := func(text string) span { return span{1, l, text, st.state, 11, true} }
	right := func(text string, style int) span { return span{l + 1, n, text, style, 11, true} }
	if year > 0 {
		title += fmt.Sprintf(tx(" năm %d", ", %d"), year)
	}
	rows := []docRow{
		{left(tx("ỦY BAN NHÂN DÂN", "PEOPLE'S COMMITTEE")), right(tx("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), st.state)},
		{left(strings.ToUpper(ward)), right(tx("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"), st.motto)},
		{},
		{{1, n, strings.ToUpper(title), st.title, 14, true}},
	}
	for _, s := range sub {
		rows = append(rows, docRow{{1, n, s, st.subtitle, 11, false}})
	}
	return append(rows, docRow{})
}

// docFoot is the place and date line and the two signature blocks under an official sheet, as
// report/pdf.go's signatures: the preparer on the left, the People's Committee on the right.
func docFoot(st styles, widths []float64, ward, lang string) []docRow {
	tx := func(vi, en string) string { return household.Text{VI: vi, EN: en}.In(lang) }
	n := len(widths)
	l := halves(widths)
	left := func(text string, style int, size float64, bold bool) span { return span{1, l, text, style, size, bold} }
	right := func(text string, style int, size float64, bold bool) span {
		return span{l + 1, n, text, style, size, bold}
	}
	return []docRow{
		{},
		{right(ward+tx(", ngày …… tháng …… năm ……", ", date …………………"), st.place, 11, false)},
		{left(tx("NGƯỜI LẬP BIỂU", "PREPARED BY"), st.sign, 11, true), right(tx("TM. ỦY BAN NHÂN DÂN", "FOR THE PEOPLE'S COMMITTEE"), st.sign, 11, true)},
		{left(tx("(Ký, ghi rõ họ tên)", "(Signature and full name)"), st.signNote, 10, false), right(tx("CHỦ TỊCH", "CHAIRPERSON"), st.sign, 11, true)},
		{right(tx("(Ký, ghi rõ họ tên, đóng dấu)", "(Signature, full name and seal)"), st.signNote, 10, false)},
	}
}

// rowWriter puts whole rows into a sheet: through a stream writer (the lists) or cell by cell
// (the reports).
type rowWriter interface {
	setRow(row int, cells []any, height float64) error // cells are excelize.Cell or nil
	merge(from, to string) error
}

type streamRows struct{ sw *excelize.StreamWriter }

func (s streamRows) setRow(row int, cells []any, height float64) error {
	if height > 0 {
		return s.sw.SetRow(cell(1, row), cells, excelize.RowOpts{Height: height})
	}
	return s.sw.SetRow(cell(1, row), cells)
}

func (s streamRows) merge(from, to string) error { return s.sw.MergeCell(from, to) }

type fileRows struct {
	f  *excelize.File
	sh string
}

func (w fileRows) setRow(row int, cells []any, height float64) error {
	for i, c := range cells {
		if c, ok := c.(excelize.Cell); ok {
			ref := cell(i+1, row)
			if err := w.f.SetCellValue(w.sh, ref, c.Value); err != nil {
				return err
			}
			if err := w.f.SetCellStyle(w.sh, ref, ref, c.StyleID); err != nil {
				return err
			}
		}
	}
	if height > 0 {
		return w.f.SetRowHeight(w.sh, row, height)
	}
	return nil
}

func (w fileRows) merge(from, to string) error { return w.f.MergeCell(w.sh, from, to) }

// writeDocRows writes rows from row on, each span merged over its columns, and returns the
// next row.
func writeDocRows(w rowWriter, row int, rows []docRow, widths []float64) (int, error) {
	for _, r := range rows {
		if len(r) > 0 {
			cells := make([]any, r[len(r)-1].to)
			for _, s := range r {
				cells[s.from-1] = excelize.Cell{StyleID: s.style, Value: s.text}
			}
			if err := w.setRow(row, cells, r.height(widths)); err != nil {
				return row, err
			}
			for _, s := range r {
				if s.to > s.from {
					if err := w.merge(cell(s.from, row), cell(s.to, row)); err != nil {
						return row, err
					}
				}
			}
		}
		row++
	}
	return row, nil
}

// printable is the width of a landscape A4 page inside printSetup's margins, in pixels;
// printableTall its height, in points, less what the page number and spreadsheet programs take.
const (
	printable     = (297.0/25.4 - 2*0.4) * 96
	printableTall = (210.0/25.4-2*0.5)*72 - 60
)

// printSetup makes a sheet print on landscape A4 with the rows headerFrom..headerTo repeated
// on every page, and only the columns 1..cols of widths: fitted to the page's width when that
// keeps the print at minScale or more, else printed at minScale over several pages across,
// with the first titleCols columns repeated too, so that what is printed can be read. A sheet
// tall points high (0: not known) that fits on one page at minScale or more is fitted to one,
// so that its signatures are not left alone on a second page.
func printSetup(f *excelize.File, sh string, widths []float64, cols, lastRow, headerFrom, headerTo int, minScale, tall float64, titleCols int) {
	px := 0.0
	for _, w := range widths[:cols] {
		px += colPixels(w)
	}
	size, orient := 9, "landscape"
	layout := &excelize.PageLayoutOptions{Size: &size, Orientation: &orient}
	fit := printable/px >= minScale
	if fit {
		one, pages := 1, 0
		scale, tallScale := min(printable/px, 1), printableTall/max(tall, 1)
		if tall*scale > printableTall && tallScale >= minScale {
			pages = 1
		}
		layout.FitToWidth, layout.FitToHeight = &one, &pages
	} else {
		scale := uint(minScale * 100)
		layout.AdjustTo = &scale
	}
	f.SetPageLayout(sh, layout)
	f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit})
	side, edge, yes := 0.4, 0.5, true
	f.SetPageMargins(sh, &excelize.PageLayoutMarginsOptions{Left: &side, Right: &side, Top: &edge, Bottom: &edge, Horizontally: &yes})
	f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{OddFooter: "&C&P / &N"})
	q := "'" + strings.ReplaceAll(sh, "'", "''") + "'!"
	titles := fmt.Sprintf("%s$%d:$%d", q, headerFrom, headerTo)
	if !fit && titleCols > 0 {
		titles = fmt.Sprintf("%s$A:$%s,%s", q, excelCol(titleCols), titles)
	}
	f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sh, RefersTo: titles})
	f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: sh,
		RefersTo: fmt.Sprintf("%s$A$1:$%s$%d", q, excelCol(cols), lastRow)})
}

func excelCol(n int) string {
	name, _ := excelize.ColumnNumberToName(n)
	return name
}

// WriteReportsXLSX writes the summary reports, one sheet each: the official head (the ward's
// People's Committee, the national motto, the title with the year), merged two-level column
// headers, a totals row, and the signature blocks.
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
		if err := writeTable(f, sh, st, t); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// tableWidths are the column widths of a report: the group's name, then narrower columns when
// there are many (the deprivation analysis has a count and a rate per indicator).
func tableWidths(t Table) []float64 {
	n := len(t.Columns)
	ws := make([]float64, n)
	for i := range ws {
		switch {
		case i == 0:
			ws[i] = 18
		case n > 14 && i >= 3 && i%2 == 1: // a rate: "100.00%"
			ws[i] = 8
		case n > 14:
			ws[i] = 6
		default:
			ws[i] = 12
		}
	}
	return ws
}

func writeTable(f *excelize.File, sh string, st styles, t Table) error {
	n := len(t.Columns)
	widths := tableWidths(t)
	for i, w := range widths {
		if err := f.SetColWidth(sh, excelCol(i+1), excelCol(i+1), w); err != nil {
			return err
		}
	}
	out := fileRows{f, sh}
	row, err := writeDocRows(out, 1, docHead(st, widths, t.Ward, t.Title, t.Year, t.Subtitle, t.Lang), widths)
	if err != nil {
		return err
	}
	// Two header rows: a group's name merged over its columns above their names; a column
	// without a group merged over both. Their heights come from the wrapped text.
	h1, h2 := row, row+1
	height1, height2, alone := 0.0, 0.0, 0.0
	for i := 0; i < n; {
		c := t.Columns[i]
		if c.Group == "" {
			f.SetCellValue(sh, cell(i+1, h1), c.Name)
			f.MergeCell(sh, cell(i+1, h1), cell(i+1, h2))
			alone = max(alone, textHeight(c.Name, widths[i], 11, true))
			i++
			continue
		}
		j := i
		for j < n && t.Columns[j].Group == c.Group {
			f.SetCellValue(sh, cell(j+1, h2), t.Columns[j].Name)
			height2 = max(height2, textHeight(t.Columns[j].Name, widths[j], 11, true))
			j++
		}
		f.SetCellValue(sh, cell(i+1, h1), c.Group)
		height1 = max(height1, textHeight(c.Group, sum(widths[i:j]), 11, true))
		if j-i > 1 {
			f.MergeCell(sh, cell(i+1, h1), cell(j, h1))
		}
		i = j
	}
	height1, height2 = max(height1, 18), max(height2, 18)
	if alone > height1+height2 {
		height2 = alone - height1
	}
	f.SetCellStyle(sh, cell(1, h1), cell(n, h2), st.header)
	f.SetRowHeight(sh, h1, height1)
	f.SetRowHeight(sh, h2, height2)
	row = h2 + 1
	for _, r := range t.Rows {
		writeCells(f, sh, st, row, r, false)
		f.SetRowHeight(sh, row, textHeight(fmt.Sprint(r[0]), widths[0], 11, false))
		row++
	}
	writeCells(f, sh, st, row, t.Total, true)
	row++
	for _, note := range t.Notes {
		row, err = writeDocRows(out, row, []docRow{{{1, n, note, st.note, 11, false}}}, widths)
		if err != nil {
			return err
		}
	}
	row, err = writeDocRows(out, row, docFoot(st, widths, t.Ward, t.Lang), widths)
	if err != nil {
		return err
	}
	tall := 0.0
	for r := 1; r < row; r++ {
		h, _ := f.GetRowHeight(sh, r)
		tall += h
	}
	printSetup(f, sh, widths, n, row-1, h1, h2, 0.7, tall, 1)
	return f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: h2, TopLeftCell: cell(2, h2+1), ActivePane: "bottomRight"})
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
// sheet per list: the official head with the year (the rows' survey year), the standard and
// its legal basis under the title, the table, a totals line and the signature blocks.
func WriteListsXLSX(w io.Writer, lists []List, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	year := surveyYear(groupRows(lists))
	first := true
	for _, l := range lists {
		sh, err := addSheet(f, &first, SheetName(l.Kind, lang))
		if err != nil {
			return err
		}
		if err := writeList(f, sh, st, l, year, lang); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// The columns of a list sheet, as listHeader names them; the indicators come after the income
// score. The standard applied (the same on every row, and named in the head) is left out of
// the workbook; the household id, which the recognised-list reader matches by next year, is
// its last column, outside the printed area.
const (
	lcNo = iota
	lcName
	lcGroup
	lcAddress
	lcClass
	lcMembers
	lcMinority
	lcIncome
	lcScore
	lcIndicators
)

// listWidths are the widths of a list's columns, the household id last.
func listWidths(nind int) []float64 {
	ws := []float64{4, 18, 9, 18, 10, 5.5, 5.5, 10, 5.5}
	for range nind {
		ws = append(ws, 6)
	}
	return append(ws, 5.5, 12, 37) // deprivation score, movement, id
}

func writeList(f *excelize.File, sh string, st styles, l List, year int, lang string) error {
	cols := indicatorColumns(l.Rows)
	full := listHeader(cols, lang)
	header := full[:len(full)-1] // without the standard applied
	n := len(header)
	printed := n - 1 // the id is not printed
	widths := listWidths(len(cols))
	scope := l.Ward
	if l.Group != "" {
		scope = l.Group + " — " + l.Ward
	}
	sub := []string{scope}
	for _, s := range Standards(l.Rows) {
		sub = append(sub, household.Text{VI: "Chuẩn nghèo áp dụng: ", EN: "Standard applied: "}.In(lang)+s.Title(lang), LegalBasis(s, lang))
		if n := ScoreTableNote(s, lang); n != "" {
			sub = append(sub, n)
		}
	}
	head := docHead(st, widths[:printed], l.Ward, Title(l.Kind, lang), year, sub, lang)
	headerRow := len(head) + 1
	members := 0
	for i := range l.Rows {
		members += len(l.Rows[i].Record.Members)
	}
	total := fmt.Sprintf(household.Text{VI: "Tổng cộng: %d hộ, %d nhân khẩu", EN: "Total: %d households, %d members"}.In(lang), len(l.Rows), members)
	foot := append([]docRow{{{1, printed, total, st.lTotal, 11, true}}}, docFoot(st, widths[:printed], l.Ward, lang)...)
	// The page setup before the stream: flushing a streamed sheet writes it whole.
	printSetup(f, sh, widths, printed, headerRow+len(l.Rows)+1+len(foot), headerRow, headerRow, 0.75, 0, lcName+1)
	// A streamed sheet: a ward's lists have tens of thousands of cells.
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		return err
	}
	for c, w := range widths {
		if err := sw.SetColWidth(c+1, c+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: headerRow, TopLeftCell: cell(3, headerRow+1), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	out := streamRows{sw}
	if _, err := writeDocRows(out, 1, head, widths[:printed]); err != nil {
		return err
	}
	hcells := make([]any, n)
	hh := 0.0
	for i, h := range header {
		hcells[i] = excelize.Cell{StyleID: st.lHeader, Value: h}
		hh = max(hh, textHeight(h, widths[i], 9, true))
	}
	if err := sw.SetRow(cell(1, headerRow), hcells, excelize.RowOpts{Height: hh}); err != nil {
		return err
	}
	row := headerRow
	for i := range l.Rows {
		row++
		cells := listCells(i+1, &l.Rows[i], cols, lang)
		cells = cells[:len(cells)-1] // without the standard applied
		h := 0.0
		for j, c := range cells {
			style := st.lCenter
			switch {
			case j == lcIncome:
				style = st.lMoney
			case j == n-1:
				style = st.lID
			case j == lcName || j == lcGroup || j == lcAddress || j == lcClass || j == n-2:
				style = st.lText
				h = max(h, textHeight(fmt.Sprint(c), widths[j], 10, false))
			}
			cells[j] = excelize.Cell{StyleID: style, Value: c}
		}
		if err := sw.SetRow(cell(1, row), cells, excelize.RowOpts{Height: h}); err != nil {
			return err
		}
	}
	if _, err := writeDocRows(out, row+2, foot, widths[:printed]); err != nil {
		return err
	}
	return sw.Flush()
}
