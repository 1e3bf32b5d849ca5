// Package household holds the household record of the yearly poverty review: its Go types, the
// JSON Lines interchange format (rasoat.household/v1) and the standard-independent validation
// rules of ../shared/spec/household-record.md. It has no dependency on storage, UI or the
// poverty standard.
package household

// Schema is the only interchange schema this version reads and writes.
const Schema = "rasoat.household/v1"

// Limits of the record format.
const (
	MaxMembers     = 30
	MaxAgeYears    = 120
	MaxFloorAreaM2 = 2000
)

// Enumerations of the record format, as they are spelled in JSON.
const (
	AreaUrban = "urban"
	AreaRural = "rural"

	RelationHead = "head"

	SexMale   = "male"
	SexFemale = "female"

	SchoolAttending       = "attending"
	SchoolAttendingBehind = "attending_behind"
	SchoolNotAttending    = "not_attending"

	Durable    = "durable"
	NonDurable = "non_durable"
)

// Allowed values of each enumerated field, in the order of the spec (the form shows them so).
var (
	Areas       = []string{AreaUrban, AreaRural}
	Sexes       = []string{SexMale, SexFemale}
	Relations   = []string{"head", "spouse", "child", "parent", "grandchild", "sibling", "other"}
	Educations  = []string{"none", "primary", "lower_secondary", "upper_secondary", "vocational_elementary", "vocational_intermediate", "college", "university"}
	Schools     = []string{SchoolAttending, SchoolAttendingBehind, SchoolNotAttending}
	Employments = []string{"wage_contract", "wage_no_contract", "self_employed", "unemployed", "not_in_labour_force", "student", "retired"}
	Structures  = []string{Durable, NonDurable}
	Waters      = []string{"piped", "drilled_well", "protected_dug_well", "protected_spring", "rainwater", "bottled", "unprotected_well", "unprotected_spring", "surface_water", "other"}
	Toilets     = []string{"septic", "semi_septic", "pour_flush", "double_vault", "ventilated_pit", "biogas", "simple_pit", "hanging", "none", "other"}
	Statuses    = []string{"poor", "near_poor", "escaped_poor", "escaped_near_poor", "medium", "not_poor"}
)

// EducationRank is the position of an education level in the spec's order, lowest first, or -1
// for an unknown level.
func EducationRank(level string) int {
	for i, e := range Educations {
		if e == level {
			return i
		}
	}
	return -1
}

// Record is one household's answers for one survey round.
type Record struct {
	Schema         string
	ID             string
	Ward           string
	Area           string
	Group          string
	Address        string // optional: empty means absent
	Survey         Survey
	Members        []Member
	Housing        Housing
	WaterSource    string
	Toilet         string
	Internet       bool
	Devices        Devices
	Loudspeaker    bool
	WasteCollected *bool // optional under 2022-2025
	Income         Income
	PreviousStatus string // optional: empty means absent

	// Extra keeps fields this version does not know, in input order, so a newer app's data
	// survives a round trip through this one.
	Extra []Field
}

// Survey says when, in which round and by whom the household was surveyed.
type Survey struct {
	Round    string
	Date     Date
	Surveyor string // optional
	Extra    []Field
}

// Member is one person of the household.
type Member struct {
	ID              string
	Name            string
	Sex             string
	BirthDate       Date // one of BirthDate and BirthYear is set
	BirthYear       int
	Relation        string
	Ethnicity       string // optional
	IDNumber        string // optional: 12-digit citizen ID
	HealthInsurance bool
	Education       string
	InSchool        bool
	School          string // optional outside ages 3-15
	Employment      string
	AbleToWork      bool
	Malnourished    bool
	Extra           []Field
}

// Housing describes the main structures and the floor area of the dwelling.
type Housing struct {
	Wall        string
	Column      string
	Roof        string
	FloorAreaM2 float64
	Extra       []Field
}

// Devices are the information devices the household owns.
type Devices struct {
	TV, Radio, Computer, Phone, Tablet bool
	Extra                              []Field
}

// IncomeKind says which of the three income answers a record carries.
type IncomeKind uint8

// The income answers of the record format.
const (
	IncomeNone IncomeKind = iota
	IncomeMonthlyPerCapita
	IncomeAnnualTotal
	IncomeScore
)

// Key is the JSON field name of the income answer.
func (k IncomeKind) Key() string {
	switch k {
	case IncomeMonthlyPerCapita:
		return "monthly_per_capita"
	case IncomeAnnualTotal:
		return "annual_total"
	case IncomeScore:
		return "score"
	}
	return ""
}

// Income is exactly one of: declared monthly income per person, the household's income over
// the last 12 months (VND), or an income score from an imported score table.
type Income struct {
	Kind  IncomeKind
	Value int64
	Extra []Field
}

// Field is a JSON member this version does not know: its key and its value, re-encoded in the
// canonical form of Encode.
type Field struct {
	Key   string
	Value []byte
}

// Head returns the index of the first member whose relation is head, or -1.
func (r *Record) Head() int {
	for i := range r.Members {
		if r.Members[i].Relation == RelationHead {
			return i
		}
	}
	return -1
}

// HeadName is the name of the head of household, or of the first member when no head is
// marked (lists must still name the household).
func (r *Record) HeadName() string {
	if i := r.Head(); i >= 0 {
		return r.Members[i].Name
	}
	if len(r.Members) > 0 {
		return r.Members[0].Name
	}
	return ""
}

// AgeMonths is the member's age on the survey date in completed months. With only a birth year
// known it is 12 × (survey year − birth year), as the standard prescribes.
func (m *Member) AgeMonths(on Date) int {
	if !m.BirthDate.IsZero() {
		return m.BirthDate.MonthsUntil(on)
	}
	return 12 * (int(on.Y) - m.BirthYear)
}

// Age is the member's age on the survey date in completed years.
func (m *Member) Age(on Date) int {
	if !m.BirthDate.IsZero() {
		return m.BirthDate.YearsUntil(on)
	}
	return int(on.Y) - m.BirthYear
}

// HasBirth reports whether a birth date or a birth year is known.
func (m *Member) HasBirth() bool { return !m.BirthDate.IsZero() || m.BirthYear != 0 }

// IsEthnicMinority reports whether the member's recorded ethnicity is other than Kinh.
func (m *Member) IsEthnicMinority() bool {
	return m.Ethnicity != "" && m.Ethnicity != "Kinh"
}

// Clone returns a deep copy, so that an edit of the copy never reaches the original.
func (r *Record) Clone() *Record {
	c := *r
	c.Members = make([]Member, len(r.Members))
	copy(c.Members, r.Members)
	for i := range c.Members {
		c.Members[i].Extra = cloneFields(r.Members[i].Extra)
	}
	if r.WasteCollected != nil {
		w := *r.WasteCollected
		c.WasteCollected = &w
	}
	c.Extra = cloneFields(r.Extra)
	c.Survey.Extra = cloneFields(r.Survey.Extra)
	c.Housing.Extra = cloneFields(r.Housing.Extra)
	c.Devices.Extra = cloneFields(r.Devices.Extra)
	c.Income.Extra = cloneFields(r.Income.Extra)
	return &c
}

func cloneFields(fs []Field) []Field {
	if fs == nil {
		return nil
	}
	out := make([]Field, len(fs))
	for i, f := range fs {
		out[i] = Field{Key: f.Key, Value: append([]byte(nil), f.Value...)}
	}
	return out
}
