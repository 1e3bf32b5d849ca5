#!/usr/bin/env bash
# Regenerates the screenshots of the user guide (docs/huong-dan-su-dung.md) from the real app:
# it runs scripts/screenshots.sh (field laptop) and scripts/screenshots-office.sh (ward office)
# under Xvfb and copies the pictures the guide shows into docs/images/. Run it after any change
# to the screens, then commit docs/images. scripts/guide-check.sh checks that every picture the
# guide names is one these scripts make.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
WORK=$(mktemp -d /tmp/rasoat-guide.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
bash scripts/screenshots.sh "$WORK/field"
bash scripts/screenshots-office.sh "$WORK/office"
mkdir -p docs/images
for png in $(grep -o 'images/[A-Za-z0-9._-]*\.png' docs/huong-dan-su-dung.md | sort -u); do
	name=${png#images/}
	src=""
	for d in "$WORK/field" "$WORK/office"; do
		[ -f "$d/$name" ] && src="$d/$name"
	done
	if [ -z "$src" ]; then
		echo "guide-images: the guide shows $name, which no screenshot script makes" >&2
		exit 1
	fi
	# Smaller files for the repository: 8-bit palette PNG keeps text sharp.
	convert "$src" -strip -colors 128 "docs/images/$name"
done
echo "guide-images: $(ls docs/images | wc -l) pictures in docs/images"
