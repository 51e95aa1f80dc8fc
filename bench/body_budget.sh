#!/usr/bin/env bash
# bench/body_budget.sh BUILD_DIR: how much memory the server takes when many
# unauthenticated clients each send a large body and stop just short of its end
# (issue 7: four hundred connections of 11 MiB took it to 4.6 GB). Measured, not
# asserted.
#
# A fresh database and `keikai serve` with its default budget of request bodies
# (256M; BODY_BUDGET sets --body-budget). bench/body_budget.py opens BODY_CONNS
# (400) connections, each POST /api/v1/reports announcing BODY_SIZE bytes (11 MiB),
# sends each accepted one all of its body but the last KiB, and reads the server's
# VmRSS before, while holding them, and after letting them go, and its peak
# (VmHWM). Printed: how many were held and how many refused (503), and the memory;
# the goal is a peak near the budget plus the server's own, not near N x SIZE.
# Exit status 1 when an answer was neither held nor 503. About 10 s.
# Environment: BODY_CONNS, BODY_SIZE, BODY_BUDGET, BENCH_TMPDIR, BENCH_KEEP=1.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || bench_die "python3 is not installed"
BODY_CONNS=${BODY_CONNS:-400}
BODY_SIZE=${BODY_SIZE:-$((11 * 1024 * 1024))}
BODY_BUDGET=${BODY_BUDGET:-256M}

trap bench_cleanup EXIT
bench_tmpdir
bench_keikai_private "${1:-}"
DB="$BENCH_TMP/keikai.db"
"$KEIKAI" init --db "$DB" >"$BENCH_TMP/init.out" 2>&1 || { cat "$BENCH_TMP/init.out" >&2; bench_die "keikai init failed"; }
BENCH_SERVE_ARGS="--body-budget $BODY_BUDGET ${BENCH_SERVE_ARGS:-}" bench_start_keikai "$DB"
SERVER_PID=$(pgrep -P "$KEIKAI_PID" | head -n 1)
[ -n "$SERVER_PID" ] || bench_die "cannot find the server's process"

timeout 120 python3 "$BENCH_DIR/body_budget.py" "$KEIKAI_URL" "$SERVER_PID" "$BODY_CONNS" "$BODY_SIZE" \
	>"$BENCH_TMP/budget.out" 2>&1 || { cat "$BENCH_TMP/budget.out" >&2; bench_die "body_budget.py failed"; }
bench_stop_keikai

val() { sed -n "s/^body_budget: .*\\b$1=\\([0-9]*\\).*/\\1/p" "$BENCH_TMP/budget.out" | head -n 1; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
echo "== body_budget: $BODY_CONNS connections x $BODY_SIZE bytes held short of the end, --body-budget $BODY_BUDGET =="
printf '%-18s %s\n' "held" "$(val held) (their bodies in memory)"
printf '%-18s %s\n' "refused 503" "$(val refused)"
printf '%-18s %s\n' "other answers" "$(val other)"
printf '%-18s %s\n' "RSS before" "$(mib "$(val rss_before_kib)")"
printf '%-18s %s\n' "RSS while held" "$(mib "$(val rss_held_kib)")"
printf '%-18s %s\n' "RSS after" "$(mib "$(val rss_after_kib)")"
printf '%-18s %s\n' "peak (VmHWM)" "$(mib "$(val hwm_kib)")"
printf '%-18s %s\n' "unbounded" "$(mib $((BODY_CONNS * BODY_SIZE / 1024))) (what the bodies alone would take)"
[ "$(val other)" = 0 ] || { echo "answers other than 503 while the bodies were held" >&2; exit 1; }
