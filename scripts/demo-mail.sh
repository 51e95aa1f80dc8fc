#!/bin/sh
# The demo's mail (issue 11): a real SMTP server on loopback (Debian's
# python3-aiosmtpd) whose mailbox is DIR/maildir, the organisation's OpenPGP key,
# and a key pair for the vendor サンプル電機 (in DIR/vendor-gnupg), so that the
# notices keikai sends it arrive encrypted and signed and can be read with gpg.
#
#   scripts/demo-mail.sh setup  KEIKAI DB DIR          configure mail for the demo
#   scripts/demo-mail.sh serve  KEIKAI DB DIR LISTEN   the SMTP server, then keikai serve
#   scripts/demo-mail.sh reply  KEIKAI DB DIR [TEXT]   サンプル電機 answers its last notice by mail
#   scripts/demo-mail.sh bounce KEIKAI DB DIR          Example Corp's last notice bounces
#
# docs/cli/demo.md shows how to read the mailbox.
set -eu
[ $# -ge 4 ] || { echo "usage: $0 setup|serve|reply|bounce KEIKAI DB DIR [...]" >&2; exit 2; }
cmd=$1 keikai=$2 db=$3 dir=$4
shift 4
port=${DEMO_SMTP_PORT:-2525}
python=/usr/bin/python3
vendor=psirt@sample-denki.example
export GNUPGHOME="$dir/vendor-gnupg"

# The newest outbox message to $1 as "TOKEN SUBJECT-REF MESSAGE-ID".
last_to() {
	"$keikai" outbox list --db "$db" --json | "$python" -c '
import json, sys
rows = [m for m in json.load(sys.stdin) if m["recipient"] == sys.argv[1] and m.get("reply_token")]
if not rows:
    sys.exit("no message to " + sys.argv[1] + " in the outbox yet")
m = rows[-1]
print(m["reply_token"], m.get("case") or m.get("report") or "", m.get("message_id") or "")' "$1"
}

# The reply address of token $1: smtp.from's local part + "+" + token @ its domain.
reply_address() {
	from=$("$keikai" config get --db "$db" smtp.from | sed 's/.*<\(.*\)>.*/\1/')
	echo "${from%@*}+$1@${from#*@}"
}

case $cmd in
setup)
	mkdir -p "$dir/maildir/cur" "$dir/maildir/new" "$dir/maildir/tmp" "$GNUPGHOME"
	chmod 700 "$GNUPGHOME"
	"$keikai" config set --db "$db" smtp.url "smtp://127.0.0.1:$port"
	"$keikai" config set --db "$db" smtp.from "keikai <keikai@ipa.example>"
	"$keikai" pgp init --db "$db" --name "keikai demo (IPA)" --email keikai@ipa.example
	gpg --batch --quiet --passphrase '' --quick-gen-key "サンプル電機 PSIRT <$vendor>" default default never
	gpg --armor --export "$vendor" >"$dir/vendor-key.asc"
	id=$("$keikai" vendor search --db "$db" --json "サンプル電機" | head -1 | "$python" -c '
import json, sys
print(json.load(sys.stdin)["vendor_id"])')
	"$keikai" vendor set-key --db "$db" "$id" "$dir/vendor-key.asc"
	"$keikai" pgp show --db "$db" | gpg --batch --quiet --import
	echo "demo mail: mail goes to smtp://127.0.0.1:$port and lands in $dir/maildir/new;"
	echo "  サンプル電機's secret key is in $GNUPGHOME: GNUPGHOME=$GNUPGHOME gpg --decrypt FILE"
	;;
serve)
	[ $# -eq 1 ] || { echo "usage: $0 serve KEIKAI DB DIR LISTEN" >&2; exit 2; }
	"$python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$dir/maildir" &
	smtp=$!
	trap 'kill $smtp 2>/dev/null' EXIT INT TERM
	# the server first: keikai's delivery worker sends as soon as it starts
	"$python" -c '
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("the demo SMTP server did not start")' "$port"
	"$keikai" serve --db "$db" --listen "$1"
	;;
reply)
	set -- "${1:-確認しました。該当製品の調査を始めます。}"
	last=$(last_to "$vendor")
	token=${last%% *} rest=${last#* } ref=${rest%% *} msgid=${rest#* }
	org=$("$keikai" pgp show --db "$db" | head -1)
	body=$(printf 'Content-Type: text/plain; charset=UTF-8\n\n%s\n' "$1" |
		gpg --batch --quiet --trust-model always --armor --encrypt --sign -r "$org")
	{
		printf 'From: サンプル電機 PSIRT <%s>\nTo: %s\nSubject: Re: [%s]\n' "$vendor" "$(reply_address "$token")" "$ref"
		printf 'In-Reply-To: %s\nMessage-ID: <demo-reply-%s@sample-denki.example>\nMIME-Version: 1.0\n' "$msgid" "$token"
		printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b1"\n\n'
		printf -- '--b1\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n'
		printf -- '--b1\nContent-Type: application/octet-stream\n\n%s\n--b1--\n' "$body"
	} | "$keikai" mail-in --db "$db"
	;;
bounce)
	last=$(last_to psirt@example-corp.example)
	token=${last%% *} rest=${last#* } msgid=${rest#* }
	{
		printf 'From: MAILER-DAEMON@mx.example-corp.example\nTo: %s\n' "$(reply_address "$token")"
		printf 'Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\nAuto-Submitted: auto-replied\n'
		printf 'Content-Type: multipart/report; report-type=delivery-status; boundary="b2"\n\n'
		printf -- '--b2\nContent-Type: text/plain\n\nThe mail system could not deliver your message.\n\n'
		printf -- '--b2\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example-corp.example\n\n'
		printf 'Final-Recipient: rfc822; psirt@example-corp.example\nAction: failed\nStatus: 5.1.1\n'
		printf 'Diagnostic-Code: smtp; 550 5.1.1 <psirt@example-corp.example>: Recipient address rejected\n\n'
		printf -- '--b2\nContent-Type: text/rfc822-headers\n\nMessage-ID: %s\nTo: psirt@example-corp.example\n\n--b2--\n' "$msgid"
	} | "$keikai" mail-in --db "$db"
	;;
*)
	echo "$0: no command $cmd (setup, serve, reply, bounce)" >&2
	exit 2
	;;
esac
