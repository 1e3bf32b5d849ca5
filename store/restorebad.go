package store

import (
	"errors"
	"strings"
)

// ErrBadBackup is a backup that cannot replace the database: it is damaged or no database.
var ErrBadBackup = &Error{
	"Bản sao lưu bị hỏng hoặc không phải cơ sở dữ liệu Rà soát; không khôi phục gì, hãy chọn bản sao lưu khác",
	"The backup is damaged or is not a rasoat database; nothing was restored, choose another backup"}

// badBackup returns the error of checking the copy tmp of backup in the words of the backup:
// a damaged or foreign file is ErrBadBackup naming backup (never the temporary copy); other
// errors (encrypted, newer schema, …) keep their kind with tmp renamed backup.
func badBackup(err error, tmp, backup string) error {
	vi, en := Message(err, "vi"), Message(err, "en")
	var d *detailed
	if errors.As(err, &d) {
		vi, en = d.vi, d.en
	}
	vi, en = strings.ReplaceAll(vi, tmp, backup), strings.ReplaceAll(en, tmp, backup)
	if errors.Is(err, ErrCorrupt) || errors.Is(err, ErrNotStore) {
		if vi == backup {
			vi, en = backup+" (tệp bị hỏng)", backup+" (the file is damaged)"
		}
		if errors.Is(err, ErrNotStore) {
			vi, en = strings.TrimPrefix(vi, backup+": "), strings.TrimPrefix(en, backup+": ")
			if vi == backup {
				vi, en = "", ""
			}
			vi, en = join(backup, "không phải cơ sở dữ liệu Rà soát"+paren(vi)), join(backup, "not a rasoat database"+paren(en))
		}
		if !strings.Contains(vi, backup) {
			vi, en = join(backup, vi), join(backup, en)
		}
		return &detailed{kind: ErrBadBackup, vi: vi, en: en}
	}
	if d == nil {
		return err
	}
	c := *d
	c.vi, c.en = vi, en
	return &c
}

func paren(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}
