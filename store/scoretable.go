package store

import (
	"bytes"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// The ward's income score table (poverty.ScoreTable, docs/score-table.md) is kept in the meta
// bucket, as the bytes of the file the ward loaded:
//
//	meta/score_table    the file, checked by poverty.ParseScoreTable when loaded and read
//
// It belongs to the ward's data, so backups, restores, compacted and encrypted copies carry it
// with the rest of meta; it holds no household's personal data and is left in clear, like the
// rest of meta. A database without the key has no table: an older schema-5 database is
// exactly that, so no migration is needed. The store classifies and checks records with the
// shipped standards and this table (Registry).
var kScoreTable = []byte("score_table")

// scoreState is the registry in force: the shipped standards with the stored table, or the
// reason the stored table cannot be used.
type scoreState struct {
	reg   *poverty.Registry
	table *poverty.ScoreTable
	err   error
}

// scoreStateOf makes the registry of a stored table (nil: none).
func scoreStateOf(base *poverty.Registry, data []byte) *scoreState {
	if data == nil {
		return &scoreState{reg: base}
	}
	t, reg, err := applyScoreTable(base, data)
	if err != nil {
		return &scoreState{reg: base, err: errorf(ErrCorrupt, err,
			"không dùng được bảng điểm đã nạp; hãy nạp lại tệp bảng điểm của phường",
			"the loaded score table cannot be used; load the ward's score table file again")}
	}
	return &scoreState{reg: reg, table: t}
}

// applyScoreTable checks a score table file and the registry it gives.
func applyScoreTable(base *poverty.Registry, data []byte) (*poverty.ScoreTable, *poverty.Registry, error) {
	t, err := poverty.ParseScoreTable(data)
	if err == nil {
		var reg *poverty.Registry
		if reg, err = base.WithScoreTable(t); err == nil {
			return t, reg, nil
		}
	}
	var pe *poverty.Error
	if errors.As(err, &pe) {
		return nil, nil, &detailed{kind: ErrInvalid, vi: pe.VI, en: pe.EN}
	}
	return nil, nil, errorf(ErrInvalid, err, "", "")
}

// loadScoreState reads the stored table into the registry in force; Open calls it.
func (s *Store) loadScoreState() error {
	return s.view(func(tx *bolt.Tx) error {
		s.score.Store(scoreStateOf(s.base, bytes.Clone(tx.Bucket(bMeta).Get(kScoreTable))))
		return nil
	})
}

// Registry returns the poverty standards the store classifies with: the shipped ones, with the
// thresholds of the loaded score table where a standard has none. When the stored table cannot
// be used (damaged, or refused by a newer program's standards) it returns the shipped standards
// and the reason.
func (s *Store) Registry() (*poverty.Registry, error) {
	st := s.score.Load()
	return st.reg, st.err
}

// ScoreTable returns the loaded score table, nil when there is none. A stored table that
// cannot be used gives an ErrCorrupt error saying why.
func (s *Store) ScoreTable() (*poverty.ScoreTable, error) {
	st := s.score.Load()
	return st.table, st.err
}

// ScoreTableFile returns the bytes of the loaded score table file as the ward gave them, nil
// when there is none.
func (s *Store) ScoreTableFile() ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		out = bytes.Clone(tx.Bucket(bMeta).Get(kScoreTable))
		return nil
	})
	return out, err
}

// LoadScoreTable checks a score table file (poverty.ParseScoreTable, then that its thresholds
// fit the standards: Registry.WithScoreTable) and stores it in place of any earlier one, in one
// transaction recorded in the audit log. A file that does not pass is refused with ErrInvalid
// and the reason, and the table in force is unchanged. It returns the table now in force.
func (s *Store) LoadScoreTable(data []byte, author string) (*poverty.ScoreTable, error) {
	t, reg, err := applyScoreTable(s.base, data)
	if err != nil {
		return nil, err
	}
	err = s.update(func(tx *bolt.Tx) error {
		return s.putScoreTable(tx, bytes.Clone(data), t, reg, author, "score table loaded")
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// CheckScoreTable checks a score table file as LoadScoreTable does, and stores nothing: a file
// that does not pass gives ErrInvalid and the reason.
func (s *Store) CheckScoreTable(data []byte) (*poverty.ScoreTable, error) {
	t, _, err := applyScoreTable(s.base, data)
	return t, err
}

// putScoreTable stores a checked table file (t and reg are what it gives) in the transaction,
// with an audit entry whose detail starts with what.
func (s *Store) putScoreTable(tx *bolt.Tx, data []byte, t *poverty.ScoreTable, reg *poverty.Registry, author, what string) error {
	detail := fmt.Sprintf("%s: %s version %s (example=%v, sha256 %s)", what, t.ID, t.Version, t.IsExample(), t.SHA256())
	if err := s.appendAudit(tx, AuditEntry{Author: author, Action: AuditSettings, Detail: detail}); err != nil {
		return err
	}
	if err := tx.Bucket(bMeta).Put(kScoreTable, data); err != nil {
		return err
	}
	tx.OnCommit(func() { s.score.Store(&scoreState{reg: reg, table: t}) })
	return nil
}

// RemoveScoreTable removes the loaded score table, in one transaction recorded in the audit
// log: records with an income score are then refused where the standard has no thresholds of
// its own. Removing when there is none changes nothing.
func (s *Store) RemoveScoreTable(author string) error {
	return s.update(func(tx *bolt.Tx) error {
		_, err := s.removeScoreTable(tx, author, "score table removed")
		return err
	})
}

// removeScoreTable removes the stored table in the transaction, with an audit entry, and
// reports whether there was one.
func (s *Store) removeScoreTable(tx *bolt.Tx, author, what string) (bool, error) {
	meta := tx.Bucket(bMeta)
	if meta.Get(kScoreTable) == nil {
		return false, nil
	}
	if err := s.appendAudit(tx, AuditEntry{Author: author, Action: AuditSettings, Detail: what}); err != nil {
		return false, err
	}
	if err := meta.Delete(kScoreTable); err != nil {
		return false, err
	}
	tx.OnCommit(func() { s.score.Store(&scoreState{reg: s.base}) })
	return true, nil
}

// ScoreTableFile is Store.ScoreTableFile in the transaction.
func (x *SyncTx) ScoreTableFile() []byte {
	return bytes.Clone(x.tx.Bucket(bMeta).Get(kScoreTable))
}

// SetScoreTable makes data (nil: none) this database's score table, in the transaction: a
// field laptop takes the table the ward office has in force with the sync batch that carries
// it, all of it or nothing. The file is checked as LoadScoreTable does; one that does not pass
// is refused with ErrInvalid and the reason (and an error undoes the transaction). The change,
// if any, is recorded in the audit log with author; changed says whether there was one.
func (x *SyncTx) SetScoreTable(data []byte, author string) (changed bool, err error) {
	s := x.s
	if data == nil {
		return s.removeScoreTable(x.tx, author, "score table removed by the ward office (sync)")
	}
	t, reg, err := applyScoreTable(s.base, data)
	if err != nil {
		return false, err
	}
	if bytes.Equal(x.tx.Bucket(bMeta).Get(kScoreTable), data) {
		return false, nil
	}
	return true, s.putScoreTable(x.tx, bytes.Clone(data), t, reg, author, "score table loaded from the ward office (sync)")
}

// scoreProblem is the problem of a record with an income score while the stored table cannot
// be used: it is not checked against standards that may be missing the table's thresholds.
func scoreProblem(rec *household.Record, err error) household.Problems {
	return household.Problems{{RecordID: rec.ID, Path: "income.score", Rule: "score",
		VI: Message(err, "vi"), EN: Message(err, "en")}}
}
