// Package assets embeds the files the programs ship with: the poverty standards as data, the
// translations, the demo ward and the icon.
package assets

import "embed"

// Standards holds one JSON file per poverty standard, named by its id (standards/2022-2025.json).
//
//go:embed standards/*.json
var Standards embed.FS
