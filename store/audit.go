package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/seal"
)

// The audit log (schema 4) records every change made to the database: who, when, on which
// device and what changed. Entries are appended in the transaction of the change they
// describe and never edited; each carries the SHA-256 of the entry before it, and the bucket keeps the number and hash of the last one, so that Verify finds an entry
// that was edited, removed or inserted.
//
//	audit/
//	  log/          seq (uint64) → entry (JSON)
//	  byhousehold/  household ␀ seq → ""
//	  head          seq (8 bytes) + SHA-256 of the last entry (32 bytes)
//
// The hashes are of the entries' JSON; in an encrypted database each entry is stored sealed
// (ctxAudit), so that the log shows no names, and the chain is the same before and after
// Encrypt.
const ctxAudit = "audit"

var (
	bAudit     = []byte("audit")
	bAuditLog  = []byte("log")
	bAuditByHH = []byte("byhousehold")
	kAuditHead = []byte("head")
)

// Actions recorded in the audit log.
const (
	AuditSave       = "save"        // a draft saved (Fields: what differs from the parent)
	AuditComplete   = "complete"    // marked complete
	AuditReview     = "review"      // approved or returned (Detail: the status, comment)
	AuditDelete     = "delete"      // deleted
	AuditUndelete   = "undelete"    // brought back
	AuditRestore    = "restore"     // an earlier revision restored (Detail: its id)
	AuditMerge      = "merge"       // a conflict merged field by field
	AuditStage      = "stage"       // a stage of a group marked or cleared
	AuditPrevious   = "previous"    // previous statuses set (Count)
	AuditAssignment = "assignment"  // a surveyor's assignment set
	AuditMeta       = "meta"        // the database's description changed (Fields)
	AuditDevice     = "device"      // a device approved or revoked (Detail)
	AuditSync       = "sync"        // a sync batch applied (Count, Detail: devices)
	AuditImport     = "import"      // an import (Count: households added or updated)
	AuditExport     = "export"      // an export or a posted list (an event)
	AuditBackup     = "backup"      // a backup copy written (an event; Detail: the file)
	AuditUser       = "user"        // an office user added or disabled
	AuditLogin      = "login"       // an office user logged in
	AuditRestoreDB  = "restore-db"  // the database replaced by a backup
	AuditSettings   = "settings"    // a setting changed (Detail)
	AuditAutoBackup = "auto-backup" // an automatic backup (Detail: the file)
)

// AuditEntry is one entry of the audit log.
type AuditEntry struct {
	Seq       uint64    `json:"seq"`
	Time      time.Time `json:"time"`
	Device    string    `json:"device"`
	Author    string    `json:"author,omitempty"`
	Action    string    `json:"action"`
	Household string    `json:"household,omitempty"`
	Revision  string    `json:"revision,omitempty"`
	Fields    []string  `json:"fields,omitempty"` // the fields that differ from the parent version
	Detail    string    `json:"detail,omitempty"`
	Count     int       `json:"count,omitempty"`
	Prev      string    `json:"prev"` // hex SHA-256 of the stored previous entry; "" for the first
}

func auditBuckets(tx *bolt.Tx) (root, log, byHH *bolt.Bucket, err error) {
	root = tx.Bucket(bAudit)
	if root != nil {
		log, byHH = root.Bucket(bAuditLog), root.Bucket(bAuditByHH)
	}
	if log == nil || byHH == nil {
		return nil, nil, nil, errorf(ErrCorrupt, nil, "thiếu nhật ký thay đổi", "the audit log is missing")
	}
	return root, log, byHH, nil
}

// appendAudit adds an entry in the transaction tx: its number, time and device are filled in.
func (s *Store) appendAudit(tx *bolt.Tx, e AuditEntry) error {
	root, log, byHH, err := auditBuckets(tx)
	if err != nil {
		return err
	}
	var seq uint64
	prev := ""
	if h := root.Get(kAuditHead); len(h) == 40 {
		seq = beUint64(h[:8])
		prev = hex.EncodeToString(h[8:])
	}
	seq++
	e.Seq, e.Prev = seq, prev
	if e.Time.IsZero() {
		e.Time = s.now().UTC()
	}
	if e.Device == "" {
		e.Device = string(tx.Bucket(bMeta).Get(kDeviceID))
	}
	v, err := json.Marshal(e)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(v)
	kr, err := s.keyring()
	if err != nil {
		return err
	}
	if err := log.Put(u64(seq), sealValue(kr, ctxAudit, u64(seq), v)); err != nil {
		return err
	}
	if e.Household != "" {
		if err := byHH.Put(append(append([]byte(e.Household), 0), u64(seq)...), nil); err != nil {
			return err
		}
	}
	return root.Put(kAuditHead, append(u64(seq), sum[:]...))
}

// Audit records an event that does not change the households (an export, a backup, a login)
// in its own transaction.
func (s *Store) Audit(e AuditEntry) error {
	return s.update(func(tx *bolt.Tx) error { return s.appendAudit(tx, e) })
}

// auditLocal is the entry of a household revision made on this device (txn.local): the
// action follows from the revision, and the fields that changed from the record of its parent.
func (t *txn) auditLocal(r *Revision, old *current, recBytes []byte, rec *household.Record, merge bool) error {
	if t.noAudit {
		return nil
	}
	e := AuditEntry{Time: r.Time, Device: r.Device, Author: r.Author, Household: r.HouseholdID, Revision: r.ID}
	switch {
	case r.Deleted:
		e.Action = AuditDelete
	case old != nil && old.Deleted:
		e.Action = AuditUndelete
	case r.Restored != "":
		e.Action, e.Detail = AuditRestore, r.Restored
	case merge:
		e.Action = AuditMerge
	case old != nil && old.Status == r.Status && old.Comment == r.Comment:
		e.Action = AuditSave // the content changed, not the status (previous status, …)
	case r.Status == StatusComplete:
		e.Action = AuditComplete
	case r.Status == StatusApproved || r.Status == StatusReturned:
		e.Action, e.Detail = AuditReview, strings.TrimSpace(r.Status+" "+r.Comment)
	default:
		e.Action = AuditSave
	}
	if old == nil {
		e.Fields = []string{"*"} // a new household: everything
	} else if old.Hash != hashOf(recBytes) {
		ob, err := t.blob(old.Hash)
		if err != nil {
			return err
		}
		a, ps := household.Decode(ob)
		b, ps2 := rec, household.Problems(nil)
		if b == nil {
			b, ps2 = household.Decode(recBytes)
		}
		if len(ps) == 0 && len(ps2) == 0 {
			for _, d := range household.Differences(a, b) {
				e.Fields = append(e.Fields, d.Field)
			}
		}
	}
	return t.s.appendAudit(t.tx, e)
}

// openAudit returns the JSON of a stored entry.
func openAudit(kr *seal.Keyring, k, v []byte) ([]byte, error) { return openValue(kr, ctxAudit, k, v) }

func decodeAudit(v []byte) (AuditEntry, error) {
	var e AuditEntry
	if err := json.Unmarshal(v, &e); err != nil {
		return e, errorf(ErrCorrupt, err, "mục nhật ký không đọc được", "an audit entry cannot be read")
	}
	return e, nil
}

// AuditLog returns every entry of the audit log, oldest first.
func (s *Store) AuditLog() ([]AuditEntry, error) {
	var out []AuditEntry
	err := s.EachAudit(func(e AuditEntry) error { out = append(out, e); return nil })
	return out, err
}

// EachAudit calls fn with every entry of the audit log, oldest first.
func (s *Store) EachAudit(fn func(AuditEntry) error) error {
	kr, err := s.keyring()
	if err != nil {
		return err
	}
	return s.view(func(tx *bolt.Tx) error {
		_, log, _, err := auditBuckets(tx)
		if err != nil {
			return err
		}
		return log.ForEach(func(k, v []byte) error {
			v, err := openAudit(kr, k, v)
			if err != nil {
				return err
			}
			e, err := decodeAudit(v)
			if err != nil {
				return err
			}
			return fn(e)
		})
	})
}

// AuditFor returns the entries of the audit log about one household, oldest first.
func (s *Store) AuditFor(householdID string) ([]AuditEntry, error) {
	var out []AuditEntry
	kr, err := s.keyring()
	if err != nil {
		return nil, err
	}
	err = s.view(func(tx *bolt.Tx) error {
		_, log, byHH, err := auditBuckets(tx)
		if err != nil {
			return err
		}
		prefix := append([]byte(householdID), 0)
		c := byHH.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			sk := k[len(prefix):]
			v := log.Get(sk)
			if v == nil {
				return errorf(ErrCorrupt, nil, "thiếu mục nhật ký %d", "audit entry %d is missing", beUint64(sk))
			}
			v, err := openAudit(kr, sk, v)
			if err != nil {
				return err
			}
			e, err := decodeAudit(v)
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// ExportAudit writes the audit log (or only a household's entries when householdID is not
// empty) as JSON Lines, oldest first.
func (s *Store) ExportAudit(w io.Writer, householdID string) error {
	enc := json.NewEncoder(w)
	if householdID != "" {
		es, err := s.AuditFor(householdID)
		if err != nil {
			return err
		}
		for _, e := range es {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return nil
	}
	return s.EachAudit(func(e AuditEntry) error { return enc.Encode(e) })
}

// verifyAudit checks the chain of the audit log: numbers 1…n without gaps, each entry
// carrying the hash of the one before, the head naming the last, and the household index
// pointing at entries of that household.
func verifyAudit(tx *bolt.Tx, kr *seal.Keyring, rep *VerifyReport) {
	root, log, byHH, err := auditBuckets(tx)
	if err != nil {
		rep.Errors = append(rep.Errors, err.Error())
		return
	}
	var want uint64 = 1
	prev := ""
	var last [32]byte
	hh := map[uint64]string{}
	log.ForEach(func(k, v []byte) error {
		if len(k) != 8 || beUint64(k) != want {
			rep.add("nhật ký: thiếu hoặc thừa mục ở số %d", "audit log: an entry is missing or added at %d", want)
			want = beUint64(k)
		}
		v, err := openAudit(kr, k, v)
		if err != nil {
			rep.add("nhật ký: mục %d bị sửa (không mở được)", "audit log: entry %d was altered (cannot be opened)", want)
			want++
			return nil
		}
		e, err := decodeAudit(v)
		switch {
		case err != nil:
			rep.add("nhật ký: mục %d không đọc được", "audit log: entry %d cannot be read", want)
		case e.Seq != want:
			rep.add("nhật ký: mục %d mang số %d", "audit log: entry %d is numbered %d", want, e.Seq)
		case e.Prev != prev:
			rep.add("nhật ký: chuỗi băm đứt ở mục %d (mục trước bị sửa hoặc xóa)", "audit log: the hash chain breaks at entry %d (the one before was edited or removed)", want)
		}
		if e.Household != "" {
			hh[want] = e.Household
		}
		last = sha256.Sum256(v)
		prev = hex.EncodeToString(last[:])
		want++
		return nil
	})
	n := want - 1
	h := root.Get(kAuditHead)
	switch {
	case n == 0 && h == nil:
	case len(h) != 40 || beUint64(h[:8]) != n || !bytes.Equal(h[8:], last[:]):
		rep.add("nhật ký: mục cuối không khớp với đầu chuỗi (mục cuối bị sửa hoặc xóa)", "audit log: the last entry does not match the head (it was edited or removed)")
	}
	seen := 0
	byHH.ForEach(func(k, _ []byte) error {
		i := bytes.IndexByte(k, 0)
		if i < 0 || len(k) != i+9 || hh[beUint64(k[i+1:])] != string(k[:i]) {
			rep.add("nhật ký: chỉ mục theo hộ sai ở %q", "audit log: bad household index entry %q", k)
			return nil
		}
		seen++
		return nil
	})
	if seen != len(hh) {
		rep.add("nhật ký: chỉ mục theo hộ có %d mục, cần %d", "audit log: the household index has %d entries, expected %d", seen, len(hh))
	}
}

// metaDiff names the fields of the description that differ.
func metaDiff(a, b Meta) []string {
	var out []string
	for _, f := range []struct {
		name string
		x, y string
	}{{"role", string(a.Role), string(b.Role)}, {"ward", a.Ward, b.Ward}, {"area", a.Area, b.Area},
		{"device_name", a.DeviceName, b.DeviceName}, {"surveyor", a.Surveyor, b.Surveyor}} {
		if f.x != f.y {
			out = append(out, f.name+": "+f.x+" → "+f.y)
		}
	}
	return out
}

// revDevices lists the devices that made a batch's revisions, in order of first appearance.
func revDevices(revs []Revision) string {
	var out []string
	for i := range revs {
		if !slices.Contains(out, revs[i].Device) {
			out = append(out, revs[i].Device)
		}
	}
	return strings.Join(out, ",")
}
