package ui

import (
	"errors"
	"strconv"
	"strings"
	"unicode"

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
	errMoney  = errors.New("not an amount of dong")
	errNumber = errors.New("not a number")
	errDate   = errors.New("not a dd/mm/yyyy date")
	errEmpty  = errors.New("empty")
)

// ParseMoney reads an amount of dong typed with or without separators: "1850000",
// "1.850.000", "1,850,000", "1 850 000 đ". Dong have no fractions, so dots, commas and spaces
// are all thousands separators.
func ParseMoney(s string) (int64, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	for _, unit := range []string{"vnđ", "vnd", "đồng", "đ", "d"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, unit))
	}
	if s == "" {
		return 0, errEmpty
	}
	var n int64
	digits := 0
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			if digits >= 15 {
				return 0, errMoney
			}
			n = n*10 + int64(c-'0')
			digits++
		case c == '.' || c == ',' || unicode.IsSpace(c):
		default:
			return 0, errMoney
		}
	}
	if digits == 0 {
		return 0, errMoney
	}
	return n, nil
}

// ParseNumber reads a decimal number typed with a comma or a dot: "32,5" or "32.5".
func ParseNumber(s string) (float64, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", "."))
	if s == "" {
		return 0, errEmpty
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
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
