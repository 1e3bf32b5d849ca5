package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// memberDialog adds or edits one member. Questions that do not apply at the member's age are
// hidden (schooling for ages 3–15, malnutrition under 16, …) and get the answer the record
// format still requires; "show every question" brings them back. Enter saves the member and, when
// adding, opens a blank one for the next member; Escape cancels.
type memberDialog struct {
	form    *formScreen
	index   int // the member edited, or -1 for a new one
	m       household.Member
	touched map[string]bool
	filling bool // the inputs are being filled from m: handlers do nothing

	name, birth, idNumber                   *entry
	relation, education, school, employment *choice
	sex                                     *widget.RadioGroup
	ethnicity                               *pickEntry
	insurance, inSchool, able, malnourished *widget.Check
	showAll                                 *widget.Check
	scroll                                  *container.Scroll
	qs                                      map[string]*question
	dlg                                     *dialog.CustomDialog
}

// memberFields are the member questions in the order of the dialog (and of Tab).
var memberFields = []string{"name", "relation", "sex", "birth", "ethnicity", "id_number", "health_insurance",
	"education", "in_school", "school", "employment", "able_to_work", "malnourished"}

// memberFieldLabel is the question of a member field, as the lists of problems name it.
func memberFieldLabel(field string) string {
	switch field {
	case "birth_date", "birth_year":
		field = "birth"
	case "":
		return lang.L("form.member")
	}
	return lang.X("m."+field, field)
}

func (f *formScreen) openMember(i int) *memberDialog {
	d := &memberDialog{form: f, index: i, touched: map[string]bool{}, qs: map[string]*question{}}
	if i >= 0 {
		d.m = f.rec.Members[i]
		for _, k := range memberFields {
			d.touched[k] = true
		}
	} else {
		d.m = household.Member{ID: newID()}
		if f.rec.Head() < 0 {
			d.m.Relation = household.RelationHead
		}
		if n := len(f.rec.Members); n > 0 {
			d.m.Ethnicity = f.rec.Members[n-1].Ethnicity
		}
	}
	f.member = d
	d.dlg = dialog.NewCustomWithoutButtons(d.title(), d.buildUI(), f.app.win)
	d.dlg.SetOnClosed(func() { f.member = nil })
	d.fill()
	d.dlg.Resize(fyne.NewSize(680, 640))
	d.dlg.Show()
	f.app.win.Canvas().Focus(d.name)
	return d
}

func (d *memberDialog) title() string {
	if d.index < 0 {
		return lang.L("member.add_title", map[string]any{"N": len(d.form.rec.Members) + 1})
	}
	return lang.L("member.edit_title", map[string]any{"N": d.index + 1})
}

func (d *memberDialog) buildUI() fyne.CanvasObject {
	d.name = d.textEntry("name", "")
	d.birth = d.textEntry("birth", lang.L("member.birth_hint"))
	d.idNumber = d.textEntry("id_number", lang.L("member.id_hint"))
	d.relation = newChoice("relation", func(string) { d.onPick("relation") })
	d.sex = widget.NewRadioGroup(choiceLabels("sex"), func(string) { d.onPick("sex") })
	d.sex.Horizontal = true
	d.ethnicity = newPickEntry(Ethnicities)
	d.ethnicity.PlaceHolder = lang.L("member.ethnicity_hint")
	d.ethnicity.OnChanged = d.onEthnicity
	d.ethnicity.OnSubmitted = func(string) { d.onEnter() }
	d.ethnicity.onEscape = d.onCancel
	d.education = newChoice("education", func(string) { d.onPick("education") })
	d.school = newChoice("school", func(string) { d.onPick("school") })
	d.employment = newChoice("employment", func(string) { d.onPick("employment") })
	d.insurance = widget.NewCheck(lang.L("m.health_insurance_yes"), func(bool) { d.onPick("health_insurance") })
	d.inSchool = widget.NewCheck(lang.L("m.in_school_yes"), func(bool) { d.onPick("in_school") })
	d.able = widget.NewCheck(lang.L("m.able_to_work_yes"), func(bool) { d.onPick("able_to_work") })
	d.malnourished = widget.NewCheck(lang.L("m.malnourished_yes"), func(bool) { d.onPick("malnourished") })
	d.showAll = widget.NewCheck(lang.L("member.show_all"), func(bool) { d.applySkips() })
	inputs := map[string]fyne.CanvasObject{"name": d.name, "relation": d.relation, "sex": d.sex, "birth": d.birth,
		"ethnicity": d.ethnicity, "id_number": d.idNumber, "health_insurance": d.insurance, "education": d.education,
		"in_school": d.inSchool, "school": d.school, "employment": d.employment, "able_to_work": d.able,
		"malnourished": d.malnourished}
	required := map[string]bool{"name": true, "relation": true, "sex": true, "birth": true, "education": true,
		"employment": true, "school": true}
	var rows []*question
	for _, k := range memberFields {
		d.qs[k] = newQuestion(memberFieldLabel(k), required[k], inputs[k])
		rows = append(rows, d.qs[k])
	}
	d.scroll = container.NewVScroll(container.NewVBox(formGrid(&labelColumn{}, rows...), d.showAll))
	return container.NewBorder(nil, d.buildButtons(), nil, nil, d.scroll)
}

func (d *memberDialog) buildButtons() fyne.CanvasObject {
	cancel := widget.NewButtonWithIcon(lang.L("member.cancel"), theme.CancelIcon(), d.onCancel)
	save := widget.NewButtonWithIcon(lang.L("member.save"), theme.ConfirmIcon(), d.onSave)
	if d.index >= 0 {
		save.Importance = widget.HighImportance
		return container.NewHBox(layoutSpacer(), cancel, save)
	}
	next := widget.NewButtonWithIcon(lang.L("member.save_next"), theme.ContentAddIcon(), d.onSaveNext)
	next.Importance = widget.HighImportance
	return container.NewHBox(layoutSpacer(), cancel, save, next)
}

// textEntry makes an entry of the dialog: Enter saves (and opens the next member when adding),
// Escape cancels, leaving it shows its problems.
func (d *memberDialog) textEntry(key, hint string) *entry {
	e := newEntry(hint)
	e.OnChanged = func(string) { d.onTyped(key) }
	e.onBlur = d.form.app.onLeave(e, func() {
		if d.form.member == d {
			d.touched[key] = true
			d.refresh()
		}
	})
	e.onEscape = d.onCancel
	e.OnSubmitted = func(string) { d.onEnter() }
	return e
}

// onEnter saves the member; when adding, the dialog of the next member opens.
func (d *memberDialog) onEnter() {
	if d.index < 0 {
		d.onSaveNext()
	} else {
		d.onSave()
	}
}

// fill puts the member into the inputs.
func (d *memberDialog) fill() {
	d.filling = true
	m := &d.m
	d.name.SetText(m.Name)
	d.relation.set(m.Relation)
	d.sex.SetSelected(choiceLabel("sex", m.Sex))
	d.birth.SetText(BirthText(m))
	d.ethnicity.SetText(m.Ethnicity)
	d.idNumber.SetText(m.IDNumber)
	d.insurance.SetChecked(m.HealthInsurance)
	d.education.set(m.Education)
	d.inSchool.SetChecked(m.InSchool)
	d.school.set(m.School)
	d.employment.set(m.Employment)
	d.able.SetChecked(m.AbleToWork)
	d.malnourished.SetChecked(m.Malnourished)
	d.filling = false
	d.refresh()
}

// read copies the inputs into the member; a birth that cannot be read is left empty.
func (d *memberDialog) read() {
	m := &d.m
	m.Name = strings.TrimSpace(d.name.Text)
	m.Relation = d.relation.value()
	m.Sex = choiceValue("sex", d.sex.Selected)
	m.BirthDate, m.BirthYear, _ = ParseBirth(d.birth.Text)
	m.Ethnicity = strings.TrimSpace(d.ethnicity.Text)
	m.IDNumber = strings.ReplaceAll(strings.TrimSpace(d.idNumber.Text), " ", "")
	m.HealthInsurance = d.insurance.Checked
	m.Education = d.education.value()
	m.InSchool = d.inSchool.Checked
	m.School = d.school.value()
	m.Employment = d.employment.value()
	m.AbleToWork = d.able.Checked
	m.Malnourished = d.malnourished.Checked
}

func (d *memberDialog) onTyped(key string) {
	if d.filling {
		return
	}
	if key == "birth" {
		d.read()
		d.applySkips()
	}
	if d.qs[key].problem.Visible() {
		d.refresh()
	}
}

func (d *memberDialog) onPick(key string) {
	if d.filling {
		return
	}
	d.touched[key] = true
	d.refresh()
}

// onEthnicity narrows the list of ethnic groups to those matching what is typed.
func (d *memberDialog) onEthnicity(s string) {
	q := store.Fold(strings.TrimSpace(s))
	var opts []string
	for _, e := range Ethnicities {
		if q == "" || strings.Contains(store.Fold(e), q) {
			opts = append(opts, e)
		}
	}
	if len(opts) == 0 {
		opts = Ethnicities
	}
	d.ethnicity.SetOptions(opts)
}

// age is the member's age on the survey date as typed so far.
func (d *memberDialog) age() (int, bool) {
	return d.m.KnownAge(d.form.rec.Survey.Date)
}

// applySkips shows the questions asked at the member's age and hides the others.
func (d *memberDialog) applySkips() {
	age, known := d.age()
	// household decides; it asks at every age the questions that do not depend on it.
	for _, field := range memberFields {
		d.qs[field].show(d.showAll.Checked || household.Asked(field, age, known))
	}
	switch _, y, err := ParseBirth(d.birth.Text); {
	case known && y != 0:
		d.qs["birth"].setNote(lang.L("member.age_year_only", map[string]any{"Age": age}))
	case known:
		d.qs["birth"].setNote(lang.L("form.age", map[string]any{"Age": age}))
	case err != nil && strings.TrimSpace(d.birth.Text) != "":
		d.qs["birth"].setNote("")
	default:
		d.qs["birth"].setNote(lang.L("member.birth_help"))
	}
	refitScroll(d.scroll)
}

// refresh shows the member's problems, checked with the household's rules in the household
// (so "born after the survey date" and "one head only" are found), on the questions left so far.
func (d *memberDialog) refresh() {
	d.read()
	d.applySkips()
	msgs := d.problems()
	for k, q := range d.qs {
		msg := ""
		if d.touched[k] {
			msg = msgs[k]
		}
		q.setProblem(msg)
	}
}

// problems are the member's broken rules, by question.
func (d *memberDialog) problems() map[string]string {
	out := map[string]string{}
	if _, _, err := ParseBirth(d.birth.Text); err != nil && strings.TrimSpace(d.birth.Text) != "" {
		out["birth"] = lang.L("problem.birth_format")
	}
	rec := d.form.rec.Clone()
	i := d.index
	m := d.m
	if !d.showAll.Checked {
		m.FillUnasked(rec.Survey.Date)
	}
	if i < 0 {
		rec.Members = append(rec.Members, m)
		i = len(rec.Members) - 1
	} else {
		rec.Members[i] = m
	}
	prefix := fmt.Sprintf("members[%d].", i)
	for _, p := range household.Validate(rec) {
		field, ok := strings.CutPrefix(p.Path, prefix)
		switch {
		case p.Path == "members" && p.Rule == "head" && m.Relation == household.RelationHead:
			field, ok = "relation", true
		case field == "birth_date" || field == "birth_year":
			field = "birth"
		}
		if ok && d.qs[field] != nil && out[field] == "" {
			out[field] = p.Message(Lang())
		}
	}
	return out
}

// commit puts the member into the household. A member needs at least a name and a birth date
// or year (the record format cannot hold a member without one, so neither can a draft).
func (d *memberDialog) commit() bool {
	d.read()
	missing := map[string]fyne.Focusable{}
	if d.m.Name == "" {
		missing["name"] = d.name
	}
	if !d.m.HasBirth() {
		missing["birth"] = d.birth
	}
	if len(missing) > 0 {
		for k := range missing {
			d.touched[k] = true
		}
		d.refresh()
		for _, k := range []string{"birth", "name"} {
			if w := missing[k]; w != nil {
				d.form.app.win.Canvas().Focus(w)
			}
		}
		return false
	}
	m := d.m
	if !d.showAll.Checked {
		m.FillUnasked(d.form.rec.Survey.Date)
	}
	d.form.memberSaved(d.index, m)
	return true
}

func (d *memberDialog) onSave() {
	if d.commit() {
		d.dlg.Hide()
	}
}

// onSaveNext saves the member and opens a blank one for the next member.
func (d *memberDialog) onSaveNext() {
	if d.commit() {
		d.dlg.Hide()
		d.form.openMember(-1)
	}
}

func (d *memberDialog) onCancel() { d.dlg.Hide() }
