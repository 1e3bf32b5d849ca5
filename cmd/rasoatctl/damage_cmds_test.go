package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
)

// storeDB makes a database of n households in a new folder and returns its path.
func storeDB(t *testing.T, role string, n int) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "ward.db")
	if code, _, errs := storeRun(t, "", "init", "--db", db, "--ward", "W", "--role", role); code != exitOK {
		t.Fatalf("init: %s", errs)
	}
	if n > 0 {
		if code, _, errs := storeRun(t, "", "import", "--db", db, storeFile(t, demo.Households(demo.DefaultWard, n, 5))); code != exitOK {
			t.Fatalf("import: %s", errs)
		}
	}
	return db
}

// A truncated database is named and called damaged or truncated, in both languages, with no
// text of the Go runtime.
func TestTruncatedDatabaseNamed(t *testing.T) {
	db := storeDB(t, "field", 30)
	data, _ := os.ReadFile(db)
	for _, n := range []int{8192, 20000, 100000} {
		cut := filepath.Join(t.TempDir(), "cut.db")
		os.WriteFile(cut, data[:n], 0o600)
		for _, cmd := range []string{"verify", "export"} {
			code, _, errs := storeRun(t, "", cmd, "--db", cut)
			if code != exitBad || !strings.Contains(errs, cut) || !strings.Contains(errs, "bị cắt cụt") ||
				!strings.Contains(errs, "truncated") || strings.Contains(errs, "runtime") {
				t.Errorf("%s of a file cut at %d: exit %d %s", cmd, n, code, errs)
			}
		}
	}
}

// restore of a bad backup names the backup (never the temporary copy), prints no summary of
// it, leaves no temporary file and changes nothing.
func TestRestoreBadBackupNamed(t *testing.T) {
	db := storeDB(t, "office", 10)
	dir := filepath.Dir(db)
	before, _ := os.ReadFile(db)
	garbage := filepath.Join(t.TempDir(), "bk_garbage.db")
	os.WriteFile(garbage, []byte("garbage\n"), 0o600)
	empty := filepath.Join(t.TempDir(), "bk_empty.db")
	os.WriteFile(empty, nil, 0o600)
	cut := filepath.Join(t.TempDir(), "bk_cut.db")
	os.WriteFile(cut, before[:20000], 0o600)
	folder := t.TempDir()
	for _, bk := range []string{garbage, empty, cut, folder} {
		for _, lang := range []string{"vi", "en"} {
			code, out, errs := storeRun(t, "", "restore", "--lang", lang, "--db", db, bk)
			if code != exitBad || !strings.Contains(errs, bk) || strings.Contains(errs, ".restore-") ||
				!strings.Contains(errs, "Bản sao lưu bị hỏng") || !strings.Contains(errs, "The backup is damaged") ||
				strings.Contains(errs, "runtime") {
				t.Errorf("restore %s: exit %d\n%s%s", bk, code, out, errs)
			}
			if out != "" {
				t.Errorf("restore %s printed a summary of a file it could not check: %q", bk, out)
			}
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".restore-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, before) {
		t.Error("a refused restore changed the database")
	}

	// the summary of a good backup is in one language
	bk := filepath.Join(t.TempDir(), "good.db")
	storeRun(t, "", "backup", "--db", db, bk)
	code, out, errs := storeRun(t, "", "restore", "--dry-run", "--db", db, bk)
	if code != exitOK || !strings.Contains(out, "10 hộ") || strings.Contains(out, "households") || strings.Contains(out, "problem") {
		t.Errorf("dry run: exit %d\n%s%s", code, out, errs)
	}
}

// flipInFile flips a bit of the first occurrence of needle in the file.
func flipInFile(t *testing.T, path, needle string) {
	t.Helper()
	data, _ := os.ReadFile(path)
	i := bytes.Index(data, []byte(needle))
	if i < 0 {
		t.Fatalf("%q is not in %s", needle, path)
	}
	data[i+2] ^= 1
	os.WriteFile(path, data, 0o600)
}

// On an office database whose records no longer match their hashes, import is refused before
// its automatic backup (which would push a good one out of the rotation), and backup writes
// the copy asked for but says it is damaged and exits 1.
func TestDamagedOfficeDatabaseKeepsGoodBackups(t *testing.T) {
	db := storeDB(t, "office", 10) // and one automatic backup
	one := storeFile(t, demo.Households(demo.DefaultWard, 1, 9))
	for range 3 {
		if code, _, errs := storeRun(t, "", "import", "--db", db, one); code != exitOK {
			t.Fatalf("import: %s", errs)
		}
	}
	backups := filepath.Join(filepath.Dir(db), "backups")
	good, _ := filepath.Glob(filepath.Join(backups, "*.db"))
	if len(good) != 4 {
		t.Fatalf("backups %v", good)
	}
	flipInFile(t, db, `"water_source"`)
	before, _ := os.ReadFile(db)
	for range 8 {
		code, out, errs := storeRun(t, "", "import", "--db", db, one)
		if code != exitBad || !strings.Contains(errs, db) || !strings.Contains(errs, "không nhập gì") || !strings.Contains(errs, "nothing was imported") || out != "" {
			t.Fatalf("import into a damaged database: exit %d\n%s%s", code, out, errs)
		}
	}
	if now, _ := filepath.Glob(filepath.Join(backups, "*.db")); len(now) != len(good) {
		t.Errorf("backups were %v, are %v", good, now)
	}
	for _, b := range good {
		if code, _, errs := storeRun(t, "", "verify", "--db", b); code != exitOK {
			t.Errorf("a good backup is gone or damaged: %s", errs)
		}
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(after, before) {
		t.Error("a refused import changed the database")
	}

	copyPath := filepath.Join(t.TempDir(), "copy.db")
	code, _, errs := storeRun(t, "", "backup", "--db", db, copyPath)
	if code != exitBad || !strings.Contains(errs, "does not match its hash") || !strings.Contains(errs, "copy of a damaged database") {
		t.Errorf("backup of a damaged database: exit %d %s", code, errs)
	}
	if _, err := os.Stat(copyPath); err != nil {
		t.Error("backup did not write the copy asked for")
	}
}

// export and export --history of a database with a damaged record exit 1 naming the database,
// and never output the damaged record.
func TestExportRefusesDamagedRecords(t *testing.T) {
	db := storeDB(t, "field", 5)
	_, good, _ := storeRun(t, "", "export", "--db", db)
	flipInFile(t, db, `"water_source"`)
	for _, args := range [][]string{{"export", "--db", db}, {"export", "--history", "--db", db}} {
		code, out, errs := storeRun(t, "", args...)
		if code != exitBad || !strings.Contains(errs, db) || !strings.Contains(errs, "không khớp mã băm") || !strings.Contains(errs, "was not exported") {
			t.Errorf("%v: exit %d %s", args, code, errs)
		}
		if n := strings.Count(out, "\n"); n != 4 {
			t.Errorf("%v: %d lines, want the 4 good ones", args, n)
		}
	}
	if strings.Count(good, "\n") != 5 {
		t.Errorf("export before the damage: %q", good)
	}
}
