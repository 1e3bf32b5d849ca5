package main

// The ward's income score table (docs/score-table.md): scoretable check FILE, and load FILE,
// show, remove on a database.

import (
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/rasoat/rasoat/poverty"
)

func init() {
	register(&command{"scoretable",
		"bảng điểm thu nhập của phường: check, load, show, remove / the ward's income score table: check, load, show, remove",
		runScoreTable})
}

func runScoreTable(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, sf := newStoreFlags("scoretable", stderr,
		"Cách dùng / usage: rasoatctl scoretable check FILE | load FILE | show | remove [--db PATH] [--author TÊN]",
		"Bảng điểm thu nhập (điểm A) của vùng, do phường cung cấp (định dạng: docs/score-table.md); chương trình",
		"không kèm bảng chính thức nào. check kiểm tra tệp mà không ghi gì; load kiểm tra rồi lưu tệp vào cơ sở",
		"dữ liệu, thay bảng cũ; show in bảng đang dùng: tên, nguồn, có phải bảng ví dụ, ngưỡng điểm, số mục;",
		"remove bỏ bảng. Hộ có điểm thu nhập theo chuẩn chưa có ngưỡng điểm (2027-2030) chỉ xếp loại được khi",
		"bảng đã nạp có ngưỡng cho chuẩn đó.",
		"The region's income score table (score A), provided by the ward (format: docs/score-table.md); no",
		"official table comes with the program. check checks a file and writes nothing; load checks it and stores",
		"it in the database in place of the old one; show prints the table in use: name, source, whether it is an",
		"example, thresholds, item count; remove takes it away. A household with an income score under a",
		"standard with no thresholds of its own (2027-2030) is classified only when the loaded table has some.")
	author := fs.String("author", "", "người nạp hoặc bỏ bảng (mặc định: người dùng của cơ sở dữ liệu) / who loads or removes it (default: the database's user)")
	pos, err := storeParse(fs, args)
	if err != nil {
		return parseExit(err)
	}
	sub := ""
	if len(pos) > 0 {
		sub = pos[0]
	}
	switch {
	case (sub == "check" || sub == "load") && len(pos) == 2:
	case (sub == "show" || sub == "remove") && len(pos) == 1:
	default:
		return usageError(stderr, "scoretable", "cần check FILE, load FILE, show hoặc remove", "check FILE, load FILE, show or remove is required")
	}
	if sub == "check" {
		t, err := readScoreTable(pos[1])
		var reg *poverty.Registry
		if err == nil {
			reg, err = poverty.MustBuiltin().WithScoreTable(t)
		}
		if err != nil {
			return storeFail(stderr, "scoretable", err)
		}
		return printScoreTable(stdout, stderr, sf.lang, reg)
	}
	var data []byte
	if sub == "load" {
		if data, err = os.ReadFile(pos[1]); err != nil {
			fmt.Fprintf(stderr, "rasoatctl scoretable: không đọc được / cannot read %s: %v\n", pos[1], err)
			return exitBad
		}
	}
	s, code := sf.open("scoretable", stderr)
	if s == nil {
		return code
	}
	defer s.Close()
	who := *author
	if who == "" {
		if m, err := s.Meta(); err == nil && m.Surveyor != "" {
			who = m.Surveyor
		} else {
			who = "rasoatctl"
		}
	}
	switch sub {
	case "load":
		if _, err := s.LoadScoreTable(data, who); err != nil {
			return storeFail(stderr, "scoretable", err)
		}
	case "remove":
		if err := s.RemoveScoreTable(who); err != nil {
			return storeFail(stderr, "scoretable", err)
		}
	}
	if _, enrolled, err := s.Enrollment(); err == nil && enrolled && (sub == "load" || sub == "remove") {
		fmt.Fprintln(stderr, "rasoatctl scoretable: máy này nhận bảng điểm của văn phòng phường mỗi lần đồng bộ, thay cho bảng nạp ở đây / "+
			"this laptop takes the ward office's score table at each sync, in place of the one loaded here")
	}
	reg, err := s.Registry()
	if err != nil {
		return storeFail(stderr, "scoretable", err)
	}
	return printScoreTable(stdout, stderr, sf.lang, reg)
}

// printScoreTable prints the score table of a registry and the thresholds in force for each
// standard, or that there is none.
func printScoreTable(stdout, stderr io.Writer, lang string, reg *poverty.Registry) int {
	w := func(vi, en string) string { return storeWord(lang, vi, en) }
	t := reg.ScoreTable()
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	if t == nil {
		fmt.Fprintln(tw, w("Chưa nạp bảng điểm thu nhập: hộ có điểm thu nhập chỉ xếp loại được theo chuẩn có ngưỡng điểm riêng.",
			"No income score table is loaded: a household with an income score is classified only under a standard with thresholds of its own."))
	} else {
		fmt.Fprintf(tw, "%s\t%s\n", w("Bảng điểm:", "Score table:"), t.Name.In(lang))
		fmt.Fprintf(tw, "%s\t%s\n", w("Mã, phiên bản:", "Id, version:"), t.ID+" "+t.Version)
		fmt.Fprintf(tw, "%s\t%s\n", w("Vùng:", "Region:"), t.Region.In(lang))
		fmt.Fprintf(tw, "%s\t%s\n", w("Nguồn:", "Source:"), t.Source)
		example := w("không (bảng chính thức của phường)", "no (the ward's official table)")
		if t.IsExample() {
			example = w("CÓ — không phải bảng điểm chính thức", "YES — not an official score table")
		}
		fmt.Fprintf(tw, "%s\t%s\n", w("Bảng ví dụ:", "Example:"), example)
		fmt.Fprintf(tw, "%s\t%d\n", w("Số mục:", "Items:"), len(t.Items))
		fmt.Fprintf(tw, "%s\t%s\n", w("Điểm cơ bản:", "Base score:"), pointsText(lang, t.BaseScore))
		fmt.Fprintf(tw, "%s\t%s\n", "SHA-256:", t.SHA256())
	}
	fmt.Fprintln(tw, w("Ngưỡng điểm thu nhập theo chuẩn nghèo:", "Income score thresholds by standard:"))
	for _, s := range reg.All() {
		th := w("không có: hộ có điểm thu nhập bị từ chối", "none: a household with an income score is refused")
		if s.ScoreThreshold != nil {
			from := w("của chuẩn nghèo", "the standard's own")
			if s.ThresholdTable() != nil {
				from = w("từ bảng điểm", "from the score table")
			}
			th = fmt.Sprintf("%s %d, %s %d (%s)", w("nông thôn", "rural"), s.ScoreThreshold.Rural, w("thành thị", "urban"), s.ScoreThreshold.Urban, from)
		}
		fmt.Fprintf(tw, "  %s\t%s\n", s.ID+":", th)
	}
	if err := tw.Flush(); err != nil {
		return storeFail(stderr, "scoretable", err)
	}
	return exitOK
}

func pointsText(lang string, p poverty.Points) string {
	if p.Rural == p.Urban {
		return fmt.Sprint(p.Rural)
	}
	return fmt.Sprintf("%s %d, %s %d", storeWord(lang, "nông thôn", "rural"), p.Rural, storeWord(lang, "thành thị", "urban"), p.Urban)
}
