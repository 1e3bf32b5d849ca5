package ui

import (
	"errors"
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

// dashboardScreen follows the survey: each residential group and each surveyor with their
// households by stage of the work, the review stage of each group with its date, and a chart
// of the poor and near-poor households per group.
type dashboardScreen struct {
	app       *App
	summary   *widget.Label
	groups    *widget.Table
	surveyors *widget.Table
	chart     *barChart
	stageBtn  *widget.Button
	clearBtn  *widget.Button
	selected  string // the group chosen in the table

	view officeView
}

func newDashboardScreen(a *App) *dashboardScreen { return &dashboardScreen{app: a} }

func (d *dashboardScreen) groupHeaders() []string {
	return []string{lang.L("office.col.group"), lang.L("office.col.assigned"), lang.L("office.col.surveyed"),
		lang.L("office.col.complete"), lang.L("office.col.approved"), lang.L("office.col.returned"),
		lang.L("office.col.conflicts"), lang.L("office.col.stage")}
}

func (d *dashboardScreen) surveyorHeaders() []string {
	return []string{lang.L("office.col.surveyor"), lang.L("office.col.assigned"), lang.L("office.col.surveyed"),
		lang.L("office.col.complete"), lang.L("office.col.approved"), lang.L("office.col.returned"),
		lang.L("office.col.conflicts")}
}

func (d *dashboardScreen) buildUI() fyne.CanvasObject {
	d.summary = wrapLabel("", widget.MediumImportance)
	counts := []float32{60, 60, 60, 60, 60, 60}
	d.groups = newTextTable(d.groupHeaders(), append(append([]float32{80}, counts...), 245),
		func() int { return len(d.view.Groups) }, d.groupCell)
	d.groups.OnSelected = d.onGroupSelected
	d.surveyors = newTextTable(d.surveyorHeaders(), append([]float32{200}, counts...),
		func() int { return len(d.view.Surveyors) }, d.surveyorCell)
	d.stageBtn = widget.NewButtonWithIcon(lang.L("office.stage_set"), theme.ConfirmIcon(), d.onSetStage)
	d.clearBtn = widget.NewButtonWithIcon(lang.L("office.stage_clear"), theme.ContentUndoIcon(), d.onClearStage)
	d.stageBtn.Disable()
	d.clearBtn.Disable()
	groupBox := container.NewBorder(container.NewBorder(nil, nil, boldLabel(lang.L("office.groups")),
		container.NewHBox(d.stageBtn, d.clearBtn)), nil, nil, nil, d.groups)
	tables := container.NewVSplit(groupBox,
		container.NewBorder(boldLabel(lang.L("office.surveyors")), nil, nil, nil, d.surveyors))
	tables.Offset = 0.55
	d.chart = newBarChart()
	legend := container.NewHBox(legendItem(theme.ColorNameError, lang.L("choice.class.poor")),
		legendItem(theme.ColorNameWarning, lang.L("choice.class.near_poor")))
	chart := container.NewBorder(container.NewVBox(boldLabel(lang.L("office.chart")), legend), nil, nil, nil,
		container.NewVScroll(container.NewPadded(d.chart)))
	split := container.NewHSplit(tables, chart)
	split.Offset = 0.73
	return container.NewBorder(d.summary, nil, nil, nil, split)
}

func legendItem(color fyne.ThemeColorName, text string) fyne.CanvasObject {
	r := canvasRect(color)
	return container.NewHBox(container.NewCenter(r), widget.NewLabel(text))
}

func (d *dashboardScreen) groupCell(r, c int) (string, widget.Importance) {
	g := d.view.Groups[r]
	switch c {
	case 0:
		return g.Group, widget.MediumImportance
	case 7:
		imp := widget.MediumImportance
		if g.Stages.Reached() == store.StageRecognised {
			imp = widget.SuccessImportance
		}
		return stageText(g.Stages), imp
	}
	return countCell(g.officeCounts, c)
}

func (d *dashboardScreen) surveyorCell(r, c int) (string, widget.Importance) {
	s := d.view.Surveyors[r]
	if c == 0 {
		if s.Name == "" {
			return lang.L("office.no_surveyor"), widget.LowImportance
		}
		return s.Name, widget.MediumImportance
	}
	return countCell(s.officeCounts, c)
}

// countCell is column c (1…6) of a progress row, with the counts that need the office's
// attention coloured.
func countCell(n officeCounts, c int) (string, widget.Importance) {
	v := []int{0, n.Assigned, n.Surveyed, n.Complete, n.Approved, n.Returned, n.Conflicts}[c]
	imp := widget.MediumImportance
	switch {
	case v > 0 && (c == 5 || c == 6):
		imp = widget.DangerImportance
	case v > 0 && c == 3:
		imp = widget.WarningImportance
	}
	return fmt.Sprint(v), imp
}

func (d *dashboardScreen) refresh() { d.app.officeLoad(d.apply) }

func (d *dashboardScreen) apply(v officeView) {
	d.view = v
	d.summary.SetText(dashboardSummary(v))
	d.groups.Refresh()
	d.surveyors.Refresh()
	rows := make([]barRow, len(v.Groups))
	for i, g := range v.Groups {
		rows[i] = barRow{Label: g.Group, Poor: g.Poor, NearPoor: g.NearPoor}
	}
	d.chart.set(rows)
	d.onGroupChosen()
}

// dashboardSummary is the ward in one sentence.
func dashboardSummary(v officeView) string {
	var all officeCounts
	for _, g := range v.Groups {
		all.Complete += g.Complete
		all.Approved += g.Approved
		all.Returned += g.Returned
	}
	parts := []string{lang.L("office.summary", map[string]any{"Total": v.Total, "Complete": all.Complete,
		"Approved": all.Approved, "Returned": all.Returned, "Conflicts": v.Conflicts})}
	if v.NotListed > 0 {
		parts = append(parts, lang.L("office.not_listed", map[string]any{"Count": v.NotListed}))
	}
	return strings.Join(parts, " ")
}

func (d *dashboardScreen) onGroupSelected(id widget.TableCellID) {
	if id.Row >= 0 && id.Row < len(d.view.Groups) {
		d.selected = d.view.Groups[id.Row].Group
	}
	d.onGroupChosen()
}

// onGroupChosen offers the stage buttons for the chosen group.
func (d *dashboardScreen) onGroupChosen() {
	g, ok := d.group()
	if !ok {
		d.stageBtn.Disable()
		d.clearBtn.Disable()
		return
	}
	d.stageBtn.Enable()
	d.stageBtn.SetText(lang.L("office.stage_set_group", map[string]any{"Group": g.Group}))
	if g.Stages.Reached() == "" {
		d.clearBtn.Disable()
	} else {
		d.clearBtn.Enable()
	}
}

func (d *dashboardScreen) group() (officeGroup, bool) {
	for _, g := range d.view.Groups {
		if g.Group == d.selected {
			return g, true
		}
	}
	return officeGroup{}, false
}

// onSetStage asks for the next stage of the chosen group, its date and a note.
func (d *dashboardScreen) onSetStage() {
	g, ok := d.group()
	if !ok {
		return
	}
	next := nextStage(g.Stages)
	labels := make([]string, len(store.Stages))
	for i, s := range store.Stages {
		labels[i] = stageLabel(s)
	}
	stage := widget.NewSelect(labels, nil)
	stage.SetSelected(stageLabel(next))
	date := newEntry("dd/mm/yyyy")
	date.SetText(household.DateOf(d.app.now()).VN())
	note := newEntry(lang.L("office.stage_note_hint"))
	items := []*widget.FormItem{widget.NewFormItem(lang.L("office.stage"), stage),
		widget.NewFormItem(lang.L("office.stage_date"), date), widget.NewFormItem(lang.L("office.stage_note"), note)}
	dlg := dialog.NewForm(lang.L("office.stage_title", map[string]any{"Group": g.Group}), lang.L("office.save"),
		lang.L("Cancel"), items, func(ok bool) {
			if ok {
				d.setStage(g.Group, store.Stages[stage.SelectedIndex()], date.Text, note.Text)
			}
		}, d.app.win)
	dlg.Resize(fyne.NewSize(520, 260))
	dlg.Show()
}

// nextStage is the stage after the last one reached (the last one when all are).
func nextStage(g store.GroupStages) string {
	for i, s := range store.Stages {
		if s == g.Reached() && i+1 < len(store.Stages) {
			return store.Stages[i+1]
		}
	}
	if g.Reached() == "" {
		return store.StageSurveyed
	}
	return g.Reached()
}

// setStage records a group's stage on a date typed as dd/mm/yyyy.
func (d *dashboardScreen) setStage(group, stage, dateText, note string) {
	date, err := ParseDateVN(dateText)
	if err != nil {
		d.app.showError(errors.New(lang.L("office.bad_date", map[string]any{"Text": dateText})))
		return
	}
	db, _ := d.app.officeDB()
	author := d.app.author()
	d.app.background(func() func() {
		_, err := db.SetStage(group, stage, date, strings.TrimSpace(note), author)
		if errors.Is(err, store.ErrStageOrder) {
			// said with the group's stages as they now stand, not the store's ids
			if g, gerr := groupStages(db, group); gerr == nil {
				return func() {
					dialog.ShowInformation(lang.L("office.stage_title", map[string]any{"Group": group}),
						stageRefused(group, stage, date, g), d.app.win)
				}
			}
		}
		return func() {
			if err != nil {
				d.app.showError(err)
				return
			}
			d.refresh()
		}
	})
}

// onClearStage removes the last stage of the chosen group, once confirmed.
func (d *dashboardScreen) onClearStage() {
	g, ok := d.group()
	if !ok || g.Stages.Reached() == "" {
		return
	}
	msg := lang.L("office.stage_clear_confirm", map[string]any{"Group": g.Group, "Stage": stageLabel(g.Stages.Reached())})
	dialog.ShowConfirm(lang.L("office.stage_clear"), msg, func(ok bool) {
		if ok {
			d.clearStage(g.Group, g.Stages.Reached())
		}
	}, d.app.win)
}

func (d *dashboardScreen) clearStage(group, stage string) {
	db, _ := d.app.officeDB()
	d.app.background(func() func() {
		err := db.ClearStage(group, stage)
		return func() {
			if err != nil {
				d.app.showError(err)
				return
			}
			d.refresh()
		}
	})
}
