package household

import (
	"fmt"
	"strings"
)

// Problem is one broken rule of one record: which record, which field, which rule, and a
// message in Vietnamese and in English for the person who must fix it.
type Problem struct {
	Line     int    // 1-based line in the input file; 0 when the record did not come from a file
	RecordID string // the record's id when it could be read
	Path     string // field path, e.g. "members[2].birth_date"; "" for the whole record
	Rule     string // short machine-readable rule name, e.g. "required", "enum", "range"
	VI, EN   string
}

// Message returns the message in the given language ("vi" or "en"; anything else gives
// Vietnamese, the app's first language).
func (p Problem) Message(lang string) string {
	if lang == "en" {
		return p.EN
	}
	return p.VI
}

// Format renders the problem on one line, as the command line prints it, in the given language.
func (p Problem) Format(lang string) string {
	var b strings.Builder
	if p.Line > 0 {
		if lang == "en" {
			fmt.Fprintf(&b, "line %d: ", p.Line)
		} else {
			fmt.Fprintf(&b, "dòng %d: ", p.Line)
		}
	}
	if p.RecordID != "" {
		fmt.Fprintf(&b, "%s: ", p.RecordID)
	}
	if p.Path != "" {
		fmt.Fprintf(&b, "%s: ", p.Path)
	}
	b.WriteString(p.Message(lang))
	return b.String()
}

// Error makes a Problem usable as an error; it carries both languages.
func (p Problem) Error() string {
	return p.Format("vi") + " / " + p.Message("en")
}

// Problems is a list of problems that is also an error.
type Problems []Problem

func (ps Problems) Error() string {
	switch len(ps) {
	case 0:
		return "không có lỗi / no problems"
	case 1:
		return ps[0].Error()
	}
	return fmt.Sprintf("%s (và %d lỗi khác / and %d more)", ps[0].Error(), len(ps)-1, len(ps)-1)
}

// problemf builds a problem from a rule and its two messages.
func problemf(path, rule, vi, en string) Problem {
	return Problem{Path: path, Rule: rule, VI: vi, EN: en}
}

// oneOf lists the allowed values of an enumeration for a message.
func oneOf(values []string) string {
	return strings.Join(values, ", ")
}

func enumProblem(path, got string, allowed []string) Problem {
	return problemf(path, "enum",
		fmt.Sprintf("giá trị %q không hợp lệ; chỉ nhận: %s", got, oneOf(allowed)),
		fmt.Sprintf("value %q is not allowed; expected one of: %s", got, oneOf(allowed)))
}

func requiredProblem(path string) Problem {
	return problemf(path, "required", "thiếu thông tin bắt buộc", "required field is missing")
}
