package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// pdfText extracts a PDF's text with pdftotext (poppler-utils, installed by scripts/setup.sh).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (run scripts/setup.sh)")
	}
	p := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", p, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestPostingPDFNamesEveryHousehold(t *testing.T) {
	rows := classified(t, 400)
	ls := Build("Phường Demo", rows)
	group := ls.Groups[0]
	var mine []Row
	for _, r := range rows {
		if r.Record.Group == group {
			mine = append(mine, r)
		}
	}
	var buf bytes.Buffer
	if err := WritePostingPDF(&buf, mine, PostingOptions{Ward: "Phường Đồng Tâm", Group: group, Year: 2026, Lang: "vi"}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	listed := 0
	for _, r := range mine {
		switch r.Result.Class {
		case poverty.Poor, poverty.NearPoor, poverty.Medium:
			listed++
			if !strings.Contains(text, r.Record.HeadName()) {
				t.Errorf("the posting lacks %q", r.Record.HeadName())
			}
		}
	}
	if listed < 10 {
		t.Fatalf("only %d households to list; the test needs more", listed)
	}
	if !strings.Contains(text, "IV. Hộ thoát nghèo, thoát cận nghèo") {
		t.Error("the posting has no section for the households leaving poverty")
	}
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "PHƯỜNG ĐỒNG TÂM", "NIÊM YẾT CÔNG KHAI", "Trang 1/", "Chuẩn nghèo đa chiều giai đoạn 2022–2025", "Căn cứ: Nghị định 07/2021/NĐ-CP", "CHỦ TỊCH", "3 ngày làm việc"} {
		if !strings.Contains(text, want) {
			t.Errorf("the posting lacks %q", want)
		}
	}
}

// Every household leaving poverty or near-poverty is posted, with its movement, so residents can
// object to its losing the status (QA finding 1): those now "not poor" are on no other list.
func TestPostingPDFNamesEveryEscape(t *testing.T) {
	rows := classified(t, 400)
	ls := Build("Phường Demo", rows)
	escapes, notPoor := 0, 0
	for _, g := range ls.Groups {
		var mine []Row
		for _, l := range ls.All {
			if l.Group == g {
				mine = append(mine, l.Rows...)
			}
		}
		mine = groupRows([]List{{Rows: mine}})
		var buf bytes.Buffer
		if err := WritePostingPDF(&buf, mine, PostingOptions{Ward: "Phường Đồng Tâm", Group: g, Year: 2026, Lang: "vi"}); err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, buf.Bytes())
		for _, r := range mine {
			if m := r.Result.Movement; m == poverty.EscapedPoor || m == poverty.EscapedNearPoor {
				escapes++
				if r.Result.Class == poverty.NotPoor {
					notPoor++
				}
				if !strings.Contains(text, r.Record.HeadName()) {
					t.Errorf("%s: the posting lacks %q (%s, now %s)", g, r.Record.HeadName(), m, r.Result.Class)
				}
			}
		}
		if !strings.Contains(text, "IV. Hộ thoát nghèo, thoát cận nghèo") {
			t.Errorf("%s: no section IV", g)
		}
	}
	if notPoor == 0 || escapes == notPoor {
		t.Fatalf("%d escapes, %d of them not poor: the test needs both kinds", escapes, notPoor)
	}
}

// synthetic makes n rows of one class and movement, with the standard of a demo household.
func synthetic(t *testing.T, n int, class, movement, prefix string) []Row {
	res := classified(t, 1)[0].Result
	res.Class, res.Movement = class, movement
	var rows []Row
	for i := range n {
		rows = append(rows, Row{Record: &household.Record{ID: fmt.Sprintf("%s-%d", prefix, i), Group: "Tổ 1",
			Address: fmt.Sprintf("Số %d, thôn Bản Cầm", i+1), Members: []household.Member{{Name: fmt.Sprintf("%s Văn %03d", prefix, i), Relation: "head"}}},
			Result: res})
	}
	return rows
}

// The signatures never stand alone on the last page: the page that has them also has the last
// rows of the list (QA finding 11).
func TestPostingPDFSignaturesKeepRows(t *testing.T) {
	poor := synthetic(t, 12, poverty.Poor, poverty.RemainsPoor, "Nghèo")
	for n := 0; n <= 45; n++ {
		rows := append(append([]Row(nil), poor...), synthetic(t, n, poverty.NotPoor, poverty.EscapedPoor, "Thoát")...)
		var buf bytes.Buffer
		if err := WritePostingPDF(&buf, rows, PostingOptions{Ward: "Phường Cốc Lếu", Group: "Tổ 1", Year: 2026, Lang: "vi"}); err != nil {
			t.Fatal(err)
		}
		pages := strings.Split(strings.TrimRight(pdfText(t, buf.Bytes()), "\f"), "\f")
		last := pages[len(pages)-1]
		if !strings.Contains(last, "CHỦ TỊCH") || !strings.Contains(last, "niêm yết công khai trong") {
			t.Errorf("%d escaped: the last page lacks the posting sentence or the signatures:\n%s", n, last)
		}
		want := "Không có hộ nào."
		if n > 0 {
			want = fmt.Sprintf("Thoát Văn %03d", n-1)
		}
		if !strings.Contains(last, want) {
			t.Errorf("%d escaped, %d pages: the signatures' page lacks %q:\n%s", n, len(pages), want, last)
		}
	}
}

func TestMeetingRule(t *testing.T) {
	for _, tc := range []struct {
		attending, agree int
		passed           bool
	}{{10, 5, true}, {10, 4, false}, {9, 5, true}, {9, 4, false}, {1, 1, true}, {3, 2, true}, {0, 0, false}} {
		if got := (Meeting{Attending: tc.attending, Agree: tc.agree}).Passed(); got != tc.passed {
			t.Errorf("%d of %d: passed = %v, want %v", tc.agree, tc.attending, got, tc.passed)
		}
	}
}

func TestMinutesPDF(t *testing.T) {
	rows := classified(t, 200)
	m := Meeting{Ward: "Phường Đồng Tâm", Group: "Tổ 01", Date: household.MustDate("2026-10-20"), Place: "Nhà văn hóa tổ 1",
		Chair: "Nguyễn Văn Tổ", Secretary: "Lê Thị Thư", Attending: 41, Agree: 20, Opinions: []string{"Hộ ông Hùng đề nghị xem lại thu nhập."}}
	var buf bytes.Buffer
	if err := WriteMinutesPDF(&buf, m, rows, "vi"); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	for _, want := range []string{"BIÊN BẢN HỌP DÂN", "Đồng ý: 20/41 người (48.8%)", "KHÔNG được thông qua", "Hộ ông Hùng", "20/10/2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("minutes lack %q", want)
		}
	}
	m.Agree = 21
	buf.Reset()
	if err := WriteMinutesPDF(&buf, m, rows, "vi"); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "được thông qua (đạt từ 50%") {
		t.Error("21 of 41 must pass")
	}
	if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "Phường Đồng Tâm, ngày 20 tháng 10 năm 2026") || strings.Contains(text, "……") {
		t.Errorf("the date line is not the ward and the meeting's date:\n%s", text)
	}
	m.Date = household.MustDate("2027-02-05")
	buf.Reset()
	if err := WriteMinutesPDF(&buf, m, rows, "en"); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, buf.Bytes()); !strings.Contains(text, "Phường Đồng Tâm, 5 February 2027") {
		t.Errorf("the English date line is not the ward and the meeting's date:\n%s", text)
	}
	m.Agree = 42
	if err := WriteMinutesPDF(&buf, m, rows, "vi"); err == nil {
		t.Error("more agreeing than attending must be refused")
	}
}

func TestMeetingCheck(t *testing.T) {
	ok := Meeting{Ward: "Phường Đồng Tâm", Group: "Tổ 01", Date: household.MustDate("2026-10-20"), Place: "Nhà văn hóa",
		Chair: "Nguyễn Văn Tổ", Secretary: "Lê Thị Thư", Attending: 20, Agree: 10}
	if err := ok.Check(); err != nil {
		t.Fatalf("a complete meeting: %v", err)
	}
	for _, tc := range []struct {
		change func(*Meeting)
		fields []string
		vi, en string
	}{
		{func(m *Meeting) { m.Place, m.Secretary = " ", "" }, []string{"place", "secretary"}, "Thiếu địa điểm họp.", "The secretary of the meeting is missing."},
		{func(m *Meeting) { m.Chair = "" }, []string{"chair"}, "Thiếu người chủ trì cuộc họp.", "The chair of the meeting is missing."},
		{func(m *Meeting) { m.Date = household.Date{} }, []string{"date"}, "Thiếu ngày họp.", "The meeting date is missing."},
		{func(m *Meeting) { m.Attending = 0 }, []string{"attending"}, "Số người dự họp phải lớn hơn 0.", "The number of attendees must be more than 0."},
		{func(m *Meeting) { m.Agree = 12; m.Attending = 10 }, []string{"agree"}, "Số người đồng ý (12) phải từ 0 đến số người dự họp (10).",
			"The number agreeing (12) must be between 0 and the number of attendees (10)."},
	} {
		m := ok
		tc.change(&m)
		err := m.Check()
		var ps MeetingProblems
		if !errors.As(err, &ps) {
			t.Fatalf("%v: Check gave %T %v", tc.fields, err, err)
		}
		var fields []string
		for _, p := range ps {
			fields = append(fields, p.Field)
		}
		if strings.Join(fields, ",") != strings.Join(tc.fields, ",") {
			t.Errorf("problems with %v, want %v", fields, tc.fields)
		}
		vi, en := ps.Message("vi"), ps.Message("en")
		if !strings.Contains(vi, tc.vi) || !strings.Contains(en, tc.en) || strings.Contains(vi, "/") || strings.Contains(en, "Thiếu") {
			t.Errorf("messages\nvi: %s\nen: %s", vi, en)
		}
		// The UI reads the message in one language through this interface (store.Message).
		var one interface{ Message(string) string }
		if !errors.As(err, &one) || one.Message("en") != en {
			t.Error("the error does not give its message in one language")
		}
		if p, found := ps.Field(tc.fields[0]); !found || p.Message("vi") == "" {
			t.Errorf("no problem with %s", tc.fields[0])
		}
		if err := WriteMinutesPDF(io.Discard, m, nil, "vi"); err == nil {
			t.Errorf("%v: minutes written", tc.fields)
		}
	}
}

// pdfPages is the text of each page of a PDF.
func pdfPages(t *testing.T, pdf []byte) []string {
	t.Helper()
	return strings.Split(strings.TrimRight(pdfText(t, pdf), "\f"), "\f")
}

// headingAlone says which section heading of a posting's page has neither "Không có hộ nào."
// nor its table's header and first row after it on the same page, or "".
func headingAlone(page string) string {
	lines := strings.Split(page, "\n")
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if !strings.HasPrefix(l, "I. ") && !strings.HasPrefix(l, "II. ") && !strings.HasPrefix(l, "III. ") && !strings.HasPrefix(l, "IV. ") {
			continue
		}
		header, first := false, false
		for _, k := range lines[i+1:] {
			k = strings.TrimSpace(k)
			if k == "Không có hộ nào." {
				header, first = true, true
			}
			if strings.HasPrefix(k, "STT ") {
				header = true
			}
			if f := strings.Fields(k); header && len(f) > 1 && f[0] == "1" {
				first = true
			}
		}
		if !header || !first {
			return l
		}
	}
	return ""
}

// A section heading never ends a page: its table's header and first row are on its page (QA
// round 2, finding 3), while the last rows still keep the posting sentence and signatures.
func TestPostingPDFHeadingKeepsTable(t *testing.T) {
	check := func(name string, rows []Row) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			keepsTable(t, rows)
		})
	}
	demo := classified(t, 60)
	for n := 1; n <= len(demo); n++ {
		check(fmt.Sprintf("%d demo households", n), demo[:n])
	}
	near := synthetic(t, 1, poverty.NearPoor, poverty.RemainsNearPoor, "Cận")
	medium := synthetic(t, 2, poverty.Medium, poverty.MovementNone, "Trung")
	for p := 0; p <= 45; p++ {
		for e := 0; e <= 3; e++ {
			rows := append(append(append(synthetic(t, p, poverty.Poor, poverty.RemainsPoor, "Nghèo"), near...), medium...),
				synthetic(t, e, poverty.NotPoor, poverty.EscapedPoor, "Thoát")...)
			check(fmt.Sprintf("%d poor, %d escaped", p, e), rows)
		}
	}
}

// keepsTable checks that no page of rows' posting ends with a section heading and that the last
// page has the posting sentence and the signatures.
func keepsTable(t *testing.T, rows []Row) {
	t.Helper()
	var buf bytes.Buffer
	if err := WritePostingPDF(&buf, rows, PostingOptions{Ward: "Phường Cốc Lếu", Group: "Tổ 5", Year: 2026, Lang: "vi"}); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, buf.Bytes())
	for i, p := range pages {
		if h := headingAlone(p); h != "" {
			t.Errorf("page %d/%d ends with %q without its table:\n%s", i+1, len(pages), h, p)
		}
	}
	if last := pages[len(pages)-1]; !strings.Contains(last, "CHỦ TỊCH") || !strings.Contains(last, "niêm yết công khai trong") {
		t.Errorf("the last page lacks the posting sentence or the signatures:\n%s", last)
	}
}

// No heading of the minutes ends a page: the list's heading has the table's header and first
// row after it, the opinions' heading the first opinion, the vote's the tally (the vote stays
// with the signatures).
func TestMinutesPDFHeadingKeepsText(t *testing.T) {
	for n := 10; n <= 45; n++ { // the first page ends with these
		for _, opinions := range [][]string{nil, {"Đồng ý với danh sách.", "Đề nghị xem lại hộ số 3."}} {
			rows := synthetic(t, n, poverty.Poor, poverty.RemainsPoor, "Nghèo")
			m := Meeting{Ward: "Phường Đồng Tâm", Group: "Tổ 01", Date: household.MustDate("2026-10-20"), Place: "Nhà văn hóa tổ 1",
				Chair: "Nguyễn Văn Tổ", Secretary: "Lê Thị Thư", Attending: 41, Agree: 30, Opinions: opinions}
			t.Run(fmt.Sprintf("%d households, %d opinions", n, len(opinions)), func(t *testing.T) {
				t.Parallel()
				minutesKeepsText(t, m, rows)
			})
		}
	}
}

// minutesKeepsText checks that no page of the minutes ends with a heading or a table header.
func minutesKeepsText(t *testing.T, m Meeting, rows []Row) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteMinutesPDF(&buf, m, rows, "vi"); err != nil {
		t.Fatal(err)
	}
	pages := pdfPages(t, buf.Bytes())
	for i, p := range pages {
		var lines []string
		for _, l := range strings.Split(p, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Trang ") {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		last := lines[len(lines)-1]
		if strings.HasPrefix(last, "I. ") || strings.HasPrefix(last, "II. ") || strings.HasPrefix(last, "III. ") || strings.HasPrefix(last, "STT ") {
			t.Errorf("page %d/%d ends with %q", i+1, len(pages), last)
		}
	}
}
