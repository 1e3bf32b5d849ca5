package poverty

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/rasoat/rasoat/household"
)

// ScoreTableFormat is the schema name every score table file carries (docs/score-table.md).
const ScoreTableFormat = "rasoat.score-table/v1"

// Limits of a score table file. They are far above any real table (Circular 07/2021
// Appendix III has a few dozen characteristics) and keep a bad file from costing much.
const (
	MaxScoreTableBytes = 1 << 20
	MaxScoreItems      = 200
	MaxScoreChoices    = 100
	MaxScorePoints     = 1000    // points of one choice, and the base score
	MaxScoreThreshold  = 1000000 // a threshold above every score a table can give is absurd
	maxScoreLabel      = 300     // characters of a name, region, source or label
)

// Points is a number of points, the same for both areas or one for rural and one for urban
// households. In a file it is an integer (5) or an object ({"rural": 5, "urban": 7}).
type Points struct {
	Rural, Urban int64
}

// For returns the points for an area id.
func (p Points) For(area string) int64 { return ByArea(p).For(area) }

// UnmarshalJSON reads an integer or a {"rural", "urban"} object with both amounts.
func (p *Points) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] != '{' {
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return fmt.Errorf("points must be an integer or {\"rural\": N, \"urban\": M}, not %s", b)
		}
		p.Rural, p.Urban = n, n
		return nil
	}
	var v struct {
		Rural *int64 `json:"rural"`
		Urban *int64 `json:"urban"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return err
	}
	if v.Rural == nil || v.Urban == nil {
		return fmt.Errorf("points by area need both \"rural\" and \"urban\"")
	}
	p.Rural, p.Urban = *v.Rural, *v.Urban
	return nil
}

// MarshalJSON writes an integer when both areas have the same points.
func (p Points) MarshalJSON() ([]byte, error) {
	if p.Rural == p.Urban {
		return strconv.AppendInt(nil, p.Rural, 10), nil
	}
	return fmt.Appendf(nil, `{"rural": %d, "urban": %d}`, p.Rural, p.Urban), nil
}

// ScoreChoice is one answer to a scored characteristic and its points.
type ScoreChoice struct {
	Code   string `json:"code"`
	Label  Text   `json:"label"`
	Points Points `json:"points"`
}

// ScoreItem is one scored characteristic of a household (the number of members, the roof, a
// refrigerator…): exactly one of its choices is the household's answer.
type ScoreItem struct {
	ID      string        `json:"id"`
	Label   Text          `json:"label"`
	Choices []ScoreChoice `json:"choices"`
}

// Choice returns the item's choice with the given code.
func (it *ScoreItem) Choice(code string) (*ScoreChoice, bool) {
	for i := range it.Choices {
		if it.Choices[i].Code == code {
			return &it.Choices[i], true
		}
	}
	return nil, false
}

// ScoreTable is a regional income score table (điểm A, Circular 07/2021 Appendix III) as a
// ward provides it: the official tables are not shipped with the program. Thresholds, when
// given, are the income score thresholds per standard id, for the standards that publish none
// (Registry.WithScoreTable).
type ScoreTable struct {
	Format     string            `json:"format"`
	ID         string            `json:"id"`
	Version    string            `json:"version"`
	Name       Text              `json:"name"`
	Region     Text              `json:"region"`
	Source     string            `json:"source"`
	Example    *bool             `json:"example"`
	BaseScore  Points            `json:"base_score"`
	Thresholds map[string]ByArea `json:"thresholds,omitempty"`
	Items      []ScoreItem       `json:"items"`

	sum [sha256.Size]byte
}

// IsExample reports whether the table is an example for tests and training, not an official
// table.
func (t *ScoreTable) IsExample() bool { return t.Example != nil && *t.Example }

// SHA256 is the hex SHA-256 of the file the table was read from: two copies of a table are the
// same file when it is the same.
func (t *ScoreTable) SHA256() string { return hex.EncodeToString(t.sum[:]) }

// Title names the table for the screens and reports: its name, version and region. An
// example's name already says it is one (ParseScoreTable checks it).
func (t *ScoreTable) Title(lang string) string {
	return fmt.Sprintf("%s (%s %s; %s)", t.Name.In(lang), Text{VI: "phiên bản", EN: "version"}.In(lang), t.Version, t.Region.In(lang))
}

// Item returns the table's item with the given id.
func (t *ScoreTable) Item(id string) (*ScoreItem, bool) {
	for i := range t.Items {
		if t.Items[i].ID == id {
			return &t.Items[i], true
		}
	}
	return nil, false
}

// Score is the income score of a household of an area (household.AreaRural or AreaUrban) with
// the given answers, one choice code per item id: the base score plus the points of each
// chosen choice. A missing answer, an unknown code or an answer to an item the table does not
// have is refused, so that no score is ever made from a partial form.
func (t *ScoreTable) Score(area string, answers map[string]string) (int64, error) {
	if area != household.AreaRural && area != household.AreaUrban {
		return 0, t.errf("khu vực %q không hợp lệ (urban hoặc rural)", "area %q is not valid (urban or rural)", area)
	}
	for id := range answers {
		if _, ok := t.Item(id); !ok {
			return 0, t.errf("không có mục %q", "there is no item %q", id)
		}
	}
	score := t.BaseScore.For(area)
	for i := range t.Items {
		it := &t.Items[i]
		code, ok := answers[it.ID]
		if !ok {
			return 0, &Error{Text{
				VI: fmt.Sprintf("bảng điểm %q: thiếu câu trả lời cho mục %q (%s)", t.ID, it.ID, it.Label.VI),
				EN: fmt.Sprintf("score table %q: the answer to item %q (%s) is missing", t.ID, it.ID, it.Label.EN),
			}}
		}
		c, ok := it.Choice(code)
		if !ok {
			codes := make([]string, len(it.Choices))
			for j := range it.Choices {
				codes[j] = it.Choices[j].Code
			}
			return 0, t.errf("mục %q không có lựa chọn %q (có: %s)", "item %q has no choice %q (known: %s)", it.ID, code, strings.Join(codes, ", "))
		}
		score += c.Points.For(area)
	}
	return score, nil
}

// errf builds an error about this table: the message, prefixed with the table's id.
func (t *ScoreTable) errf(vi, en string, args ...any) *Error {
	return &Error{Text{
		VI: fmt.Sprintf("bảng điểm %q: ", t.ID) + fmt.Sprintf(vi, args...),
		EN: fmt.Sprintf("score table %q: ", t.ID) + fmt.Sprintf(en, args...),
	}}
}

var (
	scoreIDPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	standardIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	exampleWords      = Text{VI: "ví dụ", EN: "example"}
)

// ParseScoreTable reads a score table file and checks it completely: unknown or repeated
// fields, missing labels, repeated ids and codes, negative or absurd points and thresholds.
// Whether its thresholds name standards that exist and agree with them is checked by
// Registry.WithScoreTable.
func ParseScoreTable(data []byte) (*ScoreTable, error) {
	if len(data) > MaxScoreTableBytes {
		return nil, errorf("tệp bảng điểm quá lớn (%d byte, tối đa %d)", "the score table file is too large (%d bytes, at most %d)", len(data), MaxScoreTableBytes)
	}
	if !utf8.Valid(data) {
		return nil, errorf("tệp bảng điểm không phải UTF-8", "the score table file is not UTF-8")
	}
	if err := noRepeatedKeys(data); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var t ScoreTable
	if err := dec.Decode(&t); err != nil {
		return nil, errorf("tệp bảng điểm không hợp lệ: %v", "the score table file is not valid: %v", err)
	}
	if len(bytes.TrimSpace(data[dec.InputOffset():])) > 0 {
		return nil, errorf("tệp bảng điểm có dữ liệu thừa sau đối tượng JSON", "the score table file has data after its JSON object")
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	t.sum = sha256.Sum256(data)
	return &t, nil
}

// noRepeatedKeys refuses an object with a key twice: encoding/json would keep the last one
// silently (two thresholds for one standard, two labels…).
func noRepeatedKeys(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		object bool
		keys   map[string]bool
		key    bool // the next string token is a key
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // not JSON: the decoder says why
		}
		var top *frame
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			k, _ := tok.(string)
			if _, isDelim := tok.(json.Delim); !isDelim {
				if top.keys[k] {
					return errorf("tệp bảng điểm có khóa %q hai lần trong cùng một đối tượng", "the score table file has the key %q twice in one object", k)
				}
				top.keys[k] = true
				top.key = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			if top != nil && top.object {
				top.key = true
			}
			stack = append(stack, frame{object: true, keys: map[string]bool{}, key: true})
		case json.Delim('['):
			if top != nil && top.object {
				top.key = true
			}
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return nil
			}
		default:
			if top != nil && top.object {
				top.key = true
			}
		}
	}
}

// goodText reports whether s is a label: not blank, no control characters, at most
// maxScoreLabel characters.
func goodText(s string) bool {
	if strings.TrimSpace(s) == "" || utf8.RuneCountInString(s) > maxScoreLabel {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// says reports whether a name holds a word, whatever its case and Unicode normalisation.
func says(name, word string) bool {
	return strings.Contains(strings.ToLower(norm.NFC.String(name)), word)
}

func goodLabel(t Text) bool { return goodText(t.VI) && goodText(t.EN) }

func goodPoints(p Points) bool {
	return p.Rural >= 0 && p.Urban >= 0 && p.Rural <= MaxScorePoints && p.Urban <= MaxScorePoints
}

func (t *ScoreTable) check() error {
	if t.Format != ScoreTableFormat {
		return errorf("tệp bảng điểm phải có \"format\": %q", "a score table file must have \"format\": %q", ScoreTableFormat)
	}
	if !scoreIDPattern.MatchString(t.ID) {
		return errorf("mã bảng điểm (id) %q không hợp lệ: chữ thường, số, dấu . _ -, tối đa 64 ký tự",
			"the score table id %q is not valid: lower-case letters, digits, . _ -, at most 64 characters", t.ID)
	}
	if !goodText(t.Version) {
		return t.errf("thiếu phiên bản (version) hoặc phiên bản không hợp lệ", "the version is missing or not valid")
	}
	if !goodLabel(t.Name) {
		return t.errf("thiếu tên (name: vi, en) hoặc tên không hợp lệ", "the name (name: vi, en) is missing or not valid")
	}
	if !goodLabel(t.Region) {
		return t.errf("thiếu vùng/tỉnh áp dụng (region: vi, en) hoặc không hợp lệ", "the region or province (region: vi, en) is missing or not valid")
	}
	if !goodText(t.Source) {
		return t.errf("thiếu văn bản gốc của bảng điểm (source) hoặc không hợp lệ", "the document the table comes from (source) is missing or not valid")
	}
	if t.Example == nil {
		return t.errf("phải ghi rõ \"example\": true (bảng ví dụ) hoặc false (bảng chính thức của phường)",
			"must say \"example\": true (an example table) or false (the ward's official table)")
	}
	saysVI, saysEN := says(t.Name.VI, exampleWords.VI), says(t.Name.EN, exampleWords.EN)
	switch {
	case *t.Example && !(saysVI && saysEN):
		return t.errf("bảng ví dụ phải có chữ \"ví dụ\" và \"example\" trong tên, để không bị nhầm là bảng chính thức",
			"an example table must have \"ví dụ\" and \"example\" in its name, so that it is never taken for an official one")
	case !*t.Example && (saysVI || saysEN):
		return t.errf("tên bảng nói là ví dụ nhưng \"example\" là false", "the name says example but \"example\" is false")
	}
	if !goodPoints(t.BaseScore) {
		return t.errf("điểm cơ bản (base_score) phải từ 0 đến %d", "base_score must be from 0 to %d", MaxScorePoints)
	}
	for id, th := range t.Thresholds {
		if !standardIDPattern.MatchString(id) {
			return t.errf("ngưỡng điểm cho mã chuẩn nghèo %q không hợp lệ", "thresholds for a standard id %q that is not valid", id)
		}
		if th.Rural <= 0 || th.Urban <= 0 || th.Rural > MaxScoreThreshold || th.Urban > MaxScoreThreshold {
			return t.errf("ngưỡng điểm (thresholds) của chuẩn %q phải từ 1 đến %d cho cả nông thôn và thành thị",
				"the thresholds of standard %q must be from 1 to %d for rural and urban", id, MaxScoreThreshold)
		}
	}
	if len(t.Items) == 0 || len(t.Items) > MaxScoreItems {
		return t.errf("bảng điểm phải có từ 1 đến %d mục (items)", "a score table needs from 1 to %d items", MaxScoreItems)
	}
	seen := map[string]bool{}
	for i := range t.Items {
		it := &t.Items[i]
		if !scoreIDPattern.MatchString(it.ID) {
			return t.errf("mục thứ %d: mã (id) %q không hợp lệ: chữ thường, số, dấu . _ -", "item %d: the id %q is not valid: lower-case letters, digits, . _ -", i+1, it.ID)
		}
		if seen[it.ID] {
			return t.errf("mục %q bị lặp lại", "item %q appears twice", it.ID)
		}
		seen[it.ID] = true
		if !goodLabel(it.Label) {
			return t.errf("mục %q thiếu nhãn (label: vi, en) hoặc nhãn không hợp lệ", "item %q lacks its label (label: vi, en) or it is not valid", it.ID)
		}
		if len(it.Choices) < 2 || len(it.Choices) > MaxScoreChoices {
			return t.errf("mục %q phải có từ 2 đến %d lựa chọn", "item %q needs from 2 to %d choices", it.ID, MaxScoreChoices)
		}
		codes := map[string]bool{}
		for j := range it.Choices {
			c := &it.Choices[j]
			if !goodText(c.Code) || strings.TrimSpace(c.Code) != c.Code || len(c.Code) > 64 {
				return t.errf("mục %q, lựa chọn thứ %d: mã (code) %q không hợp lệ", "item %q, choice %d: the code %q is not valid", it.ID, j+1, c.Code)
			}
			if codes[c.Code] {
				return t.errf("mục %q: lựa chọn %q bị lặp lại", "item %q: choice %q appears twice", it.ID, c.Code)
			}
			codes[c.Code] = true
			if !goodLabel(c.Label) {
				return t.errf("mục %q, lựa chọn %q thiếu nhãn (label: vi, en) hoặc nhãn không hợp lệ", "item %q, choice %q lacks its label (label: vi, en) or it is not valid", it.ID, c.Code)
			}
			if !goodPoints(c.Points) {
				return t.errf("mục %q, lựa chọn %q: điểm (points) phải từ 0 đến %d", "item %q, choice %q: points must be from 0 to %d", it.ID, c.Code, MaxScorePoints)
			}
		}
	}
	return nil
}
