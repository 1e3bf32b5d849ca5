package ui

import (
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// entry is a text entry that also reports when it loses focus (the form then shows the field's
// problems), when Enter is pressed, and when Escape is pressed (a dialog then closes).
type entry struct {
	widget.Entry
	onBlur   func()
	onEscape func()
	onDown   func() // the down arrow (the search box moves to its results)
}

func newEntry(placeholder string) *entry {
	e := &entry{}
	e.ExtendBaseWidget(e)
	e.PlaceHolder = placeholder
	return e
}

// FocusLost tells the screen the field may have been left (see App.onLeave).
func (e *entry) FocusLost() {
	e.Entry.FocusLost()
	if e.onBlur != nil {
		e.onBlur()
	}
}

// TypedKey adds Escape to the keys an entry handles.
func (e *entry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case k.Name == fyne.KeyEscape && e.onEscape != nil:
		e.onEscape()
	case k.Name == fyne.KeyDown && e.onDown != nil:
		e.onDown()
	default:
		e.Entry.TypedKey(k)
	}
}

// TypedShortcut lets the screen's own shortcuts (Ctrl+N, Ctrl+M, Ctrl+Enter, …) work while the
// entry has the focus: Fyne gives a focused entry every shortcut and the entry drops those it
// does not know.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if !forwardShortcut(e, s) {
		e.Entry.TypedShortcut(s)
	}
}

// forwardShortcut hands one of the screens' shortcuts from a focused entry to its window.
func forwardShortcut(o fyne.CanvasObject, s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok || screenKeys[cs.KeyName] != cs.Modifier {
		return false
	}
	c, ok := fyne.CurrentApp().Driver().CanvasForObject(o).(fyne.Shortcutable)
	if ok {
		c.TypedShortcut(s)
	}
	return ok
}

// pickEntry is a text entry with a list to pick from (the ethnic groups, the residential
// groups), with Escape and the screens' shortcuts like entry.
type pickEntry struct {
	widget.SelectEntry
	onEscape func()
}

func newPickEntry(options []string) *pickEntry {
	e := &pickEntry{}
	e.ExtendBaseWidget(e)
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.SetOptions(options)
	return e
}

// TypedKey adds Escape to the keys the entry handles.
func (e *pickEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.SelectEntry.TypedKey(k)
}

// TypedShortcut passes the screens' shortcuts on to the window.
func (e *pickEntry) TypedShortcut(s fyne.Shortcut) {
	if !forwardShortcut(e, s) {
		e.SelectEntry.TypedShortcut(s)
	}
}

// screenKeys are the screens' shortcuts, by key: Ctrl+N new household, Ctrl+F search,
// Ctrl+, settings, Ctrl+M add a member, Ctrl+Enter complete, Alt+← back to the list, Ctrl+D
// sync (the sync screen, then sync with the office), Ctrl+U export to a USB stick.
var screenKeys = map[fyne.KeyName]fyne.KeyModifier{
	fyne.KeyN: fyne.KeyModifierShortcutDefault, fyne.KeyF: fyne.KeyModifierShortcutDefault,
	fyne.KeyComma: fyne.KeyModifierShortcutDefault, fyne.KeyM: fyne.KeyModifierShortcutDefault,
	fyne.KeyReturn: fyne.KeyModifierShortcutDefault, fyne.KeyLeft: fyne.KeyModifierAlt,
	fyne.KeyD: fyne.KeyModifierShortcutDefault, fyne.KeyU: fyne.KeyModifierShortcutDefault,
}

// key is the shortcut of a key of screenKeys.
func key(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: screenKeys[k]}
}

// question is one row of a form: the label (with a star when an answer is required), the input,
// an optional note under it and a line for the field's problem, empty until there is one.
type question struct {
	title   string
	label   *widget.Label
	input   fyne.CanvasObject
	note    *widget.Label
	problem *widget.Label
	box     *fyne.Container
}

func newQuestion(text string, required bool, input fyne.CanvasObject) *question {
	q := &question{title: text, label: widget.NewLabel(text), input: input}
	q.setRequired(required)
	q.note = widget.NewLabel("")
	q.note.Importance = widget.LowImportance
	q.note.Wrapping = fyne.TextWrapWord
	q.note.Hide()
	q.problem = widget.NewLabel("")
	q.problem.Importance = widget.DangerImportance
	q.problem.Wrapping = fyne.TextWrapWord
	q.problem.Hide()
	q.box = container.NewVBox(input, q.note, q.problem)
	return q
}

// setRequired marks the question as required (a star after its label) or not.
func (q *question) setRequired(on bool) {
	text := q.title
	if on {
		text += " *"
	}
	if q.label.Text != text {
		q.label.SetText(text)
	}
}

// setProblem shows msg under the input, or hides the line when msg is "".
func (q *question) setProblem(msg string) {
	if capitalize(msg) == q.problem.Text && q.problem.Visible() == (msg != "") {
		return
	}
	q.problem.SetText(capitalize(msg))
	q.problem.Importance = widget.DangerImportance
	if msg == "" {
		q.problem.Hide()
	} else {
		q.problem.Show()
	}
}

// setNote shows a help or result line under the input ("" hides it).
func (q *question) setNote(msg string) {
	q.note.SetText(msg)
	if msg == "" {
		q.note.Hide()
	} else {
		q.note.Show()
	}
}

// show shows or hides the whole row (a question that does not apply).
func (q *question) show(on bool) {
	if on {
		q.label.Show()
		q.box.Show()
	} else {
		q.label.Hide()
		q.box.Hide()
	}
}

// formGrid lays questions out in two columns, labels on the left in the screen's shared label
// column; hidden rows take no room.
func formGrid(col *labelColumn, qs ...*question) *fyne.Container {
	objs := make([]fyne.CanvasObject, 0, 2*len(qs))
	for _, q := range qs {
		objs = append(objs, q.label, q.box)
		col.labels = append(col.labels, q.label)
	}
	return container.New(&columnLayout{col: col}, objs...)
}

// section is a titled block of the form.
func section(title string, body ...fyne.CanvasObject) fyne.CanvasObject {
	h := widget.NewLabel(title)
	h.TextStyle = fyne.TextStyle{Bold: true}
	h.SizeName = theme.SizeNameSubHeadingText
	items := append([]fyne.CanvasObject{h, widget.NewSeparator()}, body...)
	return container.NewVBox(items...)
}

// choice is a drop-down over the values of an enumerated field, shown by their words.
type choice struct {
	widget.Select
	dialogKeys
	field string
}

// TypedKey adds Escape and Enter (dialogKeys) to the keys of a select.
func (c *choice) TypedKey(k *fyne.KeyEvent) {
	if !c.key(k) {
		c.Select.TypedKey(k)
	}
}

func newChoice(field string, changed func(value string)) *choice {
	c := &choice{field: field}
	c.Options = choiceLabels(field)
	c.PlaceHolder = lang.L("form.choose")
	c.OnChanged = func(label string) {
		if changed != nil {
			changed(choiceValue(field, label))
		}
	}
	c.ExtendBaseWidget(c)
	return c
}

// value is the chosen value, or "".
func (c *choice) value() string { return choiceValue(c.field, c.Selected) }

// set chooses a value ("" clears the choice). It fires OnChanged like a user's choice; the form
// guards against that while it fills itself.
func (c *choice) set(value string) {
	if value == "" {
		c.ClearSelected()
		return
	}
	c.SetSelected(choiceLabel(c.field, value))
}

// dialogKeys are the Escape and Enter of a question that is not a text entry: Fyne's radio
// items, selects and check boxes drop both, so with the focus on one the dialog's "Hủy (Esc)"
// and "Lưu (Enter)" did nothing. The screen sets what they do (nil: nothing).
type dialogKeys struct{ onEnter, onEscape func() }

// key runs Escape's or Enter's action and reports whether k was one of them with an action.
func (d *dialogKeys) key(k *fyne.KeyEvent) bool {
	switch {
	case k.Name == fyne.KeyEscape && d.onEscape != nil:
		d.onEscape()
	case (k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && d.onEnter != nil:
		d.onEnter()
	default:
		return false
	}
	return true
}

// keyRadio is a radio group whose choices take Escape and Enter (dialogKeys). Its choices are
// the app's own (radioItem, drawn as Fyne's), since Fyne's swallow every key but Space.
type keyRadio struct {
	widget.RadioGroup
	dialogKeys
}

func newKeyRadio(options []string, changed func(string)) *keyRadio {
	r := &keyRadio{}
	r.Options, r.OnChanged, r.Horizontal = options, changed, true
	r.ExtendBaseWidget(r)
	return r
}

// keyCheck is a check box that takes Escape and Enter (dialogKeys).
type keyCheck struct {
	widget.Check
	dialogKeys
}

func newKeyCheck(text string, changed func(bool)) *keyCheck {
	c := &keyCheck{}
	c.Text, c.OnChanged = text, changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *keyCheck) TypedKey(k *fyne.KeyEvent) {
	if !c.key(k) {
		c.Check.TypedKey(k)
	}
}

// yesNo is a two-way radio question whose "no answer" state is kept (waste collection is
// optional under one standard and required under the next).
type yesNo struct{ keyRadio }

func newYesNo(changed func(v *bool)) *yesNo {
	yes, no := lang.L("form.yes"), lang.L("form.no")
	y := &yesNo{}
	y.Options = []string{yes, no}
	y.Horizontal = true
	y.OnChanged = func(s string) {
		if changed == nil {
			return
		}
		switch s {
		case yes:
			t := true
			changed(&t)
		case no:
			f := false
			changed(&f)
		default:
			changed(nil)
		}
	}
	y.ExtendBaseWidget(y)
	return y
}

// CreateRenderer lays the choices side by side, each as wide as the widest.
func (y *keyRadio) CreateRenderer() fyne.WidgetRenderer {
	r := &radioRenderer{y: y}
	for i := range y.Options {
		it := &radioItem{group: y, index: i}
		it.ExtendBaseWidget(it)
		r.items = append(r.items, it)
	}
	return r
}

// tap chooses choice i, or takes the answer back when it was the one chosen.
func (y *keyRadio) tap(i int) {
	if y.Disabled() {
		return
	}
	if y.Selected == y.Options[i] {
		y.SetSelected("")
		return
	}
	y.SetSelected(y.Options[i])
}

type radioRenderer struct {
	y     *keyRadio
	items []*radioItem
}

func (r *radioRenderer) Objects() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, len(r.items))
	for i, it := range r.items {
		out[i] = it
	}
	return out
}

func (r *radioRenderer) itemSize() fyne.Size {
	var s fyne.Size
	for _, it := range r.items {
		s = s.Max(it.MinSize())
	}
	return s
}

func (r *radioRenderer) MinSize() fyne.Size {
	s := r.itemSize()
	return fyne.NewSize(s.Width*float32(len(r.items)), s.Height)
}

func (r *radioRenderer) Layout(fyne.Size) {
	s := r.itemSize()
	for i, it := range r.items {
		it.Resize(s)
		it.Move(fyne.NewPos(float32(i)*s.Width, 0))
	}
}

func (r *radioRenderer) Refresh() {
	for _, it := range r.items {
		it.Refresh()
	}
}

func (r *radioRenderer) Destroy() {}

// radioItem is one choice of a keyRadio, drawn as Fyne's radio item: Space or a tap chooses it
// (or takes it back), Escape and Enter go to the question's dialogKeys.
type radioItem struct {
	widget.BaseWidget
	group            *keyRadio
	index            int
	focused, hovered bool
}

func (i *radioItem) Tapped(*fyne.PointEvent) {
	if !i.focused && !fyne.CurrentDevice().IsMobile() {
		if c := fyne.CurrentApp().Driver().CanvasForObject(i); c != nil {
			c.Focus(i)
		}
	}
	i.group.tap(i.index)
}

func (i *radioItem) FocusGained() { i.focused = true; i.Refresh() }
func (i *radioItem) FocusLost()   { i.focused = false; i.Refresh() }

func (i *radioItem) MouseIn(*desktop.MouseEvent)    { i.hovered = true; i.Refresh() }
func (i *radioItem) MouseMoved(*desktop.MouseEvent) {}
func (i *radioItem) MouseOut()                      { i.hovered = false; i.Refresh() }

func (i *radioItem) TypedRune(r rune) {
	if r == ' ' {
		i.group.tap(i.index)
	}
}

func (i *radioItem) TypedKey(k *fyne.KeyEvent) { i.group.key(k) }

// Disabled is the group's: Tab passes a disabled question by.
func (i *radioItem) Disabled() bool { return i.group.Disabled() }

func (i *radioItem) CreateRenderer() fyne.WidgetRenderer {
	r := &radioItemRenderer{item: i, label: canvas.NewText("", color.Black)}
	r.objects = []fyne.CanvasObject{&r.focus, &r.icon, &r.over, r.label}
	r.update()
	return r
}

type radioItemRenderer struct {
	item       *radioItem
	focus      canvas.Circle
	icon, over canvas.Image
	label      *canvas.Text
	objects    []fyne.CanvasObject
}

func (r *radioItemRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *radioItemRenderer) Destroy()                     {}

func (r *radioItemRenderer) Layout(size fyne.Size) {
	th := r.item.Theme()
	inner, border, icon := th.Size(theme.SizeNameInnerPadding), th.Size(theme.SizeNameInputBorder), th.Size(theme.SizeNameInlineIcon)
	focus := fyne.NewSquareSize(icon + inner)
	r.focus.Resize(focus)
	r.focus.Move(fyne.NewPos(border, (size.Height-focus.Height)/2))
	r.label.Resize(size)
	r.label.Move(fyne.NewPos(focus.Width+th.Size(theme.SizeNamePadding), 0))
	pos := fyne.NewPos(inner/2+border, (size.Height-icon)/2)
	for _, o := range []*canvas.Image{&r.icon, &r.over} {
		o.Resize(fyne.NewSquareSize(icon))
		o.Move(pos)
	}
}

func (r *radioItemRenderer) MinSize() fyne.Size {
	th := r.item.Theme()
	pad := th.Size(theme.SizeNameInnerPadding) * 2
	return r.label.MinSize().AddWidthHeight(pad+th.Size(theme.SizeNameInlineIcon)+th.Size(theme.SizeNamePadding), pad)
}

func (r *radioItemRenderer) Refresh() {
	r.update()
	canvas.Refresh(r.item)
}

func (r *radioItemRenderer) update() {
	th, v := r.item.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	g := r.item.group
	selected, disabled := g.Selected != "" && g.Selected == g.Options[r.item.index], g.Disabled()
	r.label.Text = g.Options[r.item.index]
	r.label.TextSize = th.Size(theme.SizeNameText)
	r.label.Color = th.Color(theme.ColorNameForeground, v)
	out := theme.NewThemedResource(th.Icon(theme.IconNameRadioButton))
	out.ColorName = theme.ColorNameInputBorder
	in := theme.NewThemedResource(th.Icon(theme.IconNameRadioButtonFill))
	in.ColorName = theme.ColorNameInputBackground
	if selected {
		in.ColorName, out.ColorName = theme.ColorNamePrimary, theme.ColorNameForeground
	}
	if disabled {
		r.label.Color = th.Color(theme.ColorNameDisabled, v)
		in.ColorName, out.ColorName = theme.ColorNameBackground, theme.ColorNameDisabled
		if selected {
			in.ColorName = theme.ColorNameDisabled
		}
	}
	r.icon.Resource, r.over.Resource = in, out
	r.icon.Refresh()
	r.over.Refresh()
	switch {
	case disabled:
		r.focus.FillColor = color.Transparent
	case r.item.focused:
		r.focus.FillColor = th.Color(theme.ColorNameFocus, v)
	case r.item.hovered:
		r.focus.FillColor = th.Color(theme.ColorNameHover, v)
	default:
		r.focus.FillColor = color.Transparent
	}
	r.label.Refresh()
	r.focus.Refresh()
}

// value is the answer chosen: nil for none.
func (y *yesNo) value() *bool {
	switch y.Selected {
	case "":
		return nil
	case y.Options[0]:
		t := true
		return &t
	}
	f := false
	return &f
}

func (y *yesNo) set(v *bool) {
	switch {
	case v == nil:
		y.SetSelected("")
	case *v:
		y.SetSelected(y.Options[0])
	default:
		y.SetSelected(y.Options[1])
	}
}

// refitScroll lays a scroll's content out again when rows shown or hidden have changed the
// height to scroll through (Fyne does not pass a child's new minimum size up to its scroll).
func refitScroll(s *container.Scroll) {
	if max(s.Content.MinSize().Height, s.Size().Height) != s.Content.Size().Height {
		s.Refresh()
	}
}

// scrollInto scrolls s so that o, somewhere in its content, is in view.
func scrollInto(s *container.Scroll, o fyne.CanvasObject) {
	d := fyne.CurrentApp().Driver()
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(s.Content).Y
	switch off := s.Offset.Y; {
	case top < off:
		s.ScrollToOffset(fyne.NewPos(s.Offset.X, top))
	case top+o.Size().Height > off+s.Size().Height:
		s.ScrollToOffset(fyne.NewPos(s.Offset.X, top+o.Size().Height-s.Size().Height))
	}
}

// capitalize starts a message with a capital letter, as a sentence beside a question.
func capitalize(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }

// reveal shows an object that was hidden and has the window paint it. A container's Show only
// marks it visible, and what was set inside it while hidden is not in the canvas yet, so
// refreshing the object alone may reach no canvas: the window's canvas is told directly, or
// the pane stays blank until the pointer happens to move over it.
func (a *App) reveal(o fyne.CanvasObject) {
	o.Show()
	o.Refresh()
	if a.win != nil {
		a.win.Canvas().Refresh(o)
	}
}
