package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
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
