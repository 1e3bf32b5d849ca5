package ui

import (
	"fmt"

	"github.com/rasoat/rasoat/household"
)

// This file holds the facts of the questionnaire (shared/spec/questionnaire.md) that the form
// needs and the household package does not have yet: which member questions are asked at which
// age, the answers stored when a question is not asked, the list of ethnic groups and the name
// of the survey round. They belong to the questionnaire, not to the screens; they live here until
// the household package takes them.

// ageRange is the ages, in completed years on the survey date, at which a question is asked;
// to < 0 means no upper limit.
type ageRange struct{ from, to int }

// askedAt lists the member questions that depend on age (questionnaire.md B, "asked when").
var askedAt = map[string]ageRange{
	"health_insurance": {6, -1},
	"education":        {6, -1},
	"in_school":        {3, 30},
	"school":           {3, 15},
	"employment":       {15, -1},
	"able_to_work":     {15, -1},
	"malnourished":     {0, 15},
}

// asked reports whether the questionnaire asks a member question of someone of this age. When
// the age is not known yet (no birth typed) every question is asked.
func asked(field string, age int, ageKnown bool) bool {
	r, ok := askedAt[field]
	if !ok || !ageKnown {
		return true
	}
	return age >= r.from && (r.to < 0 || age <= r.to)
}

// memberAge is the member's age on the survey date and whether it can be known yet.
func memberAge(m *household.Member, on household.Date) (int, bool) {
	if !m.HasBirth() || on.IsZero() {
		return 0, false
	}
	return m.Age(on), true
}

// fillUnasked stores, for every question not asked at the member's age, the answer the record
// format still requires (questionnaire.md, after table B): insured (children under 6 are covered
// by law), no education, not in school, a student if in school else not in the labour force,
// able to work, not malnourished.
func fillUnasked(m *household.Member, on household.Date) {
	age, known := memberAge(m, on)
	if !known {
		return
	}
	if !asked("health_insurance", age, true) {
		m.HealthInsurance = true
	}
	if !asked("education", age, true) {
		m.Education = "none"
	}
	if !asked("in_school", age, true) {
		m.InSchool = false
	}
	if !asked("employment", age, true) {
		m.Employment = "not_in_labour_force"
		if m.InSchool {
			m.Employment = "student"
		}
	}
	if !asked("able_to_work", age, true) {
		m.AbleToWork = true
	}
	if !asked("malnourished", age, true) {
		m.Malnourished = false
	}
}

// Ethnicities are Vietnam's 54 ethnic groups, the most numerous first, as the ethnicity question
// offers them; the surveyor may still type another name.
var Ethnicities = []string{
	"Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai",
	"Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông",
	"Thổ", "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng", "Co",
	"Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "Kháng", "La Chí", "Phù Lá", "La Hủ", "La Ha",
	"Pà Thẻn", "Chứt", "Lự", "Lô Lô", "Mảng", "Cờ Lao", "Bố Y", "Cống", "Ngái", "Si La",
	"Pu Péo", "Rơ Măm", "Brâu", "Ơ Đu",
}

// RoundFor names the survey round of a survey date (poverty-standard.md section 6): the periodic
// review runs from 1 September to 14 December ("2026-periodic"); any other date belongs to the
// monthly regular review ("2026-03-regular").
func RoundFor(d household.Date) string {
	if d.M >= 9 && (d.M < 12 || d.D <= 14) {
		return fmt.Sprintf("%04d-periodic", d.Y)
	}
	return fmt.Sprintf("%04d-%02d-regular", d.Y, d.M)
}
