package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

func export(t testing.TB, s *Store, history bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := s.Export(&b, ExportOptions{History: history}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImportExportRoundTrip(t *testing.T) {
	in := jsonl(households(500, 21))
	s := newTestStore(t, RoleField)
	var progress []int
	rep, err := s.Import(bytes.NewReader(in), ImportOptions{Author: "import", Progress: func(n int) { progress = append(progress, n) }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 500 || rep.Updated+rep.Unchanged+rep.Skipped != 0 || len(rep.Problems) != 0 {
		t.Errorf("report %+v", rep)
	}
	if len(progress) == 0 || progress[len(progress)-1] != 500 {
		t.Errorf("progress %v", progress)
	}
	if out := export(t, s, false); !bytes.Equal(out, in) {
		t.Fatalf("export differs from the imported file (%d vs %d bytes)", len(out), len(in))
	}
	// importing again changes nothing
	rep = mustImport(t, s, in)
	if rep.Unchanged != 500 || rep.Added+rep.Updated != 0 {
		t.Errorf("second import %+v", rep)
	}
	// the spec's shared examples too, with their unknown fields and every income kind
	if shared, err := os.ReadFile("../../shared/testdata/classify/households.jsonl"); err == nil {
		s2 := newTestStore(t, RoleField)
		rep, err := s2.Import(bytes.NewReader(shared), ImportOptions{SkipInvalid: true})
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		bad := map[int]bool{}
		for _, p := range rep.Problems {
			bad[p.Line] = true
		}
		for i, l := range strings.SplitAfter(string(shared), "\n") {
			if !bad[i+1] && strings.TrimSpace(l) != "" {
				want.WriteString(l)
			}
		}
		if out := export(t, s2, false); !bytes.Equal(out, want.Bytes()) {
			t.Errorf("shared examples: export differs from the imported file")
		}
		t.Logf("shared examples: %d imported, %d skipped under the standard of their date", rep.Added, rep.Skipped)
	}

	// changed records are updated, with the history kept
	recs := households(500, 21)
	recs[7].Address = "Số 1, đường Mới"
	recs[9].Members[0].Name = "Hà Thị Xuân"
	rep = mustImport(t, s, jsonl(recs))
	if rep.Updated != 2 || rep.Unchanged != 498 {
		t.Errorf("import with 2 changes: %+v", rep)
	}
	if h, _ := s.History(recs[7].ID); len(h) != 2 || h[1].Parent != h[0].ID {
		t.Errorf("history after update: %d revisions", len(h))
	}
	if out := export(t, s, false); !bytes.Equal(out, jsonl(recs)) {
		t.Error("export after update differs")
	}
}

func TestHistoryExportRoundTrip(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	recs := households(60, 22)
	mustImport(t, s, jsonl(recs))
	e := recs[3].Clone()
	e.Address = "Số 5, \"ngõ\" \\ mới\ttab"
	s.SaveDraft(e, "Lan")
	s.SetReview(recs[4].ID, StatusReturned, "Sửa thu nhập\nvà nhà ở", "Hà")
	s.Delete(recs[5].ID, "Lan")
	h6, _ := s.History(recs[6].ID)
	e6 := recs[6].Clone()
	e6.Housing.FloorAreaM2 = 77.5
	s.SaveDraft(e6, "Lan")
	s.Restore(recs[6].ID, h6[0].ID, "Lan")

	hist := export(t, s, true)
	if n := bytes.Count(hist, []byte("\n")); n != 60+1+1+1+2 {
		t.Errorf("history export has %d lines", n)
	}
	// into an empty store: the same history, the same exports
	s2 := newTestStore(t, RoleOffice)
	rep := mustImport(t, s2, hist)
	if rep.Added != 65 {
		t.Errorf("history import %+v", rep)
	}
	if got := export(t, s2, true); !bytes.Equal(got, hist) {
		t.Errorf("history export → import → export differs:\n%s\n---\n%s", firstDiff(got, hist), "")
	}
	if !bytes.Equal(export(t, s2, false), export(t, s, false)) {
		t.Error("current export differs after a history round trip")
	}
	for _, id := range []string{recs[4].ID, recs[5].ID, recs[6].ID} {
		a, _ := s.History(id)
		b, _ := s2.History(id)
		if len(a) != len(b) {
			t.Fatalf("history of %s: %d vs %d", id, len(a), len(b))
		}
		for i := range a {
			if a[i].ID != b[i].ID || !a[i].Time.Equal(b[i].Time) || a[i].Comment != b[i].Comment || a[i].Restored != b[i].Restored || a[i].Deleted != b[i].Deleted || !bytes.Equal(a[i].Record, b[i].Record) {
				t.Errorf("revision %d of %s differs: %+v vs %+v", i, id, a[i], b[i])
			}
		}
	}
	// idempotent
	if rep := mustImport(t, s2, hist); rep.Unchanged != 65 || rep.Added != 0 {
		t.Errorf("second history import %+v", rep)
	}
	// a tampered record is refused
	bad := bytes.Replace(hist, []byte(`"floor_area_m2": 77.5`), []byte(`"floor_area_m2": 78.5`), 1)
	s3 := newTestStore(t, RoleOffice)
	if _, err := s3.Import(bytes.NewReader(bad), ImportOptions{}); err == nil || !strings.Contains(err.Error(), "hash") {
		t.Errorf("tampered history imported: %v", err)
	}
	if l, _ := s3.List(); len(l) != 0 {
		t.Error("a refused import wrote households")
	}
}

func firstDiff(a, b []byte) string {
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := range la {
		if i >= len(lb) || la[i] != lb[i] {
			if i < len(lb) {
				return la[i] + "\n" + lb[i]
			}
			return la[i]
		}
	}
	return ""
}

// TestImportBadInput: a malformed or invalid file imports nothing and says which records and
// why; with SkipInvalid the valid ones are imported and the others listed.
func TestImportBadInput(t *testing.T) {
	recs := households(20, 23)
	good := jsonl(recs)
	lines := strings.Split(strings.TrimSuffix(string(good), "\n"), "\n")
	invalid := recs[4].Clone()
	invalid.Members[0].Relation = "child" // no head
	invalid.Housing.Wall = "bamboo"
	lines[4] = string(household.Encode(invalid))
	lines[9] = `{"schema": "rasoat.household/v1", "id": "broken`                                   // malformed JSON
	lines[12] = lines[2]                                                                           // duplicate id
	lines[15] = strings.Replace(lines[15], `"floor_area_m2": `, `"floor_area_m2": true, "x": `, 1) // a type error
	file := strings.Join(lines, "\n") + "\n\n   \n"

	s := newTestStore(t, RoleField)
	mustImport(t, s, jsonl(households(3, 99))) // something there already
	before := export(t, s, true)
	rep, err := s.Import(strings.NewReader(file), ImportOptions{})
	if err == nil {
		t.Fatal("an invalid file was imported")
	}
	var ps household.Problems
	if !isKind(err, ErrInvalid) || !errors.As(err, &ps) {
		t.Errorf("error %v is not ErrInvalid wrapping the problems", err)
	}
	if rep.Added != 0 || rep.Skipped != 4 {
		t.Errorf("report %+v", rep)
	}
	if !bytes.Equal(export(t, s, true), before) {
		t.Fatal("a refused import changed the store")
	}
	lineOf := map[int][]household.Problem{}
	for _, p := range rep.Problems {
		lineOf[p.Line] = append(lineOf[p.Line], p)
	}
	if len(lineOf) != 4 {
		t.Errorf("problems on lines %v, want 5, 10, 13, 16", keys(lineOf))
	}
	paths := map[string]bool{}
	for _, p := range lineOf[5] {
		paths[p.Path] = true
		if p.RecordID != invalid.ID {
			t.Errorf("line 5 problem names record %q", p.RecordID)
		}
	}
	if !paths["members"] || !paths["housing.wall"] {
		t.Errorf("line 5 problems %v", lineOf[5])
	}
	if p := lineOf[10]; len(p) != 1 || p[0].Rule != "syntax" {
		t.Errorf("line 10 problems %v", p)
	}
	if p := lineOf[13]; len(p) != 1 || p[0].Rule != "unique" || !strings.Contains(p[0].EN, "line 3") {
		t.Errorf("line 13 problems %v", p)
	}
	if p := lineOf[16]; len(p) != 1 || p[0].Path != "housing.floor_area_m2" {
		t.Errorf("line 16 problems %v", p)
	}

	rep, err = s.Import(strings.NewReader(file), ImportOptions{SkipInvalid: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added != 16 || rep.Skipped != 4 || len(rep.Problems) < 4 {
		t.Errorf("skip-invalid report %+v", rep)
	}
	if l, _ := s.List(); len(l) != 19 {
		t.Errorf("%d households after skip-invalid import, want 19", len(l))
	}

	// not JSON Lines at all
	s2 := newTestStore(t, RoleField)
	rep, err = s2.Import(strings.NewReader("id;name\n1;Nguyễn\n"), ImportOptions{})
	if err == nil || rep.Skipped != 2 {
		t.Errorf("CSV file: %+v %v", rep, err)
	}
	// a byte-order mark and CRLF line ends are fine
	rep, err = s2.Import(strings.NewReader("\ufeff"+strings.ReplaceAll(string(jsonl(recs[:3])), "\n", "\r\n")), ImportOptions{})
	if err != nil || rep.Added != 3 {
		t.Errorf("BOM and CRLF: %+v %v", rep, err)
	}
	// an over-long line
	long := strings.Repeat("x", maxLine+10)
	rep, err = s2.Import(strings.NewReader(string(jsonl(recs[5:6]))+long+"\n"+string(jsonl(recs[6:7]))), ImportOptions{SkipInvalid: true})
	if err != nil || rep.Added != 2 || rep.Skipped != 1 || rep.Problems[0].Line != 2 || rep.Problems[0].Rule != "size" {
		t.Errorf("long line: %+v %v", rep, err)
	}
}

func keys[V any](m map[int]V) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestBackupAndCompact(t *testing.T) {
	s := newTestStore(t, RoleField)
	mustImport(t, s, jsonl(households(200, 24)))
	for i, r := range households(200, 24)[:50] {
		r.Address = "mới " + string(rune('A'+i%26))
		s.SaveDraft(r, "x")
	}
	want := export(t, s, true)
	dir := t.TempDir()

	backup := filepath.Join(dir, "backup.db")
	if err := s.BackupFile(backup); err != nil {
		t.Fatal(err)
	}
	if err := s.BackupFile(s.Path()); err == nil {
		t.Error("a backup over the database itself was allowed")
	}
	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Errorf("Backup wrote %d (%d buffered), %v", n, buf.Len(), err)
	}

	compact := filepath.Join(dir, "compact.db")
	if err := s.Compact(compact); err != nil {
		t.Fatal(err)
	}
	if err := s.Compact(compact); !isKind(err, ErrExists) {
		t.Errorf("compact over an existing file: %v", err)
	}
	for _, p := range []string{backup, compact} {
		c, err := Open(p, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := export(t, c, true); !bytes.Equal(got, want) {
			t.Errorf("%s: history export differs", filepath.Base(p))
		}
		if _, err := c.Verify(); err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
		}
		c.Close()
	}
	st1, _ := os.Stat(s.Path())
	st2, _ := os.Stat(compact)
	t.Logf("database %d bytes, compacted %d", st1.Size(), st2.Size())
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}

func TestVerifyFindsDamage(t *testing.T) {
	s := newTestStore(t, RoleField)
	recs := households(30, 25)
	mustImport(t, s, jsonl(recs))
	rep, err := s.Verify()
	if err != nil || rep.Households != 30 || rep.Revisions != 30 || rep.Records != 30 {
		t.Fatalf("Verify %+v %v", rep, err)
	}
	// an index entry lost, a stray one, a record changed behind the store's back
	s.update(func(tx *bolt.Tx) error {
		idx := tx.Bucket(bIndex)
		idx.Bucket(bGroup).Delete(key([]byte(recs[0].Group), []byte(recs[0].ID)))
		idx.Bucket(bStatus).Put(key([]byte("zzz"), []byte(recs[1].ID)), nil)
		b := tx.Bucket(bRevisions).Bucket(bBlobs)
		h := hashOf(household.Encode(recs[2]))
		return b.Put(h[:], bytes.Replace(household.Encode(recs[2]), []byte("Tổ"), []byte("To"), 1))
	})
	rep, err = s.Verify()
	if !isKind(err, ErrCorrupt) || len(rep.Errors) < 3 {
		t.Fatalf("Verify after damage: %v\n%s", err, joinLines(rep.Errors))
	}
	all := strings.Join(rep.Errors, "\n")
	for _, want := range []string{"index/group: 1 keys are missing", "index/status: stray key", "does not match its hash"} {
		if !strings.Contains(all, want) {
			t.Errorf("Verify did not report %q:\n%s", want, all)
		}
	}
	// Reindex repairs the derived data; the damaged record stays reported
	s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bRevisions).Bucket(bBlobs)
		h := hashOf(household.Encode(recs[2]))
		return b.Put(h[:], household.Encode(recs[2]))
	})
	if err := s.Reindex(); err != nil {
		t.Fatal(err)
	}
	if rep, err := s.Verify(); err != nil {
		t.Errorf("after Reindex: %v\n%s", err, joinLines(rep.Errors))
	}
}

// TestHotBackup: backups taken while households are being saved are consistent databases.
func TestHotBackup(t *testing.T) {
	s := newTestStore(t, RoleField)
	recs := households(300, 26)
	mustImport(t, s, jsonl(recs))
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		n := 0
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- n
				return
			default:
			}
			r := recs[i%len(recs)].Clone()
			r.Income.Value += int64(i + 1)
			if _, err := s.SaveDraft(r, "x"); err != nil {
				t.Error(err)
			}
			n++
		}
	}()
	dir := t.TempDir()
	var sizes []int
	for i := range 5 {
		p := filepath.Join(dir, fmt.Sprintf("b%d.db", i))
		if err := s.BackupFile(p); err != nil {
			t.Fatal(err)
		}
		b, err := Open(p, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := b.Verify()
		if err != nil {
			t.Errorf("backup %d: %v\n%s", i, err, joinLines(rep.Errors))
		}
		sizes = append(sizes, rep.Revisions)
		b.Close()
		time.Sleep(20 * time.Millisecond)
	}
	close(stop)
	n := <-done
	t.Logf("%d saves during the backups; revisions in the backups: %v", n, sizes)
	if n == 0 || sizes[0] == sizes[len(sizes)-1] {
		t.Error("nothing was saved while backing up: the test tested nothing")
	}
}

// failingReader gives its data and then an error, and records any read after the import
// returned.
type failingReader struct {
	r        *bytes.Reader
	err      error
	returned bool
	late     int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.returned {
		f.late++
	}
	if f.r.Len() == 0 {
		return 0, f.err
	}
	return f.r.Read(p[:min(len(p), 4096)])
}

// TestImportReadsAheadInOrder: an import longer than what is read and prepared ahead gives
// the same result as reading line by line: duplicates found in line order, problems on the
// right lines, progress counted up; a read error part way stores nothing and the reader is not
// read after the import returns.
func TestImportReadsAheadInOrder(t *testing.T) {
	recs := households(700, 24)
	lines := strings.Split(strings.TrimSuffix(string(jsonl(recs)), "\n"), "\n")
	lines[649] = lines[2] // a duplicate far after the first
	lines = append(lines[:300], append([]string{"", "  "}, lines[300:]...)...)
	file := strings.Join(lines, "\n") + "\n"

	s := newTestStore(t, RoleField)
	var progress []int
	rep, err := s.Import(strings.NewReader(file), ImportOptions{SkipInvalid: true, Progress: func(n int) { progress = append(progress, n) }})
	if err != nil || rep.Added != 699 || rep.Skipped != 1 || len(rep.Problems) != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if p := rep.Problems[0]; p.Line != 652 || p.Rule != "unique" || !strings.Contains(p.EN, "line 3") {
		t.Errorf("problem %+v", p)
	}
	if want := []int{256, 512, 700}; fmt.Sprint(progress) != fmt.Sprint(want) {
		t.Errorf("progress %v, want %v", progress, want)
	}
	if l, _ := s.List(); len(l) != 699 {
		t.Errorf("%d households listed", len(l))
	}

	boom := errors.New("the stick was pulled out")
	s2 := newTestStore(t, RoleField)
	fr := &failingReader{r: bytes.NewReader(jsonl(recs[:400])[:300_000]), err: boom}
	rep, err = s2.Import(fr, ImportOptions{})
	fr.returned = true
	if !errors.Is(err, boom) || rep.Added != 0 {
		t.Fatalf("a read error: %+v %v", rep, err)
	}
	if l, _ := s2.List(); len(l) != 0 {
		t.Errorf("a failed import stored %d households", len(l))
	}
	if fr.late > 0 {
		t.Errorf("the reader was read %d times after the import returned", fr.late)
	}
}
