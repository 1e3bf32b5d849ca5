package report

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/rasoat/rasoat/household"
)

// Formats says which files WriteDir makes.
type Formats struct{ CSV, XLSX, PDF bool }

// WriteDir writes a ward's lists into dir in the chosen formats and returns the paths: CSV files
// per list; an XLSX workbook for the ward and one per group (a sheet per list); a public-posting
// PDF per group. Every file is written whole or not at all.
func WriteDir(dir string, ls *Lists, f Formats, lang string) ([]string, error) {
	paths, err := startDir(dir, ls, f, lang)
	if err != nil {
		return paths, err
	}
	for _, j := range fileJobs(dir, ls, f, lang) {
		if err := writeFileAtomic(j.path, j.write); err != nil {
			return paths, err
		}
		paths = append(paths, j.path)
	}
	return paths, nil
}

// startDir writes the CSV files (when asked) and makes dir: what WriteDir and
// WriteDirParallel do before the workbooks and PDFs.
func startDir(dir string, ls *Lists, f Formats, lang string) ([]string, error) {
	var paths []string
	if f.CSV {
		ps, err := WriteCSVDir(dir, ls, lang)
		paths = append(paths, ps...)
		if err != nil {
			return paths, err
		}
	}
	return paths, os.MkdirAll(dir, 0o755)
}

// groupRows collects the distinct households of a scope's lists.
func groupRows(lists []List) []Row {
	seen := map[string]bool{}
	var rows []Row
	for _, l := range lists {
		for _, r := range l.Rows {
			if !seen[r.Record.ID] {
				seen[r.Record.ID] = true
				rows = append(rows, r)
			}
		}
	}
	return rows
}

// surveyYear is the latest survey year of the rows.
func surveyYear(rows []Row) int {
	y := 0
	for _, r := range rows {
		y = max(y, int(r.Record.Survey.Date.Y))
	}
	return y
}

// YearNote warns, in lang, when the rows of a ward were surveyed in more than one year: a
// list is titled with the latest survey year, and a household not surveyed again that year
// would be listed with its old answers as if they were this year's. "" when all are of one year.
func YearNote(rows []Row, lang string) string {
	year := surveyYear(rows)
	other := map[int]int{}
	n := 0
	for _, r := range rows {
		if y := int(r.Record.Survey.Date.Y); y != year {
			other[y]++
			n++
		}
	}
	if n == 0 {
		return ""
	}
	years := slices.Sorted(maps.Keys(other))
	parts := make([]string, len(years))
	for i, y := range years {
		parts[i] = fmt.Sprintf("%d: %d", y, other[y])
	}
	return fmt.Sprintf(household.Text{
		VI: "Lưu ý: danh sách năm %d có %d hộ rà soát năm khác (năm: số hộ — %s); hãy rà soát lại các hộ này trước khi niêm yết.",
		EN: "Note: the %d lists hold %d households surveyed in another year (year: households — %s); survey them again before posting.",
	}.In(lang), year, n, strings.Join(parts, ", "))
}

// WriteReportsFile writes the official summary reports of a ward to one XLSX file.
func WriteReportsFile(path, ward string, rows []Row, lang string) error {
	return writeFileAtomic(path, func(w io.Writer) error { return WriteReportsXLSX(w, Reports(ward, rows, lang)) })
}
