package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"github.com/rasoat/rasoat/assets"
)

func readTranslations(t *testing.T, code string) map[string]any {
	t.Helper()
	data, err := assets.Translations.ReadFile("translations/" + code + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s.json: %v", code, err)
	}
	return m
}

// go-i18n reads an object holding one of these keys as one message with plural forms, so none
// of them may be a key of ours.
var reservedKeys = []string{"id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other"}

func TestTranslationFilesMatch(t *testing.T) {
	vi, en := readTranslations(t, "vi"), readTranslations(t, "en")
	for code, m := range map[string]map[string]any{"vi": vi, "en": en} {
		other := en
		if code == "en" {
			other = vi
		}
		for k, v := range m {
			checkMessage(t, code, k, v)
			if _, ok := other[k]; !ok {
				t.Errorf("%q is in %s.json only", k, code)
			}
			for _, r := range reservedKeys {
				if strings.EqualFold(k, r) {
					t.Errorf("%s.json: %q is a reserved plural/metadata word", code, k)
				}
			}
		}
	}
}

var pluralForms = map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}

// checkMessage accepts a plain string, or the plural forms of one message ({"one": …,
// "other": …}; Vietnamese has only "other").
func checkMessage(t *testing.T, code, k string, v any) {
	t.Helper()
	switch m := v.(type) {
	case string:
		return
	case map[string]any:
		if _, ok := m["other"]; !ok {
			t.Errorf("%s.json: %q has plural forms but no \"other\"", code, k)
		}
		for f, s := range m {
			if _, ok := s.(string); !ok || !pluralForms[f] {
				t.Errorf("%s.json: %q: %q is not a plural form with a string", code, k, f)
			}
		}
		if code == "vi" && len(m) != 1 {
			t.Errorf("vi.json: %q: Vietnamese has one plural form, \"other\"", k)
		}
	default:
		t.Errorf("%s.json: %q is neither a string nor plural forms", code, k)
	}
}

var keyUse = regexp.MustCompile(`lang\.(?:L|X|N|XN)\("([^"]+)"`)

// TestEveryStringIsTranslated finds every key the code asks for and checks both languages have
// it: literal keys in the source, and the words of every enumerated choice.
func TestEveryStringIsTranslated(t *testing.T) {
	vi, en := readTranslations(t, "vi"), readTranslations(t, "en")
	keys := map[string]string{}
	for _, dir := range []string{".", "../cmd/rasoat"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range keyUse.FindAllStringSubmatch(string(src), -1) {
				keys[m[1]] = f
			}
		}
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys in the source: is the scan broken?", len(keys))
	}
	delete(keys, "m.") // memberFieldLabel's prefix, checked below with the member fields
	for field, values := range choiceFields {
		for _, v := range values {
			keys[choiceKey(field, v)] = "choiceFields"
		}
	}
	for _, f := range memberFields {
		keys["m."+f] = "memberFields"
	}
	var missing []string
	for k, where := range keys {
		if _, ok := vi[k]; !ok {
			missing = append(missing, "vi "+k+" ("+where+")")
		}
		if _, ok := en[k]; !ok {
			missing = append(missing, "en "+k+" ("+where+")")
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error("untranslated:", m)
	}
}

func TestVietnameseWhateverTheLocale(t *testing.T) {
	defer func() {
		if err := SetLanguage("vi"); err != nil {
			t.Fatal(err)
		}
	}()
	for _, env := range []map[string]string{
		{"LANG": "en_US.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""},
		{"LANG": "de_DE.UTF-8", "LC_ALL": "de_DE.UTF-8", "LC_MESSAGES": ""},
		{"LANG": "C", "LC_ALL": "C", "LC_MESSAGES": ""},
		{"LANG": "", "LC_ALL": "", "LC_MESSAGES": "POSIX"},
	} {
		for k, v := range env {
			t.Setenv(k, v)
		}
		if err := SetLanguage("vi"); err != nil {
			t.Fatal(err)
		}
		if got := lang.L("settings.title"); got != "Cài đặt" || Lang() != "vi" {
			t.Errorf("locale %v: %q in %s", env, got, Lang())
		}
		if got := lang.L("Cancel"); got != "Hủy" {
			t.Errorf("locale %v: Fyne's own Cancel button says %q", env, got)
		}
		if err := SetLanguage("en"); err != nil {
			t.Fatal(err)
		}
		if got := lang.L("settings.title"); got != "Settings" || Lang() != "en" {
			t.Errorf("locale %v, English chosen: %q", env, got)
		}
	}
}

// TestEnglishScreens builds every screen in English and looks for Vietnamese words left over.
func TestEnglishScreens(t *testing.T) {
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	defer SetLanguage("vi")
	a := newApp(t, newStore(t, 8, demoWard()))
	screens := map[string]func(){
		"home":     func() {},
		"settings": func() { a.ShowSettings(false) },
		"form":     func() { a.ShowHousehold(a.home.rows[0].ID) },
		"member":   func() { a.ShowHousehold(a.home.rows[0].ID); a.Wait(); a.form.onEditMember(0) },
	}
	for _, name := range []string{"home", "settings", "form", "member"} {
		a.ShowHome()
		a.Wait()
		screens[name]()
		a.Wait()
		text := allText(a.win.Content())
		if name == "member" {
			text = topDialogText(a)
		}
		for _, word := range []string{"Thành viên", "Hộ ", "Tổ dân phố", "Cài đặt", "Lưu", "thông tin", "Nhà ở", "Có thẻ", "(chọn)"} {
			if strings.Contains(text, word) {
				t.Errorf("English %s screen still says %q:\n%s", name, word, text)
			}
		}
	}
}

func TestEnglishPlurals(t *testing.T) {
	if err := SetLanguage("en"); err != nil {
		t.Fatal(err)
	}
	defer SetLanguage("vi")
	for n, want := range map[int]string{1: "1 person", 2: "2 people", 0: "0 people"} {
		if got := lang.N("home.members", n, map[string]any{"Count": n}); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
	SetLanguage("vi")
	if got := lang.N("home.members", 1, map[string]any{"Count": 1}); got != "1 người" {
		t.Errorf("vi: %q", got)
	}
}
