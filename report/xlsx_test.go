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

// rowText is a row's cells joined by " | ".
func rowText(t *testing.T, f *excelize.File, sheet string, row int) string {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if row > len(rows) {
		return ""
	}
	return strings.Join(rows[row-1], " | ")
}

// checkPrint checks that a sheet prints on landscape A4, fitted to the page's width at a
// legible scale, or at a fixed legible scale, with its header rows repeated.
func checkPrint(t *testing.T, f *excelize.File, sh string) {
	t.Helper()
	pl, err := f.GetPageLayout(sh)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" {
		t.Errorf("%s: not landscape A4: %+v", sh, pl)
	}
	if pl.FitToWidth == nil && (pl.AdjustTo == nil || *pl.AdjustTo < 70) {
		t.Errorf("%s: neither fitted to the width nor printed at 70%% or more", sh)
	}
	found := false
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" && d.Scope == sh {
			found = true
		}
	}
	if !found {
		t.Errorf("%s: no print titles", sh)
	}
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
	year := strconv.Itoa(surveyYear(rows))
	// The official head: the ward's People's Committee on the left, the national motto on the
	// right, then the title with the survey year.
	if a1, a2 := mustCell(t, f, sh, "A1"), mustCell(t, f, sh, "A2"); a1 != "ỦY BAN NHÂN DÂN" || a2 != "PHƯỜNG ĐỒNG TÂM" {
		t.Errorf("issuing body %q / %q", a1, a2)
	}
	if got := rowText(t, f, sh, 1); !strings.Contains(got, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") || !strings.Contains(rowText(t, f, sh, 2), "Độc lập - Tự do - Hạnh phúc") {
		t.Errorf("national motto: %q", got)
	}
	if got := mustCell(t, f, sh, "A4"); !strings.HasPrefix(got, "TỔNG HỢP KẾT QUẢ RÀ SOÁT") || !strings.HasSuffix(got, " NĂM "+year) {
		t.Errorf("title %q, want the year %s", got, year)
	}
	if got := mustCell(t, f, sh, "A6"); !strings.Contains(got, "Chuẩn nghèo đa chiều giai đoạn 2022–2025") {
		t.Errorf("standard line %q", got)
	}
	// poverty-standard.md: exported reports name the legal sources; the long line is given
	// the height its wrapped text needs.
	if got := mustCell(t, f, sh, "A7"); !strings.HasPrefix(got, "Căn cứ: Nghị định 07/2021/NĐ-CP") {
		t.Errorf("legal basis line %q", got)
	}
	if h, _ := f.GetRowHeight(sh, 7); h < 45 {
		t.Errorf("legal basis row %v points high: its text is cut", h)
	}
	// The place and date line and the signatures under the table.
	tot := findRow(t, f, sh, "Tổng cộng")
	foot := ""
	for r := tot + 1; r <= tot+8; r++ {
		foot += rowText(t, f, sh, r) + "\n"
	}
	for _, want := range []string{"Phường Đồng Tâm, ngày", "NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"} {
		if !strings.Contains(foot, want) {
			t.Errorf("no %q under the table:\n%s", want, foot)
		}
	}
	checkPrint(t, f, sh)
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
	if got := mustCell(t, f, dep, "A4"); !strings.Contains(got, "HỘ NGHÈO NĂM "+year) {
		t.Errorf("sheet 4 title %q", got)
	}
	checkPrint(t, f, dep)
	// The movement headers ("Từ nghèo sang cận nghèo") get the height their wrapped text needs.
	ch := sheets[1]
	hr := findRow(t, f, ch, "Tổ dân phố / Thôn")
	h1, _ := f.GetRowHeight(ch, hr)
	h2, _ := f.GetRowHeight(ch, hr+1)
	if need := textHeight("Từ nghèo sang cận nghèo", 12, 11, true); h2 < need || h2 < 3*11 {
		t.Errorf("movement header row %v points high, want %v", h2, need)
	}
	if need := textHeight("Số hộ đầu kỳ (năm trước)", 12, 11, true); h1+h2 < need {
		t.Errorf("header rows %v + %v points high, want %v", h1, h2, need)
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
	// Sheet names in whole words, within Excel's 31 characters.
	if got, want := f.GetSheetList(), []string{"Hộ nghèo", "Hộ cận nghèo", "Hộ có mức sống trung bình", "Biến động so với năm trước"}; !slices.Equal(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
	sh := f.GetSheetList()[0]
	if r := findRow(t, f, sh, "Căn cứ: Nghị định 07/2021/NĐ-CP ngày 27/01/2021 (chuẩn nghèo đa chiều giai đoạn 2022–2025); Nghị định 351/2025/NĐ-CP ngày 30/12/2025 (giữ chuẩn 2022–2025 cho năm 2026); Quyết định 24/2021/QĐ-TTg (quy trình rà soát); Thông tư 07/2021/TT-BLĐTBXH (phương pháp, biểu mẫu; biểu 7.8–7.10 thay bởi Thông tư 02/2022/TT-BLĐTBXH)"); r != 7 {
		t.Errorf("legal basis on row %d, want 7", r)
	}
	year := strconv.Itoa(surveyYear(rows))
	if a1, a2 := mustCell(t, f, sh, "A1"), mustCell(t, f, sh, "A2"); a1 != "ỦY BAN NHÂN DÂN" || a2 != "PHƯỜNG ĐỒNG TÂM" {
		t.Errorf("issuing body %q / %q", a1, a2)
	}
	if got := rowText(t, f, sh, 1); !strings.Contains(got, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") {
		t.Errorf("no national motto: %q", got)
	}
	if got := mustCell(t, f, sh, "A4"); got != "DANH SÁCH HỘ NGHÈO NĂM "+year {
		t.Errorf("title %q", got)
	}
	checkPrint(t, f, sh)
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
	// The columns: no "standard applied" column (the standard is in the head); the household
	// id last, outside the printed area; the totals line merged across the printed columns.
	header, err := f.GetRows(sh)
	if err != nil {
		t.Fatal(err)
	}
	cols := header[hr-1]
	if slices.Contains(cols, "Chuẩn nghèo áp dụng") || cols[len(cols)-1] != "Mã hộ" {
		t.Errorf("columns %q", cols)
	}
	if id := mustCell(t, f, sh, excelCol(len(cols))+strconv.Itoa(hr+1)); id != ls.All[0].Rows[0].Record.ID {
		t.Errorf("household id %q, want %q", id, ls.All[0].Rows[0].Record.ID)
	}
	last := excelCol(len(cols) - 1)
	area := false
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Area" && d.Scope == sh {
			area = strings.Contains(d.RefersTo, "$A$1:$"+last+"$")
		}
	}
	if !area {
		t.Errorf("the print area does not end at column %s", last)
	}
	merged, err := f.GetMergeCells(sh)
	if err != nil {
		t.Fatal(err)
	}
	totalMerged := false
	for _, m := range merged {
		if m.GetStartAxis() == "A"+strconv.Itoa(hr+n+2) && m.GetEndAxis() == last+strconv.Itoa(hr+n+2) {
			totalMerged = true
		}
	}
	if !totalMerged {
		t.Error("the totals line is not merged across the printed columns")
	}
	// The header row is high enough for its longest wrapped name.
	h, _ := f.GetRowHeight(sh, hr)
	for i, c := range cols {
		if need := textHeight(c, listWidths(len(cols) - lcIndicators - 3)[i], 9, true); h < need {
			t.Errorf("header row %v points high, %q needs %v", h, c, need)
		}
	}
	foot := ""
	for r := hr + n + 3; r <= hr+n+8; r++ {
		foot += rowText(t, f, sh, r) + "\n"
	}
	for _, want := range []string{"Phường Đồng Tâm, ngày", "NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"} {
		if !strings.Contains(foot, want) {
			t.Errorf("no %q under the list:\n%s", want, foot)
		}
	}
}
