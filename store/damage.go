package store

import (
	"errors"
	"fmt"
	"hash/fnv"
	"os"
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

// truncated returns ErrCorrupt naming the file at path when it is shorter than its newest valid
// meta page says, else nil. Open checks this before bbolt maps the file: bbolt would read the
// missing pages (its free list) and fault, and the file it opened would stay open and locked.
func truncated(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return nil // Open reports it
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil
	}
	var best struct{ txid, need uint64 }
	found := false
	read := func(at int64) (pageSize uint32) {
		var m [pageHeader + 64]byte
		if _, err := f.ReadAt(m[:], at); err != nil {
			return 0
		}
		b := m[pageHeader:]
		const magic, version = 0xED0CDAED, 2
		h := fnv.New64a()
		h.Write(b[:56])
		if ne.Uint32(b) != magic || ne.Uint32(b[4:]) != version || ne.Uint64(b[56:]) != h.Sum64() {
			return 0
		}
		ps, pgid, txid := ne.Uint32(b[8:]), ne.Uint64(b[40:]), ne.Uint64(b[48:])
		if !found || txid > best.txid {
			best.txid, best.need, found = txid, pgid*uint64(ps), true
		}
		return ps
	}
	ps := read(0)
	for _, size := range []uint32{ps, 4096, 8192, 16384, 32768, 65536} {
		if size != 0 && read(int64(size)) != 0 {
			break
		}
	}
	if found && uint64(fi.Size()) < best.need {
		return errorf(ErrCorrupt, nil, "%s (tệp bị cắt cụt: %d byte, cần %d)", "%s (the file is truncated: %d bytes, %d needed)",
			path, fi.Size(), best.need)
	}
	return nil
}
