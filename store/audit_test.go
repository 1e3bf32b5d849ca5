package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

func actions(es []AuditEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

// TestAuditEveryWrite: each write of the store appends one entry in its own transaction, with
// the author, the device and, for a household, the fields that differ from the parent.
func TestAuditEveryWrite(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	m, _ := s.Meta()
	recs := households(3, 7)
	mustImport(t, s, jsonl(recs[:2]))
	id := recs[0].ID
	e := recs[0].Clone()
	e.Address = "Số 9, ngõ mới"
	if _, err := s.SaveDraft(e, "Lan"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveDraft(e, "Lan"); err != nil { // no change: no entry
		t.Fatal(err)
	}
	if _, err := s.MarkComplete(id, "Lan"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetReview(id, StatusReturned, "Thiếu thu nhập", "cán bộ A"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete(id, "cán bộ A"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undelete(id, "cán bộ A"); err != nil {
		t.Fatal(err)
	}
	h, _ := s.History(id)
	if _, err := s.Restore(id, h[0].ID, "cán bộ A"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SetPreviousStatuses(map[string]string{recs[1].ID: "medium"}, "cán bộ A"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAssignment(Assignment{Surveyor: "Lan", Groups: []string{"Tổ 01"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetStage("Tổ 01", Stages[0], household.MustDate("2026-09-01"), "", "cán bộ A"); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateMeta(func(m *Meta) { m.DeviceName = "máy phường" }); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSyncDevice(SyncDevice{ID: "laptop-1", Name: "máy 1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RevokeSyncDevice("laptop-1", s.now()); err != nil {
		t.Fatal(err)
	}
	if err := s.BackupFile(filepath.Join(t.TempDir(), "b.db")); err != nil {
		t.Fatal(err)
	}
	log, err := s.AuditLog()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{AuditImport, AuditSave, AuditComplete, AuditReview, AuditDelete, AuditUndelete, AuditRestore,
		AuditSave, AuditAssignment, AuditStage, AuditMeta, AuditDevice, AuditDevice, AuditBackup}
	if got := actions(log); !slices.Equal(got, want) {
		t.Fatalf("actions\n got %v\nwant %v", got, want)
	}
	for i, e := range log {
		if e.Seq != uint64(i+1) || e.Device != m.DeviceID || e.Time.IsZero() {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
	if e := log[1]; e.Author != "Lan" || e.Household != id || !slices.Equal(e.Fields, []string{"address"}) {
		t.Errorf("save entry %+v", e)
	}
	if e := log[3]; e.Detail != "returned Thiếu thu nhập" || e.Author != "cán bộ A" {
		t.Errorf("review entry %+v", e)
	}
	if e := log[6]; e.Detail != h[0].ID || !slices.Contains(e.Fields, "address") {
		t.Errorf("restore entry %+v", e)
	}
	if e := log[7]; e.Household != recs[1].ID || !slices.Equal(e.Fields, []string{"previous_status"}) {
		t.Errorf("previous status entry %+v", e)
	}
	if e := log[0]; e.Count != 2 || e.Author != "test" {
		t.Errorf("import entry %+v", e)
	}
	if e := log[10]; len(e.Fields) != 1 || !strings.HasPrefix(e.Fields[0], "device_name: ") {
		t.Errorf("meta entry %+v", e)
	}
	mine, err := s.AuditFor(id)
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(mine); !slices.Equal(got, []string{AuditSave, AuditComplete, AuditReview, AuditDelete, AuditUndelete, AuditRestore}) {
		t.Errorf("entries of %s: %v", id, got)
	}
	var buf bytes.Buffer
	if err := s.ExportAudit(&buf, id); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	n := 0
	for sc.Scan() {
		var e AuditEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Household != id {
			t.Errorf("exported line %q: %v", sc.Text(), err)
		}
		n++
	}
	if n != len(mine) {
		t.Errorf("%d exported lines, want %d", n, len(mine))
	}
	if _, err := s.Verify(); err != nil {
		t.Fatal(err)
	}
}

// TestAuditSyncBatch: a batch from another device is one entry naming the devices and counting
// the revisions added, written with the batch.
func TestAuditSyncBatch(t *testing.T) {
	field := newTestStore(t, RoleField)
	office := newTestStore(t, RoleOffice)
	for _, r := range households(3, 9) {
		if _, err := field.SaveDraft(r, "Lan"); err != nil {
			t.Fatal(err)
		}
	}
	fm, _ := field.Meta()
	revs, _ := field.RevisionsSince(fm.DeviceID, 0)
	if n, err := office.PutRevisions(revs); err != nil || n != 3 {
		t.Fatal(n, err)
	}
	log, _ := office.AuditLog()
	if len(log) != 1 || log[0].Action != AuditSync || log[0].Count != 3 || log[0].Detail != fm.DeviceID {
		t.Errorf("office log %+v", log)
	}
	// a failed write leaves no entry
	if _, err := office.SaveDraft(&household.Record{}, "x"); err == nil {
		t.Fatal("saved a record without id")
	}
	if log2, _ := office.AuditLog(); len(log2) != 1 {
		t.Errorf("%d entries after a failed save", len(log2))
	}
}

// TestAuditTamper: editing, removing or inserting an entry is found by Verify.
func TestAuditTamper(t *testing.T) {
	for _, c := range []struct {
		name string
		do   func(log, root *bolt.Bucket) error
	}{
		{"edit", func(log, _ *bolt.Bucket) error {
			v := bytes.Replace(bytes.Clone(log.Get(u64(2))), []byte(`"Lan"`), []byte(`"Hoa"`), 1)
			return log.Put(u64(2), v)
		}},
		{"delete", func(log, _ *bolt.Bucket) error { return log.Delete(u64(2)) }},
		{"delete last", func(log, _ *bolt.Bucket) error { return log.Delete(u64(3)) }},
		{"rewrite tail", func(log, _ *bolt.Bucket) error {
			// an edited entry with the next entry's hash fixed still breaks at the head
			v := bytes.Replace(bytes.Clone(log.Get(u64(3))), []byte(`"Lan"`), []byte(`"Hoa"`), 1)
			return log.Put(u64(3), v)
		}},
		{"insert", func(log, _ *bolt.Bucket) error { return log.Put(u64(9), log.Get(u64(3))) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.db")
			s, err := Create(path, Meta{Role: RoleOffice, Ward: "W"}, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range households(3, 5) {
				if _, err := s.SaveDraft(r, "Lan"); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.Verify(); err != nil {
				t.Fatal(err)
			}
			s.db.Update(func(tx *bolt.Tx) error {
				root, log, _, _ := auditBuckets(tx)
				return c.do(log, root)
			})
			rep, err := s.Verify()
			if err == nil || !strings.Contains(strings.Join(rep.Errors, "\n"), "audit log") {
				t.Errorf("tampering not found: %v %v", err, rep.Errors)
			}
			s.Close()
		})
	}
}

// TestAuditEncrypted: in an encrypted database the entries are sealed (no author in the
// file), readable with the key, and the chain survives encrypting an existing database.
func TestAuditEncrypted(t *testing.T) {
	const who = "Phạm Thị Thu Hương"
	dir := t.TempDir()
	path := filepath.Join(dir, "enc.db")
	s, err := Create(path, Meta{Role: RoleOffice, Ward: "W"}, encOptions(testPass))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range households(2, 4) {
		if _, err := s.SaveDraft(r, who); err != nil {
			t.Fatal(err)
		}
	}
	if log, err := s.AuditLog(); err != nil || len(log) != 2 || log[1].Author != who {
		t.Fatalf("log %+v %v", log, err)
	}
	if _, err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	assertNoSecrets(t, path, []string{who})

	plain := filepath.Join(dir, "plain.db")
	p, err := Create(plain, Meta{Role: RoleOffice, Ward: "W"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range households(2, 4) {
		if _, err := p.SaveDraft(r, who); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	if err := Encrypt(plain, testPass, encOptions("")); err != nil {
		t.Fatal(err)
	}
	assertNoSecrets(t, plain, []string{who})
	p, err = Open(plain, encOptions(testPass))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if rep, err := p.Verify(); err != nil {
		t.Fatalf("verify after Encrypt: %v\n%s", err, joinLines(rep.Errors))
	}
	if log, _ := p.AuditLog(); len(log) != 2 || log[0].Author != who {
		t.Errorf("log after Encrypt %+v", log)
	}

	// and encrypting an open database seals the entries already written
	open := filepath.Join(dir, "open.db")
	o, err := Create(open, Meta{Role: RoleOffice, Ward: "W"}, encOptions(""))
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	for _, r := range households(2, 4) {
		if _, err := o.SaveDraft(r, who); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.EnableEncryption(testPass); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Delete(households(2, 4)[0].ID, who); err != nil {
		t.Fatal(err)
	}
	if log, err := o.AuditLog(); err != nil || len(log) != 4 || log[2].Detail != "encryption at rest turned on" {
		t.Errorf("log after EnableEncryption %d %v", len(log), err)
	}
	if err := o.ChangePassphrase(testPass, "một mật khẩu khác"); err != nil {
		t.Fatal(err)
	}
	if log, _ := o.AuditLog(); len(log) != 5 || log[4].Detail != "passphrase changed" {
		t.Errorf("log after ChangePassphrase %+v", log[len(log)-1])
	}
	if rep, err := o.Verify(); err != nil {
		t.Fatalf("verify after EnableEncryption: %v\n%s", err, joinLines(rep.Errors))
	}
	assertNoSecrets(t, open, []string{who})
}
