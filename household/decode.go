package household

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Decode reads one record from one line of JSON. It never stops at the first problem: it reads
// the whole object and returns every type error, missing field and duplicate it finds, with
// the field path. A line that is not JSON at all gives a single syntax problem. The record is
// returned even when there are problems, filled as far as it could be read.
//
// Decode checks the shape of the record only; Validate checks the rules of the spec.
func Decode(line []byte) (*Record, Problems) {
	d := dec{b: line}
	box := &recordBox{}
	r := &box.r
	d.waste = &box.waste
	d.ws()
	if d.i >= len(d.b) {
		d.syntax("dòng trống", "empty line")
	} else {
		d.record(r)
		d.ws()
		if !d.fatal && d.i < len(d.b) {
			d.syntax("có dữ liệu thừa sau bản ghi", "unexpected data after the record")
		}
	}
	for i := range d.probs {
		d.probs[i].RecordID = r.ID
	}
	return r, d.probs
}

// dec is a small JSON reader made for the record format: it reports type errors with field
// paths, keeps unknown fields in order and allocates little, because the command line
// classifies files of hundreds of thousands of households.
type dec struct {
	b     []byte
	i     int
	probs Problems
	fatal bool
	tmp   []byte
	nfc   []byte          // the NFC form of a text that was not in NFC
	texts strings.Builder // see keep
	waste *bool           // where the record's WasteCollected points when it is given

	// memberBuf holds the members while they are read, so the record gets a slice of their
	// number in one allocation rather than one allocation per doubling.
	memberBuf [8]Member
}

// recordBox puts a record and the value its WasteCollected points to in one allocation.
type recordBox struct {
	r     Record
	waste bool
}

// value states returned by the typed readers.
const (
	absent  = iota // the value was null
	present        // read and of the right type
	wrong          // present but of the wrong type (a problem was recorded)
)

func (d *dec) add(p Problem) { d.probs = append(d.probs, p) }

func (d *dec) syntax(vi, en string) {
	if d.fatal {
		return
	}
	d.fatal = true
	d.add(Problem{Rule: "syntax",
		VI: fmt.Sprintf("JSON không hợp lệ tại ký tự %d: %s", d.i+1, vi),
		EN: fmt.Sprintf("invalid JSON at character %d: %s", d.i+1, en)})
	d.i = len(d.b)
}

func (d *dec) ws() {
	// Locals, and the test for a byte above the space first: between tokens the canonical form
	// has one space or none.
	b, i := d.b, d.i
	for i < len(b) && b[i] <= ' ' && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	d.i = i
}

func (d *dec) peek() byte {
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *dec) expect(c byte) bool {
	if d.peek() == c {
		d.i++
		return true
	}
	if d.i >= len(d.b) {
		d.syntax(fmt.Sprintf("dữ liệu bị cắt cụt, thiếu %q", c), fmt.Sprintf("truncated data, %q expected", c))
	} else {
		d.syntax(fmt.Sprintf("cần %q", c), fmt.Sprintf("%q expected", c))
	}
	return false
}

// beginObject consumes '{'. For any other value it records a type problem, skips the value and
// returns false.
func (d *dec) beginObject(path string) bool {
	switch d.peek() {
	case '{':
		d.i++
		return true
	case 'n':
		d.canon(nil)
		return false
	}
	d.typeProblem(path, "một đối tượng {…}", "an object {…}")
	return false
}

// key reads the n-th key of the current object; it returns false at the closing brace.
func (d *dec) key(n int) ([]byte, bool) {
	if d.fatal {
		return nil, false
	}
	c := d.peek()
	if c == '}' {
		d.i++
		return nil, false
	}
	if n > 0 {
		if c != ',' {
			d.expect(',') // the problem
			return nil, false
		}
		d.i++
		c = d.peek()
	}
	if c != '"' {
		d.syntax("cần tên trường trong ngoặc kép", "a quoted field name expected")
		return nil, false
	}
	k, ok := d.rawString()
	if !ok {
		return nil, false
	}
	// The canonical form has the colon right after the key.
	if d.i < len(d.b) && d.b[d.i] == ':' {
		d.i++
	} else if !d.expect(':') {
		return nil, false
	}
	return k, true
}

// elem reads past the separator before the n-th element of an array; false at ']'.
func (d *dec) elem(n int) bool {
	if d.fatal {
		return false
	}
	c := d.peek()
	if c == ']' {
		d.i++
		return false
	}
	if n > 0 {
		if c != ',' {
			d.expect(',') // the problem
			return false
		}
		d.i++
	}
	return true
}

func (d *dec) typeProblem(path, wantVI, wantEN string) {
	start := d.i
	d.canon(nil)
	if d.fatal {
		return
	}
	got := d.b[start:d.i]
	if len(got) > 40 {
		got = append(got[:37:37], "..."...)
	}
	d.add(problemf(path, "type",
		fmt.Sprintf("cần %s, nhận được %s", wantVI, got),
		fmt.Sprintf("expected %s, got %s", wantEN, got)))
}

// str reads a string value.
func (d *dec) str(p, k string) (string, int) {
	switch d.peek() {
	case '"':
		raw, ok := d.rawString()
		if !ok {
			return "", wrong
		}
		return d.text(raw), present
	case 'n':
		if d.null() {
			return "", absent
		}
	}
	d.typeProblem(join(p, k), "một chuỗi văn bản", "a string")
	return "", wrong
}

// enum reads a string that should be one of allowed; a known value costs no allocation (a
// province file has millions of them). An unknown value is returned as read, for Validate.
func (d *dec) enum(p, k string, allowed []string) (string, int) {
	if d.peek() == '"' {
		raw, ok := d.rawString()
		if !ok {
			return "", wrong
		}
		for _, a := range allowed {
			if string(raw) == a {
				return a, present
			}
		}
		return d.text(raw), present
	}
	return d.str(p, k)
}

// text turns decoded bytes into a string in Unicode NFC, the form names are stored in.
func (d *dec) text(raw []byte) string {
	// quickNFC answers for ASCII and precomposed Vietnamese, most names, without norm.
	if quickNFC(raw) || norm.NFC.IsNormal(raw) {
		return d.keep(raw)
	}
	d.nfc = norm.NFC.Append(d.nfc[:0], raw...)
	return d.keep(d.nfc)
}

// keep returns b as a string carved from d.texts, a buffer shared by the texts of the record:
// one allocation for a record's names and ids instead of one each. A string of the record
// keeps the whole buffer alive: for most records, a quarter of the length of the line.
func (d *dec) keep(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if d.texts.Cap()-d.texts.Len() < len(b) {
		// A new buffer, never a grown one: the strings already given out stay where they are.
		// Free text is about a sixth of a record line.
		d.texts = strings.Builder{}
		d.texts.Grow(max(len(b), len(d.b)/4))
	}
	n := d.texts.Len()
	d.texts.Write(b)
	return d.texts.String()[n:]
}

func (d *dec) null() bool {
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

func (d *dec) boolean(p, k string) (bool, int) {
	switch d.peek() {
	case 't':
		if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "true" {
			d.i += 4
			return true, present
		}
	case 'f':
		if len(d.b)-d.i >= 5 && string(d.b[d.i:d.i+5]) == "false" {
			d.i += 5
			return false, present
		}
	case 'n':
		if d.null() {
			return false, absent
		}
	}
	d.typeProblem(join(p, k), "true hoặc false", "true or false")
	return false, wrong
}

// integer reads a whole number.
func (d *dec) integer(p, k string) (int64, int) {
	c := d.peek()
	if c == 'n' && d.null() {
		return 0, absent
	}
	if c != '-' && (c < '0' || c > '9') {
		d.typeProblem(join(p, k), "một số nguyên", "a whole number")
		return 0, wrong
	}
	lit, isInt := d.number()
	if d.fatal {
		return 0, wrong
	}
	if !isInt {
		d.add(problemf(join(p, k), "integer", fmt.Sprintf("cần một số nguyên, nhận được %s", lit),
			fmt.Sprintf("expected a whole number, got %s", lit)))
		return 0, wrong
	}
	v, err := strconv.ParseInt(string(lit), 10, 64)
	if err != nil {
		d.add(problemf(join(p, k), "range", fmt.Sprintf("số %s quá lớn", lit), fmt.Sprintf("number %s is too large", lit)))
		return 0, wrong
	}
	return v, present
}

// float reads any number.
func (d *dec) float(p, k string) (float64, int) {
	c := d.peek()
	if c == 'n' && d.null() {
		return 0, absent
	}
	if c != '-' && (c < '0' || c > '9') {
		d.typeProblem(join(p, k), "một số", "a number")
		return 0, wrong
	}
	lit, _ := d.number()
	if d.fatal {
		return 0, wrong
	}
	v, err := strconv.ParseFloat(string(lit), 64)
	if err != nil {
		d.add(problemf(join(p, k), "range", fmt.Sprintf("số %s nằm ngoài phạm vi", lit), fmt.Sprintf("number %s is out of range", lit)))
		return 0, wrong
	}
	return v, present
}

// date reads a YYYY-MM-DD string.
func (d *dec) date(p, k string) (Date, int) {
	if d.peek() == '"' {
		raw, ok := d.rawString()
		if !ok {
			return Date{}, wrong
		}
		// A date parsed from the bytes is ASCII, which text would keep as it is: only the
		// message of a bad date needs the string.
		if v, err := parseDate(raw); err == nil {
			return v, present
		}
		return d.dateOf(p, k, d.text(raw))
	}
	s, st := d.str(p, k)
	if st != present {
		return Date{}, st
	}
	return d.dateOf(p, k, s)
}

// dateOf parses s, the string value of a date, or records why it is not one.
func (d *dec) dateOf(p, k, s string) (Date, int) {
	v, err := ParseDate(s)
	if err != nil {
		d.add(problemf(join(p, k), "date", fmt.Sprintf("ngày %q không hợp lệ (cần dạng YYYY-MM-DD)", s),
			fmt.Sprintf("date %q is not valid (expected YYYY-MM-DD)", s)))
		return Date{}, wrong
	}
	return v, present
}

// number scans a JSON number and reports whether it is written as a whole number.
func (d *dec) number() ([]byte, bool) {
	start := d.i
	b := d.b
	i := d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		d.i = i
		d.syntax("số không hợp lệ", "malformed number")
		return nil, false
	}
	isInt := true
	if i < len(b) && b[i] == '.' {
		isInt = false
		i++
		n := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == n {
			d.i = i
			d.syntax("số không hợp lệ", "malformed number")
			return nil, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		isInt = false
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		n := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == n {
			d.i = i
			d.syntax("số không hợp lệ", "malformed number")
			return nil, false
		}
	}
	d.i = i
	return b[start:i], isInt
}

// strPlain marks the bytes that stand for themselves in a JSON string: printable ASCII but the
// quote and the backslash. skipPlain finds the end of a run of them.
var strPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// rawString reads a quoted string at d.i and returns its decoded bytes. The result aliases the
// input or d.tmp and is valid until the next call.
func (d *dec) rawString() ([]byte, bool) {
	b := d.b
	i := d.i + 1
	start := i
	for {
		// Where skipPlain8 stopped short of the end, b[i] ends the run: no second look.
		if i = skipPlain8(b, i); i+8 > len(b) {
			for i < len(b) && strPlain[b[i]] {
				i++
			}
			if i >= len(b) {
				break
			}
		}
		switch c := b[i]; {
		case c == '"':
			d.i = i + 1
			return b[start:i], true
		case c == '\\':
			return d.escapedString(start)
		case c < 0x20:
			d.i = i
			d.syntax("ký tự điều khiển trong chuỗi", "control character in string")
			return nil, false
		default:
			size := utf8Len(b[i:])
			if size == 0 {
				d.i = i
				d.syntax("văn bản không phải UTF-8 hợp lệ", "text is not valid UTF-8")
				return nil, false
			}
			i += size
		}
	}
	d.i = i
	d.syntax("chuỗi chưa đóng ngoặc kép (dữ liệu bị cắt cụt?)", "unterminated string (truncated data?)")
	return nil, false
}

// skipPlain returns the index of the first byte of b from i on that is not in strPlain, or
// len(b).
func skipPlain(b []byte, i int) int {
	i = skipPlain8(b, i)
	for i < len(b) && strPlain[b[i]] {
		i++
	}
	return i
}

// skipPlain8 is skipPlain eight bytes at a time, which may stop short in the last seven bytes
// of b. One test finds the end of most keys and values; small enough to be inlined.
func skipPlain8(b []byte, i int) int {
	for ; i+8 <= len(b); i += 8 {
		if m := notPlain8(binary.LittleEndian.Uint64(b[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	return i
}

// Masks of notPlain8, a byte repeated eight times.
const (
	ones   = 0x0101010101010101
	highs  = 0x8080808080808080
	quotes = '"' * ones
	bslash = '\\' * ones
)

// notPlain8 returns the high bits of the bytes of x (little endian) that are not in strPlain,
// and maybe of bytes above them, so the lowest bit set is the first such byte. (v-ones)&^v
// sets the high bit of a byte that is zero, or of one that a borrow from a zero byte below it
// reached: the lowest is exact. Subtracting 0x20 instead of one finds a byte below the space;
// a byte of 0x80 and above has its high bit set in x itself.
func notPlain8(x uint64) uint64 {
	q, bs := x^quotes, x^bslash
	return (x | (x-0x20*ones)&^x | (q-ones)&^q | (bs-ones)&^bs) & highs
}

// utf8Len is the length of the valid UTF-8 encoding of one rune at the start of b, whose first
// byte is not ASCII, or 0 where utf8.DecodeRune would say RuneError of size 1. It is the
// table of well-formed byte sequences of the Unicode standard (Table 3-7), without decoding.
func utf8Len(b []byte) int {
	c := b[0]
	switch {
	case c < 0xC2:
		return 0
	case c < 0xE0:
		if len(b) >= 2 && b[1]&0xC0 == 0x80 {
			return 2
		}
	case c < 0xF0:
		if len(b) >= 3 && b[2]&0xC0 == 0x80 {
			lo, hi := byte(0x80), byte(0xBF)
			switch c {
			case 0xE0:
				lo = 0xA0 // overlong below
			case 0xED:
				hi = 0x9F // surrogates above
			}
			if b[1] >= lo && b[1] <= hi {
				return 3
			}
		}
	case c < 0xF5:
		if len(b) >= 4 && b[2]&0xC0 == 0x80 && b[3]&0xC0 == 0x80 {
			lo, hi := byte(0x80), byte(0xBF)
			switch c {
			case 0xF0:
				lo = 0x90 // overlong below
			case 0xF4:
				hi = 0x8F // beyond U+10FFFF above
			}
			if b[1] >= lo && b[1] <= hi {
				return 4
			}
		}
	}
	return 0
}

func (d *dec) escapedString(start int) ([]byte, bool) {
	b := d.b
	out := append(d.tmp[:0], b[start:start]...)
	i := start
	for i < len(b) {
		if strPlain[b[i]] {
			j := skipPlain(b, i+1)
			out = append(out, b[i:j]...)
			i = j
			continue
		}
		c := b[i]
		switch {
		case c == '"':
			d.i = i + 1
			d.tmp = out
			return out, true
		case c == '\\':
			if i+1 >= len(b) {
				i++
				continue
			}
			e := b[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r, ok := hex4(b, i)
				if !ok {
					d.i = i
					d.syntax("mã \\u không hợp lệ", "malformed \\u escape")
					return nil, false
				}
				i += 4
				if utf16.IsSurrogate(r) {
					if r2, ok2 := hex4(b, i+2); ok2 && i+1 < len(b) && b[i] == '\\' && b[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							r = dec
							i += 6
						} else {
							r = utf8.RuneError
						}
					} else {
						r = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, r)
			default:
				d.i = i - 1
				d.syntax("ký tự thoát không hợp lệ", "invalid escape")
				return nil, false
			}
		case c < 0x20:
			d.i = i
			d.syntax("ký tự điều khiển trong chuỗi", "control character in string")
			return nil, false
		default:
			size := utf8Len(b[i:])
			if size == 0 {
				d.i = i
				d.syntax("văn bản không phải UTF-8 hợp lệ", "text is not valid UTF-8")
				return nil, false
			}
			out = append(out, b[i:i+size]...)
			i += size
		}
	}
	d.i = i
	d.syntax("chuỗi chưa đóng ngoặc kép (dữ liệu bị cắt cụt?)", "unterminated string (truncated data?)")
	return nil, false
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

// canon reads any JSON value and appends its canonical encoding to dst (nil: just skip it).
func (d *dec) canon(dst []byte) []byte {
	if d.fatal {
		return dst
	}
	switch c := d.peek(); {
	case c == '{':
		d.i++
		dst = append(dst, '{')
		for n := 0; ; n++ {
			k, ok := d.key(n)
			if !ok {
				break
			}
			if n > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendString(dst, string(k))
			dst = append(dst, ": "...)
			dst = d.canon(dst)
		}
		return append(dst, '}')
	case c == '[':
		d.i++
		dst = append(dst, '[')
		for n := 0; d.elem(n); n++ {
			if n > 0 {
				dst = append(dst, ", "...)
			}
			dst = d.canon(dst)
		}
		return append(dst, ']')
	case c == '"':
		s, ok := d.rawString()
		if ok {
			dst = appendString(dst, string(s))
		}
		return dst
	case c == '-' || (c >= '0' && c <= '9'):
		lit, _ := d.number()
		return append(dst, lit...)
	case c == 't' || c == 'f':
		for _, lit := range [...]string{"true", "false"} {
			if len(d.b)-d.i >= len(lit) && string(d.b[d.i:d.i+len(lit)]) == lit {
				d.i += len(lit)
				return append(dst, lit...)
			}
		}
	case c == 'n':
		if d.null() {
			return append(dst, "null"...)
		}
	case c == 0 && d.i >= len(d.b):
		d.syntax("dữ liệu bị cắt cụt", "truncated data")
		return dst
	}
	d.syntax("giá trị không hợp lệ", "invalid value")
	return dst
}

// unknown keeps a field this version does not know.
func (d *dec) unknown(extra []Field, path string, k []byte) []Field {
	key := string(k)
	for _, f := range extra {
		if f.Key == key {
			d.add(duplicateProblem(join(path, key)))
		}
	}
	v := d.canon(nil)
	return append(extra, Field{Key: key, Value: v})
}

func duplicateProblem(path string) Problem {
	return problemf(path, "duplicate", "trường bị lặp lại", "field appears more than once")
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
