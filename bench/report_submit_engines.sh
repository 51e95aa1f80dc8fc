#!/usr/bin/env bash
# bench/report_submit_engines.sh BUILD_DIR: durable report submissions per second on
# SQLite and on PostgreSQL in the same run, and two servers sharing one PostgreSQL
# database.
#
# Three parts, each on a fresh database, with the load of report_submit.sh
# (bench/post_report.lua: clients posting a valid product report to
# /api/v1/reports, each sending the next as soon as its answer arrives):
#
#   sqlite      one `keikai serve --db FILE`                     wrk -t2 -c8
#   postgresql  one `keikai serve --db URI`                      wrk -t2 -c8
#   pg x2       two `keikai serve --db URI`, one database,       wrk -t1 -c4 each,
#               each server on its own port                      both at once
#
# PostgreSQL is a private cluster made for the run by tests/pg/cluster.sh
# (PostgreSQL 15, fsync and synchronous_commit on, data in a temp directory;
# keikai also sets synchronous_commit on for each of its connections). The only
# change made to it is track_wal_io_timing = on, for the fsync times printed.
#
# After each part the servers are stopped and the database is counted with sqlite3
# or psql, as report_submit.sh does: rows of `reports` >= 201 answers (a 201 comes
# only after its commit) and <= requests begun (one in flight when wrk stopped may
# have been committed unanswered); acknowledgements in `outbox` = reports (they
# commit together); tracking ids all distinct (count(*) = count(DISTINCT
# tracking_id)). For PostgreSQL it also prints the transactions committed and the
# WAL flushes over the part (pg_stat_database, pg_stat_wal), so reports per commit
# (the group commit's batch) and fsync time; for every part, while wrk ran, the CPU
# time of keikai, of PostgreSQL, of wrk and of the rest (a large rest means other
# work shared the machine), and of each server's HTTP worker threads (how many of
# them wrk's connections landed on).
#
# The binary benchmarked is a copy of BUILD_DIR/keikai taken at the start (after
# `ninja -C BUILD_DIR` if ninja says it is stale), so a rebuild of BUILD_DIR during
# the run changes nothing. Every process is bounded (timeout) and the servers and
# the cluster are stopped on exit, whatever the exit.
#
# Goals (2 cores): >= 2,000 reports/s on SQLite, >= 1,000 on PostgreSQL; reported,
# never asserted. Exit status 1 when an answer was not 201, an acknowledged report is
# missing, or a tracking id repeats.
# Environment: BENCH_DURATION (10s, each part), BENCH_TMPDIR (where the databases and
# the cluster go; a real disk, not tmpfs), BENCH_KEEP=1 keeps the temp directory
# (with the cluster's log; the cluster itself is always removed), BENCH_SERVE_ARGS
# (added to every `keikai serve`, e.g. "--threads 8", to investigate).

set -euo pipefail
. "$(dirname "$0")/lib.sh"

for tool in sqlite3 psql curl; do
	command -v "$tool" >/dev/null || bench_die "$tool is not installed (scripts/install-deps.sh --test)"
done
CLUSTER="$REPO_ROOT/tests/pg/cluster.sh"
[ -x "$CLUSTER" ] || bench_die "$CLUSTER is missing"
GOAL_SQLITE=2000
GOAL_PG=1000

SERVERS=()  # KEIKAI_PID of each server running
WRKS=()     # pid of each wrk (its timeout(1)) running
PG_DIR=     # the cluster's directory while it exists
PG_PID=     # its postmaster
STATUS=0

cleanup() {
	local p
	for p in "${WRKS[@]}"; do kill -INT "$p" 2>/dev/null || true; done
	for p in "${SERVERS[@]}"; do bench_stop_pid "$p"; done
	SERVERS=()
	if [ -n "$PG_DIR" ]; then
		if [ -n "${BENCH_KEEP:-}" ] && [ -n "${BENCH_TMP:-}" ]; then
			cp "$PG_DIR/server.log" "$BENCH_TMP/postgresql.log" 2>/dev/null || true
		fi
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

# ---- helpers ----

# start_server NAME DB: a server, remembered for stop_servers and cleanup; sets URL.
start_server() {
	bench_start_keikai "$2" "$1"
	SERVERS+=("$KEIKAI_PID")
	URL=$KEIKAI_URL
	KEIKAI_PID= # stopped by stop_servers, not by bench_cleanup
}

# stop_servers: stops them all; STOPPED says how each ended.
stop_servers() {
	local p
	STOPPED=
	for p in "${SERVERS[@]}"; do
		bench_stop_pid "$p"
		STOPPED="${STOPPED:+$STOPPED; }$KEIKAI_STOP"
	done
	[ ${#SERVERS[@]} -lt 2 ] || [ "$STOPPED" != "$KEIKAI_STOP; $KEIKAI_STOP" ] || STOPPED="each $KEIKAI_STOP"
	SERVERS=()
}

# preflight URL: one report by hand, for a clear message if the server refuses it.
preflight() {
	local code
	code=$(curl -sS -m 10 -o "$BENCH_TMP/pre.body" -w '%{http_code}' -X POST \
		-H 'Content-Type: application/json' -H 'Accept-Language: en' \
		--data-binary @<(sed -n '/^local body = \[\[$/,/^\]\]$/p' "$BENCH_DIR/post_report.lua" | sed '1d;$d') \
		"$1/api/v1/reports") || code=000
	if [ "$code" != 201 ]; then
		echo "preflight POST $1/api/v1/reports answered $code: $(head -c 500 "$BENCH_TMP/pre.body")" >&2
		bench_die "the server does not accept the benchmark's report"
	fi
}

# wrk_start OUT THREADS CONNS URL: wrk with post_report.lua in the background.
wrk_start() {
	timeout --signal=INT --kill-after=10 120 \
		wrk -t"$2" -c"$3" -d"$BENCH_DURATION" --latency -s "$BENCH_DIR/post_report.lua" \
		"$4/api/v1/reports" >"$1" 2>&1 &
	WRKS+=("$!")
}

# wrk_wait OUT...: waits for every wrk started; dies when one failed.
wrk_wait() {
	local p rc=0 f
	for p in "${WRKS[@]}"; do wait "$p" || rc=1; done
	WRKS=()
	for f; do grep -q '^post_report: duration_us=' "$f" || rc=1; done
	if [ $rc -ne 0 ]; then
		for f; do echo "--- $f" >&2; cat "$f" >&2; done
		bench_die "wrk failed"
	fi
}

# val FILE KEY: a number post_report.lua printed.
val() { sed -n "s/^post_report: .*\\b$2=\\([0-9]*\\).*/\\1/p" "$1" | head -n 1; }

ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
rate() { awk -v n="$1" -v us="$2" 'BEGIN { printf "%.0f", n / (us / 1e6) }'; }
met() { [ "$1" -ge "$2" ] && echo met || echo MISSED; }

# cpu_snap OUT: CPU clock ticks of each process of the servers (and of each of
# their HTTP worker threads) and of the cluster, and of the machine (busy, total),
# for cpu_line.
cpu_snap() {
	local s p t
	{
		for s in "${SERVERS[@]}"; do
			for p in $(pgrep -P "$s" || true); do
				echo "keikai $p $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)"
				for t in "/proc/$p/task/"*; do
					[ "$(cat "$t/comm" 2>/dev/null)" = MHD-worker ] || continue
					echo "worker $p/${t##*/} $(awk '{ print $14 + $15 }' "$t/stat" 2>/dev/null || echo 0)"
				done
			done
		done
		if [ -n "$PG_PID" ]; then
			for p in "$PG_PID" $(pgrep -P "$PG_PID" || true); do
				echo "postgres $p $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)"
			done
		fi
		bench_cpu_machine
	} >"$1"
}

# cpu_line BEFORE AFTER: between the two snapshots, the machine's cores busy; CPU
# seconds of keikai, PostgreSQL, wrk and the rest: the kernel's own work (ext4's
# journal, interrupts taken while idle: a few seconds in 10 s even on a quiet
# machine) and any other process, so a large rest means something else was
# running; and the CPU time of each server's HTTP worker threads: a thread that
# got none of wrk's connections stays near 0.
cpu_line() {
	awk -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" '
		NR == FNR { if ($1 == "machine") { b0 = $2; t0 = $3 } else if ($1 == "ended") e0 = $2; else was[$2] = $3; next }
		$1 == "machine" { busy = ($2 - b0) / hz; wall = ($3 - t0) / hz / cores; next }
		$1 == "ended" { wrk = $2 - e0; next }
		$1 == "worker" {
			split($2, id, "/")
			d = ($3 - ($2 in was ? was[$2] : 0)) / hz
			if (!(id[1] in nw)) order[++servers] = id[1]
			nw[id[1]]++; busy_w[id[1]] += d >= 0.05
			list[id[1]] = list[id[1]] (nw[id[1]] > 1 ? " " : "") sprintf("%.1f", d)
			next
		}
		{ used[$1] += ($3 - ($2 in was ? was[$2] : 0)) / hz }
		END {
			pg = "postgres" in used
			printf "%.2f of %d cores busy over %.1f s: keikai %.1f s, ", busy / wall, cores, wall, used["keikai"]
			if (pg) printf "PostgreSQL %.1f s, ", used["postgres"]
			printf "wrk %.1f s, the rest (kernel, other processes) %.1f s", wrk, busy - used["keikai"] - used["postgres"] - wrk
			for (i = 1; i <= servers; i++)
				printf "%s%d of %d served (%s s)", i == 1 ? "; HTTP worker threads: " : ", ",
					busy_w[order[i]], nw[order[i]], list[order[i]]
			printf "\n"
		}' "$1" "$2"
}

# sq DB SQL / pg URI SQL: one value.
sq() { sqlite3 "$1" "$2"; }
pg() { psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

# pg_snap OUT DBNAME: commits in the database and the cluster's WAL counters.
pg_snap() {
	pg "$PG_URI" "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = '$2'),
		wal_sync, wal_sync_time, wal_write, wal_bytes FROM pg_stat_wal" | tr '|' ' ' >"$1"
}

# pg_line BEFORE AFTER REPORTS WALL_US: commits, reports per commit, fsyncs.
pg_line() {
	awk -v n="$3" -v wall_us="$4" '
		NR == FNR { c0 = $1; s0 = $2; st0 = $3; b0 = $5; next }
		{ c = $1 - c0; s = $2 - s0; st = $3 - st0; b = $5 - b0 }
		END {
			printf "%d commits (%.2f reports per commit), %d WAL fsyncs (%.2f reports each; mean %.2f ms, %.1f s in all over the %.1f s run), %.1f MB of WAL\n",
				c, c ? n / c : 0, s, s ? n / s : 0, s ? st / s : 0, st / 1000, wall_us / 1e6, b / 1e6
		}' "$1" "$2"
}

# judge STORED CREATED SENT: prints the durability verdict; 1 when a 201 is missing.
judge() {
	local stored=$1 created=$2 sent=$3
	if [ "$stored" -eq "$created" ]; then
		echo "ok: rows = 201 answers ($stored)"
	elif [ "$stored" -gt "$created" ] && [ "$stored" -le "$sent" ]; then
		echo "ok: every 201 is on disk; $((stored - created)) more rows from requests in flight when wrk stopped (at most $((sent - created)) were)"
	else
		echo "FAILED: $stored rows for $created 201 answers and $sent requests begun"
		return 1
	fi
}

# report_part TITLE GOAL ROWS OUTBOX DISTINCT PREFLIGHTS WRK_OUT...: prints the
# figures of one part (one line per server when there are several, and their sum),
# checks them, and appends a row to SUMMARY.
SUMMARY=()
report_part() {
	local title=$1 goal=$2 rows=$3 outbox=$4 distinct=$5 pre=$6
	shift 6
	local f sent=0 created=0 non201=0 dur=0 n=0 r line verdict p50s='' p99s='' one=$#
	echo "== $title =="
	for f; do
		n=$((n + 1))
		local s c x d
		s=$(val "$f" sent) c=$(val "$f" created) x=$(val "$f" non201) d=$(val "$f" duration_us)
		[ -n "$c" ] || { cat "$f" >&2; bench_die "wrk printed no counts in $f"; }
		sent=$((sent + s)) created=$((created + c)) non201=$((non201 + x))
		[ "$d" -gt "$dur" ] && dur=$d
		r=$(rate "$c" "$d")
		line="$r reports/s; p50 $(ms "$(val "$f" p50_us)"), p99 $(ms "$(val "$f" p99_us)"), max $(ms "$(val "$f" max_us)")"
		p50s="${p50s:+$p50s / }$(ms "$(val "$f" p50_us)")"
		p99s="${p99s:+$p99s / }$(ms "$(val "$f" p99_us)")"
		if [ "$one" -gt 1 ]; then
			printf '%-18s %s\n' "server $n" "$line  ($c 201s, wrk -t1 -c4)"
			SUMMARY+=("$(printf '%-26s %7s  %-17s %-17s %s' "  server $n (4 clients)" "$r" \
				"$(ms "$(val "$f" p50_us)")" "$(ms "$(val "$f" p99_us)")" "(counted together below)")")
		fi
		sed -n 's/^post_report: \(status .*\)/                   \1/p; s/^post_report: \(first non-201 body: .*\)/                   \1/p' "$f"
		[ "$(sed -n 's/^post_report: errors //p' "$f")" = "connect=0 read=0 write=0 status=0 timeout=0" ] ||
			printf '%-18s %s\n' "socket errors" "$(sed -n 's/^post_report: errors //p' "$f")"
	done
	r=$(rate "$created" "$dur")
	if [ "$one" -gt 1 ]; then
		printf '%-18s %s\n' "combined" "$r reports/s  (goal >= $goal: $(met "$r" "$goal"))"
	else
		printf '%-18s %s\n' "reports/s" "$r  (goal >= $goal: $(met "$r" "$goal"))"
		printf '%-18s %s\n' "latency" "$line"
	fi
	printf '%-18s %s\n' "201 answers" "$created  (non-201: $non201; requests begun: $sent)"
	local stored=$((rows - pre))
	printf '%-18s %s\n' "rows in reports" "$stored  (after the servers stopped: $STOPPED; not counting $pre preflight)"
	if verdict=$(judge "$stored" "$created" "$sent"); then :; else STATUS=1; fi
	printf '%-18s %s\n' "durability" "$verdict"
	if [ "$outbox" -eq "$rows" ]; then
		printf '%-18s %s\n' "outbox" "ok: $outbox acknowledgements queued, one per report"
	else
		printf '%-18s %s\n' "outbox" "FAILED: $outbox acknowledgements for $rows reports"
		STATUS=1
	fi
	if [ "$distinct" -eq "$rows" ]; then
		printf '%-18s %s\n' "tracking ids" "ok: $distinct distinct of $rows"
	else
		printf '%-18s %s\n' "tracking ids" "FAILED: $distinct distinct of $rows"
		STATUS=1
	fi
	[ "$non201" -eq 0 ] || STATUS=1
	local ondisk="all $created"
	[ "$stored" -le "$created" ] || ondisk="$ondisk (+$((stored - created)) in flight)"
	case $verdict in FAILED*) ondisk="NO: $stored rows for $created" ;; esac
	[ "$one" -eq 1 ] || title="  both (8 clients)"
	SUMMARY+=("$(printf '%-26s %7s  %-17s %-17s %s' "$title" "$r" "$p50s" "$p99s" "$ondisk")")
}

# source_line FILE REGEX: "FILE:LINE: text" of the first line matching.
source_line() {
	grep -n -i -E "$2" "$REPO_ROOT/$1" 2>/dev/null | head -n 1 | sed "s|^\\([0-9]*\\):[[:space:]]*|$1:\\1: |"
}

echo "== report_submit_engines: POST /api/v1/reports, $BENCH_DURATION per part, SQLite and PostgreSQL =="
printf '%-18s %s\n' "keikai" "$KEIKAI_BUILT"
[ -z "${BENCH_SERVE_ARGS:-}" ] || printf '%-18s %s\n' "serve args" "$BENCH_SERVE_ARGS"
printf '%-18s %s\n' "temp dir" "$(bench_fs_note "$BENCH_TMP")"
printf '%-18s %s\n' "load" "$(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at the start)"
echo

# ---- 1. SQLite ----

SQ_DB="$BENCH_TMP/keikai.db"
"$KEIKAI" init --db "$SQ_DB" >"$BENCH_TMP/init-sqlite.out" 2>&1 ||
	{ cat "$BENCH_TMP/init-sqlite.out" >&2; bench_die "keikai init --db $SQ_DB failed"; }
start_server serve-sqlite "$SQ_DB"
preflight "$URL"
cpu_snap "$BENCH_TMP/cpu0"
wrk_start "$BENCH_TMP/wrk-sqlite.out" 2 8 "$URL"
wrk_wait "$BENCH_TMP/wrk-sqlite.out"
cpu_snap "$BENCH_TMP/cpu1"
stop_servers
report_part "SQLite, 1 server" "$GOAL_SQLITE" \
	"$(sq "$SQ_DB" 'SELECT count(*) FROM reports')" "$(sq "$SQ_DB" 'SELECT count(*) FROM outbox')" \
	"$(sq "$SQ_DB" 'SELECT count(DISTINCT tracking_id) FROM reports')" 1 "$BENCH_TMP/wrk-sqlite.out"
printf '%-18s %s\n' "cpu" "$(cpu_line "$BENCH_TMP/cpu0" "$BENCH_TMP/cpu1")"
SYNC_SRC=$(source_line lib/store/driver_sqlite.c 'pragma +synchronous *= *[a-z0-9]+' || true)
printf '%-18s %s\n' "durability setup" "journal_mode $(sq "$SQ_DB" 'PRAGMA journal_mode') (read from the file); synchronous per connection: ${SYNC_SRC:-not found in lib/store/driver_sqlite.c}"
echo

# ---- the PostgreSQL cluster ----

PG_DIR=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/kkb-pg.XXXXXX")
PG_URI=$("$CLUSTER" start "$PG_DIR" 2>"$BENCH_TMP/cluster.err") ||
	{ cat "$BENCH_TMP/cluster.err" >&2; bench_die "tests/pg/cluster.sh could not start a cluster in $PG_DIR"; }
PG_PID=$(head -n 1 "$PG_DIR/data/postmaster.pid")
pg "$PG_URI" 'ALTER SYSTEM SET track_wal_io_timing = on' >/dev/null
pg "$PG_URI" 'SELECT pg_reload_conf()' >/dev/null

# pg_db NAME: a new database; prints its URI (the base URI with NAME for postgres).
pg_db() {
	pg "$PG_URI" "CREATE DATABASE $1" >/dev/null
	printf '%s\n' "$PG_URI" | sed "s|^\\(postgresql://[^/?]*/\\)postgres?|\\1$1?|"
}
pg_init() { # URI NAME
	"$KEIKAI" init --db "$1" >"$BENCH_TMP/init-$2.out" 2>&1 ||
		{ cat "$BENCH_TMP/init-$2.out" >&2; bench_die "keikai init --db $1 failed"; }
}
pg_counts() { # URI: sets ROWS, OUTBOX (acknowledgements) and DISTINCT (tracking ids)
	read -r ROWS OUTBOX DISTINCT < <(pg "$1" \
		'SELECT count(*), (SELECT count(*) FROM outbox), count(DISTINCT tracking_id) FROM reports' | tr '|' ' ')
	[ -n "${DISTINCT:-}" ] || bench_die "psql could not count the reports in $1"
}

# ---- 2. PostgreSQL, one server ----

DB1=$(pg_db kk_bench1)
pg_init "$DB1" kk_bench1
pg_snap "$BENCH_TMP/pg0" kk_bench1
start_server serve-pg "$DB1"
preflight "$URL"
cpu_snap "$BENCH_TMP/cpu0"
wrk_start "$BENCH_TMP/wrk-pg.out" 2 8 "$URL"
wrk_wait "$BENCH_TMP/wrk-pg.out"
cpu_snap "$BENCH_TMP/cpu1"
stop_servers
pg_snap "$BENCH_TMP/pg1" kk_bench1
pg_counts "$DB1"
report_part "PostgreSQL, 1 server" "$GOAL_PG" "$ROWS" "$OUTBOX" "$DISTINCT" 1 "$BENCH_TMP/wrk-pg.out"
printf '%-18s %s\n' "cpu" "$(cpu_line "$BENCH_TMP/cpu0" "$BENCH_TMP/cpu1")"
printf '%-18s %s\n' "postgresql" "$(pg_line "$BENCH_TMP/pg0" "$BENCH_TMP/pg1" "$ROWS" "$(val "$BENCH_TMP/wrk-pg.out" duration_us)")"
echo

# ---- 3. PostgreSQL, two servers on one database ----

DB2=$(pg_db kk_bench2)
pg_init "$DB2" kk_bench2
pg_snap "$BENCH_TMP/pg0" kk_bench2
start_server serve-pg-a "$DB2"
URL_A=$URL
start_server serve-pg-b "$DB2"
URL_B=$URL
preflight "$URL_A"
preflight "$URL_B"
cpu_snap "$BENCH_TMP/cpu0"
wrk_start "$BENCH_TMP/wrk-pg-a.out" 1 4 "$URL_A"
wrk_start "$BENCH_TMP/wrk-pg-b.out" 1 4 "$URL_B"
wrk_wait "$BENCH_TMP/wrk-pg-a.out" "$BENCH_TMP/wrk-pg-b.out"
cpu_snap "$BENCH_TMP/cpu1"
stop_servers
pg_snap "$BENCH_TMP/pg1" kk_bench2
pg_counts "$DB2"
report_part "PostgreSQL, 2 servers" "$GOAL_PG" "$ROWS" "$OUTBOX" "$DISTINCT" 2 \
	"$BENCH_TMP/wrk-pg-a.out" "$BENCH_TMP/wrk-pg-b.out"
printf '%-18s %s\n' "cpu" "$(cpu_line "$BENCH_TMP/cpu0" "$BENCH_TMP/cpu1")"
DUR=$(val "$BENCH_TMP/wrk-pg-a.out" duration_us)
printf '%-18s %s\n' "postgresql" "$(pg_line "$BENCH_TMP/pg0" "$BENCH_TMP/pg1" "$ROWS" "$DUR")"

PG_SET=$(pg "$PG_URI" "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) FROM pg_settings
	WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'commit_delay',
	'shared_buffers', 'max_connections', 'track_wal_io_timing')")
printf '%-18s %s\n' "cluster" "$(pg "$PG_URI" 'SHOW server_version' | cut -d' ' -f1): $PG_SET"
COMMIT_SRC=$(source_line lib/store/driver_pg.c 'SET synchronous_commit' || true)
printf '%-18s %s\n' "keikai sets" "${COMMIT_SRC:-(no SET synchronous_commit found in lib/store/driver_pg.c)}"
printf '%-18s %s\n' "cluster on" "$(bench_fs_note "$PG_DIR")"
echo

echo "== summary: 8 clients in all in each part =="
printf '%-26s %7s  %-17s %-17s %s\n' "engine" "rate/s" "p50" "p99" "201s on disk"
printf '%s\n' "${SUMMARY[@]}"
exit $STATUS
