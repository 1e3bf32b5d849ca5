package main

import (
	"fmt"
	"io"

	"github.com/rasoat/rasoat/household"
)

func init() {
	register(&command{
		name:    "delete",
		summary: "văn phòng: xóa một hộ (giữ trong lịch sử, khôi phục được) / office: delete a household (kept in its history, can be undeleted)",
		run:     func(a []string, in io.Reader, out, errw io.Writer) int { return runSetDeleted("delete", a, out, errw) },
	})
	register(&command{
		name:    "undelete",
		summary: "văn phòng: khôi phục một hộ đã xóa / office: bring a deleted household back",
		run: func(a []string, in io.Reader, out, errw io.Writer) int {
			return runSetDeleted("undelete", a, out, errw)
		},
	})
}

// runSetDeleted deletes or undeletes one household by a new revision, recorded in the audit
// log and sent to the laptops like any other: nothing of its history is removed.
func runSetDeleted(cmd string, args []string, stdout, stderr io.Writer) int {
	what := [2]string{"Xóa hộ ID bằng một phiên bản mới (giữ nội dung cuối và cả lịch sử; undelete khôi phục lại).",
		"Deletes household ID by a new revision (its last content and whole history are kept; undelete brings it back)."}
	if cmd == "undelete" {
		what = [2]string{"Khôi phục hộ ID đã xóa, như trước khi xóa, bằng một phiên bản mới.",
			"Brings deleted household ID back, as it was before, by a new revision."}
	}
	fs, sf := newStoreFlags(cmd, stderr, fmt.Sprintf("Cách dùng / usage: rasoatctl %s [--db PATH] [--author TÊN] ID", cmd), what[0], what[1])
	author := fs.String("author", "", "người thực hiện (mặc định: người dùng của cơ sở dữ liệu) / who does it (default: the database's user)")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	if len(pos) != 1 {
		return usageError(stderr, cmd, "cần đúng một mã hộ", "exactly one household ID is required")
	}
	s, code := sf.open(cmd, stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	if *author == "" {
		*author = "rasoatctl"
		if m, err := s.Meta(); err == nil && m.Surveyor != "" {
			*author = m.Surveyor
		}
	}
	set := s.Delete
	if cmd == "undelete" {
		set = s.Undelete
	}
	rev, err := set(pos[0], *author)
	if err != nil {
		return storeFail(stderr, cmd, err)
	}
	head := ""
	if rec, ps := household.Decode(rev.Record); len(ps) == 0 {
		head = rec.HeadName()
	}
	done := household.Text{VI: "đã xóa", EN: "deleted"}
	if cmd == "undelete" {
		done = household.Text{VI: "đã khôi phục", EN: "undeleted"}
	}
	fmt.Fprintf(stdout, "%s: %s %s (%s)\n", done.In(sf.lang), pos[0], head, rev.ID)
	return exitOK
}
