package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// MeetingMinAgreePercent is the share of attendees who must agree for a community meeting's
// result to stand (Decision 24/2021/QĐ-TTg); below it the group is surveyed again.
const MeetingMinAgreePercent = 50

// Meeting is the community meeting of one residential group that reviews its results.
type Meeting struct {
	Ward, Group string
	Date        household.Date
	Place       string
	Chair       string
	Secretary   string
	Attending   int
	Agree       int
	Opinions    []string
}

// Passed reports whether the result stands: at least half of the attendees agreed.
func (m Meeting) Passed() bool {
	return m.Attending > 0 && m.Agree*100 >= MeetingMinAgreePercent*m.Attending
}

// MeetingProblem is one thing wrong with a meeting as entered: the field it concerns ("date",
// "place", "chair", "secretary", "attending", "agree") and a sentence in each language.
type MeetingProblem struct {
	Field  string
	VI, EN string
}

// Message returns the problem in one language ("en" gives English, anything else Vietnamese).
func (p MeetingProblem) Message(lang string) string {
	return household.Text{VI: p.VI, EN: p.EN}.In(lang)
}

func (p MeetingProblem) Error() string { return p.VI + " / " + p.EN }

// MeetingProblems is every problem of a meeting, in the order of the form's fields. It is the
// error Meeting.Check and WriteMinutesPDF return.
type MeetingProblems []MeetingProblem

// Message returns the problems in one language, one a line.
func (ps MeetingProblems) Message(lang string) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Message(lang)
	}
	return strings.Join(lines, "\n")
}

func (ps MeetingProblems) Error() string { return ps.Message("vi") + "\n" + ps.Message("en") }

// Field returns the problem with a field, if any.
func (ps MeetingProblems) Field(field string) (MeetingProblem, bool) {
	for _, p := range ps {
		if p.Field == field {
			return p, true
		}
	}
	return MeetingProblem{}, false
}

// Check returns what is wrong with the meeting as a MeetingProblems, or nil: the date, place,
// chair and secretary are required (the minutes are an official record), at least one person
// attended, and those agreeing are between none and all of them.
func (m Meeting) Check() error {
	var ps MeetingProblems
	add := func(field, vi, en string) { ps = append(ps, MeetingProblem{field, vi, en}) }
	if m.Date.IsZero() {
		add("date", "Thiếu ngày họp.", "The meeting date is missing.")
	}
	for _, f := range []struct {
		field, value, vi, en string
	}{{"place", m.Place, "Thiếu địa điểm họp.", "The meeting place is missing."},
		{"chair", m.Chair, "Thiếu người chủ trì cuộc họp.", "The chair of the meeting is missing."},
		{"secretary", m.Secretary, "Thiếu thư ký cuộc họp.", "The secretary of the meeting is missing."}} {
		if strings.TrimSpace(f.value) == "" {
			add(f.field, f.vi, f.en)
		}
	}
	switch {
	case m.Attending <= 0:
		add("attending", "Số người dự họp phải lớn hơn 0.", "The number of attendees must be more than 0.")
	case m.Agree < 0 || m.Agree > m.Attending:
		add("agree", fmt.Sprintf("Số người đồng ý (%d) phải từ 0 đến số người dự họp (%d).", m.Agree, m.Attending),
			fmt.Sprintf("The number agreeing (%d) must be between 0 and the number of attendees (%d).", m.Agree, m.Attending))
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// sentence trims what was typed for a place or a name that the minutes end with a full stop.
func sentence(s string) string { return strings.TrimRight(strings.TrimSpace(s), ". ") }

// WriteMinutesPDF writes the minutes of a group's community meeting: who met, the households
// proposed as poor and near-poor, the vote tally and whether the result stands.
func WriteMinutesPDF(w io.Writer, m Meeting, rows []Row, lang string) error {
	if err := m.Check(); err != nil {
		return err
	}
	rows = append([]Row(nil), rows...)
	Sort(rows)
	d := newDoc("P", lang)
	d.AddPage()
	d.stateHeader(m.Ward)
	d.line(6, 13, "B", "C", strings.ToUpper(d.tx("Biên bản họp dân", "Minutes of the community meeting")))
	d.line(6, 11, "B", "C", d.tx("Thống nhất kết quả rà soát hộ nghèo, hộ cận nghèo", "Agreeing the results of the poor and near-poor household review"))
	d.line(6, 11, "", "C", fmt.Sprintf("%s — %s", m.Group, m.Ward))
	d.Ln(3)
	d.line(5.5, 10, "", "L", fmt.Sprintf(d.tx("Thời gian: ngày %s. Địa điểm: %s.", "Date: %s. Place: %s."), m.Date.VN(), sentence(m.Place)))
	d.line(5.5, 10, "", "L", fmt.Sprintf(d.tx("Chủ trì: %s. Thư ký: %s.", "Chair: %s. Secretary: %s."), sentence(m.Chair), sentence(m.Secretary)))
	d.line(5.5, 10, "", "L", fmt.Sprintf(d.tx("Số người dự họp: %d.", "Attending: %d."), m.Attending))
	for _, s := range Standards(rows) {
		d.line(5.5, 10, "", "L", d.tx("Chuẩn nghèo áp dụng: ", "Standard applied: ")+s.Title(lang))
		d.line(5, 9, "", "L", LegalBasis(s, lang))
		if n := ScoreTableNote(s, lang); n != "" {
			d.line(5, 9, "B", "L", n)
		}
	}
	d.Ln(2)
	widths := []float64{12, 60, 60, 18, 30}
	header := []string{d.tx("STT", "No."), d.tx("Họ và tên chủ hộ", "Head of household"), d.tx("Địa chỉ", "Address"),
		d.tx("Số nhân khẩu", "Members"), d.tx("Đề nghị", "Proposed")}
	var body [][]string
	for _, r := range rows {
		if r.Result.Class == poverty.Poor || r.Result.Class == poverty.NearPoor {
			body = append(body, []string{fmt.Sprint(len(body) + 1), r.Record.HeadName(), r.Record.Address,
				fmt.Sprint(len(r.Record.Members)), ClassWord(r.Result.Class, lang)})
		}
	}
	// A heading stays with the start of what it heads.
	title := d.tx("I. Danh sách hộ đề nghị công nhận hộ nghèo, hộ cận nghèo", "I. Households proposed as poor and near-poor")
	if len(body) > 0 {
		d.keepTogether(d.lineHeight(6, 11, "B", title) + d.tableLead(widths, header, body, 0))
	} else {
		d.keepTogether(d.lineHeight(6, 11, "B", title) + 5)
	}
	d.line(6, 11, "B", "L", title)
	if len(body) > 0 {
		d.table(widths, header, body, []string{"C", "L", "L", "C", "L"}, 0)
	} else {
		d.line(5, 10, "", "L", d.tx("Không có hộ nào.", "No household."))
	}
	d.Ln(2)
	opinions := []string{d.tx("Không có ý kiến khác.", "No other opinion.")}
	if len(m.Opinions) > 0 {
		opinions = nil
		for _, o := range m.Opinions {
			opinions = append(opinions, "- "+o)
		}
	}
	title = d.tx("II. Ý kiến tại cuộc họp", "II. Opinions raised")
	d.keepTogether(d.lineHeight(6, 11, "B", title) + d.lineHeight(5.5, 10, "", opinions[0]))
	d.line(6, 11, "B", "L", title)
	for _, o := range opinions {
		d.line(5.5, 10, "", "L", o)
	}
	d.Ln(2)
	pct := Rate{m.Agree, m.Attending}.Percent()
	tally := fmt.Sprintf(d.tx("Đồng ý: %d/%d người (%.1f%%). Không đồng ý: %d người.", "Agree: %d of %d (%.1f%%). Disagree: %d."),
		m.Agree, m.Attending, pct, m.Attending-m.Agree)
	verdict := d.tx(fmt.Sprintf("Kết quả rà soát được thông qua (đạt từ %d%% số người dự họp đồng ý trở lên).", MeetingMinAgreePercent),
		fmt.Sprintf("The result stands (at least %d%% of attendees agreed).", MeetingMinAgreePercent))
	if !m.Passed() {
		verdict = d.tx(fmt.Sprintf("Kết quả rà soát KHÔNG được thông qua (dưới %d%% số người dự họp đồng ý): tổ phải rà soát lại.", MeetingMinAgreePercent),
			fmt.Sprintf("The result does NOT stand (under %d%% of attendees agreed): the group must be surveyed again.", MeetingMinAgreePercent))
	}
	copies := d.tx("Biên bản được lập thành 02 bản, có giá trị như nhau.", "These minutes are made in two copies of equal value.")
	title = d.tx("III. Kết quả biểu quyết", "III. Vote")
	// The vote and the signatures stay on one page.
	d.keepTogether(d.lineHeight(6, 11, "B", title) + d.lineHeight(5.5, 10, "", tally) + d.lineHeight(5.5, 10, "B", verdict) +
		d.lineHeight(5.5, 10, "", copies) + signatureHeight)
	d.line(6, 11, "B", "L", title)
	d.line(5.5, 10, "", "L", tally)
	d.line(5.5, 10, "B", "L", verdict)
	d.line(5.5, 10, "", "L", copies)
	d.signatures(household.Text{VI: "THƯ KÝ", EN: "SECRETARY"}, household.Text{VI: "CHỦ TRÌ CUỘC HỌP", EN: "CHAIR"}, m.Ward, m.Date)
	if err := d.Error(); err != nil {
		return err
	}
	return d.Output(w)
}
