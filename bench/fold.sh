#!/usr/bin/env bash
# bench/fold.sh [BUILD_DIR]: how fast vendor and product names are folded into search
# and ranking keys and scored (lib/formats/fold.c, bench/fold_bench.c), in nanoseconds
# per call, over the vendor and product names of the MyJVN dictionary ($KK_SHARED_DATA/jvn,
# default ../shared/data). Compiles bench/fold_bench.c with the few core files it needs
# (-O2, as the release build). BENCH_FOLD_SECONDS (default 1) is about how long each
# figure is measured. Figures only; nothing is checked against a time (STYLE.md).
# Says so and exits 0 when the dictionary is absent.

set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(dirname "$BENCH_DIR")
SHARED=${KK_SHARED_DATA:-$REPO_ROOT/../shared/data}
DICT="$SHARED/jvn/myjvn-products.jsonl.gz"

echo "== fold: name keys and similarity (bench/fold_bench.c)"
if [ ! -r "$DICT" ]; then
	echo "fold.sh: skipped, no MyJVN dictionary at $DICT (set KK_SHARED_DATA)"
	exit 0
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/keikai-fold-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
BIN="$TMP/fold_bench"
${CC:-cc} -std=c17 -D_GNU_SOURCE -O2 -g -I"$REPO_ROOT/include" -I"$REPO_ROOT" \
	$(pkg-config --cflags jansson libsodium) \
	"$REPO_ROOT/lib/formats/fold.c" "$REPO_ROOT/lib/alloc.c" "$REPO_ROOT/lib/util.c" \
	"$REPO_ROOT/lib/error.c" "$REPO_ROOT/lib/clock.c" "$BENCH_DIR/fold_bench.c" -o "$BIN" \
	$(pkg-config --libs jansson libsodium) -lunistring
echo "built $BIN with ${CC:-cc} -O2 -g"
"$BIN" "$DICT" "${BENCH_FOLD_SECONDS:-1}"
