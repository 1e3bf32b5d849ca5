package ui

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/report"
	"github.com/rasoat/rasoat/store"
)

// minutesForm asks for the community meeting of one group: when and where it met, who chaired
// and took the minutes, how many attended and agreed, and the opinions heard.
type minutesForm struct {
	date, place, chair, secretary, attending, agree *entry
	opinions                                        *widget.Entry
}

func newMinutesForm(now household.Date) *minutesForm {
	f := &minutesForm{date: newEntry("dd/mm/yyyy"), place: newEntry(lang.L("office.meeting_place_hint")),
		chair: newEntry(""), secretary: newEntry(""), attending: newEntry("0"), agree: newEntry("0"),
		opinions: widget.NewMultiLineEntry()}
	f.date.SetText(now.VN())
	f.opinions.SetPlaceHolder(lang.L("office.meeting_opinions_hint"))
	f.opinions.SetMinRowsVisible(3)
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
func (s *listsScreen) onMinutes() {
	group := s.scope
	if group == "" {
		return
	}
	f := newMinutesForm(household.DateOf(s.app.now()))
	dlg := dialog.NewForm(lang.L("office.minutes_title", map[string]any{"Group": group}), lang.L("office.minutes_write"),
		lang.L("Cancel"), f.items(), func(ok bool) {
			if !ok {
				return
			}
			m, err := f.meeting(s.view.Ward, group)
			if err != nil {
				s.app.showError(err)
				return
			}
			s.app.choose.folder(lang.L("office.minutes"), lang.L("office.export_confirm"), func(dir string) { s.writeMinutesTo(dir, m) })
		}, s.app.win)
	dlg.Resize(fyne.NewSize(620, 560))
	dlg.Show()
}

// writeMinutesTo writes the minutes of a meeting and says whether the result stands; when it
// does, it offers to record the group's "agreed at the meeting" stage with the meeting's date.
func (s *listsScreen) writeMinutesTo(dir string, m report.Meeting) {
	rows := s.groupRows(m.Group)
	s.app.background(func() func() {
		p, err := writeMinutes(dir, m, rows)
		return func() {
			if err != nil {
				s.app.showError(err)
				return
			}
			s.afterMinutes(p, m)
		}
	})
}

// writeMinutes writes one group's meeting minutes as a PDF in dir.
func writeMinutes(dir string, m report.Meeting, rows []report.Row) (string, error) {
	name := fmt.Sprintf("%s_bien-ban-hop-dan_%s.pdf", report.Slug(m.Group), m.Date.String())
	p := filepath.Join(dir, name)
	return p, writeAtomic(p, func(w io.Writer) error { return report.WriteMinutesPDF(w, m, rows, Lang()) })
}

func (s *listsScreen) afterMinutes(path string, m report.Meeting) {
	tally := map[string]any{"Agree": m.Agree, "Attending": m.Attending, "Path": path, "Group": m.Group}
	if !m.Passed() {
		dialog.ShowInformation(lang.L("office.minutes"), lang.L("office.meeting_failed", tally), s.app.win)
		return
	}
	dialog.ShowConfirm(lang.L("office.minutes"), lang.L("office.meeting_passed", tally), func(ok bool) {
		if ok {
			s.recordAgreed(m)
		}
	}, s.app.win)
}

// recordAgreed records the group's "agreed at the meeting" stage on the meeting's date.
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
		return func() { s.app.showError(err) }
	})
}
