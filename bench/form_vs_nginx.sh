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
GOAL=0.5

trap bench_cleanup EXIT
bench_tmpdir
DB="$BENCH_TMP/keikai.db"
"$KEIKAI" init --db "$DB" >"$BENCH_TMP/init.out" 2>&1 || { cat "$BENCH_TMP/init.out" >&2; bench_die "keikai init failed"; }
bench_start_keikai "$DB"
FORM_URL="$KEIKAI_URL/report/product?lang=ja"

# nginx's root holds only the page
WWW="$BENCH_TMP/www"
mkdir -p "$WWW"
GOT=$(curl -sS -m 10 -H 'Accept-Language: ja' -o "$WWW/report.html" \
	-w '%{http_code} %{size_download} %{content_type}' "$FORM_URL") || GOT="000 0 -"
read -r CODE SIZE CTYPE <<<"$GOT"
[ "$CODE" = 200 ] || bench_die "GET $FORM_URL answered $CODE: $(head -c 300 "$WWW/report.html")"
bench_start_nginx "$WWW"

rc=0
bench_vs_nginx "form_vs_nginx: GET /report/product?lang=ja ($SIZE bytes, $CTYPE)" "$GOAL" "$FORM_URL" \
	"$NGINX_URL/report.html" -H 'Accept-Language: ja' || rc=1
bench_stop_keikai
exit $rc
