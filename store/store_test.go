package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

func TestCreateAndMeta(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "dir", "rasoat.db")
	s, err := Create(path, Meta{Role: RoleOffice, Ward: "Phường Lào Cai", Area: household.AreaUrban, DeviceName: "văn phòng"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.Meta()
	if err != nil {
		t.Fatal(err)
	}
	if m.SchemaVersion != SchemaVersion || m.Role != RoleOffice || m.Ward != "Phường Lào Cai" || m.Area != "urban" || m.DeviceName != "văn phòng" {
		t.Errorf("meta = %+v", m)
	}
	if len(m.DeviceID) != 36 {
		t.Errorf("device id %q is not a UUID", m.DeviceID)
	}
	if s.Path() != path {
		t.Errorf("Path() = %q", s.Path())
	}
	if err := s.UpdateMeta(func(m *Meta) { m.Surveyor, m.Role = "Lê Văn Hiến", RoleField }); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateMeta(func(m *Meta) { m.DeviceID = "other" }); !isKind(err, ErrInvalid) {
		t.Errorf("changing the device id: %v", err)
	}
	if err := s.UpdateMeta(func(m *Meta) { m.Role = "boss" }); !isKind(err, ErrInvalid) {
		t.Errorf("bad role: %v", err)
	}
	s.Close()

	if _, err := Create(path, Meta{}, Options{}); !isKind(err, ErrExists) {
		t.Errorf("Create over an existing database: %v", err)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer checkFile(t, path)
	defer s.Close()
	m2, _ := s.Meta()
	if m2.Surveyor != "Lê Văn Hiến" || m2.Role != RoleField || m2.DeviceID != m.DeviceID {
		t.Errorf("after reopening: %+v", m2)
	}
	if _, err := Create(filepath.Join(dir, "x.db"), Meta{Role: "boss"}, Options{}); !isKind(err, ErrInvalid) {
		t.Errorf("Create with a bad role: %v", err)
	}
}

func TestOpenLockedTimesOut(t *testing.T) {
	s := newTestStore(t, RoleField)
	start := time.Now()
	_, err := Open(s.Path(), Options{Timeout: 200 * time.Millisecond})
	if !isKind(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("gave up after %v", d)
	}
	msg := err.Error()
	if !strings.Contains(msg, "Cơ sở dữ liệu đang được một cửa sổ Rà soát khác sử dụng") || !strings.Contains(msg, "in use by another copy of rasoat") {
		t.Errorf("message %q is not the bilingual one", msg)
	}
	if got := Message(err, "en"); !strings.HasPrefix(got, "The database is in use") {
		t.Errorf("Message(en) = %q", got)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	s, err := Create(path, Meta{Ward: "W"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	setSchema(t, path, SchemaVersion+1)
	_, err = Open(path, Options{})
	if !isKind(err, ErrNewerSchema) {
		t.Fatalf("Open: %v, want ErrNewerSchema", err)
	}
	if !strings.Contains(err.Error(), "phiên bản Rà soát mới hơn") || !strings.Contains(err.Error(), "newer version of rasoat") {
		t.Errorf("message %q", err)
	}
	// refused, not changed
	setSchema(t, path, SchemaVersion)
	checkFile(t, path)
}

func setSchema(t *testing.T, path string, v int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kSchema, u64(uint64(v))) }); err != nil {
		t.Fatal(err)
	}
}

func TestOpenBadFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing.db"), Options{}); !isKind(err, ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o600)
	if _, err := Open(empty, Options{}); !isKind(err, ErrNotStore) {
		t.Errorf("empty file: %v", err)
	}
	text := filepath.Join(dir, "text.db")
	os.WriteFile(text, bytes.Repeat([]byte("this is not a database\n"), 1000), 0o600)
	if _, err := Open(text, Options{}); !isKind(err, ErrCorrupt) {
		t.Errorf("text file: %v", err)
	}
	if os.Getuid() != 0 { // root may open anything
		ro := filepath.Join(dir, "readonly.db")
		s, err := Create(ro, Meta{}, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		os.Chmod(ro, 0o400)
		if _, err := Open(ro, Options{}); !isKind(err, ErrOpen) || !strings.Contains(err.Error(), "Không mở được") {
			t.Errorf("read-only file: %v", err)
		}
	}
	other := filepath.Join(dir, "other.db")
	db, err := bolt.Open(other, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("x")); return err })
	db.Close()
	if _, err := Open(other, Options{}); !isKind(err, ErrNotStore) {
		t.Errorf("bbolt file of another program: %v", err)
	}
}

// TestCorruptedFile damages a database in several ways; every damage must be reported as
// ErrCorrupt by Open or by Verify (or by the read that meets it), never by a panic.
func TestCorruptedFile(t *testing.T) {
	src := filepath.Join(t.TempDir(), "good.db")
	s, err := Create(src, Meta{Ward: "W"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(households(120, 7)))
	var used int
	s.view(func(tx *bolt.Tx) error { used = int(tx.Size()); return nil })
	s.Close()
	good, _ := os.ReadFile(src)
	good = good[:used] // the rest of the file is space bbolt has not used yet
	const page = 4096
	damages := map[string]func([]byte) []byte{
		"both meta pages": func(b []byte) []byte {
			for i := 0; i < 2*page; i += 7 {
				b[i] ^= 0x5a
			}
			return b
		},
		"truncated to a third": func(b []byte) []byte { return b[:used/3] },
		"truncated by a page":  func(b []byte) []byte { return b[:used-page] },
		"truncated by a byte":  func(b []byte) []byte { return b[:used-1] },
		"data pages": func(b []byte) []byte {
			for i := 3 * page; i < used; i += page / 2 {
				b[i] ^= 0xff
				b[i+17] ^= 0x33
			}
			return b
		},
		"page headers": func(b []byte) []byte {
			for p := 2 * page; p+16 < used; p += page {
				b[p+8] = 0x7f // page flags
			}
			return b
		},
	}
	var want bytes.Buffer
	s, err = Open(src, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	s.Export(&want, ExportOptions{})
	s.Close()
	// Zeroing any one page is either found or harmless (a free page): never wrong data.
	found := 0
	pages := 0
	for p := 2; p < used/page; p += 3 {
		pages++
		path := filepath.Join(t.TempDir(), "page.db")
		b := bytes.Clone(good)
		clear(b[p*page : (p+1)*page])
		os.WriteFile(path, b, 0o600)
		s, err := Open(path, Options{NoSync: true})
		if err != nil {
			if !isKind(err, ErrCorrupt) {
				t.Errorf("page %d zeroed: Open: %v", p, err)
			}
			found++
			continue
		}
		if _, err := s.Verify(); err != nil {
			if !isKind(err, ErrCorrupt) {
				t.Errorf("page %d zeroed: Verify: %v", p, err)
			}
			found++
		} else {
			var got bytes.Buffer
			if err := s.Export(&got, ExportOptions{}); err != nil || !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("page %d zeroed: Verify passed but the export differs (%v)", p, err)
			}
		}
		s.Close()
	}
	if found == 0 {
		t.Error("no zeroed page was found")
	}
	t.Logf("%d of %d zeroed pages found, the others were free", found, pages)
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.db")
			os.WriteFile(path, damage(bytes.Clone(good)), 0o600)
			s, err := Open(path, Options{NoSync: true})
			if err != nil {
				if !isKind(err, ErrCorrupt) && !isKind(err, ErrNotStore) {
					t.Fatalf("Open: %v, want ErrCorrupt", err)
				}
				return
			}
			defer s.Close()
			rep, err := s.Verify()
			if err == nil {
				t.Fatalf("Verify found nothing wrong: %+v", rep)
			}
			if !isKind(err, ErrCorrupt) {
				t.Fatalf("Verify: %v, want ErrCorrupt", err)
			}
			// the other operations report it too, without panicking
			for _, op := range []func() error{
				func() error { _, err := s.List(); return err },
				func() error { _, err := s.Search("nguyen", 0); return err },
				func() error { return s.Export(new(bytes.Buffer), ExportOptions{History: true}) },
			} {
				if err := op(); err != nil && !isKind(err, ErrCorrupt) {
					t.Errorf("operation on a damaged file: %v", err)
				}
			}
		})
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("RASOAT_DB", "")
	p, err := DefaultPath()
	if err != nil {
		t.Skipf("no user config dir here: %v", err)
	}
	if filepath.Base(p) != "rasoat.db" || filepath.Base(filepath.Dir(p)) != "rasoat" {
		t.Errorf("DefaultPath() = %q", p)
	}
	t.Setenv("RASOAT_DB", "/tmp/x.db")
	if p, _ := DefaultPath(); p != "/tmp/x.db" {
		t.Errorf("with RASOAT_DB: %q", p)
	}
}

func TestMessages(t *testing.T) {
	err := errorf(ErrNotFound, nil, "hộ %s", "household %s", "abc")
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrDeleted) {
		t.Error("errors.Is does not match the kind")
	}
	if got, want := Message(err, "vi"), "Không tìm thấy hộ hoặc phiên bản: hộ abc"; got != want {
		t.Errorf("vi: %q", got)
	}
	if got, want := Message(err, "en"), "No such household or revision: household abc"; got != want {
		t.Errorf("en: %q", got)
	}
}
