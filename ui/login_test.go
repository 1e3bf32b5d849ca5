package ui

import (
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/seal"
	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

func init() {
	store.PasswordParams = seal.Params{Time: 1, Memory: 64, Threads: 1} // cheap hashes in tests
}

const testPassword = "mật khẩu phường"

// dialogWidgets are the entries and buttons of the dialog on top, in order.
func dialogWidgets(a *App) (entries []*widget.Entry, buttons []*widget.Button) {
	top := a.win.Canvas().Overlays().Top()
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Entry:
			entries = append(entries, w)
			return
		case *widget.Button:
			buttons = append(buttons, w)
			return
		}
		switch c := o.(type) {
		case *fyne.Container:
			for _, x := range c.Objects {
				walk(x)
			}
		case fyne.Widget:
			for _, x := range test.WidgetRenderer(c).Objects() {
				walk(x)
			}
		}
	}
	if top != nil {
		walk(top)
	}
	return
}

// answerDialog fills the entries of the dialog on top and taps its button labelled button.
func answerDialog(t *testing.T, a *App, button string, values ...string) {
	t.Helper()
	es, bs := dialogWidgets(a)
	if len(es) < len(values) {
		t.Fatalf("the dialog has %d entries, %d values:\n%s", len(es), len(values), topDialogText(a))
	}
	for i, v := range values {
		es[i].SetText(v)
	}
	for _, b := range bs {
		if b.Text == button {
			test.Tap(b)
			a.Wait()
			return
		}
	}
	t.Fatalf("no button %q in:\n%s", button, topDialogText(a))
}

// logIn makes an office user named like the database's user and logs them in, as the office
// tests' set-up.
func logIn(t testing.TB, a *App, db *store.Store) {
	t.Helper()
	m, _ := db.Meta()
	if err := db.AddUser(m.Surveyor, testPassword, ""); err != nil {
		t.Fatal(err)
	}
	a.loggedIn(m.Surveyor)
}

// TestOfficeActionsNeedLogin: approving asks for the first user on a new office, then for a
// login; a wrong password is refused; the user is the author and the log has it all.
func TestOfficeActionsNeedLogin(t *testing.T) {
	db := newOfficeStore(t, 4)
	a, _ := newSyncApp(t, db, rsync.Options{})
	t.Cleanup(a.StopOffice)
	a.ShowOffice(officeReview)
	a.Wait()
	r := a.office.page.(*reviewScreen)
	first := r.chosen
	test.Tap(r.approveBtn)
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Tạo người dùng đầu tiên của phường") {
		t.Fatalf("first approval asks for the first user:\n%s", txt)
	}
	answerDialog(t, a, "Tạo và đăng nhập", "Trần Minh Đức", testPassword, testPassword)
	if _, rev, _ := db.Get(first); rev.Status != store.StatusApproved || rev.Author != "Trần Minh Đức" {
		t.Errorf("approved %q by %q", rev.Status, rev.Author)
	}
	// another run of the app: a login, a wrong password first
	a.office.user = ""
	test.Tap(r.approveBtn)
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Đăng nhập cán bộ phường") {
		t.Fatalf("login dialog:\n%s", txt)
	}
	answerDialog(t, a, "Đăng nhập", "Trần Minh Đức", "sai mật khẩu")
	if txt := topDialogText(a); !strings.Contains(txt, "Sai tên người dùng hoặc mật khẩu") {
		t.Errorf("a wrong password:\n%s", txt)
	}
	if a.officeUser() != "" {
		t.Fatal("logged in with a wrong password")
	}
	second := r.chosen
	test.Tap(r.approveBtn)
	a.Wait()
	answerDialog(t, a, "Đăng nhập", "Trần Minh Đức", testPassword)
	if _, rev, _ := db.Get(second); rev.Status != store.StatusApproved || rev.Author != "Trần Minh Đức" {
		t.Errorf("second approval %q by %q", rev.Status, rev.Author)
	}
	// the household's log, from the review screen's button
	r.chosen = first
	for i, row := range r.all {
		if row.ID == first {
			r.detail.Row = r.all[i]
		}
	}
	test.Tap(r.auditBtn)
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Nhật ký thay đổi") || !strings.Contains(txt, "Duyệt / trả lại") ||
		!strings.Contains(txt, "Trần Minh Đức") {
		t.Errorf("the household's log:\n%s", txt)
	}
	log, _ := db.AuditLog()
	var acts []string
	for _, e := range log {
		acts = append(acts, e.Action+":"+e.Detail)
	}
	for _, want := range []string{"user:add Trần Minh Đức", "login:ok", "login:failed", "review:approved"} {
		if !slices.Contains(acts, want) {
			t.Errorf("log lacks %s: %v", want, acts)
		}
	}
	a.ShowOffice(officeDashboard)
	a.Wait()
	if !strings.Contains(allText(a.win.Content()), "Trần Minh Đức") {
		t.Error("the office's title bar does not name the user")
	}
	// the whole log, from the title bar
	var full *widget.Button
	var find func(o fyne.CanvasObject)
	find = func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Nhật ký chung" {
			full = b
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, x := range c.Objects {
				find(x)
			}
		}
	}
	find(a.win.Content())
	if full == nil {
		t.Fatal("no full log button in the office's title bar")
	}
	test.Tap(full)
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Nhật ký thay đổi của cơ sở dữ liệu") || !strings.Contains(txt, "Đăng nhập") {
		t.Errorf("the whole log:\n%s", txt)
	}
}

// TestFieldHasNoOfficeScreens: a field laptop asked for an office screen shows its home.
func TestFieldHasNoOfficeScreens(t *testing.T) {
	a := newApp(t, newStore(t, 3, demoWard()))
	a.ShowOffice(officeReview)
	a.Wait()
	if strings.HasPrefix(a.Screen(), "office.") {
		t.Errorf("a field laptop shows %s", a.Screen())
	}
}

// TestDailyBackupAtOfficeStart: opening the office makes the day's copy in the folder set.
func TestDailyBackupAtOfficeStart(t *testing.T) {
	db := newOfficeStore(t, 3)
	dir := t.TempDir()
	if err := db.SetSetting(store.SettingBackupDir, dir, "test"); err != nil {
		t.Fatal(err)
	}
	a, _ := newOfficeApp(t, db)
	a.ShowOffice(officeLists)
	a.Wait()
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 || ents[0].Name() != store.DailyBackupName(testNow) {
		t.Errorf("backups %v", ents)
	}
}
