package store

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

// Backup writes a consistent copy of the whole database to w while the app goes on working
// (a read transaction: saves are not blocked). It returns the bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	ew := &errWriter{w: w}
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(ew)
		if err != nil && ew.err != nil {
			// bbolt keeps only the text of the writer's error; give back the error itself
			// (a full disk is then ErrDiskFull)
			err = fmt.Errorf("%w (%v)", ew.err, err)
		}
		return err
	})
	return n, diskFull(err)
}

// errWriter keeps the first error of the writer under it.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n, err
}

// BackupFile writes a backup to a new file at path, which Open can use as it is. The file
// appears complete or not at all: it is written beside, synced, then renamed.
func (s *Store) BackupFile(path string) error {
	return s.BackupFileAs(path, "", AuditBackup)
}

// BackupFileAs is BackupFile with the author and action (AuditBackup, AuditAutoBackup) of the
// event recorded in the audit log once the file is written.
func (s *Store) BackupFileAs(path, author, action string) error {
	err := s.toFile(path, func(tmp string) error {
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		if _, err := s.Backup(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	})
	if err != nil {
		return err
	}
	return s.Audit(AuditEntry{Author: author, Action: action, Detail: path})
}

// toFile makes a new file through a temporary one in the same directory, which write fills;
// it is then synced and renamed into place. It refuses to replace the database itself.
func (s *Store) toFile(path string, write func(tmp string) error) error {
	return diskFull(s.toFileRaw(path, write))
}

func (s *Store) toFileRaw(path string, write func(tmp string) error) error {
	if same(path, s.path) {
		return errorf(ErrExists, nil, "không thể ghi đè chính cơ sở dữ liệu đang mở (%s)", "cannot overwrite the open database itself (%s)", path)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp)
	if err := write(tmp); err != nil {
		return err
	}
	if f, err = os.OpenFile(tmp, os.O_RDWR, 0); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

func same(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(fa, fb)
	}
	aa, _ := filepath.Abs(a)
	bb, _ := filepath.Abs(b)
	return aa == bb
}

// Compact writes a compacted copy of the database to a new file at dst (which must not exist),
// leaving out the free pages. Open the copy in place of the old file to use it.
func (s *Store) Compact(dst string) error {
	if fi, err := os.Stat(dst); err == nil && fi.Size() > 0 {
		return errorf(ErrExists, nil, "%s", "%s", dst)
	}
	return s.toFile(dst, func(tmp string) (err error) {
		if err := os.Remove(tmp); err != nil {
			return err
		}
		out, err := bolt.Open(tmp, 0o600, nil)
		if err != nil {
			return err
		}
		func() {
			defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
			defer catch(&err, s.path)
			err = bolt.Compact(out, s.db, 64<<20)
		}()
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// Reindex rebuilds every derived bucket (current states, history and device indexes, search
// and list indexes) from the revisions. Verify tells when it is needed.
func (s *Store) Reindex() error {
	return s.updateTxn(func(t *txn) error { return t.rebuild() })
}

// VerifyReport is the result of Verify.
type VerifyReport struct {
	Households, Deleted, Conflicts, Revisions, Records int
	Errors                                             []string // bilingual, one per problem found
}

// OK reports whether Verify found nothing wrong.
func (r VerifyReport) OK() bool { return len(r.Errors) == 0 }

const maxVerifyErrors = 100

func (r *VerifyReport) add(vi, en string, args ...any) {
	if len(r.Errors) == maxVerifyErrors {
		r.Errors = append(r.Errors, "… (dừng đếm lỗi / further errors not listed)")
	}
	if len(r.Errors) > maxVerifyErrors {
		return
	}
	r.Errors = append(r.Errors, fmt.Sprintf(vi, args...)+" / "+fmt.Sprintf(en, args...))
}

// Verify checks the whole database: bbolt's own consistency check of the file, then that
// every record decodes and has its hash, that every revision has its record, and that the
// derived buckets (heads, current states, indexes) are exactly what the revisions give. The
// error is nil when the check found nothing; otherwise it is ErrCorrupt and the report lists
// what is wrong.
func (s *Store) Verify() (VerifyReport, error) {
	var rep VerifyReport
	err := s.view(func(tx *bolt.Tx) error {
		if err := checkLength(tx); err != nil {
			rep.Errors = append(rep.Errors, err.Error())
			return nil
		}
		if checkTree(tx, &rep); !rep.OK() {
			return nil
		}
		m, err := readMeta(tx.Bucket(bMeta))
		if err != nil {
			rep.Errors = append(rep.Errors, err.Error())
			return nil
		}
		if m.SchemaVersion != SchemaVersion {
			rep.add("lược đồ %d, cần %d", "schema %d, expected %d", m.SchemaVersion, SchemaVersion)
		}
		if m.Role != RoleField && m.Role != RoleOffice {
			rep.add("vai trò %q không hợp lệ", "role %q is not valid", m.Role)
		}
		if m.DeviceID == "" {
			rep.add("thiếu mã thiết bị", "the device id is missing")
		}
		t, err := s.txn(tx)
		if err != nil {
			rep.Errors = append(rep.Errors, err.Error())
			return nil
		}
		t.verify(&rep, m)
		verifyAudit(tx, t.kr, &rep)
		return nil
	})
	if err != nil {
		return rep, err
	}
	if !rep.OK() {
		return rep, errorf(ErrCorrupt, nil, "%s: kiểm tra thấy %d lỗi", "%s: verify found %d problem(s)", s.path, len(rep.Errors))
	}
	return rep, nil
}

func (t *txn) verify(rep *VerifyReport, m Meta) {
	// Records: each decodes, is canonical and has the hash it is stored under.
	owner := map[[32]byte]string{}
	t.blobs.ForEach(func(k, v []byte) error {
		rep.Records++
		var h [32]byte
		copy(h[:], k)
		v, err := openValue(t.kr, ctxBlob, k, v)
		if err != nil {
			rep.add("nội dung %x không giải mã được", "record %x cannot be decrypted", k)
			return nil
		}
		if len(k) != 32 || sha256.Sum256(v) != h {
			rep.add("nội dung %x không khớp mã băm", "record %x does not match its hash", k)
			return nil
		}
		rec, ps := household.Decode(v)
		if len(ps) > 0 {
			rep.add("nội dung %x không đọc được: %v", "record %x cannot be read: %v", k[:6], ps)
			return nil
		}
		if !bytes.Equal(household.Encode(rec), v) {
			rep.add("nội dung %x không ở dạng chuẩn", "record %x is not canonical", k[:6])
		}
		owner[h] = rec.ID
		return nil
	})

	// Revisions, and the derived keys they imply.
	type rv struct {
		r Revision
		h [32]byte
	}
	byHH := map[string][]rv{}
	want := map[string]map[string]string{"bydevice": {}, "byhousehold": {}, "children": {}}
	var maxSeq uint64
	t.byID.ForEach(func(k, v []byte) error {
		rep.Revisions++
		r, h, err := t.decodeRev(k, v)
		if err != nil {
			rep.add("phiên bản %s không đọc được", "revision %s cannot be read", k)
			return nil
		}
		if id, ok := owner[h]; !ok {
			rep.add("phiên bản %s thiếu nội dung", "revision %s has no record", r.ID)
		} else if id != r.HouseholdID {
			rep.add("phiên bản %s của hộ %s mang nội dung của hộ %s", "revision %s of household %s holds the record of %s", r.ID, r.HouseholdID, id)
		}
		if !validStatus(r.Status) {
			rep.add("phiên bản %s có trạng thái %q", "revision %s has status %q", r.ID, r.Status)
		}
		if r.Device == m.DeviceID && r.Seq > maxSeq {
			maxSeq = r.Seq
		}
		want["bydevice"][string(key([]byte(r.Device), u64(r.Seq)))] = r.ID
		want["byhousehold"][string(key([]byte(r.HouseholdID), append(timeKey(r.Time), r.ID...)))] = ""
		for _, p := range r.parents() {
			want["children"][string(key([]byte(p), []byte(r.ID)))] = r.HouseholdID
		}
		byHH[r.HouseholdID] = append(byHH[r.HouseholdID], rv{r, h})
		return nil
	})
	if len(want["bydevice"]) != rep.Revisions {
		rep.add("hai phiên bản có cùng thiết bị và số thứ tự", "two revisions have the same device and number")
	}
	if seq := t.meta.Get(kSeq); len(seq) != 8 || beUint64(seq) < maxSeq {
		rep.add("số thứ tự của thiết bị (%x) nhỏ hơn số đã dùng %d", "the device's sequence number (%x) is below the used %d", seq, maxSeq)
	}
	compare := func(name string, b *bolt.Bucket, want map[string]string) {
		n := 0
		b.ForEach(func(k, v []byte) error {
			n++
			w, ok := want[string(k)]
			if !ok {
				rep.add("%s: khóa thừa %q", "%s: stray key %q", name, k)
			} else if w != string(v) {
				rep.add("%s: khóa %q có giá trị %q, cần %q", "%s: key %q has value %q, expected %q", name, k, v, w)
			}
			return nil
		})
		if n < len(want) {
			rep.add("%s: thiếu %d khóa", "%s: %d keys are missing", name, len(want)-n)
		}
	}
	compare("revisions/bydevice", t.byDevice, want["bydevice"])
	compare("revisions/byhousehold", t.byHousehold, want["byhousehold"])
	compare("revisions/children", t.children, want["children"])

	// Heads and current state of each household, and the index keys they imply.
	idx := map[string]map[string]string{"group": {}, "status": {}, "surveyor": {}, "conflict": {}}
	orders := map[uint64]string{}
	for id, rs := range byHH {
		isParent := map[string]bool{}
		for _, x := range rs {
			for _, p := range x.r.parents() {
				isParent[p] = true
			}
		}
		var heads []rv
		for _, x := range rs {
			if !isParent[x.r.ID] {
				heads = append(heads, x)
			}
		}
		slices.SortFunc(heads, func(a, b rv) int {
			if later(head{a.r.ID, a.r.Time}, head{b.r.ID, b.r.Time}) {
				return -1
			}
			return 1
		})
		c, ok, err := t.cur(id)
		if err != nil || !ok {
			rep.add("hộ %s: thiếu trạng thái hiện tại", "household %s: the current state is missing", id)
			continue
		}
		if len(heads) == 0 {
			rep.add("hộ %s: lịch sử vòng tròn", "household %s: the history is a cycle", id)
			continue
		}
		rep.Households++
		var exp current
		exp.Order = c.Order
		for _, hd := range heads {
			exp.Heads = append(exp.Heads, head{hd.r.ID, hd.r.Time})
		}
		b, _ := openValue(t.kr, ctxBlob, heads[0].h[:], t.blobs.Get(heads[0].h[:]))
		rec, ps := household.Decode(b)
		if b == nil || len(ps) > 0 {
			continue // reported with the records
		}
		exp.fill(&heads[0].r, heads[0].h, infoOf(rec))
		if !bytes.Equal(encodeCur(&exp), encodeCur(&c)) {
			rep.add("hộ %s: trạng thái hiện tại không khớp lịch sử (%+v, cần %+v)", "household %s: the current state does not match the history (%+v, expected %+v)", id, c.summary(id), exp.summary(id))
		}
		if o, dup := orders[c.Order]; dup || c.Order == 0 {
			rep.add("hộ %s: số thứ tự %d trùng với hộ %s", "household %s: order %d repeats that of %s", id, c.Order, o)
		}
		orders[c.Order] = id
		if exp.Deleted {
			rep.Deleted++
		} else {
			hid := []byte(id)
			idx["group"][string(key([]byte(exp.Group), hid))] = string(groupValue(&exp))
			idx["status"][string(key([]byte(exp.Status), hid))] = ""
			idx["surveyor"][string(key([]byte(exp.Surveyor), hid))] = ""
		}
		if len(heads) > 1 {
			rep.Conflicts++
			idx["conflict"][id] = ""
		}
	}
	n := 0
	t.current.ForEach(func(k, _ []byte) error {
		if n++; byHH[string(k)] == nil {
			rep.add("hộ %s không có phiên bản nào", "household %s has no revision", k)
		}
		return nil
	})
	wantOrder := map[string]string{}
	for o, id := range orders {
		wantOrder[string(u64(o))] = id
	}
	compare("households/order", t.order, wantOrder)
	for _, name := range []string{"group", "status", "surveyor", "conflict"} {
		b := map[string]*bolt.Bucket{"group": t.group, "status": t.status, "surveyor": t.surveyor, "conflict": t.conflict}[name]
		compare("index/"+name, b, idx[name])
	}
	for i, e := range rep.Errors {
		rep.Errors[i] = strings.ToValidUTF8(e, "?")
	}
}
