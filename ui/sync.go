package ui

import (
	"context"
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

// Syncer is what the sync screen and the enrollment need of the sync engine; *sync.Node
// satisfies it.
type Syncer interface {
	SyncNow(ctx context.Context, progress func(done, total int)) (rsync.Result, error)
	ExportTo(dir string) (rsync.Result, error)
	ImportFrom(dir string) (rsync.Result, error)
	Status() (rsync.Status, error)
	EnrollRequest() (file []byte, code string, err error)
	InstallPackage(file []byte) (rsync.Package, error)
	Enrollment() (rsync.Package, bool, error)
}

var _ Syncer = (*rsync.Node)(nil)

// syncer returns the sync side of the database, made again when the laptop's role has changed
// since (the engine reads the role once); nil when the app has no sync.
func (a *App) syncer() (Syncer, error) {
	if a.newSync == nil {
		return nil, nil
	}
	if a.node == nil || a.nodeRole != a.meta.Role {
		n, err := a.newSync()
		if err != nil {
			return nil, err
		}
		a.node, a.nodeRole = n, a.meta.Role
	}
	return a.node, nil
}

// syncView is the state of sync on this laptop, loaded off the UI goroutine.
type syncView struct {
	Enrolled      bool
	Ward, Address string
	Since         time.Time // enrolled since (when the office issued the package)
	Unsent        int       // revisions the office has not acknowledged
	Conflicts     int       // households edited on two devices at once
	Waiting       int       // batches waiting for the batches before them
	Last          time.Time // the office's last answer, over the LAN or from a stick
	LastLAN       bool
}

// loadSync reads the state of sync.
func loadSync(sy Syncer) (syncView, error) {
	st, err := sy.Status()
	if err != nil {
		return syncView{}, err
	}
	v := syncView{Enrolled: st.Enrolled, Ward: st.Ward, Address: st.Address, Unsent: st.Unsent,
		Conflicts: st.Conflicts, Waiting: st.Waiting, Last: st.LastSync, LastLAN: true}
	if st.LastImport.After(v.Last) {
		v.Last, v.LastLAN = st.LastImport, false
	}
	if v.Enrolled {
		p, _, err := sy.Enrollment()
		if err != nil {
			return v, err
		}
		v.Since = p.Issued
	}
	return v, nil
}

// loadHomeSync reads the state of sync for the home screen's line.
func loadHomeSync(sy Syncer, err error) (*syncView, error) {
	if err != nil {
		return nil, err
	}
	v, err := loadSync(sy)
	return &v, err
}

// homeSyncText is the home screen's line on sync: the enrollment when there is none yet, what
// waits to go to the office, and when it last answered.
func homeSyncText(v syncView) string {
	parts := []string{pendingText(v.Unsent), lang.L("sync.home_last", map[string]any{"Last": lastSyncText(v)})}
	if !v.Enrolled {
		parts = append([]string{lang.L("sync.not_enrolled")}, parts...)
	}
	if v.Conflicts > 0 {
		parts = append(parts, lang.N("sync.home_conflicts", v.Conflicts, map[string]any{"Count": v.Conflicts}))
	}
	return strings.Join(parts, " · ")
}

// syncOutcome is what one run of the sync screen did, gathered off the UI goroutine.
type syncOutcome struct {
	LAN       bool
	Dir       string       // USB: the folder
	Export    rsync.Result // USB: the batches written
	Result    rsync.Result // USB: the office's batches read; LAN: the sync
	Err       error        // USB: the export failed; LAN: the sync failed
	Stopped   bool         // LAN: the user stopped the sync
	ImportErr error        // USB: reading the office's batches failed
	Returned  int          // households the office has just returned to the surveyor
	View      syncView     // the state after the run
	ViewErr   error
}

// runUSB reads the office's answers found in a folder (they come back on the same stick), then
// writes the laptop's batches there: what the office has acknowledged in its answer is not
// written again.
func runUSB(sy Syncer, db Households, dir string) syncOutcome {
	o := syncOutcome{Dir: dir}
	before := countReturned(db)
	o.Result, o.ImportErr = sy.ImportFrom(dir)
	o.Export, o.Err = sy.ExportTo(dir)
	if errors.Is(o.Err, rsync.ErrNotEnrolled) {
		o.Result, o.ImportErr = rsync.Result{}, nil // said once, as the export's problem
	}
	o.Returned = max(countReturned(db)-before, 0)
	o.View, o.ViewErr = loadSync(sy)
	return o
}

// runLAN syncs with the office's server over the LAN.
func runLAN(ctx context.Context, sy Syncer, db Households, progress func(done, total int)) syncOutcome {
	o := syncOutcome{LAN: true}
	before := countReturned(db)
	o.Result, o.Err = sy.SyncNow(ctx, progress)
	o.Stopped = o.Err != nil && ctx.Err() != nil
	o.Returned = max(countReturned(db)-before, 0)
	o.View, o.ViewErr = loadSync(sy)
	return o
}

// countReturned counts the households returned by the office (0 when it cannot tell).
func countReturned(db Households) int {
	gs, err := db.Groups()
	if err != nil {
		return 0
	}
	n := 0
	for _, g := range gs {
		n += g.ByStatus[store.StatusReturned]
	}
	return n
}

// progressDelay is how long a run goes before its progress bar shows.
const progressDelay = time.Second

// syncScreen shows what waits to go to the ward office and when the laptop last heard from it,
// and syncs: by USB stick (export, then read the office's answers from the same stick) or over
// the office's LAN. A run goes off the UI goroutine, with a progress bar after a second.
type syncScreen struct {
	app   *App
	view  syncView
	col   labelColumn
	op    int                // the run under way, or the last one
	busy  bool               // a run is under way
	stop  context.CancelFunc // stops the LAN sync under way
	timer *time.Timer        // shows the progress bar
	delay time.Duration

	title, enrolled, pending, last, note *widget.Label
	status, result, problems             *widget.Label
	back, export, lan, enroll, cancel    *widget.Button
	bar                                  *widget.ProgressBar
	spinner                              *widget.ProgressBarInfinite
	progress, details                    *fyne.Container
	outcome                              fyne.CanvasObject // the last run's result, once there is one
}

func newSyncScreen(a *App) *syncScreen { return &syncScreen{app: a, delay: progressDelay} }

func (s *syncScreen) buildUI() fyne.CanvasObject {
	s.back = widget.NewButtonWithIcon(lang.L("sync.back"), theme.NavigateBackIcon(), s.onBack)
	s.title = widget.NewLabel(lang.L("sync.title"))
	s.title.TextStyle = fyne.TextStyle{Bold: true}
	s.title.SizeName = theme.SizeNameSubHeadingText
	s.title.Truncation = fyne.TextTruncateEllipsis
	top := container.NewBorder(nil, nil, s.back, nil, s.title)
	body := container.NewVBox(s.buildState(), s.buildActions(), s.buildResult())
	return container.NewBorder(top, nil, nil, nil, container.NewVScroll(container.NewPadded(body)))
}

func (s *syncScreen) buildState() fyne.CanvasObject {
	value := func() *widget.Label {
		l := widget.NewLabel("…")
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	s.enrolled, s.pending, s.last = value(), value(), value()
	s.pending.TextStyle = fyne.TextStyle{Bold: true}
	s.note = widget.NewLabel(lang.L("sync.not_enrolled_note"))
	s.note.Wrapping = fyne.TextWrapWord
	s.note.Importance = widget.WarningImportance
	s.enroll = widget.NewButtonWithIcon(lang.L("sync.go_enroll"), theme.SettingsIcon(), s.onEnroll)
	s.note.Hide()
	s.enroll.Hide()
	grid := formGrid(&s.col, newQuestion(lang.L("sync.enrollment"), false, s.enrolled),
		newQuestion(lang.L("sync.pending"), false, s.pending), newQuestion(lang.L("sync.last"), false, s.last))
	return section(lang.L("sync.state"), grid, s.note, container.NewHBox(s.enroll))
}

func (s *syncScreen) buildActions() fyne.CanvasObject {
	s.export = widget.NewButtonWithIcon(lang.L("sync.export"), theme.UploadIcon(), s.onExport)
	s.export.Importance = widget.HighImportance
	s.lan = widget.NewButtonWithIcon(lang.L("sync.lan"), theme.ViewRefreshIcon(), s.onSyncNow)
	help := func(key string) *widget.Label {
		l := widget.NewLabel(lang.L(key))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		return l
	}
	buttons := &labelColumn{labels: []fyne.CanvasObject{s.export, s.lan}}
	rows := container.New(&columnLayout{col: buttons}, s.export, help("sync.export_help"), s.lan, help("sync.lan_help"))
	s.export.Disable()
	s.lan.Disable()

	s.bar = widget.NewProgressBar()
	s.spinner = widget.NewProgressBarInfinite()
	s.spinner.Stop()
	s.cancel = widget.NewButtonWithIcon(lang.L("sync.stop"), theme.CancelIcon(), s.onStop)
	s.progress = container.NewBorder(nil, nil, nil, s.cancel, container.NewStack(s.bar, s.spinner))
	s.progress.Hide()
	return section(lang.L("sync.actions"), rows, s.progress)
}

func (s *syncScreen) buildResult() fyne.CanvasObject {
	s.status = widget.NewLabel("")
	s.status.TextStyle = fyne.TextStyle{Bold: true}
	s.status.Wrapping = fyne.TextWrapWord
	s.result = widget.NewLabel("")
	s.result.Hide()
	s.result.Wrapping = fyne.TextWrapWord
	s.problems = widget.NewLabel("")
	s.problems.Wrapping = fyne.TextWrapWord
	s.problems.Importance = widget.DangerImportance
	s.problems.Hide()
	s.details = container.NewVBox(s.result, s.problems)
	s.outcome = section(lang.L("sync.outcome"), s.status, s.details)
	s.outcome.Hide()
	return s.outcome
}

func (s *syncScreen) shortcuts() map[fyne.Shortcut]func() {
	return map[fyne.Shortcut]func(){key(fyne.KeyU): s.onExport, key(fyne.KeyD): s.onSyncNow,
		key(fyne.KeyLeft): s.onBack}
}

// refresh reloads the state of sync.
func (s *syncScreen) refresh() {
	sy, err := s.app.syncer()
	if err != nil || sy == nil {
		s.app.showError(err)
		return
	}
	s.app.background(func() func() {
		v, err := loadSync(sy)
		return func() { s.apply(v, err) }
	})
}

// apply shows the state of sync and enables what can be done.
func (s *syncScreen) apply(v syncView, err error) {
	if err != nil {
		s.app.showError(err)
		return
	}
	s.view = v
	s.title.SetText(lang.L("sync.title_ward", map[string]any{"Ward": s.app.meta.Ward}))
	s.enrolled.SetText(enrollmentText(v.Enrolled, v.Ward, v.Address, v.Since))
	s.pending.SetText(pendingText(v.Unsent))
	s.pending.Importance = widget.SuccessImportance
	if v.Unsent > 0 {
		s.pending.Importance = widget.WarningImportance
	}
	s.pending.Refresh()
	s.last.SetText(capitalize(lastSyncText(v)))
	s.note.Hidden = v.Enrolled
	s.enroll.Hidden = v.Enrolled
	s.note.Refresh()
	s.enroll.Refresh()
	s.enableActions()
}

// enableActions enables USB once enrolled, and the LAN once the package names the office's
// server; nothing while a run is under way.
func (s *syncScreen) enableActions() {
	setEnabled(s.export, !s.busy && s.view.Enrolled)
	setEnabled(s.lan, !s.busy && s.view.Enrolled && s.view.Address != "")
	setEnabled(s.back, !s.busy)
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// onExport asks for the USB stick's folder, then exports to it.
func (s *syncScreen) onExport() {
	if s.busy || s.export.Disabled() {
		return
	}
	s.app.choose.folder(lang.L("sync.choose_folder"), lang.L("sync.choose"), func(dir string) {
		rememberFolder(s.app, dir)
		s.exportTo(dir)
	})
}

// exportTo writes the batches to dir and reads the office's answers from it.
func (s *syncScreen) exportTo(dir string) {
	sy, err := s.app.syncer()
	if err != nil {
		s.app.showError(err)
		return
	}
	op := s.begin(false, lang.L("sync.exporting", map[string]any{"Dir": dir}))
	db := s.app.db
	s.app.background(func() func() {
		o := runUSB(sy, db, dir)
		return func() { s.finish(op, o) }
	})
}

// onSyncNow syncs with the office over the LAN.
func (s *syncScreen) onSyncNow() {
	if s.busy || s.lan.Disabled() {
		return
	}
	sy, err := s.app.syncer()
	if err != nil {
		s.app.showError(err)
		return
	}
	ctx, stop := context.WithCancel(context.Background())
	s.stop = stop
	op := s.begin(true, lang.L("sync.connecting", map[string]any{"Address": s.view.Address}))
	db := s.app.db
	progress := func(done, total int) { s.app.post(func() { s.onProgress(op, done, total) }) }
	s.app.background(func() func() {
		o := runLAN(ctx, sy, db, progress)
		stop()
		return func() { s.finish(op, o) }
	})
}

// onStop stops the LAN sync; what the office has acknowledged so far stays acknowledged.
func (s *syncScreen) onStop() {
	if s.stop != nil {
		s.stop()
	}
}

// begin marks a run as under way and arranges for its progress bar to show after a second.
func (s *syncScreen) begin(lan bool, status string) int {
	s.op++
	op := s.op
	s.busy = true
	s.enableActions()
	s.showLines(status, nil, nil, false)
	s.timer = time.AfterFunc(s.delay, func() { s.app.post(func() { s.showProgress(op, lan) }) })
	return op
}

// showProgress shows the progress bar of a run still under way: a bar of revisions over the
// LAN, a moving one for a stick (an export does not count).
func (s *syncScreen) showProgress(op int, lan bool) {
	if op != s.op || !s.busy {
		return
	}
	s.bar.Hidden, s.cancel.Hidden = !lan, !lan
	if lan {
		s.spinner.Hide()
	} else {
		s.spinner.Show()
		s.spinner.Start()
	}
	s.app.reveal(s.progress)
}

// onProgress moves the bar of a LAN sync: revisions sent and received against those known.
func (s *syncScreen) onProgress(op, done, total int) {
	if op != s.op || !s.busy {
		return
	}
	s.bar.Max = float64(max(total, 1))
	s.bar.SetValue(float64(done))
	s.status.SetText(lang.L("sync.progress", map[string]any{"Done": done, "Total": total}))
}

// finish shows what a run did and the state after it.
func (s *syncScreen) finish(op int, o syncOutcome) {
	if op != s.op {
		return
	}
	s.timer.Stop()
	s.busy = false
	s.stop = nil
	s.spinner.Stop()
	s.progress.Hide()
	// the office's batches may have loaded or removed the score table: the form and the
	// classifier use the one now in force
	s.app.useStoreStandards()
	head, lines, problems := outcomeText(o)
	s.showLines(head, lines, problems, o.Err != nil)
	if o.ViewErr != nil {
		s.app.showError(o.ViewErr)
	} else {
		s.apply(o.View, nil)
	}
	s.enableActions()
}

// showLines shows the head line of a run and its details, the problems in red: first when the
// run failed, else after what it did.
func (s *syncScreen) showLines(head string, lines, problems []string, failed bool) {
	s.status.SetText(head)
	setLines(s.result, lines)
	setLines(s.problems, problems)
	s.details.Objects = []fyne.CanvasObject{s.result, s.problems}
	if failed {
		s.details.Objects = []fyne.CanvasObject{s.problems, s.result}
	}
	s.details.Refresh()
	s.app.reveal(s.outcome)
}

// setLines shows lines in a label, one a line; none hides it.
func setLines(l *widget.Label, lines []string) {
	text := ""
	for i, x := range lines {
		if i > 0 {
			text += "\n"
		}
		text += x
	}
	l.SetText(text)
	l.Hidden = text == ""
	l.Refresh()
}

func (s *syncScreen) onBack() {
	if !s.busy {
		s.app.ShowHome()
	}
}

func (s *syncScreen) onEnroll() { s.app.ShowSettings(false) }

// outcomeText words what a run did: a head line, the details, and the problems (in red).
func outcomeText(o syncOutcome) (head string, lines, problems []string) {
	if o.LAN {
		head, lines, problems = lanText(o)
	} else {
		head, lines, problems = usbText(o)
	}
	for _, r := range o.Result.Refused {
		problems = append(problems, lang.L("sync.refused", map[string]any{"File": r.File, "Reason": store.Message(r.Err, Lang())}))
	}
	lines = append(lines, afterText(o)...)
	if c := o.View.Conflicts; c > 0 {
		problems = append(problems, lang.N("sync.conflicts", c, map[string]any{"Count": c}))
	}
	return head, lines, problems
}

// usbText words a USB run in the order it went: the office's answer read from the stick, then
// what was written for the office. When the office has acknowledged everything, there is
// nothing to carry to it.
func usbText(o syncOutcome) (head string, lines, problems []string) {
	head = lang.L("sync.usb_done", map[string]any{"Time": clockText(o.Export.Time)})
	switch {
	case o.ImportErr != nil:
		problems = append(problems, lang.L("sync.import_failed", map[string]any{"Error": store.Message(o.ImportErr, Lang())}))
	case errors.Is(o.Err, rsync.ErrNotEnrolled):
	case len(o.Result.Files) == 0:
		lines = append(lines, lang.L("sync.no_answer"))
	default:
		n := len(o.Result.Files) - len(o.Result.Refused)
		lines = append(lines, lang.N("sync.read", o.Result.Added, map[string]any{"Files": n, "Count": o.Result.Added}))
	}
	if o.Err != nil {
		head = lang.L("sync.usb_failed")
		problems = append(problems, store.Message(o.Err, Lang()))
		return head, lines, problems
	}
	words := map[string]any{"Files": len(o.Export.Files), "Dir": o.Dir, "Count": o.Export.Revisions}
	switch {
	case o.Export.Revisions == 0 && o.View.Enrolled && o.View.Unsent == 0 && o.ViewErr == nil:
		lines = append(lines, lang.L("sync.wrote_none", words))
	case o.Export.Revisions == 0:
		lines = append(lines, lang.L("sync.wrote_have", words))
	default:
		lines = append(lines, lang.N("sync.wrote", o.Export.Revisions, words))
	}
	return head, lines, problems
}

func lanText(o syncOutcome) (head string, lines, problems []string) {
	r := o.Result
	if o.Err == nil {
		head = lang.L("sync.lan_done", map[string]any{"Time": clockText(r.Time)})
	} else {
		head = lang.L("sync.lan_failed")
		switch {
		case o.Stopped:
			head = lang.L("sync.stopped")
		case errors.Is(o.Err, rsync.ErrNetwork):
			problems = append(problems, store.Message(o.Err, Lang()), lang.L("sync.unreachable"))
		default:
			problems = append(problems, store.Message(o.Err, Lang()))
		}
		if o.View.Unsent > 0 {
			lines = append(lines, lang.N("sync.kept", o.View.Unsent, map[string]any{"Count": o.View.Unsent}))
		} else {
			lines = append(lines, lang.L("sync.kept_none"))
		}
	}
	if r.Delivered > 0 {
		lines = append(lines, lang.N("sync.delivered", r.Delivered, map[string]any{"Count": r.Delivered}))
	} else if o.Err == nil {
		lines = append(lines, lang.L("sync.nothing_sent"))
	}
	if r.Added > 0 {
		lines = append(lines, lang.N("sync.received", r.Added, map[string]any{"Count": r.Added}))
	} else if o.Err == nil {
		lines = append(lines, lang.L("sync.nothing_received"))
	}
	return head, lines, problems
}

// afterText says where the laptop stands after a run: acknowledged, returned households, the
// office's score table taken, batches waiting.
func afterText(o syncOutcome) []string {
	var lines []string
	v := o.View
	if o.Err == nil && v.Enrolled {
		if v.Unsent == 0 {
			lines = append(lines, lang.L("sync.all_acked"))
		} else {
			lines = append(lines, lang.N("sync.unacked", v.Unsent, map[string]any{"Count": v.Unsent}))
		}
	}
	if o.Returned > 0 {
		lines = append(lines, lang.N("sync.returned", o.Returned, map[string]any{"Count": o.Returned}))
	}
	switch o.Result.ScoreTable {
	case rsync.ScoreTableLoaded:
		lines = append(lines, lang.L("sync.score_loaded"))
	case rsync.ScoreTableRemoved:
		lines = append(lines, lang.L("sync.score_removed"))
	}
	if v.Waiting > 0 {
		lines = append(lines, lang.N("sync.waiting", v.Waiting, map[string]any{"Count": v.Waiting}))
	}
	return lines
}

// enrollmentText says whether and with which office the laptop is enrolled.
func enrollmentText(enrolled bool, ward, address string, since time.Time) string {
	if !enrolled {
		return lang.L("sync.not_enrolled")
	}
	words := map[string]any{"Ward": ward, "Date": household.DateOf(since.Local()).VN(), "Address": address}
	if address == "" {
		return lang.L("sync.enrolled_usb", words)
	}
	return lang.L("sync.enrolled_lan", words)
}

// pendingText says how many revisions the office has not acknowledged yet.
func pendingText(n int) string {
	if n == 0 {
		return lang.L("sync.none_pending")
	}
	return lang.N("sync.unsent", n, map[string]any{"Count": n})
}

// lastSyncText says when the laptop last heard from the office, and how.
func lastSyncText(v syncView) string {
	if v.Last.IsZero() {
		return lang.L("sync.never")
	}
	words := map[string]any{"Time": clockText(v.Last)}
	if v.LastLAN {
		return lang.L("sync.last_lan", words)
	}
	return lang.L("sync.last_usb", words)
}

// clockText writes a moment as the laptop's time and date: 10:05 25/11/2026.
func clockText(t time.Time) string {
	t = t.Local()
	return t.Format("15:04") + " " + household.DateOf(t).VN()
}

// prefSyncFolder is the preference holding the last folder used for sync or enrollment.
const prefSyncFolder = "syncFolder"

func rememberFolder(a *App, dir string) {
	if a.fyne != nil {
		a.fyne.Preferences().SetString(prefSyncFolder, dir)
	}
}

// startFolder is where the folder and file dialogs open: the folder used last time if it is
// there (the same stick plugged in again), else a USB stick mounted now, else "" (Fyne's own
// choice: the last folder it opened, or the home folder).
func startFolder(a *App) string {
	if a.fyne != nil {
		if dir := a.fyne.Preferences().String(prefSyncFolder); dir != "" && isDir(dir) {
			return dir
		}
	}
	if sticks := removableFolders(); len(sticks) > 0 {
		return sticks[0]
	}
	return ""
}

// removableFolders lists the removable drives mounted now, where the OS puts them: under
// /media/USER or /run/media/USER on Linux, /Volumes on macOS. (Windows gives them drive
// letters that cannot be told from fixed disks without asking the OS; the dialog then opens
// on the last folder used.)
func removableFolders() []string {
	var roots []string
	switch runtime.GOOS {
	case "linux":
		if u, err := user.Current(); err == nil {
			roots = []string{filepath.Join("/media", u.Username), filepath.Join("/run/media", u.Username)}
		}
	case "darwin":
		roots = []string{"/Volumes"}
	}
	var out []string
	for _, root := range roots {
		entries, err := os.ReadDir(root)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") { // a symlink (macOS's own disk) is not a dir entry
				out = append(out, filepath.Join(root, e.Name()))
			}
		}
	}
	return out
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// chooser asks the user for a folder or a file; done is not called when the user cancels.
// Tests answer in the user's place.
type chooser interface {
	folder(title, confirm string, done func(dir string))
	file(title, confirm string, exts []string, done func(path string))
}

// fyneChooser is Fyne's folder and file dialogs, opening where the USB stick is.
type fyneChooser struct{ a *App }

func (c fyneChooser) folder(title, confirm string, done func(string)) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			c.a.showError(err)
		} else if u != nil {
			done(u.Path())
		}
	}, c.a.win)
	c.show(d, title, confirm)
}

func (c fyneChooser) file(title, confirm string, exts []string, done func(string)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			c.a.showError(err)
			return
		}
		if r != nil {
			path := r.URI().Path()
			r.Close()
			done(path)
		}
	}, c.a.win)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	c.show(d, title, confirm)
}

func (c fyneChooser) show(d *dialog.FileDialog, title, confirm string) {
	d.SetTitleText(title)
	d.SetConfirmText(confirm)
	d.SetDismissText(lang.L("sync.cancel"))
	if dir := startFolder(c.a); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}
