package store

import (
	"bytes"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// bbolt splits a node only when the transaction commits, so a transaction that puts a great
// many keys in random order (an import of thousands of households: random ids, hashes and
// search words) spends its time moving the ever larger nodes in memory, and grows as the
// square of its size. Big transactions therefore write through a buffer: reads see the
// buffered writes, and flush applies them bucket by bucket in key order, where bbolt appends
// cheaply.

type bufOp struct {
	v   []byte
	del bool
}

type writeBuffer struct {
	ops     map[*bolt.Bucket]map[string]bufOp
	parents map[string]bool // parents of the buffered children keys, for hasChild
}

// buffer makes the transaction's writes go through a buffer until flush.
func (t *txn) buffer() {
	t.wb = &writeBuffer{ops: map[*bolt.Bucket]map[string]bufOp{}, parents: map[string]bool{}}
}

func (t *txn) get(b *bolt.Bucket, k []byte) []byte {
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
	m := t.wb.ops[b]
	if m == nil {
		m = map[string]bufOp{}
		t.wb.ops[b] = m
	}
	if v == nil {
		v = []byte{}
	}
	m[string(k)] = bufOp{v: v}
	if b == t.children {
		if i := bytes.IndexByte(k, 0); i >= 0 {
			t.wb.parents[string(k[:i])] = true
		}
	}
	return nil
}

func (t *txn) del(b *bolt.Bucket, k []byte) error {
	if t.wb == nil {
		return b.Delete(k)
	}
	m := t.wb.ops[b]
	if m == nil {
		m = map[string]bufOp{}
		t.wb.ops[b] = m
	}
	m[string(k)] = bufOp{del: true}
	return nil
}

// flush applies the buffered writes in key order and ends buffering.
func (t *txn) flush() error {
	wb := t.wb
	t.wb = nil
	if wb == nil {
		return nil
	}
	for b, m := range wb.ops {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			var err error
			if op := m[k]; op.del {
				err = b.Delete([]byte(k))
			} else {
				err = b.Put([]byte(k), op.v)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}
