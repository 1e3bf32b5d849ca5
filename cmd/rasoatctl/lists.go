package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rasoat/rasoat/report"
)

func init() {
	register(&command{
		name:    "lists",
		summary: "lập danh sách hộ nghèo, cận nghèo, trung bình, biến động (CSV, XLSX, PDF niêm yết) / make the lists",
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
		fmt.Fprintln(stderr, "Cách dùng / usage: rasoatctl lists --out DIR [--standard ID] [--score-table F] [--lang vi|en] FILE")
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
	items, code := loadItems("lists", &rf, fs.Arg(0), stdin, stderr, processOptions{keep: true})
	if code != exitOK {
		if items != nil {
			wroteNothing(stderr, "lists")
		}
		return code
	}
	ws := byWard(items)
	var paths []string
	for _, w := range ws.names {
		if note := report.YearNote(ws.rows[w], rf.lang); note != "" {
			fmt.Fprintf(stderr, "rasoatctl lists: %s: %s\n", w, note)
		}
		ps, err := report.WriteDir(ws.dir(*out, w), report.Build(w, ws.rows[w]), formats, rf.lang)
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
