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
	list []*Standard // ordered by ValidFrom
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
func (r *Registry) With(s *Standard) (*Registry, error) {
	out := &Registry{}
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
	ids := ""
	for i, s := range r.list {
		if i > 0 {
			ids += ", "
		}
		ids += s.ID
	}
	return nil, errorf("không có chuẩn nghèo %q (có: %s)", "no standard %q (known: %s)", id, ids)
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
