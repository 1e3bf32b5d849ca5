package report

import (
	"io"
	"os"
	"path/filepath"
)

// Formats says which files WriteDir makes.
type Formats struct{ CSV, XLSX, PDF bool }

// WriteDir writes a ward's lists into dir in the chosen formats and returns the paths: CSV files
// per list; an XLSX workbook for the ward and one per group (a sheet per list); a public-posting
// PDF per group. Every file is written whole or not at all.
func WriteDir(dir string, ls *Lists, f Formats, lang string) ([]string, error) {
	var paths []string
	if f.CSV {
		ps, err := WriteCSVDir(dir, ls, lang)
		paths = append(paths, ps...)
		if err != nil {
			return paths, err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return paths, err
	}
	scopes := map[string][]List{}
	for _, l := range ls.All {
		scopes[l.Group] = append(scopes[l.Group], l)
	}
	for _, g := range append([]string{""}, ls.Groups...) {
		lists := scopes[g]
		if f.XLSX {
			p := filepath.Join(dir, FileName(List{Group: g, Kind: "workbook"}, ".xlsx"))
			if err := writeFileAtomic(p, func(w io.Writer) error { return WriteListsXLSX(w, lists, lang) }); err != nil {
				return paths, err
			}
			paths = append(paths, p)
		}
		if f.PDF && g != "" {
			p := filepath.Join(dir, FileName(List{Group: g, Kind: "posting"}, ".pdf"))
			rows := groupRows(lists)
			o := PostingOptions{Ward: ls.Ward, Group: g, Year: surveyYear(rows), Lang: lang}
			if err := writeFileAtomic(p, func(w io.Writer) error { return WritePostingPDF(w, rows, o) }); err != nil {
				return paths, err
			}
			paths = append(paths, p)
		}
	}
	return paths, nil
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

// WriteReportsFile writes the official summary reports of a ward to one XLSX file.
func WriteReportsFile(path, ward string, rows []Row, lang string) error {
	return writeFileAtomic(path, func(w io.Writer) error { return WriteReportsXLSX(w, Reports(ward, rows, lang)) })
}
