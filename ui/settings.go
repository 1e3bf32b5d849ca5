package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/store"
	"github.com/rasoat/rasoat/version"
)

// settingsScreen asks what the laptop is for: its role (a field laptop or the ward office's),
// the ward and its area, the name of its user, and the language; and, on a field laptop, its
// enrollment with the ward office (enroll.go). On the first run it is the setup screen and
// leads to the home screen; later it is reachable from the home screen.
type settingsScreen struct {
	app      *App
	firstRun bool
	draft    store.Meta // what is typed so far; kept across a change of language

	language *choice
	role     *widget.RadioGroup
	ward     *entry
	area     *widget.RadioGroup
	surveyor *entry
	device   *entry
	qs       map[string]*question
	save     *widget.Button
	enroll   *enrollPanel
	score    *scoreSection // the income score table (scoretable.go); nil without one
}

func newSettingsScreen(a *App, firstRun bool) *settingsScreen {
	s := &settingsScreen{app: a, firstRun: firstRun, draft: a.meta}
	if s.draft.Role == "" {
		s.draft.Role = store.RoleField
	}
	s.enroll = newEnrollPanel(a)
	s.enroll.before = s.saveThen
	s.enroll.after = s.onEnrolled
	return s
}

func (s *settingsScreen) buildUI() fyne.CanvasObject {
	title := widget.NewLabel(lang.L("settings.title"))
	if s.firstRun {
		title.SetText(lang.L("setup.title"))
	}
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel(lang.L("setup.intro"))
	intro.Wrapping = fyne.TextWrapWord
	intro.Hidden = !s.firstRun

	form := s.buildForm()
	enroll := s.enroll.buildUI()
	s.enroll.show(s.draft.Role != store.RoleOffice)

	s.save = widget.NewButtonWithIcon(lang.L("settings.save"), theme.DocumentSaveIcon(), s.onSave)
	if s.firstRun {
		s.save.SetText(lang.L("setup.start"))
	}
	s.save.Importance = widget.HighImportance
	buttons := container.NewHBox(s.save)
	if !s.firstRun {
		buttons.Add(widget.NewButtonWithIcon(lang.L("settings.back"), theme.NavigateBackIcon(), s.app.ShowHome))
	}
	body := container.NewVBox(title, intro, form, enroll, buttons, s.buildSecurity(), s.buildBackup(), s.buildScoreTable(), s.buildAbout())
	return container.NewVScroll(container.NewPadded(body))
}

func (s *settingsScreen) buildForm() fyne.CanvasObject {
	s.language = newChoice("language", s.onLanguage)
	s.language.set(Lang())
	s.role = widget.NewRadioGroup(choiceLabels("role"), nil)
	s.role.SetSelected(choiceLabel("role", string(s.draft.Role)))
	s.role.OnChanged = func(string) { s.onChanged() }
	s.ward = newEntry(lang.L("settings.ward_hint"))
	s.ward.SetText(s.draft.Ward)
	s.area = widget.NewRadioGroup(choiceLabels("area"), nil)
	s.area.Horizontal = true
	s.area.SetSelected(choiceLabel("area", s.draft.Area))
	s.area.OnChanged = func(string) { s.onChanged() }
	s.surveyor = newEntry(lang.L("settings.surveyor_hint"))
	s.surveyor.SetText(s.draft.Surveyor)
	s.device = newEntry(lang.L("settings.device_hint"))
	s.device.SetText(s.draft.DeviceName)
	for key, e := range map[string]*entry{"ward": s.ward, "surveyor": s.surveyor, "device": s.device} {
		e.OnChanged = func(string) { s.onChanged() }
		e.onBlur = s.app.onLeave(e, func() { s.onLeft(key) })
		e.OnSubmitted = func(string) { s.onSave() }
	}
	s.qs = map[string]*question{
		"language": newQuestion(lang.L("settings.language"), false, s.language),
		"role":     newQuestion(lang.L("settings.role"), true, s.role),
		"ward":     newQuestion(lang.L("settings.ward"), true, s.ward),
		"area":     newQuestion(lang.L("settings.area"), true, s.area),
		"surveyor": newQuestion(lang.L("settings.surveyor"), true, s.surveyor),
		"device":   newQuestion(lang.L("settings.device"), false, s.device),
	}
	s.qs["area"].setNote(lang.L("settings.area_note"))
	return formGrid(&labelColumn{}, s.qs["language"], s.qs["role"], s.qs["ward"], s.qs["area"], s.qs["surveyor"], s.qs["device"])
}

// buildAbout names the standards the classifier applies and their legal sources, and where
// the database is.
func (s *settingsScreen) buildAbout() fyne.CanvasObject {
	lines := []string{lang.L("settings.version", map[string]any{"Version": version.String()})}
	for _, st := range s.app.reg.All() {
		lines = append(lines, "• "+st.Title(Lang())+" — "+strings.Join(st.LegalSources, "; "))
	}
	lines = append(lines, lang.L("settings.database", map[string]any{"Path": s.app.db.Path()}))
	about := widget.NewLabel(strings.Join(lines, "\n"))
	about.Wrapping = fyne.TextWrapWord
	head := widget.NewLabel(lang.L("settings.about"))
	head.TextStyle = fyne.TextStyle{Bold: true}
	return container.NewVBox(widget.NewSeparator(), head, about)
}

// read copies what is typed into the draft settings.
func (s *settingsScreen) read() {
	s.draft.Role = store.Role(choiceValue("role", s.role.Selected))
	s.draft.Ward = strings.TrimSpace(s.ward.Text)
	s.draft.Area = choiceValue("area", s.area.Selected)
	s.draft.Surveyor = strings.TrimSpace(s.surveyor.Text)
	s.draft.DeviceName = strings.TrimSpace(s.device.Text)
}

// problems are the unanswered required questions, by question.
func (s *settingsScreen) problems() map[string]string {
	out := map[string]string{}
	if s.draft.Role == "" {
		out["role"] = lang.L("problem.required")
	}
	if s.draft.Ward == "" {
		out["ward"] = lang.L("problem.required")
	}
	if s.draft.Area == "" {
		out["area"] = lang.L("problem.required")
	}
	if s.draft.Surveyor == "" {
		out["surveyor"] = lang.L("problem.required")
	}
	return out
}

func (s *settingsScreen) onChanged() {
	s.read()
	for k, q := range s.qs {
		if q.problem.Visible() && s.problems()[k] == "" {
			q.setProblem("")
		}
	}
	s.enroll.show(s.draft.Role != store.RoleOffice)
}

// focusFirst puts the cursor in the first question still unanswered, else in the ward.
func (s *settingsScreen) focusFirst() {
	for _, e := range []*entry{s.ward, s.surveyor} {
		if strings.TrimSpace(e.Text) == "" {
			s.app.win.Canvas().Focus(e)
			return
		}
	}
	s.app.win.Canvas().Focus(s.ward)
}

// onLeft shows the problem of a question the user has just left.
func (s *settingsScreen) onLeft(key string) {
	s.read()
	s.qs[key].setProblem(s.problems()[key])
}

func (s *settingsScreen) onLanguage(code string) {
	if code == "" || code == Lang() {
		return
	}
	s.read()
	s.app.ChangeLanguage(code)
	keep := s.draft
	s.app.ShowSettings(s.firstRun)
	s.app.setts.draft = keep
	s.app.setts.fill()
}

// fill puts the draft settings back into the inputs.
func (s *settingsScreen) fill() {
	s.role.SetSelected(choiceLabel("role", string(s.draft.Role)))
	s.ward.SetText(s.draft.Ward)
	s.area.SetSelected(choiceLabel("area", s.draft.Area))
	s.surveyor.SetText(s.draft.Surveyor)
	s.device.SetText(s.draft.DeviceName)
}

// onSave writes the settings and goes to the home screen; unanswered questions are shown
// instead.
func (s *settingsScreen) onSave() { s.saveThen(s.app.ShowHome) }

// onEnrolled takes the ward and its area from the enrollment package just installed.
func (s *settingsScreen) onEnrolled(m store.Meta) {
	s.read()
	s.draft.Ward, s.draft.Area = m.Ward, m.Area
	s.fill()
	if s.score != nil {
		s.score.refresh() // the package brought the office's score table
	}
}

// saveThen writes the settings, then runs then; unanswered questions are shown instead.
func (s *settingsScreen) saveThen(then func()) {
	s.read()
	if s.app.meta.Role == store.RoleOffice || s.draft.Role == store.RoleOffice {
		// the office's settings are changed by an office user; setting up an office makes
		// its first user (login.go)
		if s.app.officeUser() == "" && s.app.access() != nil && len(s.problems()) == 0 {
			s.app.asOffice(func() { s.saveThen(then) })
			return
		}
	}
	ps := s.problems()
	for k, q := range s.qs {
		q.setProblem(ps[k])
	}
	if len(ps) > 0 {
		return
	}
	d := s.draft
	db := s.app.db
	s.save.Disable()
	s.app.background(func() func() {
		err := db.UpdateMeta(func(m *store.Meta) {
			m.Role, m.Ward, m.Area, m.Surveyor, m.DeviceName = d.Role, d.Ward, d.Area, d.Surveyor, d.DeviceName
		})
		var m store.Meta
		if err == nil {
			m, err = db.Meta()
		}
		return func() {
			s.save.Enable()
			if err != nil {
				s.app.showError(err)
				return
			}
			s.app.meta = m
			then()
		}
	})
}
