package store

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/seal"
)

// fastKDF keeps the store's tests fast; the app uses seal.DefaultParams.
var fastKDF = &seal.Params{Time: 1, Memory: 64, Threads: 1}

const testPass = "mật khẩu thử nghiệm"

func encOptions(pass string) Options {
	o := testOptions()
	o.Passphrase, o.KDF = pass, fastKDF
	return o
}

// knownHouseholds are demo households with names, ID numbers and addresses the test looks for.
func knownHouseholds(n int) []*household.Record {
	recs := households(n, 7)
	recs[0].Members[0].Name = "Nguyễn Thị Mùi Ngoãn"
	recs[0].Members[0].IDNumber = "001234567890"
	recs[0].Address = "Số 12 ngõ Hòa Bình"
	recs[1].Members[0].Name = "Tran Van Khoa" // no diacritics
	recs[1].Members[0].IDNumber = "079876543210"
	recs[1].Address = "Kiệt 45 Điện Biên Phủ"
	return recs
}

// secrets are the personal strings of the households: names as written and folded, the
// longer search words, ID numbers and addresses.
func secrets(recs []*household.Record) []string {
	var out []string
	for _, r := range recs {
		var texts []string
		for _, m := range r.Members {
			texts = append(texts, m.Name)
			out = append(out, m.Name, Fold(m.Name))
			if m.IDNumber != "" {
				out = append(out, m.IDNumber)
			}
		}
		if r.Address != "" {
			out = append(out, r.Address, Fold(r.Address))
			texts = append(texts, r.Address)
		}
		for _, w := range Tokens(texts...) {
			if len(w) >= 6 { // shorter ones could be met by chance in random bytes
				out = append(out, w)
			}
		}
	}
	return out
}

func assertNoSecrets(t *testing.T, path string, needles []string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range needles {
		if bytes.Contains(raw, []byte(n)) {
			t.Errorf("%s holds %q in clear", filepath.Base(path), n)
		}
	}
}

// TestEncryptedFileHoldsNoPersonalData writes households with known names, ID numbers and
// addresses into an encrypted field database (with sync state and a waiting batch) and finds
// none of them in the raw bytes of the file nor of its backup.
func TestEncryptedFileHoldsNoPersonalData(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rasoat.db")
	s, err := Create(path, Meta{Role: RoleField, Ward: demo.DefaultWard.Name, Area: household.AreaUrban, DeviceName: "test"}, encOptions(testPass))
	if err != nil {
		t.Fatal(err)
	}
	recs := knownHouseholds(40)
	mustImport(t, s, jsonl(recs))
	edit := recs[0].Clone()
	edit.Members[0].Name = "Nguyễn Thị Mùi Ngoãn"
	edit.Members = append(edit.Members, edit.Members[0])
	edit.Members[len(edit.Members)-1].Name = "Phạm Thị Xinh Hường"
	edit.Members[len(edit.Members)-1].IDNumber = "036111222333"
	if _, err := s.SaveDraft(edit, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.InitSyncKeys(SyncKeys{SignKey: []byte("SIGNING-KEY-SECRET-0123456789"), AgeIdentity: "AGE-SECRET-KEY-1XYZ"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetEnrollment([]byte(`{"package":"ENROLLMENT-SECRET"}`)); err != nil {
		t.Fatal(err)
	}
	batch, _ := json.Marshal(map[string]string{"name": "Lò Văn Pằn", "id": "011999888777"})
	if err := s.syncTx(func(x *SyncTx) error { return x.PutPendingBatch("peer\x00000001", batch) }); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	if err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	if res, err := s.Search("nguyen mui ngoa", 0); err != nil || len(res) != 1 || res[0].ID != recs[0].ID {
		t.Errorf("search by a prefix in an encrypted store: %v %v", res, err)
	}
	s.Close()

	needles := append(secrets(append(recs, edit)), "SIGNING-KEY-SECRET", "AGE-SECRET-KEY", "ENROLLMENT-SECRET", "011999888777")
	needles = append(needles, "Lò Văn Pằn", "Pằn")
	assertNoSecrets(t, path, needles)
	assertNoSecrets(t, backup, needles)

	// Without the passphrase: a clear error; a wrong one: no data.
	if _, err := Open(path, Options{NoSync: true}); !isKind(err, ErrEncrypted) {
		t.Fatalf("open without passphrase: %v", err)
	}
	if _, err := Open(path, encOptions("not the passphrase")); !isKind(err, ErrWrongPassphrase) {
		t.Fatalf("open with a wrong passphrase: %v", err)
	}
	for _, p := range []string{path, backup} {
		s, err := Open(p, encOptions(testPass))
		if err != nil {
			t.Fatal(err)
		}
		if rep, err := s.Verify(); err != nil {
			t.Errorf("verify: %v\n%s", err, joinLines(rep.Errors))
		}
		for q, want := range map[string]int{"nguyen thi mui ngoan": 1, "ngoã": 1, "Trần văn khoa": 1, "tran van kh": 1, "hoa binh ": 1, "xinh huong": 1, "zzzz": 0} {
			res, err := s.Search(q, 0)
			if err != nil || len(res) != want {
				t.Errorf("search %q: %d results (%v), want %d", q, len(res), err, want)
			}
		}
		if res, err := s.Search("n", 0); err != nil || len(res) == 0 {
			t.Errorf("one-letter search: %v %v", res, err)
		}
		rec, _, err := s.Get(recs[1].ID)
		if err != nil || rec.Members[0].IDNumber != "079876543210" {
			t.Errorf("get: %v", err)
		}
		if k, ok, err := s.SyncKeys(); err != nil || !ok || k.AgeIdentity != "AGE-SECRET-KEY-1XYZ" {
			t.Errorf("sync keys: %v %v", ok, err)
		}
		if b, ok, err := s.PendingBatch("peer\x00000001"); err != nil || !ok || !bytes.Equal(b, batch) {
			t.Errorf("pending batch: %v %v", ok, err)
		}
		s.Close()
	}
}

// TestPassphraseChangeAndLock: a new passphrase re-wraps the key (the old one no longer
// opens, the data stays); Lock keeps household data out of reach until Unlock.
func TestPassphraseChangeAndLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rasoat.db")
	s, err := Create(path, Meta{Ward: demo.DefaultWard.Name}, encOptions(testPass))
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(knownHouseholds(5)))
	if err := s.ChangePassphrase("wrong passphrase", "new passphrase 2"); !isKind(err, ErrWrongPassphrase) {
		t.Errorf("change with a wrong old passphrase: %v", err)
	}
	if err := s.ChangePassphrase(testPass, "short"); !isKind(err, ErrInvalid) {
		t.Errorf("change to a short passphrase: %v", err)
	}
	if err := s.ChangePassphrase(testPass, "new passphrase 2"); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if !s.Locked() {
		t.Error("not locked")
	}
	if _, err := s.List(); !isKind(err, ErrEncrypted) {
		t.Errorf("list while locked: %v", err)
	}
	if _, _, err := s.SyncKeys(); !isKind(err, ErrEncrypted) {
		t.Errorf("sync keys while locked: %v", err)
	}
	if m, err := s.Meta(); err != nil || m.Ward != demo.DefaultWard.Name {
		t.Errorf("meta while locked: %v", err)
	}
	if err := s.Unlock(testPass); !isKind(err, ErrWrongPassphrase) {
		t.Errorf("unlock with the old passphrase: %v", err)
	}
	if err := s.Unlock("new passphrase 2"); err != nil {
		t.Fatal(err)
	}
	if l, err := s.List(); err != nil || len(l) != 5 {
		t.Errorf("list after unlock: %d %v", len(l), err)
	}
	s.Close()
	if _, err := Open(path, encOptions(testPass)); !isKind(err, ErrWrongPassphrase) {
		t.Errorf("old passphrase opens: %v", err)
	}
	s, err = Open(path, encOptions("new passphrase 2"))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
}

// TestEncryptExisting turns encryption on for a plaintext database: the new file holds no
// personal data, opens with the passphrase only, verifies, and the plaintext file is gone.
func TestEncryptExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rasoat.db")
	s, err := Create(path, Meta{Ward: demo.DefaultWard.Name}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	recs := knownHouseholds(30)
	mustImport(t, s, jsonl(recs))
	if s.Encrypted() {
		t.Fatal("a database made without a passphrase is encrypted")
	}
	s.Close()
	if raw, _ := os.ReadFile(path); !bytes.Contains(raw, []byte("Nguyễn Thị Mùi Ngoãn")) || !bytes.Contains(raw, []byte("079876543210")) {
		t.Fatal("the plaintext file does not hold the names: the search for them proves nothing")
	}
	if err := Encrypt(path, testPass, encOptions("")); err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, path, secrets(recs))
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "rasoat.db" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
	if _, err := Open(path, testOptions()); !isKind(err, ErrEncrypted) {
		t.Errorf("open without passphrase: %v", err)
	}
	s, err = Open(path, encOptions(testPass))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if rep, err := s.Verify(); err != nil {
		t.Errorf("verify: %v\n%s", err, joinLines(rep.Errors))
	}
	if l, _ := s.List(); len(l) != 30 {
		t.Errorf("%d households after encrypting", len(l))
	}
	if err := Encrypt(path+".x", testPass, encOptions("")); err == nil {
		t.Error("encrypting a missing file")
	}
	if err := s.ChangePassphrase(testPass, "another passphrase"); err != nil {
		t.Error(err)
	}
}

// TestMoveAside: a forgotten passphrase moves the locked file aside, never deleting it.
func TestMoveAside(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rasoat.db")
	s, err := Create(path, Meta{Ward: demo.DefaultWard.Name}, encOptions(testPass))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	to, err := MoveAside(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(to), "rasoat.db.locked-") {
		t.Errorf("moved to %s", to)
	}
	if ok, err := IsEncrypted(to); err != nil || !ok {
		t.Errorf("moved file: %v %v", ok, err)
	}
	if m, err := ReadMeta(to); err != nil || m.Ward != demo.DefaultWard.Name {
		t.Errorf("meta of the locked file: %+v %v", m, err)
	}
	if ok, err := IsEncrypted(path); ok || !isKind(err, ErrNotExist) {
		t.Errorf("a missing file: %v %v", ok, err)
	}
	plain := filepath.Join(filepath.Dir(path), "plain.db")
	ps, err := Create(plain, Meta{Ward: "x"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	ps.Close()
	if ok, err := IsEncrypted(plain); ok || err != nil {
		t.Errorf("a plaintext file: %v %v", ok, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("still at its place: %v", err)
	}
}

// TestEnableEncryptionInPlace: an open plaintext database is encrypted in one transaction;
// it then needs the passphrase, verifies and searches, and its compacted copy holds no
// personal data.
func TestEnableEncryptionInPlace(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rasoat.db")
	s, err := Create(path, Meta{Ward: demo.DefaultWard.Name}, encOptions(""))
	if err != nil {
		t.Fatal(err)
	}
	recs := knownHouseholds(25)
	mustImport(t, s, jsonl(recs))
	if _, err := s.InitSyncKeys(SyncKeys{SignKey: []byte("SIGNING-KEY-SECRET-0123456789"), AgeIdentity: "AGE-SECRET-KEY-1XYZ"}); err != nil {
		t.Fatal(err)
	}
	// the control: a plaintext file holds the names, as written
	s.Close()
	if raw, _ := os.ReadFile(path); !bytes.Contains(raw, []byte("Nguyễn Thị Mùi Ngoãn")) || !bytes.Contains(raw, []byte("001234567890")) {
		t.Fatal("the plaintext file does not hold the names: the search for them proves nothing")
	}
	if s, err = Open(path, encOptions("")); err != nil {
		t.Fatal(err)
	}
	if err := s.EnableEncryption("short"); !isKind(err, ErrInvalid) || s.Encrypted() {
		t.Fatalf("short passphrase: %v", err)
	}
	if err := s.EnableEncryption(testPass); err != nil {
		t.Fatal(err)
	}
	if err := s.EnableEncryption(testPass); !isKind(err, ErrAlreadyEncrypted) {
		t.Errorf("twice: %v", err)
	}
	if res, err := s.Search("nguyen mui ngoan", 0); err != nil || len(res) != 1 {
		t.Errorf("search after encrypting: %v %v", res, err)
	}
	edit := recs[2].Clone()
	edit.Members[0].Name = "Đinh Thị Thuỷ Tiên"
	if _, err := s.SaveDraft(edit, "test"); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Verify(); err != nil {
		t.Errorf("verify: %v\n%s", err, joinLines(rep.Errors))
	}
	compact := filepath.Join(dir, "compact.db")
	if err := s.Compact(compact); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// the pages freed by the encryption were overwritten: the file itself holds no plaintext
	assertNoSecrets(t, path, append(secrets(append(recs, edit)), "AGE-SECRET-KEY"))
	assertNoSecrets(t, compact, append(secrets(append(recs, edit)), "AGE-SECRET-KEY"))
	if _, err := Open(path, testOptions()); !isKind(err, ErrEncrypted) {
		t.Errorf("open without passphrase: %v", err)
	}
	s, err = Open(compact, encOptions(testPass))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if res, err := s.Search("thuy tien", 0); err != nil || len(res) != 1 {
		t.Errorf("search in the compacted copy: %v %v", res, err)
	}
	if k, ok, err := s.SyncKeys(); err != nil || !ok || k.AgeIdentity != "AGE-SECRET-KEY-1XYZ" {
		t.Errorf("sync keys: %v %v", ok, err)
	}
}

// TestOldSchemasStayUnencrypted: a database of every earlier schema opens (migrated) as it
// did, unencrypted, without a passphrase; encryption is turned on afterwards and keeps its
// whole history.
func TestOldSchemasStayUnencrypted(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "schema-v*.db"))
	if len(files) == 0 {
		t.Fatal("no frozen databases")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "old.db")
			if err := os.WriteFile(path, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := Open(path, encOptions("")) // no passphrase, as before
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.Encrypted() {
				t.Fatal("an old database came out encrypted")
			}
			var before bytes.Buffer
			if err := s.Export(&before, ExportOptions{History: true}); err != nil {
				t.Fatal(err)
			}
			if err := s.EnableEncryption(testPass); err != nil {
				t.Fatal(err)
			}
			var after bytes.Buffer
			if err := s.Export(&after, ExportOptions{History: true}); err != nil {
				t.Fatal(err)
			}
			if before.String() != after.String() || before.Len() == 0 {
				t.Errorf("the history changed with encryption (%d → %d bytes)", before.Len(), after.Len())
			}
			if rep, err := s.Verify(); err != nil {
				t.Errorf("verify: %v\n%s", err, joinLines(rep.Errors))
			}
		})
	}
}
