package store

import (
	"strings"
	gosync "sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s the way the search index sees it: Vietnamese diacritics removed (NFD, then
// combining marks dropped), đ and Đ made d, and lower case. "Nguyễn Thị Mùi", "Nguyen Thi Mui"
// and "nguyen thi mui" all fold to "nguyen thi mui".
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	if f, ok := foldLatin(s); ok {
		return f
	}
	return foldNFD(s)
}

// foldNFD is Fold by its definition.
func foldNFD(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var it norm.Iter
	it.InitString(norm.NFD, s)
	for !it.Done() {
		seg := it.Next()
		for len(seg) > 0 {
			r, n := utf8.DecodeRune(seg)
			seg = seg[n:]
			switch {
			case unicode.Is(unicode.Mn, r):
				continue
			case r == 'đ' || r == 'Đ':
				r = 'd'
			default:
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Latin text folds one rune at a time, from a table, which is what foldNFD does to it for a
// fraction of the work: the decomposition of a Latin letter is the letter and combining
// diacritics (U+0300–U+036F), which are all dropped, so only letters remain and no
// reordering of marks can show.
const (
	latinLo, latinHi = 0xC0, 0x24F    // Latin-1 Supplement, Latin Extended-A and -B
	marksLo, marksHi = 0x300, 0x36F   // combining diacritical marks
	extLo, extHi     = 0x1E00, 0x1EFF // Latin Extended Additional: most Vietnamese letters
)

// latinFold maps a rune of those ranges (index: rune minus latinLo, marksLo or extLo, in that
// order) to its fold; ok is false for a rune whose decomposition is not of that form, which
// then goes the long way.
var latinFold = gosync.OnceValue(func() []struct {
	f  string
	ok bool
} {
	t := make([]struct {
		f  string
		ok bool
	}, (latinHi-latinLo+1)+(marksHi-marksLo+1)+(extHi-extLo+1))
	i := 0
	for _, rg := range [][2]rune{{latinLo, latinHi}, {marksLo, marksHi}, {extLo, extHi}} {
		for r := rg[0]; r <= rg[1]; r, i = r+1, i+1 {
			d := []rune(norm.NFD.String(string(r)))
			ok := true
			for j, m := range d {
				mark := m >= marksLo && m <= marksHi && unicode.Is(unicode.Mn, m)
				if rg[0] == marksLo && !mark || rg[0] != marksLo && j > 0 && !mark || rg[0] != marksLo && j == 0 && unicode.Is(unicode.Mn, m) {
					ok = false
				}
			}
			t[i].f, t[i].ok = foldNFD(string(r)), ok
		}
	}
	return t
})

// foldLatin folds s by the table; ok is false when s holds a rune outside it.
func foldLatin(s string) (string, bool) {
	t := latinFold()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		var i int
		switch {
		case r < utf8.RuneSelf:
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		case r >= latinLo && r <= latinHi:
			i = int(r - latinLo)
		case r >= marksLo && r <= marksHi:
			i = int(r-marksLo) + (latinHi - latinLo + 1)
		case r >= extLo && r <= extHi:
			i = int(r-extLo) + (latinHi - latinLo + 1) + (marksHi - marksLo + 1)
		default:
			return "", false
		}
		if !t[i].ok {
			return "", false
		}
		b.WriteString(t[i].f)
	}
	return b.String(), true
}

// Tokens returns the distinct folded words of the texts, in first-seen order. A word is a run
// of letters and digits.
func Tokens(texts ...string) []string {
	out := make([]string, 0, 4*len(texts))
	for _, t := range texts {
		f := Fold(t)
		start := -1
		for i, r := range f {
			word := unicode.IsLetter(r) || unicode.IsDigit(r)
			if word && start < 0 {
				start = i
			} else if !word && start >= 0 {
				out = addToken(out, f[start:i])
				start = -1
			}
		}
		if start >= 0 {
			out = addToken(out, f[start:])
		}
	}
	return out
}

// maxToken bounds a token's length in the index (bbolt keys must stay small).
const maxToken = 64

func addToken(out []string, w string) []string {
	if len(w) > maxToken {
		w = w[:maxToken]
		for !utf8.ValidString(w) {
			w = w[:len(w)-1]
		}
	}
	for _, o := range out {
		if o == w {
			return out
		}
	}
	return append(out, w)
}

// recordTokens are the search words of a household: names of every member (head first) and
// the address.
func recordTokens(names []string, address string) []string {
	return Tokens(append(names, address)...)
}
