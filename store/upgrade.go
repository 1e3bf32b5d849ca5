package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// backupBeforeMigrate keeps a copy of a database of an older schema, beside it, before this
// version migrates it: if the new version has to be taken back, the old one opens the copy.
// The copy is the raw file as it is (bbolt's consistent copy), not read through this version's
// checks, which an older schema would not pass. It returns the copy's path.
func (s *Store) backupBeforeMigrate(from int) (string, error) {
	base := strings.TrimSuffix(s.path, filepath.Ext(s.path))
	path := fmt.Sprintf("%s.before-schema-%d-%s.db", base, from, s.now().UTC().Format("20060102-150405"))
	err := s.toFile(path, func(tmp string) error {
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		err = s.db.View(func(tx *bolt.Tx) error {
			_, err := tx.WriteTo(f)
			return err
		})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		return "", errorf(ErrOpen, err, "không sao lưu được trước khi nâng cấp lược đồ %d", "cannot back up before migrating schema %d", from)
	}
	return path, nil
}
