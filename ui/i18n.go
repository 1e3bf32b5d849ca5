package ui

import (
	"fmt"
	"os"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/rasoat/rasoat/assets"
	"github.com/rasoat/rasoat/household"
)

// Languages the app speaks, Vietnamese first: it is the default whatever the OS locale.
var Languages = []string{"vi", "en"}

var (
	langMu  sync.RWMutex
	current = "vi"
)

// Lang is the code of the language the screens are in: "vi" or "en".
func Lang() string {
	langMu.RLock()
	defer langMu.RUnlock()
	return current
}

// SetLanguage loads the embedded translations and makes code ("vi" or "en"; anything else means
// "vi") the language of every string, whatever the OS locale says.
//
// Fyne 2.7 has no call to choose the language (fyne-io/fyne#5333): each time translations are
// added it matches them against the locale in LANGUAGE, LC_ALL, LC_MESSAGES or LANG. So the
// language is put in LANGUAGE first; where the locale variables say C or POSIX, Fyne ignores
// LANGUAGE and falls back to English, and the chosen file is then also registered under the
// locale Fyne picked. The result is checked with the "lang.code" string each file carries.
func SetLanguage(code string) error {
	if code != "en" {
		code = "vi"
	}
	if err := os.Setenv("LANGUAGE", code); err != nil {
		return err
	}
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		return fmt.Errorf("translations: %w", err)
	}
	if lang.L("lang.code") != code {
		data, err := assets.Translations.ReadFile("translations/" + code + ".json")
		if err != nil {
			return err
		}
		for _, l := range []fyne.Locale{"en", lang.SystemLocale()} {
			if err := lang.AddTranslationsForLocale(data, l); err != nil {
				return err
			}
		}
		if got := lang.L("lang.code"); got != code {
			return fmt.Errorf("translations: asked for %q, Fyne chose %q", code, got)
		}
	}
	langMu.Lock()
	current = code
	langMu.Unlock()
	return nil
}

// choiceKey is the translation key of one value of an enumerated field, e.g.
// "choice.water_source.piped". The keys are listed in the translation files by field and value.
func choiceKey(field, value string) string { return "choice." + field + "." + value }

// choiceLabel is the questionnaire's words for a value, in the current language.
func choiceLabel(field, value string) string {
	if value == "" {
		return ""
	}
	return lang.X(choiceKey(field, value), value)
}

// choiceFields maps each enumerated question of the form to its values, in the spec's order.
// The translation test checks that every one has its words in every language.
var choiceFields = map[string][]string{
	"relation":      household.Relations,
	"sex":           household.Sexes,
	"education":     household.Educations,
	"school":        household.Schools,
	"employment":    household.Employments,
	"structure":     household.Structures,
	"water_source":  household.Waters,
	"toilet":        household.Toilets,
	"area":          household.Areas,
	"area_short":    household.Areas,
	"status":        household.Statuses,
	"class":         {"poor", "near_poor", "medium", "not_poor"},
	"record_status": {"draft", "complete", "approved", "returned"},
	"role":          {"field", "office"},
	"device":        {"tv", "radio", "computer", "phone", "tablet"},
	"income":        {"monthly_per_capita", "annual_total", "score"},
	"language":      Languages,
}

// choiceLabels lists the words of every value of a field, in order.
func choiceLabels(field string) []string {
	vs := choiceFields[field]
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = choiceLabel(field, v)
	}
	return out
}

// choiceValue is the value whose words are label, or "".
func choiceValue(field, label string) string {
	for _, v := range choiceFields[field] {
		if label != "" && choiceLabel(field, v) == label {
			return v
		}
	}
	return ""
}
