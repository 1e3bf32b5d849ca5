package sync

import (
	"context"
	"slices"
	gosync "sync"
	"testing"
	"time"

	"github.com/rasoat/rasoat/demo"
)

// TestLoad: many laptops push their households to one office over HTTPS on loopback at the
// same time. Every revision arrives exactly once. Throughput and the 99th percentile of the
// time a batch takes (sent until acknowledged) are logged. With -short the load is smaller.
func TestLoad(t *testing.T) {
	laptops, per := 30, 200
	if testing.Short() {
		laptops, per = 8, 50
	}
	w := newWorld(t)
	w.opts.BatchRevisions = 50
	office := w.newDiskOffice()
	addr := serve(t, office)
	sites := make([]*site, laptops)
	for i := range sites {
		sites[i] = w.newLaptop("l"+string(rune('A'+i/26))+string(rune('a'+i%26)), addr)
	}
	// each laptop surveys its own households (distinct seeds: distinct households)
	var wg gosync.WaitGroup
	for i, s := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, h := range demo.Households(demo.DefaultWard, per, uint64(1000+i)) {
				if _, err := s.st.SaveDraft(h, s.name); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	want := union(t, sites...)

	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	var mu gosync.Mutex
	var lat []time.Duration
	results := make([]Result, laptops)
	errs := make([]error, laptops)
	start := time.Now()
	for i, s := range sites {
		wg.Add(1)
		go func() {
			defer wg.Done()
			last := time.Now()
			results[i], errs[i] = s.n.Push(ctx, "https://"+addr, func(done, total int) {
				now := time.Now()
				if done > 0 {
					mu.Lock()
					lat = append(lat, now.Sub(last))
					mu.Unlock()
				}
				last = now
			})
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	sent, delivered := 0, 0
	for i := range sites {
		if errs[i] != nil {
			t.Fatalf("%s: %v", sites[i].name, errs[i])
		}
		sent += results[i].Revisions
		delivered += results[i].Delivered
		if results[i].Unsent != 0 {
			t.Errorf("%s: %d unacknowledged", sites[i].name, results[i].Unsent)
		}
	}
	total := laptops * per
	if sent != total || delivered != total {
		t.Fatalf("sent %d, the office took %d as new; want %d each (every revision exactly once)", sent, delivered, total)
	}
	sameRevisions(t, "office", office.revisions(t), want)
	have, _ := office.st.Devices()
	for _, s := range sites {
		if have[s.n.DeviceID()] != uint64(per) {
			t.Errorf("%s: office has 1…%d", s.name, have[s.n.DeviceID()])
		}
	}
	slices.Sort(lat)
	p99 := lat[min(len(lat)-1, len(lat)*99/100)]
	t.Logf("%d laptops × %d households: %d revisions in %v = %.0f revisions/s; %d batches, latency p50 %v, p99 %v, max %v",
		laptops, per, total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(),
		len(lat), lat[len(lat)/2].Round(time.Millisecond), p99.Round(time.Millisecond), lat[len(lat)-1].Round(time.Millisecond))
}
