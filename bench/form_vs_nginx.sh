#!/usr/bin/env bash
# bench/form_vs_nginx.sh BUILD_DIR: how fast keikai serves the Japanese product report
# form (GET /report/product?lang=ja), measured against nginx serving the same bytes
# as a static file on the same machine.
#
# keikai gets a fresh database and a free port; its page is fetched once with curl and
# saved as report.html in a temp directory that nginx (worker_processes 2, no access
# log) serves. Then `wrk -t2 -c8 -d10s` runs against each in turn (keikai with
# Accept-Language: ja; wrk sends no cookies, so every request is a new visitor) and
# the ratio keikai/nginx of requests per second is printed.
#
# Goal: ratio >= 0.5. Exit status 1 only when a server could not be started or an
# answer was not 2xx. Environment as for report_submit.sh.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

bench_keikai_bin "${1:-}"
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || bench_die "nginx is not installed (apt-get install nginx-light)"
GOAL=0.5

trap bench_cleanup EXIT
bench_tmpdir
DB="$BENCH_TMP/keikai.db"
"$KEIKAI" init --db "$DB" >"$BENCH_TMP/init.out" 2>&1 || { cat "$BENCH_TMP/init.out" >&2; bench_die "keikai init failed"; }
bench_start_keikai "$DB"
FORM_URL="$KEIKAI_URL/report/product?lang=ja"

# nginx's root holds only the page; its workers run as nobody and must read it.
WWW="$BENCH_TMP/www"
mkdir -p "$WWW"
chmod 755 "$BENCH_TMP" "$WWW"
GOT=$(curl -sS -m 10 -H 'Accept-Language: ja' -o "$WWW/report.html" \
	-w '%{http_code} %{size_download} %{content_type}' "$FORM_URL") || GOT="000 0 -"
chmod 644 "$WWW/report.html"
read -r CODE SIZE CTYPE <<<"$GOT"
[ "$CODE" = 200 ] || bench_die "GET $FORM_URL answered $CODE: $(head -c 300 "$WWW/report.html")"

PORT2=$(bench_free_port)
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
	server {
		listen 127.0.0.1:$PORT2;
		root $WWW;
		location / { default_type text/html; }
	}
}
EOF
timeout --signal=TERM --kill-after=10 "$BENCH_MAX_LIFETIME" \
	"$NGINX" -p "$BENCH_TMP/" -c "$BENCH_TMP/nginx.conf" -e "$BENCH_TMP/error.log" \
	>"$BENCH_TMP/nginx.out" 2>&1 &
NGINX_PID=$!
STATIC_URL="http://127.0.0.1:$PORT2/report.html"
for _ in $(seq 100); do
	curl -sf -m 2 -o /dev/null "$STATIC_URL" && break
	kill -0 "$NGINX_PID" 2>/dev/null || { cat "$BENCH_TMP/nginx.out" "$BENCH_TMP/error.log" >&2; bench_die "nginx exited"; }
	sleep 0.1
done
curl -sf -m 2 -o /dev/null "$STATIC_URL" || bench_die "nginx does not answer on $STATIC_URL"

bench_wrk "$BENCH_TMP/wrk-keikai.out" -H 'Accept-Language: ja' "$FORM_URL"
bench_wrk "$BENCH_TMP/wrk-nginx.out" "$STATIC_URL"

read -r K_RPS K_P50 K_P99 K_NON2XX K_SOCK <<<"$(bench_wrk_field "$BENCH_TMP/wrk-keikai.out")"
read -r N_RPS N_P50 N_P99 N_NON2XX N_SOCK <<<"$(bench_wrk_field "$BENCH_TMP/wrk-nginx.out")"
if [ -z "$K_RPS" ] || [ -z "$N_RPS" ]; then
	cat "$BENCH_TMP"/wrk-*.out >&2
	bench_die "could not read wrk's results"
fi
RATIO=$(awk -v k="$K_RPS" -v n="$N_RPS" 'BEGIN { printf "%.3f", k / n }')
MET=$(awk -v r="$RATIO" -v g="$GOAL" 'BEGIN { print (r >= g ? "met" : "MISSED") }')

echo "== form_vs_nginx: GET /report/product?lang=ja ($SIZE bytes, $CTYPE), wrk -t$BENCH_THREADS -c$BENCH_CONNS -d$BENCH_DURATION =="
printf '%-18s %10s  p50 %-9s p99 %-9s non-2xx %s, socket errors %s\n' "keikai req/s" "$K_RPS" "$K_P50" "$K_P99" "$K_NON2XX" "$K_SOCK"
printf '%-18s %10s  p50 %-9s p99 %-9s non-2xx %s, socket errors %s\n' "nginx req/s" "$N_RPS" "$N_P50" "$N_P99" "$N_NON2XX" "$N_SOCK"
printf '%-18s %10s  (goal >= %s: %s)\n' "keikai/nginx" "$RATIO" "$GOAL" "$MET"
bench_stop_keikai
[ "$K_NON2XX" -eq 0 ] && [ "$N_NON2XX" -eq 0 ]
