# shellcheck shell=bash
# Sourced by scripts/screenshots.sh and scripts/screenshots-office.sh: the real desktop app on
# a private Xvfb of the laptop's size (1280×800), driven with xdotool, saved with ImageMagick's
# import. The caller is in the repository's root and has set OUT, the folder for the pictures.
#
#   desktop_begin NAME TEMPLATE CMD...
#                   NAME begins the messages. Makes the scratch folder WORK (mktemp -d
#                   TEMPLATE) and stops everything on exit (trap), starts Xvfb on a free display
#                   (never the user's desktop), builds each ./cmd/CMD into $WORK/CMD, and keeps
#                   the app's preferences in $WORK/config (XDG_CONFIG_HOME)
#   start_app ARGS...
#                   runs $WORK/rasoat --db "$DB" ARGS (with HOME=$APP_HOME when the caller sets
#                   it: where the app's file dialogs open), waits for its window (WID) and
#                   focuses it
#   stop_app        stops the app (nothing if it is not running)
#   stop_pid PID    stops the process PID and waits for it (nothing if PID is empty)
#   desktop_on_exit the caller's, if it defines one: runs on exit, after the app stops and
#                   before Xvfb does (to stop a server the caller started)
#
# Driving the window:
#   shot NAME [SECONDS]  waits SECONDS (1.2) for the window to settle, saves it as $OUT/NAME.png
#   keys KEY...          presses keys (xdotool key names: ctrl+f, Tab, Return, alt+Left)
#   typ TEXT             types TEXT; keep it ASCII: xdotool types a letter missing from the
#                        keyboard map (ă, ế, …) by remapping a spare key just before pressing it,
#                        and the app sometimes reads the key with the old map, dropping the letter
#   click X Y            a left click at a point of the window (1280×800), once the pointer
#                        has rested there

# shellcheck source=scripts/xvfb.sh
source scripts/xvfb.sh

DESKTOP_NAME=desktop
WORK=""
APP_PID=""
WID=""

desktop_begin() {
	DESKTOP_NAME=$1
	WORK=$(mktemp -d "$2")
	shift 2
	trap desktop_cleanup EXIT
	unset DISPLAY
	XVFB_SCREEN=1280x800x24 xvfb_start
	local cmd
	for cmd in "$@"; do
		go build -o "$WORK/$cmd" "./cmd/$cmd"
	done
	export XDG_CONFIG_HOME="$WORK/config"
}

desktop_cleanup() {
	stop_app
	if declare -F desktop_on_exit >/dev/null; then
		desktop_on_exit
	fi
	xvfb_stop
	if [ -n "$WORK" ]; then
		rm -rf "$WORK"
	fi
}

stop_pid() {
	if [ -n "$1" ]; then
		kill "$1" 2>/dev/null || true
		wait "$1" 2>/dev/null || true
	fi
}

start_app() {
	HOME="${APP_HOME:-$HOME}" "$WORK/rasoat" --db "$DB" "$@" >"$WORK/app.log" 2>&1 &
	APP_PID=$!
	local _
	for _ in $(seq 1 100); do
		WID=$(xdotool search --onlyvisible --pid "$APP_PID" 2>/dev/null | head -1 || true)
		[ -n "$WID" ] && break
		if ! kill -0 "$APP_PID" 2>/dev/null; then
			cat "$WORK/app.log" >&2
			echo "$DESKTOP_NAME: the app exited at start" >&2
			exit 1
		fi
		sleep 0.2
	done
	[ -n "$WID" ] || { echo "$DESKTOP_NAME: no window after 20 s" >&2; exit 1; }
	xdotool windowfocus --sync "$WID" 2>/dev/null || xdotool windowfocus "$WID"
	sleep 2
}

stop_app() {
	stop_pid "$APP_PID"
	APP_PID=""
}

shot() {
	sleep "${2:-1.2}"
	import -window "$WID" "$OUT/$1.png"
	echo "saved $OUT/$1.png"
}
keys() { xdotool key --clearmodifiers --delay 120 "$@"; }
typ() { xdotool type --delay 60 "$1"; }
click() {
	xdotool mousemove --window "$WID" "$1" "$2"
	sleep 0.2
	xdotool click 1
	sleep 0.4
}
