package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/report"
	"github.com/rasoat/rasoat/store"
)

// The review filters, in the order offered: what needs the office's attention first; last the
// deleted households, which no other filter lets through.
var reviewFilters = []string{"attention", store.StatusComplete, store.StatusReturned, "conflict",
	store.StatusDraft, store.StatusApproved, "all", "deleted"}

// reviewRow is a household in the review list, with its group for the group filter; a deleted
// one with who deleted it, when and on which device.
type reviewRow struct {
	householdRow
	Group   string
	Deleted *store.Deletion
}

// reviewDetail is the household chosen for review, loaded off the UI goroutine.
type reviewDetail struct {
	Row      reviewRow
	Surveyor string
	Preview  previewView
}

// reviewScreen is where the office checks the surveyors' work: the households that need
// attention (complete and waiting for review, or in conflict), filtered by status and group;
// the chosen one with its classification and reasons; approve it, or return it to its
// surveyor with a comment, which reaches the laptop at the next sync.
type reviewScreen struct {
	app        *App
	filter     *widget.Select
	groupPick  *widget.Select
	listTitle  *widget.Label
	list       *widget.List
	head, info *widget.Label
	status     *widget.Label
	comment    *widget.Label
	preview    *previewPanel
	approveBtn *widget.Button
	returnBtn  *widget.Button
	openBtn    *widget.Button
	resolveBtn *widget.Button
	auditBtn   *widget.Button
	deleteBtn  *widget.Button
	undelBtn   *widget.Button
	deleted    *widget.Label // who deleted the household shown, and when
	detailBox  *fyne.Container

	all     []reviewRow // every household, as listed
	groups  []string
	rows    []reviewRow // those the filters let through
	detail  reviewDetail
	chosen  string // the household shown
	initial string // the household to show first
}

func newReviewScreen(a *App, id string) *reviewScreen { return &reviewScreen{app: a, initial: id} }

func (r *reviewScreen) filterLabel(f string) string {
	switch f {
	case "attention":
		return lang.L("office.filter.attention")
	case "conflict":
		return lang.L("office.filter.conflict")
	case "all":
		return lang.L("office.filter.all")
	case "deleted":
		return lang.L("office.filter.deleted")
	}
	return choiceLabel("record_status", f)
}

func (r *reviewScreen) buildUI() fyne.CanvasObject {
	labels := make([]string, len(reviewFilters))
	for i, f := range reviewFilters {
		labels[i] = r.filterLabel(f)
	}
	r.filter = widget.NewSelect(labels, func(string) { r.onFilter() })
	r.filter.SetSelectedIndex(0)
	r.groupPick = widget.NewSelect(nil, func(string) { r.onFilter() })
	r.groupPick.PlaceHolder = lang.L("office.all_groups")
	r.listTitle = boldLabel("")
	r.list = widget.NewList(func() int { return len(r.rows) }, r.newRow, r.updateRow)
	r.list.OnSelected = r.onSelected
	filters := container.NewVBox(r.filter, r.groupPick)
	left := container.NewBorder(container.NewVBox(filters, r.listTitle), nil, nil, nil, r.list)
	split := container.NewHSplit(left, r.buildDetail())
	split.Offset = 0.38
	return split
}

func (r *reviewScreen) newRow() fyne.CanvasObject {
	head := boldLabel("")
	head.Truncation = fyne.TextTruncateEllipsis
	status := widget.NewLabel("")
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(container.NewBorder(nil, nil, nil, status, head), detail)
}

func (r *reviewScreen) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	row := r.rows[i]
	box := o.(*fyne.Container)
	line := box.Objects[0].(*fyne.Container)
	line.Objects[0].(*widget.Label).SetText(row.Head)
	status := line.Objects[1].(*widget.Label)
	status.Importance = statusImportance(row.Status, row.Conflict)
	text := statusText(row.Status, row.Conflict)
	if row.Deleted != nil {
		status.Importance, text = widget.LowImportance, lang.L("office.filter.deleted")
	}
	status.SetText(text)
	box.Objects[1].(*widget.Label).SetText(row.Detail)
}

func (r *reviewScreen) buildDetail() fyne.CanvasObject {
	r.head = boldLabel("")
	r.head.SizeName = theme.SizeNameSubHeadingText
	r.head.Truncation = fyne.TextTruncateEllipsis
	r.info = wrapLabel("", widget.MediumImportance)
	r.status = widget.NewLabel("")
	r.comment = wrapLabel("", widget.DangerImportance)
	r.approveBtn = widget.NewButtonWithIcon(lang.L("office.approve"), theme.ConfirmIcon(), r.onApprove)
	r.approveBtn.Importance = widget.HighImportance
	r.returnBtn = widget.NewButtonWithIcon(lang.L("office.return"), theme.MailReplyIcon(), r.onReturn)
	r.returnBtn.Importance = widget.DangerImportance
	r.openBtn = widget.NewButtonWithIcon(lang.L("office.open"), theme.DocumentIcon(), r.onOpen)
	r.resolveBtn = widget.NewButtonWithIcon(lang.L("office.resolve"), theme.WarningIcon(), r.onResolve)
	r.resolveBtn.Importance = widget.WarningImportance
	r.auditBtn = widget.NewButtonWithIcon(lang.L("audit.button"), theme.HistoryIcon(), r.onAudit)
	r.buildDelete()
	buttons := container.NewHBox(r.approveBtn, r.returnBtn, r.resolveBtn, r.undelBtn, layoutSpacer(),
		r.deleteBtn, r.auditBtn, r.openBtn)
	r.preview = newPreviewPanel()
	top := container.NewVBox(r.head, r.info, r.status, r.comment, r.deleted, buttons, widget.NewSeparator())
	r.detailBox = container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewPadded(r.preview.buildUI())))
	r.detailBox.Hide()
	// The split's side stays visible (a hidden side gets no room, and keeps none when shown).
	return container.NewStack(r.detailBox)
}

func (r *reviewScreen) refresh() {
	db, err := r.app.officeDB()
	if err != nil {
		r.app.showError(err)
		return
	}
	r.app.background(func() func() {
		all, groups, err := loadReviewRows(db)
		return func() {
			if err != nil {
				r.app.showError(err)
				return
			}
			r.all, r.groups = all, groups
			r.groupPick.SetOptions(append([]string{lang.L("office.all_groups")}, groups...))
			r.onFilter()
		}
	})
}

// loadReviewRows lists every household with its status, then the deleted ones, and the groups.
func loadReviewRows(db OfficeStore) ([]reviewRow, []string, error) {
	sums, err := db.List()
	if err != nil {
		return nil, nil, err
	}
	dels, err := db.Deletions()
	if err != nil {
		return nil, nil, err
	}
	rows := make([]reviewRow, 0, len(sums)+len(dels))
	seen := map[string]bool{}
	var groups []string
	add := func(row reviewRow) {
		rows = append(rows, row)
		if !seen[row.Group] {
			seen[row.Group] = true
			groups = append(groups, row.Group)
		}
	}
	for _, s := range sums {
		add(reviewRow{householdRow: rowOf(s), Group: s.Group})
	}
	for i := range dels {
		add(reviewRow{householdRow: rowOf(dels[i].Summary), Group: dels[i].Group, Deleted: &dels[i]})
	}
	report.SortNames(groups)
	return rows, groups, nil
}

// reviewMatches tells whether a household passes a filter: a deleted one only "deleted".
func reviewMatches(filter string, row reviewRow) bool {
	if (row.Deleted != nil) != (filter == "deleted") {
		return false
	}
	switch filter {
	case "deleted":
		return true
	case "attention":
		return row.Conflict || row.Status == store.StatusComplete
	case "conflict":
		return row.Conflict
	case "all":
		return true
	}
	return !row.Conflict && row.Status == filter
}

// onFilter lists the households the filters let through, keeping the one shown if it passes.
func (r *reviewScreen) onFilter() {
	if r.list == nil || r.filter.SelectedIndex() < 0 {
		return
	}
	f := reviewFilters[r.filter.SelectedIndex()]
	group := ""
	if r.groupPick.SelectedIndex() > 0 {
		group = r.groupPick.Selected
	}
	r.rows = r.rows[:0]
	for _, row := range r.all {
		if reviewMatches(f, row) && (group == "" || row.Group == group) {
			r.rows = append(r.rows, row)
		}
	}
	r.listTitle.SetText(lang.L("office.review_count", map[string]any{"Count": len(r.rows)}))
	r.list.UnselectAll()
	r.list.Refresh()
	want := r.chosen
	if r.initial != "" {
		want, r.initial = r.initial, ""
	}
	for i, row := range r.rows {
		if row.ID == want {
			r.list.Select(i)
			return
		}
	}
	if len(r.rows) > 0 {
		r.list.Select(0)
		return
	}
	r.chosen = ""
	r.detailBox.Hide()
}

func (r *reviewScreen) onSelected(i widget.ListItemID) {
	if i >= len(r.rows) {
		return
	}
	r.chosen = r.rows[i].ID
	db, _ := r.app.officeDB()
	reg, row := r.app.reg, r.rows[i]
	r.app.background(func() func() {
		d, err := loadReviewDetail(db, reg, row)
		return func() {
			if err != nil {
				r.app.showError(err)
				return
			}
			if row.ID == r.chosen {
				r.showDetail(d)
			}
		}
	})
}

// loadReviewDetail reads a household and classifies it as the form's preview does; a deleted
// one as it was when deleted.
func loadReviewDetail(db OfficeStore, reg *poverty.Registry, row reviewRow) (reviewDetail, error) {
	rec, _, err := db.Get(row.ID)
	if errors.Is(err, store.ErrDeleted) && row.Deleted != nil && rec != nil {
		err = nil
	}
	if err != nil {
		return reviewDetail{}, err
	}
	std, p := reg.Choose(rec, "")
	ps := household.Validate(rec)
	if p != nil {
		ps = append(ps, *p)
	}
	return reviewDetail{Row: row, Surveyor: rec.Survey.Surveyor, Preview: previewOf(rec, std, ps, reg)}, nil
}

func (r *reviewScreen) showDetail(d reviewDetail) {
	r.detail = d
	r.head.SetText(d.Row.Head)
	info := d.Row.Detail
	if d.Surveyor != "" {
		info += " · " + lang.L("office.by", map[string]any{"Name": d.Surveyor})
	}
	r.info.SetText(info)
	r.status.Importance = statusImportance(d.Row.Status, d.Row.Conflict)
	r.status.SetText(statusText(d.Row.Status, d.Row.Conflict))
	r.comment.Hidden = d.Row.Comment == "" || d.Row.Status != store.StatusReturned
	r.comment.SetText(lang.L("office.returned_comment", map[string]any{"Comment": d.Row.Comment}))
	canReview := !d.Row.Conflict && d.Row.Status != store.StatusDraft
	setEnabled(r.approveBtn, canReview && d.Row.Status != store.StatusApproved)
	setEnabled(r.returnBtn, canReview)
	r.resolveBtn.Hidden = !d.Row.Conflict
	r.resolveBtn.Refresh()
	r.showDeleted(d.Row)
	r.preview.apply(d.Preview)
	r.app.reveal(r.detailBox)
}

func (r *reviewScreen) onApprove() {
	r.app.asOffice(func() { r.review(store.StatusApproved, "") })
}

// onAudit shows the household's audit log.
func (r *reviewScreen) onAudit() {
	if r.chosen != "" {
		r.app.showAudit(r.chosen, r.detail.Row.Head)
	}
}

// onReturn asks what the surveyor must fix, then returns the household (an office user must
// be logged in).
func (r *reviewScreen) onReturn() { r.app.asOffice(r.askReturn) }

func (r *reviewScreen) askReturn() {
	comment := widget.NewMultiLineEntry()
	comment.Wrapping = fyne.TextWrapWord
	comment.SetPlaceHolder(lang.L("office.return_hint"))
	comment.SetMinRowsVisible(4)
	items := []*widget.FormItem{widget.NewFormItem(lang.L("office.return_reason"), comment)}
	dlg := dialog.NewForm(lang.L("office.return_title", map[string]any{"Head": r.detail.Row.Head}),
		lang.L("office.return_confirm"), lang.L("Cancel"), items, func(ok bool) {
			if ok {
				r.review(store.StatusReturned, comment.Text)
			}
		}, r.app.win)
	comment.Validator = func(s string) error {
		if strings.TrimSpace(s) == "" {
			return errors.New(lang.L("office.return_needs_reason"))
		}
		return nil
	}
	dlg.Resize(fyne.NewSize(600, 300))
	dlg.Show()
	r.app.win.Canvas().Focus(comment)
}

// review records the office's decision on the household shown, then shows the next one.
func (r *reviewScreen) review(status, comment string) {
	id := r.chosen
	if id == "" {
		return
	}
	db, _ := r.app.officeDB()
	author := r.app.author()
	next := r.nextAfter(id)
	r.app.background(func() func() {
		_, err := db.SetReview(id, status, strings.TrimSpace(comment), author)
		return func() {
			if err != nil {
				r.app.showError(err)
				return
			}
			r.chosen = next
			r.refresh()
		}
	})
}

// nextAfter is the household listed after id (or before it, at the end).
func (r *reviewScreen) nextAfter(id string) string {
	for i, row := range r.rows {
		if row.ID != id {
			continue
		}
		if i+1 < len(r.rows) {
			return r.rows[i+1].ID
		}
		if i > 0 {
			return r.rows[i-1].ID
		}
	}
	return ""
}

func (r *reviewScreen) onOpen() {
	if r.chosen != "" {
		r.app.ShowHousehold(r.chosen)
	}
}

func (r *reviewScreen) onResolve() {
	if r.chosen != "" {
		r.app.showConflict(r.chosen)
	}
}
