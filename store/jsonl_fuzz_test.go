package store

import (
	"bytes"
	"encoding/json"
	"testing"
)

// historyLines are the lines of a history export (export --history) of the kinds
// TestHistoryExportRoundTrip makes (drafts, a review with a comment, a deletion, a restore),
// and tampered ones: a record changed under its hash (as that test does), and a few fields a
// revision line must get right.
func historyLines(t testing.TB) [][]byte {
	s := newTestStore(t, RoleOffice)
	recs := households(4, 22)
	mustImport(t, s, jsonl(recs))
	e := recs[0].Clone()
	e.Address = "Số 5, \"ngõ\" \\ mới\ttab"
	e.Housing.FloorAreaM2 = 77.5
	s.SaveDraft(e, "Lan")
	s.SetReview(recs[1].ID, StatusReturned, "Sửa thu nhập\nvà nhà ở", "Hà")
	s.Delete(recs[2].ID, "Lan")
	h3, _ := s.History(recs[3].ID)
	e3 := recs[3].Clone()
	e3.Members[0].Name = "Hà Thị Xuân"
	s.SaveDraft(e3, "Lan")
	s.Restore(recs[3].ID, h3[0].ID, "Lan")
	var out [][]byte
	for _, l := range bytes.SplitAfter(export(t, s, true), []byte("\n")) {
		if len(l) > 0 {
			out = append(out, l)
		}
	}
	tamper := func(l []byte, from, to string) {
		if !bytes.Contains(l, []byte(from)) {
			t.Fatalf("tamper: %q not in %s", from, l)
		}
		out = append(out, bytes.Replace(l, []byte(from), []byte(to), 1))
	}
	for _, l := range out {
		if bytes.Contains(l, []byte(`"floor_area_m2": 77.5`)) {
			tamper(l, `"floor_area_m2": 77.5`, `"floor_area_m2": 78.5`)
			break
		}
	}
	first := out[0]
	tamper(first, `"seq": 1`, `"seq": 0`)
	tamper(first, `"status": "complete"`, `"status": "finished"`)
	tamper(first, `"time": "`, `"time": "x`)
	tamper(first, `"hash": "`, `"hash": "0`)
	tamper(first, `"id": "`, `"id": "\u0007`)
	tamper(first, `"record": {`, `"record": [{`)
	return out
}

// FuzzImportRevision imports one line of a history export, seeded with real and tampered
// ones. Nothing may panic; a line that is malformed, tampered or not a valid revision is a
// problem naming line 1 and stores nothing; a line that imports is in the household's history
// as it says, and importing it again changes nothing.
func FuzzImportRevision(f *testing.F) {
	for _, l := range historyLines(f) {
		f.Add(l)
	}
	f.Add([]byte(`{"schema": "rasoat.revision/v1"}`))
	f.Add([]byte(`{"schema": "rasoat.revision/v1", "record": null, "merged": [""], "seq": -1}`))
	s := newTestStore(f, RoleOffice)
	f.Fuzz(func(t *testing.T, line []byte) {
		var rl revisionLine
		if json.Unmarshal(line, &rl) != nil || rl.Schema != RevisionSchema ||
			bytes.ContainsAny(line, "\n") || len(line) > maxLine {
			return // not one revision line: household.FuzzDecode and TestImportBadInput
		}
		before, err := s.History(rl.Household)
		if err != nil && !isKind(err, ErrNotFound) {
			t.Fatal(err)
		}
		hs, err := s.List()
		if err != nil {
			t.Fatal(err)
		}
		rep, err := s.Import(bytes.NewReader(line), ImportOptions{Author: "fuzz"})
		if err != nil {
			if !isKind(err, ErrInvalid) || rep.Skipped != 1 || rep.Added+rep.Unchanged != 0 || len(rep.Problems) == 0 {
				t.Fatalf("refused with %v, report %+v", err, rep)
			}
			for _, p := range rep.Problems {
				if p.Line != 1 || p.VI == "" || p.EN == "" {
					t.Fatalf("problem %+v", p)
				}
			}
			after, err := s.History(rl.Household)
			if err != nil && !isKind(err, ErrNotFound) || len(after) != len(before) {
				t.Fatalf("a refused line changed the history: %d → %d revisions, %v", len(before), len(after), err)
			}
			if now, _ := s.List(); len(now) != len(hs) {
				t.Fatalf("a refused line changed the households: %d → %d", len(hs), len(now))
			}
			return
		}
		if rep.Added+rep.Unchanged != 1 || rep.Skipped != 0 {
			t.Fatalf("report %+v", rep)
		}
		after, err := s.History(rl.Household)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range after {
			if r.ID == rl.ID {
				found = true
				if !bytes.Equal(r.Record, rl.Record) || r.Hash != rl.Hash || r.Seq != rl.Seq || r.Device != rl.Device || r.Status != rl.Status {
					t.Fatalf("stored %+v for line %s", r, line)
				}
			}
		}
		if !found {
			t.Fatalf("revision %q not in the history of %q", rl.ID, rl.Household)
		}
		if rep, err := s.Import(bytes.NewReader(line), ImportOptions{Author: "fuzz"}); err != nil || rep.Unchanged != 1 {
			t.Fatalf("imported again: %+v, %v", rep, err)
		}
	})
}
