package ui

import (
	"errors"
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

// TestParseSeparators decides every way of typing an amount or an area: in Vietnamese a dot
// groups thousands and a comma starts the decimals, and a mark that can mean only one thing is
// read as that; dong have no fractions; only finite numbers in digits are read.
func TestParseSeparators(t *testing.T) {
	const bad = -1
	const fraction = -2
	money := []struct {
		lang, in string
		want     int64
	}{
		{"vi", "1850000", 1850000}, {"vi", "1.850.000", 1850000}, {"vi", "1 850 000 đ", 1850000},
		{"vi", "1,850,000", 1850000}, // commas repeated can only group
		{"vi", "1.000", 1000}, {"vi", "43.200.000 VND", 43200000},
		{"vi", "1,5", fraction}, {"vi", "1.850.000,50", fraction}, {"vi", "1,850", fraction}, {"vi", "1.5", fraction},
		{"vi", "1.85.000", bad}, {"vi", "1.850,000.5", bad}, {"vi", "1e6", bad}, {"vi", "-500000", bad},
		{"vi", "inf", bad}, {"vi", "1..000", bad}, {"vi", ".500", bad}, {"vi", "1.850. 000", bad},
		{"en", "1,850,000", 1850000}, {"en", "1,850", 1850}, {"en", "1.5", fraction}, {"en", "1.850.000", 1850000},
	}
	area := []struct {
		lang, in string
		want     float64
	}{
		{"vi", "32,5", 32.5}, {"vi", "12.5", 12.5}, {"vi", "12,25", 12.25}, {"vi", "40", 40}, {"vi", " 40 ", 40},
		{"vi", "1.000", 1000}, {"vi", "1.000,5", 1000.5}, {"vi", "1,000", 1},
		{"vi", "nan", bad}, {"vi", "NaN", bad}, {"vi", "inf", bad}, {"vi", "Inf", bad}, {"vi", "1e3", bad},
		{"vi", "0x20", bad}, {"vi", "-3", bad}, {"vi", "+3", bad}, {"vi", "3,2,1", bad}, {"vi", "12,5m", bad},
		{"en", "12.5", 12.5}, {"en", "12,5", 12.5}, {"en", "1,000", 1000}, {"en", "1.000", 1},
	}
	defer SetLanguage("vi")
	for _, c := range money {
		if err := SetLanguage(c.lang); err != nil {
			t.Fatal(err)
		}
		got, err := ParseMoney(c.in)
		switch c.want {
		case bad:
			if !errors.Is(err, errMoney) {
				t.Errorf("%s ParseMoney(%q) = %d, %v; want refused", c.lang, c.in, got, err)
			}
		case fraction:
			if !errors.Is(err, errFraction) {
				t.Errorf("%s ParseMoney(%q) = %d, %v; want refused as a fraction of a dong", c.lang, c.in, got, err)
			}
		default:
			if err != nil || got != c.want {
				t.Errorf("%s ParseMoney(%q) = %d, %v; want %d", c.lang, c.in, got, err, c.want)
			}
		}
	}
	for _, c := range area {
		if err := SetLanguage(c.lang); err != nil {
			t.Fatal(err)
		}
		got, err := ParseNumber(c.in)
		if c.want == bad {
			if err == nil {
				t.Errorf("%s ParseNumber(%q) = %v; want refused", c.lang, c.in, got)
			}
		} else if err != nil || got != c.want {
			t.Errorf("%s ParseNumber(%q) = %v, %v; want %v", c.lang, c.in, got, err, c.want)
		}
	}
}
