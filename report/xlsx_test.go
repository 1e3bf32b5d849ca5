package report

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rasoat/rasoat/poverty"
)

func openXLSX(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func mustCell(t *testing.T, f *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// findRow returns the 1-based row whose first cell is text.
func findRow(t *testing.T, f *excelize.File, sheet, text string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == text {
			return i + 1
		}
	}
	t.Fatalf("sheet %q has no row starting %q", sheet, text)
	return 0
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

func TestReportsXLSX(t *testing.T) {
	rows := classified(t, 1000)
	tables := Reports("Phường Đồng Tâm", rows, "vi")
	var buf bytes.Buffer
	if err := WriteReportsXLSX(&buf, tables); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	sheets := f.GetSheetList()
	if len(sheets) != 5 {
		t.Fatalf("sheets %v", sheets)
	}
	// Sheet names whole, not cut at Excel's 31 characters into two alike.
	if want := []string{"Tổng hợp", "Biến động - hộ nghèo", "Biến động - hộ cận nghèo", "Thiếu hụt - hộ nghèo", "Thiếu hụt - hộ cận nghèo"}; !slices.Equal(sheets, want) {
		t.Errorf("sheets %q, want %q", sheets, want)
	}
	sh := sheets[0]
	// poverty-standard.md: exported reports name the legal sources; the long line is given
	// the height its wrapped text needs.
	if got := mustCell(t, f, sh, "A4"); !strings.HasPrefix(got, "Căn cứ: Nghị định 07/2021/NĐ-CP") {
		t.Errorf("legal basis line %q", got)
	}
	if h, _ := f.GetRowHeight(sh, 4); h < 45 {
		t.Errorf("legal basis row %v points high: its text is cut", h)
	}
	if got := mustCell(t, f, sh, "A1"); !strings.HasPrefix(got, "TỔNG HỢP KẾT QUẢ RÀ SOÁT") {
		t.Errorf("title %q", got)
	}
	if got := mustCell(t, f, sh, "A3"); !strings.Contains(got, "Chuẩn nghèo đa chiều giai đoạn 2022–2025") {
		t.Errorf("standard line %q", got)
	}
	// Two-level headers: "Hộ nghèo" merged over its count and rate.
	merged, err := f.GetMergeCells(sh)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range merged {
		if m.GetCellValue() == "Hộ nghèo" {
			found = true
		}
	}
	if !found {
		t.Errorf("no merged 'Hộ nghèo' header among %d merges", len(merged))
	}
	// Totals equal the sum of the groups and the classification.
	total := findRow(t, f, sh, "Tổng cộng")
	sum := 0
	for _, g := range []string{"Tổ 01", "Tổ 02", "Tổ 03", "Tổ 04"} {
		sum += atoi(t, mustCell(t, f, sh, "C"+strconv.Itoa(findRow(t, f, sh, g))))
	}
	poor := countClass(rows, poverty.Poor)
	if got := atoi(t, mustCell(t, f, sh, "C"+strconv.Itoa(total))); got != poor || sum != poor {
		t.Errorf("poor total %d, groups sum %d, want %d", got, sum, poor)
	}
	if got := atoi(t, mustCell(t, f, sh, "B"+strconv.Itoa(total))); got != 1000 {
		t.Errorf("households surveyed %d, want 1000", got)
	}
	// The deprivation analysis of poor households: rate = count / poor households.
	dep := sheets[3]
	if !strings.Contains(mustCell(t, f, dep, "A1"), "HỘ NGHÈO") {
		t.Errorf("sheet 4 title %q", mustCell(t, f, dep, "A1"))
	}
	tr := strconv.Itoa(findRow(t, f, dep, "Tổng cộng"))
	n := atoi(t, mustCell(t, f, dep, "B"+tr))
	c := atoi(t, mustCell(t, f, dep, "C"+tr))
	raw, _ := f.GetCellValue(dep, "D"+tr, excelize.Options{RawCellValue: true})
	rate, _ := strconv.ParseFloat(raw, 64)
	if n != poor || (n > 0 && (rate < float64(c)/float64(n)-1e-4 || rate > float64(c)/float64(n)+1e-4)) {
		t.Errorf("deprivation totals: %d poor, %d deprived on employment, rate %v", n, c, rate)
	}
}

func TestListsXLSX(t *testing.T) {
	rows := classified(t, 300)
	ls := Build("Phường Đồng Tâm", rows)
	var buf bytes.Buffer
	if err := WriteListsXLSX(&buf, ls.All[:4], "vi"); err != nil {
		t.Fatal(err)
	}
	f := openXLSX(t, buf.Bytes())
	sh := f.GetSheetList()[0]
	if sh != "Danh sách hộ nghèo" {
		t.Errorf("first sheet %q", sh)
	}
	if r := findRow(t, f, sh, "Căn cứ: Nghị định 07/2021/NĐ-CP ngày 27/01/2021 (chuẩn nghèo đa chiều giai đoạn 2022–2025); Nghị định 351/2025/NĐ-CP ngày 30/12/2025 (giữ chuẩn 2022–2025 cho năm 2026); Quyết định 24/2021/QĐ-TTg (quy trình rà soát); Thông tư 07/2021/TT-BLĐTBXH (phương pháp, biểu mẫu; biểu 7.8–7.10 thay bởi Thông tư 02/2022/TT-BLĐTBXH)"); r != 4 {
		t.Errorf("legal basis on row %d, want 4", r)
	}
	hr := findRow(t, f, sh, "STT")
	n := 0
	for _, r := range ls.All[0].Rows {
		n++
		name := mustCell(t, f, sh, "B"+strconv.Itoa(hr+n))
		if name != r.Record.HeadName() {
			t.Fatalf("row %d: %q, want %q", n, name, r.Record.HeadName())
		}
	}
	if n == 0 {
		t.Fatal("empty poor list")
	}
	tot := mustCell(t, f, sh, "A"+strconv.Itoa(hr+n+2))
	if !strings.HasPrefix(tot, "Tổng cộng: "+strconv.Itoa(n)+" hộ") {
		t.Errorf("totals line %q", tot)
	}
}
