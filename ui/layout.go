package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// labelColumn is the label column shared by the question grids of one screen, so the answers of
// every section line up one under the other (each grid would otherwise be as wide as its own
// longest label).
type labelColumn struct {
	labels []fyne.CanvasObject
}

// width is the widest visible label of every grid of the column.
func (c *labelColumn) width() float32 {
	var w float32
	for _, l := range c.labels {
		if l.Visible() {
			w = max(w, l.MinSize().Width)
		}
	}
	return w
}

// columnLayout lays out label, answer pairs in two columns like Fyne's form layout, with the
// label width of its labelColumn. A row whose label and answer are both hidden takes no room.
type columnLayout struct{ col *labelColumn }

func (l *columnLayout) rows(objects []fyne.CanvasObject, fn func(label, answer fyne.CanvasObject, height float32)) {
	for i := 0; i+1 < len(objects); i += 2 {
		label, answer := objects[i], objects[i+1]
		if !label.Visible() && !answer.Visible() {
			continue
		}
		fn(label, answer, max(label.MinSize().Height, answer.MinSize().Height))
	}
}

// Layout places each label at the left and its answer in the rest of the width.
func (l *columnLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	lw, pad := l.col.width(), theme.Padding()
	y := float32(0)
	l.rows(objects, func(label, answer fyne.CanvasObject, h float32) {
		label.Move(fyne.NewPos(0, y))
		label.Resize(fyne.NewSize(lw, h))
		answer.Move(fyne.NewPos(lw+pad, y))
		answer.Resize(fyne.NewSize(size.Width-lw-pad, h))
		y += h + pad
	})
}

// MinSize is the shared label width and the widest answer, by the rows' heights.
func (l *columnLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w, h float32
	n := 0
	l.rows(objects, func(_, answer fyne.CanvasObject, rh float32) {
		w = max(w, answer.MinSize().Width)
		h += rh
		n++
	})
	if n > 1 {
		h += float32(n-1) * theme.Padding()
	}
	return fyne.NewSize(l.col.width()+theme.Padding()+w, h)
}
