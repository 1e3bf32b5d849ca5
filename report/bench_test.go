package report

import (
	"path/filepath"
	"testing"
)

// BenchmarkEverything10k makes every list (CSV, XLSX, posting PDFs) and the summary reports of a
// 10,000-household ward; the target is under 2 seconds.
func BenchmarkEverything10k(b *testing.B) {
	rows := classified(b, 10_000)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		ls := Build("Phường Demo", rows)
		if _, err := WriteDir(dir, ls, Formats{CSV: true, XLSX: true, PDF: true}, "vi"); err != nil {
			b.Fatal(err)
		}
		if err := WriteReportsFile(filepath.Join(dir, "bao-cao.xlsx"), "Phường Demo", rows, "vi"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReportsOnly10k(b *testing.B) {
	rows := classified(b, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		Reports("Phường Demo", rows, "vi")
	}
}
