#!/bin/sh
# Extracts every translatable message of keikai into a .pot file: the C sources of
# lib/, server/, cli/ and templates/, and the templates (pages and mail), which are
# compiled to C in a temporary directory first so that xgettext sees their _() and
# N_() calls.
# Usage: scripts/i18n-pot.sh OUT.pot
set -eu
[ $# -eq 1 ] || { echo "usage: $0 OUT.pot" >&2; exit 2; }
out=$(realpath -m "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir -p "$tmp/templates/mail"
python3 "$root/scripts/tmplc.py" "$tmp/templates" "$root"/templates/*.html
python3 "$root/scripts/tmplc.py" --text "$tmp/templates/mail" "$root"/templates/mail/*.txt
cd "$root"
sources=$(ls lib/*.c lib/*/*.c server/*.c cli/*.c templates/*.c 2>/dev/null || true)
generated=$(cd "$tmp" && ls templates/*.c templates/mail/*.c)
# -D: the generated files are found in $tmp under the same templates/ prefix
xgettext --language=C --from-code=UTF-8 --keyword=_ --keyword=N_ --add-comments=TRANSLATORS: \
	--package-name=keikai --msgid-bugs-address="keikai maintainers" --sort-by-file \
	-D "$root" -D "$tmp" -o "$out" $sources $generated
