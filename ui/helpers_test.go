package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

func TestMain(m *testing.M) {
	if err := SetLanguage("vi"); err != nil {
		panic(err)
	}
	code := m.Run()
	removeBigStore()
	os.Exit(code)
}

// testNow is the clock of the tests: during the 2026 periodic review, like the demo ward.
var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.Local)

// newStore makes a real database in a temporary directory, set up as a field laptop of the
// demo ward, holding n demo households (complete).
func newStore(t testing.TB, n int, ward demo.Ward) *store.Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rasoat.db")
	db, err := store.Create(path, store.Meta{Role: store.RoleField, Ward: ward.Name, Area: ward.Area,
		Surveyor: "Lê Văn Hiến", DeviceName: "test"}, store.Options{NoSync: true, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if n > 0 {
		var buf bytes.Buffer
		for _, r := range demo.Households(ward, n, 1) {
			buf.Write(household.Encode(r))
			buf.WriteByte('\n')
		}
		if _, err := db.Import(&buf, store.ImportOptions{Author: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// newApp starts the app on a test window over db.
func newApp(t testing.TB, db Store) *App {
	t.Helper()
	fa := test.NewTempApp(t)
	w := fa.NewWindow("")
	w.Resize(fyne.NewSize(1280, 800))
	a := New(fa, w, db, Options{Now: func() time.Time { return testNow }})
	c := &fakeClock{}
	a.after = c.after
	clocks.Store(a, c)
	q := &uiQueue{}
	a.post = q.add
	queues.Store(a, q)
	if err := a.Start(); err != nil {
		t.Fatal(err)
	}
	a.Wait()
	return a
}

// uiQueue plays the UI goroutine's queue in tests: fyne.Do on the test driver runs a function
// at once on the calling goroutine, which would race with the test typing into the form. The
// app's hand-overs to the UI are queued instead and run by Wait on the test's goroutine, which
// is the UI goroutine of a test.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) add(f func()) {
	q.mu.Lock()
	q.fns = append(q.fns, f)
	q.mu.Unlock()
}

func (q *uiQueue) take() []func() {
	q.mu.Lock()
	defer q.mu.Unlock()
	fns := q.fns
	q.fns = nil
	return fns
}

var queues sync.Map // *App → *uiQueue

// fakeClock is the timers of a test's app: they fire only when the test moves the clock on
// (advance), on the test's goroutine, so no test sleeps.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Duration
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Duration
	f       func()
	stopped bool
}

func (c *fakeClock) after(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now + d, f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// advance moves the clock on by d and runs the timers due, in order.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now += d
	var due []*fakeTimer
	kept := c.timers[:0]
	for _, t := range c.timers {
		switch {
		case t.stopped:
		case t.at <= c.now:
			t.stopped = true
			due = append(due, t)
		default:
			kept = append(kept, t)
		}
	}
	c.timers = kept
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}

var clocks sync.Map // *App → *fakeClock

// clockOf is the clock of the app's timers.
func clockOf(a *App) *fakeClock {
	c, _ := clocks.Load(a)
	return c.(*fakeClock)
}

// Wait lets the background loads and saves finish and applies their results on the UI
// goroutine, until nothing is left to do.
func (a *App) Wait() {
	q, _ := queues.Load(a)
	for {
		a.jobs.Wait()
		fns := q.(*uiQueue).take()
		if len(fns) == 0 {
			return
		}
		for _, f := range fns {
			f()
		}
	}
}

// typeInto focuses an entry, empties it and types text key by key, as a surveyor would.
func typeInto(a *App, e fyne.Focusable, text string) {
	a.win.Canvas().Focus(e)
	if s, ok := e.(interface{ SetText(string) }); ok {
		s.SetText("")
	}
	test.Type(e, text)
}

// leave takes the focus away from the focused question, as Tab or a click elsewhere does.
func leave(a *App) {
	a.win.Canvas().Unfocus()
	a.Wait()
}

// press sends a key to the focused widget.
func press(a *App, key fyne.KeyName) {
	a.win.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: key})
}

// shortcut sends a Ctrl shortcut the way the desktop driver does: to the focused widget when
// it takes shortcuts (an entry), else to the window.
func shortcut(a *App, key fyne.KeyName) {
	s := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
	if f, ok := a.win.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	a.win.Canvas().(fyne.Shortcutable).TypedShortcut(s)
}

// topDialogText is all the text of the dialog on top of the window, or "".
func topDialogText(a *App) string {
	top := a.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return allText(top)
}

// walkObjects calls fn on o and every object under it, widgets' parts included, in order.
func walkObjects(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, x := range c.Objects {
			walkObjects(x, fn)
		}
	case fyne.Widget:
		for _, x := range test.WidgetRenderer(c).Objects() {
			walkObjects(x, fn)
		}
	}
}

// allText gathers the text of every label, entry and button under o.
func allText(o fyne.CanvasObject) string {
	var b strings.Builder
	walkObjects(o, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			if w.Visible() {
				b.WriteString(w.Text + "\n")
			}
		case *widget.Button:
			b.WriteString(w.Text + "\n")
		case *canvas.Text:
			b.WriteString(w.Text + "\n")
		}
	})
	return b.String()
}

func demoWard() demo.Ward { return demo.DefaultWard }

// typeKeys types into whatever has the focus, as the keyboard does.
func typeKeys(a *App, chars string) {
	for _, r := range chars {
		a.win.Canvas().Focused().TypedRune(r)
	}
}

// space presses the space bar: the desktop driver sends both the key and the character.
func space(a *App) {
	f := a.win.Canvas().Focused()
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeySpace})
	f.TypedRune(' ')
}

// firstFocusable is the first object under o that takes the focus (a radio's first choice).
func firstFocusable(o fyne.CanvasObject) fyne.Focusable {
	var first fyne.Focusable
	walkObjects(o, func(x fyne.CanvasObject) {
		if f, ok := x.(fyne.Focusable); ok && first == nil {
			first = f
		}
	})
	return first
}
