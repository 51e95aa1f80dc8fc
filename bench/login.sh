#!/usr/bin/env bash
# bench/login.sh BUILD_DIR: two properties of staff sign-in, measured (not asserted).
#
# 1. Timing does not tell which e-mails exist. Passwords are argon2id hashes
#    (libsodium, interactive cost) and an unknown e-mail is checked against a dummy
#    hash of the same cost (lib/account/account.c), so refusing it should take as long as
#    refusing a wrong password. bench/login_timing.py signs in through the HTML form
#    (GET /login for the CSRF cookie and field, then POST /login, only the POST
#    timed), LOGIN_N (20) times each: an unknown e-mail (a new one each time), a known
#    e-mail with a wrong password (five users in turn, each attempt from a loopback
#    address of its own, so sign-in throttling never answers) and a known e-mail
#    with the right password. Printed:
#    median and p90 of each, and unknown/wrong of the medians (goal: 0.8 to 1.25).
# 2. Sign-ins do not hold up report intake. `wrk -t1 -c4 --latency -s
#    bench/post_report.lua URL/api/v1/reports` for LOGIN_DURATION (8s) alone, then
#    again while 4 shell loops sign in with curl (right password, a known user each,
#    one after the other as fast as answered). Printed: the submissions' rate, p50
#    and p99 in both, the ratio of the p50s (goal: <= 2), and the sign-ins done.
#    Then a control, as long again: the same load while 4 loops of `keikai user add`
#    hash at the same cost into scratch databases, outside the server, so the cores
#    are as busy but no hashing happens in the server: what is left between the
#    control and the run with sign-ins is what the server's sign-in path itself costs
#    intake (on 2 cores, 4 hashing loops take all the CPU whichever process they run in).
#
# One fresh database and one server for both parts; the users are added with the
# real hashing cost (KEIKAI_PWHASH is unset for this script). Exit status 1 when a
# sign-in answered other than expected (401 refused, 303 signed in) or a submission
# other than 201; the goals are only reported. The whole run takes about 45 s.
# Environment: LOGIN_N (20), LOGIN_DURATION (BENCH_DURATION when that is set, else
# 8s), BENCH_TMPDIR, BENCH_KEEP=1, BENCH_SERVE_ARGS as for the other scripts.

set -euo pipefail
LOGIN_DURATION=${LOGIN_DURATION:-${BENCH_DURATION:-8s}} # before lib.sh sets its default
. "$(dirname "$0")/lib.sh"
unset KEIKAI_PWHASH # the real cost is the point

command -v curl >/dev/null || bench_die "curl is not installed"
command -v python3 >/dev/null || bench_die "python3 is not installed"
LOGIN_N=${LOGIN_N:-20}
# shellcheck disable=SC2034 # read by bench_wrk (lib.sh)
BENCH_THREADS=1 BENCH_CONNS=4 BENCH_DURATION=$LOGIN_DURATION
LOOPS=4
PASSWORD=bench-login-password-1
USERS=(known@ipa.example known-2@ipa.example known-3@ipa.example known-4@ipa.example known-5@ipa.example)

LOOP_PIDS=()
stop_loops() {
	[ -z "${BENCH_TMP:-}" ] || : >"$BENCH_TMP/stop"
	local p
	for p in "${LOOP_PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	LOOP_PIDS=()
}
cleanup() {
	stop_loops
	bench_cleanup
}
trap cleanup EXIT
bench_tmpdir
bench_keikai_private "${1:-}"
command -v wrk >/dev/null || bench_die "wrk is not installed (apt-get install wrk)"

DB="$BENCH_TMP/keikai.db"
"$KEIKAI" init --db "$DB" >"$BENCH_TMP/init.out" 2>&1 || { cat "$BENCH_TMP/init.out" >&2; bench_die "keikai init failed"; }
T0=$(date +%s.%N)
for u in "${USERS[@]}"; do
	printf '%s\n' "$PASSWORD" | timeout 60 "$KEIKAI" user add --db "$DB" --org IPA --role intake \
		--email "$u" --name K --password-stdin >>"$BENCH_TMP/init.out" 2>&1 ||
		{ cat "$BENCH_TMP/init.out" >&2; bench_die "keikai user add $u failed"; }
done
ADD_MS=$(awk -v t0="$T0" -v t1="$(date +%s.%N)" -v n=${#USERS[@]} 'BEGIN { printf "%.0f", (t1 - t0) * 1000 / n }')

bench_start_keikai "$DB"
STATUS=0

# The server's own process (timeout(1) is KEIKAI_PID). cpu_snap OUT: CPU clock
# ticks of the server and of the machine (busy, total), and the CPU seconds of this
# shell's children that have ended (wrk, the loops with their curl or keikai user add
# once waited for), for cpu_line.
SERVER_PID=$(pgrep -P "$KEIKAI_PID" | head -n 1)
cpu_snap() {
	{
		awk '{ print "keikai", $14 + $15 }' "/proc/$SERVER_PID/stat" 2>/dev/null || echo "keikai 0"
		bench_cpu_machine
	} >"$1"
}
# cpu_line BEFORE AFTER: cores busy between the two snapshots, and who used them:
# the server, this script's load (wrk, the loops) and the rest: the kernel's own work
# and any other process, so a large rest means the machine was not quiet.
cpu_line() {
	awk -v hz="$(getconf CLK_TCK)" -v cores="$(nproc)" '
		NR == FNR { v[$1] = $2; if ($1 == "machine") t0 = $3; next }
		$1 == "keikai" { k = ($2 - v["keikai"]) / hz }
		$1 == "machine" { busy = ($2 - v["machine"]) / hz; wall = ($3 - t0) / hz / cores }
		$1 == "ended" { load = $2 - v["ended"] }
		END {
			printf "%.2f of %d cores busy over %.1f s: keikai %.1f s, wrk and loops %.1f s, the rest %.1f s",
				busy / wall, cores, wall, k, load, busy - k - load
		}' "$1" "$2"
}

# ---- 1. timing of refusals -------------------------------------------------
cpu_snap "$BENCH_TMP/cpu-t0"
timeout 120 python3 "$BENCH_DIR/login_timing.py" "$KEIKAI_URL" "$LOGIN_N" "$PASSWORD" "${USERS[@]}" \
	>"$BENCH_TMP/timing.out" 2>&1 || { cat "$BENCH_TMP/timing.out" >&2; bench_die "login_timing.py failed"; }
cpu_snap "$BENCH_TMP/cpu-t1"
tv() { sed -n "s/^login_timing: case=$1 .*\\b$2=\\([^ ]*\\).*/\\1/p" "$BENCH_TMP/timing.out"; }
UNEXPECTED=$(sed -n 's/^login_timing: unexpected=//p' "$BENCH_TMP/timing.out")
RATIO=$(awk -v a="$(tv unknown median_ms)" -v b="$(tv wrong median_ms)" 'BEGIN { printf "%.2f", a / b }')
RATIO_MET=$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.8 && r <= 1.25) ? "met" : "MISSED" }')

echo "== login: sign-in timing through POST /login, $LOGIN_N of each (argon2id, interactive cost) =="
printf '%-26s %s\n' "keikai user add" "$ADD_MS ms each (one hash, the whole command)"
for c in unknown wrong right; do
	case $c in
	unknown) label="unknown e-mail" ;;
	wrong) label="known, wrong password" ;;
	right) label="known, right password" ;;
	esac
	printf '%-26s median %6s ms, p90 %6s ms (min %s, max %s; answers %s)\n' "$label" \
		"$(tv $c median_ms)" "$(tv $c p90_ms)" "$(tv $c min_ms)" "$(tv $c max_ms)" "$(tv $c status)"
done
printf '%-26s %s\n' "unknown / wrong (medians)" "$RATIO  (goal 0.8 to 1.25: $RATIO_MET)"
printf '%-26s %s\n' "cpu" "$(cpu_line "$BENCH_TMP/cpu-t0" "$BENCH_TMP/cpu-t1")"
if [ "${UNEXPECTED:-1}" -ne 0 ]; then
	printf '%-26s %s\n' "unexpected answers" "$UNEXPECTED (expected 401, 401, 303; a 429 is the throttle)"
	STATUS=1
fi

# ---- 2. intake with and without sign-ins --------------------------------------
# signin_loop I EMAIL: signs in as EMAIL again and again until $BENCH_TMP/stop
# appears (or 60 s pass), one "STATUS SECONDS" line per POST in signin.I.
signin_loop() {
	local i=$1 email=$2 jar csrf end=$((SECONDS + 60))
	jar="$BENCH_TMP/jar.$i"
	while [ ! -e "$BENCH_TMP/stop" ] && [ "$SECONDS" -lt "$end" ]; do
		rm -f "$jar"
		csrf=$(curl -sS -m 10 -c "$jar" -H 'Accept-Language: en' "$KEIKAI_URL/login" |
			sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1) || csrf=
		curl -sS -m 30 -b "$jar" -c "$jar" -o /dev/null -w '%{http_code} %{time_total}\n' \
			-H 'Accept-Language: en' --data-urlencode "email=$email" \
			--data-urlencode "password=$PASSWORD" --data-urlencode "csrf=$csrf" \
			"$KEIKAI_URL/login" >>"$BENCH_TMP/signin.$i" 2>&1 || echo "000 0" >>"$BENCH_TMP/signin.$i"
	done
}

# hash_loop I: the control: the same hashing outside the server. `keikai user add`
# (one argon2id hash at the same cost, plus starting the process and a small commit)
# into a scratch database of its own, again and again until $BENCH_TMP/stop appears
# (or 60 s pass); one line per user added in hash.I.
hash_loop() {
	local i=$1 n=0 end=$((SECONDS + 60))
	while [ ! -e "$BENCH_TMP/stop" ] && [ "$SECONDS" -lt "$end" ]; do
		n=$((n + 1))
		printf '%s\n' "$PASSWORD" | timeout 30 "$KEIKAI" user add --db "$BENCH_TMP/scratch.$i.db" \
			--org X --role intake --email "h-$i-$n@scratch.example" --name H --password-stdin \
			>/dev/null 2>&1 && echo ok >>"$BENCH_TMP/hash.$i" || echo failed >>"$BENCH_TMP/hash.$i"
	done
}

# start_loops FUNCTION: $LOOPS of it in the background, I = 1.., with USERS[I].
start_loops() {
	local i
	rm -f "$BENCH_TMP/stop"
	for i in $(seq "$LOOPS"); do
		"$1" "$i" "${USERS[i - 1]}" &
		LOOP_PIDS+=($!)
	done
	LOOPS_T0=$(date +%s.%N)
}

# end_loops: stops them, sets LOOPS_WALL to the seconds they ran.
end_loops() {
	local p
	: >"$BENCH_TMP/stop"
	for p in "${LOOP_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	LOOP_PIDS=()
	LOOPS_WALL=$(awk -v a="$LOOPS_T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
}

val() { sed -n "s/^post_report: .*\\b$2=\\([0-9]*\\).*/\\1/p" "$1" | head -n 1; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f ms", us / 1000 }'; }
rate() { awk -v n="$1" -v us="$2" 'BEGIN { printf "%.0f", n / (us / 1e6) }'; }

# wrk_part NAME: the submissions' line for wrk's output $BENCH_TMP/NAME.wrk.
wrk_part() {
	local f="$BENCH_TMP/$1.wrk" created non201
	created=$(val "$f" created)
	non201=$(val "$f" non201)
	[ -n "$created" ] || { cat "$f" >&2; bench_die "wrk printed no counts"; }
	[ "$non201" -eq 0 ] || STATUS=1
	printf '%s reports/s, p50 %s, p99 %s, max %s (201: %s, other: %s)' \
		"$(rate "$created" "$(val "$f" duration_us)")" "$(ms "$(val "$f" p50_us)")" \
		"$(ms "$(val "$f" p99_us)")" "$(ms "$(val "$f" max_us)")" "$created" "$non201"
}

cpu_snap "$BENCH_TMP/cpu0"
bench_wrk "$BENCH_TMP/alone.wrk" -s "$BENCH_DIR/post_report.lua" "$KEIKAI_URL/api/v1/reports"
cpu_snap "$BENCH_TMP/cpu1"
CPU_ALONE=$(cpu_line "$BENCH_TMP/cpu0" "$BENCH_TMP/cpu1")

cpu_snap "$BENCH_TMP/cpu2"
start_loops signin_loop
bench_wrk "$BENCH_TMP/signins.wrk" -s "$BENCH_DIR/post_report.lua" "$KEIKAI_URL/api/v1/reports"
end_loops
cpu_snap "$BENCH_TMP/cpu3"
CPU_SIGNINS=$(cpu_line "$BENCH_TMP/cpu2" "$BENCH_TMP/cpu3")
SIGNIN_WALL=$LOOPS_WALL

for i in $(seq "$LOOPS"); do
	"$KEIKAI" init --db "$BENCH_TMP/scratch.$i.db" >>"$BENCH_TMP/init.out" 2>&1 ||
		{ cat "$BENCH_TMP/init.out" >&2; bench_die "keikai init (scratch) failed"; }
done
cpu_snap "$BENCH_TMP/cpu4"
start_loops hash_loop
bench_wrk "$BENCH_TMP/hashing.wrk" -s "$BENCH_DIR/post_report.lua" "$KEIKAI_URL/api/v1/reports"
end_loops
cpu_snap "$BENCH_TMP/cpu5"
CPU_HASHING=$(cpu_line "$BENCH_TMP/cpu4" "$BENCH_TMP/cpu5")
HASH_WALL=$LOOPS_WALL
bench_stop_keikai

cat "$BENCH_TMP"/signin.[0-9]* >"$BENCH_TMP/signin.all"
SIGNINS=$(awk '$1 == 303' "$BENCH_TMP/signin.all" | wc -l)
SIGNIN_BAD=$(awk '$1 != 303' "$BENCH_TMP/signin.all" | wc -l)
SIGNIN_STATS=$(awk '$1 == 303 { print $2 * 1000 }' "$BENCH_TMP/signin.all" | sort -n |
	awk '{ t[NR] = $1 } END { if (NR) printf "median %.1f ms, p90 %.1f ms", t[int((NR + 1) / 2)], t[int(0.9 * NR + 0.999)]; else printf "none" }')
P50_ALONE=$(val "$BENCH_TMP/alone.wrk" p50_us)
P50_SIGNINS=$(val "$BENCH_TMP/signins.wrk" p50_us)
P50_RATIO=$(awk -v a="$P50_SIGNINS" -v b="$P50_ALONE" 'BEGIN { printf "%.2f", a / b }')
P50_MET=$(awk -v r="$P50_RATIO" 'BEGIN { print r <= 2 ? "met" : "MISSED" }')

echo
echo "== login: POST /api/v1/reports, wrk -t1 -c4 -d$LOGIN_DURATION, alone and with $LOOPS sign-in loops =="
printf '%-26s %s\n' "alone" "$(wrk_part alone)"
printf '%-26s %s\n' "" "cpu: $CPU_ALONE"
printf '%-26s %s\n' "with sign-ins" "$(wrk_part signins)"
printf '%-26s %s\n' "" "cpu: $CPU_SIGNINS"
printf '%-26s %s\n' "p50 with / alone" "$P50_RATIO  (goal <= 2: $P50_MET)"
printf '%-26s %s\n' "sign-ins meanwhile" "$SIGNINS by $LOOPS curl loops in $SIGNIN_WALL s; POST /login $SIGNIN_STATS"
if [ "$SIGNIN_BAD" -ne 0 ]; then
	printf '%-26s %s\n' "sign-ins not 303" "$SIGNIN_BAD: $(awk '$1 != 303 { print $1 }' "$BENCH_TMP/signin.all" | sort | uniq -c | tr -s ' \n' ' ')"
	STATUS=1
fi
printf '%-26s %s\n' "control: hashing outside" "$(wrk_part hashing)"
printf '%-26s %s\n' "" "cpu: $CPU_HASHING"
printf '%-26s %s\n' "" "$(cat "$BENCH_TMP"/hash.[0-9]* 2>/dev/null | grep -c '^ok$' || true) users added by $LOOPS loops of \`keikai user add\` in $HASH_WALL s ($(cat "$BENCH_TMP"/hash.[0-9]* 2>/dev/null | grep -c '^failed$' || true) failed)"
printf '%-26s %s\n' "p50 control / alone" "$(awk -v a="$(val "$BENCH_TMP/hashing.wrk" p50_us)" -v b="$P50_ALONE" 'BEGIN { printf "%.2f", a / b }')  (what the CPU taken by hashing costs by itself)"
printf '%-26s %s\n' "server" "$KEIKAI_BUILT; stopped: $KEIKAI_STOP"
printf '%-26s %s\n' "database on" "$(bench_fs_note "$BENCH_TMP")"
exit $STATUS
