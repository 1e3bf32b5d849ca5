package ui

import (
	"strings"
	"testing"

	"github.com/rasoat/rasoat/demo"
	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// TestPreviewLoader checks the preview's view model without a window: what it says while the
// household is incomplete, and that a complete one shows the classifier's own result.
func TestPreviewLoader(t *testing.T) {
	reg := poverty.MustBuiltin()
	rec := demo.Households(demo.DefaultWard, 1, 3)[0]
	view := func(r *household.Record) previewView {
		std, p := reg.Choose(r, "")
		var ps household.Problems
		if p != nil {
			ps = append(ps, *p)
		}
		return previewOf(r, std, append(ps, household.Validate(r)...), reg)
	}

	v := view(rec)
	std, _ := reg.Choose(rec, "")
	res, _ := poverty.Classify(rec, std)
	if v.ClassID != res.Class || v.Missing != "" || v.Pending != "" {
		t.Errorf("valid household: class %q (classifier: %q), missing %q, pending %q", v.ClassID, res.Class, v.Missing, v.Pending)
	}
	if len(v.Reasons) != res.DeprivationCount {
		t.Errorf("%d reasons for %d deprivations", len(v.Reasons), res.DeprivationCount)
	}
	if !strings.Contains(v.Income, Money(res.IncomePerCapita)) {
		t.Errorf("income %q, classifier %d", v.Income, res.IncomePerCapita)
	}

	noIncome := rec.Clone()
	noIncome.Income = household.Income{}
	if v := view(noIncome); v.Missing != "Cần thông tin thu nhập." || v.Class != "" {
		t.Errorf("no income: %+v", v)
	}
	noMembers := rec.Clone()
	noMembers.Members = nil
	if v := view(noMembers); !strings.Contains(v.Missing, "thành viên") {
		t.Errorf("no members: %q", v.Missing)
	}
	late := rec.Clone()
	late.Survey.Date = household.MustDate("2031-02-01")
	if v := view(late); !strings.Contains(v.Missing, "2031-02-01") || v.Standard != "" {
		t.Errorf("no standard for the date: %q", v.Missing)
	}
	broken := rec.Clone()
	broken.Housing.Wall = ""
	if v := view(broken); v.Class == "" || !strings.Contains(v.Pending, "1 lỗi") {
		t.Errorf("a household with a problem still gets an estimate, marked as such: %+v", v)
	}
}
