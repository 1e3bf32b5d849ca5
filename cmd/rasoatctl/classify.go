package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
)

func init() {
	register(&command{
		name:    "classify",
		summary: "xếp loại từng hộ theo chuẩn nghèo / classify each household under the poverty standard",
		run:     runClassify,
	})
}

func runClassify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var rf recordFlags
	rf.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Cách dùng / usage: rasoatctl classify [--standard ID] [--standards-file F] [--score-table F] [--lang vi|en] FILE")
		fmt.Fprintln(stderr, "In một đối tượng JSON cho mỗi hộ của FILE (JSON Lines; - là đầu vào chuẩn), theo thứ tự.")
		fmt.Fprintln(stderr, "Prints one JSON object per household of FILE (JSON Lines; - is standard input), in order.")
		fmt.Fprintln(stderr, "Bản ghi lỗi không có kết quả: mọi lỗi ra stderr (kèm số dòng), các hộ hợp lệ vẫn được in, mã thoát 1.")
		fmt.Fprintln(stderr, "A bad record gets no result: every problem goes to stderr (with its line), the valid records are")
		fmt.Fprintln(stderr, "still printed, and the exit code is 1.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return parseExit(err)
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "classify", "cần đúng một tệp (hoặc -)", "exactly one FILE (or -) is required")
	}
	items, code := loadItems("classify", &rf, fs.Arg(0), stdin, stderr, processOptions{output: true})
	w := bufio.NewWriterSize(stdout, 1<<16)
	for _, it := range items {
		if len(it.probs) > 0 {
			continue
		}
		w.Write(it.output)
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		return fileFail(stderr, "classify", "-", true, err)
	}
	return code
}

// parseExit turns a flag parsing result into an exit code: --help is a success.
func parseExit(err error) int {
	if err == flag.ErrHelp {
		return exitOK
	}
	return exitUsage
}
