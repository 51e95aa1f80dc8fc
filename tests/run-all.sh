#!/usr/bin/env bash
# Runs every test suite of keikai and ends with one summary line
# "N passed, N failed, N skipped".
# Usage: tests/run-all.sh BUILD_DIR ASAN_BUILD_DIR
#   unit tests (Criterion) in both builds, and apart from them the fault sweep
#   (tests/unit/test_fault_sweep.c, suite "fault") in both; end-to-end tests
#   (node:test) against both binaries; browser tests in real Chromium; the
#   translation check; and the format cross-checks and fuzz runs when their
#   binaries exist.
#   A private PostgreSQL cluster (tests/pg/cluster.sh) runs for the whole run: the
#   unit tests of both builds get its base URI in KEIKAI_TEST_PG, and the
#   end-to-end tests run once more against the normal build on it ("e2e
#   (postgresql)"); the other end-to-end and browser runs are on SQLite.
#   Every suite counts its skipped tests apart (Criterion's cr_skip_test, node:test's
#   skip and todo). When CI is set and ../shared/data is there, nothing may skip:
#   a skip is counted as a failure, with the suite and the reason. A test that
#   belongs to one database engine is not registered on the other, so it never
#   skips for that.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
asan=${2:-build-asan}
logs=$build/test-logs
mkdir -p "$logs"
passed=0
failed=0
skipped=0
failures=()
# the names of the failing tests, printed again just above the summary (a CI
# report may show only the end of the output)
failed_names=()
# With CI set and the shared data present, every test must run: a skip fails.
strict=
[ -z "${CI:-}" ] || [ ! -d ../shared/data ] || strict=1

# ASan: fail on leaks too; UBSan: every report is fatal.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export KEIKAI_PWHASH=fast
# At most four test programs at once, whatever the machine: the same load (and
# connections to the one PostgreSQL cluster) on 2 cores as on 64.
if [ -z "${MESON_TESTTHREADS:-}" ]; then
	cores=$(nproc 2>/dev/null || echo 2)
	export MESON_TESTTHREADS=$((cores < 4 ? cores : 4))
fi
# The PostgreSQL suites get the URI of this run's own cluster, the others none.
unset KEIKAI_TEST_PG

count() { # name passed failed [skipped [file of skip reasons]]
	local name=$1 p=$2 f=$3 s=${4:-0} why=${5:-}
	if [ "$s" -gt 0 ] && [ -n "$strict" ]; then
		echo "$name: $s skipped; with CI set and ../shared/data present, a skip is a failure:"
		[ -z "$why" ] || sed 's/^/  /' "$why"
		failures+=("$name: $s skipped (CI)")
		f=$((f + s))
		s=0
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	[ "$3" -eq 0 ] || failures+=("$name: $3 failed")
	printf '%-28s %5d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
}

names() { # suite; the failing tests' lines on stdin, at most 8 kept
	local line n=0
	while IFS= read -r line && [ $n -lt 8 ]; do
		failed_names+=("$1: ${line#"${line%%[![:space:]]*}"}")
		n=$((n + 1))
	done
}

unit() { # name build-dir [pg-uri [meson test options...]]
	local log=$logs/$1.log why=$logs/$1.skipped p f s
	# Criterion names each skipped test and its reason only when verbose.
	env ${3:+"KEIKAI_TEST_PG=$3"} CRITERION_VERBOSITY_LEVEL=1 \
		meson test -C "$2" --print-errorlogs --no-rebuild "${@:4}" >"$log" 2>&1
	local rc=$?
	p=$(grep -ho 'Passing: [0-9]*' "$2/meson-logs/testlog.txt" | awk '{s+=$2} END {print s+0}')
	f=$(grep -hoE '(Failing|Crashing): [0-9]*' "$2/meson-logs/testlog.txt" | awk '{s+=$2} END {print s+0}')
	# cr_skip_test, and a whole test program that exits 77 (meson's SKIP)
	{ grep -h '^\[SKIP\]' "$2/meson-logs/testlog.txt"; grep -E '^ *[0-9]+/[0-9]+ .* SKIP ' "$log"; } >"$why"
	s=$(wc -l <"$why")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=$(grep -E '^Fail:|^Timeout:' "$log" | awk '{s+=$2} END {print s+0}')
		[ "$f" -gt 0 ] || f=1
	fi
	if [ "$f" -gt 0 ]; then
		grep -E '\[FAIL\]|Assertion|ERROR|runtime error' "$log" | head -20
		names "$1" < <(grep -E '\[FAIL\]|^ *[0-9]+/[0-9]+ .* (FAIL|TIMEOUT) ' "$log")
	fi
	count "$1" "$p" "$f" "$s" "$why"
}

node_suite() { # name dir binary [pg-uri]
	local log=$logs/$1.log why=$logs/$1.skipped p f s
	env KEIKAI_BIN="$3" ${4:+"KEIKAI_TEST_PG=$4"} node --test --test-concurrency=1 "$2"/ >"$log" 2>&1
	local rc=$?
	p=$(grep -E '^# pass ' "$log" | awk '{print $3}')
	# a cancelled test (its file died, or it timed out) did not pass: it failed
	f=$(grep -E '^# (fail|cancelled) ' "$log" | awk '{s+=$3} END {print s+0}')
	# a todo test passes or fails without counting: it did not run as a test
	s=$(grep -E '^# (skipped|todo) ' "$log" | awk '{s+=$3} END {print s+0}')
	grep -E '^ *(not )?ok [0-9]+ .*# (SKIP|TODO)' "$log" | sed 's/^ *//' >"$why"
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	if [ "$f" -gt 0 ]; then
		grep -E '^not ok|# Subtest|Error|expected|actual' "$log" | head -30
		names "$1" < <(grep -E '^ *not ok ' "$log")
	fi
	count "$1" "$p" "$f" "$s" "$why"
}

script() { # name command...
	local name=$1 log=$logs/$1.log
	shift
	if "$@" >"$log" 2>&1; then count "$name" 1 0; else tail -20 "$log"; count "$name" 0 1; fi
}

# One PostgreSQL cluster for the run, always stopped and removed on the way out.
# When it cannot start, that is a failure, and the SQLite suites still run.
pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/keikai-pg.XXXXXX")
pg_uri=
trap 'tests/pg/cluster.sh stop "$pg_dir" || echo "run-all: could not stop the PostgreSQL cluster in $pg_dir" >&2' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
if pg_uri=$(tests/pg/cluster.sh start "$pg_dir" 2>"$logs/postgresql-cluster.log"); then
	count "postgresql cluster" 1 0
else
	pg_uri=
	cat "$logs/postgresql-cluster.log"
	count "postgresql cluster" 0 1
	echo "the unit tests run on SQLite only, and \"e2e (postgresql)\" does not run"
fi

unit "unit" "$build" "$pg_uri" --no-suite fault
unit "unit (asan+ubsan)" "$asan" "$pg_uri" --no-suite fault
# intake and triage with each allocation failing in turn (docs/internals/errors.md)
unit "fault sweep" "$build" "" --suite fault
unit "fault sweep (asan+ubsan)" "$asan" "" --suite fault
node_suite "e2e" tests/e2e "$build/keikai"
node_suite "e2e (asan+ubsan)" tests/e2e "$asan/keikai"
[ -z "$pg_uri" ] || node_suite "e2e (postgresql)" tests/e2e "$build/keikai" "$pg_uri"
node_suite "browser" tests/browser "$build/keikai"
[ -x tests/i18n-check.sh ] && script "i18n catalog" tests/i18n-check.sh "$build"
[ -f tests/cvss/crosscheck.mjs ] && script "cvss crosscheck" node tests/cvss/crosscheck.mjs "$build/keikai"
[ -x tests/fuzz/run.sh ] && script "fuzz" tests/fuzz/run.sh

echo
for f in "${failed_names[@]}"; do echo "  ${f:0:160}"; done
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
