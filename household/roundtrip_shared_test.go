package household

import (
	"bufio"
	"bytes"
	"os"
	"testing"
)

// TestSharedExamplesRoundTrip decodes the shared classify examples and encodes them again: the
// bytes must be those of the file, line by line, and none may break a rule.
func TestSharedExamplesRoundTrip(t *testing.T) {
	data, err := os.ReadFile("../../shared/testdata/classify/households.jsonl")
	if err != nil {
		t.Fatalf("the shared examples are the contract and must be beside the repository (../shared): %v", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		r, ps := Decode(sc.Bytes())
		if len(ps) > 0 {
			t.Fatalf("line %d: decode: %v", n, ps)
		}
		if ps := Validate(r); len(ps) > 0 {
			t.Errorf("line %d: validate: %v", n, ps)
		}
		if got := Encode(r); !bytes.Equal(got, sc.Bytes()) {
			t.Errorf("line %d: re-encoded bytes differ:\n got %s\nwant %s", n, got, sc.Bytes())
		}
	}
	if n != 60 {
		t.Errorf("read %d lines, want 60", n)
	}
}
