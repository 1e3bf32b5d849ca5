package store

import (
	"testing"

	"github.com/rasoat/rasoat/household"
)

func TestStagesInOrderWithDates(t *testing.T) {
	s := newTestStore(t, RoleOffice)
	d := household.MustDate
	if gs, err := s.Stages(); err != nil || len(gs) != 0 {
		t.Fatalf("a new office has no stages: %v %v", gs, err)
	}
	if _, err := s.SetStage("Tổ 01", StageAgreed, d("2026-10-05"), "", "cb"); !isKind(err, ErrStageOrder) {
		t.Errorf("agreed before surveyed: %v", err)
	}
	steps := []struct{ stage, date, note string }{
		{StageSurveyed, "2026-09-30", ""},
		{StageAgreed, "2026-10-05", "38/45 đồng ý"},
		{StagePosted, "2026-10-06", ""},
	}
	for _, st := range steps {
		if _, err := s.SetStage("Tổ 01", st.stage, d(st.date), st.note, "Cán bộ LĐ-TBXH"); err != nil {
			t.Fatalf("%s: %v", st.stage, err)
		}
	}
	if _, err := s.SetStage("Tổ 01", StageRecognised, d("2026-10-01"), "", "cb"); !isKind(err, ErrStageOrder) {
		t.Errorf("recognised dated before the posting: %v", err)
	}
	if _, err := s.SetStage("Tổ 01", StageSurveyed, d("2026-10-07"), "", "cb"); !isKind(err, ErrStageOrder) {
		t.Errorf("surveyed moved after the meeting: %v", err)
	}
	if _, err := s.SetStage("Tổ 02", StageSurveyed, d("2026-10-02"), "", "cb"); err != nil {
		t.Fatal(err)
	}
	// correcting a date within its neighbours is allowed
	if _, err := s.SetStage("Tổ 01", StageAgreed, d("2026-10-04"), "40/45 đồng ý", "cb"); err != nil {
		t.Fatal(err)
	}
	gs, err := s.Stages()
	if err != nil || len(gs) != 2 {
		t.Fatalf("stages %+v, %v", gs, err)
	}
	g := gs[0]
	if g.Group != "Tổ 01" || g.Reached() != StagePosted || len(g.Marks) != 3 {
		t.Fatalf("Tổ 01: %+v", g)
	}
	if m, ok := g.Mark(StageAgreed); !ok || m.Date != d("2026-10-04") || m.Note != "40/45 đồng ý" || m.Author != "cb" || m.Time.IsZero() {
		t.Errorf("agreed mark %+v", m)
	}
	if _, ok := g.Mark(StageRecognised); ok {
		t.Error("not recognised yet")
	}
	if gs[1].Group != "Tổ 02" || gs[1].Reached() != StageSurveyed {
		t.Errorf("Tổ 02: %+v", gs[1])
	}

	// clearing goes backwards only
	if err := s.ClearStage("Tổ 01", StageAgreed); !isKind(err, ErrStageOrder) {
		t.Errorf("clearing agreed while posted: %v", err)
	}
	if err := s.ClearStage("Tổ 01", StagePosted); err != nil {
		t.Fatal(err)
	}
	if err := s.ClearStage("Tổ 02", StageSurveyed); err != nil {
		t.Fatal(err)
	}
	gs, _ = s.Stages()
	if len(gs) != 1 || gs[0].Reached() != StageAgreed {
		t.Errorf("after clearing: %+v", gs)
	}
	// the stages survive a rebuild of the derived data
	if err := s.Reindex(); err != nil {
		t.Fatal(err)
	}
	if gs, _ = s.Stages(); len(gs) != 1 {
		t.Errorf("after Reindex: %+v", gs)
	}
}

func TestStagesRefused(t *testing.T) {
	field := newTestStore(t, RoleField)
	if _, err := field.SetStage("Tổ 01", StageSurveyed, household.MustDate("2026-09-30"), "", "x"); !isKind(err, ErrOfficeStages) {
		t.Errorf("a field laptop records stages: %v", err)
	}
	if gs, err := field.Stages(); err != nil || len(gs) != 0 {
		t.Errorf("stages of a field laptop: %v %v", gs, err)
	}
	s := newTestStore(t, RoleOffice)
	for name, err := range map[string]error{
		"unknown stage": func() error {
			_, err := s.SetStage("Tổ 01", "voted", household.MustDate("2026-09-30"), "", "x")
			return err
		}(),
		"no date": func() error { _, err := s.SetStage("Tổ 01", StageSurveyed, household.Date{}, "", "x"); return err }(),
		"no group": func() error {
			_, err := s.SetStage("", StageSurveyed, household.MustDate("2026-09-30"), "", "x")
			return err
		}(),
		"bad group": func() error {
			_, err := s.SetStage("Tổ\x0001", StageSurveyed, household.MustDate("2026-09-30"), "", "x")
			return err
		}(),
	} {
		if !isKind(err, ErrInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
