package store

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/seal"
)

// Office users: the ward office's actions (approve, return, revoke a device, export lists,
// change settings) need a named user with a password, recorded as the author of what they do.
// The users live in their own bucket, made on first use:
//
//	users/   name → {"hash": Argon2id hash (seal.HashPassword), "created", "disabled"}
//
// A user is never removed, only disabled, so that the names in the audit log keep meaning.
var bUsers = []byte("users")

// PasswordParams are the Argon2id costs of new users' password hashes. Tests set cheap ones;
// CheckPassword reads the costs from each hash, so changing them does not lock anyone out.
var PasswordParams = seal.DefaultParams

// Errors of office users.
var (
	ErrLogin = &Error{
		"Sai tên người dùng hoặc mật khẩu, hoặc người dùng đã bị khóa",
		"Wrong user name or password, or the user is disabled"}
	ErrUserExists = &Error{
		"Đã có người dùng tên này",
		"A user of this name already exists"}
	ErrNoUser = &Error{
		"Không có người dùng này",
		"No such user"}
)

// User is an office user.
type User struct {
	Name     string
	Created  time.Time
	Disabled time.Time // zero while the user may log in
}

type userJSON struct {
	Hash     string    `json:"hash"`
	Created  time.Time `json:"created"`
	Disabled time.Time `json:"disabled,omitzero"`
}

func cleanUserName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || checkKey("user", name, 128) != nil {
		return "", errorf(ErrInvalid, nil, "tên người dùng %q", "user name %q", name)
	}
	return name, nil
}

// AddUser adds an office user with a password (seal.MinPassphrase characters or more); by is
// the user who adds it, recorded in the audit log ("" for the first user, made at the office's
// set-up).
func (s *Store) AddUser(name, password, by string) error {
	name, err := cleanUserName(name)
	if err != nil {
		return err
	}
	hash, err := seal.HashPassword(password, PasswordParams)
	if err != nil {
		return errorf(ErrInvalid, err, "mật khẩu phải có ít nhất %d ký tự", "the password needs at least %d characters", seal.MinPassphrase)
	}
	v, err := json.Marshal(userJSON{Hash: hash, Created: s.now().UTC()})
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bUsers)
		if err != nil {
			return err
		}
		if b.Get([]byte(name)) != nil {
			return errorf(ErrUserExists, nil, "%s", "%s", name)
		}
		if err := s.appendAudit(tx, AuditEntry{Author: by, Action: AuditUser, Detail: "add " + name}); err != nil {
			return err
		}
		return b.Put([]byte(name), v)
	})
}

func getUser(tx *bolt.Tx, name string) (userJSON, bool, error) {
	var u userJSON
	b := tx.Bucket(bUsers)
	if b == nil {
		return u, false, nil
	}
	v := b.Get([]byte(name))
	if v == nil {
		return u, false, nil
	}
	if err := json.Unmarshal(v, &u); err != nil {
		return u, false, errorf(ErrCorrupt, err, "người dùng %s", "user %s", name)
	}
	return u, true, nil
}

// CheckUser logs a user in: it returns the user when the password is theirs and they are not
// disabled, and ErrLogin otherwise. Both are recorded in the audit log.
func (s *Store) CheckUser(name, password string) (User, error) {
	name = strings.TrimSpace(name)
	var u userJSON
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		u, ok, err = getUser(tx, name)
		return err
	})
	if err != nil {
		return User{}, err
	}
	good := ok && u.Disabled.IsZero() && seal.CheckPassword(u.Hash, password)
	detail := "ok"
	if !good {
		detail = "failed"
	}
	if err := s.Audit(AuditEntry{Author: name, Action: AuditLogin, Detail: detail}); err != nil {
		return User{}, err
	}
	if !good {
		return User{}, ErrLogin
	}
	return User{Name: name, Created: u.Created}, nil
}

// ListUsers returns the office users, disabled ones too, by name.
func (s *Store) ListUsers() ([]User, error) {
	var out []User
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bUsers)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var u userJSON
			if err := json.Unmarshal(v, &u); err != nil {
				return errorf(ErrCorrupt, err, "người dùng %s", "user %s", k)
			}
			out = append(out, User{Name: string(k), Created: u.Created, Disabled: u.Disabled})
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// HasUsers reports whether any office user may log in.
func (s *Store) HasUsers() (bool, error) {
	us, err := s.ListUsers()
	for _, u := range us {
		if u.Disabled.IsZero() {
			return true, err
		}
	}
	return false, err
}

// DisableUser stops a user from logging in; by is the user who does it. The last user who may
// log in cannot be disabled (nobody could then act for the office).
func (s *Store) DisableUser(name, by string) error {
	return s.update(func(tx *bolt.Tx) error {
		u, ok, err := getUser(tx, name)
		if err != nil {
			return err
		}
		if !ok {
			return errorf(ErrNoUser, nil, "%s", "%s", name)
		}
		if !u.Disabled.IsZero() {
			return nil
		}
		active := 0
		tx.Bucket(bUsers).ForEach(func(k, v []byte) error {
			var o userJSON
			if json.Unmarshal(v, &o) == nil && o.Disabled.IsZero() {
				active++
			}
			return nil
		})
		if active <= 1 {
			return errorf(ErrInvalid, nil, "không thể khóa người dùng cuối cùng", "the last user cannot be disabled")
		}
		u.Disabled = s.now().UTC()
		v, err := json.Marshal(u)
		if err != nil {
			return err
		}
		if err := s.appendAudit(tx, AuditEntry{Author: by, Action: AuditUser, Detail: "disable " + name}); err != nil {
			return err
		}
		return tx.Bucket(bUsers).Put([]byte(name), v)
	})
}
