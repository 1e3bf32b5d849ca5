package ui

import (
	"encoding/json"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/store"
)

// conflictRow is a household in conflict in the list.
type conflictRow struct{ ID, Head, Group string }

// conflictDetail is one household's concurrent versions, loaded off the UI goroutine: the
// provisional current one (A) and the other (B), what they answer differently, and how the
// classifier classes each.
type conflictDetail struct {
	ID, Head string
	A, B     store.Revision
	RecA     *household.Record
	RecB     *household.Record
	Diffs    []household.Difference
	More     int       // further versions beyond the two shown
	Class    [2]string // each version's class and deprivations, in the user's words
}

// conflictScreen settles the households edited at the same time on two laptops: their
// versions side by side, only the answers that differ, with a choice on each; keep one whole
// version, or take the chosen answer of each. The result is a new revision; the versions stay
// in the history.
type conflictScreen struct {
	app      *App
	list     *widget.List
	title    *widget.Label
	note     *widget.Label
	outcome  *widget.Label // what the last settlement did
	heads    [2]*widget.Label
	classes  [2]*widget.Label
	header   *fyne.Container // the columns' headings, hidden when nothing is in conflict
	diffs    *fyne.Container
	keepA    *widget.Button
	keepB    *widget.Button
	mergeBtn *widget.Button
	detail   *fyne.Container

	rows    []conflictRow
	chosen  string
	initial string
	view    conflictDetail
	picks   []*widget.RadioGroup // one per difference: "1" or "2"
	values  [][2]*widget.Label
}

func newConflictScreen(a *App, id string) *conflictScreen {
	return &conflictScreen{app: a, initial: id}
}

// showConflict opens the conflicts screen on one household.
func (a *App) showConflict(id string) {
	if a.office == nil {
		a.office = &officeNav{}
	}
	a.office.focus = id
	a.ShowOffice(officeConflicts)
}

func (c *conflictScreen) buildUI() fyne.CanvasObject {
	c.list = widget.NewList(func() int { return len(c.rows) },
		func() fyne.CanvasObject {
			l := boldLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			g := widget.NewLabel("")
			return container.NewVBox(l, g)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(c.rows[i].Head)
			box.Objects[1].(*widget.Label).SetText(c.rows[i].Group)
		})
	c.list.OnSelected = c.onSelected
	c.title = boldLabel("")
	c.title.SizeName = theme.SizeNameSubHeadingText
	c.note = wrapLabel("", widget.MediumImportance)
	c.outcome = wrapLabel("", widget.SuccessImportance)
	c.outcome.Hide()
	c.heads = [2]*widget.Label{wrapLabel("", widget.MediumImportance), wrapLabel("", widget.MediumImportance)}
	c.heads[0].TextStyle.Bold, c.heads[1].TextStyle.Bold = true, true
	c.classes = [2]*widget.Label{wrapLabel("", widget.MediumImportance), wrapLabel("", widget.MediumImportance)}
	c.keepA = widget.NewButtonWithIcon(lang.L("office.keep", map[string]any{"N": 1}), theme.ConfirmIcon(), func() { c.keep(0) })
	c.keepB = widget.NewButtonWithIcon(lang.L("office.keep", map[string]any{"N": 2}), theme.ConfirmIcon(), func() { c.keep(1) })
	c.mergeBtn = widget.NewButtonWithIcon(lang.L("office.merge"), theme.ContentPasteIcon(), c.onMerge)
	c.mergeBtn.Importance = widget.HighImportance
	c.diffs = container.NewVBox()
	c.header = container.NewVBox(widget.NewSeparator(), container.NewGridWithColumns(3, boldLabel(lang.L("office.col.question")),
		container.NewVBox(c.heads[0], c.classes[0]), container.NewVBox(c.heads[1], c.classes[1])))
	top := container.NewVBox(c.outcome, c.title, c.note, container.NewHBox(c.keepA, c.keepB, c.mergeBtn), c.header)
	c.detail = container.NewBorder(top, nil, nil, nil, container.NewVScroll(c.diffs))
	c.detail.Hide()
	left := container.NewBorder(boldLabel(lang.L("office.conflicts_list")), nil, nil, nil, c.list)
	split := container.NewHSplit(left, container.NewPadded(c.detail))
	split.Offset = 0.25
	return split
}

func (c *conflictScreen) refresh() {
	db, err := c.app.officeDB()
	if err != nil {
		c.app.showError(err)
		return
	}
	c.app.background(func() func() {
		rows, err := loadConflicts(db)
		return func() {
			if err != nil {
				c.app.showError(err)
				return
			}
			c.apply(rows)
		}
	})
}

// loadConflicts lists the households in conflict with their heads' names.
func loadConflicts(db OfficeStore) ([]conflictRow, error) {
	ids, err := db.Conflicts()
	if err != nil {
		return nil, err
	}
	rows := make([]conflictRow, 0, len(ids))
	for _, id := range ids {
		rec, _, err := db.Get(id)
		if err != nil {
			continue // deleted meanwhile
		}
		rows = append(rows, conflictRow{ID: id, Head: rec.HeadName(), Group: rec.Group})
	}
	return rows, nil
}

func (c *conflictScreen) apply(rows []conflictRow) {
	c.rows = rows
	c.list.UnselectAll()
	c.list.Refresh()
	want := c.chosen
	if c.initial != "" {
		want, c.initial = c.initial, ""
	}
	for i, r := range rows {
		if r.ID == want {
			c.list.Select(i)
			return
		}
	}
	if len(rows) > 0 {
		c.list.Select(0)
		return
	}
	c.chosen = ""
	c.showNone()
	c.app.reveal(c.detail)
}

// showNone says there is nothing to settle.
func (c *conflictScreen) showNone() {
	c.title.SetText(lang.L("office.no_conflicts"))
	c.note.SetText("")
	for _, b := range []*widget.Button{c.keepA, c.keepB, c.mergeBtn} {
		b.Hide()
	}
	c.header.Hide()
	c.diffs.RemoveAll()
}

func (c *conflictScreen) onSelected(i widget.ListItemID) {
	if i >= len(c.rows) {
		return
	}
	id := c.rows[i].ID
	c.chosen = id
	db, _ := c.app.officeDB()
	reg := c.app.reg
	c.app.background(func() func() {
		d, err := loadConflictDetail(db, reg, id)
		return func() {
			if err != nil {
				c.app.showError(err)
				return
			}
			if id == c.chosen {
				c.show(d)
			}
		}
	})
}

// loadConflictDetail reads the two first versions of a household, their differences and
// each one's class.
func loadConflictDetail(db OfficeStore, reg *poverty.Registry, id string) (conflictDetail, error) {
	heads, err := db.Heads(id)
	if err != nil {
		return conflictDetail{}, err
	}
	if len(heads) < 2 {
		return conflictDetail{}, errors.New(lang.L("office.no_longer_conflict"))
	}
	d := conflictDetail{ID: id, A: heads[0], B: heads[1], More: len(heads) - 2}
	var ps household.Problems
	if d.RecA, ps = household.Decode(heads[0].Record); len(ps) > 0 {
		return d, ps
	}
	if d.RecB, ps = household.Decode(heads[1].Record); len(ps) > 0 {
		return d, ps
	}
	d.Head = d.RecA.HeadName()
	d.Diffs = household.Differences(d.RecA, d.RecB)
	for i, rec := range []*household.Record{d.RecA, d.RecB} {
		d.Class[i] = classText(rec, reg)
	}
	return d, nil
}

// classText is the class the classifier gives a version, with its deprivations, or why it
// gives none.
func classText(rec *household.Record, reg *poverty.Registry) string {
	row, err := classifyRow(rec, reg)
	if err != nil {
		return lang.L("office.version_unclassified", map[string]any{"Problem": store.Message(err, Lang())})
	}
	text := lang.L("office.version_class", map[string]any{"Class": choiceLabel("class", row.Result.Class)})
	if names := indicatorNames(&row); names != "" {
		text += " — " + names
	}
	return text
}

func (c *conflictScreen) show(d conflictDetail) {
	c.view = d
	c.title.SetText(lang.L("office.conflict_title", map[string]any{"Head": d.Head}))
	note := lang.L("office.conflict_note", map[string]any{"Count": len(d.Diffs)})
	if d.More > 0 {
		note += " " + lang.L("office.conflict_more", map[string]any{"Count": d.More})
	}
	c.note.SetText(note)
	for _, b := range []*widget.Button{c.keepA, c.keepB, c.mergeBtn} {
		b.Show()
	}
	setEnabled(c.mergeBtn, len(d.Diffs) > 0)
	for i, r := range []store.Revision{d.A, d.B} {
		c.heads[i].SetText(lang.L("office.version", map[string]any{"N": i + 1, "Author": r.Author,
			"Time": officeClock(r.Time), "Status": choiceLabel("record_status", r.Status)}))
		c.classes[i].SetText(d.Class[i])
		c.classes[i].Importance = widget.MediumImportance
		if d.Class[0] != d.Class[1] {
			c.classes[i].Importance = widget.WarningImportance // the choice changes the household's class
		}
		c.classes[i].Refresh()
	}
	c.header.Show()
	c.diffs.RemoveAll()
	c.picks, c.values = nil, nil
	for i, df := range d.Diffs {
		c.diffs.Add(c.diffRow(i, df))
	}
	c.app.reveal(c.detail)
}

// diffRow is one answer that differs: the question with the choice, and the two values.
func (c *conflictScreen) diffRow(i int, df household.Difference) fyne.CanvasObject {
	a := wrapLabel(valueText(df, df.A, c.view.RecA), widget.MediumImportance)
	b := wrapLabel(valueText(df, df.B, c.view.RecB), widget.MediumImportance)
	pick := widget.NewRadioGroup([]string{lang.L("office.side", map[string]any{"N": 1}), lang.L("office.side", map[string]any{"N": 2})}, nil)
	pick.Horizontal = true
	pick.Required = true
	pick.OnChanged = func(string) { c.onPick(i) }
	c.picks = append(c.picks, pick)
	c.values = append(c.values, [2]*widget.Label{a, b})
	pick.SetSelected(pick.Options[0])
	question := container.NewVBox(boldLabel(fieldLabel(df.Field)), pick)
	return container.NewVBox(container.NewGridWithColumns(3, question, a, b), widget.NewSeparator())
}

// onPick shows which value of a difference is taken.
func (c *conflictScreen) onPick(i int) {
	if i >= len(c.values) {
		return
	}
	takeB := c.picks[i].Selected == c.picks[i].Options[1]
	for side, l := range c.values[i] {
		l.Importance = widget.MediumImportance
		l.TextStyle.Bold = false
		if (side == 1) == takeB {
			l.Importance = widget.SuccessImportance
			l.TextStyle.Bold = true
		}
		l.Refresh()
	}
}

// taken are the differences whose second version is chosen.
func (c *conflictScreen) taken() map[string]bool {
	take := map[string]bool{}
	for i, p := range c.picks {
		if p.Selected == p.Options[1] {
			take[c.view.Diffs[i].Field] = true
		}
	}
	return take
}

// keep settles the conflict with one whole version: a restore of it, merging the others.
func (c *conflictScreen) keep(side int) {
	d := c.view
	rev := []store.Revision{d.A, d.B}[side]
	db, _ := c.app.officeDB()
	author := c.app.author()
	c.app.background(func() func() {
		_, err := db.Restore(d.ID, rev.ID, author)
		draft, err := backToReview(db, d, author, err)
		return func() { c.resolved(d, draft, err) }
	})
}

// onMerge settles the conflict with the answer chosen for each difference.
func (c *conflictScreen) onMerge() {
	d := c.view
	take := c.taken()
	db, _ := c.app.officeDB()
	author := c.app.author()
	c.app.background(func() func() {
		rec, ps := household.Merge(d.RecA, d.RecB, take)
		var err error
		if len(ps) > 0 {
			err = ps
		} else {
			_, err = db.SaveMerge(rec, author)
		}
		draft, err := backToReview(db, d, author, err)
		return func() { c.resolved(d, draft, err) }
	})
}

// backToReview puts a settled conflict back with the households waiting for review when either
// version had been submitted (complete or approved): the store settles a conflict as a draft,
// which the office could neither approve nor return. A conflict of two drafts stays a draft,
// for its surveyor to finish. It runs off the UI goroutine after the settlement (err is its
// error); draft says why the household stays a draft, or is "" once it waits for
// review.
func backToReview(db OfficeStore, d conflictDetail, author string, err error) (draft string, _ error) {
	if err != nil || !submitted(d.A) && !submitted(d.B) {
		return lang.L("office.resolved_draft"), err
	}
	if _, cerr := db.MarkComplete(d.ID, author); cerr != nil {
		return lang.L("office.resolved_incomplete", map[string]any{"Problem": store.Message(cerr, Lang())}), nil
	}
	return "", nil
}

func submitted(r store.Revision) bool {
	return r.Status == store.StatusComplete || r.Status == store.StatusApproved
}

func (c *conflictScreen) resolved(d conflictDetail, draft string, err error) {
	if err != nil {
		c.app.showError(err)
		return
	}
	c.chosen = ""
	text := lang.L("office.resolved_review", map[string]any{"Head": d.Head})
	if draft != "" {
		text = lang.L("office.resolved", map[string]any{"Head": d.Head}) + " " + draft
	}
	c.outcome.SetText(text)
	c.outcome.Show()
	c.refresh()
}

// fieldLabel is the question of a field path of the record, in the form's words.
func fieldLabel(field string) string {
	if strings.HasPrefix(field, "members/") {
		return lang.L("office.field.member")
	}
	keys := map[string]string{"group": lang.L("q.group"), "address": lang.L("q.address"),
		"survey.date": lang.L("q.survey_date"), "survey.round": lang.L("office.field.round"),
		"survey.surveyor": lang.L("office.field.surveyor"), "housing.wall": lang.L("q.wall"),
		"housing.column": lang.L("q.column"), "housing.roof": lang.L("q.roof"),
		"housing.floor_area_m2": lang.L("q.floor_area"), "water_source": lang.L("q.water"),
		"toilet": lang.L("q.toilet"), "waste_collected": lang.L("q.waste"), "internet": lang.L("q.internet"),
		"devices": lang.L("q.devices"), "loudspeaker": lang.L("q.loudspeaker"), "income": lang.L("q.income"),
		"previous_status": lang.L("office.field.previous_status"), "ward": lang.L("settings.ward"),
		"area": lang.L("settings.area")}
	if l, ok := keys[field]; ok {
		return l
	}
	return field
}

// valueText writes one version's answer to a difference in the form's words.
func valueText(df household.Difference, raw string, rec *household.Record) string {
	if raw == "" {
		return lang.L("office.absent")
	}
	if df.Member != "" {
		for i := range rec.Members {
			if rec.Members[i].ID == df.Member {
				return memberText(&rec.Members[i])
			}
		}
	}
	var v any
	if json.Unmarshal([]byte(raw), &v) != nil {
		return raw
	}
	return answerText(df.Field, v)
}

// enumFields are the enumerated answers of the record, by field path, with their choices.
var enumFields = map[string]string{"housing.wall": "structure", "housing.column": "structure",
	"housing.roof": "structure", "water_source": "water_source", "toilet": "toilet", "area": "area",
	"previous_status": "status"}

func answerText(field string, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return lang.L("form.yes")
		}
		return lang.L("form.no")
	case float64:
		if field == "housing.floor_area_m2" {
			return Number(x, Lang()) + " m²"
		}
		return Number(x, Lang())
	case string:
		if f, ok := enumFields[field]; ok {
			return choiceLabel(f, x)
		}
		if d, err := household.ParseDate(x); err == nil && field == "survey.date" {
			return d.VN()
		}
		return x
	case map[string]any:
		return mapText(field, x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// mapText writes the income answer or the devices owned.
func mapText(field string, m map[string]any) string {
	var parts []string
	for _, k := range choiceFields[map[string]string{"income": "income", "devices": "device"}[field]] {
		switch x := m[k].(type) {
		case bool:
			if x {
				parts = append(parts, choiceLabel("device", k))
			}
		case float64:
			if k == "score" {
				parts = append(parts, choiceLabel("income", k)+": "+Number(x, Lang()))
			} else {
				parts = append(parts, choiceLabel("income", k)+": "+Money(int64(x)))
			}
		}
	}
	if len(parts) == 0 {
		return lang.L("office.none")
	}
	return strings.Join(parts, ", ")
}

// memberText is a member in one line: name, relation, birth, sex, and the answers that
// decide deprivations.
func memberText(m *household.Member) string {
	parts := []string{m.Name, choiceLabel("relation", m.Relation), BirthText(m), choiceLabel("sex", m.Sex),
		choiceLabel("education", m.Education), choiceLabel("employment", m.Employment)}
	if m.HealthInsurance {
		parts = append(parts, lang.L("office.insured"))
	} else {
		parts = append(parts, lang.L("office.not_insured"))
	}
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}
