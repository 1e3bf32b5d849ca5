package ui

import (
	"errors"
	"slices"
	"sort"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/report"
	"github.com/rasoat/rasoat/store"
)

// officeView is what the office's screens show of the ward, loaded off the UI goroutine: the
// progress of every group and surveyor, and the households on the lists, classified.
type officeView struct {
	Ward      string
	Total     int
	Groups    []officeGroup
	Surveyors []officeSurveyor
	Rows      []report.Row // the households on the lists (store.Listed), classified
	Lists     *report.Lists
	NotListed int      // households not on the lists yet: drafts, returned, conflicts
	Refused   []string // listed households the classifier refused: "head: reason"
	Conflicts int
}

// officeCounts are a group's or a surveyor's households by where they are in the review.
type officeCounts struct {
	Assigned, Surveyed, Complete, Approved, Returned, Conflicts int
}

// officeGroup is one residential group on the dashboard.
type officeGroup struct {
	Group string
	officeCounts
	Poor, NearPoor int
	Stages         store.GroupStages
}

// officeSurveyor is one surveyor on the dashboard.
type officeSurveyor struct {
	Name string
	officeCounts
}

// loadOffice reads the whole ward for the office: the households' summaries and records, the
// assignments, the review stages; it classifies the households that belong on the lists and
// makes the lists.
func loadOffice(db OfficeStore, reg *poverty.Registry, ward string) (officeView, error) {
	v := officeView{Ward: ward}
	sums, err := db.List()
	if err != nil {
		return v, err
	}
	as, err := db.Assignments()
	if err != nil {
		return v, err
	}
	stages, err := db.Stages()
	if err != nil {
		return v, err
	}
	groups, surveyors := countProgress(sums, as)
	conflict := make(map[string]bool)
	for _, s := range sums {
		if s.Conflict {
			conflict[s.ID] = true
		}
	}
	v.Total, v.Conflicts = len(sums), len(conflict)
	err = db.ForEach(func(rec *household.Record, rev store.Revision) error {
		if !store.Listed(rev.Status, conflict[rec.ID]) {
			v.NotListed++
			return nil
		}
		row, err := classifyRow(rec, reg)
		if err != nil {
			v.NotListed++
			v.Refused = append(v.Refused, rec.HeadName()+": "+store.Message(err, Lang()))
			return nil
		}
		v.Rows = append(v.Rows, row)
		return nil
	})
	if err != nil {
		return v, err
	}
	v.Lists = report.Build(ward, v.Rows)
	v.Groups = groupRows(groups, stages, v.Rows)
	v.Surveyors = surveyorRows(surveyors)
	return v, nil
}

// classifyRow classifies a household under the standard its survey date chooses.
func classifyRow(rec *household.Record, reg *poverty.Registry) (report.Row, error) {
	std, p := reg.Choose(rec, "")
	if p != nil {
		return report.Row{}, p
	}
	res, err := poverty.Classify(rec, std)
	var pe *poverty.Error
	if errors.As(err, &pe) {
		return report.Row{}, errors.New(pe.In(Lang()))
	}
	return report.Row{Record: rec, Result: res}, err
}

// countProgress counts the households of every group and surveyor by status, and what the
// assignments give each.
func countProgress(sums []store.Summary, as []store.Assignment) (map[string]*officeCounts, map[string]*officeSurveyor) {
	groups := map[string]*officeCounts{}
	surveyors := map[string]*officeSurveyor{}
	groupOf := make(map[string]string, len(sums))
	surveyor := func(name string) *officeSurveyor {
		k := store.Fold(name)
		if surveyors[k] == nil {
			surveyors[k] = &officeSurveyor{Name: name}
		}
		return surveyors[k]
	}
	for _, s := range sums {
		groupOf[s.ID] = s.Group
		if groups[s.Group] == nil {
			groups[s.Group] = &officeCounts{}
		}
		count(groups[s.Group], s)
		count(&surveyor(s.Surveyor).officeCounts, s)
	}
	assigned := map[string]bool{}
	for _, a := range as {
		sv := surveyor(a.Surveyor)
		for _, g := range a.Groups {
			if c := groups[g]; c != nil {
				sv.Assigned += c.Surveyed
				if !assigned[g] {
					assigned[g] = true
					c.Assigned = c.Surveyed
				}
			}
		}
		for _, id := range a.Households {
			if g, ok := groupOf[id]; ok {
				sv.Assigned++
				if !assigned[g] {
					groups[g].Assigned++
				}
			}
		}
	}
	return groups, surveyors
}

func count(c *officeCounts, s store.Summary) {
	c.Surveyed++
	switch {
	case s.Conflict:
		c.Conflicts++
	case s.Status == store.StatusComplete:
		c.Complete++
	case s.Status == store.StatusApproved:
		c.Approved++
	case s.Status == store.StatusReturned:
		c.Returned++
	}
}

// groupRows puts the groups in order with their stages and their poor and near-poor counts.
func groupRows(groups map[string]*officeCounts, stages []store.GroupStages, rows []report.Row) []officeGroup {
	poor, near := map[string]int{}, map[string]int{}
	for _, r := range rows {
		switch r.Result.Class {
		case poverty.Poor:
			poor[r.Record.Group]++
		case poverty.NearPoor:
			near[r.Record.Group]++
		}
	}
	byGroup := map[string]store.GroupStages{}
	for _, g := range stages {
		byGroup[g.Group] = g
		if groups[g.Group] == nil {
			groups[g.Group] = &officeCounts{}
		}
	}
	out := make([]officeGroup, 0, len(groups))
	for g, c := range groups {
		out = append(out, officeGroup{Group: g, officeCounts: *c, Poor: poor[g], NearPoor: near[g], Stages: byGroup[g]})
	}
	slices.SortFunc(out, func(x, y officeGroup) int { return report.CompareNames(x.Group, y.Group) })
	return out
}

func surveyorRows(m map[string]*officeSurveyor) []officeSurveyor {
	out := make([]officeSurveyor, 0, len(m))
	for _, s := range m {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool { return store.Fold(out[i].Name) < store.Fold(out[j].Name) })
	return out
}

// indicatorNames names a household's deprivations, in the standard's order.
func indicatorNames(r *report.Row) string {
	var names []string
	for _, id := range r.Result.Deprivations() {
		k, ok := poverty.KindOf(id)
		if ind := r.Result.Standard.Indicator(k); ok && ind != nil {
			names = append(names, ind.Name.In(Lang()))
		}
	}
	return strings.Join(names, "; ")
}

// stageText is the stage a group has reached, with its date, or that it has none yet.
func stageText(g store.GroupStages) string {
	st := g.Reached()
	if st == "" {
		return lang.L("office.stage_none")
	}
	m, _ := g.Mark(st)
	return lang.L("office.stage_on", map[string]any{"Stage": stageLabel(st), "Date": m.Date.VN()})
}

// stageLabel is the questionnaire's words for a review stage.
func stageLabel(stage string) string {
	switch stage {
	case store.StageSurveyed:
		return lang.L("office.stage.surveyed")
	case store.StageAgreed:
		return lang.L("office.stage.agreed")
	case store.StagePosted:
		return lang.L("office.stage.posted")
	case store.StageRecognised:
		return lang.L("office.stage.recognised")
	}
	return stage
}
