package ui

import (
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/store"
)

// buildBackup is the settings' section of the office's automatic backups: the folder they go
// to (a setting in the database; by default backups/ beside it), changed by an office user,
// and a backup made at once. A field laptop has none.
func (s *settingsScreen) buildBackup() fyne.CanvasObject {
	x := s.app.access()
	box := container.NewVBox()
	if x == nil || s.app.meta.Role != store.RoleOffice {
		return box
	}
	heading := boldLabel(lang.L("backup.title"))
	intro := wrapLabel(lang.L("backup.intro", map[string]any{"Keep": store.DefaultBackupKeep}), widget.MediumImportance)
	dirLabel := wrapLabel("", widget.LowImportance)
	show := func() {
		dir, err := x.BackupDir()
		if err != nil {
			s.app.showError(err)
			return
		}
		dirLabel.SetText(lang.L("backup.dir", map[string]any{"Dir": dir}))
	}
	show()
	choose := widget.NewButtonWithIcon(lang.L("backup.choose"), theme.FolderOpenIcon(), func() {
		s.app.asOffice(func() {
			s.app.choose.folder(lang.L("backup.choose"), lang.L("backup.choose_confirm"), func(dir string) {
				author := s.app.author()
				s.app.background(func() func() {
					err := x.SetSetting(store.SettingBackupDir, dir, author)
					return func() {
						if err != nil {
							s.app.showError(err)
						}
						show()
					}
				})
			})
		})
	})
	now := widget.NewButtonWithIcon(lang.L("backup.now"), theme.DocumentSaveIcon(), func() {
		author := s.app.author()
		at := s.app.now()
		s.app.background(func() func() {
			path, err := x.BackupBeforeImport(at, author)
			return func() {
				if err != nil {
					s.app.showError(err)
					return
				}
				dialog.ShowInformation(lang.L("backup.title"), lang.L("backup.done", map[string]any{"Path": filepath.Base(path)}), s.app.win)
			}
		})
	})
	box.Add(widget.NewSeparator())
	box.Add(heading)
	box.Add(intro)
	box.Add(dirLabel)
	box.Add(container.NewHBox(choose, now))
	return box
}
