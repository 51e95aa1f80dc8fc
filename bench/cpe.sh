#!/usr/bin/env bash
# bench/cpe.sh [BUILD_DIR]: CPE parsing, binding and matching speed on one core
# over the 128,650 formatted strings of the 2018 NVD dictionary (bench/cpe_bench.c).
#
# Uses BUILD_DIR/bench/cpe_bench when the build has one, else compiles
# bench/cpe_bench.c with lib/formats/cpe.c, lib/formats/cpe_bind.c and lib/formats/cpe_match.c into a temp directory with
# -O2 -g and asserts on, as the project's default (debugoptimized) build. Reads the
# names from $KK_SHARED_DATA/cpe (default ../shared/data/cpe beside the repository)
# and says so and exits 0 when they are absent. BENCH_CPE_SECONDS (default 0.5) is
# about how long each figure is measured. Figures only; nothing is checked against
# a time.

set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(dirname "$BENCH_DIR")
BUILD_DIR=${1:-build}
[ -d "$BUILD_DIR" ] || BUILD_DIR="$REPO_ROOT/$BUILD_DIR"
SHARED=${KK_SHARED_DATA:-$REPO_ROOT/../shared/data}
NAMES="$SHARED/cpe/nvd-2018-cpe23-names.txt"

echo "== cpe: parse, bind and match CPE names (bench/cpe_bench.c)"
if [ ! -r "$NAMES" ]; then
	echo "cpe.sh: skipped, no NVD names at $NAMES (set KK_SHARED_DATA)"
	exit 0
fi

BIN="$BUILD_DIR/bench/cpe_bench"
if [ ! -x "$BIN" ]; then
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/keikai-cpe-bench.XXXXXX")
	trap 'rm -rf "$TMP"' EXIT
	BIN="$TMP/cpe_bench"
	${CC:-cc} -std=c17 -D_GNU_SOURCE -O2 -g -I"$REPO_ROOT/include" \
		$(pkg-config --cflags jansson) \
		"$REPO_ROOT/lib/formats/cpe.c" "$REPO_ROOT/lib/formats/cpe_bind.c" "$REPO_ROOT/lib/formats/cpe_match.c" "$REPO_ROOT/lib/alloc.c" "$BENCH_DIR/cpe_bench.c" -o "$BIN" \
		$(pkg-config --libs jansson)
	echo "built $BIN with ${CC:-cc} -O2 -g"
fi
"$BIN" "$NAMES" "${BENCH_CPE_SECONDS:-0.5}"
