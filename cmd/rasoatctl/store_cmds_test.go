package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// storeRun runs a command in-process and returns its exit code, stdout and stderr.
func storeRun(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func storeFile(t *testing.T, recs []*household.Record) string {
	t.Helper()
	var b bytes.Buffer
	for _, r := range recs {
		b.Write(household.Encode(r))
		b.WriteByte('\n')
	}
	p := filepath.Join(t.TempDir(), "households.jsonl")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// storeVerified checks, at the end of a test, that the database opens and verifies.
func storeVerified(t *testing.T, db string) {
	t.Helper()
	t.Cleanup(func() {
		if code, _, errs := storeRun(t, "", "verify", "--db", db); code != exitOK {
			t.Errorf("verify at the end: exit %d\n%s", code, errs)
		}
	})
}

func TestStoreCommandsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ward.db")
	code, out, errs := storeRun(t, "", "init", "--db", db, "--ward", "Phường Demo", "--role", "office", "--area", "urban")
	if code != exitOK || !strings.Contains(out, "office") {
		t.Fatalf("init: exit %d\n%s%s", code, out, errs)
	}
	storeVerified(t, db)
	if code, _, errs := storeRun(t, "", "init", "--db", db, "--ward", "X"); code != exitBad || !strings.Contains(errs, "already exists") {
		t.Errorf("init over an existing database: exit %d %s", code, errs)
	}

	recs := demo.Households(demo.DefaultWard, 40, 77)
	file := storeFile(t, recs)
	code, out, errs = storeRun(t, "", "import", "--db", db, "--lang", "en", file)
	if code != exitOK || !strings.Contains(out, "added 40") {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	// export gives back the very bytes imported
	want, _ := os.ReadFile(file)
	code, out, _ = storeRun(t, "", "export", "--db", db)
	if code != exitOK || out != string(want) {
		t.Errorf("export differs from the imported file (exit %d)", code)
	}
	// the same file again from standard input changes nothing
	if code, out, _ := storeRun(t, string(want), "import", "--db", db, "--lang", "en", "-"); code != exitOK || !strings.Contains(out, "unchanged 40") {
		t.Errorf("second import: exit %d %s", code, out)
	}

	// an edited household gets a revision; history shows both
	edit := recs[3].Clone()
	edit.Address = "Số 1, đường Mới"
	if code, out, errs := storeRun(t, "", "import", "--db", db, "--lang", "en", storeFile(t, []*household.Record{edit})); code != exitOK || !strings.Contains(out, "updated 1") {
		t.Fatalf("import of an edit: exit %d %s %s", code, out, errs)
	}
	code, out, _ = storeRun(t, "", "history", recs[3].ID, "--db", db, "--lang", "en") // flags after the id too
	if code != exitOK || strings.Count(out, "complete") != 2 || !strings.Contains(out, recs[3].HeadName()) {
		t.Errorf("history: exit %d\n%s", code, out)
	}
	code, out, _ = storeRun(t, "", "history", "--db", db, "--json", recs[3].ID)
	if code != exitOK || strings.Count(out, `"schema": "rasoat.revision/v1"`) != 2 {
		t.Errorf("history --json: exit %d\n%s", code, out)
	}
	if code, _, errs := storeRun(t, "", "history", "--db", db, "no-such-id"); code != exitBad || !strings.Contains(errs, "No such household") {
		t.Errorf("history of an unknown id: exit %d %s", code, errs)
	}

	// full history export into a new database and back out: the same bytes
	histFile := filepath.Join(dir, "history.jsonl")
	if code, _, errs := storeRun(t, "", "export", "--db", db, "--history", "--out", histFile); code != exitOK {
		t.Fatalf("export --history: %s", errs)
	}
	db2 := filepath.Join(dir, "copy.db")
	storeRun(t, "", "init", "--db", db2, "--ward", "Phường Demo")
	storeVerified(t, db2)
	if code, out, errs := storeRun(t, "", "import", "--db", db2, "--lang", "en", histFile); code != exitOK || !strings.Contains(out, "added 41") {
		t.Fatalf("import of the history: exit %d %s %s", code, out, errs)
	}
	hist, _ := os.ReadFile(histFile)
	if _, out, _ := storeRun(t, "", "export", "--db", db2, "--history"); out != string(hist) {
		t.Error("history export → import → export differs")
	}

	// backup and compact make databases that open and hold the same
	backup := filepath.Join(dir, "backup.db")
	if code, out, errs := storeRun(t, "", "backup", "--db", db, backup); code != exitOK || !strings.Contains(out, "bytes") {
		t.Fatalf("backup: exit %d %s %s", code, out, errs)
	}
	if code, _, errs := storeRun(t, "", "backup", "--db", db, backup); code != exitBad || !strings.Contains(errs, "--force") {
		t.Errorf("backup over an existing file: exit %d %s", code, errs)
	}
	if code, _, _ := storeRun(t, "", "backup", "--db", db, "--force", backup); code != exitOK {
		t.Errorf("backup --force: exit %d", code)
	}
	compact := filepath.Join(dir, "compact.db")
	if code, _, errs := storeRun(t, "", "compact", "--db", db, compact); code != exitOK {
		t.Fatalf("compact: exit %d %s", code, errs)
	}
	_, cur, _ := storeRun(t, "", "export", "--db", db)
	for _, p := range []string{backup, compact} {
		storeVerified(t, p)
		if _, out, _ := storeRun(t, "", "export", "--db", p); out != cur {
			t.Errorf("%s: export differs", filepath.Base(p))
		}
	}
	if code, out, _ := storeRun(t, "", "verify", "--db", db, "--lang", "en"); code != exitOK || !strings.Contains(out, "OK: 40 households") {
		t.Errorf("verify: exit %d %s", code, out)
	}
}

// TestStoreImportBadFile: a file with bad records imports nothing and lists every problem with
// its line and record; --skip-invalid imports the rest.
func TestStoreImportBadFile(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ward.db")
	storeRun(t, "", "init", "--db", db, "--ward", "W")
	storeVerified(t, db)
	recs := demo.Households(demo.DefaultWard, 10, 78)
	bad := recs[6].Clone()
	bad.Housing.Roof = "leaves"
	recs[6] = bad
	var b bytes.Buffer
	for i, r := range recs {
		if i == 2 {
			b.WriteString("{\"schema\": \"rasoat.household/v1\", \"id\": \n")
		}
		b.Write(household.Encode(r))
		b.WriteByte('\n')
	}
	code, out, errs := storeRun(t, b.String(), "import", "--db", db, "--lang", "en", "-")
	if code != exitBad {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitBad, out, errs)
	}
	for _, want := range []string{"line 3: ", "invalid JSON", "line 8: " + bad.ID + ": housing.roof", "2 records have problems: nothing was imported"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if _, out, _ := storeRun(t, "", "export", "--db", db); out != "" {
		t.Error("a refused import wrote households")
	}
	code, out, errs = storeRun(t, b.String(), "import", "--db", db, "--skip-invalid", "--lang", "vi", "-")
	if code != exitOK || !strings.Contains(out, "thêm 9") || !strings.Contains(out, "bỏ qua 2") || !strings.Contains(errs, "dòng 8") {
		t.Errorf("--skip-invalid: exit %d\n%s%s", code, out, errs)
	}
}

func TestStoreCommandsErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ward.db")
	storeRun(t, "", "init", "--db", db, "--ward", "W")

	// the app has the database open: a clear message, not a hang
	s, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, _, errs := storeRun(t, "", "verify", "--db", db)
	s.Close()
	if code != exitBad || !strings.Contains(errs, "đang được một cửa sổ Rà soát khác sử dụng") || !strings.Contains(errs, "in use by another copy of rasoat") {
		t.Errorf("locked database: exit %d %s", code, errs)
	}

	// a damaged file is reported as such
	damaged := filepath.Join(dir, "damaged.db")
	data, _ := os.ReadFile(db)
	for i := 0; i < len(data) && i < 2*4096; i += 5 {
		data[i] ^= 0xa5
	}
	os.WriteFile(damaged, data, 0o600)
	if code, _, errs := storeRun(t, "", "verify", "--db", damaged); code != exitBad || !strings.Contains(errs, "corrupted") {
		t.Errorf("damaged database: exit %d %s", code, errs)
	}
	if code, _, errs := storeRun(t, "", "export", "--db", filepath.Join(dir, "missing.db")); code != exitBad || !strings.Contains(errs, "does not exist") {
		t.Errorf("missing database: exit %d %s", code, errs)
	}

	// --db defaults to the app's database ($RASOAT_DB here)
	t.Setenv("RASOAT_DB", filepath.Join(dir, "default.db"))
	if code, _, errs := storeRun(t, "", "init", "--ward", "W"); code != exitOK {
		t.Fatalf("init with the default path: %s", errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "default.db")); err != nil {
		t.Error("init did not use $RASOAT_DB")
	}
	if code, _, _ := storeRun(t, "", "verify"); code != exitOK {
		t.Error("verify with the default path failed")
	}

	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"init", "--help"}, exitOK},
		{[]string{"import", "--help"}, exitOK},
		{[]string{"export", "--help"}, exitOK},
		{[]string{"backup", "--help"}, exitOK},
		{[]string{"verify", "--help"}, exitOK},
		{[]string{"compact", "--help"}, exitOK},
		{[]string{"history", "--help"}, exitOK},
		{[]string{"init", "--db", filepath.Join(dir, "n.db")}, exitUsage}, // no --ward
		{[]string{"init", "--db", filepath.Join(dir, "n.db"), "--ward", "W", "--role", "x"}, exitUsage},
		{[]string{"import", "--db", db}, exitUsage},
		{[]string{"import", "--db", db, "a", "b"}, exitUsage},
		{[]string{"import", "--db", db, filepath.Join(dir, "none.jsonl")}, exitBad},
		{[]string{"export", "--db", db, "extra"}, exitUsage},
		{[]string{"backup", "--db", db}, exitUsage},
		{[]string{"compact", "--db", db}, exitUsage},
		{[]string{"history", "--db", db}, exitUsage},
		{[]string{"verify", "--bogus"}, exitUsage},
	} {
		if code, _, errs := storeRun(t, "", tc.args...); code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s", tc.args, code, tc.code, errs)
		}
	}
}

// TestStoreFilesNamed: import of a folder and export into a folder or a missing one say what
// is wrong with the path the user gave, in both languages, and leave nothing behind; a record
// with a wrong type is listed with its other broken rules (CheckDecoded), as validate does.
func TestStoreFilesNamed(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ward.db")
	storeRun(t, "", "init", "--db", db, "--ward", "W")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--db", db, dir}, "không đọc được " + dir + ": đây là một thư mục, cần một tệp / cannot read " + dir + ": it is a folder"},
		{[]string{"export", "--db", db, "--out", dir}, "không ghi được " + dir + ": đây là một thư mục"},
		{[]string{"export", "--db", db, "--out", filepath.Join(dir, "no", "x.jsonl")}, "không ghi được " + filepath.Join(dir, "no", "x.jsonl")},
	} {
		code, _, errs := storeRun(t, "", tc.args...)
		if code != exitBad || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 1 and %q", tc.args[0], code, errs, tc.want)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") || e.Name() == "no" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	r := demo.Households(demo.DefaultWard, 1, 5)[0]
	line := strings.Replace(string(household.Encode(r)), `"group": "`, `"group": 7, "x": "`, 1)
	line = strings.Replace(line, `"roof": "`, `"roof": "leaves", "y": "`, 1)
	code, _, errs := storeRun(t, line+"\n", "import", "--db", db, "--lang", "en", "-")
	if code != exitBad || !strings.Contains(errs, "group") || !strings.Contains(errs, "housing.roof") {
		t.Errorf("a wrong type and a broken rule: exit %d\n%s", code, errs)
	}
}

// TestDeleteUndelete: the office deletes a household and brings it back; both are revisions in
// its history, the export leaves it out while deleted, and an unknown id is a clear refusal.
func TestDeleteUndelete(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ward.db")
	storeRun(t, "", "init", "--db", db, "--ward", "W", "--role", "office")
	r := demo.Households(demo.DefaultWard, 1, 9)[0]
	if code, _, errs := storeRun(t, string(household.Encode(r))+"\n", "import", "--db", db, "-"); code != exitOK {
		t.Fatal(errs)
	}
	code, out, errs := storeRun(t, "", "delete", "--db", db, "--author", "Cán bộ A", r.ID)
	if code != exitOK || !strings.Contains(out, "đã xóa: "+r.ID+" "+r.HeadName()) {
		t.Fatalf("delete: exit %d\n%s%s", code, out, errs)
	}
	if _, out, _ := storeRun(t, "", "export", "--db", db); strings.Contains(out, r.ID) {
		t.Error("a deleted household is exported")
	}
	code, out, errs = storeRun(t, "", "undelete", "--db", db, "--lang", "en", r.ID)
	if code != exitOK || !strings.Contains(out, "undeleted: "+r.ID) {
		t.Fatalf("undelete: exit %d\n%s%s", code, out, errs)
	}
	if _, out, _ := storeRun(t, "", "export", "--db", db); !strings.Contains(out, r.ID) {
		t.Error("the undeleted household is not exported")
	}
	if _, out, _ := storeRun(t, "", "history", "--db", db, r.ID); strings.Count(out, "\n") < 4 {
		t.Errorf("history lacks the delete and undelete:\n%s", out)
	}
	if code, _, errs := storeRun(t, "", "undelete", "--db", db, "nope"); code != exitBad || errs == "" {
		t.Errorf("unknown id: exit %d, %q", code, errs)
	}
}
