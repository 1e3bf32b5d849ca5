package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	rsync "github.com/rasoat/rasoat/sync"
)

// TestDraftKeepsYesNoUnanswered: a draft left with Internet and loudspeaker unanswered is
// opened again with them unanswered, not as "Không" (its record can only hold false), so it
// still cannot be completed without them; answering them forgets the note. Meanwhile the
// preview says the deprivations they give are not answered yet instead of stating them.
func TestDraftKeepsYesNoUnanswered(t *testing.T) {
	db := newStore(t, 0, demoWard())
	a := newApp(t, db)
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	f := a.form
	f.openMember(-1)
	typeMembers(t, a)
	answerHousehold(a)
	f.internet.SetSelected("")
	f.loudspeaker.SetSelected("")
	a.Wait()
	txt := strings.ToLower(allText(a.win.Content()))
	for _, fact := range []string{"sử dụng dịch vụ internet", "không nghe được loa truyền thanh"} {
		if strings.Contains(txt, fact) {
			t.Errorf("the preview states an unanswered question as a fact: %q", fact)
		}
	}
	if !strings.Contains(txt, "chưa trả lời (câu hỏi có/không)") {
		t.Error("the preview does not say the deprivation waits for an answer")
	}
	id := f.rec.ID
	f.onBack()
	a.Wait()
	a.ShowHousehold(id)
	a.Wait()
	f = a.form
	if f.internet.Selected != "" || f.loudspeaker.Selected != "" || f.bad["internet"] == "" || f.bad["loudspeaker"] == "" {
		t.Fatalf("reopened draft: internet %q, loudspeaker %q (problems %v); want both unanswered",
			f.internet.Selected, f.loudspeaker.Selected, f.bad)
	}
	f.internet.SetSelected("Không")
	f.loudspeaker.SetSelected("Không")
	a.Wait()
	f.onBack()
	a.Wait()
	a.ShowHousehold(id)
	a.Wait()
	if f = a.form; f.internet.Selected != "Không" || f.loudspeaker.Selected != "Không" || len(f.bad) != 0 {
		t.Errorf("answered then reopened: internet %q, loudspeaker %q, problems %v", f.internet.Selected, f.loudspeaker.Selected, f.bad)
	}
}

// TestLoginWithEnter: the office login is done from the keyboard: Enter in the name moves to
// the password, Enter in the password logs in (as the button does).
func TestLoginWithEnter(t *testing.T) {
	db := newOfficeStore(t, 4)
	a, _ := newSyncApp(t, db, rsync.Options{})
	t.Cleanup(a.StopOffice)
	if err := db.AddUser("Trần Minh Đức", testPassword, ""); err != nil {
		t.Fatal(err)
	}
	ran := false
	a.showLogin(a.access(), func() { ran = true })
	a.Wait()
	es, _ := dialogWidgets(a)
	if len(es) != 2 {
		t.Fatalf("login entries: %d", len(es))
	}
	es[0].SetText("Trần Minh Đức")
	es[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if a.win.Canvas().Focused() != es[1] {
		t.Error("Enter in the name does not move to the password")
	}
	es[1].SetText(testPassword)
	es[1].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	a.Wait()
	if !ran || a.officeUser() != "Trần Minh Đức" {
		t.Errorf("Enter in the password: logged in %q, action run %v", a.officeUser(), ran)
	}
}
