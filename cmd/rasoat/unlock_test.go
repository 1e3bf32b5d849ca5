package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/seal"
	"github.com/rasoat/rasoat/store"
	"github.com/rasoat/rasoat/ui"
)

// walk calls fn on every object under o.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, x := range c.Objects {
			walk(x, fn)
		}
	case fyne.Widget:
		if _, ok := c.(*widget.Button); !ok {
			for _, x := range test.WidgetRenderer(c).Objects() {
				walk(x, fn)
			}
		}
	}
}

func entries(o fyne.CanvasObject) (out []*widget.Entry) {
	walk(o, func(x fyne.CanvasObject) {
		if e, ok := x.(*widget.Entry); ok {
			out = append(out, e)
		}
	})
	return out
}

func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var b *widget.Button
	walk(o, func(x fyne.CanvasObject) {
		if w, ok := x.(*widget.Button); ok && w.Text == text {
			b = w
		}
	})
	if b == nil {
		t.Fatalf("no button %q", text)
	}
	return b
}

// synchronous runs the unlock's checks at once, on the test's goroutine.
func synchronous(t *testing.T) {
	unlockRunner = func(work func() func()) {
		if apply := work(); apply != nil {
			apply()
		}
	}
	t.Cleanup(func() { unlockRunner = nil })
}

// TestUnlockAtStart: an encrypted database asks for its passphrase; a wrong one is refused
// with a message and opens nothing; the right one starts the app.
func TestUnlockAtStart(t *testing.T) {
	if err := ui.SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rasoat.db")
	w := demo.DefaultWard
	db, err := store.Create(path, store.Meta{Ward: w.Name, Area: w.Area, Surveyor: "Lê Văn Hiến"},
		store.Options{Passphrase: "mật khẩu đúng 1", KDF: &seal.Params{Time: 1, Memory: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if err := seed(db, w); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := openDB(path); !strings.Contains(store.Message(err, "vi"), "mã hóa") {
		t.Fatalf("open without passphrase: %v", err)
	}

	synchronous(t)
	win := test.NewTempApp(t).NewWindow("")
	started := make(chan *store.Store, 1)
	unlock(win, path, func(s *store.Store) error { started <- s; return nil })
	pass := entries(win.Content())[0]
	test.Type(pass, "sai")
	test.Tap(button(t, win.Content(), lang.L("unlock.button")))
	if !strings.Contains(allLabels(win.Content()), lang.L("unlock.wrong")) {
		t.Errorf("no message for a wrong passphrase:\n%s", allLabels(win.Content()))
	}
	if len(started) != 0 {
		t.Fatal("started with a wrong passphrase")
	}
	test.Type(pass, "mật khẩu đúng 1")
	test.Tap(button(t, win.Content(), lang.L("unlock.button")))
	if len(started) != 1 {
		t.Fatal("not started")
	}
	s := <-started
	defer s.Close()
	if l, err := s.List(); err != nil || len(l) != 40 {
		t.Errorf("%d households after unlock (%v)", len(l), err)
	}
}

// TestForgottenPassphraseAtStart: "Quên mật khẩu?" moves the locked file aside and starts
// on a new encrypted database of the same ward, without its user (to enrol again).
func TestForgottenPassphraseAtStart(t *testing.T) {
	if err := ui.SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "rasoat.db")
	w := demo.DefaultWard
	db, err := store.Create(path, store.Meta{Ward: w.Name, Area: w.Area, Surveyor: "Lê Văn Hiến"},
		store.Options{Passphrase: "mật khẩu đã quên", KDF: &seal.Params{Time: 1, Memory: 64, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	old, _ := db.Meta()
	db.Close()

	synchronous(t)
	win := test.NewTempApp(t).NewWindow("")
	started := make(chan *store.Store, 1)
	unlock(win, path, func(s *store.Store) error { started <- s; return nil })
	test.Tap(button(t, win.Content(), lang.L("unlock.forgot")))
	test.Tap(button(t, win.Canvas().Overlays().Top(), lang.L("unlock.forgot_confirm")))
	dlg := win.Canvas().Overlays().Top()
	es := entries(dlg)
	if len(es) != 2 {
		t.Fatalf("%d entries in the new passphrase dialog", len(es))
	}
	es[0].SetText("mật khẩu mới 2026")
	es[1].SetText("mật khẩu mới 2026")
	test.Tap(button(t, dlg, lang.L("Confirm")))
	if len(started) != 1 {
		t.Fatal("not started")
	}
	s := <-started
	defer s.Close()
	m, err := s.Meta()
	if err != nil || !s.Encrypted() || m.Ward != w.Name || m.Surveyor != "" || m.DeviceID == old.DeviceID {
		t.Errorf("new database: %+v encrypted %v (%v)", m, s.Encrypted(), err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "rasoat.db.locked-*"))
	if len(files) != 1 {
		t.Fatalf("moved aside: %v", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Size() == 0 {
		t.Errorf("the locked file: %v", err)
	}
}

func allLabels(o fyne.CanvasObject) string {
	var b strings.Builder
	walk(o, func(x fyne.CanvasObject) {
		if l, ok := x.(*widget.Label); ok && l.Visible() {
			b.WriteString(l.Text + "\n")
		}
	})
	return b.String()
}
