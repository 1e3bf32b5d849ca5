package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/seal"
)

func passFile(t *testing.T, pass string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pass.txt")
	if err := os.WriteFile(p, []byte(pass+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEncryptedDatabaseCommands: init --encrypt, commands with --passphrase-file, a clear
// error without it or with a wrong one, passwd, and encrypt of a plaintext database.
func TestEncryptedDatabaseCommands(t *testing.T) {
	kdf = &seal.Params{Time: 1, Memory: 64, Threads: 1}
	t.Cleanup(func() { kdf = nil })
	dir := t.TempDir()
	db := filepath.Join(dir, "field.db")
	pf, wrong, newPF := passFile(t, "mật khẩu đúng 123"), passFile(t, "sai mật khẩu 456"), passFile(t, "mật khẩu mới 789")
	if code, _, errs := storeRun(t, "", "init", "--db", db, "--ward", "Phường Demo", "--encrypt"); code != exitUsage {
		t.Errorf("--encrypt without a passphrase file: exit %d %s", code, errs)
	}
	if code, out, errs := storeRun(t, "", "init", "--db", db, "--ward", "Phường Demo", "--encrypt", "--passphrase-file", pf); code != exitOK {
		t.Fatalf("init: exit %d %s%s", code, out, errs)
	}
	file := storeFile(t, demo.Households(demo.DefaultWard, 5, 3))
	if code, _, errs := storeRun(t, "", "import", "--db", db, file); code != exitBad || !strings.Contains(errs, "passphrase-file") || !strings.Contains(errs, "mã hóa") {
		t.Errorf("import without passphrase: exit %d %s", code, errs)
	}
	if code, _, errs := storeRun(t, "", "import", "--db", db, "--passphrase-file", wrong, file); code != exitBad || !strings.Contains(errs, "Wrong passphrase") {
		t.Errorf("import with a wrong passphrase: exit %d %s", code, errs)
	}
	if code, _, errs := storeRun(t, "", "import", "--db", db, "--passphrase-file", pf, file); code != exitOK {
		t.Fatalf("import: exit %d %s", code, errs)
	}
	if code, _, errs := storeRun(t, "", "passwd", "--db", db, "--passphrase-file", pf, "--new-passphrase-file", newPF); code != exitOK {
		t.Fatalf("passwd: exit %d %s", code, errs)
	}
	if code, _, errs := storeRun(t, "", "verify", "--db", db, "--passphrase-file", pf); code != exitBad {
		t.Errorf("verify with the old passphrase: exit %d %s", code, errs)
	}
	if code, _, errs := storeRun(t, "", "verify", "--db", db, "--passphrase-file", newPF); code != exitOK {
		t.Errorf("verify: exit %d %s", code, errs)
	}
	backup := filepath.Join(dir, "backup.db")
	if code, _, errs := storeRun(t, "", "backup", "--db", db, "--passphrase-file", newPF, backup); code != exitOK {
		t.Errorf("backup: exit %d %s", code, errs)
	}
	if code, _, _ := storeRun(t, "", "verify", "--db", backup); code != exitBad {
		t.Errorf("the backup opens without a passphrase")
	}

	plain := filepath.Join(dir, "plain.db")
	storeRun(t, "", "init", "--db", plain, "--ward", "Phường Demo")
	storeRun(t, "", "import", "--db", plain, file)
	if code, _, errs := storeRun(t, "", "encrypt", "--db", plain, "--passphrase-file", pf); code != exitOK {
		t.Fatalf("encrypt: exit %d %s", code, errs)
	}
	if code, out, errs := storeRun(t, "", "export", "--db", plain, "--passphrase-file", pf); code != exitOK || strings.Count(out, "\n") != 5 {
		t.Errorf("export after encrypt: exit %d %s", code, errs)
	}
}
