package household

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func seedCorpus(f *testing.F) {
	f.Add([]byte(good))
	for _, tc := range badRecords {
		f.Add([]byte(tc.line))
	}
	if data, err := os.ReadFile("../../shared/testdata/classify/households.jsonl"); err == nil {
		for _, l := range strings.SplitN(string(data), "\n", 6)[:5] {
			f.Add([]byte(l))
		}
	}
}

// FuzzDecode: the decoder never panics; whatever it accepts without problems encodes to a
// canonical form that decodes to the same bytes again.
func FuzzDecode(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, line []byte) {
		r, ps := Decode(line)
		if r == nil {
			t.Fatal("nil record")
		}
		for _, p := range ps {
			if p.VI == "" || p.EN == "" {
				t.Fatalf("problem without a message: %+v", p)
			}
		}
		if len(ps) > 0 {
			return
		}
		out := Encode(r)
		r2, ps2 := Decode(out)
		if len(ps2) > 0 {
			t.Fatalf("canonical form does not decode: %v\n%s", ps2, out)
		}
		if out2 := Encode(r2); !bytes.Equal(out, out2) {
			t.Fatalf("not stable:\n%s\n%s", out, out2)
		}
	})
}

// FuzzValidate: validation never panics, and every problem names a rule and has both messages.
func FuzzValidate(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, line []byte) {
		r, _ := Decode(line)
		for _, p := range Validate(r) {
			if p.Rule == "" || p.VI == "" || p.EN == "" {
				t.Fatalf("incomplete problem: %+v", p)
			}
		}
		_ = r.Clone()
	})
}
