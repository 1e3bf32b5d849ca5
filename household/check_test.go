package household

import (
	"strings"
	"testing"
)

// paths lists the field paths of problems, in order.
func paths(ps Problems) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Path+":"+p.Rule)
	}
	return strings.Join(s, " ")
}

// TestCheckDecoded: a wrong type in one field does not hide the record's other broken rules,
// and a field left empty by its wrong type gets no second problem.
func TestCheckDecoded(t *testing.T) {
	tests := []struct {
		name, line, want string
	}{
		{"type error and rule errors elsewhere",
			strings.NewReplacer(`"floor_area_m2": 32`, `"floor_area_m2": "x"`,
				`"id_number": "010158001234"`, `"id_number": "01015"`).Replace(good),
			"housing.floor_area_m2:type members[0].id_number:id_number"},
		{"wrong type of a member's relation hides the head count, not the member's other rules",
			strings.NewReplacer(`"relation": "head"`, `"relation": 1`, `"sex": "female"`, `"sex": "f"`).Replace(good),
			"members[0].relation:type members[0].sex:enum"},
		{"wrong birth year type: no second 'birth required'",
			edit(`"birth_date": "1958-03-02"`, `"birth_year": "1958"`),
			"members[0].birth_year:type"},
		{"missing field and a rule error",
			strings.NewReplacer(`"ward": "Phường Lào Cai", `, ``, `"toilet": "septic"`, `"toilet": "pit"`).Replace(good),
			"ward:required toilet:enum"},
		{"income of the wrong type", edit(`{"monthly_per_capita": 1850000}`, `{"monthly_per_capita": "1850000"}`),
			"income.monthly_per_capita:type"},
		{"syntax: nothing else", good[:200], ":syntax"},
	}
	for _, tc := range tests {
		r, ps := Decode([]byte(tc.line))
		if got := paths(CheckDecoded(r, ps, Validate)); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
	r, ps := Decode([]byte(good))
	if got := CheckDecoded(r, ps, Validate); len(got) != 0 {
		t.Errorf("good record: %v", got)
	}
}
