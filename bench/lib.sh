# bench/lib.sh: helpers shared by the benchmark scripts (sourced, not run).
#
# Assumes bash, the CLI contract in docs/cli/keikai.md (`keikai init`, `keikai serve`
# printing "keikai: listening on http://ADDR:PORT") and that every process started
# here is bounded in time (`timeout`) and stopped by bench_cleanup, which the caller
# installs with `trap bench_cleanup EXIT`. Load is only ever sent to 127.0.0.1.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(dirname "$BENCH_DIR")

# wrk parameters; BENCH_DURATION may be shortened for a quick check (e.g. 3s).
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_CONNS=${BENCH_CONNS:-8}
BENCH_DURATION=${BENCH_DURATION:-10s}
# No process started here lives longer than this many seconds.
BENCH_MAX_LIFETIME=${BENCH_MAX_LIFETIME:-300}

bench_die() {
	echo "${0##*/}: $*" >&2
	exit 1
}

# bench_keikai_bin BUILD_DIR: sets KEIKAI to the absolute path of the binary.
bench_keikai_bin() {
	local build=${1:?usage: ${0##*/} BUILD_DIR}
	[ -d "$build" ] || build="$REPO_ROOT/$build"
	build=$(cd "$build" 2>/dev/null && pwd) || bench_die "no build directory $1"
	KEIKAI="$build/keikai"
	# meson builds it in cli/; the top-level name is what docs and tests use.
	[ -x "$KEIKAI" ] || [ ! -x "$build/cli/keikai" ] || KEIKAI="$build/cli/keikai"
	[ -x "$KEIKAI" ] || bench_die "$KEIKAI is missing or not executable (make build)"
	command -v wrk >/dev/null || bench_die "wrk is not installed (apt-get install wrk)"
}

# bench_tmpdir: sets BENCH_TMP to a fresh directory. It is made under $BENCH_TMPDIR,
# else $TMPDIR, else /tmp; for the durability figures it must be a real disk, not
# tmpfs (bench_fs_note says which it is).
bench_tmpdir() {
	BENCH_TMP=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/keikai-bench.XXXXXX")
}

bench_fs_note() {
	df -PT "$1" 2>/dev/null | awk 'NR == 2 { print $2 " on " $1 }'
}

# bench_keikai_private BUILD_DIR: the binary to benchmark, copied out of the build
# tree so that a rebuild during the run cannot change or remove it. First, when
# BUILD_DIR is a ninja build directory and ninja says keikai is missing or out of
# date, `ninja -C BUILD_DIR`. Then bench_keikai_bin, and a copy of the binary (with
# the message catalogues it finds beside itself, po/) in $BENCH_TMP/bin (call
# bench_tmpdir first). Sets KEIKAI to the copy and KEIKAI_BUILT to a line saying
# what was copied.
bench_keikai_private() {
	local build=${1:?usage: ${0##*/} BUILD_DIR} rebuilt=
	[ -d "$build" ] || build="$REPO_ROOT/$build"
	if [ -f "$build/build.ninja" ] && command -v ninja >/dev/null; then
		local target=keikai plan
		[ -x "$build/keikai" ] || [ ! -x "$build/cli/keikai" ] || target=cli/keikai
		plan=$(ninja -C "$build" -n "$target" 2>&1 || true)
		if ! printf '%s\n' "$plan" | grep -q '^ninja: no work to do'; then
			echo "${0##*/}: $build/$target is missing or out of date: ninja -C $build" >&2
			timeout 900 ninja -C "$build" >"$BENCH_TMP/ninja.out" 2>&1 ||
				{ tail -n 40 "$BENCH_TMP/ninja.out" >&2; bench_die "ninja -C $build failed"; }
			rebuilt=", rebuilt by this run"
		fi
	fi
	bench_keikai_bin "$build"
	local src=$KEIKAI
	mkdir -p "$BENCH_TMP/bin"
	cp "$src" "$BENCH_TMP/bin/keikai"
	[ ! -d "$(dirname "$src")/po" ] || cp -R "$(dirname "$src")/po" "$BENCH_TMP/bin/po"
	KEIKAI="$BENCH_TMP/bin/keikai"
	KEIKAI_BUILT="copy of $src ($(date -u -r "$src" '+%Y-%m-%d %H:%M:%S UTC')$rebuilt), sha256 $(sha256sum "$KEIKAI" | cut -c1-12)"
}

# bench_start_keikai DB [NAME]: `keikai serve` on a free port of 127.0.0.1, with
# $BENCH_SERVE_ARGS (word-split; e.g. "--threads 8") added. Every load comes from
# 127.0.0.1, so the limit on reports per address is off (--report-limit 0;
# BENCH_SERVE_ARGS may set one, the later option wins). Sets KEIKAI_PID (the
# pid of timeout(1), which leads its own process group) and KEIKAI_URL
# (http://127.0.0.1:PORT). Output goes to $BENCH_TMP/NAME.{out,err}, NAME
# defaulting to serve.
bench_start_keikai() {
	local db=$1 name=${2:-serve}
	# shellcheck disable=SC2086 # BENCH_SERVE_ARGS is a list of words
	timeout --signal=TERM --kill-after=10 "$BENCH_MAX_LIFETIME" \
		"$KEIKAI" serve --db "$db" --listen 127.0.0.1:0 --report-limit 0 ${BENCH_SERVE_ARGS:-} \
		>"$BENCH_TMP/$name.out" 2>"$BENCH_TMP/$name.err" &
	KEIKAI_PID=$!
	KEIKAI_URL=
	for _ in $(seq 100); do
		KEIKAI_URL=$(sed -n 's|^keikai: listening on \(http://127\.0\.0\.1:[0-9][0-9]*\).*|\1|p' \
			"$BENCH_TMP/$name.out" | head -n 1)
		[ -n "$KEIKAI_URL" ] && return 0
		if ! kill -0 "$KEIKAI_PID" 2>/dev/null; then
			cat "$BENCH_TMP/$name.err" >&2
			bench_die "keikai serve exited before listening"
		fi
		sleep 0.1
	done
	cat "$BENCH_TMP/$name.err" >&2
	bench_die "keikai serve printed no 'keikai: listening on' line within 10 s (is stdout flushed?)"
}

# bench_stop_keikai: bench_stop_pid KEIKAI_PID, then clears KEIKAI_PID.
bench_stop_keikai() {
	KEIKAI_STOP=
	[ -n "${KEIKAI_PID:-}" ] || return 0
	bench_stop_pid "$KEIKAI_PID"
	KEIKAI_PID=
}

# bench_stop_pid PID: stops a server that bench_start_keikai started (PID is its
# KEIKAI_PID): SIGTERM, then wait up to 15 s (timeout(1) forwards the signal and
# kills after 10 s more). Sets KEIKAI_STOP to how it ended.
bench_stop_pid() {
	local pid=$1 rc=0
	KEIKAI_STOP=
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 150); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		# timeout(1) leads its own process group: this is it and keikai.
		kill -KILL -- "-$pid" 2>/dev/null || true
		KEIKAI_STOP="killed (did not stop within 15 s of SIGTERM)"
	fi
	wait "$pid" 2>/dev/null || rc=$?
	[ -n "$KEIKAI_STOP" ] || KEIKAI_STOP="exit status $rc after SIGTERM"
}

bench_cleanup() {
	bench_stop_keikai
	if [ -n "${NGINX_PID:-}" ]; then
		kill -TERM "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
		NGINX_PID=
	fi
	if [ -n "${BENCH_TMP:-}" ] && [ -z "${BENCH_KEEP:-}" ]; then
		rm -rf "$BENCH_TMP"
	elif [ -n "${BENCH_TMP:-}" ]; then
		echo "${0##*/}: kept $BENCH_TMP" >&2
	fi
}

# bench_free_port: prints a TCP port of 127.0.0.1 that was free a moment ago.
bench_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# bench_wrk OUTFILE ARGS...: wrk -tT -cC -dD --latency ARGS, bounded, output saved.
bench_wrk() {
	local out=$1
	shift
	timeout --signal=INT --kill-after=10 120 \
		wrk -t"$BENCH_THREADS" -c"$BENCH_CONNS" -d"$BENCH_DURATION" --latency "$@" >"$out" 2>&1 ||
		{ cat "$out" >&2; bench_die "wrk failed"; }
}

# bench_wrk_field FILE: from wrk's standard report, prints
# "RPS P50 P99 NON2XX SOCKERR" (latencies as wrk writes them, e.g. 1.23ms).
bench_wrk_field() {
	awk '
		/^Requests\/sec:/ { rps = $2 }
		/^ +50%/ { p50 = $2 }
		/^ +99%/ { p99 = $2 }
		/Non-2xx or 3xx responses:/ { non2xx = $NF }
		/Socket errors:/ { sub(/.*Socket errors: */, ""); gsub(/ /, ""); sockerr = $0 }
		END { printf "%s %s %s %s %s\n", rps, p50, p99, non2xx + 0, (sockerr == "" ? "none" : sockerr) }
	' "$1"
}

# Two lines of a CPU snapshot: "machine BUSY TOTAL" (the machine's busy and all
# ticks, from /proc/stat) and "ended S" (CPU seconds of this shell's children that
# have ended, such as wrk between two snapshots). Call it in this shell, not in a
# pipeline: `times` would then speak of a subshell.
bench_cpu_machine() {
	awk '/^cpu / { b = $2 + $3 + $4 + $7 + $8 + $9; print "machine", b, b + $5 + $6 }' /proc/stat
	times >"$BENCH_TMP/times"
	awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] }; print "ended", s }' "$BENCH_TMP/times"
}

# bench_traps FN: runs FN when the script exits; SIGINT and SIGTERM end it with
# 130 and 143, so that FN runs then too.
bench_traps() {
	# shellcheck disable=SC2064 # FN is expanded now, on purpose
	trap "$1" EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# bench_sql DB SQL: runs SQL on DB, a SQLite file or a postgresql:// URI, and
# prints what it returns unaligned (a count: one value).
bench_sql() {
	case $1 in
	postgresql://*) psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c "$2" ;;
	*) sqlite3 "$1" "$2" ;;
	esac
}

# bench_pg_start NAME: a private PostgreSQL cluster made by tests/pg/cluster.sh
# in a fresh directory PG_DIR (under $BENCH_TMPDIR, else $TMPDIR, else /tmp),
# with a database NAME. Sets PG_URI (the cluster's postgres database), PG_DB
# (NAME's URI) and PG_VERSION. The caller's EXIT trap calls bench_pg_stop.
bench_pg_start() {
	local cluster="$REPO_ROOT/tests/pg/cluster.sh"
	[ -x "$cluster" ] || bench_die "$cluster is missing"
	PG_DIR=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/kk-pg.XXXXXX")
	PG_URI=$("$cluster" start "$PG_DIR" 2>"$BENCH_TMP/cluster.err") ||
		{ cat "$BENCH_TMP/cluster.err" >&2; bench_die "tests/pg/cluster.sh could not start a cluster in $PG_DIR"; }
	bench_sql "$PG_URI" "CREATE DATABASE $1" >/dev/null
	PG_DB=$(printf '%s\n' "$PG_URI" | sed "s|^\\(postgresql://[^/?]*/\\)postgres?|\\1$1?|")
	PG_VERSION=$(bench_sql "$PG_URI" 'SHOW server_version' | cut -d' ' -f1)
}

# bench_pg_stop: stops and removes the cluster of bench_pg_start, if there is one.
bench_pg_stop() {
	[ -n "${PG_DIR:-}" ] || return 0
	"$REPO_ROOT/tests/pg/cluster.sh" stop "$PG_DIR" >/dev/null 2>&1 ||
		echo "${0##*/}: could not stop the PostgreSQL cluster in $PG_DIR" >&2
	PG_DIR=
}

# bench_load NAME TOKEN PATH: one GET of PATH as the bearer of TOKEN (its status
# and size), then wrk's figures for it, as one line in BENCH_LOAD_FORMAT (NAME,
# status, size, requests per second, p50, p99, answers not 2xx). Sets STATUS=1
# when the GET or an answer of the load was not 200.
BENCH_LOAD_FORMAT=${BENCH_LOAD_FORMAT:-'%-38s %4s %9s %10s/s  p50 %-9s p99 %-9s non-2xx %s\n'}
bench_load() {
	local name=$1 token=$2 path=$3 code size fields
	read -r code size < <(curl -sS -m 30 -o "$BENCH_TMP/answer" -w '%{http_code} %{size_download}\n' \
		-H "Authorization: Bearer $token" -H 'Accept-Language: en' "$KEIKAI_URL$path")
	if [ "$code" != 200 ]; then
		echo "$path answered $code: $(head -c 300 "$BENCH_TMP/answer")" >&2
		STATUS=1
	fi
	bench_wrk "$BENCH_TMP/wrk.out" -H "Authorization: Bearer $token" -H 'Accept-Language: en' "$KEIKAI_URL$path"
	read -r -a fields < <(bench_wrk_field "$BENCH_TMP/wrk.out")
	[ "${fields[3]}" = 0 ] || { echo "$path: ${fields[3]} answers were not 200" >&2; STATUS=1; }
	# shellcheck disable=SC2059 # the format is the caller's
	printf "$BENCH_LOAD_FORMAT" "$name" "$code" \
		"$(awk -v b="$size" 'BEGIN { printf "%.1f KB", b / 1024 }')" "${fields[0]}" "${fields[1]}" "${fields[2]}" \
		"${fields[3]}"
}

# bench_start_nginx WWW [TYPES]: nginx (worker_processes 2, no access log)
# serving the files of WWW as they are, on a free port of 127.0.0.1, in the
# background (NGINX_PID); NGINX_URL is its base address. WWW and its files are
# made readable to nginx's workers (nobody). TYPES: the body of nginx's
# "types" block (default: text/html for .html). Dies when nginx is missing or
# does not answer.
bench_start_nginx() {
	local www=$1 types=${2:-'text/html html;'} nginx port
	nginx=$(command -v nginx || echo /usr/sbin/nginx)
	[ -x "$nginx" ] || bench_die "nginx is not installed (apt-get install nginx-light)"
	chmod 755 "$BENCH_TMP" "$www"
	chmod 644 "$www"/*
	port=$(bench_free_port)
	cat >"$BENCH_TMP/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $BENCH_TMP/nginx.pid;
error_log $BENCH_TMP/error.log;
events {}
http {
	access_log off;
	client_body_temp_path $BENCH_TMP/client_body;
	proxy_temp_path $BENCH_TMP/proxy;
	types { $types }
	server {
		listen 127.0.0.1:$port;
		root $www;
	}
}
EOF
	timeout --signal=TERM --kill-after=10 "$BENCH_MAX_LIFETIME" \
		"$nginx" -p "$BENCH_TMP/" -c "$BENCH_TMP/nginx.conf" -e "$BENCH_TMP/error.log" \
		>"$BENCH_TMP/nginx.out" 2>&1 &
	NGINX_PID=$!
	NGINX_URL="http://127.0.0.1:$port"
	for _ in $(seq 100); do
		curl -s -m 2 -o /dev/null "$NGINX_URL/" && return 0
		kill -0 "$NGINX_PID" 2>/dev/null || { cat "$BENCH_TMP/nginx.out" "$BENCH_TMP/error.log" >&2; bench_die "nginx exited"; }
		sleep 0.1
	done
	bench_die "nginx does not answer on $NGINX_URL"
}

# bench_vs_nginx LABEL GOAL KEIKAI_URL NGINX_URL [wrk args for keikai]: wrk
# against each in turn, one line each and the ratio keikai/nginx of requests
# per second against GOAL. Returns 1 when either answered anything but 2xx.
bench_vs_nginx() {
	local label=$1 goal=$2 kurl=$3 nurl=$4 ratio met
	shift 4
	bench_wrk "$BENCH_TMP/wrk-keikai.out" "$@" "$kurl"
	bench_wrk "$BENCH_TMP/wrk-nginx.out" "$nurl"
	read -r K_RPS K_P50 K_P99 K_NON2XX K_SOCK <<<"$(bench_wrk_field "$BENCH_TMP/wrk-keikai.out")"
	read -r N_RPS N_P50 N_P99 N_NON2XX N_SOCK <<<"$(bench_wrk_field "$BENCH_TMP/wrk-nginx.out")"
	if [ -z "$K_RPS" ] || [ -z "$N_RPS" ]; then
		cat "$BENCH_TMP"/wrk-*.out >&2
		bench_die "could not read wrk's results"
	fi
	ratio=$(awk -v k="$K_RPS" -v n="$N_RPS" 'BEGIN { printf "%.3f", k / n }')
	met=$(awk -v r="$ratio" -v g="$goal" 'BEGIN { print (r >= g ? "met" : "MISSED") }')
	echo "== $label, wrk -t$BENCH_THREADS -c$BENCH_CONNS -d$BENCH_DURATION =="
	printf '%-18s %10s  p50 %-9s p99 %-9s non-2xx %s, socket errors %s\n' "keikai req/s" "$K_RPS" "$K_P50" "$K_P99" "$K_NON2XX" "$K_SOCK"
	printf '%-18s %10s  p50 %-9s p99 %-9s non-2xx %s, socket errors %s\n' "nginx req/s" "$N_RPS" "$N_P50" "$N_P99" "$N_NON2XX" "$N_SOCK"
	printf '%-18s %10s  (goal >= %s: %s)\n' "keikai/nginx" "$ratio" "$goal" "$met"
	[ "$K_NON2XX" -eq 0 ] && [ "$N_NON2XX" -eq 0 ]
}
