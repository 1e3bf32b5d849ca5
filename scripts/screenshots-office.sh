#!/usr/bin/env bash
# Runs the real desktop app on a ward office's database under a private Xvfb and saves a PNG of
# each office screen (ui/office*.go), moving between them with the keyboard (Alt+1 … Alt+6) and
# clicking where a person would:
#
#   o01-dashboard       groups and surveyors by stage of the work, review stages, the chart
#   o02-stage           the stage dialog of a group
#   o03-incoming        USB import, the LAN server (running), the enrolled laptops
#   o04-review          households needing attention, one with its classification
#   o05a-login          the office user's login, asked before the first office action
#   o05-return          returning a household with a comment
#   o06-conflicts       a conflict side by side, the differences to choose from
#   o07-mapping         last year's list read: which column holds what
#   o08-previous        the list matched to this year's households, ready to apply
#   o09-lists           the ward's poor list with each household's deprivations
#   o10-lists-group     the poor list of one group
#   o11-minutes         the meeting minutes dialog of a group
#   o12-dashboard-en    the dashboard in English
#
# The database comes from ui/internal/officedb: the demo ward with reviews, a conflict, stages,
# assignments and an enrolled laptop.
#
# Usage: scripts/screenshots-office.sh [OUTPUT_DIR]   (default: shots/, which git ignores)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=$(mkdir -p "${1:-shots}" && cd "${1:-shots}" && pwd)

# shellcheck source=scripts/setup.sh
source scripts/setup.sh
# shellcheck source=scripts/lib/desktop.sh
source scripts/lib/desktop.sh

desktop_begin screenshots-office /tmp/rasoat-office-shots.XXXXXX rasoat
DB="$WORK/office.db"
go run ./ui/internal/officedb --db "$DB"
# The folder and file dialogs open where the last one was: here, beside last year's list.
mkdir -p "$XDG_CONFIG_HOME/fyne/vn.rasoat.app"
printf '{"syncFolder":"%s"}\n' "$WORK" >"$XDG_CONFIG_HOME/fyne/vn.rasoat.app/preferences.json"

start_app
shot o01-dashboard 2
click 60 226 # the first group's row (Tổ 01)
click 680 150 # "Record a stage of Tổ 01…"
shot o02-stage
click 604 492 # Cancel
keys alt+2
sleep 1
click 705 194 # start the LAN server
shot o03-incoming 2
keys alt+3
shot o04-review 2
click 625 234 # "Return…": an office action, so the office user logs in first
sleep 1
shot o05a-login
typ "matkhau-demo" # the demo user's password (ui/internal/officedb); the name is filled in
click 700 481 # "Đăng nhập"
sleep 1
typ "Kiem tra lai dien tich nha o"
shot o05-return
click 590 512 # Cancel
keys alt+4
shot o06-conflicts 2
keys alt+5
sleep 1
click 112 213 # choose a file
click 537 166 # the breadcrumb of the folder beside the database
click 653 230 # last year's list (after the folders: parent, backups, config)
click 1050 678 # Read
shot o07-mapping 2
click 694 602 # Match
shot o08-previous 2
keys alt+6
shot o09-lists 2
click 40 190 # Tổ 01
shot o10-lists-group
click 897 112 # meeting minutes
shot o11-minutes
stop_app

start_app --lang en
shot o12-dashboard-en 2
stop_app
echo "screenshots-office: $(ls "$OUT"/o*.png | wc -l) PNG files in $OUT"
