package household

import (
	"bytes"
	"os"
	"testing"
)

func BenchmarkDecode(b *testing.B) { benchDecodeLine(b, []byte(good)) }

// benchDecodeLine decodes the same line in every op.
func benchDecodeLine(b *testing.B, line []byte) {
	b.SetBytes(int64(len(line)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ps := Decode(line); len(ps) > 0 {
			b.Fatal(ps)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	r, _ := Decode([]byte(good))
	buf := make([]byte, 0, 4096)
	b.SetBytes(int64(len(good)))
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendRecord(buf[:0], r)
	}
}

func BenchmarkValidate(b *testing.B) {
	r, _ := Decode([]byte(good))
	b.ReportAllocs()
	for b.Loop() {
		if ps := Validate(r); len(ps) > 0 {
			b.Fatal(ps)
		}
	}
}

// sharedLines returns the lines of the shared classify examples, which are the contract.
func sharedLines(b *testing.B) [][]byte {
	data, err := os.ReadFile("../../shared/testdata/classify/households.jsonl")
	if err != nil {
		b.Fatalf("the shared examples must be beside the repository (../shared): %v", err)
	}
	return bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
}

// BenchmarkDecodeLarge decodes the longest shared example, a household of many members with
// Vietnamese names, as a ward office's import meets them.
func BenchmarkDecodeLarge(b *testing.B) {
	var line []byte
	for _, l := range sharedLines(b) {
		if len(l) > len(line) {
			line = l
		}
	}
	benchDecodeLine(b, line)
}

// BenchmarkDecodeShared decodes the shared examples, one line an op, each in turn: the mix of
// sizes an import meets.
func BenchmarkDecodeShared(b *testing.B) {
	lines := sharedLines(b)
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	b.SetBytes(int64(n / len(lines)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ps := Decode(lines[i]); len(ps) > 0 {
			b.Fatal(ps)
		}
		if i++; i == len(lines) {
			i = 0
		}
	}
}
