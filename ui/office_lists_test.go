package ui

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
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
	_, a, _, s := listsApp(t, 40)
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
	// the note is the group's, not the ward's (QA finding 14)
	if s.note.Text != "Tổ 02: 10 hộ đã hoàn thành hoặc đã duyệt trong danh sách; 0 hộ chưa vào danh sách (nháp, bị trả lại, xung đột)." {
		t.Errorf("note %q", s.note.Text)
	}
	s.scopes.Select(0)
	a.Wait()
	if !strings.Contains(s.note.Text, "Danh sách gồm 40 hộ đã hoàn thành hoặc đã duyệt; 0 hộ chưa vào danh sách") {
		t.Errorf("the ward's note %q", s.note.Text)
	}
}

// TestOfficeListsNoteOfTheGroup: a draft of Tổ 02 is not on the lists; the note of Tổ 02 counts
// it, the note of Tổ 01 does not (QA finding 14: the ward's numbers were shown for a group).
func TestOfficeListsNoteOfTheGroup(t *testing.T) {
	db := newOfficeStore(t, 40)
	t2, _ := db.ListGroup("Tổ 02")
	rec, _, _ := db.Get(t2[0].ID)
	rec.Address = "sửa ở văn phòng"
	if _, err := db.SaveDraft(rec, "office"); err != nil {
		t.Fatal(err)
	}
	a, _ := newOfficeApp(t, db)
	a.ShowOffice(officeLists)
	a.Wait()
	s := a.office.page.(*listsScreen)
	for i, want := range map[int]string{
		0: "Danh sách gồm 39 hộ đã hoàn thành hoặc đã duyệt; 1 hộ chưa vào danh sách",
		1: "Tổ 01: 10 hộ đã hoàn thành hoặc đã duyệt trong danh sách; 0 hộ chưa vào danh sách",
		2: "Tổ 02: 9 hộ đã hoàn thành hoặc đã duyệt trong danh sách; 1 hộ chưa vào danh sách"} {
		s.scopes.Select(i)
		a.Wait()
		if !strings.HasPrefix(s.note.Text, want) {
			t.Errorf("scope %d: note %q, want %q…", i, s.note.Text, want)
		}
	}
}

// TestOfficeExportAsksBeforeReplacing: exporting again into the same folder asks first, naming
// the files; Cancel leaves them as they were, Replace writes the new ones (QA finding 15).
func TestOfficeExportAsksBeforeReplacing(t *testing.T) {
	_, a, ans, s := listsApp(t, 20)
	dir := t.TempDir()
	ans.dir = dir
	mine := filepath.Join(dir, "to-01_danh-sach.xlsx")
	if err := os.WriteFile(mine, []byte("bản có ghi chú của cán bộ"), 0o644); err != nil {
		t.Fatal(err)
	}
	test.Tap(s.listsBtn)
	a.Wait()
	txt := topDialogText(a)
	if !strings.Contains(txt, "Thay thế tệp đã có?") || !strings.Contains(txt, "1 tệp cùng tên đã có") ||
		!strings.Contains(txt, "to-01_danh-sach.xlsx") || strings.Contains(txt, "toan-phuong_danh-sach.xlsx") {
		t.Fatalf("the question:\n%s", txt)
	}
	answerDialog(t, a, "Hủy")
	if b, _ := os.ReadFile(mine); string(b) != "bản có ghi chú của cán bộ" {
		t.Error("Cancel replaced the officer's file")
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("Cancel left %d entries in the folder, want only the officer's file", len(es))
	}
	test.Tap(s.listsBtn)
	a.Wait()
	answerDialog(t, a, "Thay thế")
	if !strings.Contains(topDialogText(a), "Đã ghi 5 tệp") {
		t.Errorf("after replacing:\n%s", topDialogText(a))
	}
	if f, err := excelize.OpenFile(mine); err != nil {
		t.Errorf("the file was not replaced: %v", err)
	} else {
		f.Close()
	}
	es, _ := os.ReadDir(dir)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	if len(es) != 5 {
		t.Errorf("the folder holds %q, want the 5 workbooks and no scratch folder", names)
	}
	// nothing there yet: no question
	other := t.TempDir()
	ans.dir = other
	test.Tap(s.reportsBtn)
	a.Wait()
	if !strings.Contains(topDialogText(a), "Đã ghi 1 tệp") {
		t.Errorf("a new folder is written without asking:\n%s", topDialogText(a))
	}
}

func TestOfficeExportsWriteTheFiles(t *testing.T) {
	_, a, ans, s := listsApp(t, 40)
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
	if sh := f.GetSheetList(); len(sh) != 4 || sh[0] != "Hộ nghèo" {
		t.Errorf("sheets %q", sh)
	}
	poor := s.view.Lists.All[0]
	hr := findCell(t, f, "Hộ nghèo", "STT")
	if name, _ := f.GetCellValue("Hộ nghèo", "B"+strconv.Itoa(hr+1)); hr == 0 || name != poor.Rows[0].Record.HeadName() {
		t.Errorf("first row %q, want %q", name, poor.Rows[0].Record.HeadName())
	}
	if tot := findCell(t, f, "Hộ nghèo", "Tổng cộng: "+strconv.Itoa(len(poor.Rows))+" hộ"); tot != hr+len(poor.Rows)+2 {
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
	// the title is under the national header (ward's committee, motto)
	if tr := findCell(t, f, first, strings.ToUpper(tables[0].Title)); tr == 0 {
		if tr = findCell(t, f, first, tables[0].Title); tr == 0 {
			t.Errorf("no report title %q in column A", tables[0].Title)
		}
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
	// A problem keeps the form open with what was typed, and says it in Vietnamese only
	// (QA finding 6).
	es := minutesEntries(a)
	if len(es) != 7 {
		t.Fatalf("the form has %d entries", len(es))
	}
	for i, v := range []string{"05/10/2026", "Nhà văn hóa tổ 1", "Nguyễn Văn Tổ", "Lê Thị Thư", "10", "12", "Đồng ý"} {
		es[i].SetText(v)
	}
	top := a.win.Canvas().Overlays().Top()
	test.Tap(buttonIn(t, top, "Ghi biên bản"))
	a.Wait()
	if a.win.Canvas().Overlays().Top() != top || len(ans.asked) != 0 {
		t.Fatalf("the form closed on a problem (asked %q)", ans.asked)
	}
	var problem *widget.Label
	walkObjects(top, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Visible() && strings.HasPrefix(l.Text, "Số người đồng ý (12) phải từ 0 đến số người dự họp (10)") {
			problem = l
		}
	})
	if problem == nil || problem.Importance != widget.DangerImportance || strings.Contains(problem.Text, "/") ||
		strings.Contains(topDialogText(a), "agreeing") || strings.Contains(topDialogText(a), "must be") {
		t.Errorf("the problem, in Vietnamese only:\n%s", topDialogText(a))
	}
	if es[2].Text != "Nguyễn Văn Tổ" || es[6].Text != "Đồng ý" {
		t.Error("what was typed is kept")
	}
	es[5].SetText("8")
	// Cancelling the folder comes back to the form as it was (QA round 2, finding 5).
	test.Tap(buttonIn(t, top, "Ghi biên bản"))
	a.Wait()
	if a.win.Canvas().Overlays().Top() != top || len(ans.asked) != 1 {
		t.Fatalf("a good form asks for the folder and stays open until one is chosen: %q", ans.asked)
	}
	for i, v := range []string{"05/10/2026", "Nhà văn hóa tổ 1", "Nguyễn Văn Tổ", "Lê Thị Thư", "10", "8", "Đồng ý"} {
		if es[i].Text != v {
			t.Errorf("after the folder was cancelled, entry %d is %q, want %q", i, es[i].Text, v)
		}
	}
	// Choosing a folder closes the form and writes the minutes there.
	ans.dir = t.TempDir()
	test.Tap(buttonIn(t, top, "Ghi biên bản"))
	a.Wait()
	if len(ans.asked) != 2 || slices.Contains(a.win.Canvas().Overlays().List(), top) {
		t.Fatalf("the form closes once the folder is chosen: %q", ans.asked)
	}
	if text := pdfText(t, filepath.Join(ans.dir, "to-01_bien-ban-hop-dan_2026-10-05.pdf")); !strings.Contains(text, "Nguyễn Văn Tổ") {
		t.Errorf("the form's minutes:\n%s", text)
	}
	answerDialog(t, a, "Không") // not recording the stage: the test records it below
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
	// Minutes of a group already past the meeting's stage: no offer (QA finding 8).
	if _, err := db.SetStage("Tổ 01", store.StagePosted, household.MustDate("2026-10-09"), "", "x"); err != nil {
		t.Fatal(err)
	}
	s.writeMinutesTo(dir, m)
	a.Wait()
	answerDialog(t, a, "Thay thế") // the minutes of that meeting are there already
	txt := topDialogText(a)
	if !strings.Contains(txt, "kết quả được thông qua") || strings.Contains(txt, "Ghi bước") || !strings.Contains(txt,
		"Tổ 01 đã ở bước Niêm yết công khai (09/10/2026); không ghi lại bước “Họp dân thống nhất”.") {
		t.Errorf("minutes of a group past the meeting:\n%s", txt)
	}
	// A meeting under 50%: the minutes are written, the group must be surveyed again.
	m.Agree = 22
	s.writeMinutesTo(dir, m)
	a.Wait()
	answerDialog(t, a, "Thay thế")
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

// minutesEntries are the entries of the minutes form on top, in order.
func minutesEntries(a *App) []*widget.Entry {
	var es []*widget.Entry
	walkObjects(a.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		switch e := o.(type) {
		case *entry:
			es = append(es, &e.Entry)
		case *widget.Entry:
			es = append(es, e)
		}
	})
	return es
}

// TestOfficeMeetingStageRefused: the store refuses the meeting's stage when the group is not at
// the stage before it, or the meeting is dated before it; the officer is told where the group
// stands, in words (QA finding 8: "…: Tổ 01: agreed").
func TestOfficeMeetingStageRefused(t *testing.T) {
	db, a, _, s := listsApp(t, 20)
	m := report.Meeting{Ward: s.view.Ward, Group: "Tổ 02", Date: household.MustDate("2026-10-05"), Place: "nhà văn hóa",
		Chair: "A", Secretary: "B", Attending: 20, Agree: 15}
	s.recordAgreed(m)
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Tổ 02 chưa ghi bước “Đã rà soát”") || strings.Contains(txt, "agreed") {
		t.Errorf("not surveyed:\n%s", txt)
	}
	if _, err := db.SetStage("Tổ 02", store.StageSurveyed, household.MustDate("2026-10-20"), "", "x"); err != nil {
		t.Fatal(err)
	}
	s.recordAgreed(m)
	a.Wait()
	want := "Không ghi được bước “Họp dân thống nhất” ngày 05/10/2026 cho Tổ 02: tổ đang ở bước Đã rà soát (20/10/2026)."
	if txt := topDialogText(a); !strings.Contains(txt, want) || strings.Contains(txt, "agreed") {
		t.Errorf("dated before the survey:\n%s", txt)
	}
	if gs, _ := db.Stages(); gs[0].Reached() != store.StageSurveyed {
		t.Errorf("stages %+v", gs)
	}
}

// TestOfficeDashboardStageRefused: the dashboard's own "record a stage" says why the store
// refused it, with the group's stages in words (no raw stage id).
func TestOfficeDashboardStageRefused(t *testing.T) {
	db := newOfficeStore(t, 20)
	a, _ := newOfficeApp(t, db)
	a.ShowOffice(officeDashboard)
	a.Wait()
	d := a.office.page.(*dashboardScreen)
	d.setStage("Tổ 02", store.StagePosted, "05/10/2026", "")
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Tổ 02") || !strings.Contains(txt, "“Đã rà soát”") ||
		strings.Contains(txt, "posted") || strings.Contains(txt, "agreed") {
		t.Errorf("refused stage:\n%s", txt)
	}
	if gs, _ := db.Stages(); len(gs) > 0 && gs[0].Reached() != "" {
		t.Errorf("a refused stage was stored: %+v", gs)
	}
}

// TestOfficeGroupsInNaturalOrder: the office lists groups with numbers by value (Tổ 2 before
// Tổ 10), as the exported lists do.
func TestOfficeGroupsInNaturalOrder(t *testing.T) {
	rows := groupRows(map[string]*officeCounts{"Tổ 10": {}, "Tổ 2": {}, "Tổ 1": {}}, nil, nil)
	var got []string
	for _, g := range rows {
		got = append(got, g.Group)
	}
	if want := []string{"Tổ 1", "Tổ 2", "Tổ 10"}; !slices.Equal(got, want) {
		t.Errorf("groups %q, want %q", got, want)
	}
}

// listsApp is an office over a ward of n households, on its Lists screen.
func listsApp(t *testing.T, n int) (*store.Store, *App, *answers, *listsScreen) {
	t.Helper()
	db := newOfficeStore(t, n)
	a, ans := newOfficeApp(t, db)
	a.ShowOffice(officeLists)
	a.Wait()
	return db, a, ans, a.office.page.(*listsScreen)
}
