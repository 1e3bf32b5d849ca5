package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
)

const exampleScoreTable = "../../poverty/testdata/score-table-example.json"

// scored2027 is a file of two rural households surveyed under 2027-2030 with income scores 150
// and 151: the example table's rural threshold is 150.
func scored2027(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	for i, h := range demo.Households(demo.DefaultWard, 2, 5) {
		h.Survey.Date = household.MustDate("2027-09-15")
		h.Area = household.AreaRural
		h.Income = household.Income{Kind: household.IncomeScore, Value: 150 + int64(i)}
		if ps := household.Validate(h); len(ps) > 0 {
			t.Fatal(ps)
		}
		b.Write(household.Encode(h))
		b.WriteByte('\n')
	}
	return b.String()
}

// TestScoreTableFlag: --score-table gives 2027-2030 its thresholds on every command that reads
// household files; without it a score there is refused with the existing message.
func TestScoreTableFlag(t *testing.T) {
	in := scored2027(t)
	code, out, errs := ctl(t, in, "classify", "--lang", "en", "-")
	if code != exitBad || out != "" || strings.Count(errs, "income.score") != 2 || !strings.Contains(errs, "has no income score thresholds") {
		t.Fatalf("without a table: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = ctl(t, in, "classify", "--score-table", exampleScoreTable, "-")
	if code != exitOK {
		t.Fatalf("with the example table: exit %d\n%s", code, errs)
	}
	got := parseLines(t, out)
	if len(got) != 2 || got[0]["class"] == "not_poor" || got[1]["class"] != "not_poor" ||
		got[0]["income_basis"] != "score" || got[0]["standard"] != "2027-2030" {
		t.Errorf("classified %v", got)
	}
	if !strings.Contains(errs, "VÍ DỤ") || !strings.Contains(errs, "EXAMPLE") {
		t.Errorf("no warning that the table is an example: %q", errs)
	}
	if code, _, errs := ctl(t, in, "validate", "--score-table", exampleScoreTable, "-"); code != exitOK {
		t.Errorf("validate: exit %d\n%s", code, errs)
	}
	for _, cmd := range []string{"lists", "reports"} {
		dir := t.TempDir()
		if code, _, errs := ctl(t, in, cmd, "--score-table", exampleScoreTable, "--out", dir, "-"); code != exitOK {
			t.Errorf("%s: exit %d\n%s", cmd, code, errs)
		}
		if ents, _ := os.ReadDir(dir); len(ents) == 0 {
			t.Errorf("%s wrote nothing", cmd)
		}
	}

	// The shared examples (2022-2025, three with a score) give the same with the table: its
	// thresholds for 2022-2025 are the standard's own.
	_, plain, _ := ctl(t, "", "classify", sharedFile(t, "households.jsonl"))
	if code, with, errs := ctl(t, "", "classify", "--score-table", exampleScoreTable, sharedFile(t, "households.jsonl")); code != exitOK || with != plain {
		t.Errorf("the shared examples differ with the table: exit %d %s", code, errs)
	}

	// A table that does not pass is refused with the reason, before the file is read.
	bad := filepath.Join(t.TempDir(), "bad.json")
	data, _ := os.ReadFile(exampleScoreTable)
	os.WriteFile(bad, bytes.Replace(data, []byte(`"2022-2025": {"rural": 140`), []byte(`"2022-2025": {"rural": 145`), 1), 0o600)
	if code, out, errs := ctl(t, in, "classify", "--score-table", bad, "-"); code != exitBad || out != "" || !strings.Contains(errs, "140") {
		t.Errorf("disagreeing table: exit %d %s", code, errs)
	}
	if code, _, errs := ctl(t, in, "classify", "--score-table", "/does/not/exist.json", "-"); code != exitBad || !strings.Contains(errs, "score table file") {
		t.Errorf("missing table: exit %d %s", code, errs)
	}
}

// TestScoreTableCommand loads, shows and removes the table of a database; the database's own
// checks (import) use it.
func TestScoreTableCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ward.db")
	if code, _, errs := storeRun(t, "", "init", "--db", db, "--ward", "Xã Thử", "--role", "office", "--surveyor", "Cán bộ A"); code != exitOK {
		t.Fatalf("init: %s", errs)
	}
	storeVerified(t, db)
	in := scored2027(t)
	file := filepath.Join(t.TempDir(), "h.jsonl")
	os.WriteFile(file, []byte(in), 0o600)

	code, out, _ := storeRun(t, "", "scoretable", "show", "--db", db, "--lang", "en")
	if code != exitOK || !strings.Contains(out, "No income score table is loaded") || !strings.Contains(out, "rural 140, urban 175 (the standard's own)") {
		t.Fatalf("show without a table: exit %d\n%s", code, out)
	}
	if code, _, errs := storeRun(t, "", "import", "--db", db, file); code != exitBad || !strings.Contains(errs, "income.score") {
		t.Fatalf("import without a table: exit %d %s", code, errs)
	}

	code, out, errs := storeRun(t, "", "scoretable", "check", exampleScoreTable, "--lang", "en")
	if code != exitOK || !strings.Contains(out, "EXAMPLE — not an official score table") {
		t.Fatalf("check: exit %d\n%s%s", code, out, errs)
	}
	if f, _ := os.Stat(db); f == nil {
		t.Fatal("the database is gone")
	}

	code, out, errs = storeRun(t, "", "scoretable", "load", exampleScoreTable, "--db", db, "--lang", "en")
	if code != exitOK {
		t.Fatalf("load: exit %d %s", code, errs)
	}
	for _, want := range []string{"EXAMPLE — not an official score table", "Made up by the rasoat team", "YES — not an official score table",
		"Items:", "7", "2027-2030:", "rural 150, urban 185 (from the score table)", "rural 140, urban 175 (the standard's own)"} {
		if !strings.Contains(out, want) {
			t.Errorf("load output lacks %q:\n%s", want, out)
		}
	}
	code, vi, _ := storeRun(t, "", "scoretable", "show", "--db", db)
	if code != exitOK || !strings.Contains(vi, "VÍ DỤ — không phải bảng điểm chính thức") || !strings.Contains(vi, "nông thôn 150, thành thị 185 (từ bảng điểm)") {
		t.Errorf("show in Vietnamese:\n%s", vi)
	}
	if code, _, errs := storeRun(t, "", "import", "--db", db, file); code != exitOK {
		t.Fatalf("import with the table: exit %d %s", code, errs)
	}
	if code, out, _ := storeRun(t, "", "audit", "export", "--db", db); code != exitOK || !strings.Contains(out, "score table loaded: example") || !strings.Contains(out, "Cán bộ A") {
		t.Errorf("audit: %s", out)
	}

	// A bad file is refused and the table in force stays.
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"format": "rasoat.score-table/v1"}`), 0o600)
	if code, _, errs := storeRun(t, "", "scoretable", "load", bad, "--db", db); code != exitBad || !strings.Contains(errs, "id") {
		t.Errorf("bad file: exit %d %s", code, errs)
	}
	if _, out, _ := storeRun(t, "", "scoretable", "show", "--db", db, "--lang", "en"); !strings.Contains(out, "Items:") {
		t.Errorf("a refused load removed the table:\n%s", out)
	}

	code, out, _ = storeRun(t, "", "scoretable", "remove", "--db", db, "--lang", "en")
	if code != exitOK || !strings.Contains(out, "No income score table is loaded") || !strings.Contains(out, "2027-2030:  none") {
		t.Errorf("remove: exit %d\n%s", code, out)
	}

	for _, args := range [][]string{{"scoretable"}, {"scoretable", "load"}, {"scoretable", "show", "x"}, {"scoretable", "drop"}} {
		if code, _, _ := storeRun(t, "", append(args, "--db", db)...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, _, errs := storeRun(t, "", "scoretable", "--help"); code != exitOK || !strings.Contains(errs, "docs/score-table.md") {
		t.Errorf("help: exit %d", code)
	}
	if code, _, _ := storeRun(t, "", "scoretable", "check", bad); code != exitBad {
		t.Errorf("check of a bad file: exit %d", code)
	}
}
