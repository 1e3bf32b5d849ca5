package ui

import (
	"strings"
	"testing"

	"github.com/rasoat/rasoat/household"
)

// The tests of this file come from a review of the field app (what a surveyor uses door to
// door); each failed before its fix.

// TestMemberYesNoMustBeAnswered: an adult's "valid health insurance card?" and "able to work?"
// are Có/Không questions with no answer chosen; an unanswered one is not "Không", so the member
// is not saved until both are answered. A child's unasked questions keep the questionnaire's
// defaults without being answered.
func TestMemberYesNoMustBeAnswered(t *testing.T) {
	a := newApp(t, newStore(t, 0, demoWard()))
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	f := a.form
	d := f.openMember(-1)
	if d.insurance.Selected != "" || d.able.Selected != "" {
		t.Fatalf("a new member's Có/Không questions should start unanswered: %q %q", d.insurance.Selected, d.able.Selected)
	}
	typeInto(a, d.name, "Nguyễn Văn B")
	typeInto(a, d.birth, "1980")
	d.onSave()
	a.Wait()
	if len(f.rec.Members) != 0 || f.member != d {
		t.Fatalf("a member with unanswered Có/Không questions was saved: %+v", f.rec.Members)
	}
	for _, k := range yesNoFields {
		if p := d.qs[k].problem; !p.Visible() || !strings.Contains(p.Text, "Có hoặc Không") {
			t.Errorf("%s: the problem should ask for an answer, got %q", k, p.Text)
		}
	}
	d.insurance.SetSelected("Không")
	d.able.SetSelected("Có")
	d.onSave()
	a.Wait()
	if len(f.rec.Members) != 1 {
		t.Fatal("the answered member was not saved")
	}
	if m := f.rec.Members[0]; m.HealthInsurance || !m.AbleToWork {
		t.Errorf("stored insurance %v, able %v; want false, true", m.HealthInsurance, m.AbleToWork)
	}
	// Editing keeps the answers given.
	d = f.openMember(0)
	if d.insurance.Selected != "Không" || d.able.Selected != "Có" {
		t.Errorf("editing shows %q %q", d.insurance.Selected, d.able.Selected)
	}
	d.onCancel()

	d = f.openMember(-1)
	typeInto(a, d.name, "Nguyễn Thị Bé")
	typeInto(a, d.birth, "2023")
	d.onSave()
	a.Wait()
	if len(f.rec.Members) != 2 {
		t.Fatal("a child of 3, whose Có/Không questions are not asked, should be saved")
	}
	if m := f.rec.Members[1]; !m.HealthInsurance || !m.AbleToWork {
		t.Errorf("a child's defaults: insurance %v, able %v; want true, true (household.FillUnasked)", m.HealthInsurance, m.AbleToWork)
	}
	_ = household.Schema
}
