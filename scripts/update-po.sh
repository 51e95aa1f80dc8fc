#!/bin/sh
# Brings po/ja.po up to date with the sources: new messages are added untranslated,
# gone ones become obsolete (#~). Then translate what tests/i18n-check.sh reports.
# Usage: scripts/update-po.sh [SOURCE_ROOT]   (also `ninja -C build update-po`)
set -eu
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$root/scripts/i18n-pot.sh" "$tmp/keikai.pot"
msgmerge --quiet --update --backup=none --no-fuzzy-matching --sort-by-file "$root/po/ja.po" "$tmp/keikai.pot"
msgfmt --check --statistics -o /dev/null "$root/po/ja.po"
