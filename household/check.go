package household

import (
	"fmt"
	"strings"
)

// MaxLine bounds one line of a JSON Lines file of records, newline included: every reader of
// such files (import, validate, classify, lists, reports) refuses a longer line with
// LongLine. A record of the largest household is far below it.
const MaxLine = 8 << 20

// LongLine is the problem of a line longer than MaxLine.
func LongLine() Problem {
	return problemf("", "size", fmt.Sprintf("dòng dài quá %d MB", MaxLine>>20), fmt.Sprintf("line longer than %d MB", MaxLine>>20))
}

// DuplicateID is the problem of a record whose household id is that of the record on line
// first of the same file.
func DuplicateID(id string, first int) Problem {
	return Problem{RecordID: id, Path: "id", Rule: "unique",
		VI: fmt.Sprintf("mã hộ trùng với dòng %d", first), EN: fmt.Sprintf("the household id repeats that of line %d", first)}
}

// CheckDecoded returns the problems Decode found in a record followed by those check (Validate,
// or a check built on it) finds, so that a record with a wrong type in one field still has
// every other broken rule listed. A rule about a field Decode already reported (the field
// itself, a part of it or the object holding it: a field of the wrong type is left empty) is
// left out, and so is every rule when the line is not JSON at all (the record is cut short).
func CheckDecoded(r *Record, decoded Problems, check func(*Record) Problems) Problems {
	if len(decoded) == 0 {
		return check(r)
	}
	for _, p := range decoded {
		if p.Rule == "syntax" {
			return decoded
		}
	}
	out := decoded
	for _, p := range check(r) {
		if !coveredBy(p.Path, decoded) {
			out = append(out, p)
		}
	}
	return out
}

// coveredBy reports whether a problem at path is about a field of one of ps, a part of it or
// an object holding it. The birth date and the birth year of a member are one field: either
// is required.
func coveredBy(path string, ps Problems) bool {
	path = birthField(path)
	for _, p := range ps {
		q := birthField(p.Path)
		if within(path, q) || within(q, path) {
			return true
		}
	}
	return false
}

// within reports whether path is inner or the same as outer ("" is the whole record).
func within(path, outer string) bool {
	if outer == "" || path == outer {
		return true
	}
	if !strings.HasPrefix(path, outer) {
		return false
	}
	c := path[len(outer)]
	return c == '.' || c == '['
}

func birthField(path string) string {
	if s, ok := strings.CutSuffix(path, ".birth_year"); ok {
		return s + ".birth_date"
	}
	return path
}
