#!/bin/bash
# bench/mail.sh: outbox delivery rate (issue 11's benchmark): messages per
# second `keikai outbox send` hands to a local SMTP server (Debian's aiosmtpd,
# tests/e2e/lib/smtp_server.py, which writes every message to disk), first
# N messages in plain (a recipient without a key: the content-free notice),
# then N PGP/MIME encrypted and signed (a vendor whose key is on record,
# `keikai pgp init` for the organisation's). Checks that every message
# arrived and every row is sent; never fails on a time.
# Usage: bench/mail.sh BUILD_DIR   (BENCH_MAIL_N: messages per run, default 500)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

build=${1:?usage: bench/mail.sh BUILD_DIR}
[ -d "$build" ] || build="$REPO_ROOT/$build"
KEIKAI=$(cd "$build" && pwd)/keikai
[ -x "$KEIKAI" ] || bench_die "$KEIKAI is missing"
N=${BENCH_MAIL_N:-500}
export KEIKAI_PWHASH=fast
bench_tmpdir
SMTP_PID=
cleanup() {
	[ -z "$SMTP_PID" ] || kill "$SMTP_PID" 2>/dev/null || true
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$BENCH_TMP"
}
trap cleanup EXIT

db=$BENCH_TMP/keikai.db
mbox=$BENCH_TMP/mbox
mkdir -p "$mbox"
"$KEIKAI" init --db "$db" >/dev/null
"$KEIKAI" pgp init --db "$db" --name "Bench CERT" --email cert@bench.example >/dev/null

# the vendor's key pair, in a GnuPG home of its own
export GNUPGHOME=$BENCH_TMP/vendor-gnupg
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Vendor PSIRT <psirt@vendor.example>' default default never
gpg --batch --armor --export psirt@vendor.example >"$BENCH_TMP/vendor.asc"
unset GNUPGHOME
vid=$("$KEIKAI" vendor add --db "$db" --name-en 'Bench Vendor' --email psirt@vendor.example --lang en)
"$KEIKAI" vendor set-key --db "$db" "$vid" "$BENCH_TMP/vendor.asc" >/dev/null

timeout "$BENCH_MAX_LIFETIME" /usr/bin/python3 "$REPO_ROOT/tests/e2e/lib/smtp_server.py" --dir "$mbox" \
	>"$BENCH_TMP/smtp.out" 2>"$BENCH_TMP/smtp.err" &
SMTP_PID=$!
for _ in $(seq 100); do grep -q READY "$BENCH_TMP/smtp.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^READY //p' "$BENCH_TMP/smtp.out")
[ -n "$port" ] || bench_die "the SMTP server did not start: $(cat "$BENCH_TMP/smtp.err")"
"$KEIKAI" config set --db "$db" smtp.url "smtp://127.0.0.1:$port" >/dev/null
"$KEIKAI" config set --db "$db" smtp.starttls off >/dev/null
"$KEIKAI" config set --db "$db" smtp.from 'Bench CERT <cert@bench.example>' >/dev/null

# queue n messages of kind to recipient (the rows as kk_outbox_queue writes them;
# the reply token is given at the claim)
queue() {
	sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
		INSERT INTO outbox(created_at, kind, recipient, subject, body, lang)
		SELECT strftime('%s','now'), '$2', '$3', 'Bench ' || i, 'Body ' || i, 'en' FROM n;"
}

run() {
	local what=$1 before after t0 t1 sent
	before=$(find "$mbox" -name '*.json' | wc -l)
	t0=$(date +%s.%N)
	timeout "$BENCH_MAX_LIFETIME" "$KEIKAI" outbox send --db "$db" >"$BENCH_TMP/send-$what.out"
	t1=$(date +%s.%N)
	after=$(find "$mbox" -name '*.json' | wc -l)
	sent=$(sqlite3 "$db" "SELECT count(*) FROM outbox WHERE status = 'sent'")
	[ $((after - before)) -eq "$N" ] || bench_die "$what: $((after - before)) of $N messages arrived"
	printf '%-10s %5d messages  %7.2f s  %8.1f messages/s  (%d rows sent in all)\n' "$what" "$N" \
		"$(echo "$t1 - $t0" | bc)" "$(echo "$N / ($t1 - $t0)" | bc -l)" "$sent"
}

echo "mail delivery to aiosmtpd on 127.0.0.1, SQLite, $N messages each"
queue "$N" acknowledgement finder@bench.example
run plain
queue "$N" case_summary psirt@vendor.example
run encrypted
enc=$(grep -l 'multipart/encrypted' "$mbox"/*.eml | wc -l)
[ "$enc" -eq "$N" ] || bench_die "$enc of $N vendor messages were encrypted"
