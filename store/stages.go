package store

import (
	"encoding/json"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rasoat/rasoat/household"
)

// The review stages of a residential group (Decision 24/2021/QĐ-TTg; poverty-standard.md §6),
// in the order a group goes through them: surveyed (Đã rà soát), agreed at the community
// meeting (Họp dân thống nhất), posted publicly (Niêm yết công khai), recognised by the ward
// chairman (Đã công nhận).
const (
	StageSurveyed   = "surveyed"
	StageAgreed     = "agreed"
	StagePosted     = "posted"
	StageRecognised = "recognised"
)

// Stages lists the review stages in order.
var Stages = []string{StageSurveyed, StageAgreed, StagePosted, StageRecognised}

// The office keeps the stages of its groups in a top-level bucket of its own, made on first
// use: stages/ group → JSON list of the group's StageMarks, in stage order. The stages are the
// office's records of meetings and decisions, not derived from the revisions: migrations and
// Reindex leave them alone, and they do not travel with sync.
var bStages = []byte("stages")

// Errors of the review stages.
var (
	ErrOfficeStages = &Error{
		"Chỉ bản dữ liệu của văn phòng phường mới ghi các bước rà soát của tổ",
		"Only the ward office's copy records the review stages of a group"}
	ErrStageOrder = &Error{
		"Các bước rà soát của tổ phải theo thứ tự: đã rà soát, họp dân thống nhất, niêm yết công khai, đã công nhận",
		"A group's review stages go in order: surveyed, agreed at the meeting, posted, recognised"}
)

// StageMark records that a group reached a stage: on which date, with a note (the meeting's
// tally, the decision's number…), by whom and when it was recorded.
type StageMark struct {
	Stage  string
	Date   household.Date
	Note   string
	Author string
	Time   time.Time
}

// markJSON is a StageMark as the bucket holds it.
type markJSON struct {
	Stage  string    `json:"stage"`
	Date   string    `json:"date"`
	Note   string    `json:"note,omitempty"`
	Author string    `json:"author,omitempty"`
	Time   time.Time `json:"time"`
}

// GroupStages is a residential group with the stages it has reached, in order.
type GroupStages struct {
	Group string
	Marks []StageMark
}

// Reached is the last stage the group has reached, or "".
func (g GroupStages) Reached() string {
	if len(g.Marks) == 0 {
		return ""
	}
	return g.Marks[len(g.Marks)-1].Stage
}

// Mark returns the group's mark of a stage; ok is false when it has not reached it.
func (g GroupStages) Mark(stage string) (m StageMark, ok bool) {
	for _, m := range g.Marks {
		if m.Stage == stage {
			return m, true
		}
	}
	return StageMark{}, false
}

// SetStage records that a group reached a stage on a date, or corrects the date or note of a
// stage it had reached. The stage before it must be marked, on that date or earlier, and a
// later stage already marked must not be dated before it. Only the office's copy records
// stages. It is one transaction.
func (s *Store) SetStage(group, stage string, date household.Date, note, author string) (StageMark, error) {
	i := slices.Index(Stages, stage)
	switch {
	case i < 0:
		return StageMark{}, errorf(ErrInvalid, nil, "bước rà soát %q", "review stage %q", stage)
	case group == "" || checkKey("group", group, maxKeyLen) != nil:
		return StageMark{}, errorf(ErrInvalid, nil, "tên tổ %q", "group name %q", group)
	case date.IsZero():
		return StageMark{}, errorf(ErrInvalid, nil, "thiếu ngày", "the date is missing")
	}
	m := StageMark{Stage: stage, Date: date, Note: note, Author: author, Time: s.now().UTC()}
	ae := AuditEntry{Author: author, Action: AuditStage, Detail: group + ": " + stage + " " + date.String() + " " + note}
	err := s.stagesUpdate(group, ae, func(marks []StageMark) ([]StageMark, error) {
		if i > 0 && (len(marks) < i || marks[i-1].Date.Compare(date) > 0) {
			return nil, errorf(ErrStageOrder, nil, "%s: %s", "%s: %s", group, stage)
		}
		if len(marks) > i+1 && marks[i+1].Date.Compare(date) < 0 {
			return nil, errorf(ErrStageOrder, nil, "%s: %s", "%s: %s", group, stage)
		}
		if len(marks) > i {
			marks[i] = m
			return marks, nil
		}
		return append(marks, m), nil
	})
	return m, err
}

// ClearStage removes a group's mark of a stage recorded by mistake; the stages after it must
// be cleared first. Clearing a stage not reached changes nothing. It is one transaction.
func (s *Store) ClearStage(group, stage string) error {
	i := slices.Index(Stages, stage)
	if i < 0 {
		return errorf(ErrInvalid, nil, "bước rà soát %q", "review stage %q", stage)
	}
	return s.stagesUpdate(group, AuditEntry{Action: AuditStage, Detail: group + ": " + stage + " -"}, func(marks []StageMark) ([]StageMark, error) {
		switch {
		case len(marks) <= i:
			return marks, nil
		case len(marks) > i+1:
			return nil, errorf(ErrStageOrder, nil, "%s: %s", "%s: %s", group, Stages[i+1])
		}
		return marks[:i], nil
	})
}

// Stages returns the review stages of every group that has reached one, by group name.
func (s *Store) Stages() ([]GroupStages, error) {
	var out []GroupStages
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bStages)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			marks, err := decodeMarks(k, v)
			if err == nil && len(marks) > 0 {
				out = append(out, GroupStages{Group: string(k), Marks: marks})
			}
			return err
		})
	})
	return out, err
}

// stagesUpdate changes one group's marks in one transaction, making the bucket if need be.
func (s *Store) stagesUpdate(group string, ae AuditEntry, fn func([]StageMark) ([]StageMark, error)) error {
	return s.update(func(tx *bolt.Tx) error {
		if err := s.appendAudit(tx, ae); err != nil {
			return err
		}
		if Role(tx.Bucket(bMeta).Get(kRole)) != RoleOffice {
			return ErrOfficeStages
		}
		b, err := tx.CreateBucketIfNotExists(bStages)
		if err != nil {
			return err
		}
		marks, err := decodeMarks([]byte(group), b.Get([]byte(group)))
		if err != nil {
			return err
		}
		if marks, err = fn(marks); err != nil {
			return err
		}
		if len(marks) == 0 {
			return b.Delete([]byte(group))
		}
		js := make([]markJSON, len(marks))
		for i, m := range marks {
			js[i] = markJSON{Stage: m.Stage, Date: m.Date.String(), Note: m.Note, Author: m.Author, Time: m.Time}
		}
		v, err := json.Marshal(js)
		if err != nil {
			return err
		}
		return b.Put([]byte(group), v)
	})
}

func decodeMarks(group, v []byte) ([]StageMark, error) {
	if v == nil {
		return nil, nil
	}
	var js []markJSON
	bad := json.Unmarshal(v, &js) != nil
	marks := make([]StageMark, len(js))
	for i, j := range js {
		d, err := household.ParseDate(j.Date)
		bad = bad || err != nil || i >= len(Stages) || j.Stage != Stages[i]
		marks[i] = StageMark{Stage: j.Stage, Date: d, Note: j.Note, Author: j.Author, Time: j.Time}
	}
	if bad {
		return nil, errorf(ErrCorrupt, nil, "các bước rà soát của tổ %s không đọc được", "the review stages of group %s cannot be read", group)
	}
	return marks, nil
}
