/*
 * cpe_bench.c: how fast lib/formats/cpe.c parses and binds CPE names and lib/formats/cpe_match.c
 * matches them, on one core, over the NVD dictionary's formatted strings
 * (../shared/data/cpe/nvd-2018-cpe23-names.txt, 128,650 names).
 *
 * Usage: cpe_bench [NAMES_FILE [SECONDS]]
 *   NAMES_FILE  one formatted string per line (default: $KK_SHARED_DATA or
 *               ../shared/data, then cpe/nvd-2018-cpe23-names.txt)
 *   SECONDS     about how long each measurement runs (default 0.5)
 *
 * It parses every name several times (names/s), binds every name to a formatted
 * string and a URI (bindings/s), then compares a handful of source patterns, the
 * kind the product filters use, with every name (matches/s), printing how many
 * names each pattern is a SUPERSET of, EQUAL to, and so on, so that a change of
 * result shows as well as a change of speed. It checks nothing against a time:
 * figures only (STYLE.md: no timed assertions). Exit status 1 when the file is
 * missing or a name does not parse.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keikai/cpe.h"

static const char *const patterns[] = {
	"cpe:2.3:a:microsoft:*:*:*:*:*:*:*:*:*",
	"cpe:2.3:o:linux:linux_kernel:4.*:*:*:*:*:*:*:*",
	"cpe:2.3:a:apache:http_server:2.4.?:*:*:*:*:*:*:*",
	"cpe:2.3:a:*:*:*:*:*:*:*:wordpress:*:*",
	"cpe:2.3:a:*soft*:*:*:*:*:*:*:*:*:*",
	"cpe:/o:cisco:ios:12.%02",
	"cpe:2.3:*:*:*:*:*:*:*:*:*:*:*",
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1234567 -> "1,234,567" */
static const char *grouped(double v, char *buf, size_t size)
{
	char digits[32];
	size_t n, i, o = 0;

	snprintf(digits, sizeof(digits), "%.0f", v);
	n = strlen(digits);
	for (i = 0; i < n && o + 2 < size; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

/* Reads the file into one block and returns its lines (NUL-terminated, in place). */
static char **load(const char *path, size_t *count, size_t *bytes, char **block)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL, **lines = NULL;
	long size;
	size_t n = 0, cap = 0, i, start = 0;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto fail;
	data = malloc((size_t)size + 1);
	if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
		goto fail;
	data[size] = '\0';
	for (i = 0; i <= (size_t)size; i++) {
		if (i < (size_t)size && data[i] != '\n')
			continue;
		data[i] = '\0';
		if (i > start && data[i - 1] == '\r')
			data[i - 1] = '\0';
		if (data[start]) {
			if (n == cap) {
				char **grown;

				cap = cap ? 2 * cap : 4096;
				grown = realloc(lines, cap * sizeof(*lines));
				if (!grown)
					goto fail;
				lines = grown;
			}
			lines[n++] = data + start;
		}
		start = i + 1;
	}
	fclose(f);
	*count = n;
	*bytes = (size_t)size;
	*block = data;
	return lines;
fail:
	fclose(f);
	free(data);
	free(lines);
	return NULL;
}

int main(int argc, char **argv)
{
	char path[4096], g1[32], g2[32];
	const char *dir = getenv("KK_SHARED_DATA");
	double seconds = argc > 2 ? strtod(argv[2], NULL) : 0.5;
	size_t n = 0, bytes = 0, i, p, passes;
	char *block = NULL, **lines;
	struct kk_cpe *names;
	struct kk_cpe_error err;
	double t0, t, best, total_time = 0;
	unsigned long long total_cmp = 0;
	size_t sink = 0;
	char *out;
	cpu_set_t one;

	if (argc > 1)
		snprintf(path, sizeof(path), "%s", argv[1]);
	else
		snprintf(path, sizeof(path), "%s/cpe/nvd-2018-cpe23-names.txt",
			 dir && *dir ? dir : "../shared/data");
	if (seconds <= 0)
		seconds = 0.5;
	/* one core, as the figures are quoted per core; not fatal if refused */
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);

	lines = load(path, &n, &bytes, &block);
	if (!lines || n == 0) {
		fprintf(stderr, "cpe_bench: cannot read names from %s\n", path);
		return 1;
	}
	names = calloc(n, sizeof(*names));
	out = malloc(65536);
	if (!names || !out) {
		fprintf(stderr, "cpe_bench: out of memory\n");
		return 1;
	}
	printf("cpe_bench: %zu names from %s (%.1f MB), one core\n", n, path, (double)bytes / 1e6);

	/* parse: repeat whole passes for about `seconds`, keep the best */
	best = 1e9;
	passes = 0;
	t0 = now();
	do {
		t = now();
		for (i = 0; i < n; i++) {
			if (passes > 0)
				kk_cpe_release(&names[i]);
			if (kk_cpe_parse(lines[i], &names[i], &err) != KK_OK) {
				fprintf(stderr, "cpe_bench: %s: %s\n", lines[i], err.msg);
				return 1;
			}
		}
		t = now() - t;
		if (t < best)
			best = t;
		passes++;
	} while (now() - t0 < seconds || passes < 3);
	printf("parse:        %s names/s (best of %zu passes of %zu names: %.3f s)\n",
	       grouped((double)n / best, g1, sizeof(g1)), passes, n, best);

	/* bind: formatted string and URI of every name */
	best = 1e9;
	passes = 0;
	t0 = now();
	do {
		t = now();
		for (i = 0; i < n; i++) {
			sink += kk_cpe_to_fs(&names[i], out, 65536);
			sink += kk_cpe_to_uri(&names[i], out, 65536);
		}
		t = now() - t;
		if (t < best)
			best = t;
		passes++;
	} while (now() - t0 < seconds || passes < 3);
	printf("bind fs+uri:  %s names/s (best of %zu passes: %.3f s)\n",
	       grouped((double)n / best, g1, sizeof(g1)), passes, best);

	/* match: each pattern against every name */
	printf("match (kk_cpe_compare, no allocation):\n");
	printf("  %-50s %9s %7s %7s %9s %14s\n", "source pattern", "SUPERSET", "EQUAL", "SUBSET",
	       "DISJOINT", "matches/s");
	for (p = 0; p < sizeof(patterns) / sizeof(patterns[0]); p++) {
		struct kk_cpe src;
		size_t count[5] = { 0 };

		if (kk_cpe_parse(patterns[p], &src, &err) != KK_OK) {
			fprintf(stderr, "cpe_bench: %s: %s\n", patterns[p], err.msg);
			return 1;
		}
		for (i = 0; i < n; i++)
			count[kk_cpe_compare(&src, &names[i])]++;
		best = 1e9;
		passes = 0;
		t0 = now();
		do {
			t = now();
			for (i = 0; i < n; i++)
				sink += kk_cpe_compare(&src, &names[i]);
			t = now() - t;
			if (t < best)
				best = t;
			passes++;
		} while (now() - t0 < seconds || passes < 3);
		total_time += best;
		total_cmp += n;
		printf("  %-50s %9zu %7zu %7zu %9zu %14s\n", patterns[p], count[KK_CPE_SUPERSET],
		       count[KK_CPE_EQUAL], count[KK_CPE_SUBSET], count[KK_CPE_DISJOINT],
		       grouped((double)n / best, g1, sizeof(g1)));
		kk_cpe_release(&src);
	}
	printf("match total:  %s matches/s (%s comparisons, best passes: %.3f s)\n",
	       grouped((double)total_cmp / total_time, g1, sizeof(g1)),
	       grouped((double)total_cmp, g2, sizeof(g2)), total_time);

	/* every name against itself, the check of the test suite, as a last figure */
	t = now();
	for (i = 0; i < n; i++)
		sink += kk_cpe_compare(&names[i], &names[i]) == KK_CPE_EQUAL;
	t = now() - t;
	printf("self-match:   %s matches/s (%zu names)\n", grouped((double)n / t, g1, sizeof(g1)), n);

	for (i = 0; i < n; i++)
		kk_cpe_release(&names[i]);
	free(names);
	free(out);
	free(lines);
	free(block);
	return sink == 0; /* keeps the loops from being optimised away */
}
