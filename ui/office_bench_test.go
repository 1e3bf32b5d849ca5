package ui

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/report"
	"github.com/rasoat/rasoat/store"
)

// BenchmarkOfficeLoad10k measures what every office screen with lists does over a ward of
// 10,000 households: reading every household from the database, classifying those on the
// lists, counting the dashboard's progress and making every list of the ward and its groups.
func BenchmarkOfficeLoad10k(b *testing.B) {
	db, err := store.Open(bigStore(b), store.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	reg := poverty.MustBuiltin()
	b.ResetTimer()
	for b.Loop() {
		v, err := loadOffice(db, reg, bigWard.Name)
		if err != nil || len(v.Rows) != 10_000 {
			b.Fatalf("%d rows: %v", len(v.Rows), err)
		}
	}
}

// BenchmarkOfficeListsAndReports10k is the whole of the office's work for the lists of a
// 10,000-household ward, from the database to the files: the load above, then every list
// workbook, every group's posting PDF and the official summary reports. The target is under
// 2 seconds.
func BenchmarkOfficeListsAndReports10k(b *testing.B) {
	db, err := store.Open(bigStore(b), store.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	reg := poverty.MustBuiltin()
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		v, err := loadOffice(db, reg, bigWard.Name)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := report.WriteDirParallel(dir, v.Lists, report.Formats{XLSX: true, PDF: true}, "vi", 0); err != nil {
			b.Fatal(err)
		}
		if err := report.WriteReportsFile(filepath.Join(dir, "bao-cao.xlsx"), v.Ward, v.Rows, "vi"); err != nil {
			b.Fatal(err)
		}
	}
}
