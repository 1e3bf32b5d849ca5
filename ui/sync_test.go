package ui

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

// office is the ward office's database and its sync node, in a temporary folder.
type office struct {
	st *store.Store
	n  *rsync.Node
}

// newOffice sets up a ward office (its keys, ward id and certificate) named ward.
func newOffice(t testing.TB, ward string) *office {
	t.Helper()
	path := filepath.Join(t.TempDir(), "office.db")
	st, err := store.Create(path, store.Meta{Role: store.RoleOffice, Ward: ward, Area: "urban",
		Surveyor: "Cán bộ văn phòng", DeviceName: "office"}, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	n, err := rsync.New(st, rsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.SetupOffice(); err != nil {
		t.Fatal(err)
	}
	return &office{st: st, n: n}
}

// enroll enrolls a laptop's database with the office, as rasoatctl would: request, code,
// approval, package. addr is the office's server ("" for USB only).
func (o *office) enroll(t testing.TB, laptop *store.Store, addr string) {
	t.Helper()
	n, err := rsync.New(laptop, rsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	req, code, err := n.EnrollRequest()
	if err != nil {
		t.Fatal(err)
	}
	pkg, _, err := o.n.Approve(req, code, addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.InstallPackage(pkg); err != nil {
		t.Fatal(err)
	}
}

// serve runs the office's sync server on a loopback port until the test ends and returns its
// host:port.
func (o *office) serve(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- o.n.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("the office's server did not stop")
		}
	})
	return ln.Addr().String()
}

// newSyncApp starts the app over a laptop's database with its real sync node; the folder and
// file dialogs are answered by the test.
func newSyncApp(t testing.TB, db *store.Store, o rsync.Options) (*App, *answers) {
	t.Helper()
	fa := test.NewTempApp(t)
	w := fa.NewWindow("")
	w.Resize(fyne.NewSize(1280, 800))
	a := New(fa, w, db, Options{Now: func() time.Time { return testNow },
		Sync: func() (Syncer, error) { return rsync.New(db, o) }})
	q := &uiQueue{}
	a.post = q.add
	queues.Store(a, q)
	ans := &answers{}
	a.choose = ans
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	a.Wait()
	return a, ans
}

// answers answers the folder and file dialogs in the user's place; "" is Cancel.
type answers struct {
	dir, path string
	asked     []string // the dialogs' titles
}

func (c *answers) folder(title, _ string, done func(string)) {
	c.asked = append(c.asked, title)
	if c.dir != "" {
		done(c.dir)
	}
}

func (c *answers) file(title, _ string, _ []string, done func(string)) {
	c.asked = append(c.asked, title)
	if c.path != "" {
		done(c.path)
	}
}

func visibleText(objs ...fyne.CanvasObject) string {
	var b strings.Builder
	for _, o := range objs {
		if o.Visible() {
			b.WriteString(allText(o))
		}
	}
	return b.String()
}

// TestSyncScreenUSBRoundTrip: the laptop exports to a stick from the sync screen, the office
// imports it and returns a household with a comment, and the laptop's next export reads the
// office's answer from the same stick: the household arrives returned, with the comment, on
// the home screen.
func TestSyncScreenUSBRoundTrip(t *testing.T) {
	off := newOffice(t, demo.DefaultWard.Name)
	db := newStore(t, 8, demoWard())
	off.enroll(t, db, "")
	a, ans := newSyncApp(t, db, rsync.Options{})
	h := a.home
	if got := h.syncLine.Text; !strings.Contains(got, "8 phiên bản chưa gửi văn phòng") || !strings.Contains(got, "Đồng bộ lần cuối: chưa lần nào") {
		t.Errorf("home's sync line: %q", got)
	}
	shortcut(a, fyne.KeyD)
	a.Wait()
	if a.Screen() != "sync" {
		t.Fatalf("Ctrl+D on home should open the sync screen, not %q", a.Screen())
	}
	s := a.syncScr
	if s.pending.Text != "8 phiên bản chưa gửi văn phòng" || s.export.Disabled() || !s.lan.Disabled() {
		t.Errorf("pending %q; export disabled %v; LAN disabled %v (the package names no server)", s.pending.Text, s.export.Disabled(), s.lan.Disabled())
	}

	stick := t.TempDir()
	ans.dir = stick
	test.Tap(s.export)
	a.Wait()
	text := visibleText(s.status, s.result, s.problems)
	for _, want := range []string{"Đã xuất ra USB lúc", "Đã ghi 8 phiên bản cho văn phòng vào " + stick, "Trên USB chưa có tệp trả lời của văn phòng", "Còn 8 phiên bản văn phòng chưa xác nhận"} {
		if !strings.Contains(text, want) {
			t.Errorf("after the first export, missing %q in:\n%s", want, text)
		}
	}

	res, err := off.n.ImportFrom(stick)
	if err != nil || len(res.Refused) > 0 || res.Added != 8 {
		t.Fatalf("office import: %+v %v", res, err)
	}
	mine, _ := db.List()
	theirs, _ := off.st.List()
	if len(theirs) != len(mine) || theirs[0].ID != mine[0].ID {
		t.Fatalf("the office has %d households, the laptop %d", len(theirs), len(mine))
	}
	const comment = "Kiểm tra lại diện tích nhà ở"
	returned := mine[3]
	if _, err := off.st.SetReview(returned.ID, store.StatusReturned, comment, "Văn phòng"); err != nil {
		t.Fatal(err)
	}
	if _, err := off.n.ExportTo(stick); err != nil {
		t.Fatal(err)
	}

	shortcut(a, fyne.KeyU) // the same stick, back from the office
	a.Wait()
	text = visibleText(s.status, s.result, s.problems)
	for _, want := range []string{"Đã đọc trả lời của văn phòng: 1 phiên bản mới.", "Văn phòng đã xác nhận nhận đủ mọi phiên bản của máy này.", "Văn phòng trả lại 1 hộ để sửa",
		"không cần mang USB đến văn phòng"} {
		if !strings.Contains(text, want) {
			t.Errorf("after the office's answer, missing %q in:\n%s", want, text)
		}
	}
	// the answer is read first: what the office acknowledged is not written again, and the
	// surveyor is not told to carry the stick back
	if strings.Contains(text, "Mang USB đến văn phòng phường") || strings.Contains(text, "Đã ghi 8 phiên bản") {
		t.Errorf("after the office's answer, the stick is still to be carried:\n%s", text)
	}
	if ups, _ := filepath.Glob(filepath.Join(stick, "up-*")); len(ups) != 1 || !strings.Contains(ups[0], "-have") {
		t.Errorf("files for the office after its answer: %v", ups)
	}
	if s.pending.Text != "Văn phòng đã nhận mọi phiên bản của máy này" || !strings.HasSuffix(s.last.Text, "qua USB") {
		t.Errorf("pending %q, last %q", s.pending.Text, s.last.Text)
	}

	a.win.Canvas().(fyne.Shortcutable).TypedShortcut(key(fyne.KeyLeft)) // Alt+←
	a.Wait()
	h = a.home
	if a.Screen() != "home" || !strings.HasPrefix(h.syncLine.Text, "Văn phòng đã nhận mọi phiên bản") {
		t.Fatalf("back home (%q), the sync line: %q", a.Screen(), h.syncLine.Text)
	}
	showGroup(t, a, returned.Group)
	found := false
	for i, r := range h.rows {
		if r.ID == returned.ID {
			found = r.Status == store.StatusReturned && r.Comment == comment
			h.households.ScrollTo(i)
		}
	}
	if !found || !strings.Contains(allText(h.households), "Văn phòng trả lại: "+comment) {
		t.Errorf("the returned household with its comment is not on the home screen:\n%s", allText(h.households))
	}
}

// showGroup selects a residential group on the home screen.
func showGroup(t *testing.T, a *App, group string) {
	t.Helper()
	for i, g := range a.home.view.Groups {
		if g.Group == group {
			a.home.groupList.Select(i)
			a.Wait()
			return
		}
	}
	t.Fatalf("no group %q on the home screen", group)
}

// TestSyncScreenLAN syncs with a real office server over HTTPS on loopback.
func TestSyncScreenLAN(t *testing.T) {
	off := newOffice(t, demo.DefaultWard.Name)
	addr := off.serve(t)
	db := newStore(t, 8, demoWard())
	off.enroll(t, db, addr)
	a, _ := newSyncApp(t, db, rsync.Options{BatchRevisions: 3})
	a.ShowSync()
	a.Wait()
	s := a.syncScr
	if !strings.Contains(s.enrolled.Text, "Đồng bộ qua mạng được, máy chủ: "+addr) || s.lan.Disabled() {
		t.Fatalf("enrolled %q; LAN disabled %v", s.enrolled.Text, s.lan.Disabled())
	}
	test.Tap(s.lan)
	a.Wait()
	text := visibleText(s.status, s.result, s.problems)
	for _, want := range []string{"Đồng bộ xong lúc", "Đã gửi văn phòng 8 phiên bản mới.", "Văn phòng không có gì mới cho máy này.", "Văn phòng đã xác nhận nhận đủ"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if s.view.Unsent != 0 || s.pending.Text != "Văn phòng đã nhận mọi phiên bản của máy này" || !strings.HasSuffix(s.last.Text, "qua mạng") {
		t.Errorf("after sync: unsent %d, pending %q, last %q", s.view.Unsent, s.pending.Text, s.last.Text)
	}
	if s.progress.Visible() || s.lan.Disabled() || s.back.Disabled() {
		t.Error("after the run the progress bar hides and the buttons come back")
	}
	if list, _ := off.st.List(); len(list) != 8 {
		t.Errorf("the office has %d households", len(list))
	}
}

// TestSyncScreenOfficeUnreachable: nobody listens at the office's address; the screen says so
// and what to do, and nothing is lost.
func TestSyncScreenOfficeUnreachable(t *testing.T) {
	off := newOffice(t, demo.DefaultWard.Name)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db := newStore(t, 3, demoWard())
	off.enroll(t, db, addr)
	a, _ := newSyncApp(t, db, rsync.Options{Attempts: 1, RetryWait: time.Millisecond})
	a.ShowSync()
	a.Wait()
	s := a.syncScr
	shortcut(a, fyne.KeyD)
	a.Wait()
	text := visibleText(s.status, s.result, s.problems)
	for _, want := range []string{"Chưa đồng bộ được với văn phòng.", "Không kết nối được với máy chủ văn phòng",
		"kiểm tra máy đã nối vào mạng của văn phòng phường", "Không mất dữ liệu nào: 3 phiên bản vẫn trên máy"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if !strings.Contains(s.problems.Text, "Không kết nối") || s.problems.Importance != widget.DangerImportance {
		t.Errorf("the failure should be in the problems line: %q", s.problems.Text)
	}
	if s.pending.Text != "3 phiên bản chưa gửi văn phòng" || s.lan.Disabled() || s.export.Disabled() {
		t.Errorf("pending %q; the buttons should work again", s.pending.Text)
	}
}

// TestSyncScreenNotEnrolled: nothing to press but the way to the enrollment.
func TestSyncScreenNotEnrolled(t *testing.T) {
	db := newStore(t, 2, demoWard())
	a, ans := newSyncApp(t, db, rsync.Options{})
	if !strings.Contains(a.home.syncLine.Text, "Chưa đăng ký với văn phòng phường · 2 phiên bản chưa gửi") {
		t.Errorf("home's sync line: %q", a.home.syncLine.Text)
	}
	a.ShowSync()
	a.Wait()
	s := a.syncScr
	if !s.export.Disabled() || !s.lan.Disabled() || !s.note.Visible() || !s.enroll.Visible() {
		t.Error("not enrolled: export and LAN disabled, the note and the enroll button shown")
	}
	shortcut(a, fyne.KeyU)
	a.Wait()
	if len(ans.asked) != 0 {
		t.Error("Ctrl+U asked for a folder while export is disabled")
	}
	test.Tap(s.enroll)
	a.Wait()
	if a.Screen() != "settings" || !a.setts.enroll.section.Visible() {
		t.Errorf("the enroll button leads to the settings' enrollment: %q", a.Screen())
	}
}

// slowSync holds a sync until the test lets it go, after reporting some progress.
type slowSync struct {
	Syncer
	gate chan struct{}
}

func (s slowSync) SyncNow(ctx context.Context, progress func(done, total int)) (rsync.Result, error) {
	progress(1, 4)
	select {
	case <-s.gate:
	case <-ctx.Done():
	}
	return s.Syncer.SyncNow(ctx, progress)
}

// TestSyncProgressAndStop: a run that lasts shows a progress bar with the engine's counts and
// a Stop button; stopping says so, and the next sync goes on.
func TestSyncProgressAndStop(t *testing.T) {
	off := newOffice(t, demo.DefaultWard.Name)
	addr := off.serve(t)
	db := newStore(t, 4, demoWard())
	off.enroll(t, db, addr)
	a, _ := newSyncApp(t, db, rsync.Options{})
	a.ShowSync()
	a.Wait()
	gate := make(chan struct{})
	a.node = slowSync{a.node, gate}
	s := a.syncScr
	s.delay = time.Millisecond
	q, _ := queues.Load(a)
	run := func(until func() bool) {
		for end := time.Now().Add(10 * time.Second); !until(); time.Sleep(2 * time.Millisecond) {
			if time.Now().After(end) {
				t.Fatal("the progress bar did not show")
			}
			for _, f := range q.(*uiQueue).take() {
				f()
			}
		}
	}
	test.Tap(s.lan)
	run(func() bool { return s.progress.Visible() && s.bar.Value == 1 })
	if s.bar.Max != 4 || !s.cancel.Visible() || !s.back.Disabled() || !s.lan.Disabled() {
		t.Errorf("bar %v/%v; while syncing Stop shows and the other buttons wait", s.bar.Value, s.bar.Max)
	}
	test.Tap(s.cancel)
	a.Wait()
	if s.progress.Visible() || !strings.Contains(s.status.Text, "Đã dừng đồng bộ") || strings.Contains(s.problems.Text, "kiểm tra máy") {
		t.Errorf("stopped: status %q, problems %q", s.status.Text, s.problems.Text)
	}
	close(gate)
	test.Tap(s.lan)
	a.Wait()
	if s.view.Unsent != 0 || !strings.Contains(s.status.Text, "Đồng bộ xong") {
		t.Errorf("the sync after a stop: unsent %d, %q", s.view.Unsent, s.status.Text)
	}
}

// TestSyncLoaders checks the sync state and the words of a run without a window.
func TestSyncLoaders(t *testing.T) {
	off := newOffice(t, "Phường Kim Tân")
	db := newStore(t, 5, demoWard())
	n, err := rsync.New(db, rsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := loadSync(n)
	if err != nil || v.Enrolled || v.Unsent != 5 || !v.Last.IsZero() {
		t.Fatalf("not enrolled: %+v %v", v, err)
	}
	if got := homeSyncText(v); got != "Chưa đăng ký với văn phòng phường · 5 phiên bản chưa gửi văn phòng · Đồng bộ lần cuối: chưa lần nào" {
		t.Errorf("home line %q", got)
	}
	stick := t.TempDir()
	o := runUSB(n, db, stick)
	if head, _, problems := outcomeText(o); head != "Chưa xuất được ra USB." || len(problems) != 1 || !strings.Contains(problems[0], "chưa đăng ký") {
		t.Errorf("export before enrolling: %q %q", head, problems)
	}

	off.enroll(t, db, "")
	o = runUSB(n, db, stick)
	if o.Err != nil || o.ImportErr != nil || o.Export.Revisions != 5 || !o.View.Enrolled || o.View.Ward != "Phường Kim Tân" {
		t.Fatalf("export: %+v", o)
	}
	// A stranger's batch on the stick is refused, with its file and reason; the rest goes on.
	bad := filepath.Join(stick, "down-"+mustMeta(t, db).DeviceID+"-0001.rsb")
	if err := os.WriteFile(bad, []byte("rasoat-sync-batch/1\nnot age at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	o = runUSB(n, db, stick)
	_, lines, problems := outcomeText(o)
	if len(problems) != 1 || !strings.Contains(problems[0], "Tệp down-") || !strings.Contains(problems[0], "bị từ chối, không ghi gì") {
		t.Errorf("refused file: %q", problems)
	}
	if !strings.Contains(strings.Join(lines, "\n"), "Còn 5 phiên bản văn phòng chưa xác nhận") {
		t.Errorf("lines: %q", lines)
	}
	if v := o.View; v.Last.IsZero() || v.LastLAN || !strings.HasSuffix(lastSyncText(v), ", qua USB") {
		t.Errorf("last sync after a USB import: %+v", v)
	}
}

func mustMeta(t *testing.T, db *store.Store) store.Meta {
	t.Helper()
	m, err := db.Meta()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestSyncScreensInEnglish builds the sync screen, a run's result and the enrollment in
// English and looks for Vietnamese left over.
func TestSyncScreensInEnglish(t *testing.T) {
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	defer SetLanguage("vi")
	off := newOffice(t, demo.DefaultWard.Name)
	db := newStore(t, 3, demoWard())
	off.enroll(t, db, "")
	a, ans := newSyncApp(t, db, rsync.Options{})
	ans.dir = t.TempDir()
	check := func(what, text string) {
		t.Helper()
		for _, word := range []string{"phiên bản", "văn phòng", "Đồng bộ", "Đăng ký", "Chưa", "Kết quả", "USB (thư mục)"} {
			if strings.Contains(text, word) {
				t.Errorf("English %s still says %q:\n%s", what, word, text)
			}
		}
	}
	check("home", allText(a.win.Content()))
	a.ShowSync()
	a.Wait()
	test.Tap(a.syncScr.export)
	a.Wait()
	text := allText(a.win.Content())
	if !strings.Contains(text, "Wrote 3 revisions for the office to") {
		t.Errorf("the result in English:\n%s", text)
	}
	check("sync screen", text)
	a.ShowSettings(false)
	a.Wait()
	check("settings", allText(a.win.Content()))
}

// TestSyncScreenTakesOfficeScoreTable: a sync that brings the office's score table makes the
// app use it at once (the form offers the income score), and says so; the office's removal
// removes it from the app too.
func TestSyncScreenTakesOfficeScoreTable(t *testing.T) {
	off := newOffice(t, demo.DefaultWard.Name)
	addr := off.serve(t)
	db := newStore(t, 2, demoWard())
	off.enroll(t, db, addr)
	a, _ := newSyncApp(t, db, rsync.Options{})
	if a.scoreTable != nil {
		t.Fatal("a table before the sync")
	}
	example, err := os.ReadFile("../poverty/testdata/score-table-example.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := off.st.LoadScoreTable(example, "cán bộ"); err != nil {
		t.Fatal(err)
	}
	a.ShowSync()
	a.Wait()
	s := a.syncScr
	test.Tap(s.lan)
	a.Wait()
	if text := visibleText(s.status, s.result, s.problems); !strings.Contains(text, "Đã nạp bảng điểm thu nhập của văn phòng phường") {
		t.Errorf("after the sync:\n%s", text)
	}
	if a.scoreTable == nil || !a.scoreTable.IsExample() {
		t.Fatalf("the app does not use the office's table: %v", a.scoreTable)
	}
	if err := off.st.RemoveScoreTable("cán bộ"); err != nil {
		t.Fatal(err)
	}
	test.Tap(s.lan)
	a.Wait()
	if text := visibleText(s.status, s.result, s.problems); !strings.Contains(text, "Văn phòng phường đã bỏ bảng điểm thu nhập") {
		t.Errorf("after the removal:\n%s", text)
	}
	if a.scoreTable != nil {
		t.Fatal("the app still uses the removed table")
	}
}
