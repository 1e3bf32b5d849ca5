package household

import (
	"fmt"
	"strings"
)

// Validate checks a record against every standard-independent rule of the interchange format
// and returns all broken rules (none: nil). Rules that depend on the poverty standard in force
// (waste_collected under 2027-2030, whether an income score can be used) are checked by the
// poverty package.
func Validate(r *Record) Problems {
	var ps Problems
	add := func(p Problem) { ps = append(ps, p) }
	if r.Schema != Schema {
		add(problemf("schema", "schema", fmt.Sprintf("cần %q, nhận được %q", Schema, r.Schema),
			fmt.Sprintf("expected %q, got %q", Schema, r.Schema)))
	}
	checkUUID(add, "", "id", r.ID)
	checkText(add, "", "ward", r.Ward)
	checkEnum(add, "", "area", r.Area, Areas)
	checkText(add, "", "group", r.Group)
	checkText(add, "survey", "round", r.Survey.Round)
	if r.Survey.Date.IsZero() {
		add(requiredProblem("survey.date"))
	}
	validateMembers(add, r)
	checkEnum(add, "housing", "wall", r.Housing.Wall, Structures)
	checkEnum(add, "housing", "column", r.Housing.Column, Structures)
	checkEnum(add, "housing", "roof", r.Housing.Roof, Structures)
	if a := r.Housing.FloorAreaM2; !(a > 0 && a <= MaxFloorAreaM2) {
		add(problemf("housing.floor_area_m2", "range",
			fmt.Sprintf("diện tích %v m² không hợp lệ: phải lớn hơn 0 và không quá %d m²", a, MaxFloorAreaM2),
			fmt.Sprintf("floor area %v m² is not valid: it must be more than 0 and at most %d m²", a, MaxFloorAreaM2)))
	}
	checkEnum(add, "", "water_source", r.WaterSource, Waters)
	checkEnum(add, "", "toilet", r.Toilet, Toilets)
	validateIncome(add, &r.Income)
	if r.PreviousStatus != "" {
		checkEnum(add, "", "previous_status", r.PreviousStatus, Statuses)
	}
	for i := range ps {
		ps[i].RecordID = r.ID
	}
	return ps
}

func validateIncome(add func(Problem), in *Income) {
	if in.Kind == IncomeNone {
		add(problemf("income", "required",
			"cần đúng một trong: monthly_per_capita, annual_total, score",
			"exactly one of monthly_per_capita, annual_total, score is required"))
		return
	}
	if in.Value < 0 {
		add(problemf("income."+in.Kind.Key(), "range",
			fmt.Sprintf("thu nhập không được âm (%d)", in.Value),
			fmt.Sprintf("income must not be negative (%d)", in.Value)))
	}
}

func validateMembers(add func(Problem), r *Record) {
	n := len(r.Members)
	if n < 1 || n > MaxMembers {
		add(problemf("members", "count",
			fmt.Sprintf("hộ phải có từ 1 đến %d thành viên (đang có %d)", MaxMembers, n),
			fmt.Sprintf("a household has 1 to %d members (found %d)", MaxMembers, n)))
	}
	heads := 0
	for i := range r.Members {
		m := &r.Members[i]
		if m.Relation == RelationHead {
			heads++
		}
		for j := 0; j < i; j++ {
			if m.ID != "" && r.Members[j].ID == m.ID {
				add(problemf(memberPath(i)+".id", "unique",
					fmt.Sprintf("mã thành viên trùng với thành viên thứ %d", j+1),
					fmt.Sprintf("member id repeats that of member %d", j+1)))
			}
		}
		validateMember(add, memberPath(i), m, r.Survey.Date)
	}
	if n > 0 && heads != 1 {
		add(problemf("members", "head",
			fmt.Sprintf("hộ phải có đúng một chủ hộ (đang có %d)", heads),
			fmt.Sprintf("exactly one member must be the head of household (found %d)", heads)))
	}
}

func validateMember(add func(Problem), p string, m *Member, survey Date) {
	checkUUID(add, p, "id", m.ID)
	checkText(add, p, "name", m.Name)
	checkEnum(add, p, "sex", m.Sex, Sexes)
	checkEnum(add, p, "relation", m.Relation, Relations)
	checkEnum(add, p, "education", m.Education, Educations)
	checkEnum(add, p, "employment", m.Employment, Employments)
	if m.School != "" {
		checkEnum(add, p, "school", m.School, Schools)
	}
	if m.IDNumber != "" && !isDigits(m.IDNumber, 12) {
		add(problemf(p+".id_number", "id_number",
			fmt.Sprintf("số CCCD %q phải gồm đúng 12 chữ số", m.IDNumber),
			fmt.Sprintf("citizen ID %q must be exactly 12 digits", m.IDNumber)))
	}
	who := m.Name
	if who == "" {
		who = p
	}
	switch {
	case !m.BirthDate.IsZero() && m.BirthYear != 0:
		add(problemf(p+".birth_date", "one_of", "chỉ ghi ngày sinh hoặc năm sinh, không ghi cả hai",
			"give birth_date or birth_year, not both"))
		return
	case !m.HasBirth():
		add(problemf(p+".birth_date", "required", "thiếu ngày sinh hoặc năm sinh", "birth_date or birth_year is required"))
		return
	case survey.IsZero():
		return
	}
	after := m.BirthDate.Compare(survey) > 0
	if m.BirthDate.IsZero() {
		after = m.BirthYear > int(survey.Y)
	}
	age := m.Age(survey)
	field := p + ".birth_date"
	if m.BirthDate.IsZero() {
		field = p + ".birth_year"
	}
	switch {
	case after:
		add(problemf(field, "birth", fmt.Sprintf("%s: ngày sinh sau ngày rà soát %s", who, survey.VN()),
			fmt.Sprintf("%s: born after the survey date %s", who, survey)))
	case age > MaxAgeYears:
		add(problemf(field, "age", fmt.Sprintf("%s: tuổi %d không hợp lệ (tối đa %d)", who, age, MaxAgeYears),
			fmt.Sprintf("%s: age %d is impossible (at most %d)", who, age, MaxAgeYears)))
	default:
		if age >= 3 && age <= 15 && m.School == "" {
			add(problemf(p+".school", "required",
				fmt.Sprintf("%s, %d tuổi: cần ghi tình trạng đi học (bắt buộc cho trẻ 3–15 tuổi)", who, age),
				fmt.Sprintf("%s, aged %d: school attendance is required for ages 3-15", who, age)))
		}
		if age >= 16 && m.Malnourished {
			add(problemf(p+".malnourished", "age",
				fmt.Sprintf("%s, %d tuổi: chỉ trẻ dưới 16 tuổi mới được ghi suy dinh dưỡng", who, age),
				fmt.Sprintf("%s, aged %d: malnourished applies only to members under 16", who, age)))
		}
	}
}

func checkText(add func(Problem), p, k, v string) {
	if strings.TrimSpace(v) == "" {
		add(requiredProblem(join(p, k)))
	}
}

func checkEnum(add func(Problem), p, k, v string, allowed []string) {
	if v == "" {
		add(requiredProblem(join(p, k)))
		return
	}
	for _, a := range allowed {
		if a == v {
			return
		}
	}
	add(enumProblem(join(p, k), v, allowed))
}

func checkUUID(add func(Problem), p, k, v string) {
	if v == "" {
		add(requiredProblem(join(p, k)))
		return
	}
	if !IsUUID(v) {
		add(problemf(join(p, k), "uuid", fmt.Sprintf("%q không phải mã UUID hợp lệ", v),
			fmt.Sprintf("%q is not a valid UUID", v)))
	}
}

// IsUUID reports whether s is a UUID in its canonical 36-character text form.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
