package household

import (
	"fmt"
	"strconv"
)

// seen tracks which known fields of an object were read, to report the missing required ones
// and the duplicates.
type seen uint32

// mark records field bit f; it reports a duplicate when the field was already read.
func (d *dec) mark(s *seen, f uint, path, key string) {
	if *s&(1<<f) != 0 {
		d.add(duplicateProblem(join(path, key)))
	}
	*s |= 1 << f
}

func (d *dec) need(s seen, path string, fields []string, required uint32) {
	if d.fatal || uint32(s)&required == required {
		return
	}
	for f, name := range fields {
		if required&(1<<f) != 0 && s&(1<<f) == 0 {
			d.add(requiredProblem(join(path, name)))
		}
	}
}

// Field orders of the interchange format; the bit of a field is its index.
var (
	recordFields = []string{"schema", "id", "ward", "area", "group", "address", "survey", "members",
		"housing", "water_source", "toilet", "internet", "devices", "loudspeaker", "waste_collected",
		"income", "previous_status"}
	surveyFields  = []string{"round", "date", "surveyor"}
	memberFields  = []string{"id", "name", "sex", "birth_date", "birth_year", "relation", "ethnicity", "id_number", "health_insurance", "education", "in_school", "school", "employment", "able_to_work", "malnourished"}
	housingFields = []string{"wall", "column", "roof", "floor_area_m2"}
	deviceFields  = []string{"tv", "radio", "computer", "phone", "tablet"}
)

var schemaList = []string{Schema}

// fieldBits builds a required-field mask from field indexes.
func fieldBits(idx ...uint) uint32 {
	var m uint32
	for _, i := range idx {
		m |= 1 << i
	}
	return m
}

var (
	recordRequired  = fieldBits(0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 15)
	surveyRequired  = fieldBits(0, 1)
	memberRequired  = fieldBits(0, 1, 2, 5, 8, 9, 10, 12, 13, 14) // birth is checked on its own
	housingRequired = fieldBits(0, 1, 2, 3)
	devicesRequired = fieldBits(0, 1, 2, 3, 4)
)

// setIf stores v in *dst when the value was read.
func setIf[T any](dst *T, v T, st int) {
	if st == present {
		*dst = v
	}
}

func (d *dec) record(r *Record) {
	if d.peek() != '{' {
		d.syntax("mỗi dòng phải là một đối tượng JSON {…}", "each line must be a JSON object {…}")
		return
	}
	d.i++
	var s seen
	for n := 0; ; n++ {
		k, ok := d.key(n)
		if !ok {
			break
		}
		d.recordField(r, &s, k)
	}
	d.need(s, "", recordFields, recordRequired)
}

func (d *dec) recordField(r *Record, s *seen, k []byte) {
	var st int
	var f uint
	switch string(k) {
	case "schema":
		f = 0
		var v string
		v, st = d.enum("", "schema", schemaList)
		setIf(&r.Schema, v, st)
	case "id":
		f = 1
		var v string
		v, st = d.str("", "id")
		setIf(&r.ID, v, st)
	case "ward":
		f = 2
		var v string
		v, st = d.str("", "ward")
		setIf(&r.Ward, v, st)
	case "area":
		f = 3
		var v string
		v, st = d.enum("", "area", Areas)
		setIf(&r.Area, v, st)
	case "group":
		f = 4
		var v string
		v, st = d.str("", "group")
		setIf(&r.Group, v, st)
	case "address":
		f = 5
		var v string
		v, st = d.str("", "address")
		setIf(&r.Address, v, st)
	case "survey":
		f, st = 6, present
		d.survey(&r.Survey)
	case "members":
		f, st = 7, d.members(r)
	case "housing":
		f, st = 8, present
		d.housing(&r.Housing)
	case "water_source":
		f = 9
		var v string
		v, st = d.enum("", "water_source", Waters)
		setIf(&r.WaterSource, v, st)
	case "toilet":
		f = 10
		var v string
		v, st = d.enum("", "toilet", Toilets)
		setIf(&r.Toilet, v, st)
	case "internet":
		f = 11
		var v bool
		v, st = d.boolean("", "internet")
		setIf(&r.Internet, v, st)
	case "devices":
		f, st = 12, present
		d.devices(&r.Devices)
	case "loudspeaker":
		f = 13
		var v bool
		v, st = d.boolean("", "loudspeaker")
		setIf(&r.Loudspeaker, v, st)
	case "waste_collected":
		f = 14
		var v bool
		v, st = d.boolean("", "waste_collected")
		if st == present {
			*d.waste = v
			r.WasteCollected = d.waste
		}
	case "income":
		f, st = 15, present
		d.income(&r.Income)
	case "previous_status":
		f = 16
		var v string
		v, st = d.enum("", "previous_status", Statuses)
		setIf(&r.PreviousStatus, v, st)
	default:
		r.Extra = d.unknown(r.Extra, "", k)
		return
	}
	if st != absent {
		d.mark(s, f, "", recordFields[f])
	}
}

func (d *dec) survey(sv *Survey) {
	const path = "survey"
	if !d.beginObject(path) {
		return
	}
	var s seen
	for n := 0; ; n++ {
		k, ok := d.key(n)
		if !ok {
			break
		}
		var st int
		var f uint
		switch string(k) {
		case "round":
			f = 0
			var v string
			v, st = d.str("survey", "round")
			setIf(&sv.Round, v, st)
		case "date":
			f = 1
			var v Date
			v, st = d.date("survey", "date")
			setIf(&sv.Date, v, st)
		case "surveyor":
			f = 2
			var v string
			v, st = d.str("survey", "surveyor")
			setIf(&sv.Surveyor, v, st)
		default:
			sv.Extra = d.unknown(sv.Extra, path, k)
			continue
		}
		if st != absent {
			d.mark(&s, f, path, surveyFields[f])
		}
	}
	d.need(s, path, surveyFields, surveyRequired)
}

func (d *dec) members(r *Record) int {
	switch d.peek() {
	case '[':
		d.i++
	case 'n':
		d.canon(nil)
		return absent
	default:
		d.typeProblem("members", "một danh sách […]", "an array […]")
		return wrong
	}
	if r.Members != nil {
		// A second members array is read over the first one, as it always was.
		for n := 0; d.elem(n); n++ {
			r.Members = append(r.Members, Member{})
			d.member(&r.Members[n], memberPath(n))
		}
		return present
	}
	ms := d.memberBuf[:0]
	for n := 0; d.elem(n); n++ {
		ms = append(ms, Member{})
		d.member(&ms[n], memberPath(n))
	}
	if len(ms) > 0 {
		r.Members = make([]Member, len(ms))
		copy(r.Members, ms)
	}
	return present
}

var memberPaths = func() []string {
	p := make([]string, MaxMembers+1)
	for i := range p {
		p[i] = "members[" + strconv.Itoa(i) + "]"
	}
	return p
}()

// memberPath is the field path of the i-th member, e.g. "members[2]".
func memberPath(i int) string {
	if i < len(memberPaths) {
		return memberPaths[i]
	}
	return fmt.Sprintf("members[%d]", i)
}

func (d *dec) member(m *Member, path string) {
	if !d.beginObject(path) {
		return
	}
	var s seen
	for n := 0; ; n++ {
		k, ok := d.key(n)
		if !ok {
			break
		}
		f, st := d.memberField(m, path, k)
		if f < 0 {
			continue
		}
		if st != absent {
			d.mark(&s, uint(f), path, memberFields[f])
		}
	}
	d.need(s, path, memberFields, memberRequired)
	if !d.fatal && s&(1<<3|1<<4) == 0 {
		d.add(problemf(join(path, "birth_date"), "required",
			"thiếu ngày sinh hoặc năm sinh", "birth_date or birth_year is required"))
	}
}

// memberField reads the value of key k of a member and returns its bit (-1 for an unknown
// field) and state. Paths name the key from memberFields: string(k) would allocate.
func (d *dec) memberField(m *Member, path string, k []byte) (int, int) {
	var f int
	var text *string     // a field of free text or of an enumeration,
	var allowed []string // with its values,
	var flag *bool       // or a yes or no
	switch string(k) {
	case "id":
		f, text = 0, &m.ID
	case "name":
		f, text = 1, &m.Name
	case "sex":
		f, text, allowed = 2, &m.Sex, Sexes
	case "birth_date":
		v, st := d.date(path, "birth_date")
		setIf(&m.BirthDate, v, st)
		return 3, st
	case "birth_year":
		v, st := d.integer(path, "birth_year")
		if st == present {
			if v < 1 || v > 9999 {
				d.add(problemf(join(path, "birth_year"), "range", fmt.Sprintf("năm sinh %d không hợp lệ", v),
					fmt.Sprintf("birth year %d is not valid", v)))
				st = wrong
			} else {
				m.BirthYear = int(v)
			}
		}
		return 4, st
	case "relation":
		f, text, allowed = 5, &m.Relation, Relations
	case "ethnicity":
		f, text, allowed = 6, &m.Ethnicity, commonEthnicities
	case "id_number":
		f, text = 7, &m.IDNumber
	case "health_insurance":
		f, flag = 8, &m.HealthInsurance
	case "education":
		f, text, allowed = 9, &m.Education, Educations
	case "in_school":
		f, flag = 10, &m.InSchool
	case "school":
		f, text, allowed = 11, &m.School, Schools
	case "employment":
		f, text, allowed = 12, &m.Employment, Employments
	case "able_to_work":
		f, flag = 13, &m.AbleToWork
	case "malnourished":
		f, flag = 14, &m.Malnourished
	default:
		m.Extra = d.unknown(m.Extra, path, k)
		return -1, 0
	}
	if flag != nil {
		v, st := d.boolean(path, memberFields[f])
		setIf(flag, v, st)
		return f, st
	}
	v, st := d.enum(path, memberFields[f], allowed)
	setIf(text, v, st)
	return f, st
}

// commonEthnicities are the most frequent answers, read without allocating.
var commonEthnicities = []string{"Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Giáy"}

func (d *dec) housing(h *Housing) {
	const path = "housing"
	if !d.beginObject(path) {
		return
	}
	var s seen
	for n := 0; ; n++ {
		k, ok := d.key(n)
		if !ok {
			break
		}
		var st int
		var f uint
		var dst *string
		switch string(k) {
		case "wall":
			f, dst = 0, &h.Wall
		case "column":
			f, dst = 1, &h.Column
		case "roof":
			f, dst = 2, &h.Roof
		case "floor_area_m2":
			f = 3
			var v float64
			v, st = d.float(path, "floor_area_m2")
			setIf(&h.FloorAreaM2, v, st)
		default:
			h.Extra = d.unknown(h.Extra, path, k)
			continue
		}
		if dst != nil {
			var v string
			v, st = d.enum(path, housingFields[f], Structures)
			setIf(dst, v, st)
		}
		if st != absent {
			d.mark(&s, f, path, housingFields[f])
		}
	}
	d.need(s, path, housingFields, housingRequired)
}

func (d *dec) devices(dv *Devices) {
	const path = "devices"
	if !d.beginObject(path) {
		return
	}
	var s seen
	for n := 0; ; n++ {
		k, ok := d.key(n)
		if !ok {
			break
		}
		var f uint
		var dst *bool
		switch string(k) {
		case "tv":
			f, dst = 0, &dv.TV
		case "radio":
			f, dst = 1, &dv.Radio
		case "computer":
			f, dst = 2, &dv.Computer
		case "phone":
			f, dst = 3, &dv.Phone
		case "tablet":
			f, dst = 4, &dv.Tablet
		default:
			dv.Extra = d.unknown(dv.Extra, path, k)
			continue
		}
		v, st := d.boolean(path, deviceFields[f])
		setIf(dst, v, st)
		if st != absent {
			d.mark(&s, f, path, deviceFields[f])
		}
	}
	d.need(s, path, deviceFields, devicesRequired)
}

func (d *dec) income(in *Income) {
	const path = "income"
	if !d.beginObject(path) {
		return
	}
	answers := 0
	for n := 0; ; n++ {
		k, ok := d.key(n)
		if !ok {
			break
		}
		var kind IncomeKind
		switch string(k) {
		case "monthly_per_capita":
			kind = IncomeMonthlyPerCapita
		case "annual_total":
			kind = IncomeAnnualTotal
		case "score":
			kind = IncomeScore
		default:
			in.Extra = d.unknown(in.Extra, path, k)
			continue
		}
		v, st := d.integer(path, kind.Key())
		if st == absent {
			continue
		}
		answers++
		if st == present && answers == 1 {
			in.Kind, in.Value = kind, v
		}
	}
	if d.fatal {
		return
	}
	switch {
	case answers == 0:
		d.add(problemf(path, "required",
			"cần đúng một trong: monthly_per_capita, annual_total, score",
			"exactly one of monthly_per_capita, annual_total, score is required"))
	case answers > 1:
		d.add(problemf(path, "one_of",
			"chỉ được ghi một trong: monthly_per_capita, annual_total, score",
			"only one of monthly_per_capita, annual_total, score may be given"))
	}
}
