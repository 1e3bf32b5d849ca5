package ui

import (
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/store"
)

// ScoreTables is the database's income score table (poverty-standard.md §2: the ward imports
// it; the app shows which one is loaded). *store.Store satisfies it.
type ScoreTables interface {
	ScoreTable() (*poverty.ScoreTable, error)
	LoadScoreTable(data []byte, author string) (*poverty.ScoreTable, error)
	RemoveScoreTable(author string) error
	Registry() (*poverty.Registry, error)
}

// scoreTables is the database's score table side, nil when it has none.
func (a *App) scoreTables() ScoreTables {
	t, _ := a.db.(ScoreTables)
	return t
}

// useStoreStandards makes the classifier of the screens the store's: the shipped standards
// with the loaded score table's thresholds, so that the preview and the lists agree with what
// the store accepts (a registry given in Options, for tests or a ward's override, is kept);
// and notes the table, which the form's income score needs.
func (a *App) useStoreStandards() {
	t := a.scoreTables()
	if t == nil {
		return
	}
	a.scoreTable, _ = t.ScoreTable()
	if !a.ownReg {
		if reg, _ := t.Registry(); reg != nil {
			a.reg = reg
		}
	}
}

// scoreTableView is what the settings screen says of the score table: plain text, made off
// the UI goroutine.
type scoreTableView struct {
	loaded  bool
	example bool
	// fromOffice: an enrolled laptop, whose table is the office's, sent at each sync
	fromOffice bool
	text       string // the table, or that none is loaded, or why the stored one cannot be used
}

// scoreTableViewOf describes the table in force and the thresholds it gives each standard.
func scoreTableViewOf(t *poverty.ScoreTable, err error, reg *poverty.Registry, lng string) scoreTableView {
	if err != nil {
		return scoreTableView{text: lang.L("score.unusable", map[string]any{"Reason": messageIn(err, lng)})}
	}
	if t == nil {
		return scoreTableView{text: lang.L("score.none")}
	}
	lines := []string{
		lang.L("score.loaded", map[string]any{"Title": t.Title(lng), "Items": len(t.Items)}),
		lang.L("score.source", map[string]any{"Source": t.Source, "Region": t.Region.In(lng)}),
	}
	for _, st := range reg.All() {
		th := st.ScoreThreshold
		if th == nil {
			lines = append(lines, lang.L("score.no_thresholds", map[string]any{"Standard": st.Title(lng)}))
			continue
		}
		from := lang.L("score.from_standard")
		if st.ThresholdTable() != nil {
			from = lang.L("score.from_table")
		}
		lines = append(lines, lang.L("score.thresholds", map[string]any{
			"Standard": st.Title(lng), "Rural": fmt.Sprint(th.Rural), "Urban": fmt.Sprint(th.Urban), "From": from}))
	}
	return scoreTableView{loaded: true, example: t.IsExample(), text: strings.Join(lines, "\n")}
}

// messageIn is an error's message in one language when it carries both.
func messageIn(err error, lng string) string {
	if e, ok := err.(*poverty.Error); ok {
		return e.In(lng)
	}
	return store.Message(err, lng)
}

// scoreSection is the settings screen's part about the income score table.
type scoreSection struct {
	app     *App
	x       ScoreTables
	text    *widget.Label
	example *widget.Label
	remove  *widget.Button
	buttons *fyne.Container // load and remove
	office  *widget.Label   // on an enrolled laptop: the table comes from the office
	box     *fyne.Container
}

// buildScoreTable shows the loaded table and offers to load or remove one; nothing when the
// database has no score table side.
func (s *settingsScreen) buildScoreTable() fyne.CanvasObject {
	x := s.app.scoreTables()
	if x == nil {
		return container.NewVBox()
	}
	s.score = &scoreSection{app: s.app, x: x}
	return s.score.buildUI()
}

func (sc *scoreSection) buildUI() fyne.CanvasObject {
	sc.text = wrapLabel("", widget.MediumImportance)
	sc.example = wrapLabel(lang.L("score.example"), widget.DangerImportance)
	sc.example.TextStyle = fyne.TextStyle{Bold: true}
	sc.example.Hide()
	load := widget.NewButtonWithIcon(lang.L("score.load"), theme.FolderOpenIcon(), sc.onLoad)
	sc.remove = widget.NewButtonWithIcon(lang.L("score.remove"), theme.DeleteIcon(), sc.onRemove)
	sc.remove.Disable()
	sc.buttons = container.NewHBox(load, sc.remove)
	sc.office = wrapLabel(lang.L("score.from_office"), widget.MediumImportance)
	sc.office.Hide()
	sc.box = container.NewVBox(widget.NewSeparator(), boldLabel(lang.L("score.title")),
		wrapLabel(lang.L("score.intro"), widget.LowImportance), sc.example, sc.text, sc.office, sc.buttons)
	sc.refresh()
	return sc.box
}

// refresh reads the table in force off the UI goroutine and shows it.
func (sc *scoreSection) refresh() {
	lng := Lang()
	var sy Syncer
	if sc.app.meta.Role != store.RoleOffice {
		sy, _ = sc.app.syncer()
	}
	sc.app.background(func() func() {
		t, err := sc.x.ScoreTable()
		reg, _ := sc.x.Registry()
		v := scoreTableViewOf(t, err, reg, lng)
		if sy != nil {
			_, v.fromOffice, _ = sy.Enrollment()
		}
		return func() { sc.apply(v) }
	})
}

func (sc *scoreSection) apply(v scoreTableView) {
	sc.app.useStoreStandards()
	sc.text.SetText(v.text)
	sc.example.Hidden = !v.example
	if v.loaded {
		sc.remove.Enable()
	} else {
		sc.remove.Disable()
	}
	// An enrolled laptop's table is replaced by the office's at each sync: it is changed at
	// the office, not here.
	sc.buttons.Hidden = v.fromOffice
	sc.office.Hidden = !v.fromOffice
	// The texts change the section's height: it and the screen around it are laid out again,
	// or the new lines are drawn over the next ones.
	sc.box.Refresh()
	if c := sc.app.win.Content(); c != nil {
		c.Refresh()
		sc.app.win.Canvas().Refresh(c)
	}
}

// asOffice runs action after an office user logs in at the ward office; a field laptop has no
// office users and loads the ward's table itself.
func (sc *scoreSection) asOffice(action func()) {
	if sc.app.meta.Role == store.RoleOffice {
		sc.app.asOffice(action)
		return
	}
	action()
}

func (sc *scoreSection) onLoad() {
	sc.asOffice(func() {
		sc.app.choose.file(lang.L("score.load"), lang.L("score.load_confirm"), []string{".json"}, sc.loadFile)
	})
}

// loadFile checks and stores the chosen file; a refused file leaves the table in force as it was.
func (sc *scoreSection) loadFile(path string) {
	author := sc.app.author()
	sc.app.background(func() func() {
		data, err := os.ReadFile(path)
		if err == nil {
			_, err = sc.x.LoadScoreTable(data, author)
		}
		return func() {
			if err != nil {
				dialog.ShowInformation(lang.L("score.refused"), messageIn(err, Lang()), sc.app.win)
			}
			sc.refresh()
		}
	})
}

func (sc *scoreSection) onRemove() {
	sc.asOffice(func() {
		dialog.ShowConfirm(lang.L("score.remove"), lang.L("score.remove_confirm"), func(ok bool) {
			if !ok {
				return
			}
			author := sc.app.author()
			sc.app.background(func() func() {
				err := sc.x.RemoveScoreTable(author)
				return func() {
					sc.app.showError(err)
					sc.refresh()
				}
			})
		}, sc.app.win)
	})
}
