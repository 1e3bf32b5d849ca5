package poverty

import (
	"github.com/rasoat/rasoat/household"
)

// Kind identifies an indicator rule the classifier knows how to apply. A standard lists the
// kinds it uses, in its own order.
type Kind uint8

// The indicator kinds, in the order of poverty-standard.md sections 3 and 4.
const (
	Employment Kind = iota
	Dependents
	Nutrition
	HealthInsurance
	AdultEducation
	ChildSchooling
	HousingQuality
	HousingArea
	Water
	Toilet
	Telecom
	Information
	Waste
	numKinds
)

var kindIDs = [numKinds]string{"employment", "dependents", "nutrition", "health_insurance",
	"adult_education", "child_schooling", "housing_quality", "housing_area", "water", "toilet",
	"telecom", "information", "waste"}

// String is the indicator's id in the record format and the classify output.
func (k Kind) String() string {
	if k < numKinds {
		return kindIDs[k]
	}
	return "unknown"
}

// KindOf returns the kind with the given id.
func KindOf(id string) (Kind, bool) {
	for i, s := range kindIDs {
		if s == id {
			return Kind(i), true
		}
	}
	return 0, false
}

// Set is a set of indicator kinds.
type Set uint32

// Has reports whether k is in the set.
func (s Set) Has(k Kind) bool { return s&(1<<k) != 0 }

// With returns the set with k added.
func (s Set) With(k Kind) Set { return s | 1<<k }

// Kind returns the indicator's kind.
func (ind *Indicator) Kind() Kind { return ind.kind }

func need(ok bool, vi, en string) *Error {
	if ok {
		return nil
	}
	return &Error{Text{VI: vi, EN: en}}
}

// compile checks that the indicator has the parameters its rule needs and caches them.
func (ind *Indicator) compile() *Error {
	switch ind.kind {
	case Employment:
		if err := need(len(ind.DeprivedEmployment) > 0, "thiếu deprived_employment", "deprived_employment is missing"); err != nil {
			return err
		}
		return allIn(ind.DeprivedEmployment, household.Employments, "deprived_employment")
	case Dependents:
		if err := need(ind.UnderAge != nil && ind.FromAge != nil && ind.MaxSharePercent != nil && ind.UnableToWorkIsDependent != nil,
			"cần under_age, from_age, unable_to_work_is_dependent và max_share_percent",
			"under_age, from_age, unable_to_work_is_dependent and max_share_percent are required"); err != nil {
			return err
		}
		ind.underAge, ind.fromAge, ind.share = *ind.UnderAge, *ind.FromAge, *ind.MaxSharePercent
		return need(ind.share > 0 && ind.share <= 100 && ind.underAge >= 0 && ind.fromAge > ind.underAge,
			"tuổi hoặc tỷ lệ không hợp lệ", "ages or share are not valid")
	case Nutrition:
		if err := need(ind.UnderAge != nil && *ind.UnderAge > 0, "cần under_age lớn hơn 0", "under_age (more than 0) is required"); err != nil {
			return err
		}
		ind.underAge = *ind.UnderAge
	case HealthInsurance:
		if err := need(ind.FromAge != nil && *ind.FromAge >= 0, "cần from_age", "from_age is required"); err != nil {
			return err
		}
		ind.fromAge = *ind.FromAge
	case AdultEducation:
		if err := need(len(ind.EducationRules) > 0, "thiếu education_rules", "education_rules is missing"); err != nil {
			return err
		}
		for i := range ind.EducationRules {
			r := &ind.EducationRules[i]
			r.minRank = household.EducationRank(r.MinEducation)
			if err := need(r.minRank >= 0 && r.FromAge >= 0 && r.ToAge >= r.FromAge,
				"education_rules có tuổi hoặc trình độ không hợp lệ", "education_rules has invalid ages or education level"); err != nil {
				return err
			}
		}
	case ChildSchooling:
		if err := need(ind.FromAge != nil && ind.UnderAge != nil && *ind.UnderAge > *ind.FromAge,
			"cần from_age và under_age", "from_age and under_age are required"); err != nil {
			return err
		}
		ind.fromAge, ind.underAge = *ind.FromAge, *ind.UnderAge
	case HousingQuality:
		return need(ind.MinNonDurable != nil && *ind.MinNonDurable >= 1 && *ind.MinNonDurable <= 3,
			"cần min_non_durable từ 1 đến 3", "min_non_durable from 1 to 3 is required")
	case HousingArea:
		return need(ind.MinM2PerPerson != nil && *ind.MinM2PerPerson > 0,
			"cần min_m2_per_person lớn hơn 0", "min_m2_per_person (more than 0) is required")
	case Water:
		if err := need(len(ind.Acceptable) > 0, "thiếu danh sách acceptable", "acceptable is missing"); err != nil {
			return err
		}
		return allIn(ind.Acceptable, household.Waters, "acceptable")
	case Toilet:
		if err := need(len(ind.Acceptable) > 0, "thiếu danh sách acceptable", "acceptable is missing"); err != nil {
			return err
		}
		return allIn(ind.Acceptable, household.Toilets, "acceptable")
	case Information:
		if err := need(ind.LoudspeakerCounts != nil, "cần loudspeaker_counts", "loudspeaker_counts is required"); err != nil {
			return err
		}
		return allIn(ind.Devices, []string{"tv", "radio", "computer", "phone", "tablet"}, "devices")
	}
	return nil
}

func allIn(vals, allowed []string, field string) *Error {
	for _, v := range vals {
		if !contains(allowed, v) {
			return &Error{Text{VI: field + ": giá trị " + v + " không hợp lệ", EN: field + ": value " + v + " is not valid"}}
		}
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// hasDevice reports whether the household owns the named device.
func hasDevice(d *household.Devices, name string) bool {
	switch name {
	case "tv":
		return d.TV
	case "radio":
		return d.Radio
	case "computer":
		return d.Computer
	case "phone":
		return d.Phone
	case "tablet":
		return d.Tablet
	}
	return false
}
