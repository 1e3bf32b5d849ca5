package assets

import "embed"

// Translations holds the strings of the desktop app, one JSON file per language: vi.json (the
// default) and en.json. The keys are ids such as "home.new"; never a plural-form word such as
// "other" or "one", which go-i18n would read as a plural rule.
//
//go:embed translations/*.json
var Translations embed.FS
