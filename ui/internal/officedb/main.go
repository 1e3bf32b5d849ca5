// Command officedb prepares the ward office's database of scripts/screenshots-office.sh: the
// demo ward as the laptops sent it, with some households approved and one returned, a
// conflict between two laptops, the review stages of two groups, the surveyors' assignments,
// an enrolled laptop, and last year's recognised list as a CSV file beside the database.
//
//	go run ./ui/internal/officedb --db PATH
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

func main() {
	path := flag.String("db", "", "the office database to create")
	flag.Parse()
	if err := run(*path); err != nil {
		fmt.Fprintln(os.Stderr, "officedb:", err)
		os.Exit(1)
	}
}

const officer = "Phạm Thu Hà"

// officerPassword is the demo office user's password; scripts/screenshots-office.sh types it.
const officerPassword = "matkhau-demo"

func run(path string) error {
	w := demo.DefaultWard
	db, err := store.Create(path, store.Meta{Role: store.RoleOffice, Ward: w.Name, Area: w.Area,
		Surveyor: officer, DeviceName: "van-phong"}, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	var buf bytes.Buffer
	for _, r := range demo.Households(w, 40, 1) {
		buf.Write(household.Encode(r))
		buf.WriteByte('\n')
	}
	if _, err := db.Import(&buf, store.ImportOptions{Author: "demo"}); err != nil {
		return err
	}
	if err := db.AddUser(officer, officerPassword, officer); err != nil {
		return err
	}
	for _, step := range []func(*store.Store) error{review, stages, assign, conflict, enroll, lastYear} {
		if err := step(db); err != nil {
			return err
		}
	}
	return nil
}

// review approves the first households of Tổ 01 and returns one of Tổ 02.
func review(db *store.Store) error {
	t1, _ := db.ListGroup("Tổ 01")
	for _, s := range t1[:6] {
		if _, err := db.SetReview(s.ID, store.StatusApproved, "", officer); err != nil {
			return err
		}
	}
	t2, _ := db.ListGroup("Tổ 02")
	_, err := db.SetReview(t2[3].ID, store.StatusReturned, "Kiểm tra lại diện tích nhà ở và thu nhập.", officer)
	return err
}

func stages(db *store.Store) error {
	d := household.MustDate
	for _, s := range []struct{ group, stage, date, note string }{
		{"Tổ 01", store.StageSurveyed, "2026-10-01", ""},
		{"Tổ 01", store.StageAgreed, "2026-10-08", "41/45 người đồng ý"},
		{"Tổ 01", store.StagePosted, "2026-10-09", ""},
		{"Tổ 02", store.StageSurveyed, "2026-10-03", ""},
	} {
		if _, err := db.SetStage(s.group, s.stage, d(s.date), s.note, officer); err != nil {
			return err
		}
	}
	return nil
}

func assign(db *store.Store) error {
	if err := db.SetAssignment(store.Assignment{Surveyor: "Lê Văn Hiến", Groups: []string{"Tổ 01", "Tổ 02"}}); err != nil {
		return err
	}
	return db.SetAssignment(store.Assignment{Surveyor: "Nguyễn Thị Lan", Groups: []string{"Tổ 03", "Tổ 04"}})
}

// conflict has two laptops edit the same household of Tổ 03 at the same time.
func conflict(db *store.Store) error {
	m, _ := db.Meta()
	base, err := db.RevisionsSince(m.DeviceID, 0)
	if err != nil {
		return err
	}
	t3, _ := db.ListGroup("Tổ 03")
	id := t3[2].ID
	dir, err := os.MkdirTemp("", "officedb-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	edits := []func(*household.Record){
		func(r *household.Record) {
			r.Address = "Số 18, ngõ 4, đường Hoàng Liên"
			r.Housing.FloorAreaM2 = 42
		},
		func(r *household.Record) { r.Housing.FloorAreaM2 = 36; r.Toilet = "simple_pit" },
	}
	for i, edit := range edits {
		lap, err := store.Create(filepath.Join(dir, fmt.Sprint(i)+".db"), store.Meta{Role: store.RoleField, DeviceName: fmt.Sprint("laptop-", i+1)},
			store.Options{Now: func() time.Time { return time.Now().Add(time.Duration(i) * time.Minute) }})
		if err != nil {
			return err
		}
		if _, err := lap.PutRevisions(base); err != nil {
			return err
		}
		rec, _, _ := lap.Get(id)
		edit(rec)
		if _, err := lap.SaveDraft(rec, []string{"Nguyễn Thị Lan", "Lê Văn Hiến"}[i]); err != nil {
			return err
		}
		lm, _ := lap.Meta()
		revs, _ := lap.RevisionsSince(lm.DeviceID, 0)
		lap.Close()
		if _, err := db.PutRevisions(revs); err != nil {
			return err
		}
	}
	return nil
}

// enroll enrolls one laptop with the office, as the incoming screen does.
func enroll(db *store.Store) error {
	n, err := rsync.New(db, rsync.Options{})
	if err != nil {
		return err
	}
	if _, err := n.SetupOffice(); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "officedb-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	lap, err := store.Create(filepath.Join(dir, "lap.db"), store.Meta{Role: store.RoleField, Surveyor: "Lê Văn Hiến",
		DeviceName: "Máy tổ 1-2"}, store.Options{})
	if err != nil {
		return err
	}
	defer lap.Close()
	ln, err := rsync.New(lap, rsync.Options{})
	if err != nil {
		return err
	}
	req, code, err := ln.EnrollRequest()
	if err != nil {
		return err
	}
	_, _, err = n.Approve(req, code, "")
	return err
}

// lastYear writes last year's list of the ward beside the database: five households of this
// year and one that has moved away.
func lastYear(db *store.Store) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"STT", "Họ và tên chủ hộ", "Địa chỉ", "Tổ dân phố", "Phân loại hộ"})
	list, _ := db.List()
	for i, s := range list[:5] {
		w.Write([]string{fmt.Sprint(i + 1), s.HeadName, s.Address, s.Group, []string{"Hộ nghèo", "Hộ cận nghèo"}[i%2]})
	}
	w.Write([]string{"6", "Hoàng Văn Chuyển", "Số 3, đường Cũ", "Tổ 04", "Hộ nghèo"})
	w.Flush()
	return os.WriteFile(filepath.Join(filepath.Dir(db.Path()), "ho-ngheo-can-ngheo-2025.csv"), buf.Bytes(), 0o600)
}
