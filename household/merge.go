package household

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// Difference is one part of a household that two versions of it answer differently: one
// answer (a field path of the interchange format, like "housing.wall" or "income"), or one
// whole member ("members/" and the member's id). A and B are the two answers as canonical JSON
// values, "" where the version has none (a member it lacks, an optional answer left out).
type Difference struct {
	Field  string
	Member string // the member's id, for a member
	A, B   string
}

// MemberField is the field of a member difference: "members/" + id.
func MemberField(id string) string { return "members/" + id }

// mergeGroups are the objects compared key by key; the other fields are compared whole (income
// and devices are one answer each; members are compared one by one).
var mergeGroups = map[string]bool{"survey": true, "housing": true}

// Differences lists what two versions of a household answer differently, in the order of the
// interchange format (the members where the first version has them, then the second's own).
// It is the basis of settling a conflict field by field (Merge).
func Differences(a, b *Record) []Difference {
	fa, ma := flatten(a)
	fb, mb := flatten(b)
	var out []Difference
	for _, k := range unionKeys(fa.keys, fb.keys) {
		if k == "members" {
			out = append(out, memberDifferences(ma, mb)...)
			continue
		}
		if va, vb := fa.vals[k], fb.vals[k]; !bytes.Equal(va, vb) {
			out = append(out, Difference{Field: k, A: string(va), B: string(vb)})
		}
	}
	return out
}

func memberDifferences(a, b members) []Difference {
	var out []Difference
	for _, id := range unionKeys(a.ids, b.ids) {
		va, vb := a.byID[id], b.byID[id]
		if !bytes.Equal(va, vb) {
			out = append(out, Difference{Field: MemberField(id), Member: id, A: string(va), B: string(vb)})
		}
	}
	return out
}

// Merge makes a new version of a household: version a, with the answers of version b for the
// fields named in take (Difference.Field values; a member taken from b replaces a's, is added
// when a lacks it, or is removed when b lacks it). The result is checked like any record read
// from a file: its problems are those of Decode, and Validate still applies before it can be
// complete. Neither version is changed.
func Merge(a, b *Record, take map[string]bool) (*Record, Problems) {
	fa, ma := flatten(a)
	fb, mb := flatten(b)
	obj := map[string]any{}
	for _, k := range unionKeys(fa.keys, fb.keys) {
		v := fa.vals[k]
		if take[k] {
			v = fb.vals[k]
		}
		if v != nil {
			setPath(obj, k, v)
		}
	}
	list := []json.RawMessage{}
	for _, id := range unionKeys(ma.ids, mb.ids) {
		v := ma.byID[id]
		if take[MemberField(id)] {
			v = mb.byID[id]
		}
		if v != nil {
			list = append(list, v)
		}
	}
	obj["members"] = list
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, Problems{{RecordID: a.ID, Rule: "merge", VI: "không ghép được hai phiên bản: " + err.Error(),
			EN: "the versions cannot be merged: " + err.Error()}}
	}
	return Decode(data)
}

// flat is a record as field path → canonical JSON value, with the paths in encoding order.
type flat struct {
	keys []string
	vals map[string]json.RawMessage
}

// members are a record's members as canonical JSON by id, in order.
type members struct {
	ids  []string
	byID map[string]json.RawMessage
}

func flatten(r *Record) (flat, members) {
	f := flat{vals: map[string]json.RawMessage{}}
	m := members{byID: map[string]json.RawMessage{}}
	top, order := objectOf(Encode(r))
	for _, k := range order {
		switch {
		case k == "members":
			var list []json.RawMessage
			_ = json.Unmarshal(top[k], &list)
			for i, v := range list {
				id := memberID(v, i)
				m.ids = append(m.ids, id)
				m.byID[id] = v
			}
			f.keys = append(f.keys, k)
		case mergeGroups[k]:
			sub, subOrder := objectOf(top[k])
			for _, s := range subOrder {
				f.keys = append(f.keys, k+"."+s)
				f.vals[k+"."+s] = sub[s]
			}
		default:
			f.keys = append(f.keys, k)
			f.vals[k] = top[k]
		}
	}
	return f, m
}

// objectOf reads a JSON object into its members, with the keys in their order.
func objectOf(data []byte) (map[string]json.RawMessage, []string) {
	vals := map[string]json.RawMessage{}
	var order []string
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return vals, nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			break
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			break
		}
		order = append(order, k)
		vals[k] = v
	}
	return vals, order
}

// memberID is a member's id, or its position when it has none (an invalid draft).
func memberID(v json.RawMessage, i int) string {
	var m struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(v, &m) == nil && m.ID != "" {
		return m.ID
	}
	return "#" + strconv.Itoa(i+1)
}

// setPath puts a value at a path of one or two keys.
func setPath(obj map[string]any, path string, v json.RawMessage) {
	for i := 0; i < len(path); i++ {
		if path[i] == '.' && mergeGroups[path[:i]] {
			sub, _ := obj[path[:i]].(map[string]any)
			if sub == nil {
				sub = map[string]any{}
				obj[path[:i]] = sub
			}
			sub[path[i+1:]] = v
			return
		}
	}
	obj[path] = v
}

// unionKeys is a's keys in order, then b's that a lacks, in b's order.
func unionKeys(a, b []string) []string {
	seen := make(map[string]bool, len(a))
	out := append([]string(nil), a...)
	for _, k := range a {
		seen[k] = true
	}
	for _, k := range b {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
