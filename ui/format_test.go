package ui

import (
	"testing"

	"github.com/rasoat/rasoat/household"
)

func TestMoney(t *testing.T) {
	for v, want := range map[int64]string{0: "0 đ", 950: "950 đ", 1000: "1.000 đ", 1850000: "1.850.000 đ",
		43200000: "43.200.000 đ", -25000: "-25.000 đ", 1234567890: "1.234.567.890 đ"} {
		if got := Money(v); got != want {
			t.Errorf("Money(%d) = %q, want %q", v, got, want)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]int64{"1850000": 1850000, "1.850.000": 1850000, "1,850,000": 1850000,
		"1 850 000 đ": 1850000, " 2.000.000đ ": 2000000, "0": 0, "43.200.000 VND": 43200000, "500000 đồng": 500000} {
		got, err := ParseMoney(in)
		if err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"1,8 triệu", "abc", "-5", "12a", "đ", "1234567890123456"} {
		if _, err := ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) should fail", in)
		}
	}
	if _, err := ParseMoney("  "); err != errEmpty {
		t.Errorf("empty: %v", err)
	}
}

func TestParseDates(t *testing.T) {
	for in, want := range map[string]string{"16/09/2026": "2026-09-16", "6/9/2026": "2026-09-06",
		"29/02/2024": "2024-02-29", "01-12-2025": "2025-12-01", "31.01.1950": "1950-01-31"} {
		got, err := ParseDateVN(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseDateVN(%q) = %v, %v; want %s", in, got, err, want)
		}
		if back, _ := ParseDateVN(got.VN()); back != got {
			t.Errorf("%s does not read back", got.VN())
		}
	}
	for _, in := range []string{"29/02/2026", "31/04/2026", "2026-09-16", "16/09/26", "16/13/2026", "0/1/2026", "x/y/zzzz"} {
		if _, err := ParseDateVN(in); err == nil {
			t.Errorf("ParseDateVN(%q) should fail", in)
		}
	}
	d, y, err := ParseBirth("1984")
	if err != nil || y != 1984 || !d.IsZero() {
		t.Errorf("year only: %v %d %v", d, y, err)
	}
	d, y, err = ParseBirth("02/09/2018")
	if err != nil || y != 0 || d != household.MustDate("2018-09-02") {
		t.Errorf("full date: %v %d %v", d, y, err)
	}
	if _, _, err := ParseBirth("84"); err == nil {
		t.Error("a two-digit year is not a birth")
	}
}

func TestNumbers(t *testing.T) {
	if got := Number(32.5, "vi"); got != "32,5" {
		t.Errorf("vi: %q", got)
	}
	if got := Number(20.0/3, "en"); got != "6.7" {
		t.Errorf("en: %q", got)
	}
	if got := Number(8, "vi"); got != "8" {
		t.Errorf("whole: %q", got)
	}
	if got := exactNumber(32.25, "vi"); got != "32,25" {
		t.Errorf("exact: %q", got)
	}
	for in, want := range map[string]float64{"32,5": 32.5, "32.5": 32.5, " 40 ": 40} {
		if got, err := ParseNumber(in); err != nil || got != want {
			t.Errorf("ParseNumber(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseNumber("ba mươi"); err == nil {
		t.Error("words are not a number")
	}
}
