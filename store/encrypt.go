package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/seal"
)

// Encryption at rest (see doc.go, "Encryption"). An encrypted database keeps in meta the data
// key wrapped under the user's passphrase (seal.Wrapped); every value that holds household
// data is sealed with the data key, bound to its bucket and key; the search index is only in
// memory (search.go).

// kSealed is the meta key of the wrapped data key; a database without it is not encrypted.
var kSealed = []byte("sealed_key")

// Errors of encryption at rest.
var (
	ErrEncrypted = &Error{
		"Cơ sở dữ liệu đã được mã hóa: cần mật khẩu để mở",
		"The database is encrypted: a passphrase is needed to open it"}
	ErrWrongPassphrase = &Error{
		"Sai mật khẩu; dữ liệu không được mở",
		"Wrong passphrase; no data was opened"}
	ErrNotEncrypted = &Error{
		"Cơ sở dữ liệu chưa được mã hóa",
		"The database is not encrypted"}
	ErrAlreadyEncrypted = &Error{
		"Cơ sở dữ liệu đã được mã hóa rồi",
		"The database is already encrypted"}
)

func (o Options) kdf() seal.Params {
	if o.KDF != nil {
		return *o.KDF
	}
	return seal.DefaultParams
}

// passError turns seal's errors into the store's.
func passError(err error) error {
	switch {
	case errors.Is(err, seal.ErrWrongPassphrase):
		return errorf(ErrWrongPassphrase, nil, "", "")
	case errors.Is(err, seal.ErrShortPassphrase):
		return errorf(ErrInvalid, err, "mật khẩu phải có ít nhất %d ký tự", "the passphrase needs at least %d characters", seal.MinPassphrase)
	case errors.Is(err, seal.ErrWrapped):
		return errorf(ErrCorrupt, err, "khóa mã hóa đã bọc không đọc được", "the wrapped encryption key cannot be read")
	}
	return err
}

// unlockMeta reads the wrapped key of a database; w is nil for an unencrypted one.
func wrappedOf(tx *bolt.Tx) (*seal.Wrapped, error) {
	b := tx.Bucket(bMeta)
	if b == nil {
		return nil, nil
	}
	v := b.Get(kSealed)
	if v == nil {
		return nil, nil
	}
	w, err := seal.ParseWrapped(bytes.Clone(v))
	if err != nil {
		return nil, passError(err)
	}
	return w, nil
}

// Encrypted says whether the database is encrypted at rest.
func (s *Store) Encrypted() bool { return s.encrypted.Load() }

// Locked says whether the database is encrypted and its key is not in memory (after Lock):
// household data cannot be read or written until Unlock.
func (s *Store) Locked() bool { return s.encrypted.Load() && s.kr.Load() == nil }

// Lock forgets the data key of an encrypted database (the app's idle lock); until Unlock,
// operations on household data fail with ErrEncrypted. Meta stays readable. No-op when the
// database is not encrypted.
func (s *Store) Lock() {
	if s.encrypted.Load() {
		s.kr.Store(nil)
		s.search.mu.Lock()
		s.search.forget()
		s.search.mu.Unlock()
	}
}

// Unlock takes the passphrase again after Lock. A wrong one gives ErrWrongPassphrase.
func (s *Store) Unlock(passphrase string) error {
	if !s.encrypted.Load() {
		return nil
	}
	var w *seal.Wrapped
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		w, err = wrappedOf(tx)
		return err
	})
	if err != nil {
		return err
	}
	if w == nil {
		return errorf(ErrCorrupt, nil, "thiếu khóa mã hóa", "the encryption key is missing")
	}
	k, err := seal.Unlock(w, passphrase)
	if err != nil {
		return passError(err)
	}
	s.kr.Store(k)
	return nil
}

// ChangePassphrase wraps the data key under a new passphrase, after checking the old one;
// nothing is re-encrypted.
func (s *Store) ChangePassphrase(old, new string) error {
	if !s.encrypted.Load() {
		return errorf(ErrNotEncrypted, nil, "", "")
	}
	return s.update(func(tx *bolt.Tx) error {
		w, err := wrappedOf(tx)
		if err != nil {
			return err
		}
		if w == nil {
			return errorf(ErrCorrupt, nil, "thiếu khóa mã hóa", "the encryption key is missing")
		}
		k, err := seal.Unlock(w, old)
		if err != nil {
			return passError(err)
		}
		nw, err := k.Rewrap(new, s.kdf)
		if err != nil {
			return passError(err)
		}
		if err := s.appendAudit(tx, AuditEntry{Action: AuditSettings, Detail: "passphrase changed"}); err != nil {
			return err
		}
		return tx.Bucket(bMeta).Put(kSealed, nw.Marshal())
	})
}

// IsEncrypted says whether the database file at path is encrypted, without a passphrase and
// without changing the file (it is opened read-only for a moment).
func IsEncrypted(path string) (bool, error) {
	if _, err := os.Stat(path); err != nil {
		return false, errorf(ErrNotExist, err, "%s", "%s", path)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return false, openError(path, err)
	}
	defer db.Close()
	var enc bool
	err = db.View(func(tx *bolt.Tx) error {
		if tx.Bucket(bMeta) == nil {
			return errorf(ErrNotStore, nil, "%s", "%s", path)
		}
		enc = tx.Bucket(bMeta).Get(kSealed) != nil
		return nil
	})
	return enc, err
}

// context binds a sealed value to where it is stored.
func sealContext(bucket string, k []byte) []byte {
	c := make([]byte, 0, len(bucket)+1+len(k))
	return append(append(append(c, bucket...), 0), k...)
}

// sealValue seals v for bucket/key with the keyring, or returns v when kr is nil.
func sealValue(kr *seal.Keyring, bucket string, k, v []byte) []byte {
	if kr == nil {
		return v
	}
	return kr.Seal(v, sealContext(bucket, k))
}

// openValue opens a value sealed by sealValue; nil stays nil.
func openValue(kr *seal.Keyring, bucket string, k, v []byte) ([]byte, error) {
	if kr == nil || v == nil {
		return v, nil
	}
	p, err := kr.Open(v, sealContext(bucket, k))
	if err != nil {
		return nil, errorf(ErrCorrupt, err, "giá trị mã hóa %s/%x bị hỏng", "the encrypted value %s/%x is damaged", bucket, k)
	}
	return p, nil
}

// Names of the sealed values' buckets, bound into their seals.
const (
	ctxBlob    = "blobs"
	ctxRev     = "byid"
	ctxCur     = "current"
	ctxSync    = "syncstate"
	ctxPending = "pending"
)

// Encrypt turns on encryption at rest for the unencrypted database at path, which must not be
// open: it writes an encrypted copy beside it (every value holding household data sealed, the
// derived buckets rebuilt), syncs it and renames it into place. The old
// plaintext file is overwritten with zeros before it is removed (on an SSD the disk may keep
// old blocks: encrypt before entering data where that matters).
func Encrypt(path, passphrase string, o Options) error {
	kr, w, err := seal.New(passphrase, o.kdf())
	if err != nil {
		return passError(err)
	}
	src, err := Open(path, o)
	if err != nil {
		return err
	}
	if src.Encrypted() {
		src.Close()
		return errorf(ErrAlreadyEncrypted, nil, "", "")
	}
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+fmt.Sprintf(".encrypting%d", time.Now().UnixNano()))
	err = src.copyEncrypted(tmp, kr, w, o)
	src.Close()
	if err != nil {
		os.Remove(tmp)
		return diskFull(err)
	}
	old := path + ".plain"
	if err := os.Rename(path, old); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Rename(old, path)
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	scrub(old)
	return nil
}

// scrub overwrites a file with zeros, syncs it and removes it.
func scrub(path string) {
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
		if fi, err := f.Stat(); err == nil {
			zero := make([]byte, 1<<20)
			for n := fi.Size(); n > 0; n -= int64(len(zero)) {
				if _, err := f.Write(zero[:min(n, int64(len(zero)))]); err != nil {
					break
				}
			}
			f.Sync()
		}
		f.Close()
	}
	os.Remove(path)
}

// copyEncrypted writes the whole database to a new file at dst with the values sealed.
func (s *Store) copyEncrypted(dst string, kr *seal.Keyring, w *seal.Wrapped, o Options) error {
	out, err := bolt.Open(dst, 0o600, o.boltOptions())
	if err != nil {
		return err
	}
	ns, err := newStore(out, dst, o)
	if err != nil {
		out.Close()
		return err
	}
	ns.encrypted.Store(true)
	ns.kr.Store(kr)
	err = s.view(func(stx *bolt.Tx) error {
		return ns.update(func(dtx *bolt.Tx) error {
			err := stx.ForEach(func(name []byte, b *bolt.Bucket) error {
				nb, err := dtx.CreateBucket(name)
				if err != nil {
					return err
				}
				return copyBucket(b, nb, []string{string(name)}, kr)
			})
			if err != nil {
				return err
			}
			if err := dtx.Bucket(bMeta).Put(kSealed, w.Marshal()); err != nil {
				return err
			}
			t, err := ns.txn(dtx)
			if err != nil {
				return err
			}
			return t.rebuild()
		})
	})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// copyBucket copies a bucket, sealing the values that hold household data; derived buckets
// are left empty, for the rebuild.
func copyBucket(src, dst *bolt.Bucket, path []string, kr *seal.Keyring) error {
	return src.ForEach(func(k, v []byte) error {
		if v == nil {
			sub := src.Bucket(k)
			nb, err := dst.CreateBucket(k)
			if err != nil {
				return err
			}
			np := append(append([]string(nil), path...), string(k))
			if isDerived(np) {
				return nil
			}
			return copyBucket(sub, nb, np, kr)
		}
		return dst.Put(k, sealAt(kr, path, k, v))
	})
}

func isDerived(path []string) bool {
	if len(path) != 2 {
		return false
	}
	for _, d := range derived {
		if path[0] == string(d[0]) && path[1] == string(d[1]) {
			return true
		}
	}
	return false
}

// sealAt seals a value by where it is stored, as the store's methods do.
func sealAt(kr *seal.Keyring, path []string, k, v []byte) []byte {
	at := func(p ...string) bool {
		if len(p) != len(path) {
			return false
		}
		for i := range p {
			if p[i] != path[i] {
				return false
			}
		}
		return true
	}
	switch {
	case at(string(bRevisions), string(bBlobs)):
		return sealValue(kr, ctxBlob, k, v)
	case at(string(bRevisions), string(bByID)):
		return sealValue(kr, ctxRev, k, v)
	case at(string(bSync), string(bSyncKeys)), at(string(bSync), string(bSyncMisc)) && bytes.Equal(k, kSyncEnrollment):
		return sealValue(kr, ctxSync, k, v)
	case at(string(bSync), string(bSyncPending)):
		return sealValue(kr, ctxPending, k, v)
	case at(string(bAudit), string(bAuditLog)):
		return sealValue(kr, ctxAudit, k, v)
	}
	return bytes.Clone(v)
}

// MoveAside renames a database whose passphrase is forgotten to path.locked-TIME beside it,
// never deleting it, so that a fresh database can be made at path; it returns the new name.
func MoveAside(path string) (string, error) {
	to := path + ".locked-" + time.Now().UTC().Format("20060102-150405")
	if _, err := os.Stat(to); err == nil {
		return "", errorf(ErrExists, nil, "%s", "%s", to)
	}
	if err := os.Rename(path, to); err != nil {
		return "", errorf(ErrOpen, err, "%s", "%s", path)
	}
	return to, nil
}

// keyring returns the data key of an encrypted database (nil for an unencrypted one), or
// ErrEncrypted while it is locked.
func (s *Store) keyring() (*seal.Keyring, error) {
	if !s.encrypted.Load() {
		return nil, nil
	}
	k := s.kr.Load()
	if k == nil {
		return nil, errorf(ErrEncrypted, nil, "", "")
	}
	return k, nil
}

// EnableEncryption turns on encryption at rest for this open, unencrypted database in one
// transaction: records, revision headers and the sealed sync state are re-written sealed and
// the derived buckets rebuilt. The pages freed by it keep
// old plaintext until bbolt reuses them: Compact, or Encrypt on a closed file, leaves none.
// A failure leaves the database as it was.
func (s *Store) EnableEncryption(passphrase string) error {
	if s.encrypted.Load() {
		return errorf(ErrAlreadyEncrypted, nil, "", "")
	}
	kr, w, err := seal.New(passphrase, s.kdf)
	if err != nil {
		return passError(err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		// recorded first, in clear, so that the loop below seals it with the entries before it
		if err := s.appendAudit(tx, AuditEntry{Action: AuditSettings, Detail: "encryption at rest turned on"}); err != nil {
			return err
		}
		for _, at := range [][2][]byte{{bRevisions, bBlobs}, {bRevisions, bByID}, {bSync, bSyncKeys}, {bSync, bSyncMisc}, {bSync, bSyncPending}, {bAudit, bAuditLog}} {
			top := tx.Bucket(at[0])
			if top == nil || top.Bucket(at[1]) == nil {
				continue
			}
			b := top.Bucket(at[1])
			path := []string{string(at[0]), string(at[1])}
			var ks, vs [][]byte
			err := b.ForEach(func(k, v []byte) error {
				if v != nil {
					if sv := sealAt(kr, path, k, v); !bytes.Equal(sv, v) {
						ks, vs = append(ks, bytes.Clone(k)), append(vs, sv)
					}
				}
				return nil
			})
			if err != nil {
				return err
			}
			for i := range ks {
				if err := b.Put(ks[i], vs[i]); err != nil {
					return err
				}
			}
		}
		if err := tx.Bucket(bMeta).Put(kSealed, w.Marshal()); err != nil {
			return err
		}
		t, err := s.txn(tx)
		if err != nil {
			return err
		}
		t.kr = kr
		if err := t.rebuild(); err != nil {
			return err
		}
		// No other write can start before this one commits; from now on they seal.
		s.kr.Store(kr)
		s.encrypted.Store(true)
		return nil
	})
	if err != nil {
		s.encrypted.Store(false)
		s.kr.Store(nil)
		return err
	}
	return s.scrubFreePages()
}

// bScrub is the bucket scrubFreePages fills and deletes.
var bScrub = []byte("scrub")

// scrubFreePages overwrites the pages the database has freed (which keep what they held) with
// zeros: it fills a bucket with one value a page until the free pages are used, then deletes
// it. After EnableEncryption they held the plaintext. Pages a read transaction still holds
// stay pending; a few rounds catch those released meanwhile.
func (s *Store) scrubFreePages() error {
	filler := make([]byte, s.db.Info().PageSize*3/4) // one value a page: bbolt splits nodes at half a page
	for range 3 {
		st := s.db.Stats()
		n := st.FreePageN + st.PendingPageN
		if n == 0 {
			return nil
		}
		err := s.update(func(tx *bolt.Tx) error {
			if tx.Bucket(bScrub) != nil {
				if err := tx.DeleteBucket(bScrub); err != nil {
					return err
				}
			}
			b, err := tx.CreateBucket(bScrub)
			if err != nil {
				return err
			}
			for i := range n + 8 {
				if err := b.Put(u64(uint64(i)), filler); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := s.update(func(tx *bolt.Tx) error { return tx.DeleteBucket(bScrub) }); err != nil {
			return err
		}
	}
	return nil
}

// ReadMeta reads the description of a database without opening it for work and without its
// passphrase (ward, role, user and device names are kept in clear): what the unlock screen
// shows.
func ReadMeta(path string) (Meta, error) {
	var m Meta
	if _, err := os.Stat(path); err != nil {
		return m, errorf(ErrNotExist, err, "%s", "%s", path)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return m, openError(path, err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		var err error
		m, err = readMeta(tx.Bucket(bMeta))
		return err
	})
	return m, err
}
