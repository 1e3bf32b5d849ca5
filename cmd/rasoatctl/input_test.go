package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/household"
)

// sharedLines returns the first n lines of the shared examples, newline ended.
func sharedLines(t *testing.T, n int) []string {
	t.Helper()
	data, err := os.ReadFile(sharedFile(t, "households.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	return lines[:n]
}

// importResult imports file into a new database and returns the exit code and stderr.
func importResult(t *testing.T, file string) (int, string) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "i.db")
	if code, _, errs := ctl(t, "", "init", "--db", db, "--ward", "Phường Lào Cai", "--area", "urban"); code != exitOK {
		t.Fatal(errs)
	}
	code, _, errs := ctl(t, "", "import", "--db", db, file)
	return code, errs
}

// TestDuplicateHouseholdID: a household id twice in one file is refused by validate,
// classify, lists and reports as import refuses it, with both line numbers; the household is
// never listed twice.
func TestDuplicateHouseholdID(t *testing.T) {
	l := sharedLines(t, 2)
	file := filepath.Join(t.TempDir(), "dup.jsonl")
	if err := os.WriteFile(file, []byte(l[0]+l[1]+l[0]), 0o600); err != nil {
		t.Fatal(err)
	}
	want := "dòng 3: " // then the id
	if code, errs := importResult(t, file); code != exitBad || !strings.Contains(errs, "mã hộ trùng với dòng 1") {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	for _, cmd := range [][]string{{"validate"}, {"classify"}, {"lists", "--out", t.TempDir() + "/l"}, {"reports", "--out", t.TempDir() + "/r"}} {
		code, out, errs := ctl(t, "", append(cmd, file)...)
		if code != exitBad || !strings.Contains(errs, want) || !strings.Contains(errs, "id: mã hộ trùng với dòng 1") {
			t.Errorf("%s: exit %d, stderr:\n%s", cmd[0], code, errs)
		}
		if cmd[0] == "classify" && strings.Count(out, "\n") != 2 {
			t.Errorf("classify printed %d results, want the 2 households once each:\n%s", strings.Count(out, "\n"), out)
		}
		if cmd[0] != "classify" && out != "" {
			t.Errorf("%s: printed %q", cmd[0], out)
		}
	}
	_, _, errs := ctl(t, "", "validate", "--lang", "en", file)
	if !strings.Contains(errs, "line 3: ") || !strings.Contains(errs, "the household id repeats that of line 1") {
		t.Errorf("English: %s", errs)
	}
	// a record with problems of its own does not count as the first of its id
	bad := strings.Replace(l[0], `"area": "`, `"area": "x`, 1)
	if code, _, errs := ctl(t, bad+l[0], "validate", "-"); code != exitBad || strings.Contains(errs, "trùng") {
		t.Errorf("exit %d: %s", code, errs)
	}
}

// TestBOM: a file that starts with a UTF-8 byte-order mark (Windows Notepad writes one) reads
// as import reads it.
func TestBOM(t *testing.T) {
	l := sharedLines(t, 2)
	file := filepath.Join(t.TempDir(), "bom.jsonl")
	if err := os.WriteFile(file, []byte("\xef\xbb\xbf"+l[0]+l[1]), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, errs := importResult(t, file); code != exitOK {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	for _, cmd := range [][]string{{"validate"}, {"classify"}, {"lists", "--out", t.TempDir()}, {"reports", "--out", t.TempDir()}} {
		if code, _, errs := ctl(t, "", append(cmd, file)...); code != exitOK {
			t.Errorf("%s: exit %d: %s", cmd[0], code, errs)
		}
	}
	// only at the start of the file: elsewhere it is bad JSON
	if code, _, errs := ctl(t, l[0]+"\xef\xbb\xbf"+l[1], "validate", "-"); code != exitBad || !strings.Contains(errs, "dòng 2:") {
		t.Errorf("a BOM on line 2: exit %d: %s", code, errs)
	}
}

// TestLongLine: a line longer than household.MaxLine is refused by every command as import
// refuses it, and the other lines are still checked.
func TestLongLine(t *testing.T) {
	l := sharedLines(t, 2)
	huge := strings.Replace(l[0], `"address": "`, `"address": "`+strings.Repeat("A", household.MaxLine), 1)
	file := filepath.Join(t.TempDir(), "huge.jsonl")
	if err := os.WriteFile(file, []byte(l[1]+huge+strings.Replace(l[1], `"area": "`, `"area": "x`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, errs := importResult(t, file); code != exitBad || !strings.Contains(errs, "dòng 2: dòng dài quá 8 MB") {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	for _, cmd := range [][]string{{"validate"}, {"classify"}, {"lists", "--out", t.TempDir()}, {"reports", "--out", t.TempDir()}} {
		code, _, errs := ctl(t, "", append(cmd, file)...)
		if code != exitBad || !strings.Contains(errs, "dòng 2: dòng dài quá 8 MB") || !strings.Contains(errs, "dòng 3: ") {
			t.Errorf("%s: exit %d: %s", cmd[0], code, errs)
		}
	}
	// one byte shorter, newline included, is read
	ok := strings.Replace(l[0], `"address": "`, `"address": "`+strings.Repeat("A", household.MaxLine-len(l[0])-1), 1)
	if len(ok) != household.MaxLine-1 {
		t.Fatalf("line of %d bytes", len(ok))
	}
	if code, _, errs := ctl(t, ok, "validate", "-"); code != exitOK {
		t.Errorf("a line of MaxLine bytes: exit %d: %s", code, errs)
	}
}

// TestTypeErrorDoesNotHideRules: validate lists a record's broken rules along with a type
// error in another field.
func TestTypeErrorDoesNotHideRules(t *testing.T) {
	l := sharedLines(t, 1)[0]
	bad := strings.NewReplacer(`"floor_area_m2": 40`, `"floor_area_m2": "x"`, `"id_number": "074391500080"`, `"id_number": "07439"`,
		`"relation": "child"`, `"relation": "head"`).Replace(l)
	code, _, errs := ctl(t, bad, "validate", "-")
	for _, want := range []string{`housing.floor_area_m2: cần một số, nhận được "x"`, "members[0].id_number: số CCCD", "đúng một chủ hộ (đang có 2)", "(3 lỗi)"} {
		if code != exitBad || !strings.Contains(errs, want) {
			t.Errorf("exit %d, stderr lacks %q:\n%s", code, want, errs)
		}
	}
}

// TestEmptyFile: a file with no household (empty, or blank lines only) is refused with a clear
// message, and lists and reports write nothing.
func TestEmptyFile(t *testing.T) {
	for _, content := range []string{"", "\n  \n\r\n", "\xef\xbb\xbf"} {
		file := filepath.Join(t.TempDir(), "empty.jsonl")
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range [][]string{{"validate"}, {"classify"}, {"lists", "--out", t.TempDir() + "/l"}, {"reports", "--out", t.TempDir() + "/r"}} {
			code, out, errs := ctl(t, "", append(cmd, file)...)
			if code != exitBad || out != "" || !strings.Contains(errs, "không có hộ nào / the file "+file+" holds no household") {
				t.Errorf("%s %q: exit %d, stdout %q, stderr %s", cmd[0], content, code, out, errs)
			}
			if len(cmd) > 1 {
				if _, err := os.Stat(cmd[2]); !os.IsNotExist(err) {
					t.Errorf("%s made %s", cmd[0], cmd[2])
				}
			}
		}
	}
	if code, _, errs := ctl(t, "", "classify", "-"); code != exitBad || !strings.Contains(errs, "đầu vào chuẩn không có hộ nào") {
		t.Errorf("empty stdin: exit %d: %s", code, errs)
	}
}

// TestUnreadableInput: a missing file or a folder is named with the reason in both languages.
func TestUnreadableInput(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ path, want string }{
		{filepath.Join(dir, "nope.jsonl"), "không đọc được " + dir + "/nope.jsonl: không có tệp hoặc thư mục này / cannot read " + dir + "/nope.jsonl: no such file or folder"},
		{dir, "không đọc được " + dir + ": đây là một thư mục, cần một tệp / cannot read " + dir + ": it is a folder, not a file"},
	} {
		code, _, errs := ctl(t, "", "validate", tc.path)
		if code != exitBad || !strings.Contains(errs, tc.want) {
			t.Errorf("exit %d:\n got %s\nwant %s", code, errs, tc.want)
		}
	}
}
