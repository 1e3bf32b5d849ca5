package poverty

import (
	"io/fs"
	"os"
	"sort"
	"sync"

	"github.com/rasoat/rasoat/assets"
	"github.com/rasoat/rasoat/household"
)

// Registry is the set of standards a ward works with: the shipped ones, possibly replaced or
// extended by the ward's own override files.
type Registry struct {
	list  []*Standard // ordered by ValidFrom
	table *ScoreTable // the imported score table, or nil
}

var (
	builtinOnce sync.Once
	builtin     *Registry
	builtinErr  error
)

// Builtin returns the standards shipped with the program. The embedded files are tested, so an
// error here means a broken build.
func Builtin() (*Registry, error) {
	builtinOnce.Do(func() {
		builtin, builtinErr = LoadFS(assets.Standards, "standards")
	})
	return builtin, builtinErr
}

// MustBuiltin is Builtin for programs and tests that cannot go on without the standards.
func MustBuiltin() *Registry {
	r, err := Builtin()
	if err != nil {
		panic(err)
	}
	return r
}

// LoadFS reads every *.json standard file of a directory.
func LoadFS(fsys fs.FS, dir string) (*Registry, error) {
	names, err := fs.Glob(fsys, dir+"/*.json")
	if err != nil {
		return nil, err
	}
	r := &Registry{}
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		s, err := Parse(data)
		if err != nil {
			return nil, err
		}
		if r, err = r.With(s); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// With returns a new registry where s replaces the standard of the same id, or is added. A
// standard whose dates overlap another's is refused: the survey date must choose exactly one.
// When r has a score table, its thresholds apply to s as WithScoreTable says.
func (r *Registry) With(s *Standard) (*Registry, error) {
	if r.table != nil {
		var err error
		if s, err = r.table.apply(s); err != nil {
			return nil, err
		}
	}
	out := &Registry{table: r.table}
	for _, o := range r.list {
		if o.ID == s.ID {
			continue
		}
		if !(s.to.Before(o.from) || o.to.Before(s.from)) {
			return nil, errorf("chuẩn nghèo %q có thời gian áp dụng trùng với chuẩn %q",
				"standard %q overlaps the dates of standard %q", s.ID, o.ID)
		}
		out.list = append(out.list, o)
	}
	out.list = append(out.list, s)
	sort.Slice(out.list, func(i, j int) bool { return out.list[i].from.Before(out.list[j].from) })
	return out, nil
}

// WithOverrideFile reads a ward's override file (a complete standard file) and returns the
// registry with it in force. A malformed file is refused with the reason; r is unchanged.
func (r *Registry) WithOverrideFile(path string) (*Registry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, errorf("không đọc được tệp chuẩn nghèo %s: %v", "cannot read the standard file %s: %v", path, err)
	}
	s, err := Parse(data)
	if err != nil {
		return nil, err
	}
	return r.With(s)
}

// All returns the standards, earliest first.
func (r *Registry) All() []*Standard { return append([]*Standard(nil), r.list...) }

// Get returns the standard with the given id.
func (r *Registry) Get(id string) (*Standard, error) {
	for _, s := range r.list {
		if s.ID == id {
			return s, nil
		}
	}
	return nil, errorf("không có chuẩn nghèo %q (có: %s)", "no standard %q (known: %s)", id, r.ids())
}

// ForDate returns the standard in force on a survey date.
func (r *Registry) ForDate(d household.Date) (*Standard, error) {
	for _, s := range r.list {
		if s.Covers(d) {
			return s, nil
		}
	}
	return nil, errorf("không có chuẩn nghèo nào áp dụng cho ngày rà soát %s", "no standard applies to the survey date %s", d.String())
}

// ScoreTable returns the imported score table in force, or nil when none is loaded.
func (r *Registry) ScoreTable() *ScoreTable { return r.table }

// WithScoreTable returns a new registry with the score table t in force (nil: none), r being
// unchanged. The table's thresholds fill in those of the standards that publish none (2027-2030);
// a standard with its own thresholds (2022-2025: 140 rural, 175 urban) keeps them. A table
// whose thresholds name a standard the registry does not have, or differ from a standard's
// own, is refused: nothing a ward loads is ever silently ignored.
func (r *Registry) WithScoreTable(t *ScoreTable) (*Registry, error) {
	out := &Registry{table: t, list: make([]*Standard, len(r.list))}
	for i, s := range r.list {
		if s.scoreTable != nil { // thresholds of the table r had: back to the standard's own
			c := *s
			c.ScoreThreshold, c.scoreTable = nil, nil
			s = &c
		}
		out.list[i] = s
	}
	if t == nil {
		return out, nil
	}
	for id := range t.Thresholds {
		if _, err := out.Get(id); err != nil {
			return nil, t.errf("có ngưỡng điểm cho chuẩn nghèo %q, chương trình không có chuẩn này (có: %s)",
				"has thresholds for standard %q, which this program does not have (known: %s)", id, out.ids())
		}
	}
	for i, s := range out.list {
		c, err := t.apply(s)
		if err != nil {
			return nil, err
		}
		out.list[i] = c
	}
	return out, nil
}

// apply returns s with the table's thresholds for it, when s has none, or s itself. Thresholds
// that differ from the standard's own are an error.
func (t *ScoreTable) apply(s *Standard) (*Standard, error) {
	th, ok := t.Thresholds[s.ID]
	switch {
	case !ok:
		return s, nil
	case s.ScoreThreshold == nil:
		c := *s
		c.ScoreThreshold, c.scoreTable = &th, t
		return &c, nil
	case *s.ScoreThreshold != th:
		return nil, t.errf("ngưỡng điểm cho chuẩn %s (nông thôn %d, thành thị %d) khác ngưỡng của chính chuẩn (nông thôn %d, thành thị %d): hãy bỏ ngưỡng này khỏi tệp bảng điểm",
			"the thresholds for standard %s (rural %d, urban %d) differ from the standard's own (rural %d, urban %d): remove them from the score table file",
			s.ID, th.Rural, th.Urban, s.ScoreThreshold.Rural, s.ScoreThreshold.Urban)
	}
	return s, nil
}

func (r *Registry) ids() string {
	ids := ""
	for i, s := range r.list {
		if i > 0 {
			ids += ", "
		}
		ids += s.ID
	}
	return ids
}
