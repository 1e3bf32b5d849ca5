package household

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestUTF8Len: utf8Len agrees with utf8.DecodeRune on every first and second byte, on both
// edges of the continuation range for the third and fourth, and on every truncation.
func TestUTF8Len(t *testing.T) {
	edges := []byte{0x7F, 0x80, 0xBF, 0xC0}
	var b [4]byte
	for c0 := 0x80; c0 < 0x100; c0++ {
		for c1 := 0; c1 < 0x100; c1++ {
			for _, c2 := range edges {
				for _, c3 := range edges {
					b = [4]byte{byte(c0), byte(c1), c2, c3}
					for n := 1; n <= 4; n++ {
						r, size := utf8.DecodeRune(b[:n])
						want := size
						if r == utf8.RuneError && size <= 1 {
							want = 0
						}
						if got := utf8Len(b[:n]); got != want {
							t.Fatalf("utf8Len(% x) = %d, want %d", b[:n], got, want)
						}
					}
				}
			}
		}
	}
}

// stringUnits are the pieces the string tests build values from: escapes are whole, so a
// problem can only come from a byte that is not text.
var stringUnits = []string{
	"a", "Z", " ", "0", ",", "~", "\x7f", "Phường", "Nguyễn", "Huệ", "ĐẶNG", "é", "ß", "€", "🏠", "\u00a0",
	"e\u0301", "\u0300", "\u0323", "\u0344", "\u212b", "\u1100\u1161",
	`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00e9`, `\u0301`, `\u1eddng`, `\u0110`,
	`\ud83c\udfe0`, `\ud800`, `\udfff`, `\ud800\u0041`, `\u0000`, `\u001f`,
	"\xff", "\xfe", "\x80", "\xbf", "\xc0\x80", "\xc3", "\xe1", "\xe1\xbb", "\xed\xa0\x80", "\xf0\x90", "\xf4\x90\x80\x80", "\xf8",
	"\x00", "\x01", "\n", "\t", "\x1f",
}

// checkStringValue puts raw between quotes as the address of the good record and checks what
// Decode makes of it against the standard library: the NFC of what encoding/json reads, or,
// for a byte that is not text, the problem at that byte's character.
func checkStringValue(t *testing.T, raw string) {
	t.Helper()
	const at = `"address": "`
	line := strings.Replace(good, `"address": "Số 12, đường Nguyễn Huệ"`, at+raw+`"`, 1)
	r, ps := Decode([]byte(line))
	bad, what := -1, ""
	for i := 0; i < len(raw); {
		c := raw[i]
		if c < 0x20 {
			bad, what = i, "control character in string"
			break
		}
		rr, size := utf8.DecodeRuneInString(raw[i:])
		if rr == utf8.RuneError && size <= 1 {
			bad, what = i, "text is not valid UTF-8"
			break
		}
		i += size
	}
	if bad >= 0 {
		want := fmt.Sprintf("invalid JSON at character %d: %s", strings.Index(line, at)+len(at)+bad+1, what)
		if len(ps) != 1 || ps[0].EN != want || ps[0].Rule != "syntax" {
			t.Fatalf("%q: got %v, want %q", raw, ps, want)
		}
		return
	}
	var want string
	if err := json.Unmarshal([]byte(`"`+raw+`"`), &want); err != nil {
		t.Fatalf("%q: encoding/json: %v", raw, err)
	}
	want = norm.NFC.String(want)
	if len(ps) > 0 || r.Address != want {
		t.Fatalf("%q: address %q, problems %v; want %q", raw, r.Address, ps, want)
	}
	// The same text as a key of an unknown field goes through the same reader.
	line = strings.Replace(good, `"address": "Số 12, đường Nguyễn Huệ"`, `"x`+raw+`": 1`, 1)
	if r, ps := Decode([]byte(line)); len(ps) > 0 || len(r.Extra) != 1 || r.Extra[0].Key != "x"+mustUnquote(t, raw) {
		t.Fatalf("%q as a key: %v, %+v", raw, ps, r.Extra)
	}
}

func mustUnquote(t *testing.T, raw string) string {
	var s string
	if err := json.Unmarshal([]byte(`"`+raw+`"`), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// randomText joins fewer than n pieces picked by rng: the random texts of the string and NFC
// tests.
func randomText(rng *rand.Rand, pieces []string, n int) string {
	var sb strings.Builder
	for range rng.IntN(n) {
		sb.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return sb.String()
}

func TestStringValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		checkStringValue(t, randomText(rng, stringUnits, 10))
	}
	// Long runs of ASCII around one bad byte, at every position.
	for n := range 40 {
		for _, bad := range []string{"\xff", "\x01", "\xe1\xbb", "é", `\n`} {
			checkStringValue(t, strings.Repeat("a", n)+bad+strings.Repeat("b", 40-n))
		}
	}
}

// TestStringProblems: the escape problems and the end of the line inside a string, each at
// its character.
func TestStringProblems(t *testing.T) {
	const at = `"address": "`
	for _, tc := range []struct {
		raw, want string
		offset    int // from the first byte of raw
	}{
		{`ab\x`, "invalid escape", 3},
		{`Số\q`, "invalid escape", 5},
		{`\u12`, "malformed \\u escape", 2},
		{`ab\u00g0`, "malformed \\u escape", 4},
		{`\ud83c\u12`, "malformed \\u escape", 8},
	} {
		line := strings.Replace(good, `"address": "Số 12, đường Nguyễn Huệ"`, at+tc.raw+`"`, 1)
		_, ps := Decode([]byte(line))
		want := fmt.Sprintf("invalid JSON at character %d: %s", strings.Index(line, at)+len(at)+tc.offset+1, tc.want)
		if len(ps) != 1 || ps[0].EN != want {
			t.Errorf("%q: got %v, want %q", tc.raw, ps, want)
		}
	}
	for _, tail := range []string{`"Số 12`, `"Số 12\`, `"Số 12\"`, `"Số 12\u00e9`, `"\u`, `"é`} {
		line := good[:strings.Index(good, at)+len(at)-1] + tail
		_, ps := Decode([]byte(line))
		want := fmt.Sprintf("invalid JSON at character %d: unterminated string (truncated data?)", len(line)+1)
		if strings.HasSuffix(tail, `\u`) {
			want = fmt.Sprintf("invalid JSON at character %d: malformed \\u escape", len(line)+1)
		}
		if len(ps) != 1 || ps[0].EN != want {
			t.Errorf("line ending %q: got %v, want %q", tail, ps, want)
		}
	}
}

// FuzzStringValue: any bytes as the address decode as the standard library reads them.
func FuzzStringValue(f *testing.F) {
	for _, u := range stringUnits {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if strings.ContainsAny(raw, `"\`) {
			return // the checker's oracle knows escapes only as whole units
		}
		checkStringValue(t, raw)
	})
}

// TestNotPlain8: the lowest byte that notPlain8 flags is the first byte not in strPlain, on
// words that are plain but for one byte of any value and one more around the edges, at every
// position, and on random words; skipPlain stops there.
func TestNotPlain8(t *testing.T) {
	check := func(w [8]byte, skip bool) {
		want := 8
		for i, c := range w {
			if !strPlain[c] {
				want = i
				break
			}
		}
		got := 8
		if m := notPlain8(binary.LittleEndian.Uint64(w[:])); m != 0 {
			got = bits.TrailingZeros64(m) / 8
		}
		if got != want {
			t.Fatalf("notPlain8(%q) flags byte %d first, want %d", w[:], got, want)
		}
		if !skip {
			return
		}
		line := append(w[:], `abcdefgh\x`...)
		for i := range len(line) + 1 {
			want := i
			for want < len(line) && strPlain[line[want]] {
				want++
			}
			if got := skipPlain(line, i); got != want {
				t.Fatalf("skipPlain(%q, %d) = %d, want %d", line, i, got, want)
			}
		}
	}
	edges := []byte{0x00, 0x01, 0x02, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0x81, 0xA2, 0xDC, 0xFF}
	for _, fill := range []byte{0x20, 0x21, 0x23, 'a', 0x5B, 0x5D, 0x7F} {
		for p := range 8 {
			for v := range 256 {
				var w [8]byte
				for i := range w {
					w[i] = fill
				}
				w[p] = byte(v)
				check(w, true)
				for q := range 8 {
					for _, e := range edges {
						w2 := w
						w2[q] = e
						check(w2, false)
					}
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		var w [8]byte
		for i := range w {
			if rng.IntN(4) == 0 {
				w[i] = edges[rng.IntN(len(edges))]
			} else {
				w[i] = byte(0x20 + rng.IntN(0x60))
			}
		}
		check(w, false)
	}
}
