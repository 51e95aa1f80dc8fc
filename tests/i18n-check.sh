#!/bin/sh
# Fails when the Japanese catalogue is incomplete: po/ja.po must be valid
# (msgfmt -c), have no untranslated and no fuzzy entries, and hold every message
# the sources use (lib/, server/, cli/, templates/; see scripts/i18n-pot.sh).
# Every page and message of keikai exists in Japanese and English.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
po="$root/po/ja.po"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
	echo "i18n-check: msgfmt -c fails on po/ja.po:"
	echo "$stats"
	exit 1
fi
case "$stats" in
*untranslated* | *fuzzy*)
	echo "i18n-check: po/ja.po is not fully translated: $stats"
	for which in --untranslated --only-fuzzy; do
		msgattrib --no-wrap "$which" "$po" 2>/dev/null | grep '^msgid' | tail -n +2 | head -50 || true
	done
	fail=1
	;;
esac

"$root/scripts/i18n-pot.sh" "$tmp/keikai.pot"
if ! LC_ALL=C msgcmp --use-untranslated "$po" "$tmp/keikai.pot" >"$tmp/cmp" 2>&1; then
	echo "i18n-check: messages in the sources that po/ja.po lacks (run scripts/update-po.sh and translate them):"
	grep -v 'but this definition is similar' "$tmp/cmp" | head -100
	fail=1
fi

if [ "$fail" -ne 0 ]; then
	exit 1
fi
echo "i18n-check: ok ($stats)"
