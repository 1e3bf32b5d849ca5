package poverty

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/assets"
	"github.com/rasoat/rasoat/household"
)

func TestBuiltinStandards(t *testing.T) {
	tests := []struct {
		date, id    string
		provisional bool
		indicators  int
		lastID      string
	}{
		{"2022-01-01", "2022-2025", false, 12, "information"},
		{"2026-12-31", "2022-2025", false, 12, "information"},
		{"2027-01-01", "2027-2030", true, 12, "waste"},
		{"2030-12-31", "2027-2030", true, 12, "waste"},
	}
	for _, tc := range tests {
		s, err := reg.ForDate(household.MustDate(tc.date))
		if err != nil {
			t.Fatalf("%s: %v", tc.date, err)
		}
		if s.ID != tc.id || s.Provisional != tc.provisional || len(s.Indicators) != tc.indicators || s.Indicators[len(s.Indicators)-1].ID != tc.lastID {
			t.Errorf("%s: got %s provisional=%v with %d indicators", tc.date, s.ID, s.Provisional, len(s.Indicators))
		}
	}
	for _, d := range []string{"2021-12-31", "2031-01-01"} {
		if _, err := reg.ForDate(household.MustDate(d)); err == nil {
			t.Errorf("%s: want no standard", d)
		}
	}
	s27 := std(t, "2027-2030")
	if s27.MediumCeiling != nil || s27.ScoreThreshold != nil {
		t.Error("2027-2030 must leave the medium ceiling and the score thresholds unset")
	}
	for _, lang := range []string{"vi", "en"} {
		if title := s27.Title(lang); !strings.Contains(strings.ToLower(title), provisionalWord.In(lang)) {
			t.Errorf("the %s title %q does not say provisional", lang, title)
		}
	}
	if strings.Contains(std(t, "2022-2025").Title("vi"), "tạm thời") {
		t.Error("2022-2025 is not provisional")
	}
}

func builtinBytes(t testing.TB, id string) string {
	data, err := assets.Standards.ReadFile("standards/" + id + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// badOverrides are edits of the shipped 2022-2025 file that make a malformed override, with a
// word its error must say.
var badOverrides = []struct{ name, from, to, want string }{
	{"not JSON", `{`, `{{`, "không hợp lệ"},
	{"unknown field", `"provisional": false`, `"provisional": false, "provisonal": true`, "provisonal"},
	{"unknown indicator", `"id": "telecom"`, `"id": "telephone"`, "telephone"},
	{"negative line", `"rural": 1500000`, `"rural": -5`, "income_line"},
	{"missing parameter", `"min_m2_per_person": 8`, `"min_m2_per_person": 0`, "min_m2_per_person"},
	{"bad dates", `"valid_to": "2026-12-31"`, `"valid_to": "2020-12-31"`, "valid_from"},
	{"overlap", `"id": "2022-2025"`, `"id": "ward-2022"`, "trùng"},
	{"unknown water", `"rainwater", "bottled"`, `"rainwater", "bottles"`, "bottles"},
}

// TestOverrideFile loads a ward's corrected standard and refuses malformed ones with a reason.
func TestOverrideFile(t *testing.T) {
	good := strings.Replace(builtinBytes(t, "2022-2025"), `"version": "2026.1"`, `"version": "2026.1-ward"`, 1)
	good = strings.Replace(good, `"max_share_percent": 50`, `"max_share_percent": 60`, 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "override.json")
	if err := os.WriteFile(path, []byte(good), 0o600); err != nil {
		t.Fatal(err)
	}
	r2, err := reg.WithOverrideFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := r2.Get("2022-2025")
	if s.Version != "2026.1-ward" || *s.Indicator(Dependents).MaxSharePercent != 60 {
		t.Errorf("override not in force: %s", s.Version)
	}
	if orig, _ := reg.Get("2022-2025"); orig.Version != "2026.1" {
		t.Error("the built-in registry changed")
	}
	for _, tc := range badOverrides {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(builtinBytes(t, "2022-2025"), tc.from, tc.to, 1)
			if text == builtinBytes(t, "2022-2025") {
				t.Fatalf("test edit %q not applied", tc.from)
			}
			p := filepath.Join(dir, "bad.json")
			if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := reg.WithOverrideFile(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

// TestOverrideAgesOverflow: ages too large for the arithmetic on months (found by FuzzParse's
// checks) are refused, and a retirement schedule's steps stop at its maximum in any year.
func TestOverrideAgesOverflow(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		// from_years*12 overflowed to a negative number, so every retirement age passed
		{`"from_years": 15`, `"from_years": 768614336404564651`, "from_years"},
		{`"from_years": 15`, `"from_years": 151`, "from_years"},
		{`"max_months": 744`, `"max_months": 1000000`, "working_age.retirement"},
	} {
		text := strings.Replace(builtinBytes(t, "2022-2025"), tc.from, tc.to, 1)
		if _, err := Parse([]byte(text)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error naming %s", tc.to, err, tc.want)
		}
	}
	// base + step*(years since) overflowed to a negative retirement age
	text := strings.Replace(builtinBytes(t, "2022-2025"), `"step_months": 3`, `"step_months": 4611686018427387904`, 1)
	s, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range []int{2020, 2021, 2026, 1 << 40} {
		want := 744
		if y == 2020 {
			want = 720
		}
		if got := s.WorkingAge.RetirementMonths(household.SexMale, y); got != want {
			t.Errorf("retirement in %d: %d months, want %d", y, got, want)
		}
	}
	r := Retirement{BaseYear: 2020, BaseMonths: 720, StepMonths: 3, MaxMonths: 744}
	for y, want := range map[int]int{2019: 720, 2020: 720, 2021: 723, 2027: 741, 2028: 744, 2100: 744} {
		if got := r.MonthsIn(y); got != want {
			t.Errorf("MonthsIn(%d) = %d, want %d", y, got, want)
		}
	}
}

// FuzzParse feeds a ward's override file (--standards-file) arbitrary bytes, seeded with the
// shipped standards, TestOverrideFile's override and its malformed edits. Nothing may panic; a
// refusal is a *poverty.Error; a file Parse accepts holds what check demands, reads back the
// same once written out again, classifies a household without failing, and is chosen for the
// dates it covers when the registry takes it (or is refused with a reason).
func FuzzParse(f *testing.F) {
	for _, id := range []string{"2022-2025", "2027-2030"} {
		f.Add([]byte(builtinBytes(f, id)))
	}
	f.Add([]byte(strings.Replace(builtinBytes(f, "2022-2025"), `"max_share_percent": 50`, `"max_share_percent": 60`, 1)))
	for _, tc := range badOverrides {
		f.Add([]byte(strings.Replace(builtinBytes(f, "2022-2025"), tc.from, tc.to, 1)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data)
		if err != nil {
			if pe, ok := err.(*Error); !ok || pe.VI == "" || pe.EN == "" {
				t.Fatalf("not a bilingual *poverty.Error: %T %v", err, err)
			}
			return
		}
		checkStandard(t, s)
		// written out and read again: the same standard
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		s2, err := Parse(out)
		if err != nil {
			t.Fatalf("an accepted standard, written out, is refused: %v\n%s", err, out)
		}
		if again, _ := json.Marshal(s2); !bytes.Equal(again, out) {
			t.Fatalf("the standard changed on a round trip:\n%s\n%s", out, again)
		}
		// a household of each area, surveyed on its first and last day, classifies
		for _, d := range []household.Date{s.from, s.to} {
			for _, area := range household.Areas {
				h := base(d.String())
				h.Area = area
				if _, err := Classify(h, s); err != nil {
					t.Fatalf("classify on %s: %v", d, err)
				}
			}
		}
		// the registry takes it, for its dates only, or refuses it with a reason
		r2, err := reg.With(s)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("With: not a *poverty.Error: %T %v", err, err)
			}
			return
		}
		for _, d := range []household.Date{s.from, s.to} {
			if got, err := r2.ForDate(d); err != nil || got != s {
				t.Fatalf("ForDate(%s) = %v, %v; want the override", d, got, err)
			}
		}
		all := r2.All()
		for i := 1; i < len(all); i++ {
			if !all[i-1].to.Before(all[i].from) {
				t.Fatalf("standards %s and %s overlap", all[i-1].ID, all[i].ID)
			}
		}
	})
}

// checkStandard fails t unless s holds what Standard.check demands, with the ages of the
// working-age band and the retirement schedule sane in every year the standard covers.
func checkStandard(t *testing.T, s *Standard) {
	t.Helper()
	if s.Format != Format || s.ID == "" || s.Version == "" || s.Name.VI == "" || s.Name.EN == "" ||
		s.to.Before(s.from) || s.IncomeLine.Rural <= 0 || s.IncomeLine.Urban <= 0 ||
		s.PointsPerDeprivation <= 0 || s.PoorMinDeprivations <= 0 || len(s.Indicators) == 0 {
		t.Fatalf("accepted: %+v", s)
	}
	w := &s.WorkingAge
	if w.FromYears <= 0 || w.FromYears > 150 {
		t.Fatalf("working age from %d years", w.FromYears)
	}
	for _, sex := range []string{household.SexMale, household.SexFemale} {
		for y := int(s.from.Y) - 1; y <= int(s.to.Y)+1; y++ {
			m := w.RetirementMonths(sex, y)
			if int64(m) <= int64(w.FromYears)*12 || m > 150*12 {
				t.Fatalf("retirement at %d months in %d, working age from %d years", m, y, w.FromYears)
			}
		}
	}
	n := 0
	for k := Kind(0); k < numKinds; k++ {
		if ind := s.Indicator(k); ind != nil {
			n++
			if ind.Kind() != k || ind.ID != k.String() {
				t.Fatalf("indicator %q as kind %v", ind.ID, k)
			}
		}
	}
	if n != len(s.Indicators) {
		t.Fatalf("%d indicators, %d kinds", len(s.Indicators), n)
	}
}
