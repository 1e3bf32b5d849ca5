// Package seal protects household data at rest. A random data key encrypts every value
// (XChaCha20-Poly1305, with what the value is bound in as additional data); the data key itself
// is stored only wrapped under a key derived from the surveyor's passphrase with Argon2id, so
// changing the passphrase re-wraps one key instead of re-encrypting the database. Search index
// entries are keyed hashes (HMAC-SHA256), so a stolen file reveals neither names nor ID numbers.
package seal

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// Params are the Argon2id cost parameters, stored with the wrapped key so they can grow later.
type Params struct {
	Time    uint32 `json:"t"`
	Memory  uint32 `json:"m"` // KiB
	Threads uint8  `json:"p"`
}

// DefaultParams take about half a second and 64 MiB on an ordinary laptop: cheap at unlock,
// expensive for someone guessing passphrases on a stolen disk.
var DefaultParams = Params{Time: 3, Memory: 64 * 1024, Threads: 2}

// MinPassphrase is the shortest passphrase accepted.
const MinPassphrase = 8

// Errors a user can meet.
var (
	ErrWrongPassphrase = errors.New("sai mật khẩu / wrong passphrase")
	ErrShortPassphrase = fmt.Errorf("mật khẩu phải có ít nhất %d ký tự / the passphrase needs at least %d characters", MinPassphrase, MinPassphrase)
	ErrDamaged         = errors.New("dữ liệu mã hóa bị hỏng hoặc bị sửa đổi / encrypted data is damaged or was altered")
	ErrWrapped         = errors.New("khóa đã bọc không hợp lệ / the wrapped key is not valid")
)

// Wrapped is the data key sealed under a passphrase: what the database stores.
type Wrapped struct {
	Version int    `json:"v"`
	Params  Params `json:"kdf"`
	Salt    []byte `json:"salt"`
	Nonce   []byte `json:"nonce"`
	Key     []byte `json:"key"` // the sealed data key
}

// Marshal encodes the wrapped key for storage.
func (w *Wrapped) Marshal() []byte {
	b, _ := json.Marshal(w)
	return b
}

// ParseWrapped decodes a stored wrapped key.
func ParseWrapped(b []byte) (*Wrapped, error) {
	var w Wrapped
	if err := json.Unmarshal(b, &w); err != nil || w.Version != 1 || len(w.Salt) != 16 ||
		len(w.Nonce) != chacha20poly1305.NonceSizeX || len(w.Key) != 32+chacha20poly1305.Overhead ||
		w.Params.Time == 0 || w.Params.Memory < 8 || w.Params.Threads == 0 {
		return nil, ErrWrapped
	}
	return &w, nil
}

// Keyring holds the unlocked data key. Keep it in memory only.
type Keyring struct {
	aead    cipherAEAD
	dataKey [32]byte
}

type cipherAEAD interface {
	Seal(dst, nonce, plaintext, additionalData []byte) []byte
	Open(dst, nonce, ciphertext, additionalData []byte) ([]byte, error)
	NonceSize() int
	Overhead() int
}

// New makes a fresh data key and wraps it under the passphrase.
func New(passphrase string, p Params) (*Keyring, *Wrapped, error) {
	if len([]rune(passphrase)) < MinPassphrase {
		return nil, nil, ErrShortPassphrase
	}
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, nil, err
	}
	w, err := wrap(key, passphrase, p)
	if err != nil {
		return nil, nil, err
	}
	return keyring(key), w, nil
}

// Unlock opens a wrapped key with the passphrase; a wrong passphrase gives ErrWrongPassphrase
// and nothing else.
func Unlock(w *Wrapped, passphrase string) (*Keyring, error) {
	kek := argon2.IDKey([]byte(passphrase), w.Salt, w.Params.Time, w.Params.Memory, w.Params.Threads, 32)
	a, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, err
	}
	key, err := a.Open(nil, w.Nonce, w.Key, []byte("rasoat data key v1"))
	if err != nil || len(key) != 32 {
		return nil, ErrWrongPassphrase
	}
	return keyring([32]byte(key)), nil
}

// Rewrap wraps the unlocked data key under a new passphrase; the data stays as it is.
func (k *Keyring) Rewrap(newPassphrase string, p Params) (*Wrapped, error) {
	if len([]rune(newPassphrase)) < MinPassphrase {
		return nil, ErrShortPassphrase
	}
	return wrap(k.dataKey, newPassphrase, p)
}

func wrap(key [32]byte, passphrase string, p Params) (*Wrapped, error) {
	w := &Wrapped{Version: 1, Params: p, Salt: make([]byte, 16), Nonce: make([]byte, chacha20poly1305.NonceSizeX)}
	if _, err := rand.Read(w.Salt); err != nil {
		return nil, err
	}
	if _, err := rand.Read(w.Nonce); err != nil {
		return nil, err
	}
	kek := argon2.IDKey([]byte(passphrase), w.Salt, p.Time, p.Memory, p.Threads, 32)
	a, err := chacha20poly1305.NewX(kek)
	if err != nil {
		return nil, err
	}
	w.Key = a.Seal(nil, w.Nonce, key[:], []byte("rasoat data key v1"))
	return w, nil
}

func keyring(key [32]byte) *Keyring {
	a, _ := chacha20poly1305.NewX(key[:]) // a 32-byte key never fails
	return &Keyring{aead: a, dataKey: key}
}

// Seal encrypts a value; context (e.g. the bucket and key it is stored under) is bound in, so a
// sealed value moved elsewhere in the file does not open.
func (k *Keyring) Seal(plaintext, context []byte) []byte {
	out := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(plaintext)+chacha20poly1305.Overhead)
	if _, err := rand.Read(out); err != nil {
		panic("seal: no randomness: " + err.Error()) // the OS random source never fails on supported systems
	}
	return k.aead.Seal(out, out, plaintext, context)
}

// Open decrypts a sealed value made with the same context.
func (k *Keyring) Open(sealed, context []byte) ([]byte, error) {
	if len(sealed) < chacha20poly1305.NonceSizeX+chacha20poly1305.Overhead {
		return nil, ErrDamaged
	}
	n := chacha20poly1305.NonceSizeX
	out, err := k.aead.Open(nil, sealed[:n], sealed[n:], context)
	if err != nil {
		return nil, ErrDamaged
	}
	return out, nil
}
