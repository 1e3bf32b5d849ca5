package ui

import (
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// auditActionLabel names an action of the audit log in the user's language.
func auditActionLabel(action string) string {
	switch action {
	case store.AuditSave:
		return lang.L("audit.action.save")
	case store.AuditComplete:
		return lang.L("audit.action.complete")
	case store.AuditReview:
		return lang.L("audit.action.review")
	case store.AuditDelete:
		return lang.L("audit.action.delete")
	case store.AuditUndelete:
		return lang.L("audit.action.undelete")
	case store.AuditRestore:
		return lang.L("audit.action.restore")
	case store.AuditMerge:
		return lang.L("audit.action.merge")
	case store.AuditStage:
		return lang.L("audit.action.stage")
	case store.AuditPrevious:
		return lang.L("audit.action.previous")
	case store.AuditAssignment:
		return lang.L("audit.action.assignment")
	case store.AuditMeta:
		return lang.L("audit.action.meta")
	case store.AuditDevice:
		return lang.L("audit.action.device")
	case store.AuditSync:
		return lang.L("audit.action.sync")
	case store.AuditImport:
		return lang.L("audit.action.import")
	case store.AuditExport:
		return lang.L("audit.action.export")
	case store.AuditBackup, store.AuditAutoBackup:
		return lang.L("audit.action.backup")
	case store.AuditUser:
		return lang.L("audit.action.user")
	case store.AuditLogin:
		return lang.L("audit.action.login")
	case store.AuditRestoreDB:
		return lang.L("audit.action.restore_db")
	case store.AuditSettings:
		return lang.L("audit.action.settings")
	}
	return action
}

// auditLine is one entry as the log shows it: when, who, on which device (head); what, with
// the household named when full (the whole log), and each changed field by its question, with
// the answers before and after when the entry's revision and its parent can be read (what).
func auditLine(e store.AuditEntry, full bool, hh *auditHouseholds) (head, what string) {
	who := e.Author
	if who == "" {
		who = lang.L("audit.nobody")
	}
	head = e.Time.Local().Format("02/01/2006 15:04:05") + " · " + auditActionLabel(e.Action) + " · " + who +
		" · " + lang.L("audit.device", map[string]any{"Device": shortID(e.Device)})
	var parts []string
	rec, old := hh.records(e)
	if e.Household != "" && full {
		if rec != nil {
			parts = append(parts, lang.L("audit.household_named", map[string]any{"Head": rec.HeadName(), "Group": rec.Group}))
		} else {
			parts = append(parts, lang.L("audit.household", map[string]any{"ID": shortID(e.Household)}))
		}
	}
	if len(e.Fields) == 1 && e.Fields[0] == "*" {
		parts = append(parts, lang.L("audit.new"))
	} else if len(e.Fields) > 0 && e.Household != "" {
		parts = append(parts, lang.L("audit.fields", map[string]any{"Fields": changedFields(e.Fields, old, rec)}))
	} else if len(e.Fields) > 0 {
		parts = append(parts, lang.L("audit.fields", map[string]any{"Fields": strings.Join(e.Fields, ", ")}))
	}
	if e.Count > 0 {
		parts = append(parts, lang.L("audit.count", map[string]any{"Count": e.Count}))
	}
	if r, ok := hh.revision(e.Household, e.Detail); ok && e.Action == store.AuditRestore {
		parts = append(parts, lang.L("audit.restored_from", map[string]any{"Author": r.Author, "Time": officeClock(r.Time)}))
	} else if d := auditDetail(e); d != "" {
		parts = append(parts, d)
	}
	return head, strings.Join(parts, " — ")
}

// changedFields names the fields by their questions, each with its answer before → after when
// both versions are known.
func changedFields(fields []string, old, rec *household.Record) string {
	diffs := map[string]household.Difference{}
	if old != nil && rec != nil {
		for _, d := range household.Differences(old, rec) {
			diffs[d.Field] = d
		}
	}
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = fieldLabel(f)
		if d, ok := diffs[f]; ok {
			out[i] += ": " + clip(valueText(d, d.A, old)) + " → " + clip(valueText(d, d.B, rec))
		}
	}
	return strings.Join(out, "; ")
}

// clip shortens a long answer (a member's line) for the log.
func clip(s string) string {
	if r := []rune(s); len(r) > 70 {
		return string(r[:69]) + "…"
	}
	return s
}

// auditDetail writes an entry's detail in the user's words where the store writes ids: the
// review's status, a group's stage and its date.
func auditDetail(e store.AuditEntry) string {
	switch e.Action {
	case store.AuditReview:
		status, comment, _ := strings.Cut(e.Detail, " ")
		if slices.Contains(choiceFields["record_status"], status) {
			return strings.TrimSpace(choiceLabel("record_status", status) + " " + comment)
		}
	case store.AuditStage:
		// "group: stage date note", or "group: stage -" when cleared
		group, rest, ok := strings.Cut(e.Detail, ": ")
		f := strings.SplitN(rest, " ", 3)
		if !ok || len(f) < 2 || !slices.Contains(store.Stages, f[0]) {
			break
		}
		if f[1] == "-" {
			return group + ": " + lang.L("audit.stage_cleared", map[string]any{"Stage": stageLabel(f[0])})
		}
		s := group + ": " + stageLabel(f[0])
		if d, err := household.ParseDate(f[1]); err == nil {
			s += " (" + d.VN() + ")"
		}
		if len(f) == 3 && strings.TrimSpace(f[2]) != "" {
			s += " " + strings.TrimSpace(f[2])
		}
		return s
	}
	return e.Detail
}

// auditHouseholds reads the households the log's entries are about, once each, off the UI
// goroutine: every revision of each, their records decoded when asked for.
type auditHouseholds struct {
	history func(id string) ([]store.Revision, error)
	revs    map[string]map[string]store.Revision // household → revision id → revision
	recs    map[string]*household.Record         // revision id → record
}

func newAuditHouseholds(db any) *auditHouseholds {
	h := &auditHouseholds{revs: map[string]map[string]store.Revision{}, recs: map[string]*household.Record{}}
	if x, ok := db.(interface {
		History(id string) ([]store.Revision, error)
	}); ok {
		h.history = x.History
	}
	return h
}

// records are the household's record at the entry's revision and at its parent (nil when
// unknown).
func (h *auditHouseholds) records(e store.AuditEntry) (rec, parent *household.Record) {
	if h == nil || h.history == nil || e.Household == "" || e.Revision == "" {
		return nil, nil
	}
	revs, ok := h.revs[e.Household]
	if !ok {
		hist, _ := h.history(e.Household)
		revs = make(map[string]store.Revision, len(hist))
		for _, r := range hist {
			revs[r.ID] = r
		}
		h.revs[e.Household] = revs
	}
	r, ok := revs[e.Revision]
	if !ok {
		return nil, nil
	}
	rec = h.record(r)
	if p, ok := revs[r.Parent]; ok {
		parent = h.record(p)
	}
	return rec, parent
}

// revision is a revision of a household already read (by records), if any.
func (h *auditHouseholds) revision(household, id string) (store.Revision, bool) {
	if h == nil {
		return store.Revision{}, false
	}
	r, ok := h.revs[household][id]
	return r, ok
}

func (h *auditHouseholds) record(r store.Revision) *household.Record {
	if rec, ok := h.recs[r.ID]; ok {
		return rec
	}
	rec, ps := household.Decode(r.Record)
	if len(ps) > 0 {
		rec = nil
	}
	h.recs[r.ID] = rec
	return rec
}

// auditRow is an entry of the log as it is shown.
type auditRow struct{ head, what string }

// auditRows writes the entries newest first, off the UI goroutine.
func auditRows(es []store.AuditEntry, full bool, hh *auditHouseholds) []auditRow {
	rows := make([]auditRow, len(es))
	for i := range es {
		e := es[len(es)-1-i]
		rows[i].head, rows[i].what = auditLine(e, full, hh)
	}
	return rows
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// showAudit shows the audit log of one household (the review screen's "Nhật ký" button).
func (a *App) showAudit(id, title string) {
	x := a.access()
	if x == nil {
		return
	}
	a.background(func() func() {
		es, err := x.AuditFor(id)
		rows := auditRows(es, false, newAuditHouseholds(x))
		return func() {
			if err != nil {
				a.showError(err)
				return
			}
			a.auditDialog(lang.L("audit.title", map[string]any{"Head": title}), rows)
		}
	})
}

// auditShown is how many of the latest entries the whole log's view shows; rasoatctl audit
// export gives them all.
const auditShown = 5000

// showAuditAll shows the latest entries of the whole audit log (an office user's view).
func (a *App) showAuditAll() {
	x := a.access()
	if x == nil {
		return
	}
	a.background(func() func() {
		var es []store.AuditEntry
		err := x.EachAudit(func(e store.AuditEntry) error {
			if es = append(es, e); len(es) > 2*auditShown {
				es = append(es[:0], es[len(es)-auditShown:]...)
			}
			return nil
		})
		if len(es) > auditShown {
			es = es[len(es)-auditShown:]
		}
		rows := auditRows(es, true, newAuditHouseholds(x))
		return func() {
			if err != nil {
				a.showError(err)
				return
			}
			a.auditDialog(lang.L("audit.all_title"), rows)
		}
	})
}

func (a *App) auditDialog(title string, rows []auditRow) {
	var body fyne.CanvasObject
	if len(rows) == 0 {
		body = wrapLabel(lang.L("audit.empty"), widget.MediumImportance)
	} else {
		list := widget.NewList(func() int { return len(rows) },
			func() fyne.CanvasObject {
				h := boldLabel("")
				h.Truncation = fyne.TextTruncateEllipsis
				return container.NewVBox(h, wrapLabel("", widget.MediumImportance))
			},
			func(i widget.ListItemID, o fyne.CanvasObject) {
				box := o.(*fyne.Container)
				box.Objects[0].(*widget.Label).SetText(rows[i].head)
				box.Objects[1].(*widget.Label).SetText(rows[i].what)
			})
		body = list
	}
	intro := wrapLabel(lang.L("audit.intro", map[string]any{"Count": len(rows)}), widget.LowImportance)
	d := dialog.NewCustom(title, lang.L("audit.close"),
		container.NewBorder(intro, nil, nil, nil, body), a.win)
	d.Resize(fyne.NewSize(860, 520))
	d.Show()
}

// dailyBackup makes the office's copy of the day (once a day, off the UI goroutine); a failure
// is shown, since the office then has no fresh copy.
func (a *App) dailyBackup() {
	x := a.access()
	if x == nil || a.office == nil {
		return
	}
	day := a.now().Format(time.DateOnly)
	if a.office.backupDay == day {
		return
	}
	a.office.backupDay = day
	now := a.now()
	a.background(func() func() {
		_, err := x.DailyBackup(now)
		if err == nil {
			return nil
		}
		return func() {
			dir, _ := x.BackupDir()
			dialog.ShowInformation(lang.L("backup.failed_title"),
				lang.L("backup.failed", map[string]any{"Dir": dir})+"\n\n"+store.Message(err, Lang()), a.win)
		}
	})
}

// backupBeforeImport makes the office's copy before an import, off the UI goroutine (call it
// from background work); nil when the database makes no copies.
func (a *App) backupBeforeImport(author string) error {
	x := a.access()
	if x == nil {
		return nil
	}
	_, err := x.BackupBeforeImport(a.now(), author)
	return err
}

// auditEvent records an event (an export) in the audit log, off the UI goroutine.
func (a *App) auditEvent(e store.AuditEntry) error {
	x := a.access()
	if x == nil {
		return nil
	}
	return x.Audit(e)
}
