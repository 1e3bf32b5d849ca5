package sync

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"filippo.io/age"

	"github.com/rasoat/rasoat/store"
)

// forge makes a sealed up-batch as laptop l would, with the header changed by edit, signed
// with key (nil: l's own) and sealed to the office of l's enrollment.
func forge(t testing.TB, l *site, revs []store.Revision, key ed25519.PrivateKey, edit func(*Header)) []byte {
	t.Helper()
	return forgeAs(t, l, revs, key, edit, Version)
}

// forgeAs is forge in format version v (Version, or version1 as the releases before version 2
// wrote it).
func forgeAs(t testing.TB, l *site, revs []store.Revision, key ed25519.PrivateKey, edit func(*Header), v int) []byte {
	t.Helper()
	p, k, err := l.n.laptop()
	if err != nil {
		t.Fatal(err)
	}
	if key == nil {
		key = k.SignKey
	}
	rs, ok := rangesOf(revs)
	if !ok {
		t.Fatal("ranges")
	}
	h := Header{Kind: KindUp, Ward: p.WardID, From: l.n.DeviceID(), To: p.Office, ID: "forged", Ranges: rs}
	if edit != nil {
		edit(&h)
	}
	encode, sealAs := encodeInner, seal
	if v == version1 {
		encode, sealAs = encodeInnerV1, sealV1
	}
	inner, err := encode(&h, revs, key)
	if err != nil {
		t.Fatal(err)
	}
	to, err := age.ParseHybridRecipient(p.OfficeAgeRecipient)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := sealAs(inner, to)
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

func newKey(t testing.TB) ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestRefusals: each refusal has its own kind of error, a message in both languages, and
// writes nothing.
func TestRefusals(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	c := w.newLaptop("c", "")
	a.households(t, 3, 11)
	c.households(t, 1, 12)
	revs, err := a.n.unacked()
	if err != nil {
		t.Fatal(err)
	}
	good := forge(t, a, revs, nil, nil)
	goodV1 := forgeAs(t, a, revs, nil, nil, version1)

	// a laptop of another ward, with its own office
	w2 := newWorld(t)
	w2.newOffice("")
	x := w2.newLaptop("x", "")
	x.households(t, 1, 13)
	stickX := t.TempDir()
	if _, err := x.n.ExportTo(stickX); err != nil {
		t.Fatal(err)
	}
	xfiles, _ := filepath.Glob(filepath.Join(stickX, "up-*"))

	// c is revoked after making its batch
	stickC := t.TempDir()
	if _, err := c.n.ExportTo(stickC); err != nil {
		t.Fatal(err)
	}
	cfiles, _ := filepath.Glob(filepath.Join(stickC, "up-*"))
	if _, err := office.n.Revoke(c.n.DeviceID()); err != nil {
		t.Fatal(err)
	}

	limited := func(set func(*Limits)) *Node {
		n := &Node{st: office.st, o: office.n.o, meta: office.n.meta}
		set(&n.o.Limits)
		return n
	}

	before := snapshot(t, office)
	for _, tc := range []struct {
		name string
		node *Node
		data []byte
		want *Error
	}{
		{"unknown device", nil, forge(t, a, nil, newKey(t), func(h *Header) { h.From = "dev-stranger" }), ErrUnknownDevice},
		{"revoked device", nil, readFile(t, cfiles[0]), ErrRevoked},
		{"bad signature", nil, forge(t, a, revs, newKey(t), nil), ErrBadSignature},
		{"wrong ward id", nil, forge(t, a, revs, nil, func(h *Header) { h.Ward = "another-ward" }), ErrWrongWard},
		{"other ward's office key", nil, readFile(t, xfiles[0]), ErrNotForUs},
		{"addressed to another device", nil, forge(t, a, revs, nil, func(h *Header) { h.To = "dev-a" }), ErrNotForUs},
		{"down-batch sent to the office", nil, forge(t, a, revs, nil, func(h *Header) { h.Kind = KindDown }), ErrNotForUs},
		{"another device's revisions", nil, forge(t, a, relabel(revs, "dev-c"), nil, nil), ErrTampered},
		{"a record that does not match its hash", nil, forge(t, a, badRecord(revs, 1, false), nil, nil), store.ErrInvalid},
		{"a record not in canonical form", nil, forge(t, a, badRecord(revs, 2, true), nil, nil), store.ErrInvalid},
		{"future version inside", nil, forgeVersion(t, a, 3), ErrVersion},
		{"future version outside", nil, append([]byte("rasoat-sync-batch/3\n"), good[len(fileMagic):]...), ErrVersion},
		{"version 2 said to be 1 outside", nil, append([]byte(firstLine(version1)), good[len(fileMagic):]...), ErrTampered},
		{"version 1 said to be 2 outside", nil, append([]byte(fileMagic), goodV1[len(firstLine(version1)):]...), ErrTampered},
		{"not a batch", nil, []byte("{\"schema\":\"rasoat.household/v1\"}\n"), ErrNotBatch},
		{"truncated", nil, good[:len(good)-20], ErrTampered},
		{"file too large", limited(func(l *Limits) { l.MaxFile = int64(len(good) - 1) }), good, ErrTooLarge},
		{"too many revisions", limited(func(l *Limits) { l.MaxRevisions = len(revs) - 1 }), good, ErrTooLarge},
		{"payload too large", limited(func(l *Limits) { l.MaxPayload = 100 }), good, ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := office.n
			if tc.node != nil {
				n = tc.node
			}
			_, err := n.Import(tc.data)
			if !errors.Is(err, tc.want) || !IsRefusal(err) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			vi, en := store.Message(err, "vi"), store.Message(err, "en")
			if vi == en || vi == "" || en == "" {
				t.Errorf("messages %q / %q", vi, en)
			}
			if got := snapshot(t, office); got != before {
				t.Errorf("the refused batch changed the office:\n%s", got)
			}
		})
	}
	if _, err := office.n.Import(good); err != nil {
		t.Fatalf("the good batch: %v", err)
	}
	if snapshot(t, office) == before {
		t.Fatal("the good batch changed nothing")
	}

	// a laptop refuses down-batches not made by its office
	stick := t.TempDir()
	if _, err := office.n.ExportTo(stick); err != nil {
		t.Fatal(err)
	}
	down := readFile(t, filepath.Join(stick, "down-dev-a-0001.rsb"))
	if _, err := c.n.Import(down); !errors.Is(err, ErrNotForUs) {
		t.Errorf("c imports a's down-batch: %v", err)
	}
	if _, err := office.n.Import(down); !errors.Is(err, ErrNotForUs) {
		t.Errorf("the office imports a down-batch: %v", err)
	}
	if _, err := a.n.Import(down); err != nil {
		t.Errorf("a's own down-batch: %v", err)
	}
}

// badRecord copies revs with the record of revision i changed after it was hashed, or (rehash)
// written in a form that is not canonical, with its hash: what only a faulty sender signs.
func badRecord(revs []store.Revision, i int, rehash bool) []store.Revision {
	out := slices.Clone(revs)
	r := &out[i]
	if rehash {
		r.Record = bytes.Replace(r.Record, []byte(", "), []byte(","), 1)
		sum := sha256.Sum256(r.Record)
		r.Hash = hex.EncodeToString(sum[:])
	} else {
		r.Record = bytes.Replace(r.Record, []byte("Tổ"), []byte("To"), 1)
	}
	return out
}

func relabel(revs []store.Revision, dev string) []store.Revision {
	out := make([]store.Revision, len(revs))
	for i, r := range revs {
		r.Device = dev
		out[i] = r
	}
	return out
}

// forgeVersion makes a batch whose signed header says another format version.
func forgeVersion(t testing.TB, l *site, v int) []byte {
	t.Helper()
	p, k, _ := l.n.laptop()
	hb := []byte(`{"version":` + string(rune('0'+v)) + `,"kind":"up","from":"` + l.n.DeviceID() + `","to":"` + p.Office + `"}`)
	inner := frame(hb, nil, k.SignKey)
	to, _ := age.ParseHybridRecipient(p.OfficeAgeRecipient)
	sealed, err := seal(inner, to)
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

// TestTamperEveryByte: a batch file with one byte flipped, wherever, or cut short, anywhere,
// is refused and writes nothing; in the format this program writes and in version 1.
func TestTamperEveryByte(t *testing.T) {
	for _, v := range []int{Version, version1} {
		t.Run(fmt.Sprintf("version %d", v), func(t *testing.T) { tamperEveryByte(t, v) })
	}
}

func tamperEveryByte(t *testing.T, v int) {
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	a.households(t, 2, 21)
	revs, err := a.n.unacked()
	if err != nil {
		t.Fatal(err)
	}
	good := forgeAs(t, a, revs, nil, nil, v)
	before := snapshot(t, office)
	step := 1
	if testing.Short() {
		step = 7
	}
	for i := 0; i < len(good); i += step {
		for _, mask := range []byte{0x01, 0x80} {
			bad := bytes.Clone(good)
			bad[i] ^= mask
			if _, err := office.n.Import(bad); !IsRefusal(err) {
				t.Fatalf("byte %d of %d flipped (%#x): %v", i, len(good), mask, err)
			}
		}
	}
	for l := 0; l < len(good); l += step {
		if _, err := office.n.Import(good[:l]); !IsRefusal(err) {
			t.Fatalf("cut at %d of %d: %v", l, len(good), err)
		}
	}
	if _, err := office.n.Import(append(bytes.Clone(good), 0)); !IsRefusal(err) {
		t.Fatalf("a byte appended: %v", err)
	}
	if got := snapshot(t, office); got != before {
		t.Fatal("a damaged batch changed the office")
	}
	if _, err := office.n.Import(good); err != nil {
		t.Fatalf("the batch itself: %v", err)
	}
	t.Logf("%d bytes, each flipped two ways and cut at each length", len(good))
}
