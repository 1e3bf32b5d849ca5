package store

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/seal"
)

// SchemaVersion is the layout of the database this program writes (see doc.go). Older
// databases are migrated when opened; newer ones are refused.
const SchemaVersion = 6

// Role says whether a database is a surveyor's field laptop or the ward office's central copy.
type Role string

// The roles of a database.
const (
	RoleField  Role = "field"
	RoleOffice Role = "office"
)

// Statuses of a revision. A household's status is that of its current revision.
const (
	StatusDraft    = "draft"
	StatusComplete = "complete"
	StatusApproved = "approved"
	StatusReturned = "returned"
)

// Statuses lists the statuses in workflow order.
var Statuses = []string{StatusDraft, StatusComplete, StatusApproved, StatusReturned}

func validStatus(s string) bool {
	for _, v := range Statuses {
		if v == s {
			return true
		}
	}
	return false
}

// Options tune opening a store. The zero value is right for the app.
type Options struct {
	// Timeout is how long Open waits for another copy of the app to release the database
	// before it gives up with ErrLocked; default 1s.
	Timeout time.Duration
	// Now gives the time of new revisions; default time.Now.
	Now func() time.Time
	// NewID makes revision and device ids; default random UUIDs.
	NewID func() string
	// NoSync skips fsync. For tests only: a crash can then lose or corrupt the database.
	NoSync bool
	// Passphrase opens an encrypted database; Create with one makes an encrypted database.
	// An unencrypted database ignores it. Without it an encrypted database gives ErrEncrypted.
	Passphrase string
	// KDF are the Argon2id costs of wrapping the data key; default seal.DefaultParams (tests
	// use small ones).
	KDF *seal.Params
}

// Meta describes the database: its schema, its role, its ward and the device it lives on.
type Meta struct {
	SchemaVersion int
	Role          Role
	Ward          string
	Area          string // household.AreaUrban or household.AreaRural; "" when not set
	DeviceID      string // set by Create; never changes
	DeviceName    string
	Surveyor      string // the user of a field laptop, the default author of its edits
}

// Store is an open database. Its methods are safe for concurrent use; each is one bbolt
// transaction.
type Store struct {
	db    *bolt.DB
	path  string
	now   func() time.Time
	newID func() string
	base  *poverty.Registry          // the shipped standards
	score atomic.Pointer[scoreState] // base with the loaded score table (scoretable.go)

	encrypted atomic.Bool                  // the database is encrypted at rest (encrypt.go)
	kr        atomic.Pointer[seal.Keyring] // its data key; nil while locked
	kdf       seal.Params                  // costs of wrapping the data key again

	search searchIndex // in memory (search.go)
	wlog   *searchLog  // of the write transaction under way
}

// Bucket names; the tree is drawn in doc.go.
var (
	bMeta        = []byte("meta")
	bRevisions   = []byte("revisions")
	bByID        = []byte("byid")
	bByDevice    = []byte("bydevice")
	bByHousehold = []byte("byhousehold")
	bChildren    = []byte("children")
	bBlobs       = []byte("blobs")
	bHouseholds  = []byte("households")
	bCurrent     = []byte("current")
	bOrder       = []byte("order")
	bIndex       = []byte("index")
	bGroup       = []byte("group")
	bStatus      = []byte("status")
	bSurveyor    = []byte("surveyor")
	bSearch      = []byte("search") // schemas 3 and 4 only
	bConflict    = []byte("conflict")
	bAssignments = []byte("assignments")
)

// Keys of the meta bucket.
var (
	kSchema     = []byte("schema")
	kRole       = []byte("role")
	kWard       = []byte("ward")
	kArea       = []byte("area")
	kDeviceID   = []byte("device_id")
	kDeviceName = []byte("device_name")
	kSurveyor   = []byte("surveyor")
	kCreated    = []byte("created")
	kSeq        = []byte("seq") // last sequence number given to a revision of this device
)

// tree is the bucket layout of the current schema: top-level buckets and their children.
var tree = []struct {
	name     []byte
	children [][]byte
}{
	{bMeta, nil},
	{bRevisions, [][]byte{bByID, bByDevice, bByHousehold, bChildren, bBlobs}},
	{bHouseholds, [][]byte{bCurrent, bOrder}},
	{bIndex, [][]byte{bGroup, bStatus, bSurveyor, bConflict}},
	{bAssignments, nil},
	{bAudit, [][]byte{bAuditLog, bAuditByHH}},
}

func (o Options) boltOptions() *bolt.Options {
	t := o.Timeout
	if t <= 0 {
		t = time.Second
	}
	bo := &bolt.Options{Timeout: t, NoSync: o.NoSync}
	// A large mapping from the start spares bbolt remapping (and copying every node of the
	// open transaction) each time the file doubles, which was a quarter of an import's time,
	// and lets reads go on during a write that grows the file. It is address space only, except
	// on Windows, where mapping grows the file itself: there bbolt's default stays.
	if runtime.GOOS != "windows" && strconv.IntSize == 64 {
		bo.InitialMmapSize = 1 << 30
	}
	return bo
}

func newStore(db *bolt.DB, path string, o Options) (*Store, error) {
	// With the large mapping bbolt would grow the file 16 MiB at a time; 1 MiB steps keep a
	// small ward's file small.
	if o.boltOptions().InitialMmapSize > 0 {
		db.AllocSize = 1 << 20
	}
	reg, err := poverty.Builtin()
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, path: path, now: o.Now, newID: o.NewID, base: reg, kdf: o.kdf()}
	s.score.Store(&scoreState{reg: reg})
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = uuid.NewString
	}
	return s, nil
}

// Create makes a new database at path (creating its directory) with the given description. It
// refuses a file that exists and is not empty. A DeviceID is made when m has none; the role
// defaults to field.
func Create(path string, m Meta, o Options) (_ *Store, err error) {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return nil, errorf(ErrExists, nil, "%s", "%s", path)
	}
	if m.Role == "" {
		m.Role = RoleField
	}
	if m.Role != RoleField && m.Role != RoleOffice {
		return nil, errorf(ErrInvalid, nil, "vai trò %q không hợp lệ (field hoặc office)", "role %q is not valid (field or office)", m.Role)
	}
	if m.Area != "" && m.Area != household.AreaUrban && m.Area != household.AreaRural {
		return nil, errorf(ErrInvalid, nil, "khu vực %q không hợp lệ (urban hoặc rural)", "area %q is not valid (urban or rural)", m.Area)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, errorf(ErrOpen, err, "%s", "%s", path)
	}
	db, err := bolt.Open(path, 0o600, o.boltOptions())
	if err != nil {
		return nil, openError(path, err)
	}
	s, err := newStore(db, path, o)
	if err != nil {
		db.Close()
		return nil, err
	}
	if m.DeviceID == "" {
		m.DeviceID = s.newID()
	}
	m.SchemaVersion = SchemaVersion
	var wrapped *seal.Wrapped
	if o.Passphrase != "" {
		kr, w, err := seal.New(o.Passphrase, o.kdf())
		if err != nil {
			db.Close()
			os.Remove(path)
			return nil, passError(err)
		}
		wrapped = w
		s.encrypted.Store(true)
		s.kr.Store(kr)
	}
	err = s.update(func(tx *bolt.Tx) error {
		if err := createTree(tx); err != nil {
			return err
		}
		b := tx.Bucket(bMeta)
		if wrapped != nil {
			if err := b.Put(kSealed, wrapped.Marshal()); err != nil {
				return err
			}
		}
		if err := writeMeta(b, m); err != nil {
			return err
		}
		if err := b.Put(kCreated, []byte(s.now().UTC().Format(time.RFC3339))); err != nil {
			return err
		}
		return b.Put(kSeq, u64(0))
	})
	if err != nil {
		db.Close()
		os.Remove(path)
		return nil, err
	}
	return s, nil
}

func createTree(tx *bolt.Tx) error {
	for _, t := range tree {
		b, err := tx.CreateBucketIfNotExists(t.name)
		if err != nil {
			return err
		}
		for _, c := range t.children {
			if _, err := b.CreateBucketIfNotExists(c); err != nil {
				return err
			}
		}
	}
	return nil
}

func writeMeta(b *bolt.Bucket, m Meta) error {
	for _, kv := range []struct {
		k []byte
		v string
	}{{kRole, string(m.Role)}, {kWard, m.Ward}, {kArea, m.Area}, {kDeviceID, m.DeviceID},
		{kDeviceName, m.DeviceName}, {kSurveyor, m.Surveyor}} {
		if err := b.Put(kv.k, []byte(kv.v)); err != nil {
			return err
		}
	}
	return b.Put(kSchema, u64(uint64(m.SchemaVersion)))
}

func readMeta(b *bolt.Bucket) (Meta, error) {
	var m Meta
	if b == nil {
		return m, errorf(ErrNotStore, nil, "thiếu nhóm dữ liệu meta", "the meta bucket is missing")
	}
	v := b.Get(kSchema)
	if len(v) != 8 {
		return m, errorf(ErrNotStore, nil, "thiếu phiên bản lược đồ", "the schema version is missing")
	}
	m.SchemaVersion = int(beUint64(v))
	m.Role = Role(b.Get(kRole))
	m.Ward = string(b.Get(kWard))
	m.Area = string(b.Get(kArea))
	m.DeviceID = string(b.Get(kDeviceID))
	m.DeviceName = string(b.Get(kDeviceName))
	m.Surveyor = string(b.Get(kSurveyor))
	return m, nil
}

// Open opens an existing database, migrating an older schema. Another copy of the app holding
// the database gives ErrLocked after Options.Timeout; a newer schema gives ErrNewerSchema; a
// damaged file gives ErrCorrupt; a file that is no rasoat database gives ErrNotStore.
func Open(path string, o Options) (_ *Store, err error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errorf(ErrNotExist, err, "%s", "%s", path)
	} else if err != nil {
		return nil, err
	}
	if fi.Size() == 0 {
		return nil, errorf(ErrNotStore, nil, "tệp %s trống", "file %s is empty", path)
	}
	if err := truncated(path); err != nil {
		return nil, err
	}
	var db *bolt.DB
	func() {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer catch(&err, path)
		db, err = bolt.Open(path, 0o600, o.boltOptions())
	}()
	if err != nil {
		if db != nil {
			db.Close()
		}
		return nil, openError(path, err)
	}
	s, err := newStore(db, path, o)
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := s.prepare(o.Passphrase); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.loadScoreState(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// prepare checks the schema version and migrates an older database in one transaction.
func (s *Store) prepare(passphrase string) error {
	var m Meta
	var w *seal.Wrapped
	err := s.view(func(tx *bolt.Tx) error {
		if err := checkLength(tx); err != nil {
			return err
		}
		var err error
		if m, err = readMeta(tx.Bucket(bMeta)); err != nil {
			return err
		}
		w, err = wrappedOf(tx)
		return err
	})
	if err != nil {
		return withPath(err, s.path)
	}
	if w != nil {
		// An encrypted database is never older than the schema that brought encryption, so
		// it is never migrated; a newer one is refused before its key is tried.
		if m.SchemaVersion > SchemaVersion {
			return errorf(ErrNewerSchema, nil, "lược đồ %d, chương trình này đọc đến %d", "schema %d, this program reads up to %d", m.SchemaVersion, SchemaVersion)
		}
		if passphrase == "" {
			return errorf(ErrEncrypted, nil, "%s", "%s", s.path)
		}
		kr, err := seal.Unlock(w, passphrase)
		if err != nil {
			return passError(err)
		}
		s.encrypted.Store(true)
		s.kr.Store(kr)
	}
	switch {
	case m.SchemaVersion > SchemaVersion:
		return errorf(ErrNewerSchema, nil, "lược đồ %d, chương trình này đọc đến %d", "schema %d, this program reads up to %d", m.SchemaVersion, SchemaVersion)
	case m.SchemaVersion < 1:
		return errorf(ErrNotStore, nil, "phiên bản lược đồ %d", "schema version %d", m.SchemaVersion)
	case m.SchemaVersion < SchemaVersion:
		if _, err := s.backupBeforeMigrate(m.SchemaVersion); err != nil {
			return err
		}
		return s.update(func(tx *bolt.Tx) error { return s.migrate(tx, m.SchemaVersion) })
	}
	return nil
}

// checkLength refuses a file shorter than its pages say (cut short by a failed copy): reading
// past its end would kill the program, not just fail.
func checkLength(tx *bolt.Tx) error {
	fi, err := os.Stat(tx.DB().Path())
	if err != nil {
		return err
	}
	if fi.Size() < tx.Size() {
		return errorf(ErrCorrupt, nil, "tệp bị cắt cụt (%d byte, cần %d)", "the file is truncated (%d bytes, %d needed)", fi.Size(), tx.Size())
	}
	return nil
}

func openError(path string, err error) error {
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return errorf(ErrLocked, nil, "%s", "%s", path)
	case errors.Is(err, ErrCorrupt):
		return withPath(err, path)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return errorf(ErrCorrupt, nil, "%s (không phải tệp cơ sở dữ liệu, hoặc phần đầu tệp bị hỏng)",
			"%s (not a database file, or its header is damaged)", path)
	}
	return errorf(ErrOpen, err, "%s", "%s", path)
}

// Close closes the database. It waits for running transactions.
func (s *Store) Close() error { return s.db.Close() }

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Meta returns the description of the database.
func (s *Store) Meta() (Meta, error) {
	var m Meta
	err := s.view(func(tx *bolt.Tx) error {
		if err := checkLength(tx); err != nil {
			return err
		}
		var err error
		m, err = readMeta(tx.Bucket(bMeta))
		return err
	})
	return m, err
}

// UpdateMeta changes the description of the database: role, ward, area, device name and
// surveyor. The schema version and the device id cannot be changed.
func (s *Store) UpdateMeta(fn func(*Meta)) error {
	return s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bMeta)
		m, err := readMeta(b)
		if err != nil {
			return err
		}
		n := m
		fn(&n)
		if n.SchemaVersion != m.SchemaVersion || n.DeviceID != m.DeviceID {
			return errorf(ErrInvalid, nil, "không thể đổi phiên bản lược đồ hay mã thiết bị", "the schema version and the device id cannot be changed")
		}
		if n.Role != RoleField && n.Role != RoleOffice {
			return errorf(ErrInvalid, nil, "vai trò %q không hợp lệ (field hoặc office)", "role %q is not valid (field or office)", n.Role)
		}
		if n.Area != "" && n.Area != household.AreaUrban && n.Area != household.AreaRural {
			return errorf(ErrInvalid, nil, "khu vực %q không hợp lệ (urban hoặc rural)", "area %q is not valid (urban or rural)", n.Area)
		}
		if fields := metaDiff(m, n); len(fields) > 0 {
			if err := s.appendAudit(tx, AuditEntry{Action: AuditMeta, Fields: fields}); err != nil {
				return err
			}
		}
		return writeMeta(b, n)
	})
}

// DefaultPath is where the app keeps its database for this user: $RASOAT_DB when set, else
// rasoat/rasoat.db in the user's configuration directory (%AppData% on Windows,
// ~/Library/Application Support on macOS, ~/.config on Linux).
func DefaultPath() (string, error) {
	if p := os.Getenv("RASOAT_DB"); p != "" {
		return p, nil
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", errorf(ErrNotExist, err, "không xác định được thư mục dữ liệu của người dùng", "cannot find the user's data directory")
	}
	return filepath.Join(dir, "rasoat", "rasoat.db"), nil
}

// catch turns a panic of bbolt on a damaged file (a bad page, or a fault reading the mapped
// file) into ErrCorrupt naming the file (damaged), never the runtime's text. It must be
// deferred directly.
func catch(err *error, path string) {
	if r := recover(); r != nil {
		*err = damaged(path)
	}
}

// view and update run one transaction, with bbolt's panics on damaged data reported as
// ErrCorrupt rather than crashing the app.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer catch(&err, s.path)
	return s.db.View(fn)
}

func (s *Store) update(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer catch(&err, s.path)
	return diskFull(s.db.Update(func(tx *bolt.Tx) error {
		id, l := tx.ID(), &searchLog{}
		s.wlog = l
		tx.OnCommit(func() { s.search.commit(id, l) })
		return fn(tx)
	}))
}
