#!/usr/bin/env bash
# bench/search.sh [BUILD_DIR]: the search of published advisories (issue 12 item 6,
# SPEC 6; lib/advisory/search*.c, docs/internals/search.md) over 200,000 advisories
# made from the real NVD records, on SQLite and on PostgreSQL.
#
# bench/search_gen.py writes the advisories (both languages; the Japanese derived
# from a glossary and the CWE's Japanese name, as its header says) from
# $KK_SHARED_DATA/nvd (default ../shared/data); bench/search_bench.c inserts them
# straight into a fresh store (a case, its vendor notified and the advisory
# published, per advisory), builds the index with kk_advisory_search_reindex (timed),
# then runs 10,000 mixed queries with a fixed seed through kk_advisory_search
# (Japanese words of two characters and of more, Japanese names, English words, CVE
# IDs, filters alone and with words) and prints p50, p99 and max per kind and for
# all, wall-clock and the thread's CPU time. First on a SQLite file in a temp
# directory, then in a private PostgreSQL cluster (tests/pg/cluster.sh).
# Goal: p99 < 5 ms.
#
# Compiles bench/search_bench.c against BUILD_DIR/lib/libkeikai.a (-O2 -g), so build
# first (ninja -C BUILD_DIR). BENCH_SEARCH_ADVISORIES (default 200000) and
# BENCH_SEARCH_QUERIES (default 10000) set the sizes; BENCH_SEARCH_ENGINES
# ("sqlite postgresql") which stores; BENCH_SLOW=1 prints every query over 5 ms;
# BENCH_QUERY=WORDS times that one query instead of the mix (BENCH_SEVERITY and
# BENCH_VENDOR add those filters). Needs about 4 GB of
# disk for SQLite and as much for PostgreSQL under $BENCH_TMPDIR (else $TMPDIR,
# /tmp), and takes some minutes per store, most of it building the index. Says so
# and exits 0 when the NVD records are absent. Figures only; nothing is checked
# against a time (STYLE.md). Exit status 1 when the build, the load or a search
# failed.

set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(dirname "$BENCH_DIR")
# shellcheck source=bench/lib.sh
. "$BENCH_DIR/lib.sh"
BUILD_DIR=${1:-build}
[ -d "$BUILD_DIR" ] || BUILD_DIR="$REPO_ROOT/$BUILD_DIR"
SHARED=${KK_SHARED_DATA:-$REPO_ROOT/../shared/data}
N=${BENCH_SEARCH_ADVISORIES:-200000}
QUERIES=${BENCH_SEARCH_QUERIES:-10000}
ENGINES=${BENCH_SEARCH_ENGINES:-sqlite postgresql}

echo "== search: ${N} advisories from the NVD records, ${QUERIES} mixed queries (bench/search_bench.c)"
if ! ls "$SHARED"/nvd/nvdcve-1.1-*.json.gz >/dev/null 2>&1; then
	echo "search.sh: skipped, no NVD records in $SHARED/nvd (set KK_SHARED_DATA)"
	exit 0
fi
LIB="$BUILD_DIR/lib/libkeikai.a"
[ -r "$LIB" ] || bench_die "no $LIB (build first: ninja -C $BUILD_DIR)"

cleanup() {
	bench_pg_stop
	bench_cleanup
}
bench_traps cleanup
bench_tmpdir
echo "temp:   $BENCH_TMP ($(bench_fs_note "$BENCH_TMP"))"

BIN="$BENCH_TMP/search_bench"
# shellcheck disable=SC2046 # pkg-config prints lists of words
${CC:-cc} -std=c17 -D_GNU_SOURCE -O2 -g -I"$REPO_ROOT/include" -I"$REPO_ROOT" \
	$(pkg-config --cflags jansson libsodium libpq) \
	"$BENCH_DIR/search_bench.c" "$LIB" -o "$BIN" \
	$(pkg-config --libs jansson libsodium libpq sqlite3 pwquality libxml-2.0 zlib libcmark gpgme libcurl) \
	-lunistring -lm -lpthread
echo "built $BIN with ${CC:-cc} -O2 -g against $LIB"

t0=$(date +%s)
python3 "$BENCH_DIR/search_gen.py" "$SHARED" "$N" "$BENCH_TMP/advisories.jsonl"
echo "generated $N advisories in $(( $(date +%s) - t0 )) s ($(du -h "$BENCH_TMP/advisories.jsonl" | cut -f1))"

STATUS=0
for engine in $ENGINES; do
	echo
	echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores"
	case $engine in
	sqlite)
		db="$BENCH_TMP/search.db"
		timeout 3600 "$BIN" "$BENCH_TMP/advisories.jsonl" "$db" "$QUERIES" || STATUS=1
		echo "database: $(du -ch "$db"* | tail -n 1 | cut -f1) ($db and its WAL)"
		[ -n "${BENCH_KEEP:-}" ] || rm -f "$db" "$db"-*
		;;
	postgresql)
		command -v psql >/dev/null || { echo "search.sh: no psql; PostgreSQL skipped"; continue; }
		bench_pg_start keikai_search
		echo "PostgreSQL $PG_VERSION (tests/pg/cluster.sh)"
		timeout 5400 "$BIN" "$BENCH_TMP/advisories.jsonl" "$PG_DB" "$QUERIES" || STATUS=1
		echo "database: $(bench_sql "$PG_DB" "SELECT pg_size_pretty(pg_database_size(current_database()))")"
		bench_pg_stop
		;;
	*) bench_die "unknown engine $engine (sqlite, postgresql)" ;;
	esac
done
exit $STATUS
