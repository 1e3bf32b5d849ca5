package sync

import (
	"context"
	"fmt"
	"os"
	"slices"
	gosync "sync"
	"testing"
	"time"

	"github.com/rasoat/rasoat/demo"
)

// loadDuration is how long TestLoadSustained runs: RASOAT_LOAD_DURATION (a Go duration,
// e.g. 1m), else 5 s (2 s with -short), so that go test ./... stays short.
func loadDuration(t *testing.T) time.Duration {
	if v := os.Getenv("RASOAT_LOAD_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("RASOAT_LOAD_DURATION: %v", err)
		}
		return d
	}
	if testing.Short() {
		return 2 * time.Second
	}
	return 5 * time.Second
}

// TestLoadSustained: 50 laptops (RASOAT_LOAD_LAPTOPS) survey and sync with one office over
// HTTPS on loopback at the same time, for loadDuration: each saves a few households (new ones
// and edits), syncs (push then pull), and starts again. At the end each syncs once more, and
// the office must hold every revision of every laptop, each once: zero lost. Throughput (the
// revisions the office took per second) and the latency of a laptop's sync and of a batch
// (p50, p99, max) are logged.
func TestLoadSustained(t *testing.T) {
	laptops := 50
	if v := os.Getenv("RASOAT_LOAD_LAPTOPS"); v != "" {
		fmt.Sscan(v, &laptops)
	}
	dur := loadDuration(t)
	w := newWorld(t)
	w.opts.BatchRevisions = 50
	office := w.newDiskOffice()
	addr := serve(t, office)
	sites := make([]*site, laptops)
	for i := range sites {
		sites[i] = w.newLaptop(fmt.Sprintf("s%02d", i), addr)
	}
	url := "https://" + addr

	var mu gosync.Mutex
	var syncLat, batchLat []time.Duration
	var delivered, rounds int
	var wg gosync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), dur+2*time.Minute)
	defer cancel()
	stop := time.Now().Add(dur)
	start := time.Now()
	for i, s := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []string
			for r := 0; time.Now().Before(stop); r++ {
				// a few new households and an edit of an earlier one
				for _, h := range demo.Households(demo.DefaultWard, 3, uint64(10_000_000+i*100_000+r)) {
					if _, err := s.st.SaveDraft(h, s.name); err != nil {
						t.Error(err)
						return
					}
					mine = append(mine, h.ID)
				}
				if rec, _, err := s.st.Get(mine[r%len(mine)]); err == nil {
					rec.Address = fmt.Sprintf("Số %d, vòng %d", i, r)
					if _, err := s.st.SaveDraft(rec, s.name); err != nil {
						t.Error(err)
						return
					}
				}
				last, began := time.Now(), time.Now()
				var bl []time.Duration
				res, err := s.n.SyncWith(ctx, url, func(done, total int) {
					now := time.Now()
					if done > 0 {
						bl = append(bl, now.Sub(last))
					}
					last = now
				})
				took := time.Since(began)
				if err != nil {
					t.Errorf("%s: %v", s.name, err)
					return
				}
				mu.Lock()
				syncLat = append(syncLat, took)
				batchLat = append(batchLat, bl...)
				delivered += res.Delivered
				rounds++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if t.Failed() {
		t.FailNow()
	}
	// a last sync each: whatever was saved is at the office
	for _, s := range sites {
		res, err := s.n.Push(ctx, url, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Unsent != 0 {
			t.Fatalf("%s: %d revisions unacknowledged", s.name, res.Unsent)
		}
		delivered += res.Delivered
	}
	total := 0
	have, _ := office.st.Devices()
	for _, s := range sites {
		seq, _ := s.st.LastSeq(s.n.DeviceID())
		if have[s.n.DeviceID()] != seq {
			t.Errorf("%s: made 1…%d, the office has 1…%d", s.name, seq, have[s.n.DeviceID()])
		}
		total += int(seq)
	}
	if delivered != total {
		t.Errorf("the office took %d revisions as new, the laptops made %d (each exactly once)", delivered, total)
	}
	want := map[string]bool{}
	for _, s := range sites {
		rs, err := s.st.RevisionsSince(s.n.DeviceID(), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			want[r.ID] = true
		}
	}
	got := office.revisions(t)
	lost := 0
	for id := range want {
		if _, ok := got[id]; !ok {
			lost++
		}
	}
	if lost > 0 || len(want) != total {
		t.Fatalf("%d revisions lost (of %d)", lost, total)
	}
	if rep, err := office.st.Verify(); err != nil {
		t.Fatalf("the office does not verify: %v %v", err, rep.Errors)
	}
	pct := func(l []time.Duration, p int) time.Duration {
		if len(l) == 0 {
			return 0
		}
		return l[min(len(l)-1, len(l)*p/100)].Round(time.Millisecond)
	}
	slices.Sort(syncLat)
	slices.Sort(batchLat)
	t.Logf("%d laptops for %v: %d syncs, %d revisions to the office (%.0f revisions/s), 0 lost; a laptop's sync p50 %v, p99 %v, max %v; %d batches, p50 %v, p99 %v",
		laptops, elapsed.Round(time.Millisecond), rounds, total, float64(total)/elapsed.Seconds(),
		pct(syncLat, 50), pct(syncLat, 99), pct(syncLat, 100), len(batchLat), pct(batchLat, 50), pct(batchLat, 99))
}
