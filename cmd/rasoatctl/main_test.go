package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
)

const shared = "../../../shared/testdata/classify/"

// ctl runs the command in-process and returns its exit code, stdout and stderr.
func ctl(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func sharedFile(t *testing.T, name string) string {
	p := shared + name
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the shared examples are the contract and must be beside the repository (../shared): %v", err)
	}
	return p
}

func parseLines(t *testing.T, text string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// TestClassifySharedExamples is the contract: classify agrees with expected.jsonl on every line.
func TestClassifySharedExamples(t *testing.T) {
	code, out, errs := ctl(t, "", "classify", sharedFile(t, "households.jsonl"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want, err := os.ReadFile(sharedFile(t, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	got, exp := parseLines(t, out), parseLines(t, string(want))
	if len(got) != len(exp) {
		t.Fatalf("%d lines, want %d", len(got), len(exp))
	}
	for i := range exp {
		if !reflect.DeepEqual(got[i], exp[i]) {
			t.Errorf("line %d:\n got %v\nwant %v", i+1, got[i], exp[i])
		}
	}
	// Standard input gives the same.
	data, _ := os.ReadFile(sharedFile(t, "households.jsonl"))
	if code, out2, _ := ctl(t, string(data), "classify", "-"); code != exitOK || out2 != out {
		t.Errorf("classify - (stdin) differs from classify FILE")
	}
}

func TestClassifyNamedStandard(t *testing.T) {
	var in bytes.Buffer
	for _, h := range demo.Households(demo.DefaultWard, 50, 9) { // surveyed in 2026
		in.Write(household.Encode(h))
		in.WriteByte('\n')
	}
	code, out, errs := ctl(t, in.String(), "classify", "--standard", "2027-2030", "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, m := range parseLines(t, out) {
		if m["standard"] != "2027-2030" || m["class"] == "medium" {
			t.Fatalf("got %v, want standard 2027-2030 and never medium", m)
		}
	}
	// Income scores cannot be used under 2027-2030: the three score records are refused by name.
	code, _, errs = ctl(t, "", "classify", "--standard", "2027-2030", sharedFile(t, "households.jsonl"))
	if code != exitBad || strings.Count(errs, "income.score") != 3 {
		t.Fatalf("exit %d, want 1 with three income.score problems:\n%s", code, errs)
	}
}

func TestUsageAndHelp(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"nonsense"}, exitUsage},
		{[]string{"--help"}, exitOK},
		{[]string{"--version"}, exitOK},
		{[]string{"classify"}, exitUsage},
		{[]string{"classify", "--help"}, exitOK},
		{[]string{"classify", "--bogus", "x"}, exitUsage},
		{[]string{"classify", "--standard", "1999-2000", "x"}, exitUsage},
		{[]string{"validate"}, exitUsage},
		{[]string{"validate", "--help"}, exitOK},
		{[]string{"lists", "x"}, exitUsage},
		{[]string{"lists", "--help"}, exitOK},
		{[]string{"classify", "/does/not/exist.jsonl"}, exitBad},
	}
	for _, tc := range tests {
		if code, _, errs := ctl(t, "", tc.args...); code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, code, tc.code, errs)
		}
	}
}

// badFile is the shared examples with problems planted in lines 2 and 4; the other lines stay
// valid.
func badFile(t *testing.T) string {
	data, err := os.ReadFile(sharedFile(t, "households.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	lines[1] = strings.Replace(lines[1], `"area": "rural"`, `"area": "town"`, 1)
	lines[3] = lines[3][:len(lines[3])/2] // truncated
	return strings.Join(lines, "\n") + "\n"
}

func TestBadInputListsEveryProblem(t *testing.T) {
	for _, cmd := range []string{"classify", "validate"} {
		code, out, errs := ctl(t, badFile(t), cmd, "-")
		if code != exitBad {
			t.Fatalf("%s: exit %d, want 1", cmd, code)
		}
		if cmd == "validate" && out != "" {
			t.Errorf("%s: printed on stdout despite bad records: %q", cmd, out[:min(len(out), 80)])
		}
		for _, want := range []string{"dòng 2:", `area: giá trị "town" không hợp lệ`, "dòng 4:", "JSON không hợp lệ", "2/60 bản ghi có lỗi"} {
			if !strings.Contains(errs, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", cmd, want, errs)
			}
		}
	}
	_, _, errs := ctl(t, badFile(t), "validate", "--lang", "en", "-")
	if !strings.Contains(errs, "line 2:") || !strings.Contains(errs, "2 of 60 records have problems") {
		t.Errorf("English messages missing:\n%s", errs)
	}
}

// TestClassifyReportsValidRecords: household-record.md's "one bad record never stops the valid
// records of the same file from being reported": classify prints the result of every other
// line, in order and as expected.jsonl has it, and still exits 1; lists and reports, whose
// files must hold every household, write nothing and say why.
func TestClassifyReportsValidRecords(t *testing.T) {
	code, out, _ := ctl(t, badFile(t), "classify", "-")
	if code != exitBad {
		t.Fatalf("exit %d, want 1", code)
	}
	want, err := os.ReadFile(sharedFile(t, "expected.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	exp := parseLines(t, string(want))
	exp = append(append(exp[:1:1], exp[2]), exp[4:]...) // lines 2 and 4 of badFile are bad
	got := parseLines(t, out)
	if len(got) != len(exp) {
		t.Fatalf("%d results, want %d (every valid line)", len(got), len(exp))
	}
	for i := range exp {
		if !reflect.DeepEqual(got[i], exp[i]) {
			t.Errorf("result %d:\n got %v\nwant %v", i+1, got[i], exp[i])
		}
	}
	for _, cmd := range []string{"lists", "reports"} {
		dir := filepath.Join(t.TempDir(), "out")
		code, out, errs := ctl(t, badFile(t), cmd, "--out", dir, "-")
		if code != exitBad || out != "" {
			t.Errorf("%s: exit %d, stdout %q; want 1 and nothing", cmd, code, out)
		}
		if !strings.Contains(errs, "không ghi tệp nào") || !strings.Contains(errs, "dòng 2:") {
			t.Errorf("%s: stderr does not say why nothing was written:\n%s", cmd, errs)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%s: %s was made (%v)", cmd, dir, err)
		}
	}
}

func TestValidateImpossibleAge(t *testing.T) {
	h := demo.Households(demo.DefaultWard, 1, 3)[0]
	h.Members[0].BirthDate, h.Members[0].BirthYear = household.Date{}, 1850
	code, _, errs := ctl(t, string(household.Encode(h))+"\n", "validate", "-")
	if code != exitBad || !strings.Contains(errs, "members[0].birth_year") || !strings.Contains(errs, "176") {
		t.Fatalf("exit %d, stderr %s", code, errs)
	}
}

func TestListsWritesCSVWithBOM(t *testing.T) {
	dir := t.TempDir()
	var in bytes.Buffer
	for _, h := range demo.Households(demo.DefaultWard, 200, 5) {
		in.Write(household.Encode(h))
		in.WriteByte('\n')
	}
	code, out, errs := ctl(t, in.String(), "lists", "--out", dir, "-")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	files := strings.Fields(out)
	if len(files) != 4*(1+demo.DefaultWard.Groups) {
		t.Fatalf("%d files, want %d: %v", len(files), 4*(1+demo.DefaultWard.Groups), files)
	}
	data, err := os.ReadFile(filepath.Join(dir, "toan-phuong_ho-ngheo.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\uFEFFSTT,Họ và tên chủ hộ,")) {
		t.Errorf("poor list does not start with a BOM and the Vietnamese header: %q", data[:60])
	}
	if !strings.Contains(string(data), "Hộ nghèo") || !strings.Contains(string(data), "Chuẩn nghèo đa chiều giai đoạn 2022–2025") {
		t.Error("poor list lacks its class or standard")
	}
}

// TestNoFyneAndNoCgo keeps the command line free of the GUI: it must build with CGO_ENABLED=0.
func TestNoFyneAndNoCgo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list unavailable: %v", err)
	}
	if strings.Contains(string(out), "fyne.io/") {
		t.Fatal("rasoatctl imports Fyne")
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(t.TempDir(), "rasoatctl"), ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("CGO_ENABLED=0 build failed: %v\n%s", err, out)
	}
}

func TestListsAllFormatsAndReports(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := ctl(t, "", "lists", "--format", "all", "--out", dir, sharedFile(t, "households.jsonl"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"phuong-lao-cai/toan-phuong_danh-sach.xlsx", "xa-cam-duong/to-01_niem-yet.pdf", "phuong-lao-cai/toan-phuong_ho-ngheo.csv"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %s among:\n%s", want, out)
		}
	}
	for _, p := range strings.Fields(out) {
		if st, err := os.Stat(p); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	code, out, errs = ctl(t, "", "reports", "--out", dir, sharedFile(t, "households.jsonl"))
	if code != exitOK || strings.Count(out, "bao-cao-tong-hop.xlsx") != 2 {
		t.Fatalf("reports: exit %d, out %q, err %s", code, out, errs)
	}
	if code, _, _ := ctl(t, "", "lists", "--format", "docx", "--out", dir, "x"); code != exitUsage {
		t.Errorf("an unknown format is a usage error, got %d", code)
	}
}
