package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

var codePattern = regexp.MustCompile(`\b\d{4}-\d{4}-\d{4}\b`)

// TestEnrollmentEndToEnd enrolls a laptop from the settings: the request is written to the
// stick with the code shown big, the office approves it, the package is installed and the
// settings show the office, the ward it sets and that LAN sync is possible.
func TestEnrollmentEndToEnd(t *testing.T) {
	off := newOffice(t, "Phường Kim Tân")
	db := newStore(t, 2, demoWard())
	a, ans := newSyncApp(t, db, rsync.Options{})
	shortcut(a, fyne.KeyComma)
	a.Wait()
	p := a.setts.enroll
	if a.Screen() != "settings" || !p.section.Visible() || p.state.Text != "Chưa đăng ký với văn phòng phường." {
		t.Fatalf("settings (%q): enrollment state %q", a.Screen(), p.state.Text)
	}

	stick := t.TempDir()
	ans.dir = stick
	test.Tap(p.request)
	a.Wait()
	files, _ := filepath.Glob(filepath.Join(stick, "rasoat-enroll-request-test-*.json"))
	if len(files) != 1 {
		t.Fatalf("request files on the stick: %v", files)
	}
	shown := topDialogText(a)
	code := codePattern.FindString(shown)
	if code == "" || !strings.Contains(shown, "Mã đăng ký") || !strings.Contains(shown, files[0]) {
		t.Fatalf("the code dialog:\n%s", shown)
	}
	if !strings.Contains(p.state.Text, "Đang chờ gói đăng ký của văn phòng") || !strings.Contains(p.state.Text, code) {
		t.Errorf("waiting state %q", p.state.Text)
	}
	space(a) // the dialog's button has the focus
	if a.win.Canvas().Overlays().Top() != nil {
		t.Error("Space should close the code dialog")
	}

	// The office approves the request with the code read out, and hands back the package, with
	// the score table the office has loaded.
	example, err := os.ReadFile("../poverty/testdata/score-table-example.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := off.st.LoadScoreTable(example, "cán bộ"); err != nil {
		t.Fatal(err)
	}
	req, _ := os.ReadFile(files[0])
	pkg, dev, err := off.n.Approve(req, code, "192.0.2.10:8443")
	if err != nil {
		t.Fatal(err)
	}
	if dev.Surveyor != "Lê Văn Hiến" || dev.Name != "test" {
		t.Errorf("the office enrolled %+v", dev)
	}
	ans.path = filepath.Join(stick, "rasoat-enroll-package.json")
	if err := os.WriteFile(ans.path, pkg, 0o600); err != nil {
		t.Fatal(err)
	}
	// Another screen in between: the code is still there to read out.
	a.ShowHome()
	a.Wait()
	a.ShowSettings(false)
	a.Wait()
	p = a.setts.enroll
	if !strings.Contains(p.state.Text, code) {
		t.Errorf("the code should stay until the package is in: %q", p.state.Text)
	}
	test.Tap(p.install)
	a.Wait()
	shown = topDialogText(a)
	for _, want := range []string{"Đã đăng ký với văn phòng phường", "văn phòng Phường Kim Tân", "192.0.2.10:8443", "Đồng bộ với văn phòng"} {
		if !strings.Contains(shown, want) {
			t.Errorf("the installed dialog should say %q:\n%s", want, shown)
		}
	}
	if !strings.HasPrefix(p.state.Text, "Đã đăng ký với văn phòng Phường Kim Tân từ ") || !strings.Contains(p.state.Text, "Đồng bộ qua mạng được") {
		t.Errorf("enrolled state %q", p.state.Text)
	}
	if a.setts.ward.Text != "Phường Kim Tân" || a.meta.Ward != "Phường Kim Tân" || mustMeta(t, db).Ward != "Phường Kim Tân" {
		t.Errorf("the package sets the ward: entry %q, meta %q", a.setts.ward.Text, a.meta.Ward)
	}
	if a.scoreTable == nil || !a.scoreTable.IsExample() {
		t.Errorf("the app does not use the score table of the package: %v", a.scoreTable)
	}
	// The settings shown say so at once, as the office's table, not "none loaded".
	if sc := a.setts.score; !strings.Contains(sc.text.Text, "Đang dùng: VÍ DỤ") || !sc.office.Visible() || sc.buttons.Visible() {
		t.Errorf("the settings' score table after the package: %q (from the office shown %v)", sc.text.Text, sc.office.Visible())
	}
	a.ShowSync()
	a.Wait()
	if a.syncScr.lan.Disabled() || a.syncScr.export.Disabled() {
		t.Error("enrolled with an address: both ways of syncing are offered")
	}
}

// TestEnrollFromSetupSavesFirst: on the first run the request carries the surveyor's name
// and ward, so they are asked for (and saved) before the folder.
func TestEnrollFromSetupSavesFirst(t *testing.T) {
	db, err := store.Create(filepath.Join(t.TempDir(), "new.db"), store.Meta{DeviceName: "Laptop tổ 3"}, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, ans := newSyncApp(t, db, rsync.Options{})
	s := a.setts
	if a.Screen() != "setup" || !s.enroll.section.Visible() {
		t.Fatalf("the setup offers the enrollment: %q", a.Screen())
	}
	ans.dir = t.TempDir()
	test.Tap(s.enroll.request)
	a.Wait()
	if len(ans.asked) != 0 || problemOf(s.qs["surveyor"]) == "" {
		t.Fatal("the request needs the questions answered first")
	}
	typeInto(a, s.ward, "Phường Cốc Lếu")
	s.area.SetSelected("Thành thị (phường, thị trấn)")
	typeInto(a, s.surveyor, "Nguyễn Thị Lan")
	test.Tap(s.enroll.request)
	a.Wait()
	m := mustMeta(t, db)
	if len(ans.asked) != 1 || m.Surveyor != "Nguyễn Thị Lan" || a.Screen() != "setup" {
		t.Fatalf("asked %v; saved %+v; screen %q", ans.asked, m, a.Screen())
	}
	files, _ := filepath.Glob(filepath.Join(ans.dir, "rasoat-enroll-request-laptop_to_3-*.json"))
	if len(files) != 1 || codePattern.FindString(topDialogText(a)) == "" {
		t.Fatalf("request %v; dialog:\n%s", files, topDialogText(a))
	}
	r, code, err := rsync.ParseRequest(mustRead(t, files[0]))
	if err != nil || r.Surveyor != "Nguyễn Thị Lan" || r.Ward != "Phường Cốc Lếu" || !strings.Contains(topDialogText(a), code) {
		t.Errorf("the request carries what was typed: %+v (%v); code %s", r, err, code)
	}
	s.role.SetSelected("Máy của văn phòng phường")
	if s.enroll.section.Visible() {
		t.Error("the ward office's computer does not enroll")
	}
}

// TestEnrollLoaders checks the enrollment's view model and words without a window.
func TestEnrollLoaders(t *testing.T) {
	off := newOffice(t, "Phường Kim Tân")
	db := newStore(t, 0, demoWard())
	n, _ := rsync.New(db, rsync.Options{})
	if v, err := loadEnroll(n); err != nil || v.Enrolled {
		t.Fatalf("before: %+v %v", v, err)
	}
	if got := enrollStateText(enrollView{}, enrollRequest{}); got != "Chưa đăng ký với văn phòng phường." {
		t.Errorf("none: %q", got)
	}
	req := enrollRequest{Code: "1234-5678-9012", File: "/media/usb/x.json", Time: testNow}
	if got := enrollStateText(enrollView{}, req); !strings.Contains(got, "10:00 25/11/2026 vào /media/usb/x.json; mã đăng ký: 1234-5678-9012") {
		t.Errorf("waiting: %q", got)
	}
	// A file that is not a package is refused and changes nothing.
	bad := filepath.Join(t.TempDir(), "x.json")
	os.WriteFile(bad, []byte(`{"request": {}}`), 0o600)
	if _, _, err := installPackage(n, db, bad); err == nil || !strings.Contains(store.Message(err, "vi"), "Tệp đăng ký không hợp lệ") {
		t.Errorf("not a package: %v", err)
	}
	off.enroll(t, db, "")
	v, err := loadEnroll(n)
	if err != nil || !v.Enrolled || v.Ward != "Phường Kim Tân" || v.Since.IsZero() {
		t.Fatalf("after: %+v %v", v, err)
	}
	if got := enrollStateText(v, req); !strings.Contains(got, "Đồng bộ bằng USB") {
		t.Errorf("enrolled without an address: %q", got)
	}
	if got := requestFileName(store.Meta{DeviceName: "Máy tổ 3/ấp 2", DeviceID: "0123456789abcdef"}); got != "rasoat-enroll-request-may_to_3_ap_2-01234567.json" {
		t.Errorf("file name %q", got)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
