package store

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
)

// The frozen databases under testdata/ are databases of every schema version, each written
// once in that version's layout and committed, so that every later program is tested on them.
//
//	go test ./store -run TestFrozen -update-frozen
//
// writes the file of the current schema version, and of any version whose file is missing;
// the files of older versions must stay as they are (*.db is git-ignored: commit new ones with
// git add -f). Schemas 1 and 2 are the layouts of the store's development, frozen here so that
// the migration path is exercised from the start. Each file comes with the exports that opening
// it must give (current records and full history), computed from the same plan, not by the
// store.
var updateFrozen = flag.Bool("update-frozen", false, "write the frozen databases of testdata/ again")

const frozenDevice = "frozen-device"

var frozenAssignments = []Assignment{
	{Surveyor: "Lê Văn Hiến", Groups: []string{"Tổ 01", "Tổ 03"}},
	{Surveyor: "Nguyễn Thị Lan", Groups: []string{"Tổ 02"}, Households: []string{"0d2a4f39-6c6e-4f3e-9a57-3f1f4b1b2c11"}},
}

// frozenPlan is the history every frozen database holds: 12 households, drafts then complete,
// one edited, approved, one deleted, one returned; from schema 3 on, also a conflict of two
// other devices' concurrent edits.
func frozenPlan(version int) []Revision {
	recs := demo.Households(demo.DefaultWard, 12, 41)
	var revs []Revision
	last := map[string]*Revision{}
	t0 := time.Date(2025, 9, 10, 8, 0, 0, 0, time.UTC)
	seqs := map[string]uint64{}
	add := func(rec *household.Record, dev, status, comment string, deleted bool, parent string) Revision {
		b := household.Encode(rec)
		seqs[dev]++
		r := Revision{ID: fmt.Sprintf("frozen-rev-%03d", len(revs)+1), HouseholdID: rec.ID, Device: dev, Seq: seqs[dev],
			Time: t0.Add(time.Duration(len(revs)) * time.Minute), Author: "Lê Văn Hiến", Hash: hexHash(hashOf(b)),
			Status: status, Comment: comment, Deleted: deleted, Record: b, Parent: parent}
		if parent == "" && last[rec.ID] != nil {
			r.Parent = last[rec.ID].ID
		}
		revs = append(revs, r)
		last[rec.ID] = &revs[len(revs)-1]
		return r
	}
	for _, r := range recs {
		add(r, frozenDevice, StatusDraft, "", false, "")
	}
	for i, r := range recs {
		if i != 1 {
			add(r, frozenDevice, StatusComplete, "", false, "")
		}
	}
	e := recs[0].Clone()
	e.Address = "Số 7, ngõ Quỳnh Lưu"
	e.Members[0].Name = "Đặng Thị Mùi"
	add(e, frozenDevice, StatusDraft, "", false, "")
	add(e, frozenDevice, StatusComplete, "", false, "")
	add(e, frozenDevice, StatusApproved, "Đã kiểm tra", false, "")
	add(recs[1], frozenDevice, StatusDraft, "", true, "")
	add(recs[2], frozenDevice, StatusReturned, "Thiếu thu nhập", false, "")
	if version >= 3 {
		base := last[recs[3].ID].ID
		a := recs[3].Clone()
		a.Address = "sửa trên máy A"
		add(a, "frozen-a", StatusDraft, "", false, base)
		b := recs[3].Clone()
		b.Address = "sửa trên máy B"
		add(b, "frozen-b", StatusDraft, "", false, base)
	}
	return revs
}

// planExports are the exports a store holding the plan gives: households in the order of
// their first revision, the current one the later head.
func planExports(revs []Revision) (current, history []byte) {
	var order []string
	byHH := map[string][]Revision{}
	for _, r := range revs {
		if byHH[r.HouseholdID] == nil {
			order = append(order, r.HouseholdID)
		}
		byHH[r.HouseholdID] = append(byHH[r.HouseholdID], r)
	}
	var cur, hist bytes.Buffer
	for _, id := range order {
		rs := byHH[id]
		parent := map[string]bool{}
		for _, r := range rs {
			parent[r.Parent] = true
			hist.Write(appendRevisionLine(nil, &r, r.Record))
		}
		var top *Revision
		for i, r := range rs {
			if !parent[r.ID] && (top == nil || later(head{r.ID, r.Time}, head{top.ID, top.Time})) {
				top = &rs[i]
			}
		}
		if !top.Deleted {
			cur.Write(top.Record)
			cur.WriteByte('\n')
		}
	}
	return cur.Bytes(), hist.Bytes()
}

func frozenPath(v int, suffix string) string {
	return filepath.Join("testdata", fmt.Sprintf("schema-v%d%s", v, suffix))
}

// writeV1 writes the plan in the layout of schema 1: flat buckets, JSON revisions with their
// record inline.
func writeV1(db *bolt.DB, revs []Revision) error {
	return db.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket([]byte("meta"))
		meta.Put([]byte("schema"), u64(1))
		meta.Put([]byte("role"), []byte("office"))
		meta.Put([]byte("ward"), []byte(demo.DefaultWard.Name))
		meta.Put([]byte("device_id"), []byte(frozenDevice))
		meta.Put([]byte("device_name"), []byte("máy cũ"))
		meta.Put([]byte("seq"), u64(uint64(len(revs))))
		rb, _ := tx.CreateBucket([]byte("revisions"))
		hb, _ := tx.CreateBucket([]byte("households"))
		for _, r := range revs {
			v, err := json.Marshal(v1Revision{Household: r.HouseholdID, Parent: r.Parent, Device: r.Device, Seq: r.Seq,
				Time: r.Time, Author: r.Author, Status: r.Status, Comment: r.Comment, Deleted: r.Deleted,
				Hash: r.Hash, Record: r.Record})
			if err != nil {
				return err
			}
			rb.Put([]byte(r.ID), v)
			hb.Put([]byte(r.HouseholdID), []byte(r.ID))
		}
		ab, _ := tx.CreateBucket([]byte("assignments"))
		for _, a := range frozenAssignments {
			v, _ := json.Marshal(map[string][]string{"groups": a.Groups, "households": a.Households})
			ab.Put([]byte(a.Surveyor), v)
		}
		return nil
	})
}

// writeV2 writes the plan in the layout of schema 2: nested buckets, binary revisions of
// format 1, records as blobs, current states of format 1, no search index.
func writeV2(db *bolt.DB, revs []Revision) error {
	return db.Update(func(tx *bolt.Tx) error {
		meta, _ := tx.CreateBucket(bMeta)
		for k, v := range map[string]string{"role": "office", "ward": demo.DefaultWard.Name, "area": "urban",
			"device_id": frozenDevice, "device_name": "máy cũ", "surveyor": "", "created": "2025-09-01T07:00:00Z"} {
			meta.Put([]byte(k), []byte(v))
		}
		meta.Put(kSchema, u64(2))
		meta.Put(kSeq, u64(uint64(len(revs))))
		rb, _ := tx.CreateBucket(bRevisions)
		byID, _ := rb.CreateBucket(bByID)
		blobs, _ := rb.CreateBucket(bBlobs)
		byDev, _ := rb.CreateBucket(bByDevice)
		byHH, _ := rb.CreateBucket(bByHousehold)
		hh, _ := tx.CreateBucket(bHouseholds)
		cur, _ := hh.CreateBucket(bCurrent)
		order, _ := hh.CreateBucket(bOrder)
		idx, _ := tx.CreateBucket(bIndex)
		group, _ := idx.CreateBucket(bGroup)
		status, _ := idx.CreateBucket(bStatus)
		surveyor, _ := idx.CreateBucket(bSurveyor)
		last := map[string]Revision{}
		var ids []string
		for _, r := range revs {
			e := enc{}
			e.byte(1)
			e.str(r.HouseholdID)
			e.str(r.Parent)
			e.str(r.Device)
			e.uvar(r.Seq)
			e.time(r.Time)
			e.str(r.Author)
			e.str(r.Status)
			e.str(r.Comment)
			e.bool(r.Deleted)
			h := hashOf(r.Record)
			e.fixed(h)
			byID.Put([]byte(r.ID), e.b)
			blobs.Put(h[:], r.Record)
			byDev.Put(key([]byte(r.Device), u64(r.Seq)), []byte(r.ID))
			byHH.Put(key([]byte(r.HouseholdID), append(timeKey(r.Time), r.ID...)), nil)
			if _, ok := last[r.HouseholdID]; !ok {
				ids = append(ids, r.HouseholdID)
			}
			last[r.HouseholdID] = r
		}
		for i, id := range ids {
			r := last[id]
			rec, _ := household.Decode(r.Record)
			e := enc{}
			e.byte(1)
			e.uvar(uint64(i + 1))
			e.str(r.ID)
			e.fixed(hashOf(r.Record))
			for _, s := range []string{r.Status, r.Comment, rec.Group, rec.Address, rec.HeadName(), rec.Survey.Surveyor} {
				e.str(s)
			}
			e.uvar(uint64(len(rec.Members)))
			e.time(r.Time)
			e.bool(r.Deleted)
			cur.Put([]byte(id), e.b)
			order.Put(u64(uint64(i+1)), []byte(id))
			if !r.Deleted {
				group.Put(key([]byte(rec.Group), []byte(id)), []byte(r.Status))
				status.Put(key([]byte(r.Status), []byte(id)), nil)
				surveyor.Put(key([]byte(rec.Survey.Surveyor), []byte(id)), nil)
			}
		}
		ab, _ := tx.CreateBucket(bAssignments)
		for _, a := range frozenAssignments {
			e := enc{}
			e.byte(1)
			e.strs(a.Groups)
			e.strs(a.Households)
			ab.Put([]byte(a.Surveyor), e.b)
		}
		return nil
	})
}

// writeV3 writes the plan with the current code.
// writeCurrent writes the plan through the store of the current schema (it wrote
// schema-v3.db when that was current, and schema-v4.db since).
func writeCurrent(path string, revs []Revision) error {
	s, err := Create(path, Meta{Role: RoleOffice, Ward: demo.DefaultWard.Name, Area: household.AreaUrban,
		DeviceID: frozenDevice, DeviceName: "máy cũ"}, Options{Now: func() time.Time { return time.Date(2025, 9, 1, 7, 0, 0, 0, time.UTC) }})
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := s.PutRevisions(revs); err != nil {
		return err
	}
	for _, a := range frozenAssignments {
		if err := s.SetAssignment(a); err != nil {
			return err
		}
	}
	return nil
}

func writeFrozen(t *testing.T, v int) {
	revs := frozenPlan(v)
	path := frozenPath(v, ".db")
	os.Remove(path)
	var err error
	if v == SchemaVersion {
		err = writeCurrent(path, revs)
	} else {
		db, oerr := bolt.Open(path, 0o600, nil)
		if oerr != nil {
			t.Fatal(oerr)
		}
		err = map[int]func(*bolt.DB, []Revision) error{1: writeV1, 2: writeV2}[v](db, revs)
		db.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	cur, hist := planExports(revs)
	os.WriteFile(frozenPath(v, ".export.jsonl"), cur, 0o644)
	os.WriteFile(frozenPath(v, ".history.jsonl"), hist, 0o644)
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
}

// TestFrozen opens a copy of the frozen database of every schema version: it must migrate to
// the current schema, verify, and hold exactly the plan's households, history and
// assignments, and work on.
func TestFrozen(t *testing.T) {
	for v := 1; v <= SchemaVersion; v++ {
		if *updateFrozen && (v == SchemaVersion || !fileExists(frozenPath(v, ".db"))) {
			writeFrozen(t, v)
		}
		t.Run(fmt.Sprintf("schema-v%d", v), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "old.db")
			copyFile(t, frozenPath(v, ".db"), path)
			s, err := Open(path, Options{NoSync: true, NewID: ids("after")})
			if err != nil {
				t.Fatal(err)
			}
			defer checkFile(t, path)
			defer s.Close()
			m, _ := s.Meta()
			if m.SchemaVersion != SchemaVersion || m.Role != RoleOffice || m.DeviceID != frozenDevice || m.Ward != demo.DefaultWard.Name {
				t.Errorf("meta after migration %+v", m)
			}
			if rep, err := s.Verify(); err != nil {
				t.Fatalf("verify: %v\n%s", err, joinLines(rep.Errors))
			}
			// a migrated database starts with an empty audit log
			if log, err := s.AuditLog(); err != nil || (v < 4 && len(log) != 0) || (v == 4 && len(log) == 0) {
				t.Errorf("audit log after opening: %d entries, %v", len(log), err)
			}
			wantCur, _ := os.ReadFile(frozenPath(v, ".export.jsonl"))
			wantHist, _ := os.ReadFile(frozenPath(v, ".history.jsonl"))
			if got := export(t, s, false); !bytes.Equal(got, wantCur) {
				t.Errorf("current export differs:\n%s", firstDiff(got, wantCur))
			}
			if got := export(t, s, true); !bytes.Equal(got, wantHist) {
				t.Errorf("history export differs:\n%s", firstDiff(got, wantHist))
			}
			if a, _ := s.Assignments(); fmt.Sprint(a) != fmt.Sprint(frozenAssignments) {
				t.Errorf("assignments %v", a)
			}
			// the indexes of the current schema work on the old data
			if res, _ := s.Search("dang thi mui quynh luu", 0); len(res) != 1 || res[0].Status != StatusApproved || res[0].Comment != "Đã kiểm tra" {
				t.Errorf("search after migration: %+v", res)
			}
			if l, _ := s.ListDeleted(); len(l) != 1 {
				t.Errorf("deleted households %d", len(l))
			}
			groups, _ := s.Groups()
			n := 0
			for _, g := range groups {
				n += g.Total
			}
			if n != 11 {
				t.Errorf("%d households in groups, want 11", n)
			}
			// schema 6: the survey round is counted with the status, and lists carry it
			in2026, in2027 := household.MustDate("2026-11-25"), household.MustDate("2027-09-20")
			for _, g := range groups {
				done, byRound := g.ByStatus[StatusComplete]+g.ByStatus[StatusApproved], 0
				for _, c := range g.ByRound {
					byRound += c
				}
				if byRound != g.Total || g.DoneFor(in2026) != done || g.DoneFor(in2027) != 0 {
					t.Errorf("group %s: %d by round of %d, done %d in 2026 (want %d), %d in 2027",
						g.Group, byRound, g.Total, g.DoneFor(in2026), done, g.DoneFor(in2027))
				}
			}
			if l, _ := s.List(); len(l) == 0 || l[0].Round != demo.DefaultWard.Round || l[0].Date != demo.DefaultWard.SurveyDate {
				t.Errorf("summary after migration: %+v", l)
			}
			if c, _ := s.Conflicts(); (v >= 3) != (len(c) == 1) {
				t.Errorf("conflicts %v", c)
			}
			// and it goes on: the device's numbering continues
			recs := demo.Households(demo.DefaultWard, 12, 41)
			e := recs[5].Clone()
			e.Address = "sau khi nâng cấp"
			r, err := s.SaveDraft(e, "x")
			if err != nil || r.Seq != uint64(len(frozenPlan(2)))+1 || r.Device != frozenDevice {
				t.Errorf("save after migration: seq %d, %v", r.Seq, err)
			}
		})
	}
}

// TestMigrationIsAllOrNothing: a migration that fails leaves the old database as it was.
func TestMigrationIsAllOrNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v1.db")
	copyFile(t, frozenPath(1, ".db"), path)
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bRevisions).Put([]byte("broken"), []byte("{not json")) })
	db.Close()
	before, _ := os.ReadFile(path)
	if _, err := Open(path, Options{}); err == nil {
		t.Fatal("a broken v1 database was migrated")
	} else {
		t.Log(err)
	}
	db, err = bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bMeta).Get(kSchema); beUint64(v) != 1 {
			t.Errorf("schema is now %d", beUint64(v))
		}
		if tx.Bucket(bRevisions).Get([]byte("frozen-rev-001")) == nil {
			t.Error("the v1 revisions are gone")
		}
		return nil
	})
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Error("the failed migration changed the file")
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestFrozenPlanIsWhatTheFilesSay(t *testing.T) {
	// the plan must not drift from the frozen files: it feeds the expected seq above
	for v := 1; v <= SchemaVersion; v++ {
		_, hist := planExports(frozenPlan(v))
		want, err := os.ReadFile(frozenPath(v, ".history.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(hist, want) {
			t.Errorf("schema %d: the plan no longer gives the frozen history", v)
		}
	}
}
