package store

import (
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestMigrationKeepsABackup: a database of an older schema is copied beside itself, still in
// its old schema, before it is migrated.
func TestMigrationKeepsABackup(t *testing.T) {
	for v := 1; v < SchemaVersion; v++ {
		dir := t.TempDir()
		path := filepath.Join(dir, "old.db")
		copyFile(t, frozenPath(v, ".db"), path)
		s, err := Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		copies, _ := filepath.Glob(filepath.Join(dir, "old.before-schema-*.db"))
		if len(copies) != 1 {
			t.Fatalf("schema %d: backups %v, want one", v, copies)
		}
		db, err := bolt.Open(copies[0], 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		var schema uint64
		db.View(func(tx *bolt.Tx) error {
			if m := tx.Bucket(bMeta); m != nil {
				if b := m.Get(kSchema); len(b) == 8 {
					schema = beUint64(b)
				}
			}
			return nil
		})
		db.Close()
		if schema != uint64(v) {
			t.Errorf("the backup of schema %d holds schema %d", v, schema)
		}
		// Opening the migrated database again makes no new copy.
		s, err = Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if again, _ := filepath.Glob(filepath.Join(dir, "old.before-schema-*.db")); len(again) != 1 {
			t.Errorf("a second open made another backup: %v", again)
		}
	}
}
