package report

import (
	"io"
	"path/filepath"
	"runtime"
	"sync"
)

// WriteDirParallel writes the same files as WriteDir, several at a time (workers ≤ 0: one
// per processor). A ward of 40 groups makes 80 workbooks and PDFs, each with its own fixed
// cost (fonts, compression), so the office app writes them side by side. The paths come back
// in WriteDir's order; on an error, the files written so far are listed.
func WriteDirParallel(dir string, ls *Lists, f Formats, lang string, workers int) ([]string, error) {
	paths, err := startDir(dir, ls, f, lang)
	if err != nil {
		return paths, err
	}
	jobs := fileJobs(dir, ls, f, lang)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	errs := make([]error, len(jobs))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(jobs), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				errs[i] = writeFileAtomic(jobs[i].path, jobs[i].write)
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, j := range jobs {
		if errs[i] != nil {
			return paths, errs[i]
		}
		paths = append(paths, j.path)
	}
	return paths, nil
}

// fileJob is one file of WriteDir: where it goes and how it is written.
type fileJob struct {
	path  string
	write func(io.Writer) error
}

// fileJobs lists WriteDir's workbooks and posting PDFs, in its order.
func fileJobs(dir string, ls *Lists, f Formats, lang string) []fileJob {
	scopes := map[string][]List{}
	for _, l := range ls.All {
		scopes[l.Group] = append(scopes[l.Group], l)
	}
	var jobs []fileJob
	for _, g := range append([]string{""}, ls.Groups...) {
		lists := scopes[g]
		if f.XLSX {
			jobs = append(jobs, fileJob{filepath.Join(dir, FileName(List{Group: g, Kind: "workbook"}, ".xlsx")),
				func(w io.Writer) error { return WriteListsXLSX(w, lists, lang) }})
		}
		if f.PDF && g != "" {
			rows := groupRows(lists)
			o := PostingOptions{Ward: ls.Ward, Group: g, Year: surveyYear(rows), Lang: lang}
			jobs = append(jobs, fileJob{filepath.Join(dir, FileName(List{Group: g, Kind: "posting"}, ".pdf")),
				func(w io.Writer) error { return WritePostingPDF(w, rows, o) }})
		}
	}
	return jobs
}
