package main

// The commands of the audit log, the office users and restoring a backup: audit export,
// user add|list|disable, restore.

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/rasoat/rasoat/store"
)

func init() {
	for _, c := range []*command{
		{"audit", "xuất nhật ký thay đổi (JSON Lines) / export the audit log (JSON Lines)", runAudit},
		{"user", "người dùng của phường: add, list, disable / office users: add, list, disable", runUser},
		{"restore", "khôi phục cơ sở dữ liệu từ bản sao lưu / restore the database from a backup", runRestore},
	} {
		register(c)
	}
}

func runAudit(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("audit", stderr,
		"Cách dùng / usage: rasoatctl audit export [--db PATH] [--household ID] [--out FILE]",
		"Xuất nhật ký thay đổi (ai, khi nào, máy nào, thay đổi gì), cũ trước, mỗi dòng một mục JSON;",
		"với --household chỉ các mục của hộ đó.",
		"Exports the audit log (who, when, which device, what changed), oldest first, one JSON entry a",
		"line; with --household only that household's entries.")
	hh := fs.String("household", "", "mã hộ / household id")
	out := fs.String("out", "", "tệp ghi ra (mặc định: đầu ra chuẩn) / output file (default: standard output)")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 || pos[0] != "export" {
		return usageError(stderr, "audit", "cần lệnh con export", "the subcommand export is required")
	}
	s, code := sf.open("audit", stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	err = toOut(*out, stdout, func(w io.Writer) error { return s.ExportAudit(w, *hh) })
	if err != nil {
		return storeFail(stderr, "audit", err)
	}
	return exitOK
}

func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("user", stderr,
		"Cách dùng / usage: rasoatctl user add NAME --password-file FILE [--by NAME] | user list | user disable NAME --by NAME [--db PATH]",
		"Người dùng của phường: thao tác của văn phòng (duyệt, trả lại, thu hồi máy, xuất danh sách, đổi cài đặt)",
		"cần một người dùng có mật khẩu. Người dùng chỉ bị khóa, không bị xóa.",
		"Office users: the office's actions (approve, return, revoke a device, export lists, change settings)",
		"need a user with a password. Users are disabled, never removed.")
	passFile := fs.String("password-file", "", "tệp chứa mật khẩu (dòng đầu; - là đầu vào chuẩn) / file holding the password (first line; - for standard input)")
	by := fs.String("by", "", "người thực hiện (ghi vào nhật ký) / who does it (recorded in the audit log)")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) == 0 {
		return usageError(stderr, "user", "cần add, list hoặc disable", "add, list or disable is required")
	}
	sub := pos[0]
	switch {
	case sub == "list" && len(pos) == 1:
	case (sub == "add" || sub == "disable") && len(pos) == 2:
	default:
		return usageError(stderr, "user", "lệnh con hoặc số đối số sai", "wrong subcommand or number of arguments")
	}
	if sub == "add" && *passFile == "" {
		return usageError(stderr, "user", "add cần --password-file", "add needs --password-file")
	}
	s, code := sf.open("user", stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	switch sub {
	case "list":
		us, err := s.ListUsers()
		if err != nil {
			return storeFail(stderr, "user", err)
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, u := range us {
			state := "active"
			if !u.Disabled.IsZero() {
				state = "disabled " + u.Disabled.Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Name, u.Created.Format(time.RFC3339), state)
		}
		tw.Flush()
	case "add":
		p, err := readPassphrase(*passFile)
		if err != nil {
			return storeFail(stderr, "user", err)
		}
		if err := s.AddUser(pos[1], p, *by); err != nil {
			return storeFail(stderr, "user", err)
		}
	case "disable":
		if err := s.DisableUser(pos[1], *by); err != nil {
			return storeFail(stderr, "user", err)
		}
	}
	return exitOK
}

func runRestore(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("restore", stderr,
		"Cách dùng / usage: rasoatctl restore [--dry-run] BACKUP [--db PATH]",
		"Kiểm tra bản sao lưu (trên một bản chép, không sửa nó) và so với cơ sở dữ liệu hiện tại. Với --dry-run",
		"chỉ báo cáo, không đổi gì. Nếu không, tệp hiện tại được giữ lại là TÊN.before-restore-THỜIGIAN.db",
		"và bản sao lưu thay vào chỗ của nó (đổi tên nguyên tử). Hãy đóng ứng dụng trước.",
		"Checks the backup (on a copy, never changing it) and compares it with the current database. With",
		"--dry-run it only reports and changes nothing. Otherwise the current file is kept as",
		"NAME.before-restore-TIMESTAMP.db and the backup takes its place (an atomic rename). Close the app first.")
	dry := fs.Bool("dry-run", false, "chỉ kiểm tra và so sánh / only check and compare")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, "restore", "cần đúng một tệp sao lưu", "exactly one BACKUP file is required")
	}
	if sf.db == "" {
		return usageError(stderr, "restore", "cần --db", "--db is required")
	}
	o, err := sf.options()
	if err != nil {
		return storeFail(stderr, "restore", err)
	}
	rep, err := store.RestoreFile(pos[0], sf.db, *dry, time.Now(), o)
	en := sf.lang == "en"
	// a summary line of each file that could be opened and checked, in one language
	line := func(vi, en2 string, v store.VerifyReport, audit int) {
		if en {
			fmt.Fprintf(stdout, "%-22s %6d households, %6d deleted, %7d revisions, %6d audit entries, %d problem(s)\n",
				en2, v.Households, v.Deleted, v.Revisions, audit, len(v.Errors))
			return
		}
		fmt.Fprintf(stdout, "%-22s %6d hộ, %6d đã xóa, %7d phiên bản, %6d mục nhật ký, %d lỗi\n",
			vi, v.Households, v.Deleted, v.Revisions, audit, len(v.Errors))
	}
	if rep.Checked {
		line("bản sao lưu:", "backup:", rep.Backup, rep.BackupAudit)
	}
	if rep.CurrentChecked {
		line("hiện tại:", "current:", rep.Current, rep.CurrentAudit)
	}
	if err != nil {
		for _, e := range rep.Backup.Errors {
			fmt.Fprintln(stderr, "  "+e)
		}
		return storeFail(stderr, "restore", encryptedHint(err))
	}
	switch {
	case *dry && en:
		fmt.Fprintln(stdout, "dry run: the backup verifies; nothing was changed")
	case *dry:
		fmt.Fprintln(stdout, "chạy thử: bản sao lưu kiểm tra tốt; không đổi gì")
	case en:
		fmt.Fprintf(stdout, "restored %s; the previous database is kept as %s\n", sf.db, rep.Kept)
	default:
		fmt.Fprintf(stdout, "đã khôi phục %s; cơ sở dữ liệu trước được giữ là %s\n", sf.db, rep.Kept)
	}
	return exitOK
}
