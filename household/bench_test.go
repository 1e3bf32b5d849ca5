package household

import (
	"testing"
)

func BenchmarkDecode(b *testing.B) {
	line := []byte(good)
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
