package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
)

// writeWard writes n demo households as a JSON Lines file and returns its path and size.
func writeWard(b *testing.B, n int) (string, int64) {
	b.Helper()
	var buf bytes.Buffer
	for _, h := range demo.Households(demo.DefaultWard, n, 42) {
		buf.Write(household.Encode(h))
		buf.WriteByte('\n')
	}
	p := filepath.Join(b.TempDir(), "ward.jsonl")
	if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	return p, int64(buf.Len())
}

// BenchmarkClassifyFile100k runs `rasoatctl classify` end to end (read, decode, validate,
// classify, print) on a 100,000-household file; the target is under 2 s on 2 cores.
func BenchmarkClassifyFile100k(b *testing.B) {
	path, size := writeWard(b, 100_000)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"classify", path}, nil, io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkLists10k makes every CSV list of a 10,000-household ward.
func BenchmarkLists10k(b *testing.B) {
	path, _ := writeWard(b, 10_000)
	out := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"lists", "--out", out, path}, nil, io.Discard, io.Discard); code != exitOK {
			b.Fatalf("exit %d", code)
		}
	}
}
