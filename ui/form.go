package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// formScreen is the household form: one scrollable column of sections (general, members,
// housing, water and sanitation, information, income) beside the live classification preview.
// Every change goes into the working record at once; it is saved as a draft when a question is
// left or a choice made, and every typingSave while typing (saver.go); "complete" is refused
// with the list of problems until the record is valid.
type formScreen struct {
	app     *App
	rec     *household.Record // the working copy; the UI goroutine's alone
	rev     store.Revision    // the revision opened: status, the office's comment
	groups  []string          // the ward's residential groups
	filling bool              // the inputs are being filled from rec: handlers do nothing
	touched map[string]bool   // questions left at least once: their problems are shown
	bad     map[string]string // answers typed that cannot be read, by question
	roster0 string            // what the roster shows, to rebuild it only when that changes
	blank   []byte            // a new household as it opened: not saved until it differs
	showAll bool              // after a refused "complete": every problem is shown
	saver   *saver
	member  *memberDialog // the member dialog when open
	score   *scoreDialog  // the score calculator when open (form_score.go)

	title, status, banner, general *widget.Label
	groupPick                      *widget.Select // a field laptop chooses from the ward's groups
	groupType                      *pickEntry     // the office (or an empty ward) may type a new one
	address, date, floor, amount   *entry
	wall, column, roof, incomeKind *widget.RadioGroup
	scoreBtn                       *widget.Button // works the income score out from the score table (form_score.go)
	del                            *widget.Button // "Xóa hộ", for a draft (form_delete.go)
	water, toilet                  *choice
	waste                          *yesNo
	internet, loudspeaker          *yesNo // required Có/Không: unanswered is not "Không" (formYesNo)
	devices                        *widget.CheckGroup
	roster                         *fyne.Container
	addMember, complete            *widget.Button
	qs                             map[string]*question
	preview                        *previewPanel
	scrolls                        [2]*container.Scroll // the form's and the preview's
	col                            labelColumn          // the questions' labels, one width for all sections
}

func newFormScreen(a *App) *formScreen {
	f := &formScreen{app: a, touched: map[string]bool{}, bad: map[string]string{}, qs: map[string]*question{}}
	db, author := a.db, a.author()
	f.saver = newSaver(&a.jobs, a.after, func(r *household.Record) (store.Revision, error) { a.touch(); return db.SaveDraft(r, author) },
		func(rev store.Revision, err error) { a.post(func() { f.onSaved(rev, err) }) })
	return f
}

func (f *formScreen) buildUI() fyne.CanvasObject {
	back := widget.NewButtonWithIcon(lang.L("form.back"), theme.NavigateBackIcon(), f.onBack)
	f.complete = widget.NewButtonWithIcon(lang.L("form.complete"), theme.ConfirmIcon(), f.onComplete)
	f.complete.Importance = widget.HighImportance
	f.title = widget.NewLabel(lang.L("form.new_title"))
	f.title.TextStyle = fyne.TextStyle{Bold: true}
	f.title.Truncation = fyne.TextTruncateEllipsis
	f.status = widget.NewLabel("")
	f.status.Importance = widget.LowImportance
	f.status.Alignment = fyne.TextAlignTrailing
	f.status.Truncation = fyne.TextTruncateEllipsis // a long message never widens the window
	top := container.NewBorder(nil, nil, back, container.NewHBox(f.buildDelete(), f.complete),
		container.NewGridWithColumns(2, f.title, f.status))
	f.banner = widget.NewLabel("")
	f.banner.Wrapping = fyne.TextWrapWord
	f.banner.Importance = widget.DangerImportance
	f.banner.Hide()
	f.general = widget.NewLabel("")
	f.general.Wrapping = fyne.TextWrapWord
	f.general.Importance = widget.DangerImportance
	f.general.Hide()

	body := container.NewVBox(f.buildGeneral(), f.buildMembers(), f.buildHousing(), f.buildWater(),
		f.buildInformation(), f.buildIncome())
	f.preview = newPreviewPanel()
	f.scrolls = [2]*container.Scroll{container.NewVScroll(container.NewPadded(body)),
		container.NewVScroll(container.NewPadded(f.preview.buildUI()))}
	split := container.NewHSplit(f.scrolls[0], f.scrolls[1])
	split.Offset = 0.64
	return container.NewBorder(container.NewVBox(top, f.banner, f.general), nil, nil, nil, split)
}

func (f *formScreen) buildGeneral() fyne.CanvasObject {
	setGroup := func(s string) { f.onPick("group", func(r *household.Record) { r.Group = strings.TrimSpace(s) }) }
	f.groupPick = widget.NewSelect(nil, setGroup)
	f.groupPick.PlaceHolder = lang.L("form.choose")
	f.groupType = newPickEntry(nil)
	f.groupType.PlaceHolder = lang.L("form.group_hint")
	f.groupType.OnChanged = setGroup
	f.groupType.Hide()
	f.address = f.textEntry("address", lang.L("form.address_hint"), func(r *household.Record, s string) { r.Address = strings.TrimSpace(s) })
	f.date = f.textEntry("survey.date", "dd/mm/yyyy", f.setDate)
	f.qs["group"] = newQuestion(lang.L("q.group"), true, container.NewStack(f.groupPick, f.groupType))
	f.qs["address"] = newQuestion(lang.L("q.address"), false, f.address)
	f.qs["survey.date"] = newQuestion(lang.L("q.survey_date"), true, f.date)
	return section(lang.L("form.section_general"),
		formGrid(&f.col, f.qs["group"], f.qs["address"], f.qs["survey.date"]))
}

func (f *formScreen) buildMembers() fyne.CanvasObject {
	f.roster = container.NewVBox()
	f.addMember = widget.NewButtonWithIcon(lang.L("form.add_member"), theme.ContentAddIcon(), f.onAddMember)
	f.qs["members"] = newQuestion(lang.L("q.members"), true, container.NewVBox(f.roster, container.NewHBox(f.addMember)))
	return section(lang.L("form.section_members"), formGrid(&f.col, f.qs["members"]))
}

func (f *formScreen) buildHousing() fyne.CanvasObject {
	f.wall = f.structure("housing.wall", func(r *household.Record, v string) { r.Housing.Wall = v })
	f.column = f.structure("housing.column", func(r *household.Record, v string) { r.Housing.Column = v })
	f.roof = f.structure("housing.roof", func(r *household.Record, v string) { r.Housing.Roof = v })
	f.floor = f.textEntry("housing.floor_area_m2", lang.L("form.floor_hint"), f.setFloor)
	f.qs["housing.wall"] = newQuestion(lang.L("q.wall"), true, f.wall)
	f.qs["housing.column"] = newQuestion(lang.L("q.column"), true, f.column)
	f.qs["housing.roof"] = newQuestion(lang.L("q.roof"), true, f.roof)
	f.qs["housing.floor_area_m2"] = newQuestion(lang.L("q.floor_area"), true, f.floor)
	return section(lang.L("form.section_housing"), formGrid(&f.col, f.qs["housing.wall"], f.qs["housing.column"],
		f.qs["housing.roof"], f.qs["housing.floor_area_m2"]))
}

func (f *formScreen) buildWater() fyne.CanvasObject {
	f.water = newChoice("water_source", func(v string) { f.onPick("water_source", func(r *household.Record) { r.WaterSource = v }) })
	f.toilet = newChoice("toilet", func(v string) { f.onPick("toilet", func(r *household.Record) { r.Toilet = v }) })
	f.waste = newYesNo(func(v *bool) { f.onPick("waste_collected", func(r *household.Record) { r.WasteCollected = v }) })
	f.qs["water_source"] = newQuestion(lang.L("q.water"), true, f.water)
	f.qs["toilet"] = newQuestion(lang.L("q.toilet"), true, f.toilet)
	f.qs["waste_collected"] = newQuestion(lang.L("q.waste"), false, f.waste)
	f.qs["waste_collected"].setNote(lang.L("q.waste_help"))
	return section(lang.L("form.section_water"), formGrid(&f.col, f.qs["water_source"], f.qs["toilet"], f.qs["waste_collected"]))
}

func (f *formScreen) buildInformation() fyne.CanvasObject {
	f.internet = newYesNo(func(v *bool) { f.onYesNo("internet", v, func(r *household.Record, b bool) { r.Internet = b }) })
	f.devices = widget.NewCheckGroup(choiceLabels("device"), func([]string) { f.onPick("devices", f.readDevices) })
	f.devices.Horizontal = true
	f.loudspeaker = newYesNo(func(v *bool) {
		f.onYesNo("loudspeaker", v, func(r *household.Record, b bool) { r.Loudspeaker = b })
	})
	f.qs["internet"] = newQuestion(lang.L("q.internet"), true, f.internet)
	f.qs["internet"].setNote(lang.L("q.internet_help"))
	f.qs["devices"] = newQuestion(lang.L("q.devices"), false, f.devices)
	f.qs["loudspeaker"] = newQuestion(lang.L("q.loudspeaker"), true, f.loudspeaker)
	f.qs["loudspeaker"].setNote(lang.L("q.loudspeaker_help"))
	return section(lang.L("form.section_information"), formGrid(&f.col, f.qs["internet"], f.qs["devices"], f.qs["loudspeaker"]))
}

func (f *formScreen) buildIncome() fyne.CanvasObject {
	f.incomeKind = widget.NewRadioGroup(f.incomeChoices(nil), func(string) {
		f.showScoreTool()
		f.onPick("income", f.readIncome)
	})
	f.amount = f.textEntry("income", lang.L("form.amount_hint"), func(r *household.Record, _ string) { f.readIncome(r) })
	f.scoreBtn = widget.NewButton(lang.L("form.score_tool"), f.onScoreTool)
	f.scoreBtn.Hide()
	f.qs["income"] = newQuestion(lang.L("q.income"), true, container.NewVBox(f.incomeKind, f.amount, f.scoreBtn))
	return section(lang.L("form.section_income"), formGrid(&f.col, f.qs["income"]))
}

// textEntry makes an entry that writes into the record on every keystroke, saves the draft and
// shows its problems when left, and moves on to the next question on Enter.
func (f *formScreen) textEntry(key, hint string, set func(*household.Record, string)) *entry {
	e := newEntry(hint)
	e.OnChanged = func(s string) { f.onText(key, func(r *household.Record) { set(r, s) }) }
	e.onBlur = f.app.onLeave(e, func() { f.onLeft(key) })
	e.OnSubmitted = func(string) { f.app.win.Canvas().FocusNext() }
	return e
}

// structure makes a durable / not durable question.
func (f *formScreen) structure(key string, set func(*household.Record, string)) *widget.RadioGroup {
	r := widget.NewRadioGroup(choiceLabels("structure"), nil)
	r.Horizontal = true
	r.OnChanged = func(s string) { f.onPick(key, func(rec *household.Record) { set(rec, choiceValue("structure", s)) }) }
	return r
}

func (f *formScreen) shortcuts() map[fyne.Shortcut]func() {
	return map[fyne.Shortcut]func(){key(fyne.KeyM): f.onAddMember, key(fyne.KeyReturn): f.onComplete,
		key(fyne.KeyLeft): f.onBack}
}

// newID makes the id of a new household or member.
func newID() string { return uuid.NewString() }
