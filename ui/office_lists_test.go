package ui

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/recognised"
	"github.com/rasoat/rasoat/report"
	"github.com/rasoat/rasoat/store"
)

// findCell returns the 1-based row of the first cell of column A holding text, or 0.
func findCell(t *testing.T, f *excelize.File, sheet, prefix string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && strings.HasPrefix(r[0], prefix) {
			return i + 1
		}
	}
	return 0
}

// pdfText extracts a PDF's text with pdftotext (poppler-utils, installed by scripts/setup.sh).
func pdfText(t *testing.T, path string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (run scripts/setup.sh)")
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func TestOfficeListsShowDeprivations(t *testing.T) {
	db := newOfficeStore(t, 40)
	a, _ := newOfficeApp(t, db)
	a.ShowOffice(officeLists)
	a.Wait()
	s := a.office.page.(*listsScreen)
	if s.scope != "" || s.kind.Selected != "Hộ nghèo" || len(s.rows) == 0 {
		t.Fatalf("the ward's poor list first: scope %q, kind %q, %d rows", s.scope, s.kind.Selected, len(s.rows))
	}
	for i := range s.rows {
		r := &s.rows[i]
		if r.Result.Class != poverty.Poor {
			t.Errorf("%s on the poor list is %s", r.Record.HeadName(), r.Result.Class)
		}
		want := poverty.Explain(r.Record, &r.Result)
		got := tableText(s.headers(), len(s.rows), s.cell)[i+1][4]
		if len(want) > 0 && !strings.Contains(got, want[0].Indicator.In("vi")) {
			t.Errorf("deprivations of %s: %q, want %q first", r.Record.HeadName(), got, want[0].Indicator.VI)
		}
	}
	s.scopes.Select(2)
	s.kind.SetSelected("Hộ cận nghèo")
	a.Wait()
	if s.scope != "Tổ 02" || !strings.Contains(s.title.Text, "Danh sách hộ cận nghèo — Tổ 02") {
		t.Errorf("title %q", s.title.Text)
	}
	for _, r := range s.rows {
		if r.Record.Group != "Tổ 02" || r.Result.Class != poverty.NearPoor {
			t.Errorf("%s of %s, %s", r.Record.HeadName(), r.Record.Group, r.Result.Class)
		}
	}
	if !strings.Contains(s.note.Text, "40 hộ đã hoàn thành hoặc đã duyệt") {
		t.Errorf("note %q", s.note.Text)
	}
}

func TestOfficeExportsWriteTheFiles(t *testing.T) {
	db := newOfficeStore(t, 40)
	a, ans := newOfficeApp(t, db)
	a.ShowOffice(officeLists)
	a.Wait()
	s := a.office.page.(*listsScreen)
	dir := t.TempDir()
	ans.dir = dir

	test.Tap(s.listsBtn)
	a.Wait()
	if !strings.Contains(topDialogText(a), "Đã ghi 5 tệp") {
		t.Errorf("after exporting the lists:\n%s", topDialogText(a))
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "toan-phuong_danh-sach.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if sh := f.GetSheetList(); len(sh) != 4 || sh[0] != "Danh sách hộ nghèo" {
		t.Errorf("sheets %q", sh)
	}
	poor := s.view.Lists.All[0]
	hr := findCell(t, f, "Danh sách hộ nghèo", "STT")
	if name, _ := f.GetCellValue("Danh sách hộ nghèo", "B"+strconv.Itoa(hr+1)); hr == 0 || name != poor.Rows[0].Record.HeadName() {
		t.Errorf("first row %q, want %q", name, poor.Rows[0].Record.HeadName())
	}
	if tot := findCell(t, f, "Danh sách hộ nghèo", "Tổng cộng: "+strconv.Itoa(len(poor.Rows))+" hộ"); tot != hr+len(poor.Rows)+2 {
		t.Errorf("totals line at row %d, header at %d, %d households", tot, hr, len(poor.Rows))
	}
	f.Close()
	for _, g := range []string{"to-01", "to-02", "to-03", "to-04"} {
		if _, err := os.Stat(filepath.Join(dir, g+"_danh-sach.xlsx")); err != nil {
			t.Error(err)
		}
	}

	test.Tap(s.reportsBtn)
	a.Wait()
	f, err = excelize.OpenFile(filepath.Join(dir, "toan-phuong_bao-cao-tong-hop.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	tables := report.Reports(s.view.Ward, s.view.Rows, "vi")
	if sh := f.GetSheetList(); len(sh) != len(tables) {
		t.Errorf("%d report sheets, want %d", len(sh), len(tables))
	}
	first := f.GetSheetList()[0]
	if title, _ := f.GetCellValue(first, "A1"); !strings.Contains(strings.ToUpper(title), strings.ToUpper(tables[0].Title)) {
		t.Errorf("first report title %q, want %q", title, tables[0].Title)
	}
	if tot := findCell(t, f, first, "Tổng"); tot == 0 {
		t.Error("the summary report has no totals row")
	}
	f.Close()

	s.scopes.Select(1) // Tổ 01
	a.Wait()
	test.Tap(s.postingBtn)
	a.Wait()
	posting := filepath.Join(dir, "to-01_niem-yet.pdf")
	text := pdfText(t, posting)
	for _, want := range []string{"NIÊM YẾT CÔNG KHAI", "Tổ 01", "Hộ nghèo"} {
		if !strings.Contains(text, want) {
			t.Errorf("posting PDF lacks %q:\n%s", want, text)
		}
	}
	for _, r := range s.groupRows("Tổ 01") {
		if r.Result.Class == poverty.Poor && !strings.Contains(text, r.Record.HeadName()) {
			t.Errorf("posting PDF lacks the poor household %s", r.Record.HeadName())
		}
	}
}

func TestOfficeMeetingMinutes(t *testing.T) {
	db := newOfficeStore(t, 20)
	if _, err := db.SetStage("Tổ 01", store.StageSurveyed, household.MustDate("2026-10-01"), "", "x"); err != nil {
		t.Fatal(err)
	}
	a, ans := newOfficeApp(t, db)
	a.ShowOffice(officeLists)
	a.Wait()
	s := a.office.page.(*listsScreen)
	if !s.minutesBtn.Disabled() {
		t.Error("minutes are per group: not offered for the ward")
	}
	s.scopes.Select(1)
	a.Wait()
	test.Tap(s.minutesBtn)
	if !strings.Contains(topDialogText(a), "Biên bản họp dân — Tổ 01") {
		t.Fatalf("minutes dialog:\n%s", topDialogText(a))
	}
	f := newMinutesForm(household.MustDate("2026-10-05"))
	f.place.SetText("Nhà văn hóa tổ 1")
	f.chair.SetText("Nguyễn Văn Tổ")
	f.secretary.SetText("Lê Thị Thư")
	f.attending.SetText("45")
	f.agree.SetText("50")
	if _, err := f.meeting(s.view.Ward, "Tổ 01"); err == nil {
		t.Error("more agreeing than attending must be refused")
	}
	f.agree.SetText("38")
	f.opinions.SetText("Đồng ý với danh sách\n\nĐề nghị xem lại hộ số 3")
	m, err := f.meeting(s.view.Ward, "Tổ 01")
	if err != nil || len(m.Opinions) != 2 || !m.Passed() {
		t.Fatalf("meeting %+v: %v", m, err)
	}
	dir := t.TempDir()
	ans.dir = dir
	s.writeMinutesTo(dir, m)
	a.Wait()
	path := filepath.Join(dir, "to-01_bien-ban-hop-dan_2026-10-05.pdf")
	text := pdfText(t, path)
	for _, want := range []string{"BIÊN BẢN HỌP DÂN", "Tổ 01", "45", "38", "Nhà văn hóa tổ 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("minutes lack %q:\n%s", want, text)
		}
	}
	if !strings.Contains(topDialogText(a), "kết quả được thông qua") {
		t.Fatalf("after the minutes:\n%s", topDialogText(a))
	}
	s.recordAgreed(m)
	a.Wait()
	gs, _ := db.Stages()
	if mk, ok := gs[0].Mark(store.StageAgreed); !ok || mk.Date != m.Date || mk.Note != "38/45 người đồng ý" {
		t.Errorf("agreed stage %+v", gs)
	}
	// A meeting under 50%: the minutes are written, the group must be surveyed again.
	m.Agree = 22
	s.writeMinutesTo(dir, m)
	a.Wait()
	if !strings.Contains(topDialogText(a), "phải rà soát lại") {
		t.Errorf("a failed meeting:\n%s", topDialogText(a))
	}
}

// lastYearCSV writes last year's list as the ward keeps it: some households of this year by
// name, group and address, and one that is no longer there.
func lastYearCSV(t *testing.T, rows [][]string) string {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"STT", "Họ và tên chủ hộ", "Địa chỉ", "Tổ dân phố", "Phân loại hộ"})
	for i, r := range rows {
		w.Write(append([]string{strconv.Itoa(i + 1)}, r...))
	}
	w.Flush()
	p := filepath.Join(t.TempDir(), "ho-ngheo-2025.csv")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOfficeLastYearsList(t *testing.T) {
	db := newOfficeStore(t, 12)
	list, _ := db.List()
	var rows [][]string
	want := map[string]string{}
	for i, st := range []string{"Hộ nghèo", "Cận nghèo", "Hộ nghèo"} {
		rec, _, _ := db.Get(list[i].ID)
		rows = append(rows, []string{rec.HeadName(), rec.Address, rec.Group, st})
		want[rec.ID], _ = recognised.ParseStatus(st)
	}
	rows = append(rows, []string{"Hoàng Văn Đã Chuyển Đi", "Số 1", "Tổ 01", "Hộ nghèo"})
	before := map[string]string{}
	for _, s := range list {
		rec, _, _ := db.Get(s.ID)
		before[s.ID] = rec.PreviousStatus
	}
	a, ans := newOfficeApp(t, db)
	a.ShowOffice(officePrevious)
	a.Wait()
	p := a.office.page.(*previousScreen)
	ans.path = lastYearCSV(t, rows)
	test.Tap(p.chooseBtn)
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "ho-ngheo-2025.csv (4 dòng)") || !strings.Contains(txt, "B: Họ và tên chủ hộ") {
		t.Fatalf("mapping dialog:\n%s", txt)
	}
	m := recognised.Guess(p.table.Header)
	if m.Name != 1 || m.Status != 4 || m.Group != 3 || m.Address != 2 {
		t.Fatalf("guessed mapping %+v", m)
	}
	p.onMapped(m)
	a.Wait()
	if len(p.match.Set) != 3 || len(p.match.Problems) != 1 || !strings.Contains(p.match.Problems[0], "Dòng 4") {
		t.Fatalf("match %+v", p.match)
	}
	if p.applyBtn.Disabled() != (p.match.Changes == 0) || !strings.Contains(p.state.Text, "khớp 3 hộ") {
		t.Errorf("state %q, apply disabled %v", p.state.Text, p.applyBtn.Disabled())
	}
	test.Tap(p.applyBtn)
	a.Wait()
	for id, st := range want {
		rec, rev, _ := db.Get(id)
		if rec.PreviousStatus != st || rev.Status != store.StatusComplete {
			t.Errorf("%s: previous %q status %q, want %q and still complete", id, rec.PreviousStatus, rev.Status, st)
		}
	}
	if p.undoBtn.Disabled() || !strings.Contains(p.result.Text, "Có thể hoàn tác") {
		t.Errorf("result %q", p.result.Text)
	}
	// The movements follow last year's statuses.
	v, err := loadOffice(db, a.reg, "x")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range v.Rows {
		if st, ok := want[r.Record.ID]; ok && r.Result.Movement != poverty.Movement(st, r.Result.Class) {
			t.Errorf("%s: movement %q", r.Record.HeadName(), r.Result.Movement)
		}
	}
	test.Tap(p.undoBtn)
	a.Wait()
	for id := range want {
		if rec, _, _ := db.Get(id); rec.PreviousStatus != before[id] {
			t.Errorf("%s after undo: %q, want %q", id, rec.PreviousStatus, before[id])
		}
	}
	if !p.undoBtn.Disabled() || !strings.Contains(p.result.Text, "Đã hoàn tác") {
		t.Errorf("after undo: %q", p.result.Text)
	}
}

func TestOfficeLastYearsListFromExcel(t *testing.T) {
	db := newOfficeStore(t, 4)
	list, _ := db.List()
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"Mã hộ", "Chủ hộ", "Kết quả"})
	f.SetSheetRow("Sheet1", "A2", &[]any{list[2].ID, list[2].HeadName, "HCN"})
	p := filepath.Join(t.TempDir(), "quyet-dinh.xlsx")
	if err := f.SaveAs(p); err != nil {
		t.Fatal(err)
	}
	a, _ := newOfficeApp(t, db)
	a.ShowOffice(officePrevious)
	a.Wait()
	s := a.office.page.(*previousScreen)
	s.readFile(p)
	a.Wait()
	s.onMapped(recognised.Guess(s.table.Header))
	a.Wait()
	if got := s.match.Set[list[2].ID]; got != "near_poor" || len(s.match.Problems) != 0 {
		t.Errorf("matched by id: %q, problems %v", got, s.match.Problems)
	}
}
