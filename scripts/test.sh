#!/usr/bin/env bash
# The project's full check, as run by CI (.ci/run) and by hand:
#
#   setup (Debian packages, Go >= 1.24) -> go vet -> gofmt -> go build ./...
#   -> CGO_ENABLED=0 build of cmd/rasoatctl -> go test (under Xvfb when there
#   is no DISPLAY) -> a short fuzz run of every Fuzz* target found.
#
# Every step runs even if an earlier one failed (the fuzz runs are skipped when
# go test failed), so one run shows all problems; the exit code is non-zero if
# any step failed.
#
# Environment knobs:
#   FUZZTIME       budget per fuzz target (go test -fuzztime syntax: "30s" or
#                  "100000x"); by default each target runs the number of inputs
#                  fuzz_budget gives it (see there for why a count, not a time)
#   FUZZ_TIMEOUT=5m  go test -timeout of a fuzz run, so a hanging input fails
#   FUZZ=0         skip the fuzz runs
#   GOTEST_FLAGS   extra flags for the go test run (e.g. "-race" or "-run TestX")
#   GOTEST_TIMEOUT=5m  go test -timeout (per package test binary)
# Functions below are called indirectly through step().
# shellcheck disable=SC2317
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

# shellcheck source=scripts/setup.sh
source scripts/setup.sh
# shellcheck source=scripts/xvfb.sh
source scripts/xvfb.sh

WORK=$(mktemp -d /tmp/rasoat-test.XXXXXX)
cleanup() {
	xvfb_stop
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

FAILED=()
SUMMARY=()
TESTS_PASSED=0
TESTS_FAILED=0
TESTS_SKIPPED=0

# step NAME CMD...: runs CMD, records the outcome, never aborts the script.
step() {
	local name=$1
	shift
	local start rc=0
	start=$(date +%s)
	echo
	echo "==> $name"
	"$@" || rc=$?
	local took=$(($(date +%s) - start))
	if [ "$rc" -eq 0 ]; then
		echo "--> $name: ok (${took}s)"
		SUMMARY+=("ok    $name (${took}s)")
	else
		echo "--> $name: FAILED (exit $rc, ${took}s)"
		SUMMARY+=("FAIL  $name (${took}s)")
		FAILED+=("$name")
	fi
	return 0
}

# Go source files of the module, leaving out vendored code and testdata
# (which may hold deliberately malformed Go).
go_files() {
	find . \( -path ./.git -o -name vendor -o -name testdata -o -name node_modules \) -prune \
		-o -type f -name '*.go' -print | sort
}

check_gofmt() {
	local files bad
	files=$(go_files)
	if [ -z "$files" ]; then
		echo "no Go files"
		return 0
	fi
	# shellcheck disable=SC2086
	bad=$(gofmt -l $files)
	if [ -n "$bad" ]; then
		echo "gofmt: these files are not formatted (fix with: gofmt -w FILE):"
		# shellcheck disable=SC2086
		printf '  %s\n' $bad
		return 1
	fi
	echo "all $(echo "$files" | wc -l) Go files are gofmt-clean"
}

build_rasoatctl() {
	CGO_ENABLED=0 go build -o "$WORK/rasoatctl" ./cmd/rasoatctl
	echo "built $WORK/rasoatctl without cgo ($(du -h "$WORK/rasoatctl" | cut -f1))"
}

run_go_test() {
	local log="$WORK/gotest.log" rc=0
	# -v so every test's PASS/FAIL line is shown (and counted below); go test's
	# per-package closing lines ("ok ..."/"FAIL ...") stay as they are.
	# shellcheck disable=SC2086
	go test -count=1 -v -timeout="${GOTEST_TIMEOUT:-5m}" ${GOTEST_FLAGS:-} ./... 2>&1 | tee "$log" || rc=${PIPESTATUS[0]}
	local p f s b
	p=$(grep -cE '^[[:space:]]*--- PASS: ' "$log" || true)
	f=$(grep -cE '^[[:space:]]*--- FAIL: ' "$log" || true)
	s=$(grep -cE '^[[:space:]]*--- SKIP: ' "$log" || true)
	# packages that did not even build or set up count as one failure each
	b=$(grep -cE '^FAIL[[:space:]].*\[(build|setup) failed\]' "$log" || true)
	f=$((f + b))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # e.g. a timeout or a crash outside any test
	fi
	TESTS_PASSED=$((TESTS_PASSED + p))
	TESTS_FAILED=$((TESTS_FAILED + f))
	TESTS_SKIPPED=$((TESTS_SKIPPED + s))
	echo "go test: $p passed, $f failed, $s skipped (subtests included)"
	return "$rc"
}

# Lines "DIR FUZZNAME" for every func Fuzz*(f *testing.F) in *_test.go files.
find_fuzz_targets() {
	find . \( -path ./.git -o -name vendor -o -name testdata -o -name node_modules \) -prune \
		-o -type f -name '*_test.go' -print0 |
		{ xargs -0 -r grep -HoE '^func Fuzz[A-Za-z0-9_]*[[:space:]]*\([[:space:]]*[A-Za-z_][A-Za-z0-9_]*[[:space:]]+\*testing\.F[[:space:]]*\)' || true; } |
		sed -E 's|^(.*)/[^/]*_test\.go:func (Fuzz[A-Za-z0-9_]*).*$|\1 \2|' |
		sort -u
}

# fuzz_budget NAME prints the -fuzztime of a target: a number of inputs, each
# about 8 s on a 2-core machine. Not a duration: with a duration, Go 1.26's fuzz
# coordinator can report its own deadline as the target failing ("context
# deadline exceeded", no failing input; go.dev/issue/75804, fixed in Go 1.27).
# A count has no deadline to race; a hang still fails, at FUZZ_TIMEOUT. Shrinking a
# new interesting input is bounded too (-fuzzminimizetime, as a count): by default Go
# may spend 60 s on each, which is most of a short run's time.
fuzz_budget() {
	if [ -n "${FUZZTIME:-}" ]; then
		echo "$FUZZTIME"
		return
	fi
	case $1 in
	FuzzDecode) echo 400000x ;;
	FuzzQuickNFC) echo 250000x ;;
	FuzzStringValue) echo 300000x ;;
	FuzzValidate) echo 300000x ;;
	FuzzParseWrapped) echo 400000x ;;
	FuzzDecodeInner) echo 100000x ;;
	FuzzDecodePayload) echo 80000x ;;
	FuzzParse) echo 200000x ;;
	FuzzParseEnrollment) echo 60000x ;;
	FuzzImportRevision) echo 200000x ;;
	FuzzReadCSV) echo 60000x ;;
	FuzzFromSheets) echo 20000x ;;
	FuzzCSVRoundTrip) echo 5000x ;;
	FuzzReadXLSX) echo 40000x ;;
	*) echo 200000x ;;
	esac
}

run_fuzz() {
	local dir=$1 name=$2 rc=0
	go test -run='^$' -fuzz="^${name}\$" -fuzztime="$(fuzz_budget "$name")" -fuzzminimizetime=1000x \
		-timeout="${FUZZ_TIMEOUT:-5m}" "$dir" </dev/null || rc=$?
	if [ "$rc" -eq 0 ]; then
		TESTS_PASSED=$((TESTS_PASSED + 1))
	else
		TESTS_FAILED=$((TESTS_FAILED + 1))
		echo "fuzz $name in $dir failed; a failing input, if any, is saved under $dir/testdata/fuzz/$name/"
	fi
	return "$rc"
}

echo "go: $(go version) | CGO_ENABLED=$CGO_ENABLED | $(nproc) cores"

step "go vet" go vet ./...
step "gofmt" check_gofmt
step "go build" go build ./...
if compgen -G "cmd/rasoatctl/*.go" >/dev/null; then
	step "rasoatctl builds with CGO_ENABLED=0" build_rasoatctl
else
	echo
	echo "==> cmd/rasoatctl has no Go files yet: skipping the CGO_ENABLED=0 build"
fi

step "user guide pictures" bash scripts/guide-check.sh
step "headless display" xvfb_start

step "go test" run_go_test
TEST_OK=1
case " ${FAILED[*]:-} " in *" go test "*) TEST_OK=0 ;; esac

FUZZ_COUNT=0
if [ "${FUZZ:-1}" = "0" ]; then
	echo
	echo "==> fuzzing skipped (FUZZ=0)"
elif [ "$TEST_OK" -ne 1 ]; then
	echo
	echo "==> fuzzing skipped because go test failed"
else
	targets=$(find_fuzz_targets)
	if [ -z "$targets" ]; then
		echo
		echo "==> no fuzz targets found"
	else
		while read -r dir name; do
			FUZZ_COUNT=$((FUZZ_COUNT + 1))
			step "fuzz $name ($dir, $(fuzz_budget "$name"))" run_fuzz "$dir" "$name"
		done <<<"$targets"
	fi
fi

echo
echo "==> summary"
printf '  %s\n' "${SUMMARY[@]}"
echo "  (counts below: go test results including subtests, plus $FUZZ_COUNT fuzz run(s))"
echo "tests: $TESTS_PASSED passed, $TESTS_FAILED failed, $TESTS_SKIPPED skipped"
if [ "${#FAILED[@]}" -eq 0 ]; then
	echo "test.sh: ALL CHECKS PASSED"
	exit 0
fi
failed_list=""
for name in "${FAILED[@]}"; do
	failed_list+="${failed_list:+; }$name"
done
echo "test.sh: FAILED: $failed_list"
exit 1
