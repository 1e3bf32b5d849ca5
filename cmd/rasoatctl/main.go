// Command rasoatctl is the headless tool of the ward office and of scripts: it classifies,
// validates and lists households from JSON Lines files, and manages the local database. It
// never imports Fyne and builds with CGO_ENABLED=0.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/rasoat/rasoat/version"
)

// Exit codes shared by every command.
const (
	exitOK    = 0
	exitBad   = 1 // bad input: the problems are listed on stderr
	exitUsage = 2 // the command line itself is wrong
)

// command is one subcommand. Each lives in its own file and registers itself in init.
type command struct {
	name    string
	summary string // one line, Vietnamese / English
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(stdout)
		return exitOK
	case "--version", "version":
		fmt.Fprintln(stdout, "rasoatctl", version.String())
		return exitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "rasoatctl: không có lệnh %q / unknown command %q\n\n", args[0], args[0])
		usage(stderr)
		return exitUsage
	}
	return c.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "rasoatctl — công cụ dòng lệnh rà soát hộ nghèo / command-line tool of the household poverty review")
	fmt.Fprintln(w, "\nCách dùng / usage: rasoatctl LỆNH/COMMAND [tùy chọn/options]")
	fmt.Fprintln(w, "\nLệnh / commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\n`rasoatctl LỆNH --help` cho chi tiết / for details. Mã thoát / exit codes: 0 thành công/success, 1 dữ liệu lỗi/bad input, 2 sai cú pháp/usage error.")
}

// usageError prints a usage problem of a command and returns the usage exit code.
func usageError(stderr io.Writer, cmd, vi, en string) int {
	fmt.Fprintf(stderr, "rasoatctl %s: %s / %s\n", cmd, vi, en)
	fmt.Fprintf(stderr, "Xem / see: rasoatctl %s --help\n", cmd)
	return exitUsage
}

// oneLine folds a message for stderr.
func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }
