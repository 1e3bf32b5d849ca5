package poverty

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/household"
)

const examplePath = "testdata/score-table-example.json"

func exampleBytes(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(examplePath)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func exampleTable(t testing.TB) *ScoreTable {
	t.Helper()
	st, err := ParseScoreTable([]byte(exampleBytes(t)))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestExampleScoreTable: the shipped table says everywhere that it is an example.
func TestExampleScoreTable(t *testing.T) {
	st := exampleTable(t)
	if !st.IsExample() {
		t.Error("the example table must have example: true")
	}
	if st.Name.VI != "VÍ DỤ — không phải bảng điểm chính thức" || st.Name.EN != "EXAMPLE — not an official score table" {
		t.Errorf("name %v", st.Name)
	}
	for _, lang := range []string{"vi", "en"} {
		if title := strings.ToLower(st.Title(lang)); !strings.Contains(title, exampleWords.In(lang)) {
			t.Errorf("the %s title %q does not say example", lang, title)
		}
	}
	if len(st.Items) != 7 || len(st.SHA256()) != 64 {
		t.Errorf("%d items, sha256 %q", len(st.Items), st.SHA256())
	}
	if _, err := os.Stat("../assets/score-tables"); err == nil {
		t.Error("no score table is shipped in assets/: the official ones come from the ward")
	}
}

func TestScore(t *testing.T) {
	st := exampleTable(t)
	poorest := map[string]string{"members": "5+", "head_education": "none", "roof": "non_durable",
		"floor_area": "lt8", "refrigerator": "no", "motorbike": "0", "cooking_fuel": "wood"}
	richest := map[string]string{"members": "1", "head_education": "upper_secondary", "roof": "durable",
		"floor_area": "30+", "refrigerator": "yes", "motorbike": "2+", "cooking_fuel": "electricity"}
	tests := []struct {
		name    string
		area    string
		answers map[string]string
		edit    func(map[string]string)
		want    int64
		err     string
	}{
		{"base score only", "rural", poorest, nil, 40, ""},
		{"richest rural", "rural", richest, nil, 40 + 40 + 25 + 15 + 30 + 20 + 25 + 20, ""},
		{"richest urban: points by area", "urban", richest, nil, 40 + 40 + 25 + 15 + 30 + 15 + 25 + 20, ""},
		{"one choice", "urban", poorest, func(m map[string]string) { m["motorbike"] = "1" }, 55, ""},
		{"missing answer", "rural", poorest, func(m map[string]string) { delete(m, "roof") }, 0, `"roof"`},
		{"unknown code", "rural", poorest, func(m map[string]string) { m["motorbike"] = "3" }, 0, `"3"`},
		{"empty code", "rural", poorest, func(m map[string]string) { m["motorbike"] = "" }, 0, "motorbike"},
		{"unknown item", "rural", poorest, func(m map[string]string) { m["car"] = "yes" }, 0, `"car"`},
		{"bad area", "city", poorest, nil, 0, "city"},
		{"no answers", "rural", map[string]string{}, nil, 0, "members"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := map[string]string{}
			for k, v := range tc.answers {
				a[k] = v
			}
			if tc.edit != nil {
				tc.edit(a)
			}
			got, err := st.Score(tc.area, a)
			if tc.err != "" {
				var pe *Error
				if !errors.As(err, &pe) || !strings.Contains(pe.VI, tc.err) || !strings.Contains(pe.EN, tc.err) {
					t.Fatalf("got %d, %v; want a bilingual error naming %s", got, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %d, %v; want %d", got, err, tc.want)
			}
		})
	}
}

// badScoreTables are edits of the example table, each with what its error must name. They are
// the fuzz target's seeds too.
var badScoreTables = []struct{ name, from, to, want string }{
	{"not JSON", `{`, `{{`, "không hợp lệ"},
	{"trailing data", "", "", "thừa"}, // made by badScoreTable
	{"wrong format", `rasoat.score-table/v1`, `rasoat.standard/v1`, "format"},
	{"unknown field", `"example": true,`, `"example": true, "exampel": true,`, "exampel"},
	{"unknown field in a choice", `"points": 40}`, `"points": 40, "weight": 2}`, "weight"},
	{"unknown field in points", `{"rural": 20, "urban": 15}`, `{"rural": 20, "urban": 15, "city": 9}`, "city"},
	{"points by area lacks one", `{"rural": 20, "urban": 15}`, `{"rural": 20}`, "urban"},
	{"repeated key", `"base_score": 40,`, `"base_score": 40, "base_score": 0,`, "base_score"},
	{"repeated threshold", `"2027-2030": {"rural": 150, "urban": 185}`, `"2027-2030": {"rural": 150, "urban": 185}, "2027-2030": {"rural": 1, "urban": 1}`, "2027-2030"},
	{"bad id", `"id": "example",`, `"id": "Example Table",`, "Example Table"},
	{"no version", `"version": "0-example",`, `"version": " ",`, "version"},
	{"no english name", `"en": "EXAMPLE — not an official score table"`, `"en": ""`, "name"},
	{"no region", `"en": "No region (for tests and training)"`, `"en": "\t"`, "region"},
	{"no source", "", "", "source"}, // made by badScoreTable
	{"example not said", `"example": true,`, ``, "example"},
	{"example null", `"example": true,`, `"example": null,`, "example"},
	{"example not named", `"vi": "VÍ DỤ — không phải bảng điểm chính thức"`, `"vi": "Bảng điểm vùng 1"`, "ví dụ"},
	{"official named example", `"example": true,`, `"example": false,`, "example"},
	{"negative base", `"base_score": 40`, `"base_score": -1`, "base_score"},
	{"absurd points", `"points": 40}`, `"points": 1000000}`, `"1"`},
	{"negative points", `"points": 30}`, `"points": -30}`, `"2"`},
	{"fractional points", `"points": 30}`, `"points": 30.5}`, "30.5"},
	{"points as text", `"points": 30}`, `"points": "30"}`, "points"},
	{"zero threshold", `"rural": 150, "urban": 185`, `"rural": 0, "urban": 185`, "2027-2030"},
	{"absurd threshold", `"rural": 150, "urban": 185`, `"rural": 150, "urban": 18500000`, "2027-2030"},
	{"bad standard id", `"2027-2030": {`, `"2027 2030": {`, "2027 2030"},
	{"no items", "", "", "items"}, // made by badScoreTable
	{"duplicate item", `"id": "roof"`, `"id": "members"`, `"members"`},
	{"bad item id", `"id": "roof"`, `"id": ""`, `""`},
	{"item without label", `"label": {"vi": "Mái nhà", "en": "Roof"}`, `"label": {"vi": "Mái nhà"}`, "roof"},
	{"duplicate choice", `{"code": "non_durable"`, `{"code": "durable"`, `"durable"`},
	{"empty code", `{"code": "non_durable"`, `{"code": ""`, "roof"},
	{"code with spaces", `{"code": "non_durable"`, `{"code": " non_durable"`, "roof"},
	{"choice without label", `"label": {"vi": "Không bền chắc", "en": "Not durable"}`, `"label": {"vi": "", "en": "Not durable"}`, "non_durable"},
	{"one choice", `{"code": "durable", "label": {"vi": "Bền chắc", "en": "Durable"}, "points": 15},`, ``, "roof"},
	{"control character", `"vi": "Mái nhà"`, `"vi": "Mái\u0007nhà"`, "roof"},
	{"label too long", `"vi": "Mái nhà"`, `"vi": "` + strings.Repeat("Mái nhà ", 40) + `"`, "roof"},
}

func badScoreTable(t testing.TB, name, from, to string) string {
	good := exampleBytes(t)
	switch name {
	case "trailing data":
		return good + "\n}"
	case "no source":
		return regexp.MustCompile(`"source": "[^"]*"`).ReplaceAllString(good, `"source": "  "`)
	case "no items":
		i := strings.Index(good, `"items": [`)
		return good[:i] + `"items": []}`
	}
	return strings.Replace(good, from, to, 1)
}

func TestParseScoreTableRefuses(t *testing.T) {
	good := exampleBytes(t)
	for _, tc := range badScoreTables {
		t.Run(tc.name, func(t *testing.T) {
			text := badScoreTable(t, tc.name, tc.from, tc.to)
			if text == good {
				t.Fatalf("test edit %q not applied", tc.from)
			}
			st, err := ParseScoreTable([]byte(text))
			var pe *Error
			if err == nil || !errors.As(err, &pe) {
				t.Fatalf("got %v, %v; want a *poverty.Error", st, err)
			}
			if pe.VI == "" || pe.EN == "" || pe.VI == pe.EN {
				t.Errorf("not bilingual: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
	if _, err := ParseScoreTable([]byte(strings.Repeat(" ", MaxScoreTableBytes+1))); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("a huge file: %v", err)
	}
	if _, err := ParseScoreTable([]byte{0xff, '{', '}'}); err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Errorf("not UTF-8: %v", err)
	}
	// Decomposed Vietnamese still says example.
	nfd := strings.Replace(good, "VÍ DỤ", "VI\u0301 DU\u0323", 1)
	if _, err := ParseScoreTable([]byte(nfd)); err != nil {
		t.Errorf("a decomposed name: %v", err)
	}
}

// TestWithScoreTable: the table's thresholds fill in a standard without any; a standard with
// its own keeps them; disagreeing or unknown thresholds are refused.
func TestWithScoreTable(t *testing.T) {
	st := exampleTable(t)
	r2, err := reg.WithScoreTable(st)
	if err != nil {
		t.Fatal(err)
	}
	if r2.ScoreTable() != st || reg.ScoreTable() != nil {
		t.Fatal("ScoreTable does not say which table is in force")
	}
	s27, _ := r2.Get("2027-2030")
	if s27.ScoreThreshold == nil || *s27.ScoreThreshold != (ByArea{Rural: 150, Urban: 185}) || s27.ThresholdTable() != st {
		t.Fatalf("2027-2030 thresholds %v from %v", s27.ScoreThreshold, s27.ThresholdTable())
	}
	if std(t, "2027-2030").ScoreThreshold != nil {
		t.Fatal("the built-in registry changed")
	}
	s22, _ := r2.Get("2022-2025")
	if *s22.ScoreThreshold != (ByArea{Rural: 140, Urban: 175}) || s22.ThresholdTable() != nil || s22 != std(t, "2022-2025") {
		t.Errorf("2022-2025 must keep its own thresholds")
	}

	// A 2027-2030 household with a score: refused without the table, classified with it.
	h := base("2027-09-15")
	h.Area = household.AreaRural
	h.Income = household.Income{Kind: household.IncomeScore, Value: 150}
	if _, err := Classify(h, std(t, "2027-2030")); err == nil || !strings.Contains(err.Error(), "no income score thresholds") {
		t.Fatalf("without a table: %v", err)
	}
	if ps := Check(h, s27); len(ps) != 0 {
		t.Fatalf("Check with the table: %v", ps)
	}
	for _, tc := range []struct {
		area  string
		score int64
		class string
	}{{"rural", 150, NearPoor}, {"rural", 151, NotPoor}, {"urban", 185, NearPoor}, {"urban", 186, NotPoor}} {
		h.Area, h.Income.Value = tc.area, tc.score
		res, err := Classify(h, s27)
		if err != nil || res.Class != tc.class || res.Basis != BasisScore || res.Score != tc.score {
			t.Errorf("%s score %d: %s %s %v, want %s", tc.area, tc.score, res.Class, res.Basis, err, tc.class)
		}
	}

	// Taking the table away, or replacing it, gives the standards back their own thresholds.
	r3, err := r2.WithScoreTable(nil)
	if err != nil || r3.ScoreTable() != nil {
		t.Fatal(err)
	}
	if s, _ := r3.Get("2027-2030"); s.ScoreThreshold != nil {
		t.Error("removing the table left its thresholds")
	}
	// A standard added after the table gets its thresholds too.
	s27own, err := Parse([]byte(builtinBytes(t, "2027-2030")))
	if err != nil {
		t.Fatal(err)
	}
	r4, err := r2.With(s27own)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := r4.Get("2027-2030"); s.ScoreThreshold == nil || s.ThresholdTable() != st {
		t.Error("a standard added after the table lacks its thresholds")
	}

	bad := []struct{ name, from, to, want string }{
		{"disagrees with 2022-2025", `"2022-2025": {"rural": 140, "urban": 175}`, `"2022-2025": {"rural": 150, "urban": 175}`, "140"},
		{"unknown standard", `"2027-2030": {`, `"2031-2035": {`, "2031-2035"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(exampleBytes(t), tc.from, tc.to, 1)
			bt, err := ParseScoreTable([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			_, err = reg.WithScoreTable(bt)
			var pe *Error
			if !errors.As(err, &pe) || !strings.Contains(pe.VI, tc.want) || !strings.Contains(pe.EN, tc.want) {
				t.Errorf("got %v, want a bilingual error naming %s", err, tc.want)
			}
		})
	}
}

func FuzzParseScoreTable(f *testing.F) {
	f.Add([]byte(exampleBytes(f)))
	for _, tc := range badScoreTables {
		f.Add([]byte(badScoreTable(f, tc.name, tc.from, tc.to)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := ParseScoreTable(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("not a *poverty.Error: %T %v", err, err)
			}
			return
		}
		// A table that parses scores any complete answer within its bounds, and applies to
		// the registry or is refused with a reason.
		answers := map[string]string{}
		for _, it := range st.Items {
			answers[it.ID] = it.Choices[len(it.Choices)-1].Code
		}
		for _, area := range household.Areas {
			n, err := st.Score(area, answers)
			if err != nil || n < 0 || n > MaxScorePoints*int64(len(st.Items)+1) {
				t.Fatalf("score %d, %v", n, err)
			}
		}
		if _, err := reg.WithScoreTable(st); err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("WithScoreTable: not a *poverty.Error: %T %v", err, err)
			}
		}
	})
}

func BenchmarkScore(b *testing.B) {
	st := exampleTable(b)
	answers := map[string]string{"members": "3-4", "head_education": "primary", "roof": "durable",
		"floor_area": "8-15", "refrigerator": "yes", "motorbike": "1", "cooking_fuel": "gas"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.Score(household.AreaUrban, answers); err != nil {
			b.Fatal(err)
		}
	}
}
