package store

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBackupNamesAndRotation(t *testing.T) {
	day := time.Date(2026, 9, 15, 14, 30, 12, 0, time.UTC)
	if n := DailyBackupName(day); n != "rasoat-daily-2026-09-15.db" {
		t.Error(n)
	}
	if n := ImportBackupName(day); n != "rasoat-import-20260915-143012.db" {
		t.Error(n)
	}
	var names []string
	for i := 0; i < 10; i++ {
		names = append(names, DailyBackupName(day.AddDate(0, 0, -i)), ImportBackupName(day.Add(-time.Duration(i)*time.Hour)))
	}
	names = append(names, "notes.txt", "rasoat.db", "rasoat-daily-x.txt", "rasoat-daily-.db")
	rm := BackupsToRemove(names, 7)
	if len(rm) != 6 {
		t.Fatalf("remove %v", rm)
	}
	for _, n := range rm {
		if n == DailyBackupName(day.AddDate(0, 0, -6)) || n == ImportBackupName(day) || !strings.HasPrefix(n, "rasoat-") {
			t.Errorf("removes %s", n)
		}
	}
	if !slices.Contains(rm, DailyBackupName(day.AddDate(0, 0, -9))) || !slices.Contains(rm, ImportBackupName(day.Add(-7*time.Hour))) {
		t.Errorf("keeps old ones: %v", rm)
	}
}

// TestAutoBackup: a copy a day (once), one before each import, the setting's folder, rotation.
func TestAutoBackup(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	dir := filepath.Join(t.TempDir(), "sao lưu")
	if d, _ := s.BackupDir(); d != filepath.Join(filepath.Dir(s.Path()), "backups") {
		t.Errorf("default folder %s", d)
	}
	if err := s.SetSetting(SettingBackupDir, dir, "Hoa"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(SettingBackupKeep, "3", "Hoa"); err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(households(2, 3)))
	day := time.Date(2026, 9, 15, 8, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		p, err := s.DailyBackup(day.AddDate(0, 0, i))
		if err != nil || p == "" {
			t.Fatal(p, err)
		}
		if p2, err := s.DailyBackup(day.AddDate(0, 0, i).Add(time.Hour)); err != nil || p2 != "" {
			t.Errorf("second copy the same day: %q %v", p2, err)
		}
		if _, err := s.BackupBeforeImport(day.AddDate(0, 0, i), "Hoa"); err != nil {
			t.Fatal(err)
		}
	}
	p1, _ := s.BackupBeforeImport(day.AddDate(0, 0, 10), "Hoa")
	p2, _ := s.BackupBeforeImport(day.AddDate(0, 0, 10), "Hoa")
	p3, _ := s.BackupBeforeImport(day.AddDate(0, 0, 10), "Hoa")
	if p1 == p2 || p2 == p3 {
		t.Error("two copies in the same second share a name")
	}
	// the copies of the same second are the newest: all three kept
	for _, p := range []string{p1, p2, p3} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	want := []string{"rasoat-daily-2026-09-17.db", "rasoat-daily-2026-09-18.db", "rasoat-daily-2026-09-19.db"}
	if len(names) != 6 || !slices.Equal(names[:3], want) {
		t.Errorf("folder holds %v", names)
	}
	b, err := Open(filepath.Join(dir, want[2]), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if rep, err := b.Verify(); err != nil || rep.Households != 2 {
		t.Errorf("backup: %+v %v", rep, err)
	}
	log, _ := s.AuditLog()
	n := 0
	for _, e := range log {
		if e.Action == AuditAutoBackup {
			n++
		}
	}
	if n != 13 {
		t.Errorf("%d automatic backups in the log, want 13", n)
	}
}

// TestRestoreFile: a dry run checks and compares and changes nothing; a restore keeps the
// current file and puts the backup in its place; a damaged backup is refused.
func TestRestoreFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rasoat.db")
	s, err := Create(path, Meta{Role: RoleOffice, Ward: "W"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(households(3, 1)))
	backup := filepath.Join(dir, "b.db")
	if err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(households(5, 2)))
	s.Close()
	before, _ := os.ReadFile(path)
	bakBytes, _ := os.ReadFile(backup)
	now := time.Date(2026, 9, 20, 9, 0, 0, 0, time.UTC)

	rep, err := RestoreFile(backup, path, true, now, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Backup.Households != 3 || rep.Current.Households != 8 || !rep.HasCurrent || rep.Kept != "" || rep.BackupAudit == 0 {
		t.Errorf("dry run %+v", rep)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("the dry run changed the database")
	}
	if b, _ := os.ReadFile(backup); string(b) != string(bakBytes) {
		t.Error("the dry run changed the backup")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("the dry run left files: %v", ents)
	}

	bad := filepath.Join(dir, "bad.db")
	os.WriteFile(bad, bakBytes[:len(bakBytes)/2], 0o600)
	if _, err := RestoreFile(bad, path, false, now, testOptions()); err == nil {
		t.Error("restored a truncated backup")
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("a refused restore changed the database")
	}

	rep, err = RestoreFile(backup, path, false, now, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Kept != filepath.Join(dir, "rasoat.before-restore-20260920-090000.db") {
		t.Errorf("kept as %s", rep.Kept)
	}
	if kept, _ := os.ReadFile(rep.Kept); string(kept) != string(before) {
		t.Error("the kept file is not the database before")
	}
	r, err := Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if v, err := r.Verify(); err != nil || v.Households != 3 {
		t.Errorf("restored: %+v %v", v, err)
	}
	if log, _ := r.AuditLog(); log[len(log)-1].Action != AuditRestoreDB {
		t.Errorf("last entry %+v", log[len(log)-1])
	}
}
