package store

import (
	"bytes"
	"encoding/binary"
	"runtime"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// bbolt splits a node only when the transaction commits, so a transaction that puts a great
// many keys in random order (an import of thousands of households: random ids and hashes) spends its time moving the ever larger nodes in memory, and grows as the
// square of its size. Big transactions therefore write through a buffer: reads see the
// buffered writes, and flush applies them bucket by bucket in key order, where bbolt appends
// cheaply.

type bufOp struct {
	v   []byte
	del bool
}

// logOp is an operation on a bucket that is only written; of two operations on one key the
// later one in the log wins.
type logOp struct {
	k, v []byte
	del  bool
}

type writeBuffer struct {
	ops     map[*bolt.Bucket]map[string]bufOp // buckets read back during the transaction
	logs    map[*bolt.Bucket]*opLog           // buckets only written: the index buckets
	parents map[string]bool                   // parents of the buffered children keys, for hasChild
}

// buffer makes the transaction's writes go through a buffer until flush.
func (t *txn) buffer() {
	t.wb = &writeBuffer{ops: map[*bolt.Bucket]map[string]bufOp{}, logs: map[*bolt.Bucket]*opLog{},
		parents: map[string]bool{}}
}

// readBack reports whether the write path reads a bucket with get, so that its buffered
// writes must be found by key; the others are only logged, which is cheaper.
func (t *txn) readBack(b *bolt.Bucket) bool {
	return b == t.current || b == t.byID || b == t.blobs || b == t.byDevice || b == t.meta
}

func (t *txn) get(b *bolt.Bucket, k []byte) []byte {
	if t.wb != nil && !t.readBack(b) {
		panic("store: get on a bucket that is only logged while buffering")
	}
	if t.wb != nil {
		if op, ok := t.wb.ops[b][string(k)]; ok {
			if op.del {
				return nil
			}
			return op.v
		}
	}
	return b.Get(k)
}

func (t *txn) put(b *bolt.Bucket, k, v []byte) error {
	if t.wb == nil {
		return b.Put(k, v)
	}
	if v == nil {
		v = []byte{}
	}
	if b == t.children {
		if i := bytes.IndexByte(k, 0); i >= 0 {
			t.wb.parents[string(k[:i])] = true
		}
	}
	if !t.readBack(b) {
		t.wb.log(b, logOp{k: k, v: v})
		return nil
	}
	m := t.wb.ops[b]
	if m == nil {
		m = map[string]bufOp{}
		t.wb.ops[b] = m
	}
	m[string(k)] = bufOp{v: v}
	return nil
}

func (t *txn) del(b *bolt.Bucket, k []byte) error {
	if t.wb == nil {
		return b.Delete(k)
	}
	if !t.readBack(b) {
		t.wb.log(b, logOp{k: k, del: true})
		return nil
	}
	m := t.wb.ops[b]
	if m == nil {
		m = map[string]bufOp{}
		t.wb.ops[b] = m
	}
	m[string(k)] = bufOp{del: true}
	return nil
}

// opLog is a log in blocks, so that it grows without copying.
type opLog struct {
	blocks [][]logOp
	n      int
}

const logBlock = 1024

func (l *opLog) add(op logOp) {
	if l.n%logBlock == 0 {
		l.blocks = append(l.blocks, make([]logOp, 0, logBlock))
	}
	b := &l.blocks[len(l.blocks)-1]
	*b = append(*b, op)
	l.n++
}

func (l *opLog) at(i int) *logOp { return &l.blocks[i/logBlock][i%logBlock] }

func (wb *writeBuffer) log(b *bolt.Bucket, op logOp) {
	l := wb.logs[b]
	if l == nil {
		l = &opLog{}
		wb.logs[b] = l
	}
	l.add(op)
}

// fill sets how full bbolt makes the pages of a bucket that flush writes. By default it
// splits a page in halves, which suits keys that come in any order over many transactions.
// Pages that no later key will fall into are better full: a bucket whose keys only ever grow
// (the order of arrival; each device's numbers) and a bucket that was empty, which flush fills
// in key order. A later transaction that adds a key to a full page splits it in halves as
// usual. Fewer pages are fewer bytes to write and sync.
func (t *txn) fill(b *bolt.Bucket) {
	if k, _ := b.Cursor().First(); b == t.order || b == t.byDevice || k == nil {
		b.FillPercent = 1
	}
}

// flush applies the buffered writes in key order and ends buffering. The buckets' writes are
// sorted on every processor, the largest first, while those already sorted are applied, the
// smallest first.
func (t *txn) flush() error {
	wb := t.wb
	t.wb = nil
	if wb == nil {
		return nil
	}
	type job struct {
		b     *bolt.Bucket
		log   *opLog           // a logged bucket,
		order []logRef         // in this order
		m     map[string]bufOp // or a bucket read back,
		keys  []string         // in this order
		n     int
		done  chan struct{}
	}
	var jobs []*job
	for b, log := range wb.logs {
		jobs = append(jobs, &job{b: b, log: log, n: log.n, done: make(chan struct{})})
	}
	for b, m := range wb.ops {
		jobs = append(jobs, &job{b: b, m: m, n: len(m), done: make(chan struct{})})
	}
	slices.SortFunc(jobs, func(x, y *job) int { return y.n - x.n })
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, j := range jobs {
		go func() {
			sem <- struct{}{}
			defer func() { <-sem; close(j.done) }()
			if j.log != nil {
				j.order = sortLog(nil, j.log)
				return
			}
			j.keys = make([]string, 0, len(j.m))
			for k := range j.m {
				j.keys = append(j.keys, k)
			}
			slices.Sort(j.keys)
		}()
	}
	var err error
	for i := len(jobs) - 1; i >= 0; i-- {
		j := jobs[i]
		<-j.done // every sort ends before flush returns
		if err != nil {
			continue
		}
		t.fill(j.b)
		for _, ref := range j.order {
			op := j.log.at(int(ref.i))
			if op.del {
				err = j.b.Delete(op.k)
			} else {
				err = j.b.Put(op.k, op.v)
			}
			if err != nil {
				break
			}
		}
		for _, k := range j.keys {
			if op := j.m[k]; op.del {
				err = j.b.Delete([]byte(k))
			} else {
				err = j.b.Put([]byte(k), op.v)
			}
			if err != nil {
				break
			}
		}
	}
	return err
}

// logRef is a log operation in the sort: the first 8 bytes of its key as a number (padded
// with zeros, so numbers sort as keys do) and its place in the log.
type logRef struct {
	pfx uint64
	i   int32
}

// sortLog returns the operations of a log in key order, and in log order for one key. Most
// comparisons are settled by the numbers, and only small references move. A long log is
// sorted in two halves at once, then merged.
func sortLog(order []logRef, log *opLog) []logRef {
	for i := range log.n {
		var p [8]byte
		copy(p[:], log.at(i).k)
		order = append(order, logRef{binary.BigEndian.Uint64(p[:]), int32(i)})
	}
	cmp := func(x, y logRef) int {
		if x.pfx != y.pfx {
			if x.pfx < y.pfx {
				return -1
			}
			return 1
		}
		if c := bytes.Compare(log.at(int(x.i)).k, log.at(int(y.i)).k); c != 0 {
			return c
		}
		return int(x.i - y.i)
	}
	if len(order) < 1<<15 || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(order, cmp)
		return order
	}
	a, b := order[:len(order)/2], order[len(order)/2:]
	done := make(chan struct{})
	go func() {
		slices.SortFunc(a, cmp)
		close(done)
	}()
	slices.SortFunc(b, cmp)
	<-done
	out := make([]logRef, 0, len(order))
	for len(a) > 0 && len(b) > 0 {
		if cmp(a[0], b[0]) <= 0 {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}
