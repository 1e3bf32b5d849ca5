package household

import "testing"

// TestDoneFor: a household is done for the round of a date only when it is complete or
// approved in that very round; last year's periodic review, an earlier month of the regular
// review, a record without a round, drafts and returned households are not done.
func TestDoneFor(t *testing.T) {
	for _, tc := range []struct {
		status, round, date string
		done, carried       bool
	}{
		{"complete", "2026-periodic", "2026-11-25", true, false},
		{"approved", "2026-periodic", "2026-09-01", true, false},
		{"approved", "2026-periodic", "2026-12-14", true, false},
		{"draft", "2026-periodic", "2026-11-25", false, false},
		{"returned", "2026-periodic", "2026-11-25", false, false},
		// carried over from an earlier round
		{"complete", "2025-periodic", "2026-11-25", false, true},
		{"approved", "2025-periodic", "2026-11-25", false, true},
		{"draft", "2025-periodic", "2026-11-25", false, true},
		{"complete", "2026-periodic", "2026-12-15", false, true}, // the regular review of December
		{"complete", "2026-12-regular", "2026-12-20", true, false},
		{"complete", "2026-12-regular", "2027-01-02", false, true},
		{"complete", "2026-08-regular", "2026-09-01", false, true},
		{"complete", "", "2026-11-25", false, true},
		{"", "2026-periodic", "2026-11-25", false, false},
	} {
		d := MustDate(tc.date)
		if got := DoneFor(tc.status, tc.round, d); got != tc.done {
			t.Errorf("DoneFor(%q, %q, %s) = %v, want %v", tc.status, tc.round, tc.date, got, tc.done)
		}
		if got := CarriedOver(tc.round, d); got != tc.carried {
			t.Errorf("CarriedOver(%q, %s) = %v, want %v", tc.round, tc.date, got, tc.carried)
		}
	}
}
