package store

import (
	"strings"
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

// Tokens returns the distinct folded words of the texts, in first-seen order. A word is a run
// of letters and digits.
func Tokens(texts ...string) []string {
	var out []string
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
