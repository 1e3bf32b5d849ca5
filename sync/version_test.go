package sync

import (
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/rasoat/rasoat/store"
)

// encodeInnerV1 is encodeInner as the releases before format version 2 wrote it (the payload
// DEFLATE-compressed), kept to make version 1 batches.
func encodeInnerV1(h *Header, revs []store.Revision, key ed25519.PrivateKey) ([]byte, error) {
	raw := encodePayload(revs)
	var z bytes.Buffer
	zw, err := flate.NewWriter(&z, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	h.Version = version1
	h.Count = len(revs)
	h.PayloadSize = int64(len(raw))
	sum := sha256.Sum256(z.Bytes())
	h.PayloadSHA256 = hex.EncodeToString(sum[:])
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	return frame(hb, z.Bytes(), key), nil
}

// sealV1 seals an inner form as a version 1 file (its first line says version 1).
func sealV1(inner []byte, to age.Recipient) ([]byte, error) {
	sealed, err := seal(inner, to)
	if err != nil {
		return nil, err
	}
	return append([]byte(firstLine(version1)), sealed[len(fileMagic):]...), nil
}

// TestFileMagic: the first line written is the one of Version.
func TestFileMagic(t *testing.T) {
	if fileMagic != firstLine(Version) {
		t.Fatalf("fileMagic %q, Version %d", fileMagic, Version)
	}
	for _, v := range []int{version1, version2} {
		if got, ok := fileVersion([]byte(firstLine(v) + "age")); got != v || !ok {
			t.Errorf("version %d: read %d, %v", v, got, ok)
		}
	}
	for _, line := range []string{"rasoat-sync-batch/3\n", "rasoat-sync-batch/12\n", "rasoat-sync-batch/1", "rasoat-sync-batch/2 \n"} {
		if v, ok := fileVersion([]byte(line)); ok {
			t.Errorf("%q read as version %d", line, v)
		}
	}
}

// frozenV1Identity decrypts testdata/batch-v1.rsb: an up-batch of the three fuzzRevisions
// that the release before format version 2 wrote (encodeInner and seal of then, signed with
// fuzzKey), kept as it was written.
const frozenV1Identity = "AGE-SECRET-KEY-18TJ656A07QHNUHV335DK96NXFAM25R7MZT3EXH4K4KR427GCAAVSLXG3ZQ"

// TestReadFrozenV1: a batch file of format version 1 as the earlier release wrote it reads.
func TestReadFrozenV1(t *testing.T) {
	file := readFile(t, filepath.Join("testdata", "batch-v1.rsb"))
	id, err := age.ParseX25519Identity(frozenV1Identity)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := fileVersion(file); v != version1 || !ok {
		t.Fatalf("first line: version %d", v)
	}
	inner, err := unseal(file, id, Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	b, err := decodeInner(inner, Limits{}.withDefaults(), fuzzPub)
	if err != nil {
		t.Fatal(err)
	}
	h := b.Header
	if h.Version != version1 || h.Kind != KindUp || h.ID != "frozen-v1" || h.WardName != "Phường Thử" || h.Have["dev-f"] != 3 || len(b.Revisions) != 3 {
		t.Fatalf("header %+v, %d revisions", h, len(b.Revisions))
	}
	for i, r := range b.Revisions {
		if r.ID != "r"+string(rune('a'+i)) || r.Device != "dev-f" || r.Seq != uint64(i+1) || r.Author != "ĐTV" ||
			r.Status != store.StatusDraft || r.Parent != "p" || len(r.Merged) != 1 || r.Merged[0] != "m1" ||
			r.Comment != "ghi chú" || r.Deleted || r.Hash != hashHex(r.Record) || !bytes.Contains(r.Record, []byte(r.HouseholdID)) ||
			!r.Time.Equal(time.Date(2026, 9, 16, 10, 0, i, 0, time.UTC)) {
			t.Errorf("revision %d: %+v", i, r)
		}
	}
}

// TestImportV1: the office imports version 1 batches of a laptop not yet updated, also one
// that waits for the batch before it (kept in the store as it came) and applies after it.
func TestImportV1(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	a.households(t, 5, 31)
	revs, err := a.n.unacked()
	if err != nil || len(revs) != 5 {
		t.Fatal(len(revs), err)
	}
	first := forgeAs(t, a, revs[:2], nil, nil, version1)
	second := forgeAs(t, a, revs[2:], nil, nil, version1)
	if v, _ := fileVersion(first); v != version1 {
		t.Fatalf("forged as version %d", v)
	}
	res, err := office.n.Import(second)
	if err != nil || !res.Pending {
		t.Fatalf("the later batch: %+v, %v", res, err)
	}
	res, err = office.n.Import(first)
	if err != nil || res.Added != 5 || res.Released != 1 {
		t.Fatalf("the earlier batch: %+v, %v", res, err)
	}
	sameRevisions(t, "office", office.revisions(t), a.revisions(t))
}

// reframe returns inner (signed with fuzzKey) with its header and payload changed by edit,
// the payload hash made right and signed again: what a sender with a valid key can send.
func reframe(t testing.TB, inner []byte, edit func(h *Header, payload []byte) []byte) []byte {
	t.Helper()
	p, err := parseInner(inner)
	if err != nil {
		t.Fatal(err)
	}
	payload := edit(&p.hdr, bytes.Clone(p.payload))
	sum := sha256.Sum256(payload)
	p.hdr.PayloadSHA256 = hex.EncodeToString(sum[:])
	hb, err := json.Marshal(&p.hdr)
	if err != nil {
		t.Fatal(err)
	}
	return frame(hb, payload, fuzzKey)
}

// rleFrame is a Zstandard frame of n RLE blocks of 128 KiB of 'x', with window 2^windowLog,
// stating the content size fcs (none when negative).
func rleFrame(n int, fcs int64, windowLog int) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 0xFD2FB528)
	if fcs >= 0 {
		b = append(b, 3<<6, byte(windowLog-10)<<3) // 8 bytes of content size; window
		b = binary.LittleEndian.AppendUint64(b, uint64(fcs))
	} else {
		b = append(b, 0, byte(windowLog-10)<<3)
	}
	for i := range n {
		h := uint32(maxZstdBlock)<<3 | 1<<1 // RLE
		if i == n-1 {
			h |= 1 // last
		}
		b = append(b, byte(h), byte(h>>8), byte(h>>16), 'x')
	}
	return b
}

// TestHostilePayload: a payload that decompresses to more or less than its header states, or
// is not what its version says, is refused; a Zstandard frame that would decompress to far
// more allocates no more than the stated size and one block.
func TestHostilePayload(t *testing.T) {
	revs := fuzzRevisions()
	ranges, _ := rangesOf(revs)
	lim := Limits{}.withDefaults()
	pub := fuzzPub
	good := map[int][]byte{}
	for v, encode := range map[int]func(*Header, []store.Revision, ed25519.PrivateKey) ([]byte, error){version1: encodeInnerV1, version2: encodeInner} {
		h := Header{Kind: KindUp, Ward: "w", From: "dev-f", To: "office", Ranges: ranges}
		inner, err := encode(&h, revs, fuzzKey)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeInner(inner, lim, pub); err != nil {
			t.Fatalf("version %d: %v", v, err)
		}
		good[v] = inner
	}
	const mib = 1 << 20
	for _, tc := range []struct {
		name   string
		v      int
		edit   func(h *Header, payload []byte) []byte
		detail string
	}{
		{"stated one byte more", version2, func(h *Header, p []byte) []byte { h.PayloadSize++; return p }, "shorter"},
		{"stated one byte less", version2, func(h *Header, p []byte) []byte { h.PayloadSize--; return p }, "longer"},
		{"stated one byte more, version 1", version1, func(h *Header, p []byte) []byte { h.PayloadSize++; return p }, "shorter"},
		{"stated one byte less, version 1", version1, func(h *Header, p []byte) []byte { h.PayloadSize--; return p }, "longer"},
		{"version 1 payload said to be version 2", version1, func(h *Header, p []byte) []byte { h.Version = version2; return p }, "cannot be decompressed"},
		{"version 2 payload said to be version 1", version2, func(h *Header, p []byte) []byte { h.Version = version1; return p }, "cannot be decompressed"},
		{"two frames", version2, func(h *Header, p []byte) []byte { h.PayloadSize *= 2; return append(p, p...) }, "cannot be decompressed"},
		{"a byte after the frame", version2, func(h *Header, p []byte) []byte { return append(p, 0) }, "cannot be decompressed"},
		{"frame cut short", version2, func(h *Header, p []byte) []byte { return p[:len(p)-1] }, "cannot be decompressed"},
		{"skippable frame", version2, func(h *Header, p []byte) []byte {
			return append(binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 0x184D2A50), 0), p...)
		}, "cannot be decompressed"},
		{"100 MiB stated as 1 MiB", version2, func(h *Header, p []byte) []byte { h.PayloadSize = mib; return rleFrame(800, mib, 17) }, "longer"},
		{"100 MiB, no size stated", version2, func(h *Header, p []byte) []byte { h.PayloadSize = mib; return rleFrame(800, -1, 17) }, "cannot be decompressed"},
		{"100 MiB in a second frame", version2, func(h *Header, p []byte) []byte {
			h.PayloadSize = mib
			return append(rleFrame(8, mib, 17), rleFrame(800, -1, 17)...)
		}, "cannot be decompressed"},
		{"frame states 1 GiB", version2, func(h *Header, p []byte) []byte { h.PayloadSize = mib; return rleFrame(8, 1<<30, 17) }, "longer"},
		{"window of 1 GiB", version2, func(h *Header, p []byte) []byte { h.PayloadSize = mib; return rleFrame(8, mib, 30) }, "cannot be decompressed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := reframe(t, good[tc.v], tc.edit)
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			_, err := decodeInner(bad, lim, pub)
			runtime.ReadMemStats(&m1)
			if !errors.Is(err, ErrTampered) || !strings.Contains(store.Message(err, "en"), tc.detail) {
				t.Fatalf("got %v, want %q", err, tc.detail)
			}
			if vi, en := store.Message(err, "vi"), store.Message(err, "en"); vi == en {
				t.Errorf("one language: %q", vi)
			}
			if a := m1.TotalAlloc - m0.TotalAlloc; a > mib+mib/2 {
				t.Errorf("%d KiB allocated", a>>10)
			}
		})
	}
	// the well-formed frame of 1 MiB the hostile ones are made from decodes
	if _, err := decompressPayload(version2, rleFrame(8, mib, 17), mib, lim); err != nil {
		t.Fatal(err)
	}
}

// TestCompressSizes: payloads of every size around the encoder's thresholds (content size left
// out, single segment, window) decompress as they were.
func TestCompressSizes(t *testing.T) {
	lim := Limits{}.withDefaults()
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 255, 256, 257, 1023, 1024, 1025, 65791, 65792, 128 << 10, zstdWindow - 1, zstdWindow, zstdWindow + 1, 2*zstdWindow + 12345} {
		raw := make([]byte, n)
		for i := range raw {
			raw[i] = "ab"[r.IntN(2)] // compresses, but not to nothing
		}
		z, err := compressPayload(raw)
		if err != nil {
			t.Fatal(err)
		}
		out, err := decompressPayload(version2, z, int64(n), lim)
		if err != nil || !bytes.Equal(out, raw) {
			t.Fatalf("%d bytes (%d compressed): %v", n, len(z), err)
		}
	}
}

// BenchmarkDecodeInner1000 decodes the inner form of a batch of 1,000 households in either
// version (signature, payload hash, decompression, revisions, records' hashes): the part of an
// import before the store.
func BenchmarkDecodeInner1000(b *testing.B) {
	_, revs, _, _ := benchBatch(b, 1000)
	ranges, _ := rangesOf(revs)
	lim := Limits{}.withDefaults()
	pub := fuzzPub
	for _, v := range []int{version1, version2} {
		encode := encodeInner
		if v == version1 {
			encode = encodeInnerV1
		}
		h := Header{Kind: KindUp, Ward: "w", From: "dev-f", To: "office", Ranges: ranges}
		inner, err := encode(&h, revs, fuzzKey)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("version %d", v), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeInner(inner, lim, pub); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
