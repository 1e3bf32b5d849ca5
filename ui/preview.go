package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rasoat/rasoat/household"
	"github.com/rasoat/rasoat/poverty"
	"github.com/rasoat/rasoat/report"
)

// previewView is the live classification of the household being typed, as plain text.
type previewView struct {
	Standard    string // the standard applied, with its version
	Provisional string // the standard's warning when it is provisional
	Missing     string // why there is no class yet; the rest is empty then
	ClassID     string
	Class       string
	Movement    string
	Income      string // income per person per month, or the income score
	Line        string // the income line it is compared with
	Score       string // deprivations and their score
	Reasons     []reasonRow
	Pending     string // the record still has problems: the class is an estimate
	IncomeNote  string // the per-person figure shown under the income question
}

type reasonRow struct {
	Indicator, Text string
	kind            poverty.Kind
}

// previewOf classifies the record with the poverty package: nothing here decides a class.
// It needs the standard in force, the income answer and every member's birth; until then it
// says what is missing.
func previewOf(rec *household.Record, std *poverty.Standard, ps household.Problems, reg *poverty.Registry) previewView {
	l := Lang()
	var v previewView
	if std == nil {
		if _, p := reg.Choose(rec, ""); p != nil && !rec.Survey.Date.IsZero() {
			v.Missing = p.Message(l)
		} else {
			v.Missing = lang.L("preview.need_date")
		}
		return v
	}
	v.Standard = std.Title(l)
	if std.Provisional && std.ProvisionalNote != nil {
		v.Provisional = std.ProvisionalNote.In(l)
	}
	switch {
	case len(rec.Members) == 0 || !allBorn(rec):
		v.Missing = lang.L("preview.need_members")
		return v
	case rec.Income.Kind == household.IncomeNone:
		v.Missing = lang.L("preview.need_income")
		return v
	}
	res, err := poverty.Classify(rec, std)
	if err != nil {
		var pe *poverty.Error
		if v.Missing = err.Error(); errors.As(err, &pe) {
			v.Missing = pe.In(l)
		}
		return v
	}
	fillResult(&v, rec, &res)
	unansweredReasons(&v, &res, ps)
	if t := reg.ScoreTable(); res.Basis == poverty.BasisScore && t != nil && t.IsExample() {
		v.Line += "\n" + lang.L("score.example") // the score was worked out with a table made for training
	}
	if len(ps) > 0 {
		v.Pending = lang.N("preview.pending", len(ps), map[string]any{"Count": len(ps)})
	}
	return v
}

// unansweredReasons: the record holds false for a Có/Không question not answered yet
// (internet, loudspeaker: the form lists them among the problems ps), so the deprivation it
// gives is provisional and said so, not stated as a fact about the household.
func unansweredReasons(v *previewView, res *poverty.Result, ps household.Problems) {
	open := map[poverty.Kind]bool{}
	for _, p := range ps {
		switch p.Path {
		case "internet":
			open[poverty.Telecom] = true
		case "loudspeaker":
			open[poverty.Information] = true
		}
	}
	for i := range v.Reasons {
		if open[v.Reasons[i].kind] {
			v.Reasons[i].Text = lang.L("preview.unanswered")
		}
	}
}

func allBorn(rec *household.Record) bool {
	for i := range rec.Members {
		if !rec.Members[i].HasBirth() {
			return false
		}
	}
	return true
}

func fillResult(v *previewView, rec *household.Record, res *poverty.Result) {
	l := Lang()
	v.ClassID, v.Class = res.Class, choiceLabel("class", res.Class)
	if res.Movement != poverty.MovementNone {
		v.Movement = lang.L("preview.movement", map[string]any{"Movement": report.MovementWord(res.Movement, l)})
	}
	if res.Basis == poverty.BasisScore {
		v.Income = lang.L("preview.score", map[string]any{"Score": res.Score})
		if th := res.Standard.ScoreThreshold; th != nil {
			from := lang.L("score.from_standard")
			if t := res.Standard.ThresholdTable(); t != nil {
				from = lang.L("score.from_table") + " " + t.Title(l)
			}
			v.Line = lang.L("preview.score_line", map[string]any{"Score": th.For(rec.Area),
				"Area": choiceLabel("area_short", rec.Area), "From": from})
		}
	} else {
		v.Income = lang.L("preview.income", map[string]any{"Money": Money(res.IncomePerCapita)})
		v.IncomeNote = lang.L("form.income_note", map[string]any{"Money": Money(res.IncomePerCapita)})
		v.Line = lang.L("preview.line", map[string]any{"Money": Money(res.Standard.IncomeLine.For(rec.Area)),
			"Area": choiceLabel("area_short", rec.Area)})
	}
	v.Score = lang.N("preview.deprivations", res.DeprivationCount, map[string]any{"Count": res.DeprivationCount, "Score": res.DeprivationScore})
	for _, r := range poverty.Explain(rec, res) {
		v.Reasons = append(v.Reasons, reasonRow{Indicator: r.Indicator.In(l), Text: r.Text.In(l), kind: r.Kind})
	}
}

// previewPanel shows the live classification beside the form.
type previewPanel struct {
	standard, provisional, missing, class, movement *widget.Label
	income, line, score, pending                    *widget.Label
	reasons                                         *fyne.Container
}

func newPreviewPanel() *previewPanel { return &previewPanel{} }

func (p *previewPanel) buildUI() fyne.CanvasObject {
	label := func(imp widget.Importance) *widget.Label {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		l.Importance = imp
		return l
	}
	title := widget.NewLabel(lang.L("preview.title"))
	title.TextStyle = fyne.TextStyle{Bold: true}
	title.SizeName = theme.SizeNameSubHeadingText
	p.standard, p.provisional = label(widget.MediumImportance), label(widget.WarningImportance)
	p.standard.TextStyle = fyne.TextStyle{Italic: true}
	p.missing, p.pending = label(widget.MediumImportance), label(widget.WarningImportance)
	p.class = label(widget.MediumImportance)
	p.class.TextStyle = fyne.TextStyle{Bold: true}
	p.class.SizeName = theme.SizeNameHeadingText
	p.movement, p.income, p.line, p.score = label(widget.MediumImportance), label(widget.MediumImportance),
		label(widget.LowImportance), label(widget.MediumImportance)
	p.score.TextStyle = fyne.TextStyle{Bold: true}
	p.reasons = container.NewVBox()
	return container.NewVBox(title, p.standard, p.provisional, widget.NewSeparator(), p.missing, p.class,
		p.movement, p.pending, p.income, p.line, widget.NewSeparator(), p.score, p.reasons)
}

func (p *previewPanel) apply(v previewView) {
	set := func(l *widget.Label, s string) {
		l.Hidden = s == ""
		l.SetText(s)
	}
	set(p.standard, v.Standard)
	set(p.provisional, v.Provisional)
	set(p.missing, v.Missing)
	p.class.Importance = classImportance(v.ClassID)
	set(p.class, v.Class)
	set(p.movement, v.Movement)
	set(p.pending, v.Pending)
	set(p.income, v.Income)
	set(p.line, v.Line)
	set(p.score, "")
	if v.Class != "" {
		set(p.score, v.Score)
	}
	p.reasons.RemoveAll()
	for _, r := range v.Reasons {
		name := widget.NewLabel("• " + r.Indicator)
		name.TextStyle = fyne.TextStyle{Bold: true}
		name.Wrapping = fyne.TextWrapWord
		// one line per member named (the reasons join them with "; ")
		parts := strings.Split(r.Text, "; ")
		for i := range parts {
			parts[i] = "   " + capitalize(parts[i])
		}
		why := widget.NewLabel(strings.Join(parts, "\n"))
		why.Wrapping = fyne.TextWrapWord
		p.reasons.Add(container.New(layout.NewCustomPaddedVBoxLayout(0), name, why))
	}
}

func classImportance(class string) widget.Importance {
	switch class {
	case poverty.Poor:
		return widget.DangerImportance
	case poverty.NearPoor:
		return widget.WarningImportance
	case poverty.Medium:
		return widget.HighImportance
	case poverty.NotPoor:
		return widget.SuccessImportance
	}
	return widget.MediumImportance
}
