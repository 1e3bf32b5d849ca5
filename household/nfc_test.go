package household

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// vietnamese holds every precomposed letter of Vietnamese, both cases, and đ.
const vietnamese = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ" +
	"ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"

func TestNFCTableAgreesWithNorm(t *testing.T) {
	tab := nfcStarters()
	in := 0
	for r := rune(0); r < nfcTableEnd; r++ {
		s := string(r)
		has := tab[r/64]&(1<<(r%64)) != 0
		if has != isNFCStarter(r) {
			t.Fatalf("U+%04X: table %v, isNFCStarter %v", r, has, !has)
		}
		if got := quickNFC([]byte(s)); got != has && utf8.ValidRune(r) {
			t.Errorf("U+%04X: quickNFC %v, table %v", r, got, has)
		}
		if !has {
			continue
		}
		in++
		if !norm.NFC.IsNormalString(s) || norm.NFC.String(s) != s {
			t.Errorf("U+%04X is in the table but not NFC on its own", r)
		}
		// Nothing before it combines with it, and it combines with nothing after it that is
		// also in the table: a Latin letter, a Vietnamese one, and the rune itself around it.
		for _, o := range []string{"a", "e", "o", "ô", "ơ", "ư", "ẫ", s} {
			if !norm.NFC.IsNormalString(o+s) || !norm.NFC.IsNormalString(s+o) {
				t.Errorf("U+%04X next to %q is not NFC", r, o)
			}
		}
	}
	for _, r := range vietnamese {
		if r >= nfcTableEnd || tab[r/64]&(1<<(r%64)) == 0 {
			t.Errorf("%q (U+%04X) is not in the table: Vietnamese names would all go to norm", r, r)
		}
	}
	// Runes that must never be taken as NFC on their own word: combining marks (the tone and
	// vowel marks of decomposed Vietnamese), 	// singletons and composition exclusions, and runes that combine with one before them.
	for _, r := range []rune{0x0300, 0x0301, 0x0303, 0x0309, 0x0323, 0x0302, 0x0306, 0x031B,
		0x0340, 0x0341, 0x0343, 0x0344, 0x0374, 0x037E, 0x0387, 0x0958, 0x0F73, 0x1F71, 0x1FEE, 0x1FFD,
		0x0B3E, 0x0CD5, 0x102E, 0x1161, 0x1175, 0x11A8, 0x11C2} {
		if tab[r/64]&(1<<(r%64)) != 0 {
			t.Errorf("U+%04X is in the table", r)
		}
	}
	t.Logf("%d of %d runes below U+%04X in the table", in, nfcTableEnd, nfcTableEnd)
}

// TestNFCTablePairs: every pair of table runes is NFC, for each table rune against every
// Vietnamese letter, every ASCII character and starters that combine with a rune after them
// (Hangul L, Oriya, Kannada, Sinhala, Myanmar), on both sides.
func TestNFCTablePairs(t *testing.T) {
	tab := nfcStarters()
	others := append([]rune(vietnamese), 0x1100, 0x1112, 0x0B47, 0x0CC6, 0x0DD9, 0x1025)
	for c := rune(0); c < utf8.RuneSelf; c++ {
		others = append(others, c)
	}
	for r := rune(0x80); r < nfcTableEnd; r++ {
		if tab[r/64]&(1<<(r%64)) == 0 {
			continue
		}
		for _, o := range others {
			a, b := string(r)+string(o), string(o)+string(r)
			if !quickNFC([]byte(a)) || !quickNFC([]byte(b)) {
				t.Fatalf("quickNFC refuses %q or %q, both of table runes", a, b)
			}
			if !norm.NFC.IsNormalString(a) || !norm.NFC.IsNormalString(b) {
				t.Fatalf("%q or %q taken as NFC but is not", a, b)
			}
		}
	}
}

// normText is text as it was before quickNFC: norm alone decides.
func normText(raw []byte) string {
	if norm.NFC.IsNormal(raw) {
		return string(raw)
	}
	return norm.NFC.String(string(raw))
}

// nfcPieces mixes what names are made of with what quickNFC must send to norm.
var nfcPieces = []string{
	"a", "N", " ", "-", "\"", "\\", "0", "\t", "\x00", "\u007f",
	"ễ", "ệ", "ư", "ơ", "đ", "Đ", "à", "ạ", "Ỹ", "é", "ß", "ǅ", "Ω", "ʼ",
	"\u0300", "\u0301", "\u0302", "\u0303", "\u0309", "\u0323", "\u031b", "\u0306", // combining marks
	"\u0340", "\u0344", "\u037e", "\u0958", "\u0f73", "\u1f71", "\u212b", "\u2126", // QC No
	"\u1100", "\u1161", "\u11a8", "가", "\u0cc6", "\u0cd5", "\u0b47", "\u0b3e", // QC Maybe and what they combine with
	"\u2013", "₫", "🏠", "\ufffd", "\u0800", "\u1fff", "\u2000", "\U0010ffff",
	"\xff", "\xc3", "\xe1\xbb", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80", // invalid UTF-8
}

func TestQuickNFCRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		checkQuickNFC(t, []byte(randomText(rng, nfcPieces, 12)))
	}
	for _, s := range []string{"", "Nguyễn Thị Mùi", "Nguye\u0302\u0303n Thi\u0323 Mu\u0300i", "Lê Văn Hiến\u0301",
		"Phường Lào Cai", "e\u0301", "Đặng Minh Chứ", "Tổ 04\xff", "\xe1\xbb\xa5\xe1\xbb"} {
		checkQuickNFC(t, []byte(s))
	}
	if !quickNFC([]byte("Đặng Minh Chứ, Số 12 đường Nguyễn Huệ")) {
		t.Error("quickNFC refuses a precomposed Vietnamese address")
	}
}

// checkQuickNFC: quickNFC never says yes to a string norm would change, and text gives what
// norm alone gives.
func checkQuickNFC(t *testing.T, b []byte) {
	t.Helper()
	if quickNFC(b) && (!utf8.Valid(b) || !norm.NFC.IsNormal(b)) {
		t.Fatalf("quickNFC(%q) = true, but it is not valid NFC", b)
	}
	if utf8.Valid(b) {
		var d dec
		if got, want := d.text(b), normText(b); got != want {
			t.Fatalf("text(%q) = %q, want %q", b, got, want)
		}
	}
}

// FuzzQuickNFC: quickNFC agrees with norm on any bytes.
func FuzzQuickNFC(f *testing.F) {
	for _, p := range nfcPieces {
		f.Add([]byte(p))
	}
	f.Add([]byte("Nguyễn Thị Mùi"))
	f.Add([]byte("Nguye\u0302\u0303n Thi\u0323 Mu\u0300i"))
	f.Fuzz(checkQuickNFC)
}

// BenchmarkNFCTableBuild is the one-time cost of nfcStarters.
func BenchmarkNFCTableBuild(b *testing.B) {
	for b.Loop() {
		var n int
		for r := rune(0); r < nfcTableEnd; r++ {
			if isNFCStarter(r) {
				n++
			}
		}
	}
}
