package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/seal"
)

// The state of sync (package sync) lives in its own top-level bucket, made on first use:
//
//	syncstate/
//	  keys/      "identity" → JSON SyncKeys: this database's own secret keys
//	  devices/   device id → JSON SyncDevice (office: the enrolled laptops)
//	  misc/      "enrollment" → the laptop's enrollment package; "ack" → the office's
//	             acknowledgement (seq, stamp); "time/NAME" → times; "stamp/NAME" → stamps;
//	             "scoretable/PEER" → stamp, SHA-256 of the score table a laptop has (office)
//	  peerhave/  peer id 0 device id → uint64: what a laptop last said it has (office)
//	  pending/   batch id → verified batch bytes waiting for a gap to fill
//
// None of it is derived from the revisions, so migrations and rebuilds leave it alone.
var (
	bSync         = []byte("syncstate")
	bSyncKeys     = []byte("keys")
	bSyncDevices  = []byte("devices")
	bSyncMisc     = []byte("misc")
	bSyncPeerHave = []byte("peerhave")
	bSyncPending  = []byte("pending")

	kSyncIdentity   = []byte("identity")
	kSyncEnrollment = []byte("enrollment")
	kSyncAck        = []byte("ack")
)

// SyncKeys are a database's own keys for sync. They never leave the database: only their
// public halves are written to enrollment files.
type SyncKeys struct {
	WardID      string    `json:"ward_id,omitempty"` // the office's: the ward's sync id
	SignKey     []byte    `json:"sign_key"`          // Ed25519 private key (64 bytes)
	AgeIdentity string    `json:"age_identity"`      // age secret key of the batches sent here
	TLSCert     []byte    `json:"tls_cert,omitempty"`
	TLSKey      []byte    `json:"tls_key,omitempty"` // the office's HTTPS certificate and key (PEM)
	Created     time.Time `json:"created"`
}

// SyncDevice is a laptop enrolled with the office.
type SyncDevice struct {
	ID           string    `json:"id"`
	Name         string    `json:"name"`
	Surveyor     string    `json:"surveyor"`
	SignKey      []byte    `json:"sign_key"` // Ed25519 public key
	AgeRecipient string    `json:"age_recipient"`
	Code         string    `json:"code"` // the short code read out at enrollment
	Enrolled     time.Time `json:"enrolled"`
	Revoked      time.Time `json:"revoked,omitzero"` // zero while the device may sync
}

// PendingBatch is a verified batch kept until the batches before it arrive.
type PendingBatch struct {
	ID   string
	Data []byte
}

// syncUpdate and syncView run one transaction on the sync bucket; syncView gets nil when the
// bucket has never been made.
func (s *Store) syncUpdate(fn func(b *bolt.Bucket) error) error {
	return s.update(func(tx *bolt.Tx) error {
		b, err := syncBuckets(tx)
		if err != nil {
			return err
		}
		return fn(b)
	})
}

// syncBuckets returns the sync bucket of a write transaction, made with its children if need
// be.
func syncBuckets(tx *bolt.Tx) (*bolt.Bucket, error) {
	b, err := tx.CreateBucketIfNotExists(bSync)
	if err != nil {
		return nil, err
	}
	for _, n := range [][]byte{bSyncKeys, bSyncDevices, bSyncMisc, bSyncPeerHave, bSyncPending} {
		if _, err := b.CreateBucketIfNotExists(n); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// SyncTx is the sync state inside a write transaction, the one PutRevisionsWith hands to its
// extra function: what sync records about a batch (the acknowledgement, what the peer has,
// the assignments, the batch leaving the waiting list) then commits with the batch's
// revisions, or not at all. It is valid until that function returns.
type SyncTx struct {
	s  *Store
	tx *bolt.Tx
	b  *bolt.Bucket
	kr *seal.Keyring // see encrypt.go
}

// SyncTx returns the sync state of tx, which must be a write transaction of this store.
func (s *Store) SyncTx(tx *bolt.Tx) (*SyncTx, error) {
	if tx == nil || tx.DB() != s.db || !tx.Writable() {
		return nil, errorf(ErrInvalid, nil, "không phải giao dịch ghi của cơ sở dữ liệu này",
			"not a write transaction of this database")
	}
	kr, err := s.keyring()
	if err != nil {
		return nil, err
	}
	b, err := syncBuckets(tx)
	if err != nil {
		return nil, err
	}
	return &SyncTx{s: s, tx: tx, b: b, kr: kr}, nil
}

// syncTx runs fn on the sync state in one write transaction of its own.
func (s *Store) syncTx(fn func(x *SyncTx) error) error {
	return s.update(func(tx *bolt.Tx) error {
		x, err := s.SyncTx(tx)
		if err != nil {
			return err
		}
		return fn(x)
	})
}

func (s *Store) syncView(fn func(b *bolt.Bucket) error) error {
	return s.view(func(tx *bolt.Tx) error { return fn(tx.Bucket(bSync)) })
}

// sub returns a child bucket of the sync bucket, or nil.
func syncSub(b *bolt.Bucket, name []byte) *bolt.Bucket {
	if b == nil {
		return nil
	}
	return b.Bucket(name)
}

func syncGet(b *bolt.Bucket, k []byte) []byte {
	if b == nil {
		return nil
	}
	return b.Get(k)
}

func syncCorrupt(what string) error {
	return errorf(ErrCorrupt, nil, "trạng thái đồng bộ %s không đọc được", "the sync state %s cannot be read", what)
}

// SyncKeys returns the database's sync keys; ok is false before InitSyncKeys.
func (s *Store) SyncKeys() (k SyncKeys, ok bool, err error) {
	kr, err := s.keyring()
	if err != nil {
		return k, false, err
	}
	err = s.syncView(func(b *bolt.Bucket) error {
		v := syncGet(syncSub(b, bSyncKeys), kSyncIdentity)
		if v == nil {
			return nil
		}
		v, err := openValue(kr, ctxSync, kSyncIdentity, v)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(v, &k); err != nil {
			return syncCorrupt("keys")
		}
		ok = true
		return nil
	})
	return k, ok, err
}

// InitSyncKeys stores k as the database's sync keys unless it has keys already, and returns
// the keys it keeps: made once, never replaced.
func (s *Store) InitSyncKeys(k SyncKeys) (SyncKeys, error) {
	var out SyncKeys
	kr, err := s.keyring()
	if err != nil {
		return out, err
	}
	err = s.syncUpdate(func(b *bolt.Bucket) error {
		kb := b.Bucket(bSyncKeys)
		if v := kb.Get(kSyncIdentity); v != nil {
			v, err := openValue(kr, ctxSync, kSyncIdentity, v)
			if err != nil {
				return err
			}
			if err := json.Unmarshal(v, &out); err != nil {
				return syncCorrupt("keys")
			}
			return nil
		}
		if len(k.SignKey) == 0 || k.AgeIdentity == "" {
			return errorf(ErrInvalid, nil, "thiếu khóa", "keys are missing")
		}
		v, err := json.Marshal(k)
		if err != nil {
			return err
		}
		out = k
		return kb.Put(kSyncIdentity, sealValue(kr, ctxSync, kSyncIdentity, v))
	})
	return out, err
}

// SetSyncKeys replaces the database's sync keys (the office adds its certificate to them).
func (s *Store) SetSyncKeys(k SyncKeys) error {
	v, err := json.Marshal(k)
	if err != nil {
		return err
	}
	kr, err := s.keyring()
	if err != nil {
		return err
	}
	return s.syncUpdate(func(b *bolt.Bucket) error {
		return b.Bucket(bSyncKeys).Put(kSyncIdentity, sealValue(kr, ctxSync, kSyncIdentity, v))
	})
}

// PutSyncDevice enrolls a device, or replaces its entry.
func (s *Store) PutSyncDevice(d SyncDevice) error {
	if d.ID == "" || checkKey("device", d.ID, maxIDLen) != nil {
		return errorf(ErrInvalid, nil, "mã thiết bị %q", "device id %q", d.ID)
	}
	v, err := json.Marshal(d)
	if err != nil {
		return err
	}
	return s.syncUpdate(func(b *bolt.Bucket) error {
		if err := s.appendAudit(b.Tx(), AuditEntry{Action: AuditDevice, Detail: "approve " + d.ID}); err != nil {
			return err
		}
		return b.Bucket(bSyncDevices).Put([]byte(d.ID), v)
	})
}

// SyncDevice returns an enrolled device; ok is false for a device never enrolled.
func (s *Store) SyncDevice(id string) (d SyncDevice, ok bool, err error) {
	err = s.syncView(func(b *bolt.Bucket) error {
		v := syncGet(syncSub(b, bSyncDevices), []byte(id))
		if v == nil {
			return nil
		}
		if err := json.Unmarshal(v, &d); err != nil {
			return syncCorrupt("device " + id)
		}
		ok = true
		return nil
	})
	return d, ok, err
}

// SyncDevices returns every enrolled device, revoked ones too, by id.
func (s *Store) SyncDevices() ([]SyncDevice, error) {
	var out []SyncDevice
	err := s.syncView(func(b *bolt.Bucket) error {
		db := syncSub(b, bSyncDevices)
		if db == nil {
			return nil
		}
		return db.ForEach(func(k, v []byte) error {
			var d SyncDevice
			if err := json.Unmarshal(v, &d); err != nil {
				return syncCorrupt("device " + string(k))
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// RevokeSyncDevice marks an enrolled device revoked at the given time (kept if it already
// was) and returns it.
func (s *Store) RevokeSyncDevice(id string, at time.Time) (SyncDevice, error) {
	var d SyncDevice
	err := s.syncUpdate(func(b *bolt.Bucket) error {
		db := b.Bucket(bSyncDevices)
		v := db.Get([]byte(id))
		if v == nil {
			return errorf(ErrNotFound, nil, "thiết bị %s chưa đăng ký", "device %s is not enrolled", id)
		}
		if err := json.Unmarshal(v, &d); err != nil {
			return syncCorrupt("device " + id)
		}
		if !d.Revoked.IsZero() {
			return nil
		}
		d.Revoked = at.UTC()
		nv, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if err := s.appendAudit(b.Tx(), AuditEntry{Action: AuditDevice, Detail: "revoke " + id}); err != nil {
			return err
		}
		return db.Put([]byte(id), nv)
	})
	return d, err
}

// SetEnrollment keeps the laptop's enrollment package.
func (s *Store) SetEnrollment(pkg []byte) error {
	kr, err := s.keyring()
	if err != nil {
		return err
	}
	return s.syncUpdate(func(b *bolt.Bucket) error {
		return b.Bucket(bSyncMisc).Put(kSyncEnrollment, sealValue(kr, ctxSync, kSyncEnrollment, pkg))
	})
}

// Enrollment returns the laptop's enrollment package; ok is false before SetEnrollment.
func (s *Store) Enrollment() (pkg []byte, ok bool, err error) {
	kr, err := s.keyring()
	if err != nil {
		return nil, false, err
	}
	err = s.syncView(func(b *bolt.Bucket) error {
		if v := syncGet(syncSub(b, bSyncMisc), kSyncEnrollment); v != nil {
			v, err := openValue(kr, ctxSync, kSyncEnrollment, v)
			if err != nil {
				return err
			}
			pkg, ok = bytes.Clone(v), true
		}
		return nil
	})
	return pkg, ok, err
}

// SetAck records the office's acknowledgement: it has this device's revisions up to seq. The
// stamp orders acknowledgements (the office's clock when it gave it); an older one than the
// one recorded is ignored, and accepted says whether this one was taken. A newer one is taken
// even if its seq is lower: then the office lost revisions, and the laptop sends them again.
func (s *Store) SetAck(seq uint64, stamp int64) (accepted bool, err error) {
	err = s.syncTx(func(x *SyncTx) error {
		accepted, err = x.SetAck(seq, stamp)
		return err
	})
	return accepted, err
}

// SetAck is Store.SetAck in the transaction.
func (x *SyncTx) SetAck(seq uint64, stamp int64) (accepted bool, err error) {
	mb := x.b.Bucket(bSyncMisc)
	if v := mb.Get(kSyncAck); len(v) == 16 && int64(beUint64(v[8:])) > stamp {
		return false, nil
	}
	return true, mb.Put(kSyncAck, binary.BigEndian.AppendUint64(u64(seq), uint64(stamp)))
}

// Ack returns the office's last acknowledgement recorded by SetAck (0, 0 before any).
func (s *Store) Ack() (seq uint64, stamp int64, err error) {
	err = s.syncView(func(b *bolt.Bucket) error {
		v := syncGet(syncSub(b, bSyncMisc), kSyncAck)
		if v == nil {
			return nil
		}
		if len(v) != 16 {
			return syncCorrupt("ack")
		}
		seq, stamp = beUint64(v), int64(beUint64(v[8:]))
		return nil
	})
	return seq, stamp, err
}

// SetSyncTime records a named time (the last sync, the last export…).
func (s *Store) SetSyncTime(name string, t time.Time) error {
	return s.syncUpdate(func(b *bolt.Bucket) error {
		return b.Bucket(bSyncMisc).Put([]byte("time/"+name), u64(uint64(t.UnixNano())))
	})
}

// SyncTime returns a named time; zero when never set.
func (s *Store) SyncTime(name string) (time.Time, error) {
	var t time.Time
	err := s.syncView(func(b *bolt.Bucket) error {
		if v := syncGet(syncSub(b, bSyncMisc), []byte("time/"+name)); len(v) == 8 {
			t = time.Unix(0, int64(beUint64(v))).UTC()
		}
		return nil
	})
	return t, err
}

// AdvanceSyncStamp sets a named stamp to v if v is larger than the one recorded, and reports
// whether it did: for things that must not go back, like the assignments of the newest
// down-batch.
func (s *Store) AdvanceSyncStamp(name string, v int64) (bool, error) {
	var moved bool
	err := s.syncTx(func(x *SyncTx) error {
		var err error
		moved, err = x.AdvanceSyncStamp(name, v)
		return err
	})
	return moved, err
}

// AdvanceSyncStamp is Store.AdvanceSyncStamp in the transaction.
func (x *SyncTx) AdvanceSyncStamp(name string, v int64) (bool, error) {
	mb := x.b.Bucket(bSyncMisc)
	k := []byte("stamp/" + name)
	if old := mb.Get(k); len(old) == 8 && int64(beUint64(old)) >= v {
		return false, nil
	}
	return true, mb.Put(k, u64(uint64(v)))
}

// SyncStamp returns a named stamp (0 when never set).
func (s *Store) SyncStamp(name string) (int64, error) {
	var v int64
	err := s.syncView(func(b *bolt.Bucket) error {
		v = syncStamp(b, name)
		return nil
	})
	return v, err
}

// SyncStamp is Store.SyncStamp in the transaction.
func (x *SyncTx) SyncStamp(name string) int64 { return syncStamp(x.b, name) }

func syncStamp(b *bolt.Bucket, name string) int64 {
	if old := syncGet(syncSub(b, bSyncMisc), []byte("stamp/"+name)); len(old) == 8 {
		return int64(beUint64(old))
	}
	return 0
}

// SetAssignments makes as every surveyor's assignment, in the transaction: surveyors it does
// not name are left with none.
func (x *SyncTx) SetAssignments(as []Assignment) error {
	b := x.tx.Bucket(bAssignments)
	if b == nil {
		return errorf(ErrCorrupt, nil, "thiếu nhóm dữ liệu %q", "bucket %q is missing", bAssignments)
	}
	return replaceAssignments(b, as)
}

// NotePeerScoreTable records the SHA-256 of the score table a peer said it has (a field
// laptop, in its up-batches; "none" for none), unless a report of it with a later stamp (the
// peer's clock) was recorded: the office then leaves that table's bytes out of the peer's next
// down-batch.
func (x *SyncTx) NotePeerScoreTable(peer, sha string, stamp int64) error {
	mb := x.b.Bucket(bSyncMisc)
	k := []byte("scoretable/" + peer)
	if old := mb.Get(k); len(old) >= 8 && int64(beUint64(old)) >= stamp {
		return nil
	}
	return mb.Put(k, append(u64(uint64(stamp)), sha...))
}

// PeerScoreTable returns the SHA-256 of the score table a peer last said it has
// (NotePeerScoreTable), "" when it never said.
func (s *Store) PeerScoreTable(peer string) (string, error) {
	var sha string
	err := s.syncView(func(b *bolt.Bucket) error {
		if v := syncGet(syncSub(b, bSyncMisc), []byte("scoretable/"+peer)); len(v) >= 8 {
			sha = string(v[8:])
		}
		return nil
	})
	return sha, err
}

// SyncUpdate runs fn on the sync state in one write transaction of its own.
func (s *Store) SyncUpdate(fn func(x *SyncTx) error) error { return s.syncTx(fn) }

// MergePeerHave records what a peer said it has, per device, keeping the larger number of
// each: what the office may leave out of the next down-batch to that peer.
func (s *Store) MergePeerHave(peer string, have map[string]uint64) error {
	if len(have) == 0 {
		return nil
	}
	devs := make([]string, 0, len(have))
	for d := range have {
		devs = append(devs, d)
	}
	sort.Strings(devs)
	return s.syncUpdate(func(b *bolt.Bucket) error {
		return mergePeerHave(b.Bucket(bSyncPeerHave), peer, devs, have)
	})
}

// NoteBatchFrom records, in one transaction, that a batch of a peer was applied at the given
// time (SyncTime "seen/PEER") and what the peer said it has (as MergePeerHave).
func (s *Store) NoteBatchFrom(peer string, have map[string]uint64, at time.Time) error {
	return s.syncTx(func(x *SyncTx) error { return x.NoteBatchFrom(peer, have, at) })
}

// NoteBatchFrom is Store.NoteBatchFrom in the transaction.
func (x *SyncTx) NoteBatchFrom(peer string, have map[string]uint64, at time.Time) error {
	devs := make([]string, 0, len(have))
	for d := range have {
		devs = append(devs, d)
	}
	sort.Strings(devs)
	if err := x.b.Bucket(bSyncMisc).Put([]byte("time/seen/"+peer), u64(uint64(at.UnixNano()))); err != nil {
		return err
	}
	return mergePeerHave(x.b.Bucket(bSyncPeerHave), peer, devs, have)
}

func mergePeerHave(pb *bolt.Bucket, peer string, devs []string, have map[string]uint64) error {
	for _, d := range devs {
		k := key([]byte(peer), []byte(d))
		if v := pb.Get(k); len(v) == 8 && beUint64(v) >= have[d] {
			continue
		}
		if err := pb.Put(k, u64(have[d])); err != nil {
			return err
		}
	}
	return nil
}

// PeerHave returns what a peer last said it has, per device.
func (s *Store) PeerHave(peer string) (map[string]uint64, error) {
	out := map[string]uint64{}
	err := s.syncView(func(b *bolt.Bucket) error {
		pb := syncSub(b, bSyncPeerHave)
		if pb == nil {
			return nil
		}
		p := prefix(peer)
		c := pb.Cursor()
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if len(v) != 8 {
				return syncCorrupt("peerhave")
			}
			out[string(k[len(p):])] = beUint64(v)
		}
		return nil
	})
	return out, err
}

// PutPendingBatch keeps a verified batch until it can be applied; putting the same id again
// changes nothing.
func (s *Store) PutPendingBatch(id string, data []byte) error {
	return s.syncTx(func(x *SyncTx) error { return x.PutPendingBatch(id, data) })
}

// PutPendingBatch is Store.PutPendingBatch in the transaction.
func (x *SyncTx) PutPendingBatch(id string, data []byte) error {
	pb := x.b.Bucket(bSyncPending)
	if pb.Get([]byte(id)) != nil {
		return nil
	}
	return pb.Put([]byte(id), sealValue(x.kr, ctxPending, []byte(id), data))
}

// PendingBatches returns the kept batches, by id, with copies of their bytes.
func (s *Store) PendingBatches() ([]PendingBatch, error) {
	var out []PendingBatch
	kr, err := s.keyring()
	if err != nil {
		return nil, err
	}
	err = s.syncView(func(b *bolt.Bucket) error {
		pb := syncSub(b, bSyncPending)
		if pb == nil {
			return nil
		}
		return pb.ForEach(func(k, v []byte) error {
			v, err := openValue(kr, ctxPending, k, v)
			if err != nil {
				return err
			}
			out = append(out, PendingBatch{ID: string(k), Data: bytes.Clone(v)})
			return nil
		})
	})
	return out, err
}

// PendingBatch returns the bytes of one kept batch; ok is false when there is none by that id.
func (s *Store) PendingBatch(id string) (data []byte, ok bool, err error) {
	kr, err := s.keyring()
	if err != nil {
		return nil, false, err
	}
	err = s.syncView(func(b *bolt.Bucket) error {
		if v := syncGet(syncSub(b, bSyncPending), []byte(id)); v != nil {
			v, err := openValue(kr, ctxPending, []byte(id), v)
			if err != nil {
				return err
			}
			data, ok = bytes.Clone(v), true
		}
		return nil
	})
	return data, ok, err
}

// PendingBatchIDs returns the ids of the kept batches, in order, without their bytes.
func (s *Store) PendingBatchIDs() ([]string, error) {
	var out []string
	err := s.syncView(func(b *bolt.Bucket) error {
		pb := syncSub(b, bSyncPending)
		if pb == nil {
			return nil
		}
		c := pb.Cursor()
		for k, _ := c.First(); k != nil; k, _ = c.Next() {
			out = append(out, string(k))
		}
		return nil
	})
	return out, err
}

// CountPendingBatches returns how many batches are kept waiting.
func (s *Store) CountPendingBatches() (int, error) {
	n := 0
	err := s.syncView(func(b *bolt.Bucket) error {
		if pb := syncSub(b, bSyncPending); pb != nil {
			n = pb.Stats().KeyN
		}
		return nil
	})
	return n, err
}

// DeletePendingBatch forgets a kept batch (applied, or no longer needed).
func (s *Store) DeletePendingBatch(id string) error {
	return s.syncTx(func(x *SyncTx) error { return x.DeletePendingBatch(id) })
}

// DeletePendingBatch is Store.DeletePendingBatch in the transaction.
func (x *SyncTx) DeletePendingBatch(id string) error {
	return x.b.Bucket(bSyncPending).Delete([]byte(id))
}
