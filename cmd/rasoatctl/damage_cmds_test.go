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
