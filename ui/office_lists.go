package ui

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/report"
	"github.com/rasoat/rasoat/store"
)

// listsScreen shows the ward's lists, for each group and the whole ward: poor, near-poor,
// medium living standard and the movements against last year, each household with its
// deprivations; and writes them for people: the lists and the official summary reports as
// XLSX, the public-posting PDF of a group, the community meeting's minutes.
type listsScreen struct {
	app        *App
	scopes     *widget.List
	kind       *widget.RadioGroup
	title      *widget.Label
	note       *widget.Label
	table      *widget.Table
	listsBtn   *widget.Button
	reportsBtn *widget.Button
	postingBtn *widget.Button
	minutesBtn *widget.Button

	view  officeView
	scope string // "" for the ward, else a group
	rows  []report.Row
}

func newListsScreen(a *App) *listsScreen { return &listsScreen{app: a} }

func (s *listsScreen) headers() []string {
	return []string{lang.L("office.col.no"), lang.L("office.col.head"), lang.L("office.col.group"),
		lang.L("office.col.class"), lang.L("office.col.deprivations"), lang.L("office.col.movement"),
		lang.L("office.col.members"), lang.L("office.col.minority"), lang.L("office.col.income"),
		lang.L("office.col.address")}
}

func (s *listsScreen) buildUI() fyne.CanvasObject {
	s.scopes = widget.NewList(func() int { return 1 + len(s.view.Groups) },
		func() fyne.CanvasObject { return widget.NewLabel("Tổ 00") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(s.scopeLabel(i)) })
	s.scopes.OnSelected = s.onScope
	s.kind = widget.NewRadioGroup([]string{choiceLabel("class", report.ListPoor), choiceLabel("class", report.ListNearPoor),
		choiceLabel("class", report.ListMedium), lang.L("office.movements")}, func(string) { s.show() })
	s.kind.Horizontal = true
	s.kind.Required = true
	s.title = boldLabel("")
	s.title.Truncation = fyne.TextTruncateEllipsis
	s.note = wrapLabel("", widget.LowImportance)
	s.table = newTextTable(s.headers(), []float32{44, 170, 64, 120, 430, 170, 80, 64, 130, 220},
		func() int { return len(s.rows) }, s.cell)
	s.listsBtn = widget.NewButtonWithIcon(lang.L("office.export_lists"), theme.DocumentSaveIcon(), s.onExportLists)
	s.reportsBtn = widget.NewButtonWithIcon(lang.L("office.export_reports"), theme.DocumentSaveIcon(), s.onExportReports)
	s.postingBtn = widget.NewButtonWithIcon(lang.L("office.export_posting"), theme.DocumentPrintIcon(), s.onExportPosting)
	s.minutesBtn = widget.NewButtonWithIcon(lang.L("office.minutes"), theme.DocumentCreateIcon(), s.onMinutes)
	s.listsBtn.Importance = widget.HighImportance
	buttons := container.NewHBox(s.listsBtn, s.reportsBtn, s.postingBtn, s.minutesBtn)
	top := container.NewVBox(buttons, s.kind, s.title, s.note)
	right := container.NewBorder(top, nil, nil, nil, s.table)
	left := container.NewBorder(boldLabel(lang.L("office.scope")), nil, nil, nil, s.scopes)
	split := container.NewHSplit(left, right)
	split.Offset = 0.14
	return split
}

func (s *listsScreen) scopeLabel(i int) string {
	if i == 0 {
		return lang.L("office.ward_scope")
	}
	return s.view.Groups[i-1].Group
}

func (s *listsScreen) cell(r, c int) (string, widget.Importance) {
	row := &s.rows[r]
	rec, res := row.Record, &row.Result
	switch c {
	case 0:
		return fmt.Sprint(r + 1), widget.MediumImportance
	case 1:
		return rec.HeadName(), widget.MediumImportance
	case 2:
		return rec.Group, widget.MediumImportance
	case 3:
		return choiceLabel("class", res.Class), classImportance(res.Class)
	case 4:
		return indicatorNames(row), widget.MediumImportance
	case 5:
		return report.MovementWord(res.Movement, Lang()), widget.MediumImportance
	case 6:
		return fmt.Sprint(len(rec.Members)), widget.MediumImportance
	case 7:
		if h := rec.Head(); h >= 0 && rec.Members[h].IsEthnicMinority() {
			return lang.L("form.yes"), widget.MediumImportance
		}
		return lang.L("form.no"), widget.MediumImportance
	case 8:
		if res.Basis == poverty.BasisScore {
			return lang.L("preview.score", map[string]any{"Score": res.Score}), widget.MediumImportance
		}
		return Money(res.IncomePerCapita), widget.MediumImportance
	}
	return rec.Address, widget.MediumImportance
}

func (s *listsScreen) refresh() { s.app.officeLoad(s.apply) }

func (s *listsScreen) apply(v officeView) {
	s.view = v
	s.scopes.Refresh()
	if s.kindIndex() < 0 {
		s.kind.SetSelected(s.kind.Options[0])
	}
	s.scopes.Select(0)
	s.show()
}

func (s *listsScreen) onScope(i widget.ListItemID) {
	s.scope = ""
	if i > 0 && i <= len(s.view.Groups) {
		s.scope = s.view.Groups[i-1].Group
	}
	s.show()
}

// kindIndex is the list kind chosen, as an index of report.ListKinds (-1: none yet).
func (s *listsScreen) kindIndex() int {
	for i, o := range s.kind.Options {
		if o == s.kind.Selected {
			return i
		}
	}
	return -1
}

// show lists the chosen list of the chosen scope.
func (s *listsScreen) show() {
	if s.view.Lists == nil || s.kindIndex() < 0 {
		return
	}
	kind := report.ListKinds[s.kindIndex()]
	s.rows = nil
	for _, l := range s.view.Lists.All {
		if l.Group == s.scope && l.Kind == kind {
			s.rows = l.Rows
		}
	}
	scope := s.scope
	if scope == "" {
		scope = s.view.Ward
	}
	s.title.SetText(lang.L("office.list_title", map[string]any{"List": report.Title(kind, Lang()), "Scope": scope, "Count": len(s.rows)}))
	s.note.SetText(s.scopeNote())
	s.table.Refresh()
	s.table.ScrollToTop()
	setEnabled(s.minutesBtn, s.scope != "")
	s.postingBtn.SetText(lang.L("office.export_posting"))
}

// scopeNote says how many households of the chosen scope are on the lists and how many are
// not yet: the ward's, or the chosen group's.
func (s *listsScreen) scopeNote() string {
	if s.scope == "" {
		note := lang.L("office.lists_note", map[string]any{"Listed": len(s.view.Rows), "NotListed": s.view.NotListed})
		if len(s.view.Refused) > 0 {
			note += " " + lang.L("office.refused", map[string]any{"Count": len(s.view.Refused), "First": s.view.Refused[0]})
		}
		return note
	}
	listed, all := len(s.groupRows(s.scope)), 0
	for _, g := range s.view.Groups {
		if g.Group == s.scope {
			all = g.Surveyed
		}
	}
	return lang.L("office.lists_note_group", map[string]any{"Group": s.scope, "Listed": listed, "NotListed": max(all-listed, 0)})
}

// export asks for a folder and writes files to it off the UI goroutine, then says which.
func (s *listsScreen) export(title string, write func(dir string) ([]string, error)) {
	s.app.asOffice(func() {
		s.app.choose.folder(title, lang.L("office.export_confirm"), func(dir string) { s.exportTo(dir, write) })
	})
}

func (s *listsScreen) exportTo(dir string, write func(dir string) ([]string, error)) {
	author := s.app.author()
	s.app.writeFiles(dir, write, func(paths []string) error {
		// an export of lists is an event of the audit log
		return s.app.auditEvent(store.AuditEntry{Author: author, Action: store.AuditExport,
			Count: len(paths), Detail: dir})
	}, func(paths []string) { s.app.showWritten(dir, paths) })
}

// writeFiles writes an export's files into dir without replacing a file there unasked: write
// makes them in a new folder inside dir, off the UI goroutine; when dir holds files of the same
// names already, the officer is asked whether to replace them (Cancel leaves dir as it was).
// Then the files are moved into dir and after runs, off the UI goroutine (after may be nil),
// and done gets their paths.
func (a *App) writeFiles(dir string, write func(dir string) ([]string, error), after func(paths []string) error, done func(paths []string)) {
	a.background(func() func() {
		st, err := stageFiles(dir, write)
		return func() {
			switch {
			case err != nil:
				a.showError(err)
			case len(st.existing) == 0:
				a.placeFiles(st, after, done)
			default:
				a.askReplace(st, func(ok bool) {
					if ok {
						a.placeFiles(st, after, done)
					} else {
						a.background(func() func() { os.RemoveAll(st.tmp); return nil })
					}
				})
			}
		}
	})
}

// staged are an export's files written in a folder of their own inside the chosen one.
type staged struct {
	dir, tmp string
	names    []string // the files' paths inside tmp, as they go into dir
	existing []string // those of names that dir holds already
}

func stageFiles(dir string, write func(dir string) ([]string, error)) (staged, error) {
	st := staged{dir: dir}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return st, err
	}
	tmp, err := os.MkdirTemp(dir, ".rasoat-")
	if err != nil {
		return st, err
	}
	st.tmp = tmp
	paths, err := write(tmp)
	for _, p := range paths {
		rel, rerr := filepath.Rel(tmp, p)
		if rerr != nil || !filepath.IsLocal(rel) {
			err = errors.Join(err, fmt.Errorf("%s: not in %s", p, tmp))
			continue
		}
		st.names = append(st.names, rel)
		if _, serr := os.Lstat(filepath.Join(dir, rel)); serr == nil {
			st.existing = append(st.existing, rel)
		}
	}
	if err != nil {
		os.RemoveAll(tmp)
	}
	return st, err
}

// place moves the staged files into the chosen folder and returns their paths there.
func (st staged) place() ([]string, error) {
	defer os.RemoveAll(st.tmp)
	var paths []string
	for _, n := range st.names {
		to := filepath.Join(st.dir, n)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return paths, err
		}
		if err := os.Rename(filepath.Join(st.tmp, n), to); err != nil {
			return paths, err
		}
		paths = append(paths, to)
	}
	return paths, nil
}

// placeFiles moves the staged files into place and runs after off the UI goroutine, then done.
func (a *App) placeFiles(st staged, after func([]string) error, done func([]string)) {
	a.background(func() func() {
		paths, err := st.place()
		if err == nil && after != nil {
			err = after(paths)
		}
		return func() {
			if err != nil {
				a.showError(err)
				return
			}
			done(paths)
		}
	})
}

// askReplace asks whether files already in the folder may be replaced, naming them.
func (a *App) askReplace(st staged, answer func(bool)) {
	msg := lang.L("office.replace_note", map[string]any{"Count": len(st.existing), "Dir": st.dir}) + fileNames(st.existing)
	l := wrapLabel(msg, widget.MediumImportance)
	d := dialog.NewCustomConfirm(lang.L("office.replace_title"), lang.L("office.replace"), lang.L("Cancel"),
		container.NewVScroll(l), answer, a.win)
	d.Resize(fyne.NewSize(640, 360))
	d.Show()
}

// fileNames lists files by name, one a line, the first eight of them.
func fileNames(paths []string) string {
	names := ""
	for i, p := range paths {
		if i == 8 {
			names += fmt.Sprintf("\n… (+%d)", len(paths)-i)
			break
		}
		names += "\n• " + filepath.Base(p)
	}
	return names
}

// showWritten says which files were written where.
func (a *App) showWritten(dir string, paths []string) {
	msg := lang.L("office.written", map[string]any{"Count": len(paths), "Dir": dir}) + fileNames(paths)
	l := wrapLabel(msg, widget.MediumImportance)
	d := dialog.NewCustom(lang.L("office.export_done"), lang.L("OK"), container.NewVScroll(l), a.win)
	d.Resize(fyne.NewSize(640, 360))
	d.Show()
}

func (s *listsScreen) onExportLists() { s.export(lang.L("office.export_lists"), s.writeLists) }

// writeLists writes the lists workbooks: the ward's and each group's, a sheet per list.
func (s *listsScreen) writeLists(dir string) ([]string, error) {
	return report.WriteDirParallel(dir, s.view.Lists, report.Formats{XLSX: true}, Lang(), 0)
}

func (s *listsScreen) onExportReports() { s.export(lang.L("office.export_reports"), s.writeReports) }

// writeReports writes the official summary reports of the ward to one workbook.
func (s *listsScreen) writeReports(dir string) ([]string, error) {
	p := filepath.Join(dir, "toan-phuong_bao-cao-tong-hop.xlsx")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return []string{p}, report.WriteReportsFile(p, s.view.Ward, s.view.Rows, Lang())
}

func (s *listsScreen) onExportPosting() { s.export(lang.L("office.export_posting"), s.writePosting) }

// writePosting writes the public-posting PDF of the chosen group, or of every group when the
// ward is chosen.
func (s *listsScreen) writePosting(dir string) ([]string, error) {
	if s.scope == "" {
		return report.WriteDirParallel(dir, s.view.Lists, report.Formats{PDF: true}, Lang(), 0)
	}
	rows := s.groupRows(s.scope)
	p := filepath.Join(dir, report.FileName(report.List{Group: s.scope, Kind: "posting"}, ".pdf"))
	o := report.PostingOptions{Ward: s.view.Ward, Group: s.scope, Year: s.app.now().Year(), Lang: Lang()}
	return []string{p}, writeAtomic(p, func(w io.Writer) error { return report.WritePostingPDF(w, rows, o) })
}

// groupRows are the classified households of a group.
func (s *listsScreen) groupRows(group string) []report.Row {
	var out []report.Row
	for _, r := range s.view.Rows {
		if r.Record.Group == group {
			out = append(out, r)
		}
	}
	return out
}

// writeAtomic writes a file whole or not at all: to a temporary name beside it, then renamed.
func writeAtomic(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".rasoat-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
