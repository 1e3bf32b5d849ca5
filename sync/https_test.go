package sync

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// serve runs the office's sync server on a loopback port for the test and returns its
// host:port.
func serve(t testing.TB, office *site) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- office.n.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("server did not stop")
		}
	})
	return ln.Addr().String()
}

func syncNow(t testing.TB, l *site) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	res, err := l.n.SyncNow(ctx, nil)
	if err != nil {
		t.Fatalf("%s sync: %v", l.name, err)
	}
	return res
}

// TestHTTPSTwoLaptopsOneOffice is the USB test over real HTTPS on loopback, and checks the two
// transports end in the same state.
func TestHTTPSTwoLaptopsOneOffice(t *testing.T) {
	w := newWorld(t)
	w.opts.BatchRevisions = 7
	office := w.newOffice("")
	addr := serve(t, office)
	a := w.newLaptop("a", addr)
	b := w.newLaptop("b", addr)
	ha := a.households(t, 12, 1)
	b.households(t, 9, 2)

	var calls, last [2]int
	a.n.o.BatchRevisions = 5
	ctx := context.Background()
	res, err := a.n.SyncNow(ctx, func(done, total int) { calls[0]++; last = [2]int{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	if res.Unsent != 0 || res.Acked != 12 || calls[0] < 3 || last[0] != last[1] {
		t.Errorf("a: %+v; progress calls %d, last %v", res, calls[0], last)
	}
	syncNow(t, b)
	syncNow(t, a) // gets b's households
	sameRevisions(t, "office", office.revisions(t), union(t, a, b))
	for _, l := range []*site{a, b} {
		sameRevisions(t, l.name, l.revisions(t), union(t, a, b))
	}

	ra := a.edit(t, ha[3].ID, "Số 3, đường A")
	rb := b.edit(t, ha[3].ID, "Số 4, đường B")
	syncNow(t, a)
	syncNow(t, b)
	syncNow(t, a)
	all := union(t, a, b)
	sameRevisions(t, "office after edits", office.revisions(t), all)
	for _, id := range []string{ra.ID, rb.ID} {
		if _, ok := all[id]; !ok {
			t.Fatalf("edit %s lost", id)
		}
	}
	for _, s := range []*site{office, a, b} {
		cs, err := s.st.Conflicts()
		if err != nil || len(cs) != 1 || cs[0] != ha[3].ID {
			t.Errorf("%s: conflicts %v (%v)", s.name, cs, err)
		}
		_, cur, _ := s.st.Get(ha[3].ID)
		if cur.ID != rb.ID {
			t.Errorf("%s: current %s, want the later edit %s", s.name, cur.ID, rb.ID)
		}
	}
	last1, err := a.n.LastSync()
	if err != nil || last1.IsZero() {
		t.Errorf("last sync %v (%v)", last1, err)
	}

	// again: nothing changes
	before := map[string]string{}
	for _, s := range []*site{office, a, b} {
		before[s.name] = snapshot(t, s)
	}
	for _, l := range []*site{a, b, a} {
		if res := syncNow(t, l); res.Added != 0 {
			t.Errorf("%s: a second sync added %d", l.name, res.Added)
		}
	}
	for _, s := range []*site{office, a, b} {
		if got := snapshot(t, s); got != before[s.name] {
			t.Errorf("%s changed by a second sync", s.name)
		}
	}

	// a revoked laptop is refused, and a wrong certificate fingerprint is refused
	if _, err := office.n.Revoke(b.n.DeviceID()); err != nil {
		t.Fatal(err)
	}
	b.households(t, 1, 99)
	if _, err := b.n.SyncNow(ctx, nil); !errors.Is(err, ErrRevoked) {
		t.Errorf("revoked laptop: %v", err)
	}
	if p, _ := b.n.Pending(); p != 1 {
		t.Errorf("revoked laptop: %d unsent, want 1 (kept)", p)
	}
	p, _, _ := a.n.Enrollment()
	p.TLSSHA256 = "00" + p.TLSSHA256[2:]
	a.n.pkg = &p
	a.households(t, 1, 98)
	if _, err := a.n.SyncNow(ctx, nil); !errors.Is(err, ErrCertificate) {
		t.Errorf("wrong certificate: %v", err)
	}
}

// TestTransportsAgree runs the same work through USB files and through HTTPS and compares
// the offices.
func TestTransportsAgree(t *testing.T) {
	run := func(lan bool) string {
		w := newWorld(t)
		w.opts.BatchRevisions = 4
		office := w.newOffice("")
		addr := ""
		if lan {
			addr = serve(t, office)
		}
		a := w.newLaptop("a", addr)
		b := w.newLaptop("b", addr)
		ha := a.households(t, 6, 5)
		b.households(t, 5, 6)
		step := func() {
			if lan {
				for _, l := range []*site{a, b, a} {
					syncNow(t, l)
				}
			} else {
				stick := t.TempDir()
				usbRound(t, stick, office, a, b)
				usbRound(t, stick, office, a, b)
			}
		}
		step()
		a.edit(t, ha[1].ID, "A")
		b.edit(t, ha[1].ID, "B")
		if _, err := office.st.MarkComplete(ha[2].ID, "office"); err != nil {
			t.Fatal(err)
		}
		step()
		return snapshot(t, office) + snapshot(t, a) + snapshot(t, b)
	}
	usb, lan := run(false), run(true)
	if usb != lan {
		t.Errorf("USB and HTTPS end differently:\n%s\n---\n%s", usb, lan)
	}
}

// TestSyncNowOfficeUnreachable: no server at the enrolled address gives ErrNetwork, and the
// laptop's revisions stay unsent; a laptop not enrolled gives ErrNotEnrolled.
func TestSyncNowOfficeUnreachable(t *testing.T) {
	w := newWorld(t)
	w.opts.Attempts = 2
	w.opts.RetryWait = 10 * time.Millisecond
	w.newOffice("")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens there any more
	a := w.newLaptop("a", addr)
	a.households(t, 2, 61)
	if _, err := a.n.SyncNow(context.Background(), nil); !errors.Is(err, ErrNetwork) {
		t.Fatalf("got %v, want ErrNetwork", err)
	}
	if p, _ := a.n.Pending(); p != 2 {
		t.Fatalf("%d unsent, want 2", p)
	}
	lone := w.open("lone", "field")
	if _, err := lone.n.SyncNow(context.Background(), nil); !errors.Is(err, ErrNotEnrolled) {
		t.Fatalf("not enrolled: %v", err)
	}
	if _, err := lone.n.ExportTo(t.TempDir()); !errors.Is(err, ErrNotEnrolled) {
		t.Fatalf("export when not enrolled: %v", err)
	}
	st, err := a.n.Status()
	if err != nil || !st.Enrolled || st.Unsent != 2 || st.Address != addr || !st.LastSync.IsZero() {
		t.Fatalf("status %+v %v", st, err)
	}
}
