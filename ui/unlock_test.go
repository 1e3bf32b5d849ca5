package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/seal"
	"github.com/rasoat/rasoat/store"
)

var fastKDF = &seal.Params{Time: 1, Memory: 64, Threads: 1}

const uiPass = "mật khẩu của Hiến"

// newEncryptedStore is newStore with encryption at rest (small Argon2 costs).
func newEncryptedStore(t *testing.T, n int) *store.Store {
	t.Helper()
	db := newStore(t, n, demoWard())
	if err := db.EnableEncryption(uiPass); err != nil {
		t.Fatal(err)
	}
	return db
}

// entriesIn are the entries under o, in order.
func entriesIn(o fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	walkObjects(o, func(x fyne.CanvasObject) {
		if e, ok := x.(*widget.Entry); ok {
			out = append(out, e)
		}
	})
	return out
}

// labelWith is the visible label under o with that text.
func labelWith(t *testing.T, o fyne.CanvasObject, text string) *widget.Label {
	t.Helper()
	var found *widget.Label
	walkObjects(o, func(x fyne.CanvasObject) {
		if l, ok := x.(*widget.Label); ok && l.Visible() && l.Text == text && found == nil {
			found = l
		}
	})
	if found == nil {
		t.Fatalf("no label %q", text)
	}
	return found
}

// buttonIn is the button with this text under o.
func buttonIn(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, x := range c.Objects {
				walk(x)
			}
		case fyne.Widget:
			if _, ok := c.(*widget.Button); !ok {
				for _, x := range test.WidgetRenderer(c).Objects() {
					walk(x)
				}
			}
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no button %q in\n%s", text, allText(o))
	}
	return found
}

// TestIdleLockAndUnlock: after the idle delay the typing under way is saved and the unlock
// screen shows no household; a wrong passphrase is refused with a clear message and no data;
// the right one brings the form back with what was typed.
func TestIdleLockAndUnlock(t *testing.T) {
	db := newEncryptedStore(t, 5)
	a := newApp(t, db)
	list, err := db.List()
	if err != nil || len(list) == 0 {
		t.Fatal(err)
	}
	h := list[0]
	a.ShowHousehold(h.ID)
	a.Wait()
	a.win.Canvas().Focus(a.form.floor)
	a.form.floor.SetText("")
	test.Type(a.form.floor, "37")

	a.checkIdle(time.Now().Add(5 * time.Minute)) // not yet
	a.Wait()
	if a.Screen() != "form" {
		t.Fatalf("locked too early: %s", a.Screen())
	}
	a.checkIdle(time.Now().Add(time.Duration(DefaultIdleLock)*time.Minute + time.Second))
	a.Wait()
	if a.Screen() != "unlock" || !db.Locked() {
		t.Fatalf("screen %s, locked %v", a.Screen(), db.Locked())
	}
	shown := allText(a.win.Content())
	if strings.Contains(shown, h.HeadName) || !strings.Contains(shown, lang.L("unlock.title")) {
		t.Errorf("the unlock screen shows:\n%s", shown)
	}
	if _, err := db.List(); err == nil {
		t.Error("the data can be read while locked")
	}

	pass := entriesIn(a.win.Content())[0]
	test.Type(pass, "không phải mật khẩu")
	test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.button")))
	a.Wait()
	if a.Screen() != "unlock" || !db.Locked() || !strings.Contains(allText(a.win.Content()), lang.L("unlock.wrong")) {
		t.Fatalf("wrong passphrase: screen %s, locked %v\n%s", a.Screen(), db.Locked(), allText(a.win.Content()))
	}
	test.Type(pass, uiPass)
	test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.button")))
	a.Wait()
	if a.Screen() != "form" || a.form == nil || a.form.rec.ID != h.ID {
		t.Fatalf("after unlock: screen %s", a.Screen())
	}
	rec, _, err := db.Get(h.ID)
	if err != nil || rec.Housing.FloorAreaM2 != 37 {
		t.Errorf("the typing under way was not saved before the lock: %v %v", rec.Housing.FloorAreaM2, err)
	}
}

// TestSettingsEncryptAndChangePassphrase: "Mã hóa dữ liệu trên máy này" encrypts a plaintext
// database from the settings; "Đổi mật khẩu" refuses a wrong current passphrase and a
// mismatch, then re-wraps the key.
func TestSettingsEncryptAndChangePassphrase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rasoat.db")
	db, err := store.Create(path, store.Meta{Role: store.RoleField, Ward: demoWard().Name, Area: demoWard().Area,
		Surveyor: "Lê Văn Hiến", DeviceName: "test"}, store.Options{NoSync: true, KDF: fastKDF})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := newApp(t, db)
	a.ShowSettings(false)
	a.Wait()
	test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.enable")))
	dlg := a.win.Canvas().Overlays().Top()
	es := entriesIn(dlg)
	if len(es) != 2 {
		t.Fatalf("%d entries in the dialog", len(es))
	}
	test.Type(es[0], "abc")
	test.Type(es[1], "abc")
	test.Tap(buttonIn(t, dlg, lang.L("unlock.enable")))
	a.Wait()
	if db.Encrypted() || !strings.Contains(allText(dlg), lang.L("unlock.too_short", map[string]any{"N": seal.MinPassphrase})) {
		t.Fatalf("a short passphrase: encrypted %v", db.Encrypted())
	}
	// the problem is under the entries, not drawn over the first label
	if p := labelWith(t, dlg, lang.L("unlock.too_short", map[string]any{"N": seal.MinPassphrase})); p.Position().Y <= es[1].Position().Y {
		t.Errorf("the problem is at y=%v, above the second entry at y=%v", p.Position().Y, es[1].Position().Y)
	}
	es[0].SetText(uiPass)
	es[1].SetText(uiPass)
	test.Tap(buttonIn(t, dlg, lang.L("unlock.enable")))
	a.Wait()
	if !db.Encrypted() {
		t.Fatal("not encrypted")
	}
	for _, o := range a.win.Canvas().Overlays().List() {
		a.win.Canvas().Overlays().Remove(o)
	}

	test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.change")))
	dlg = a.win.Canvas().Overlays().Top()
	es = entriesIn(dlg)
	if len(es) != 3 {
		t.Fatalf("%d entries in the change dialog", len(es))
	}
	es[0].SetText("sai mật khẩu rồi")
	es[1].SetText("mật khẩu mới 2026")
	es[2].SetText("mật khẩu mới 2026")
	test.Tap(buttonIn(t, dlg, lang.L("unlock.change")))
	a.Wait()
	if !strings.Contains(allText(dlg), lang.L("unlock.wrong_old")) {
		t.Errorf("wrong current passphrase not said:\n%s", allText(dlg))
	}
	es[0].SetText(uiPass)
	es[2].SetText("khác")
	test.Tap(buttonIn(t, dlg, lang.L("unlock.change")))
	a.Wait()
	if !strings.Contains(allText(dlg), lang.L("unlock.mismatch")) {
		t.Errorf("mismatch not said:\n%s", allText(dlg))
	}
	es[2].SetText("mật khẩu mới 2026")
	test.Tap(buttonIn(t, dlg, lang.L("unlock.change")))
	a.Wait()
	db.Lock()
	if err := db.Unlock(uiPass); err == nil {
		t.Error("the old passphrase still unlocks")
	}
	if err := db.Unlock("mật khẩu mới 2026"); err != nil {
		t.Error(err)
	}
}

// TestStartUnlock: the unlock screen at start, before the app exists, in English.
func TestStartUnlock(t *testing.T) {
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { SetLanguage("vi") })
	db := newEncryptedStore(t, 2)
	m, _ := db.Meta()
	w := test.NewTempApp(t).NewWindow("")
	opened := false
	forgot := false
	StartUnlock(w, m, nil, db.Unlock, func() { opened = true }, func() { forgot = true })
	text := allText(w.Content())
	for _, want := range []string{"Unlock the data", "Forgot the passphrase?", m.Ward} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	test.Tap(buttonIn(t, w.Content(), "Forgot the passphrase?"))
	if !forgot || opened {
		t.Errorf("forgot %v opened %v", forgot, opened)
	}
}

// TestIdleLockKeepsMemberTyping: a member typed in its dialog is put into the household when
// it has a name and a birth, else its dialog comes back filled after the unlock.
func TestIdleLockKeepsMemberTyping(t *testing.T) {
	db := newEncryptedStore(t, 3)
	a := newApp(t, db)
	list, _ := db.List()
	h := list[0]
	a.ShowHousehold(h.ID)
	a.Wait()
	before := len(a.form.rec.Members)

	d := a.form.openMember(-1)
	typeInto(a, d.name, "Vừ Thị Mỷ")
	typeInto(a, d.birth, "2019")
	d.insurance.SetSelected("Có") // at 7 the only Có/Không question asked
	a.LockNow()
	a.Wait()
	if a.Screen() != "unlock" {
		t.Fatalf("screen %s", a.Screen())
	}
	test.Type(entriesIn(a.win.Content())[0], uiPass)
	test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.button")))
	a.Wait()
	rec, _, err := db.Get(h.ID)
	if err != nil || len(rec.Members) != before+1 || rec.Members[before].Name != "Vừ Thị Mỷ" {
		t.Fatalf("the member typed was not saved: %v", err)
	}

	d = a.form.openMember(-1)
	typeInto(a, d.name, "Chưa có năm sinh")
	a.LockNow()
	a.Wait()
	test.Type(entriesIn(a.win.Content())[0], uiPass)
	test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.button")))
	a.Wait()
	if a.Screen() != "form" || a.form.member == nil || a.form.member.name.Text != "Chưa có năm sinh" {
		t.Fatalf("the member dialog did not come back with its typing: screen %s", a.Screen())
	}

	// A member whose Có/Không questions are not all answered comes back as typed: one answer
	// given, the other still unanswered (not turned into "Không").
	a.form.member.onCancel()
	d = a.form.openMember(-1)
	typeInto(a, d.name, "Vừ A Dính")
	typeInto(a, d.birth, "1990")
	d.able.SetSelected("Có")
	a.LockNow()
	a.Wait()
	test.Type(entriesIn(a.win.Content())[0], uiPass)
	test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.button")))
	a.Wait()
	d = a.form.member
	if d == nil || d.name.Text != "Vừ A Dính" || d.birth.Text != "1990" || d.able.Selected != "Có" || d.insurance.Selected != "" {
		t.Fatalf("the member dialog did not come back as typed: %v", d != nil)
	}
}

// TestOfficeIdleLock: the office copy locks and unlocks the same way, back on its screens.
func TestOfficeIdleLock(t *testing.T) {
	db := newEncryptedStore(t, 4)
	if err := db.UpdateMeta(func(m *store.Meta) { m.Role = store.RoleOffice }); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, db)
	office := a.Screen()
	a.LockNow()
	a.Wait()
	if a.Screen() != "unlock" || !db.Locked() {
		t.Fatalf("screen %s locked %v", a.Screen(), db.Locked())
	}
	test.Type(entriesIn(a.win.Content())[0], uiPass)
	test.Tap(buttonIn(t, a.win.Content(), lang.L("unlock.button")))
	a.Wait()
	if a.Screen() != office || db.Locked() {
		t.Errorf("after unlock: screen %s (was %s), locked %v", a.Screen(), office, db.Locked())
	}
}
