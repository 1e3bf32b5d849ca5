// Package demo makes believable, valid, entirely fictional households: the demo ward a new
// installation opens on, and the large wards of benchmarks and load tests. The same seed always
// gives the same households.
package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/rasoat/rasoat/household"
)

// Ward describes the demo ward to generate.
type Ward struct {
	Name       string
	Area       string
	Groups     int // residential groups, "Tổ 01"…
	SurveyDate household.Date
	Round      string
	Surveyors  []string
}

// DefaultWard is the small ward a fresh installation is seeded with.
var DefaultWard = Ward{
	Name:       "Phường Demo (dữ liệu mẫu)",
	Area:       household.AreaUrban,
	Groups:     4,
	SurveyDate: household.MustDate("2026-09-15"),
	Round:      "2026-periodic",
	Surveyors:  []string{"Lê Văn Hiến", "Nguyễn Thị Lan"},
}

var (
	families = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Hà", "Lò", "Sùng", "Giàng"}
	middleM  = []string{"Văn", "Đức", "Minh", "Quang", "Hữu", "Công"}
	middleF  = []string{"Thị", "Ngọc", "Thu", "Thanh", "Mai", "Kim"}
	givenM   = []string{"An", "Bình", "Cường", "Dũng", "Hùng", "Khánh", "Long", "Nam", "Phúc", "Quân", "Sơn", "Tuấn", "Việt", "Páo", "Chứ"}
	givenF   = []string{"Anh", "Chi", "Dung", "Hà", "Hoa", "Hương", "Lan", "Linh", "Mùi", "Nga", "Oanh", "Thảo", "Trang", "Xuân", "Mỷ"}
	peoples  = []string{"Kinh", "Kinh", "Kinh", "Kinh", "Kinh", "Tày", "Thái", "Mường", "Nùng", "Mông", "Dao", "Giáy"}
	streets  = []string{"đường Nguyễn Huệ", "đường Hoàng Liên", "ngõ 12 Trần Phú", "đường Lê Lợi", "thôn Bản Cầm", "đường Cốc Lếu"}
)

// Households generates n households of the ward with the given seed.
func Households(w Ward, n int, seed uint64) []*household.Record {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]*household.Record, n)
	for i := range out {
		out[i] = one(rng, w, i)
	}
	return out
}

func uuidFrom(rng *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

func chance(rng *rand.Rand, p float64) bool { return rng.Float64() < p }

func one(rng *rand.Rand, w Ward, i int) *household.Record {
	poorish := chance(rng, 0.25)
	family := pick(rng, families)
	r := &household.Record{
		Schema:  household.Schema,
		ID:      uuidFrom(rng),
		Ward:    w.Name,
		Area:    w.Area,
		Group:   fmt.Sprintf("Tổ %02d", 1+i%max(w.Groups, 1)),
		Address: fmt.Sprintf("Số %d, %s", 1+rng.IntN(300), pick(rng, streets)),
		Survey:  household.Survey{Round: w.Round, Date: w.SurveyDate},
	}
	if len(w.Surveyors) > 0 {
		r.Survey.Surveyor = w.Surveyors[i%len(w.Surveyors)]
	}
	size := 1 + rng.IntN(6)
	people := pick(rng, peoples)
	for j := 0; j < size; j++ {
		r.Members = append(r.Members, member(rng, w.SurveyDate, family, people, j, poorish))
	}
	durable := func() string {
		if poorish && chance(rng, 0.5) {
			return household.NonDurable
		}
		return household.Durable
	}
	r.Housing = household.Housing{Wall: durable(), Column: durable(), Roof: durable(),
		FloorAreaM2: float64(6+rng.IntN(30)*size) + 0.5*float64(rng.IntN(2))}
	r.WaterSource = "piped"
	r.Toilet = "septic"
	if poorish && chance(rng, 0.4) {
		r.WaterSource = pick(rng, []string{"unprotected_well", "surface_water", "drilled_well"})
		r.Toilet = pick(rng, []string{"simple_pit", "none", "semi_septic"})
	}
	r.Internet = !(poorish && chance(rng, 0.5))
	r.Devices = household.Devices{TV: !poorish || chance(rng, 0.5), Phone: chance(rng, 0.9), Radio: chance(rng, 0.1)}
	r.Loudspeaker = chance(rng, 0.7)
	waste := !(poorish && chance(rng, 0.3))
	r.WasteCollected = &waste
	perCapita := int64(2_100_000 + rng.IntN(3_000_000))
	if poorish {
		perCapita = int64(900_000 + rng.IntN(1_400_000))
	}
	if chance(rng, 0.5) {
		r.Income = household.Income{Kind: household.IncomeMonthlyPerCapita, Value: perCapita / 1000 * 1000}
	} else {
		r.Income = household.Income{Kind: household.IncomeAnnualTotal, Value: perCapita * 12 * int64(size) / 100_000 * 100_000}
	}
	if poorish && chance(rng, 0.7) {
		r.PreviousStatus = pick(rng, []string{"poor", "near_poor", "poor"})
	} else if chance(rng, 0.1) {
		r.PreviousStatus = pick(rng, []string{"near_poor", "escaped_poor", "medium"})
	}
	return r
}

func member(rng *rand.Rand, on household.Date, family, people string, j int, poorish bool) household.Member {
	var age int
	rel := "head"
	switch {
	case j == 0:
		age = 28 + rng.IntN(50)
	case j == 1:
		age, rel = 25+rng.IntN(45), "spouse"
	case j == 5:
		age, rel = 60+rng.IntN(25), "parent"
	default:
		age, rel = rng.IntN(25), "child"
	}
	female := chance(rng, 0.5)
	if j == 1 {
		female = true
	}
	m := household.Member{
		ID:              uuidFrom(rng),
		Relation:        rel,
		Ethnicity:       people,
		HealthInsurance: !(poorish && chance(rng, 0.3)),
		AbleToWork:      !(age >= 15 && chance(rng, 0.05)),
	}
	if female {
		m.Sex, m.Name = household.SexFemale, family+" "+pick(rng, middleF)+" "+pick(rng, givenF)
	} else {
		m.Sex, m.Name = household.SexMale, family+" "+pick(rng, middleM)+" "+pick(rng, givenM)
	}
	if chance(rng, 0.85) {
		month := 1 + rng.IntN(12)
		m.BirthDate = household.Date{Y: on.Y - int16(age), M: int8(month), D: int8(1 + rng.IntN(household.DaysIn(int(on.Y)-age, month)))}
		if m.BirthDate.Compare(on) > 0 {
			m.BirthDate.Y--
		}
	} else {
		m.BirthYear = int(on.Y) - age
	}
	if chance(rng, 0.6) && age >= 14 {
		m.IDNumber = fmt.Sprintf("%03d%09d", 1+rng.IntN(96), rng.IntN(1_000_000_000))
	}
	fillByAge(rng, &m, m.Age(on), poorish)
	return m
}

func fillByAge(rng *rand.Rand, m *household.Member, age int, poorish bool) {
	switch {
	case age < 6:
		m.Education, m.Employment, m.HealthInsurance = "none", "not_in_labour_force", true
		m.Malnourished = poorish && chance(rng, 0.2)
		if age >= 3 {
			m.InSchool, m.School = true, household.SchoolAttending
		}
	case age < 16:
		m.Education = pick(rng, []string{"primary", "lower_secondary"})
		m.InSchool, m.School, m.Employment = true, household.SchoolAttending, "student"
		if poorish && chance(rng, 0.2) {
			m.InSchool, m.School, m.Employment = false, household.SchoolNotAttending, "not_in_labour_force"
		}
		m.Malnourished = poorish && chance(rng, 0.1)
	case age < 23 && chance(rng, 0.5):
		m.Education, m.InSchool, m.Employment = "upper_secondary", true, "student"
	default:
		m.Education = pick(rng, []string{"primary", "lower_secondary", "upper_secondary", "upper_secondary", "vocational_intermediate", "university"})
		m.Employment = pick(rng, []string{"wage_contract", "self_employed", "self_employed", "wage_no_contract"})
		if poorish && chance(rng, 0.3) {
			m.Employment = pick(rng, []string{"unemployed", "wage_no_contract"})
		}
		if age >= 60 {
			m.Employment = pick(rng, []string{"retired", "not_in_labour_force", "self_employed"})
		}
	}
}
