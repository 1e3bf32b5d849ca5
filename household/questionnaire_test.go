package household

import "testing"

// TestAskedAtAge: every bound of questionnaire.md table B ("asked when"), with the age on each
// side of it, so that a bound one year off fails.
func TestAskedAtAge(t *testing.T) {
	for _, tc := range []struct {
		field string
		age   int
		want  bool
	}{
		// health_insurance, education: age ≥ 6.
		{"health_insurance", 5, false}, {"health_insurance", 6, true}, {"health_insurance", MaxAgeYears, true},
		{"education", 5, false}, {"education", 6, true}, {"education", MaxAgeYears, true},
		// in_school: age 3–30.
		{"in_school", 2, false}, {"in_school", 3, true}, {"in_school", 30, true}, {"in_school", 31, false},
		// school: age 3–15.
		{"school", 2, false}, {"school", 3, true}, {"school", 15, true}, {"school", 16, false},
		// employment, able_to_work: age ≥ 15.
		{"employment", 14, false}, {"employment", 15, true}, {"employment", MaxAgeYears, true},
		{"able_to_work", 14, false}, {"able_to_work", 15, true}, {"able_to_work", MaxAgeYears, true},
		// malnourished: age < 16.
		{"malnourished", 0, true}, {"malnourished", 15, true}, {"malnourished", 16, false},
		// always.
		{"name", 0, true}, {"relation", 99, true}, {"ethnicity", 2, true}, {"id_number", 1, true},
	} {
		if got := Asked(tc.field, tc.age, true); got != tc.want {
			t.Errorf("Asked(%s, %d) = %v, want %v", tc.field, tc.age, got, tc.want)
		}
	}
	for f := range askedAges {
		if !Asked(f, 200, false) || !Asked(f, -1, false) {
			t.Errorf("%s: with the age unknown every question is asked", f)
		}
	}
}

// TestAskedWhereTheStandardLooks: a question is asked at every age at which an indicator of
// poverty-standard.md section 3 reads its answer, so that the classifier never judges a default
// the surveyor was not asked for.
func TestAskedWhereTheStandardLooks(t *testing.T) {
	for _, tc := range []struct {
		field     string
		from, to  int
		indicator string
	}{
		{"employment", 15, 61, "1 employment: working age, from 15 to the retirement age (at most 62)"},
		{"able_to_work", 16, 59, "2 dependents: unable to work, for members neither under 16 nor 60 or older"},
		{"malnourished", 0, 15, "3 nutrition: members under 16"},
		{"health_insurance", 6, MaxAgeYears, "4 health_insurance: members aged 6 or over"},
		{"in_school", 16, 30, "5 adult_education: members aged 16-30"},
		{"education", 16, 30, "5 adult_education: members aged 16-30"},
		{"school", 3, 15, "6 child_schooling: members aged 3 to under 16"},
	} {
		for age := tc.from; age <= tc.to; age++ {
			if !Asked(tc.field, age, true) {
				t.Errorf("%s is not asked at %d, but indicator %s reads it", tc.field, age, tc.indicator)
			}
		}
	}
}

func TestKnownAge(t *testing.T) {
	on := MustDate("2026-09-16")
	for _, tc := range []struct {
		name  string
		m     Member
		on    Date
		age   int
		known bool
	}{
		{"no birth", Member{}, on, 0, false},
		{"no survey date", Member{BirthYear: 2000}, Date{}, 0, false},
		{"birth year only", Member{BirthYear: 2000}, on, 26, true},
		{"birthday on the survey date", Member{BirthDate: MustDate("2020-09-16")}, on, 6, true},
		{"birthday the day after", Member{BirthDate: MustDate("2020-09-17")}, on, 5, true},
		{"born the day after the survey", Member{BirthDate: MustDate("2026-09-17")}, on, 0, false},
		{"born the year after the survey", Member{BirthYear: 2027}, on, 0, false},
		{"born on the survey date", Member{BirthDate: on}, on, 0, true},
	} {
		if age, known := tc.m.KnownAge(tc.on); age != tc.age || known != tc.known {
			t.Errorf("%s: KnownAge = %d, %v, want %d, %v", tc.name, age, known, tc.age, tc.known)
		}
	}
}

// TestFillUnasked: the defaults of questionnaire.md (after table B) go to the questions not asked
// at the member's age, and the answers to the questions asked are kept.
func TestFillUnasked(t *testing.T) {
	on := MustDate("2026-09-16")
	// Every answer differs from its default, so that a default put where the question is asked
	// shows.
	answered := Member{HealthInsurance: false, Education: "university", InSchool: true,
		Employment: "wage_contract", AbleToWork: false, Malnourished: true}
	type answers struct {
		insured    bool
		education  string
		inSchool   bool
		employment string
		able       bool
		malnourish bool
	}
	kept := answers{false, "university", true, "wage_contract", false, true}
	for _, tc := range []struct {
		age  int
		want answers
	}{
		{2, answers{true, "none", false, "not_in_labour_force", true, true}},
		{3, answers{true, "none", true, "student", true, true}},
		{5, answers{true, "none", true, "student", true, true}},
		{6, answers{false, "university", true, "student", true, true}},
		{14, answers{false, "university", true, "student", true, true}},
		{15, answers{false, "university", true, "wage_contract", false, true}},
		{16, answers{false, "university", true, "wage_contract", false, false}},
		{30, answers{false, "university", true, "wage_contract", false, false}},
		{31, answers{false, "university", false, "wage_contract", false, false}},
	} {
		m := answered
		m.BirthYear = int(on.Y) - tc.age
		m.FillUnasked(on)
		got := answers{m.HealthInsurance, m.Education, m.InSchool, m.Employment, m.AbleToWork, m.Malnourished}
		if got != tc.want {
			t.Errorf("age %d: %+v, want %+v", tc.age, got, tc.want)
		}
	}
	// A child not in school, where work is not asked, is not in the labour force.
	m := answered
	m.BirthYear, m.InSchool = int(on.Y)-10, false
	m.FillUnasked(on)
	if m.Employment != "not_in_labour_force" {
		t.Errorf("a 10-year-old not in school: employment %q, want not_in_labour_force", m.Employment)
	}
	// With the age unknown every question is asked: nothing is filled.
	for _, d := range []Date{on, {}} {
		m := answered
		if d.IsZero() {
			m.BirthYear = 2020
		}
		m.FillUnasked(d)
		if got := (answers{m.HealthInsurance, m.Education, m.InSchool, m.Employment, m.AbleToWork, m.Malnourished}); got != kept {
			t.Errorf("age unknown (birth %v, survey %v): %+v, want the answers kept", m.HasBirth(), d, got)
		}
	}
}

// TestRoundFor: the periodic review runs from 1 September to 14 December (poverty-standard.md
// section 6), each side of both ends; the names are those of household-record.md.
func TestRoundFor(t *testing.T) {
	for d, want := range map[string]string{
		"2026-08-31": "2026-08-regular", "2026-09-01": "2026-periodic",
		"2026-12-14": "2026-periodic", "2026-12-15": "2026-12-regular",
		"2026-10-31": "2026-periodic", "2026-01-01": "2026-01-regular",
		"2027-03-20": "2027-03-regular", "2024-09-16": "2024-periodic",
	} {
		if got := RoundFor(MustDate(d)); got != want {
			t.Errorf("RoundFor(%s) = %q, want %q", d, got, want)
		}
	}
}

func TestRoundName(t *testing.T) {
	for round, want := range map[string]Text{
		"2026-periodic":   {"Rà soát định kỳ năm 2026", "2026 periodic review"},
		"2026-12-regular": {"Rà soát thường xuyên tháng 12/2026", "Regular review, 12/2026"},
		"2027-03-regular": {"Rà soát thường xuyên tháng 03/2027", "Regular review, 03/2027"},
		"2026-13-regular": {"2026-13-regular", "2026-13-regular"},
		"special":         {"special", "special"},
		"":                {"", ""},
	} {
		if got := RoundName(round); got != want {
			t.Errorf("RoundName(%q) = %v, want %v", round, got, want)
		}
	}
	// every round RoundFor makes has a name
	for _, d := range []string{"2026-09-01", "2026-12-14", "2026-12-15", "2027-01-31"} {
		if r := RoundFor(MustDate(d)); RoundName(r).VI == r {
			t.Errorf("%s: round %s has no name", d, r)
		}
	}
}
