package poverty

import (
	"fmt"

	"github.com/rasoat/rasoat/household"
)

// Check returns the problems of a record that depend on the standard in force: a required
// waste answer where the standard has the waste indicator, and an income score where the
// standard has no score thresholds. Use it after household.Validate.
func Check(h *household.Record, s *Standard) household.Problems {
	var ps household.Problems
	if s.Has(Waste) && h.WasteCollected == nil {
		ps = append(ps, household.Problem{RecordID: h.ID, Path: "waste_collected", Rule: "required",
			VI: fmt.Sprintf("bắt buộc theo %s", s.Name.VI),
			EN: fmt.Sprintf("required under %s", s.Name.EN)})
	}
	if h.Income.Kind == household.IncomeScore && s.ScoreThreshold == nil {
		ps = append(ps, household.Problem{RecordID: h.ID, Path: "income.score", Rule: "score",
			VI: fmt.Sprintf("%s không có ngưỡng điểm thu nhập: hãy ghi thu nhập kê khai", s.Name.VI),
			EN: fmt.Sprintf("%s has no income score thresholds: record the declared income instead", s.Name.EN)})
	}
	return ps
}

// Choose returns the standard for a record: the one named, or else the one in force on its
// survey date. The error is a problem of the record, ready to be listed with the others.
func (r *Registry) Choose(h *household.Record, named string) (*Standard, *household.Problem) {
	var s *Standard
	var err error
	if named != "" {
		s, err = r.Get(named)
	} else {
		s, err = r.ForDate(h.Survey.Date)
	}
	if err != nil {
		e := err.(*Error)
		return nil, &household.Problem{RecordID: h.ID, Path: "survey.date", Rule: "standard", VI: e.VI, EN: e.EN}
	}
	return s, nil
}
