package ui

import (
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
		return choiceLabel("movement", res.Movement), widget.MediumImportance
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
	note := lang.L("office.lists_note", map[string]any{"Listed": len(s.view.Rows), "NotListed": s.view.NotListed})
	if len(s.view.Refused) > 0 {
		note += " " + lang.L("office.refused", map[string]any{"Count": len(s.view.Refused), "First": s.view.Refused[0]})
	}
	s.note.SetText(note)
	s.table.Refresh()
	s.table.ScrollToTop()
	setEnabled(s.minutesBtn, s.scope != "")
	s.postingBtn.SetText(lang.L("office.export_posting"))
}

// export asks for a folder and writes files to it off the UI goroutine, then says which.
func (s *listsScreen) export(title string, write func(dir string) ([]string, error)) {
	s.app.asOffice(func() {
		s.app.choose.folder(title, lang.L("office.export_confirm"), func(dir string) { s.exportTo(dir, write) })
	})
}

func (s *listsScreen) exportTo(dir string, write func(dir string) ([]string, error)) {
	author := s.app.author()
	s.app.background(func() func() {
		paths, err := write(dir)
		if err == nil {
			// an export of lists is an event of the audit log
			err = s.app.auditEvent(store.AuditEntry{Author: author, Action: store.AuditExport,
				Count: len(paths), Detail: dir})
		}
		return func() {
			if err != nil {
				s.app.showError(err)
				return
			}
			s.app.showWritten(dir, paths)
		}
	})
}

// showWritten says which files were written where.
func (a *App) showWritten(dir string, paths []string) {
	names := ""
	for i, p := range paths {
		if i == 8 {
			names += fmt.Sprintf("\n… (+%d)", len(paths)-i)
			break
		}
		names += "\n• " + filepath.Base(p)
	}
	msg := lang.L("office.written", map[string]any{"Count": len(paths), "Dir": dir}) + names
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
