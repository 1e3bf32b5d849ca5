package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/store"
)

func TestFirstRunSetup(t *testing.T) {
	db, err := store.Create(filepath.Join(t.TempDir(), "new.db"), store.Meta{}, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := newApp(t, db)
	if a.Screen() != "setup" {
		t.Fatalf("a new laptop should open on the setup, not %q", a.Screen())
	}
	s := a.setts
	if strings.Contains(allText(a.win.Content()), "chưa có trong bản này") {
		t.Error("the setup still says that enrollment is not in this version")
	}
	test.Tap(s.save)
	a.Wait()
	if a.Screen() != "setup" {
		t.Fatal("the setup must not finish with its questions unanswered")
	}
	for _, k := range []string{"ward", "area", "surveyor"} {
		if p := problemOf(s.qs[k]); !strings.Contains(p, "bắt buộc") {
			t.Errorf("%s: problem %q", k, p)
		}
	}
	typeInto(a, s.ward, "Phường Cốc Lếu")
	s.area.SetSelected("Thành thị (phường, thị trấn)")
	typeInto(a, s.surveyor, "Nguyễn Thị Lan")
	s.role.SetSelected("Máy của văn phòng phường")
	a.win.Canvas().Focus(s.surveyor)
	press(a, fyne.KeyReturn) // Enter in the last answer starts
	a.Wait()
	// setting up the office makes its first user
	if txt := topDialogText(a); !strings.Contains(txt, "Tạo người dùng đầu tiên của phường") {
		t.Fatalf("the office's set-up asks for its first user:\n%s", txt)
	}
	answerDialog(t, a, "Tạo và đăng nhập", "Nguyễn Thị Lan", testPassword, testPassword)
	if us, _ := db.ListUsers(); len(us) != 1 || us[0].Name != "Nguyễn Thị Lan" {
		t.Errorf("users after the set-up %+v", us)
	}
	if a.Screen() != officeDashboard { // the office's copy: its dashboard instead of the field home
		t.Fatalf("after the setup the office dashboard shows, not %q", a.Screen())
	}
	m, _ := db.Meta()
	if m.Ward != "Phường Cốc Lếu" || m.Area != "urban" || m.Surveyor != "Nguyễn Thị Lan" || m.Role != store.RoleOffice {
		t.Errorf("meta after setup: %+v", m)
	}
	if text := allText(a.win.Content()); !strings.Contains(text, "Văn phòng phường — Phường Cốc Lếu") {
		t.Errorf("office title:\n%s", text)
	}
}

func TestSettingsLanguageKeepsWhatIsTyped(t *testing.T) {
	defer SetLanguage("vi")
	a := newApp(t, newStore(t, 4, demoWard()))
	a.ShowSettings(false)
	s := a.setts
	typeInto(a, s.surveyor, "Trần Thị Hoa")
	s.language.SetSelected("English")
	a.Wait()
	if Lang() != "en" || a.setts == s {
		t.Fatalf("the screen should be rebuilt in English (lang %s)", Lang())
	}
	if a.setts.surveyor.Text != "Trần Thị Hoa" {
		t.Errorf("typed name lost on changing the language: %q", a.setts.surveyor.Text)
	}
	if got := a.fyne.Preferences().String(PrefLanguage); got != "en" {
		t.Errorf("language preference %q", got)
	}
	if !strings.Contains(allText(a.win.Content()), "Poverty standards and legal sources") {
		t.Error("settings not in English")
	}
	if !strings.Contains(allText(a.win.Content()), "07/2021/NĐ-CP") {
		t.Error("the about section should name the legal sources")
	}
}
