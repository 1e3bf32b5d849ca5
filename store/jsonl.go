package store

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	gosync "sync"
	"time"

	"github.com/rasoat/rasoat/household"
)

// RevisionSchema marks a line of a history export: one revision with its record.
const RevisionSchema = "rasoat.revision/v1"

// ImportOptions say how to import a JSON Lines file.
type ImportOptions struct {
	Author      string // recorded as the author of the new revisions
	SkipInvalid bool   // import the valid records and list the others, instead of nothing
	// Progress, when set, is told how many lines were read, every 256 lines and at the end.
	// It is called inside the import's transaction: it must not use the store.
	Progress func(done int)
	// Status of the imported households: StatusComplete (the default: every imported record
	// is valid) or StatusDraft.
	Status string
}

// ImportReport says what an import did. For the lines of a history export, Added and
// Unchanged count revisions.
type ImportReport struct {
	Added, Updated, Unchanged, Skipped int
	Problems                           household.Problems // of the invalid records, with line numbers
}

// maxLine bounds one line of an import file: the same bound as every reader of record files.
const maxLine = household.MaxLine

// errRejected rolls an import back when records are invalid and skipping was not asked for.
var errRejected = errors.New("import rejected")

// Import reads household records (the interchange format, one per line; blank lines are
// ignored) or the revisions of a history export, in one transaction. Every record is checked
// like MarkComplete checks. If any is invalid, nothing is imported and the error lists the
// problems (it wraps household.Problems), unless SkipInvalid: then the valid ones are imported
// and the others counted as Skipped, with their problems in the report. A household already
// in the store gets a new revision when the content differs, and is Unchanged otherwise.
func (s *Store) Import(r io.Reader, o ImportOptions) (ImportReport, error) {
	status := o.Status
	if status == "" {
		status = StatusComplete
	}
	if status != StatusComplete && status != StatusDraft {
		return ImportReport{}, errorf(ErrInvalid, nil, "trạng thái nhập %q (complete hoặc draft)", "import status %q (complete or draft)", status)
	}
	var rep ImportReport
	br := bufio.NewReaderSize(r, 64<<10)
	err := s.updateTxn(func(t *txn) error {
		rep = ImportReport{}
		t.buffer()
		t.noRecord = true
		t.noAudit = true
		seen := map[string]int{}
		done := 0
		lines := s.prepareLines(br, status)
		defer lines.stop()
		for {
			p, err := lines.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				return err
			}
			if p.blank {
				continue
			}
			var ps household.Problems
			if p.long {
				ps = household.Problems{household.LongLine()}
			} else {
				ps, err = t.importLine(p, seen, status, o.Author, &rep, len(rep.Problems) == 0 || o.SkipInvalid)
				if err != nil {
					return err
				}
			}
			if len(ps) > 0 {
				for i := range ps {
					ps[i].Line = p.line
				}
				rep.Problems = append(rep.Problems, ps...)
				rep.Skipped++
			}
			if done++; o.Progress != nil && done%256 == 0 {
				o.Progress(done)
			}
		}
		if o.Progress != nil {
			o.Progress(done)
		}
		if len(rep.Problems) > 0 && !o.SkipInvalid {
			return errRejected
		}
		if err := s.appendAudit(t.tx, AuditEntry{Author: o.Author, Action: AuditImport, Count: rep.Added + rep.Updated,
			Detail: fmt.Sprintf("added %d, updated %d, unchanged %d, skipped %d", rep.Added, rep.Updated, rep.Unchanged, rep.Skipped)}); err != nil {
			return err
		}
		return t.flush()
	})
	if err == errRejected {
		rep.Added, rep.Updated, rep.Unchanged = 0, 0, 0
		return rep, errorf(ErrInvalid, rep.Problems, "%d bản ghi không hợp lệ; không nhập gì", "%d invalid records; nothing was imported", rep.Skipped)
	}
	if err != nil {
		return ImportReport{}, err
	}
	return rep, nil
}

var errLong = errors.New("line too long")

// readLine returns the next line without its end of line; the bytes are valid until the next
// call. A line longer than maxLine is skipped and reported as errLong.
func readLine(br *bufio.Reader) ([]byte, error) {
	l, err := br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		buf := append([]byte(nil), l...)
		for err == bufio.ErrBufferFull {
			l, err = br.ReadSlice('\n')
			if len(buf) <= maxLine {
				buf = append(buf, l...)
			}
		}
		if len(buf) > maxLine {
			if err == io.EOF {
				err = nil
			}
			if err == nil {
				err = errLong
			}
			return nil, err
		}
		l = buf
	}
	if err == io.EOF && len(l) > 0 {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	l = bytes.TrimSuffix(l, []byte("\n"))
	return bytes.TrimSuffix(l, []byte("\r")), nil
}

// prepared is a line of an import file after the work that needs no transaction, which
// prepareLines does on every processor: decoding and checking.
type prepared struct {
	line        int
	blank, long bool
	revision    bool               // a line of a history export
	ps          household.Problems // the line's own problems
	recordID    string             // of a revision line, for its problems
	rec         *household.Record  // a record line
	b           []byte             // its canonical bytes
	h           [32]byte
	rev         *Revision // a revision line
	chk         checked
}

// prepareLine decodes and checks a line of an import file.
func (s *Store) prepareLine(l []byte, line int, p *prepared, buf *[]byte) {
	p.line = line
	if len(bytes.TrimSpace(l)) == 0 {
		p.blank = true
		return
	}
	rec, ps := household.Decode(l)
	if rec.Schema == RevisionSchema {
		p.revision = true
		s.prepareRevision(l, p, buf)
		return
	}
	ps = household.CheckDecoded(rec, ps, s.Check) // every broken rule, not only a wrong type
	if len(ps) == 0 {
		for _, k := range []struct {
			path, v string
			max     int
		}{{"id", rec.ID, maxIDLen}, {"group", rec.Group, maxKeyLen}, {"survey.surveyor", rec.Survey.Surveyor, maxKeyLen}} {
			if p := checkKey(k.path, k.v, k.max); p != nil {
				p.RecordID = rec.ID
				ps = append(ps, *p)
			}
		}
	}
	p.ps, p.rec = ps, rec
	if len(ps) == 0 {
		p.b = household.AppendRecord(make([]byte, 0, len(l)+len(l)/8), rec)
		p.h = hashOf(p.b)
	}
}

func (p *prepared) problem(err error) household.Problems {
	return household.Problems{{RecordID: p.recordID, Rule: "revision", VI: Message(err, "vi"), EN: Message(err, "en")}}
}

func (s *Store) prepareRevision(l []byte, p *prepared, buf *[]byte) {
	var rl revisionLine
	if err := json.Unmarshal(l, &rl); err != nil {
		p.ps = p.problem(errorf(ErrInvalid, err, "phiên bản không đọc được", "the revision cannot be read"))
		return
	}
	p.recordID = rl.Household
	tm, err := time.Parse(time.RFC3339Nano, rl.Time)
	if err != nil {
		p.ps = p.problem(errorf(ErrInvalid, err, "thời gian %q", "time %q", rl.Time))
		return
	}
	p.rev = &Revision{ID: rl.ID, Parent: rl.Parent, HouseholdID: rl.Household, Device: rl.Device, Seq: rl.Seq,
		Time: tm, Author: rl.Author, Hash: rl.Hash, Status: rl.Status, Comment: rl.Comment,
		Deleted: rl.Deleted, Record: rl.Record, Merged: rl.Merged, Restored: rl.Restored}
	rec, h, err := checkRevision(p.rev, buf)
	if err != nil {
		p.ps = p.problem(err)
		return
	}
	p.chk = checked{h: h, recID: rec.ID, info: infoOf(rec)}
}

// importLine imports one prepared line, or only checks it when write is false (an invalid
// line was seen and the import will be rolled back). It returns the line's problems.
func (t *txn) importLine(p *prepared, seen map[string]int, status, author string, rep *ImportReport, write bool) (household.Problems, error) {
	if p.revision {
		return t.importRevision(p, write, rep)
	}
	rec, ps := p.rec, p.ps
	if len(ps) == 0 {
		if first, dup := seen[rec.ID]; dup {
			ps = household.Problems{household.DuplicateID(rec.ID, first)}
		} else {
			seen[rec.ID] = p.line
		}
	}
	if len(ps) > 0 || !write {
		return ps, nil
	}
	old, exists, err := t.cur(rec.ID)
	if err != nil {
		return nil, err
	}
	if exists && !old.Deleted && old.Hash == p.h {
		rep.Unchanged++
		return nil, nil
	}
	var oldp *current
	if exists {
		oldp = &old
		rep.Updated++
	} else {
		rep.Added++
	}
	_, err = t.local(rec.ID, oldp, p.b, p.h, rec, status, "", author, false, false, "")
	return nil, err
}

// revisionLine is a line of a history export.
type revisionLine struct {
	Schema    string          `json:"schema"`
	ID        string          `json:"id"`
	Household string          `json:"household"`
	Parent    string          `json:"parent"`
	Merged    []string        `json:"merged"`
	Device    string          `json:"device"`
	Seq       uint64          `json:"seq"`
	Time      string          `json:"time"`
	Author    string          `json:"author"`
	Status    string          `json:"status"`
	Comment   string          `json:"comment"`
	Deleted   bool            `json:"deleted"`
	Restored  string          `json:"restored"`
	Hash      string          `json:"hash"`
	Record    json.RawMessage `json:"record"`
}

func (t *txn) importRevision(p *prepared, write bool, rep *ImportReport) (household.Problems, error) {
	if len(p.ps) > 0 {
		return p.ps, nil
	}
	if !write {
		return nil, nil
	}
	added, err := t.putRevision(p.rev, &p.chk)
	if errors.Is(err, ErrInvalid) {
		return p.problem(err), nil
	}
	if err != nil {
		return nil, err
	}
	if added {
		rep.Added++
	} else {
		rep.Unchanged++
	}
	return nil, nil
}

// preparer reads the lines of an import file ahead of the transaction that stores them and
// prepares them on every processor; next hands them over in order. It reads at most a few
// hundred lines ahead.
type preparer struct {
	queue chan *lineJob // jobs in line order, for next
	quit  chan struct{}
	wg    gosync.WaitGroup
	cur   *lineJob
	i     int
}

type lineJob struct {
	lines [][]byte
	longs []bool
	first int
	out   []prepared
	err   error // a read error after the lines
	done  chan struct{}
}

func (s *Store) prepareLines(br *bufio.Reader, status string) *preparer {
	const perJob, ahead = 64, 8
	pr := &preparer{queue: make(chan *lineJob, ahead), quit: make(chan struct{})}
	work := make(chan *lineJob, ahead)
	pr.wg.Go(func() {
		defer close(pr.queue)
		defer close(work)
		for line := 1; ; {
			job := &lineJob{first: line, done: make(chan struct{})}
			eof := false
			for len(job.lines) < perJob {
				l, err := readLine(br)
				if err == io.EOF {
					eof = true
					break
				}
				if err != nil && err != errLong {
					job.err = err
					break
				}
				if line == 1 {
					l = bytes.TrimPrefix(l, []byte("\xef\xbb\xbf"))
				}
				job.lines = append(job.lines, bytes.Clone(l))
				job.longs = append(job.longs, err == errLong)
				line++
			}
			select {
			case pr.queue <- job:
			case <-pr.quit:
				return
			}
			select {
			case work <- job:
			case <-pr.quit:
				return
			}
			if eof || job.err != nil {
				return
			}
		}
	})
	for range runtime.GOMAXPROCS(0) {
		pr.wg.Go(func() {
			var buf []byte
			for job := range work {
				job.out = make([]prepared, len(job.lines))
				for i, l := range job.lines {
					if job.longs[i] {
						job.out[i] = prepared{line: job.first + i, long: true}
						continue
					}
					s.prepareLine(l, job.first+i, &job.out[i], &buf)
				}
				job.lines = nil
				close(job.done)
			}
		})
	}
	return pr
}

// next returns the next prepared line; io.EOF at the end of the file.
func (pr *preparer) next() (*prepared, error) {
	for pr.cur == nil || pr.i == len(pr.cur.out) {
		if pr.cur != nil && pr.cur.err != nil {
			return nil, pr.cur.err
		}
		job, ok := <-pr.queue
		if !ok {
			return nil, io.EOF
		}
		<-job.done
		pr.cur, pr.i = job, 0
	}
	pr.i++
	return &pr.cur.out[pr.i-1], nil
}

// stop ends the reading and the preparing, and waits for them.
func (pr *preparer) stop() {
	close(pr.quit)
	pr.wg.Wait()
}

// ExportOptions say what to export.
type ExportOptions struct {
	// History exports every revision of every household (deleted ones too) as lines of
	// RevisionSchema, which Import reads back; otherwise the current record of every
	// household that is not deleted.
	History bool
}

// Export writes the households as JSON Lines, in the store's order (first arrival), from one
// consistent snapshot. Importing the output into an empty store and exporting again gives
// the same bytes. A record that no longer matches its hash is left out, and Export then
// returns ErrCorrupt naming its households (the other lines are written).
func (s *Store) Export(w io.Writer, o ExportOptions) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	var bad damagedRecords
	err := s.viewTxn(func(t *txn) error {
		var line []byte
		return t.eachCurrent(func(id []byte, c *current) error {
			if !o.History {
				if c.Deleted {
					return nil
				}
				b, err := t.blob(c.Hash)
				if err != nil {
					return err
				}
				if bad.bad(string(id), c.Hash, b) {
					return nil
				}
				bw.Write(b)
				return bw.WriteByte('\n')
			}
			p := append(bytes.Clone(id), 0)
			cur := t.byHousehold.Cursor()
			for k, _ := cur.Seek(p); k != nil && bytes.HasPrefix(k, p); k, _ = cur.Next() {
				if len(k) < len(p)+8 {
					return errorf(ErrCorrupt, nil, "khóa lịch sử hỏng", "a history key is damaged")
				}
				r, h, err := t.rev(string(k[len(p)+8:]))
				if err != nil {
					return err
				}
				b, err := t.blob(h)
				if err != nil {
					return err
				}
				if bad.bad(string(id), h, b) {
					continue
				}
				line = appendRevisionLine(line[:0], &r, b)
				if _, err := bw.Write(line); err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return bad.err(s.path)
}

// AppendRevisionLine appends a revision with its record as one line of a history export
// (RevisionSchema), newline included. Import reads such lines back.
func AppendRevisionLine(dst []byte, r *Revision) []byte {
	return appendRevisionLine(dst, r, r.Record)
}

// appendRevisionLine writes a revision as one line of a history export, fields in a fixed
// order, empty optional ones left out.
func appendRevisionLine(dst []byte, r *Revision, rec []byte) []byte {
	dst = append(dst, `{"schema": `...)
	dst = appendJSONString(dst, RevisionSchema)
	field := func(k, v string, always bool) {
		if v != "" || always {
			dst = append(dst, ", \""...)
			dst = append(dst, k...)
			dst = append(dst, "\": "...)
			dst = appendJSONString(dst, v)
		}
	}
	field("id", r.ID, true)
	field("household", r.HouseholdID, true)
	field("parent", r.Parent, false)
	if len(r.Merged) > 0 {
		dst = append(dst, `, "merged": [`...)
		for i, m := range r.Merged {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = appendJSONString(dst, m)
		}
		dst = append(dst, ']')
	}
	field("device", r.Device, true)
	dst = append(dst, `, "seq": `...)
	dst = strconv.AppendUint(dst, r.Seq, 10)
	field("time", r.Time.UTC().Format(time.RFC3339Nano), true)
	field("author", r.Author, false)
	field("status", r.Status, true)
	field("comment", r.Comment, false)
	if r.Deleted {
		dst = append(dst, `, "deleted": true`...)
	}
	field("restored", r.Restored, false)
	field("hash", r.Hash, true)
	dst = append(dst, `, "record": `...)
	dst = append(dst, rec...)
	return append(dst, "}\n"...)
}

// appendJSONString writes s as a JSON string the way the record format does: UTF-8 as is,
// only the quote, the backslash and control characters escaped.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c < 0x20:
			dst = append(dst, fmt.Sprintf(`\u%04x`, c)...)
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
