package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/rasoat/rasoat/report"
)

func init() {
	register(&command{
		name:    "reports",
		summary: "lập các biểu báo cáo tổng hợp (XLSX) / make the official summary reports (XLSX)",
		run:     runReports,
	})
}

func runReports(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("reports", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var rf recordFlags
	rf.register(fs)
	out := fs.String("out", "", "thư mục ghi báo cáo (bắt buộc) / folder to write the reports to (required)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Cách dùng / usage: rasoatctl reports --out DIR [--standard ID] [--score-table F] [--lang vi|en] FILE")
		fmt.Fprintln(stderr, "Ghi DIR/bao-cao-tong-hop.xlsx: tổng hợp kết quả; biến động hộ nghèo, hộ cận nghèo; phân tích thiếu hụt")
		fmt.Fprintln(stderr, "của hộ nghèo và hộ cận nghèo (số hộ và tỷ lệ), theo tổ dân phố và toàn phường.")
		fmt.Fprintln(stderr, "Writes DIR/bao-cao-tong-hop.xlsx: summary of results; changes in poor and near-poor households;")
		fmt.Fprintln(stderr, "deprivation analysis of poor and near-poor households (counts and rates), per group and for the ward.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() != 1 || *out == "" {
		return usageError(stderr, "reports", "cần --out DIR và đúng một tệp", "--out DIR and exactly one FILE are required")
	}
	items, code := loadItems("reports", &rf, fs.Arg(0), stdin, stderr, processOptions{keep: true})
	if code != exitOK {
		if items != nil {
			wroteNothing(stderr, "reports")
		}
		return code
	}
	ws := byWard(items)
	for _, w := range ws.names {
		if note := report.YearNote(ws.rows[w], rf.lang); note != "" {
			fmt.Fprintf(stderr, "rasoatctl reports: %s: %s\n", w, note)
		}
		dir := ws.dir(*out, w)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fileFail(stderr, "reports", dir, true, err)
		}
		p := filepath.Join(dir, "bao-cao-tong-hop.xlsx")
		if err := report.WriteReportsFile(p, w, ws.rows[w], rf.lang); err != nil {
			fmt.Fprintln(stderr, "rasoatctl reports:", err)
			return exitBad
		}
		fmt.Fprintln(stdout, p)
	}
	return exitOK
}
