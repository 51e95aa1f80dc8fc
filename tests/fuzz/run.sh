#!/usr/bin/env bash
# Builds each libFuzzer target with clang (ASan+UBSan) and runs it briefly from
# seeds made of the data-driven test files. Fails on any crash or sanitizer report.
# Usage: tests/fuzz/run.sh [SECONDS per target, default 20]
# FUZZ_TARGETS="fuzz_mime …" runs only those targets.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-${FUZZ_SECONDS:-20}}
out=build/fuzz
mkdir -p "$out"
cflags="-std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude $(pkg-config --cflags jansson)"

# target: the library files it needs
declare -A sources=(
	[fuzz_cvss]="lib/formats/cvss.c lib/formats/cvss2.c lib/formats/cvss3.c lib/formats/cvss4.c lib/formats/cvss4_table.c"
	[fuzz_cpe]="lib/formats/cpe.c lib/formats/cpe_bind.c lib/formats/cpe_match.c lib/alloc.c lib/error.c lib/util.c
		lib/clock.c"
	[fuzz_sbom]="lib/formats/sbom.c lib/formats/sbom_cyclonedx.c lib/formats/sbom_spdx.c lib/formats/purl.c
		lib/formats/cpe.c lib/formats/cpe_bind.c lib/formats/cpe_match.c lib/alloc.c lib/error.c lib/util.c lib/clock.c"
	[fuzz_mime]="lib/mail/mime_addr.c lib/mail/mime_charset.c lib/mail/mime_header.c lib/mail/mime_parse.c
		lib/mail/mime_part.c lib/mail/dsn.c lib/alloc.c lib/error.c lib/util.c lib/clock.c"
	[fuzz_markdown]="lib/formats/markdown.c lib/alloc.c lib/error.c lib/util.c lib/clock.c"
)
# seeds: one per line of the .txt data files (the first field), or whole .json documents
declare -A seeds=([fuzz_cvss]=tests/data/cvss [fuzz_cpe]=tests/data/cpe [fuzz_sbom]=tests/data/sbom
	[fuzz_mime]=tests/data/mail [fuzz_markdown]=tests/data/markdown)
# whole files as seeds, when not the .json documents: the messages, the Markdown texts
declare -A globs=([fuzz_mime]='*.eml' [fuzz_markdown]='*.md bad/*.md')
targets=${FUZZ_TARGETS:-${!sources[*]}}

for t in $targets; do
	# shellcheck disable=SC2086
	clang $cflags tests/fuzz/$t.c ${sources[$t]} -o "$out/$t" -lm $(pkg-config --libs jansson libsodium libcmark)
	corpus=$out/$t-corpus
	rm -rf "$corpus" && mkdir -p "$corpus"
	i=0
	# shellcheck disable=SC2086
	for doc in $(cd "${seeds[$t]}" && ls -d ${globs[$t]:-*.json bad/*.json} 2>/dev/null | sed "s|^|${seeds[$t]}/|"); do
		[ -f "$doc" ] || continue
		cp "$doc" "$corpus/seed$i"
		i=$((i + 1))
	done
	if [ "$i" -eq 0 ]; then
		while IFS= read -r line; do
			case "$line" in ''|'#'*) continue ;; esac
			printf '%s' "${line%%	*}" >"$corpus/seed$i"
			i=$((i + 1))
		done < <(cat "${seeds[$t]}"/*.txt)
	fi
	echo "fuzz: $t for ${seconds}s from $i seeds"
	"$out/$t" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$out/" "$corpus" 2>"$out/$t.log" || {
		tail -40 "$out/$t.log"
		exit 1
	}
	grep -E 'stat::number_of_executed_units' "$out/$t.log"
done
