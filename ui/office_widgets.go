package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// newTextTable makes a read-only table of text with a header row: the office's lists of
// groups, surveyors, devices and households. cell gives the text of a cell and its importance.
func newTextTable(headers []string, widths []float32, rows func() int, cell func(r, c int) (string, widget.Importance)) *widget.Table {
	t := widget.NewTableWithHeaders(
		func() (int, int) { return rows(), len(headers) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			text, imp := cell(id.Row, id.Col)
			l.Importance = imp
			l.SetText(text)
		})
	t.ShowHeaderColumn = false
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(headers) {
			o.(*widget.Label).SetText(headers[id.Col])
		}
	}
	for i, w := range widths {
		// never narrower than the column's heading
		h := widget.NewLabel(headers[i])
		h.TextStyle = fyne.TextStyle{Bold: true}
		t.SetColumnWidth(i, max(w, h.MinSize().Width+2*theme.InnerPadding()))
	}
	return t
}

// tableText gathers a table's header and cells as text, row by row (for tests and a copy).
func tableText(headers []string, rows int, cell func(r, c int) (string, widget.Importance)) [][]string {
	out := [][]string{headers}
	for r := 0; r < rows; r++ {
		line := make([]string, len(headers))
		for c := range headers {
			line[c], _ = cell(r, c)
		}
		out = append(out, line)
	}
	return out
}

// barRow is one group of the chart: two counts drawn as bars.
type barRow struct {
	Label    string
	Poor     int
	NearPoor int
}

// barChart draws the poor and near-poor households of every group as horizontal bars, one
// pair per group, scaled to the largest count: the dashboard's picture of the ward.
type barChart struct {
	widget.BaseWidget
	rows []barRow
}

func newBarChart() *barChart {
	c := &barChart{}
	c.ExtendBaseWidget(c)
	return c
}

// set draws new counts.
func (c *barChart) set(rows []barRow) {
	c.rows = rows
	c.Refresh()
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barRenderer{chart: c}
	r.rebuild()
	return r
}

type barRenderer struct {
	chart   *barChart
	objects []fyne.CanvasObject
	labels  []*canvas.Text
	bars    []*canvas.Rectangle
	counts  []*canvas.Text
}

// barHeight is the height of one bar; the two bars of a group are drawn one under the other.
const barHeight = 12

func (r *barRenderer) rebuild() {
	r.objects, r.labels, r.bars, r.counts = nil, nil, nil, nil
	fg := theme.Color(theme.ColorNameForeground)
	for _, row := range r.chart.rows {
		l := canvas.NewText(row.Label, fg)
		l.TextSize = theme.TextSize()
		r.labels = append(r.labels, l)
		r.objects = append(r.objects, l)
		for i, n := range []int{row.Poor, row.NearPoor} {
			col := theme.Color(theme.ColorNameError)
			if i == 1 {
				col = theme.Color(theme.ColorNameWarning)
			}
			b := canvas.NewRectangle(col)
			t := canvas.NewText(fmt.Sprint(n), fg)
			t.TextSize = theme.CaptionTextSize()
			r.bars, r.counts = append(r.bars, b), append(r.counts, t)
			r.objects = append(r.objects, b, t)
		}
	}
}

func (r *barRenderer) Layout(size fyne.Size) {
	pad := theme.Padding()
	lw := float32(0)
	for _, l := range r.labels {
		lw = max(lw, l.MinSize().Width)
	}
	most := 1
	for _, row := range r.chart.rows {
		most = max(most, row.Poor, row.NearPoor)
	}
	room := max(size.Width-lw-4*pad-40, 10)
	y := float32(0)
	for i, l := range r.labels {
		l.Move(fyne.NewPos(0, y+barHeight-l.MinSize().Height/2))
		for j := 0; j < 2; j++ {
			n := []int{r.chart.rows[i].Poor, r.chart.rows[i].NearPoor}[j]
			w := room * float32(n) / float32(most)
			b, t := r.bars[2*i+j], r.counts[2*i+j]
			b.Move(fyne.NewPos(lw+2*pad, y))
			b.Resize(fyne.NewSize(max(w, 1), barHeight))
			t.Move(fyne.NewPos(lw+3*pad+w, y+(barHeight-t.MinSize().Height)/2))
			y += barHeight + 2
		}
		y += 2 * pad
	}
}

func (r *barRenderer) MinSize() fyne.Size {
	n := float32(len(r.chart.rows))
	return fyne.NewSize(200, n*(2*barHeight+2+2*theme.Padding()))
}

func (r *barRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.chart.Size())
	canvas.Refresh(r.chart)
}

func (r *barRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *barRenderer) Destroy()                     {}

// canvasRect is a small square of a theme colour, for a chart's legend.
func canvasRect(color fyne.ThemeColorName) *canvas.Rectangle {
	r := canvas.NewRectangle(theme.Color(color))
	r.SetMinSize(fyne.NewSize(14, 14))
	return r
}
