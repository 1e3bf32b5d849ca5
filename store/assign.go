package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// Assignment says which residential groups and which single households a surveyor must visit
// this round.
type Assignment struct {
	Surveyor   string
	Groups     []string
	Households []string
}

const assignFormat = 1

// SetAssignment sets a surveyor's assignment, replacing the one before; an assignment without
// groups or households removes the surveyor's.
func (s *Store) SetAssignment(a Assignment) error {
	if err := checkAssignment(a); err != nil {
		return err
	}
	return s.updateTxn(func(t *txn) error {
		if err := t.s.appendAudit(t.tx, AuditEntry{Action: AuditAssignment, Detail: a.Surveyor,
			Fields: append(append([]string{}, a.Groups...), a.Households...)}); err != nil {
			return err
		}
		return putAssignment(t.assignments, a)
	})
}

func checkAssignment(a Assignment) error {
	if a.Surveyor == "" || checkKey("surveyor", a.Surveyor, maxKeyLen) != nil {
		return errorf(ErrInvalid, nil, "tên rà soát viên trống, dài quá hoặc có ký tự điều khiển",
			"the surveyor's name is empty, too long or holds a control character")
	}
	return nil
}

func putAssignment(b *bolt.Bucket, a Assignment) error {
	k := []byte(a.Surveyor)
	if len(a.Groups) == 0 && len(a.Households) == 0 {
		return b.Delete(k)
	}
	e := enc{}
	e.byte(assignFormat)
	e.strs(a.Groups)
	e.strs(a.Households)
	return b.Put(k, e.b)
}

// replaceAssignments makes as every surveyor's assignment: the surveyors it does not name
// have none.
func replaceAssignments(b *bolt.Bucket, as []Assignment) error {
	keep := map[string]bool{}
	for _, a := range as {
		if err := checkAssignment(a); err != nil {
			return err
		}
		keep[a.Surveyor] = true
	}
	var drop [][]byte
	if err := b.ForEach(func(k, _ []byte) error {
		if !keep[string(k)] {
			drop = append(drop, bytes.Clone(k))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	for _, a := range as {
		if err := putAssignment(b, a); err != nil {
			return err
		}
	}
	return nil
}

// Assignments returns every surveyor's assignment, by surveyor name.
func (s *Store) Assignments() ([]Assignment, error) {
	var out []Assignment
	err := s.viewTxn(func(t *txn) error {
		return t.assignments.ForEach(func(k, v []byte) error {
			d := dec{b: v}
			a := Assignment{Surveyor: string(k)}
			if d.byte() == assignFormat {
				a.Groups = d.strs()
				a.Households = d.strs()
			} else {
				d.bad = true
			}
			if d.bad || len(d.b) > 0 {
				return errorf(ErrCorrupt, nil, "phân công của %s không đọc được", "the assignment of %s cannot be read", k)
			}
			out = append(out, a)
			return nil
		})
	})
	return out, err
}
