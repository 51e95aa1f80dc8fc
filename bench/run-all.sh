#!/usr/bin/env bash
# bench/run-all.sh BUILD_DIR: runs every benchmark (`make bench`) and appends what
# they print, under a header naming the machine and the build, to
# bench/results/YYYY-MM-DD.txt (git-ignored) as well as stdout.
#
# Runs report_submit.sh, report_submit_engines.sh (SQLite against PostgreSQL, and two
# servers on one PostgreSQL database; it starts and stops a private cluster),
# form_vs_nginx.sh, login.sh (sign-in timing, and intake while staff sign in) and
# queue.sh (the intake queue with 30,000 reports, on both engines; it starts and
# stops a private cluster), myjvn_import.sh (the MyJVN dictionary import against jq,
# on both engines), vendor_search.sh (the registry search over that dictionary),
# case_bench.sh (a case of 200 vendors: notify-200 and the case pages),
# portal_vs_nginx.sh (an advisory page and the JVNRSS feed against nginx),
# search.sh (the advisory search over 200,000 advisories from the NVD records, on
# both engines),
# then cvss.sh and cpe.sh when they are there and
# executable. Exit status 1 when any
# of them failed.

set -uo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(dirname "$BENCH_DIR")
BUILD_DIR=${1:-build}
[ -d "$BUILD_DIR" ] || BUILD_DIR="$REPO_ROOT/$BUILD_DIR"
BUILD_DIR=$(cd "$BUILD_DIR" 2>/dev/null && pwd) || { echo "run-all.sh: no build directory ${1:-build}" >&2; exit 1; }

mkdir -p "$BENCH_DIR/results"
RESULTS="$BENCH_DIR/results/$(date +%F).txt"
exec > >(tee -a "$RESULTS") 2>&1

buildtype() {
	meson introspect --buildoptions "$BUILD_DIR" 2>/dev/null |
		python3 -c 'import json, sys; o = {x["name"]: x["value"] for x in json.load(sys.stdin)}; print(o.get("buildtype"), "b_ndebug=" + str(o.get("b_ndebug")), "b_sanitize=" + str(o.get("b_sanitize")))' 2>/dev/null ||
		echo unknown
}

echo "######## keikai benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
	"$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
echo "tmp dir:  ${BENCH_TMPDIR:-${TMPDIR:-/tmp}} ($(df -PT "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}" | awk 'NR == 2 { print $2 " on " $1 }'))"
echo "build:    $BUILD_DIR ($(buildtype)); tree $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo 'with no commit')$(git -C "$REPO_ROOT" status --porcelain 2>/dev/null | grep -q . && echo ', with uncommitted changes')"
echo "load:     $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; anything else running shares the cores)"
echo "tools:    $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $(nginx -v 2>&1 | sed 's/.*: //'), sqlite3 $(sqlite3 --version | cut -d' ' -f1)," \
	"$(psql --version 2>/dev/null | awk '{ print "psql " $3 }' || echo 'no psql')"
echo

FAILED=()
for b in report_submit report_submit_engines form_vs_nginx portal_vs_nginx login queue body_budget myjvn_import vendor_search case_bench search cvss cpe; do
	script="$BENCH_DIR/$b.sh"
	[ -x "$script" ] || { [ "$b" = cvss ] || [ "$b" = cpe ] || FAILED+=("$b (missing)"); continue; }
	"$script" "$BUILD_DIR" || FAILED+=("$b (exit $?)")
	echo
done

if [ ${#FAILED[@]} -eq 0 ]; then
	echo "all benchmarks ran; results appended to ${RESULTS#"$REPO_ROOT"/}"
else
	echo "FAILED: ${FAILED[*]}; results appended to ${RESULTS#"$REPO_ROOT"/}"
fi
# Let tee write the last lines before the script ends.
exec >&- 2>&-
wait
[ ${#FAILED[@]} -eq 0 ]
