package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/seal"
	"github.com/rasoat/rasoat/store"
)

func init() {
	store.PasswordParams = seal.Params{Time: 1, Memory: 64, Threads: 1}
}

// TestAuditUserRestoreCommands: an office import is backed up first and logged; audit export
// of a household; users; restore --dry-run changes nothing, restore keeps the current file.
func TestAuditUserRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ward.db")
	if code, _, errs := storeRun(t, "", "init", "--db", db, "--ward", "Phường Demo", "--role", "office"); code != exitOK {
		t.Fatal(errs)
	}
	recs := demo.Households(demo.DefaultWard, 5, 3)
	if code, _, errs := storeRun(t, "", "import", "--db", db, "--author", "Hoa", storeFile(t, recs)); code != exitOK {
		t.Fatal(errs)
	}
	backups, _ := filepath.Glob(filepath.Join(dir, "backups", "rasoat-import-*.db"))
	if len(backups) != 1 {
		t.Fatalf("backups before import: %v", backups)
	}
	edit := recs[0].Clone()
	edit.Address = "Số 3, ngõ Mới"
	if code, _, errs := storeRun(t, "", "import", "--db", db, "--author", "Hoa", storeFile(t, []*household.Record{edit})); code != exitOK {
		t.Fatal(errs)
	}
	code, out, errs := storeRun(t, "", "audit", "export", "--db", db)
	if code != exitOK {
		t.Fatal(errs)
	}
	var actions []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		var e store.AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		actions = append(actions, e.Action)
	}
	if got := strings.Join(actions, " "); got != "auto-backup import auto-backup import" {
		t.Errorf("audit log: %s", got)
	}
	if code, out, _ := storeRun(t, "", "audit", "export", "--db", db, "--household", recs[0].ID); code != exitOK || out != "" {
		t.Errorf("a household imported has no entry of its own: %q", out) // imports are one entry
	}
	if code, _, _ := storeRun(t, "", "audit", "--db", db); code != exitUsage {
		t.Errorf("audit without export: exit %d", code)
	}

	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("mật khẩu của Hoa\n"), 0o600)
	if code, _, errs := storeRun(t, "", "user", "add", "Hoa", "--db", db, "--password-file", pw); code != exitOK {
		t.Fatal(errs)
	}
	if code, _, errs := storeRun(t, "", "user", "add", "Bình", "--db", db, "--password-file", pw, "--by", "Hoa"); code != exitOK {
		t.Fatal(errs)
	}
	if code, _, errs := storeRun(t, "", "user", "disable", "Bình", "--db", db, "--by", "Hoa"); code != exitOK {
		t.Fatal(errs)
	}
	if code, out, _ := storeRun(t, "", "user", "list", "--db", db); code != exitOK || !strings.Contains(out, "Bình") || !strings.Contains(out, "disabled") {
		t.Errorf("user list: %s", out)
	}

	before, _ := os.ReadFile(db)
	code, out, errs = storeRun(t, "", "restore", "--dry-run", "--lang", "en", backups[0], "--db", db)
	if code != exitOK || !strings.Contains(out, "nothing was changed") || !strings.Contains(out, "0 households") || !strings.Contains(out, "5 households") {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errs)
	}
	if after, _ := os.ReadFile(db); string(after) != string(before) {
		t.Error("the dry run changed the database")
	}
	code, out, errs = storeRun(t, "", "restore", "--lang", "en", backups[0], "--db", db)
	if code != exitOK || !strings.Contains(out, "before-restore-") {
		t.Fatalf("restore: exit %d\n%s%s", code, out, errs)
	}
	storeVerified(t, db)
	kept, _ := filepath.Glob(filepath.Join(dir, "ward.before-restore-*.db"))
	if len(kept) != 1 {
		t.Errorf("kept files %v", kept)
	}
	if code, out, _ := storeRun(t, "", "export", "--db", db); code != exitOK || out != "" {
		t.Errorf("the restored database (before the first import) holds %q", out)
	}
}
