package store

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// flipIn flips a bit of the first occurrence of needle in the file (a record's content, which
// only its hash tells is damaged).
func flipIn(t testing.TB, path, needle string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(data, []byte(needle))
	if i < 0 {
		t.Fatalf("%q is not in %s", needle, path)
	}
	data[i+2] ^= 1
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func backupNames(t testing.TB, dir string) []string {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

// TestNoAutoBackupOfDamagedDatabase: on a database whose records no longer match their hashes,
// the copy before an import and the daily copy are refused with a clear error naming the
// database, and the good copies already there are never rotated away.
func TestNoAutoBackupOfDamagedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "office.db")
	s, err := Create(path, Meta{Ward: "W", Role: RoleOffice}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting(SettingBackupKeep, "3", "Hoa"); err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(households(20, 3)))
	if err := s.CheckSound(); err != nil {
		t.Fatalf("a sound database: %v", err)
	}
	at := time.Date(2026, 9, 15, 8, 0, 0, 0, time.UTC)
	for i := range 3 {
		if _, err := s.BackupBeforeImport(at.Add(time.Duration(i)*time.Minute), "Hoa"); err != nil {
			t.Fatal(err)
		}
	}
	dir, _ := s.BackupDir()
	good := backupNames(t, dir)
	s.Close()

	flipIn(t, path, `"water_source"`)
	s, err = Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	err = s.CheckSound()
	if !isKind(err, ErrCorrupt) || !strings.Contains(err.Error(), path) || !strings.Contains(Message(err, "en"), "does not match its hash") {
		t.Fatalf("CheckSound of a damaged database: %v", err)
	}
	for i := range 5 {
		p, err := s.BackupBeforeImport(at.Add(time.Hour+time.Duration(i)*time.Minute), "Hoa")
		if !isKind(err, ErrCorrupt) || !strings.Contains(err.Error(), path) || !strings.Contains(Message(err, "vi"), "không nhập gì") {
			t.Fatalf("backup before an import of a damaged database: %s %v", p, err)
		}
	}
	if _, err := s.DailyBackup(at.AddDate(0, 0, 1)); !isKind(err, ErrCorrupt) {
		t.Errorf("daily backup of a damaged database: %v", err)
	}
	if now := backupNames(t, dir); !slices.Equal(now, good) {
		t.Errorf("the backups were %v, are %v", good, now)
	}
	for _, n := range good {
		checkFile(t, filepath.Join(dir, n))
	}
}

// BenchmarkCheckSound10k is the quick check of a ward of 10,000 households, made before each
// automatic backup; BenchmarkBackupFile10k the backup it precedes.
func BenchmarkCheckSound10k(b *testing.B) {
	s := bench10kStore(b)
	for b.Loop() {
		if err := s.CheckSound(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBackupFile10k(b *testing.B) {
	s := bench10kStore(b)
	dst := filepath.Join(b.TempDir(), "copy.db")
	for b.Loop() {
		if err := s.BackupFile(dst); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify10k(b *testing.B) {
	s := bench10kStore(b)
	for b.Loop() {
		if _, err := s.Verify(); err != nil {
			b.Fatal(err)
		}
	}
}

func bench10kStore(b *testing.B) *Store {
	b.Helper()
	s, err := Create(filepath.Join(b.TempDir(), "ward.db"), Meta{Ward: "W", Role: RoleOffice}, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Import(bytes.NewReader(bench10k()), ImportOptions{Author: "bench"}); err != nil {
		b.Fatal(err)
	}
	fi, _ := os.Stat(s.Path())
	b.ReportMetric(float64(fi.Size())/1e6, "MB-file")
	return s
}
