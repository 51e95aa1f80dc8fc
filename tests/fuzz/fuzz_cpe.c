/*
 * fuzz_cpe.c: libFuzzer target for the CPE reader, binders and matcher
 * (lib/formats/cpe.c, lib/formats/cpe_match.c).
 *
 * Any input must be parsed or refused without a crash, a leak or undefined
 * behaviour, and a refusal must come with a sane error. A name that parses must
 * bind to all three forms; each binding must parse again, bind to the very same
 * text (the round trip is stable), and give back the same name, except that a
 * URI reads back in lowercase when the name had capitals (NISTIR 7695 6.1.3.2),
 * in which case the names must still match as EQUAL when they have no wild cards.
 * Any violation aborts, which libFuzzer reports as a crash.
 *
 * Build and run (clang):
 *   clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Iinclude $(pkg-config --cflags jansson) lib/formats/cpe.c lib/formats/cpe_match.c \
 *     tests/fuzz/fuzz_cpe.c -o fuzz_cpe
 *   ./fuzz_cpe -max_total_time=60 tests/data/cpe/   (seeds from the data files)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keikai/cpe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what, const char *text)
{
	if (!ok) {
		fprintf(stderr, "fuzz_cpe: %s: %s\n", what, text ? text : "");
		abort();
	}
}

static int same_name(const struct kk_cpe *a, const struct kk_cpe *b)
{
	for (int i = 0; i < KK_CPE_NATTR; i++)
		if (a->attr[i].kind != b->attr[i].kind || a->attr[i].len != b->attr[i].len ||
		    memcmp(a->attr[i].str, b->attr[i].str, a->attr[i].len) != 0)
			return 0;
	return 1;
}

static int has_wildcards(const struct kk_cpe *c)
{
	for (int i = 0; i < KK_CPE_NATTR; i++)
		if (c->attr[i].lead || c->attr[i].trail)
			return 1;
	return 0;
}

/* Binds c with fn, parses the text again and checks the round trip. */
static void round_trip(const struct kk_cpe *c, size_t (*fn)(const struct kk_cpe *, char *, size_t),
		       int exact)
{
	struct kk_cpe again;
	struct kk_cpe_error err;
	size_t n = fn(c, NULL, 0), m;
	char *text = malloc(n + 1), *text2;

	check(text != NULL, "out of memory", NULL);
	check(fn(c, text, n + 1) == n && strlen(text) == n, "binding length", text);
	check(kk_cpe_parse(text, &again, &err) == 0, "binding does not parse", err.msg);
	m = fn(&again, NULL, 0);
	text2 = malloc(m + 1);
	check(text2 != NULL, "out of memory", NULL);
	fn(&again, text2, m + 1);
	/* the same text; for a URI with capitals, the same text in lowercase */
	check(exact ? strcmp(text, text2) == 0 : strcasecmp(text, text2) == 0,
	      "binding is not stable", text);
	if (exact)
		check(same_name(c, &again), "binding reads back differently", text);
	if (!has_wildcards(c))
		check(kk_cpe_compare(c, &again) == KK_CPE_EQUAL, "binding does not match", text);
	free(text2);
	free(text);
	kk_cpe_release(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_cpe c, copy;
	struct kk_cpe_error err;
	enum kk_cpe_relation attrs[KK_CPE_NATTR];

	if (kk_cpe_parse_n((const char *)data, size, &c, &err) != 0) {
		check(err.code > KK_CPE_EOK && err.code < KK_CPE_NERR, "error code", err.msg);
		check(err.offset <= size || err.code == KK_CPE_ETOO_LONG, "error offset", err.msg);
		check(err.msg[0] != '\0' && strlen(err.msg) < sizeof(err.msg), "error message", NULL);
		check(c.buf == NULL, "failed parse owns memory", NULL);
		return 0;
	}
	round_trip(&c, kk_cpe_to_fs, 1);
	round_trip(&c, kk_cpe_to_wfn, 1);
	round_trip(&c, kk_cpe_to_uri, kk_cpe_uri_lossless(&c));

	check(kk_cpe_copy(&copy, &c) == 0, "copy", NULL);
	check(same_name(&c, &copy), "copy differs", NULL);
	/* the name against itself: EQUAL, or UNDEFINED attributes when it has wild cards */
	kk_cpe_match(&c, &copy, attrs);
	for (int i = 0; i < KK_CPE_NATTR; i++)
		check(attrs[i] == (c.attr[i].lead || c.attr[i].trail ? KK_CPE_UNDEFINED : KK_CPE_EQUAL),
		      "self comparison", kk_cpe_attr_name(i));
	kk_cpe_release(&copy);
	kk_cpe_release(&c);
	return 0;
}
