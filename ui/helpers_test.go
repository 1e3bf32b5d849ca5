package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

func TestMain(m *testing.M) {
	if err := SetLanguage("vi"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

// testNow is the clock of the tests: during the 2026 periodic review, like the demo ward.
var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)

// newStore makes a real database in a temporary directory, set up as a field laptop of the
// demo ward, holding n demo households (complete).
func newStore(t testing.TB, n int, ward demo.Ward) *store.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rasoat.db")
	db, err := store.Create(path, store.Meta{Role: store.RoleField, Ward: ward.Name, Area: ward.Area,
		Surveyor: "Lê Văn Hiến", DeviceName: "test"}, store.Options{NoSync: true, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if n > 0 {
		var buf bytes.Buffer
		for _, r := range demo.Households(ward, n, 1) {
			buf.Write(household.Encode(r))
			buf.WriteByte('\n')
		}
		if _, err := db.Import(&buf, store.ImportOptions{Author: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// newApp starts the app on a test window over db.
func newApp(t testing.TB, db Store) *App {
	t.Helper()
	fa := test.NewTempApp(t)
	w := fa.NewWindow("")
	w.Resize(fyne.NewSize(1280, 800))
	a := New(fa, w, db, Options{Now: func() time.Time { return testNow }})
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	a.Wait()
	return a
}
