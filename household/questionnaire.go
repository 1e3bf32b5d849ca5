package household

import (
	"fmt"
	"strconv"
	"strings"
)

// askedAges are the ages, in completed years on the survey date, at which the member questions
// that depend on age are asked (questionnaire.md, table B, "asked when"); to < 0 means no upper
// limit. A question not listed is asked at every age.
var askedAges = map[string]struct{ from, to int }{
	"health_insurance": {6, -1},
	"education":        {6, -1},
	"in_school":        {3, 30},
	"school":           {3, 15},
	"employment":       {15, -1},
	"able_to_work":     {15, -1},
	"malnourished":     {0, 15},
}

// Asked reports whether the questionnaire asks the member question field (a field id of the
// record format, e.g. "school") of someone aged age. When the age is not known yet (known is
// false: no birth typed) every question is asked, since none can be ruled out.
func Asked(field string, age int, known bool) bool {
	r, ok := askedAges[field]
	if !ok || !known {
		return true
	}
	return age >= r.from && (r.to < 0 || age <= r.to)
}

// KnownAge is the member's age on the survey date, as Age gives it, and whether it can be known
// yet: it cannot without a birth date or year, without a survey date, or with a birth after the
// survey date (a typo, which Validate refuses).
func (m *Member) KnownAge(on Date) (int, bool) {
	if !m.HasBirth() || on.IsZero() || on.Before(m.BirthDate) || m.BirthYear > int(on.Y) {
		return 0, false
	}
	return m.Age(on), true
}

// FillUnasked stores, for every question not asked at the member's age on the survey date, the
// answer the record format still requires (questionnaire.md, after table B): insured (children
// under 6 are covered by law), no education, not in school, a student if in school else not in
// the labour force, able to work, not malnourished. With the age not known it changes nothing.
func (m *Member) FillUnasked(on Date) {
	age, known := m.KnownAge(on)
	if !known {
		return
	}
	if !Asked("health_insurance", age, true) {
		m.HealthInsurance = true
	}
	if !Asked("education", age, true) {
		m.Education = "none"
	}
	if !Asked("in_school", age, true) {
		m.InSchool = false
	}
	if !Asked("employment", age, true) {
		// After in_school, so that a child too young for school is not a student.
		m.Employment = "not_in_labour_force"
		if m.InSchool {
			m.Employment = "student"
		}
	}
	if !Asked("able_to_work", age, true) {
		m.AbleToWork = true
	}
	if !Asked("malnourished", age, true) {
		m.Malnourished = false
	}
}

// RoundFor names the survey round of a survey date (poverty-standard.md section 6): the periodic
// review runs from 1 September to 14 December ("2026-periodic"); any other date belongs to the
// monthly regular review ("2026-03-regular").
func RoundFor(d Date) string {
	if d.M >= 9 && (d.M < 12 || d.D <= 14) {
		return fmt.Sprintf("%04d-periodic", d.Y)
	}
	return fmt.Sprintf("%04d-%02d-regular", d.Y, d.M)
}

// RoundName names a survey round (RoundFor) for people: "2026-periodic" is "Rà soát định kỳ
// năm 2026" ("2026 periodic review"), "2026-12-regular" is "Rà soát thường xuyên tháng
// 12/2026" ("Regular review, 12/2026"). A round of another form is given as it is.
func RoundName(round string) Text {
	parts := strings.Split(round, "-")
	year, err := strconv.Atoi(parts[0])
	if err != nil || len(parts[0]) != 4 || year < 1 {
		return Text{round, round}
	}
	switch {
	case len(parts) == 2 && parts[1] == "periodic":
		return Text{fmt.Sprintf("Rà soát định kỳ năm %04d", year), fmt.Sprintf("%04d periodic review", year)}
	case len(parts) == 3 && parts[2] == "regular":
		if m, err := strconv.Atoi(parts[1]); err == nil && len(parts[1]) == 2 && m >= 1 && m <= 12 {
			return Text{fmt.Sprintf("Rà soát thường xuyên tháng %02d/%04d", m, year),
				fmt.Sprintf("Regular review, %02d/%04d", m, year)}
		}
	}
	return Text{round, round}
}
