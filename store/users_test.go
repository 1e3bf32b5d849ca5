package store

import (
	"testing"

	"github.com/rasoat/rasoat/seal"
)

func init() {
	// tests hash passwords cheaply
	PasswordParams = seal.Params{Time: 1, Memory: 64, Threads: 1}
}

func TestUsers(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	if ok, _ := s.HasUsers(); ok {
		t.Fatal("a new database has users")
	}
	if err := s.AddUser("Trần Văn Bình", "mật khẩu dài", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser("Trần Văn Bình", "khác nữa đây", ""); !isKind(err, ErrUserExists) {
		t.Errorf("same name again: %v", err)
	}
	if err := s.AddUser("Hoa", "ngắn", "Trần Văn Bình"); !isKind(err, ErrInvalid) {
		t.Errorf("short password: %v", err)
	}
	if err := s.AddUser(" ", "mật khẩu dài", ""); !isKind(err, ErrInvalid) {
		t.Errorf("empty name: %v", err)
	}
	if err := s.AddUser("Hoa", "mật khẩu của Hoa", "Trần Văn Bình"); err != nil {
		t.Fatal(err)
	}
	if u, err := s.CheckUser("Hoa", "mật khẩu của Hoa"); err != nil || u.Name != "Hoa" {
		t.Errorf("login: %+v %v", u, err)
	}
	if _, err := s.CheckUser("Hoa", "sai"); !isKind(err, ErrLogin) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := s.CheckUser("Ai đó", "mật khẩu của Hoa"); !isKind(err, ErrLogin) {
		t.Errorf("unknown user: %v", err)
	}
	if err := s.DisableUser("Hoa", "Trần Văn Bình"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CheckUser("Hoa", "mật khẩu của Hoa"); !isKind(err, ErrLogin) {
		t.Errorf("disabled user logged in: %v", err)
	}
	if err := s.DisableUser("Trần Văn Bình", "Trần Văn Bình"); !isKind(err, ErrInvalid) {
		t.Errorf("disabled the last user: %v", err)
	}
	if err := s.DisableUser("Không có", "x"); !isKind(err, ErrNoUser) {
		t.Errorf("unknown user disabled: %v", err)
	}
	us, _ := s.ListUsers()
	if len(us) != 2 || us[0].Name != "Hoa" || us[0].Disabled.IsZero() || !us[1].Disabled.IsZero() {
		t.Errorf("users %+v", us)
	}
	log, _ := s.AuditLog()
	var got []string
	for _, e := range log {
		got = append(got, e.Action+":"+e.Author+":"+e.Detail)
	}
	want := []string{"user::add Trần Văn Bình", "user:Trần Văn Bình:add Hoa", "login:Hoa:ok", "login:Hoa:failed",
		"login:Ai đó:failed", "user:Trần Văn Bình:disable Hoa", "login:Hoa:failed"}
	if len(got) != len(want) {
		t.Fatalf("log %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: %q, want %q", i, got[i], want[i])
		}
	}
}
