package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/go-pdf/fpdf"

	"github.com/rasoat/rasoat/assets"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

const font = "NotoSans"

// doc is an A4 document with the embedded Unicode font and page numbers.
type doc struct {
	*fpdf.Fpdf
	lang string
}

func newDoc(orientation, lang string) *doc {
	p := fpdf.New(orientation, "mm", "A4", "")
	p.SetMargins(15, 12, 15)
	p.SetAutoPageBreak(true, 16)
	p.AddUTF8FontFromBytes(font, "", assets.FontRegular)
	p.AddUTF8FontFromBytes(font, "B", assets.FontBold)
	p.AliasNbPages("{nb}")
	d := &doc{Fpdf: p, lang: lang}
	p.SetFooterFunc(func() {
		p.SetY(-12)
		p.SetFont(font, "", 8)
		p.CellFormat(0, 6, fmt.Sprintf(d.tx("Trang %d/{nb}", "Page %d of {nb}"), p.PageNo()), "", 0, "C", false, 0, "")
	})
	p.SetCreator("rasoat", true)
	return d
}

func (d *doc) tx(vi, en string) string { return household.Text{VI: vi, EN: en}.In(d.lang) }

func (d *doc) line(h float64, size float64, style, align, text string) {
	d.SetFont(font, style, size)
	d.MultiCell(0, h, text, "", align, false)
}

// lineHeight is the height d.line takes to write text.
func (d *doc) lineHeight(h float64, size float64, style, text string) float64 {
	d.SetFont(font, style, size)
	return h * float64(max(1, len(d.SplitText(text, d.pageWidth()-30-2))))
}

// footRoom is the height kept free at the foot of every page for the page number.
const footRoom = 18

// keepTogether starts a new page unless the next h millimetres fit on this one (or would not fit
// on an empty page either).
func (d *doc) keepTogether(h float64) {
	_, pageH := d.GetPageSize()
	_, top, _, _ := d.GetMargins()
	if d.GetY()+h > pageH-footRoom && top+h <= pageH-footRoom {
		d.AddPage()
	}
}

// stateHeader writes the two-column heading of an official document: the issuing body on the
// left, the national motto on the right.
func (d *doc) stateHeader(ward string) {
	w := (d.pageWidth() - 30) / 2
	y := d.GetY()
	d.SetFont(font, "B", 10)
	d.CellFormat(w, 5, d.tx("ỦY BAN NHÂN DÂN", "PEOPLE'S COMMITTEE"), "", 2, "C", false, 0, "")
	d.CellFormat(w, 5, strings.ToUpper(ward), "", 2, "C", false, 0, "")
	d.SetXY(15+w, y)
	d.CellFormat(w, 5, d.tx("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), "", 2, "C", false, 0, "")
	d.CellFormat(w, 5, d.tx("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness"), "", 2, "C", false, 0, "")
	d.Line(15+w+w/2-20, d.GetY()+0.5, 15+w+w/2+20, d.GetY()+0.5)
	d.SetXY(15, d.GetY()+6)
}

func (d *doc) pageWidth() float64 {
	w, _ := d.GetPageSize()
	return w
}

// rowHeight is the height of one table row.
func (d *doc) rowHeight(widths []float64, cells []string, bold bool) float64 {
	style := ""
	if bold {
		style = "B"
	}
	d.SetFont(font, style, 9)
	lines := 1
	for i, c := range cells {
		if n := len(d.SplitText(c, widths[i]-2)); n > lines {
			lines = n
		}
	}
	return float64(lines)*4.5 + 1.5
}

// tableHeight is the height of a table's header and rows.
func (d *doc) tableHeight(widths []float64, header []string, rows [][]string) float64 {
	h := d.rowHeight(widths, header, true)
	for _, r := range rows {
		h += d.rowHeight(widths, r, false)
	}
	return h
}

// keepRows is how many last rows of a table stay on the page of what follows it (the
// signatures), so that a signature block never stands alone.
const keepRows = 2

// tableLead is the height of the start of a table that must stay on the page of what goes
// before it (its title): the header and first row or, when tail is more than 0 and the table has
// at most keepRows rows, the whole table and the tail that stays with its last rows. The caller
// keeps its title with this (keepTogether) before writing the title.
func (d *doc) tableLead(widths []float64, header []string, rows [][]string, tail float64) float64 {
	if tail > 0 && len(rows) <= keepRows {
		return d.tableHeight(widths, header, rows) + tail
	}
	return d.tableHeight(widths, header, rows[:min(1, len(rows))])
}

// table writes a table with wrapped cells, repeating the header on every page. When tail is
// more than 0 its last keepRows rows go on the same page as the next tail millimetres (a page
// break comes before them when they would not fit together; a shorter table is kept with its
// tail by the caller, see tableLead).
func (d *doc) table(widths []float64, header []string, rows [][]string, aligns []string, tail float64) {
	var drawRow func(cells []string, bold bool)
	drawRow = func(cells []string, bold bool) {
		h := d.rowHeight(widths, cells, bold)
		_, pageH := d.GetPageSize()
		if d.GetY()+h > pageH-footRoom {
			d.AddPage()
			if !bold {
				drawRow(header, true)
			}
		}
		style := ""
		if bold {
			style = "B"
		}
		d.SetFont(font, style, 9)
		x, y := d.GetX(), d.GetY()
		for i, c := range cells {
			if bold {
				d.SetFillColor(221, 235, 247)
			}
			d.Rect(x, y, widths[i], h, map[bool]string{true: "FD", false: "D"}[bold])
			d.SetXY(x+1, y+0.75)
			align := "L"
			if bold {
				align = "C"
			} else if i < len(aligns) {
				align = aligns[i]
			}
			d.MultiCell(widths[i]-2, 4.5, c, "", align, false)
			x += widths[i]
		}
		d.SetXY(15, y+h)
	}
	keepFrom := len(rows)
	if tail > 0 {
		keepFrom = max(0, len(rows)-keepRows)
	}
	drawRow(header, true)
	for i, r := range rows {
		if i == keepFrom && i > 0 {
			h := tail
			for _, k := range rows[i:] {
				h += d.rowHeight(widths, k, false)
			}
			_, pageH := d.GetPageSize()
			if d.GetY()+h > pageH-footRoom {
				d.AddPage()
				drawRow(header, true)
			}
		}
		drawRow(r, false)
	}
}

// signatureHeight is the height signatures takes.
const signatureHeight = 40

// signatures writes the place and date line and two signature blocks side by side; a zero date
// leaves the day, month and year to be filled in by hand.
func (d *doc) signatures(left, right household.Text, place string, date household.Date) {
	_, pageH := d.GetPageSize()
	if d.GetY()+signatureHeight > pageH-footRoom {
		d.AddPage()
	}
	w := (d.pageWidth() - 30) / 2
	y := d.GetY() + 4
	d.SetXY(15+w, y)
	d.SetFont(font, "", 10)
	d.CellFormat(w, 5, place+", "+d.dateLine(date), "", 2, "C", false, 0, "")
	y2 := d.GetY()
	for i, t := range []household.Text{left, right} {
		d.SetXY(15+float64(i)*w, y2)
		d.SetFont(font, "B", 10)
		d.MultiCell(w, 5, t.In(d.lang), "", "C", false)
		d.SetX(15 + float64(i)*w)
		d.SetFont(font, "", 9)
		d.CellFormat(w, 5, d.tx("(Ký, ghi rõ họ tên)", "(Signature and full name)"), "", 2, "C", false, 0, "")
	}
	d.SetY(y2 + 30)
}

var months = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

// dateLine writes a date as an official document's place-and-date line does ("ngày 05 tháng 02
// năm 2026": a zero before days under 10 and the months January and February), or blanks.
func (d *doc) dateLine(t household.Date) string {
	if t.IsZero() {
		return d.tx("ngày …… tháng …… năm ……", "date …………………")
	}
	if d.lang == "en" {
		return fmt.Sprintf("%d %s %d", t.D, months[(t.M+11)%12], t.Y)
	}
	month := fmt.Sprint(t.M)
	if t.M < 3 {
		month = "0" + month
	}
	return fmt.Sprintf("ngày %02d tháng %s năm %d", t.D, month, t.Y)
}

// PostingOptions are the particulars of a public posting.
type PostingOptions struct {
	Ward        string
	Group       string
	Year        int
	WorkingDays int // how long the list stays posted; 0 means the default of 3 working days
	Lang        string
}

// WritePostingPDF writes the list for public posting of one residential group: the poor,
// near-poor and medium-living-standard households, and the households leaving poverty or
// near-poverty (whose loss of status residents may object to like any other result); for each,
// name, address, members, class and change since last year only: the posted list shows no
// income or health details. Then the posting period and the signature block, which stays on
// the page of the last rows.
func WritePostingPDF(w io.Writer, rows []Row, o PostingOptions) error {
	if o.WorkingDays == 0 {
		o.WorkingDays = 3
	}
	rows = append([]Row(nil), rows...)
	Sort(rows)
	d := newDoc("P", o.Lang)
	d.AddPage()
	d.stateHeader(o.Ward)
	d.line(6, 13, "B", "C", strings.ToUpper(d.tx(
		fmt.Sprintf("Danh sách niêm yết công khai kết quả rà soát hộ nghèo, hộ cận nghèo năm %d", o.Year),
		fmt.Sprintf("Public list of the results of the %d poor and near-poor household review", o.Year))))
	d.line(6, 11, "", "C", fmt.Sprintf("%s — %s", o.Group, o.Ward))
	for _, s := range Standards(rows) {
		d.line(5, 9, "", "C", d.tx("Chuẩn nghèo áp dụng: ", "Standard applied: ")+s.Title(o.Lang))
		d.line(4, 8, "", "C", LegalBasis(s, o.Lang))
		if n := ScoreTableNote(s, o.Lang); n != "" {
			d.line(4, 8, "B", "C", n)
		}
	}
	d.Ln(3)
	type section struct {
		title  string
		note   string
		widths []float64
		header []string
		aligns []string
		body   [][]string
	}
	person := func(n int, r *Row) []string {
		return []string{fmt.Sprint(n), r.Record.HeadName(), r.Record.Address, fmt.Sprint(len(r.Record.Members))}
	}
	header := []string{d.tx("STT", "No."), d.tx("Họ và tên chủ hộ", "Head of household"), d.tx("Địa chỉ", "Address"),
		d.tx("Số nhân khẩu", "Members")}
	var sections []section
	for i, class := range []string{poverty.Poor, poverty.NearPoor, poverty.Medium} {
		s := section{title: fmt.Sprintf("%s. %s", []string{"I", "II", "III"}[i], ClassWord(class, o.Lang)),
			widths: []float64{12, 58, 62, 18, 30}, header: append(header[:4:4], d.tx("Ghi chú", "Note")),
			aligns: []string{"C", "L", "L", "C", "L"}}
		for j := range rows {
			if r := &rows[j]; r.Result.Class == class {
				s.body = append(s.body, append(person(len(s.body)+1, r), MovementWord(r.Result.Movement, o.Lang)))
			}
		}
		sections = append(sections, s)
	}
	escaped := section{title: d.tx("IV. Hộ thoát nghèo, thoát cận nghèo", "IV. Households leaving poverty or near-poverty"),
		note: d.tx("Các hộ này không còn là hộ nghèo, hộ cận nghèo; hộ nay có mức sống trung bình cũng có tên ở mục III.",
			"These households are no longer poor or near-poor; those now with a medium living standard are also in III."),
		widths: []float64{12, 46, 44, 14, 30, 34},
		header: append(header[:4:4], d.tx("Biến động", "Change"), d.tx("Phân loại năm nay", "Class this year")),
		aligns: []string{"C", "L", "L", "C", "L", "L"}}
	for j := range rows {
		if r := &rows[j]; r.Result.Movement == poverty.EscapedPoor || r.Result.Movement == poverty.EscapedNearPoor {
			escaped.body = append(escaped.body, append(person(len(escaped.body)+1, r),
				MovementWord(r.Result.Movement, o.Lang), ClassWord(r.Result.Class, o.Lang)))
		}
	}
	sections = append(sections, escaped)
	posting := fmt.Sprintf(d.tx(
		"Danh sách được niêm yết công khai trong %d ngày làm việc. Mọi ý kiến, thắc mắc, khiếu nại xin gửi về Ủy ban nhân dân trong thời gian niêm yết.",
		"This list is posted publicly for %d working days. Questions and objections go to the People's Committee during the posting."), o.WorkingDays)
	// What follows the last section and stays on the page of its last rows.
	tail := 2 + d.lineHeight(5, 10, "", posting) + signatureHeight
	for i, s := range sections {
		title := fmt.Sprintf("%s (%d %s)", s.title, len(s.body), d.tx("hộ", "households"))
		head := d.lineHeight(6, 11, "B", title)
		if s.note != "" {
			head += d.lineHeight(5, 9, "", s.note)
		}
		last := i == len(sections)-1
		switch {
		case len(s.body) == 0 && last:
			d.keepTogether(head + 5 + tail)
		case len(s.body) == 0:
			d.keepTogether(head + 5)
		case last: // the title with the table's header and first row at least, or the whole short table and what follows
			d.keepTogether(head + d.tableLead(s.widths, s.header, s.body, tail))
		default:
			d.keepTogether(head + d.tableLead(s.widths, s.header, s.body, 0))
		}
		d.line(6, 11, "B", "L", title)
		if s.note != "" {
			d.line(5, 9, "", "L", s.note)
		}
		if len(s.body) == 0 {
			d.line(5, 10, "", "L", d.tx("Không có hộ nào.", "No household."))
		} else if last {
			d.table(s.widths, s.header, s.body, s.aligns, tail)
		} else {
			d.table(s.widths, s.header, s.body, s.aligns, 0)
		}
		d.Ln(2)
	}
	d.line(5, 10, "", "L", posting)
	d.signatures(household.Text{VI: "NGƯỜI LẬP BIỂU", EN: "PREPARED BY"}, household.Text{VI: "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", EN: "FOR THE PEOPLE'S COMMITTEE\nCHAIRPERSON"}, o.Ward, household.Date{})
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}
