package sync

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/store"
)

// The mixed kill test: a child process (this test binary with RASOAT_MIX_DB set, caught in
// init before any test runs) works on the office's database doing, at random, what the office
// does: saves and completions, imports of JSON Lines files (with the backup before each),
// exports (JSON Lines and down-batches to a stick), backups, and sync (importing the laptops'
// batches from a stick). It prints each operation once it has returned ("acknowledged"). The
// parent kills it with SIGKILL at a random moment, then opens the database: it must open,
// Verify (records, indexes, the audit log's chain) and hold everything acknowledged.
func init() {
	if db := os.Getenv("RASOAT_MIX_DB"); db != "" {
		os.Exit(mixChild(db))
	}
}

func mixChild(db string) int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	st, err := store.Open(db, store.Options{Timeout: 10 * time.Second})
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	n, err := New(st, Options{BatchRevisions: 10})
	if err != nil {
		return fail(err)
	}
	seed, _ := strconv.ParseUint(os.Getenv("RASOAT_MIX_SEED"), 10, 64)
	rng := rand.New(rand.NewPCG(seed, 7))
	stick, work := os.Getenv("RASOAT_MIX_STICK"), os.Getenv("RASOAT_MIX_WORK")
	base := demo.Households(demo.DefaultWard, mixBase, 4242)
	out := bufio.NewWriter(os.Stdout)
	ack := func(format string, args ...any) {
		fmt.Fprintf(out, format+"\n", args...)
		out.Flush()
	}
	ack("ready")
	names := []string{"save", "save", "save", "save", "import", "import", "export", "backup", "sync", "sync"}
	for i := 0; ; i++ {
		op := rng.IntN(10)
		ack("start %s", names[op])
		switch {
		case op < 4: // save, and sometimes complete
			rec, _, err := st.Get(base[rng.IntN(len(base))].ID)
			if err != nil {
				return fail(err)
			}
			rec.Address = fmt.Sprintf("Số %d/%d", seed, i)
			r, err := st.SaveDraft(rec, "mix")
			if err != nil {
				return fail(err)
			}
			ack("rev %s", r.ID)
			if op == 0 {
				r, err := st.MarkComplete(rec.ID, "mix")
				if err != nil {
					return fail(err)
				}
				ack("rev %s", r.ID)
			}
		case op < 6: // import (after its backup)
			p, err := st.BackupBeforeImport(time.Now(), "mix")
			if err != nil {
				return fail(err)
			}
			ack("backup %s", p)
			hs := demo.Households(demo.DefaultWard, 5, seed*100000+uint64(i))
			var b bytes.Buffer
			for _, h := range hs {
				b.Write(household.Encode(h))
				b.WriteByte('\n')
			}
			if _, err := st.Import(&b, store.ImportOptions{Author: "mix"}); err != nil {
				return fail(err)
			}
			for _, h := range hs {
				ack("household %s", h.ID)
			}
		case op == 6: // export: JSON Lines and the down-batches
			p := filepath.Join(work, fmt.Sprintf("export-%d-%d.jsonl", seed, i))
			f, err := os.Create(p)
			if err != nil {
				return fail(err)
			}
			if err := st.Export(f, store.ExportOptions{}); err != nil {
				return fail(err)
			}
			if err := f.Close(); err != nil {
				return fail(err)
			}
			if i%2 == 0 { // the down-batches of the whole ward: the longest operation
				if _, err := n.ExportTo(filepath.Join(work, "down")); err != nil {
					return fail(err)
				}
			}
			ack("export %s", p)
		case op == 7: // backup
			p := filepath.Join(work, fmt.Sprintf("backup-%d-%d.db", seed, i))
			if err := st.BackupFile(p); err != nil {
				return fail(err)
			}
			ack("backup %s", p)
		default: // sync: the laptops' batches from the stick
			res, err := n.ImportFrom(stick)
			if err != nil {
				return fail(err)
			}
			if len(res.Refused) > 0 {
				return fail(fmt.Errorf("refused %v", res.Refused))
			}
			have, err := st.Devices()
			if err != nil {
				return fail(err)
			}
			for d, s := range have {
				ack("seq %s %d", d, s)
			}
		}
	}
}

const mixBase = 60

// mixAcks is what a killed child acknowledged.
type mixAcks struct {
	revs, households, backups []string
	seqs                      map[string]uint64
	ops                       int
	during                    string // the operation under way when the child was killed
}

func runMixChild(t *testing.T, db, stick, work string, seed uint64, delay time.Duration) (mixAcks, bool) {
	t.Helper()
	cmd, out, lines, stderr := startChild(t, "RASOAT_MIX_DB="+db, "RASOAT_MIX_STICK="+stick, "RASOAT_MIX_WORK="+work,
		"RASOAT_MIX_SEED="+strconv.FormatUint(seed, 10))
	acks := mixAcks{seqs: map[string]uint64{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for lines.Scan() {
			f := strings.Fields(lines.Text())
			acks.ops++
			switch f[0] {
			case "start":
				acks.during = f[1]
			case "rev":
				acks.revs = append(acks.revs, f[1])
			case "household":
				acks.households = append(acks.households, f[1])
			case "backup":
				acks.backups = append(acks.backups, f[1])
			case "seq":
				v, _ := strconv.ParseUint(f[2], 10, 64)
				acks.seqs[f[1]] = max(acks.seqs[f[1]], v)
			}
		}
		io.Copy(io.Discard, out)
	}()
	time.Sleep(delay)
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	killed := ok && ee.Sys().(syscall.WaitStatus).Signal() == syscall.SIGKILL
	if !killed {
		t.Fatalf("child failed rather than killed: %v: %s", err, stderr.String())
	}
	return acks, killed
}

// mixKills is how many times TestKillMixedWorkload kills the child: RASOAT_KILLS, else 100
// (30 with -short).
func mixKills() int {
	if v, err := strconv.Atoi(os.Getenv("RASOAT_KILLS")); err == nil && v > 0 {
		return v
	}
	if testing.Short() {
		return 30
	}
	return 100
}

// TestKillMixedWorkload kills the office at random moments of a mixed workload (save,
// import, export, backup, sync); after each kill the database opens, verifies, and holds
// every revision, household and sync sequence the child acknowledged, and the last
// acknowledged backup opens and verifies.
func TestKillMixedWorkload(t *testing.T) {
	kills := mixKills()
	w := newWorld(t)
	w.noSync = false
	office := w.newOffice("")
	var b bytes.Buffer
	for _, h := range demo.Households(demo.DefaultWard, mixBase, 4242) {
		b.Write(household.Encode(h))
		b.WriteByte('\n')
	}
	if _, err := office.st.Import(&b, store.ImportOptions{Author: "test"}); err != nil {
		t.Fatal(err)
	}
	w.noSync = true
	laptops := []*site{w.newLaptop("a", ""), w.newLaptop("b", ""), w.newLaptop("c", "")}
	stick, work := t.TempDir(), t.TempDir()
	office.st.Close()

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	var ops, revs, hhs, seqs, backups int
	during := map[string]int{}
	start := time.Now()
	for k := 0; k < kills; k++ {
		// the laptops go on surveying and, now and then, bring a new stick (their
		// revisions not acknowledged yet: all of them, as USB brings no acknowledgement back)
		for j, l := range laptops {
			l.households(t, 2, uint64(900000+k*10+j))
		}
		if k%5 == 0 {
			os.RemoveAll(stick)
			for _, l := range laptops {
				l.n.o.BatchRevisions = 10
				if _, err := l.n.ExportTo(stick); err != nil {
					t.Fatal(err)
				}
			}
		}
		delay := time.Duration(5+rng.IntN(75)) * time.Millisecond
		acks, _ := runMixChild(t, office.path, stick, work, uint64(k+1), delay)
		ops += acks.ops
		during[acks.during]++

		st, err := store.Open(office.path, store.Options{Timeout: 5 * time.Second})
		if err != nil {
			t.Fatalf("kill %d: opening after the kill: %v", k, err)
		}
		if rep, err := st.Verify(); err != nil {
			st.Close()
			t.Fatalf("kill %d: verify: %v\n%s", k, err, strings.Join(rep.Errors, "\n"))
		}
		m, _ := st.Meta()
		own, err := st.RevisionsSince(m.DeviceID, 0)
		if err != nil {
			t.Fatal(err)
		}
		have := map[string]bool{}
		for _, r := range own {
			have[r.ID] = true
		}
		for _, id := range acks.revs {
			if !have[id] {
				t.Fatalf("kill %d: acknowledged revision %s is missing", k, id)
			}
		}
		for _, id := range acks.households {
			if _, _, err := st.Get(id); err != nil {
				t.Fatalf("kill %d: acknowledged import of %s is missing: %v", k, id, err)
			}
		}
		devs, _ := st.Devices()
		for d, s := range acks.seqs {
			if devs[d] < s {
				t.Fatalf("kill %d: %s acknowledged up to %d, the office has %d", k, d, s, devs[d])
			}
		}
		st.Close()
		if n := len(acks.backups); n > 0 {
			p := acks.backups[n-1]
			bs, err := store.Open(p, store.Options{Timeout: 5 * time.Second})
			if err != nil {
				t.Fatalf("kill %d: acknowledged backup %s: %v", k, p, err)
			}
			if rep, err := bs.Verify(); err != nil {
				t.Fatalf("kill %d: backup %s: %v %v", k, p, err, rep.Errors)
			}
			bs.Close()
		}
		revs, hhs, seqs, backups = revs+len(acks.revs), hhs+len(acks.households), seqs+len(acks.seqs), backups+len(acks.backups)
	}
	// in the end every laptop's revisions arrive, each once
	os.RemoveAll(stick)
	for _, l := range laptops {
		if _, err := l.n.ExportTo(stick); err != nil {
			t.Fatal(err)
		}
	}
	office = w.reopen(office)
	if res, err := office.n.ImportFrom(stick); err != nil || len(res.Refused) > 0 {
		t.Fatal(err, res.Refused)
	}
	want := union(t, laptops...)
	got := office.revisions(t)
	for id, r := range want {
		if g, ok := got[id]; !ok || g.Hash != r.Hash {
			t.Fatalf("laptop revision %s missing at the office", id)
		}
	}
	t.Logf("%d SIGKILLs in %v, during %v; acknowledged before the kills: %d lines, %d revisions, %d imported households, %d sync checks, %d backups — none lost",
		kills, time.Since(start).Round(time.Millisecond), during, ops, revs, hhs, seqs, backups)
}
