package main

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/store"
	"github.com/rasoat/rasoat/ui"
)

// TestNewDatabaseIsSeeded: a database that does not exist is created with the demo ward, and
// the first-run setup is still to be done.
func TestNewDatabaseIsSeeded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "rasoat.db")
	db, err := openDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	list, err := db.List()
	if err != nil || len(list) != 40 {
		t.Fatalf("%d demo households (%v), want 40", len(list), err)
	}
	for _, s := range list {
		if s.Status != store.StatusComplete {
			t.Fatalf("demo household %s is %s", s.ID, s.Status)
		}
	}
	m, _ := db.Meta()
	if m.Ward != demo.DefaultWard.Name || m.Area != demo.DefaultWard.Area || m.Role != store.RoleField {
		t.Errorf("meta %+v", m)
	}
	if !ui.NeedsSetup(m) {
		t.Error("the first-run setup should still be offered (no surveyor yet)")
	}
}

// TestSecondCopyIsRefused: a second copy of the app on the same database gets ErrLocked, which
// main shows in a window and on stderr, instead of waiting forever.
func TestSecondCopyIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rasoat.db")
	db, err := openDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Now()
	_, err = openDB(path)
	if !errors.Is(err, store.ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refused after %v", d)
	}
	if msg := store.Message(err, "vi"); msg == "" {
		t.Error("no message for the user")
	}
	// Reopening after the first copy closed works and does not seed again.
	db.Close()
	db2, err := openDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if list, _ := db2.List(); len(list) != 40 {
		t.Errorf("%d households after reopening", len(list))
	}
}
