#!/usr/bin/env bash
# bench/myjvn_import.sh [BUILD_DIR]: the import of the whole MyJVN vendor/product
# dictionary (`keikai import myjvn-products`, issue 8) into a fresh database,
# against `zcat FILE | jq -c . >/dev/null` over the same file in the same run: the
# cost of reading and parsing the JSON lines alone. Goal: the import on SQLite in at
# most 2x jq's time. Each figure is the best of MYJVN_RUNS (3) runs, wall-clock; the
# second import of the same file (which changes nothing) is timed too. With
# MYJVN_ENGINES containing postgresql (default "sqlite postgresql"), the same on a
# private cluster made by tests/pg/cluster.sh, reported, without a goal.
#
# Reads $KK_SHARED_DATA/jvn/myjvn-products.jsonl.gz (default ../shared/data beside
# the repository) and says so and exits 0 when it is absent. The binary is a copy of
# BUILD_DIR/keikai taken at the start. Figures only; exit status 1 when an import
# failed or its totals are not the dictionary's.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

SHARED=${KK_SHARED_DATA:-$REPO_ROOT/../shared/data}
FILE="$SHARED/jvn/myjvn-products.jsonl.gz"
RUNS=${MYJVN_RUNS:-3}
ENGINES=${MYJVN_ENGINES:-sqlite postgresql}
CLUSTER="$REPO_ROOT/tests/pg/cluster.sh"
PG_DIR=
STATUS=0

echo "== myjvn_import: the MyJVN dictionary into the vendor registry, against jq"
if [ ! -r "$FILE" ]; then
	echo "myjvn_import.sh: skipped, no dictionary at $FILE (set KK_SHARED_DATA)"
	exit 0
fi
command -v jq >/dev/null || bench_die "jq is not installed (apt-get install jq)"

cleanup() {
	if [ -n "$PG_DIR" ]; then
		"$CLUSTER" stop "$PG_DIR" >/dev/null 2>&1 || true
		rm -rf "$PG_DIR"
	fi
	[ -z "${BENCH_TMP:-}" ] || [ -n "${BENCH_KEEP:-}" ] || rm -rf "$BENCH_TMP"
}
trap cleanup EXIT

bench_tmpdir
BUILD=${1:-build}
[ -d "$BUILD" ] || BUILD="$REPO_ROOT/$BUILD"
[ -x "$BUILD/keikai" ] || bench_die "no $BUILD/keikai (ninja -C $BUILD)"
mkdir -p "$BENCH_TMP/bin"
cp "$BUILD/keikai" "$BENCH_TMP/bin/keikai"
KEIKAI="$BENCH_TMP/bin/keikai"
export KEIKAI_PWHASH=fast LANG=C LC_ALL=C

now() { date +%s.%N; }
# calc EXPR: awk's arithmetic on the decimals of EXPR.
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }
lt() { awk "BEGIN { exit !($1 < $2) }"; }
# best_of CMD...: the shortest wall-clock time of RUNS runs, in seconds.
best_of() {
	local best= t0 t
	for _ in $(seq "$RUNS"); do
		t0=$(now)
		"$@"
		t=$(calc "$(now) - $t0")
		if [ -z "$best" ] || lt "$t" "$best"; then best=$t; fi
	done
	printf '%.3f' "$best"
}

jq_once() { zcat "$FILE" | jq -c . >/dev/null; }
JQ=$(best_of jq_once)
echo "file:   $FILE ($(stat -c %s "$FILE") bytes, $(zcat "$FILE" | wc -l) lines)"
echo "tmp:    $BENCH_TMP ($(bench_fs_note "$BENCH_TMP"))"
echo "jq:     ${JQ} s   (zcat FILE | jq -c . >/dev/null, best of $RUNS)"

# import_into DB: one import into DB; checks the totals line.
import_into() {
	local out
	out=$("$KEIKAI" import myjvn-products --db "$1" "$FILE" 2>"$BENCH_TMP/import.err" | tail -n 1) ||
		{ cat "$BENCH_TMP/import.err" >&2; echo "   FAILED: the import exited non-zero"; STATUS=1; }
	[ "$out" = "29565 vendors, 76809 products" ] ||
		{ echo "   FAILED: the totals are \"$out\", not the dictionary's"; STATUS=1; }
}

# run_engine LABEL MAKE_DB: MAKE_DB prints the address of a new, initialised database.
run_engine() {
	local label=$1 make_db=$2 best= t0 t db
	for _ in $(seq "$RUNS"); do
		N=$((N + 1))
		db=$($make_db "$N")
		t0=$(now)
		import_into "$db"
		t=$(calc "$(now) - $t0")
		if [ -z "$best" ] || lt "$t" "$best"; then best=$t; fi
	done
	t0=$(now)
	import_into "$db"
	t=$(calc "$(now) - $t0")
	printf '%-10s first import %.3f s (%.2fx jq), second import of the same file %.3f s (%.2fx jq)\n' \
		"$label:" "$best" "$(calc "$best / $JQ")" "$t" "$(calc "$t / $JQ")"
}

N=0
sqlite_db() {
	local db="$BENCH_TMP/myjvn-$1.db"
	"$KEIKAI" init --db "$db" >/dev/null
	echo "$db"
}
pg_db() {
	psql -q "$PG_URI" -c "CREATE DATABASE kk_myjvn_$1" >/dev/null
	local db
	db=$(printf '%s\n' "$PG_URI" | sed "s|^\\(postgresql://[^/?]*/\\)postgres?|\\1kk_myjvn_$1?|")
	"$KEIKAI" init --db "$db" >/dev/null
	echo "$db"
}

for engine in $ENGINES; do
	case $engine in
	sqlite) run_engine SQLite sqlite_db ;;
	postgresql)
		[ -x "$CLUSTER" ] || bench_die "$CLUSTER is missing"
		PG_DIR=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/kkm-pg.XXXXXX")
		PG_URI=$("$CLUSTER" start "$PG_DIR" 2>"$BENCH_TMP/cluster.err") ||
			{ cat "$BENCH_TMP/cluster.err" >&2; bench_die "tests/pg/cluster.sh could not start a cluster in $PG_DIR"; }
		run_engine PostgreSQL pg_db
		"$CLUSTER" stop "$PG_DIR" >/dev/null 2>&1 || echo "${0##*/}: could not stop the cluster in $PG_DIR" >&2
		rm -rf "$PG_DIR"
		PG_DIR=
		;;
	*) bench_die "unknown engine $engine in MYJVN_ENGINES" ;;
	esac
done
echo "goal: SQLite first import <= 2x jq"
exit $STATUS
