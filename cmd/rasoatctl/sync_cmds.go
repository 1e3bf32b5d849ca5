package main

// The sync commands (package sync): enroll, approve, revoke, devices, sync export|import|push,
// serve and conflicts. Like the database commands they take --db PATH.

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

func init() {
	for _, c := range []*command{
		{"enroll", "máy rà soát: tạo yêu cầu đăng ký, hoặc cài gói đăng ký của phường / laptop: make an enrollment request, or install the ward's package", runEnroll},
		{"approve", "văn phòng: duyệt yêu cầu đăng ký của một máy / office: approve a laptop's enrollment request", runApprove},
		{"revoke", "văn phòng: thu hồi quyền đồng bộ của một máy / office: revoke a device", runRevoke},
		{"devices", "văn phòng: các máy đã đăng ký / office: the enrolled devices", runDevices},
		{"sync", "đồng bộ: export --to THƯ_MỤC, import THƯ_MỤC, push [URL] / sync: export, import, push", runSync},
		{"serve", "văn phòng: chạy máy chủ đồng bộ HTTPS trong mạng nội bộ / office: run the HTTPS sync server on the LAN", runServe},
		{"conflicts", "các hộ bị sửa đồng thời trên hai máy / households edited concurrently on two devices", runConflicts},
	} {
		register(c)
	}
}

// syncOpen opens the database and its sync node.
func syncOpen(cmd string, sf *storeFlags, stderr io.Writer) (*store.Store, *rsync.Node, int) {
	st, code := sf.open(cmd, stderr)
	if code != exitOK {
		return nil, nil, code
	}
	n, err := rsync.New(st, rsync.Options{})
	if err != nil {
		st.Close()
		return nil, nil, storeFail(stderr, cmd, err)
	}
	return st, n, exitOK
}

// syncFail prints an error Vietnamese first, then English (docs/sync-format.md), as the other
// commands do.
func syncFail(stderr io.Writer, cmd string, err error) int {
	fmt.Fprintf(stderr, "rasoatctl %s: %s\n", cmd, oneLine(errorBoth(err)))
	return exitBad
}

func runEnroll(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("enroll", stderr,
		"Cách dùng / usage: rasoatctl enroll [--db PATH] [--out FILE]        (bước 1 / step 1)",
		"               rasoatctl enroll [--db PATH] --package FILE       (bước 3 / step 3)",
		"Bước 1: máy rà soát tạo khóa riêng (không bao giờ rời máy) và ghi yêu cầu đăng ký ra FILE; đọc mã",
		"xác nhận in ra cho cán bộ phường. Bước 2 ở văn phòng: rasoatctl approve. Bước 3: cài gói đăng ký nhận về.",
		"Step 1: the laptop makes its own keys (they never leave it) and writes an enrollment request to FILE;",
		"read the printed code out to the office. Step 2 at the office: rasoatctl approve. Step 3: install the package.")
	out := fs.String("out", "rasoat-enroll-request.json", "tệp yêu cầu / request file")
	pkg := fs.String("package", "", "gói đăng ký từ văn phòng / the office's enrollment package")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 {
		return usageError(stderr, "enroll", "không nhận đối số", "takes no arguments")
	}
	st, n, code := syncOpen("enroll", sf, stderr)
	if code != exitOK {
		return code
	}
	defer st.Close()
	if *pkg != "" {
		data, err := os.ReadFile(*pkg)
		if err != nil {
			return fileFail(stderr, "enroll", *pkg, false, err)
		}
		p, err := n.InstallPackage(data)
		if err != nil {
			return syncFail(stderr, "enroll", err)
		}
		fmt.Fprintf(stdout, "đã đăng ký với / enrolled with: %s (%s)\n", p.Ward, p.WardID)
		if p.Address != "" {
			fmt.Fprintf(stdout, "máy chủ / server: https://%s (TLS SHA-256 %s)\n", p.Address, p.TLSSHA256)
		}
		if p.ScoreTable != nil {
			fmt.Fprintln(stdout, "đã nạp bảng điểm thu nhập của văn phòng phường / loaded the ward office's income score table (rasoatctl scoretable show)")
		}
		return exitOK
	}
	data, c, err := n.EnrollRequest()
	if err != nil {
		return syncFail(stderr, "enroll", err)
	}
	if err := os.WriteFile(*out, data, 0o600); err != nil {
		return fileFail(stderr, "enroll", *out, true, err)
	}
	fmt.Fprintf(stdout, "yêu cầu / request: %s\nthiết bị / device: %s\nmã xác nhận / code: %s\n", *out, n.DeviceID(), c)
	return exitOK
}

func runApprove(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("approve", stderr,
		"Cách dùng / usage: rasoatctl approve [--db PATH] --code MÃ [--addr HOST:CỔNG] [--out FILE] YÊU_CẦU",
		"Duyệt yêu cầu đăng ký YÊU_CẦU sau khi so mã xác nhận rà soát viên đọc; ghi gói đăng ký ra FILE để",
		"mang về máy rà soát. --addr là địa chỉ của rasoatctl serve trong mạng nội bộ (bỏ trống nếu chỉ dùng USB).",
		"Approves the enrollment REQUEST once the code the surveyor reads out matches; writes the package to FILE",
		"to carry back to the laptop. --addr is where rasoatctl serve listens on the LAN (empty: USB only).")
	codeFlag := fs.String("code", "", "mã xác nhận rà soát viên đọc (bắt buộc) / the code the surveyor reads out (required)")
	addr := fs.String("addr", "", "HOST:CỔNG của máy chủ đồng bộ / HOST:PORT of the sync server")
	out := fs.String("out", "", "tệp gói đăng ký (mặc định rasoat-enroll-THIẾT_BỊ.json) / package file")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 || *codeFlag == "" {
		return usageError(stderr, "approve", "cần --code và đúng một tệp yêu cầu", "--code and exactly one request file are required")
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return fileFail(stderr, "approve", pos[0], false, err)
	}
	st, n, code := syncOpen("approve", sf, stderr)
	if code != exitOK {
		return code
	}
	defer st.Close()
	pkg, d, err := n.Approve(data, *codeFlag, *addr)
	if err != nil {
		return syncFail(stderr, "approve", err)
	}
	path := *out
	if path == "" {
		path = "rasoat-enroll-" + safeName(d.ID) + ".json"
	}
	if err := os.WriteFile(path, pkg, 0o600); err != nil {
		return fileFail(stderr, "approve", path, true, err)
	}
	fmt.Fprintf(stdout, "đã duyệt / approved: %s %s (%s)\ngói đăng ký / package: %s\n", d.ID, d.Name, d.Surveyor, path)
	return exitOK
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

func runRevoke(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("revoke", stderr,
		"Cách dùng / usage: rasoatctl revoke [--db PATH] THIẾT_BỊ",
		"Thu hồi quyền đồng bộ của THIẾT_BỊ: mọi lô dữ liệu của nó từ nay bị từ chối (kể cả lô đang chờ).",
		"Revokes DEVICE: its batches are refused from now on (waiting ones too).")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, "revoke", "cần đúng một mã thiết bị", "exactly one device id is required")
	}
	st, n, code := syncOpen("revoke", sf, stderr)
	if code != exitOK {
		return code
	}
	defer st.Close()
	d, err := n.Revoke(pos[0])
	if err != nil {
		return syncFail(stderr, "revoke", err)
	}
	fmt.Fprintf(stdout, "đã thu hồi / revoked: %s %s lúc / at %s\n", d.ID, d.Name, d.Revoked.Format(time.RFC3339))
	return exitOK
}

func runDevices(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("devices", stderr,
		"Cách dùng / usage: rasoatctl devices [--db PATH]",
		"Liệt kê các máy đã đăng ký: mã, tên, rà soát viên, số phiên bản đã nhận, lần cuối, trạng thái.",
		"Lists the enrolled devices: id, name, surveyor, revisions received, last seen, state.")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 {
		return usageError(stderr, "devices", "không nhận đối số", "takes no arguments")
	}
	st, n, code := syncOpen("devices", sf, stderr)
	if code != exitOK {
		return code
	}
	defer st.Close()
	ds, err := n.Devices()
	if err != nil {
		return syncFail(stderr, "devices", err)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "THIẾT BỊ/DEVICE\tTÊN/NAME\tĐTV/SURVEYOR\tĐÃ NHẬN/HAVE\tLẦN CUỐI/LAST SEEN\tTRẠNG THÁI/STATE")
	for _, d := range ds {
		seen, state := "-", "hoạt động/active"
		if !d.LastSeen.IsZero() {
			seen = d.LastSeen.Local().Format("2006-01-02 15:04")
		}
		if !d.Revoked.IsZero() {
			state = "thu hồi/revoked " + d.Revoked.Local().Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", d.ID, d.Name, d.Surveyor, d.Have, seen, state)
	}
	tw.Flush()
	return exitOK
}

func runSync(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	usage := func(w io.Writer) {
		fmt.Fprintln(w, "Cách dùng / usage:")
		fmt.Fprintln(w, "  rasoatctl sync export [--db PATH] --to THƯ_MỤC   ghi các lô dữ liệu ra thư mục (USB) / write batches to a folder (USB)")
		fmt.Fprintln(w, "  rasoatctl sync import [--db PATH] THƯ_MỤC        nhập các lô dữ liệu của máy này / import the batches for this database")
		fmt.Fprintln(w, "  rasoatctl sync push [--db PATH] [URL]            máy rà soát: gửi và nhận qua mạng / laptop: send and receive over the LAN")
	}
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		usage(stdout)
		return exitOK
	case "export":
		return runSyncExport(args[1:], stdout, stderr)
	case "import":
		return runSyncImport(args[1:], stdout, stderr)
	case "push":
		return runSyncPush(args[1:], stdout, stderr)
	}
	return usageError(stderr, "sync", fmt.Sprintf("không có lệnh con %q", args[0]), fmt.Sprintf("unknown subcommand %q", args[0]))
}

func printResult(w io.Writer, r rsync.Result, office bool) {
	fmt.Fprintf(w, "lô / batches: %d, phiên bản / revisions: %d, mới / new: %d", r.Batches, r.Revisions, r.Added)
	if r.Delivered > 0 {
		fmt.Fprintf(w, ", văn phòng nhận mới / new at the office: %d", r.Delivered)
	}
	fmt.Fprintln(w)
	if !office {
		fmt.Fprintf(w, "văn phòng đã xác nhận đến / acknowledged up to: %d; chưa gửi xong / not yet acknowledged: %d\n", r.Acked, r.Unsent)
	}
	if r.Waiting > 0 {
		fmt.Fprintf(w, "lô chờ lô trước / batches waiting for earlier ones: %d\n", r.Waiting)
	}
	if r.Conflicts > 0 {
		fmt.Fprintf(w, "hộ bị sửa đồng thời / households in conflict: %d (rasoatctl conflicts)\n", r.Conflicts)
	}
	switch r.ScoreTable {
	case rsync.ScoreTableLoaded:
		fmt.Fprintln(w, "đã nạp bảng điểm thu nhập của văn phòng phường / loaded the ward office's income score table (rasoatctl scoretable show)")
	case rsync.ScoreTableRemoved:
		fmt.Fprintln(w, "văn phòng phường đã bỏ bảng điểm thu nhập: máy này cũng bỏ / the ward office removed its income score table: so did this laptop")
	}
}

func runSyncExport(args []string, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("sync export", stderr,
		"Cách dùng / usage: rasoatctl sync export [--db PATH] --to THƯ_MỤC",
		"Máy rà soát: ghi mọi phiên bản văn phòng chưa xác nhận. Văn phòng: ghi cho mỗi máy những gì nó còn thiếu.",
		"Laptop: writes every revision the office has not acknowledged. Office: writes for each laptop what it lacks.")
	to := fs.String("to", "", "thư mục đích, ví dụ USB (bắt buộc) / destination folder, e.g. a USB stick (required)")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 || *to == "" {
		return usageError(stderr, "sync export", "cần --to THƯ_MỤC", "--to DIR is required")
	}
	st, n, code := syncOpen("sync export", sf, stderr)
	if code != exitOK {
		return code
	}
	defer st.Close()
	res, err := n.ExportTo(*to)
	if err != nil {
		return syncFail(stderr, "sync export", usedAs(*to, true, err))
	}
	for _, f := range res.Files {
		fmt.Fprintln(stdout, filepath.Join(*to, f))
	}
	fmt.Fprintf(stdout, "lô / batches: %d, phiên bản / revisions: %d\n", res.Batches, res.Revisions)
	return exitOK
}

func runSyncImport(args []string, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("sync import", stderr,
		"Cách dùng / usage: rasoatctl sync import [--db PATH] THƯ_MỤC",
		"Nhập các lô dữ liệu gửi cho máy này từ THƯ_MỤC. Nhập lại không thay đổi gì; lô bị từ chối không ghi gì.",
		"Imports the batches in DIR meant for this database. Importing again changes nothing; a refused batch writes nothing.",
		"Mã thoát / exit code: 1 nếu có lô bị từ chối / if a batch was refused.")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, "sync import", "cần đúng một thư mục", "exactly one folder is required")
	}
	st, n, code := syncOpen("sync import", sf, stderr)
	if code != exitOK {
		return code
	}
	defer st.Close()
	if m, err := st.Meta(); err == nil && m.Role == store.RoleOffice {
		// the office copy backs itself up before every import (store/autobackup.go)
		if _, err := st.BackupBeforeImport(time.Now(), "rasoatctl"); err != nil {
			return storeFail(stderr, "sync import", err)
		}
	}
	res, err := n.ImportFrom(pos[0])
	if err != nil {
		return syncFail(stderr, "sync import", usedAs(pos[0], false, err))
	}
	for _, r := range res.Refused {
		fmt.Fprintf(stderr, "rasoatctl sync import: %s: %s\n", r.File, oneLine(errorBoth(r.Err)))
	}
	m, _ := st.Meta()
	printResult(stdout, res, m.Role == store.RoleOffice)
	if len(res.Refused) > 0 {
		return exitBad
	}
	return exitOK
}

func runSyncPush(args []string, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("sync push", stderr,
		"Cách dùng / usage: rasoatctl sync push [--db PATH] [--timeout 5m] [URL]",
		"Máy rà soát: gửi văn phòng mọi phiên bản chưa được xác nhận rồi nhận những gì mới, qua HTTPS tới URL",
		"(mặc định: địa chỉ trong gói đăng ký). Bị ngắt giữa chừng thì chạy lại: tiếp tục từ lô đã xác nhận.",
		"Laptop: sends the office every revision it has not acknowledged, then receives what is new, over HTTPS",
		"to URL (default: the address of the enrollment package). If cut off, run it again: it resumes.")
	timeout := fs.Duration("timeout", 5*time.Minute, "thời gian tối đa / time limit")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) > 1 {
		return usageError(stderr, "sync push", "nhiều nhất một URL", "at most one URL")
	}
	st, n, code := syncOpen("sync push", sf, stderr)
	if code != exitOK {
		return code
	}
	defer st.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	var res rsync.Result
	if len(pos) == 1 {
		url := pos[0]
		if !strings.Contains(url, "://") {
			url = "https://" + url
		}
		res, err = n.SyncWith(ctx, url, nil)
	} else {
		res, err = n.SyncNow(ctx, nil)
	}
	if err != nil {
		return syncFail(stderr, "sync push", err)
	}
	printResult(stdout, res, false)
	return exitOK
}

// serveContext is the lifetime of rasoatctl serve: until SIGINT or SIGTERM. Tests replace it.
var serveContext = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("serve", stderr,
		"Cách dùng / usage: rasoatctl serve [--db PATH] --addr HOST:CỔNG",
		"Văn phòng: chạy máy chủ đồng bộ HTTPS (chứng chỉ tự ký tạo khi thiết lập, máy rà soát ghim theo dấu vân tay)",
		"cho đến khi nhấn Ctrl+C. Office: runs the HTTPS sync server (self-signed certificate made at set-up, pinned",
		"by fingerprint on the laptops) until Ctrl+C.")
	addr := fs.String("addr", ":8443", "địa chỉ lắng nghe / listen address")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 {
		return usageError(stderr, "serve", "không nhận đối số", "takes no arguments")
	}
	st, n, code := syncOpen("serve", sf, stderr)
	if code != exitOK {
		return code
	}
	defer st.Close()
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return usageError(stderr, "serve", "--addr cần dạng HOST:CỔNG", "--addr must be HOST:PORT")
	}
	info, err := n.SetupOffice(host)
	if err != nil {
		return syncFail(stderr, "serve", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return storeFail(stderr, "serve", err)
	}
	ctx, cancel := serveContext()
	defer cancel()
	fmt.Fprintf(stdout, "phường / ward: %s (%s)\nTLS SHA-256: %s\nđang lắng nghe / listening on https://%s\n",
		info.Ward, info.WardID, info.TLSSHA256, ln.Addr())
	if err := n.Serve(ctx, ln); err != nil {
		return storeFail(stderr, "serve", err)
	}
	fmt.Fprintln(stdout, "đã dừng / stopped")
	return exitOK
}

func runConflicts(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("conflicts", stderr,
		"Cách dùng / usage: rasoatctl conflicts [--db PATH]",
		"Liệt kê các hộ bị sửa đồng thời trên hai máy, với các phiên bản cạnh tranh. Phiên bản tạm thời là phiên bản",
		"lưu sau cùng (cùng lúc thì mã lớn hơn); mọi phiên bản đều được giữ. Giải quyết bằng khôi phục một phiên bản.",
		"Lists the households edited concurrently on two devices, with the competing versions. The provisional one is",
		"the later (same time: the larger id); all are kept. Resolve by restoring one of them.")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 0 {
		return usageError(stderr, "conflicts", "không nhận đối số", "takes no arguments")
	}
	st, code := sf.open("conflicts", stderr)
	if code != exitOK {
		return code
	}
	defer st.Close()
	ids, err := st.Conflicts()
	if err != nil {
		return storeFail(stderr, "conflicts", err)
	}
	if len(ids) == 0 {
		fmt.Fprintln(stdout, "không có hộ nào bị sửa đồng thời / no households in conflict")
		return exitOK
	}
	for _, id := range ids {
		rec, cur, err := st.Get(id)
		if err != nil && rec == nil {
			return storeFail(stderr, "conflicts", err)
		}
		hist, err := st.History(id)
		if err != nil {
			return storeFail(stderr, "conflicts", err)
		}
		fmt.Fprintf(stdout, "%s  %s  %s\n", id, rec.HeadName(), rec.Group)
		for _, h := range heads(hist) {
			mark := ""
			if h.ID == cur.ID {
				mark = "  ← tạm thời / provisional"
			}
			fmt.Fprintf(stdout, "    %s  %s  %s  %s  %s%s\n", h.ID, h.Time.Local().Format("2006-01-02 15:04:05"), h.Device, h.Author, h.Status, mark)
		}
	}
	return exitOK
}

// heads are the revisions of a history that no other revision of it descends from, latest
// first.
func heads(hist []store.Revision) []store.Revision {
	parent := map[string]bool{}
	for _, r := range hist {
		if r.Parent != "" {
			parent[r.Parent] = true
		}
		for _, m := range r.Merged {
			parent[m] = true
		}
	}
	var out []store.Revision
	for _, r := range hist {
		if !parent[r.ID] {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b store.Revision) int {
		if c := b.Time.Compare(a.Time); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out
}
