package sync

import (
	"bufio"
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	gosync "sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rasoat/rasoat/store"
)

// The fault tests run imports and exports in a child process (this test binary, started with
// RASOAT_SYNC_HELPER set) and kill it with SIGKILL while it works.

func TestMain(m *testing.M) {
	if action := os.Getenv("RASOAT_SYNC_HELPER"); action != "" {
		os.Exit(helperMain(action))
	}
	os.Exit(m.Run())
}

// helperMain opens the database of RASOAT_SYNC_DB, says "ready", runs the import or export
// of RASOAT_SYNC_DIR and says "done".
func helperMain(action string) int {
	st, err := store.Open(os.Getenv("RASOAT_SYNC_DB"), store.Options{Timeout: 5 * time.Second})
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 3
	}
	defer st.Close()
	per, _ := strconv.Atoi(os.Getenv("RASOAT_SYNC_BATCH"))
	n, err := New(st, Options{BatchRevisions: per})
	if err != nil {
		return 3
	}
	os.Stdout.WriteString("ready\n")
	switch action {
	case "import":
		res, err := n.ImportFrom(os.Getenv("RASOAT_SYNC_DIR"))
		if err != nil || len(res.Refused) > 0 {
			os.Stderr.WriteString("import failed\n")
			return 4
		}
	case "export":
		if _, err := n.ExportTo(os.Getenv("RASOAT_SYNC_DIR")); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			return 4
		}
	default:
		return 2
	}
	os.Stdout.WriteString("done\n")
	return 0
}

// startChild runs this test binary again as a child with env added, which says "ready" on its
// first line of output when it has started its work; the child's stderr is in a failure.
func startChild(t *testing.T, env ...string) (cmd *exec.Cmd, out io.Reader, lines *bufio.Scanner, stderr *strings.Builder) {
	t.Helper()
	cmd = exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr = &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines = bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child did not start: %s", stderr.String())
	}
	return cmd, out, lines, stderr
}

// killDuring runs the helper on a database and kills it delay after it is ready; it reports
// whether the helper was killed before it finished.
func killDuring(t *testing.T, action, db, dir string, per int, delay time.Duration) bool {
	t.Helper()
	cmd, out, lines, stderr := startChild(t, "RASOAT_SYNC_HELPER="+action, "RASOAT_SYNC_DB="+db, "RASOAT_SYNC_DIR="+dir,
		"RASOAT_SYNC_BATCH="+strconv.Itoa(per))
	finished := make(chan bool, 1)
	go func() {
		ok := lines.Scan() && lines.Text() == "done"
		io.Copy(io.Discard, out)
		finished <- ok
	}()
	time.Sleep(delay)
	cmd.Process.Signal(syscall.SIGKILL)
	done := <-finished
	err := cmd.Wait()
	if done {
		return false
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("helper failed rather than killed: %v: %s", err, stderr.String())
	}
	return true
}

// checkSubset fails unless the site's revisions are some of want, each once and unchanged,
// and the store verifies.
func checkSubset(t *testing.T, s *site, want map[string]store.Revision) int {
	t.Helper()
	got := s.revisions(t)
	for id, r := range got {
		w, ok := want[id]
		if !ok || w.Hash != r.Hash || w.Seq != r.Seq {
			t.Fatalf("%s holds revision %s that it should not", s.name, id)
		}
	}
	rep, err := s.st.Verify()
	if err != nil || !rep.OK() {
		t.Fatalf("%s does not verify: %+v %v", s.name, rep, err)
	}
	return len(got)
}

// TestKillOfficeDuringImport kills the office again and again while it imports a stick of
// batches; each time the database opens, holds only whole batches' revisions, and in the end
// an import completes with every revision exactly once.
func TestKillOfficeDuringImport(t *testing.T) {
	kills, per, n := 8, 20, 120
	if testing.Short() {
		kills, n = 4, 60
	}
	w := newWorld(t)
	w.noSync = false
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	b := w.newLaptop("b", "")
	a.households(t, n, 31)
	b.households(t, n, 32)
	hs := a.households(t, 5, 33)
	for _, h := range hs {
		a.edit(t, h.ID, "sửa")
	}
	stick := t.TempDir()
	for _, l := range []*site{a, b} {
		l.n.o.BatchRevisions = per
		if _, err := l.n.ExportTo(stick); err != nil {
			t.Fatal(err)
		}
	}
	want := union(t, a, b)
	office.st.Close()

	interrupted, seen := 0, []int{}
	for i := 0; i < kills; i++ {
		delay := time.Duration(i*i) * time.Millisecond
		if killDuring(t, "import", office.path, stick, per, delay) {
			interrupted++
		}
		office = w.reopen(office)
		seen = append(seen, checkSubset(t, office, want))
		office.st.Close()
	}
	if interrupted == 0 {
		t.Fatal("no kill came before the import finished: the test proved nothing")
	}
	office = w.reopen(office)
	res, err := office.n.ImportFrom(stick)
	if err != nil || len(res.Refused) > 0 {
		t.Fatal(err, res.Refused)
	}
	sameRevisions(t, "office", office.revisions(t), want)
	if res.Waiting != 0 {
		t.Fatalf("%d batches still waiting", res.Waiting)
	}
	before := snapshot(t, office)
	if res, err := office.n.ImportFrom(stick); err != nil || res.Added != 0 || snapshot(t, office) != before {
		t.Fatalf("a second import changed things: %+v %v", res, err)
	}
	t.Logf("%d kills, %d before the import finished; revisions present after each: %v of %d", kills, interrupted, seen, len(want))
}

// TestKillLaptopDuringExport kills a laptop again and again while it writes batches to a
// stick. Whatever files are on the stick are whole (they import without refusal), and a
// re-export and import deliver everything exactly once.
func TestKillLaptopDuringExport(t *testing.T) {
	kills, per, n := 6, 15, 150
	if testing.Short() {
		kills, n = 3, 60
	}
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	a.households(t, n, 41)
	want := a.revisions(t)
	a.st.Close()
	stick := t.TempDir()
	interrupted, onStick := 0, []int{}
	for i := 0; i < kills; i++ {
		if killDuring(t, "export", a.path, stick, per, time.Duration(i*4)*time.Millisecond) {
			interrupted++
		}
		files, _ := filepath.Glob(filepath.Join(stick, "up-*"+fileExt))
		onStick = append(onStick, len(files))
		// the office imports whatever is there: no file is damaged
		res, err := office.n.ImportFrom(stick)
		if err != nil || len(res.Refused) > 0 {
			t.Fatalf("after kill %d: %v %v", i, err, res.Refused)
		}
		checkSubset(t, office, want)
	}
	if interrupted == 0 {
		t.Fatal("no kill came before the export finished: the test proved nothing")
	}
	a = w.reopen(a)
	a.n.o.BatchRevisions = per
	usbRound(t, stick, office, a)
	sameRevisions(t, "office", office.revisions(t), want)
	if p, err := a.n.Pending(); p != 0 || err != nil {
		t.Fatalf("%d unacknowledged (%v)", p, err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(stick, ".*.tmp-*"))
	t.Logf("%d kills, %d during the export; batch files on the stick after each: %v; %d partial temporary files left (ignored by import)",
		kills, interrupted, onStick, len(leftovers))
}

// cutProxy forwards TCP connections to target; the first connection is cut once cutAfter
// bytes have gone from the client to the server.
type cutProxy struct {
	ln       net.Listener
	target   string
	cutAfter int64
	conns    atomic.Int32
	wg       gosync.WaitGroup
}

func (p *cutProxy) run() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		first := p.conns.Add(1) == 1
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer c.Close()
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				return
			}
			defer s.Close()
			go func() { io.Copy(c, s); c.Close() }()
			if first {
				io.CopyN(s, c, p.cutAfter)
				return // both ends closed: the upload is cut
			}
			io.Copy(s, c)
		}()
	}
}

// TestCutConnectionResumes cuts the connection in the middle of the second batch of an
// upload. The laptop connects again and goes on from the last acknowledged batch: the first
// batch is not sent again, nothing is lost.
func TestCutConnectionResumes(t *testing.T) {
	w := newWorld(t)
	w.opts.Attempts = 4
	w.opts.RetryWait = 20 * time.Millisecond
	office := w.newOffice("")
	k, _, _, err := office.n.loadKeys()
	if err != nil {
		t.Fatal(err)
	}
	cert, err := tlsCertificate(k)
	if err != nil {
		t.Fatal(err)
	}
	var pushes, pulls atomic.Int32
	h := office.n.Handler()
	srv := &http.Server{
		Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			rec := &statusRecorder{ResponseWriter: rw}
			h.ServeHTTP(rec, r)
			if rec.wrote && (rec.code == 0 || rec.code == http.StatusOK) {
				if r.URL.Path == pathPush {
					pushes.Add(1)
				} else {
					pulls.Add(1)
				}
			}
		}),
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.ServeTLS(ln, "", "")
	defer srv.Close()

	a := w.newLaptop("a", "")
	a.households(t, 90, 51)
	a.n.o.BatchRevisions = 30
	// the size of one batch, to cut in the middle of the second
	revs, _ := a.n.unacked()
	p, kk, _ := a.n.laptop()
	one, err := a.n.upBatch(p, kk, revs[:30], nil)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	proxy := &cutProxy{ln: pl, target: ln.Addr().String(), cutAfter: int64(len(one)) * 3 / 2}
	go proxy.run()
	defer func() { pl.Close(); proxy.wg.Wait() }()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := a.n.Push(ctx, "https://"+pl.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if proxy.conns.Load() < 2 {
		t.Fatalf("%d connections: the cut did not happen", proxy.conns.Load())
	}
	if got := pushes.Load(); got != 3 {
		t.Fatalf("the office took %d pushes, want 3 (the first batch not sent again)", got)
	}
	if res.Revisions != 90 || res.Delivered != 90 || res.Unsent != 0 {
		t.Fatalf("result %+v", res)
	}
	sameRevisions(t, "office", office.revisions(t), a.revisions(t))
}

type statusRecorder struct {
	http.ResponseWriter
	code  int
	wrote bool
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}
