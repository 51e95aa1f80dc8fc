#!/usr/bin/env bash
# bench/vendor_search.sh [BUILD_DIR]: the registry search (issue 8, capability 4;
# SPEC 2.5; lib/vendor/search.c) over the whole MyJVN dictionary
# (bench/vendor_search_bench.c): the dictionary imported into a fresh SQLite
# database in a temp directory, the time to build the search index (the first
# build, and the best of three rebuilds), then 10,000 queries made from the
# dictionary's own names with a fixed seed (Japanese parts of names, English
# parts, English parts in full-width forms, CPE names, patterns with wild cards
# and 2.2 URIs) with p50, p99 and max per query, wall-clock and the thread's
# CPU time (which leaves out what other processes on a shared machine took).
# Goal: p99 < 2 ms.
#
# Compiles bench/vendor_search_bench.c against BUILD_DIR/lib/libkeikai.a (-O2 -g),
# so build first (ninja -C BUILD_DIR). BENCH_SEARCH_QUERIES (default 10000) sets
# the number of queries; BENCH_SLOW=1 prints every query over 2 ms;
# BENCH_QUERY=TEXT times that one query instead. Reads
# $KK_SHARED_DATA/jvn/myjvn-products.jsonl.gz (default ../shared/data) and says so
# and exits 0 when it is absent. Figures only; nothing is checked against a time
# (STYLE.md). Exit status 1 when the build or a search failed.

set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(dirname "$BENCH_DIR")
BUILD_DIR=${1:-build}
[ -d "$BUILD_DIR" ] || BUILD_DIR="$REPO_ROOT/$BUILD_DIR"
SHARED=${KK_SHARED_DATA:-$REPO_ROOT/../shared/data}
DICT="$SHARED/jvn/myjvn-products.jsonl.gz"

echo "== vendor_search: the registry search over the MyJVN dictionary (bench/vendor_search_bench.c)"
if [ ! -r "$DICT" ]; then
	echo "vendor_search.sh: skipped, no MyJVN dictionary at $DICT (set KK_SHARED_DATA)"
	exit 0
fi
LIB="$BUILD_DIR/lib/libkeikai.a"
[ -r "$LIB" ] || { echo "vendor_search.sh: no $LIB (build first: ninja -C $BUILD_DIR)" >&2; exit 1; }

TMP=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/keikai-search-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
BIN="$TMP/vendor_search_bench"
${CC:-cc} -std=c17 -D_GNU_SOURCE -O2 -g -I"$REPO_ROOT/include" -I"$REPO_ROOT" \
	$(pkg-config --cflags jansson libsodium libpq) \
	"$BENCH_DIR/vendor_search_bench.c" "$LIB" -o "$BIN" \
	$(pkg-config --libs jansson libsodium libpq sqlite3 pwquality libxml-2.0 zlib) -lunistring -lm -lpthread
echo "built $BIN with ${CC:-cc} -O2 -g against $LIB"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min) on $(nproc) cores"
timeout 600 "$BIN" "$DICT" "$TMP/registry.db" "${BENCH_SEARCH_QUERIES:-10000}"
