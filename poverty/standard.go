// Package poverty holds the national multidimensional poverty standards as data and the
// classifier that applies one to a household: class, income basis, deprivations, score and the
// movement against last year's recognised status. Everything here is pure: no I/O but reading
// the embedded standard files.
package poverty

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rasoat/rasoat/household"
)

// Format is the schema name every standard file carries.
const Format = "rasoat.standard/v1"

// Text is a phrase in Vietnamese and English.
type Text = household.Text

// ByArea is an amount that differs between urban and rural areas.
type ByArea struct {
	Rural int64 `json:"rural"`
	Urban int64 `json:"urban"`
}

// For returns the amount for an area id (household.AreaUrban or household.AreaRural).
func (b ByArea) For(area string) int64 {
	if area == household.AreaUrban {
		return b.Urban
	}
	return b.Rural
}

// Retirement is a statutory retirement-age schedule: BaseMonths up to BaseYear, then StepMonths
// more for each later calendar year, never more than MaxMonths.
type Retirement struct {
	BaseYear   int `json:"base_year"`
	BaseMonths int `json:"base_months"`
	StepMonths int `json:"step_months"`
	MaxMonths  int `json:"max_months"`
}

// MonthsIn is the retirement age, in months, in calendar year y.
func (r Retirement) MonthsIn(y int) int {
	if y <= r.BaseYear {
		return r.BaseMonths
	}
	// the steps past the maximum are not counted: a large step or year cannot overflow
	if r.StepMonths > 0 && y-r.BaseYear > (r.MaxMonths-r.BaseMonths)/r.StepMonths {
		return r.MaxMonths
	}
	return min(r.BaseMonths+r.StepMonths*(y-r.BaseYear), r.MaxMonths)
}

// maxAgeMonths bounds every age of a standard file: no person's age is above 150 years, and a
// larger number (a typing slip) would overflow the arithmetic on ages.
const maxAgeMonths = 150 * 12

// WorkingAge is the age band of the employment indicator.
type WorkingAge struct {
	FromYears  int `json:"from_years"`
	Retirement struct {
		Male   Retirement `json:"male"`
		Female Retirement `json:"female"`
	} `json:"retirement"`
}

// RetirementMonths is the retirement age in months for a sex in year y.
func (w *WorkingAge) RetirementMonths(sex string, y int) int {
	if sex == household.SexFemale {
		return w.Retirement.Female.MonthsIn(y)
	}
	return w.Retirement.Male.MonthsIn(y)
}

// EducationRule says that members aged FromAge..ToAge (inclusive, completed years) need at
// least MinEducation unless they are in school.
type EducationRule struct {
	FromAge      int    `json:"from_age"`
	ToAge        int    `json:"to_age"`
	MinEducation string `json:"min_education"`
	minRank      int
}

// Indicator is one deprivation indicator with the parameters its rule uses. Which parameters
// are required depends on the id; Parse checks them.
type Indicator struct {
	ID         string `json:"id"`
	Dimension  string `json:"dimension"`
	Name       Text   `json:"name"`
	Unverified string `json:"unverified,omitempty"`

	DeprivedEmployment       []string        `json:"deprived_employment,omitempty"`
	UnderAge                 *int            `json:"under_age,omitempty"`
	FromAge                  *int            `json:"from_age,omitempty"`
	UnableToWorkIsDependent  *bool           `json:"unable_to_work_is_dependent,omitempty"`
	MaxSharePercent          *int            `json:"max_share_percent,omitempty"`
	EducationRules           []EducationRule `json:"education_rules,omitempty"`
	MinNonDurable            *int            `json:"min_non_durable,omitempty"`
	MinM2PerPerson           *float64        `json:"min_m2_per_person,omitempty"`
	Acceptable               []string        `json:"acceptable,omitempty"`
	Devices                  []string        `json:"devices,omitempty"`
	LoudspeakerCounts        *bool           `json:"loudspeaker_counts,omitempty"`
	kind                     Kind
	underAge, fromAge, share int
}

// Standard is one poverty standard with every number the classifier needs.
type Standard struct {
	Format               string      `json:"format"`
	ID                   string      `json:"id"`
	Version              string      `json:"version"`
	Name                 Text        `json:"name"`
	Provisional          bool        `json:"provisional"`
	ProvisionalNote      *Text       `json:"provisional_note,omitempty"`
	LegalSources         []string    `json:"legal_sources"`
	ValidFrom            string      `json:"valid_from"`
	ValidTo              string      `json:"valid_to"`
	IncomeLine           ByArea      `json:"income_line"`
	MediumCeiling        *ByArea     `json:"medium_ceiling,omitempty"`
	ScoreThreshold       *ByArea     `json:"score_threshold,omitempty"`
	PointsPerDeprivation int         `json:"points_per_deprivation"`
	PoorMinDeprivations  int         `json:"poor_min_deprivations"`
	WorkingAge           WorkingAge  `json:"working_age"`
	Indicators           []Indicator `json:"indicators"`

	from, to   household.Date
	byKind     [numKinds]*Indicator
	scoreTable *ScoreTable // the table ScoreThreshold comes from, when not from the file
}

// ThresholdTable returns the imported score table that gave the standard its income score
// thresholds (Registry.WithScoreTable), or nil when they are the standard's own or absent.
func (s *Standard) ThresholdTable() *ScoreTable { return s.scoreTable }

// Title names the standard for lists and reports: its name and version, and the word
// "provisional" where it applies, in the given language.
func (s *Standard) Title(lang string) string {
	t := fmt.Sprintf("%s (%s %s)", s.Name.In(lang), Text{VI: "phiên bản", EN: "version"}.In(lang), s.Version)
	if s.Provisional && !strings.Contains(strings.ToLower(s.Name.In(lang)), strings.ToLower(provisionalWord.In(lang))) {
		t += " — " + provisionalWord.In(lang)
	}
	return t
}

var provisionalWord = Text{VI: "tạm thời", EN: "provisional"}

// Covers reports whether the standard applies to a survey on date d.
func (s *Standard) Covers(d household.Date) bool {
	return s.from.Compare(d) <= 0 && d.Compare(s.to) <= 0
}

// Has reports whether the standard uses the indicator of kind k.
func (s *Standard) Has(k Kind) bool { return s.byKind[k] != nil }

// Indicator returns the standard's indicator of kind k, or nil.
func (s *Standard) Indicator(k Kind) *Indicator { return s.byKind[k] }

// Error is a message in Vietnamese and English.
type Error struct{ Text }

func (e *Error) Error() string { return e.VI + " / " + e.EN }

func errorf(vi, en string, args ...any) *Error {
	return &Error{Text{VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)}}
}

// Parse reads a standard file and checks it completely: unknown fields, missing parameters,
// impossible values. A ward's override file goes through the same checks as the shipped ones.
func Parse(data []byte) (*Standard, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s Standard
	if err := dec.Decode(&s); err != nil {
		return nil, errorf("tệp chuẩn nghèo không hợp lệ: %v", "the standard file is not valid: %v", err)
	}
	if dec.More() {
		return nil, errorf("tệp chuẩn nghèo có dữ liệu thừa sau đối tượng JSON", "the standard file has data after its JSON object")
	}
	if err := s.check(); err != nil {
		return nil, err
	}
	return &s, nil
}

func (s *Standard) check() error {
	if s.Format != Format {
		return errorf("tệp chuẩn nghèo phải có \"format\": %q", "a standard file must have \"format\": %q", Format)
	}
	if s.ID == "" || s.Version == "" || s.Name.VI == "" || s.Name.EN == "" {
		return errorf("tệp chuẩn nghèo thiếu id, version hoặc tên (vi, en)", "the standard file lacks its id, version or name (vi, en)")
	}
	var err1, err2 error
	s.from, err1 = household.ParseDate(s.ValidFrom)
	s.to, err2 = household.ParseDate(s.ValidTo)
	if err1 != nil || err2 != nil || s.to.Before(s.from) {
		return s.errf("valid_from / valid_to phải là hai ngày YYYY-MM-DD theo thứ tự", "valid_from / valid_to must be two YYYY-MM-DD dates in order")
	}
	if s.IncomeLine.Rural <= 0 || s.IncomeLine.Urban <= 0 {
		return s.errf("chuẩn thu nhập (income_line) phải lớn hơn 0 cho cả nông thôn và thành thị", "income_line must be more than 0 for rural and urban")
	}
	if m := s.MediumCeiling; m != nil && (m.Rural <= s.IncomeLine.Rural || m.Urban <= s.IncomeLine.Urban) {
		return s.errf("mức sống trung bình (medium_ceiling) phải cao hơn chuẩn thu nhập", "medium_ceiling must be above the income line")
	}
	if t := s.ScoreThreshold; t != nil && (t.Rural <= 0 || t.Urban <= 0) {
		return s.errf("ngưỡng điểm thu nhập (score_threshold) phải lớn hơn 0", "score_threshold must be more than 0")
	}
	if s.PointsPerDeprivation <= 0 || s.PoorMinDeprivations <= 0 {
		return s.errf("points_per_deprivation và poor_min_deprivations phải lớn hơn 0", "points_per_deprivation and poor_min_deprivations must be more than 0")
	}
	if err := s.checkWorkingAge(); err != nil {
		return err
	}
	if len(s.Indicators) == 0 {
		return s.errf("chuẩn nghèo phải có ít nhất một chỉ tiêu", "a standard needs at least one indicator")
	}
	s.byKind = [numKinds]*Indicator{}
	for i := range s.Indicators {
		ind := &s.Indicators[i]
		k, ok := KindOf(ind.ID)
		if !ok {
			return s.errf("chỉ tiêu %q không được hỗ trợ (chỉ nhận: %s)", "indicator %q is not supported (known: %s)", ind.ID, strings.Join(kindIDs[:], ", "))
		}
		if s.byKind[k] != nil {
			return s.errf("chỉ tiêu %q bị lặp lại", "indicator %q appears twice", ind.ID)
		}
		if ind.Name.VI == "" || ind.Name.EN == "" {
			return s.errf("chỉ tiêu %q thiếu tên (vi, en)", "indicator %q lacks its name (vi, en)", ind.ID)
		}
		ind.kind = k
		if err := ind.compile(); err != nil {
			return &Error{Text{
				VI: fmt.Sprintf("chuẩn nghèo %q, chỉ tiêu %q: %s", s.ID, ind.ID, err.VI),
				EN: fmt.Sprintf("standard %q, indicator %q: %s", s.ID, ind.ID, err.EN),
			}}
		}
		s.byKind[k] = ind
	}
	return nil
}

// errf builds an error about this standard: the message, prefixed with the standard's id.
func (s *Standard) errf(vi, en string, args ...any) *Error {
	return &Error{Text{
		VI: fmt.Sprintf("chuẩn nghèo %q: ", s.ID) + fmt.Sprintf(vi, args...),
		EN: fmt.Sprintf("standard %q: ", s.ID) + fmt.Sprintf(en, args...),
	}}
}

func (s *Standard) checkWorkingAge() error {
	w := &s.WorkingAge
	if w.FromYears <= 0 || w.FromYears > maxAgeMonths/12 {
		return s.errf("working_age.from_years phải lớn hơn 0 và không quá %d", "working_age.from_years must be more than 0 and at most %d", maxAgeMonths/12)
	}
	for _, r := range []Retirement{w.Retirement.Male, w.Retirement.Female} {
		if r.BaseMonths <= w.FromYears*12 || r.MaxMonths < r.BaseMonths || r.MaxMonths > maxAgeMonths || r.StepMonths < 0 || r.BaseYear <= 0 {
			return s.errf("lịch tuổi nghỉ hưu (working_age.retirement) không hợp lệ", "the retirement-age schedule (working_age.retirement) is not valid")
		}
	}
	return nil
}
