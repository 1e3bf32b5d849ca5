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
	data = bytes.Clone(data)
	err = s.update(func(tx *bolt.Tx) error {
		detail := fmt.Sprintf("score table loaded: %s version %s (example=%v, sha256 %s)", t.ID, t.Version, t.IsExample(), t.SHA256())
		if err := s.appendAudit(tx, AuditEntry{Author: author, Action: AuditSettings, Detail: detail}); err != nil {
			return err
		}
		if err := tx.Bucket(bMeta).Put(kScoreTable, data); err != nil {
			return err
		}
		tx.OnCommit(func() { s.score.Store(&scoreState{reg: reg, table: t}) })
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// RemoveScoreTable removes the loaded score table, in one transaction recorded in the audit
// log: records with an income score are then refused where the standard has no thresholds of
// its own. Removing when there is none changes nothing.
func (s *Store) RemoveScoreTable(author string) error {
	return s.update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bMeta)
		if meta.Get(kScoreTable) == nil {
			return nil
		}
		if err := s.appendAudit(tx, AuditEntry{Author: author, Action: AuditSettings, Detail: "score table removed"}); err != nil {
			return err
		}
		if err := meta.Delete(kScoreTable); err != nil {
			return err
		}
		tx.OnCommit(func() { s.score.Store(&scoreState{reg: s.base}) })
		return nil
	})
}

// scoreProblem is the problem of a record with an income score while the stored table cannot
// be used: it is not checked against standards that may be missing the table's thresholds.
func scoreProblem(rec *household.Record, err error) household.Problems {
	return household.Problems{{RecordID: rec.ID, Path: "income.score", Rule: "score",
		VI: Message(err, "vi"), EN: Message(err, "en")}}
}
