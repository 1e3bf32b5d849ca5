package assets

import _ "embed"

// Icon is the app's icon, a house with a tick (512×512 PNG); cmd/rasoat/Icon.png is the same
// picture for the fyne packaging tool.
//
//go:embed icon.png
var Icon []byte
