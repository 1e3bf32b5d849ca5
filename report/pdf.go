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

// table writes a table with wrapped cells, repeating the header on every page.
func (d *doc) table(widths []float64, header []string, rows [][]string, aligns []string) {
	var drawRow func(cells []string, bold bool)
	drawRow = func(cells []string, bold bool) {
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
		h := float64(lines)*4.5 + 1.5
		_, pageH := d.GetPageSize()
		if d.GetY()+h > pageH-18 {
			d.AddPage()
			if !bold {
				drawRow(header, true)
				d.SetFont(font, style, 9)
			}
		}
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
	drawRow(header, true)
	for _, r := range rows {
		drawRow(r, false)
	}
}

// signatures writes the place and date line and two signature blocks side by side.
func (d *doc) signatures(left, right household.Text, place string) {
	_, pageH := d.GetPageSize()
	if d.GetY()+40 > pageH-18 {
		d.AddPage()
	}
	w := (d.pageWidth() - 30) / 2
	y := d.GetY() + 4
	d.SetXY(15+w, y)
	d.SetFont(font, "", 10)
	d.CellFormat(w, 5, place+d.tx(", ngày …… tháng …… năm ……", ", date …………………"), "", 2, "C", false, 0, "")
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

// PostingOptions are the particulars of a public posting.
type PostingOptions struct {
	Ward        string
	Group       string
	Year        int
	WorkingDays int // how long the list stays posted; 0 means the default of 3 working days
	Lang        string
}

// WritePostingPDF writes the list for public posting of one residential group: the poor,
// near-poor and medium-living-standard households (name, address, members, class and change
// since last year only: the posted list shows no income or health details), the posting
// period, and the signature block.
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
	}
	d.Ln(3)
	widths := []float64{12, 58, 62, 18, 30}
	header := []string{d.tx("STT", "No."), d.tx("Họ và tên chủ hộ", "Head of household"), d.tx("Địa chỉ", "Address"),
		d.tx("Số nhân khẩu", "Members"), d.tx("Ghi chú", "Note")}
	for i, class := range []string{poverty.Poor, poverty.NearPoor, poverty.Medium} {
		var body [][]string
		for _, r := range rows {
			if r.Result.Class == class {
				body = append(body, []string{fmt.Sprint(len(body) + 1), r.Record.HeadName(), r.Record.Address,
					fmt.Sprint(len(r.Record.Members)), MovementWord(r.Result.Movement, o.Lang)})
			}
		}
		d.line(6, 11, "B", "L", fmt.Sprintf("%s. %s (%d %s)", []string{"I", "II", "III"}[i], ClassWord(class, o.Lang), len(body), d.tx("hộ", "households")))
		if len(body) == 0 {
			d.line(5, 10, "", "L", d.tx("Không có hộ nào.", "No household."))
		} else {
			d.table(widths, header, body, []string{"C", "L", "L", "C", "L"})
		}
		d.Ln(2)
	}
	d.line(5, 10, "", "L", fmt.Sprintf(d.tx(
		"Danh sách được niêm yết công khai trong %d ngày làm việc. Mọi ý kiến, thắc mắc, khiếu nại xin gửi về Ủy ban nhân dân trong thời gian niêm yết.",
		"This list is posted publicly for %d working days. Questions and objections go to the People's Committee during the posting."), o.WorkingDays))
	d.signatures(household.Text{VI: "NGƯỜI LẬP BIỂU", EN: "PREPARED BY"}, household.Text{VI: "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", EN: "FOR THE PEOPLE'S COMMITTEE\nCHAIRPERSON"}, o.Ward)
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}
