package report

import (
	"bytes"
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
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "PHƯỜNG ĐỒNG TÂM", "NIÊM YẾT CÔNG KHAI", "Trang 1/", "Chuẩn nghèo đa chiều giai đoạn 2022–2025", "Căn cứ: Nghị định 07/2021/NĐ-CP", "CHỦ TỊCH", "3 ngày làm việc"} {
		if !strings.Contains(text, want) {
			t.Errorf("the posting lacks %q", want)
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
	m.Agree = 42
	if err := WriteMinutesPDF(&buf, m, rows, "vi"); err == nil {
		t.Error("more agreeing than attending must be refused")
	}
}
