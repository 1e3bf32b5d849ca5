// Package sync moves household revisions between the surveyors' field laptops and the ward
// office's central copy, as signed and encrypted batches: by files on a USB stick (ExportTo,
// ImportFrom) or over the office LAN (Serve on the office, SyncNow on a laptop). Both ways run
// the same code on the same batches and end in the same state.
//
// Each laptop numbers its revisions 1, 2, 3… (store.Revision.Seq); each side knows, per
// device, up to which number it has every revision (store.Store.Devices). A laptop sends what
// the office has not acknowledged, and forgets nothing until it has; the office sends each
// laptop what it lacks of every other device. Import is idempotent; a batch that would leave a
// gap waits in the store until the batches before it arrive. Concurrent edits of a household
// are all kept; the store flags the household as a conflict and shows the later head (by time,
// then revision id) until the office resolves it.
//
// The package shadows the standard library's sync; it imports that one as gosync.
package sync

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	gosync "sync"
	"time"

	"filippo.io/age"
	"github.com/google/uuid"
	"go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/store"
)

// Options tune a Node. The zero value is right for the app.
type Options struct {
	// Now is the clock of batch times and acknowledgement stamps; default time.Now.
	Now func() time.Time
	// NewID makes batch ids and the ward's sync id; default random UUIDs.
	NewID func() string
	// Rand is the randomness of signing and certificate keys; default crypto/rand. (age makes
	// its own keys from crypto/rand.)
	Rand io.Reader
	// Limits bound the batches this node accepts.
	Limits Limits
	// BatchRevisions is how many revisions a batch this node writes holds at most; default 1000.
	BatchRevisions int
	// HTTPTimeout bounds one request of SyncNow; default 2 minutes.
	HTTPTimeout time.Duration
	// Attempts is how often SyncNow tries one request before giving up (a cut connection is
	// tried again from the last acknowledged batch); default 3.
	Attempts int
	// RetryWait is the pause before trying a request again; default 1s.
	RetryWait time.Duration
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.NewID == nil {
		o.NewID = uuid.NewString
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	o.Limits = o.Limits.withDefaults()
	if o.BatchRevisions <= 0 {
		o.BatchRevisions = 1000
	}
	if o.BatchRevisions > o.Limits.MaxRevisions {
		o.BatchRevisions = o.Limits.MaxRevisions
	}
	if o.HTTPTimeout <= 0 {
		o.HTTPTimeout = 2 * time.Minute
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.RetryWait <= 0 {
		o.RetryWait = time.Second
	}
	return o
}

// Node is the sync side of one database: a field laptop's or the ward office's. Its methods
// are safe for concurrent use.
type Node struct {
	st   *store.Store
	o    Options
	meta store.Meta

	apply gosync.Mutex // one batch is applied at a time: the gap check and the write go together

	mu    gosync.Mutex
	keys  *store.SyncKeys
	ident age.Identity
	pkg   *Package // the laptop's enrollment
}

// New returns the sync side of an open store.
func New(st *store.Store, o Options) (*Node, error) {
	m, err := st.Meta()
	if err != nil {
		return nil, err
	}
	return &Node{st: st, o: o.withDefaults(), meta: m}, nil
}

// Store is the node's database.
func (n *Node) Store() *store.Store { return n.st }

// DeviceID is this database's device id.
func (n *Node) DeviceID() string { return n.meta.DeviceID }

func (n *Node) isOffice() bool { return n.meta.Role == store.RoleOffice }

func (n *Node) now() time.Time { return n.o.Now().UTC() }

// loadKeys returns the node's keys, or ok false when it has none yet.
func (n *Node) loadKeys() (store.SyncKeys, age.Identity, bool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.keys != nil {
		return *n.keys, n.ident, true, nil
	}
	k, ok, err := n.st.SyncKeys()
	if err != nil || !ok {
		return k, nil, false, err
	}
	id, err := age.ParseHybridIdentity(k.AgeIdentity)
	if err != nil {
		return k, nil, false, fmt.Errorf("%w: sync keys: %v", store.ErrCorrupt, err)
	}
	n.keys, n.ident = &k, id
	return k, id, true, nil
}

// ensureKeys makes the node's keys when it has none (extra, for the office, adds the ward id
// and the certificate) and returns them.
func (n *Node) ensureKeys(extra func(*store.SyncKeys) error) (store.SyncKeys, age.Identity, error) {
	k, id, ok, err := n.loadKeys()
	if err != nil || ok {
		return k, id, err
	}
	nk, err := newKeys(n.o.Rand, n.now())
	if err != nil {
		return k, nil, err
	}
	if extra != nil {
		if err := extra(&nk); err != nil {
			return k, nil, err
		}
	}
	if _, err := n.st.InitSyncKeys(nk); err != nil {
		return k, nil, err
	}
	k, id, _, err = n.loadKeys()
	return k, id, err
}

// enrollment returns the laptop's enrollment package.
func (n *Node) enrollment() (Package, error) {
	n.mu.Lock()
	if n.pkg != nil {
		defer n.mu.Unlock()
		return *n.pkg, nil
	}
	n.mu.Unlock()
	raw, ok, err := n.st.Enrollment()
	if err != nil {
		return Package{}, err
	}
	if !ok {
		return Package{}, ErrNotEnrolled
	}
	p, err := ParsePackage(raw)
	if err != nil {
		return p, err
	}
	n.mu.Lock()
	n.pkg = &p
	n.mu.Unlock()
	return p, nil
}

// senderKey checks a header's addressing and returns the public key its signature must
// verify with.
func (n *Node) senderKey(h *Header) (ed25519.PublicKey, error) {
	if h.To != n.meta.DeviceID {
		return nil, errorf(ErrNotForUs, nil, "gửi cho thiết bị %s", "addressed to device %s", h.To)
	}
	if n.isOffice() {
		d, ok, err := n.st.SyncDevice(h.From)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errorf(ErrUnknownDevice, nil, "%s", "%s", h.From)
		}
		if !d.Revoked.IsZero() {
			return nil, errorf(ErrRevoked, nil, "%s (%s), thu hồi lúc %s", "%s (%s), revoked at %s",
				d.ID, d.Name, d.Revoked.Format(time.RFC3339))
		}
		return d.SignKey, nil
	}
	p, err := n.enrollment()
	if err != nil {
		return nil, err
	}
	if h.From != p.Office {
		return nil, errorf(ErrUnknownDevice, nil, "%s không phải văn phòng phường", "%s is not the ward office", h.From)
	}
	return p.OfficeSignKey, nil
}

// decode checks and decodes the inner form of a batch sent to this node.
func (n *Node) decode(inner []byte) (*Batch, error) {
	b, err := decodeInner(inner, n.o.Limits, n.senderKey)
	if err != nil {
		return nil, err
	}
	h := &b.Header
	var ward string
	if n.isOffice() {
		k, _, _, err := n.loadKeys()
		if err != nil {
			return nil, err
		}
		ward = k.WardID
		if h.Kind != KindUp {
			return nil, errorf(ErrNotForUs, nil, "lô %q gửi văn phòng", "a %q batch sent to the office", h.Kind)
		}
		for _, r := range h.Ranges {
			if r.Device != h.From {
				return nil, errorf(ErrTampered, nil, "thiết bị %s gửi phiên bản của %s", "device %s sends revisions of %s", h.From, r.Device)
			}
		}
	} else {
		p, err := n.enrollment()
		if err != nil {
			return nil, err
		}
		ward = p.WardID
		if h.Kind != KindDown {
			return nil, errorf(ErrNotForUs, nil, "lô %q gửi máy rà soát", "a %q batch sent to a laptop", h.Kind)
		}
	}
	if h.Ward != ward {
		return nil, errorf(ErrWrongWard, nil, "%s (%s)", "%s (%s)", h.WardName, h.Ward)
	}
	if !n.isOffice() {
		if err := n.checkOfficeScoreTable(h); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// BatchResult says what importing one batch did.
type BatchResult struct {
	Header    Header
	Revisions int  // in the batch
	Added     int  // of them new to this database (with those of waiting batches it let through)
	Pending   bool // kept until the batches before it arrive
	Released  int  // waiting batches applied after it
	// ScoreTable is what it (or the waiting batches it let through) did to the laptop's score
	// table: ScoreTableLoaded, ScoreTableRemoved, or "" for nothing.
	ScoreTable string
}

// Import checks a batch file and applies it: all of it, or, when a batch before it is
// missing, keeps it to apply when that one arrives. A refused batch (IsRefusal) writes
// nothing. Importing a batch again changes nothing.
func (n *Node) Import(file []byte) (BatchResult, error) {
	_, id, ok, err := n.loadKeys()
	if err != nil {
		return BatchResult{}, err
	}
	if !ok {
		if n.isOffice() {
			return BatchResult{}, errorf(ErrNotForUs, nil, "văn phòng chưa thiết lập đồng bộ", "the office has not set up sync")
		}
		return BatchResult{}, ErrNotEnrolled
	}
	inner, err := unseal(file, id, n.o.Limits)
	if err != nil {
		return BatchResult{}, err
	}
	b, err := n.decode(inner)
	if err != nil {
		return BatchResult{}, err
	}
	// the first line is outside the encryption and the signature: it must name the version
	// the signed header says, so that no byte of the file can change unnoticed
	if v, _ := fileVersion(file); v != b.Header.Version {
		return BatchResult{}, errorf(ErrTampered, nil, "dòng đầu ghi phiên bản %d, phần đầu đã ký ghi %d",
			"the first line says version %d, the signed header %d", v, b.Header.Version)
	}
	return n.applyBatch(b, inner)
}

func gap(b *Batch, have map[string]uint64) bool {
	for _, r := range b.Header.Ranges {
		if r.First > have[r.Device]+1 {
			return true
		}
	}
	return false
}

// haveOf returns, for each device of the batch's ranges, up to which number the store has all
// of its revisions.
func (n *Node) haveOf(b *Batch) (map[string]uint64, error) {
	have := make(map[string]uint64, len(b.Header.Ranges))
	for _, r := range b.Header.Ranges {
		v, err := n.st.LastSeq(r.Device)
		if err != nil {
			return nil, err
		}
		have[r.Device] = v
	}
	return have, nil
}

func (n *Node) applyBatch(b *Batch, inner []byte) (BatchResult, error) {
	res := BatchResult{Header: b.Header, Revisions: len(b.Revisions)}
	n.apply.Lock()
	defer n.apply.Unlock()
	have, err := n.haveOf(b)
	if err != nil {
		return res, err
	}
	if gap(b, have) {
		if err := n.keepWaiting(b, inner); err != nil {
			return res, err
		}
		res.Pending = true
		return res, nil
	}
	if res.Added, res.ScoreTable, err = n.applyNow(b, have, ""); err != nil {
		return res, err
	}
	more, released, table, err := n.drainPending()
	res.Added += more
	res.Released = released
	if table != "" {
		res.ScoreTable = table
	}
	return res, err
}

// pendingID is the key of a waiting batch: its sender, then the hash of its bytes (the same
// batch is kept once).
func pendingID(from string, inner []byte) string {
	return from + "\x00" + hashHex(inner)
}

// keepWaiting keeps a batch that would leave a gap until the batches before it arrive, unless
// its sender has Limits.MaxWaiting batches waiting already: then it is refused.
func (n *Node) keepWaiting(b *Batch, inner []byte) error {
	id := pendingID(b.Header.From, inner)
	ids, err := n.st.PendingBatchIDs()
	if err != nil {
		return err
	}
	p := b.Header.From + "\x00"
	waiting := 0
	for _, x := range ids {
		if x == id {
			return nil // kept already
		}
		if strings.HasPrefix(x, p) {
			waiting++
		}
	}
	if waiting >= n.o.Limits.MaxWaiting {
		return errorf(ErrTooManyWaiting, nil, "%d lô của %s đang chờ, tối đa %d", "%d batches of %s are waiting, at most %d",
			waiting, b.Header.From, n.o.Limits.MaxWaiting)
	}
	return n.st.PutPendingBatch(id, inner)
}

// applyNow writes a batch whose ranges follow on what the store has (have, for the devices of
// its ranges), in one transaction with what the batch says (the sender's have vector and score
// table hash, the acknowledgement, the assignments, the office's score table) and, for a batch
// that was waiting (pending is its id), its leaving the waiting list: all of it or nothing,
// with one sync to disk. table says what it did to the score table (takeScoreTable).
func (n *Node) applyNow(b *Batch, have map[string]uint64, pending string) (added int, table string, err error) {
	revs := make([]store.Revision, 0, len(b.Revisions))
	for _, r := range b.Revisions {
		if r.Seq > have[r.Device] {
			revs = append(revs, r)
		}
	}
	h := &b.Header
	at := n.now()
	added, err = n.st.PutRevisionsWith(revs, func(tx *bbolt.Tx) error {
		table = ""
		x, err := n.st.SyncTx(tx)
		if err != nil {
			return err
		}
		switch h.Kind {
		case KindUp:
			if err := x.NoteBatchFrom(h.From, h.Have, at); err != nil {
				return err
			}
			if h.ScoreTable != nil {
				if err := x.NotePeerScoreTable(h.From, h.ScoreTable.SHA256, h.Stamp); err != nil {
					return err
				}
			}
		case KindDown:
			if h.Ack != nil {
				if _, err := x.SetAck(*h.Ack, h.Stamp); err != nil {
					return err
				}
			}
			// the assignments of a down-batch newer than the one they came from replace the
			// laptop's
			if h.Assignments != nil && h.Stamp > x.SyncStamp("assignments") {
				as := make([]store.Assignment, 0, len(h.Assignments))
				for _, a := range h.Assignments {
					as = append(as, store.Assignment{Surveyor: a.Surveyor, Groups: a.Groups, Households: a.Households})
				}
				if err := x.SetAssignments(as); err != nil {
					return err
				}
				if _, err := x.AdvanceSyncStamp("assignments", h.Stamp); err != nil {
					return err
				}
			}
			if table, err = takeScoreTable(x, h); err != nil {
				return err
			}
		}
		if pending != "" {
			return x.DeletePendingBatch(pending)
		}
		return nil
	})
	if err != nil {
		table = ""
	}
	return added, table, err
}

// drainPending applies the waiting batches that no longer leave a gap, until none does.
// A waiting batch that is now refused (its device was revoked) is dropped. table is the last
// change of the score table they made (takeScoreTable).
func (n *Node) drainPending() (added, released int, table string, err error) {
	for {
		ids, err := n.st.PendingBatchIDs()
		if err != nil || len(ids) == 0 {
			return added, released, table, err
		}
		progress := false
		for _, id := range ids {
			data, ok, err := n.st.PendingBatch(id)
			if err != nil {
				return added, released, table, err
			}
			if !ok {
				continue
			}
			// a batch of a sender still allowed that is still behind a gap is left waiting on
			// what its header says, without verifying and decoding it again (it was when it
			// was kept; it is when it applies)
			if p, err := parseInner(data); err == nil {
				if _, err := n.senderKey(&p.hdr); err == nil {
					have, err := n.haveOf(&Batch{Header: p.hdr})
					if err != nil {
						return added, released, table, err
					}
					if gap(&Batch{Header: p.hdr}, have) {
						continue
					}
				}
			}
			b, err := n.decode(data)
			if err != nil {
				if !IsRefusal(err) {
					return added, released, table, err
				}
				if err := n.st.DeletePendingBatch(id); err != nil {
					return added, released, table, err
				}
				continue
			}
			have, err := n.haveOf(b)
			if err != nil {
				return added, released, table, err
			}
			if gap(b, have) {
				continue
			}
			a, tb, err := n.applyNow(b, have, id)
			if err != nil {
				return added, released, table, err
			}
			if tb != "" {
				table = tb
			}
			added += a
			released++
			progress = true
		}
		if !progress {
			return added, released, table, nil
		}
	}
}

// chunks splits revisions (in device, seq order) into batches of at most max revisions, each
// with its ranges: a new range starts at each change of device or gap.
func chunks(revs []store.Revision, max int) [][]store.Revision {
	var out [][]store.Revision
	for len(revs) > 0 {
		k := min(len(revs), max)
		out = append(out, revs[:k:k])
		revs = revs[k:]
	}
	return out
}

// rangesOf returns the ranges of revisions in device, seq order; ok is false when a device
// comes back after another or its numbers repeat or go back (which a batch cannot say).
func rangesOf(revs []store.Revision) ([]Range, bool) {
	var rs []Range
	for _, r := range revs {
		if l := len(rs); l > 0 && rs[l-1].Device == r.Device && r.Seq == rs[l-1].Last+1 {
			rs[l-1].Last = r.Seq
			continue
		}
		if slices.ContainsFunc(rs, func(x Range) bool { return x.Device == r.Device }) || r.Seq == 0 {
			return nil, false
		}
		rs = append(rs, Range{Device: r.Device, First: r.Seq, Last: r.Seq})
	}
	return rs, true
}

var errRanges = errors.New("sync: revisions are not in runs of one device each")
