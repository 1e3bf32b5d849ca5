package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFileErr: each kind of file failure is said in Vietnamese then English, with the path.
func TestFileErr(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	os.WriteFile(file, []byte("x"), 0o600)
	pe := func(p string, e error) error { return &fs.PathError{Op: "write", Path: p, Err: e} }
	for _, tc := range []struct {
		path  string
		write bool
		err   error
		want  string
	}{
		{filepath.Join(dir, "nope"), false, pe("x", syscall.ENOENT), "không đọc được " + dir + "/nope: không có tệp hoặc thư mục này / cannot read " + dir + "/nope: no such file or folder"},
		{filepath.Join(dir, "no", "f"), true, pe("x", syscall.ENOENT), "không có thư mục " + dir + "/no / cannot write " + dir + "/no/f: the folder " + dir + "/no does not exist"},
		{dir, false, pe(dir, syscall.EISDIR), "đây là một thư mục, cần một tệp / cannot read " + dir + ": it is a folder, not a file"},
		{file, true, pe(file, syscall.ENOTDIR), "đây là một tệp, cần một thư mục / cannot write " + file + ": it is a file, not a folder"},
		{file, true, pe(file, syscall.EACCES), "không ghi được " + file + ": không có quyền truy cập / cannot write " + file + ": permission denied"},
		{file, true, pe(file, syscall.ENOSPC), "không ghi được " + file + ": ổ đĩa đã đầy / cannot write " + file + ": the disk is full"},
		{file, true, pe(file, syscall.EROFS), "ổ đĩa chỉ cho phép đọc / cannot write " + file + ": the disk is read-only"},
		{"-", true, pe("/dev/stdout", syscall.ENOSPC), "không ghi được ra đầu ra chuẩn: ổ đĩa đã đầy / cannot write to the standard output: the disk is full"},
		{file, false, errors.New("strange"), "không đọc được " + file + ": strange / cannot read " + file + ": strange"},
	} {
		err := fileErr(tc.path, tc.write, tc.err)
		if !strings.Contains(err.Error(), tc.want) || !errors.Is(err, tc.err) {
			t.Errorf("%v:\n got %s\nwant %s", tc.err, err, tc.want)
		}
	}
	if fileErr("x", false, nil) != nil {
		t.Error("nil is not an error")
	}
}

// TestWriteFileAtomic: a failed write leaves the file as it was and no temporary file.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.jsonl")
	if err := writeFileAtomic(p, func(w io.Writer) error { _, err := io.WriteString(w, "one\n"); return err }); err != nil {
		t.Fatal(err)
	}
	full := &fs.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}
	err := writeFileAtomic(p, func(w io.Writer) error { fmt.Fprint(w, "partial"); return full })
	if err == nil || !strings.Contains(err.Error(), "cannot write "+p+": the disk is full") {
		t.Errorf("got %v", err)
	}
	if data, _ := os.ReadFile(p); string(data) != "one\n" {
		t.Errorf("the file became %q", data)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("left behind: %v", es)
	}
	if err := writeFileAtomic(dir, func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "it is a folder, not a file") {
		t.Errorf("a folder: %v", err)
	}
	if err := writeFileAtomic(filepath.Join(dir, "no", "f"), func(io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("a missing folder: %v", err)
	}
}

// TestPassphraseFileErrors: a passphrase file that is missing or a folder is named with the
// reason in both languages.
func TestPassphraseFileErrors(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	missing := filepath.Join(dir, "nope")
	for _, tc := range []struct{ pf, want string }{
		{missing, "không đọc được " + missing + ": không có tệp hoặc thư mục này / cannot read " + missing + ": no such file or folder"},
		{dir, "không đọc được " + dir + ": đây là một thư mục, cần một tệp / cannot read " + dir + ": it is a folder, not a file"},
	} {
		code, _, errs := storeRun(t, "", "export", "--db", db, "--passphrase-file", tc.pf)
		if code != exitBad || !strings.Contains(errs, tc.want) {
			t.Errorf("exit %d\n got %s\nwant %s", code, errs, tc.want)
		}
	}
}

type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
}

// TestClassifyFullDisk: classify to a full disk says so in both languages, exit 1.
func TestClassifyFullDisk(t *testing.T) {
	var errb strings.Builder
	code := run([]string{"classify", sharedFile(t, "households.jsonl")}, nil, fullDisk{}, &errb)
	if want := "rasoatctl classify: không ghi được ra đầu ra chuẩn: ổ đĩa đã đầy / cannot write to the standard output: the disk is full"; code != exitBad || !strings.Contains(errb.String(), want) {
		t.Errorf("exit %d: %s", code, errb.String())
	}
}
