#!/usr/bin/env bash
# bench/cvss.sh [BUILD_DIR]: CVSS parsing and scoring speed of keikai's core
# (bench/cvss_bench.c) against the npm package ae-cvss-calculator
# (bench/cvss_bench.mjs) on the same vectors, one core each, and their ratio per
# version (goal: keikai >= 50 times faster).
#
# The vectors are 100,000 random valid ones per version (v2.0, v3.0, v3.1, v4.0) from
# the seeded generator of tests/cvss/crosscheck.mjs (BENCH_CVSS_COUNT, BENCH_CVSS_SEED
# change them), written to a temp directory. Uses BUILD_DIR/bench/cvss_bench when the
# build has one, else compiles bench/cvss_bench.c with lib/formats/cvss*.c (-O2, as the
# release build). BENCH_CVSS_SECONDS (default 2) is about how long each figure of
# keikai is measured, five times that for the library. Both programs report the best
# of five windows, which keeps other work on the machine out of the figures as far as
# it can be. cvss_bench pins itself to one CPU; node is left free, since its garbage
# collector runs on helper threads (its JavaScript runs on one thread either way), so
# the library is measured at its best.
# Figures only; nothing is checked against a time (STYLE.md). Needs node and
# node_modules (npm ci); says so and exits 0 when they are absent.

set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(dirname "$BENCH_DIR")
BUILD_DIR=${1:-build}
[ -d "$BUILD_DIR" ] || BUILD_DIR="$REPO_ROOT/$BUILD_DIR"
SECONDS_C=${BENCH_CVSS_SECONDS:-2}
COUNT=${BENCH_CVSS_COUNT:-100000}
SEED=${BENCH_CVSS_SEED:-20240501}

echo "== cvss: parse and score CVSS vectors, keikai (bench/cvss_bench.c) vs ae-cvss-calculator (bench/cvss_bench.mjs)"
if ! command -v node >/dev/null || [ ! -d "$REPO_ROOT/node_modules/ae-cvss-calculator" ]; then
	echo "cvss.sh: skipped, needs node and node_modules/ae-cvss-calculator (npm ci)"
	exit 0
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/keikai-cvss-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

BIN="$BUILD_DIR/bench/cvss_bench"
if [ ! -x "$BIN" ]; then
	BIN="$TMP/cvss_bench"
	${CC:-cc} -std=c17 -D_GNU_SOURCE -O2 -DNDEBUG -I"$REPO_ROOT/include" \
		"$REPO_ROOT"/lib/formats/cvss.c "$REPO_ROOT"/lib/formats/cvss2.c "$REPO_ROOT"/lib/formats/cvss3.c \
		"$REPO_ROOT"/lib/formats/cvss4.c "$REPO_ROOT"/lib/formats/cvss4_table.c "$BENCH_DIR/cvss_bench.c" -o "$BIN"
	echo "built $BIN with ${CC:-cc} -O2"
fi

node "$REPO_ROOT/tests/cvss/crosscheck.mjs" --generate-only --write "$TMP" --count "$COUNT" --seed "$SEED" |
	sed -n 1p
FILES=("$TMP/cvss-v20.txt" "$TMP/cvss-v30.txt" "$TMP/cvss-v31.txt" "$TMP/cvss-v40.txt")

"$BIN" --seconds "$SECONDS_C" "${FILES[@]}" >"$TMP/c.txt"
JS_SECONDS=$(awk -v s="$SECONDS_C" 'BEGIN { print s * 5 }')
node "$BENCH_DIR/cvss_bench.mjs" --seconds "$JS_SECONDS" "${FILES[@]}" >"$TMP/js.txt"

echo "keikai:"
sed 's/^/  /' "$TMP/c.txt"
echo "ae-cvss-calculator $(node -p "require('$REPO_ROOT/node_modules/ae-cvss-calculator/package.json').version"):"
sed 's/^/  /' "$TMP/js.txt"
printf '%-8s %16s %20s %8s\n' version "keikai vectors/s" "ae-cvss vectors/s" ratio
join <(awk '{ print $1, $2 }' "$TMP/c.txt" | sort) <(awk '{ print $1, $2 }' "$TMP/js.txt" | sort) |
	awk '{ r = $2 / $3; note = (r >= 50) ? "" : "  (below the 50x goal)";
	       printf "%-8s %16.0f %20.0f %7.0fx%s\n", $1, $2, $3, r, note }'
