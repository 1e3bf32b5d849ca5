package sync

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"filippo.io/age"

	"github.com/rasoat/rasoat/store"
)

// Batch files are named so that each side picks its own from a shared folder:
//
//	up-DEVICE-FIRST-LAST.rsb    a laptop's revisions FIRST…LAST (numbers zero-padded)
//	up-DEVICE-have.rsb          a laptop with nothing to send: what it has
//	down-DEVICE-NNNN.rsb        the office's batches for a laptop, NNNN from 0001
const fileExt = ".rsb"

// isBatchFile reports whether name is one of the batch files of the device, of the kind
// (KindUp or KindDown), exactly: "up-dev-a-…" is not a file of device "dev".
func isBatchFile(name, kind, dev string) bool {
	p := kind + "-" + fileID(dev) + "-"
	if !strings.HasPrefix(name, p) || !strings.HasSuffix(name, fileExt) {
		return false
	}
	rest := strings.TrimSuffix(name[len(p):], fileExt)
	digits := func(s string, n int) bool {
		if len(s) != n {
			return false
		}
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		}
		return true
	}
	if kind == KindDown {
		return digits(rest, 4)
	}
	if rest == "have" {
		return true
	}
	first, last, ok := strings.Cut(rest, "-")
	return ok && digits(first, 10) && digits(last, 10)
}

// fileID makes a device id safe in a file name.
func fileID(dev string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		if r == '-' {
			return r
		}
		return '_'
	}, dev)
}

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Result says what an export, an import or a sync did.
type Result struct {
	Files     []string  // batch files written (export) or read (import)
	Batches   int       // batches written, sent, or applied
	Revisions int       // revisions in them
	Added     int       // revisions new to this database
	Delivered int       // push: revisions the office took as new
	Waiting   int       // batches kept until the batches before them arrive (after the run)
	Refused   []Refused // import: the files refused, and why
	Acked     uint64    // laptop: the office has this laptop's revisions 1…Acked
	Unsent    int       // laptop: revisions the office has not acknowledged yet
	Conflicts int       // households in conflict after the run
	// ScoreTable is, on a laptop, what the office's batches did to its score table:
	// ScoreTableLoaded, ScoreTableRemoved, or "" when it is unchanged.
	ScoreTable string
	Time       time.Time
}

// Refused is a batch file that was refused; nothing of it was written.
type Refused struct {
	File string
	Err  error
}

// upBatch makes one sealed up-batch of the laptop's revisions (none: a batch that only says
// what the laptop has).
func (n *Node) upBatch(p Package, k store.SyncKeys, revs []store.Revision, have map[string]uint64) ([]byte, error) {
	rs, ok := rangesOf(revs)
	if !ok {
		return nil, errRanges
	}
	table, _, err := n.ownScoreTable()
	if err != nil {
		return nil, err
	}
	h := Header{Kind: KindUp, Ward: p.WardID, WardName: p.Ward, From: n.meta.DeviceID, To: p.Office,
		ID: n.o.NewID(), Created: n.now(), Stamp: n.now().UnixNano(), Ranges: rs, Have: have,
		ScoreTable: table}
	inner, err := encodeInner(&h, revs, k.SignKey)
	if err != nil {
		return nil, err
	}
	to, err := age.ParseHybridRecipient(p.OfficeAgeRecipient)
	if err != nil {
		return nil, err
	}
	return seal(inner, to)
}

// unacked returns the laptop's revisions the office has not acknowledged, in order and
// without a gap.
func (n *Node) unacked() ([]store.Revision, error) {
	acked, _, err := n.st.Ack()
	if err != nil {
		return nil, err
	}
	return n.run(n.meta.DeviceID, acked, 0)
}

// run returns at most max (≤ 0: all) of a device's revisions after the number after, in order
// and up to the first gap.
func (n *Node) run(dev string, after uint64, max int) ([]store.Revision, error) {
	revs, err := n.st.RevisionsSinceLimit(dev, after, max)
	if err != nil {
		return nil, err
	}
	for i := range revs {
		if revs[i].Seq != after+1+uint64(i) {
			return revs[:i], nil
		}
	}
	return revs, nil
}

// laptop returns what a laptop needs to send.
func (n *Node) laptop() (Package, store.SyncKeys, error) {
	if n.isOffice() {
		return Package{}, store.SyncKeys{}, ErrNotField
	}
	p, err := n.enrollment()
	if err != nil {
		return p, store.SyncKeys{}, err
	}
	k, _, ok, err := n.loadKeys()
	if err == nil && !ok {
		err = ErrNotEnrolled
	}
	return p, k, err
}

// planDown returns the next down-batch for a laptop that has have: the revisions of other
// devices the office has and it lacks, at most max of them, and whether more remain.
func (n *Node) planDown(dev string, have, officeHave map[string]uint64, max int) ([]store.Revision, bool, error) {
	devs := make([]string, 0, len(officeHave))
	for d := range officeHave {
		devs = append(devs, d)
	}
	sort.Strings(devs)
	var out []store.Revision
	for _, d := range devs {
		from, to := have[d], officeHave[d]
		if d == dev || to <= from {
			continue
		}
		if len(out) == max {
			return out, true, nil
		}
		want := int(min(to-from, uint64(max-len(out))))
		rs, err := n.run(d, from, want)
		if err != nil {
			return nil, false, err
		}
		out = append(out, rs...)
		if uint64(want) < to-from {
			return out, true, nil
		}
	}
	return out, false, nil
}

// downBatch makes one sealed down-batch for an enrolled device, with what downScoreTable said
// of the office's score table.
func (n *Node) downBatch(d store.SyncDevice, k store.SyncKeys, revs []store.Revision, more bool, ack uint64, as []Assignment,
	table *ScoreTableRef) ([]byte, error) {
	rs, ok := rangesOf(revs)
	if !ok {
		return nil, errRanges
	}
	h := Header{Kind: KindDown, Ward: k.WardID, WardName: n.meta.Ward, From: n.meta.DeviceID, To: d.ID,
		ID: n.o.NewID(), Created: n.now(), Stamp: n.now().UnixNano(), Ranges: rs, Ack: &ack,
		Assignments: as, More: more, ScoreTable: table}
	inner, err := encodeInner(&h, revs, ed25519.PrivateKey(k.SignKey))
	if err != nil {
		return nil, err
	}
	to, err := age.ParseHybridRecipient(d.AgeRecipient)
	if err != nil {
		return nil, err
	}
	return seal(inner, to)
}

func (n *Node) assignments() ([]Assignment, error) {
	as, err := n.st.Assignments()
	if err != nil {
		return nil, err
	}
	out := make([]Assignment, 0, len(as))
	for _, a := range as {
		out = append(out, Assignment{Surveyor: a.Surveyor, Groups: a.Groups, Households: a.Households})
	}
	return out, nil
}

// ExportTo writes batch files to a folder (a USB stick). On a laptop: every revision the
// office has not acknowledged (or, with none, a batch saying what the laptop has). On the
// office: for each enrolled device not revoked, what it lacks, by what it last said it has,
// with the acknowledgement of its revisions, the assignments and the score table. Files of earlier exports by
// this database that the new ones replace are removed. Each file is written whole or not at
// all.
func (n *Node) ExportTo(dir string) (Result, error) {
	res := Result{Time: n.now()}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return res, err
	}
	var err error
	if n.isOffice() {
		err = n.exportDown(dir, &res)
	} else {
		err = n.exportUp(dir, &res)
	}
	if err != nil {
		return res, err
	}
	return res, n.st.SetSyncTime("export", res.Time)
}

func (n *Node) exportUp(dir string, res *Result) error {
	p, k, err := n.laptop()
	if err != nil {
		return err
	}
	acked, _, err := n.st.Ack()
	if err != nil {
		return err
	}
	have, err := n.st.Devices()
	if err != nil {
		return err
	}
	me := fileID(n.meta.DeviceID)
	var names []string
	for after := acked; ; {
		part, err := n.run(n.meta.DeviceID, after, n.o.BatchRevisions)
		if err != nil {
			return err
		}
		if len(part) == 0 && len(names) > 0 {
			break
		}
		name := fmt.Sprintf("up-%s-have%s", me, fileExt)
		if len(part) > 0 {
			name = fmt.Sprintf("up-%s-%010d-%010d%s", me, part[0].Seq, part[len(part)-1].Seq, fileExt)
		}
		data, err := n.upBatch(p, k, part, have)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(filepath.Join(dir, name), data); err != nil {
			return err
		}
		names = append(names, name)
		res.Batches++
		res.Revisions += len(part)
		if len(part) < n.o.BatchRevisions {
			break
		}
		after = part[len(part)-1].Seq
	}
	res.Files = names
	res.Unsent = res.Revisions
	res.Acked = acked
	return removeStale(dir, KindUp, n.meta.DeviceID, names)
}

func (n *Node) exportDown(dir string, res *Result) error {
	if _, err := n.SetupOffice(); err != nil {
		return err
	}
	k, _, _, err := n.loadKeys()
	if err != nil {
		return err
	}
	ds, err := n.st.SyncDevices()
	if err != nil {
		return err
	}
	as, err := n.assignments()
	if err != nil {
		return err
	}
	officeHave, err := n.st.Devices()
	if err != nil {
		return err
	}
	for _, d := range ds {
		if !d.Revoked.IsZero() {
			continue
		}
		have, err := n.st.PeerHave(d.ID)
		if err != nil {
			return err
		}
		table, err := n.downScoreTable(d.ID)
		if err != nil {
			return err
		}
		var names []string
		for more := true; more; {
			var revs []store.Revision
			revs, more, err = n.planDown(d.ID, have, officeHave, n.o.BatchRevisions)
			if err != nil {
				return err
			}
			data, err := n.downBatch(d, k, revs, more, officeHave[d.ID], as, table)
			if err != nil {
				return err
			}
			// the table's file goes in the first batch only (the laptop reads them in order),
			// the next ones name it
			if table != nil && table.File != nil {
				table = &ScoreTableRef{SHA256: table.SHA256}
			}
			name := fmt.Sprintf("down-%s-%04d%s", fileID(d.ID), len(names)+1, fileExt)
			if err := writeFileAtomic(filepath.Join(dir, name), data); err != nil {
				return err
			}
			names = append(names, name)
			res.Batches++
			res.Revisions += len(revs)
			for _, r := range revs {
				have[r.Device] = max(have[r.Device], r.Seq)
			}
		}
		if err := removeStale(dir, KindDown, d.ID, names); err != nil {
			return err
		}
		res.Files = append(res.Files, names...)
	}
	return nil
}

// ImportFrom imports the batch files in a folder meant for this database: on the office the
// laptops' up-batches, on a laptop the office's down-batches for it. A refused file is listed
// in the result and does not stop the others; the error is for failures to read or write.
func (n *Node) ImportFrom(dir string) (Result, error) {
	res := Result{Time: n.now()}
	mine := func(name string) bool { return strings.HasPrefix(name, KindUp+"-") && strings.HasSuffix(name, fileExt) }
	if !n.isOffice() {
		if _, _, err := n.laptop(); err != nil {
			return res, err
		}
		mine = func(name string) bool { return isBatchFile(name, KindDown, n.meta.DeviceID) }
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return res, err
	}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !mine(name) {
			continue
		}
		res.Files = append(res.Files, name)
		path := filepath.Join(dir, name)
		fi, err := e.Info()
		if err != nil {
			return res, err
		}
		if fi.Size() > n.o.Limits.MaxFile {
			res.Refused = append(res.Refused, Refused{name, errorf(ErrTooLarge, nil, "tệp %d byte, tối đa %d",
				"file of %d bytes, at most %d", fi.Size(), n.o.Limits.MaxFile)})
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return res, err
		}
		br, err := n.Import(data)
		if IsRefusal(err) {
			res.Refused = append(res.Refused, Refused{name, err})
			continue
		}
		if err != nil {
			return res, fmt.Errorf("%s: %w", name, err)
		}
		res.Revisions += br.Revisions
		res.Added += br.Added
		if br.ScoreTable != "" {
			res.ScoreTable = br.ScoreTable
		}
		if !br.Pending {
			res.Batches += 1 + br.Released
		}
	}
	if err := n.finish(&res, "import"); err != nil {
		return res, err
	}
	return res, nil
}

// finish fills the counts every result ends with and records the time.
func (n *Node) finish(res *Result, what string) error {
	var err error
	if res.Waiting, err = n.st.CountPendingBatches(); err != nil {
		return err
	}
	cs, err := n.st.Conflicts()
	if err != nil {
		return err
	}
	res.Conflicts = len(cs)
	if !n.isOffice() {
		if res.Acked, _, err = n.st.Ack(); err != nil {
			return err
		}
		if res.Unsent, err = n.Pending(); err != nil {
			return err
		}
	}
	return n.st.SetSyncTime(what, res.Time)
}

// writeFileAtomic writes a file under a temporary name, syncs it and renames it into place,
// so a crash leaves the old file or the new one, never part of one.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // best effort: not every file system syncs a folder
		d.Close()
	}
	return nil
}

// removeStale removes the batch files of the kind and device that are not in keep.
func removeStale(dir, kind, dev string, keep []string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if isBatchFile(name, kind, dev) && !slices.Contains(keep, name) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	return nil
}

// Pending returns how many of the laptop's revisions the office has not acknowledged: what
// the next sync or export sends.
func (n *Node) Pending() (int, error) {
	acked, _, err := n.st.Ack()
	if err != nil {
		return 0, err
	}
	mine, err := n.st.LastSeq(n.meta.DeviceID)
	if err != nil {
		return 0, err
	}
	if mine > acked {
		return int(mine - acked), nil
	}
	return 0, nil
}

// LastSync returns the time of the last successful SyncNow; zero if none.
func (n *Node) LastSync() (time.Time, error) { return n.st.SyncTime("sync") }

// Status is what a sync screen shows.
type Status struct {
	Office     bool
	Enrolled   bool   // laptop: has its enrollment package
	Ward       string // the ward's name
	Address    string // laptop: the office's sync server, if any
	Unsent     int    // laptop: revisions the office has not acknowledged
	Acked      uint64 // laptop: the office has this laptop's revisions 1…Acked
	Waiting    int    // batches kept until the batches before them arrive
	Conflicts  int    // households in conflict
	LastSync   time.Time
	LastExport time.Time
	LastImport time.Time
}

// Status returns the state of sync on this database.
func (n *Node) Status() (Status, error) {
	s := Status{Office: n.isOffice(), Ward: n.meta.Ward}
	var err error
	if !s.Office {
		p, ok, err := n.Enrollment()
		if err != nil {
			return s, err
		}
		s.Enrolled = ok
		if ok {
			s.Ward, s.Address = p.Ward, p.Address
		}
		if s.Acked, _, err = n.st.Ack(); err != nil {
			return s, err
		}
		if s.Unsent, err = n.Pending(); err != nil {
			return s, err
		}
	}
	if s.Waiting, err = n.st.CountPendingBatches(); err != nil {
		return s, err
	}
	cs, err := n.st.Conflicts()
	if err != nil {
		return s, err
	}
	s.Conflicts = len(cs)
	for _, t := range []struct {
		name string
		to   *time.Time
	}{{"sync", &s.LastSync}, {"export", &s.LastExport}, {"import", &s.LastImport}} {
		if *t.to, err = n.st.SyncTime(t.name); err != nil {
			return s, err
		}
	}
	return s, nil
}
