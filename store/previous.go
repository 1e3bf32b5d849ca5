package store

import (
	"bytes"
	"slices"
	"sort"

	"github.com/rasoat/rasoat/household"
)

// PreviousChange is one household whose previous_status SetPreviousStatuses changed.
type PreviousChange struct {
	ID       string
	Old, New string // "" when absent
	Revision string // the new revision
}

// SetPreviousStatuses records last year's recognised status of households (household id → a
// value of household.Statuses, or "" to clear it), in one transaction: each household whose
// previous_status changes gets one new revision that keeps its status and the office's
// comment, since last year's list is not an edit of the survey. Calling it again with the Old
// values of the changes undoes it, again as new revisions, so every step stays in the history.
// Households that are deleted, in conflict or unknown are left alone and returned in skipped,
// by id; a value that is not a status refuses the whole call.
func (s *Store) SetPreviousStatuses(set map[string]string, author string) (changes []PreviousChange, skipped []string, err error) {
	ids := make([]string, 0, len(set))
	for id, v := range set {
		if v != "" && !slices.Contains(household.Statuses, v) {
			return nil, nil, errorf(ErrInvalid, nil, "tình trạng năm trước %q của hộ %s", "previous status %q of household %s", v, id)
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	err = s.updateTxn(func(t *txn) error {
		changes, skipped = nil, nil
		for _, id := range ids {
			ch, ok, err := t.setPrevious(id, set[id], author)
			if err != nil {
				return err
			}
			switch {
			case !ok:
				skipped = append(skipped, id)
			case ch != nil:
				changes = append(changes, *ch)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return changes, skipped, nil
}

// setPrevious changes one household's previous_status; ok is false when it cannot be changed,
// and the change is nil when it had that value already.
func (t *txn) setPrevious(id, v, author string) (*PreviousChange, bool, error) {
	c, exists, err := t.cur(id)
	if err != nil || !exists || c.Deleted || len(c.Heads) > 1 {
		return nil, false, err
	}
	b, err := t.blob(c.Hash)
	if err != nil {
		return nil, false, err
	}
	rec, err := decodeBlob(bytes.Clone(b), c.Hash)
	if err != nil {
		return nil, false, err
	}
	if rec.PreviousStatus == v {
		return nil, true, nil
	}
	old := rec.PreviousStatus
	rec.PreviousStatus = v
	nb, dec, err := prepareRecord(rec)
	if err != nil {
		return nil, false, err
	}
	r, err := t.local(id, &c, nb, hashOf(nb), dec, c.Status, c.Comment, author, false, false, "")
	if err != nil {
		return nil, false, err
	}
	return &PreviousChange{ID: id, Old: old, New: v, Revision: r.ID}, true, nil
}
