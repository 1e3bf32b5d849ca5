package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The damage tests check a database with flipped bits or cut short. A fault reading such a
// file used to kill the whole process (bbolt's tx.Check reads in a goroutine of its own), so
// each file is checked by a child process, the test binary run again (TestMain sees
// damageEnvDB): a crash fails the test instead of killing it.
const (
	damageEnvDB  = "RASOAT_STORE_DAMAGE_DB"  // the damaged file
	damageEnvCur = "RASOAT_STORE_DAMAGE_CUR" // the database a restore of it would replace
)

// damageChild verifies the damaged file, then restores it over the current database, and
// prints one line for each: "verify: ok" or "verify: ERROR", "restore: ok" or "restore: ERROR".
func damageChild() int {
	bad, cur := os.Getenv(damageEnvDB), os.Getenv(damageEnvCur)
	o := Options{NoSync: true, Timeout: 5 * time.Second}
	say := func(what string, err error) {
		if err == nil {
			fmt.Printf("%s: ok\n", what)
		} else {
			fmt.Printf("%s: %s\n", what, oneLine(err.Error()))
		}
	}
	if s, err := Open(bad, o); err != nil {
		say("verify", err)
	} else {
		_, err = s.Verify()
		s.Close()
		say("verify", err)
	}
	_, err := RestoreFile(bad, cur, false, time.Date(2026, 9, 20, 9, 0, 0, 0, time.UTC), o)
	say("restore", err)
	return 0
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " ") }

// damageCases are the damaged copies of good (a database file): bits flipped in the headers
// of elements of its pages (the offsets that made bbolt read past the end of the file) and
// at random places, and the file cut at several lengths.
func damageCases(t *testing.T, good []byte, pageSize int) map[string][]byte {
	cases := map[string][]byte{}
	flip := func(off int, bit uint) {
		b := bytes.Clone(good)
		b[off] ^= 1 << bit
		cases[fmt.Sprintf("bit %d of byte %d", bit, off)] = b
	}
	ne := binary.NativeEndian
	elems := 0
	for at := 2 * pageSize; at+pageSize <= len(good) && elems < 40; at += pageSize {
		flags, count := ne.Uint16(good[at+8:]), int(ne.Uint16(good[at+10:]))
		if flags != branchFlag && flags != leafFlag || count == 0 {
			continue
		}
		// the pos field of the first and the last element: +8 MiB, past the end of the file
		for _, i := range []int{0, count - 1} {
			pos := at + pageHeader + i*pageElem
			if flags == leafFlag {
				pos += 4
			}
			flip(pos+2, 7)
			elems++
		}
		// a child page number of a branch page, far out of the file
		if flags == branchFlag {
			flip(at+pageHeader+8+3, 6)
		}
	}
	if elems == 0 {
		t.Fatal("no page with elements in the database")
	}
	r := rand.New(rand.NewPCG(1, 2))
	used := len(bytes.TrimRight(good, "\x00"))
	for range 40 {
		flip(r.IntN(used), uint(r.IntN(8)))
	}
	for _, n := range []int{pageSize + 100, 2 * pageSize, 3*pageSize + 1, used / 2, used - pageSize} {
		cases[fmt.Sprintf("cut at %d", n)] = bytes.Clone(good[:n])
	}
	return cases
}

// TestDamagedFileNeverCrashes: Verify and RestoreFile of a damaged file either find it good
// (a bit of free space) or return a clear error naming the file the user gave, never the
// temporary copy nor the runtime's text; they never crash, a refused restore leaves the
// current database as it was, and no temporary file stays behind.
func TestDamagedFileNeverCrashes(t *testing.T) {
	dir := t.TempDir()
	goodPath := filepath.Join(dir, "good.db")
	s, err := Create(goodPath, Meta{Ward: "W", Role: RoleOffice}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, jsonl(households(80, 7)))
	pageSize := s.db.Info().PageSize
	s.Close()
	good, err := os.ReadFile(goodPath)
	if err != nil {
		t.Fatal(err)
	}
	cases := damageCases(t, good, pageSize)
	crashes, refused := 0, 0
	for name, data := range cases {
		cdir := t.TempDir()
		bad := filepath.Join(cdir, "hong.db")
		cur := filepath.Join(cdir, "cur.db")
		os.WriteFile(bad, data, 0o600)
		os.WriteFile(cur, good, 0o600)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), damageEnvDB+"="+bad, damageEnvCur+"="+cur)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || !bytes.HasPrefix(out, []byte("verify: ")) {
			crashes++
			if crashes <= 3 {
				t.Errorf("%s: the check crashed: %v\n%.600s", name, err, stderr.String())
			}
			continue
		}
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			what, msg, _ := strings.Cut(l, ": ")
			if msg == "ok" {
				continue
			}
			if what == "restore" {
				refused++
			}
			if !strings.Contains(msg, bad) || strings.Contains(msg, "runtime") || strings.Contains(msg, ".restore-") {
				t.Errorf("%s: %s: the message does not name %s, or names the copy or the runtime: %s", name, what, bad, msg)
			}
			if what == "restore" {
				if after, _ := os.ReadFile(cur); !bytes.Equal(after, good) {
					t.Errorf("%s: a refused restore changed the database", name)
				}
			}
		}
		if left, _ := filepath.Glob(filepath.Join(cdir, ".restore-*")); len(left) > 0 {
			t.Errorf("%s: temporary files left: %v", name, left)
		}
	}
	if crashes > 0 {
		t.Errorf("%d of %d damaged files crashed the check", crashes, len(cases))
	}
	if refused < len(cases)/2 {
		t.Errorf("only %d of %d damaged files were refused", refused, len(cases))
	}
}
