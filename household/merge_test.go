package household

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func mustDecode(t *testing.T, line string) *Record {
	t.Helper()
	r, ps := Decode([]byte(line))
	if len(ps) > 0 {
		t.Fatalf("decode: %v", ps)
	}
	return r
}

const (
	mergeHead   = `{"id": "0c9d1e2f-0000-4000-8000-000000000001", "name": "Nguyễn Thị Mùi", "sex": "female", "birth_date": "1958-03-02", "relation": "head", "ethnicity": "Kinh", "id_number": "010158001234", "health_insurance": true, "education": "lower_secondary", "in_school": false, "school": "not_attending", "employment": "retired", "able_to_work": false, "malnourished": false}`
	mergeSpouse = `{"id": "0c9d1e2f-0000-4000-8000-000000000002", "name": "Trần Văn Tư", "sex": "male", "birth_year": 1955, "relation": "spouse", "health_insurance": true, "education": "primary", "in_school": false, "employment": "retired", "able_to_work": false, "malnourished": false}`
)

func TestDifferencesAndMerge(t *testing.T) {
	withSpouse := strings.Replace(good, mergeHead+`]`, mergeHead+`, `+mergeSpouse+`]`, 1)
	cases := []struct {
		name  string
		a, b  string
		diffs []string          // the fields that differ, in order
		take  map[string]bool   // what to take from b
		want  string            // the merged record
		check func(*Record) any // a part of the merged record to compare (nil: the whole)
	}{
		{name: "same", a: good, b: good},
		{name: "one answer, keep a", a: good, b: edit(`"roof": "non_durable"`, `"roof": "durable"`),
			diffs: []string{"housing.roof"}, want: good},
		{name: "one answer, take b", a: good, b: edit(`"roof": "non_durable"`, `"roof": "durable"`),
			diffs: []string{"housing.roof"}, take: map[string]bool{"housing.roof": true},
			want: edit(`"roof": "non_durable"`, `"roof": "durable"`)},
		{name: "mixed: address from b, income from a",
			a:     edit(`1850000`, `2100000`),
			b:     edit(`"Số 12, đường Nguyễn Huệ"`, `"Số 14, đường Nguyễn Huệ"`),
			diffs: []string{"address", "income"}, take: map[string]bool{"address": true},
			want: strings.Replace(edit(`1850000`, `2100000`), `"Số 12, đường Nguyễn Huệ"`, `"Số 14, đường Nguyễn Huệ"`, 1)},
		{name: "optional answer only in b", a: edit(`, "previous_status": "near_poor"`, ``), b: good,
			diffs: []string{"previous_status"}, take: map[string]bool{"previous_status": true}, want: good},
		{name: "optional answer dropped by taking b", a: good, b: edit(`, "previous_status": "near_poor"`, ``),
			diffs: []string{"previous_status"}, take: map[string]bool{"previous_status": true},
			want: edit(`, "previous_status": "near_poor"`, ``)},
		{name: "member added in b, taken", a: good, b: withSpouse,
			diffs: []string{MemberField("0c9d1e2f-0000-4000-8000-000000000002")},
			take:  map[string]bool{MemberField("0c9d1e2f-0000-4000-8000-000000000002"): true}, want: withSpouse},
		{name: "member removed in b, kept", a: withSpouse, b: good,
			diffs: []string{MemberField("0c9d1e2f-0000-4000-8000-000000000002")}, want: withSpouse},
		{name: "member changed in both versions differently; survey date from b",
			a:     strings.Replace(withSpouse, `"birth_year": 1955`, `"birth_year": 1954`, 1),
			b:     strings.Replace(strings.Replace(withSpouse, `"Trần Văn Tư"`, `"Trần Văn Tứ"`, 1), `"2024-09-16"`, `"2024-09-18"`, 1),
			diffs: []string{"survey.date", MemberField("0c9d1e2f-0000-4000-8000-000000000002")},
			take:  map[string]bool{"survey.date": true},
			want:  strings.Replace(strings.Replace(withSpouse, `"birth_year": 1955`, `"birth_year": 1954`, 1), `"2024-09-16"`, `"2024-09-18"`, 1)},
		{name: "devices and waste are single answers",
			a:     good,
			b:     edit(`"tv": true, "radio": false`, `"tv": false, "radio": true`),
			diffs: []string{"devices"}, take: map[string]bool{"devices": true},
			want: edit(`"tv": true, "radio": false`, `"tv": false, "radio": true`)},
		{name: "unknown fields of a newer app are merged like the others",
			a:     edit(`"loudspeaker": true`, `"loudspeaker": true, "solar": 1`),
			b:     edit(`"loudspeaker": true`, `"loudspeaker": true, "solar": 2`),
			diffs: []string{"solar"}, take: map[string]bool{"solar": true},
			want: edit(`"loudspeaker": true`, `"loudspeaker": true, "solar": 2`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := mustDecode(t, c.a), mustDecode(t, c.b)
			aBytes, bBytes := Encode(a), Encode(b)
			var got []string
			for _, d := range Differences(a, b) {
				got = append(got, d.Field)
				if d.A == d.B {
					t.Errorf("%s: the same value %q on both sides", d.Field, d.A)
				}
			}
			if !reflect.DeepEqual(got, c.diffs) {
				t.Errorf("differences %q, want %q", got, c.diffs)
			}
			want := c.want
			if want == "" {
				want = c.a
			}
			m, ps := Merge(a, b, c.take)
			if len(ps) > 0 {
				t.Fatalf("merge: %v", ps)
			}
			if w := Encode(mustDecode(t, want)); !bytes.Equal(Encode(m), w) {
				t.Errorf("merged\n%s\nwant\n%s", Encode(m), w)
			}
			if !bytes.Equal(Encode(a), aBytes) || !bytes.Equal(Encode(b), bBytes) {
				t.Error("merging changed a version")
			}
		})
	}
}

func TestDifferenceValues(t *testing.T) {
	a := mustDecode(t, good)
	b := mustDecode(t, edit(`"floor_area_m2": 32`, `"floor_area_m2": 40.5`))
	ds := Differences(a, b)
	if len(ds) != 1 || ds[0].A != "32" || ds[0].B != "40.5" || ds[0].Member != "" {
		t.Fatalf("%+v", ds)
	}
	c := mustDecode(t, edit(`"Nguyễn Thị Mùi"`, `"Nguyễn Thị Mai"`))
	ds = Differences(a, c)
	if len(ds) != 1 || ds[0].Member != "0c9d1e2f-0000-4000-8000-000000000001" || !strings.Contains(ds[0].B, "Nguyễn Thị Mai") {
		t.Fatalf("member difference: %+v", ds)
	}
}

// TestMergeKeepsHeadRule shows that a merge may give a record that decodes but is not valid:
// the store saves it as a draft, and it must be completed like any other.
func TestMergeKeepsHeadRule(t *testing.T) {
	other := strings.Replace(good, mergeHead, mergeSpouse, 1) // a different sole member, not the head
	a, b := mustDecode(t, good), mustDecode(t, other)
	take := map[string]bool{MemberField("0c9d1e2f-0000-4000-8000-000000000001"): true} // b lacks the head: remove it
	m, ps := Merge(a, b, take)
	if len(ps) > 0 {
		t.Fatalf("decode problems: %v", ps)
	}
	if len(m.Members) != 0 || len(Validate(m)) == 0 {
		t.Errorf("a household without members must not validate: %d members", len(m.Members))
	}
}
