package store

import "github.com/rasoat/rasoat/household"

// SaveMerge resolves a conflict with a record made from the concurrent versions field by field
// (household.Merge): like Restore, a new draft revision whose parents are every head, so the
// versions it settles stay in the history. The household must be in conflict; the record is
// checked like a draft's (SaveDraft), and must be completed again before review.
func (s *Store) SaveMerge(rec *household.Record, author string) (Revision, error) {
	b, dec, err := prepareRecord(rec)
	if err != nil {
		return Revision{}, err
	}
	var out Revision
	err = s.updateTxn(func(t *txn) error {
		c, err := t.mustCur(dec.ID)
		switch {
		case err != nil:
			return err
		case c.Deleted:
			return errorf(ErrDeleted, nil, "hộ %s", "household %s", dec.ID)
		case len(c.Heads) < 2:
			return errorf(ErrStatus, nil, "hộ %s không có hai phiên bản sửa đồng thời", "household %s has no concurrent versions", dec.ID)
		}
		out, err = t.local(dec.ID, &c, b, hashOf(b), dec, StatusDraft, "", author, false, true, "")
		return err
	})
	return out, err
}

// Listed reports whether a household belongs on the ward's lists and reports: once it is
// marked complete (awaiting review, or approved) and not in conflict. Drafts and households
// returned to their surveyor are still being worked on; a conflict must be settled first.
func Listed(status string, conflict bool) bool {
	return !conflict && (status == StatusComplete || status == StatusApproved)
}

// Heads returns the concurrent versions of a household: the revisions without children, the
// provisional current one first (later by time, then revision id), with their records. A
// household without a conflict has one.
func (s *Store) Heads(id string) ([]Revision, error) {
	var out []Revision
	err := s.viewTxn(func(t *txn) error {
		c, err := t.mustCur(id)
		if err != nil {
			return err
		}
		for _, h := range c.Heads {
			r, _, err := t.fullRev(h.ID)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return nil
	})
	return out, err
}
