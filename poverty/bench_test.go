package poverty

import (
	"testing"

	"github.com/rasoat/rasoat/demo"
)

// BenchmarkClassify measures the classifier alone (no decoding): the target is at least
// 1,000,000 households per second on one core.
func BenchmarkClassify(b *testing.B) {
	hs := demo.Households(demo.DefaultWard, 1024, 1)
	s := std(b, "2022-2025")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := Classify(hs[i&1023], s); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "households/s")
}

func BenchmarkExplain(b *testing.B) {
	hs := demo.Households(demo.DefaultWard, 1024, 1)
	s := std(b, "2022-2025")
	res := make([]Result, len(hs))
	for i, h := range hs {
		res[i], _ = Classify(h, s)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Explain(hs[i&1023], &res[i&1023])
		i++
	}
}
