// Command rasoat is the desktop app of the yearly household poverty review (Rà soát hộ nghèo):
// the form a survey team member fills in door to door, offline, with the live classification
// beside it. It only wires things together: flags, the database, its sync side (package sync),
// the language, the window; the screens are in package ui.
//
//	rasoat [--db PATH] [--lang vi|en]
//
// A database that does not exist yet is created and seeded with the demo ward, so a newcomer
// sees households at once; the first-run setup is still offered.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/assets"
	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
	"github.com/rasoat/rasoat/ui"
)

// appID names the app's preferences; the same as FyneApp.toml.
const appID = "vn.rasoat.app"

func main() {
	path := flag.String("db", "", "tệp cơ sở dữ liệu / database file (mặc định / default: "+defaultPath()+")")
	code := flag.String("lang", "", "ngôn ngữ / language: vi (mặc định / default) hoặc / or en")
	flag.Parse()
	if *code != "" && *code != "vi" && *code != "en" {
		fmt.Fprintf(os.Stderr, "rasoat: --lang %q: chỉ nhận vi hoặc en / only vi or en\n", *code)
		os.Exit(2)
	}
	os.Exit(run(*path, *code))
}

func defaultPath() string {
	p, err := store.DefaultPath()
	if err != nil {
		return "?"
	}
	return p
}

func run(path, code string) int {
	fa := app.NewWithID(appID)
	fa.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	if code == "" {
		code = fa.Preferences().StringWithFallback(ui.PrefLanguage, "vi")
	}
	if err := ui.SetLanguage(code); err != nil {
		fmt.Fprintln(os.Stderr, "rasoat:", err)
	}
	win := fa.NewWindow(lang.L("app.title"))
	win.Resize(fyne.NewSize(1280, 800))
	if path == "" {
		p, err := store.DefaultPath()
		if err != nil {
			fmt.Fprintln(os.Stderr, "rasoat:", err)
			showFatal(win, store.Message(err, ui.Lang()))
			return 1
		}
		path = p
	}
	var db *store.Store
	defer func() {
		if db != nil {
			db.Close()
		}
	}()
	start := func(d *store.Store) error {
		db = d
		a := ui.New(fa, win, db, ui.Options{Sync: func() (ui.Syncer, error) { return rsync.New(db, rsync.Options{}) }})
		if err := a.Start(); err != nil {
			return err
		}
		win.SetCloseIntercept(func() { a.Close(win.Close) })
		return nil
	}
	d, err := openDB(path)
	if errors.Is(err, store.ErrEncrypted) {
		// An encrypted database: the unlock screen first (ui/unlock.go).
		unlock(win, path, start)
		win.ShowAndRun()
		return 0
	}
	if err == nil {
		err = start(d)
	}
	if err != nil {
		if d != nil {
			d.Close()
			db = nil
		}
		fmt.Fprintln(os.Stderr, "rasoat:", err)
		showFatal(win, store.Message(err, ui.Lang()))
		return 1
	}
	win.ShowAndRun()
	return 0
}

// unlock shows the unlock screen of the encrypted database at path, then starts the app on it.
// A forgotten passphrase moves the locked file aside (never deleting it) and starts the app on
// a new database of the same ward, to be enrolled again and filled by a sync.
func unlock(win fyne.Window, path string, start func(*store.Store) error) {
	run := unlockRunner
	o := store.Options{Timeout: 2 * time.Second}
	m, _ := store.ReadMeta(path)
	var opened *store.Store
	fatal := func(err error) {
		fmt.Fprintln(os.Stderr, "rasoat:", err)
		dialog.ShowInformation(lang.L("error.title"), store.Message(err, ui.Lang()), win)
	}
	try := func(pass string) error {
		o := o
		o.Passphrase = pass
		d, err := store.Open(path, o)
		opened = d
		return err
	}
	forgot := func() {
		ui.ConfirmForgotten(win, m.Role, func() {
			ui.AskNewPassphrase(win, lang.L("unlock.new_title"), run, func(pass string) error {
				moved, err := store.MoveAside(path)
				if err != nil {
					return err
				}
				o := o
				o.Passphrase = pass
				d, err := store.Create(path, store.Meta{Role: m.Role, Ward: m.Ward, Area: m.Area, DeviceName: m.DeviceName}, o)
				if err != nil {
					return err
				}
				fyne.Do(func() {
					if err := start(d); err != nil {
						fatal(err)
						return
					}
					dialog.ShowInformation(lang.L("unlock.forgot_title"), lang.L("unlock.moved", map[string]any{"Path": moved}), win)
				})
				return nil
			})
		})
	}
	ui.StartUnlock(win, m, run, try, func() {
		if err := start(opened); err != nil {
			fatal(err)
		}
	}, forgot)
}

// unlockRunner runs the passphrase checks of the unlock screen; nil: off the UI goroutine (the
// tests run them at once).
var unlockRunner ui.Runner

// openDB opens the database, or creates it with the demo ward when it does not exist.
func openDB(path string) (*store.Store, error) {
	o := store.Options{Timeout: 2 * time.Second}
	db, err := store.Open(path, o)
	if !errors.Is(err, store.ErrNotExist) {
		return db, err
	}
	w := demo.DefaultWard
	host, _ := os.Hostname()
	db, err = store.Create(path, store.Meta{Role: store.RoleField, Ward: w.Name, Area: w.Area, DeviceName: host}, o)
	if err != nil {
		return nil, err
	}
	if err := seed(db, w); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// seed imports the demo ward's households, complete, as a starting point to look around.
func seed(db *store.Store, w demo.Ward) error {
	var buf bytes.Buffer
	for _, r := range demo.Households(w, 40, 1) {
		buf.Write(household.Encode(r))
		buf.WriteByte('\n')
	}
	_, err := db.Import(&buf, store.ImportOptions{Author: "demo", Status: store.StatusComplete})
	return err
}

// showFatal shows why the app cannot start (the database is in use by another copy, damaged,
// …) in a window of its own, as well as on stderr.
func showFatal(win fyne.Window, msg string) {
	text := widget.NewLabel(msg)
	text.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton(lang.L("app.quit"), win.Close)
	quit.Importance = widget.HighImportance
	title := widget.NewLabel(lang.L("error.title"))
	title.TextStyle = fyne.TextStyle{Bold: true}
	win.SetContent(container.NewPadded(container.NewBorder(title, container.NewHBox(quit), nil, nil, text)))
	win.Resize(fyne.NewSize(560, 220))
	win.ShowAndRun()
}
