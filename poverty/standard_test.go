package poverty

import (
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

func builtinBytes(t *testing.T, id string) string {
	data, err := assets.Standards.ReadFile("standards/" + id + ".json")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
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
	bad := []struct{ name, from, to, want string }{
		{"not JSON", `{`, `{{`, "không hợp lệ"},
		{"unknown field", `"provisional": false`, `"provisional": false, "provisonal": true`, "provisonal"},
		{"unknown indicator", `"id": "telecom"`, `"id": "telephone"`, "telephone"},
		{"negative line", `"rural": 1500000`, `"rural": -5`, "income_line"},
		{"missing parameter", `"min_m2_per_person": 8`, `"min_m2_per_person": 0`, "min_m2_per_person"},
		{"bad dates", `"valid_to": "2026-12-31"`, `"valid_to": "2020-12-31"`, "valid_from"},
		{"overlap", `"id": "2022-2025"`, `"id": "ward-2022"`, "trùng"},
		{"unknown water", `"rainwater", "bottled"`, `"rainwater", "bottles"`, "bottles"},
	}
	for _, tc := range bad {
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
