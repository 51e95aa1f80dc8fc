/*
 * fuzz_sbom.c: libFuzzer target for the SBOM reader and the package URL parser
 * (lib/formats/sbom*.c, lib/formats/purl.c).
 *
 * The input is read twice: as JSON, handed to kk_sbom_parse, and as a string,
 * handed to kk_purl_parse. Either must read or refuse it without a crash, a leak
 * or undefined behaviour. A document that is read must hold sane results (every
 * component named, every edge and the subject inside the list, every CPE a
 * formatted string, every purl parsing again); a refused one must leave the
 * result empty and say why. A package URL that parses must have a lowercase
 * type and a name. Any violation aborts, which libFuzzer reports as a crash.
 *
 * Build (clang) and run with seeds from the documents of the unit tests:
 *   clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *     $(pkg-config --cflags jansson) tests/fuzz/fuzz_sbom.c lib/formats/sbom.c \
 *     lib/formats/sbom_cyclonedx.c lib/formats/sbom_spdx.c lib/formats/purl.c \
 *     lib/formats/cpe.c lib/formats/cpe_bind.c lib/formats/cpe_match.c lib/alloc.c \
 *     lib/error.c lib/util.c lib/clock.c -o fuzz_sbom $(pkg-config --libs jansson libsodium) -lm
 *   then copy the .json files of tests/data/sbom and tests/data/sbom/bad into corpus/ and
 *   ./fuzz_sbom -max_total_time=60 corpus
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/purl.h"
#include "keikai/sbom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what, const char *text)
{
	if (!ok) {
		fprintf(stderr, "fuzz_sbom: %s: %s\n", what, text ? text : "");
		abort();
	}
}

static void check_purl(const char *s)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_purl p;
	enum kk_result rc = kk_purl_parse(s, &p, &err);

	if (rc == KK_OK) {
		check(p.type && *p.type && p.name && *p.name, "purl without type or name", s);
		for (const char *t = p.type; *t; t++)
			check(!(*t >= 'A' && *t <= 'Z'), "type not lowercased", s);
	} else {
		check(rc == KK_EINVAL || rc == KK_ETOOBIG || rc == KK_ENOMEM, "purl result", s);
		check(err.msg[0] != '\0' && p.buf == NULL, "purl refused without a reason", s);
	}
	kk_purl_release(&p);
	kk_error_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_sbom sbom;
	json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
	char *text = malloc(size + 1);

	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
		check_purl(text);
		free(text);
	}
	if (!doc)
		return 0;
	if (kk_sbom_parse(doc, &sbom, &err) == KK_OK) {
		check(sbom.subject >= -1 && sbom.subject < (long)sbom.ncomponents, "subject out of range", NULL);
		for (size_t i = 0; i < sbom.ncomponents; i++) {
			const struct kk_sbom_component *c = &sbom.components[i];

			check(c->name && *c->name, "component without a name", c->ref);
			check(!c->cpe || !strncmp(c->cpe, "cpe:2.3:", 8), "CPE not a formatted string", c->cpe);
			if (c->purl)
				check_purl(c->purl);
		}
		for (size_t i = 0; i < sbom.nedges; i++)
			check(sbom.edges[i].from < sbom.ncomponents && sbom.edges[i].to < sbom.ncomponents,
			      "edge out of range", NULL);
	} else {
		check(err.code != KK_OK && err.msg[0] != '\0', "refused without a reason", NULL);
		check(sbom.ncomponents == 0 && !sbom.components && !sbom.edges, "half-read result", NULL);
	}
	kk_sbom_release(&sbom);
	kk_error_release(&err);
	json_decref(doc);
	return 0;
}
