package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// incomeChoices are the income answers the form offers: the declared income, and the income
// score only with a score table loaded (questionnaire.md: "only when a score table is loaded")
// or for a record that already holds a score.
func (f *formScreen) incomeChoices(r *household.Record) []string {
	all := choiceLabels("income")
	if f.app.scoreTable != nil || r != nil && r.Income.Kind == household.IncomeScore {
		return all
	}
	return all[:2]
}

// showScoreTool shows the score calculator's button and the amount's hint for the income
// answer chosen.
func (f *formScreen) showScoreTool() {
	score := choiceValue("income", f.incomeKind.Selected) == "score"
	if score {
		f.amount.SetPlaceHolder(lang.L("form.score_hint"))
	} else {
		f.amount.SetPlaceHolder(lang.L("form.amount_hint"))
	}
	f.scoreBtn.Hidden = !score || f.app.scoreTable == nil
	f.scoreBtn.Refresh()
}

// scoreDialog works out a household's income score from the loaded table: one answer per
// characteristic, the score shown as they are chosen; "use" puts it in the form's answer.
// The answers themselves are not kept (the record holds the score only: household-record.md).
type scoreDialog struct {
	f       *formScreen
	table   *poverty.ScoreTable
	area    string
	answers map[string]string
	selects []*widget.Select
	total   *widget.Label
	use     *widget.Button
	dlg     dialog.Dialog
}

func (f *formScreen) onScoreTool() {
	t := f.app.scoreTable
	if t == nil || f.rec == nil {
		return
	}
	d := &scoreDialog{f: f, table: t, area: f.rec.Area, answers: map[string]string{}}
	d.dlg = dialog.NewCustomWithoutButtons(lang.L("form.score_title", map[string]any{"Table": t.Title(Lang())}), d.buildUI(), f.app.win)
	d.dlg.SetOnClosed(func() {
		if f.score == d {
			f.score = nil
		}
	})
	f.score = d
	d.dlg.Resize(fyne.NewSize(720, 560))
	d.dlg.Show()
}

func (d *scoreDialog) buildUI() fyne.CanvasObject {
	lng := Lang()
	grid := container.New(layout.NewFormLayout())
	for i := range d.table.Items {
		it := &d.table.Items[i]
		labels := make([]string, len(it.Choices))
		for j, c := range it.Choices {
			labels[j] = c.Label.In(lng)
		}
		sel := widget.NewSelect(labels, func(string) { d.onPick() })
		sel.PlaceHolder = lang.L("form.score_pick")
		d.selects = append(d.selects, sel)
		grid.Add(widget.NewLabel(it.Label.In(lng))) // short labels: a wrapping one collapses in a form layout
		grid.Add(sel)
	}
	d.total = widget.NewLabel("")
	d.total.TextStyle = fyne.TextStyle{Bold: true}
	d.use = widget.NewButton(lang.L("form.score_use"), d.onUse)
	d.use.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.dlg.Hide() })
	d.onPick()
	var note fyne.CanvasObject = container.NewVBox()
	if d.table.IsExample() {
		note = wrapLabel(lang.L("score.example"), widget.DangerImportance)
	}
	return container.NewBorder(note, container.NewVBox(d.total, container.NewHBox(d.use, cancel)), nil, nil,
		container.NewVScroll(grid))
}

// onPick reads the answers chosen and shows the score, or how many are still unanswered.
func (d *scoreDialog) onPick() {
	missing := 0
	for i, sel := range d.selects {
		it := &d.table.Items[i]
		if sel.SelectedIndex() < 0 {
			delete(d.answers, it.ID)
			missing++
			continue
		}
		d.answers[it.ID] = it.Choices[sel.SelectedIndex()].Code
	}
	if missing > 0 {
		d.total.SetText(lang.L("form.score_missing", map[string]any{"Count": missing}))
		d.use.Disable()
		return
	}
	score, err := d.table.Score(d.area, d.answers)
	if err != nil {
		d.total.SetText(messageIn(err, Lang()))
		d.use.Disable()
		return
	}
	d.total.SetText(lang.L("form.score_total", map[string]any{"Score": score}))
	d.use.Enable()
}

// closeScore closes the score calculator, if open: its answers are not kept anyway.
func (f *formScreen) closeScore() {
	if f.score != nil {
		f.score.dlg.Hide()
		f.score = nil
	}
}

// onUse puts the score into the form's income answer, as if typed; nothing when the form it
// was opened from is no longer the one shown (the score would go into a household left).
func (d *scoreDialog) onUse() {
	if a := d.f.app; a.form != d.f || a.screen != "form" || d.f.score != d {
		d.dlg.Hide()
		return
	}
	score, err := d.table.Score(d.area, d.answers)
	if err != nil {
		return
	}
	d.dlg.Hide()
	d.f.amount.SetText(strconv.FormatInt(score, 10))
	d.f.saver.flush() // a choice made, not a keystroke: saved at once
}
