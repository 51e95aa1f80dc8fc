#!/usr/bin/env bash
# bench/portal_vs_nginx.sh BUILD_DIR: how fast keikai serves the public portal
# (issue 12's benchmark): an advisory page (GET /advisories/JVNVU…, Japanese)
# and the JVNRSS feed (GET /feed/jvnrss.rdf, the newest 50), each against
# nginx serving the same bytes from a file in the same run.
#
# keikai gets a fresh database filled by `keikai demo` (three published
# advisories, one of four vendors: the page measured); the page and the feed
# are fetched once with curl and saved where nginx (worker_processes 2, no
# access log) serves them. Then `wrk -t2
# -c8 -d10s` (8 clients) runs against each in turn, anonymous readers (no
# cookies: the public pages' caching path), and the ratio keikai/nginx of
# requests per second is printed.
#
# Goal: ratio >= 0.8. Exit status 1 only when a server could not be started or
# an answer was not 2xx. Environment as for report_submit.sh.

set -euo pipefail
. "$(dirname "$0")/lib.sh"

bench_keikai_bin "${1:-}"
GOAL=0.8

trap bench_cleanup EXIT
bench_tmpdir
DB="$BENCH_TMP/keikai.db"
{ "$KEIKAI" init --db "$DB" && "$KEIKAI" demo --db "$DB"; } >"$BENCH_TMP/init.out" 2>&1 ||
	{ cat "$BENCH_TMP/init.out" >&2; bench_die "keikai init or demo failed"; }
ID=$("$KEIKAI" advisory list --db "$DB" | awk '$3 ~ /^JVNVU#/ { sub("#", "", $3); print $3; exit }')
[ -n "$ID" ] || bench_die "the demo published no JVNVU advisory"
bench_start_keikai "$DB"

WWW="$BENCH_TMP/www"
mkdir -p "$WWW"
fetch() { # URL FILE: the answer saved, its size and type printed; dies unless 200
	local got code size ctype
	got=$(curl -sS -m 10 -o "$2" -w '%{http_code} %{size_download} %{content_type}' "$1") || got="000 0 -"
	read -r code size ctype <<<"$got"
	[ "$code" = 200 ] || bench_die "GET $1 answered $code: $(head -c 300 "$2")"
	echo "$size bytes, $ctype"
}
PAGE="$KEIKAI_URL/advisories/$ID?lang=ja"
FEED="$KEIKAI_URL/feed/jvnrss.rdf"
PAGE_INFO=$(fetch "$PAGE" "$WWW/advisory.html")
FEED_INFO=$(fetch "$FEED" "$WWW/jvnrss.rdf")
bench_start_nginx "$WWW" 'text/html html; application/rdf+xml rdf;'

rc=0
bench_vs_nginx "portal: GET /advisories/$ID?lang=ja ($PAGE_INFO)" "$GOAL" "$PAGE" "$NGINX_URL/advisory.html" || rc=1
bench_vs_nginx "portal: GET /feed/jvnrss.rdf ($FEED_INFO)" "$GOAL" "$FEED" "$NGINX_URL/jvnrss.rdf" || rc=1
bench_stop_keikai
exit $rc
