package ui

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/store"
)

// lastAudit is the household's latest entry in the audit log.
func lastAudit(t *testing.T, db *store.Store, id string) store.AuditEntry {
	t.Helper()
	es, err := db.AuditFor(id)
	if err != nil || len(es) == 0 {
		t.Fatalf("audit of %s: %d entries, %v", id, len(es), err)
	}
	return es[len(es)-1]
}

// TestOfficeDeletesAndBringsBack: the review screen deletes a household, once an office user
// is logged in and confirms a question naming it and saying it can be brought back; it leaves
// the review and the dashboard's count, shows under "Đã xóa" with who deleted it and when, and
// "Khôi phục hộ" brings it back as it was, shown under "Tất cả". Both are by the office user.
func TestOfficeDeletesAndBringsBack(t *testing.T) {
	db := newOfficeStore(t, 6)
	a, _ := newOfficeApp(t, db)
	a.ShowOffice(officeReview)
	a.Wait()
	r := a.office.page.(*reviewScreen)
	first := r.rows[0]
	if r.chosen != first.ID || !r.deleteBtn.Visible() || r.deleteBtn.Disabled() || r.undelBtn.Visible() || r.deleted.Visible() {
		t.Fatalf("a household on the list: delete shown %v disabled %v, bring back shown %v",
			r.deleteBtn.Visible(), r.deleteBtn.Disabled(), r.undelBtn.Visible())
	}

	// nobody logged in: the login first, then the question
	a.office.user = ""
	test.Tap(r.deleteBtn)
	a.Wait()
	if txt := topDialogText(a); !strings.Contains(txt, "Đăng nhập cán bộ phường") {
		t.Fatalf("delete without a login:\n%s", txt)
	}
	answerDialog(t, a, "Đăng nhập", "Phạm Thu Hà", testPassword)
	txt := topDialogText(a)
	if !strings.Contains(txt, "Xóa hộ "+first.Head+" ("+first.Group+")") || !strings.Contains(txt, "Khôi phục hộ") ||
		!strings.Contains(txt, "Đã xóa") {
		t.Fatalf("the question names the household and says how to bring it back:\n%s", txt)
	}
	answerDialog(t, a, "Không xóa")
	if _, _, err := db.Get(first.ID); err != nil || len(r.rows) != 6 {
		t.Fatalf("kept: %v, %d rows", err, len(r.rows))
	}

	test.Tap(r.deleteBtn)
	a.Wait()
	answerDialog(t, a, "Xóa hộ")
	if _, rev, err := db.Get(first.ID); !errors.Is(err, store.ErrDeleted) || rev.Author != "Phạm Thu Hà" {
		t.Fatalf("deleted: %v by %q", err, rev.Author)
	}
	if e := lastAudit(t, db, first.ID); e.Action != store.AuditDelete || e.Author != "Phạm Thu Hà" {
		t.Errorf("the log has %q by %q", e.Action, e.Author)
	}
	if len(r.rows) != 5 || r.chosen == first.ID || r.chosen != r.rows[0].ID {
		t.Errorf("after deleting, the next one is shown: %d rows, chosen %q", len(r.rows), r.chosen)
	}

	r.filter.SetSelected("Đã xóa")
	a.Wait()
	if len(r.rows) != 1 || r.chosen != first.ID || r.head.Text != first.Head {
		t.Fatalf("the deleted filter: %d rows, chosen %q", len(r.rows), r.chosen)
	}
	if want := "Đã xóa tại văn phòng phường bởi Phạm Thu Hà, lúc " + officeClock(testNow); !r.deleted.Visible() ||
		!strings.Contains(r.deleted.Text, want) || r.status.Text != "Đã xóa" {
		t.Errorf("who deleted it: %q (status %q), want %q", r.deleted.Text, r.status.Text, want)
	}
	if !r.undelBtn.Visible() || r.approveBtn.Visible() || r.returnBtn.Visible() || r.openBtn.Visible() || r.deleteBtn.Visible() {
		t.Error("a deleted household offers only to bring it back (and its log)")
	}
	if r.preview.class.Text == "" {
		t.Error("the deleted household's content is not shown")
	}
	r.filter.SetSelected("Tất cả")
	a.Wait()
	for _, row := range r.rows {
		if row.ID == first.ID {
			t.Error("a deleted household is listed under Tất cả")
		}
	}

	a.ShowOffice(officeDashboard)
	a.Wait()
	if d := a.office.page.(*dashboardScreen); d.view.Total != 5 {
		t.Errorf("the dashboard counts %d households", d.view.Total)
	}

	a.ShowOffice(officeReview)
	a.Wait()
	r = a.office.page.(*reviewScreen)
	r.filter.SetSelected("Đã xóa")
	a.Wait()
	test.Tap(r.undelBtn)
	a.Wait()
	if _, rev, err := db.Get(first.ID); err != nil || rev.Author != "Phạm Thu Hà" || rev.Status != first.Status {
		t.Fatalf("brought back: %v by %q, %q", err, rev.Author, rev.Status)
	}
	if e := lastAudit(t, db, first.ID); e.Action != store.AuditUndelete || e.Author != "Phạm Thu Hà" {
		t.Errorf("the log has %q by %q", e.Action, e.Author)
	}
	if r.filter.Selected != "Tất cả" || len(r.rows) != 6 || r.chosen != first.ID || !r.deleteBtn.Visible() || r.undelBtn.Visible() {
		t.Errorf("after bringing back: filter %q, %d rows, chosen %q", r.filter.Selected, len(r.rows), r.chosen)
	}
}

// TestOfficeSeesLaptopsDeletedDraft: a draft a laptop deleted before sending reaches the
// office deleted; the office sees it under "Đã xóa", deleted on a laptop by its surveyor.
func TestOfficeSeesLaptopsDeletedDraft(t *testing.T) {
	office := newOfficeStore(t, 3)
	laptop, err := store.Create(filepath.Join(t.TempDir(), "laptop.db"), store.Meta{Role: store.RoleField,
		Ward: demo.DefaultWard.Name, Area: demo.DefaultWard.Area, Surveyor: "Lê Văn Hiến", DeviceName: "máy 1"},
		store.Options{NoSync: true, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer laptop.Close()
	rec := demo.Households(demo.DefaultWard, 1, 7)[0]
	rec.ID = "nhap-nham"
	if _, err := laptop.SaveDraft(rec, "Lê Văn Hiến"); err != nil {
		t.Fatal(err)
	}
	if _, err := laptop.DeleteUnsentDraft(rec.ID, "Lê Văn Hiến"); err != nil {
		t.Fatal(err)
	}
	m, _ := laptop.Meta()
	revs, _ := laptop.RevisionsSince(m.DeviceID, 0)
	if _, err := office.PutRevisions(revs); err != nil {
		t.Fatal(err)
	}
	a, _ := newOfficeApp(t, office)
	a.ShowOffice(officeReview)
	a.Wait()
	r := a.office.page.(*reviewScreen)
	r.filter.SetSelected("Đã xóa")
	a.Wait()
	if len(r.rows) != 1 || r.chosen != rec.ID {
		t.Fatalf("deleted: %d rows, chosen %q", len(r.rows), r.chosen)
	}
	if want := "Đã xóa trên máy rà soát bởi Lê Văn Hiến, lúc " + officeClock(testNow); !strings.Contains(r.deleted.Text, want) {
		t.Errorf("who deleted it: %q, want %q", r.deleted.Text, want)
	}
}
