package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"unicode"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// bom makes Excel read a CSV file as UTF-8, so Vietnamese names show correctly.
const bom = "\uFEFF"

// movementWords are the words for movements against last year (questionnaire.md, "Words for
// results"; the questionnaire has none for remaining poor or near-poor, and "Vẫn nghèo" follows
// its short form: "Thoát nghèo", "Tái nghèo"). They are the one source of these words: lists,
// reports, the posting and the screens all take them from MovementWord.
var movementWords = map[string]household.Text{
	poverty.RemainsPoor:     {VI: "Vẫn nghèo", EN: "Remains poor"},
	poverty.RemainsNearPoor: {VI: "Vẫn cận nghèo", EN: "Remains near-poor"},
	poverty.PoorToNearPoor:  {VI: "Từ nghèo sang cận nghèo", EN: "Poor to near-poor"},
	poverty.NearPoorToPoor:  {VI: "Từ cận nghèo sang nghèo", EN: "Near-poor to poor"},
	poverty.EscapedPoor:     {VI: "Thoát nghèo", EN: "Escaped poverty"},
	poverty.EscapedNearPoor: {VI: "Thoát cận nghèo", EN: "Escaped near-poverty"},
	poverty.RePoor:          {VI: "Tái nghèo", EN: "Fell back into poverty"},
	poverty.ReNearPoor:      {VI: "Tái cận nghèo", EN: "Fell back into near-poverty"},
	poverty.NewPoor:         {VI: "Phát sinh nghèo", EN: "Newly poor"},
	poverty.NewNearPoor:     {VI: "Phát sinh cận nghèo", EN: "Newly near-poor"},
	poverty.MovementNone:    {VI: "Không thay đổi", EN: "No change"},
}

// MovementWord names a movement in the given language; screens showing a movement use it too,
// so that they say what the printed lists say.
func MovementWord(m, lang string) string {
	if t, ok := movementWords[m]; ok {
		return t.In(lang)
	}
	return m
}

// ClassWord names a class in the given language (questionnaire.md, "Words for results").
func ClassWord(class, lang string) string { return household.Label("status", class).In(lang) }

// indicatorColumns returns the union of the indicators of the standards used by the rows, in
// the order they first appear (a file spanning two standards gets both sets of columns).
func indicatorColumns(rows []Row) []*poverty.Indicator {
	var cols []*poverty.Indicator
	seen := map[poverty.Kind]bool{}
	stds := map[*poverty.Standard]bool{}
	for i := range rows {
		s := rows[i].Result.Standard
		if stds[s] {
			continue
		}
		stds[s] = true
		for j := range s.Indicators {
			if k := s.Indicators[j].Kind(); !seen[k] {
				seen[k] = true
				cols = append(cols, &s.Indicators[j])
			}
		}
	}
	return cols
}

// WriteCSV writes one list as CSV with a byte-order mark: order number, head of household,
// group, address, class, members, ethnic minority, income per person (or score), one column
// per indicator (x where deprived), the deprivation score, the movement against last year, the
// household id and the standard applied.
func WriteCSV(w io.Writer, l List, lang string) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(bom); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cols := indicatorColumns(l.Rows)
	header := listHeader(cols, lang)
	if err := cw.Write(header); err != nil {
		return err
	}
	for i := range l.Rows {
		if err := cw.Write(csvRow(listCells(i+1, &l.Rows[i], cols, lang))); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// listHeader names the columns of a list.
func listHeader(cols []*poverty.Indicator, lang string) []string {
	tx := func(vi, en string) string { return household.Text{VI: vi, EN: en}.In(lang) }
	header := []string{tx("STT", "No."), tx("Họ và tên chủ hộ", "Head of household"), tx("Tổ dân phố / Thôn", "Residential group"),
		tx("Địa chỉ", "Address"), tx("Phân loại", "Class"), tx("Số nhân khẩu", "Members"), tx("Dân tộc thiểu số", "Ethnic minority"),
		tx("Thu nhập BQ người/tháng (đồng)", "Income per person per month (VND)"), tx("Điểm thu nhập (điểm A)", "Income score (A)")}
	for _, c := range cols {
		header = append(header, c.Name.In(lang))
	}
	return append(header, tx("Điểm thiếu hụt (điểm B)", "Deprivation score (B)"), tx("Biến động so với năm trước", "Change since last year"),
		tx("Mã hộ", "Household id"), tx("Chuẩn nghèo áp dụng", "Standard applied"))
}

// listCells are the cells of one list row, numbers as int64 or int, "" where empty.
func listCells(n int, row *Row, cols []*poverty.Indicator, lang string) []any {
	r, res := row.Record, &row.Result
	yes, no := household.Text{VI: "Có", EN: "Yes"}.In(lang), household.Text{VI: "Không", EN: "No"}.In(lang)
	minority := no
	if h := r.Head(); h >= 0 && r.Members[h].IsEthnicMinority() {
		minority = yes
	}
	var income, score any = "", ""
	if res.Basis == poverty.BasisScore {
		score = res.Score
	} else {
		income = res.IncomePerCapita
	}
	out := []any{n, r.HeadName(), r.Group, r.Address, ClassWord(res.Class, lang), len(r.Members), minority, income, score}
	for _, c := range cols {
		mark := ""
		if !res.Standard.Has(c.Kind()) {
			mark = "-"
		} else if res.Deprived.Has(c.Kind()) {
			mark = "x"
		}
		out = append(out, mark)
	}
	return append(out, res.DeprivationScore, MovementWord(res.Movement, lang), r.ID, res.Standard.Title(lang))
}

func csvRow(cells []any) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		switch v := c.(type) {
		case string:
			out[i] = v
		case int:
			out[i] = strconv.Itoa(v)
		case int64:
			out[i] = strconv.FormatInt(v, 10)
		default:
			out[i] = fmt.Sprint(v)
		}
	}
	return out
}

// FileName is the file a list is written to: the scope ("toan-phuong" for the ward, else the
// group's name without diacritics) and the kind, e.g. "to-04_ho-ngheo.csv".
func FileName(l List, ext string) string {
	scope := "toan-phuong"
	if l.Group != "" {
		scope = Slug(l.Group)
	}
	kind := map[string]string{ListPoor: "ho-ngheo", ListNearPoor: "ho-can-ngheo", ListMedium: "ho-muc-song-trung-binh",
		ListMovements: "bien-dong", "workbook": "danh-sach", "posting": "niem-yet"}[l.Kind]
	return scope + "_" + kind + ext
}

var stripMarks = transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)

// Slug turns a name into a file-name part: no diacritics, lower case, words joined by '-'.
func Slug(s string) string {
	s = strings.NewReplacer("đ", "d", "Đ", "D").Replace(s)
	if t, _, err := transform.String(stripMarks, s); err == nil {
		s = t
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// WriteCSVDir writes every list into dir as CSV files and returns their paths. Each file is
// written to a temporary name and renamed, so a full disk never leaves half a list behind.
func WriteCSVDir(dir string, ls *Lists, lang string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("không tạo được thư mục %s / cannot create the folder: %w", dir, err)
	}
	var paths []string
	for _, l := range ls.All {
		p := filepath.Join(dir, FileName(l, ".csv"))
		if err := writeFileAtomic(p, func(w io.Writer) error { return WriteCSV(w, l, lang) }); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// WriteFileAtomic writes path whole or not at all: fill writes a temporary file beside it,
// which is synced, made readable by others (0644, like any exported document) and renamed over
// path. On any failure the temporary file is removed and path is as it was. fill's own error is
// returned as it is, one of the file system as its *fs.PathError or *os.LinkError, for the
// caller to word.
func WriteFileAtomic(path string, fill func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return &fs.PathError{Op: "open", Path: path, Err: syscall.EISDIR}
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = fill(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// writeFileAtomic is WriteFileAtomic naming path in its error, for report's own files.
func writeFileAtomic(path string, fill func(io.Writer) error) error {
	if err := WriteFileAtomic(path, fill); err != nil {
		return fmt.Errorf("không ghi được %s / cannot write: %w", path, err)
	}
	return nil
}
