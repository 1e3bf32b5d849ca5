package household

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// good is a valid record in canonical form (the example of household-record.md, completed).
const good = `{"schema": "rasoat.household/v1", "id": "5b1f0c1e-7d43-4c55-9a0e-3c2b7f1d9e21", "ward": "Phường Lào Cai", "area": "urban", "group": "Tổ 04", "address": "Số 12, đường Nguyễn Huệ", "survey": {"round": "2024-periodic", "date": "2024-09-16", "surveyor": "Lê Văn Hiến"}, "members": [{"id": "0c9d1e2f-0000-4000-8000-000000000001", "name": "Nguyễn Thị Mùi", "sex": "female", "birth_date": "1958-03-02", "relation": "head", "ethnicity": "Kinh", "id_number": "010158001234", "health_insurance": true, "education": "lower_secondary", "in_school": false, "school": "not_attending", "employment": "retired", "able_to_work": false, "malnourished": false}], "housing": {"wall": "durable", "column": "durable", "roof": "non_durable", "floor_area_m2": 32}, "water_source": "piped", "toilet": "septic", "internet": true, "devices": {"tv": true, "radio": false, "computer": false, "phone": true, "tablet": false}, "loudspeaker": true, "waste_collected": true, "income": {"monthly_per_capita": 1850000}, "previous_status": "near_poor"}`

// edit replaces the first occurrence of old in the good record.
func edit(old, new string) string {
	if !strings.Contains(good, old) {
		panic("edit: " + old + " not in the good record")
	}
	return strings.Replace(good, old, new, 1)
}

// badRecords maps a broken record to the path and rule of the problem it must produce.
var badRecords = []struct {
	name, line, path, rule string
}{
	{"empty", ``, "", "syntax"},
	{"not an object", `[1, 2]`, "", "syntax"},
	{"truncated", good[:len(good)/2], "", "syntax"},
	{"trailing garbage", good + `x`, "", "syntax"},
	{"wrong schema", edit(`"rasoat.household/v1"`, `"rasoat.household/v2"`), "schema", "schema"},
	{"bad uuid", edit(`"5b1f0c1e-7d43-4c55-9a0e-3c2b7f1d9e21"`, `"42"`), "id", "uuid"},
	{"area enum", edit(`"urban"`, `"city"`), "area", "enum"},
	{"group empty", edit(`"Tổ 04"`, `"  "`), "group", "required"},
	{"group missing", edit(`"group": "Tổ 04", `, ``), "group", "required"},
	{"group a number", edit(`"Tổ 04"`, `4`), "group", "type"},
	{"duplicate key", edit(`"ward": "Phường Lào Cai", `, `"ward": "Phường Lào Cai", "ward": "X", `), "ward", "duplicate"},
	{"bad survey date", edit(`"2024-09-16"`, `"2024-02-30"`), "survey.date", "date"},
	{"date in dd/mm/yyyy", edit(`"2024-09-16"`, `"16/09/2024"`), "survey.date", "date"},
	{"no members", edit(`"members": [{`, `"members": [], "x": [{`), "members", "count"},
	{"no head", edit(`"relation": "head"`, `"relation": "spouse"`), "members", "head"},
	{"bad sex", edit(`"sex": "female"`, `"sex": "f"`), "members[0].sex", "enum"},
	{"born after survey", edit(`"1958-03-02"`, `"2024-09-17"`), "members[0].birth_date", "birth"},
	{"age 121", edit(`"1958-03-02"`, `"1903-09-15"`), "members[0].birth_date", "age"},
	{"both birth fields", edit(`"birth_date": "1958-03-02"`, `"birth_date": "1958-03-02", "birth_year": 1958`), "members[0].birth_date", "one_of"},
	{"no birth", edit(`"birth_date": "1958-03-02", `, ``), "members[0].birth_date", "required"},
	{"birth year as text", edit(`"birth_date": "1958-03-02"`, `"birth_year": "1958"`), "members[0].birth_year", "type"},
	{"id number 11 digits", edit(`"010158001234"`, `"01015800123"`), "members[0].id_number", "id_number"},
	{"insurance missing", edit(`"health_insurance": true, `, ``), "members[0].health_insurance", "required"},
	{"insurance as string", edit(`"health_insurance": true`, `"health_insurance": "yes"`), "members[0].health_insurance", "type"},
	{"floor area zero", edit(`"floor_area_m2": 32`, `"floor_area_m2": 0`), "housing.floor_area_m2", "range"},
	{"floor area huge", edit(`"floor_area_m2": 32`, `"floor_area_m2": 2000.5`), "housing.floor_area_m2", "range"},
	{"water enum", edit(`"piped"`, `"river"`), "water_source", "enum"},
	{"two incomes", edit(`{"monthly_per_capita": 1850000}`, `{"monthly_per_capita": 1850000, "score": 3}`), "income", "one_of"},
	{"no income", edit(`{"monthly_per_capita": 1850000}`, `{}`), "income", "required"},
	{"negative income", edit(`1850000`, `-1`), "income.monthly_per_capita", "range"},
	{"fractional income", edit(`1850000`, `1850000.5`), "income.monthly_per_capita", "integer"},
	{"previous status enum", edit(`"previous_status": "near_poor"`, `"previous_status": "rich"`), "previous_status", "enum"},
	{"invalid utf-8", edit(`Mùi`, "M\xff"), "", "syntax"},
	{"child without school", strings.Replace(edit(`"1958-03-02"`, `"2014-03-02"`), `"school": "not_attending", `, ``, 1), "members[0].school", "required"},
	{"malnourished adult", edit(`"malnourished": false`, `"malnourished": true`), "members[0].malnourished", "age"},
}

func problemsOf(line string) Problems {
	r, ps := Decode([]byte(line))
	if len(ps) == 0 {
		ps = Validate(r)
	}
	return ps
}

func TestGoodRecord(t *testing.T) {
	r, ps := Decode([]byte(good))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if ps := Validate(r); len(ps) > 0 {
		t.Fatal(ps)
	}
	if got := string(Encode(r)); got != good {
		t.Errorf("round trip changed the record:\n got %s\nwant %s", got, good)
	}
}

func TestBadRecords(t *testing.T) {
	for _, tc := range badRecords {
		t.Run(tc.name, func(t *testing.T) {
			ps := problemsOf(tc.line)
			for _, p := range ps {
				if p.Path == tc.path && p.Rule == tc.rule {
					if p.VI == "" || p.EN == "" || p.VI == p.EN && tc.rule != "enum" {
						t.Errorf("problem lacks a message in both languages: %+v", p)
					}
					return
				}
			}
			t.Errorf("want a %s problem at %q, got %v", tc.rule, tc.path, ps)
		})
	}
}

func TestEveryProblemReported(t *testing.T) {
	line := edit(`"urban"`, `"city"`)
	line = strings.Replace(line, `"piped"`, `"river"`, 1)
	line = strings.Replace(line, `"sex": "female"`, `"sex": 1`, 1)
	r, ps := Decode([]byte(line))
	if len(ps) != 1 || ps[0].Path != "members[0].sex" {
		t.Fatalf("decode: want the type problem of members[0].sex, got %v", ps)
	}
	ps = append(ps, Validate(r)...)
	paths := map[string]bool{}
	for _, p := range ps {
		paths[p.Path] = true
		if p.RecordID != "5b1f0c1e-7d43-4c55-9a0e-3c2b7f1d9e21" {
			t.Errorf("problem without the record id: %+v", p)
		}
	}
	for _, want := range []string{"area", "water_source", "members[0].sex"} {
		if !paths[want] {
			t.Errorf("no problem reported for %s: %v", want, ps)
		}
	}
}

func TestUnknownFieldsKeptInOrder(t *testing.T) {
	line := edit(`"ward": "Phường Lào Cai", `, `"ward": "Phường Lào Cai", "zeta": {"b":[1,2.50,"x\u00e9"],"a":null}, `)
	line = strings.Replace(line, `"floor_area_m2": 32`, `"floor_area_m2": 32, "storeys": 2`, 1)
	line = strings.Replace(line, `"malnourished": false}`, `"malnourished": false, "disability": "none"}`, 1)
	r, ps := Decode([]byte(line))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	out := string(Encode(r))
	for _, want := range []string{`"previous_status": "near_poor", "zeta": {"b": [1, 2.50, "xé"], "a": null}}`,
		`"floor_area_m2": 32, "storeys": 2}`, `"malnourished": false, "disability": "none"}`} {
		if !strings.Contains(out, want) {
			t.Errorf("encoded record lacks %s:\n%s", want, out)
		}
	}
	r2, ps := Decode([]byte(out))
	if len(ps) > 0 || !bytes.Equal(Encode(r2), []byte(out)) {
		t.Error("the canonical form does not round-trip")
	}
}

func TestNamesStoredNFC(t *testing.T) {
	decomposed := "Nguye\u0302\u0303n Thi\u0323 Mu\u0300i" // "Nguyễn Thị Mùi" typed with combining marks
	line := edit(`"Nguyễn Thị Mùi"`, `"`+decomposed+`"`)
	r, ps := Decode([]byte(line))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if r.Members[0].Name != "Nguyễn Thị Mùi" {
		t.Errorf("name not in NFC: %q", r.Members[0].Name)
	}
}

func TestEscapes(t *testing.T) {
	line := edit(`"Số 12, đường Nguyễn Huệ"`, `"Số 12\t\"A\"\\ \u0110\u01b0\u1eddng \ud83c\udfe0 \/"`)
	r, ps := Decode([]byte(line))
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	if want := "Số 12\t\"A\"\\ Đường 🏠 /"; r.Address != want {
		t.Errorf("address %q, want %q", r.Address, want)
	}
	if !strings.Contains(string(Encode(r)), `"address": "Số 12\t\"A\"\\ Đường 🏠 /"`) {
		t.Errorf("escapes not canonical: %s", Encode(r))
	}
}

func TestAges(t *testing.T) {
	tests := []struct {
		birth, on    string
		years, month int
	}{
		{"2000-09-15", "2024-09-15", 24, 288},
		{"2000-09-16", "2024-09-15", 23, 287},
		{"2000-02-29", "2023-02-28", 22, 275},
		{"2000-02-29", "2023-03-01", 23, 276},
		{"2024-01-31", "2024-02-29", 0, 0},
		{"2024-01-31", "2024-03-01", 0, 1},
	}
	for _, tc := range tests {
		m := Member{BirthDate: MustDate(tc.birth)}
		on := MustDate(tc.on)
		if y, mo := m.Age(on), m.AgeMonths(on); y != tc.years || mo != tc.month {
			t.Errorf("born %s, on %s: %d years %d months, want %d, %d", tc.birth, tc.on, y, mo, tc.years, tc.month)
		}
	}
	m := Member{BirthYear: 1990}
	if m.Age(MustDate("2024-01-01")) != 34 || m.AgeMonths(MustDate("2024-12-31")) != 408 {
		t.Error("birth-year-only age is survey year minus birth year")
	}
}

func TestParseDate(t *testing.T) {
	for _, s := range []string{"2024-02-29", "2000-02-29", "2023-12-31", "0001-01-01"} {
		if d, err := ParseDate(s); err != nil || d.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "24-01-01", "2024-01-32", "2024/01/01", ""} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
	if MustDate("2024-09-05").VN() != "05/09/2024" {
		t.Error("VN date format")
	}
}

// TestFieldPaths: a value of the wrong type put before each known field of each object is
// reported at that field's path, and the field's own value then as a duplicate there.
func TestFieldPaths(t *testing.T) {
	for _, o := range []struct {
		open, path string
		fields     []string
	}{
		{`{`, "", recordFields},
		{`"survey": {`, "survey", surveyFields},
		{`"members": [{`, "members[0]", memberFields},
		{`"housing": {`, "housing", housingFields},
		{`"devices": {`, "devices", deviceFields},
	} {
		for _, key := range o.fields {
			bad := `[true]`
			if key == "members" {
				bad = `7` // [true] would be a problem of members[0]
			}
			_, ps := Decode([]byte(strings.Replace(good, o.open, o.open+`"`+key+`": `+bad+`, `, 1)))
			path := join(o.path, key)
			var typ, dup bool
			for _, p := range ps {
				typ = typ || p.Path == path && p.Rule == "type"
				dup = dup || p.Path == path && p.Rule == "duplicate"
			}
			if !typ || dup != (key != "birth_year") {
				t.Errorf("%s: want a type problem and a duplicate there, got %v", path, ps)
			}
		}
	}
}

// TestDates: a date is read from its decoded text, escapes included, and a bad one is quoted
// in its problem as that text in NFC.
func TestDates(t *testing.T) {
	r, ps := Decode([]byte(edit(`"2024-09-16"`, `"2024\u002d09-1\u0036"`)))
	if len(ps) > 0 || r.Survey.Date != MustDate("2024-09-16") {
		t.Errorf("escaped date: %v, %v", r.Survey.Date, ps)
	}
	for raw, shown := range map[string]string{
		`16/09/2024`:        `"16/09/2024"`,
		"2024-09-1e\u0301":  `"2024-09-1é"`,
		`2024-09-1\u00e9`:   `"2024-09-1é"`,
		`2024-02-30`:        `"2024-02-30"`,
		``:                  `""`,
		"2024-09-16\u0301x": "\"2024-09-16\u0301x\"",
	} {
		_, ps := Decode([]byte(edit(`"1958-03-02"`, `"`+raw+`"`)))
		want := "date " + shown + " is not valid (expected YYYY-MM-DD)"
		if len(ps) != 1 || ps[0].Path != "members[0].birth_date" || ps[0].Rule != "date" || ps[0].EN != want {
			t.Errorf("%q: got %v, want %s", raw, ps, want)
		}
	}
}

// TestTextsOwnTheirBytes: the strings of a record are its own: writing over the line after
// Decode changes none, texts longer than the buffer they share are whole, and each keeps its
// value while the others are read.
func TestTextsOwnTheirBytes(t *testing.T) {
	long := strings.Repeat("Đường Nguyễn Huệ ", 200)
	line := []byte(edit(`"Số 12, đường Nguyễn Huệ"`, `"`+long+`"`))
	line = bytes.Replace(line, []byte(`"Tổ 04"`), []byte(`"Tổ \u0030\u0034"`), 1)
	line = bytes.Replace(line, []byte(`"Lê Văn Hiến"`), []byte("\"Le\u0302 Va\u0306n Hie\u0302\u0301n\""), 1)
	r, ps := Decode(line)
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	for i := range line {
		line[i] = 'x'
	}
	want := []string{"5b1f0c1e-7d43-4c55-9a0e-3c2b7f1d9e21", "Phường Lào Cai", "Tổ 04", long, "2024-periodic",
		"Lê Văn Hiến", "0c9d1e2f-0000-4000-8000-000000000001", "Nguyễn Thị Mùi", "010158001234"}
	got := []string{r.ID, r.Ward, r.Group, r.Address, r.Survey.Round, r.Survey.Surveyor,
		r.Members[0].ID, r.Members[0].Name, r.Members[0].IDNumber}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("text %d: %q, want %q", i, got[i], want[i])
		}
	}
	// A line that is mostly text fills several buffers.
	var texts []string
	var sb strings.Builder
	sb.WriteString(`{"members": [`)
	for i := range 12 {
		texts = append(texts, strings.Repeat(string(rune('a'+i)), i), strings.Repeat("ễ", i))
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, `{"id":"%s","name":"%s"}`, texts[2*i], texts[2*i+1])
	}
	sb.WriteString("]}")
	r, _ = Decode([]byte(sb.String()))
	if len(r.Members) != 12 {
		t.Fatalf("%d members, want 12", len(r.Members))
	}
	for i, m := range r.Members {
		if m.ID != texts[2*i] || m.Name != texts[2*i+1] {
			t.Errorf("member %d: %q %q, want %q %q", i, m.ID, m.Name, texts[2*i], texts[2*i+1])
		}
	}
}

// TestManyMembers: households of every size up to past the limit keep every member, in order,
// each its own; the WasteCollected of two records are two variables.
func TestManyMembers(t *testing.T) {
	const member = `{"id": "0c9d1e2f-0000-4000-8000-000000000001", "name": "Nguyễn Thị Mùi", "sex": "female", "birth_date": "1958-03-02", "relation": "head", "ethnicity": "Kinh", "id_number": "010158001234", "health_insurance": true, "education": "lower_secondary", "in_school": false, "school": "not_attending", "employment": "retired", "able_to_work": false, "malnourished": false}`
	for n := 1; n <= MaxMembers+2; n++ {
		ms := make([]string, n)
		for i := range ms {
			ms[i] = strings.Replace(member, "Mùi", fmt.Sprintf("Mùi %d", i), 1)
		}
		r, ps := Decode([]byte(edit(member, strings.Join(ms, ", "))))
		if len(ps) > 0 || len(r.Members) != n {
			t.Fatalf("%d members: got %d, %v", n, len(r.Members), ps)
		}
		for i, m := range r.Members {
			if m.Name != fmt.Sprintf("Nguyễn Thị Mùi %d", i) || m.BirthDate != MustDate("1958-03-02") || !m.HealthInsurance {
				t.Fatalf("%d members: member %d is %+v", n, i, m)
			}
		}
	}
	r1, _ := Decode([]byte(good))
	r2, _ := Decode([]byte(good))
	*r1.WasteCollected = false
	if !*r2.WasteCollected {
		t.Error("two records share their WasteCollected")
	}
}

// TestSyntaxProblems: separators that are missing, doubled or cut off are reported at their
// character, and any JSON whitespace around them is accepted.
func TestSyntaxProblems(t *testing.T) {
	cut := func(s string) string { return good[:strings.Index(good, s)+len(s)] }
	for _, tc := range []struct {
		line, at, want string // at: the text the problem points to; "" for the end of the line
	}{
		{edit(`"urban", "group"`, `"urban" "group"`), `"group"`, "',' expected"},
		{edit(`"area": "urban"`, `"area" "urban"`), `"urban"`, "':' expected"},
		{edit(`"area": "urban"`, `"area" ; "urban"`), `; "urban"`, "':' expected"},
		{`{, "schema": 1}`, `, "schema"`, "a quoted field name expected"},
		{`{"schema" 1}`, `1}`, "':' expected"},
		{edit(`"near_poor"}`, `"near_poor",}`), `}`, "a quoted field name expected"},
		{edit(`"near_poor"}`, `"near_poor",, "x": 1}`), `, "x"`, "a quoted field name expected"},
		{edit(`"malnourished": false}]`, `"malnourished": false} {"id": "x"}]`), `{"id": "x"}`, "',' expected"},
		{edit(`"malnourished": false}]`, `"malnourished": false},]`), `]`, "invalid value"},
		{cut(`"area"`), "", "truncated data, ':' expected"},
		{cut(`"area":`), "", "truncated data"},
		{cut(`"urban"`), "", "truncated data, ',' expected"},
		{cut(`"urban",`), "", "a quoted field name expected"},
		{cut(`"urban", `), "", "a quoted field name expected"},
		{cut(`"members": [`), "", "truncated data"},
		{cut(`"malnourished": false}`), "", "truncated data, ',' expected"},
		{cut(`"malnourished": false}`) + ",", "", "truncated data"},
	} {
		_, ps := Decode([]byte(tc.line))
		pos := len(tc.line) + 1
		if tc.at != "" {
			pos = strings.LastIndex(tc.line, tc.at) + 1
		}
		want := fmt.Sprintf("invalid JSON at character %d: %s", pos, tc.want)
		found := false
		for _, p := range ps {
			found = found || p.EN == want
		}
		if !found {
			t.Errorf("%s\ngot %v, want %q", tc.line, ps, want)
		}
	}
	spaced := strings.NewReplacer(`": `, "\"\t:\r\n ", `, "`, " \n,\t\"", `[{`, "[ \t{").Replace(good)
	r, ps := Decode([]byte(" \r\n" + spaced + "\n\t "))
	if len(ps) > 0 || string(Encode(r)) != good {
		t.Errorf("whitespace around separators: %v\n%s", ps, Encode(r))
	}
}
