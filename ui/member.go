package ui

import (
	"fmt"
	"maps"
	"reflect"
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
	// answered are the Có/Không questions given an answer: a new member starts with none, since
	// an unanswered question is not "Không" (questionnaire.md, table B)
	answered map[string]bool
	filling  bool // the inputs are being filled from m: handlers do nothing

	name, birth, idNumber                   *entry
	relation, education, school, employment *choice
	sex                                     *keyRadio
	ethnicity                               *pickEntry
	insurance, able                         *yesNo
	inSchool, malnourished                  *keyCheck
	showAll                                 *widget.Check
	notice                                  *widget.Label // why the form was not left (leave), in full
	body                                    *fyne.Container
	scroll                                  *container.Scroll
	qs                                      map[string]*question
	dlg                                     *dialog.CustomDialog
}

// memberFields are the member questions in the order of the dialog (and of Tab).
var memberFields = []string{"name", "relation", "sex", "birth", "ethnicity", "id_number", "health_insurance",
	"education", "in_school", "school", "employment", "able_to_work", "malnourished"}

// yesNoFields are the member's Có/Không questions that must be answered when asked: each
// counts towards a deprivation, so no answer may stand for "Không".
var yesNoFields = []string{"health_insurance", "able_to_work"}

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
	d := &memberDialog{form: f, index: i, touched: map[string]bool{}, answered: map[string]bool{}, qs: map[string]*question{}}
	if i >= 0 {
		d.m = f.rec.Members[i]
		for _, k := range memberFields {
			d.touched[k] = true
		}
		// A question not asked at the member's stored age holds the questionnaire's default
		// ("Có", household.FillUnasked), which nobody answered: if the age is corrected so
		// that it is asked, it starts unanswered. A "Không" there was chosen (show every question).
		age, known := d.m.KnownAge(f.rec.Survey.Date)
		stored := map[string]bool{"health_insurance": d.m.HealthInsurance, "able_to_work": d.m.AbleToWork}
		for _, k := range yesNoFields {
			d.answered[k] = household.Asked(k, age, known) || !stored[k]
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
	d.sex = newKeyRadio(choiceLabels("sex"), func(string) { d.onPick("sex") })
	d.ethnicity = newPickEntry(Ethnicities)
	d.ethnicity.PlaceHolder = lang.L("member.ethnicity_hint")
	d.ethnicity.OnChanged = d.onEthnicity
	d.ethnicity.OnSubmitted = func(string) { d.onEnter() }
	d.ethnicity.onEscape = d.onCancel
	d.education = newChoice("education", func(string) { d.onPick("education") })
	d.school = newChoice("school", func(string) { d.onPick("school") })
	d.employment = newChoice("employment", func(string) { d.onPick("employment") })
	d.insurance = newYesNo(func(*bool) { d.onPick("health_insurance") })
	d.inSchool = newKeyCheck(lang.L("m.in_school_yes"), func(bool) { d.onPick("in_school") })
	d.able = newYesNo(func(*bool) { d.onPick("able_to_work") })
	d.malnourished = newKeyCheck(lang.L("m.malnourished_yes"), func(bool) { d.onPick("malnourished") })
	// Escape and Enter work from every question, not only from those typed into
	keys := dialogKeys{onEnter: d.onEnter, onEscape: d.onCancel}
	for _, k := range []*dialogKeys{&d.relation.dialogKeys, &d.sex.dialogKeys, &d.insurance.dialogKeys,
		&d.education.dialogKeys, &d.inSchool.dialogKeys, &d.school.dialogKeys, &d.employment.dialogKeys,
		&d.able.dialogKeys, &d.malnourished.dialogKeys} {
		*k = keys
	}
	d.showAll = widget.NewCheck(lang.L("member.show_all"), func(bool) { d.applySkips() })
	inputs := map[string]fyne.CanvasObject{"name": d.name, "relation": d.relation, "sex": d.sex, "birth": d.birth,
		"ethnicity": d.ethnicity, "id_number": d.idNumber, "health_insurance": d.insurance, "education": d.education,
		"in_school": d.inSchool, "school": d.school, "employment": d.employment, "able_to_work": d.able,
		"malnourished": d.malnourished}
	required := map[string]bool{"name": true, "relation": true, "sex": true, "birth": true, "education": true,
		"employment": true, "school": true, "health_insurance": true, "able_to_work": true}
	var rows []*question
	for _, k := range memberFields {
		d.qs[k] = newQuestion(memberFieldLabel(k), required[k], inputs[k])
		rows = append(rows, d.qs[k])
	}
	d.qs["able_to_work"].setNote(lang.L("m.able_to_work_help"))
	d.scroll = container.NewVScroll(container.NewVBox(formGrid(&labelColumn{}, rows...), d.showAll))
	d.notice = wrapLabel("", widget.WarningImportance)
	d.notice.Hide()
	d.body = container.NewBorder(d.notice, d.buildButtons(), nil, nil, d.scroll)
	return d.body
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
	d.insurance.set(d.answer("health_insurance", m.HealthInsurance))
	d.education.set(m.Education)
	d.inSchool.SetChecked(m.InSchool)
	d.school.set(m.School)
	d.employment.set(m.Employment)
	d.able.set(d.answer("able_to_work", m.AbleToWork))
	d.malnourished.SetChecked(m.Malnourished)
	d.filling = false
	d.refresh()
}

// answer is a Có/Không question's answer to show: nil while it has none.
func (d *memberDialog) answer(field string, v bool) *bool {
	if !d.answered[field] {
		return nil
	}
	return &v
}

// read copies the inputs into the member; a birth that cannot be read is left empty, and so is
// (false) a Có/Không question not answered, which answered records.
func (d *memberDialog) read() {
	m := &d.m
	m.Name = strings.TrimSpace(d.name.Text)
	m.Relation = d.relation.value()
	m.Sex = choiceValue("sex", d.sex.Selected)
	m.BirthDate, m.BirthYear, _ = ParseBirth(d.birth.Text)
	m.Ethnicity = strings.TrimSpace(d.ethnicity.Text)
	m.IDNumber = strings.ReplaceAll(strings.TrimSpace(d.idNumber.Text), " ", "")
	m.HealthInsurance = d.readYesNo("health_insurance", d.insurance)
	m.Education = d.education.value()
	m.InSchool = d.inSchool.Checked
	m.School = d.school.value()
	m.Employment = d.employment.value()
	m.AbleToWork = d.readYesNo("able_to_work", d.able)
	m.Malnourished = d.malnourished.Checked
}

func (d *memberDialog) readYesNo(field string, y *yesNo) bool {
	v := y.value()
	d.answered[field] = v != nil
	return v != nil && *v
}

// unanswered are the Có/Không questions asked at the member's age and not answered yet.
func (d *memberDialog) unanswered() []string {
	age, known := d.age()
	var out []string
	for _, k := range yesNoFields {
		if !d.answered[k] && household.Asked(k, age, known) {
			out = append(out, k)
		}
	}
	return out
}

// withDefaults is the member as the household gets it: the questions not asked at the
// member's age, and (with every question shown) those of them left unanswered, get the
// questionnaire's defaults (household.FillUnasked).
func (d *memberDialog) withDefaults() household.Member {
	m := d.m
	filled := m
	filled.FillUnasked(d.form.rec.Survey.Date)
	if !d.showAll.Checked {
		return filled
	}
	if !d.answered["health_insurance"] {
		m.HealthInsurance = filled.HealthInsurance
	}
	if !d.answered["able_to_work"] {
		m.AbleToWork = filled.AbleToWork
	}
	return m
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
	case strings.TrimSpace(d.birth.Text) != "" && (err != nil || !known):
		d.qs["birth"].setNote("") // unreadable, or after the survey date: no age, and its problem says why
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
	for _, k := range d.unanswered() {
		out[k] = lang.L("problem.yes_no")
	}
	rec := d.form.rec.Clone()
	i := d.index
	m := d.withDefaults()
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
	unanswered := d.unanswered()
	if len(missing) > 0 || len(unanswered) > 0 {
		for k := range missing {
			d.touched[k] = true
		}
		for _, k := range unanswered {
			d.touched[k] = true
		}
		d.refresh()
		c := d.form.app.win.Canvas()
		switch {
		case missing["name"] != nil:
			c.Focus(d.name)
		case missing["birth"] != nil:
			c.Focus(d.birth)
		default:
			// the first unanswered question: its first choice takes the focus, and it is
			// scrolled into view with its problem
			before := map[string]fyne.Focusable{"health_insurance": d.idNumber, "able_to_work": d.employment}
			if w := before[unanswered[0]]; w != nil && d.qs[unanswered[0]].box.Visible() {
				c.Focus(w)
				c.FocusNext()
			}
			scrollInto(d.scroll, d.qs[unanswered[0]].box)
		}
		return false
	}
	d.form.memberSaved(d.index, d.withDefaults())
	return true
}

// typed reports whether anything was typed or chosen in the dialog: a new member still blank
// may be closed without asking.
func (d *memberDialog) typed() bool {
	d.read()
	if d.index >= 0 { // as the household would get it: an unasked question's default is no change
		return !reflect.DeepEqual(d.withDefaults(), d.form.rec.Members[d.index])
	}
	return d.m.Name != "" || strings.TrimSpace(d.birth.Text) != "" || d.m.IDNumber != "" ||
		len(d.answered) > 0 && (d.answered["health_insurance"] || d.answered["able_to_work"])
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

// warn says at the top of the dialog, whole and wrapped, why the form could not be left.
func (d *memberDialog) warn(msg string) {
	d.notice.SetText(msg)
	d.notice.Show()
	d.body.Refresh() // the questions move down under it
}

// keptMember is what was typed in a member dialog that could not be put into the household
// yet, kept to open the dialog again (after an idle lock).
type keptMember struct {
	m        household.Member
	at       int
	answered map[string]bool
}

// keep puts the member typed into the household when it can be (a name, a birth and the
// Có/Không questions asked answered) and closes the dialog; else it returns what was typed,
// to fill the dialog again later.
func (d *memberDialog) keep() *keptMember {
	d.read()
	if !d.typed() {
		d.dlg.Hide()
		return nil
	}
	if d.m.Name != "" && d.m.HasBirth() && len(d.unanswered()) == 0 {
		d.commit()
		d.dlg.Hide()
		return nil
	}
	return &keptMember{m: d.m, at: d.index, answered: maps.Clone(d.answered)}
}

// reopen opens the member dialog again on what was kept.
func (k *keptMember) reopen(f *formScreen) *memberDialog {
	at := k.at
	if at >= len(f.rec.Members) {
		at = -1
	}
	d := f.openMember(at)
	d.m, d.answered = k.m, maps.Clone(k.answered)
	d.fill()
	return d
}
