package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The office copy backs itself up: one copy a day (the first time the app runs that day) and
// one before every import, in a folder of the user's choice, keeping the last few of each
// kind. Names carry the time, so that sorting them sorts by age:
//
//	rasoat-daily-2026-09-15.db
//	rasoat-import-20260915-143012.db

// DefaultBackupKeep is how many copies of each kind are kept when the setting is not set.
const DefaultBackupKeep = 7

const (
	dailyPrefix  = "rasoat-daily-"
	importPrefix = "rasoat-import-"
)

// Settings keys of the automatic backups.
const (
	SettingBackupDir  = "backup.dir"
	SettingBackupKeep = "backup.keep"
)

// DailyBackupName is the file name of the daily copy of the day of t (local time).
func DailyBackupName(t time.Time) string {
	return dailyPrefix + t.Format("2006-01-02") + ".db"
}

// ImportBackupName is the file name of the copy made before an import at t.
func ImportBackupName(t time.Time) string {
	return importPrefix + t.Format("20060102-150405") + ".db"
}

// BackupsToRemove returns the names, among those of a backup folder, of the automatic copies
// beyond the keep newest of each kind. Other files are never named.
func BackupsToRemove(names []string, keep int) []string {
	if keep < 1 {
		keep = 1
	}
	var out []string
	for _, kind := range []struct {
		prefix string
		stamp  int // length of the time in the name
	}{{dailyPrefix, len("2006-01-02")}, {importPrefix, len("20060102-150405")}} {
		var mine []string
		for _, n := range names {
			if strings.HasPrefix(n, kind.prefix) && strings.HasSuffix(n, ".db") && len(n) >= len(kind.prefix)+kind.stamp+3 {
				mine = append(mine, n)
			}
		}
		// newest first: by the time, then by the number of a second copy in the same second
		// ("…-2.db" is after "….db", though "-" sorts before ".")
		key := func(n string) (string, int) {
			rest := strings.TrimSuffix(n[len(kind.prefix):], ".db")
			c, _ := strconv.Atoi(strings.TrimPrefix(rest[kind.stamp:], "-"))
			return rest[:kind.stamp], c
		}
		sort.Slice(mine, func(i, j int) bool {
			ti, ci := key(mine[i])
			tj, cj := key(mine[j])
			if ti != tj {
				return ti > tj
			}
			return ci > cj
		})
		if len(mine) > keep {
			out = append(out, mine[keep:]...)
		}
	}
	sort.Strings(out)
	return out
}

// DefaultBackupDir is the backup folder beside the database: backups/ in its directory.
func DefaultBackupDir(dbPath string) string {
	return filepath.Join(filepath.Dir(dbPath), "backups")
}

// BackupDir is the folder of the automatic backups: the setting, else DefaultBackupDir.
func (s *Store) BackupDir() (string, error) {
	d, err := s.Setting(SettingBackupDir)
	if d == "" {
		d = DefaultBackupDir(s.path)
	}
	return d, err
}

// BackupKeep is how many automatic copies of each kind are kept.
func (s *Store) BackupKeep() int {
	v, _ := s.Setting(SettingBackupKeep)
	var n int
	if _, err := fmt.Sscan(v, &n); err != nil || n < 1 {
		return DefaultBackupKeep
	}
	return n
}

// DailyBackup makes today's copy in the backup folder unless it exists, then removes the
// copies beyond the ones to keep. It returns the path of the copy made, or "" when today's was
// there already.
func (s *Store) DailyBackup(now time.Time) (string, error) {
	dir, err := s.BackupDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, DailyBackupName(now))
	if _, err := os.Stat(path); err == nil {
		return "", nil
	}
	return path, s.autoBackup(dir, path, "")
}

// BackupBeforeImport makes a copy before an import, then removes the copies beyond the ones to
// keep. It returns the copy's path.
func (s *Store) BackupBeforeImport(now time.Time, author string) (string, error) {
	dir, err := s.BackupDir()
	if err != nil {
		return "", err
	}
	// Imports in the same second: NAME-2.db, NAME-3.db…, numbered after the highest there
	// (the first ones may have been rotated away already).
	name := ImportBackupName(now)
	stem := strings.TrimSuffix(name, ".db")
	next := 0
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		n := e.Name()
		if n == name {
			next = max(next, 2)
		} else if strings.HasPrefix(n, stem+"-") && strings.HasSuffix(n, ".db") {
			if c, err := strconv.Atoi(strings.TrimSuffix(n[len(stem)+1:], ".db")); err == nil {
				next = max(next, c+1)
			}
		}
	}
	if next > 0 {
		name = fmt.Sprintf("%s-%d.db", stem, next)
	}
	path := filepath.Join(dir, name)
	return path, s.autoBackup(dir, path, author)
}

// autoBackup makes an automatic copy and rotates the old ones, only of a database that passes
// CheckSound: a copy of a damaged one would push the last good copies out of the rotation.
// Refused, it makes and removes nothing, and an import that asked for it does not run.
func (s *Store) autoBackup(dir, path, author string) error {
	if err := s.CheckSound(); err != nil {
		return refuseBackup(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return errorf(ErrOpen, err, "thư mục sao lưu %s", "backup folder %s", dir)
	}
	if err := s.BackupFileAs(path, author, AuditAutoBackup); err != nil {
		return err
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	for _, n := range BackupsToRemove(names, s.BackupKeep()) {
		if err := os.Remove(filepath.Join(dir, n)); err != nil {
			return err
		}
	}
	return nil
}

// Settings of the app kept in the database (backup folder, …), in a bucket made on first use:
//
//	settings/   key → value
var bSettings = []byte("settings")

// Setting returns the value of a setting, "" when not set.
func (s *Store) Setting(key string) (string, error) {
	var v string
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bSettings); b != nil {
			v = string(b.Get([]byte(key)))
		}
		return nil
	})
	return v, err
}

// SetSetting changes a setting ("" removes it); author is recorded in the audit log.
func (s *Store) SetSetting(key, value, author string) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bSettings)
		if err != nil {
			return err
		}
		if string(b.Get([]byte(key))) == value {
			return nil
		}
		if err := s.appendAudit(tx, AuditEntry{Author: author, Action: AuditSettings, Detail: key + " = " + value}); err != nil {
			return err
		}
		if value == "" {
			return b.Delete([]byte(key))
		}
		return b.Put([]byte(key), []byte(value))
	})
}

// RestoreReport compares a backup with the database it would replace.
type RestoreReport struct {
	Backup, Current VerifyReport // Current is empty when there is no current database
	BackupAudit     int          // entries of the backup's audit log
	CurrentAudit    int
	HasCurrent      bool
	Checked         bool   // the backup opened and Backup is its check
	CurrentChecked  bool   // the current database opened and Current is its check
	Kept            string // where the current database was kept (a real restore)
}

// RestoreFile replaces the database at dbPath by the backup. It first checks the backup on a
// copy (so that the backup itself is never changed, even by a migration): it must open and
// verify. With dryRun it stops there and changes nothing. Otherwise the current file is kept
// as NAME.before-restore-TIMESTAMP.db beside it and the backup's copy is renamed into place,
// so that dbPath is at every moment either the old database or the restored one. o opens both.
func RestoreFile(backup, dbPath string, dryRun bool, now time.Time, o Options) (RestoreReport, error) {
	var rep RestoreReport
	dir := filepath.Dir(dbPath)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return rep, err
	}
	tmp, err := os.CreateTemp(dir, ".restore-*.db")
	if err != nil {
		return rep, err
	}
	tmpPath := tmp.Name()
	defer os.Remove(tmpPath)
	if err := copyInto(tmp, backup); err != nil {
		return rep, badBackup(err, tmpPath, backup)
	}
	b, err := Open(tmpPath, o)
	if err != nil {
		return rep, badBackup(err, tmpPath, backup)
	}
	rep.Backup, err = b.Verify()
	rep.Checked = true
	if err == nil {
		rep.BackupAudit, err = b.countAudit()
	}
	b.Close()
	if err != nil {
		return rep, badBackup(err, tmpPath, backup)
	}
	if _, err := os.Stat(dbPath); err == nil {
		rep.HasCurrent = true
		c, err := Open(dbPath, o)
		if err != nil && !errors.Is(err, ErrCorrupt) {
			return rep, err // locked by the app, …: do not replace a database in use
		}
		if err == nil {
			rep.CurrentChecked = true
			rep.Current, _ = c.Verify()
			rep.CurrentAudit, _ = c.countAudit()
			c.Close()
		}
	}
	if dryRun {
		return rep, nil
	}
	if rep.HasCurrent {
		rep.Kept = strings.TrimSuffix(dbPath, ".db") + ".before-restore-" + now.Format("20060102-150405") + ".db"
		if err := os.Link(dbPath, rep.Kept); err != nil {
			if err := copyFileTo(dbPath, rep.Kept); err != nil {
				return rep, err
			}
		}
	}
	if err := os.Rename(tmpPath, dbPath); err != nil {
		return rep, err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	s, err := Open(dbPath, o)
	if err != nil {
		return rep, err
	}
	defer s.Close()
	return rep, s.Audit(AuditEntry{Action: AuditRestoreDB, Detail: backup})
}

func (s *Store) countAudit() (int, error) {
	n := 0
	err := s.view(func(tx *bolt.Tx) error {
		_, log, _, err := auditBuckets(tx)
		if err != nil {
			return err
		}
		n = log.Stats().KeyN
		return nil
	})
	return n, err
}

// copyInto copies the file src into f, syncs and closes f.
func copyInto(f *os.File, src string) error {
	in, err := os.Open(src)
	if err != nil {
		f.Close()
		return errorf(ErrNotExist, err, "%s", "%s", src)
	}
	defer in.Close()
	if fi, err := in.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return errorf(ErrNotStore, nil, "%s là một thư mục", "%s is a folder", src)
	}
	if _, err := io.Copy(f, in); err != nil {
		f.Close()
		return diskFull(err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func copyFileTo(src, dst string) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	return copyInto(f, src)
}
