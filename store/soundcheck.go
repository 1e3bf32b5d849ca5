package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// CheckSound is the quick check made before every automatic backup (and after a manual one):
// the file is as long as its pages say, its tree of pages is sound (checkPages), and every
// record decrypts and has the hash it is stored under. That is what no program can rebuild;
// the derived buckets (indexes, current states) are left to Verify, and Reindex rebuilds
// them. The error is nil, or ErrCorrupt naming the file and the first problems.
//
// On a ward of 10,000 households it reads the whole file once, as the backup itself does;
// BenchmarkCheckSound10k measures it.
func (s *Store) CheckSound() error {
	var vi, en []string // the first problems
	n := 0
	add := func(v, e string, args ...any) {
		if n++; n <= 3 {
			vi, en = append(vi, fmt.Sprintf(v, args...)), append(en, fmt.Sprintf(e, args...))
		}
	}
	err := s.view(func(tx *bolt.Tx) error {
		if err := checkLength(tx); err != nil {
			return err
		}
		if err := checkPages(tx); err != nil {
			var p *pageProblem
			if !errors.As(err, &p) {
				return err
			}
			add("%s", "%s", p.vi)
			en[0] = p.en
			return nil
		}
		t, err := s.txn(tx)
		if err != nil {
			return err
		}
		return t.blobs.ForEach(func(k, v []byte) error {
			p, err := openValue(t.kr, ctxBlob, k, v)
			var h [32]byte
			copy(h[:], k)
			switch {
			case err != nil:
				add("nội dung %x không giải mã được", "record %x cannot be decrypted", k[:min(len(k), 6)])
			case len(k) != 32 || sha256.Sum256(p) != h:
				add("nội dung %x không khớp mã băm", "record %x does not match its hash", k[:min(len(k), 6)])
			}
			return nil
		})
	})
	if err != nil {
		return withPath(err, s.path)
	}
	if n == 0 {
		return nil
	}
	return &detailed{kind: ErrCorrupt,
		vi: fmt.Sprintf("%s: %d lỗi (%s)", s.path, n, strings.Join(vi, "; ")),
		en: fmt.Sprintf("%s: %d problem(s) (%s)", s.path, n, strings.Join(en, "; "))}
}

// refuseBackup is the error of an automatic backup refused on a damaged database.
func refuseBackup(err error) error {
	vi, en := Message(err, "vi"), Message(err, "en")
	var d *detailed
	if errors.As(err, &d) {
		vi, en = d.vi, d.en
	}
	return &detailed{kind: ErrCorrupt,
		vi: vi + "; không sao lưu tự động và không nhập gì, các bản sao lưu đã có được giữ nguyên; hãy chạy kiểm tra (rasoatctl verify)",
		en: en + "; no automatic backup was made and nothing was imported, the backups there are kept; run a check (rasoatctl verify)"}
}
