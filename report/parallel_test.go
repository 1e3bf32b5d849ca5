package report

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestWriteDirParallelSameFiles checks that writing side by side gives WriteDir's files, in
// its order, with the same workbooks (PDFs carry their creation time, so only their presence
// and kind are compared).
func TestWriteDirParallelSameFiles(t *testing.T) {
	ls := Build("Phường Đồng Tâm", classified(t, 400))
	a, b := t.TempDir(), t.TempDir()
	f := Formats{CSV: true, XLSX: true, PDF: true}
	pa, err := WriteDir(a, ls, f, "vi")
	if err != nil {
		t.Fatal(err)
	}
	pb, err := WriteDirParallel(b, ls, f, "vi", 3)
	if err != nil {
		t.Fatal(err)
	}
	rel := func(dir string, ps []string) []string {
		out := make([]string, len(ps))
		for i, p := range ps {
			out[i], _ = filepath.Rel(dir, p)
		}
		return out
	}
	if !slices.Equal(rel(a, pa), rel(b, pb)) {
		t.Fatalf("paths differ:\n%q\n%q", rel(a, pa), rel(b, pb))
	}
	for _, name := range rel(a, pa) {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		switch filepath.Ext(name) {
		case ".pdf":
			if !bytes.HasPrefix(y, []byte("%PDF")) || len(y) < len(x)/2 {
				t.Errorf("%s: %d bytes, WriteDir's %d", name, len(y), len(x))
			}
		case ".csv":
			if !bytes.Equal(x, y) {
				t.Errorf("%s differs", name)
			}
		case ".xlsx":
			if len(x) == 0 || len(y) == 0 {
				t.Errorf("%s is empty", name)
			}
		}
	}
	if left, _ := filepath.Glob(filepath.Join(b, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
