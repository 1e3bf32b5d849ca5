#!/usr/bin/env bash
# Runs the desktop app from source: scripts/run.sh [app flags...]
#
# Installs what is missing first (scripts/setup.sh), then does what
# `go run ./cmd/rasoat "$@"` does, from the repository root: build into a
# temporary directory and start the binary there. Unlike `go run`, the script
# passes SIGINT/SIGTERM on to the app (go run leaves the app running when it is
# itself killed) and removes the binary afterwards.
#
# The working directory is the repository root, so relative paths in the flags
# are relative to it, and Fyne's development mode reads the root FyneApp.toml
# (app ID, name, fyneDo migration): for a binary under the temp directory, as
# with `go run`, Fyne looks for FyneApp.toml in the working directory.
#
# With no DISPLAY (a headless machine), the app gets a virtual screen from Xvfb
# (the display number is printed); screenshot it from another shell with
#   DISPLAY=:99 import -window root shot.png
# cleanup and forward run from traps.
# shellcheck disable=SC2317
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# shellcheck source=scripts/setup.sh
source scripts/setup.sh
# shellcheck source=scripts/xvfb.sh
source scripts/xvfb.sh

BIN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/rasoat-run.XXXXXX")
APP_PID=""
cleanup() {
	if [ -n "$APP_PID" ]; then
		kill -TERM "$APP_PID" 2>/dev/null || true
		wait "$APP_PID" 2>/dev/null || true
	fi
	xvfb_stop
	rm -rf "$BIN_DIR"
}
trap cleanup EXIT
forward() {
	if [ -n "$APP_PID" ]; then
		kill -TERM "$APP_PID" 2>/dev/null || true
	else
		exit 130
	fi
}
trap forward INT TERM

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
	xvfb_start
fi

go build -o "$BIN_DIR/rasoat" ./cmd/rasoat

"$BIN_DIR/rasoat" "$@" &
APP_PID=$!
rc=0
while :; do
	rc=0
	wait "$APP_PID" || rc=$?
	# wait also returns when a trapped signal arrives; keep waiting for the app
	kill -0 "$APP_PID" 2>/dev/null || break
done
APP_PID=""
exit "$rc"
