package store

import (
	"errors"
	"fmt"
	"strings"
)

// damaged is ErrCorrupt for the file at path whose structure bbolt could not read (a panic or a
// fault on a bad page, a bad meta page): the file is named, the runtime's text never shown.
func damaged(path string) error {
	return errorf(ErrCorrupt, nil, "%s (tệp bị cắt cụt hoặc cấu trúc tệp bị hỏng)",
		"%s (the file is truncated or its structure is damaged)", path)
}

// withPath returns err naming the file at path: a store error whose detail lacks the path gets
// it in front of its detail (in both languages); another error is prefixed with it.
func withPath(err error, path string) error {
	var d *detailed
	if !errors.As(err, &d) {
		return fmt.Errorf("%s: %w", path, err)
	}
	if strings.Contains(d.vi, path) {
		return err
	}
	c := *d
	c.vi, c.en = join(path, d.vi), join(path, d.en)
	return &c
}

func join(path, detail string) string {
	if detail == "" {
		return path
	}
	return path + ": " + detail
}
