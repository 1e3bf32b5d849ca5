package store

import (
	"crypto/sha256"
	"strings"
)

// damagedRecords collects the households whose record no longer matches its hash while
// Export reads them: their lines are left out, and Export then fails naming them, so that
// nothing damaged is exported and the rest can still be saved.
type damagedRecords struct {
	ids  []string
	seen map[string]bool
}

// bad reports whether the record b of household id is not the one of hash h, noting id.
func (d *damagedRecords) bad(id string, h [32]byte, b []byte) bool {
	if sha256.Sum256(b) == h {
		return false
	}
	if !d.seen[id] {
		if d.seen == nil {
			d.seen = map[string]bool{}
		}
		d.seen[id] = true
		d.ids = append(d.ids, id)
	}
	return true
}

// err is ErrCorrupt naming the households left out, or nil.
func (d *damagedRecords) err(path string) error {
	if len(d.ids) == 0 {
		return nil
	}
	list := d.ids
	more := ""
	if len(list) > 10 {
		list, more = list[:10], ", …"
	}
	ids := strings.Join(list, ", ") + more
	return errorf(ErrCorrupt, nil,
		"%s: nội dung phiếu của %d hộ không khớp mã băm (bị hỏng) nên không được xuất: %s",
		"%s: the record of %d household(s) does not match its hash (damaged) and was not exported: %s",
		path, len(d.ids), ids)
}
