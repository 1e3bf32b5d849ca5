package ui

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/rasoat/rasoat/household"
)

// Money writes an amount of dong the Vietnamese way: 1.850.000 đ.
func Money(v int64) string {
	return groupDigits(v) + " đ"
}

// groupDigits writes an integer with a dot every three digits: 1850000 → 1.850.000.
func groupDigits(v int64) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// errMoney, errNumber and errDate are input that cannot be read; the form words them.
var (
	errMoney    = errors.New("not an amount of dong")
	errFraction = errors.New("dong have no fractions")
	errNumber   = errors.New("not a number")
	errDate     = errors.New("not a dd/mm/yyyy date")
	errFuture   = errors.New("a survey date after today")
	errEmpty    = errors.New("empty")
	maxDigits   = 15                                    // beyond any amount or area, and exact in a float64
	groupMarks  = map[string]rune{"vi": '.', "en": ','} // the thousands mark; the other one is the decimal mark
)

// readDecimal reads a number typed with digits, spaces and the marks of the language (lang):
// in Vietnamese a dot groups thousands and a comma starts the decimals (1.850.000,5), in
// English the other way round (1,850,000.5). Either mark is still understood where it can mean
// only one thing: with both present the last one is the decimal mark; one mark repeated groups
// thousands; a single mark is a decimal mark unless exactly three digits follow it, when the
// language decides (vi "1.000" is a thousand, "1,000" is one). Groups of thousands must be
// whole (1.85.000 is refused), and only digits are read: no sign, exponent, NaN or Inf.
func readDecimal(s, lang string) (whole, frac string, ok bool) {
	group := groupMarks[lang]
	if group == 0 {
		group = groupMarks["vi"]
	}
	s = strings.Join(strings.Fields(s), " ")
	n := map[rune]int{}
	last := rune(0)
	for _, c := range s {
		switch {
		case c == '.' || c == ',':
			n[c]++
			last = c
		case c == ' ' || c >= '0' && c <= '9':
		default:
			return "", "", false
		}
	}
	var decMark rune
	switch {
	case n['.'] > 0 && n[','] > 0:
		decMark = last
	case n['.']+n[','] == 1:
		i := strings.LastIndexAny(s, ".,")
		if after := s[i+1:]; len(after) != 3 || !allDigits(after) || last != group {
			decMark = last
		}
	}
	if decMark != 0 {
		if n[decMark] != 1 {
			return "", "", false
		}
		i := strings.LastIndexByte(s, byte(decMark))
		s, frac = s[:i], s[i+1:]
		if frac == "" || !allDigits(frac) {
			return "", "", false
		}
	}
	// what is left is the whole part: digits, grouped by one kind of mark or by spaces
	marks := rune(0)
	for _, c := range s {
		if c == '.' || c == ',' || c == ' ' {
			if marks != 0 && marks != c {
				return "", "", false
			}
			marks = c
		}
	}
	parts := []string{s}
	if marks != 0 {
		parts = strings.Split(s, string(marks))
	}
	for i, p := range parts {
		if p == "" || !allDigits(p) || i > 0 && len(p) != 3 || i == 0 && len(parts) > 1 && len(p) > 3 {
			return "", "", false
		}
	}
	whole = strings.Join(parts, "")
	return whole, frac, len(whole)+len(frac) <= maxDigits
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// ParseMoney reads an amount of dong typed the way the app's language writes numbers, with or
// without separators: "1850000", "1.850.000", "1 850 000 đ" (readDecimal). Dong have no
// fractions: "1,5" (1.5 million meant) is refused rather than read as 15.
func ParseMoney(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	for _, unit := range []string{"vnđ", "vnd", "đồng", "đ", "d"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, unit))
	}
	if s == "" {
		return 0, errEmpty
	}
	whole, frac, ok := readDecimal(s, Lang())
	switch {
	case !ok:
		return 0, errMoney
	case frac != "":
		return 0, errFraction
	}
	return strconv.ParseInt(whole, 10, 64)
}

// ParseNumber reads a decimal number typed the way the app's language writes numbers:
// "32,5" or "1.000" in Vietnamese; "32.5" is read too (readDecimal). Only finite numbers
// written in digits are read.
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errEmpty
	}
	whole, frac, ok := readDecimal(s, Lang())
	if !ok {
		return 0, errNumber
	}
	if frac != "" {
		whole += "." + frac
	}
	v, err := strconv.ParseFloat(whole, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, errNumber
	}
	return v, nil
}

// Number writes a decimal number with at most one decimal, with a comma in Vietnamese and a
// dot in English: 32,5 / 32.5; whole numbers have no decimals.
func Number(v float64, lang string) string {
	s := strconv.FormatFloat(v, 'f', 1, 64)
	s = strings.TrimSuffix(s, ".0")
	if lang != "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// exactNumber writes a number as it is, with a decimal comma in Vietnamese: 32,25.
func exactNumber(v float64, lang string) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if lang != "en" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// ParseDateVN reads a date typed the Vietnamese way, day first: 16/09/2026, 16/9/2026,
// 16-09-2026 or 16.09.2026.
func ParseDateVN(s string) (household.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return household.Date{}, errEmpty
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 || len(parts[2]) != 4 {
		return household.Date{}, errDate
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || len(p) > 4 {
			return household.Date{}, errDate
		}
		n[i] = v
	}
	d, m, y := n[0], n[1], n[2]
	if y < 1 || m < 1 || m > 12 || d < 1 || d > household.DaysIn(y, m) {
		return household.Date{}, errDate
	}
	return household.Date{Y: int16(y), M: int8(m), D: int8(d)}, nil
}

// ParseBirth reads the birth question: a full date (dd/mm/yyyy) or, when only that is known,
// the year alone (yyyy). Exactly one of the two results is set.
func ParseBirth(s string) (household.Date, int, error) {
	s = strings.TrimSpace(s)
	if len(s) == 4 {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1 {
			return household.Date{}, 0, errDate
		}
		return household.Date{}, y, nil
	}
	d, err := ParseDateVN(s)
	return d, 0, err
}

// BirthText writes a member's birth the way the form reads it back.
func BirthText(m *household.Member) string {
	if !m.BirthDate.IsZero() {
		return m.BirthDate.VN()
	}
	if m.BirthYear != 0 {
		return strconv.Itoa(m.BirthYear)
	}
	return ""
}
