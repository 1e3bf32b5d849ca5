package store

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// Limits on the strings that become index keys.
const (
	maxIDLen  = 128
	maxKeyLen = 512
)

// checkKey refuses strings that cannot be part of an index key: too long, or with a 0 byte
// (the key separator) or another control character.
func checkKey(path, v string, max int) *household.Problem {
	bad := len(v) > max || !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 })
	if !bad {
		return nil
	}
	return &household.Problem{Path: path, Rule: "key",
		VI: "dài quá hoặc chứa ký tự điều khiển",
		EN: "too long or holds a control character"}
}

// prepareRecord turns a record into the canonical bytes the store keeps, and the record as
// they decode. A record that cannot be decoded again is refused with its problems; an invalid
// one is not (drafts may be incomplete).
func prepareRecord(rec *household.Record) ([]byte, *household.Record, error) {
	if rec == nil {
		return nil, nil, errorf(ErrInvalid, nil, "không có phiếu", "no record")
	}
	var ps household.Problems
	if rec.ID == "" {
		ps = append(ps, household.Problem{Path: "id", Rule: "required", VI: "thiếu mã hộ", EN: "the household id is missing"})
	}
	for _, k := range []struct {
		path, v string
		max     int
	}{{"id", rec.ID, maxIDLen}, {"group", rec.Group, maxKeyLen}, {"survey.surveyor", rec.Survey.Surveyor, maxKeyLen}} {
		if p := checkKey(k.path, k.v, k.max); p != nil {
			ps = append(ps, *p)
		}
	}
	if len(ps) > 0 {
		for i := range ps {
			ps[i].RecordID = rec.ID
		}
		return nil, nil, ps
	}
	b := household.Encode(rec)
	dec, ps := household.Decode(b)
	if len(ps) > 0 {
		return nil, nil, ps
	}
	// Decoding stores text in NFC; keep the bytes of what was decoded.
	if c := household.Encode(dec); !bytes.Equal(c, b) {
		b = c
	}
	return b, dec, nil
}

// SaveDraft saves the household as a new draft revision. The record need not be valid (a
// draft may be incomplete) but must have an id and encode to JSON that decodes again; the
// store assigns no ids. Saving content equal to the current one changes nothing and returns
// the current revision. Saving a deleted household brings it back.
func (s *Store) SaveDraft(rec *household.Record, author string) (Revision, error) {
	b, dec, err := prepareRecord(rec)
	if err != nil {
		return Revision{}, err
	}
	h := hashOf(b)
	var out Revision
	err = s.updateTxn(func(t *txn) error {
		old, exists, err := t.cur(dec.ID)
		if err != nil {
			return err
		}
		if exists && !old.Deleted && old.Hash == h {
			out, err = t.currentRev(&old)
			return err
		}
		var oldp *current
		if exists {
			oldp = &old
		}
		out, err = t.local(dec.ID, oldp, b, h, dec, StatusDraft, "", author, false, false, "")
		return err
	})
	return out, err
}

// editable loads a household that an operation changes: it must exist, not be deleted and not
// be in conflict.
func (t *txn) editable(id string) (current, error) {
	c, err := t.mustCur(id)
	if err != nil {
		return c, err
	}
	if c.Deleted {
		return c, errorf(ErrDeleted, nil, "hộ %s", "household %s", id)
	}
	if len(c.Heads) > 1 {
		return c, errorf(ErrConflict, nil, "hộ %s", "household %s", id)
	}
	return c, nil
}

// Check returns the problems that keep a record from being complete: the rules of the record
// format and those of the poverty standard chosen by its survey date, with the loaded score
// table's thresholds (Registry).
func (s *Store) Check(rec *household.Record) household.Problems {
	ps := household.Validate(rec)
	if len(ps) > 0 {
		return ps
	}
	reg, err := s.Registry()
	if err != nil && rec.Income.Kind == household.IncomeScore {
		return scoreProblem(rec, err)
	}
	std, p := reg.Choose(rec, "")
	if p != nil {
		return household.Problems{*p}
	}
	return poverty.Check(rec, std)
}

// MarkComplete marks the household's current content complete, as a new revision. It is
// refused with the household's problems (a household.Problems error) when the record is not
// valid under the record rules and the poverty standard chosen by its survey date. A household
// already complete is left as it is.
func (s *Store) MarkComplete(id, author string) (Revision, error) {
	var out Revision
	err := s.updateTxn(func(t *txn) error {
		c, err := t.editable(id)
		if err != nil {
			return err
		}
		switch c.Status {
		case StatusComplete:
			out, err = t.currentRev(&c)
			return err
		case StatusApproved:
			return errorf(ErrStatus, nil, "hộ %s đã được duyệt", "household %s is already approved", id)
		}
		b, err := t.blob(c.Hash)
		if err != nil {
			return err
		}
		b = bytes.Clone(b)
		rec, err := decodeBlob(b, c.Hash)
		if err != nil {
			return err
		}
		if ps := s.Check(rec); len(ps) > 0 {
			return ps
		}
		out, err = t.local(id, &c, b, c.Hash, rec, StatusComplete, "", author, false, false, "")
		return err
	})
	return out, err
}

// SetReview records the office's decision on a complete household: StatusApproved, or
// StatusReturned to the surveyor with a comment saying what to fix. Only an office database
// may review.
func (s *Store) SetReview(id, status, comment, author string) (Revision, error) {
	if status != StatusApproved && status != StatusReturned {
		return Revision{}, errorf(ErrInvalid, nil, "trạng thái duyệt %q (approved hoặc returned)", "review status %q (approved or returned)", status)
	}
	var out Revision
	err := s.updateTxn(func(t *txn) error {
		if Role(t.meta.Get(kRole)) != RoleOffice {
			return ErrRole
		}
		c, err := t.editable(id)
		if err != nil {
			return err
		}
		if c.Status == StatusDraft {
			return errorf(ErrStatus, nil, "hộ %s chưa được đánh dấu hoàn thành", "household %s is not marked complete", id)
		}
		if c.Status == status && c.Comment == comment {
			out, err = t.currentRev(&c)
			return err
		}
		b, err := t.blob(c.Hash)
		if err != nil {
			return err
		}
		out, err = t.local(id, &c, bytes.Clone(b), c.Hash, nil, status, comment, author, false, false, "")
		return err
	})
	return out, err
}

// Get returns the household's current record and revision. A deleted household gives
// ErrDeleted, with its last content still returned; an unknown one ErrNotFound.
func (s *Store) Get(id string) (*household.Record, Revision, error) {
	var rec *household.Record
	var rev Revision
	err := s.viewTxn(func(t *txn) error {
		c, err := t.mustCur(id)
		if err != nil {
			return err
		}
		if rev, err = t.currentRev(&c); err != nil {
			return err
		}
		if rec, err = decodeBlob(rev.Record, c.Hash); err != nil {
			return err
		}
		if c.Deleted {
			return errorf(ErrDeleted, nil, "hộ %s", "household %s", id)
		}
		return nil
	})
	return rec, rev, err
}

// History returns every revision of the household, oldest first (by time, then id), with
// their records.
func (s *Store) History(id string) ([]Revision, error) {
	var out []Revision
	err := s.viewTxn(func(t *txn) error {
		p := prefix(id)
		c := t.byHousehold.Cursor()
		for k, _ := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = c.Next() {
			if len(k) < len(p)+8 {
				return errorf(ErrCorrupt, nil, "khóa lịch sử hỏng", "a history key is damaged")
			}
			r, _, err := t.fullRev(string(k[len(p)+8:]))
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		if len(out) == 0 {
			return errorf(ErrNotFound, nil, "hộ %s", "household %s", id)
		}
		return nil
	})
	return out, err
}

// Restore makes a new draft revision with the record of an earlier revision of the household.
// It is also how a conflict is resolved: the new revision has every head as a parent.
// Restoring content equal to the current one, outside a conflict, changes nothing.
func (s *Store) Restore(id, revisionID, author string) (Revision, error) {
	var out Revision
	err := s.updateTxn(func(t *txn) error {
		c, err := t.mustCur(id)
		if err != nil {
			return err
		}
		r, h, err := t.rev(revisionID)
		if err != nil {
			return err
		}
		if r.HouseholdID != id {
			return errorf(ErrNotFound, nil, "phiên bản %s không thuộc hộ %s", "revision %s is not of household %s", revisionID, id)
		}
		if r.Deleted {
			return errorf(ErrDeleted, nil, "phiên bản %s là lần xóa hộ, không có nội dung để khôi phục; hãy dùng khôi phục hộ đã xóa",
				"revision %s is the deletion; use undelete instead", revisionID)
		}
		if h == c.Hash && !c.Deleted && len(c.Heads) == 1 {
			out, err = t.currentRev(&c)
			return err
		}
		b, err := t.blob(h)
		if err != nil {
			return err
		}
		out, err = t.local(id, &c, bytes.Clone(b), h, nil, StatusDraft, "", author, false, true, revisionID)
		return err
	})
	return out, err
}

// Delete deletes a household by a tombstone revision, which keeps its last content so that
// Undelete can bring it back. Deleting a deleted household changes nothing.
func (s *Store) Delete(id, author string) (Revision, error) {
	return s.setDeleted(id, author, true)
}

// Undelete brings a deleted household back as it was, by a new revision.
func (s *Store) Undelete(id, author string) (Revision, error) {
	return s.setDeleted(id, author, false)
}

func (s *Store) setDeleted(id, author string, deleted bool) (Revision, error) {
	var out Revision
	err := s.updateTxn(func(t *txn) error {
		c, err := t.mustCur(id)
		if err != nil {
			return err
		}
		if c.Deleted == deleted {
			out, err = t.currentRev(&c)
			return err
		}
		b, err := t.blob(c.Hash)
		if err != nil {
			return err
		}
		out, err = t.local(id, &c, bytes.Clone(b), c.Hash, nil, c.Status, c.Comment, author, deleted, false, "")
		return err
	})
	return out, err
}
