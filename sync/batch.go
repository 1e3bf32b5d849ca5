package sync

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"time"

	"filippo.io/age"

	"github.com/rasoat/rasoat/store"
)

// The batch format is described in docs/sync-format.md; keep the two in step.

// Versions of the batch format. They differ only in how the payload is compressed
// (compress.go).
const (
	version1 = 1 // DEFLATE; written by the releases before version 2, still read
	version2 = 2 // Zstandard
)

// Version is the batch format version this program writes. It reads Version and version1.
const Version = version2

// readsVersion reports whether this program reads batches of format version v.
func readsVersion(v int) bool { return v == version1 || v == version2 }

// fileMagic is the only clear text of a batch file this program writes: the format and
// Version.
const fileMagic = fileMagicPrefix + "2\n"

// fileMagicPrefix is what every version's first line starts with.
const fileMagicPrefix = "rasoat-sync-batch/"

// firstLine is the first line of a batch file of format version v.
func firstLine(v int) string { return fmt.Sprintf("%s%d\n", fileMagicPrefix, v) }

// fileVersion returns the format version a batch file's first line names, if this program
// reads it.
func fileVersion(file []byte) (int, bool) {
	for _, v := range []int{version2, version1} {
		if bytes.HasPrefix(file, []byte(firstLine(v))) {
			return v, true
		}
	}
	return 0, false
}

// sigContext is signed before the batch bytes, so a signature made for anything else never
// verifies as a batch's.
const sigContext = "rasoat-sync batch signature v1\x00"

// Kinds of batch.
const (
	KindUp   = "up"   // a laptop's own revisions (or none, to say what it has) to the office
	KindDown = "down" // the office's acknowledgement, revisions and assignments to a laptop
)

// Limits bound what a batch may hold; a batch over them is refused (ErrTooLarge) before
// anything is written. The zero value gives the defaults.
type Limits struct {
	MaxFile      int64 // bytes of the batch file; default 64 MiB
	MaxRevisions int   // revisions in one batch; default 20,000
	MaxPayload   int64 // bytes of the uncompressed revisions; default 256 MiB
	// MaxWaiting is how many batches of one sender are kept waiting for the batches before
	// them; one more is refused (ErrTooManyWaiting). Default 100.
	MaxWaiting int
}

func (l Limits) withDefaults() Limits {
	if l.MaxFile <= 0 {
		l.MaxFile = 64 << 20
	}
	if l.MaxRevisions <= 0 {
		l.MaxRevisions = 20000
	}
	if l.MaxPayload <= 0 {
		l.MaxPayload = 256 << 20
	}
	if l.MaxWaiting <= 0 {
		l.MaxWaiting = 100
	}
	return l
}

// Limits of single fields of the payload.
const (
	maxHeader = 4 << 20  // bytes of the header JSON
	maxString = 64 << 10 // one string of a revision
	maxRecord = 8 << 20  // one record
	maxMerged = 1024     // merged parents of one revision
)

// Range is a run of one device's revisions, First…Last without a gap. A batch holds every
// revision of each of its ranges, and no other.
type Range struct {
	Device string `json:"device"`
	First  uint64 `json:"first"`
	Last   uint64 `json:"last"`
}

// Count is the number of revisions of the range.
func (r Range) Count() int { return int(r.Last - r.First + 1) }

// Header says what a batch is. It is signed with the rest of the batch.
type Header struct {
	Version  int       `json:"version"`
	Kind     string    `json:"kind"`      // KindUp or KindDown
	Ward     string    `json:"ward"`      // the ward's sync id (from the office set-up)
	WardName string    `json:"ward_name"` // for people; not checked
	From     string    `json:"from"`      // the device that made and signed the batch
	To       string    `json:"to"`        // the device it is for
	ID       string    `json:"id"`        // a fresh id of this batch
	Created  time.Time `json:"created"`
	Stamp    int64     `json:"stamp"` // the sender's clock (Unix ns): orders acknowledgements

	Ranges        []Range `json:"ranges"`
	Count         int     `json:"count"`          // revisions in the payload
	PayloadSize   int64   `json:"payload_size"`   // bytes of the uncompressed payload
	PayloadSHA256 string  `json:"payload_sha256"` // of the compressed payload, hex

	// Up: what the laptop has, per device: every revision 1…n of that device.
	Have map[string]uint64 `json:"have,omitempty"`
	// Down: the office has the laptop's revisions 1…Ack.
	Ack *uint64 `json:"ack,omitempty"`
	// Down: every surveyor's assignment, replacing the laptop's (newest Stamp wins).
	// (Always present in a down-batch, [] for none; null in an up-batch.)
	Assignments []Assignment `json:"assignments"`
	// Down: the office had more revisions for the laptop than fit in this batch.
	More bool `json:"more,omitempty"`
	// Down: the ward's score table the office has in force, which the laptop takes (its file
	// only when the laptop may not have it); up: the hash of the laptop's table, never the
	// file. Absent from the batches of releases before it; a release before it ignores it
	// (see scoretable.go).
	ScoreTable *ScoreTableRef `json:"score_table,omitempty"`
}

// Assignment is store.Assignment as a batch carries it.
type Assignment struct {
	Surveyor   string   `json:"surveyor"`
	Groups     []string `json:"groups,omitempty"`
	Households []string `json:"households,omitempty"`
}

// Batch is a decoded, verified batch.
type Batch struct {
	Header    Header
	Revisions []store.Revision
}

// encodeInner writes the signed inner form of a batch (what age encrypts): it fills the
// header's count, payload size and hash, and signs with key.
func encodeInner(h *Header, revs []store.Revision, key ed25519.PrivateKey) ([]byte, error) {
	raw := encodePayload(revs)
	z, err := compressPayload(raw)
	if err != nil {
		return nil, err
	}
	h.Version = Version
	h.Count = len(revs)
	h.PayloadSize = int64(len(raw))
	sum := sha256.Sum256(z)
	h.PayloadSHA256 = hex.EncodeToString(sum[:])
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	return frame(hb, z, key), nil
}

// frame lays out header and payload and appends the signature.
func frame(hb, payload []byte, key ed25519.PrivateKey) []byte {
	out := make([]byte, 0, 8+len(hb)+len(payload)+ed25519.SignatureSize)
	out = binary.BigEndian.AppendUint32(out, uint32(len(hb)))
	out = append(out, hb...)
	out = binary.BigEndian.AppendUint32(out, uint32(len(payload)))
	out = append(out, payload...)
	return append(out, ed25519.Sign(key, signed(out))...)
}

func signed(body []byte) []byte {
	return append([]byte(sigContext), body...)
}

// parsed is the inner form split into its parts; nothing in it is verified but the framing
// and the version.
type parsed struct {
	hdr     Header
	payload []byte // compressed
	body    []byte // what the signature covers (after sigContext)
	sig     []byte
}

// parseInner splits the inner form and reads its header. The header is not yet trusted.
func parseInner(inner []byte) (*parsed, error) {
	damaged := func(vi, en string) error { return errorf(ErrTampered, nil, "%[1]s", "%[2]s", vi, en) }
	if len(inner) < 8+ed25519.SignatureSize {
		return nil, damaged("quá ngắn", "too short")
	}
	hl := binary.BigEndian.Uint32(inner)
	if hl > maxHeader || uint64(hl)+8+ed25519.SignatureSize > uint64(len(inner)) {
		return nil, damaged("độ dài phần đầu sai", "bad header length")
	}
	hb := inner[4 : 4+hl]
	rest := inner[4+hl:]
	pl := binary.BigEndian.Uint32(rest)
	if uint64(pl)+4+ed25519.SignatureSize != uint64(len(rest)) {
		return nil, damaged("độ dài nội dung sai", "bad payload length")
	}
	p := &parsed{
		payload: rest[4 : 4+pl],
		body:    inner[:len(inner)-ed25519.SignatureSize],
		sig:     inner[len(inner)-ed25519.SignatureSize:],
	}
	var v struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(hb, &v); err != nil || v.Version == nil {
		return nil, damaged("phần đầu không đọc được", "the header cannot be read")
	}
	if !readsVersion(*v.Version) {
		return nil, errorf(ErrVersion, nil, "phiên bản %d, chương trình này đọc phiên bản %d và %d",
			"version %d, this program reads versions %d and %d", *v.Version, version1, version2)
	}
	if err := json.Unmarshal(hb, &p.hdr); err != nil {
		return nil, damaged("phần đầu không đọc được", "the header cannot be read")
	}
	return p, nil
}

// verify checks the signature with the sender's public key.
func (p *parsed) verify(pub ed25519.PublicKey) error {
	if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, signed(p.body), p.sig) {
		return errorf(ErrBadSignature, nil, "thiết bị %s", "device %s", p.hdr.From)
	}
	return nil
}

// checkHeader checks the header's own consistency and the limits.
func (p *parsed) checkHeader(lim Limits) error {
	h := &p.hdr
	if h.Kind != KindUp && h.Kind != KindDown {
		return errorf(ErrTampered, nil, "loại lô %q", "batch kind %q", h.Kind)
	}
	if h.Count < 0 || h.PayloadSize < 0 {
		return errorf(ErrTampered, nil, "số lượng âm", "negative count")
	}
	if h.Count > lim.MaxRevisions {
		return errorf(ErrTooLarge, nil, "%d phiên bản, tối đa %d", "%d revisions, at most %d", h.Count, lim.MaxRevisions)
	}
	if h.PayloadSize > lim.MaxPayload {
		return errorf(ErrTooLarge, nil, "%d byte, tối đa %d", "%d bytes, at most %d", h.PayloadSize, lim.MaxPayload)
	}
	n := 0
	seen := map[string]bool{}
	for _, r := range h.Ranges {
		if r.Device == "" || r.First == 0 || r.Last < r.First || r.Last-r.First >= uint64(lim.MaxRevisions) || seen[r.Device] {
			return errorf(ErrTampered, nil, "khoảng phiên bản sai", "bad revision range")
		}
		seen[r.Device] = true
		n += r.Count()
	}
	if n != h.Count {
		return errorf(ErrTampered, nil, "số phiên bản không khớp", "revision count does not match")
	}
	return checkScoreTableRef(h)
}

// revisions checks the payload against the header and decodes it.
func (p *parsed) revisions(lim Limits) ([]store.Revision, error) {
	sum := sha256.Sum256(p.payload)
	if hex.EncodeToString(sum[:]) != p.hdr.PayloadSHA256 {
		return nil, errorf(ErrTampered, nil, "mã băm nội dung không khớp", "the payload hash does not match")
	}
	raw, err := decompressPayload(p.hdr.Version, p.payload, p.hdr.PayloadSize, lim)
	if err != nil {
		return nil, err
	}
	revs, err := decodePayload(raw, lim)
	if err != nil {
		return nil, err
	}
	if len(revs) != p.hdr.Count {
		return nil, errorf(ErrTampered, nil, "số phiên bản không khớp", "revision count does not match")
	}
	// every revision of every range, each once, in range order
	i := 0
	for _, rg := range p.hdr.Ranges {
		for s := rg.First; s <= rg.Last; s++ {
			r := &revs[i]
			if r.Device != rg.Device || r.Seq != s {
				return nil, errorf(ErrTampered, nil, "phiên bản %s không thuộc khoảng của nó", "revision %s is outside its range", r.ID)
			}
			i++
		}
	}
	return revs, nil
}

// decode parses, checks and decodes an inner form whose signature the caller verifies with
// keyOf(header). It is the whole decoder of the plaintext of a batch; FuzzDecodeInner
// exercises it.
func decodeInner(inner []byte, lim Limits, keyOf func(*Header) (ed25519.PublicKey, error)) (*Batch, error) {
	p, err := parseInner(inner)
	if err != nil {
		return nil, err
	}
	pub, err := keyOf(&p.hdr)
	if err != nil {
		return nil, err
	}
	if err := p.verify(pub); err != nil {
		return nil, err
	}
	if err := p.checkHeader(lim); err != nil {
		return nil, err
	}
	revs, err := p.revisions(lim)
	if err != nil {
		return nil, err
	}
	return &Batch{Header: p.hdr, Revisions: revs}, nil
}

// seal encrypts the inner form to the recipient and prefixes the clear first line.
func seal(inner []byte, to age.Recipient) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(inner) + len(inner)/64*16 + 2048)
	out.WriteString(fileMagic)
	w, err := age.Encrypt(&out, to)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(inner); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// unseal checks the first line and decrypts the batch file with the identity. The first line
// is not encrypted: Import checks that it names the version of the signed header.
func unseal(file []byte, id age.Identity, lim Limits) ([]byte, error) {
	if int64(len(file)) > lim.MaxFile {
		return nil, errorf(ErrTooLarge, nil, "tệp %d byte, tối đa %d", "file of %d bytes, at most %d", len(file), lim.MaxFile)
	}
	v, ok := fileVersion(file)
	if !ok {
		if bytes.HasPrefix(file, []byte(fileMagicPrefix)) {
			line, _, _ := bytes.Cut(file[len(fileMagicPrefix):], []byte("\n"))
			if len(line) > 16 {
				line = line[:16]
			}
			return nil, errorf(ErrVersion, nil, "phiên bản %q", "version %q", line)
		}
		return nil, ErrNotBatch
	}
	r, err := age.Decrypt(bytes.NewReader(file[len(firstLine(v)):]), id)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, errorf(ErrNotForUs, nil, "", "")
		}
		return nil, errorf(ErrTampered, err, "", "")
	}
	var inner bytes.Buffer
	inner.Grow(len(file))
	if _, err := inner.ReadFrom(io.LimitReader(r, lim.MaxFile)); err != nil {
		return nil, errorf(ErrTampered, err, "", "")
	}
	return inner.Bytes(), nil
}

// Revision payload: a count and the revisions, each as fixed-order fields (see
// docs/sync-format.md): strings and byte strings as a uvarint length and the bytes, numbers as
// uvarints, the time as a signed varint of Unix nanoseconds.

func encodePayload(revs []store.Revision) []byte {
	n := 10
	for i := range revs {
		n += 200 + len(revs[i].Record) + len(revs[i].Comment)
	}
	b := make([]byte, 0, n)
	b = binary.AppendUvarint(b, uint64(len(revs)))
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	for i := range revs {
		r := &revs[i]
		str(r.ID)
		str(r.HouseholdID)
		str(r.Device)
		b = binary.AppendUvarint(b, r.Seq)
		str(r.Parent)
		b = binary.AppendUvarint(b, uint64(len(r.Merged)))
		for _, m := range r.Merged {
			str(m)
		}
		str(r.Restored)
		b = binary.AppendVarint(b, r.Time.UnixNano())
		str(r.Author)
		str(r.Status)
		str(r.Comment)
		if r.Deleted {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		h, _ := hex.DecodeString(r.Hash)
		b = append(b, h...)
		if len(h) != sha256.Size {
			b = append(b, make([]byte, sha256.Size-len(h))...)
		}
		b = binary.AppendUvarint(b, uint64(len(r.Record)))
		b = append(b, r.Record...)
	}
	return b
}

type payloadReader struct {
	b   []byte
	err error
	// text holds the strings of the revision being read, one after another, and ends where
	// each ends, so that they become one string, not one allocation each.
	text []byte
	ends []int
}

func (d *payloadReader) fail(what string) {
	if d.err == nil {
		d.err = errorf(ErrTampered, nil, "nội dung hỏng ở %s", "the payload is damaged at %s", what)
	}
	d.b = nil
}

// uvarintLen is the length of the shortest uvarint of v.
func uvarintLen(v uint64) int { return max(1, (bits.Len64(v)+6)/7) }

func (d *payloadReader) uvar(what string) uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 || n != uvarintLen(v) { // only the shortest form
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *payloadReader) varint(what string) int64 {
	v, n := binary.Varint(d.b)
	ux := uint64(v) << 1 // zig-zag, as binary.PutVarint
	if v < 0 {
		ux = ^ux
	}
	if n <= 0 || n != uvarintLen(ux) { // only the shortest form
		d.fail(what)
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *payloadReader) bytes(n uint64, what string) []byte {
	if uint64(len(d.b)) < n {
		d.fail(what)
		return nil
	}
	p := d.b[:n:n]
	d.b = d.b[n:]
	return p
}

// str reads a string into d.text.
func (d *payloadReader) str(what string) {
	n := d.uvar(what)
	if n > maxString {
		d.fail(what)
		return
	}
	d.text = append(d.text, d.bytes(n, what)...)
	d.ends = append(d.ends, len(d.text))
}

// strings sets the strings of r, in payload order, from d.text, each a part of one string.
func (d *payloadReader) strings(r *store.Revision, merged int) {
	s, at, k := string(d.text), 0, 0
	next := func() string {
		v := s[at:d.ends[k]]
		at = d.ends[k]
		k++
		return v
	}
	r.ID = next()
	r.HouseholdID = next()
	r.Device = next()
	r.Parent = next()
	if merged > 0 {
		r.Merged = make([]string, merged)
		for j := range r.Merged {
			r.Merged[j] = next()
		}
	}
	r.Restored = next()
	r.Author = next()
	r.Status = next()
	r.Comment = next()
	r.Hash = next()
}

// decodePayload reads the uncompressed revisions. Their records are slices of raw, which the
// caller must not change afterwards.
func decodePayload(raw []byte, lim Limits) ([]store.Revision, error) {
	d := &payloadReader{b: raw}
	n := d.uvar("count")
	if d.err != nil {
		return nil, d.err
	}
	if n > uint64(lim.MaxRevisions) {
		return nil, errorf(ErrTooLarge, nil, "%d phiên bản, tối đa %d", "%d revisions, at most %d", n, lim.MaxRevisions)
	}
	if n > uint64(len(raw)) {
		d.fail("count")
		return nil, d.err
	}
	revs := make([]store.Revision, n)
	for i := range revs {
		r := &revs[i]
		d.text, d.ends = d.text[:0], d.ends[:0]
		d.str("id")
		d.str("household")
		d.str("device")
		r.Seq = d.uvar("seq")
		d.str("parent")
		m := d.uvar("merged")
		if m > maxMerged {
			d.fail("merged")
		}
		for j := uint64(0); j < m && d.err == nil; j++ {
			d.str("merged")
		}
		d.str("restored")
		if t := d.varint("time"); d.err == nil {
			r.Time = time.Unix(0, t).UTC()
		}
		d.str("author")
		d.str("status")
		d.str("comment")
		switch del := d.bytes(1, "deleted"); {
		case len(del) == 1 && del[0] <= 1:
			r.Deleted = del[0] == 1
		default:
			d.fail("deleted")
		}
		hb := d.bytes(sha256.Size, "hash")
		d.text = hex.AppendEncode(d.text, hb)
		d.ends = append(d.ends, len(d.text))
		rl := d.uvar("record")
		if rl > maxRecord {
			d.fail("record")
		}
		r.Record = d.bytes(rl, "record")
		if d.err != nil {
			return nil, d.err
		}
		// the record's hash is checked by the store, on every processor, with its other
		// checks of the record (store.PutRevisions)
		d.strings(r, int(m))
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, errorf(ErrTampered, nil, "thừa %d byte", "%d bytes too many", len(d.b))
	}
	return revs, nil
}
