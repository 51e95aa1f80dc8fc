#!/usr/bin/env bash
# bench/queue.sh BUILD_DIR: the intake queue with 30,000 reports (issue 7: sqlmap
# stored 32,000 reports in six minutes and the queue page grew to 15 MB), on SQLite
# and on PostgreSQL: how long the first start after the upgrade takes to rank them,
# then the size and the speed of the queue page and of the API's list.
#
# For each engine, on a fresh database:
#
#   1. `keikai init`, then QUEUE_REPORTS (30,000) reports inserted in one SQL
#      statement the way a keikai from before the rank columns stored them (no
#      impact_rank, so -1): a quarter without a vector (unrated), a quarter each
#      9.8, 5.3 and 1.9 from the finder; 80% received, 15% accepted, 5% rejected.
#   2. `keikai user add` (an intake user): the first command to open the database,
#      so it ranks every report (kk_reports_rank_missing); its time is printed, and
#      that no report is left unranked.
#   3. `keikai serve` (on PostgreSQL after VACUUM ANALYZE, as autovacuum leaves
#      the table the rank pass rewrote; the plans of before are printed), and for
#      each address below one curl for the status and size of the answer, then
#      `wrk -t1 -c4 -d QUEUE_DURATION` with the user's bearer token: requests/s,
#      p50, p99 (every answer must be 200).
#
#        /intake                               the page, first 50
#        /intake?page=600                      the page, the last 50 (deepest OFFSET)
#        /api/v1/reports                       first 50
#        /api/v1/reports?limit=200             first 200
#        /api/v1/reports?limit=200&page=150    the last 200
#        /api/v1/reports?status=accepted&limit=200&page=23   the last of a filter
#      (the page numbers are those of 30,000 reports: the last page of each)
#
#   4. The plans of the queue's statements (the page query with and without a
#      status, with the deepest OFFSET): sqlite3's EXPLAIN QUERY PLAN (the page's
#      ids must come from a covering index, in its order), PostgreSQL's EXPLAIN
#      ANALYZE, before and after VACUUM ANALYZE (autovacuum's work: the rank
#      pass has just rewritten every row).
#
# PostgreSQL is a private cluster made for the run by tests/pg/cluster.sh and removed
# at the end. The binary is a copy of BUILD_DIR/keikai taken at the start. Figures
# are reported, never asserted; exit status 1 when an answer was not 200, a report
# was left unranked, or (SQLite) a page's ids do not come from a covering index.
# Environment: QUEUE_REPORTS (30000), QUEUE_DURATION (BENCH_DURATION when set, else
# 5s), BENCH_TMPDIR, BENCH_KEEP=1, BENCH_SERVE_ARGS as for the other scripts;
# QUEUE_ENGINES ("sqlite postgresql") to run one of them.

set -euo pipefail
QUEUE_DURATION=${QUEUE_DURATION:-${BENCH_DURATION:-5s}} # before lib.sh sets its default
. "$(dirname "$0")/lib.sh"

for tool in sqlite3 psql curl; do
	command -v "$tool" >/dev/null || bench_die "$tool is not installed (scripts/install-deps.sh --test)"
done
CLUSTER="$REPO_ROOT/tests/pg/cluster.sh"
QUEUE_REPORTS=${QUEUE_REPORTS:-30000}
QUEUE_ENGINES=${QUEUE_ENGINES:-sqlite postgresql}
# shellcheck disable=SC2034 # read by bench_wrk (lib.sh)
BENCH_THREADS=1 BENCH_CONNS=4 BENCH_DURATION=$QUEUE_DURATION
export KEIKAI_PWHASH=fast # the user's password is not what is measured
STATUS=0
PG_DIR=

cleanup() {
	bench_stop_keikai
	if [ -n "$PG_DIR" ]; then
		"$CLUSTER" stop "$PG_DIR" >/dev/null 2>&1 ||
			echo "${0##*/}: could not stop the PostgreSQL cluster in $PG_DIR" >&2
		PG_DIR=
	fi
	bench_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bench_tmpdir
bench_keikai_private "${1:-}"

V98='CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'
V53='CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N'
VLOW='CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N'
# The reports, as a keikai before migration 6 stored them: SQL both engines run.
INSERT_SQL="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $QUEUE_REPORTS)
INSERT INTO reports(tracking_id, secret_hash, kind, status, lang, received_at, accepted_at, decided_at,
	share_identity, direct_contact, credit, product_vendor, product_name, product_version,
	summary, environment, steps, result, cvss_vector, reported_elsewhere, vendor_told_directly,
	wants_final_result, encrypted_contact)
SELECT 'BENCH#' || i, 'bench-secret-' || i, 'product',
	CASE WHEN i % 20 = 0 THEN 'rejected' WHEN i % 20 <= 3 THEN 'accepted' ELSE 'received' END,
	'ja', 1700000000 + i * 12,
	CASE WHEN i % 20 BETWEEN 1 AND 3 THEN 1700000000 + i * 12 + 3600 END,
	CASE WHEN i % 20 <= 3 THEN 1700000000 + i * 12 + 3600 END,
	0, 0, 0, 'Example Corp', 'Example Router ' || (i % 97), '1.' || (i % 13),
	'SQL injection in the search form', 'Chromium', '1. open /search 2. type a quote', 'an SQL error',
	CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '$V98' WHEN 2 THEN '$V53' ELSE '$VLOW' END,
	0, 0, 0, 0
FROM n"
# The last pages: of 50 (the page's default), of 200 (all, and the accepted 15%).
LAST_PAGE=$(((QUEUE_REPORTS + 49) / 50))
LAST_200=$(((QUEUE_REPORTS + 199) / 200))
LAST_ACCEPTED=$(((QUEUE_REPORTS * 3 / 20 + 199) / 200))
# The queue's page statement (QUEUE_PAGE in lib/store/report_queue.c) at its
# deepest page, with and without a status (80% are received).
plan_sql() { # WHERE OFFSET
	printf '%s' "SELECT r.tracking_id, r.kind, r.status, r.product_vendor, r.product_name, r.product_version,
 r.website_url, r.received_at, r.accepted_at, r.cvss_vector, r.assessed_vector, r.scope_users, r.scope_critical,
 r.scope_attack, r.assessed_at, r.id FROM reports r JOIN (SELECT id FROM reports$1
 ORDER BY impact_rank DESC, score_tenths DESC, received_at, id LIMIT 50 OFFSET $2) page ON page.id = r.id
 ORDER BY r.impact_rank DESC, r.score_tenths DESC, r.received_at, r.id"
}
PLAN_ALL=$(plan_sql "" $(((LAST_PAGE - 1) * 50)))
PLAN_STATUS=$(plan_sql " WHERE status = 'received'" $((QUEUE_REPORTS * 8 / 10 - 50)))

now_ms() { date +%s%3N; }
pg() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# count DB SQL: one value, on the engine of DB.
count() {
	case $1 in
	postgresql://*) pg "$1" "$2" ;;
	*) sqlite3 "$1" "$2" ;;
	esac
}

# fetch_line NAME PATH: the size of one answer, then wrk's figures (bench_load,
# as the user of TOKEN, in this script's columns).
# shellcheck disable=SC2034 # read by bench_load (lib.sh)
BENCH_LOAD_FORMAT='%-44s %6s %9s %9s/s  p50 %-9s p99 %-9s non-2xx %s\n'
fetch_line() {
	bench_load "$1" "$TOKEN" "$2"
}

# run_engine TITLE DB [BEFORE_SERVE]: steps 1 to 3 on DB (a file or a URI), with
# the command BEFORE_SERVE run between the rank pass and the server.
run_engine() {
	local title=$1 db=$2 before=${3:-} t0 t1 left
	echo "== $title: $QUEUE_REPORTS reports =="
	"$KEIKAI" init --db "$db" >"$BENCH_TMP/init.out" 2>&1 ||
		{ cat "$BENCH_TMP/init.out" >&2; bench_die "keikai init --db failed"; }
	t0=$(now_ms)
	count "$db" "$INSERT_SQL" >/dev/null
	t1=$(now_ms)
	printf '%-26s %s\n' "inserted" "$(count "$db" 'SELECT count(*) FROM reports') reports in $((t1 - t0)) ms (SQL, as before migration 6: unranked, $(count "$db" 'SELECT count(*) FROM reports WHERE impact_rank = -1') at -1)"
	t0=$(now_ms)
	printf '%s\n' bench-queue-password | "$KEIKAI" user add --db "$db" --org IPA --role intake \
		--email intake@bench.example --name Intake --password-stdin >"$BENCH_TMP/user.out" 2>&1 ||
		{ cat "$BENCH_TMP/user.out" >&2; bench_die "keikai user add failed"; }
	t1=$(now_ms)
	left=$(count "$db" 'SELECT count(*) FROM reports WHERE impact_rank = -1')
	printf '%-26s %s\n' "first open (rank pass)" "$((t1 - t0)) ms for \`keikai user add\`, which ranked them; unranked left: $left"
	[ "$left" = 0 ] || STATUS=1
	printf '%-26s %s\n' "ranks" "$(count "$db" "SELECT impact_rank || ':' || count(*) FROM reports GROUP BY impact_rank ORDER BY impact_rank DESC" | tr '\n' ' ')(3 high, 2 unrated, 1 medium, 0 low)"
	TOKEN=$("$KEIKAI" token create --db "$db" --email intake@bench.example 2>"$BENCH_TMP/token.err") ||
		{ cat "$BENCH_TMP/token.err" >&2; bench_die "keikai token create failed"; }
	[ -z "$before" ] || "$before" "$db"
	bench_start_keikai "$db"
	printf '%-44s %6s %9s %11s\n' "address" "status" "size" "wrk -t1 -c4 -d$QUEUE_DURATION"
	fetch_line "/intake (page 1 of $LAST_PAGE)" "/intake"
	fetch_line "/intake?page=$LAST_PAGE (the last)" "/intake?page=$LAST_PAGE"
	fetch_line "/api/v1/reports (50)" "/api/v1/reports"
	fetch_line "/api/v1/reports?limit=200" "/api/v1/reports?limit=200"
	fetch_line "/api/v1/reports?limit=200&page=$LAST_200" "/api/v1/reports?limit=200&page=$LAST_200"
	fetch_line "...?status=accepted&limit=200&page=$LAST_ACCEPTED" \
		"/api/v1/reports?status=accepted&limit=200&page=$LAST_ACCEPTED"
	bench_stop_keikai
	printf '%-26s %s\n' "server" "$KEIKAI_STOP"
}

# pg_settle URI: the plans just after the rank pass, which rewrote every row, then
# VACUUM ANALYZE, what autovacuum does soon after: the server is measured then.
pg_settle() {
	echo "-- plans (EXPLAIN ANALYZE) just after the rank pass, before any vacuum"
	for q in "$PLAN_ALL" "$PLAN_STATUS"; do
		pg "$1" "EXPLAIN (ANALYZE, COSTS OFF) $q" | sed 's/^/   /'
	done
	pg "$1" "VACUUM ANALYZE reports" >/dev/null
	echo "-- VACUUM ANALYZE reports; then the server"
}

echo "== queue: the intake queue with $QUEUE_REPORTS reports, paged in SQL =="
printf '%-26s %s\n' "keikai" "$KEIKAI_BUILT"
printf '%-26s %s\n' "temp dir" "$(bench_fs_note "$BENCH_TMP")"
printf '%-26s %s\n' "load" "$(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at the start)"
echo

for engine in $QUEUE_ENGINES; do
	case $engine in
	sqlite)
		DB="$BENCH_TMP/queue.db"
		run_engine "SQLite" "$DB"
		echo "-- plans (sqlite3 EXPLAIN QUERY PLAN)"
		for q in "$PLAN_ALL" "$PLAN_STATUS"; do
			plan=$(sqlite3 "$DB" "EXPLAIN QUERY PLAN $q" | sed 's/^[0-9|]*//')
			printf '%s\n' "$plan" | sed 's/^/   /'
			# the page's ids come from the index alone, in its order (the 50 rows
			# found by them are then sorted again, which is the TEMP B-TREE)
			case $plan in
			*"COVERING INDEX reports_queue"* | *"COVERING INDEX reports_status_queue"*) ;;
			*) echo "   ^ FAILED: the page is not read from the queue's indexes alone"; STATUS=1 ;;
			esac
		done
		echo
		;;
	postgresql)
		[ -x "$CLUSTER" ] || bench_die "$CLUSTER is missing"
		PG_DIR=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/kkq-pg.XXXXXX")
		PG_URI=$("$CLUSTER" start "$PG_DIR" 2>"$BENCH_TMP/cluster.err") ||
			{ cat "$BENCH_TMP/cluster.err" >&2; bench_die "tests/pg/cluster.sh could not start a cluster in $PG_DIR"; }
		pg "$PG_URI" "CREATE DATABASE kk_queue" >/dev/null
		DB=$(printf '%s\n' "$PG_URI" | sed "s|^\\(postgresql://[^/?]*/\\)postgres?|\\1kk_queue?|")
		run_engine "PostgreSQL $(pg "$PG_URI" 'SHOW server_version' | cut -d' ' -f1)" "$DB" pg_settle
		echo "-- plans (EXPLAIN ANALYZE) after VACUUM ANALYZE, as autovacuum leaves the table"
		for q in "$PLAN_ALL" "$PLAN_STATUS"; do
			pg "$DB" "EXPLAIN (ANALYZE, COSTS OFF) $q" | sed 's/^/   /'
		done
		echo
		"$CLUSTER" stop "$PG_DIR" >/dev/null 2>&1 || echo "${0##*/}: could not stop the cluster in $PG_DIR" >&2
		PG_DIR=
		;;
	*) bench_die "unknown engine $engine in QUEUE_ENGINES" ;;
	esac
done
exit $STATUS
