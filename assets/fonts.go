package assets

import _ "embed"

// Noto Sans has every Vietnamese glyph; exported PDFs embed it (SIL Open Font License 1.1, see
// fonts/OFL.txt).
var (
	//go:embed fonts/NotoSans-Regular.ttf
	FontRegular []byte
	//go:embed fonts/NotoSans-Bold.ttf
	FontBold []byte
)
