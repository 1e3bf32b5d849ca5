package store

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportLeavesOutDamagedRecords: a record whose content no longer matches its hash is not
// exported (current or history); Export fails naming its household and writes the others.
func TestExportLeavesOutDamagedRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ward.db")
	s, err := Create(path, Meta{Ward: "W"}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(households(12, 4)))
	var before bytes.Buffer
	if err := s.Export(&before, ExportOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	flipIn(t, path, `"water_source"`)
	s, err = Open(path, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	for _, history := range []bool{false, true} {
		var out bytes.Buffer
		err := s.Export(&out, ExportOptions{History: history})
		if !isKind(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
			t.Fatalf("history=%v: %v", history, err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		if len(lines) != 11 {
			t.Errorf("history=%v: %d lines, want the 11 good ones", history, len(lines))
		}
		// the household left out is the one the error names
		got := map[string]bool{}
		for _, l := range lines {
			var v struct{ ID, Household string }
			json.Unmarshal([]byte(l), &v)
			got[v.ID+v.Household] = true
		}
		for _, l := range strings.Split(strings.TrimSpace(before.String()), "\n") {
			var v struct{ ID string }
			json.Unmarshal([]byte(l), &v)
			if left := !got[v.ID] && !history || history && !strings.Contains(out.String(), `"household": "`+v.ID+`"`); left != strings.Contains(Message(err, "en"), v.ID) {
				t.Errorf("history=%v: household %s left out %v, named %v: %v", history, v.ID, left, !left, err)
			}
		}
	}
}
