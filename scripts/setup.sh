#!/usr/bin/env bash
# Installs what the rasoat build and tests need on a Debian (bookworm) machine:
# the C toolchain and X11/OpenGL headers Fyne's cgo driver compiles against,
# Xvfb for headless UI runs, and the tools used to look at screenshots and PDFs.
#
# Idempotent: packages already installed are skipped, and `apt-get update`
# only runs when something is actually missing, so a re-run takes well under
# a second. Runs as root, or through sudo when not root.
#
# Can be sourced as well as executed; either way it checks that Go >= 1.24 is
# on PATH (adding /usr/local/go/bin when present). When sourced, the PATH
# change is kept by the caller.
set -euo pipefail

# Packages, one group per purpose.
SETUP_PACKAGES=(
	# cgo toolchain
	gcc libc6-dev pkg-config
	# Fyne v2.7 desktop driver (GLFW on X11, OpenGL)
	libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev
	libxi-dev libxxf86vm-dev libxext-dev libxkbcommon-dev
	# headless display: X server, software OpenGL, helpers
	xvfb xauth libgl1-mesa-dri x11-utils xdotool
	# looking at output: screenshots (import/convert), PDFs (pdftotext/pdftoppm)
	imagemagick poppler-utils
	# fonts with Vietnamese coverage
	fonts-noto-core fonts-dejavu-core
)

setup_log() { printf '[setup] %s\n' "$*" >&2; }

setup_as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		setup_log "not root and sudo is not available: cannot run: $*"
		return 1
	fi
}

setup_install_packages() {
	local missing=() pkg status
	for pkg in "${SETUP_PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
		case "$status" in
		ii*) ;;
		*) missing+=("$pkg") ;;
		esac
	done
	if [ "${#missing[@]}" -eq 0 ]; then
		setup_log "all ${#SETUP_PACKAGES[@]} Debian packages already installed"
		return 0
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		setup_log "missing packages (${missing[*]}) and no apt-get: install them by hand"
		return 1
	fi
	setup_log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# Try with the current package lists first; refresh them only if that fails
	# (a fresh machine has none, or they may be stale).
	if ! setup_as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/rasoat-setup-apt.log 2>&1; then
		setup_log "refreshing package lists (apt-get update)"
		setup_as_root apt-get update -qq
		if ! setup_as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/rasoat-setup-apt.log 2>&1; then
			cat /tmp/rasoat-setup-apt.log >&2
			setup_log "apt-get install failed"
			return 1
		fi
	fi
	setup_log "installed ${#missing[@]} package(s)"
}

# setup_check_go puts Go on PATH if needed and checks its version is >= 1.24.
setup_check_go() {
	if ! command -v go >/dev/null 2>&1; then
		local d
		for d in /usr/local/go/bin "${HOME:-/root}/go/bin" /usr/lib/go/bin; do
			if [ -x "$d/go" ]; then
				export PATH="$d:$PATH"
				break
			fi
		done
	fi
	if ! command -v go >/dev/null 2>&1; then
		setup_log "Go not found on PATH (nor in /usr/local/go/bin). Install Go >= 1.24 from https://go.dev/dl/ and add it to PATH."
		return 1
	fi
	# Also make binaries installed with `go install` reachable.
	local gobin
	gobin=$(go env GOPATH 2>/dev/null)/bin
	case ":$PATH:" in *":$gobin:"*) ;; *) export PATH="$PATH:$gobin" ;; esac

	local v major minor
	v=$(go env GOVERSION 2>/dev/null || true) # e.g. go1.26.8, go1.25rc1
	v=${v#go}
	major=${v%%.*}
	minor=${v#*.}
	minor=${minor%%[!0-9]*}
	if ! [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]]; then
		setup_log "could not read the Go version from '$(go version 2>&1)'; need Go >= 1.24"
		return 1
	fi
	if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 24 ]; }; then
		setup_log "Go $v is too old ($(command -v go)); need Go >= 1.24 from https://go.dev/dl/"
		return 1
	fi
	setup_log "Go $v at $(command -v go)"
}

setup_main() {
	setup_install_packages
	setup_check_go
	# Fyne's desktop driver needs cgo; make sure nothing in the environment turned it off.
	export CGO_ENABLED=1
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	setup_main "$@"
else
	setup_main "$@" || return 1
fi
