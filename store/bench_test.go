package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
)

// Benchmarks of the figures:
//
//	go test ./store -run '^$' -bench . -benchtime 3x
//
// Import and the raw reference sync to disk as the app does; the read benchmarks use a ward
// of 20,000 households in 40 residential groups of 500.

var bench10k = sync.OnceValue(func() []byte { return jsonl(households(10_000, 1)) })

func BenchmarkImport10k(b *testing.B) {
	data := bench10k()
	dir := b.TempDir()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		s, err := Create(filepath.Join(dir, fmt.Sprintf("import-%d.db", i)), Meta{Ward: "W"}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := s.Import(bytes.NewReader(data), ImportOptions{Author: "bench"})
		if err != nil || rep.Added != 10_000 {
			b.Fatal(rep.Added, err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/10_000, "µs/household")
}

// BenchmarkImportRawReference writes the same lines into bbolt in one transaction, keyed by
// line number, with the store's bbolt options: the physical floor an import cannot beat.
func BenchmarkImportRawReference(b *testing.B) {
	data := bench10k()
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	dir := b.TempDir()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	i := 0
	for b.Loop() {
		b.StopTimer()
		i++
		db, err := bolt.Open(filepath.Join(dir, fmt.Sprintf("raw-%d.db", i)), 0o600, Options{}.boltOptions())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		err = db.Update(func(tx *bolt.Tx) error {
			bk, err := tx.CreateBucket([]byte("raw"))
			if err != nil {
				return err
			}
			for n, l := range lines {
				if err := bk.Put(u64(uint64(n+1)), l); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/10_000, "µs/household")
}

var (
	wardOnce  sync.Once
	wardStore *Store
	wardDir   string
)

// benchWard is a store of 20,000 households in 40 groups of 500, made once.
func benchWard(b *testing.B) *Store {
	wardOnce.Do(func() {
		w := demo.DefaultWard
		w.Groups = 40
		recs := demo.Households(w, 20_000, 2)
		var err error
		if wardDir, err = os.MkdirTemp("", "rasoat-bench"); err != nil {
			b.Fatal(err)
		}
		wardStore, err = Create(filepath.Join(wardDir, "ward.db"), Meta{Ward: w.Name}, Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := wardStore.Import(bytes.NewReader(jsonl(recs)), ImportOptions{}); err != nil {
			b.Fatal(err)
		}
	})
	if wardStore == nil {
		b.Fatal("no ward store")
	}
	return wardStore
}

func closeBenchWard() {
	if wardStore != nil {
		wardStore.Close()
		os.RemoveAll(wardDir)
	}
}

func BenchmarkSearch20k(b *testing.B) {
	s := benchWard(b)
	for _, q := range []string{"nguyen thi mui", "Nguyễn Thị Mùi", "le van h", "tran thi huong", "so 12 nguyen hue", "dang", "t", "giang a"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				res, err := s.Search(q, 100)
				if err != nil {
					b.Fatal(err)
				}
				n = len(res)
			}
			b.ReportMetric(float64(n), "results")
		})
	}
	// every result, not the first 100
	for _, q := range []string{"nguyen thi mui", "nguyen"} {
		b.Run(q+" (all)", func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				res, err := s.Search(q, 0)
				if err != nil {
					b.Fatal(err)
				}
				n = len(res)
			}
			b.ReportMetric(float64(n), "results")
		})
	}
}

func BenchmarkListGroup500(b *testing.B) {
	s := benchWard(b)
	b.ReportAllocs()
	for b.Loop() {
		l, err := s.ListGroup("Tổ 07")
		if err != nil || len(l) != 500 {
			b.Fatal(len(l), err)
		}
	}
}

func BenchmarkGroups20k(b *testing.B) {
	s := benchWard(b)
	b.ReportAllocs()
	for b.Loop() {
		g, err := s.Groups()
		if err != nil || len(g) != 40 {
			b.Fatal(len(g), err)
		}
	}
}

func BenchmarkSaveDraft(b *testing.B) {
	s := benchWard(b)
	recs := demo.Households(demo.DefaultWard, 1, 3)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		r := recs[0].Clone()
		r.Income.Value = int64(i)
		if _, err := s.SaveDraft(r, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBytesPerHousehold measures the disk used by 2,000 households with 3 revisions each
// (a draft, an edited draft, complete): the file as bbolt leaves it, the pages in use, and a
// compacted copy.
func BenchmarkBytesPerHousehold(b *testing.B) {
	const n = 2000
	recs := households(n, 4)
	edited := make([]*household.Record, n)
	for i, r := range recs {
		e := r.Clone()
		e.Address += ", sửa"
		e.Income.Value += 1000
		edited[i] = e
	}
	var recordBytes int
	for _, r := range recs {
		recordBytes += len(household.Encode(r))
	}
	dir := b.TempDir()
	var file, used, compact int64
	i := 0
	for b.Loop() {
		i++
		path := filepath.Join(dir, fmt.Sprintf("size-%d.db", i))
		s, err := Create(path, Meta{Ward: "W"}, Options{NoSync: true, Now: time.Now})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Import(bytes.NewReader(jsonl(recs)), ImportOptions{Status: StatusDraft}); err != nil {
			b.Fatal(err)
		}
		if _, err := s.Import(bytes.NewReader(jsonl(edited)), ImportOptions{Status: StatusDraft}); err != nil {
			b.Fatal(err)
		}
		for _, r := range edited {
			if _, err := s.MarkComplete(r.ID, "bench"); err != nil {
				b.Fatal(err)
			}
		}
		s.view(func(tx *bolt.Tx) error { used = tx.Size(); return nil })
		if err := s.Compact(path + ".compact"); err != nil {
			b.Fatal(err)
		}
		s.Close()
		fi, _ := os.Stat(path)
		file = fi.Size()
		fc, _ := os.Stat(path + ".compact")
		compact = fc.Size()
		if c, err := Open(path+".compact", Options{}); err == nil {
			c.view(func(tx *bolt.Tx) error { compact = tx.Size(); return nil })
			c.Close()
		}
	}
	b.ReportMetric(float64(recordBytes)/n, "record-bytes/household")
	b.ReportMetric(float64(file)/n, "file-bytes/household")
	b.ReportMetric(float64(used)/n, "used-bytes/household")
	b.ReportMetric(float64(compact)/n, "compacted-bytes/household")
}
