package ui

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/store"
)

// The tests of this file come from the second QA pass of the field app; each failed before
// its fix.

// loadExampleTable loads the EXAMPLE score table into db.
func loadExampleTable(t *testing.T, db *store.Store) {
	t.Helper()
	data, err := os.ReadFile(exampleScoreTable)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.LoadScoreTable(data, "test"); err != nil {
		t.Fatal(err)
	}
}

// openCalculator chooses the income score on the form and opens the score calculator, every
// characteristic answered.
func openCalculator(t *testing.T, a *App) *scoreDialog {
	t.Helper()
	f := a.form
	f.incomeKind.SetSelected(choiceLabel("income", "score"))
	a.Wait()
	test.Tap(f.scoreBtn)
	a.Wait()
	d := f.score
	if d == nil || a.win.Canvas().Overlays().Top() == nil {
		t.Fatal("the calculator did not open")
	}
	walkObjects(a.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			s.SetSelectedIndex(0)
		}
	})
	if d.use.Disabled() {
		t.Fatal("every characteristic chosen, yet the score cannot be used")
	}
	return d
}

// TestLeavingClosesScoreCalculator: leaving the form (Alt+←, "Danh sách", closing the
// window, the idle lock) closes the score calculator, and its "use this score" never writes
// into a household no longer shown.
func TestLeavingClosesScoreCalculator(t *testing.T) {
	db := newEncryptedStore(t, 2)
	loadExampleTable(t, db)
	a := newApp(t, db)
	list, _ := db.List()
	id := list[0].ID

	a.ShowHousehold(id)
	a.Wait()
	d := openCalculator(t, a)
	a.form.saver.flush()
	a.Wait()
	before, _, _ := db.Get(id)
	a.form.onBack()
	a.Wait()
	if a.Screen() != "home" || a.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("after leaving: screen %s, dialog on top %q", a.Screen(), topDialogText(a))
	}
	d.onUse() // a tap that was on its way
	a.Wait()
	if rec, _, _ := db.Get(id); rec.Income.Kind != before.Income.Kind || rec.Income.Value != before.Income.Value {
		t.Fatalf("the calculator wrote into the household left: %+v, was %+v", rec.Income, before.Income)
	}

	// Closing the window
	a.ShowHousehold(id)
	a.Wait()
	openCalculator(t, a)
	closed := false
	a.Close(func() { closed = true })
	a.Wait()
	if !closed || a.form.score != nil || a.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("closing the window: closed %v, calculator still open %v", closed, a.form.score != nil)
	}

	// The idle lock, then the form shown again after the unlock
	a.ShowHousehold(id)
	a.Wait()
	f := a.form
	d = openCalculator(t, a)
	typed := f.amount.Text
	a.LockNow()
	a.Wait()
	if f.score != nil || a.Screen() != "unlock" {
		t.Fatalf("the idle lock left the calculator open: screen %s", a.Screen())
	}
	d.onUse()
	a.Wait()
	if f.amount.Text != typed {
		t.Fatalf("the calculator wrote into the form locked away: %q, was %q", f.amount.Text, typed)
	}
}

// TestInternetLoudspeakerMustBeAnswered: "Có thành viên sử dụng Internet?" and "Nghe được loa
// truyền thanh?" are Có/Không questions (questionnaire.md §E) with no answer chosen in a new
// household: each counts towards a deprivation, so one skipped is not "Không", and "complete"
// lists it. A stored record shows its answers, false as "Không"; the record format is unchanged
// (both always written, false until answered).
func TestInternetLoudspeakerMustBeAnswered(t *testing.T) {
	db := newStore(t, 2, demoWard())
	a := newApp(t, db)
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	f := a.form
	if f.internet.Selected != "" || f.loudspeaker.Selected != "" {
		t.Fatalf("a new household's answers: internet %q, loudspeaker %q; want none", f.internet.Selected, f.loudspeaker.Selected)
	}
	for _, k := range []string{"internet", "loudspeaker"} {
		if !strings.HasSuffix(f.qs[k].label.Text, " *") {
			t.Errorf("%s is not marked required: %q", k, f.qs[k].label.Text)
		}
	}
	f.openMember(-1)
	typeMembers(t, a)
	answerHousehold(a)
	f.internet.SetSelected("")
	f.loudspeaker.SetSelected("")
	a.Wait()
	f.onComplete()
	a.Wait()
	msg := topDialogText(a)
	for _, want := range []string{"Internet: chưa trả lời: chọn Có hoặc Không", "Loa truyền thanh: chưa trả lời: chọn Có hoặc Không"} {
		if !strings.Contains(msg, want) {
			t.Errorf("complete should list %q:\n%s", want, msg)
		}
	}
	if _, rev, _ := db.Get(f.rec.ID); rev.Status == store.StatusComplete {
		t.Fatal("completed with the questions unanswered")
	}
	if !strings.Contains(f.preview.pending.Text, "Tạm tính") {
		t.Errorf("the preview should say its result is provisional: %q", f.preview.pending.Text)
	}
	a.win.Canvas().Overlays().Top().Hide()
	f.internet.SetSelected("Không")
	f.loudspeaker.SetSelected("Có")
	a.Wait()
	f.onComplete()
	a.Wait()
	rec, rev, err := db.Get(f.rec.ID)
	if err != nil || rev.Status != store.StatusComplete || rec.Internet || !rec.Loudspeaker {
		t.Fatalf("answered: status %q, internet %v, loudspeaker %v (%v)", rev.Status, rec.Internet, rec.Loudspeaker, err)
	}

	// Opened again: the stored answers are shown, false as "Không".
	a.ShowHousehold(rec.ID)
	a.Wait()
	if a.form.internet.Selected != "Không" || a.form.loudspeaker.Selected != "Có" {
		t.Errorf("opened: internet %q, loudspeaker %q", a.form.internet.Selected, a.form.loudspeaker.Selected)
	}
	if len(a.form.bad) != 0 {
		t.Errorf("a stored record's answers count as answered: %v", a.form.bad)
	}
}

// TestIdleLockKeepsInternetUnanswered: the idle lock reopens the household from the store,
// which holds false for a question not answered yet; it comes back unanswered, not "Không".
func TestIdleLockKeepsInternetUnanswered(t *testing.T) {
	db := newEncryptedStore(t, 1)
	a := newApp(t, db)
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	typeInto(a, a.form.address, "Số 9")
	a.form.internet.SetSelected("Có")
	leave(a)
	a.LockNow()
	a.Wait()
	test.Type(entriesIn(a.win.Content())[0], uiPass)
	test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.button")))
	a.Wait()
	f := a.form
	if a.Screen() != "form" || f == nil || f.address.Text != "Số 9" {
		t.Fatalf("the household did not come back: screen %s", a.Screen())
	}
	if f.internet.Selected != "Có" || f.loudspeaker.Selected != "" || f.bad["loudspeaker"] == "" {
		t.Errorf("after the unlock: internet %q, loudspeaker %q; want Có and unanswered", f.internet.Selected, f.loudspeaker.Selected)
	}
}

// TestMemberKeysFromChoices: Escape ("Hủy (Esc)") and Enter ("Lưu (Enter)") work with the
// focus on a Có/Không question (where a refused save puts it), as on the other questions that
// are not typed into: a radio, a drop-down, a check box.
func TestMemberKeysFromChoices(t *testing.T) {
	a := newApp(t, newStore(t, 0, demoWard()))
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	f, c := a.form, a.win.Canvas()
	d := f.openMember(-1)
	typeInto(a, d.name, "Nguyễn Văn B")
	typeInto(a, d.birth, "1990")
	press(a, fyne.KeyReturn) // refused: the focus goes to "Có" of the first unanswered question
	if f.member != d || c.Focused() != firstFocusable(d.insurance) {
		t.Fatalf("a refused save should put the focus on the insurance question: %T", c.Focused())
	}
	space(a)
	press(a, fyne.KeyReturn) // Enter on the radio: refused again, on to the next unanswered one
	if f.member != d || c.Focused() != firstFocusable(d.able) {
		t.Fatalf("Enter on an answered Có/Không question should move to the next unanswered one: %T", c.Focused())
	}
	space(a)
	press(a, fyne.KeyReturn) // saved, and the next member's dialog opens
	a.Wait()
	if len(f.rec.Members) != 1 || f.member == nil || f.member == d {
		t.Fatalf("Enter on a Có/Không question did not save: %d members", len(f.rec.Members))
	}
	for name, o := range map[string]func(*memberDialog) fyne.Focusable{
		"insurance":  func(d *memberDialog) fyne.Focusable { return firstFocusable(d.insurance) },
		"sex":        func(d *memberDialog) fyne.Focusable { return firstFocusable(d.sex) },
		"relation":   func(d *memberDialog) fyne.Focusable { return d.relation },
		"in school":  func(d *memberDialog) fyne.Focusable { return d.inSchool },
		"employment": func(d *memberDialog) fyne.Focusable { return d.employment },
	} {
		if f.member == nil {
			f.openMember(0)
		}
		c.Focus(o(f.member))
		press(a, fyne.KeyEscape)
		if f.member != nil {
			t.Errorf("Escape on %s did not close the dialog", name)
			f.member.onCancel()
		}
	}
}

// TestChildCorrectedToAdultAsksYesNo: a child's stored insurance and able-to-work hold the
// questionnaire's defaults ("Có"), which nobody answered; when the birth is corrected to an
// adult's, both questions appear unanswered and the member is not saved until they are
// answered. Opening the child and leaving it unchanged is no change.
func TestChildCorrectedToAdultAsksYesNo(t *testing.T) {
	a := newApp(t, newStore(t, 0, demoWard()))
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	f := a.form
	d := f.openMember(-1)
	typeInto(a, d.name, "Nguyễn Thị Bé")
	typeInto(a, d.birth, "2023")
	d.onSave()
	a.Wait()
	if len(f.rec.Members) != 1 || !f.rec.Members[0].HealthInsurance || !f.rec.Members[0].AbleToWork {
		t.Fatalf("the child was not saved with the defaults: %+v", f.rec.Members)
	}
	d = f.openMember(0)
	if d.typed() {
		t.Error("a child opened and left unchanged counts as changed")
	}
	typeInto(a, d.birth, "1983")
	if d.insurance.Selected != "" || d.able.Selected != "" {
		t.Errorf("questions asked since the age changed show answers nobody gave: %q %q", d.insurance.Selected, d.able.Selected)
	}
	if got := d.unanswered(); len(got) != 2 {
		t.Errorf("unanswered %v, want both", got)
	}
	d.onSave()
	a.Wait()
	if f.member != d || f.rec.Members[0].BirthYear != 2023 {
		t.Fatal("the member was saved with its Có/Không questions unanswered")
	}
	d.insurance.SetSelected("Không")
	d.able.SetSelected("Có")
	d.onSave()
	a.Wait()
	if m := f.rec.Members[0]; f.member != nil || m.BirthYear != 1983 || m.HealthInsurance || !m.AbleToWork {
		t.Fatalf("answered: %+v", m)
	}
	// An adult's answers are kept when edited.
	d = f.openMember(0)
	if d.insurance.Selected != "Không" || d.able.Selected != "Có" {
		t.Errorf("editing an adult shows %q %q", d.insurance.Selected, d.able.Selected)
	}
}

// TestUSBHelpSaysReadThenWrite: the help beside "Xuất ra USB" says what the button does, in
// its order: the office's answers on the stick are read first, then the revisions written.
func TestUSBHelpSaysReadThenWrite(t *testing.T) {
	a := newApp(t, newStore(t, 1, demoWard()))
	a.ShowSync()
	a.Wait()
	body := allText(a.win.Content())
	help := lang.L("sync.export_help")
	read, write := strings.Index(help, "đọc"), strings.Index(help, "ghi vào USB")
	if !strings.Contains(body, help) || read < 0 || write < 0 || read > write {
		t.Errorf("the USB help should say it reads, then writes: %q", help)
	}
	for _, l := range []string{"vi", "en"} {
		if err := SetLanguage(l); err != nil {
			t.Fatal(err)
		}
		h := lang.L("sync.export_help")
		if l == "en" && strings.Index(h, "reads") > strings.Index(h, "writes") {
			t.Errorf("en: %q", h)
		}
	}
	if err := SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
}

// TestSpecWordsForSurveyor: the screens call the one who reviews a household "rà soát viên"
// and the laptop "máy rà soát" (questionnaire.md survey.surveyor), never "điều tra viên" or
// "máy điều tra"; the English says "surveyor" and "laptop".
func TestSpecWordsForSurveyor(t *testing.T) {
	for k, v := range readTranslations(t, "vi") {
		if s := fmt.Sprint(v); strings.Contains(strings.ToLower(s), "điều tra") {
			t.Errorf("vi %s: %q", k, s)
		}
	}
	for k, v := range readTranslations(t, "en") {
		if s := strings.ToLower(fmt.Sprint(v)); strings.Contains(s, "enumerator") || strings.Contains(s, "interviewer") {
			t.Errorf("en %s: %q", k, s)
		}
	}
}

// TestMemberOpenWarningInFull: when the form cannot be left because of the member being typed,
// the reason is shown whole, wrapped, in the member dialog: not cut off in the status line.
func TestMemberOpenWarningInFull(t *testing.T) {
	db := newStore(t, 1, demoWard())
	a := newApp(t, db)
	list, _ := db.List()
	a.ShowHousehold(list[0].ID)
	a.Wait()
	f := a.form
	d := f.openMember(-1)
	typeInto(a, d.name, "Vừ A Dính")
	closed := false
	a.Close(func() { closed = true })
	a.Wait()
	want := lang.L("form.member_open")
	if closed || !strings.HasSuffix(want, "trước khi rời phiếu") {
		t.Fatalf("closed %v; message %q", closed, want)
	}
	if !d.notice.Visible() || d.notice.Text != want || d.notice.Wrapping != fyne.TextWrapWord {
		t.Fatalf("the dialog should say, wrapped: %q; shows %q (visible %v)", want, d.notice.Text, d.notice.Visible())
	}
	if n := d.notice; n.Size().Height < n.MinSize().Height || n.Size().Width <= 0 || n.Position().Y+n.Size().Height > d.scroll.Position().Y+1 {
		t.Errorf("the notice is not laid out whole above the questions: at %v size %v (min %v), questions at %v",
			n.Position(), n.Size(), n.MinSize(), d.scroll.Position())
	}
	if strings.Contains(f.status.Text, "thành viên") {
		t.Errorf("the truncated status line still carries it: %q", f.status.Text)
	}
}
