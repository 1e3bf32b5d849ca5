package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	rsync "github.com/rasoat/rasoat/sync"
)

// exampleScoreTable is the EXAMPLE table poverty's tests use (never an official one).
const exampleScoreTable = "../poverty/testdata/score-table-example.json"

// TestSettingsScoreTable: the settings screen says no table is loaded, loads the ward's file
// (the chosen file, as the office would), names it with its thresholds and marks an example as
// one, refuses a bad file with its reason and the table in force kept, and removes it after a
// confirmation; the screens then classify with the store's standards.
func TestSettingsScoreTable(t *testing.T) {
	db := newStore(t, 0, demoWard())
	a := newApp(t, db)
	ans := &answers{}
	a.choose = ans
	a.ShowSettings(false)
	a.Wait()
	body := func() string { return allText(a.win.Content()) }
	if !strings.Contains(body(), "Chưa nạp bảng điểm") {
		t.Fatalf("no table: the screen does not say so:\n%s", body())
	}
	if st, _ := a.reg.Get("2027-2030"); st.ScoreThreshold != nil {
		t.Fatal("2027-2030 has score thresholds before a table is loaded")
	}

	ans.path = exampleScoreTable
	test.Tap(buttonIn(t, a.win.Content(), "Nạp bảng điểm…"))
	a.Wait()
	for _, want := range []string{"Đang dùng: VÍ DỤ", "VÍ DỤ — không phải bảng điểm chính thức. Không dùng",
		"ngưỡng nông thôn 140, thành thị 175 (của chuẩn nghèo)", "ngưỡng nông thôn 150, thành thị 185 (từ bảng điểm)"} {
		if !strings.Contains(body(), want) {
			t.Errorf("loaded: the screen lacks %q:\n%s", want, body())
		}
	}
	// The longer text is laid out: its lines end above the buttons, not drawn over them.
	sc := a.setts.score
	buttons := sc.box.Objects[len(sc.box.Objects)-1]
	if bottom := sc.text.Position().Y + sc.text.MinSize().Height; bottom > buttons.Position().Y+1 {
		t.Errorf("the table's text ends at %v, below the buttons' top %v: drawn over them", bottom, buttons.Position().Y)
	}
	if st, _ := a.reg.Get("2027-2030"); st.ScoreThreshold == nil || st.ScoreThreshold.Rural != 150 {
		t.Errorf("the screens do not classify with the loaded table's thresholds: %+v", st.ScoreThreshold)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format": "rasoat.score-table/v1"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	ans.path = bad
	test.Tap(buttonIn(t, a.win.Content(), "Nạp bảng điểm…"))
	a.Wait()
	if msg := topDialogText(a); !strings.Contains(msg, "Không nạp được bảng điểm") {
		t.Errorf("a bad file: dialog %q", msg)
	}
	if tb, _ := db.ScoreTable(); tb == nil {
		t.Fatal("a refused file removed the table in force")
	}

	test.Tap(buttonIn(t, a.win.Content(), "Bỏ bảng điểm"))
	a.Wait()
	test.Tap(buttonIn(t, a.win.Canvas().Overlays().Top(), "Có"))
	a.Wait()
	if tb, _ := db.ScoreTable(); tb != nil {
		t.Fatal("the table is still loaded after Remove")
	}
	if !strings.Contains(body(), "Chưa nạp bảng điểm") {
		t.Errorf("removed: the screen does not say so:\n%s", body())
	}
}

// TestFormIncomeScore: the form offers the income score only with a score table loaded; the
// calculator asks each characteristic of the table, shows the score once all are chosen, and
// puts it in the household's income as a score.
func TestFormIncomeScore(t *testing.T) {
	db := newStore(t, 0, demoWard())
	a := newApp(t, db)
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	if n := len(a.form.incomeKind.Options); n != 2 {
		t.Fatalf("no score table: %d income answers offered, want 2", n)
	}

	data, err := os.ReadFile(exampleScoreTable)
	if err != nil {
		t.Fatal(err)
	}
	table, err := db.LoadScoreTable(data, "test")
	if err != nil {
		t.Fatal(err)
	}
	a = newApp(t, db)
	a.ShowNewHousehold("Tổ 01")
	a.Wait()
	f := a.form
	if n := len(f.incomeKind.Options); n != 3 {
		t.Fatalf("a score table loaded: %d income answers offered, want 3", n)
	}
	if f.scoreBtn.Visible() {
		t.Error("the calculator shows before the score is chosen")
	}
	f.incomeKind.SetSelected(choiceLabel("income", "score"))
	a.Wait()
	if !f.scoreBtn.Visible() || f.amount.PlaceHolder != "Điểm, ví dụ: 150" {
		t.Fatalf("score chosen: calculator shown %v, hint %q", f.scoreBtn.Visible(), f.amount.PlaceHolder)
	}
	test.Tap(f.scoreBtn)
	a.Wait()
	dlg := a.win.Canvas().Overlays().Top()
	if dlg == nil || !strings.Contains(allText(dlg), "Còn 7 đặc điểm chưa chọn") {
		t.Fatalf("the calculator: %q", topDialogText(a))
	}
	var sels []*widget.Select
	walkObjects(dlg, func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			sels = append(sels, s)
		}
	})
	if len(sels) != len(table.Items) {
		t.Fatalf("%d questions, want one per characteristic (%d)", len(sels), len(table.Items))
	}
	answers := map[string]string{}
	for i, s := range sels {
		s.SetSelectedIndex(len(s.Options) - 1)
		it := table.Items[i]
		answers[it.ID] = it.Choices[len(it.Choices)-1].Code
	}
	want, err := table.Score(f.rec.Area, answers)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(allText(dlg), fmt.Sprintf("Điểm thu nhập: %d", want)) {
		t.Errorf("the score is not shown:\n%s", allText(dlg))
	}
	test.Tap(buttonIn(t, dlg, "Dùng điểm này"))
	a.Wait()
	if f.rec.Income.Kind != household.IncomeScore || f.rec.Income.Value != want || f.amount.Text != fmt.Sprint(want) {
		t.Errorf("income %+v, typed %q; want the score %d", f.rec.Income, f.amount.Text, want)
	}
}

// TestPreviewScoreThreshold: a household classified by its income score is shown with the
// threshold it was held to and where that comes from: the standard's own (2022–2025), or the
// loaded table's (2027–2030, which publishes none).
func TestPreviewScoreThreshold(t *testing.T) {
	data, err := os.ReadFile(exampleScoreTable)
	if err != nil {
		t.Fatal(err)
	}
	table, err := poverty.ParseScoreTable(data)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := poverty.MustBuiltin().WithScoreTable(table)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ date, want string }{
		{"2026-09-15", "điểm không quá 175 (của chuẩn nghèo)"},
		{"2027-09-15", "điểm không quá 185 (từ bảng điểm VÍ DỤ"},
	} {
		r := demo.Households(demoWard(), 1, 3)[0]
		r.Area = "urban"
		r.Survey.Date = household.MustDate(tc.date)
		r.Survey.Round = household.RoundFor(r.Survey.Date)
		r.Income = household.Income{Kind: household.IncomeScore, Value: 120}
		if r.WasteCollected == nil {
			yes := true
			r.WasteCollected = &yes
		}
		std, p := reg.Choose(r, "")
		if p != nil {
			t.Fatal(p)
		}
		v := previewOf(r, std, nil, reg)
		if !strings.Contains(v.Line, tc.want) {
			t.Errorf("%s: line %q, want %q (income %q)", tc.date, v.Line, tc.want, v.Income)
		}
		if !strings.Contains(v.Line, "VÍ DỤ — không phải bảng điểm chính thức") {
			t.Errorf("%s: the preview does not say the table is an EXAMPLE: %q", tc.date, v.Line)
		}
	}
}

// TestEnrolledLaptopScoreTableFromOffice: an enrolled laptop has the office's table (sent in
// its enrollment package) and its settings say so, offering no load or remove, which the next
// sync would undo; a laptop not enrolled loads its own.
func TestEnrolledLaptopScoreTableFromOffice(t *testing.T) {
	off := newOffice(t, demo.DefaultWard.Name)
	data, err := os.ReadFile(exampleScoreTable)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := off.st.LoadScoreTable(data, "office"); err != nil {
		t.Fatal(err)
	}
	for _, enrolled := range []bool{true, false} {
		db := newStore(t, 0, demoWard())
		if enrolled {
			off.enroll(t, db, "")
		}
		a, _ := newSyncApp(t, db, rsync.Options{})
		a.ShowSettings(false)
		a.Wait()
		sc := a.setts.score
		if sc.buttons.Visible() == enrolled || sc.office.Visible() != enrolled {
			t.Errorf("enrolled %v: load/remove shown %v, 'from the office' shown %v", enrolled, sc.buttons.Visible(), sc.office.Visible())
		}
		if has := strings.Contains(sc.text.Text, "Đang dùng: VÍ DỤ"); has != enrolled {
			t.Errorf("enrolled %v: the office's table in use %v:\n%s", enrolled, has, sc.text.Text)
		}
	}
}
