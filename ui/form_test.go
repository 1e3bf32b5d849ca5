package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/store"
)

// addMember types one member into the open member dialog and presses Enter, which saves it and
// opens the dialog of the next member.
func addMember(t *testing.T, a *App, m func(d *memberDialog)) {
	t.Helper()
	d := a.form.member
	if d == nil {
		t.Fatal("no member dialog is open")
	}
	m(d)
	a.win.Canvas().Focus(d.name)
	press(a, fyne.KeyReturn)
	if a.form.member == d || a.form.member == nil {
		t.Fatal("Enter did not save the member and open the next one")
	}
}

// TestFillWholeHousehold fills a new household by typing and tapping, completes it, and checks
// what the store holds and what the preview shows.
func TestFillWholeHousehold(t *testing.T) {
	db := newStore(t, 8, demo.DefaultWard)
	a := newApp(t, db)
	a.ShowNewHousehold("Tổ 02")
	a.Wait()
	f := a.form
	if got := a.win.Canvas().Focused(); got != f.address {
		t.Fatalf("the form should open on the address, focus is on %T", got)
	}
	test.Type(f.address, "Số 7, ngõ 3 Hoàng Liên")
	shortcut(a, fyne.KeyM) // Ctrl+M while typing the address opens the member dialog

	typeMembers(t, a)

	answerHousehold(a)

	checkPreview(t, f)

	id := f.rec.ID
	shortcut(a, fyne.KeyReturn) // Ctrl+Enter: complete
	a.Wait()
	if a.Screen() != "home" {
		t.Fatalf("after completing, the home screen should show; screen %q, dialog:\n%s", a.Screen(), topDialogText(a))
	}
	rec, rev, err := db.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Status != store.StatusComplete {
		t.Errorf("status %q, want complete", rev.Status)
	}
	checkStored(t, rec)

	std, _ := poverty.MustBuiltin().Choose(rec, "")
	res, err := poverty.Classify(rec, std)
	if err != nil || res.Class != poverty.Poor || res.IncomePerCapita != 1_200_000 || res.DeprivationCount != 7 {
		t.Errorf("the stored household classifies as %s, %d, %d deprivations (%v)", res.Class, res.IncomePerCapita, res.DeprivationCount, err)
	}
}

// typeMembers types the three members of the test household, Enter after each, and closes the
// fourth, blank dialog with Escape.
func typeMembers(t *testing.T, a *App) {
	f := a.form
	addMember(t, a, func(d *memberDialog) {
		if d.relation.value() != household.RelationHead {
			t.Errorf("the first member should be pre-filled as the head, got %q", d.relation.value())
		}
		typeInto(a, d.name, "Trần Văn An")
		d.sex.SetSelected("Nam")
		typeInto(a, d.birth, "15/04/1980")
		typeInto(a, d.ethnicity, "Kinh")
		typeInto(a, d.idNumber, "010180001234")
		d.education.set("lower_secondary")
		d.employment.set("wage_no_contract")
		d.insurance.SetSelected("Không")
		d.able.SetSelected("Có")
	})
	addMember(t, a, func(d *memberDialog) {
		typeInto(a, d.name, "Lò Thị Mai")
		d.relation.set("spouse")
		d.sex.SetSelected("Nữ")
		typeInto(a, d.birth, "1984")
		typeInto(a, d.ethnicity, "Thái")
		d.insurance.SetSelected("Có")
		d.education.set("primary")
		d.employment.set("self_employed")
		d.able.SetSelected("Có")
	})
	addMember(t, a, func(d *memberDialog) {
		if d.ethnicity.Text != "Thái" {
			t.Errorf("ethnicity should be carried from the last member, got %q", d.ethnicity.Text)
		}
		typeInto(a, d.name, "Trần Văn Bình")
		d.relation.set("child")
		d.sex.SetSelected("Nam")
		typeInto(a, d.birth, "02/09/2018")
		d.insurance.SetSelected("Có")
		d.education.set("primary")
		test.Tap(d.inSchool)
		d.school.set("attending_behind")
		test.Tap(d.malnourished)
	})
	// The fourth dialog is blank: Escape closes it without adding anyone.
	a.win.Canvas().Focus(a.form.member.name)
	press(a, fyne.KeyEscape)
	if f.member != nil || len(f.rec.Members) != 3 {
		t.Fatalf("Escape should close the blank dialog: dialog %v, %d members", f.member != nil, len(f.rec.Members))
	}

}

// answerHousehold answers the household questions by choosing and tapping.
func answerHousehold(a *App) {
	f := a.form
	f.wall.SetSelected("Không bền chắc")
	f.column.SetSelected("Bền chắc")
	f.roof.SetSelected("Không bền chắc")
	typeInto(a, f.floor, "20")
	f.water.set("drilled_well")
	f.toilet.set("simple_pit")
	f.waste.SetSelected("Có")
	f.internet.SetSelected("Có")
	f.devices.SetSelected([]string{"Tivi", "Điện thoại"})
	f.loudspeaker.SetSelected("Có")
	f.incomeKind.SetSelected("Tổng thu nhập của hộ 12 tháng qua (đồng)")
	typeInto(a, f.amount, "43.200.000")
	leave(a)

}

// checkPreview checks the live classification shown beside the form.
func checkPreview(t *testing.T, f *formScreen) {
	t.Helper()
	p := f.preview
	if p.class.Text != "Hộ nghèo" {
		t.Errorf("preview class %q, want Hộ nghèo", p.class.Text)
	}
	if want := "Thu nhập bình quân: 1.200.000 đ/người/tháng"; p.income.Text != want {
		t.Errorf("preview income %q, want %q", p.income.Text, want)
	}
	if want := "Thiếu hụt 7 chỉ số (điểm B: 70)"; p.score.Text != want {
		t.Errorf("preview score %q, want %q", p.score.Text, want)
	}
	if !strings.Contains(p.standard.Text, "2022") {
		t.Errorf("preview should name the standard in force on 25/11/2026, got %q", p.standard.Text)
	}
	reasons := allText(p.reasons)
	for _, want := range []string{"Bảo hiểm y tế", "Trần Văn An, 46 tuổi: không có thẻ BHYT", "Trần Văn Bình, 8 tuổi",
		"Chất lượng nhà ở"} {
		if !strings.Contains(reasons, want) {
			t.Errorf("preview reasons lack %q:\n%s", want, reasons)
		}
	}
	if p.movement.Text != "So với năm trước: Phát sinh nghèo" {
		t.Errorf("movement %q", p.movement.Text)
	}
	if f.qs["housing.floor_area_m2"].note.Text != "6,7 m² mỗi người" {
		t.Errorf("floor note %q", f.qs["housing.floor_area_m2"].note.Text)
	}
	if f.qs["income"].note.Text != "Tính ra 1.200.000 đ mỗi người mỗi tháng" {
		t.Errorf("income note %q", f.qs["income"].note.Text)
	}

}

func checkStored(t *testing.T, rec *household.Record) {
	t.Helper()
	check := func(what string, got, want any) {
		t.Helper()
		if got != want {
			t.Errorf("%s: stored %v, want %v", what, got, want)
		}
	}
	check("group", rec.Group, "Tổ 02")
	check("address", rec.Address, "Số 7, ngõ 3 Hoàng Liên")
	check("survey date", rec.Survey.Date, household.MustDate("2026-11-25"))
	check("round", rec.Survey.Round, "2026-periodic")
	check("surveyor", rec.Survey.Surveyor, "Lê Văn Hiến")
	check("ward", rec.Ward, demo.DefaultWard.Name)
	check("area", rec.Area, household.AreaUrban)
	if len(rec.Members) != 3 {
		t.Fatalf("%d members stored, want 3", len(rec.Members))
	}
	an, mai, binh := rec.Members[0], rec.Members[1], rec.Members[2]
	check("head", an.Name+"/"+an.Relation+"/"+an.Sex, "Trần Văn An/head/male")
	check("head's birth", an.BirthDate, household.MustDate("1980-04-15"))
	check("head's id", an.IDNumber, "010180001234")
	check("head's insurance", an.HealthInsurance, false)
	check("head's work", an.Employment+"/"+an.Education, "wage_no_contract/lower_secondary")
	check("spouse", mai.Name+"/"+mai.Relation+"/"+mai.Sex+"/"+mai.Ethnicity, "Lò Thị Mai/spouse/female/Thái")
	check("spouse's birth year", mai.BirthYear, 1984)
	check("child", binh.Name+"/"+binh.Relation+"/"+binh.School, "Trần Văn Bình/child/attending_behind")
	check("child malnourished", binh.Malnourished, true)
	// Work is not asked of an 8-year-old: the record gets the questionnaire's defaults.
	check("child's work (not asked)", binh.Employment, "student")
	check("child able to work (not asked)", binh.AbleToWork, true)
	check("housing", rec.Housing.Wall+"/"+rec.Housing.Column+"/"+rec.Housing.Roof, "non_durable/durable/non_durable")
	check("floor area", rec.Housing.FloorAreaM2, 20.0)
	check("water/toilet", rec.WaterSource+"/"+rec.Toilet, "drilled_well/simple_pit")
	if rec.WasteCollected == nil || !*rec.WasteCollected {
		t.Errorf("waste collected: stored %v, want true", rec.WasteCollected)
	}
	check("internet, loudspeaker", [2]bool{rec.Internet, rec.Loudspeaker}, [2]bool{true, true})
	check("devices", [5]bool{rec.Devices.TV, rec.Devices.Radio, rec.Devices.Computer, rec.Devices.Phone, rec.Devices.Tablet},
		[5]bool{true, false, false, true, false})
	check("income", rec.Income.Kind, household.IncomeAnnualTotal)
	check("income value", rec.Income.Value, int64(43_200_000))
}
