package store

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
)

// smallDisk mounts a tmpfs of the given size for the test (root only: CI and the developer
// machines run as root) and returns its path.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("mounting a small tmpfs needs root")
	}
	dir := filepath.Join(t.TempDir(), "small")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	return dir
}

// TestDiskFull fills a small disk: the import that does not fit fails with a clear error and
// leaves nothing half-written; what was stored before is intact; work resumes when space
// returns.
func TestDiskFull(t *testing.T) {
	dir := smallDisk(t, "6m")
	path := filepath.Join(dir, "rasoat.db")
	s, err := Create(path, Meta{Role: RoleOffice, Ward: demo.DefaultWard.Name, Area: household.AreaUrban}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Take most of the disk with a filler file that can be removed later.
	filler := filepath.Join(dir, "filler")
	if err := os.WriteFile(filler, make([]byte, 3<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	hs := demo.Households(demo.DefaultWard, 4000, 77)
	stored := 0
	var fullErr error
	for i := 0; i+100 <= len(hs); i += 100 {
		if _, err := s.Import(bytes.NewReader(jsonl(hs[i:i+100])), ImportOptions{Author: "test"}); err != nil {
			fullErr = err
			break
		}
		stored += 100
	}
	if fullErr == nil {
		t.Fatal("4,000 households fitted on a 6 MB disk: the test did not fill it")
	}
	if !errors.Is(fullErr, ErrDiskFull) || !strings.Contains(Message(fullErr, "vi"), "Ổ đĩa đã đầy") {
		t.Errorf("the disk-full error does not say so in Vietnamese: %v", fullErr)
	}
	t.Logf("stored %d households before the disk was full: %v", stored, fullErr)
	// A backup onto the full disk is refused the same way and leaves no partial file.
	backup := filepath.Join(dir, "backup.db")
	if err := s.BackupFile(backup); !errors.Is(err, ErrDiskFull) {
		t.Errorf("backup onto a full disk: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*backup*")); len(left) > 0 {
		t.Errorf("a failed backup left %v", left)
	}
	// The store still works for reading, and what was stored is all there.
	if got, err := s.List(); err != nil || len(got) != stored {
		t.Fatalf("after the failed import: %d households listed (want %d), %v", len(got), stored, err)
	}
	s.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("reopening after disk full: %v", err)
	}
	if rep, err := s.Verify(); err != nil {
		t.Fatalf("verify after disk full: %v %v", err, rep.Errors)
	}
	// Space returns: the same import now succeeds.
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(bytes.NewReader(jsonl(hs[stored:stored+100])), ImportOptions{Author: "test"}); err != nil {
		t.Fatalf("import after space returned: %v", err)
	}
	if got, _ := s.List(); len(got) != stored+100 {
		t.Fatalf("%d households, want %d", len(got), stored+100)
	}
	s.Close()
	checkFile(t, path)
}
