package household

import (
	"strconv"
	"unicode/utf8"
)

// Encode returns the record as one line of the interchange format, without the newline.
func Encode(r *Record) []byte {
	return AppendRecord(make([]byte, 0, 2048), r)
}

// AppendRecord appends the canonical JSON encoding of r to dst: the spec's field order, absent
// optional fields left out, unknown fields after the known ones in the order they were read,
// ", " and ": " as separators and text written as UTF-8, not \u escapes. Decoding the output and
// encoding it again gives the same bytes.
func AppendRecord(dst []byte, r *Record) []byte {
	dst = append(dst, `{"schema": `...)
	dst = appendString(dst, r.Schema)
	dst = appendStr(dst, "id", r.ID)
	dst = appendStr(dst, "ward", r.Ward)
	dst = appendStr(dst, "area", r.Area)
	dst = appendStr(dst, "group", r.Group)
	if r.Address != "" {
		dst = appendStr(dst, "address", r.Address)
	}
	dst = append(dst, `, "survey": {"round": `...)
	dst = appendString(dst, r.Survey.Round)
	dst = append(dst, `, "date": "`...)
	dst = r.Survey.Date.AppendTo(dst)
	dst = append(dst, '"')
	if r.Survey.Surveyor != "" {
		dst = appendStr(dst, "surveyor", r.Survey.Surveyor)
	}
	dst = appendExtra(dst, r.Survey.Extra)
	dst = append(dst, `}, "members": [`...)
	for i := range r.Members {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = appendMember(dst, &r.Members[i])
	}
	dst = append(dst, `], "housing": {"wall": `...)
	h := &r.Housing
	dst = appendString(dst, h.Wall)
	dst = appendStr(dst, "column", h.Column)
	dst = appendStr(dst, "roof", h.Roof)
	dst = append(dst, `, "floor_area_m2": `...)
	dst = appendFloat(dst, h.FloorAreaM2)
	dst = appendExtra(dst, h.Extra)
	dst = append(dst, '}')
	dst = appendStr(dst, "water_source", r.WaterSource)
	dst = appendStr(dst, "toilet", r.Toilet)
	dst = appendBool(dst, "internet", r.Internet)
	dst = append(dst, `, "devices": {"tv": `...)
	dst = strconv.AppendBool(dst, r.Devices.TV)
	dst = appendBool(dst, "radio", r.Devices.Radio)
	dst = appendBool(dst, "computer", r.Devices.Computer)
	dst = appendBool(dst, "phone", r.Devices.Phone)
	dst = appendBool(dst, "tablet", r.Devices.Tablet)
	dst = appendExtra(dst, r.Devices.Extra)
	dst = append(dst, '}')
	dst = appendBool(dst, "loudspeaker", r.Loudspeaker)
	if r.WasteCollected != nil {
		dst = appendBool(dst, "waste_collected", *r.WasteCollected)
	}
	dst = append(dst, `, "income": {`...)
	if k := r.Income.Kind.Key(); k != "" {
		dst = appendString(dst, k)
		dst = append(dst, ": "...)
		dst = strconv.AppendInt(dst, r.Income.Value, 10)
		dst = appendExtra(dst, r.Income.Extra)
	} else if len(r.Income.Extra) > 0 {
		dst = appendFields(dst, r.Income.Extra)
	}
	dst = append(dst, '}')
	if r.PreviousStatus != "" {
		dst = appendStr(dst, "previous_status", r.PreviousStatus)
	}
	dst = appendExtra(dst, r.Extra)
	return append(dst, '}')
}

func appendMember(dst []byte, m *Member) []byte {
	dst = append(dst, `{"id": `...)
	dst = appendString(dst, m.ID)
	dst = appendStr(dst, "name", m.Name)
	dst = appendStr(dst, "sex", m.Sex)
	if !m.BirthDate.IsZero() {
		dst = append(dst, `, "birth_date": "`...)
		dst = m.BirthDate.AppendTo(dst)
		dst = append(dst, '"')
	}
	if m.BirthYear != 0 {
		dst = append(dst, `, "birth_year": `...)
		dst = strconv.AppendInt(dst, int64(m.BirthYear), 10)
	}
	dst = appendStr(dst, "relation", m.Relation)
	if m.Ethnicity != "" {
		dst = appendStr(dst, "ethnicity", m.Ethnicity)
	}
	if m.IDNumber != "" {
		dst = appendStr(dst, "id_number", m.IDNumber)
	}
	dst = appendBool(dst, "health_insurance", m.HealthInsurance)
	dst = appendStr(dst, "education", m.Education)
	dst = appendBool(dst, "in_school", m.InSchool)
	if m.School != "" {
		dst = appendStr(dst, "school", m.School)
	}
	dst = appendStr(dst, "employment", m.Employment)
	dst = appendBool(dst, "able_to_work", m.AbleToWork)
	dst = appendBool(dst, "malnourished", m.Malnourished)
	dst = appendExtra(dst, m.Extra)
	return append(dst, '}')
}

func appendStr(dst []byte, key, v string) []byte {
	dst = append(dst, ", "...)
	dst = appendString(dst, key)
	dst = append(dst, ": "...)
	return appendString(dst, v)
}

func appendBool(dst []byte, key string, v bool) []byte {
	dst = append(dst, ", "...)
	dst = appendString(dst, key)
	dst = append(dst, ": "...)
	return strconv.AppendBool(dst, v)
}

// appendFloat writes a number the shortest way that reads back to the same value: 40, 48.5.
func appendFloat(dst []byte, f float64) []byte {
	if f == float64(int64(f)) && f < 1e15 && f > -1e15 {
		return strconv.AppendInt(dst, int64(f), 10)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, 64)
}

func appendExtra(dst []byte, fs []Field) []byte {
	if len(fs) == 0 {
		return dst
	}
	dst = append(dst, ", "...)
	return appendFields(dst, fs)
}

func appendFields(dst []byte, fs []Field) []byte {
	for i, f := range fs {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = appendString(dst, f.Key)
		dst = append(dst, ": "...)
		dst = append(dst, f.Value...)
	}
	return dst
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way the interchange files are written: UTF-8 kept
// as is, only the quote, the backslash and control characters escaped.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		case '\b':
			dst = append(dst, '\\', 'b')
		case '\f':
			dst = append(dst, '\\', 'f')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// validUTF8 reports whether s can be written as JSON text without replacement.
func validUTF8(s string) bool { return utf8.ValidString(s) }
