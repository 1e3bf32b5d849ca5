package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
)

// enrollCLI enrolls the laptop database with the office database through the commands, as
// people do it: request and code, approval, package.
func enrollCLI(t *testing.T, dir, office, laptop, addr string) {
	t.Helper()
	req := filepath.Join(dir, filepath.Base(laptop)+".req.json")
	code, out, errs := storeRun(t, "", "enroll", "--db", laptop, "--out", req)
	if code != exitOK {
		t.Fatalf("enroll: exit %d %s", code, errs)
	}
	m := regexp.MustCompile(`code: (\d{4}-\d{4}-\d{4})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no code in %q", out)
	}
	pkg := filepath.Join(dir, filepath.Base(laptop)+".pkg.json")
	if code, _, errs := storeRun(t, "", "approve", "--db", office, "--code", "1111-2222-3333", "--out", pkg, req); code != exitBad ||
		!strings.Contains(errs, "không khớp") {
		t.Fatalf("approve with a wrong code: exit %d %s", code, errs)
	}
	args := []string{"approve", "--db", office, "--code", strings.ReplaceAll(m[1], "-", " "), "--out", pkg, req}
	if addr != "" {
		args = append(args, "--addr", addr)
	}
	if code, out, errs := storeRun(t, "", args...); code != exitOK || !strings.Contains(out, "approved") {
		t.Fatalf("approve: exit %d %s %s", code, out, errs)
	}
	if code, out, errs := storeRun(t, "", "enroll", "--db", laptop, "--package", pkg); code != exitOK || !strings.Contains(out, "enrolled") {
		t.Fatalf("enroll --package: exit %d %s %s", code, out, errs)
	}
}

func initDB(t *testing.T, db, role, name string) {
	t.Helper()
	if code, _, errs := storeRun(t, "", "init", "--db", db, "--ward", "Phường Demo", "--role", role, "--device-name", name, "--surveyor", name); code != exitOK {
		t.Fatalf("init %s: %s", db, errs)
	}
}

func TestSyncCommandsUSB(t *testing.T) {
	dir := t.TempDir()
	office, a, b := filepath.Join(dir, "office.db"), filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	initDB(t, office, "office", "VP")
	initDB(t, a, "field", "A")
	initDB(t, b, "field", "B")
	storeVerified(t, office)
	enrollCLI(t, dir, office, a, "")
	enrollCLI(t, dir, office, b, "")
	recs := demo.Households(demo.DefaultWard, 10, 5)
	if code, _, errs := storeRun(t, "", "import", "--db", a, "--draft", storeFile(t, recs[:6])); code != exitOK {
		t.Fatal(errs)
	}
	if code, _, errs := storeRun(t, "", "import", "--db", b, "--draft", storeFile(t, recs[6:])); code != exitOK {
		t.Fatal(errs)
	}
	stick := filepath.Join(dir, "usb")
	round := func() {
		t.Helper()
		for _, db := range []string{a, b} {
			if code, out, errs := storeRun(t, "", "sync", "export", "--db", db, "--to", stick); code != exitOK || !strings.Contains(out, ".rsb") {
				t.Fatalf("sync export: exit %d %s %s", code, out, errs)
			}
		}
		if code, out, errs := storeRun(t, "", "sync", "import", "--db", office, stick); code != exitOK {
			t.Fatalf("office sync import: exit %d %s %s", code, out, errs)
		}
		// the office was backed up before the import; laptops are not
		if bs, _ := filepath.Glob(filepath.Join(filepath.Dir(office), "backups", "rasoat-import-*.db")); len(bs) == 0 {
			t.Error("no backup of the office before its sync import")
		}
		if code, _, errs := storeRun(t, "", "sync", "export", "--db", office, "--to", stick); code != exitOK {
			t.Fatalf("office sync export: %s", errs)
		}
		for _, db := range []string{a, b} {
			if code, out, errs := storeRun(t, "", "sync", "import", "--db", db, stick); code != exitOK || !strings.Contains(out, "not yet acknowledged: 0") {
				t.Fatalf("laptop sync import: exit %d %s %s", code, out, errs)
			}
		}
	}
	round()
	code, out, _ := storeRun(t, "", "export", "--db", office)
	if code != exitOK || strings.Count(out, "\n") != 10 {
		t.Fatalf("the office has %d households", strings.Count(out, "\n"))
	}
	code, out, _ = storeRun(t, "", "export", "--db", b)
	if code != exitOK || strings.Count(out, "\n") != 10 {
		t.Fatalf("laptop b has %d households", strings.Count(out, "\n"))
	}
	if code, out, _ := storeRun(t, "", "devices", "--db", office); code != exitOK || strings.Count(out, "active") != 2 {
		t.Fatalf("devices:\n%s", out)
	}
	if code, out, _ := storeRun(t, "", "conflicts", "--db", office); code != exitOK || !strings.Contains(out, "no households in conflict") {
		t.Fatalf("conflicts:\n%s", out)
	}

	// the same household edited on both laptops
	id := recs[0].ID
	for i, db := range []string{a, b} {
		rec := *recs[0]
		rec.Address = "Địa chỉ mới " + string(rune('A'+i))
		if code, _, errs := storeRun(t, "", "import", "--db", db, "--draft", storeFile(t, []*household.Record{&rec})); code != exitOK {
			t.Fatal(errs)
		}
	}
	round()
	code, out, _ = storeRun(t, "", "conflicts", "--db", office)
	if code != exitOK || !strings.Contains(out, id) || strings.Count(out, "provisional") != 1 || strings.Count(out, "\n") != 3 {
		t.Fatalf("conflicts:\n%s", out)
	}

	// revoked: b's next batch is refused, nothing written, exit 1
	if code, _, errs := storeRun(t, "", "revoke", "--db", office, "dev-missing"); code != exitBad ||
		!strings.Contains(errs, "Không có thiết bị này trong danh sách thiết bị đã đăng ký (xem rasoatctl devices): dev-missing / No such device is enrolled (see rasoatctl devices): dev-missing") {
		t.Fatalf("revoke of an unknown device: %d %s", code, errs)
	}
	devB := deviceID(t, b)
	if code, out, errs := storeRun(t, "", "revoke", "--db", office, devB); code != exitOK || !strings.Contains(out, devB) {
		t.Fatalf("revoke: %s %s", out, errs)
	}
	if code, _, errs := storeRun(t, "", "import", "--db", b, "--draft", storeFile(t, demo.Households(demo.DefaultWard, 1, 99))); code != exitOK {
		t.Fatal(errs)
	}
	os.RemoveAll(stick)
	if code, _, errs := storeRun(t, "", "sync", "export", "--db", b, "--to", stick); code != exitOK {
		t.Fatal(errs)
	}
	code, _, errs := storeRun(t, "", "sync", "import", "--db", office, "--lang", "en", stick)
	if code != exitBad || !strings.Contains(errs, "đã bị thu hồi quyền đồng bộ") || !strings.Contains(errs, " / The device that sent the batch has been revoked") {
		t.Fatalf("import of a revoked device's batch: exit %d %s (want Vietnamese, then English)", code, errs)
	}
	if code, out, _ := storeRun(t, "", "export", "--db", office); code != exitOK || strings.Count(out, "\n") != 10 {
		t.Fatalf("the refused batch was written: %d households", strings.Count(out, "\n"))
	}
	if code, out, _ := storeRun(t, "", "devices", "--db", office); code != exitOK || !strings.Contains(out, "revoked") {
		t.Fatalf("devices:\n%s", out)
	}
}

func deviceID(t *testing.T, db string) string {
	t.Helper()
	_, out, _ := storeRun(t, "", "enroll", "--db", db, "--out", filepath.Join(t.TempDir(), "r.json"))
	m := regexp.MustCompile(`device: (\S+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no device in %q", out)
	}
	return m[1]
}

// lockedBuffer is a buffer safe to write from the server goroutine and read from the test.
type lockedBuffer struct {
	mu gosync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestSyncCommandsServeAndPush(t *testing.T) {
	dir := t.TempDir()
	office, a := filepath.Join(dir, "office.db"), filepath.Join(dir, "a.db")
	initDB(t, office, "office", "VP")
	initDB(t, a, "field", "A")
	if code, _, errs := storeRun(t, "", "import", "--db", a, "--draft", storeFile(t, demo.Households(demo.DefaultWard, 7, 3))); code != exitOK {
		t.Fatal(errs)
	}
	if code, _, errs := storeRun(t, "", "serve", "--db", office, "--addr", "nonsense"); code != exitUsage {
		t.Fatalf("serve --addr nonsense: %d %s", code, errs)
	}

	// serve holds the office database: enroll first, with the address it will listen on
	ctx, cancel := context.WithCancel(context.Background())
	old := serveContext
	serveContext = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	defer func() { serveContext = old }()
	var out lockedBuffer
	var errb bytes.Buffer
	done := make(chan int, 1)
	// a first run picks a free port; enrollment needs the office database, so stop it again
	go func() {
		done <- run([]string{"serve", "--db", office, "--addr", "127.0.0.1:0"}, strings.NewReader(""), &out, &errb)
	}()
	addr := waitListening(t, &out)
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("serve: exit %d %s", code, errb.String())
	}
	enrollCLI(t, dir, office, a, addr)

	ctx, cancel = context.WithCancel(context.Background())
	out = lockedBuffer{}
	go func() {
		done <- run([]string{"serve", "--db", office, "--addr", addr}, strings.NewReader(""), &out, &errb)
	}()
	waitListening(t, &out)
	code, res, errs := storeRun(t, "", "sync", "push", "--db", a)
	if code != exitOK || !strings.Contains(res, "new at the office: 7") || !strings.Contains(res, "not yet acknowledged: 0") {
		t.Fatalf("sync push: exit %d\n%s%s", code, res, errs)
	}
	if code, res, errs := storeRun(t, "", "sync", "push", "--db", a, addr); code != exitOK || strings.Contains(res, "new at the office") {
		t.Fatalf("sync push again: exit %d\n%s%s", code, res, errs)
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Fatalf("serve: exit %d %s", code, errb.String())
	}
	if code, out, _ := storeRun(t, "", "export", "--db", office); code != exitOK || strings.Count(out, "\n") != 7 {
		t.Fatalf("the office has %d households", strings.Count(out, "\n"))
	}
}

func waitListening(t *testing.T, out *lockedBuffer) string {
	t.Helper()
	re := regexp.MustCompile(`listening on https://(\S+)`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("serve did not start: %s", out.String())
	return ""
}

// TestSyncFileErrors: a missing or wrong file or folder given to a sync command is named, with
// the reason in Vietnamese then English, and nothing is written.
func TestSyncFileErrors(t *testing.T) {
	dir := t.TempDir()
	office, a := filepath.Join(dir, "office.db"), filepath.Join(dir, "a.db")
	initDB(t, office, "office", "VP")
	initDB(t, a, "field", "A")
	storeVerified(t, office)
	file := filepath.Join(dir, "file.txt")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sync", "import", "--db", office, missing},
			"không đọc được " + missing + ": không có tệp hoặc thư mục này / cannot read " + missing + ": no such file or folder"},
		{[]string{"sync", "import", "--db", office, file},
			"không đọc được " + file + ": đây là một tệp, cần một thư mục / cannot read " + file + ": it is a file, not a folder"},
		{[]string{"sync", "export", "--db", office, "--to", file},
			"không ghi được " + file + ": đây là một tệp, cần một thư mục / cannot write " + file + ": it is a file, not a folder"},
		{[]string{"approve", "--db", office, "--code", "1", missing + ".json"},
			"không đọc được " + missing + ".json: không có tệp hoặc thư mục này / cannot read " + missing + ".json: no such file or folder"},
		{[]string{"enroll", "--db", a, "--package", missing + ".json"},
			"không đọc được " + missing + ".json: không có tệp hoặc thư mục này / cannot read " + missing + ".json: no such file or folder"},
		{[]string{"enroll", "--db", a, "--out", dir},
			"không ghi được " + dir + ": đây là một thư mục, cần một tệp / cannot write " + dir + ": it is a folder, not a file"},
	} {
		code, _, errs := storeRun(t, "", tc.args...)
		if code != exitBad || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d\n got %s\nwant %s", tc.args[:2], code, errs, tc.want)
		}
	}
	// a refused batch file: the reason in both languages
	stick := filepath.Join(dir, "usb")
	os.MkdirAll(stick, 0o700)
	os.WriteFile(filepath.Join(stick, "up-x-0000000001-0000000001.rsb"), []byte("garbage"), 0o600)
	code, _, errs := storeRun(t, "", "sync", "import", "--db", office, stick)
	if code != exitBad || !regexp.MustCompile(`rsb: Lô dữ liệu [^/]+ / The batch `).MatchString(errs) {
		t.Errorf("garbage batch: exit %d %s", code, errs)
	}
}

// TestSyncCommandsScoreTable: the office's score table reaches a laptop enrolled after it was
// loaded with the package, and another laptop at its next sync import; the office's removal
// removes it there too; loading one on an enrolled laptop warns that the office's wins.
func TestSyncCommandsScoreTable(t *testing.T) {
	dir := t.TempDir()
	office, a, b := filepath.Join(dir, "office.db"), filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	initDB(t, office, "office", "VP")
	initDB(t, a, "field", "A")
	initDB(t, b, "field", "B")
	enrollCLI(t, dir, office, a, "")
	if code, _, errs := storeRun(t, "", "scoretable", "load", exampleScoreTable, "--db", office); code != exitOK {
		t.Fatalf("load: %s", errs)
	}
	// b enrolls now: its package carries the table
	req := filepath.Join(dir, "b.req.json")
	_, out, _ := storeRun(t, "", "enroll", "--db", b, "--out", req)
	m := regexp.MustCompile(`code: (\d{4}-\d{4}-\d{4})`).FindStringSubmatch(out)
	pkg := filepath.Join(dir, "b.pkg.json")
	if m == nil {
		t.Fatalf("no code in %q", out)
	}
	if code, _, errs := storeRun(t, "", "approve", "--db", office, "--code", m[1], "--out", pkg, req); code != exitOK {
		t.Fatal(errs)
	}
	if code, out, errs := storeRun(t, "", "enroll", "--db", b, "--package", pkg); code != exitOK || !strings.Contains(out, "loaded the ward office's income score table") {
		t.Fatalf("enroll --package: exit %d %s %s", code, out, errs)
	}
	shows := func(db, want string) {
		t.Helper()
		if code, out, _ := storeRun(t, "", "scoretable", "show", "--db", db, "--lang", "en"); code != exitOK || !strings.Contains(out, want) {
			t.Fatalf("%s: scoretable show: exit %d\n%s", filepath.Base(db), code, out)
		}
	}
	shows(b, "EXAMPLE — not an official score table")
	shows(a, "No income score table is loaded")

	stick := filepath.Join(dir, "usb")
	importA := func(want string) {
		t.Helper()
		if code, _, errs := storeRun(t, "", "sync", "export", "--db", office, "--to", stick); code != exitOK {
			t.Fatalf("office sync export: %s", errs)
		}
		code, out, errs := storeRun(t, "", "sync", "import", "--db", a, stick)
		if code != exitOK || !strings.Contains(out, want) {
			t.Fatalf("laptop sync import: exit %d %s %s", code, out, errs)
		}
	}
	importA("loaded the ward office's income score table")
	shows(a, "EXAMPLE — not an official score table")
	if code, _, errs := storeRun(t, "", "scoretable", "remove", "--db", a); code != exitOK || !strings.Contains(errs, "takes the ward office's score table at each sync") {
		t.Fatalf("remove on a laptop: exit %d %s", code, errs)
	}
	if code, _, errs := storeRun(t, "", "scoretable", "remove", "--db", office); code != exitOK || strings.Contains(errs, "at each sync") {
		t.Fatalf("remove at the office: exit %d %s", code, errs)
	}
	if code, _, errs := storeRun(t, "", "scoretable", "load", exampleScoreTable, "--db", a); code != exitOK {
		t.Fatal(errs)
	}
	importA("the ward office removed its income score table: so did this laptop")
	shows(a, "No income score table is loaded")
}
