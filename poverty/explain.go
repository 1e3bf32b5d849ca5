package poverty

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rasoat/rasoat/household"
)

// Reason says in plain words why a household is deprived on one indicator, naming the members
// and facts behind it, e.g. "Trần Văn An, 34 tuổi: không có thẻ BHYT".
type Reason struct {
	Kind      Kind
	Indicator Text // the indicator's name in the standard
	Text      Text
}

// Explain returns one reason per deprived indicator of res, in the standard's order. It reads
// the same parameters as Classify, so a reason is given exactly when the indicator is deprived.
func Explain(h *household.Record, res *Result) []Reason {
	s := res.Standard
	var out []Reason
	for i := range s.Indicators {
		ind := &s.Indicators[i]
		if !res.Deprived.Has(ind.kind) {
			continue
		}
		out = append(out, Reason{Kind: ind.kind, Indicator: ind.Name, Text: reason(h, s, ind)})
	}
	return out
}

func reason(h *household.Record, s *Standard, ind *Indicator) Text {
	if ind.kind <= ChildSchooling && ind.kind != Dependents {
		return memberReasons(h, s, ind)
	}
	size := len(h.Members)
	switch ind.kind {
	case Dependents:
		n := 0
		for i := range h.Members {
			if isDependent(ind, &h.Members[i], h.Members[i].Age(h.Survey.Date)) {
				n++
			}
		}
		return Text{
			VI: fmt.Sprintf("%d/%d thành viên là người phụ thuộc (trên %d%%)", n, size, ind.share),
			EN: fmt.Sprintf("%d of %d members are dependents (more than %d%%)", n, size, ind.share)}
	case HousingQuality:
		var vi, en []string
		for _, p := range [...]struct {
			v      string
			vi, en string
		}{{h.Housing.Wall, "tường", "walls"}, {h.Housing.Column, "cột", "columns"}, {h.Housing.Roof, "mái", "roof"}} {
			if p.v == household.NonDurable {
				vi, en = append(vi, p.vi), append(en, p.en)
			}
		}
		return Text{
			VI: fmt.Sprintf("%d/3 kết cấu chính không bền chắc (%s)", len(vi), strings.Join(vi, ", ")),
			EN: fmt.Sprintf("%d of 3 main structures are not durable (%s)", len(en), strings.Join(en, ", "))}
	case HousingArea:
		a := h.Housing.FloorAreaM2
		if a == 0 {
			return Text{VI: "chưa nhập diện tích nhà ở", EN: "the floor area is not entered yet"}
		}
		per := a / float64(size)
		people := "people"
		if size == 1 {
			people = "person"
		}
		return Text{
			VI: fmt.Sprintf("%s m² cho %d người: %s m²/người, dưới %s m²", numVI(a), size, numVI(per), numVI(*ind.MinM2PerPerson)),
			EN: fmt.Sprintf("%s m² for %d %s: %s m² per person, under %s m²", numEN(a), size, people, numEN(per), numEN(*ind.MinM2PerPerson))}
	case Water:
		if h.WaterSource == "" {
			return Text{VI: "nguồn nước sinh hoạt: chưa trả lời", EN: "main water source: not answered yet"}
		}
		l := household.Label("water_source", h.WaterSource)
		return Text{VI: "nguồn nước sinh hoạt không hợp vệ sinh: " + lower(l.VI), EN: "the main water source is not clean: " + lower(l.EN)}
	case Toilet:
		if h.Toilet == "" {
			return Text{VI: "loại nhà tiêu: chưa trả lời", EN: "toilet type: not answered yet"}
		}
		l := household.Label("toilet", h.Toilet)
		return Text{VI: "nhà tiêu không hợp vệ sinh: " + lower(l.VI), EN: "the toilet is not hygienic: " + lower(l.EN)}
	case Telecom:
		return Text{VI: "không thành viên nào sử dụng dịch vụ Internet", EN: "no member uses internet services"}
	case Information:
		var vi, en []string
		for _, d := range ind.Devices {
			l := household.Label("device", d)
			vi, en = append(vi, lower(l.VI)), append(en, lower(l.EN))
		}
		tv, te := "không có "+strings.Join(vi, ", "), "has no "+strings.Join(en, ", ")
		if *ind.LoudspeakerCounts {
			tv += " và không nghe được loa truyền thanh"
			te += " and cannot hear the loudspeaker system"
		}
		return Text{VI: tv, EN: te}
	case Waste:
		return Text{VI: "rác thải không được thu gom, xử lý hợp vệ sinh", EN: "waste is not collected or treated hygienically"}
	}
	return ind.Name
}

// memberReasons lists each member who makes the household deprived on a member-level
// indicator, with their age and the fact.
func memberReasons(h *household.Record, s *Standard, ind *Indicator) Text {
	var vi, en []string
	on := h.Survey.Date
	for i := range h.Members {
		m := &h.Members[i]
		months := m.AgeMonths(on)
		if !memberDeprivations(m, s, months, months/12, int(on.Y)).Has(ind.kind) {
			continue
		}
		f := memberFact(ind, m, months/12)
		vi = append(vi, who(m, months, "vi")+": "+f.VI)
		en = append(en, who(m, months, "en")+": "+f.EN)
	}
	return Text{VI: strings.Join(vi, "; "), EN: strings.Join(en, "; ")}
}

func memberFact(ind *Indicator, m *household.Member, age int) Text {
	switch ind.kind {
	case Employment:
		if m.Employment == "unemployed" {
			return Text{VI: "thất nghiệp", EN: "unemployed"}
		}
		l := household.Label("employment", m.Employment)
		return Text{VI: lower(l.VI), EN: lower(l.EN)}
	case Nutrition:
		return Text{VI: "suy dinh dưỡng (thấp còi hoặc nhẹ cân)", EN: "malnourished (stunted or underweight)"}
	case HealthInsurance:
		return Text{VI: "không có thẻ BHYT", EN: "no health insurance card"}
	case AdultEducation:
		for _, r := range ind.EducationRules {
			if age >= r.FromAge && age <= r.ToAge {
				l := household.Label("education", r.MinEducation)
				have := household.Label("education", m.Education)
				return Text{
					VI: fmt.Sprintf("không đi học và chưa đạt %s (trình độ: %s)", l.VI, lower(have.VI)),
					EN: fmt.Sprintf("not in school and below %s (has: %s)", lower(l.EN), lower(have.EN))}
			}
		}
	case ChildSchooling:
		if m.School == "" {
			return Text{VI: "chưa ghi tình trạng đi học", EN: "school attendance not recorded"}
		}
		l := household.Label("school", m.School)
		return Text{VI: lower(l.VI), EN: lower(l.EN)}
	}
	return ind.Name
}

// who names a member with their age: "Trần Văn An, 34 tuổi", or in months under one year.
func who(m *household.Member, months int, lang string) string {
	switch {
	case months < 12 && lang == "en":
		return fmt.Sprintf("%s, aged %d months", m.Name, months)
	case months < 12:
		return fmt.Sprintf("%s, %d tháng tuổi", m.Name, months)
	case lang == "en":
		return fmt.Sprintf("%s, aged %d", m.Name, months/12)
	}
	return fmt.Sprintf("%s, %d tuổi", m.Name, months/12)
}

// lower makes the first letter lower case unless the word is an abbreviation (THCS, TV).
func lower(s string) string {
	if len(s) < 2 {
		return s
	}
	r := []rune(s)
	if len(r) > 1 && strings.ToUpper(string(r[1])) == string(r[1]) && strings.ToLower(string(r[1])) != string(r[1]) {
		return s
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}

// numEN writes a number with a decimal point and at most two decimals: 7.5, 3.75, 8.
func numEN(f float64) string {
	return strconv.FormatFloat(float64(int64(f*100+0.5))/100, 'f', -1, 64)
}

// numVI writes a number the Vietnamese way, with a decimal comma: 7,5.
func numVI(f float64) string { return strings.Replace(numEN(f), ".", ",", 1) }
