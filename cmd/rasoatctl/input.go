package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/report"
)

// recordFlags are the options shared by the commands that read household files.
type recordFlags struct {
	standard   string
	override   string
	scoreTable string
	lang       string
}

func (f *recordFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.standard, "standard", "", "chuẩn nghèo áp dụng cho mọi hộ (2022-2025, 2027-2030); mặc định theo ngày rà soát / standard for every record; default: by survey date")
	fs.StringVar(&f.override, "standards-file", "", "tệp chuẩn nghèo của phường thay cho chuẩn cùng mã / a ward's standard file replacing the one with the same id")
	fs.StringVar(&f.scoreTable, "score-table", "", "tệp bảng điểm thu nhập của phường (docs/score-table.md): ngưỡng điểm cho chuẩn chưa có / the ward's income score table file (docs/score-table.md): thresholds for a standard that has none")
	registerLang(fs, &f.lang)
}

func registerLang(fs *flag.FlagSet, lang *string) {
	def := os.Getenv("RASOAT_LANG")
	if def != "en" {
		def = "vi"
	}
	fs.StringVar(lang, "lang", def, "ngôn ngữ thông báo: vi hoặc en / language of messages: vi or en")
}

func (f *recordFlags) registry() (*poverty.Registry, error) {
	reg, err := poverty.Builtin()
	if err == nil && f.override != "" {
		reg, err = reg.WithOverrideFile(f.override)
	}
	if err != nil || f.scoreTable == "" {
		return reg, err
	}
	t, err := readScoreTable(f.scoreTable)
	if err != nil {
		return nil, err
	}
	return reg.WithScoreTable(t)
}

// readScoreTable reads and checks a score table file.
func readScoreTable(path string) (*poverty.ScoreTable, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("không đọc được tệp bảng điểm %s / cannot read the score table file %s: %v", path, path, err)
	}
	return poverty.ParseScoreTable(data)
}

// exampleWarning says on stderr that the score table in force is an example, not the ward's
// official one: a list or count made with it is no official result.
func exampleWarning(stderr io.Writer, cmd string, reg *poverty.Registry) {
	if t := reg.ScoreTable(); t != nil && t.IsExample() {
		fmt.Fprintf(stderr, "rasoatctl %s: chú ý: bảng điểm %q là bảng VÍ DỤ, không phải bảng điểm chính thức / note: score table %q is an EXAMPLE, not an official score table\n", cmd, t.ID, t.ID)
	}
}

// item is one record of an input file after decoding, validation and classification.
type item struct {
	line   int
	id     string // the household id, when the record could be read
	rec    *household.Record
	res    poverty.Result
	probs  household.Problems
	output []byte // classify output line, when asked for
}

// processOptions say how far to take each record.
type processOptions struct {
	reg      *poverty.Registry
	standard string
	classify bool // classify valid records
	keep     bool // keep records and results (lists); otherwise only problems and output
	output   bool // render the classify output line

	long map[int]bool // lines too long to read (readInput)
}

// process decodes, validates and (optionally) classifies every non-blank line of data, in
// parallel over contiguous parts of the file, and returns the items in input order.
func process(data []byte, o processOptions) []item {
	parts := splitParts(data, runtime.GOMAXPROCS(0))
	results := make([][]item, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = processPart(p, o)
		}()
	}
	wg.Wait()
	var out []item
	for _, r := range results {
		out = append(out, r...)
	}
	markDuplicates(out)
	return out
}

type part struct {
	data      []byte
	firstLine int
}

// splitParts cuts data into about n parts at line boundaries, remembering each part's first
// line number.
func splitParts(data []byte, n int) []part {
	var parts []part
	line := 1
	for len(data) > 0 {
		size := len(data)/n + 1
		if n <= 1 || size >= len(data) {
			parts = append(parts, part{data, line})
			break
		}
		cut := bytes.IndexByte(data[size:], '\n')
		if cut < 0 {
			parts = append(parts, part{data, line})
			break
		}
		end := size + cut + 1
		parts = append(parts, part{data[:end], line})
		line += bytes.Count(data[:end], []byte{'\n'})
		data = data[end:]
		n--
	}
	return parts
}

func processPart(p part, o processOptions) []item {
	var out []item
	line := p.firstLine - 1
	data := p.data
	for len(data) > 0 {
		line++
		nl := bytes.IndexByte(data, '\n')
		var l []byte
		if nl < 0 {
			l, data = data, nil
		} else {
			l, data = data[:nl], data[nl+1:]
		}
		if o.long[line] {
			p := household.LongLine()
			p.Line = line
			out = append(out, item{line: line, probs: household.Problems{p}})
			continue
		}
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		it := processLine(line, l, o)
		if !o.keep {
			it.id = strings.Clone(it.id) // not the record's text, which is let go
			it.rec, it.res = nil, poverty.Result{}
		}
		out = append(out, it)
	}
	return out
}

func processLine(line int, l []byte, o processOptions) item {
	it := item{line: line}
	rec, probs := household.Decode(l)
	it.rec, it.id = rec, rec.ID
	probs = household.CheckDecoded(rec, probs, household.Validate)
	var std *poverty.Standard
	if len(probs) == 0 {
		var p *household.Problem
		if std, p = o.reg.Choose(rec, o.standard); p != nil {
			probs = household.Problems{*p}
		} else {
			probs = poverty.Check(rec, std)
		}
	}
	if len(probs) == 0 && o.classify {
		res, err := poverty.Classify(rec, std)
		if err != nil {
			p := household.Problem{RecordID: rec.ID, Rule: "classify", VI: err.Error(), EN: err.Error()}
			if e, ok := err.(*poverty.Error); ok {
				p.VI, p.EN = e.VI, e.EN
			}
			probs = household.Problems{p}
		} else {
			it.res = res
			if o.output {
				it.output = poverty.AppendOutput(make([]byte, 0, 256), rec.ID, &res)
			}
		}
	}
	for i := range probs {
		probs[i].Line = line
	}
	it.probs = probs
	return it
}

// reportProblems prints every problem of the items on stderr, in input order, and returns how
// many records had problems.
func reportProblems(items []item, stderr io.Writer, lang string) int {
	bad := 0
	var all household.Problems
	for _, it := range items {
		if len(it.probs) > 0 {
			bad++
			all = append(all, it.probs...)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Line < all[j].Line })
	for _, p := range all {
		fmt.Fprintln(stderr, p.Format(lang))
	}
	if bad > 0 {
		if lang == "en" {
			fmt.Fprintf(stderr, "%d of %d records have problems (%d problems)\n", bad, len(items), len(all))
		} else {
			fmt.Fprintf(stderr, "%d/%d bản ghi có lỗi (%d lỗi)\n", bad, len(items), len(all))
		}
	}
	return bad
}

// loadItems reads FILE (or stdin), then decodes, validates and classifies every record with the
// standards chosen by the flags. It prints every problem and returns exitBad when a record has
// one; the items are then still returned (nil only when the file could not be read at all), so
// that classify can report the valid records of the file (household-record.md: one bad record
// never stops the valid ones from being reported). A valid item has no probs.
func loadItems(cmd string, rf *recordFlags, name string, stdin io.Reader, stderr io.Writer, o processOptions) ([]item, int) {
	reg, err := rf.registry()
	if err != nil {
		fmt.Fprintf(stderr, "rasoatctl %s: %s\n", cmd, oneLine(err.Error()))
		return nil, exitBad
	}
	if rf.standard != "" {
		if _, err := reg.Get(rf.standard); err != nil {
			return nil, usageError(stderr, cmd, err.Error(), "see --standard")
		}
	}
	in, err := readInput(name, stdin)
	if err != nil {
		return nil, fileFail(stderr, cmd, name, false, err)
	}
	exampleWarning(stderr, cmd, reg)
	o.reg, o.standard, o.classify, o.long = reg, rf.standard, true, in.long
	items := process(in.data, o)
	if len(items) == 0 {
		noHousehold(stderr, cmd, name)
		return nil, exitBad
	}
	if reportProblems(items, stderr, rf.lang) > 0 {
		return items, exitBad
	}
	return items, exitOK
}

// wroteNothing says why lists and reports are not made from a file with a bad record: an
// official list or count must hold every household of the ward, so a partial one is worse than
// none (classify, which reports each household on its own, prints the valid ones).
func wroteNothing(stderr io.Writer, cmd string) {
	fmt.Fprintf(stderr, "rasoatctl %s: không ghi tệp nào: danh sách và báo cáo phải đủ mọi hộ; hãy sửa các bản ghi lỗi trên rồi chạy lại\n", cmd)
	fmt.Fprintf(stderr, "rasoatctl %s: nothing written: lists and reports must hold every household; correct the records above and run again\n", cmd)
}

// wards groups classified households by ward, in the order the wards first appear: a file may
// hold several wards (a district's export).
type wards struct {
	names []string
	rows  map[string][]report.Row
}

func byWard(items []item) wards {
	w := wards{rows: map[string][]report.Row{}}
	for _, it := range items {
		name := it.rec.Ward
		if _, ok := w.rows[name]; !ok {
			w.names = append(w.names, name)
		}
		w.rows[name] = append(w.rows[name], report.Row{Record: it.rec, Result: it.res})
	}
	return w
}

// dir is where a ward's files go: out itself for a one-ward file, else a folder per ward.
func (w wards) dir(out, name string) string {
	if len(w.names) > 1 {
		return filepath.Join(out, report.Slug(name))
	}
	return out
}
