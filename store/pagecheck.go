package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// checkPages walks the tree of pages of tx's snapshot, reading the file through its own handle
// (never the mapping, so that no read can fault), and reports the first damage to the
// structure it finds: a page out of the file, one referenced twice (a cycle), of the wrong
// type, or an element (key, value, child bucket) that does not lie inside its page.
//
// bbolt's own check (tx.Check) trusts that structure: it runs in a goroutine of its own, where a
// read past the end of the file is a fatal error of the runtime (SIGBUS) and a cycle overflows
// the stack; neither can be recovered. Verify therefore runs tx.Check only on a tree this walk
// found sound, on which every page and element tx.Check reads lies inside the file.
//
// The layout read here is bbolt's (go.etcd.io/bbolt/internal/common, native byte order):
//
//	page      id u64, flags u16, count u16, overflow u32, then count elements
//	branch    pos u32, ksize u32, pgid u64          (key at element+pos)
//	leaf      flags u32, pos u32, ksize u32, vsize u32 (key, then value, at element+pos)
//	bucket    root u64, sequence u64; root 0: an inline page follows in the value
func checkPages(tx *bolt.Tx) error {
	f, err := os.Open(tx.DB().Path())
	if err != nil {
		return err
	}
	defer f.Close()
	ps := uint64(tx.DB().Info().PageSize)
	w := &pageWalk{f: f, ps: ps, hwm: uint64(tx.Size()) / ps}
	w.seen = make([]bool, w.hwm)
	return w.page(uint64(tx.Cursor().Bucket().RootPage()), 0)
}

const (
	pageHeader   = 16
	pageElem     = 16
	branchFlag   = 0x01
	leafFlag     = 0x02
	bucketFlag   = 0x01
	bucketHeader = 16
	maxDepth     = 64 // of pages and buckets; a sound file is far shallower
)

var ne = binary.NativeEndian

type pageWalk struct {
	f    *os.File
	ps   uint64 // page size
	hwm  uint64 // pages in the snapshot
	seen []bool
}

// pageProblem is damage checkPages found, in both languages.
type pageProblem struct{ vi, en string }

func (p *pageProblem) Error() string { return p.vi + " / " + p.en }

func pageErr(id uint64, vi, en string, args ...any) error {
	args = append([]any{id}, args...)
	return &pageProblem{fmt.Sprintf("trang %d: "+vi, args...), fmt.Sprintf("page %d: "+en, args...)}
}

// page checks the page id and the tree under it.
func (w *pageWalk) page(id uint64, depth int) error {
	if depth > maxDepth {
		return pageErr(id, "cây quá sâu", "the tree is too deep")
	}
	if id < 2 || id >= w.hwm {
		return pageErr(id, "nằm ngoài tệp (%d trang)", "outside the file (%d pages)", w.hwm)
	}
	buf := make([]byte, w.ps)
	if _, err := w.f.ReadAt(buf, int64(id*w.ps)); err != nil {
		return pageErr(id, "không đọc được (%v)", "cannot be read (%v)", err)
	}
	head := buf[:pageHeader]
	if got := ne.Uint64(head); got != id {
		return pageErr(id, "mang số trang %d", "holds the number %d", got)
	}
	over := uint64(ne.Uint32(head[12:]))
	if over >= w.hwm-id {
		return pageErr(id, "%d trang tràn vượt quá cuối tệp", "its %d overflow pages pass the end of the file", over)
	}
	for i := id; i <= id+over; i++ {
		if w.seen[i] {
			return pageErr(i, "được tham chiếu hai lần", "is referenced twice")
		}
		w.seen[i] = true
	}
	if over > 0 {
		buf = append(buf, make([]byte, over*w.ps)...)
		if _, err := w.f.ReadAt(buf[w.ps:], int64((id+1)*w.ps)); err != nil {
			return pageErr(id, "không đọc được (%v)", "cannot be read (%v)", err)
		}
	}
	return w.elems(id, buf, depth)
}

// elems checks the elements of the page p (a page of the file, or an inline bucket's page in
// a value) and walks down to its children.
func (w *pageWalk) elems(id uint64, p []byte, depth int) error {
	if len(p) < pageHeader {
		return pageErr(id, "ngắn hơn phần đầu trang", "shorter than a page header")
	}
	flags, count := ne.Uint16(p[8:]), uint64(ne.Uint16(p[10:]))
	if flags != branchFlag && flags != leafFlag {
		return pageErr(id, "loại %#x không phải nhánh hay lá", "type %#x is neither branch nor leaf", flags)
	}
	if pageHeader+count*pageElem > uint64(len(p)) {
		return pageErr(id, "%d phần tử không vừa trang", "%d elements do not fit in the page", count)
	}
	for i := uint64(0); i < count; i++ {
		at := pageHeader + i*pageElem
		e := p[at : at+pageElem]
		if flags == branchFlag {
			pos, ksize := uint64(ne.Uint32(e)), uint64(ne.Uint32(e[4:]))
			if at+pos+ksize > uint64(len(p)) {
				return pageErr(id, "khóa của phần tử %d nằm ngoài trang", "the key of element %d lies outside the page", i)
			}
			if err := w.page(ne.Uint64(e[8:]), depth+1); err != nil {
				return err
			}
			continue
		}
		fl, pos, ksize, vsize := ne.Uint32(e), uint64(ne.Uint32(e[4:])), uint64(ne.Uint32(e[8:])), uint64(ne.Uint32(e[12:]))
		end := at + pos + ksize + vsize
		if end > uint64(len(p)) {
			return pageErr(id, "khóa hoặc giá trị của phần tử %d nằm ngoài trang", "the key or value of element %d lies outside the page", i)
		}
		if fl&bucketFlag == 0 {
			continue
		}
		v := p[at+pos+ksize : end]
		if len(v) < bucketHeader {
			return pageErr(id, "nhóm dữ liệu của phần tử %d quá ngắn", "the bucket of element %d is too short", i)
		}
		var err error
		if root := ne.Uint64(v); root != 0 {
			err = w.page(root, depth+1)
		} else {
			err = w.elems(id, v[bucketHeader:], depth+1)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkTree is checkPages then bbolt's own check, each problem once in rep.
func checkTree(tx *bolt.Tx, rep *VerifyReport) {
	if err := checkPages(tx); err != nil {
		var p *pageProblem
		if !errors.As(err, &p) {
			p = &pageProblem{err.Error(), err.Error()}
		}
		rep.Errors = append(rep.Errors, "tệp hỏng: "+p.vi+" / damaged file: "+p.en)
		return
	}
	for err := range tx.Check() {
		rep.add("tệp hỏng: %v", "damaged file: %v", err)
	}
}
