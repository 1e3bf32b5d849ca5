package ui

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/report"
	"github.com/rasoat/rasoat/store"
)

// minutesForm asks for the community meeting of one group: when and where it met, who chaired
// and took the minutes, how many attended and agreed, and the opinions heard. A problem with
// the answers is shown under them, and the form stays open.
type minutesForm struct {
	date, place, chair, secretary, attending, agree *entry
	opinions                                        *widget.Entry
	problem                                         *widget.Label
	box                                             *fyne.Container // laid out again when the problem shows
}

func newMinutesForm(now household.Date) *minutesForm {
	f := &minutesForm{date: newEntry("dd/mm/yyyy"), place: newEntry(lang.L("office.meeting_place_hint")),
		chair: newEntry(""), secretary: newEntry(""), attending: newEntry("0"), agree: newEntry("0"),
		opinions: widget.NewMultiLineEntry(), problem: widget.NewLabel("")}
	f.date.SetText(now.VN())
	f.opinions.SetPlaceHolder(lang.L("office.meeting_opinions_hint"))
	f.opinions.SetMinRowsVisible(3)
	f.problem.Importance = widget.DangerImportance
	f.problem.Wrapping = fyne.TextWrapWord
	f.problem.Hide()
	return f
}

func (f *minutesForm) items() []*widget.FormItem {
	return []*widget.FormItem{widget.NewFormItem(lang.L("office.meeting_date"), f.date),
		widget.NewFormItem(lang.L("office.meeting_place"), f.place),
		widget.NewFormItem(lang.L("office.meeting_chair"), f.chair),
		widget.NewFormItem(lang.L("office.meeting_secretary"), f.secretary),
		widget.NewFormItem(lang.L("office.meeting_attending"), f.attending),
		widget.NewFormItem(lang.L("office.meeting_agree"), f.agree),
		widget.NewFormItem(lang.L("office.meeting_opinions"), f.opinions)}
}

// ui is the form's questions with the place of its problem under them.
func (f *minutesForm) ui() fyne.CanvasObject {
	f.box = container.NewVBox(widget.NewForm(f.items()...), f.problem)
	return f.box
}

// show says the problem under the questions; the box is laid out again so that the label
// takes its room (see passForm.show).
func (f *minutesForm) show(p string) {
	f.problem.SetText(p)
	f.problem.Show()
	if f.box != nil {
		f.box.Refresh()
	}
}

// meeting reads the answers; the tally itself is checked by report.Meeting.Check.
func (f *minutesForm) meeting(ward, group string) (report.Meeting, error) {
	m := report.Meeting{Ward: ward, Group: group, Place: strings.TrimSpace(f.place.Text),
		Chair: strings.TrimSpace(f.chair.Text), Secretary: strings.TrimSpace(f.secretary.Text)}
	d, err := ParseDateVN(f.date.Text)
	if err != nil {
		return m, errors.New(lang.L("office.bad_date", map[string]any{"Text": f.date.Text}))
	}
	m.Date = d
	for _, n := range []struct {
		text string
		to   *int
	}{{f.attending.Text, &m.Attending}, {f.agree.Text, &m.Agree}} {
		v, err := strconv.Atoi(strings.TrimSpace(n.text))
		if err != nil {
			return m, errors.New(lang.L("office.bad_number", map[string]any{"Text": n.text}))
		}
		*n.to = v
	}
	for _, line := range strings.Split(f.opinions.Text, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			m.Opinions = append(m.Opinions, line)
		}
	}
	return m, m.Check()
}

// onMinutes asks for the chosen group's meeting, then for the folder to write the minutes to.
// A problem with the answers is shown in the form, which stays open with what was typed; the
// form closes only once a folder is chosen, so that cancelling the folder comes back to it as
// it was.
func (s *listsScreen) onMinutes() {
	group := s.scope
	if group == "" {
		return
	}
	f := newMinutesForm(household.DateOf(s.app.now()))
	var d *dialog.CustomDialog
	ok := widget.NewButton(lang.L("office.minutes_write"), func() {
		m, err := f.meeting(s.view.Ward, group)
		if err != nil {
			f.show(oneLanguage(err))
			return
		}
		s.app.choose.folder(lang.L("office.minutes"), lang.L("office.export_confirm"), func(dir string) {
			d.Hide()
			s.writeMinutesTo(dir, m)
		})
	})
	ok.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.Hide() })
	body := container.NewBorder(nil, container.NewCenter(container.NewHBox(cancel, ok)), nil, nil,
		container.NewVScroll(f.ui()))
	d = dialog.NewCustomWithoutButtons(lang.L("office.minutes_title", map[string]any{"Group": group}), body, s.app.win)
	d.Resize(fyne.NewSize(620, 600))
	d.Show()
	s.app.win.Canvas().Focus(f.place)
}

// oneLanguage is an error's message in the user's language: from the error's own
// translations when it has them, else the half of a "Vietnamese / English" message; the first
// letter is a capital.
func oneLanguage(err error) string {
	var msg string
	var in interface{ In(string) string }
	if errors.As(err, &in) {
		msg = in.In(Lang())
	} else {
		msg = store.Message(err, Lang())
		if vi, en, ok := strings.Cut(msg, " / "); ok && !strings.Contains(en, " / ") {
			msg = vi
			if Lang() == "en" {
				msg = en
			}
		}
	}
	msg = strings.TrimSpace(msg)
	if r, n := utf8.DecodeRuneInString(msg); n > 0 {
		msg = string(unicode.ToUpper(r)) + msg[n:]
	}
	return msg
}

// writeMinutesTo writes the minutes of a meeting (asking before it replaces a file of the same
// name) and says whether the result stands; when it does and the group is at the stage before
// it, it offers to record the group's "agreed at the meeting" stage with the meeting's date.
func (s *listsScreen) writeMinutesTo(dir string, m report.Meeting) {
	db, err := s.app.officeDB()
	if err != nil {
		s.app.showError(err)
		return
	}
	rows := s.groupRows(m.Group)
	var stages store.GroupStages
	s.app.writeFiles(dir, func(dir string) ([]string, error) {
		p, err := writeMinutes(dir, m, rows)
		return []string{p}, err
	}, func([]string) (err error) {
		stages, err = groupStages(db, m.Group) // as they are now, not as the screen last loaded them
		return err
	}, func(paths []string) { s.afterMinutes(paths[0], m, stages) })
}

// writeMinutes writes one group's meeting minutes as a PDF in dir.
func writeMinutes(dir string, m report.Meeting, rows []report.Row) (string, error) {
	name := fmt.Sprintf("%s_bien-ban-hop-dan_%s.pdf", report.Slug(m.Group), m.Date.String())
	p := filepath.Join(dir, name)
	return p, writeAtomic(p, func(w io.Writer) error { return report.WriteMinutesPDF(w, m, rows, Lang()) })
}

// groupStages are the review stages one group has reached.
func groupStages(db OfficeStore, group string) (store.GroupStages, error) {
	gs, err := db.Stages()
	for _, g := range gs {
		if g.Group == group {
			return g, err
		}
	}
	return store.GroupStages{Group: group}, err
}

// afterMinutes says whether the meeting's result stands. The "agreed at the meeting" stage is
// offered only to a group whose last stage is the one before it; a group past it, or not yet
// surveyed, is told where it stands instead.
func (s *listsScreen) afterMinutes(path string, m report.Meeting, g store.GroupStages) {
	tally := map[string]any{"Agree": m.Agree, "Attending": m.Attending, "Path": path, "Group": m.Group}
	if !m.Passed() {
		dialog.ShowInformation(lang.L("office.minutes"), lang.L("office.meeting_failed", tally), s.app.win)
		return
	}
	if g.Reached() != store.StageSurveyed {
		msg := lang.L("office.meeting_passed_done", tally) + "\n\n" + stageWhere(m.Group, store.StageAgreed, g)
		dialog.ShowInformation(lang.L("office.minutes"), msg, s.app.win)
		return
	}
	dialog.ShowConfirm(lang.L("office.minutes"), lang.L("office.meeting_passed", tally), func(ok bool) {
		if ok {
			s.recordAgreed(m)
		}
	}, s.app.win)
}

// stageWhere says, in the user's language, why a group's stage is not recorded: the stage
// before it is missing, or the group is at it or past it already (with its date).
func stageWhere(group, stage string, g store.GroupStages) string {
	i := slices.Index(store.Stages, stage)
	if r := slices.Index(store.Stages, g.Reached()); r < i-1 && i > 0 {
		return lang.L("office.stage_before", map[string]any{"Group": group, "Stage": stageLabel(stage),
			"Before": stageLabel(store.Stages[r+1])})
	}
	return lang.L("office.stage_past", map[string]any{"Group": group, "Stage": stageLabel(stage), "Current": stageText(g)})
}

// recordAgreed records the group's "agreed at the meeting" stage on the meeting's date. When
// the store refuses it (the stages go in order), the group's stage as it now stands is shown.
func (s *listsScreen) recordAgreed(m report.Meeting) {
	db, err := s.app.officeDB()
	if err != nil {
		s.app.showError(err)
		return
	}
	author := s.app.author()
	note := lang.L("office.meeting_tally", map[string]any{"Agree": m.Agree, "Attending": m.Attending})
	s.app.background(func() func() {
		_, err := db.SetStage(m.Group, store.StageAgreed, m.Date, note, author)
		if !errors.Is(err, store.ErrStageOrder) {
			return func() { s.app.showError(err) }
		}
		g, gerr := groupStages(db, m.Group)
		return func() {
			if gerr != nil {
				s.app.showError(gerr)
				return
			}
			dialog.ShowInformation(lang.L("office.minutes"), stageRefused(m.Group, store.StageAgreed, m.Date, g), s.app.win)
		}
	})
}

// stageRefused says why the store refused a group's stage on a date: the stage before it is
// missing, or the group's stages as they stand leave no room for it on that date.
func stageRefused(group, stage string, date household.Date, g store.GroupStages) string {
	i := slices.Index(store.Stages, stage)
	if r := slices.Index(store.Stages, g.Reached()); r < i-1 && i > 0 {
		return stageWhere(group, stage, g)
	}
	return lang.L("office.stage_refused", map[string]any{"Group": group, "Stage": stageLabel(stage),
		"Date": date.VN(), "Current": stageText(g)})
}
