#!/bin/sh
# check-alloc.sh: fails when keikai's own code allocates without the wrappers of
# include/keikai/alloc.h (kk_malloc, kk_calloc, kk_realloc, kk_strdup,
# kk_strndup), which count allocations and let the fault sweep make any one of
# them fail (docs/internals/errors.md). lib/alloc.c is the one file that may
# call the C library's allocators. Scans lib/, server/, cli/, templates/ and the
# template compiler (whose output is C), and, when a build directory is given,
# the C it generated there.
# Usage: tests/check-alloc.sh [SOURCE_ROOT [BUILD_DIR]]
set -eu
root=${1:-$(dirname "$0")/..}
build=${2:-}
cd "$root"

pattern='(^|[^A-Za-z0-9_.>])(malloc|calloc|realloc|reallocarray|strdup|strndup|asprintf|vasprintf|aligned_alloc|posix_memalign)[[:space:]]*\('
files=$(find lib server cli templates -name '*.[ch]' ! -path lib/alloc.c | sort)
files="$files scripts/tmplc.py"
if [ -n "$build" ] && [ -d "$build/templates" ]; then
	files="$files $(find "$build/templates" -maxdepth 2 -name '*.[ch]' | sort)"
fi

# comment lines (" * ...", "/* ...", "// ...", "# ...") are prose, not calls
found=$(grep -nHE "$pattern" $files | grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*|//|#)' || true)
if [ -n "$found" ]; then
	echo "check-alloc: direct allocation outside lib/alloc.c; use the wrappers of keikai/alloc.h:"
	echo "$found"
	exit 1
fi
echo "check-alloc: every allocation goes through keikai/alloc.h"
