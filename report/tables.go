package report

import (
	"fmt"
	"strings"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
)

// Rate is a count out of a total, shown as a percentage.
type Rate struct{ N, Of int }

// Percent is the rate in percent (0 when the total is 0).
func (r Rate) Percent() float64 {
	if r.Of == 0 {
		return 0
	}
	return 100 * float64(r.N) / float64(r.Of)
}

// Column is one column of a report table; columns with the same Group next to each other share
// a merged header cell above their names.
type Column struct {
	Group string
	Name  string
}

// Table is one official summary report: a title, the scope and standard lines, columns with
// two-level headers, one row per residential group and a totals row. Cells are string, int or
// Rate. Ward, Year and Lang make its official head and foot: the ward's People's Committee,
// the title with the year, the signature blocks.
type Table struct {
	Ward     string
	Year     int // the survey year of the rows (0: none known)
	Lang     string
	Key      string // short name for a file: "tong-hop", "bien-dong-ho-ngheo", …
	Sheet    string // the sheet's name in the user's language: short (Excel allows 31 characters) and unlike the others'
	Title    string
	Subtitle []string
	Columns  []Column
	Rows     [][]any
	Total    []any
	Notes    []string
}

// Reports makes the official summary reports of poverty-standard.md section 7 for a ward:
// the summary of results, the changes in poor and in near-poor households, and the deprivation
// analysis of poor and of near-poor households (counts and rates), for the latest survey year
// of the rows (as the posting's year).
func Reports(ward string, rows []Row, lang string) []Table {
	rows = append([]Row(nil), rows...)
	Sort(rows)
	groups, byGroup := splitGroups(rows)
	sub := subtitle(ward, rows, lang)
	ts := []Table{
		summaryTable(groups, byGroup, rows, sub, lang),
		changesTable(poverty.Poor, groups, byGroup, rows, sub, lang),
		changesTable(poverty.NearPoor, groups, byGroup, rows, sub, lang),
		deprivationTable(poverty.Poor, groups, byGroup, rows, sub, lang),
		deprivationTable(poverty.NearPoor, groups, byGroup, rows, sub, lang),
	}
	year := surveyYear(rows)
	for i := range ts {
		ts[i].Ward, ts[i].Year, ts[i].Lang = ward, year, lang
	}
	return ts
}

func splitGroups(rows []Row) ([]string, map[string][]Row) {
	var groups []string
	by := map[string][]Row{}
	for _, r := range rows {
		g := r.Record.Group
		if _, ok := by[g]; !ok {
			groups = append(groups, g)
		}
		by[g] = append(by[g], r)
	}
	return groups, by
}

// Standards returns the distinct standards used by the rows, in order of first use.
func Standards(rows []Row) []*poverty.Standard {
	var out []*poverty.Standard
	seen := map[*poverty.Standard]bool{}
	for i := range rows {
		if s := rows[i].Result.Standard; s != nil && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func subtitle(ward string, rows []Row, lang string) []string {
	tx := func(vi, en string) string { return household.Text{VI: vi, EN: en}.In(lang) }
	lines := []string{fmt.Sprintf("%s: %s", tx("Đơn vị", "Ward"), ward)}
	for _, s := range Standards(rows) {
		lines = append(lines, fmt.Sprintf("%s: %s", tx("Chuẩn nghèo áp dụng", "Standard applied"), s.Title(lang)), LegalBasis(s, lang))
		if n := ScoreTableNote(s, lang); n != "" {
			lines = append(lines, n)
		}
		if s.Provisional && s.ProvisionalNote != nil {
			lines = append(lines, s.ProvisionalNote.In(lang))
		}
	}
	return lines
}

// LegalBasis is the line naming a standard's legal sources, which poverty-standard.md asks
// every exported report to carry: "Căn cứ: Nghị định 07/2021/NĐ-CP …; …".
func LegalBasis(s *poverty.Standard, lang string) string {
	return household.Text{VI: "Căn cứ: ", EN: "Legal basis: "}.In(lang) + strings.Join(s.LegalSources, "; ")
}

// ScoreTableNote names the imported score table that gave a standard its income score
// thresholds (poverty-standard.md: "show which table is loaded"), and says so loudly when it
// is an example; "" when the thresholds are the standard's own or absent.
func ScoreTableNote(s *poverty.Standard, lang string) string {
	t := s.ThresholdTable()
	if t == nil {
		return ""
	}
	note := household.Text{VI: "Ngưỡng điểm thu nhập theo bảng điểm: ", EN: "Income score thresholds from the score table: "}.In(lang) + t.Title(lang)
	if t.IsExample() {
		note += household.Text{VI: " — VÍ DỤ, KHÔNG DÙNG CHO DANH SÁCH THẬT", EN: " — AN EXAMPLE, NOT FOR REAL LISTS"}.In(lang)
	}
	return note
}

func groupHeader(lang string) Column {
	return Column{Name: household.Text{VI: "Tổ dân phố / Thôn", EN: "Residential group"}.In(lang)}
}

func totalLabel(lang string) string { return household.Text{VI: "Tổng cộng", EN: "Total"}.In(lang) }

func countClass(rows []Row, class string) int {
	n := 0
	for i := range rows {
		if rows[i].Result.Class == class {
			n++
		}
	}
	return n
}

func countMovement(rows []Row, m string) int {
	n := 0
	for i := range rows {
		if rows[i].Result.Movement == m {
			n++
		}
	}
	return n
}

func countPrevious(rows []Row, status string) int {
	n := 0
	for i := range rows {
		if rows[i].Record.PreviousStatus == status {
			n++
		}
	}
	return n
}

func summaryTable(groups []string, by map[string][]Row, all []Row, sub []string, lang string) Table {
	tx := func(vi, en string) string { return household.Text{VI: vi, EN: en}.In(lang) }
	count, rate := tx("Số hộ", "Households"), tx("Tỷ lệ (%)", "Rate (%)")
	t := Table{
		Key:      "tong-hop",
		Sheet:    tx("Tổng hợp", "Summary"),
		Title:    tx("Tổng hợp kết quả rà soát hộ nghèo, hộ cận nghèo, hộ có mức sống trung bình", "Summary of results: poor, near-poor and medium-living-standard households"),
		Subtitle: sub,
		Columns:  []Column{groupHeader(lang), {Name: tx("Tổng số hộ rà soát", "Households surveyed")}},
	}
	for _, c := range []string{poverty.Poor, poverty.NearPoor, poverty.Medium} {
		w := ClassWord(c, lang)
		t.Columns = append(t.Columns, Column{w, count}, Column{w, rate})
	}
	line := func(name string, rows []Row) []any {
		out := []any{name, len(rows)}
		for _, c := range []string{poverty.Poor, poverty.NearPoor, poverty.Medium} {
			n := countClass(rows, c)
			out = append(out, n, Rate{n, len(rows)})
		}
		return out
	}
	for _, g := range groups {
		t.Rows = append(t.Rows, line(g, by[g]))
	}
	t.Total = line(totalLabel(lang), all)
	t.Notes = []string{tx("Tỷ lệ tính trên tổng số hộ được rà soát.", "Rates are of all households surveyed.")}
	return t
}

// changesTable is the change report of poor (or near-poor) households: last year's count, the
// decreases and increases by cause, this year's count.
func changesTable(class string, groups []string, by map[string][]Row, all []Row, sub []string, lang string) Table {
	tx := func(vi, en string) string { return household.Text{VI: vi, EN: en}.In(lang) }
	down, up := tx("Số hộ giảm", "Decrease"), tx("Số hộ tăng", "Increase")
	var decrease, increase []string
	title, sheet := tx("Biến động hộ nghèo", "Changes in poor households"), tx("Biến động - hộ nghèo", "Changes - poor")
	if class == poverty.Poor {
		decrease = []string{poverty.EscapedPoor, poverty.PoorToNearPoor}
		increase = []string{poverty.NewPoor, poverty.RePoor, poverty.NearPoorToPoor}
	} else {
		title, sheet = tx("Biến động hộ cận nghèo", "Changes in near-poor households"), tx("Biến động - hộ cận nghèo", "Changes - near-poor")
		decrease = []string{poverty.EscapedNearPoor, poverty.NearPoorToPoor}
		increase = []string{poverty.NewNearPoor, poverty.ReNearPoor, poverty.PoorToNearPoor}
	}
	t := Table{Key: "bien-dong-" + Slug(ClassWord(class, "vi")), Sheet: sheet, Title: title, Subtitle: sub,
		Columns: []Column{groupHeader(lang), {Name: tx("Số hộ đầu kỳ (năm trước)", "At start (last year)")}}}
	for _, m := range decrease {
		t.Columns = append(t.Columns, Column{down, MovementWord(m, lang)})
	}
	t.Columns = append(t.Columns, Column{down, tx("Cộng", "Subtotal")})
	for _, m := range increase {
		t.Columns = append(t.Columns, Column{up, MovementWord(m, lang)})
	}
	t.Columns = append(t.Columns, Column{up, tx("Cộng", "Subtotal")}, Column{Name: tx("Số hộ cuối kỳ", "At end (this year)")})
	line := func(name string, rows []Row) []any {
		out := []any{name, countPrevious(rows, class)}
		sum := 0
		for _, m := range decrease {
			n := countMovement(rows, m)
			sum += n
			out = append(out, n)
		}
		out = append(out, sum)
		sum = 0
		for _, m := range increase {
			n := countMovement(rows, m)
			sum += n
			out = append(out, n)
		}
		return append(out, sum, countClass(rows, class))
	}
	for _, g := range groups {
		t.Rows = append(t.Rows, line(g, by[g]))
	}
	t.Total = line(totalLabel(lang), all)
	t.Notes = []string{tx("Đầu kỳ: số hộ được rà soát năm nay có tình trạng năm trước tương ứng. Hộ không được rà soát năm nay không có trong báo cáo.",
		"At start: households surveyed this year whose last-year status was this class. Households not surveyed this year are not in the report.")}
	return t
}

// deprivationTable counts, among poor (or near-poor) households, those deprived on each
// indicator, with the rate.
func deprivationTable(class string, groups []string, by map[string][]Row, all []Row, sub []string, lang string) Table {
	tx := func(vi, en string) string { return household.Text{VI: vi, EN: en}.In(lang) }
	title := tx("Phân tích thiếu hụt các dịch vụ xã hội cơ bản của hộ nghèo", "Deprivation analysis of poor households")
	sheet := tx("Thiếu hụt - hộ nghèo", "Deprivations - poor")
	if class == poverty.NearPoor {
		title = tx("Phân tích thiếu hụt các dịch vụ xã hội cơ bản của hộ cận nghèo", "Deprivation analysis of near-poor households")
		sheet = tx("Thiếu hụt - hộ cận nghèo", "Deprivations - near-poor")
	}
	cols := indicatorColumns(all)
	t := Table{Key: "thieu-hut-" + Slug(ClassWord(class, "vi")), Sheet: sheet, Title: title, Subtitle: sub,
		Columns: []Column{groupHeader(lang), {Name: ClassWord(class, lang) + " (" + strings.ToLower(tx("Số hộ", "households")) + ")"}}}
	for _, c := range cols {
		t.Columns = append(t.Columns, Column{c.Name.In(lang), tx("Số hộ", "Households")}, Column{c.Name.In(lang), tx("Tỷ lệ (%)", "Rate (%)")})
	}
	line := func(name string, rows []Row) []any {
		var of []Row
		for _, r := range rows {
			if r.Result.Class == class {
				of = append(of, r)
			}
		}
		out := []any{name, len(of)}
		for _, c := range cols {
			n := 0
			for i := range of {
				if of[i].Result.Deprived.Has(c.Kind()) {
					n++
				}
			}
			out = append(out, n, Rate{n, len(of)})
		}
		return out
	}
	for _, g := range groups {
		t.Rows = append(t.Rows, line(g, by[g]))
	}
	t.Total = line(totalLabel(lang), all)
	t.Notes = []string{tx("Tỷ lệ tính trên số hộ của loại này trong tổ.", "Rates are of the households of this class in the group.")}
	return t
}
