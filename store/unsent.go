package store

import (
	"bytes"
	"time"
)

// The sync times (SetSyncTime) after which nothing made earlier on this device can be said
// never to have left it: the last batches written for the office (on a USB stick) and the last
// sync over the network.
var sentTimes = []string{"export", "sync"}

// UnsentDraft tells whether DeleteUnsentDraft may delete the household: on a field laptop, a
// draft, not deleted and not in conflict, every revision of which this device made and none of
// which has left it: none acknowledged by the office (Ack) and none made before the last export
// to a stick or sync with the office. Such a household the office has never seen.
func (s *Store) UnsentDraft(id string) (bool, error) {
	var ok bool
	err := s.viewTxn(func(t *txn) error {
		c, err := t.mustCur(id)
		if err != nil {
			return err
		}
		ok, err = t.unsentDraft(id, &c)
		return err
	})
	return ok, err
}

// DeleteUnsentDraft deletes a household entered by mistake on this field laptop, as Delete
// does, when UnsentDraft allows it; otherwise it gives ErrStatus and changes nothing. The
// delete is a revision like any other: it goes to the office with the household's other
// revisions at the next sync, the office's audit shows it, and Undelete brings the household
// back.
func (s *Store) DeleteUnsentDraft(id, author string) (Revision, error) {
	var out Revision
	err := s.updateTxn(func(t *txn) error {
		c, err := t.mustCur(id)
		if err != nil {
			return err
		}
		ok, err := t.unsentDraft(id, &c)
		if err != nil {
			return err
		}
		if !ok {
			return errorf(ErrStatus, nil, "hộ %s không phải phiếu nháp của máy này chưa gửi văn phòng",
				"household %s is not a draft of this laptop that was never sent to the office", id)
		}
		b, err := t.blob(c.Hash)
		if err != nil {
			return err
		}
		out, err = t.local(id, &c, bytes.Clone(b), c.Hash, nil, c.Status, c.Comment, author, true, false, "")
		return err
	})
	return out, err
}

func (t *txn) unsentDraft(id string, c *current) (bool, error) {
	if Role(t.get(t.meta, kRole)) != RoleField || c.Deleted || len(c.Heads) > 1 || c.Status != StatusDraft {
		return false, nil
	}
	dev := string(t.get(t.meta, kDeviceID))
	var acked uint64
	var sent time.Time
	if misc := syncSub(t.tx.Bucket(bSync), bSyncMisc); misc != nil {
		if v := misc.Get(kSyncAck); len(v) == 16 {
			acked = beUint64(v)
		}
		for _, name := range sentTimes {
			if v := misc.Get([]byte("time/" + name)); len(v) == 8 {
				if at := time.Unix(0, int64(beUint64(v))); at.After(sent) {
					sent = at
				}
			}
		}
	}
	p := prefix(id)
	cur := t.byHousehold.Cursor()
	for k, _ := cur.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = cur.Next() {
		if len(k) < len(p)+8 {
			return false, errorf(ErrCorrupt, nil, "khóa lịch sử hỏng", "a history key is damaged")
		}
		r, _, err := t.rev(string(k[len(p)+8:]))
		if err != nil {
			return false, err
		}
		if r.Device != dev || r.Seq <= acked || !r.Time.After(sent) {
			return false, nil
		}
	}
	return true, nil
}
