package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/store"
	rsync "github.com/rasoat/rasoat/sync"
)

// newLaptop makes a surveyor's laptop holding the office's households, with its sync node.
func newLaptop(t *testing.T, office *store.Store, name string) (*store.Store, *rsync.Node) {
	t.Helper()
	lap, err := store.Create(filepath.Join(t.TempDir(), "laptop.db"), store.Meta{Role: store.RoleField,
		Surveyor: "Lê Văn Hiến", DeviceName: name}, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lap.Close() })
	m, _ := office.Meta()
	base, _ := office.RevisionsSince(m.DeviceID, 0)
	if _, err := lap.PutRevisions(base); err != nil {
		t.Fatal(err)
	}
	n, err := rsync.New(lap, rsync.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return lap, n
}

// editOn changes a household's address on a laptop and marks it complete again.
func editOn(t *testing.T, lap *store.Store, id, address string) {
	t.Helper()
	rec, _, err := lap.Get(id)
	if err != nil {
		t.Fatal(err)
	}
	rec.Address = address
	if _, err := lap.SaveDraft(rec, "Lê Văn Hiến"); err != nil {
		t.Fatal(err)
	}
	if _, err := lap.MarkComplete(id, "Lê Văn Hiến"); err != nil {
		t.Fatal(err)
	}
}

func TestOfficeIncomingEnrollsSyncsAndRevokes(t *testing.T) {
	defer func(l string) { officeListen = l }(officeListen)
	officeListen = "127.0.0.1:0"
	db := newOfficeStore(t, 8)
	a, ans := newOfficeApp(t, db)
	a.ShowOffice(officeIncoming)
	a.Wait()
	s := a.office.page.(*incomingScreen)
	if !strings.Contains(s.server.Text, "Máy chủ đang tắt") || len(s.view.Devices) != 0 {
		t.Fatalf("server %q, %d devices", s.server.Text, len(s.view.Devices))
	}
	// The LAN server.
	test.Tap(s.serveBtn)
	a.Wait()
	sv := a.office.server
	if sv.stop == nil || !strings.HasPrefix(sv.addr, "127.0.0.1:") || !strings.Contains(s.server.Text, "Đang chạy tại https://"+sv.addr) {
		t.Fatalf("server %+v: %q", sv, s.server.Text)
	}
	// A laptop asks to enroll; the office types the code it reads out.
	lap, ln := newLaptop(t, db, "Máy 1")
	req, code, err := ln.EnrollRequest()
	if err != nil {
		t.Fatal(err)
	}
	stick := t.TempDir()
	reqPath := filepath.Join(stick, "rasoat-request.json")
	os.WriteFile(reqPath, req, 0o600)
	ans.path = reqPath
	test.Tap(s.approveBtn)
	if txt := topDialogText(a); !strings.Contains(txt, "Máy 1") || !strings.Contains(txt, "Lê Văn Hiến") {
		t.Errorf("approval dialog:\n%s", txt)
	}
	s.approve(reqPath, "000-000")
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Mã xác nhận không khớp") {
		t.Errorf("a wrong code is refused:\n%s", txt)
	}
	s.approve(reqPath, code)
	a.Wait()
	pkgs, _ := filepath.Glob(filepath.Join(stick, "rasoat-enroll-*.json"))
	if len(pkgs) != 1 || !strings.Contains(topDialogText(a), pkgs[0]) {
		t.Fatalf("package files %v; dialog:\n%s", pkgs, topDialogText(a))
	}
	pkgData, _ := os.ReadFile(pkgs[0])
	pkg, err := ln.InstallPackage(pkgData)
	if err != nil || pkg.Address != sv.addr {
		t.Fatalf("package for %q: %v", pkg.Address, err)
	}
	// The laptop syncs over the LAN, then brings a batch on a USB stick.
	list, _ := db.List()
	editOn(t, lap, list[0].ID, "Số 9, qua mạng nội bộ")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := ln.SyncNow(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if rec, _, _ := db.Get(list[0].ID); rec.Address != "Số 9, qua mạng nội bộ" {
		t.Errorf("LAN sync did not bring the edit: %q", rec.Address)
	}
	editOn(t, lap, list[1].ID, "Số 10, qua USB")
	usb := t.TempDir()
	if _, err := ln.ExportTo(usb); err != nil {
		t.Fatal(err)
	}
	ans.dir = usb
	test.Tap(s.importBtn)
	a.Wait()
	if rec, _, _ := db.Get(list[1].ID); rec.Address != "Số 10, qua USB" {
		t.Errorf("USB import did not bring the edit: %q", rec.Address)
	}
	if !s.result.Visible() || !strings.Contains(s.result.Text, "1 lô được nhập, 2 phiên bản mới") {
		t.Errorf("import result %q", s.result.Text)
	}
	if len(s.view.Devices) != 1 {
		t.Fatalf("devices %+v", s.view.Devices)
	}
	row := tableText(s.deviceHeaders(), 1, s.deviceCell)[1]
	if row[0] != "Máy 1" || row[1] != "Lê Văn Hiến" || row[3] == "chưa có" || row[4] != "4" || row[5] != "Đang dùng" {
		t.Errorf("device row %q", row)
	}
	// Revoking the laptop.
	if !s.revokeBtn.Disabled() {
		t.Error("no device chosen: nothing to revoke")
	}
	s.devices.Select(widget.TableCellID{Row: 0, Col: 0})
	test.Tap(s.revokeBtn)
	if !strings.Contains(topDialogText(a), "Thu hồi quyền đồng bộ của máy Máy 1") {
		t.Errorf("revoke confirmation:\n%s", topDialogText(a))
	}
	s.revoke(s.view.Devices[0].ID)
	a.Wait()
	if row := tableText(s.deviceHeaders(), 1, s.deviceCell)[1]; !strings.HasPrefix(row[5], "Đã thu hồi") || !s.revokeBtn.Disabled() {
		t.Errorf("after revoking: %q", row)
	}
	editOn(t, lap, list[2].ID, "sau khi thu hồi")
	if _, err := ln.SyncNow(ctx, nil); err == nil {
		t.Error("a revoked laptop still syncs")
	}
	// Stopping the server.
	test.Tap(s.serveBtn)
	a.Wait()
	if a.office.server.stop != nil || !strings.Contains(s.server.Text, "Máy chủ đang tắt") {
		t.Errorf("after stopping: %q", s.server.Text)
	}
}
