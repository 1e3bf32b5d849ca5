package poverty

import (
	"github.com/rasoat/rasoat/household"
)

// Household classes, as the classify output spells them.
const (
	Poor     = "poor"
	NearPoor = "near_poor"
	Medium   = "medium"
	NotPoor  = "not_poor"
)

// Income bases.
const (
	BasisDeclared = "declared"
	BasisScore    = "score"
)

// Movements against last year's recognised status.
const (
	RemainsPoor       = "remains_poor"
	RemainsNearPoor   = "remains_near_poor"
	PoorToNearPoor    = "poor_to_near_poor"
	NearPoorToPoor    = "near_poor_to_poor"
	EscapedPoor       = "escaped_poor"
	EscapedNearPoor   = "escaped_near_poor"
	RePoor            = "re_poor"
	ReNearPoor        = "re_near_poor"
	NewPoor           = "new_poor"
	NewNearPoor       = "new_near_poor"
	MovementNone      = "none"
	previousNotPoor   = "not_poor"
	previousEscapedP  = "escaped_poor"
	previousEscapedNP = "escaped_near_poor"
)

// Result is the classification of one household under one standard.
type Result struct {
	Standard         *Standard
	Class            string
	Basis            string
	IncomePerCapita  int64 // VND per person per month; meaningful when Basis is declared
	Score            int64 // income score; meaningful when Basis is score
	Deprived         Set
	DeprivationCount int
	DeprivationScore int
	Movement         string
}

// Deprivations returns the ids of the deprived indicators in the standard's order.
func (r *Result) Deprivations() []string {
	out := make([]string, 0, r.DeprivationCount)
	for i := range r.Standard.Indicators {
		if k := r.Standard.Indicators[i].kind; r.Deprived.Has(k) {
			out = append(out, k.String())
		}
	}
	return out
}

// Classify applies standard s to household h. It assumes h passed household.Validate; the only
// errors are those of the standard itself (an income score where the standard has no score
// thresholds).
func Classify(h *household.Record, s *Standard) (Result, error) {
	res := Result{Standard: s}
	incomeMet, err := incomeCriterion(h, s, &res)
	if err != nil {
		return res, err
	}
	res.Deprived = Deprivations(h, s)
	for k := Kind(0); k < numKinds; k++ {
		if res.Deprived.Has(k) {
			res.DeprivationCount++
		}
	}
	res.DeprivationScore = res.DeprivationCount * s.PointsPerDeprivation
	switch {
	case incomeMet && res.DeprivationCount >= s.PoorMinDeprivations:
		res.Class = Poor
	case incomeMet:
		res.Class = NearPoor
	case res.Basis == BasisDeclared && s.MediumCeiling != nil && res.IncomePerCapita <= s.MediumCeiling.For(h.Area):
		res.Class = Medium
	default:
		res.Class = NotPoor
	}
	res.Movement = Movement(h.PreviousStatus, res.Class)
	return res, nil
}

// incomeCriterion fills the income basis and reports whether the income criterion (I ≤ L, or
// the income score at most the threshold) is met.
func incomeCriterion(h *household.Record, s *Standard, res *Result) (bool, error) {
	in := h.Income
	switch in.Kind {
	case household.IncomeScore:
		res.Basis, res.Score = BasisScore, in.Value
		if s.ScoreThreshold == nil {
			return false, errorf("chuẩn nghèo %s không có ngưỡng điểm thu nhập: không thể xếp loại hộ theo điểm (hãy ghi thu nhập kê khai)",
				"standard %s has no income score thresholds: a household cannot be classified by score (record the declared income instead)", s.ID)
		}
		return in.Value <= s.ScoreThreshold.For(h.Area), nil
	case household.IncomeAnnualTotal:
		res.Basis = BasisDeclared
		if n := int64(len(h.Members)); n > 0 {
			res.IncomePerCapita = in.Value / 12 / n
		}
	case household.IncomeMonthlyPerCapita:
		res.Basis, res.IncomePerCapita = BasisDeclared, in.Value
	default:
		return false, errorf("hộ %s chưa có thông tin thu nhập", "household %s has no income answer", h.ID)
	}
	return res.IncomePerCapita <= s.IncomeLine.For(h.Area), nil
}

// Movement compares this year's class with last year's recognised status ("" counts as
// not poor), per the table of household-record.md.
func Movement(previous, class string) string {
	now := 2 // medium or not poor
	switch class {
	case Poor:
		now = 0
	case NearPoor:
		now = 1
	}
	var row [3]string
	switch previous {
	case Poor:
		row = [3]string{RemainsPoor, PoorToNearPoor, EscapedPoor}
	case NearPoor:
		row = [3]string{NearPoorToPoor, RemainsNearPoor, EscapedNearPoor}
	case previousEscapedP, previousEscapedNP:
		row = [3]string{RePoor, ReNearPoor, MovementNone}
	default:
		row = [3]string{NewPoor, NewNearPoor, MovementNone}
	}
	return row[now]
}

// Deprivations returns the set of indicators of s on which household h is deprived.
func Deprivations(h *household.Record, s *Standard) Set {
	var set Set
	on := h.Survey.Date
	size := len(h.Members)
	dependents := 0
	for i := range h.Members {
		m := &h.Members[i]
		months := m.AgeMonths(on)
		age := months / 12
		set |= memberDeprivations(m, s, months, age, int(on.Y))
		if ind := s.byKind[Dependents]; ind != nil && isDependent(ind, m, age) {
			dependents++
		}
	}
	if ind := s.byKind[Dependents]; ind != nil && dependents*100 > ind.share*size {
		set = set.With(Dependents)
	}
	return set | householdDeprivations(h, s, size)
}

func isDependent(ind *Indicator, m *household.Member, age int) bool {
	return age < ind.underAge || age >= ind.fromAge || (*ind.UnableToWorkIsDependent && !m.AbleToWork)
}

// memberDeprivations returns the member-level indicators this member makes the household
// deprived on.
func memberDeprivations(m *household.Member, s *Standard, months, age, year int) Set {
	var set Set
	if ind := s.byKind[Employment]; ind != nil && inWorkingAge(s, m, months, year) && contains(ind.DeprivedEmployment, m.Employment) {
		set = set.With(Employment)
	}
	if ind := s.byKind[Nutrition]; ind != nil && age < ind.underAge && m.Malnourished {
		set = set.With(Nutrition)
	}
	if ind := s.byKind[HealthInsurance]; ind != nil && age >= ind.fromAge && !m.HealthInsurance {
		set = set.With(HealthInsurance)
	}
	if ind := s.byKind[AdultEducation]; ind != nil && lacksEducation(ind, m, age) {
		set = set.With(AdultEducation)
	}
	if ind := s.byKind[ChildSchooling]; ind != nil && age >= ind.fromAge && age < ind.underAge && m.School != household.SchoolAttending {
		set = set.With(ChildSchooling)
	}
	return set
}

func inWorkingAge(s *Standard, m *household.Member, months, year int) bool {
	return months >= s.WorkingAge.FromYears*12 && months < s.WorkingAge.RetirementMonths(m.Sex, year)
}

// lacksEducation reports whether a member out of school is below the education the rule for
// their age asks.
func lacksEducation(ind *Indicator, m *household.Member, age int) bool {
	if m.InSchool {
		return false
	}
	for i := range ind.EducationRules {
		r := &ind.EducationRules[i]
		if age >= r.FromAge && age <= r.ToAge {
			return household.EducationRank(m.Education) < r.minRank
		}
	}
	return false
}

func householdDeprivations(h *household.Record, s *Standard, size int) Set {
	var set Set
	if ind := s.byKind[HousingQuality]; ind != nil && nonDurable(&h.Housing) >= *ind.MinNonDurable {
		set = set.With(HousingQuality)
	}
	if ind := s.byKind[HousingArea]; ind != nil && h.Housing.FloorAreaM2 < *ind.MinM2PerPerson*float64(size) {
		set = set.With(HousingArea)
	}
	if ind := s.byKind[Water]; ind != nil && !contains(ind.Acceptable, h.WaterSource) {
		set = set.With(Water)
	}
	if ind := s.byKind[Toilet]; ind != nil && !contains(ind.Acceptable, h.Toilet) {
		set = set.With(Toilet)
	}
	if s.byKind[Telecom] != nil && !h.Internet {
		set = set.With(Telecom)
	}
	if ind := s.byKind[Information]; ind != nil && !hasInformation(ind, h) {
		set = set.With(Information)
	}
	if s.byKind[Waste] != nil && h.WasteCollected != nil && !*h.WasteCollected {
		set = set.With(Waste)
	}
	return set
}

func nonDurable(hs *household.Housing) int {
	n := 0
	for _, v := range [3]string{hs.Wall, hs.Column, hs.Roof} {
		if v == household.NonDurable {
			n++
		}
	}
	return n
}

func hasInformation(ind *Indicator, h *household.Record) bool {
	if *ind.LoudspeakerCounts && h.Loudspeaker {
		return true
	}
	for _, d := range ind.Devices {
		if hasDevice(&h.Devices, d) {
			return true
		}
	}
	return false
}
