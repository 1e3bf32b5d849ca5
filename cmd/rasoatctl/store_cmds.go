package main

// The commands on the local database (package store): init, import, export, backup, verify,
// compact and history. Each takes --db PATH, by default the app's own database of this user
// ($RASOAT_DB, or store.DefaultPath). While the app has the database open they fail with a
// clear message after a second: bbolt allows one program at a time; a backup while the app
// runs is made from the app itself.

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

func init() {
	for _, c := range []*command{
		{"init", "tạo cơ sở dữ liệu mới / create a new database", runStoreInit},
		{"import", "nhập tệp hộ vào cơ sở dữ liệu / import a household file into the database", runStoreImport},
		{"export", "xuất các hộ (hoặc cả lịch sử) ra JSON Lines / export households (or full history) as JSON Lines", runStoreExport},
		{"backup", "sao lưu cơ sở dữ liệu ra tệp / back the database up to a file", runStoreBackup},
		{"verify", "kiểm tra toàn bộ cơ sở dữ liệu / check the whole database", runStoreVerify},
		{"compact", "ghi bản thu gọn của cơ sở dữ liệu / write a compacted copy of the database", runStoreCompact},
		{"history", "lịch sử các lần lưu của một hộ / the saved revisions of one household", runStoreHistory},
	} {
		register(c)
	}
}

// storeFlags are the flags every database command has.
type storeFlags struct {
	db       string
	lang     string
	passFile string // --passphrase-file (passphrase.go)
}

func newStoreFlags(name string, stderr io.Writer, usage ...string) (*flag.FlagSet, *storeFlags) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf := &storeFlags{}
	def, err := store.DefaultPath()
	if err != nil {
		def = ""
	}
	fs.StringVar(&sf.db, "db", def, "tệp cơ sở dữ liệu / database file")
	fs.StringVar(&sf.passFile, "passphrase-file", "", "tệp chứa mật khẩu của cơ sở dữ liệu đã mã hóa (- là đầu vào chuẩn) / file holding the passphrase of an encrypted database (- for standard input)")
	registerLang(fs, &sf.lang)
	fs.Usage = func() {
		for _, l := range usage {
			fmt.Fprintln(stderr, l)
		}
		fs.PrintDefaults()
	}
	return fs, sf
}

// storeParse parses flags that may come before or after the arguments, and returns the
// arguments.
func storeParse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// storeFail prints an error of a database command and returns the exit code for it.
func storeFail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "rasoatctl %s: %s\n", cmd, oneLine(err.Error()))
	return exitBad
}

func (sf *storeFlags) open(cmd string, stderr io.Writer) (*store.Store, int) {
	if sf.db == "" {
		return nil, usageError(stderr, cmd, "cần --db", "--db is required")
	}
	o, err := sf.options()
	if err != nil {
		return nil, storeFail(stderr, cmd, err)
	}
	s, err := store.Open(sf.db, o)
	if err != nil {
		return nil, storeFail(stderr, cmd, encryptedHint(err))
	}
	return s, exitOK
}

func runStoreInit(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("init", stderr,
		"Cách dùng / usage: rasoatctl init [--db PATH] --ward TÊN [--role field|office] [--area urban|rural] [--device-name TÊN] [--surveyor TÊN]",
		"Tạo cơ sở dữ liệu mới, rỗng. Không ghi đè tệp đã có.",
		"Creates a new, empty database. An existing file is never overwritten.")
	ward := fs.String("ward", "", "tên phường/xã (bắt buộc) / ward or commune name (required)")
	role := fs.String("role", string(store.RoleField), "field: máy rà soát viên, office: bản tổng hợp của phường / field laptop or the ward office's copy")
	area := fs.String("area", "", "urban hoặc rural / urban or rural")
	device := fs.String("device-name", "", "tên máy này / name of this device")
	surveyor := fs.String("surveyor", "", "người dùng máy này / the user of this device")
	encrypt := fs.Bool("encrypt", false, "mã hóa bằng mật khẩu của --passphrase-file / encrypt with the passphrase of --passphrase-file")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 || *ward == "" {
		return usageError(stderr, "init", "cần --ward và không có đối số khác", "--ward is required and nothing else")
	}
	if *role != string(store.RoleField) && *role != string(store.RoleOffice) {
		return usageError(stderr, "init", "--role chỉ nhận field hoặc office", "--role takes field or office")
	}
	if *area != "" && *area != household.AreaUrban && *area != household.AreaRural {
		return usageError(stderr, "init", "--area chỉ nhận urban hoặc rural", "--area takes urban or rural")
	}
	if sf.db == "" {
		return usageError(stderr, "init", "cần --db", "--db is required")
	}
	if *encrypt != (sf.passFile != "") {
		return usageError(stderr, "init", "--encrypt đi cùng --passphrase-file", "--encrypt goes with --passphrase-file")
	}
	o, err := sf.options()
	if err != nil {
		return storeFail(stderr, "init", err)
	}
	s, err := store.Create(sf.db, store.Meta{Role: store.Role(*role), Ward: *ward, Area: *area,
		DeviceName: *device, Surveyor: *surveyor}, o)
	if err != nil {
		return storeFail(stderr, "init", err)
	}
	defer s.Close()
	m, err := s.Meta()
	if err != nil {
		return storeFail(stderr, "init", err)
	}
	fmt.Fprintf(stdout, "%s\nvai trò / role: %s, phường / ward: %s, thiết bị / device: %s\n", sf.db, m.Role, m.Ward, m.DeviceID)
	return exitOK
}

func runStoreImport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("import", stderr,
		"Cách dùng / usage: rasoatctl import [--db PATH] [--skip-invalid] [--draft] [--author TÊN] FILE",
		"Nhập mọi hộ của FILE (JSON Lines; - là đầu vào chuẩn) trong một giao dịch: nếu có bản ghi lỗi thì",
		"không nhập gì và liệt kê mọi lỗi (mã thoát 1); với --skip-invalid thì nhập các bản ghi đúng và liệt kê",
		"các bản ghi bị bỏ qua. Hộ đã có được lưu phiên bản mới nếu nội dung khác. Đọc được cả tệp export --history.",
		"Imports every household of FILE (JSON Lines; - is standard input) in one transaction: if any record is",
		"bad nothing is imported and every problem is listed (exit code 1); with --skip-invalid the good records",
		"are imported and the skipped ones listed. A household already there gets a new revision if it differs.",
		"Also reads the files of export --history.")
	skip := fs.Bool("skip-invalid", false, "nhập bản ghi đúng, bỏ qua bản ghi lỗi / import the valid records, skip the others")
	draft := fs.Bool("draft", false, "lưu là bản nháp thay vì hoàn thành / store as drafts instead of complete")
	author := fs.String("author", "", "người nhập (mặc định: người dùng của cơ sở dữ liệu) / author (default: the database's user)")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, "import", "cần đúng một tệp (hoặc -)", "exactly one FILE (or -) is required")
	}
	var in io.Reader = stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err == nil {
			var fi os.FileInfo
			if fi, err = f.Stat(); err == nil && fi.IsDir() {
				err = &os.PathError{Op: "read", Path: pos[0], Err: syscall.EISDIR}
			}
		}
		if err != nil { // before the office's backup: a wrong name changes nothing
			return fileFail(stderr, "import", pos[0], false, err)
		}
		defer f.Close()
		in = f
	}
	s, code := sf.open("import", stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	o := store.ImportOptions{Author: *author, SkipInvalid: *skip}
	if o.Author == "" {
		if m, err := s.Meta(); err == nil && m.Surveyor != "" {
			o.Author = m.Surveyor
		} else {
			o.Author = "rasoatctl"
		}
	}
	if *draft {
		o.Status = store.StatusDraft
	}
	if m, err := s.Meta(); err == nil && m.Role == store.RoleOffice {
		// the office copy backs itself up before every import (store/autobackup.go)
		if _, err := s.BackupBeforeImport(time.Now(), o.Author); err != nil {
			return storeFail(stderr, "import", err)
		}
	}
	rep, err := s.Import(bufio.NewReaderSize(in, 1<<16), o)
	if osProblem(err) {
		err = usedAs(pos[0], false, err)
	}
	for _, p := range rep.Problems {
		fmt.Fprintln(stderr, p.Format(sf.lang))
	}
	if err != nil {
		if errors.Is(err, store.ErrInvalid) && len(rep.Problems) > 0 {
			if sf.lang == "en" {
				fmt.Fprintf(stderr, "%d records have problems: nothing was imported (use --skip-invalid to import the others)\n", rep.Skipped)
			} else {
				fmt.Fprintf(stderr, "%d bản ghi có lỗi: không nhập gì (dùng --skip-invalid để nhập các bản ghi khác)\n", rep.Skipped)
			}
			return exitBad
		}
		return storeFail(stderr, "import", err)
	}
	if sf.lang == "en" {
		fmt.Fprintf(stdout, "added %d, updated %d, unchanged %d, skipped %d\n", rep.Added, rep.Updated, rep.Unchanged, rep.Skipped)
	} else {
		fmt.Fprintf(stdout, "thêm %d, cập nhật %d, không đổi %d, bỏ qua %d\n", rep.Added, rep.Updated, rep.Unchanged, rep.Skipped)
	}
	return exitOK
}

func runStoreExport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("export", stderr,
		"Cách dùng / usage: rasoatctl export [--db PATH] [--history] [--out FILE]",
		"Xuất phiên bản hiện tại của mọi hộ chưa xóa (JSON Lines, định dạng rasoat.household/v1), hoặc với",
		"--history mọi phiên bản của mọi hộ (rasoat.revision/v1, nhập lại được bằng import).",
		"Exports the current version of every household not deleted (JSON Lines, rasoat.household/v1), or with",
		"--history every revision of every household (rasoat.revision/v1, which import reads back).")
	history := fs.Bool("history", false, "cả lịch sử / full history")
	out := fs.String("out", "", "tệp ghi ra (mặc định: đầu ra chuẩn) / output file (default: standard output)")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 {
		return usageError(stderr, "export", "không nhận đối số", "takes no arguments")
	}
	s, code := sf.open("export", stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	err = toOut(*out, stdout, func(w io.Writer) error { return s.Export(w, store.ExportOptions{History: *history}) })
	if err == nil {
		err = s.Audit(store.AuditEntry{Author: "rasoatctl", Action: store.AuditExport, Detail: fmt.Sprintf("export history=%v %s", *history, *out)})
	}
	if err != nil {
		return storeFail(stderr, "export", err)
	}
	return exitOK
}

func runStoreBackup(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("backup", stderr,
		"Cách dùng / usage: rasoatctl backup [--db PATH] [--force] DEST",
		"Ghi bản sao lưu nhất quán của cơ sở dữ liệu ra DEST (mở được như cơ sở dữ liệu).",
		"Writes a consistent backup of the database to DEST (which opens as a database).")
	force := fs.Bool("force", false, "ghi đè DEST nếu đã có / overwrite DEST if it exists")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, "backup", "cần đúng một tệp đích", "exactly one DEST file is required")
	}
	if _, err := os.Stat(pos[0]); err == nil && !*force {
		fmt.Fprintf(stderr, "rasoatctl backup: %s đã có; dùng --force để ghi đè / %s exists; use --force to overwrite\n", pos[0], pos[0])
		return exitBad
	}
	s, code := sf.open("backup", stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	if err := s.BackupFile(pos[0]); err != nil {
		return storeFail(stderr, "backup", err)
	}
	fi, _ := os.Stat(pos[0])
	fmt.Fprintf(stdout, "%s (%d bytes)\n", pos[0], fi.Size())
	if err := s.CheckSound(); err != nil {
		// the copy is written (it may help to recover), but it is no good backup
		fmt.Fprintf(stderr, "rasoatctl backup: %s; %s là bản chép của cơ sở dữ liệu hỏng, đừng dùng nó thay các bản sao lưu tốt / %s; %s is a copy of a damaged database, do not use it in place of the good backups\n",
			oneLine(store.Message(err, "vi")), pos[0], oneLine(store.Message(err, "en")), pos[0])
		return exitBad
	}
	return exitOK
}

func runStoreVerify(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("verify", stderr,
		"Cách dùng / usage: rasoatctl verify [--db PATH]",
		"Kiểm tra tệp (bbolt) và đọc lại mọi phiếu, mọi phiên bản, mọi chỉ mục. Mã thoát 1 nếu có lỗi.",
		"Checks the file (bbolt) and reads back every record, revision and index. Exit code 1 on any problem.")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 {
		return usageError(stderr, "verify", "không nhận đối số", "takes no arguments")
	}
	s, code := sf.open("verify", stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	rep, err := s.Verify()
	for _, e := range rep.Errors {
		fmt.Fprintln(stderr, e)
	}
	if err != nil {
		return storeFail(stderr, "verify", err)
	}
	if sf.lang == "en" {
		fmt.Fprintf(stdout, "OK: %d households (%d deleted, %d in conflict), %d revisions, %d distinct records\n",
			rep.Households, rep.Deleted, rep.Conflicts, rep.Revisions, rep.Records)
	} else {
		fmt.Fprintf(stdout, "Tốt: %d hộ (%d đã xóa, %d xung đột), %d phiên bản, %d nội dung phiếu\n",
			rep.Households, rep.Deleted, rep.Conflicts, rep.Revisions, rep.Records)
	}
	return exitOK
}

func runStoreCompact(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("compact", stderr,
		"Cách dùng / usage: rasoatctl compact [--db PATH] DEST",
		"Ghi bản thu gọn của cơ sở dữ liệu ra DEST (tệp mới); dùng DEST thay tệp cũ khi ứng dụng đã đóng.",
		"Writes a compacted copy of the database to DEST (a new file); use it in place of the old file while the app is closed.")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, "compact", "cần đúng một tệp đích", "exactly one DEST file is required")
	}
	s, code := sf.open("compact", stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	if err := s.Compact(pos[0]); err != nil {
		return storeFail(stderr, "compact", err)
	}
	before, _ := os.Stat(sf.db)
	after, _ := os.Stat(pos[0])
	fmt.Fprintf(stdout, "%s: %d → %d bytes\n", pos[0], before.Size(), after.Size())
	return exitOK
}

func runStoreHistory(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("history", stderr,
		"Cách dùng / usage: rasoatctl history [--db PATH] [--json] ID",
		"Liệt kê mọi lần lưu của hộ ID, cũ nhất trước; với --json in từng phiên bản kèm nội dung (như export --history).",
		"Lists every saved revision of household ID, oldest first; with --json prints each revision with its record (as export --history).")
	asJSON := fs.Bool("json", false, "in JSON Lines / print JSON Lines")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, "history", "cần đúng một mã hộ", "exactly one household ID is required")
	}
	s, code := sf.open("history", stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	revs, err := s.History(pos[0])
	if err != nil {
		return storeFail(stderr, "history", err)
	}
	if *asJSON {
		w := bufio.NewWriter(stdout)
		for _, r := range revs {
			w.Write(store.AppendRevisionLine(nil, &r))
		}
		if err := w.Flush(); err != nil {
			return storeFail(stderr, "history", err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if sf.lang == "en" {
		fmt.Fprintln(tw, "time (UTC)\trevision\tdevice:seq\tauthor\tstatus\thead of household\tnote")
	} else {
		fmt.Fprintln(tw, "thời gian (UTC)\tphiên bản\tthiết bị:số\tngười lưu\ttrạng thái\tchủ hộ\tghi chú")
	}
	for _, r := range revs {
		head := ""
		if rec, ps := household.Decode(r.Record); len(ps) == 0 {
			head = rec.HeadName()
		}
		var note []string
		if r.Deleted {
			note = append(note, storeWord(sf.lang, "đã xóa", "deleted"))
		}
		if r.Restored != "" {
			note = append(note, storeWord(sf.lang, "khôi phục ", "restored ")+r.Restored)
		}
		if len(r.Merged) > 0 {
			note = append(note, storeWord(sf.lang, "gộp ", "merged ")+strings.Join(r.Merged, ","))
		}
		if r.Comment != "" {
			note = append(note, fmt.Sprintf("%q", r.Comment))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s:%d\t%s\t%s\t%s\t%s\n", r.Time.Format("2006-01-02 15:04:05"), r.ID,
			storeShort(r.Device), r.Seq, r.Author, r.Status, head, strings.Join(note, "; "))
	}
	if err := tw.Flush(); err != nil {
		return storeFail(stderr, "history", err)
	}
	return exitOK
}

func storeWord(lang, vi, en string) string {
	if lang == "en" {
		return en
	}
	return vi
}

// storeShort shortens a UUID device id for a table.
func storeShort(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// toOut runs write on the file named by out, written whole or not at all, or on stdout when
// out is "". A failure of the file or the disk names it; the store's own error stays itself.
func toOut(out string, stdout io.Writer, write func(io.Writer) error) error {
	if out != "" {
		return writeFileAtomic(out, write)
	}
	err := write(stdout)
	if osProblem(err) {
		return fileErr("-", true, err)
	}
	return err
}
