package poverty

import (
	"bufio"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/rasoat/rasoat/household"
)

const sharedDir = "../../shared/testdata/classify/"

// TestSharedExpected classifies the shared examples and compares each result, as parsed JSON,
// with expected.jsonl.
func TestSharedExpected(t *testing.T) {
	in, err := os.Open(sharedDir + "households.jsonl")
	if err != nil {
		t.Fatalf("the shared examples are the contract and must be beside the repository (../shared): %v", err)
	}
	defer in.Close()
	want := readJSONL(t, sharedDir+"expected.jsonl")
	reg := MustBuiltin()
	sc := bufio.NewScanner(in)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		h, ps := household.Decode(sc.Bytes())
		if len(ps) > 0 {
			t.Fatalf("line %d: %v", n+1, ps)
		}
		s, p := reg.Choose(h, "")
		if p != nil {
			t.Fatalf("line %d: %v", n+1, p)
		}
		res, err := Classify(h, s)
		if err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		var got map[string]any
		if err := json.Unmarshal(AppendOutput(nil, h.ID, &res), &got); err != nil {
			t.Fatal(err)
		}
		if n >= len(want) {
			t.Fatalf("more households than expected lines")
		}
		if !reflect.DeepEqual(got, want[n]) {
			t.Errorf("line %d (%s):\n got %v\nwant %v", n+1, h.ID, got, want[n])
		}
		n++
	}
	if n != len(want) {
		t.Errorf("classified %d households, expected.jsonl has %d", n, len(want))
	}
}

func readJSONL(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}
