#!/usr/bin/env bash
# Checks the user guide: every picture it shows exists in docs/images and is one of the screens
# the screenshot scripts make (so scripts/guide-images.sh can regenerate it), and no picture in
# docs/images is left unused.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
guide=docs/huong-dan-su-dung.md
made=$(grep -ho "saved \"\?\$OUT/[A-Za-z0-9._-]*\|shot [A-Za-z0-9._-]*\|[0-9o][0-9a-z]*-[a-z0-9-]*\.png\|^#   [0-9o][0-9a-z]*-[a-z0-9-]*" scripts/screenshots.sh scripts/screenshots-office.sh | grep -o '[0-9o][0-9a-z]*-[a-z0-9-]*' | sort -u)
fail=0
for png in $(grep -o 'images/[A-Za-z0-9._-]*\.png' "$guide" | sort -u); do
	name=${png#images/}
	[ -f "docs/$png" ] || { echo "guide-check: docs/$png is missing (run scripts/guide-images.sh)"; fail=1; }
	grep -qx "${name%.png}" <<<"$made" || { echo "guide-check: $name is not made by the screenshot scripts"; fail=1; }
done
for f in docs/images/*.png; do
	grep -q "images/$(basename "$f")" "$guide" || { echo "guide-check: $f is not used by the guide"; fail=1; }
done
[ "$fail" -eq 0 ] && echo "guide-check: ok"
exit "$fail"
