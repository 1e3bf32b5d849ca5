package seal

import (
	"bytes"
	"errors"
	"testing"
)

// fast parameters keep the tests quick; the real ones are exercised once.
var fast = Params{Time: 1, Memory: 64, Threads: 1}

func TestRoundTripAndWrongPassphrase(t *testing.T) {
	k, w, err := New("mật khẩu tổ 4", fast)
	if err != nil {
		t.Fatal(err)
	}
	ctx := []byte("households/abc")
	sealed := k.Seal([]byte("Nguyễn Thị Mùi 010158001234"), ctx)
	if bytes.Contains(sealed, []byte("Mùi")) || bytes.Contains(sealed, []byte("010158001234")) {
		t.Fatal("plaintext visible in the sealed value")
	}
	w2, err := ParseWrapped(w.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	k2, err := Unlock(w2, "mật khẩu tổ 4")
	if err != nil {
		t.Fatal(err)
	}
	got, err := k2.Open(sealed, ctx)
	if err != nil || string(got) != "Nguyễn Thị Mùi 010158001234" {
		t.Fatalf("open: %q %v", got, err)
	}
	if _, err := Unlock(w2, "mat khau to 4"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := k2.Open(sealed, []byte("households/other")); !errors.Is(err, ErrDamaged) {
		t.Error("a value moved to another key must not open")
	}
	for i := range sealed {
		bad := append([]byte(nil), sealed...)
		bad[i] ^= 1
		if _, err := k2.Open(bad, ctx); err == nil {
			t.Fatalf("flipped byte %d accepted", i)
		}
	}
}

func TestRewrapKeepsData(t *testing.T) {
	k, _, err := New("passphrase-one", fast)
	if err != nil {
		t.Fatal(err)
	}
	sealed := k.Seal([]byte("data"), nil)
	w, err := k.Rewrap("passphrase-two", fast)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Unlock(w, "passphrase-one"); err == nil {
		t.Error("the old passphrase still opens the new wrapping")
	}
	k2, err := Unlock(w, "passphrase-two")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k2.Open(sealed, nil); err != nil || string(got) != "data" {
		t.Fatalf("data sealed before the change: %q %v", got, err)
	}
}

func TestRefusals(t *testing.T) {
	if _, _, err := New("short", fast); !errors.Is(err, ErrShortPassphrase) {
		t.Errorf("short passphrase: %v", err)
	}
	for _, b := range [][]byte{nil, []byte("{}"), []byte(`{"v":1}`), []byte("not json")} {
		if _, err := ParseWrapped(b); !errors.Is(err, ErrWrapped) {
			t.Errorf("ParseWrapped(%q) = %v", b, err)
		}
	}
}

func TestDefaultParams(t *testing.T) {
	if testing.Short() {
		t.Skip("argon2id at full cost")
	}
	_, w, err := New("a real passphrase", DefaultParams)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Unlock(w, "a real passphrase"); err != nil {
		t.Fatal(err)
	}
}

func FuzzParseWrapped(f *testing.F) {
	_, w, _ := New("passphrase-one", fast)
	f.Add(w.Marshal())
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if w, err := ParseWrapped(b); err == nil && w.Params.Memory <= 1024 && w.Params.Time <= 2 {
			Unlock(w, "passphrase-one")
		}
	})
}

func BenchmarkUnlockDefault(b *testing.B) {
	_, w, _ := New("a real passphrase", DefaultParams)
	for b.Loop() {
		Unlock(w, "a real passphrase")
	}
}

func TestPasswords(t *testing.T) {
	h, err := HashPassword("cán bộ LĐTBXH", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !CheckPassword(h, "cán bộ LĐTBXH") || CheckPassword(h, "can bo LDTBXH") || CheckPassword("garbage", "x") {
		t.Error("password check")
	}
	h2, _ := HashPassword("cán bộ LĐTBXH", fast)
	if h == h2 {
		t.Error("two hashes of one password must differ (salt)")
	}
	if _, err := HashPassword("1234", fast); err == nil {
		t.Error("short password accepted")
	}
}
