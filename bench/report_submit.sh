#!/usr/bin/env bash
# bench/report_submit.sh BUILD_DIR: how many reports per second keikai takes in
# through POST /api/v1/reports, and whether every 201 it gave is on disk.
#
# A fresh database, `BUILD_DIR/keikai serve` on a free port of 127.0.0.1, then
# `wrk -t2 -c8 -d10s --latency -s bench/post_report.lua URL/api/v1/reports`: eight
# clients post a valid product report (bench/post_report.lua) as fast as they are
# answered. After wrk the server is stopped and the rows of table `reports` are
# counted with sqlite3: docs/api/reports.md answers 201 only once the report is
# committed, so rows >= 201 answers, and rows <= requests begun (a request in flight
# when wrk stopped may have been committed without wrk reading its 201).
#
# Goal: >= 1,000 reports/s on 2 cores. Exit status 1 when an answer was not 201 or an
# acknowledged report is missing; the goal itself is only reported, never asserted.
# Environment: BENCH_DURATION (10s), BENCH_TMPDIR (where the database goes; a real
# disk, not tmpfs), BENCH_KEEP=1 keeps the temp directory.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

bench_keikai_bin "${1:-}"
command -v sqlite3 >/dev/null || bench_die "sqlite3 is not installed (apt-get install sqlite3)"
GOAL=1000

trap bench_cleanup EXIT
bench_tmpdir
DB="$BENCH_TMP/keikai.db"
"$KEIKAI" init --db "$DB" >"$BENCH_TMP/init.out" 2>&1 || { cat "$BENCH_TMP/init.out" >&2; bench_die "keikai init failed"; }

# The table the core keeps reports in: `reports`, else the first that looks like it.
TABLE=$(sqlite3 "$DB" "select name from sqlite_master where type = 'table' and name = 'reports'")
if [ -z "$TABLE" ]; then
	echo "note: no table 'reports'; tables: $(sqlite3 "$DB" .tables | tr -s ' \n' ' ')"
	TABLE=$(sqlite3 "$DB" "select name from sqlite_master where type = 'table' and name like '%report%' order by length(name) limit 1")
	[ -n "$TABLE" ] || bench_die "no reports table in $DB"
fi
ROWS_BEFORE=$(sqlite3 "$DB" "select count(*) from \"$TABLE\"")

bench_start_keikai "$DB"

# One report by hand first: a clear message if the server refuses the body.
PRE=$(curl -sS -m 10 -o "$BENCH_TMP/pre.body" -w '%{http_code}' -X POST \
	-H 'Content-Type: application/json' -H 'Accept-Language: en' \
	--data-binary @<(sed -n '/^local body = \[\[$/,/^\]\]$/p' "$BENCH_DIR/post_report.lua" | sed '1d;$d') \
	"$KEIKAI_URL/api/v1/reports") || PRE=000
if [ "$PRE" != 201 ]; then
	echo "preflight POST /api/v1/reports answered $PRE: $(head -c 500 "$BENCH_TMP/pre.body")" >&2
	bench_die "the server does not accept the benchmark's report"
fi

bench_wrk "$BENCH_TMP/wrk.out" -s "$BENCH_DIR/post_report.lua" "$KEIKAI_URL/api/v1/reports"
bench_stop_keikai

val() { sed -n "s/^post_report: .*\\b$1=\\([0-9]*\\).*/\\1/p" "$BENCH_TMP/wrk.out" | head -n 1; }
SENT=$(val sent)
CREATED=$(val created)
NON201=$(val non201)
DUR_US=$(val duration_us)
P50=$(val p50_us)
P99=$(val p99_us)
MAX=$(val max_us)
[ -n "$CREATED" ] || { cat "$BENCH_TMP/wrk.out" >&2; bench_die "wrk printed no counts"; }

ROWS=$(sqlite3 "$DB" "select count(*) from \"$TABLE\"")
STORED=$((ROWS - ROWS_BEFORE - 1)) # the preflight report is not wrk's
JOURNAL=$(sqlite3 "$DB" 'pragma journal_mode')

# synchronous is per connection, so it cannot be read from outside the server:
# quote what the SQLite driver sets (its PRAGMA line, else its comment).
STORE_SRC=lib/store/driver_sqlite.c
[ -f "$REPO_ROOT/$STORE_SRC" ] || STORE_SRC=lib/store.c
store_line() {
	grep -n -i -E "$1" "$REPO_ROOT/$STORE_SRC" 2>/dev/null | head -n 1 |
		sed "s|^\\([0-9]*\\):[[:space:]]*|$STORE_SRC:\\1: |"
}
SYNC_SRC=$(store_line 'pragma +synchronous *= *[a-z0-9]+' || true)
[ -n "$SYNC_SRC" ] || SYNC_SRC=$(store_line 'synchronous *= *[a-z0-9]+' || true)
SYNC=$(printf '%s\n' "$SYNC_SRC" | grep -o -i -E 'synchronous *= *[a-z0-9]+' | head -n 1 |
	sed 's/.*= *//' | tr "[:lower:]" "[:upper:]" || true)
case "$SYNC" in
2) SYNC=FULL ;; 3) SYNC=EXTRA ;; 1) SYNC=NORMAL ;; 0) SYNC=OFF ;;
esac

ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
RATE=$(awk -v n="$CREATED" -v us="$DUR_US" 'BEGIN { printf "%.0f", n / (us / 1e6) }')
STATUS=0

echo "== report_submit: POST /api/v1/reports, wrk -t$BENCH_THREADS -c$BENCH_CONNS -d$BENCH_DURATION =="
printf '%-18s %s\n' "reports/s" "$RATE  (goal >= $GOAL: $([ "$RATE" -ge "$GOAL" ] && echo met || echo MISSED))"
printf '%-18s %s\n' "latency p50" "$(ms "$P50")"
printf '%-18s %s\n' "latency p99" "$(ms "$P99")"
printf '%-18s %s\n' "latency max" "$(ms "$MAX")"
printf '%-18s %s\n' "201 answers" "$CREATED"
printf '%-18s %s\n' "non-201 answers" "$NON201"
sed -n 's/^post_report: \(status .*\)/                   \1/p; s/^post_report: \(first non-201 body: .*\)/                   \1/p' "$BENCH_TMP/wrk.out"
printf '%-18s %s\n' "socket errors" "$(sed -n 's/^post_report: errors //p' "$BENCH_TMP/wrk.out")"
printf '%-18s %s\n' "requests begun" "$SENT"
printf '%-18s %s\n' "rows in $TABLE" "$STORED  (after the server stopped: $KEIKAI_STOP; not counting $ROWS_BEFORE before and 1 preflight)"
if [ "$STORED" -eq "$CREATED" ]; then
	printf '%-18s %s\n' "durability" "ok: rows = 201 answers ($STORED)"
elif [ "$STORED" -gt "$CREATED" ] && [ "$STORED" -le "$SENT" ]; then
	printf '%-18s %s\n' "durability" "ok: every 201 is on disk; $((STORED - CREATED)) more rows from requests in flight when wrk stopped (at most $((SENT - CREATED - NON201)) were)"
else
	printf '%-18s %s\n' "durability" "FAILED: $STORED rows for $CREATED 201 answers and $SENT requests begun"
	STATUS=1
fi
printf '%-18s %s\n' "journal_mode" "$JOURNAL  (sqlite3 PRAGMA journal_mode on the file)"
if [ -n "$SYNC" ]; then
	printf '%-18s %s\n' "synchronous" "$SYNC  (per connection; set in ${SYNC_SRC%%: *})"
else
	printf '%-18s %s\n' "synchronous" "not found in $STORE_SRC (SQLite's default in WAL mode is FULL unless compiled otherwise)"
fi
printf '%-18s %s\n' "database on" "$(bench_fs_note "$BENCH_TMP")"
[ "$NON201" -eq 0 ] || STATUS=1
exit $STATUS
