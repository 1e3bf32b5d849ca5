#!/usr/bin/env bash
# Runs the real desktop app under a private Xvfb on a fresh demo database and saves a PNG of
# each screen, driving it with the keyboard only (xdotool), as a surveyor without a mouse would:
#
#   01-setup          first-run setup (the demo database has no surveyor yet)
#   02-home           home: residential groups with progress, households of the first group
#   03-search         the search box, typed without diacritics
#   04-household      a household opened from the search, with the classification preview
#   04b-household-lower  the same form scrolled down: water, information, income
#   05-member         the member dialog for a new child (questions shown for that age only)
#   06-refused        a new, empty household: "complete" refused with the list of problems
#   07-problems       the same form, problems beside the questions
#   08-settings       settings, reachable from home
#   09-returned-home  a household returned by the office, with its comment, on the home screen
#   10-returned       the returned household opened: the office's comment at the top
#   11-home-en        the home screen in English (--lang en)
#   12-household-en   a household in English
#
# Usage: scripts/screenshots.sh [OUTPUT_DIR]   (default: shots/, which git ignores)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=$(mkdir -p "${1:-shots}" && cd "${1:-shots}" && pwd)

# shellcheck source=scripts/setup.sh
source scripts/setup.sh
# shellcheck source=scripts/xvfb.sh
source scripts/xvfb.sh

WORK=$(mktemp -d /tmp/rasoat-shots.XXXXXX)
APP_PID=""
stop_app() {
	if [ -n "$APP_PID" ]; then
		kill "$APP_PID" 2>/dev/null || true
		wait "$APP_PID" 2>/dev/null || true
		APP_PID=""
	fi
}
cleanup() {
	stop_app
	xvfb_stop
	rm -rf "$WORK"
}
trap cleanup EXIT

# Always a private display of the laptop's size, never the user's desktop.
unset DISPLAY
XVFB_SCREEN=1280x800x24 xvfb_start

go build -o "$WORK/rasoat" ./cmd/rasoat
export XDG_CONFIG_HOME="$WORK/config" # the app's preferences stay in the scratch folder
DB="$WORK/demo.db"
WID=""

# start_app ARGS...: runs the app and waits for its window.
start_app() {
	"$WORK/rasoat" --db "$DB" "$@" >"$WORK/app.log" 2>&1 &
	APP_PID=$!
	local i
	for i in $(seq 1 100); do
		WID=$(xdotool search --onlyvisible --pid "$APP_PID" 2>/dev/null | head -1 || true)
		[ -n "$WID" ] && break
		if ! kill -0 "$APP_PID" 2>/dev/null; then
			cat "$WORK/app.log" >&2
			echo "screenshots: the app exited at start" >&2
			exit 1
		fi
		sleep 0.2
	done
	[ -n "$WID" ] || { echo "screenshots: no window after 20 s" >&2; exit 1; }
	xdotool windowfocus --sync "$WID" 2>/dev/null || xdotool windowfocus "$WID"
	sleep 2
}

# shot NAME: saves the window as NAME.png once it has settled.
shot() {
	sleep "${2:-1.2}"
	import -window "$WID" "$OUT/$1.png"
	echo "saved $OUT/$1.png"
}
# scroll BUTTON: turns the mouse wheel over the form (5 down, 4 up) until it stops.
scroll() {
	xdotool mousemove --window "$WID" 60 500 # over the labels: an entry under the pointer takes the wheel
	local i
	for i in $(seq 1 40); do
		xdotool click "$1"
		sleep 0.05
	done
}
keys() { xdotool key --clearmodifiers --delay 120 "$@"; }
# typ TEXT: types TEXT. Keep it ASCII: xdotool types a letter missing from the keyboard map
# (ă, ế, …) by remapping a spare key just before pressing it, and the app sometimes reads the
# key with the old map, dropping the letter; the demo data shows the diacritics anyway.
typ() { xdotool type --delay 60 "$1"; }

start_app
shot 01-setup
typ "Le Van Hien"
keys Return
shot 02-home 2
keys ctrl+f
typ "nguyen"
shot 03-search
keys Return
shot 04-household 2
scroll 5 # the form, down to the income
shot 04b-household-lower
scroll 4
keys ctrl+m
sleep 1
typ "Nguyen Van Be"
keys Tab Right Right Right Tab space Tab Tab # relation: Con; sex: Nam; on to the birth date
typ "12/03/2019"
keys Tab
shot 05-member
keys Escape
sleep 0.5
keys alt+Left
sleep 1.5
keys ctrl+n
sleep 1.5
keys ctrl+Return
shot 06-refused
keys space # the dialog's button has the focus
sleep 0.5
shot 07-problems
keys alt+Left
sleep 1.5
keys ctrl+comma
shot 08-settings
stop_app

# The office returns a household (sync will bring such decisions; see ui/internal/shotdb).
HEAD=$(go run ./ui/internal/shotdb --db "$DB" --group "Tổ 01")
start_app
shot 09-returned-home 2
keys ctrl+f
typ "$HEAD"
sleep 1
keys Return
shot 10-returned 2
stop_app

start_app --lang en
shot 11-home-en 2
keys ctrl+f
typ "tran"
sleep 1
keys Return
shot 12-household-en 2
stop_app
echo "screenshots: $(ls "$OUT"/*.png | wc -l) PNG files in $OUT"
