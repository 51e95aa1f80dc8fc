/*
 * fuzz_cvss.c: libFuzzer target of the CVSS parser (lib/formats/cvss.c and the scoring
 * files). Any input must be accepted or rejected without a crash, a sanitizer report
 * or a read past its end; an accepted vector must have scores in 0.0-10.0, a
 * canonical form that fits KK_CVSS_VECTOR_MAX and parses back to the same scores and
 * the same canonical form; a rejection must carry a reason and a message.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Iinclude tests/fuzz/fuzz_cvss.c lib/formats/cvss*.c
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/cvss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_score(int tenths, int may_be_absent)
{
	check((may_be_absent && tenths == -1) || (tenths >= 0 && tenths <= 100));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_cvss_error err;
	struct kk_cvss c, d;
	char canon[KK_CVSS_VECTOR_MAX], again[KK_CVSS_VECTOR_MAX], msg[64];
	char *copy;
	size_t n;
	int rc;

	/* an exact-size heap copy, so that ASan sees any read past the end */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	if (size)
		memcpy(copy, data, size);
	rc = kk_cvss_parse(copy, size, &c, &err);
	if (rc != 0) {
		check(rc < 0 && err.code == (enum kk_cvss_errcode)-rc);
		check(err.msg[0] != '\0' && strlen(err.msg) < sizeof(err.msg));
		check(err.offset <= size);
		kk_cvss_format_error(&err, NULL, msg, sizeof(msg)); /* cut, still terminated */
		check(strlen(msg) < sizeof(msg));
		free(copy);
		return 0;
	}
	check(err.code == KK_CVSS_EOK);
	if (c.version == KK_CVSS_V4_0) {
		check_score(c.score, 0);
		check(c.base == -1 && c.temporal == -1 && c.environmental == -1);
		check(kk_cvss_nomenclature(&c) != NULL);
	} else {
		check_score(c.base, 0);
		check_score(c.temporal, !(c.flags & KK_CVSS_HAS_TEMPORAL));
		check_score(c.environmental, !(c.flags & KK_CVSS_HAS_ENVIRONMENTAL));
	}
	n = kk_cvss_canonical(&c, canon, sizeof(canon));
	check(n < sizeof(canon) && n <= size);
	rc = kk_cvss_parse(canon, n, &d, &err);
	check(rc == 0);
	check(d.version == c.version && d.flags == c.flags && d.base == c.base &&
	      d.temporal == c.temporal && d.environmental == c.environmental &&
	      d.score == c.score);
	check(kk_cvss_canonical(&d, again, sizeof(again)) == n && memcmp(again, canon, n) == 0);
	free(copy);
	return 0;
}
