package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// problemOf is the problem shown beside a question of the form, "" when none is shown.
func problemOf(q *question) string {
	if !q.problem.Visible() {
		return ""
	}
	return q.problem.Text
}

func TestProblemsShowWhenTheFieldIsLeft(t *testing.T) {
	a := newApp(t, newStore(t, 4, demo.DefaultWard))
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	f := a.form
	date := f.qs["survey.date"]

	typeInto(a, f.date, "31/02/2026")
	if p := problemOf(date); p != "" {
		t.Errorf("a problem is shown while the date is still being typed: %q", p)
	}
	// Another program in front takes the focus from the window, not from the question.
	f.date.FocusLost()
	a.Wait()
	f.date.FocusGained()
	if p := problemOf(date); p != "" {
		t.Errorf("the window going to the background counts as leaving the question: %q", p)
	}
	leave(a)
	if p := problemOf(date); !strings.Contains(p, "dd/mm/yyyy") {
		t.Errorf("after leaving a bad date the problem should say how to write it, got %q", p)
	}
	if f.rec.Survey.Date != household.MustDate("2026-11-25") {
		t.Errorf("while the date typed is not a date the record keeps the last good one, got %v", f.rec.Survey.Date)
	}
	typeInto(a, f.date, "20/11/2026")
	if p := problemOf(date); p != "" {
		t.Errorf("the problem should go once the date is right, got %q", p)
	}
	if f.rec.Survey.Date != household.MustDate("2026-11-20") {
		t.Errorf("date stored in the record: %v", f.rec.Survey.Date)
	}

	typeInto(a, f.date, "15/03/2021") // before every standard (one after today is refused as such)
	leave(a)
	if p := problemOf(date); !strings.Contains(p, "chuẩn nghèo") {
		t.Errorf("a date no standard covers should be refused by the standards, got %q", p)
	}
	typeInto(a, f.date, "25/11/2026")

	typeInto(a, f.floor, "0")
	leave(a)
	if p := problemOf(f.qs["housing.floor_area_m2"]); !strings.Contains(p, "Diện tích 0 m² không hợp lệ") {
		t.Errorf("floor area 0: problem %q", p)
	}
	typeInto(a, f.amount, "1,8 triệu")
	leave(a)
	if p := problemOf(f.qs["income"]); !strings.Contains(p, "Số tiền không đúng") {
		t.Errorf("bad amount: problem %q", p)
	}
	// Questions never visited show nothing yet.
	if p := problemOf(f.qs["housing.wall"]); p != "" {
		t.Errorf("a question not yet visited shows %q", p)
	}
}

func TestMemberProblemsInTheDialog(t *testing.T) {
	a := newApp(t, newStore(t, 0, demo.DefaultWard))
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	a.form.onAddMember()
	d := a.form.member

	// Enter with no name keeps the dialog open and says why.
	a.win.Canvas().Focus(d.name)
	press(a, fyne.KeyReturn)
	if a.form.member != d || len(a.form.rec.Members) != 0 {
		t.Fatal("a member without a name must not be added")
	}
	if p := problemOf(d.qs["name"]); !strings.Contains(p, "bắt buộc") {
		t.Errorf("name problem %q", p)
	}
	typeInto(a, d.name, "Hà Thị Xuân")
	typeInto(a, d.idNumber, "12345")
	leave(a)
	if p := problemOf(d.qs["id_number"]); !strings.Contains(p, "12 chữ số") {
		t.Errorf("id problem %q", p)
	}
	typeInto(a, d.birth, "01/01/2027")
	leave(a)
	if p := problemOf(d.qs["birth"]); !strings.Contains(p, "sau ngày rà soát") {
		t.Errorf("birth after the survey: problem %q", p)
	}
	typeInto(a, d.birth, "31/31/1990")
	leave(a)
	if p := problemOf(d.qs["birth"]); !strings.Contains(p, "dd/mm/yyyy") {
		t.Errorf("unreadable birth: problem %q", p)
	}
	typeInto(a, d.birth, "1990")
	typeInto(a, d.idNumber, "001190012345")
	leave(a)
	for _, k := range []string{"birth", "id_number", "name"} {
		if p := problemOf(d.qs[k]); p != "" {
			t.Errorf("%s still shows %q", k, p)
		}
	}
	if d.qs["birth"].note.Text != "36 tuổi (tính theo năm sinh)" {
		t.Errorf("age note %q", d.qs["birth"].note.Text)
	}
	d.insurance.SetSelected("Có")
	d.able.SetSelected("Có")
	d.onSave()
	if len(a.form.rec.Members) != 1 {
		t.Fatal("the member was not added")
	}
	// A second head is refused beside the relation.
	a.form.onAddMember()
	d = a.form.member
	typeInto(a, d.name, "Hà Văn Sơn")
	d.relation.set(household.RelationHead)
	if p := problemOf(d.qs["relation"]); !strings.Contains(p, "chủ hộ") {
		t.Errorf("second head: problem %q", p)
	}
}

func TestSkipLogic(t *testing.T) {
	a := newApp(t, newStore(t, 0, demo.DefaultWard))
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	a.form.onAddMember()
	d := a.form.member
	shown := func() string {
		var out []string
		for _, k := range memberFields {
			if d.qs[k].label.Visible() && d.qs[k].box.Visible() {
				out = append(out, k)
			}
		}
		return strings.Join(out, " ")
	}
	all := strings.Join(memberFields, " ")
	if got := shown(); got != all {
		t.Errorf("before the birth is known every question shows, got %s", got)
	}
	for _, c := range []struct{ birth, want string }{
		{"10/10/2024", "name relation sex birth ethnicity id_number malnourished"},                                             // 2
		{"2021", "name relation sex birth ethnicity id_number in_school school malnourished"},                                  // 5
		{"01/01/2016", "name relation sex birth ethnicity id_number health_insurance education in_school school malnourished"}, // 10
		{"01/06/2011", "name relation sex birth ethnicity id_number health_insurance education in_school school employment able_to_work malnourished"},
		{"01/06/2010", "name relation sex birth ethnicity id_number health_insurance education in_school employment able_to_work"}, // 16
		{"01/06/2000", "name relation sex birth ethnicity id_number health_insurance education in_school employment able_to_work"}, // 26
		{"01/06/1990", "name relation sex birth ethnicity id_number health_insurance education employment able_to_work"},           // 36
		{"1950", "name relation sex birth ethnicity id_number health_insurance education employment able_to_work"},
	} {
		typeInto(a, d.birth, c.birth)
		if got := shown(); got != c.want {
			t.Errorf("born %s: shown\n  %s\nwant\n  %s", c.birth, got, c.want)
		}
	}
	test.Tap(d.showAll)
	if got := shown(); got != all {
		t.Errorf("'show every question' shows %s", got)
	}
	test.Tap(d.showAll)

	// A two-year-old saved with the questions hidden gets the questionnaire's answers.
	typeInto(a, d.name, "Bé Na")
	typeInto(a, d.birth, "10/10/2024")
	d.onSave()
	m := a.form.rec.Members[0]
	if !m.HealthInsurance || m.Education != "none" || m.InSchool || m.Employment != "not_in_labour_force" || !m.AbleToWork {
		t.Errorf("defaults of a two-year-old: %+v", m)
	}
}

func TestEveryChangeIsSavedAsDraft(t *testing.T) {
	db := newStore(t, 4, demo.DefaultWard)
	a := newApp(t, db)
	a.ShowNewHousehold("Tổ 03")
	a.Wait()
	id := a.form.rec.ID
	if _, _, err := db.Get(id); err == nil {
		t.Fatal("a new household is saved before the first answer")
	}
	typeInto(a, a.form.address, " ") // a stray key changes nothing: no empty household is made
	a.Wait()
	if _, _, err := db.Get(id); err == nil {
		t.Fatal("a stray space saved an empty household")
	}
	typeInto(a, a.form.address, "Số 9")
	a.Wait() // the field is still being typed: no blur, no button
	clockOf(a).advance(typingSave - time.Millisecond)
	a.Wait()
	if _, _, err := db.Get(id); err == nil {
		t.Fatal("each keystroke saved at once: a revision per key")
	}
	clockOf(a).advance(time.Millisecond) // still typing, a moment later: saved
	a.Wait()
	rec, rev, err := db.Get(id)
	if err != nil {
		t.Fatalf("the first keystrokes should be saved: %v", err)
	}
	if rec.Address != "Số 9" || rev.Status != store.StatusDraft || rec.Group != "Tổ 03" {
		t.Errorf("saved %q in %q, status %q", rec.Address, rec.Group, rev.Status)
	}
	if !strings.HasPrefix(a.form.status.Text, "Đã lưu nháp lúc") {
		t.Errorf("status line %q", a.form.status.Text)
	}
	a.form.onAddMember()
	d := a.form.member
	typeInto(a, d.name, "Đỗ Minh Quân")
	d.onSave()
	if a.form.member != d || len(a.form.rec.Members) != 0 {
		t.Fatal("a member without a birth date or year cannot be stored, even in a draft: the dialog must stay open")
	}
	if p := problemOf(d.qs["birth"]); p == "" {
		t.Error("the missing birth should be shown")
	}
	typeInto(a, d.birth, "1991")
	d.insurance.SetSelected("Có")
	d.able.SetSelected("Có")
	d.onSave()
	a.Wait()
	rec, _, _ = db.Get(id)
	if len(rec.Members) != 1 || rec.Members[0].Name != "Đỗ Minh Quân" {
		t.Errorf("members saved: %+v", rec.Members)
	}
	// Removing a member is saved too (after the confirmation).
	a.form.removeMember(0)
	a.Wait()
	if rec, _, _ = db.Get(id); len(rec.Members) != 0 {
		t.Errorf("member not removed from the draft: %d", len(rec.Members))
	}
}

func TestCompleteRefusedUntilValid(t *testing.T) {
	db := newStore(t, 0, demo.DefaultWard)
	a := newApp(t, db)
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	f := a.form
	typeInto(a, f.address, "Số 1")
	f.onComplete()
	a.Wait()
	if a.Screen() != "form" {
		t.Fatalf("an incomplete household must not be completed; screen %q", a.Screen())
	}
	text := topDialogText(a)
	for _, want := range []string{"Chưa hoàn thành được", "Tường nhà: thiếu thông tin bắt buộc", "Thành viên: hộ phải có từ 1 đến 30 thành viên"} {
		if !strings.Contains(text, want) {
			t.Errorf("the refusal should list %q; it says:\n%s", want, text)
		}
	}
	if p := problemOf(f.qs["housing.roof"]); p == "" {
		t.Error("after a refused complete every problem shows beside its question")
	}
	_, rev, err := db.Get(f.rec.ID)
	if err != nil || rev.Status != store.StatusDraft {
		t.Errorf("stored status %q (%v), want draft", rev.Status, err)
	}
}

func TestReturnedHouseholdShowsTheComment(t *testing.T) {
	db := newStore(t, 4, demo.DefaultWard)
	if err := db.UpdateMeta(func(m *store.Meta) { m.Role = store.RoleOffice }); err != nil {
		t.Fatal(err)
	}
	list, _ := db.ListGroup("Tổ 01")
	id := list[0].ID
	if _, err := db.SetReview(id, store.StatusReturned, "Kiểm tra lại diện tích nhà", "Cán bộ phường"); err != nil {
		t.Fatal(err)
	}
	// The decision reaches the laptop (sync does that): the database is the field laptop's again,
	// since the office's copy shows the office's screens.
	if err := db.UpdateMeta(func(m *store.Meta) { m.Role = store.RoleField }); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, db)
	if g := a.home.view.Groups[0]; g.Returned != 1 {
		t.Errorf("home: %d returned in Tổ 01, want 1", g.Returned)
	}
	if !strings.Contains(allText(a.home.households), "Văn phòng trả lại: Kiểm tra lại diện tích nhà") {
		t.Errorf("home list should show the office's comment:\n%s", allText(a.home.households))
	}
	a.ShowHousehold(id)
	a.Wait()
	f := a.form
	if !f.banner.Visible() || !strings.Contains(f.banner.Text, "Kiểm tra lại diện tích nhà") {
		t.Errorf("banner %q (visible %v)", f.banner.Text, f.banner.Visible())
	}
	typeInto(a, f.floor, "64")
	f.onComplete()
	a.Wait()
	rec, rev, _ := db.Get(id)
	if rev.Status != store.StatusComplete || rec.Housing.FloorAreaM2 != 64 {
		t.Errorf("after fixing: status %q, floor %v", rev.Status, rec.Housing.FloorAreaM2)
	}
}

func TestLastRoundIsCarriedIntoThisRound(t *testing.T) {
	w := demo.DefaultWard
	w.SurveyDate, w.Round = household.MustDate("2025-10-02"), "2025-periodic"
	db := newStore(t, 4, w)
	list, _ := db.ListGroup("Tổ 02")
	old, _, _ := db.Get(list[0].ID)
	a := newApp(t, db)
	a.ShowHousehold(old.ID)
	a.Wait()
	f := a.form
	if f.date.Text != "25/11/2026" || f.rec.Survey.Round != "2026-periodic" {
		t.Errorf("carried into this round: date %q, round %q", f.date.Text, f.rec.Survey.Round)
	}
	if !strings.Contains(f.banner.Text, "Rà soát định kỳ năm 2025") || !f.banner.Visible() {
		t.Errorf("the surveyor should be told the data is last round's: %q", f.banner.Text)
	}
	if len(f.roster.Objects) != len(old.Members) || f.address.Text != old.Address {
		t.Errorf("last round's answers should be pre-filled")
	}
	if want := map[bool]string{true: "Có", false: "Không"}[old.Loudspeaker]; f.loudspeaker.Selected != want {
		t.Errorf("loudspeaker shows %q, stored %v", f.loudspeaker.Selected, old.Loudspeaker)
	}
	f.loudspeaker.SetSelected(map[bool]string{true: "Không", false: "Có"}[old.Loudspeaker]) // the other answer
	a.Wait()
	rec, _, _ := db.Get(old.ID)
	if rec.Survey.Round != "2026-periodic" || rec.Loudspeaker == old.Loudspeaker || len(rec.Members) != len(old.Members) {
		t.Errorf("saved: round %q, loudspeaker %v→%v", rec.Survey.Round, old.Loudspeaker, rec.Loudspeaker)
	}
}

// TestFormScrollsToTheLastQuestion: the form grows as rows appear (members, problems, notes);
// its scroll must follow, or the last questions cannot be reached (seen on a screenshot).
func TestFormScrollsToTheLastQuestion(t *testing.T) {
	a := newApp(t, newStore(t, 12, demoWard()))
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	check := func(when string) {
		t.Helper()
		for i, s := range a.form.scrolls {
			if got, want := s.Content.Size().Height, s.Content.MinSize().Height; got < want {
				t.Errorf("%s: scroll %d holds %.0f of the content's %.0f pixels", when, i, got, want)
			}
		}
	}
	check("new household")
	for _, name := range []string{"Mai Văn Một", "Mai Văn Hai", "Mai Văn Ba", "Mai Văn Bốn", "Mai Văn Năm"} {
		a.form.onAddMember()
		typeInto(a, a.form.member.name, name)
		typeInto(a, a.form.member.birth, "1990")
		a.form.member.onSave()
	}
	check("five members added")
	a.form.onComplete()
	a.Wait()
	check("problems shown")
}
