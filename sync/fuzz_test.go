package sync

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// fuzzRevisions are a few valid revisions for the seeds.
func fuzzRevisions() []store.Revision {
	var out []store.Revision
	for i, h := range demo.Households(demo.DefaultWard, 3, 5) {
		rec := household.Encode(h)
		out = append(out, store.Revision{ID: "r" + string(rune('a'+i)), HouseholdID: h.ID, Device: "dev-f",
			Seq: uint64(i + 1), Author: "ĐTV", Status: store.StatusDraft, Hash: hashHex(rec), Record: rec,
			Parent: "p", Merged: []string{"m1"}, Comment: "ghi chú",
			Time: time.Date(2026, 9, 16, 10, 0, i, 0, time.UTC)})
	}
	return out
}

var fuzzKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

// FuzzDecodeInner feeds the batch decoder (what age decrypts: framing, header, compressed
// payload, revisions) arbitrary bytes, seeded with batches of both versions it reads. The
// signature and the payload hash are checked by decodeInner, so after it the fuzzer drives
// the parts behind them directly, the hash made right: the decompression of either version
// and the revisions. Nothing may panic or allocate without bound, and whatever decodes must
// hold together.
func FuzzDecodeInner(f *testing.F) {
	revs := fuzzRevisions()
	for _, encode := range []func(*Header, []store.Revision, ed25519.PrivateKey) ([]byte, error){encodeInner, encodeInnerV1} {
		for _, rs := range [][]store.Revision{nil, revs[:1], revs} {
			ranges, _ := rangesOf(rs)
			h := Header{Kind: KindUp, Ward: "w", From: "dev-f", To: "office", Ranges: ranges}
			inner, err := encode(&h, rs, fuzzKey)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(inner)
		}
	}
	// the version 1 batch an earlier release wrote
	id, err := age.ParseX25519Identity(frozenV1Identity)
	if err != nil {
		f.Fatal(err)
	}
	frozen, err := unseal(readFile(f, filepath.Join("testdata", "batch-v1.rsb")), id, Limits{}.withDefaults())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(frozen)
	// a frame of 1 MiB of 'x', all in RLE blocks, as a payload
	f.Add(reframe(f, frozen, func(h *Header, _ []byte) []byte {
		h.Version, h.PayloadSize = version2, 1<<20
		return rleFrame(8, 1<<20, 17)
	}))
	f.Add([]byte{})
	f.Add(binary.BigEndian.AppendUint32(nil, 0xffffffff))
	lim := Limits{MaxRevisions: 100, MaxPayload: 1 << 20}.withDefaults()
	pub := fuzzKey.Public().(ed25519.PublicKey)
	f.Fuzz(func(t *testing.T, inner []byte) {
		b, err := decodeInner(inner, lim, func(*Header) (ed25519.PublicKey, error) { return pub, nil })
		if err == nil {
			checkDecoded(t, b)
		} else if !IsRefusal(err) {
			t.Fatalf("not a refusal: %v", err)
		}
		p, err := parseInner(inner)
		if err != nil {
			return
		}
		if err := p.checkHeader(lim); err != nil {
			return
		}
		sum := sha256.Sum256(p.payload)
		p.hdr.PayloadSHA256 = hex.EncodeToString(sum[:])
		revs, err := p.revisions(lim)
		if err != nil {
			if !IsRefusal(err) {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		checkDecoded(t, &Batch{Header: p.hdr, Revisions: revs})
	})
}

func checkDecoded(t *testing.T, b *Batch) {
	if len(b.Revisions) != b.Header.Count {
		t.Fatalf("%d revisions, header says %d", len(b.Revisions), b.Header.Count)
	}
	// the record's hash is the store's to check (a hostile record is refused there); the
	// decoder gives the stated one, as hex
	for _, r := range b.Revisions {
		if h, err := hex.DecodeString(r.Hash); err != nil || len(h) != sha256.Size || hex.EncodeToString(h) != r.Hash {
			t.Fatalf("revision %q: hash %q", r.ID, r.Hash)
		}
	}
	// what decodes encodes back to the same payload
	again, err := decodePayload(encodePayload(b.Revisions), Limits{}.withDefaults())
	if err != nil || len(again) != len(b.Revisions) {
		t.Fatalf("round trip: %v", err)
	}
	for i := range again {
		x, y := again[i], b.Revisions[i]
		if x.ID != y.ID || x.Seq != y.Seq || !bytes.Equal(x.Record, y.Record) || !x.Time.Equal(y.Time) || x.Comment != y.Comment || x.Hash != y.Hash {
			t.Fatalf("round trip changed revision %d", i)
		}
	}
}

// FuzzDecodePayload feeds the revision decoder arbitrary uncompressed bytes.
func FuzzDecodePayload(f *testing.F) {
	f.Add(encodePayload(fuzzRevisions()))
	f.Add(encodePayload(nil))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	lim := Limits{MaxRevisions: 1000}.withDefaults()
	f.Fuzz(func(t *testing.T, raw []byte) {
		revs, err := decodePayload(raw, lim)
		if err != nil {
			if !IsRefusal(err) {
				t.Fatalf("not a refusal: %v", err)
			}
			return
		}
		if !bytes.Equal(encodePayload(revs), raw) {
			t.Fatal("decode then encode gives other bytes")
		}
	})
}

// fuzzPub gives fuzzKey's public key as the sender's, for decodeInner.
func fuzzPub(*Header) (ed25519.PublicKey, error) { return fuzzKey.Public().(ed25519.PublicKey), nil }

// TestRoundTrip: a batch decodes to what was encoded.
func TestBatchRoundTrip(t *testing.T) {
	revs := fuzzRevisions()
	ranges, _ := rangesOf(revs)
	ack := uint64(42)
	h := Header{Kind: KindDown, Ward: "w", From: "dev-f", To: "office", Ranges: ranges, Ack: &ack,
		Assignments: []Assignment{{Surveyor: "A", Groups: []string{"Tổ 01"}}}, More: true}
	inner, err := encodeInner(&h, revs, fuzzKey)
	if err != nil {
		t.Fatal(err)
	}
	b, err := decodeInner(inner, Limits{}.withDefaults(), fuzzPub)
	if err != nil {
		t.Fatal(err)
	}
	if *b.Header.Ack != 42 || !b.Header.More || b.Header.Assignments[0].Groups[0] != "Tổ 01" || b.Header.Count != 3 {
		t.Fatalf("header %+v", b.Header)
	}
	for i := range revs {
		x, y := revs[i], b.Revisions[i]
		if x.ID != y.ID || x.HouseholdID != y.HouseholdID || x.Parent != y.Parent || x.Merged[0] != y.Merged[0] ||
			x.Comment != y.Comment || x.Hash != y.Hash || !bytes.Equal(x.Record, y.Record) || !x.Time.Equal(y.Time) {
			t.Fatalf("revision %d differs after the round trip", i)
		}
	}
	// a byte changed anywhere in the signed bytes fails the signature
	for i := 0; i < len(inner)-ed25519.SignatureSize; i += 13 {
		bad := bytes.Clone(inner)
		bad[i] ^= 0x20
		if _, err := decodeInner(bad, Limits{}.withDefaults(), fuzzPub); !IsRefusal(err) {
			t.Fatalf("byte %d: %v", i, err)
		}
	}
}

// TestUvarintLen: the shortest-form check of the payload's varints agrees with encoding/binary.
func TestUvarintLen(t *testing.T) {
	for k := 0; k < 64; k++ {
		for _, v := range []uint64{1<<k - 1, 1 << k, 1<<k + 1, ^uint64(0) >> k} {
			if got, want := uvarintLen(v), len(binary.AppendUvarint(nil, v)); got != want {
				t.Fatalf("uvarintLen(%d) = %d, want %d", v, got, want)
			}
			for _, s := range []int64{int64(v), -int64(v)} {
				b := binary.AppendVarint(nil, s)
				d := &payloadReader{b: b}
				if got := d.varint("v"); got != s || d.err != nil {
					t.Fatalf("varint %d: got %d, %v", s, got, d.err)
				}
				// the same number with one byte too many is refused
				long := append(bytes.Clone(b), 0)
				long[len(b)-1] |= 0x80
				if d := (&payloadReader{b: long}); d.varint("v") != 0 || d.err == nil {
					t.Fatalf("varint %d in %d bytes accepted", s, len(long))
				}
			}
		}
	}
}
