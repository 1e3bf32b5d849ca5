package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// homeView is what the home screen shows, loaded off the UI goroutine.
type homeView struct {
	Groups     []groupRow
	NoAssign   bool   // field laptop without an assignment: every group is shown
	Selected   string // the group whose households are listed
	Households []householdRow
	mine       *work     // the assignment the lists are filtered by; nil: everything
	Sync       *syncView // what waits to go to the office; nil without sync
	SyncErr    error
}

// groupRow is one residential group with the surveyor's progress in it in this round: Done
// counts the households complete or approved in this round (household.DoneFor), Again those
// complete or approved in an earlier round, to review again.
type groupRow struct {
	Group                                   string
	Assigned, Done, Drafts, Returned, Again int
}

// householdRow is one household in a list.
type householdRow struct {
	ID, Head, Detail, Status, Comment string
	Conflict                          bool
	Again                             bool // complete or approved in an earlier round: to review again
}

// searchLimit is the most households a search lists.
const searchLimit = 50

// homeScreen lists the surveyor's residential groups with progress, the households of the
// chosen group, and finds households by name or address as the surveyor types.
type homeScreen struct {
	app        *App
	title      *widget.Label
	who        *widget.Label
	syncLine   *widget.Label
	syncBtn    *widget.Button
	note       *widget.Label
	search     *entry
	groupList  *widget.List
	listTitle  *widget.Label
	households *widget.List
	empty      *widget.Label

	view      homeView
	rows      []householdRow // the households listed: the group's, or the search results
	query     string
	searchSeq int
}

func newHomeScreen(a *App) *homeScreen { return &homeScreen{app: a} }

func (h *homeScreen) buildUI() fyne.CanvasObject {
	h.title = widget.NewLabel(lang.L("app.title"))
	h.title.TextStyle = fyne.TextStyle{Bold: true}
	h.title.SizeName = theme.SizeNameSubHeadingText
	h.who = widget.NewLabel("")
	h.who.Truncation = fyne.TextTruncateEllipsis
	newBtn := widget.NewButtonWithIcon(lang.L("home.new"), theme.ContentAddIcon(), h.onNew)
	newBtn.Importance = widget.HighImportance
	settings := widget.NewButtonWithIcon(lang.L("home.settings"), theme.SettingsIcon(), h.onSettings)
	h.syncBtn = widget.NewButtonWithIcon(lang.L("sync.home_button"), theme.ViewRefreshIcon(), h.onSync)
	h.syncBtn.Hidden = h.app.newSync == nil
	top := container.NewBorder(nil, nil, h.title, container.NewHBox(newBtn, h.syncBtn, settings), h.who)
	h.syncLine = widget.NewLabel("")
	h.syncLine.Truncation = fyne.TextTruncateEllipsis
	h.syncLine.Hide()

	h.search = newEntry(lang.L("home.search"))
	h.search.OnChanged = h.onSearch
	h.search.OnSubmitted = func(string) { h.onOpenFirst() }
	h.search.onDown = h.onFocusList
	h.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	h.note = widget.NewLabel("")
	h.note.Importance = widget.WarningImportance
	h.note.Wrapping = fyne.TextWrapWord
	h.note.Hide()

	split := container.NewHSplit(h.buildGroups(), h.buildHouseholds())
	split.Offset = 0.34
	return container.NewBorder(container.NewVBox(top, h.syncLine, h.search, h.note), nil, nil, nil, split)
}

func (h *homeScreen) buildGroups() fyne.CanvasObject {
	h.groupList = widget.NewList(
		func() int { return len(h.view.Groups) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("Tổ 00")
			name.TextStyle = fyne.TextStyle{Bold: true}
			bar := widget.NewProgressBar()
			counts := widget.NewLabel("")
			counts.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(name, bar, counts)
		},
		h.updateGroup)
	h.groupList.OnSelected = h.onGroupSelected
	head := widget.NewLabel(lang.L("home.groups"))
	head.TextStyle = fyne.TextStyle{Bold: true}
	return container.NewBorder(head, nil, nil, nil, h.groupList)
}

func (h *homeScreen) updateGroup(i widget.ListItemID, o fyne.CanvasObject) {
	g := h.view.Groups[i]
	box := o.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(g.Group)
	bar := box.Objects[1].(*widget.ProgressBar)
	bar.Max = float64(max(g.Assigned, 1))
	bar.TextFormatter = func() string {
		return lang.N("home.progress", g.Assigned, map[string]any{"Done": g.Done, "Count": g.Assigned})
	}
	bar.SetValue(float64(g.Done))
	counts := lang.N("home.drafts", g.Drafts, map[string]any{"Count": g.Drafts}) +
		" · " + lang.L("home.returned", map[string]any{"Count": g.Returned})
	if g.Again > 0 {
		counts += " · " + lang.L("home.again_count", map[string]any{"Count": g.Again})
	}
	box.Objects[2].(*widget.Label).SetText(counts)
}

func (h *homeScreen) buildHouseholds() fyne.CanvasObject {
	h.listTitle = widget.NewLabel("")
	h.listTitle.TextStyle = fyne.TextStyle{Bold: true}
	h.empty = widget.NewLabel("")
	h.empty.Hide()
	h.households = widget.NewList(
		func() int { return len(h.rows) },
		func() fyne.CanvasObject {
			head := widget.NewLabel("")
			head.TextStyle = fyne.TextStyle{Bold: true}
			head.Truncation = fyne.TextTruncateEllipsis
			status := widget.NewLabel("")
			detail := widget.NewLabel("")
			detail.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(container.NewBorder(nil, nil, nil, status, head), detail)
		},
		h.updateHousehold)
	h.households.OnSelected = h.onHouseholdSelected
	return container.NewBorder(container.NewVBox(h.listTitle, h.empty), nil, nil, nil, h.households)
}

func (h *homeScreen) updateHousehold(i widget.ListItemID, o fyne.CanvasObject) {
	r := h.rows[i]
	box := o.(*fyne.Container)
	line := box.Objects[0].(*fyne.Container)
	line.Objects[0].(*widget.Label).SetText(r.Head)
	status := line.Objects[1].(*widget.Label)
	status.Importance = statusImportance(r.Status, r.Conflict)
	status.SetText(statusText(r.Status, r.Conflict))
	if r.Again && !r.Conflict {
		status.Importance = widget.WarningImportance
		status.SetText(lang.L("home.again"))
	}
	detail := box.Objects[1].(*widget.Label)
	detail.Importance = widget.MediumImportance
	if r.Comment != "" && r.Status == store.StatusReturned {
		detail.Importance = widget.DangerImportance
		detail.SetText(lang.L("home.returned_comment", map[string]any{"Comment": r.Comment}))
		return
	}
	detail.SetText(r.Detail)
}

func groupTitle(group string, n int) string {
	return lang.N("home.group_title", n, map[string]any{"Group": group, "Count": n})
}

func statusText(status string, conflict bool) string {
	if conflict {
		return lang.L("home.conflict")
	}
	return choiceLabel("record_status", status)
}

func statusImportance(status string, conflict bool) widget.Importance {
	switch {
	case conflict || status == store.StatusReturned:
		return widget.DangerImportance
	case status == store.StatusDraft:
		return widget.WarningImportance
	case status == store.StatusComplete || status == store.StatusApproved:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}

func (h *homeScreen) shortcuts() map[fyne.Shortcut]func() {
	return map[fyne.Shortcut]func(){key(fyne.KeyN): h.onNew, key(fyne.KeyF): h.onFocusSearch,
		key(fyne.KeyComma): h.onSettings, key(fyne.KeyD): h.onSync}
}

// refresh reloads the groups and the households of the selected group.
func (h *homeScreen) refresh() {
	db, meta, selected, today := h.app.db, h.app.meta, h.view.Selected, h.app.today()
	sy, syErr := h.app.syncer()
	h.app.background(func() func() {
		v, err := loadHome(db, meta, selected, today)
		if sy != nil || syErr != nil {
			v.Sync, v.SyncErr = loadHomeSync(sy, syErr)
		}
		return func() { h.apply(v, err) }
	})
}

func (h *homeScreen) apply(v homeView, err error) {
	if err != nil {
		h.app.showError(err)
		return
	}
	m := h.app.meta
	h.title.SetText(lang.L("home.title", map[string]any{"Ward": m.Ward}))
	h.who.SetText(lang.L("home.who", map[string]any{"Name": m.Surveyor, "Role": choiceLabel("role", string(m.Role))}))
	h.view = v
	h.showSync(v.Sync, v.SyncErr)
	h.note.Hidden = !v.NoAssign
	h.note.SetText(lang.L("home.no_assignment"))
	h.groupList.Refresh()
	for i, g := range v.Groups {
		if g.Group == v.Selected {
			h.groupList.Select(i)
		}
	}
	if h.query == "" {
		h.showRows(v.Households, groupTitle(v.Selected, len(v.Households)))
	}
}

// showRows lists households under a title.
func (h *homeScreen) showRows(rows []householdRow, title string) {
	h.rows = rows
	h.listTitle.SetText(title)
	h.households.UnselectAll()
	h.households.Refresh()
	h.households.ScrollToTop()
	if len(rows) == 0 {
		h.empty.SetText(lang.L("home.empty"))
		h.empty.Show()
	} else {
		h.empty.Hide()
	}
}

func (h *homeScreen) onGroupSelected(i widget.ListItemID) {
	if i >= len(h.view.Groups) || h.view.Groups[i].Group == h.view.Selected && h.query == "" {
		return
	}
	group := h.view.Groups[i].Group
	h.view.Selected = group
	if h.query != "" {
		h.search.SetText("")
	}
	db, mine, today := h.app.db, h.view.mine, h.app.today()
	h.app.background(func() func() {
		rows, err := loadGroup(db, group, mine, today)
		return func() {
			if err != nil {
				h.app.showError(err)
				return
			}
			h.view.Households = rows
			h.showRows(rows, groupTitle(group, len(rows)))
		}
	})
}

func (h *homeScreen) onHouseholdSelected(i widget.ListItemID) {
	if i < len(h.rows) {
		h.app.ShowHousehold(h.rows[i].ID)
	}
}

// onSearch looks households up as the surveyor types; a late answer to an older query is
// dropped.
func (h *homeScreen) onSearch(q string) {
	h.app.touch() // typing a search is use (the idle lock, unlock.go)
	h.query = strings.TrimSpace(q)
	h.searchSeq++
	seq := h.searchSeq
	if h.query == "" {
		h.showRows(h.view.Households, groupTitle(h.view.Selected, len(h.view.Households)))
		return
	}
	db, query, today := h.app.db, h.query, h.app.today()
	h.app.background(func() func() {
		rows, err := loadSearch(db, query, today)
		return func() {
			if seq != h.searchSeq {
				return
			}
			if err != nil {
				h.app.showError(err)
				return
			}
			h.showRows(rows, lang.N("home.search_title", len(rows), map[string]any{"Query": query, "Count": len(rows)}))
		}
	})
}

func (h *homeScreen) onFocusSearch() { h.app.win.Canvas().Focus(h.search) }

// onOpenFirst opens the first household listed (Enter in the search box).
func (h *homeScreen) onOpenFirst() {
	if len(h.rows) > 0 {
		h.app.ShowHousehold(h.rows[0].ID)
	}
}

// onFocusList moves from the search box to the list (the down arrow); the arrows and Space
// then choose a household.
func (h *homeScreen) onFocusList() {
	if len(h.rows) > 0 {
		h.app.win.Canvas().Focus(h.households)
	}
}

func (h *homeScreen) onNew() { h.app.ShowNewHousehold(h.view.Selected) }

func (h *homeScreen) onSettings() { h.app.ShowSettings(false) }

func (h *homeScreen) onSync() {
	if h.app.newSync != nil {
		h.app.ShowSync()
	}
}

// showSync shows the line on what waits to go to the office and when it last answered.
func (h *homeScreen) showSync(v *syncView, err error) {
	switch {
	case err != nil:
		h.syncLine.SetText(lang.L("sync.home_error", map[string]any{"Error": store.Message(err, Lang())}))
		h.syncLine.Importance = widget.DangerImportance
	case v == nil:
		h.syncLine.Hide()
		return
	default:
		h.syncLine.SetText(homeSyncText(*v))
		h.syncLine.Importance = widget.MediumImportance
		if v.Unsent > 0 || !v.Enrolled {
			h.syncLine.Importance = widget.WarningImportance
		}
	}
	h.syncLine.Show()
	h.syncLine.Refresh()
}

// loadHome reads the groups this laptop works on, with progress in the round of today, and
// the households of the selected group (the first one when none is selected yet).
func loadHome(db Households, m store.Meta, selected string, today household.Date) (homeView, error) {
	var v homeView
	counts, err := db.Groups()
	if err != nil {
		return v, err
	}
	mine, err := myWork(db, m)
	if err != nil {
		return v, err
	}
	v.mine = mine
	v.NoAssign = m.Role != store.RoleOffice && mine == nil
	for _, g := range counts {
		row, ok, err := progress(db, g, mine, today)
		if err != nil {
			return v, err
		}
		if ok {
			v.Groups = append(v.Groups, row)
		}
	}
	if len(v.Groups) == 0 {
		return v, nil
	}
	v.Selected = v.Groups[0].Group
	for _, g := range v.Groups {
		if g.Group == selected {
			v.Selected = selected
		}
	}
	v.Households, err = loadGroup(db, v.Selected, mine, today)
	return v, err
}

// work is what this laptop's surveyor is assigned: whole groups, and single households
// (by id) in other groups. nil means everything (office, or no assignment yet).
type work struct {
	groups     map[string]bool
	households map[string]bool
	partGroups map[string]bool // groups holding single assigned households
}

// myWork finds the surveyor's assignment; the ward office sees every group, and so does a
// field laptop that has no assignment yet (it comes with a sync with the office).
func myWork(db Households, m store.Meta) (*work, error) {
	if m.Role == store.RoleOffice {
		return nil, nil
	}
	as, err := db.Assignments()
	if err != nil {
		return nil, err
	}
	var w *work
	for _, a := range as {
		if store.Fold(a.Surveyor) != store.Fold(m.Surveyor) {
			continue
		}
		if w == nil {
			w = &work{groups: map[string]bool{}, households: map[string]bool{}, partGroups: map[string]bool{}}
		}
		for _, g := range a.Groups {
			w.groups[g] = true
		}
		for _, id := range a.Households {
			rec, _, err := db.Get(id)
			if err != nil {
				continue // assigned but not on this laptop yet
			}
			w.households[id] = true
			w.partGroups[rec.Group] = true
		}
	}
	return w, nil
}

// progress counts a group's households: done in the round of today (complete or approved in
// it: household.DoneFor), to review again (complete or approved in an earlier round), drafts
// and returned.
func progress(db Households, g store.GroupCount, mine *work, today household.Date) (groupRow, bool, error) {
	row := groupRow{Group: g.Group}
	switch {
	case mine == nil || mine.groups[g.Group]:
		row.Assigned = g.Total
		row.Done = g.DoneFor(today)
		row.Again = g.ByStatus[store.StatusComplete] + g.ByStatus[store.StatusApproved] - row.Done
		row.Drafts = g.ByStatus[store.StatusDraft]
		row.Returned = g.ByStatus[store.StatusReturned]
		return row, true, nil
	case mine.partGroups[g.Group]:
		list, err := db.ListGroup(g.Group)
		if err != nil {
			return row, false, err
		}
		for _, s := range list {
			if !mine.households[s.ID] || s.Deleted {
				continue
			}
			row.Assigned++
			switch s.Status {
			case store.StatusComplete, store.StatusApproved:
				if s.DoneFor(today) {
					row.Done++
				} else {
					row.Again++
				}
			case store.StatusDraft:
				row.Drafts++
			case store.StatusReturned:
				row.Returned++
			}
		}
		return row, true, nil
	}
	return row, false, nil
}

// loadGroup lists a group's households (only the assigned ones when the surveyor has single
// households there), as of the round of today.
func loadGroup(db Households, group string, mine *work, today household.Date) ([]householdRow, error) {
	list, err := db.ListGroup(group)
	if err != nil {
		return nil, err
	}
	filter := mine != nil && !mine.groups[group] && mine.partGroups[group]
	rows := make([]householdRow, 0, len(list))
	for _, s := range list {
		if s.Deleted || filter && !mine.households[s.ID] {
			continue
		}
		rows = append(rows, homeRowOf(s, today))
	}
	return rows, nil
}

// loadSearch finds households by head's name or address, ignoring diacritics and case.
func loadSearch(db Households, q string, today household.Date) ([]householdRow, error) {
	list, err := db.Search(q, searchLimit)
	if err != nil {
		return nil, err
	}
	rows := make([]householdRow, 0, len(list))
	for _, s := range list {
		if !s.Deleted {
			rows = append(rows, homeRowOf(s, today))
		}
	}
	return rows, nil
}

// homeRowOf is the home screen's row of a household in the round of today: one complete or
// approved in an earlier round is to be reviewed again, not done.
func homeRowOf(s store.Summary, today household.Date) householdRow {
	r := rowOf(s)
	r.Again = (s.Status == store.StatusComplete || s.Status == store.StatusApproved) && !s.DoneFor(today)
	return r
}

func rowOf(s store.Summary) householdRow {
	head := s.HeadName
	if head == "" {
		head = lang.L("home.no_name")
	}
	parts := []string{}
	if s.Address != "" {
		parts = append(parts, s.Address)
	}
	parts = append(parts, s.Group, lang.N("home.members", s.Members, map[string]any{"Count": s.Members}))
	if !s.Updated.IsZero() {
		parts = append(parts, lang.L("home.updated", map[string]any{"Date": household.DateOf(s.Updated.Local()).VN()}))
	}
	return householdRow{ID: s.ID, Head: head, Detail: strings.Join(parts, " · "), Status: s.Status,
		Comment: s.Comment, Conflict: s.Conflict}
}

// today is the date of the app's clock: the round the home screen counts progress in.
func (a *App) today() household.Date { return household.DateOf(a.now()) }
