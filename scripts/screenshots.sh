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
#   08-settings       settings, reachable from home, with the enrollment with the ward office
#   13-enroll-folder  "enroll with the ward office": the folder dialog, on the USB stick
#   14-enroll-code    the request written, and the code to read out to the office
#   15-enroll-package "install enrollment package": the file dialog on the office's package
#   16-enrolled       the package installed: the office, its server, LAN sync possible
#   17-home-sync      home's line: revisions not yet delivered, last sync
#   18-sync           the sync screen (Ctrl+D)
#   19-sync-lan       after "sync with the office" over the LAN (a real rasoatctl serve)
#   20-sync-usb       after "export to USB", which also read the office's answer on the stick
#   09-returned-home  a household the office returned, with its comment, on the home screen
#   10-returned       the returned household opened: the office's comment at the top
#   21-sync-unreachable  the office's server is down: what to do, nothing lost
#   11-home-en        the home screen in English (--lang en)
#   12-household-en   a household in English
#   22-sync-en        the sync screen in English
#
# Usage: scripts/screenshots.sh [OUTPUT_DIR]   (default: shots/, which git ignores)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=$(mkdir -p "${1:-shots}" && cd "${1:-shots}" && pwd)

# shellcheck source=scripts/setup.sh
source scripts/setup.sh
# shellcheck source=scripts/lib/desktop.sh
source scripts/lib/desktop.sh

SERVE_PID=""
stop_server() {
	stop_pid "$SERVE_PID"
	SERVE_PID=""
}
desktop_on_exit() { stop_server; }
desktop_begin screenshots /tmp/rasoat-shots.XXXXXX rasoat rasoatctl
DB="$WORK/demo.db"
OFFICE="$WORK/office.db" # the ward office's copy, run with rasoatctl
STICK="$WORK/usb"        # the USB stick: the app's home folder, where its dialogs open
mkdir -p "$STICK"
APP_HOME="$STICK"

# scroll BUTTON: turns the mouse wheel over the form (5 down, 4 up) until it stops.
scroll() {
	xdotool mousemove --window "$WID" 60 500 # over the labels: an entry under the pointer takes the wheel
	local i
	for i in $(seq 1 40); do
		xdotool click "$1"
		sleep 0.05
	done
}

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

# Enrollment: the request goes on the stick, the office approves it with the code read out
# (rasoatctl approve), the package comes back on the stick.
"$WORK/rasoatctl" init --db "$OFFICE" --role office --ward "Phường Demo (dữ liệu mẫu)" --area urban \
	--surveyor "Văn phòng phường" --device-name "Máy văn phòng" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
keys Tab Tab Tab Tab Tab space # from the ward: the area's two choices, surveyor, device name, the enroll button
shot 13-enroll-folder
# The file dialogs take many Tab stops (one per folder of the path): they are clicked, at
# their place in the 1280×800 window.
click 1059 678 # the dialog's Choose: the stick, where it opened
shot 14-enroll-code
sleep 1 # the preferences, holding the code, are written
CODE=$(grep -o '"enrollCode/[^"]*": *"[0-9-]*"' "$XDG_CONFIG_HOME"/fyne/*/preferences.json | grep -o '[0-9]\{4\}-[0-9]\{4\}-[0-9]\{4\}')
"$WORK/rasoatctl" approve --db "$OFFICE" --code "$CODE" --addr "127.0.0.1:$PORT" \
	--out "$STICK/rasoat-enroll-package.json" "$STICK"/rasoat-enroll-request-*.json >/dev/null
keys space # the code dialog's button has the focus
sleep 0.5
click 700 191 # back in the ward's entry, then on to "install enrollment package"
keys Tab Tab Tab Tab Tab Tab space
sleep 1
click 490 240 # the package: the first file after the parent folder
shot 15-enroll-package
click 1059 678
shot 16-enrolled
stop_app

# Sync: the office's server runs on loopback; the laptop syncs over the "LAN", then the office
# returns a household (ui/internal/shotdb acts as the office's review on its copy) and sends
# its answer back on the stick.
"$WORK/rasoatctl" serve --db "$OFFICE" --addr "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
start_app
shot 17-home-sync 2
keys ctrl+d
shot 18-sync
keys ctrl+d
shot 19-sync-lan 3
stop_server
HEAD=$(go run ./ui/internal/shotdb --db "$OFFICE" --group "Tổ 01")
"$WORK/rasoatctl" sync export --db "$OFFICE" --to "$STICK" >/dev/null
keys ctrl+u
sleep 1
click 1059 678
shot 20-sync-usb 2
keys alt+Left
shot 09-returned-home 2
keys ctrl+f
typ "$HEAD"
sleep 1
keys Return
shot 10-returned 2
keys alt+Left
sleep 1.5
keys ctrl+d
sleep 1
keys ctrl+d # nobody answers at the office's address now
shot 21-sync-unreachable 4
stop_app

start_app --lang en
shot 11-home-en 2
keys ctrl+f
typ "tran"
sleep 1
keys Return
shot 12-household-en 2
keys alt+Left
sleep 1.5
keys ctrl+d
shot 22-sync-en 2
stop_app
echo "screenshots: $(ls "$OUT"/*.png | wc -l) PNG files in $OUT"
