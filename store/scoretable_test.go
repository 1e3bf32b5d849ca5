package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

const exampleTablePath = "../poverty/testdata/score-table-example.json"

func exampleTable(t testing.TB) []byte {
	t.Helper()
	data, err := os.ReadFile(exampleTablePath)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// scored2027 is a valid household surveyed under 2027-2030 with an income score: the standard
// has no score thresholds of its own.
func scored2027(t testing.TB, score int64) *household.Record {
	t.Helper()
	h := households(1, 3)[0].Clone()
	h.Survey.Date = household.MustDate("2027-09-15")
	h.Area = household.AreaRural
	h.Income = household.Income{Kind: household.IncomeScore, Value: score}
	if ps := household.Validate(h); len(ps) > 0 {
		t.Fatalf("test household: %v", ps)
	}
	return h
}

func hasScoreProblem(ps household.Problems) bool {
	return len(ps) == 1 && ps[0].Path == "income.score"
}

// TestScoreTable loads, reads and removes the ward's score table; the store checks records
// with it, and it stays in the file (close, open, backup) until removed.
func TestScoreTable(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	if st, err := s.ScoreTable(); st != nil || err != nil {
		t.Fatalf("a new database has a table: %v %v", st, err)
	}
	rec := scored2027(t, 150)
	if ps := s.Check(rec); !hasScoreProblem(ps) {
		t.Fatalf("without a table: %v", ps)
	}
	if _, err := s.Import(bytes.NewReader(jsonl([]*household.Record{rec})), ImportOptions{Author: "test"}); !isKind(err, ErrInvalid) {
		t.Fatalf("import without a table: %v", err)
	}

	// A file that does not pass is refused with the reason, and nothing is stored.
	bad := bytes.Replace(exampleTable(t), []byte(`"2022-2025": {"rural": 140`), []byte(`"2022-2025": {"rural": 150`), 1)
	if _, err := s.LoadScoreTable(bad, "cán bộ"); !isKind(err, ErrInvalid) || !strings.Contains(Message(err, "en"), "140") || !strings.Contains(Message(err, "vi"), "140") {
		t.Fatalf("disagreeing thresholds: %v", err)
	}
	if _, err := s.LoadScoreTable([]byte("{"), "cán bộ"); !isKind(err, ErrInvalid) {
		t.Fatalf("not JSON: %v", err)
	}
	if f, _ := s.ScoreTableFile(); f != nil {
		t.Fatal("a refused file was stored")
	}

	st, err := s.LoadScoreTable(exampleTable(t), "cán bộ")
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsExample() || st.ID != "example" {
		t.Errorf("loaded %+v", st)
	}
	if got, _ := s.ScoreTable(); got != st {
		t.Error("ScoreTable is not the table loaded")
	}
	reg, err := s.Registry()
	if err != nil || reg.ScoreTable() != st {
		t.Fatalf("registry: %v", err)
	}
	if ps := s.Check(rec); len(ps) != 0 {
		t.Fatalf("with the table: %v", ps)
	}
	mustImport(t, s, jsonl([]*household.Record{rec}))
	if log, _ := s.AuditLog(); !strings.Contains(log[len(log)-2].Detail, "score table loaded: example") || log[len(log)-2].Author != "cán bộ" {
		t.Errorf("audit %+v", log[len(log)-2])
	}

	// It is in the file: after opening again, and in a backup.
	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{s.Path(), backup} {
		if path == s.Path() {
			s.Close()
		}
		o, err := Open(path, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		got, err := o.ScoreTable()
		if err != nil || got == nil || got.SHA256() != st.SHA256() {
			t.Errorf("%s: table %v, %v", filepath.Base(path), got, err)
		}
		if f, _ := o.ScoreTableFile(); !bytes.Equal(f, exampleTable(t)) {
			t.Errorf("%s: the stored file is not the ward's bytes", filepath.Base(path))
		}
		if ps := o.Check(rec); len(ps) != 0 {
			t.Errorf("%s: %v", filepath.Base(path), ps)
		}
		if path == backup {
			o.Close()
		} else {
			s = o
		}
	}

	// Removed: scores under 2027-2030 are refused again, and stay so after opening again.
	if err := s.RemoveScoreTable("cán bộ"); err != nil {
		t.Fatal(err)
	}
	n, _ := s.countAudit()
	if err := s.RemoveScoreTable("cán bộ"); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.countAudit(); m != n {
		t.Error("removing no table wrote to the audit log")
	}
	if st, err := s.ScoreTable(); st != nil || err != nil || !hasScoreProblem(s.Check(rec)) {
		t.Fatalf("after removing: %v %v", st, err)
	}
	path := s.Path()
	s.Close()
	s, err = Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, _ := s.ScoreTable(); st != nil {
		t.Error("the removed table came back")
	}
}

// TestScoreTableDamaged: a stored table that no longer parses does not keep the database from
// opening; records with a score are refused with the reason, others are checked as usual, and
// loading the file again mends it.
func TestScoreTableDamaged(t *testing.T) {
	s := newTestStore(t, RoleField)
	if _, err := s.LoadScoreTable(exampleTable(t), "x"); err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	s.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bMeta).Put(kScoreTable, []byte(`{"format": "rasoat.score-table/v9"}`))
	})
	db.Close()
	if s, err = Open(path, testOptions()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.ScoreTable(); !isKind(err, ErrCorrupt) {
		t.Fatalf("damaged table: %v", err)
	}
	if ps := s.Check(scored2027(t, 100)); !hasScoreProblem(ps) || !strings.Contains(ps[0].EN, "score table") {
		t.Errorf("a score with a damaged table: %v", ps)
	}
	declared := households(1, 3)[0]
	if ps := s.Check(declared); len(ps) != 0 {
		t.Errorf("a declared income with a damaged table: %v", ps)
	}
	if _, err := s.LoadScoreTable(exampleTable(t), "x"); err != nil {
		t.Fatal(err)
	}
	if st, err := s.ScoreTable(); st == nil || err != nil || len(s.Check(scored2027(t, 100))) != 0 {
		t.Errorf("after loading again: %v %v", st, err)
	}
}

// TestScoreTableEncrypted: an encrypted database keeps its table through encryption, lock and
// a new opening; the table is no personal data and needs no key to read.
func TestScoreTableEncrypted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rasoat.db")
	s, err := Create(path, Meta{Ward: "W"}, encOptions(""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadScoreTable(exampleTable(t), "x"); err != nil {
		t.Fatal(err)
	}
	if err := s.EnableEncryption(testPass); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(path, encOptions(testPass)); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if st, err := s.ScoreTable(); st == nil || err != nil {
		t.Fatalf("after encryption: %v %v", st, err)
	}
	if rep, err := s.Verify(); err != nil {
		t.Fatalf("verify: %v %v", err, rep.Errors)
	}
	if err := s.RemoveScoreTable("x"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LoadScoreTable(exampleTable(t), "x"); err != nil {
		t.Fatal(err)
	}
	s.Lock()
	if st, _ := s.ScoreTable(); st == nil {
		t.Error("a locked database forgot its table")
	}
	if _, err := s.LoadScoreTable(exampleTable(t), "x"); !isKind(err, ErrEncrypted) {
		t.Errorf("loading into a locked database (its audit log is sealed): %v", err)
	}
}

// TestScoreTableOldSchema: a database of every earlier schema opens without a table and takes
// one: the table is a key of meta, which no migration touches.
func TestScoreTableOldSchema(t *testing.T) {
	for _, v := range []int{1, SchemaVersion} {
		path := filepath.Join(t.TempDir(), "old.db")
		copyFile(t, frozenPath(v, ".db"), path)
		s, err := Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := s.ScoreTable(); st != nil || err != nil {
			t.Errorf("schema %d: %v %v", v, st, err)
		}
		if _, err := s.LoadScoreTable(exampleTable(t), "x"); err != nil {
			t.Errorf("schema %d: %v", v, err)
		}
		s.Close()
		checkFile(t, path)
	}
}

// TestSyncTxScoreTable: sync sets a laptop's table inside a batch's transaction: checked as
// LoadScoreTable checks, written with the rest or not at all, removed when the office has none;
// and the office keeps the newest hash each laptop reported.
func TestSyncTxScoreTable(t *testing.T) {
	s := newTestStore(t, RoleField)
	example := exampleTable(t)
	set := func(data []byte, fail error) (bool, error) {
		var changed bool
		err := s.SyncUpdate(func(x *SyncTx) error {
			var err error
			if changed, err = x.SetScoreTable(data, "dev-office"); err != nil {
				return err
			}
			return fail
		})
		return changed, err
	}
	bad := bytes.Replace(example, []byte(`"2022-2025": {"rural": 140`), []byte(`"2022-2025": {"rural": 150`), 1)
	if _, err := set(bad, nil); !isKind(err, ErrInvalid) {
		t.Fatalf("a bad table: %v", err)
	}
	// a transaction that fails after setting the table leaves none
	if _, err := set(example, ErrConflict); !errors.Is(err, ErrConflict) {
		t.Fatal(err)
	}
	if st, err := s.ScoreTable(); st != nil || err != nil {
		t.Fatalf("after a failed transaction: %v %v", st, err)
	}
	if f, _ := s.ScoreTableFile(); f != nil {
		t.Fatal("the failed transaction stored the table")
	}
	if changed, err := set(example, nil); !changed || err != nil {
		t.Fatal(changed, err)
	}
	if st, err := s.ScoreTable(); st == nil || err != nil || st.SHA256() == "" {
		t.Fatalf("after loading: %v %v", st, err)
	}
	if changed, err := set(example, nil); changed || err != nil {
		t.Fatalf("the same table again: %v %v", changed, err)
	}
	if changed, err := set(nil, nil); !changed || err != nil {
		t.Fatal(changed, err)
	}
	if st, err := s.ScoreTable(); st != nil || err != nil {
		t.Fatalf("after removing: %v %v", st, err)
	}
	if changed, err := set(nil, nil); changed || err != nil {
		t.Fatal(changed, err)
	}

	// the office: the newest report by the laptop's clock wins
	note := func(sha string, stamp int64) {
		t.Helper()
		if err := s.SyncUpdate(func(x *SyncTx) error { return x.NotePeerScoreTable("dev-a", sha, stamp) }); err != nil {
			t.Fatal(err)
		}
	}
	if sha, err := s.PeerScoreTable("dev-a"); sha != "" || err != nil {
		t.Fatal(sha, err)
	}
	note("aaa", 10)
	note("old", 5)
	if sha, _ := s.PeerScoreTable("dev-a"); sha != "aaa" {
		t.Fatalf("peer table %q", sha)
	}
	note("none", 11)
	if sha, _ := s.PeerScoreTable("dev-a"); sha != "none" {
		t.Fatalf("peer table %q", sha)
	}
	if sha, _ := s.PeerScoreTable("dev-b"); sha != "" {
		t.Fatalf("another peer %q", sha)
	}
}
