package household

import (
	"errors"
	"fmt"
	"time"
)

// Date is a calendar date without time or zone, as the record format writes it (YYYY-MM-DD).
// The zero Date means "not given".
type Date struct {
	Y int16
	M int8
	D int8
}

// ErrDate is returned for text that is not a valid calendar date.
var ErrDate = errors.New("not a valid YYYY-MM-DD date")

// ParseDate reads a YYYY-MM-DD date and checks that the day exists in that month.
func ParseDate(s string) (Date, error) {
	return parseDate(s)
}

// parseDate is ParseDate for bytes too, which Decode reads dates from without a string.
func parseDate[T string | []byte](s T) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, ErrDate
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > DaysIn(y, m) {
		return Date{}, ErrDate
	}
	return Date{Y: int16(y), M: int8(m), D: int8(d)}, nil
}

// MustDate is ParseDate for constants in tests and tables; it panics on a bad date.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(fmt.Sprintf("household.MustDate(%q): %v", s, err))
	}
	return d
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Y: int16(y), M: int8(m), D: int8(d)}
}

func digits[T string | []byte](s T) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// DaysIn is the number of days of month m (1-12) in year y of the Gregorian calendar.
func DaysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// String writes the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.AppendTo(make([]byte, 0, 10)))
}

// AppendTo appends the YYYY-MM-DD form of d to b.
func (d Date) AppendTo(b []byte) []byte {
	y := int(d.Y)
	b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+d.M/10), byte('0'+d.M%10), '-', byte('0'+d.D/10), byte('0'+d.D%10))
	return b
}

// VN writes the date as dd/mm/yyyy, the way Vietnamese forms show it.
func (d Date) VN() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d/%02d/%04d", d.D, d.M, d.Y)
}

// Before reports whether d is strictly earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	a := int(d.Y)<<9 | int(d.M)<<5 | int(d.D)
	b := int(o.Y)<<9 | int(o.M)<<5 | int(o.D)
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// MonthsUntil is the number of completed months from d to on (negative when on is earlier).
// A month is completed on the same day of the month; a birthday on the 29th-31st is reached in a
// shorter month only when that month has ended, the usual legal reading.
func (d Date) MonthsUntil(on Date) int {
	m := (int(on.Y)-int(d.Y))*12 + int(on.M) - int(d.M)
	if on.D < d.D {
		m--
	}
	return m
}

// YearsUntil is the number of completed years from d to on: the age on date on of someone born
// on d. The birthday itself counts as completed.
func (d Date) YearsUntil(on Date) int {
	y := int(on.Y) - int(d.Y)
	if on.M < d.M || (on.M == d.M && on.D < d.D) {
		y--
	}
	return y
}
