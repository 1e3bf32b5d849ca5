package ui

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

// newOfficeStore makes the ward office's database in a temporary directory, holding n demo
// households (complete), as the surveyors' laptops sent them.
func newOfficeStore(t testing.TB, n int) *store.Store {
	t.Helper()
	w := demo.DefaultWard
	db, err := store.Create(filepath.Join(t.TempDir(), "office.db"), store.Meta{Role: store.RoleOffice, Ward: w.Name,
		Area: w.Area, Surveyor: "Phạm Thu Hà", DeviceName: "office"}, store.Options{NoSync: true, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var buf bytes.Buffer
	for _, r := range demo.Households(w, n, 1) {
		buf.Write(household.Encode(r))
		buf.WriteByte('\n')
	}
	if _, err := db.Import(&buf, store.ImportOptions{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	return db
}

// newOfficeApp starts the app over the office's database with its real sync node; the tests
// answer the folder and file dialogs.
func newOfficeApp(t testing.TB, db *store.Store) (*App, *answers) {
	t.Helper()
	a, ans := newSyncApp(t, db, rsync.Options{})
	t.Cleanup(a.StopOffice)
	logIn(t, a, db) // the office's actions need a user logged in (login.go)
	return a, ans
}

// classCounts classifies the stored households with the poverty package, by group: what the
// dashboard's chart must show.
func classCounts(t *testing.T, db *store.Store) (poor, near map[string]int) {
	poor, near = map[string]int{}, map[string]int{}
	reg := poverty.MustBuiltin()
	db.ForEach(func(rec *household.Record, rev store.Revision) error {
		std, _ := reg.Choose(rec, "")
		res, err := poverty.Classify(rec, std)
		if err != nil {
			t.Fatal(err)
		}
		switch res.Class {
		case poverty.Poor:
			poor[rec.Group]++
		case poverty.NearPoor:
			near[rec.Group]++
		}
		return nil
	})
	return poor, near
}

func TestOfficeOpensOnTheDashboard(t *testing.T) {
	db := newOfficeStore(t, 40)
	t1, _ := db.ListGroup("Tổ 01")
	t2, _ := db.ListGroup("Tổ 02")
	t3, _ := db.ListGroup("Tổ 03")
	for _, id := range []string{t1[0].ID, t1[1].ID} {
		if _, err := db.SetReview(id, store.StatusApproved, "", "office"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SetReview(t2[0].ID, store.StatusReturned, "xem lại", "office"); err != nil {
		t.Fatal(err)
	}
	rec, _, _ := db.Get(t2[1].ID)
	rec.Address = "sửa ở văn phòng"
	db.SaveDraft(rec, "office")
	db.SetAssignment(store.Assignment{Surveyor: "Lê Văn Hiến", Groups: []string{"Tổ 01", "Tổ 02"}})
	db.SetAssignment(store.Assignment{Surveyor: "Nguyen Thi Lan", Households: []string{t3[0].ID, t3[1].ID}})
	if _, err := db.SetStage("Tổ 01", store.StageSurveyed, household.MustDate("2026-10-01"), "", "office"); err != nil {
		t.Fatal(err)
	}
	a, _ := newOfficeApp(t, db)
	if a.Screen() != officeDashboard {
		t.Fatalf("the office opens on %q", a.Screen())
	}
	d := a.office.page.(*dashboardScreen)
	g := map[string]officeGroup{}
	for _, x := range d.view.Groups {
		g[x.Group] = x
	}
	want1 := officeCounts{Assigned: 10, Surveyed: 10, Complete: 8, Approved: 2}
	want2 := officeCounts{Assigned: 10, Surveyed: 10, Complete: 8, Returned: 1}
	want3 := officeCounts{Assigned: 2, Surveyed: 10, Complete: 10}
	if g["Tổ 01"].officeCounts != want1 || g["Tổ 02"].officeCounts != want2 || g["Tổ 03"].officeCounts != want3 {
		t.Errorf("groups:\n%+v\n%+v\n%+v", g["Tổ 01"].officeCounts, g["Tổ 02"].officeCounts, g["Tổ 03"].officeCounts)
	}
	poor, near := classCounts(t, db)
	for name, x := range g {
		// the draft of Tổ 02 is not on the lists: the chart counts listed households
		if name != "Tổ 02" && (x.Poor != poor[name] || x.NearPoor != near[name]) {
			t.Errorf("%s: chart %d poor %d near-poor, classifier %d %d", name, x.Poor, x.NearPoor, poor[name], near[name])
		}
	}
	if d.view.NotListed != 2 || d.view.Total != 40 {
		t.Errorf("not listed %d (a draft and a returned one), total %d", d.view.NotListed, d.view.Total)
	}
	text := tableText(d.groupHeaders(), len(d.view.Groups), d.groupCell)
	if text[1][0] != "Tổ 01" || text[1][4] != "2" || text[1][7] != "Đã rà soát (01/10/2026)" || text[4][7] != "Chưa rà soát xong" {
		t.Errorf("group table: %q", text)
	}
	sv := tableText(d.surveyorHeaders(), len(d.view.Surveyors), d.surveyorCell)
	for _, row := range sv[1:] {
		if store.Fold(row[0]) == "nguyen thi lan" && row[1] != "2" || row[0] == "Lê Văn Hiến" && row[1] != "20" {
			t.Errorf("surveyor row %q", row)
		}
	}
	if !strings.Contains(d.summary.Text, "40 hộ · chờ duyệt 36 · đã duyệt 2 · trả lại 1") {
		t.Errorf("summary %q", d.summary.Text)
	}
	if len(d.chart.rows) != 4 {
		t.Errorf("chart rows %+v", d.chart.rows)
	}
	test.WidgetRenderer(d.chart) // draws
}

func TestOfficeRecordsStagesInOrder(t *testing.T) {
	db := newOfficeStore(t, 8)
	a, _ := newOfficeApp(t, db)
	d := a.office.page.(*dashboardScreen)
	if !d.stageBtn.Disabled() {
		t.Error("no group chosen: no stage to record")
	}
	d.groups.Select(widget.TableCellID{Row: 0, Col: 0})
	a.Wait()
	if d.stageBtn.Disabled() || !strings.Contains(d.stageBtn.Text, "Tổ 01") {
		t.Fatalf("stage button %q", d.stageBtn.Text)
	}
	test.Tap(d.stageBtn)
	if txt := topDialogText(a); !strings.Contains(txt, "Bước rà soát — Tổ 01") || !strings.Contains(txt, "Đã rà soát") {
		t.Errorf("stage dialog:\n%s", txt)
	}
	// Alt+3 opens the review over the dialog, which goes with the dashboard; Alt+1 comes back.
	alt := func(k fyne.KeyName) {
		a.win.Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt})
		a.Wait()
	}
	alt(fyne.Key3)
	if a.Screen() != officeReview || topDialogText(a) != "" {
		t.Errorf("Alt+3: screen %q, dialog %q", a.Screen(), topDialogText(a))
	}
	alt(fyne.Key1)
	d = a.office.page.(*dashboardScreen)
	d.setStage("Tổ 01", store.StageAgreed, "05/10/2026", "")
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Tổ 01 chưa ghi bước “Đã rà soát”") {
		t.Errorf("agreed before surveyed should be refused:\n%s", txt)
	}
	d.setStage("Tổ 01", store.StageSurveyed, "30/09/2026", "")
	a.Wait()
	d.setStage("Tổ 01", store.StageAgreed, "05/10/2026", "38/45 đồng ý")
	a.Wait()
	gs, _ := db.Stages()
	if len(gs) != 1 || gs[0].Reached() != store.StageAgreed {
		t.Fatalf("stages %+v", gs)
	}
	if m, _ := gs[0].Mark(store.StageAgreed); m.Note != "38/45 đồng ý" || m.Author != "Phạm Thu Hà" {
		t.Errorf("mark %+v", m)
	}
	if got := stageText(d.view.Groups[0].Stages); got != "Họp dân thống nhất (05/10/2026)" {
		t.Errorf("the table says %q", got)
	}
	if nextStage(d.view.Groups[0].Stages) != store.StagePosted {
		t.Error("the dialog should offer posting next")
	}
	d.clearStage("Tổ 01", store.StageAgreed)
	a.Wait()
	if gs, _ = db.Stages(); gs[0].Reached() != store.StageSurveyed {
		t.Errorf("after clearing: %+v", gs)
	}
}

func TestOfficeReviewApprovesAndReturns(t *testing.T) {
	db := newOfficeStore(t, 12)
	a, _ := newOfficeApp(t, db)
	a.ShowOffice(officeReview)
	a.Wait()
	r := a.office.page.(*reviewScreen)
	if len(r.rows) != 12 || r.filter.Selected != "Cần xem xét (chờ duyệt, xung đột)" {
		t.Fatalf("%d rows need attention (filter %q)", len(r.rows), r.filter.Selected)
	}
	first := r.rows[0]
	if r.chosen != first.ID || !r.detailBox.Visible() || r.head.Text != first.Head {
		t.Fatalf("the first household is shown: %q %q", r.chosen, r.head.Text)
	}
	if r.preview.class.Text == "" || r.approveBtn.Disabled() {
		t.Errorf("classification %q, approve disabled %v", r.preview.class.Text, r.approveBtn.Disabled())
	}
	test.Tap(r.approveBtn)
	a.Wait()
	if _, rev, _ := db.Get(first.ID); rev.Status != store.StatusApproved || rev.Author != "Phạm Thu Hà" {
		t.Errorf("approved: %q by %q", rev.Status, rev.Author)
	}
	if len(r.rows) != 11 || r.chosen != r.rows[0].ID {
		t.Errorf("after approving, the next one is shown: %d rows, chosen %q", len(r.rows), r.chosen)
	}
	second := r.chosen
	test.Tap(r.returnBtn)
	if !strings.Contains(topDialogText(a), "Lý do / Ghi chú") {
		t.Fatalf("return dialog:\n%s", topDialogText(a))
	}
	r.review(store.StatusReturned, "  Kiểm tra lại thu nhập  ")
	a.Wait()
	if _, rev, _ := db.Get(second); rev.Status != store.StatusReturned || rev.Comment != "Kiểm tra lại thu nhập" {
		t.Errorf("returned: %q %q", rev.Status, rev.Comment)
	}
	r.filter.SetSelected(r.filterLabel(store.StatusReturned))
	a.Wait()
	if len(r.rows) != 1 || r.rows[0].ID != second || !r.comment.Visible() ||
		!strings.Contains(r.comment.Text, "Kiểm tra lại thu nhập") {
		t.Errorf("returned filter: %d rows, comment %q", len(r.rows), r.comment.Text)
	}
	r.filter.SetSelected(r.filterLabel(store.StatusApproved))
	a.Wait()
	if len(r.rows) != 1 || !r.approveBtn.Disabled() || r.returnBtn.Disabled() {
		t.Errorf("approved filter: %d rows; an approved one may still be returned, not approved again", len(r.rows))
	}
	r.filter.SetSelected(r.filterLabel("all"))
	r.groupPick.SetSelected("Tổ 02")
	a.Wait()
	for _, row := range r.rows {
		if row.Group != "Tổ 02" {
			t.Errorf("group filter let %q through", row.Group)
		}
	}
	if len(r.rows) != 3 {
		t.Errorf("Tổ 02 has %d rows", len(r.rows))
	}
	// Opening the form and going back returns to the review.
	test.Tap(r.openBtn)
	a.Wait()
	if a.Screen() != "form" {
		t.Fatalf("screen %q", a.Screen())
	}
	a.form.onBack()
	a.Wait()
	if a.Screen() != officeReview {
		t.Errorf("back from the form: %q", a.Screen())
	}
}

// conflictOf makes a conflict the way sync brings one: two laptops edit the same household
// from the office's revision, and both edits reach the office.
func conflictOf(t *testing.T, office *store.Store, id string, editA, editB func(*household.Record)) {
	t.Helper()
	conflictOfStatus(t, office, id, false, editA, editB)
}

// conflictOfStatus is conflictOf where each laptop also marks its edit complete when complete
// is true: both versions were submitted for review.
func conflictOfStatus(t *testing.T, office *store.Store, id string, complete bool, editA, editB func(*household.Record)) {
	t.Helper()
	m, _ := office.Meta()
	base, err := office.RevisionsSince(m.DeviceID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, edit := range []func(*household.Record){editA, editB} {
		dev, err := store.Create(filepath.Join(t.TempDir(), "laptop.db"), store.Meta{Role: store.RoleField,
			DeviceName: []string{"A", "B"}[i]}, store.Options{NoSync: true, Now: func() time.Time { return testNow.Add(time.Duration(i+1) * time.Minute) }})
		if err != nil {
			t.Fatal(err)
		}
		defer dev.Close()
		if _, err := dev.PutRevisions(base); err != nil {
			t.Fatal(err)
		}
		rec, _, _ := dev.Get(id)
		edit(rec)
		if _, err := dev.SaveDraft(rec, []string{"Lê Văn Hiến", "Nguyễn Thị Lan"}[i]); err != nil {
			t.Fatal(err)
		}
		if complete {
			if _, err := dev.MarkComplete(id, []string{"Lê Văn Hiến", "Nguyễn Thị Lan"}[i]); err != nil {
				t.Fatal(err)
			}
		}
		dm, _ := dev.Meta()
		revs, _ := dev.RevisionsSince(dm.DeviceID, 0)
		if _, err := office.PutRevisions(revs); err != nil {
			t.Fatal(err)
		}
	}
	if c, _ := office.Conflicts(); !slices.Contains(c, id) {
		t.Fatalf("no conflict: %v", c)
	}
}

func TestOfficeSettlesConflicts(t *testing.T) {
	db := newOfficeStore(t, 8)
	list, _ := db.List()
	idA, idB := list[0].ID, list[1].ID
	conflictOf(t, db, idA, func(r *household.Record) { r.Address = "Số 5, ngõ mới" },
		func(r *household.Record) { r.Housing.FloorAreaM2 = 120 })
	conflictOf(t, db, idB, func(r *household.Record) { r.Toilet = "simple_pit" },
		func(r *household.Record) { r.Toilet = "none" })
	a, _ := newOfficeApp(t, db)
	a.ShowOffice(officeReview)
	a.Wait()
	r := a.office.page.(*reviewScreen)
	if !r.rows[0].Conflict || r.resolveBtn.Hidden || !r.approveBtn.Disabled() {
		t.Fatalf("a conflict needs attention and cannot be approved: %+v", r.rows[0])
	}
	test.Tap(r.resolveBtn)
	a.Wait()
	c := a.office.page.(*conflictScreen)
	if a.Screen() != officeConflicts || len(c.rows) != 2 || c.view.ID != r.rows[0].ID {
		t.Fatalf("conflicts screen on %q: %d rows", c.view.ID, len(c.rows))
	}
	c.list.Select(slices.IndexFunc(c.rows, func(x conflictRow) bool { return x.ID == idA }))
	a.Wait()
	var fields []string
	for _, d := range c.view.Diffs {
		fields = append(fields, d.Field)
	}
	if !slices.Equal(fields, []string{"address", "housing.floor_area_m2"}) {
		t.Fatalf("differences %v", fields)
	}
	text := allText(c.diffs)
	for _, want := range []string{"Địa chỉ", "Số 5, ngõ mới", "120 m²", "Bản 1", "Bản 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("side by side should show %q:\n%s", want, text)
		}
	}
	if !strings.Contains(allText(c.detail), "Nguyễn Thị Lan") || !strings.Contains(allText(c.detail), "Lê Văn Hiến") {
		t.Errorf("the versions' authors:\n%s", allText(c.detail))
	}
	// Version 1 is the later edit (B: floor area); take version 2's address (A's edit).
	addr := slices.Index(fields, "address")
	if c.values[addr][0].Importance != widget.SuccessImportance {
		t.Error("version 1 is chosen at first, and shown so")
	}
	c.picks[addr].SetSelected(c.picks[addr].Options[1])
	if c.values[addr][1].Importance != widget.SuccessImportance || c.values[addr][0].Importance != widget.MediumImportance {
		t.Error("the chosen value is highlighted")
	}
	test.Tap(c.mergeBtn)
	a.Wait()
	got, rev, _ := db.Get(idA)
	if got.Address != "Số 5, ngõ mới" || got.Housing.FloorAreaM2 != 120 || rev.Status != store.StatusDraft || len(rev.Merged) != 1 {
		t.Errorf("merged: %q %v %s merged %v", got.Address, got.Housing.FloorAreaM2, rev.Status, rev.Merged)
	}
	if h, _ := db.History(idA); len(h) != 4 {
		t.Errorf("history: %d revisions", len(h))
	}
	if len(c.rows) != 1 || c.rows[0].ID != idB || !strings.Contains(c.outcome.Text, "Đã giải quyết") {
		t.Errorf("after the merge: %d rows, outcome %q", len(c.rows), c.outcome.Text)
	}
	// Keep version 2 whole: a restore of it.
	heads, _ := db.Heads(idB)
	test.Tap(c.keepB)
	a.Wait()
	kept, _ := household.Decode(heads[1].Record)
	got, rev, _ = db.Get(idB)
	if got.Toilet != kept.Toilet || rev.Restored != heads[1].ID || len(rev.Merged) != 1 {
		t.Errorf("kept version 2: toilet %q (want %q), restored %q, merged %v", got.Toilet, kept.Toilet, rev.Restored, rev.Merged)
	}
	if conf, _ := db.Conflicts(); len(conf) != 0 {
		t.Errorf("conflicts left: %v", conf)
	}
	if !strings.Contains(c.title.Text, "Không có hộ nào bị xung đột") {
		t.Errorf("title %q", c.title.Text)
	}
}

// TestOfficeSettledConflictWaitsForReview: a conflict of two submitted versions, once settled,
// waits for review with the others instead of becoming a draft only the "Nháp" filter shows;
// each version's class is shown beside it; the empty screen keeps no column heading (QA
// finding 17).
func TestOfficeSettledConflictWaitsForReview(t *testing.T) {
	db := newOfficeStore(t, 8)
	list, _ := db.List()
	id := list[0].ID
	conflictOfStatus(t, db, id, true, func(r *household.Record) { r.Toilet = "none"; r.WaterSource = "surface_water"; r.Income.Value = 1000 },
		func(r *household.Record) { r.Toilet = "septic"; r.WaterSource = "piped"; r.Income.Value = 900_000_000 })
	a, _ := newOfficeApp(t, db)
	a.ShowOffice(officeConflicts)
	a.Wait()
	c := a.office.page.(*conflictScreen)
	if c.view.ID != id {
		t.Fatalf("conflict shown: %q", c.view.ID)
	}
	reg := poverty.MustBuiltin()
	for i, rec := range []*household.Record{c.view.RecA, c.view.RecB} {
		row, err := classifyRow(rec, reg)
		if err != nil {
			t.Fatal(err)
		}
		want := "Phân loại: " + choiceLabel("class", row.Result.Class)
		if !strings.HasPrefix(c.classes[i].Text, want) || !c.classes[i].Visible() {
			t.Errorf("version %d: %q, want %q…", i+1, c.classes[i].Text, want)
		}
	}
	if c.classes[0].Text == c.classes[1].Text {
		t.Errorf("the versions should class differently here: %q", c.classes[0].Text)
	}
	test.Tap(c.keepA)
	a.Wait()
	if _, rev, _ := db.Get(id); rev.Status != store.StatusComplete {
		t.Errorf("settled: %q, want waiting for review", rev.Status)
	}
	if !strings.Contains(c.outcome.Text, "đang chờ duyệt") {
		t.Errorf("outcome %q", c.outcome.Text)
	}
	if c.header.Visible() {
		t.Error("nothing in conflict, yet the columns' heading is shown")
	}
	a.ShowOffice(officeReview)
	a.Wait()
	r := a.office.page.(*reviewScreen)
	if !slices.ContainsFunc(r.rows, func(x reviewRow) bool { return x.ID == id }) {
		t.Error("the settled household is not among those needing attention")
	}
	// the household's log says whose version was kept, not its revision id
	es, _ := db.AuditFor(id)
	rows := auditRows(es, false, newAuditHouseholds(db))
	if len(rows) < 2 || !strings.Contains(rows[1].what, "lấy lại bản của Nguyễn Thị Lan lúc") {
		t.Errorf("the log: %+v", rows)
	}
}

// TestOfficeAuditLogIsReadable: the whole log names the household by its head and group, each
// changed field by its question with the answer before and after, and the review and stage in
// words (QA finding 16: "đã sửa: previous_status — hộ c99d133a").
func TestOfficeAuditLogIsReadable(t *testing.T) {
	db := newOfficeStore(t, 8)
	list, _ := db.List()
	rec, _, _ := db.Get(list[0].ID)
	old, status := lang.L("office.absent"), "poor"
	if rec.PreviousStatus != "" {
		old = choiceLabel("status", rec.PreviousStatus)
	}
	if rec.PreviousStatus == "poor" {
		status = "near_poor"
	}
	if _, _, err := db.SetPreviousStatuses(map[string]string{rec.ID: status}, "Phạm Thu Hà"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetReview(list[1].ID, store.StatusReturned, "xem lại thu nhập", "Phạm Thu Hà"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SetStage("Tổ 01", store.StageSurveyed, household.MustDate("2026-10-01"), "", "Phạm Thu Hà"); err != nil {
		t.Fatal(err)
	}
	es, _ := db.AuditLog()
	rows := auditRows(es, true, newAuditHouseholds(db))
	want := []string{
		"Tổ 01: Đã rà soát (01/10/2026)",
		"Bị trả lại xem lại thu nhập",
		"hộ " + rec.HeadName() + " (" + rec.Group + ") — đã sửa: Tình trạng năm trước: " + old + " → " + choiceLabel("status", status),
	}
	for i, w := range want {
		if !strings.Contains(rows[i].what, w) {
			t.Errorf("entry %d: %q, want %q", i, rows[i].what, w)
		}
		if strings.Contains(rows[i].what, "previous_status") || strings.Contains(rows[i].what, "surveyed") {
			t.Errorf("entry %d shows an id: %q", i, rows[i].what)
		}
	}
	a, _ := newOfficeApp(t, db)
	a.showAuditAll()
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Tổ 01: Đã rà soát (01/10/2026)") {
		t.Errorf("the log's dialog:\n%s", txt)
	}
}
