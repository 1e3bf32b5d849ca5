package household

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfcTableEnd bounds the runes of nfcStarters. It covers Latin-1, Latin Extended-A and -B and
// Latin Extended Additional, where every precomposed Vietnamese letter lives.
const nfcTableEnd = 0x2000

// nfcStarters is a bit set of the runes below nfcTableEnd that are NFC quick-check Yes with
// combining class 0 and a boundary before them: such a rune is in NFC and nothing before it can
// combine with it, so a string made only of them is in NFC (the quick-check algorithm of
// UAX #15). It is derived from the norm package, so it follows the Unicode version the
// fallback uses, and built on the first non-ASCII text.
var nfcStarters = sync.OnceValue(func() *[nfcTableEnd / 64]uint64 {
	var t [nfcTableEnd / 64]uint64
	for r := rune(0); r < nfcTableEnd; r++ {
		if isNFCStarter(r) {
			t[r/64] |= 1 << (r % 64)
		}
	}
	return &t
})

// isNFCStarter tells, from the norm package, whether r may stand anywhere in an NFC string
// made of such runes.
func isNFCStarter(r rune) bool {
	if !utf8.ValidRune(r) {
		return false
	}
	s := string(r)
	p := norm.NFC.PropertiesString(s)
	// IsNormalString of the rune alone rules out quick-check No (a rune that never appears in
	// NFC is changed by it); BoundaryBefore rules out quick-check Maybe.
	return p.CCC() == 0 && p.LeadCCC() == 0 && p.BoundaryBefore() && norm.NFC.IsNormalString(s)
}

// quickNFC reports whether b is known to be in NFC without running the normaliser: true when it
// is made only of ASCII and of the runes of nfcStarters. False means "not known": the caller
// asks norm. Invalid UTF-8 gives false.
func quickNFC(b []byte) bool {
	var t *[nfcTableEnd / 64]uint64
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		if t == nil {
			t = nfcStarters()
		}
		var r rune
		// Two- and three-byte forms below nfcTableEnd are decoded here; utf8.DecodeRune
		// takes a slower path for anything that is not ASCII.
		switch {
		case c >= 0xC2 && c < 0xE0 && i+1 < len(b) && b[i+1]&0xC0 == 0x80:
			r = rune(c&0x1F)<<6 | rune(b[i+1]&0x3F)
			i += 2
		case c >= 0xE0 && c <= 0xE1 && i+2 < len(b) && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80:
			r = rune(c&0x0F)<<12 | rune(b[i+1]&0x3F)<<6 | rune(b[i+2]&0x3F)
			if r < 0x800 { // overlong
				return false
			}
			i += 3
		default:
			return false
		}
		if t[r/64]&(1<<(r%64)) == 0 {
			return false
		}
	}
	return true
}
