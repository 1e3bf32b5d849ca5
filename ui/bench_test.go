package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// bigWard is a ward of 10,000 households in 40 residential groups.
var bigWard = demo.Ward{Name: "Phường Lớn (dữ liệu mẫu)", Area: household.AreaUrban, Groups: 40,
	SurveyDate: household.MustDate("2026-09-15"), Round: "2026-periodic", Surveyors: []string{"Lê Văn Hiến"}}

var (
	bigOnce sync.Once
	bigPath string
)

// bigStore is the path of a database of 10,000 households, made once per test binary.
func bigStore(b *testing.B) string {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rasoat-bench-")
		if err != nil {
			b.Fatal(err)
		}
		bigPath = filepath.Join(dir, "big.db")
		db, err := store.Create(bigPath, store.Meta{Role: store.RoleField, Ward: bigWard.Name, Area: bigWard.Area,
			Surveyor: "Lê Văn Hiến"}, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		for _, r := range demo.Households(bigWard, 10_000, 7) {
			buf.Write(household.Encode(r))
			buf.WriteByte('\n')
		}
		if _, err := db.Import(&buf, store.ImportOptions{Author: "bench"}); err != nil {
			b.Fatal(err)
		}
		db.Close()
	})
	if bigPath == "" {
		b.Fatal("no benchmark database")
	}
	return bigPath
}

func removeBigStore() {
	if bigPath != "" {
		os.RemoveAll(filepath.Dir(bigPath))
	}
}

// BenchmarkStartupHome10k measures launch to a usable home screen over 10,000 households:
// opening the database, reading the settings, loading the groups with their progress and the
// first group's households, building the screen and showing the rows.
func BenchmarkStartupHome10k(b *testing.B) {
	path := bigStore(b)
	fa := test.NewTempApp(b)
	b.ResetTimer()
	for b.Loop() {
		db, err := store.Open(path, store.Options{Timeout: time.Second})
		if err != nil {
			b.Fatal(err)
		}
		w := fa.NewWindow("")
		w.Resize(fyne.NewSize(1280, 800))
		a := New(fa, w, db, Options{Now: func() time.Time { return testNow }})
		q := &uiQueue{}
		a.post = q.add
		queues.Store(a, q)
		if err := a.Start(); err != nil {
			b.Fatal(err)
		}
		a.Wait()
		if a.Screen() != "home" || len(a.home.rows) != 250 || len(a.home.view.Groups) != 40 {
			b.Fatalf("home not ready: %s, %d rows, %d groups", a.Screen(), len(a.home.rows), len(a.home.view.Groups))
		}
		w.Close()
		db.Close()
		queues.Delete(a)
	}
}

// BenchmarkSearchKeystroke10k measures one keystroke in the search box over 10,000
// households: the search and the list showing its results.
func BenchmarkSearchKeystroke10k(b *testing.B) {
	db, err := store.Open(bigStore(b), store.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	a := newApp(b, db)
	query := []rune("nguyen van an")
	i := 0
	b.ResetTimer()
	for b.Loop() {
		if i == len(query) {
			a.home.search.SetText("")
			i = 0
		}
		test.Type(a.home.search, string(query[i]))
		i++
		a.Wait()
		if a.home.query != strings.TrimSpace(string(query[:i])) {
			b.Fatalf("query %q", a.home.query)
		}
	}
}

// BenchmarkOpenHousehold10k measures opening a household's form with its preview.
func BenchmarkOpenHousehold10k(b *testing.B) {
	db, err := store.Open(bigStore(b), store.Options{Timeout: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	a := newApp(b, db)
	id := a.home.rows[17].ID
	b.ResetTimer()
	for b.Loop() {
		a.ShowHousehold(id)
		a.Wait()
		if a.form.preview.class.Text == "" {
			b.Fatal("no class in the preview")
		}
	}
}
