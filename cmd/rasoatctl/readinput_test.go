package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadLines compares readLines with splitting the whole file, on random files of short and
// long lines read in pieces of every size.
func TestReadLines(t *testing.T) {
	const max = 100
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 2000 {
		var lines []string
		for range rng.IntN(8) {
			lines = append(lines, strings.Repeat("x", []int{0, 1, max - 2, max - 1, max, max + 1, 3 * max, rng.IntN(4 * max)}[rng.IntN(8)]))
		}
		file := strings.Join(lines, "\n")
		if rng.IntN(2) == 0 && file != "" {
			file += "\n"
		}
		// what it must give: each line of max bytes or more, newline not counted, left empty
		want := input{}
		var kept []string
		for i, l := range strings.Split(file, "\n") {
			if len(l) >= max {
				if want.long == nil {
					want.long = map[int]bool{}
				}
				want.long[i+1] = true
				l = ""
			}
			kept = append(kept, l)
		}
		want.data = []byte(strings.Join(kept, "\n"))
		readers := map[string]io.Reader{
			"whole":    strings.NewReader(file),
			"one byte": iotest.OneByteReader(strings.NewReader(file)),
			"half":     iotest.HalfReader(strings.NewReader(file)),
			"data+EOF": iotest.DataErrReader(strings.NewReader(file)),
		}
		for name, r := range readers {
			got, err := readLines(r, rng.IntN(50), max)
			if err != nil || !bytes.Equal(got.data, want.data) || !reflect.DeepEqual(got.long, want.long) {
				t.Fatalf("file %d (%s), lines %v:\n got %q %v %v\nwant %q %v", n, name, lens(lines), got.data, got.long, err, want.data, want.long)
			}
		}
	}
	// A read error is returned.
	if _, err := readLines(iotest.TimeoutReader(strings.NewReader(strings.Repeat("x\n", 100000))), 0, max); err == nil {
		t.Error("no error from a failing reader")
	}
}

func lens(ls []string) string {
	var s []string
	for _, l := range ls {
		s = append(s, fmt.Sprint(len(l)))
	}
	return strings.Join(s, ",")
}
