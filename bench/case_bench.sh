#!/usr/bin/env bash
# bench/case_bench.sh [BUILD_DIR]: a case with 200 vendors x 5 vulnerabilities
# (issue 9, "Benchmark"; VINCE, CERT/CC's platform, takes seconds on cases of 121
# vendors), on a fresh database, SQLite and then PostgreSQL (a private cluster made
# for the run by tests/pg/cluster.sh and removed at the end):
#
#   1. set up through the HTTP API by bench/case_bench.mjs, as a coordinator would:
#      200 vendors (CASE_VENDORS) with an e-mail contact each, an accepted report,
#      the case opened from it with 5 vulnerabilities (CASE_VULNS) and every vendor;
#   2. notifying all 200 vendors in one POST /api/v1/cases/{ref}/notify (SPEC 2.6),
#      its time, and the same call again (a reminder to all 200);
#   3. the first vendor's user reads the summary and asks for the detail; then,
#      with wrk -t2 -c8 (8 clients) and each party's bearer token, requests per
#      second and p50 / p99 of: the coordinator's case page (GET /cases/{ref}, HTML)
#      and GET /api/v1/cases/{ref}, and the vendor's (the same two).
#
# Goals: case page p99 < 20 ms; notify-200 < 1 s. Figures only, never asserted
# (STYLE.md); exit status 1 when a call failed or an answer of the load was not
# 200. The binary is a copy of BUILD_DIR/keikai taken at the start (lib.sh).
# Environment: BENCH_DURATION (10s), BENCH_TMPDIR, BENCH_KEEP=1, BENCH_SERVE_ARGS as
# for the other scripts; CASE_VENDORS, CASE_VULNS, CASE_ENGINES ("sqlite postgresql")
# to run one of them. About a minute per engine.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

command -v node >/dev/null || bench_die "node is not installed (scripts/install-deps.sh --test)"
for tool in curl sqlite3 psql; do
	command -v "$tool" >/dev/null || bench_die "$tool is not installed (scripts/install-deps.sh --test)"
done
export KEIKAI_PWHASH=fast # the users' passwords are not what is measured
export CASE_VENDORS=${CASE_VENDORS:-200} CASE_VULNS=${CASE_VULNS:-5}
STATUS=0
CASE_ENGINES=${CASE_ENGINES:-sqlite postgresql}

cleanup() {
	bench_stop_keikai
	bench_pg_stop
	bench_cleanup
}
bench_traps cleanup

bench_tmpdir
bench_keikai_private "${1:-}"

# run_engine TITLE DB: the whole benchmark on DB (a file or a URI).
run_engine() {
	local title=$1 db=$2 ref ref_path vendor_token
	echo "== $title =="
	"$KEIKAI" init --db "$db" >"$BENCH_TMP/init.out" 2>&1 ||
		{ cat "$BENCH_TMP/init.out" >&2; bench_die "keikai init failed"; }
	for who in intake:IPA coordinator:JPCERT/CC; do
		printf '%s\n' bench-case-password | "$KEIKAI" user add --db "$db" --org "${who#*:}" --role "${who%%:*}" \
			--email "${who%%:*}@bench.example" --name "${who%%:*}" --password-stdin >"$BENCH_TMP/user.out" 2>&1 ||
			{ cat "$BENCH_TMP/user.out" >&2; bench_die "keikai user add failed"; }
	done
	INTAKE_TOKEN=$("$KEIKAI" token create --db "$db" --email intake@bench.example)
	COORD_TOKEN=$("$KEIKAI" token create --db "$db" --email coordinator@bench.example)
	bench_start_keikai "$db"

	timeout 600 node "$BENCH_DIR/case_bench.mjs" "$KEIKAI" "$db" "$KEIKAI_URL" "$INTAKE_TOKEN" "$COORD_TOKEN" \
		>"$BENCH_TMP/setup.out" || { cat "$BENCH_TMP/setup.out"; bench_die "setting up the case failed"; }
	ref=$(val ref)
	ref_path=${ref//#/%23}
	vendor_token=$(val vendor_token)

	printf '%-38s %s\n' "setup through the API" "$(val setup_s) s ($CASE_VENDORS vendors registered and added, $CASE_VULNS vulnerabilities)"
	printf '%-38s %s\n' "case" "$ref: $(bench_sql "$db" "SELECT count(*) FROM case_vendors") vendors, $(bench_sql "$db" "SELECT count(*) FROM vulnerabilities") vulnerabilities, $(bench_sql "$db" "SELECT count(*) FROM vendor_statuses") vendor statuses"
	printf '%-38s %s\n' "notify all $CASE_VENDORS (one POST)" "$(val notify_ms) ms; $(val notified) notified (goal < 1 s)"
	printf '%-38s %s\n' "the same again (a reminder to all)" "$(val remind_ms) ms"
	printf '%-38s %s\n' "outbox / contact attempts" "$(bench_sql "$db" "SELECT count(*) FROM outbox WHERE case_id IS NOT NULL") notices, $(bench_sql "$db" "SELECT count(*) FROM contact_attempts") attempts"
	printf '%-38s %4s %9s %12s  (wrk -t%s -c%s -d%s; goal p99 < 20 ms)\n' "page" "code" "size" "requests" \
		"$BENCH_THREADS" "$BENCH_CONNS" "$BENCH_DURATION"
	bench_load "coordinator: GET /cases/{ref}" "$COORD_TOKEN" "/cases/$ref_path"
	bench_load "coordinator: GET /api/v1/cases/{ref}" "$COORD_TOKEN" "/api/v1/cases/$ref_path"
	bench_load "vendor: GET /cases/{ref}" "$vendor_token" "/cases/$ref_path"
	bench_load "vendor: GET /api/v1/cases/{ref}" "$vendor_token" "/api/v1/cases/$ref_path"
	printf '%-38s %s\n' "audit rows after the load" "$(bench_sql "$db" "SELECT count(*) FROM audit") (every vendor read of the detail is audited)"
	bench_stop_keikai
	printf '%-38s %s\n' "server" "$KEIKAI_STOP"
	echo
}

val() { sed -n "s/^$1=//p" "$BENCH_TMP/setup.out"; }

echo "== case_bench: a case of $CASE_VENDORS vendors x $CASE_VULNS vulnerabilities =="
printf '%-38s %s\n' "keikai" "$KEIKAI_BUILT"
printf '%-38s %s\n' "temp dir" "$(bench_fs_note "$BENCH_TMP")"
printf '%-38s %s\n' "load" "$(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at the start)"
echo

for engine in $CASE_ENGINES; do
	case $engine in
	sqlite) run_engine "SQLite" "$BENCH_TMP/case.db" ;;
	postgresql)
		bench_pg_start kk_case
		run_engine "PostgreSQL $PG_VERSION" "$PG_DB"
		bench_pg_stop
		;;
	*) bench_die "unknown engine $engine in CASE_ENGINES" ;;
	esac
done
exit $STATUS
