package store

import (
	"testing"

	"github.com/rasoat/rasoat/household"
)

// TestGroupsCountRounds: Groups counts a group's households by status and survey round, so
// that a household complete in last year's round is not done in this one (GroupCount.DoneFor),
// and the counts and summaries follow each change of round, with the status changed or not.
func TestGroupsCountRounds(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	recs := households(3, 1)
	for _, r := range recs {
		r.Group = "Tổ 01"
		r.Survey.Round, r.Survey.Date = "2025-periodic", household.MustDate("2025-09-20")
	}
	mustImport(t, s, jsonl(recs)) // complete, last year
	today := household.MustDate("2026-11-25")
	check := func(when string, done2026, done2025, complete int) {
		t.Helper()
		gs, err := s.Groups()
		if err != nil || len(gs) != 1 {
			t.Fatalf("%s: groups %+v %v", when, gs, err)
		}
		g := gs[0]
		if g.Total != 3 || g.DoneFor(today) != done2026 || g.DoneFor(household.MustDate("2025-10-01")) != done2025 || g.ByStatus[StatusComplete] != complete {
			t.Errorf("%s: total %d, done %d this year (want %d), %d last year (want %d), %d complete (want %d); %v",
				when, g.Total, g.DoneFor(today), done2026, g.DoneFor(household.MustDate("2025-10-01")), done2025,
				g.ByStatus[StatusComplete], complete, g.ByRound)
		}
		if rep, err := s.Verify(); err != nil {
			t.Fatalf("%s: verify %v %v", when, err, rep.Errors)
		}
	}
	check("imported from 2025", 0, 3, 3)

	// carried into this year's round by the form: a draft, then complete
	r := recs[0].Clone()
	r.Survey.Round, r.Survey.Date = household.RoundFor(today), today
	if _, err := s.SaveDraft(r, "x"); err != nil {
		t.Fatal(err)
	}
	check("a draft in 2026", 0, 2, 2)
	if _, err := s.MarkComplete(r.ID, "x"); err != nil {
		t.Fatal(err)
	}
	check("complete in 2026", 1, 2, 3)
	_, rev, _ := s.Get(r.ID)
	l, _ := s.ListGroup("Tổ 01")
	for _, sm := range l {
		want := sm.ID == r.ID
		if sm.DoneFor(today) != want || (want && (sm.Round != "2026-periodic" || sm.Date != today || sm.Status != rev.Status)) {
			t.Errorf("summary %+v: done this year %v", sm, sm.DoneFor(today))
		}
	}

	// the round changes and the status stays complete (a new import of the record)
	r2 := recs[1].Clone()
	r2.Survey.Round, r2.Survey.Date = household.RoundFor(today), today
	mustImport(t, s, jsonl([]*household.Record{r2}))
	check("imported again in 2026", 2, 1, 3)

	// deleted households are not counted
	if _, err := s.Delete(recs[2].ID, "x"); err != nil {
		t.Fatal(err)
	}
	gs, _ := s.Groups()
	if gs[0].Total != 2 || gs[0].DoneFor(today) != 2 || len(gs[0].ByRound) != 1 {
		t.Errorf("after a delete: %+v", gs[0])
	}
}
