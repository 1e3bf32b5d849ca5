package store

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
)

// TestSortLog: a log sorts by key, and by its order for one key, short or long (sorted in
// halves at once, then merged).
func TestSortLog(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000, 70_000} {
		log := &opLog{}
		seed := uint64(n)
		for i := range n {
			seed = seed*6364136223846793005 + 1442695040888963407
			k := fmt.Sprintf("%c%0*d", 'a'+byte(seed>>60), int(seed>>58&7), seed>>40%(uint64(n)/3+1))
			log.add(logOp{k: []byte(k), v: []byte(fmt.Sprint(i))})
		}
		order := sortLog(nil, log)
		if len(order) != n {
			t.Fatalf("n=%d: %d references", n, len(order))
		}
		seen := make([]bool, n)
		for j, r := range order {
			seen[r.i] = true
			if j == 0 {
				continue
			}
			p, c := log.at(int(order[j-1].i)), log.at(int(r.i))
			if d := bytes.Compare(p.k, c.k); d > 0 || d == 0 && order[j-1].i > r.i {
				t.Fatalf("n=%d: %q (%d) before %q (%d)", n, p.k, order[j-1].i, c.k, r.i)
			}
		}
		if !slices.Equal(seen, slices.Repeat([]bool{true}, n)) {
			t.Fatalf("n=%d: an operation is missing", n)
		}
	}
}
