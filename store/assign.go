package store

// Assignment says which residential groups and which single households a surveyor must visit
// this round.
type Assignment struct {
	Surveyor   string
	Groups     []string
	Households []string
}

const assignFormat = 1

// SetAssignment sets a surveyor's assignment, replacing the one before; an assignment without
// groups or households removes the surveyor's.
func (s *Store) SetAssignment(a Assignment) error {
	if a.Surveyor == "" || checkKey("surveyor", a.Surveyor, maxKeyLen) != nil {
		return errorf(ErrInvalid, nil, "tên điều tra viên trống, dài quá hoặc có ký tự điều khiển",
			"the surveyor's name is empty, too long or holds a control character")
	}
	return s.updateTxn(func(t *txn) error {
		k := []byte(a.Surveyor)
		if len(a.Groups) == 0 && len(a.Households) == 0 {
			return t.assignments.Delete(k)
		}
		e := enc{}
		e.byte(assignFormat)
		e.strs(a.Groups)
		e.strs(a.Households)
		return t.assignments.Put(k, e.b)
	})
}

// Assignments returns every surveyor's assignment, by surveyor name.
func (s *Store) Assignments() ([]Assignment, error) {
	var out []Assignment
	err := s.viewTxn(func(t *txn) error {
		return t.assignments.ForEach(func(k, v []byte) error {
			d := dec{b: v}
			a := Assignment{Surveyor: string(k)}
			if d.byte() == assignFormat {
				a.Groups = d.strs()
				a.Households = d.strs()
			} else {
				d.bad = true
			}
			if d.bad || len(d.b) > 0 {
				return errorf(ErrCorrupt, nil, "phân công của %s không đọc được", "the assignment of %s cannot be read", k)
			}
			out = append(out, a)
			return nil
		})
	})
	return out, err
}
