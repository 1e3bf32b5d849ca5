package main

import (
	"flag"
	"fmt"
	"io"
)

func init() {
	register(&command{
		name:    "validate",
		summary: "kiểm tra tệp hộ, liệt kê mọi lỗi / check a household file, listing every problem",
		run:     runValidate,
	})
}

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var rf recordFlags
	rf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Cách dùng / usage: rasoatctl validate [--standard ID] [--score-table F] [--lang vi|en] FILE")
		fmt.Fprintln(stderr, "Kiểm tra mọi bản ghi của FILE (JSON Lines; - là đầu vào chuẩn) theo quy tắc của định dạng và chuẩn nghèo.")
		fmt.Fprintln(stderr, "Checks every record of FILE (JSON Lines; - is standard input) against the format's and the standard's rules.")
		fmt.Fprintln(stderr, "Mã thoát / exit code: 0 không lỗi / no problems, 1 có lỗi / problems found.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "validate", "cần đúng một tệp (hoặc -)", "exactly one FILE (or -) is required")
	}
	items, code := loadItems("validate", &rf, fs.Arg(0), stdin, stderr, processOptions{})
	if code != exitOK {
		return code
	}
	if rf.lang == "en" {
		fmt.Fprintf(stdout, "%d records, no problems\n", len(items))
	} else {
		fmt.Fprintf(stdout, "%d bản ghi, không có lỗi\n", len(items))
	}
	return exitOK
}
