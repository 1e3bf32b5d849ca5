package store

import "time"

// Deletion is a deleted household as the office lists it: its summary as it was when deleted,
// and who deleted it, when and on which device (its tombstone revision: the office's own
// delete, or a field laptop's delete of a draft it never sent).
type Deletion struct {
	Summary
	By     string    // the author of the delete
	At     time.Time // when it was made
	Device string    // the id of the device that made it
}

// Deletions returns the deleted households, which Undelete can bring back, in the store's
// order, each with who deleted it, when and where, read in one transaction.
func (s *Store) Deletions() ([]Deletion, error) {
	var out []Deletion
	err := s.viewTxn(func(t *txn) error {
		return t.eachCurrent(func(id []byte, c *current) error {
			if !c.Deleted {
				return nil
			}
			r, _, err := t.rev(c.Rev)
			if err != nil {
				return err
			}
			out = append(out, Deletion{Summary: c.summary(string(id)), By: r.Author, At: r.Time, Device: r.Device})
			return nil
		})
	})
	return out, err
}
