#!/usr/bin/env bash
# Builds the release files of rasoat into dist/ (see docs/release.md):
#
#   dist/rasoat.exe                 the desktop app for Windows (amd64), with the app icon,
#                                   the version resource and a manifest; cross-compiled here
#                                   with mingw-w64 by `fyne package -os windows`
#   dist/rasoat-linux-amd64.tar.xz  the desktop app for Linux: binary, .desktop entry, icon
#                                   and Makefile, by `fyne package -os linux`
#   dist/rasoatctl.exe, dist/rasoatctl
#                                   the command-line tool for windows/amd64 and linux/amd64
#                                   (CGO_ENABLED=0, -trimpath, stripped)
#   dist/SHA256SUMS                 checksums of the four files above (sha256sum -c SHA256SUMS)
#   dist/BUILDINFO                  what they were built as and with: version=, app_version=,
#                                   build=, commit=, go=, fyne=, fyne_tools=
#
# The version is `git describe --tags --always --dirty --match 'v[0-9]*'` (release tags are
# vX.Y.Z); without such a tag it is FyneApp.toml's Version plus the commit, e.g.
# v0.1.0-gcb36684. RASOAT_VERSION=v1.2.3 overrides it. Fyne and Windows want a numeric
# x.y.z plus a build number: x.y.z comes from the tag (v1.2.3-4-gabc -> 1.2.3) and the build
# number is the count of commits in HEAD (`git rev-list --count HEAD`), so it grows with every
# commit and never goes back; RASOAT_BUILD=N overrides it. Both are written into FyneApp.toml
# of a temporary copy of the source: the work tree is never modified, and other people's
# edits made while the script runs do not end up half in the build.
#
# Installs what it needs: the Debian packages of scripts/setup.sh, mingw-w64 for the Windows
# build (dpkg is asked first; apt-get only runs when something is missing), and the fyne tool
# (fyne.io/tools, pinned below) into a cache folder outside the repository. Runs from a fresh
# clone. Cold (empty Go build cache) the two cgo builds of the app take minutes each on a
# 2-core machine; warm the whole script takes well under a minute.
#
# Environment knobs:
#   RASOAT_VERSION=v1.2.3    version to build as, instead of git describe
#   RASOAT_BUILD=42          build number, instead of the commit count
#   RASOAT_TOOLS_DIR=DIR     where the fyne tool is installed (default ~/.cache/rasoat-release)
#   DIST=DIR                 output folder (default dist/ at the repository root)
#   RELEASE_ONLY="windows linux ctl"
#                            build only some of the parts (the default is all three); used
#                            to time the parts, a release needs all of them
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

MODULE=github.com/rasoat/rasoat
FYNE_TOOLS_VERSION=v1.7.4
MINGW_PACKAGE=gcc-mingw-w64-x86-64
MINGW_CC=x86_64-w64-mingw32-gcc
DIST=${DIST:-$ROOT/dist}
TOOLS_DIR=${RASOAT_TOOLS_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/rasoat-release}
ONLY=" ${RELEASE_ONLY:-windows linux ctl} "
# dist/ is replaced at the end: refuse a DIST that is not an output folder of this script.
DIST=$(realpath -m "$DIST")
case "$ROOT/" in "$DIST"/*) DIST_BAD=1 ;; *) DIST_BAD=0 ;; esac # the repository or above it
if [ "$DIST_BAD" = 1 ] || [ "$DIST" = "${HOME:-/root}" ] ||
	{ [ -d "$DIST" ] && [ -n "$(ls -A "$DIST")" ] && [ ! -f "$DIST/SHA256SUMS" ]; }; then
	echo "[release] DIST=$DIST is not empty and not an earlier release output: refusing to replace it" >&2
	exit 1
fi

rel_log() { printf '[release] %s\n' "$*" >&2; }
rel_die() {
	rel_log "ERROR: $*"
	exit 1
}

# The Debian packages and Go that building Fyne apps on Linux needs; puts Go on PATH and
# sets CGO_ENABLED=1. Also gives setup_as_root, used below.
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

# rel_need_debs PKG...: installs the Debian packages that are not installed yet.
rel_need_debs() {
	local missing=() pkg status
	for pkg in "$@"; do
		status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
		case "$status" in
		ii*) ;;
		*) missing+=("$pkg") ;;
		esac
	done
	[ "${#missing[@]}" -eq 0 ] && return 0
	command -v apt-get >/dev/null 2>&1 || rel_die "missing Debian packages (${missing[*]}) and no apt-get: install them by hand"
	rel_log "installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	if ! setup_as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/rasoat-release-apt.log 2>&1; then
		rel_log "refreshing package lists (apt-get update)"
		setup_as_root apt-get update -qq
		if ! setup_as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/rasoat-release-apt.log 2>&1; then
			cat /tmp/rasoat-release-apt.log >&2
			rel_die "apt-get install ${missing[*]} failed"
		fi
	fi
}

# rel_fyne_tool: prints the path of the pinned fyne tool, installing it on first use.
rel_fyne_tool() {
	local dir="$TOOLS_DIR/fyne-$FYNE_TOOLS_VERSION"
	if [ ! -x "$dir/fyne" ]; then
		rel_log "installing fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION into $dir"
		mkdir -p "$dir"
		# a host build whatever GOOS/GOARCH the caller has set
		env -u GOOS -u GOARCH GOBIN="$dir" go install "fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION" >&2 ||
			rel_die "go install fyne.io/tools/cmd/fyne@$FYNE_TOOLS_VERSION failed"
	fi
	printf '%s\n' "$dir/fyne"
}

# Version numbers. VERSION is the full string (v1.2.3, v1.2.3-4-gabc1234-dirty, ...);
# APP_VERSION the numeric x.y.z and APP_BUILD the build number for fyne and Windows.
toml_version() {
	sed -n 's/^[[:space:]]*Version[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' cmd/rasoat/FyneApp.toml | head -n 1
}

is_git=0 COMMIT=
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	is_git=1
	COMMIT=$(git rev-parse HEAD) # now, with the version: others may commit while this builds
fi

if [ -n "${RASOAT_VERSION:-}" ]; then
	VERSION=$RASOAT_VERSION
elif [ "$is_git" = 1 ]; then
	VERSION=$(git describe --tags --always --dirty --match 'v[0-9]*')
else
	VERSION=
fi
# A release tag (v1.2.3, v1.2.3-4-gabc1234, v1.3.0-rc.1, ...) starts with v and a digit, a
# bare commit (abc1234, 9eca1ac-dirty) does not; RASOAT_VERSION may leave out the v.
version_re='^v([0-9]+)(\.([0-9]+))?(\.([0-9]+))?'
[ -n "${RASOAT_VERSION:-}" ] && version_re='^v?([0-9]+)(\.([0-9]+))?(\.([0-9]+))?'
if [[ "$VERSION" =~ $version_re ]]; then
	APP_VERSION="${BASH_REMATCH[1]}.${BASH_REMATCH[3]:-0}.${BASH_REMATCH[5]:-0}"
else
	# no release tag: VERSION is only the commit (abc1234 or abc1234-dirty), or empty
	APP_VERSION=$(toml_version)
	[[ "$APP_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
		rel_die "cmd/rasoat/FyneApp.toml: Version \"$APP_VERSION\" is not x.y.z"
	if [ -n "$VERSION" ]; then
		VERSION="v$APP_VERSION-g$VERSION"
	else
		VERSION="v$APP_VERSION"
	fi
	rel_log "no vX.Y.Z tag: version $VERSION from FyneApp.toml"
fi
if [ -n "${RASOAT_BUILD:-}" ]; then
	APP_BUILD=$RASOAT_BUILD
elif [ "$is_git" = 1 ]; then
	APP_BUILD=$(git rev-list --count "$COMMIT")
	if [ "$(git rev-parse --is-shallow-repository 2>/dev/null)" = true ]; then
		rel_log "warning: shallow clone: the build number ($APP_BUILD) and the tag may be wrong; clone with full history"
	fi
else
	APP_BUILD=1
fi
if ! [[ "$APP_BUILD" =~ ^[0-9]+$ ]] || [ "$APP_BUILD" -lt 1 ] || [ "$APP_BUILD" -gt 65535 ]; then
	rel_die "build number \"$APP_BUILD\" must be 1..65535 (a Windows version field)"
fi
[[ "$VERSION" =~ ^[A-Za-z0-9._+-]+$ ]] || rel_die "version \"$VERSION\": only letters, digits and ._+- please"
case "$VERSION" in *-dirty) rel_log "warning: the work tree has uncommitted changes: this is not a release build" ;; esac

rel_log "version $VERSION (app version $APP_VERSION, build $APP_BUILD)"

APP_ID=$(sed -n 's/^[[:space:]]*ID[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' cmd/rasoat/FyneApp.toml | head -n 1)
[[ "$APP_ID" =~ ^[A-Za-z0-9][A-Za-z0-9.-]*$ ]] || rel_die "cmd/rasoat/FyneApp.toml: ID \"$APP_ID\" is not a reverse-DNS name"

# Tools.
need_windows=0 need_linux=0 need_ctl=0
case "$ONLY" in *" windows "*) need_windows=1 ;; esac
case "$ONLY" in *" linux "*) need_linux=1 ;; esac
case "$ONLY" in *" ctl "*) need_ctl=1 ;; esac
debs=(xz-utils)
[ "$need_windows" = 1 ] && debs+=("$MINGW_PACKAGE")
rel_need_debs "${debs[@]}"
FYNE=
if [ "$need_windows" = 1 ] || [ "$need_linux" = 1 ]; then
	FYNE=$(rel_fyne_tool)
fi

# A copy of the source to build from: the files git knows plus new ones it does not ignore,
# as they are in the work tree now (that is what `git describe --dirty` describes).
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rasoat-release.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
SRC=$WORK/src
OUT=$WORK/dist
mkdir -p "$SRC" "$OUT"
if [ "$is_git" = 1 ]; then
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do
			[ -f "$f" ] && printf '%s\0' "$f" # leaves out files deleted in the work tree
		done |
		tar --null -T - -cf - | tar -xf - -C "$SRC"
else
	tar --exclude=./.git --exclude=./dist -cf - . | tar -xf - -C "$SRC"
fi

# The version goes into FyneApp.toml of the copy, which is what fyne package reads.
sed -i -E \
	-e "s/^([[:space:]]*Version[[:space:]]*=[[:space:]]*).*/\1\"$APP_VERSION\"/" \
	-e "s/^([[:space:]]*Build[[:space:]]*=[[:space:]]*).*/\1$APP_BUILD/" \
	"$SRC/cmd/rasoat/FyneApp.toml"
if ! grep -q "^Version = \"$APP_VERSION\"\$" "$SRC/cmd/rasoat/FyneApp.toml" ||
	! grep -q "^Build = $APP_BUILD\$" "$SRC/cmd/rasoat/FyneApp.toml"; then
	rel_die "could not set Version/Build in the copy of cmd/rasoat/FyneApp.toml"
fi

# The fyne tool passes -ldflags found in GOFLAGS on to go build (space-free values only).
LDFLAGS_X="-X $MODULE/version.Version=$VERSION"
FYNE_GOFLAGS="${GOFLAGS:-} -ldflags=-X=$MODULE/version.Version=$VERSION"

TIMINGS=()
# step NAME CMD...: runs CMD and records how long it took.
step() {
	local name=$1 start took
	shift
	start=$(date +%s)
	rel_log "==> $name"
	"$@"
	took=$(($(date +%s) - start))
	rel_log "--> $name: ${took}s"
	TIMINGS+=("$(printf '%5ss  %s' "$took" "$name")")
}

# is_pe FILE: the file starts with the MZ header of a Windows executable.
is_pe() { [ "$(head -c 2 "$1" 2>/dev/null)" = MZ ]; }

# write_manifest: the Windows application manifest, which fyne package puts into the .exe
# when rasoat.exe.manifest exists (else it writes its own). Fyne's own names the assembly
# after FyneApp.toml's Name; a name with spaces and Vietnamese letters in a side-by-side
# assembly identity is a risk we cannot test here (Windows refuses to start an .exe whose
# manifest it does not accept), so this one uses the ASCII app ID. It also asks for no
# elevation (asInvoker) and declares Windows 10/11. DPI awareness is left to GLFW, as in
# fyne's manifest.
write_manifest() {
	cat <<EOF
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<assembly xmlns="urn:schemas-microsoft-com:asm.v1" manifestVersion="1.0">
  <assemblyIdentity type="win32" name="$APP_ID" version="$APP_VERSION.$APP_BUILD" processorArchitecture="*"/>
  <trustInfo xmlns="urn:schemas-microsoft-com:asm.v3">
    <security>
      <requestedPrivileges>
        <requestedExecutionLevel level="asInvoker" uiAccess="false"/>
      </requestedPrivileges>
    </security>
  </trustInfo>
  <compatibility xmlns="urn:schemas-microsoft-com:compatibility.v1">
    <application>
      <!-- Windows 10 and 11 -->
      <supportedOS Id="{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}"/>
    </application>
  </compatibility>
</assembly>
EOF
}

build_windows_app() {
	local dir="$SRC/cmd/rasoat" exe
	# fyne package -os windows builds the app, writes the icon, version and manifest into
	# fyne.syso and builds it again with that. Given an existing --executable it skips the
	# first build: one compile and link less, and the -X version flag is kept (the fyne tool
	# drops GOFLAGS' -ldflags after its first build, so the second one would not have it).
	# The placeholder starts with the PE magic go build looks for before it overwrites a file.
	printf 'MZ\x90\x00\x03\x00placeholder' >"$dir/rasoat.exe"
	write_manifest >"$dir/rasoat.exe.manifest"
	(
		cd "$dir"
		env GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC="$MINGW_CC" GOFLAGS="$FYNE_GOFLAGS" \
			"$FYNE" package -os windows --release --executable rasoat.exe
	)
	# named after FyneApp.toml's Name ("Rà soát hộ nghèo.exe"); it is the only .exe left
	exe=$(find "$dir" -maxdepth 1 -name '*.exe' -print -quit)
	if [ -z "$exe" ] || ! is_pe "$exe" || [ "$(stat -c %s "$exe")" -lt 1000000 ]; then
		rel_die "fyne package -os windows made no executable"
	fi
	mv "$exe" "$OUT/rasoat.exe"
}

build_linux_app() {
	local dir="$SRC/cmd/rasoat" tarball
	(
		cd "$dir"
		env -u GOOS GOARCH=amd64 CGO_ENABLED=1 GOFLAGS="$FYNE_GOFLAGS" \
			"$FYNE" package -os linux --release
	)
	# named after FyneApp.toml's Name ("Rà soát hộ nghèo.tar.xz")
	tarball=$(find "$dir" -maxdepth 1 -name '*.tar.xz' -print -quit)
	[ -n "$tarball" ] || rel_die "fyne package -os linux made no .tar.xz"
	mv "$tarball" "$OUT/rasoat-linux-amd64.tar.xz"
}

# build_ctl GOOS OUTPUT
build_ctl() {
	(
		cd "$SRC"
		env CGO_ENABLED=0 GOOS="$1" GOARCH=amd64 \
			go build -trimpath -ldflags "-s -w $LDFLAGS_X" -o "$OUT/$2" ./cmd/rasoatctl
	)
}

TOTAL_START=$(date +%s)
# (steps run under `if`, never after `&&`, which would switch off set -e inside them)
if [ "$need_windows" = 1 ]; then
	step "rasoat.exe (windows/amd64, fyne package, cgo with mingw-w64)" build_windows_app
fi
if [ "$need_linux" = 1 ]; then
	step "rasoat-linux-amd64.tar.xz (fyne package -os linux)" build_linux_app
fi
if [ "$need_ctl" = 1 ]; then
	step "rasoatctl.exe (windows/amd64, CGO_ENABLED=0)" build_ctl windows rasoatctl.exe
	step "rasoatctl (linux/amd64, CGO_ENABLED=0)" build_ctl linux rasoatctl
fi

{
	echo "version=$VERSION"
	echo "app_version=$APP_VERSION"
	echo "build=$APP_BUILD"
	echo "commit=$COMMIT"
	echo "go=$(go env GOVERSION)"
	echo "fyne=$(sed -n 's/^[[:space:]]*fyne\.io\/fyne\/v2 \(v[^ ]*\).*/\1/p' go.mod | head -n 1)"
	echo "fyne_tools=$FYNE_TOOLS_VERSION"
} >"$OUT/BUILDINFO"
(
	cd "$OUT"
	artifacts=()
	for f in rasoat.exe rasoat-linux-amd64.tar.xz rasoatctl.exe rasoatctl; do
		[ -f "$f" ] && artifacts+=("$f")
	done
	[ "${#artifacts[@]}" -gt 0 ] || rel_die "nothing was built (RELEASE_ONLY=\"${RELEASE_ONLY:-}\")"
	sha256sum "${artifacts[@]}" >SHA256SUMS
)

# Replace dist/ only now, so a failed run leaves no half-made dist/ behind.
rm -rf "$DIST"
mkdir -p "$(dirname "$DIST")"
mv "$OUT" "$DIST"

echo
echo "rasoat $VERSION (app version $APP_VERSION, build $APP_BUILD) in $DIST:"
while read -r sum f; do
	size=$(stat -c %s "$DIST/$f")
	printf '  %-28s %10s bytes %6s  sha256 %s\n' "$f" "$size" "$(numfmt --to=iec "$size")" "$sum"
done <"$DIST/SHA256SUMS"
echo "  SHA256SUMS, BUILDINFO"
echo
echo "timings:"
printf '  %s\n' "${TIMINGS[@]}"
printf '  %5ss  %s\n' "$(($(date +%s) - TOTAL_START))" "all builds (setup and tool installs not counted)"
