package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/recognised"
	"github.com/rasoat/rasoat/store"
)

// previousMatch is last year's list matched to this year's households, loaded off the UI
// goroutine: what applying it would set, and the rows that could not be used.
type previousMatch struct {
	File     string
	Rows     int
	Set      map[string]string // household id → previous_status
	Changes  int               // households whose previous_status would change
	Problems []string          // "row N: reason"
}

// previousScreen reads last year's recognised list of poor and near-poor households (the
// chairman's decision, kept in Excel or CSV), with its columns mapped in a dialog, matches it
// to this year's households and sets their previous_status, from which the movements
// (escaped, newly poor, fell back…) come. Applying is one revision per household changed, and
// can be undone.
type previousScreen struct {
	app                          *App
	chooseBtn, applyBtn, undoBtn *widget.Button
	state                        *widget.Label
	result                       *widget.Label
	problems                     *widget.List

	table   *recognised.Table
	file    string
	match   previousMatch
	applied []store.PreviousChange // the last changes made, for undo
}

func newPreviousScreen(a *App) *previousScreen { return &previousScreen{app: a} }

func (p *previousScreen) buildUI() fyne.CanvasObject {
	help := wrapLabel(lang.L("office.previous_help"), widget.MediumImportance)
	p.chooseBtn = widget.NewButtonWithIcon(lang.L("office.previous_choose"), theme.FileIcon(), p.onChoose)
	p.chooseBtn.Importance = widget.HighImportance
	p.applyBtn = widget.NewButtonWithIcon(lang.L("office.previous_apply"), theme.ConfirmIcon(), p.onApply)
	p.undoBtn = widget.NewButtonWithIcon(lang.L("office.previous_undo"), theme.ContentUndoIcon(), p.onUndo)
	p.applyBtn.Disable()
	p.undoBtn.Disable()
	p.state = wrapLabel("", widget.MediumImportance)
	p.result = wrapLabel("", widget.SuccessImportance)
	p.result.Hide()
	p.problems = widget.NewList(func() int { return len(p.match.Problems) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			l.Importance = widget.WarningImportance
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.match.Problems[i]) })
	top := container.NewVBox(boldLabel(lang.L("office.nav.previous")), help,
		container.NewHBox(p.chooseBtn, p.applyBtn, p.undoBtn), p.state, p.result, widget.NewSeparator(),
		boldLabel(lang.L("office.previous_problems")))
	return container.NewBorder(container.NewPadded(top), nil, nil, nil, p.problems)
}

func (p *previousScreen) refresh() {
	p.state.SetText(lang.L("office.previous_none"))
}

func (p *previousScreen) onChoose() {
	p.app.choose.file(lang.L("office.previous_choose"), lang.L("office.previous_open"), []string{".xlsx", ".csv"}, p.readFile)
}

// readFile reads the list's first sheet (or the CSV) and asks how its columns map.
func (p *previousScreen) readFile(path string) {
	p.app.background(func() func() {
		t, err := readRecognised(path)
		return func() {
			if err != nil {
				p.app.showError(err)
				return
			}
			p.table, p.file = t, path
			p.askMapping(recognised.Guess(t.Header))
		}
	})
}

func readRecognised(path string) (*recognised.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return recognised.ReadCSV(f)
	}
	return recognised.ReadXLSX(f)
}

// askMapping shows the file's columns and which of them holds what, as guessed.
func (p *previousScreen) askMapping(m recognised.Mapping) {
	none := lang.L("office.column_none")
	options := []string{none}
	for i, h := range p.table.Header {
		options = append(options, fmt.Sprintf("%s: %s", columnName(i), h))
	}
	picks := make([]*widget.Select, 5)
	cols := []*int{&m.ID, &m.Name, &m.Address, &m.Group, &m.Status}
	names := []string{lang.L("office.map.id"), lang.L("office.map.name"), lang.L("office.map.address"),
		lang.L("office.map.group"), lang.L("office.map.status")}
	var items []*widget.FormItem
	for i, c := range cols {
		picks[i] = widget.NewSelect(options, nil)
		picks[i].SetSelectedIndex(*c + 1)
		items = append(items, widget.NewFormItem(names[i], picks[i]))
	}
	items = append(items, widget.NewFormItem("", wrapLabel(p.sample(), widget.LowImportance)))
	dlg := dialog.NewForm(lang.L("office.map_title", map[string]any{"File": filepath.Base(p.file), "Rows": len(p.table.Rows)}),
		lang.L("office.map_confirm"), lang.L("Cancel"), items, func(ok bool) {
			if !ok {
				return
			}
			for i, c := range cols {
				*c = picks[i].SelectedIndex() - 1
			}
			p.onMapped(m)
		}, p.app.win)
	dlg.Resize(fyne.NewSize(720, 480))
	dlg.Show()
}

// sample is the file's first rows, to check the columns against.
func (p *previousScreen) sample() string {
	lines := []string{lang.L("office.map_sample")}
	for i, r := range p.table.Rows {
		if i == 3 {
			break
		}
		lines = append(lines, strings.Join(r, " | "))
	}
	return strings.Join(lines, "\n")
}

// columnName is a spreadsheet's column letter: A, B, …, Z, AA…
func columnName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// onMapped reads the rows through the mapping and matches them to the households.
func (p *previousScreen) onMapped(m recognised.Mapping) {
	db, err := p.app.officeDB()
	if err != nil {
		p.app.showError(err)
		return
	}
	t, file := p.table, p.file
	p.app.background(func() func() {
		res, err := matchPrevious(db, t, m, file)
		return func() {
			if err != nil {
				p.app.showError(err)
				return
			}
			p.showMatch(res)
		}
	})
}

// matchPrevious matches last year's rows to this year's households.
func matchPrevious(db OfficeStore, t *recognised.Table, m recognised.Mapping, file string) (previousMatch, error) {
	res := previousMatch{File: file, Rows: len(t.Rows), Set: map[string]string{}}
	entries, probs, err := recognised.Entries(t, m)
	if err != nil {
		return res, err
	}
	var recs []*household.Record
	current := map[string]string{}
	err = db.ForEach(func(rec *household.Record, _ store.Revision) error {
		recs = append(recs, rec)
		current[rec.ID] = rec.PreviousStatus
		return nil
	})
	if err != nil {
		return res, err
	}
	matches, more := recognised.MatchAll(entries, recs)
	for _, mt := range matches {
		res.Set[mt.HouseholdID] = mt.Entry.Status
		if current[mt.HouseholdID] != mt.Entry.Status {
			res.Changes++
		}
	}
	for _, pr := range append(probs, more...) {
		text := pr.VI
		if Lang() == "en" {
			text = pr.EN
		}
		res.Problems = append(res.Problems, lang.L("office.row", map[string]any{"Row": pr.Row, "Text": text}))
	}
	return res, nil
}

func (p *previousScreen) showMatch(res previousMatch) {
	p.match = res
	p.state.SetText(lang.L("office.previous_matched", map[string]any{"File": filepath.Base(res.File), "Rows": res.Rows,
		"Matched": len(res.Set), "Changes": res.Changes, "Problems": len(res.Problems)}))
	p.result.Hide()
	p.problems.Refresh()
	setEnabled(p.applyBtn, res.Changes > 0)
}

// onApply sets the matched households' previous_status.
func (p *previousScreen) onApply() { p.setStatuses(p.match.Set, false) }

// onUndo puts back what the last apply changed.
func (p *previousScreen) onUndo() {
	old := map[string]string{}
	for _, c := range p.applied {
		old[c.ID] = c.Old
	}
	p.setStatuses(old, true)
}

func (p *previousScreen) setStatuses(set map[string]string, undo bool) {
	db, err := p.app.officeDB()
	if err != nil {
		p.app.showError(err)
		return
	}
	author := p.app.author()
	p.applyBtn.Disable()
	p.undoBtn.Disable()
	p.app.background(func() func() {
		if !undo {
			// applying last year's list is an import: the office copy is backed up first
			if err := p.app.backupBeforeImport(author); err != nil {
				return func() { p.app.showError(err) }
			}
		}
		changes, skipped, err := db.SetPreviousStatuses(set, author)
		return func() {
			if err != nil {
				p.app.showError(err)
				return
			}
			p.done(changes, skipped, undo)
		}
	})
}

func (p *previousScreen) done(changes []store.PreviousChange, skipped []string, undo bool) {
	args := map[string]any{"Count": len(changes), "Skipped": len(skipped)}
	text := lang.L("office.previous_applied", args)
	if undo {
		text = lang.L("office.previous_undone", args)
		p.applied = nil
	} else {
		p.applied = changes
		p.match.Changes = 0
	}
	p.result.SetText(text)
	p.result.Show()
	setEnabled(p.undoBtn, !undo && len(changes) > 0)
	setEnabled(p.applyBtn, undo)
}
