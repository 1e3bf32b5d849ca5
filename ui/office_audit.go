package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

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

// auditLine is one entry as the household's log shows it: when, who, on which device, what.
func auditLine(e store.AuditEntry, full bool) (head, what string) {
	who := e.Author
	if who == "" {
		who = lang.L("audit.nobody")
	}
	head = e.Time.Local().Format("02/01/2006 15:04:05") + " · " + auditActionLabel(e.Action) + " · " + who +
		" · " + lang.L("audit.device", map[string]any{"Device": shortID(e.Device)})
	var parts []string
	if len(e.Fields) == 1 && e.Fields[0] == "*" {
		parts = append(parts, lang.L("audit.new"))
	} else if len(e.Fields) > 0 {
		parts = append(parts, lang.L("audit.fields", map[string]any{"Fields": strings.Join(e.Fields, ", ")}))
	}
	if e.Household != "" && full {
		parts = append(parts, lang.L("audit.household", map[string]any{"ID": shortID(e.Household)}))
	}
	if e.Count > 0 {
		parts = append(parts, lang.L("audit.count", map[string]any{"Count": e.Count}))
	}
	if e.Detail != "" {
		parts = append(parts, e.Detail)
	}
	return head, strings.Join(parts, " — ")
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
		return func() {
			if err != nil {
				a.showError(err)
				return
			}
			a.auditDialog(lang.L("audit.title", map[string]any{"Head": title}), es, false)
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
		return func() {
			if err != nil {
				a.showError(err)
				return
			}
			a.auditDialog(lang.L("audit.all_title"), es, true)
		}
	})
}

func (a *App) auditDialog(title string, es []store.AuditEntry, full bool) {
	var body fyne.CanvasObject
	if len(es) == 0 {
		body = wrapLabel(lang.L("audit.empty"), widget.MediumImportance)
	} else {
		list := widget.NewList(func() int { return len(es) },
			func() fyne.CanvasObject {
				h := boldLabel("")
				h.Truncation = fyne.TextTruncateEllipsis
				return container.NewVBox(h, wrapLabel("", widget.MediumImportance))
			},
			func(i widget.ListItemID, o fyne.CanvasObject) {
				e := es[len(es)-1-i] // newest first
				head, what := auditLine(e, full)
				box := o.(*fyne.Container)
				box.Objects[0].(*widget.Label).SetText(head)
				box.Objects[1].(*widget.Label).SetText(what)
			})
		body = list
	}
	intro := wrapLabel(lang.L("audit.intro", map[string]any{"Count": len(es)}), widget.LowImportance)
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
