package ui

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/store"
)

// This file is the household form's behaviour: opening a record, the change handlers, the
// problems beside the questions, the member roster and "complete". form.go builds the widgets.

// load opens a stored household; the record and the ward's groups are read off the UI goroutine.
func (f *formScreen) load(id string) {
	db := f.app.db
	f.app.background(func() func() {
		rec, rev, err := db.Get(id)
		groups, gerr := groupNames(db)
		return func() {
			if err = errors.Join(err, gerr); err != nil {
				f.app.showError(err)
				f.app.ShowHome()
				return
			}
			f.open(rec, rev, groups, false)
		}
	})
}

// startNew opens the form on a new household of the ward; nothing is saved before the first
// answer.
func (f *formScreen) startNew(group string) {
	today := household.DateOf(f.app.now())
	m := f.app.meta
	rec := &household.Record{Schema: household.Schema, ID: newID(), Ward: m.Ward, Area: m.Area, Group: group,
		Survey: household.Survey{Round: household.RoundFor(today), Date: today, Surveyor: m.Surveyor},
		Income: household.Income{Kind: household.IncomeMonthlyPerCapita}}
	db := f.app.db
	f.app.background(func() func() {
		groups, err := groupNames(db)
		return func() {
			if err != nil {
				f.app.showError(err)
			}
			f.open(rec, store.Revision{}, groups, true)
		}
	})
}

func groupNames(db Households) ([]string, error) {
	gs, err := db.Groups()
	names := make([]string, 0, len(gs))
	for _, g := range gs {
		names = append(names, g.Group)
	}
	return names, err
}

// open shows a record. A household from an earlier round is carried into this round: today's
// date, this round's name and this laptop's surveyor, everything else as it was, so the
// surveyor updates rather than retypes.
func (f *formScreen) open(rec *household.Record, rev store.Revision, groups []string, isNew bool) {
	f.rec, f.rev, f.groups = rec, rev, groups
	today := household.DateOf(f.app.now())
	note := ""
	if round := household.RoundFor(today); !isNew && rec.Survey.Round != round {
		note = lang.L("form.carried", map[string]any{"Old": household.RoundName(rec.Survey.Round).In(Lang()),
			"New": household.RoundName(round).In(Lang())})
		rec.Survey.Round, rec.Survey.Date = round, today
		if s := f.app.meta.Surveyor; s != "" {
			rec.Survey.Surveyor = s
		}
	}
	if isNew {
		f.blank = household.Encode(rec)
	}
	f.setupGroups()
	f.fill(isNew)
	f.checkEmpty()
	// said in full on the banner (it wraps): the status line is short and truncated
	var banner []string
	if rev.Status == store.StatusReturned && rev.Comment != "" {
		banner = append(banner, lang.L("form.returned", map[string]any{"Comment": rev.Comment}))
	}
	if note != "" {
		if len(banner) == 0 {
			f.banner.Importance = widget.WarningImportance
		}
		banner = append(banner, note)
	}
	if len(banner) > 0 {
		f.banner.SetText(strings.Join(banner, "\n"))
		f.banner.Show()
	}
	if rev.Status != "" {
		f.showStatus(lang.L("form.status", map[string]any{"Status": choiceLabel("record_status", rev.Status)}), widget.LowImportance)
	}
	f.showDelete(rev.Status)
	f.refresh()
	first := fyne.Focusable(f.address)
	if rec.Group == "" && f.groupPick.Visible() {
		first = f.groupPick
	}
	f.app.win.Canvas().Focus(first)
}

// setupGroups offers the ward's groups: a field laptop chooses among them, the office (or a
// laptop that knows no group yet) may type a new one.
func (f *formScreen) setupGroups() {
	groups := f.groups
	if f.rec.Group != "" && !contains(groups, f.rec.Group) {
		groups = append(groups, f.rec.Group)
	}
	f.groupPick.Options = groups
	f.groupType.SetOptions(groups)
	if f.app.meta.Role == store.RoleOffice || len(groups) == 0 {
		f.groupPick.Hide()
		f.groupType.Show()
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// fill puts the record into the inputs without counting it as the user's changes. A new
// household's Có/Không questions start unanswered (formYesNo); a stored record's show its
// answers.
func (f *formScreen) fill(isNew bool) {
	f.filling = true
	defer func() { f.filling = false }()
	r := f.rec
	f.groupPick.SetSelected(r.Group)
	f.groupType.SetText(r.Group)
	f.address.SetText(r.Address)
	f.date.SetText(r.Survey.Date.VN())
	f.wall.SetSelected(choiceLabel("structure", r.Housing.Wall))
	f.column.SetSelected(choiceLabel("structure", r.Housing.Column))
	f.roof.SetSelected(choiceLabel("structure", r.Housing.Roof))
	if r.Housing.FloorAreaM2 > 0 {
		f.floor.SetText(exactNumber(r.Housing.FloorAreaM2, Lang()))
	}
	f.water.set(r.WaterSource)
	f.toilet.set(r.Toilet)
	f.waste.set(r.WasteCollected)
	f.internet.set(&r.Internet)
	f.loudspeaker.set(&r.Loudspeaker)
	if isNew {
		f.clearAnswers(formYesNo)
		f.noteUnanswered()
	} else if kept := f.keptUnanswered(); len(kept) > 0 {
		f.clearAnswers(kept) // a draft saved with them unanswered: false is not "Không"
	}
	f.devices.SetSelected(deviceLabels(&r.Devices))
	f.incomeKind.Options = f.incomeChoices(r)
	f.incomeKind.SetSelected(choiceLabel("income", r.Income.Kind.Key()))
	f.showScoreTool()
	if r.Income.Kind != household.IncomeNone && (r.Income.Value != 0 || f.rev.Status != "") {
		f.amount.SetText(groupDigits(r.Income.Value))
	}
}

func deviceLabels(d *household.Devices) []string {
	var out []string
	for i, on := range []bool{d.TV, d.Radio, d.Computer, d.Phone, d.Tablet} {
		if on {
			out = append(out, choiceLabel("device", choiceFields["device"][i]))
		}
	}
	return out
}

func (f *formScreen) readDevices(r *household.Record) {
	on := map[string]bool{}
	for _, l := range f.devices.Selected {
		on[choiceValue("device", l)] = true
	}
	d := &r.Devices
	d.TV, d.Radio, d.Computer, d.Phone, d.Tablet = on["tv"], on["radio"], on["computer"], on["phone"], on["tablet"]
}

// readIncome reads the kind of income answer and the amount typed.
func (f *formScreen) readIncome(r *household.Record) {
	kind := household.IncomeNone
	switch choiceValue("income", f.incomeKind.Selected) {
	case "monthly_per_capita":
		kind = household.IncomeMonthlyPerCapita
	case "annual_total":
		kind = household.IncomeAnnualTotal
	case "score":
		kind = household.IncomeScore
	}
	r.Income.Kind = kind
	v, err := ParseMoney(f.amount.Text)
	f.setInputError("income", err)
	switch {
	case err == nil:
		r.Income.Value = v
	case errors.Is(err, errEmpty):
		r.Income.Value = 0
	}
}

// setDate takes a survey date typed; while the text is not a date the record keeps the last
// good one (the store keeps only records that can be read back), and "complete" is refused.
func (f *formScreen) setDate(r *household.Record, s string) {
	d, err := ParseDateVN(s)
	if today := household.DateOf(f.app.now()); err == nil && today.Before(d) {
		err = errFuture // a typo: the review is done on the day, and the date picks the round and the standard
	}
	f.setInputError("survey.date", err)
	if err == nil {
		r.Survey.Date, r.Survey.Round = d, household.RoundFor(d)
	}
}

func (f *formScreen) setFloor(r *household.Record, s string) {
	v, err := ParseNumber(s)
	f.setInputError("housing.floor_area_m2", err)
	switch {
	case err == nil:
		r.Housing.FloorAreaM2 = v
	case errors.Is(err, errEmpty):
		r.Housing.FloorAreaM2 = 0
	}
}

// checkEmpty notes the text questions left empty, which "complete" refuses like the others.
func (f *formScreen) checkEmpty() {
	for k, e := range map[string]*entry{"survey.date": f.date, "housing.floor_area_m2": f.floor, "income": f.amount} {
		if strings.TrimSpace(e.Text) == "" {
			f.setInputError(k, errEmpty)
		}
	}
}

// setInputError notes, by question, an answer typed that is missing or cannot be read (a date
// that is not dd/mm/yyyy).
func (f *formScreen) setInputError(key string, err error) {
	if err == nil {
		delete(f.bad, key)
		return
	}
	f.bad[key] = f.inputMessage(err)
}

func (f *formScreen) inputMessage(err error) string {
	switch {
	case errors.Is(err, errEmpty):
		return lang.L("problem.required")
	case errors.Is(err, errDate):
		return lang.L("problem.date_format")
	case errors.Is(err, errFuture):
		return lang.L("problem.date_future", map[string]any{"Today": household.DateOf(f.app.now()).VN()})
	case errors.Is(err, errMoney):
		return lang.L("problem.money_format")
	case errors.Is(err, errFraction):
		return lang.L("problem.money_fraction")
	}
	return lang.L("problem.number_format")
}

// onText is a keystroke in a text question: the record and the preview follow; the draft is
// saved when the question is left (or typingSave later while typing on), and the question's
// problem waits until then too.
func (f *formScreen) onText(key string, set func(*household.Record)) {
	if f.filling || f.rec == nil {
		return
	}
	set(f.rec)
	f.typed()
}

// formYesNo are the household's Có/Không questions that must be answered: the record holds a
// plain true or false, but each counts towards a deprivation (internet: telecommunications,
// loudspeaker: information), so a question skipped must not stand for "Không". Until answered
// the record holds false and the question is noted in bad, which "complete" refuses.
var formYesNo = []string{"internet", "loudspeaker"}

// yesNoInput is the radio of one of formYesNo.
func (f *formScreen) yesNoInput(key string) *yesNo {
	if key == "internet" {
		return f.internet
	}
	return f.loudspeaker
}

// clearAnswers shows the questions of keys (of formYesNo) unanswered.
func (f *formScreen) clearAnswers(keys []string) {
	filling := f.filling
	f.filling = true
	for _, k := range keys {
		f.yesNoInput(k).set(nil)
		f.bad[k] = lang.L("problem.yes_no")
	}
	f.filling = filling
}

// unansweredYesNo are the questions of formYesNo not answered yet.
func (f *formScreen) unansweredYesNo() []string {
	var out []string
	for _, k := range formYesNo {
		if f.yesNoInput(k).value() == nil {
			out = append(out, k)
		}
	}
	return out
}

// onYesNo is an answer to one of formYesNo chosen (or taken back).
func (f *formScreen) onYesNo(key string, v *bool, set func(*household.Record, bool)) {
	if f.filling || f.rec == nil {
		return
	}
	if v == nil {
		f.bad[key] = lang.L("problem.yes_no")
	} else {
		delete(f.bad, key)
	}
	f.onPick(key, func(r *household.Record) { set(r, v != nil && *v) })
	f.noteUnanswered()
}

// unansweredPref is the preference that keeps, for a household, which of formYesNo are not
// answered yet: its record stores false for them, which must not show as "Không" when the
// draft is opened again. Kept on this laptop only (the record format has no place for it);
// answering removes it.
func unansweredPref(id string) string { return "unanswered_yes_no." + id }

// noteUnanswered keeps the household's unanswered Có/Không questions for its next opening.
func (f *formScreen) noteUnanswered() {
	if f.app.fyne == nil || f.rec == nil {
		return
	}
	p := f.app.fyne.Preferences()
	if u := f.unansweredYesNo(); len(u) > 0 {
		p.SetString(unansweredPref(f.rec.ID), strings.Join(u, ","))
	} else {
		p.RemoveValue(unansweredPref(f.rec.ID))
	}
}

// keptUnanswered are the household's Có/Không questions noted unanswered when last left.
func (f *formScreen) keptUnanswered() []string {
	if f.app.fyne == nil || f.rec == nil {
		return nil
	}
	var out []string
	for _, k := range strings.Split(f.app.fyne.Preferences().String(unansweredPref(f.rec.ID)), ",") {
		if slices.Contains(formYesNo, k) {
			out = append(out, k)
		}
	}
	return out
}

// onPick is a choice made: it counts as answered and left at once.
func (f *formScreen) onPick(key string, set func(*household.Record)) {
	if f.filling || f.rec == nil {
		return
	}
	set(f.rec)
	f.touched[key] = true
	f.changed()
}

// onLeft saves what was typed in a question the surveyor has just left, and shows its
// problems, scrolled into view.
func (f *formScreen) onLeft(key string) {
	if f.rec == nil {
		return
	}
	f.saver.flush()
	f.touched[key] = true
	f.refresh()
	if q := f.qs[key]; q != nil && q.problem.Visible() {
		f.scrolls[0].Content.Refresh() // lay the problem line out before measuring it
		scrollInto(f.scrolls[0], q.box)
	}
}

// changed saves the draft at once: a choice made, a member added or removed.
func (f *formScreen) changed() { f.save(f.saver.put) }

// typed holds the draft of a keystroke for the saver to write soon, not at once (saver.hold).
func (f *formScreen) typed() { f.save(f.saver.hold) }

func (f *formScreen) save(put func(*household.Record)) {
	if f.blank != nil {
		if bytes.Equal(household.Encode(f.rec), f.blank) {
			f.refresh() // a stray key in a new household saves nothing
			return
		}
		f.blank = nil
	}
	put(f.rec)
	f.showStatus(lang.L("form.saving"), widget.LowImportance)
	f.refresh()
}

// onSaved shows how the last draft save went. A failure is said in plain words: its details
// (the household's id, where its encoding broke) mean nothing to the surveyor and go to the log.
func (f *formScreen) onSaved(rev store.Revision, err error) {
	if err != nil {
		log.Printf("rasoat: saving the draft of household %s: %v", f.rec.ID, err)
		f.showStatus(lang.L("form.save_failed"), widget.DangerImportance)
		return
	}
	f.rev.ID = rev.ID // a new household is stored from its first save on (the idle lock reopens it)
	if !f.saver.pending() {
		f.rev.Status = rev.Status
		f.showStatus(lang.L("form.saved", map[string]any{"Time": f.app.now().Format("15:04:05")}), widget.SuccessImportance)
	}
}

func (f *formScreen) showStatus(text string, imp widget.Importance) {
	f.status.Importance = imp
	f.status.SetText(text)
}

// problems are the record's broken rules: the record format's, then those of the standard in
// force on the survey date.
func (f *formScreen) problems() (household.Problems, *poverty.Standard) {
	ps := household.Validate(f.rec)
	if f.rec.Survey.Date.IsZero() {
		return ps, nil
	}
	std, p := f.app.reg.Choose(f.rec, "")
	if p != nil {
		return append(ps, *p), nil
	}
	return append(ps, poverty.Check(f.rec, std)...), std
}

// questionKey is the form question a problem's path belongs to ("" for none).
func questionKey(path string) string {
	switch {
	case strings.HasPrefix(path, "income"):
		return "income"
	case strings.HasPrefix(path, "devices"):
		return "devices"
	case strings.HasPrefix(path, "members["):
		return ""
	}
	return path
}

// refresh shows the problems of the questions left so far (all of them after a refused
// "complete"), the notes derived from the answers, the roster and the preview.
func (f *formScreen) refresh() {
	ps, std := f.problems()
	byKey := map[string][]string{}
	var other []string
	for _, p := range ps {
		k := questionKey(p.Path)
		switch {
		case f.qs[k] != nil:
			byKey[k] = append(byKey[k], p.Message(Lang()))
		case k != "":
			other = append(other, problemLabel(f, p)+": "+p.Message(Lang()))
		}
	}
	for k, q := range f.qs {
		msg := ""
		if f.showAll || f.touched[k] {
			if msg = f.bad[k]; msg == "" {
				msg = strings.Join(byKey[k], "; ")
			}
		}
		q.setProblem(msg)
	}
	f.general.SetText(strings.Join(other, "\n"))
	f.general.Hidden = !f.showAll || len(other) == 0
	f.qs["waste_collected"].setRequired(std != nil && std.Has(poverty.Waste))
	f.renderRoster(ps)
	rec := f.rec
	if f.bad["income"] != "" {
		// an amount not typed yet, or that cannot be read: the record still holds the last
		// good one (or 0), which is not what the screen shows, so nothing is classified on it
		c := *rec
		c.Income.Kind = household.IncomeNone
		rec = &c
	}
	pending := ps[:len(ps):len(ps)]
	for _, k := range f.unansweredYesNo() { // the record's "Không" is a stand-in: the result is provisional
		pending = append(pending, household.Problem{Path: k})
	}
	v := previewOf(rec, std, pending, f.app.reg)
	if rec != f.rec && v.Missing == lang.L("preview.need_income") && strings.TrimSpace(f.amount.Text) != "" {
		v.Missing = lang.L("preview.income_unreadable")
	}
	f.preview.apply(v)
	f.showNotes(v)
	f.title.SetText(f.titleText())
	for _, s := range f.scrolls {
		refitScroll(s)
	}
}

func (f *formScreen) titleText() string {
	if name := f.rec.HeadName(); name != "" {
		return lang.L("form.title", map[string]any{"Head": name, "Group": f.rec.Group})
	}
	return lang.L("form.new_title")
}

// showNotes writes the figures the answers imply beside them: the surveyor, the floor area per
// person, the income per person per month.
func (f *formScreen) showNotes(v previewView) {
	f.qs["survey.date"].setNote(lang.L("form.surveyor_note", map[string]any{"Name": f.rec.Survey.Surveyor, "Round": household.RoundName(f.rec.Survey.Round).In(Lang())}))
	if n := len(f.rec.Members); n > 0 && f.rec.Housing.FloorAreaM2 > 0 {
		f.qs["housing.floor_area_m2"].setNote(lang.L("form.area_per_person", map[string]any{
			"Area": Number(f.rec.Housing.FloorAreaM2/float64(n), Lang())}))
	} else {
		f.qs["housing.floor_area_m2"].setNote("")
	}
	f.qs["income"].setNote(v.IncomeNote)
}

// renderRoster lists the members with their problems; it is rebuilt only when that changes.
func (f *formScreen) renderRoster(ps household.Problems) {
	byMember := make([][]string, len(f.rec.Members))
	for _, p := range ps {
		if i, field, ok := memberPath(p.Path); ok && i < len(byMember) {
			if f.showAll || f.touched[fmt.Sprintf("members[%d]", i)] {
				byMember[i] = append(byMember[i], memberFieldLabel(field)+": "+p.Message(Lang()))
			}
		}
	}
	lines := make([]string, len(f.rec.Members))
	for i := range f.rec.Members {
		lines[i] = f.memberLine(i)
	}
	sig := fmt.Sprint(lines, byMember)
	if sig == f.roster0 {
		return
	}
	f.roster0 = sig
	f.roster.RemoveAll()
	for i := range f.rec.Members {
		f.roster.Add(f.memberRow(i, lines[i], byMember[i]))
	}
	if len(f.rec.Members) == 0 {
		empty := widget.NewLabel(lang.L("form.no_members"))
		empty.Importance = widget.LowImportance
		f.roster.Add(empty)
	}
}

func (f *formScreen) memberRow(i int, line string, problems []string) fyne.CanvasObject {
	label := widget.NewLabel(line)
	label.Truncation = fyne.TextTruncateEllipsis
	edit := widget.NewButtonWithIcon(lang.L("form.edit"), theme.DocumentCreateIcon(), func() { f.onEditMember(i) })
	remove := widget.NewButtonWithIcon(lang.L("form.remove"), theme.DeleteIcon(), func() { f.onRemoveMember(i) })
	row := container.NewBorder(nil, nil, nil, container.NewHBox(edit, remove), label)
	if len(problems) == 0 {
		return row
	}
	p := widget.NewLabel(strings.Join(problems, "\n"))
	p.Importance = widget.DangerImportance
	p.Wrapping = fyne.TextWrapWord
	return container.NewVBox(row, p)
}

// memberLine is one member in the roster: "2. Trần Thị Mai — Vợ, chồng · Nữ · 34 tuổi".
func (f *formScreen) memberLine(i int) string {
	m := &f.rec.Members[i]
	name := m.Name
	if name == "" {
		name = lang.L("form.no_name")
	}
	parts := []string{}
	for _, p := range []string{choiceLabel("relation", m.Relation), choiceLabel("sex", m.Sex)} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if age, ok := m.KnownAge(f.rec.Survey.Date); ok {
		parts = append(parts, lang.L("form.age", map[string]any{"Age": age}))
	}
	return fmt.Sprintf("%d. %s — %s", i+1, name, strings.Join(parts, " · "))
}

// memberPath splits "members[2].birth_date" into 2 and "birth_date".
func memberPath(path string) (int, string, bool) {
	rest, ok := strings.CutPrefix(path, "members[")
	if !ok {
		return 0, "", false
	}
	num, field, ok := strings.Cut(rest, "]")
	i, err := strconv.Atoi(num)
	if !ok || err != nil {
		return 0, "", false
	}
	return i, strings.TrimPrefix(field, "."), true
}

// problemLabel names the question a problem is about, for the list shown by "complete".
func problemLabel(f *formScreen, p household.Problem) string {
	if i, field, ok := memberPath(p.Path); ok {
		name := ""
		if i < len(f.rec.Members) {
			name = f.rec.Members[i].Name
		}
		return lang.L("form.member_n", map[string]any{"N": i + 1, "Name": name}) + " — " + memberFieldLabel(field)
	}
	if q := f.qs[questionKey(p.Path)]; q != nil {
		return q.title
	}
	return p.Path
}

func (f *formScreen) onAddMember() {
	if f.rec != nil && f.member == nil {
		f.openMember(-1)
	}
}

func (f *formScreen) onEditMember(i int) {
	if f.member == nil {
		f.openMember(i)
	}
}

func (f *formScreen) onRemoveMember(i int) {
	name := f.rec.Members[i].Name
	dialog.ShowConfirm(lang.L("form.remove_title"), lang.L("form.remove_confirm", map[string]any{"Name": name}),
		func(ok bool) {
			if ok && i < len(f.rec.Members) {
				f.removeMember(i)
			}
		}, f.app.win)
}

func (f *formScreen) removeMember(i int) {
	f.rec.Members = append(f.rec.Members[:i], f.rec.Members[i+1:]...)
	touched := map[string]bool{}
	for k, v := range f.touched {
		if j, _, ok := memberPath(k + "."); ok {
			switch {
			case j < i:
				touched[k] = v
			case j > i:
				touched[fmt.Sprintf("members[%d]", j-1)] = v
			}
			continue
		}
		touched[k] = v
	}
	f.touched = touched
	f.touched["members"] = true
	f.changed()
}

// memberSaved puts the member typed in the dialog into the record: a new one at the end, or in
// place of member i.
func (f *formScreen) memberSaved(i int, m household.Member) {
	if i < 0 || i >= len(f.rec.Members) {
		f.rec.Members = append(f.rec.Members, m)
		i = len(f.rec.Members) - 1
	} else {
		f.rec.Members[i] = m
	}
	f.touched[fmt.Sprintf("members[%d]", i)] = true
	f.touched["members"] = true
	f.changed()
}

// onComplete marks the household complete, or lists what is still wrong.
func (f *formScreen) onComplete() {
	if f.rec == nil || f.member != nil {
		return
	}
	f.saver.flush() // what is being typed is stored, completed or not
	if ps, _ := f.problems(); len(ps) > 0 || len(f.bad) > 0 {
		f.refuse(ps)
		return
	}
	f.saver.put(f.rec)
	db, id, author, sv := f.app.db, f.rec.ID, f.app.author(), f.saver
	f.complete.Disable()
	f.app.background(func() func() {
		if err := sv.wait(); err != nil {
			return func() { // completing now would complete the copy stored before the changes
				f.complete.Enable()
				dialog.ShowInformation(lang.L("form.unsaved_title"), lang.L("form.save_failed"), f.app.win)
			}
		}
		rev, err := db.MarkComplete(id, author)
		return func() {
			f.complete.Enable()
			var ps household.Problems
			switch {
			case errors.As(err, &ps):
				f.refuse(ps)
			case err != nil:
				f.app.showError(err)
			default:
				f.rev = rev
				f.app.ShowHome()
			}
		}
	})
}

// questionOrder is the order of the form's questions, for the list of problems.
var questionOrder = []string{"group", "address", "survey.date", "members", "housing.wall", "housing.column",
	"housing.roof", "housing.floor_area_m2", "water_source", "toilet", "waste_collected", "internet", "devices",
	"loudspeaker", "income"}

// refuse shows every problem beside its question and lists them, in the form's order, in a
// dialog whose button has the focus (Space closes it).
func (f *formScreen) refuse(ps household.Problems) {
	f.showAll = true
	f.refresh()
	byKey := map[string][]string{}
	for k, msg := range f.bad {
		byKey[k] = append(byKey[k], "• "+f.qs[k].title+": "+msg)
	}
	for _, p := range ps {
		k := questionKey(p.Path)
		if _, _, ok := memberPath(p.Path); ok {
			k = "members"
		}
		if f.bad[k] == "" { // an answer typed that is missing or unreadable is said once
			byKey[k] = append(byKey[k], "• "+problemLabel(f, p)+": "+p.Message(Lang()))
		}
	}
	var lines []string
	for _, k := range append(questionOrder, "") {
		lines = append(lines, byKey[k]...)
		delete(byKey, k)
	}
	for _, rest := range byKey {
		lines = append(lines, rest...)
	}
	f.showRefusal(lines)
}

func (f *formScreen) showRefusal(lines []string) {
	text := widget.NewLabel(strings.Join(lines, "\n"))
	text.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(text)
	scroll.SetMinSize(fyne.NewSize(560, 280))
	var d *dialog.CustomDialog
	ok := widget.NewButton(lang.L("form.ok"), func() { d.Hide() })
	ok.Importance = widget.HighImportance
	title := lang.N("form.refused", len(lines), map[string]any{"Count": len(lines)})
	d = dialog.NewCustomWithoutButtons(title, container.NewBorder(nil, container.NewCenter(ok), nil, nil, scroll), f.app.win)
	d.Show()
	f.app.win.Canvas().Focus(ok)
}

// onBack goes back to the home screen once the form may be left (leave).
func (f *formScreen) onBack() { f.leave(f.app.ShowHome) }

// leave runs then once nothing typed would be lost by leaving the form. The score calculator
// is closed (it keeps nothing: its answers are not stored). A member being typed
// is put into the household when it can be; when it cannot (no name, no birth, a Có/Không
// question unanswered) the form stays, its dialog showing what is missing. Then the last draft
// is written; if it could not be, the surveyor chooses between staying and dropping the
// changes not saved.
func (f *formScreen) leave(then func()) {
	f.closeScore()
	if d := f.member; d != nil {
		if d.typed() && !d.commit() {
			d.warn(lang.L("form.member_open")) // in the dialog, where the eye is: the status line would cut it off
			return
		}
		d.dlg.Hide()
	}
	sv := f.saver
	f.app.background(func() func() {
		err := sv.wait()
		return func() {
			if err == nil {
				then()
				return
			}
			c := dialog.NewConfirm(lang.L("form.unsaved_title"), lang.L("form.unsaved_leave"), func(drop bool) {
				if drop {
					then()
				}
			}, f.app.win)
			c.SetConfirmText(lang.L("form.unsaved_drop"))
			c.SetDismissText(lang.L("form.unsaved_stay"))
			c.Show()
		}
	})
}
