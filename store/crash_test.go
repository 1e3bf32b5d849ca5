package store

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

// The crash tests run the test binary again as a child process (TestMain sees the
// environment variable) that imports a large file or saves revisions in a loop, kill it with
// SIGKILL at random moments, and check the database after each kill. The store syncs to disk
// as in the app (no NoSync).
const (
	crashEnvMode = "RASOAT_STORE_CRASH_MODE" // "import" or "save"
	crashEnvDB   = "RASOAT_STORE_CRASH_DB"
	crashEnvFile = "RASOAT_STORE_CRASH_FILE"
	crashBase    = 200  // households in the database before the crashes
	crashImport  = 1500 // households in each imported file
)

func TestMain(m *testing.M) {
	if mode := os.Getenv(crashEnvMode); mode != "" {
		os.Exit(crashChild(mode))
	}
	if os.Getenv(damageEnvDB) != "" {
		os.Exit(damageChild())
	}
	code := m.Run()
	closeBenchWard()
	os.Exit(code)
}

func crashBaseHouseholds() []*household.Record { return households(crashBase, 5000) }

// crashChild is the child process: it opens the database, says "ready" and works until it is
// killed (or, for an import, until the import is done).
func crashChild(mode string) int {
	s, err := Open(os.Getenv(crashEnvDB), Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 3
	}
	defer s.Close()
	fmt.Println("ready")
	switch mode {
	case "import":
		f, err := os.Open(os.Getenv(crashEnvFile))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		defer f.Close()
		if _, err := s.Import(f, ImportOptions{Author: "crash"}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 3
		}
		fmt.Println("done")
	case "save":
		base := crashBaseHouseholds()
		deadline := time.Now().Add(30 * time.Second)
		for i := 0; time.Now().Before(deadline); i++ {
			rec := base[i%len(base)].Clone()
			rec.Income.Value = int64(1_000_000 + i)
			var err error
			switch {
			case i%11 == 5:
				_, err = s.Delete(rec.ID, "crash")
				if err == nil {
					_, err = s.Undelete(rec.ID, "crash")
				}
			case i%7 == 3:
				if _, err = s.SaveDraft(rec, "crash"); err == nil {
					_, err = s.MarkComplete(rec.ID, "crash")
				}
			default:
				_, err = s.SaveDraft(rec, "crash")
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 3
			}
		}
	}
	return 0
}

// runChild starts a child, waits until it has the database open, lets it work for delay (or
// to the end when delay < 0) and kills it. It reports whether the child finished on its own,
// and how long it worked once the database was open.
func runChild(t *testing.T, mode, db, file string, delay time.Duration) (finished bool, worked time.Duration) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashEnvMode+"="+mode, crashEnvDB+"="+db, crashEnvFile+"="+file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(out)
	if l, err := r.ReadString('\n'); err != nil || l != "ready\n" {
		cmd.Wait()
		t.Fatalf("child did not start: %q %v %s", l, err, stderr.String())
	}
	ready := time.Now()
	if delay >= 0 {
		time.Sleep(delay)
		cmd.Process.Kill() // SIGKILL
	}
	rest, _ := r.ReadString('\n')
	worked = time.Since(ready)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 3 || err != nil && delay < 0 {
		t.Fatalf("child failed: %v %s", err, stderr.String())
	}
	return rest == "done\n", worked
}

// afterCrash opens the database the killed child left, verifies it and returns it.
func afterCrash(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(path, Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("opening after the kill: %v", err)
	}
	if rep, err := s.Verify(); err != nil {
		s.Close()
		t.Fatalf("verify after the kill: %v\n%s", err, joinLines(rep.Errors))
	}
	return s
}

func TestCrashImport(t *testing.T) {
	kills := 30
	if testing.Short() {
		kills = 5
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 1))
	t.Logf("seed %d", seed)
	dir := t.TempDir()
	path := filepath.Join(dir, "crash.db")
	s, err := Create(path, Meta{Ward: "W"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(crashBaseHouseholds()))
	s.Close()
	pristine := filepath.Join(dir, "pristine.db")
	copyFile(t, path, pristine)

	// how long one import takes, to kill it anywhere from the start to a bit after the end
	file := func(i int) (string, []*household.Record) {
		recs := households(crashImport, uint64(7000+i))
		name := filepath.Join(dir, fmt.Sprintf("import-%d.jsonl", i))
		os.WriteFile(name, jsonl(recs), 0o600)
		return name, recs
	}
	full := time.Duration(1 << 62)
	for i := range 2 { // the first run is slowed by a cold start
		name, _ := file(-1 - i)
		_, worked := runChild(t, "import", path, name, -1)
		full = min(full, worked)
	}
	copyFile(t, pristine, path)
	t.Logf("one import of %d households takes %v", crashImport, full)

	total := crashBase
	present, absent := 0, 0
	for i := 1; i <= kills; i++ {
		name, recs := file(i)
		// half the kills anywhere in the import, half around its commit
		delay := time.Duration(rng.Int64N(int64(full)))
		if i%2 == 0 {
			delay = full*7/10 + time.Duration(rng.Int64N(int64(full*9/10)))
		}
		finished, _ := runChild(t, "import", path, name, delay)
		s := afterCrash(t, path)
		l, err := s.List()
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		have := map[string]bool{}
		for _, x := range l {
			have[x.ID] = true
		}
		n := 0
		for _, r := range recs {
			if have[r.ID] {
				n++
			}
		}
		switch n {
		case 0:
			absent++
			if finished {
				t.Fatalf("kill %d: the child said done but nothing is there", i)
			}
		case crashImport:
			present++
			total += crashImport
		default:
			t.Fatalf("kill %d after %v: %d of %d households of the import are there", i, delay, n, crashImport)
		}
		if len(l) != total {
			t.Fatalf("kill %d: %d households, want %d", i, len(l), total)
		}
		os.Remove(name)
		if total > crashBase+2*crashImport { // keep verifying fast: start again from the base
			copyFile(t, pristine, path)
			total = crashBase
		}
	}
	t.Logf("%d kills: %d imports wholly present, %d wholly absent", kills, present, absent)
	if absent == 0 {
		t.Error("no kill interrupted an import: the test did not test anything")
	}
}

func TestCrashSaveLoop(t *testing.T) {
	kills := 30
	if testing.Short() {
		kills = 5
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 2))
	t.Logf("seed %d", seed)
	path := filepath.Join(t.TempDir(), "crash.db")
	s, err := Create(path, Meta{Ward: "W"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(crashBaseHouseholds()))
	m, _ := s.Meta()
	s.Close()

	last := uint64(crashBase)
	for i := 1; i <= kills; i++ {
		delay := time.Duration(10+rng.IntN(150)) * time.Millisecond
		runChild(t, "save", path, "", delay)
		s := afterCrash(t, path)
		revs, err := s.RevisionsSince(m.DeviceID, 0)
		if err != nil {
			t.Fatal(err)
		}
		var seq uint64
		s.view(func(tx *bolt.Tx) error { seq = beUint64(tx.Bucket(bMeta).Get(kSeq)); return nil })
		for j, r := range revs {
			if r.Seq != uint64(j+1) {
				t.Fatalf("kill %d: revision %d has seq %d", i, j, r.Seq)
			}
		}
		if n := uint64(len(revs)); n != seq || n < last {
			t.Fatalf("kill %d: %d revisions, meta seq %d, %d before", i, n, seq, last)
		}
		last = uint64(len(revs))
		// a kill between a Delete and its Undelete leaves that household deleted
		l, _ := s.List()
		d, _ := s.ListDeleted()
		if len(l)+len(d) != crashBase {
			t.Fatalf("kill %d: %d households and %d deleted", i, len(l), len(d))
		}
		s.Close()
	}
	t.Logf("%d kills: %d revisions saved in all", kills, last-crashBase)
	if last == crashBase {
		t.Error("the child never saved anything")
	}
}
