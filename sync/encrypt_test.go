package sync

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rasoat/rasoat/store"
)

// TestForgottenPassphraseRecovery: encrypted laptop and office sync as usual; a laptop whose
// passphrase is forgotten has its file moved aside (still there, still locked), a new
// database enrolled again gets the ward's synced data back from the office in one round, and
// only the edit never synced is missing.
func TestForgottenPassphraseRecovery(t *testing.T) {
	w := newWorld(t)
	office := w.newOffice("")
	a := w.newLaptop("a", "")
	for _, s := range []*site{office, a} {
		if err := s.st.EnableEncryption("mật khẩu " + s.name + " 2026"); err != nil {
			t.Fatal(err)
		}
	}
	ha := a.households(t, 8, 1)
	stick := filepath.Join(w.dir, "usb")
	usbRound(t, stick, office, a)
	sameRevisions(t, "office", office.revisions(t), a.revisions(t))
	lost := a.edit(t, ha[0].ID, "Số 9, chưa đồng bộ")

	a.st.Close()
	moved, err := store.MoveAside(a.path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(moved); err != nil {
		t.Fatalf("the locked file is gone: %v", err)
	}
	if _, err := store.Open(moved, store.Options{}); !errors.Is(err, store.ErrEncrypted) {
		t.Errorf("the moved file opens without a passphrase: %v", err)
	}

	a2 := w.newLaptop("a2", "")
	if err := a2.st.EnableEncryption("mật khẩu mới của a"); err != nil {
		t.Fatal(err)
	}
	usbRound(t, stick, office, a2)
	got := a2.revisions(t)
	sameRevisions(t, "recovered laptop", got, office.revisions(t))
	if _, ok := got[lost.ID]; ok {
		t.Error("the edit never synced came back")
	}
	for _, h := range ha {
		if _, _, err := a2.st.Get(h.ID); err != nil {
			t.Errorf("household %s not recovered: %v", h.ID, err)
		}
	}
}
