package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/rasoat/rasoat/household"
)

// input is a file of records as read: its bytes, and the lines too long to keep.
type input struct {
	data []byte
	long map[int]bool // numbers of the lines longer than household.MaxLine, left empty in data
}

// bom is the UTF-8 byte-order mark that Windows Notepad writes at the start of a file.
var bom = []byte("\xef\xbb\xbf")

// readInput reads a whole file, or standard input for "-", as import reads it: a UTF-8 BOM at
// the start is skipped, and a line longer than household.MaxLine (newline included) is not
// kept but left empty and listed in long, so that a huge line costs no memory.
func readInput(name string, stdin io.Reader) (input, error) {
	r, hint := stdin, 0
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return input{}, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil {
			// As os.ReadFile; the pages of a huge line are never written, so never used.
			hint = int(fi.Size())
		}
		r = f
	}
	in, err := readLines(r, hint, household.MaxLine)
	in.data = bytes.TrimPrefix(in.data, bom)
	return in, err
}

// readLines reads r to its end; a line of max bytes or more without its newline is left
// empty (its newline kept) and its number listed in long. hint is the expected size.
func readLines(r io.Reader, hint, max int) (input, error) {
	buf := make([]byte, min(64<<10, max)) // shorter than a long line: see below
	in := input{data: make([]byte, 0, hint+1)}
	data := in.data
	start := 0             // of the line being read, in data
	lines, counted := 0, 0 // newlines in data[:counted]
	skip := false          // within a long line, until its newline
	for {
		n, err := r.Read(buf)
		b := buf[:n]
		for len(b) > 0 {
			if skip {
				i := bytes.IndexByte(b, '\n')
				if i < 0 {
					break
				}
				b, skip = b[i:], false // its newline stays
			}
			j := bytes.IndexByte(b, '\n')
			end := j
			if j < 0 {
				end = len(b)
			}
			if len(data)-start+end >= max {
				data = data[:start]
				lines += bytes.Count(data[counted:], []byte{'\n'})
				counted = start
				if in.long == nil {
					in.long = map[int]bool{}
				}
				in.long[lines+1] = true
				b, skip = b[end:], true
				continue
			}
			if j < 0 {
				data = append(data, b...)
				break
			}
			// The lines after the first one that ends here end here too, and are shorter
			// than buf: only the unfinished last one needs its length checked.
			k := bytes.LastIndexByte(b, '\n')
			data = append(data, b[:k+1]...)
			start = len(data)
			b = b[k+1:]
		}
		if err == io.EOF {
			in.data = data
			return in, nil
		}
		if err != nil {
			return input{}, err
		}
	}
}

// markDuplicates gives a record whose household id is that of an earlier valid record of the
// file the problem import gives it (household.DuplicateID): a household is listed and counted
// once. items are in file order.
func markDuplicates(items []item) {
	seen := make(map[string]int, len(items))
	for i := range items {
		it := &items[i]
		if len(it.probs) > 0 {
			continue
		}
		first, dup := seen[it.id]
		if !dup {
			seen[it.id] = it.line
			continue
		}
		p := household.DuplicateID(it.id, first)
		p.Line = it.line
		it.probs, it.output = household.Problems{p}, nil
	}
}

// noHousehold says that a file holds no household: empty, or blank lines only (a copy cut
// short, say). No list, report or result comes from it.
func noHousehold(stderr io.Writer, cmd, name string) {
	if name == "-" {
		fmt.Fprintf(stderr, "rasoatctl %s: đầu vào chuẩn không có hộ nào / the standard input holds no household\n", cmd)
		return
	}
	fmt.Fprintf(stderr, "rasoatctl %s: tệp %s không có hộ nào / the file %s holds no household\n", cmd, name, name)
}
