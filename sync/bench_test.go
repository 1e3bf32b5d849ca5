package sync

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"runtime"
	gosync "sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// benchBatch makes a laptop with n households and its one sealed up-batch of them, and an
// office database file (enrolled, empty of households) to copy for each import.
func benchBatch(b testing.TB, n int) (batch []byte, revs []store.Revision, officeTemplate string, w *world) {
	b.Helper()
	w = newWorld(b)
	w.opts.BatchRevisions = n
	office := w.newDiskOffice()
	a := w.newLaptop("a", "")
	a.households(b, n, 77)
	revs, err := a.n.unacked()
	if err != nil || len(revs) != n {
		b.Fatal(len(revs), err)
	}
	p, k, err := a.n.laptop()
	if err != nil {
		b.Fatal(err)
	}
	if batch, err = a.n.upBatch(p, k, revs, nil); err != nil {
		b.Fatal(err)
	}
	office.st.Close()
	return batch, revs, office.path, w
}

func copyFile(b testing.TB, from, to string) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkOfficeImport1000 imports one batch of 1,000 households into the office (decrypt,
// verify, decode, store with indexes; fsync on), and in the same run writes the same revision
// bytes raw into a fresh bbolt file in one transaction (fsync on, the store's bbolt options).
// ns/op is the import; raw-ns/op the raw write; raw/import is their ratio (1 would be as fast
// as raw bbolt). check-ns/op is the least the store's checks of the records cost, on every
// processor: each record's hash, decoding and canonical form, nothing else; raw/(raw+check)
// is the ratio an import that did only the raw write and those checks would reach.
func BenchmarkOfficeImport1000(b *testing.B) {
	const n = 1000
	batch, revs, template, w := benchBatch(b, n)
	values := make([][]byte, n)
	for i := range revs {
		values[i] = encodePayload(revs[i : i+1])
	}
	var raw, check time.Duration
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		i++
		path := filepath.Join(w.dir, "import.db")
		os.Remove(path)
		copyFile(b, template, path)
		st, err := store.Open(path, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		node, err := New(st, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := node.Import(batch)
		b.StopTimer()
		if err != nil || res.Added != n {
			b.Fatalf("added %d: %v", res.Added, err)
		}
		st.Close()

		rawPath := filepath.Join(w.dir, "raw.db")
		os.Remove(rawPath)
		// the options the store opens its files with
		db, err := bolt.Open(rawPath, 0o600, &bolt.Options{InitialMmapSize: 1 << 30})
		if err != nil {
			b.Fatal(err)
		}
		db.AllocSize = 1 << 20
		t0 := time.Now()
		err = db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucket([]byte("revisions"))
			if err != nil {
				return err
			}
			for j := range revs {
				if err := bk.Put([]byte(revs[j].ID), values[j]); err != nil {
					return err
				}
			}
			return nil
		})
		raw += time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
		t0 = time.Now()
		checkRecords(b, revs)
		check += time.Since(t0)
		b.StartTimer()
	}
	b.StopTimer()
	importNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	rawNs := float64(raw.Nanoseconds()) / float64(b.N)
	checkNs := float64(check.Nanoseconds()) / float64(b.N)
	b.ReportMetric(rawNs, "raw-ns/op")
	b.ReportMetric(rawNs/importNs, "raw/import")
	b.ReportMetric(checkNs, "check-ns/op")
	b.ReportMetric(rawNs/(rawNs+checkNs), "raw/(raw+check)")
	b.ReportMetric(float64(len(batch))/n, "bytes/household")
}

// checkRecords does to the records what the store's checks do, split over every processor:
// the hash, the decoding and the canonical form of each.
func checkRecords(b *testing.B, revs []store.Revision) {
	var wg gosync.WaitGroup
	n := runtime.GOMAXPROCS(0)
	for w := range n {
		wg.Go(func() {
			buf := make([]byte, 0, 4096)
			for i := w; i < len(revs); i += n {
				r := revs[i].Record
				sum := sha256.Sum256(r)
				rec, ps := household.Decode(r)
				buf = household.AppendRecord(buf[:0], rec)
				if len(ps) > 0 || !bytes.Equal(buf, r) || hex.EncodeToString(sum[:]) != revs[i].Hash {
					b.Error("a record does not pass the checks")
				}
			}
		})
	}
	wg.Wait()
}

// BenchmarkBatchBytes makes a sealed batch of 1,000 households (compress, sign, encrypt) and
// reports its size per household.
func BenchmarkBatchBytes(b *testing.B) {
	const n = 1000
	_, revs, _, w := benchBatch(b, n)
	raw := 0
	for _, r := range revs {
		raw += len(r.Record)
	}
	key := newKey(b)
	var size int
	b.ReportAllocs()
	for b.Loop() {
		ranges, _ := rangesOf(revs)
		h := Header{Kind: KindUp, Ward: "w", From: "dev-a", To: "office", Ranges: ranges}
		inner, err := encodeInner(&h, revs, key)
		if err != nil {
			b.Fatal(err)
		}
		sealed, err := seal(inner, w.office.n.recipient(b))
		if err != nil {
			b.Fatal(err)
		}
		size = len(sealed)
	}
	b.ReportMetric(float64(size)/n, "bytes/household")
	b.ReportMetric(float64(raw)/n, "record-bytes/household")
}
