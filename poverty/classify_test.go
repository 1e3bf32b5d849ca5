package poverty

import (
	"strings"
	"testing"
	"time"

	"github.com/rasoat/rasoat/household"
)

var reg = MustBuiltin()

func std(t testing.TB, id string) *Standard {
	t.Helper()
	s, err := reg.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// adult is a 40-year-old man who deprives the household of nothing.
func adult(name string, birth string) household.Member {
	return household.Member{ID: "00000000-0000-4000-8000-000000000001", Name: name, Sex: household.SexMale,
		BirthDate: household.MustDate(birth), Relation: "head", HealthInsurance: true,
		Education: "university", Employment: "wage_contract", AbleToWork: true}
}

// base is a one-person urban household surveyed on date, deprived on nothing, with a declared
// income of 5,000,000 VND per person.
func base(date string) *household.Record {
	d := household.MustDate(date)
	yes := true
	return &household.Record{Schema: household.Schema, ID: "11111111-1111-4111-8111-111111111111",
		Ward: "Phường Thử", Area: household.AreaUrban, Group: "Tổ 01",
		Survey:      household.Survey{Round: "test", Date: d},
		Members:     []household.Member{adult("Trần Văn An", shift(d, -40, 0, 0))},
		Housing:     household.Housing{Wall: "durable", Column: "durable", Roof: "durable", FloorAreaM2: 50},
		WaterSource: "piped", Toilet: "septic", Internet: true,
		Devices: household.Devices{TV: true}, Loudspeaker: true, WasteCollected: &yes,
		Income: household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 5_000_000}}
}

// shift returns d moved by years, months and days, as YYYY-MM-DD (days only within the month
// arithmetic Go's time package does).
func shift(d household.Date, years, months, days int) string {
	t := dateTime(d).AddDate(years, months, days)
	return household.DateOf(t).String()
}

// with adds a member of the given birth date built by fn to a copy of h.
func with(h *household.Record, birth string, fn func(m *household.Member)) *household.Record {
	c := h.Clone()
	m := adult("Lê Thị Bình", birth)
	m.ID = "00000000-0000-4000-8000-00000000000" + string(rune('2'+len(c.Members)))
	m.Relation, m.Sex = "child", household.SexFemale
	fn(&m)
	c.Members = append(c.Members, m)
	c.Housing.FloorAreaM2 = 100
	return c
}

func deprived(t *testing.T, h *household.Record, s *Standard) Set {
	t.Helper()
	if ps := household.Validate(h); len(ps) > 0 {
		t.Fatalf("test household is invalid: %v", ps)
	}
	return Deprivations(h, s)
}

func TestMemberIndicatorEdges(t *testing.T) {
	const on = "2024-09-15"
	d := household.MustDate(on)
	tests := []struct {
		name  string
		birth string
		edit  func(m *household.Member)
		kind  Kind
		want  bool
	}{
		{"insurance: 6th birthday on the survey date", shift(d, -6, 0, 0), func(m *household.Member) { m.HealthInsurance = false; m.School = "attending" }, HealthInsurance, true},
		{"insurance: 6th birthday tomorrow", shift(d, -6, 0, 1), func(m *household.Member) { m.HealthInsurance = false; m.School = "attending" }, HealthInsurance, false},
		{"schooling: 3rd birthday today, not attending", shift(d, -3, 0, 0), func(m *household.Member) { m.School = "not_attending" }, ChildSchooling, true},
		{"schooling: 3rd birthday tomorrow", shift(d, -3, 0, 1), func(m *household.Member) { m.School = "not_attending" }, ChildSchooling, false},
		{"schooling: 15, behind", shift(d, -15, 0, 0), func(m *household.Member) { m.School = "attending_behind" }, ChildSchooling, true},
		{"schooling: 15, attending", shift(d, -15, 0, 0), func(m *household.Member) { m.School = "attending" }, ChildSchooling, false},
		{"schooling: 16th birthday today", shift(d, -16, 0, 0), func(m *household.Member) { m.School = "not_attending" }, ChildSchooling, false},
		{"nutrition: 15 malnourished", shift(d, -16, 0, 1), func(m *household.Member) { m.Malnourished = true; m.School = "attending" }, Nutrition, true},
		{"nutrition: 16th birthday today", shift(d, -16, 0, 0), func(m *household.Member) { m.Malnourished = false }, Nutrition, false},
		{"education: 16 with primary", shift(d, -16, 0, 0), func(m *household.Member) { m.Education = "primary" }, AdultEducation, true},
		{"education: 16 with primary, in school", shift(d, -16, 0, 0), func(m *household.Member) { m.Education = "primary"; m.InSchool = true }, AdultEducation, false},
		{"education: 17 with lower secondary", shift(d, -17, 0, 0), func(m *household.Member) { m.Education = "lower_secondary" }, AdultEducation, false},
		{"education: 18 with lower secondary", shift(d, -18, 0, 0), func(m *household.Member) { m.Education = "lower_secondary" }, AdultEducation, true},
		{"education: 18 elementary vocational", shift(d, -18, 0, 0), func(m *household.Member) { m.Education = "vocational_elementary" }, AdultEducation, false},
		{"education: 30 with lower secondary", shift(d, -31, 0, 1), func(m *household.Member) { m.Education = "lower_secondary" }, AdultEducation, true},
		{"education: 31st birthday today", shift(d, -31, 0, 0), func(m *household.Member) { m.Education = "lower_secondary" }, AdultEducation, false},
		{"employment: 15th birthday today, unemployed", shift(d, -15, 0, 0), func(m *household.Member) { m.Employment = "unemployed"; m.School = "attending" }, Employment, true},
		{"employment: 15th birthday tomorrow", shift(d, -15, 0, 1), func(m *household.Member) { m.Employment = "unemployed"; m.School = "attending" }, Employment, false},
		{"employment: wage without contract", shift(d, -30, 0, 0), func(m *household.Member) { m.Employment = "wage_no_contract" }, Employment, true},
		{"employment: self-employed", shift(d, -30, 0, 0), func(m *household.Member) { m.Employment = "self_employed" }, Employment, false},
	}
	s := std(t, "2022-2025")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := with(base(on), tc.birth, tc.edit)
			if got := deprived(t, h, s).Has(tc.kind); got != tc.want {
				t.Errorf("%s deprived = %v, want %v (age %d)", tc.kind, got, tc.want, h.Members[1].Age(d))
			}
		})
	}
}

// TestRetirementAgeToTheMonth puts an unemployed member one month either side of the
// statutory retirement age, for both sexes and several years.
func TestRetirementAgeToTheMonth(t *testing.T) {
	tests := []struct {
		year   int
		sex    string
		months int // retirement age in months that year
	}{
		{2022, household.SexMale, 726}, {2022, household.SexFemale, 668},
		{2024, household.SexMale, 732}, {2024, household.SexFemale, 676},
		{2026, household.SexMale, 738}, {2026, household.SexFemale, 684},
		{2028, household.SexMale, 744}, {2028, household.SexFemale, 692},
		{2030, household.SexMale, 744}, {2030, household.SexFemale, 700},
	}
	for _, tc := range tests {
		on := household.Date{Y: int16(tc.year), M: 10, D: 20}
		s, err := reg.ForDate(on)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.WorkingAge.RetirementMonths(tc.sex, tc.year); got != tc.months {
			t.Errorf("%d %s: retirement age %d months, want %d", tc.year, tc.sex, got, tc.months)
		}
		for _, delta := range []int{-1, 0} {
			months := tc.months + delta
			birth := shift(on, 0, -months, 0)
			h := with(base(on.String()), birth, func(m *household.Member) { m.Employment = "unemployed"; m.Sex = tc.sex })
			want := delta < 0 // still of working age one month before
			if got := deprived(t, h, s).Has(Employment); got != want {
				t.Errorf("%d %s aged %d months: employment deprived = %v, want %v", tc.year, tc.sex, months, got, want)
			}
		}
	}
}

func TestBirthYearOnly(t *testing.T) {
	// Born "2018": age = 2024 - 2018 = 6 on any survey day of 2024, even on 1 January.
	h := with(base("2024-01-01"), "2018-12-31", func(m *household.Member) {
		m.BirthDate, m.BirthYear = household.Date{}, 2018
		m.HealthInsurance, m.School = false, "attending"
	})
	if !deprived(t, h, std(t, "2022-2025")).Has(HealthInsurance) {
		t.Error("a member born in 2018 is 6 in 2024 and must be counted for health insurance")
	}
	h.Members[1].BirthYear = 2019
	if deprived(t, h, std(t, "2022-2025")).Has(HealthInsurance) {
		t.Error("a member born in 2019 is 5 in 2024")
	}
}

func TestDependentsShare(t *testing.T) {
	s := std(t, "2022-2025")
	on := household.MustDate("2024-09-15")
	child := func(m *household.Member) { m.School = "attending" }
	// 1 adult + 1 child: exactly 50% dependents → not deprived.
	h := with(base(on.String()), shift(on, -10, 0, 0), child)
	if deprived(t, h, s).Has(Dependents) {
		t.Error("exactly 50% dependents must not be deprived")
	}
	// + a 60-year-old: 2 of 3.
	h2 := with(h, shift(on, -60, 0, 0), func(m *household.Member) {})
	if !deprived(t, h2, s).Has(Dependents) {
		t.Error("2 of 3 dependents (a child, a 60-year-old) must be deprived")
	}
	// a 59-year-old is not a dependent: 1 of 3.
	h3 := with(h, shift(on, -60, 0, 1), func(m *household.Member) {})
	if deprived(t, h3, s).Has(Dependents) {
		t.Error("a 59-year-old is not a dependent")
	}
	// an adult unable to work is.
	h4 := with(h, shift(on, -35, 0, 0), func(m *household.Member) { m.AbleToWork = false })
	if !deprived(t, h4, s).Has(Dependents) {
		t.Error("a member unable to work is a dependent")
	}
}

func TestHouseholdIndicatorEdges(t *testing.T) {
	s := std(t, "2022-2025")
	tests := []struct {
		name string
		edit func(h *household.Record)
		kind Kind
		want bool
	}{
		{"area exactly 8 m² per person", func(h *household.Record) { h.Housing.FloorAreaM2 = 8 }, HousingArea, false},
		{"area 7.5 m² per person", func(h *household.Record) { h.Housing.FloorAreaM2 = 7.5 }, HousingArea, true},
		{"one structure not durable", func(h *household.Record) { h.Housing.Roof = "non_durable" }, HousingQuality, false},
		{"two structures not durable", func(h *household.Record) { h.Housing.Roof, h.Housing.Wall = "non_durable", "non_durable" }, HousingQuality, true},
		{"drilled well is clean", func(h *household.Record) { h.WaterSource = "drilled_well" }, Water, false},
		{"unprotected well", func(h *household.Record) { h.WaterSource = "unprotected_well" }, Water, true},
		{"ventilated pit is hygienic", func(h *household.Record) { h.Toilet = "ventilated_pit" }, Toilet, false},
		{"simple pit", func(h *household.Record) { h.Toilet = "simple_pit" }, Toilet, true},
		{"no internet", func(h *household.Record) { h.Internet = false }, Telecom, true},
		{"only a loudspeaker", func(h *household.Record) { h.Devices = household.Devices{} }, Information, false},
		{"no device, no loudspeaker", func(h *household.Record) { h.Devices, h.Loudspeaker = household.Devices{}, false }, Information, true},
		{"a radio only", func(h *household.Record) { h.Devices, h.Loudspeaker = household.Devices{Radio: true}, false }, Information, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := base("2024-09-15")
			tc.edit(h)
			if got := deprived(t, h, s).Has(tc.kind); got != tc.want {
				t.Errorf("%s deprived = %v, want %v", tc.kind, got, tc.want)
			}
		})
	}
	// 2027-2030: no information indicator, a waste indicator.
	s27 := std(t, "2027-2030")
	h := base("2027-09-15")
	h.Devices, h.Loudspeaker = household.Devices{}, false
	no := false
	h.WasteCollected = &no
	got := deprived(t, h, s27)
	if got.Has(Information) || !got.Has(Waste) {
		t.Errorf("2027-2030: deprived %v, want waste and not information", got)
	}
}

func TestIncomeLinesAndClasses(t *testing.T) {
	threeDeprived := func(h *household.Record) { h.Internet, h.WaterSource, h.Toilet = false, "surface_water", "none" }
	twoDeprived := func(h *household.Record) { h.Internet, h.WaterSource = false, "surface_water" }
	tests := []struct {
		name, date, area string
		income           household.Income
		edit             func(h *household.Record)
		class, basis     string
		perCapita        int64
	}{
		{"urban at the line, 3 deprivations", "2024-09-15", "urban", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 2_000_000}, threeDeprived, Poor, BasisDeclared, 2_000_000},
		{"urban at the line, 2 deprivations", "2024-09-15", "urban", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 2_000_000}, twoDeprived, NearPoor, BasisDeclared, 2_000_000},
		{"urban one dong above the line", "2024-09-15", "urban", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 2_000_001}, threeDeprived, Medium, BasisDeclared, 2_000_001},
		{"urban at the medium ceiling", "2024-09-15", "urban", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 3_000_000}, nil, Medium, BasisDeclared, 3_000_000},
		{"urban above the medium ceiling", "2024-09-15", "urban", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 3_000_001}, nil, NotPoor, BasisDeclared, 3_000_001},
		{"rural at the line", "2024-09-15", "rural", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 1_500_000}, nil, NearPoor, BasisDeclared, 1_500_000},
		{"rural at the medium ceiling", "2024-09-15", "rural", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 2_250_000}, nil, Medium, BasisDeclared, 2_250_000},
		{"annual total rounds down to the line", "2024-09-15", "rural", household.Income{Kind: household.IncomeAnnualTotal, Value: 18_000_011}, nil, NearPoor, BasisDeclared, 1_500_000},
		{"annual total one dong per month above", "2024-09-15", "rural", household.Income{Kind: household.IncomeAnnualTotal, Value: 18_000_012}, nil, Medium, BasisDeclared, 1_500_001},
		{"annual total one dong short", "2024-09-15", "rural", household.Income{Kind: household.IncomeAnnualTotal, Value: 17_999_999}, nil, NearPoor, BasisDeclared, 1_499_999},
		{"rural score 140", "2024-09-15", "rural", household.Income{Kind: household.IncomeScore, Value: 140}, threeDeprived, Poor, BasisScore, 0},
		{"rural score 141 is never medium", "2024-09-15", "rural", household.Income{Kind: household.IncomeScore, Value: 141}, nil, NotPoor, BasisScore, 0},
		{"urban score 175", "2024-09-15", "urban", household.Income{Kind: household.IncomeScore, Value: 175}, nil, NearPoor, BasisScore, 0},
		{"2027 urban at the line", "2027-09-15", "urban", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 2_800_000}, threeDeprived, Poor, BasisDeclared, 2_800_000},
		{"2027 above the line: no medium class", "2027-09-15", "urban", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 2_800_001}, nil, NotPoor, BasisDeclared, 2_800_001},
		{"2027 rural at the line", "2027-09-15", "rural", household.Income{Kind: household.IncomeMonthlyPerCapita, Value: 2_200_000}, nil, NearPoor, BasisDeclared, 2_200_000},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := base(tc.date)
			h.Area, h.Income = tc.area, tc.income
			if tc.edit != nil {
				tc.edit(h)
			}
			s, err := reg.ForDate(h.Survey.Date)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Classify(h, s)
			if err != nil {
				t.Fatal(err)
			}
			if res.Class != tc.class || res.Basis != tc.basis || (tc.basis == BasisDeclared && res.IncomePerCapita != tc.perCapita) {
				t.Errorf("got %s/%s/%d, want %s/%s/%d", res.Class, res.Basis, res.IncomePerCapita, tc.class, tc.basis, tc.perCapita)
			}
			if res.DeprivationScore != 10*res.DeprivationCount {
				t.Errorf("score %d for %d deprivations", res.DeprivationScore, res.DeprivationCount)
			}
		})
	}
}

func TestScoreWithoutThresholdsIsAnError(t *testing.T) {
	h := base("2028-09-15")
	h.Income = household.Income{Kind: household.IncomeScore, Value: 100}
	_, err := Classify(h, std(t, "2027-2030"))
	if err == nil || !strings.Contains(err.Error(), "ngưỡng điểm") {
		t.Fatalf("want a score-threshold error, got %v", err)
	}
	if ps := Check(h, std(t, "2027-2030")); len(ps) != 1 || ps[0].Path != "income.score" {
		t.Fatalf("Check: want one income.score problem, got %v", ps)
	}
}

func TestMovementTable(t *testing.T) {
	tests := []struct{ prev, class, want string }{
		{"poor", Poor, RemainsPoor}, {"poor", NearPoor, PoorToNearPoor}, {"poor", Medium, EscapedPoor}, {"poor", NotPoor, EscapedPoor},
		{"near_poor", Poor, NearPoorToPoor}, {"near_poor", NearPoor, RemainsNearPoor}, {"near_poor", NotPoor, EscapedNearPoor},
		{"escaped_poor", Poor, RePoor}, {"escaped_near_poor", NearPoor, ReNearPoor}, {"escaped_poor", Medium, MovementNone},
		{"medium", Poor, NewPoor}, {"not_poor", NearPoor, NewNearPoor}, {"", Poor, NewPoor}, {"", NotPoor, MovementNone},
	}
	for _, tc := range tests {
		if got := Movement(tc.prev, tc.class); got != tc.want {
			t.Errorf("Movement(%q, %q) = %q, want %q", tc.prev, tc.class, got, tc.want)
		}
	}
}

func TestExplainNamesMemberAndFact(t *testing.T) {
	h := base("2024-09-15")
	h.Members[0].HealthInsurance = false
	h.Members[0].BirthDate = household.MustDate("1990-01-01")
	h.Housing.FloorAreaM2 = 7.5
	res, err := Classify(h, std(t, "2022-2025"))
	if err != nil {
		t.Fatal(err)
	}
	rs := Explain(h, &res)
	if len(rs) != 2 {
		t.Fatalf("want 2 reasons, got %v", rs)
	}
	if got, want := rs[0].Text.VI, "Trần Văn An, 34 tuổi: không có thẻ BHYT"; got != want {
		t.Errorf("reason = %q, want %q", got, want)
	}
	if got, want := rs[1].Text.EN, "7.5 m² for 1 person: 7.5 m² per person, under 8 m²"; got != want {
		t.Errorf("reason = %q, want %q", got, want)
	}
}

func dateTime(d household.Date) time.Time {
	return time.Date(int(d.Y), time.Month(d.M), int(d.D), 12, 0, 0, 0, time.UTC)
}
