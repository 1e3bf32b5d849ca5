package demo

import (
	"bytes"
	"testing"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// TestHouseholdsValidAndVaried checks that every generated household is valid, survives a round
// trip, and that the demo shows every class.
func TestHouseholdsValidAndVaried(t *testing.T) {
	reg := poverty.MustBuiltin()
	classes := map[string]int{}
	for _, h := range Households(DefaultWard, 2000, 1) {
		if ps := household.Validate(h); len(ps) > 0 {
			t.Fatalf("%s: %v", h.ID, ps)
		}
		line := household.Encode(h)
		back, ps := household.Decode(line)
		if len(ps) > 0 || !bytes.Equal(household.Encode(back), line) {
			t.Fatalf("round trip of %s failed: %v", h.ID, ps)
		}
		s, p := reg.Choose(h, "")
		if p != nil {
			t.Fatal(p)
		}
		if ps := poverty.Check(h, s); len(ps) > 0 {
			t.Fatal(ps)
		}
		res, err := poverty.Classify(h, s)
		if err != nil {
			t.Fatal(err)
		}
		classes[res.Class]++
	}
	for _, c := range []string{poverty.Poor, poverty.NearPoor, poverty.Medium, poverty.NotPoor} {
		if classes[c] == 0 {
			t.Errorf("no %s household among 2000: %v", c, classes)
		}
	}
	t.Logf("classes: %v", classes)
}

func TestHouseholdsDeterministic(t *testing.T) {
	a := Households(DefaultWard, 20, 7)
	b := Households(DefaultWard, 20, 7)
	for i := range a {
		if !bytes.Equal(household.Encode(a[i]), household.Encode(b[i])) {
			t.Fatalf("household %d differs between two runs with the same seed", i)
		}
	}
}
