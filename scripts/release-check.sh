#!/usr/bin/env bash
# The release check (docs/release.md): runs scripts/release.sh, then checks what it put in
# dist/ and prints PASS or FAIL for each check and for the whole:
#
#   - dist/rasoat.exe and dist/rasoatctl.exe are PE32+ x86-64 Windows executables, the app a
#     GUI one with an icon, a version resource carrying the app version, and a manifest, and
#     neither needs a DLL that a plain Windows does not have (libgcc, libwinpthread, ...);
#   - dist/rasoatctl is a static linux/amd64 ELF and `dist/rasoatctl --version` prints the
#     version in dist/BUILDINFO;
#   - dist/rasoat-linux-amd64.tar.xz holds the app binary (an x86-64 ELF), its .desktop
#     entry (Exec=rasoat, the app's name), the icon and the Makefile;
#   - dist/SHA256SUMS matches the files.
#
# Not part of .ci/run: a cold build of the app for Windows and Linux takes many minutes on a
# 2-core machine. Run it before tagging and after changing the release script or FyneApp.toml.
#
#   scripts/release-check.sh             build, then check
#   scripts/release-check.sh --no-build  check the dist/ that is there
#
# Takes the environment knobs of scripts/release.sh (RASOAT_VERSION, DIST, ...).
# The check functions below are called indirectly through check().
# shellcheck disable=SC2317
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
DIST=${DIST:-$ROOT/dist}
export DIST

build=1
case "${1:-}" in
--no-build) build=0 ;;
"") ;;
*)
	echo "usage: scripts/release-check.sh [--no-build]" >&2
	exit 2
	;;
esac

FAILED=()
PASSED=0
pass() {
	echo "PASS  $1"
	PASSED=$((PASSED + 1))
}
fail() {
	echo "FAIL  $1"
	if [ -n "${2:-}" ]; then
		printf '        %s\n' "${2//$'\n'/$'\n        '}"
	fi
	FAILED+=("$1")
}
# check NAME CMD...: PASS if CMD succeeds; CMD prints why it failed.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "$out"
	fi
}

if [ "$build" = 1 ]; then
	start=$(date +%s)
	if bash scripts/release.sh; then
		echo "release.sh took $(($(date +%s) - start))s"
	else
		echo "release.sh took $(($(date +%s) - start))s"
		echo "FAIL  scripts/release.sh exited with an error"
		echo "release-check: FAIL"
		exit 1
	fi
fi

# Tools for looking at the files; release.sh installed mingw-w64, which brings objdump.
# shellcheck source=scripts/setup.sh
source scripts/setup.sh >/dev/null 2>&1 || true
for tool in file xz; do
	command -v "$tool" >/dev/null 2>&1 && continue
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$tool" >/dev/null 2>&1 ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$tool" >/dev/null 2>&1; } || true
done
OBJDUMP=$(command -v x86_64-w64-mingw32-objdump || true)

echo
echo "==> checking $DIST"
info() { sed -n "s/^$1=//p" "$DIST/BUILDINFO" 2>/dev/null | head -n 1 || true; }
VERSION=$(info version)
APP_VERSION=$(info app_version)
APP_BUILD=$(info build)
if [ -n "$VERSION" ] && [ -n "$APP_VERSION" ] && [ -n "$APP_BUILD" ]; then
	pass "dist/BUILDINFO: version $VERSION, app version $APP_VERSION, build $APP_BUILD"
else
	fail "dist/BUILDINFO is missing or incomplete"
fi

TMP=$(mktemp -d /tmp/rasoat-release-check.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# file_says FILE PATTERN...: `file FILE` matches every extended regex PATTERN.
file_says() {
	local f=$1 desc p
	shift
	[ -f "$f" ] || {
		echo "$f does not exist"
		return 1
	}
	desc=$(file -b "$f")
	for p in "$@"; do
		if ! grep -qE -- "$p" <<<"$desc"; then
			echo "file says: $desc"
			return 1
		fi
	done
}

# The DLLs an executable imports, one a line, lower case.
dlls() { "$OBJDUMP" -p "$1" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr '[:upper:]' '[:lower:]' | sort -u; }

# only_system_dlls EXE: every imported DLL ships with Windows.
only_system_dlls() {
	local d bad=()
	while read -r d; do
		case "$d" in
		kernel32.dll | user32.dll | gdi32.dll | shell32.dll | advapi32.dll | ole32.dll | \
			oleaut32.dll | comdlg32.dll | comctl32.dll | opengl32.dll | msvcrt.dll | ws2_32.dll | \
			winmm.dll | dwmapi.dll | imm32.dll | shlwapi.dll | uxtheme.dll | version.dll | \
			setupapi.dll | crypt32.dll | bcrypt.dll | ntdll.dll | powrprof.dll | userenv.dll | \
			iphlpapi.dll | secur32.dll | winspool.drv | dnsapi.dll | netapi32.dll | mswsock.dll | \
			api-ms-win-*) ;;
		*) bad+=("$d") ;;
		esac
	done < <(dlls "$1")
	if [ "${#bad[@]}" -gt 0 ]; then
		echo "needs DLLs that Windows does not ship: ${bad[*]}"
		return 1
	fi
	echo "imports: $(dlls "$1" | tr '\n' ' ')"
}

# resource_types EXE: the numeric type IDs at the top of the .rsrc directory.
resource_types() {
	"$OBJDUMP" -p "$1" | sed -n '/The .rsrc Resource Directory section/,/Resources start/p' |
		sed -n 's/^[0-9a-f]\{3\}   Entry: ID: 0x\([0-9a-f]*\),.*/\1/p' | sed 's/^0*//'
}

# has_resources EXE: an icon (3, 14), a version resource (16) and a manifest (24).
has_resources() {
	local types t missing=()
	types=" $(resource_types "$1" | tr '\n' ' ') "
	for t in 3 e 10 18; do
		case "$types" in *" $t "*) ;; *) missing+=("$t") ;; esac
	done
	if [ "${#missing[@]}" -gt 0 ]; then
		echo "resource types present (hex):$types; missing:${missing[*]} (3/e icon, 10 version, 18 manifest)"
		return 1
	fi
}

# version_resource EXE: the version resource names the app and its version x.y.z.b.
version_resource() {
	local strs want
	strs=$(strings -el "$1" | sed -n '/^VS_VERSION_INFO$/,/^Translation$/p')
	want="$APP_VERSION.$APP_BUILD"
	if ! grep -qx 'ProductVersion' <<<"$strs"; then
		echo "no ProductVersion in the version resource"
		return 1
	fi
	if ! grep -qxF "$want" <<<"$strs"; then
		echo "version resource does not say $want: $(tr '\n' ' ' <<<"$strs")"
		return 1
	fi
	tr '\n' ' ' <<<"$strs"
}

# manifest_ok EXE: the embedded manifest names the assembly in ASCII with the app version.
manifest_ok() {
	local m
	m=$(strings -n 6 "$1" | sed -n '/<assembly xmlns="urn:schemas-microsoft-com:asm.v1"/,/<\/assembly>/p')
	if ! grep -qE "<assemblyIdentity type=\"win32\" name=\"[A-Za-z0-9.-]+\" version=\"$APP_VERSION\.$APP_BUILD\"" <<<"$m"; then
		echo "manifest: $m"
		return 1
	fi
	grep -o '<assemblyIdentity[^>]*>' <<<"$m"
}

echo
echo "-- Windows"
check "dist/rasoat.exe is a PE32+ x86-64 GUI executable" file_says "$DIST/rasoat.exe" 'PE32\+ executable' '\(GUI\)' 'x86-64'
check "dist/rasoatctl.exe is a PE32+ x86-64 console executable" file_says "$DIST/rasoatctl.exe" 'PE32\+ executable' '\(console\)' 'x86-64'
if [ -n "$OBJDUMP" ] && [ -f "$DIST/rasoat.exe" ]; then
	check "rasoat.exe has an icon, a version resource and a manifest" has_resources "$DIST/rasoat.exe"
	check "rasoat.exe's version resource carries the app version" version_resource "$DIST/rasoat.exe"
	check "rasoat.exe's manifest has an ASCII identity with the app version" manifest_ok "$DIST/rasoat.exe"
	check "rasoat.exe needs only DLLs that come with Windows" only_system_dlls "$DIST/rasoat.exe"
	check "rasoatctl.exe needs only DLLs that come with Windows" only_system_dlls "$DIST/rasoatctl.exe"
else
	fail "x86_64-w64-mingw32-objdump (binutils-mingw-w64-x86-64) is needed to look at the resources"
fi

echo
echo "-- Linux"
check "dist/rasoatctl is a static x86-64 ELF" file_says "$DIST/rasoatctl" 'ELF 64-bit' 'x86-64' 'statically linked'
ctl_version() {
	local out
	out=$("$DIST/rasoatctl" --version) || return 1
	[ "$out" = "rasoatctl $VERSION" ] || {
		echo "printed \"$out\", expected \"rasoatctl $VERSION\""
		return 1
	}
	echo "$out"
}
check "dist/rasoatctl --version prints the version" ctl_version

TARBALL=$DIST/rasoat-linux-amd64.tar.xz
tar_has() {
	local list=$1 re=$2
	grep -qE -- "$re" <<<"$list" || {
		echo "no entry matching $re in: $(tr '\n' ' ' <<<"$list")"
		return 1
	}
}
if [ -f "$TARBALL" ] && list=$(tar -tJf "$TARBALL" 2>&1); then
	pass "dist/rasoat-linux-amd64.tar.xz is a tar.xz"
	check "the tar.xz has a .desktop entry" tar_has "$list" '/share/applications/[^/]+\.desktop$'
	check "the tar.xz has the rasoat binary" tar_has "$list" '/bin/rasoat$'
	check "the tar.xz has the icon" tar_has "$list" '/share/pixmaps/[^/]+\.png$'
	check "the tar.xz has the Makefile" tar_has "$list" '^[^/]+/Makefile$'
	tar -xJf "$TARBALL" -C "$TMP"
	bin=$(find "$TMP" -path '*/bin/rasoat' -type f | head -n 1)
	desktop=$(find "$TMP" -name '*.desktop' -type f | head -n 1)
	check "the packaged rasoat is an x86-64 ELF executable" file_says "${bin:-$TMP/none}" 'ELF 64-bit' 'x86-64'
	desktop_ok() {
		if ! grep -qx 'Exec=rasoat' "$desktop" || ! grep -qx 'Name=Rà soát hộ nghèo' "$desktop" ||
			! grep -qx 'Type=Application' "$desktop"; then
			echo "unexpected .desktop entry: $(cat "$desktop" 2>/dev/null)"
			return 1
		fi
	}
	check "the .desktop entry starts rasoat under its name" desktop_ok
else
	fail "dist/rasoat-linux-amd64.tar.xz is missing or not a tar.xz" "${list:-}"
fi

echo
echo "-- checksums"
check "dist/SHA256SUMS matches the files" bash -c "cd '$DIST' && sha256sum -c --strict SHA256SUMS"
sums_cover() {
	local f
	for f in rasoat.exe rasoat-linux-amd64.tar.xz rasoatctl.exe rasoatctl; do
		grep -qE "^[0-9a-f]{64}  $f\$" "$DIST/SHA256SUMS" || {
			echo "SHA256SUMS has no line for $f"
			return 1
		}
	done
}
check "dist/SHA256SUMS covers the four files" sums_cover

echo
if [ "${#FAILED[@]}" -eq 0 ]; then
	echo "release-check: PASS ($PASSED checks, version $VERSION)"
	exit 0
fi
echo "release-check: FAIL (${#FAILED[@]} of $((PASSED + ${#FAILED[@]})) checks failed)"
printf '  failed: %s\n' "${FAILED[@]}"
exit 1
