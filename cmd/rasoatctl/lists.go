package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rasoat/rasoat/report"
)

func init() {
	register(&command{
		name:    "lists",
		summary: "lập danh sách hộ nghèo, cận nghèo, trung bình và biến động (CSV) / make the lists (CSV)",
		run:     runLists,
	})
}

func runLists(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lists", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var rf recordFlags
	rf.register(fs)
	out := fs.String("out", "", "thư mục ghi danh sách (bắt buộc) / folder to write the lists to (required)")
	format := fs.String("format", "csv", "định dạng: csv, xlsx, pdf (danh sách niêm yết từng tổ) hoặc all / format: csv, xlsx, pdf (posting list per group) or all")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Cách dùng / usage: rasoatctl lists --out DIR [--standard ID] [--lang vi|en] FILE")
		fmt.Fprintln(stderr, "Ghi vào DIR, cho toàn phường và từng tổ dân phố: danh sách hộ nghèo, cận nghèo, mức sống trung bình")
		fmt.Fprintln(stderr, "và biến động so với năm trước, dạng CSV (UTF-8 có BOM, mở được bằng Excel).")
		fmt.Fprintln(stderr, "Writes to DIR, for the whole ward and each residential group: the poor, near-poor and medium lists and")
		fmt.Fprintln(stderr, "the changes since last year, as CSV (UTF-8 with BOM, opens in Excel).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() != 1 || *out == "" {
		return usageError(stderr, "lists", "cần --out DIR và đúng một tệp", "--out DIR and exactly one FILE are required")
	}
	formats, ok := parseFormats(*format)
	if !ok {
		return usageError(stderr, "lists", "--format chỉ nhận csv, xlsx, pdf, all", "--format takes csv, xlsx, pdf or all")
	}
	reg, err := rf.registry()
	if err != nil {
		fmt.Fprintln(stderr, "rasoatctl lists:", oneLine(err.Error()))
		return exitBad
	}
	data, err := readInput(fs.Arg(0), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "rasoatctl lists: không đọc được / cannot read %s: %v\n", fs.Arg(0), err)
		return exitBad
	}
	items := process(data, processOptions{reg: reg, standard: rf.standard, classify: true, keep: true})
	if reportProblems(items, stderr, rf.lang) > 0 {
		return exitBad
	}
	// A file may hold several wards (a district's export): each gets its own folder then.
	var wards []string
	byWard := map[string][]report.Row{}
	for _, it := range items {
		w := it.rec.Ward
		if _, ok := byWard[w]; !ok {
			wards = append(wards, w)
		}
		byWard[w] = append(byWard[w], report.Row{Record: it.rec, Result: it.res})
	}
	var paths []string
	for _, w := range wards {
		dir := *out
		if len(wards) > 1 {
			dir = filepath.Join(*out, report.Slug(w))
		}
		ps, err := report.WriteDir(dir, report.Build(w, byWard[w]), formats, rf.lang)
		paths = append(paths, ps...)
		if err != nil {
			fmt.Fprintln(stderr, "rasoatctl lists:", err)
			return exitBad
		}
	}
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	return exitOK
}

// parseFormats reads a comma-separated list of output formats.
func parseFormats(s string) (report.Formats, bool) {
	var f report.Formats
	for _, p := range strings.Split(s, ",") {
		switch strings.TrimSpace(p) {
		case "csv":
			f.CSV = true
		case "xlsx":
			f.XLSX = true
		case "pdf":
			f.PDF = true
		case "all":
			f = report.Formats{CSV: true, XLSX: true, PDF: true}
		default:
			return f, false
		}
	}
	return f, true
}
