# shellcheck shell=bash
# Sourced by test.sh, run.sh and lib/desktop.sh: a headless X display for Fyne when none is set.
#
#   xvfb_start   if DISPLAY is unset, start Xvfb on :99 (or the next free
#                number), wait until it answers, export DISPLAY
#   xvfb_stop    stop the Xvfb that xvfb_start started (nothing otherwise)
#
# Screenshot of the whole virtual screen: import -window root shot.png

XVFB_PID=""
XVFB_LOG=""

xvfb_start() {
	if [ -n "${DISPLAY:-}" ]; then
		echo "[xvfb] using existing DISPLAY=$DISPLAY"
		return 0
	fi
	if ! command -v Xvfb >/dev/null 2>&1; then
		echo "[xvfb] Xvfb not installed (run scripts/setup.sh)" >&2
		return 1
	fi
	local n=99
	while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do
		n=$((n + 1))
	done
	XVFB_LOG=$(mktemp /tmp/rasoat-xvfb.XXXXXX.log)
	Xvfb ":$n" -screen 0 "${XVFB_SCREEN:-1280x1024x24}" -nolisten tcp -noreset >"$XVFB_LOG" 2>&1 &
	XVFB_PID=$!
	export DISPLAY=":$n"
	local _
	for _ in $(seq 1 100); do
		if ! kill -0 "$XVFB_PID" 2>/dev/null; then
			echo "[xvfb] Xvfb :$n exited at start:" >&2
			cat "$XVFB_LOG" >&2
			XVFB_PID=""
			unset DISPLAY
			return 1
		fi
		if xdpyinfo >/dev/null 2>&1; then
			echo "[xvfb] started Xvfb on DISPLAY=$DISPLAY (pid $XVFB_PID)"
			return 0
		fi
		sleep 0.1
	done
	echo "[xvfb] Xvfb :$n did not answer within 10s" >&2
	xvfb_stop
	unset DISPLAY
	return 1
}

xvfb_stop() {
	if [ -n "${XVFB_PID:-}" ]; then
		kill "$XVFB_PID" 2>/dev/null || true
		wait "$XVFB_PID" 2>/dev/null || true
		XVFB_PID=""
	fi
	if [ -n "${XVFB_LOG:-}" ]; then
		rm -f "$XVFB_LOG"
		XVFB_LOG=""
	fi
}
