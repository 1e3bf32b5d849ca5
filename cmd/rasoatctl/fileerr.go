package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/rasoat/rasoat/report"
)

// fileError is a failure to read or write a file or folder, said in both languages with the
// path: what rasoatctl prints instead of Go's English text ("open x: no such file or
// directory").
type fileError struct {
	vi, en string
	err    error
}

func (e *fileError) Error() string { return e.vi + " / " + e.en }
func (e *fileError) Unwrap() error { return e.err }

// Message returns the message in one language, as store.Message asks.
func (e *fileError) Message(lang string) string {
	if lang == "en" {
		return e.en
	}
	return e.vi
}

// fileErr explains err, met reading (write false) or writing path ("-": the standard input or
// output), in both languages: the file or folder does not exist, is a folder where a file is
// wanted or the other way round, may not be used, or the disk is full or read-only. Another
// error keeps its own text. nil stays nil; an error that already has both languages is kept.
func fileErr(path string, write bool, err error) error {
	if err == nil {
		return nil
	}
	var fe *fileError
	if errors.As(err, &fe) {
		return err
	}
	e := &fileError{err: err}
	switch {
	case path == "-" && write:
		e.vi, e.en = "không ghi được ra đầu ra chuẩn", "cannot write to the standard output"
	case path == "-":
		e.vi, e.en = "không đọc được đầu vào chuẩn", "cannot read the standard input"
	case write:
		e.vi, e.en = "không ghi được "+path, "cannot write "+path
	default:
		e.vi, e.en = "không đọc được "+path, "cannot read "+path
	}
	vi, en := fileReason(path, err)
	e.vi += ": " + vi
	e.en += ": " + en
	return e
}

// fileReason says why a file operation on path failed, in Vietnamese and English.
func fileReason(path string, err error) (vi, en string) {
	var isDir, isFile bool
	if path != "-" {
		if fi, serr := os.Stat(path); serr == nil {
			isDir, isFile = fi.IsDir(), !fi.IsDir()
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if path != "-" && filepath.Dir(path) != "." {
			if _, serr := os.Stat(filepath.Dir(path)); errors.Is(serr, fs.ErrNotExist) {
				return "không có thư mục " + filepath.Dir(path), "the folder " + filepath.Dir(path) + " does not exist"
			}
		}
		return "không có tệp hoặc thư mục này", "no such file or folder"
	case errors.Is(err, syscall.EISDIR):
		return "đây là một thư mục, cần một tệp", "it is a folder, not a file"
	case errors.Is(err, syscall.ENOTDIR):
		if isFile {
			return "đây là một tệp, cần một thư mục", "it is a file, not a folder"
		}
		return "một phần của đường dẫn là tệp, không phải thư mục", "part of the path is a file, not a folder"
	case errors.Is(err, fs.ErrPermission):
		return "không có quyền truy cập", "permission denied"
	case isDiskFull(err):
		return "ổ đĩa đã đầy", "the disk is full"
	case errors.Is(err, syscall.EROFS):
		return "ổ đĩa chỉ cho phép đọc", "the disk is read-only"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "tệp bị cắt cụt", "the file is truncated"
	case isDir:
		// Windows reads a folder with an error of its own ("Incorrect function").
		return "đây là một thư mục, cần một tệp", "it is a folder, not a file"
	}
	msg := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	return msg, msg
}

// isDiskFull reports whether err says the disk (or the user's quota) is full.
func isDiskFull(err error) bool {
	for _, e := range diskFull {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// diskFull lists the errors of a full disk; fileerr_windows.go adds Windows' own.
var diskFull = []error{syscall.ENOSPC, syscall.EDQUOT}

// errorBoth is the text of an error in Vietnamese then English when it has both (store, sync
// and file errors: see store.Message), else its own text.
func errorBoth(err error) string {
	var m interface{ Message(string) string }
	if errors.As(err, &m) {
		vi, en := m.Message("vi"), m.Message("en")
		if vi != en {
			return vi + " / " + en
		}
		return vi
	}
	return err.Error()
}

// usedAs returns err as a fileError of path when it is a failure of the file system (a
// *fs.PathError or *os.LinkError), else err unchanged: for the errors of the packages that
// read and write files themselves (sync's folders).
func usedAs(path string, write bool, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		if pe.Path != "" {
			path = pe.Path
		}
		return fileErr(path, write, err)
	case errors.As(err, &le):
		return fileErr(le.New, write, err)
	}
	return err
}

// fileFail prints a file error of a command on stderr and returns exitBad.
func fileFail(stderr io.Writer, cmd, path string, write bool, err error) int {
	fmt.Fprintf(stderr, "rasoatctl %s: %s\n", cmd, oneLine(fileErr(path, write, err).Error()))
	return exitBad
}

// writeFileAtomic writes path whole or not at all (report.WriteFileAtomic); a failure of the
// file system is a fileError of path, another (the store's: a damaged record) stays itself.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	err := report.WriteFileAtomic(path, write)
	if osProblem(err) {
		return fileErr(path, true, err)
	}
	return err
}

// osProblem reports whether err comes from the operating system (a file, the disk).
func osProblem(err error) bool {
	var pe *fs.PathError
	var le *os.LinkError
	var errno syscall.Errno
	return errors.As(err, &pe) || errors.As(err, &le) || errors.As(err, &errno)
}
