/*
 * cvss_bench.c: how fast lib/formats/cvss*.c parses and scores CVSS vectors, on one core.
 *
 * Usage: cvss_bench [--seconds S] FILE...
 *   FILE     one vector per line, all of one version (bench/cvss.sh makes them with
 *            the generator of tests/cvss/crosscheck.mjs)
 *   S        about how long each file is measured (default 1)
 *
 * For each file it loads the vectors into memory, checks that all parse, then parses
 * and scores all of them (kk_cvss_parse, which scores) again and again in five
 * windows of S/5 seconds, and prints the best window's rate: one line "VERSION
 * VECTORS_PER_SECOND FILE (...)" with a checksum of the scores, so that a change of
 * result shows as well as a change of speed. The process is pinned to one CPU; the
 * best window discounts the time the machine gave to other work. Figures only: nothing is checked against a
 * time (STYLE.md). Exit status 1 when a file is missing or holds an invalid vector.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keikai/cvss.h"

struct vectors {
	char *text;     /* the file, NUL between lines */
	char **line;
	size_t *len;
	size_t n;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void vectors_release(struct vectors *v)
{
	free(v->text);
	free(v->line);
	free(v->len);
	memset(v, 0, sizeof(*v));
}

/* Reads path into v, one vector per non-empty line. 0 or -1. */
static int vectors_load(const char *path, struct vectors *v)
{
	FILE *f = fopen(path, "rb");
	long size;
	size_t cap = 0;
	char *p, *end;
	int result = -1;

	memset(v, 0, sizeof(*v));
	if (!f)
		goto out;
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	v->text = malloc((size_t)size + 1);
	if (!v->text || fread(v->text, 1, (size_t)size, f) != (size_t)size)
		goto out;
	v->text[size] = '\0';
	for (p = v->text, end = v->text + size; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (nl)
			*nl = '\0';
		if (n) {
			if (v->n == cap) {
				size_t ncap = cap ? cap * 2 : 1024;
				char **l = realloc(v->line, ncap * sizeof(*l));
				size_t *ln;

				if (!l)
					goto out;
				v->line = l;
				ln = realloc(v->len, ncap * sizeof(*ln));
				if (!ln)
					goto out;
				v->len = ln;
				cap = ncap;
			}
			v->line[v->n] = p;
			v->len[v->n++] = n;
		}
		p += n + 1;
	}
	result = v->n ? 0 : -1;
out:
	if (f)
		fclose(f);
	if (result)
		vectors_release(v);
	return result;
}

static int bench_file(const char *path, double seconds)
{
	struct vectors v;
	struct kk_cvss c;
	struct kk_cvss_error err;
	unsigned long long checksum = 0;
	enum kk_cvss_version version = KK_CVSS_V2_0;
	double t0, elapsed, best = 0;
	long rounds = 0;

	if (vectors_load(path, &v) != 0) {
		fprintf(stderr, "cvss_bench: cannot read vectors from %s\n", path);
		return 1;
	}
	/* one checked round, which also warms the caches */
	for (size_t i = 0; i < v.n; i++) {
		if (kk_cvss_parse(v.line[i], v.len[i], &c, &err) != 0) {
			fprintf(stderr, "cvss_bench: %s:%zu: %s\n", path, i + 1, err.msg);
			vectors_release(&v);
			return 1;
		}
		version = c.version;
		checksum += (unsigned)(c.score + 1);
	}
	/* five windows of S/5 seconds each; the best one counts, the others having
	 * lost time to whatever else ran on the machine */
	for (int w = 0; w < 5; w++) {
		long r = 0;

		t0 = now();
		do {
			for (size_t i = 0; i < v.n; i++) {
				kk_cvss_parse(v.line[i], v.len[i], &c, NULL);
				checksum += (unsigned)(c.score + 1);
			}
			r++;
			elapsed = now() - t0;
		} while (elapsed < seconds / 5);
		rounds += r;
		if ((double)v.n * (double)r / elapsed > best)
			best = (double)v.n * (double)r / elapsed;
	}
	printf("v%s %.0f %s (%zu vectors x %ld rounds, best of 5 windows, checksum %llu)\n",
	       kk_cvss_version_name(version), best, path, v.n, rounds, checksum);
	vectors_release(&v);
	return 0;
}

int main(int argc, char **argv)
{
	double seconds = 1.0;
	cpu_set_t one;
	int rc = 0, i = 1;

	if (argc > 2 && strcmp(argv[1], "--seconds") == 0) {
		seconds = strtod(argv[2], NULL);
		i = 3;
	}
	if (i >= argc || !(seconds > 0)) {
		fprintf(stderr, "usage: cvss_bench [--seconds S] FILE...\n");
		return 2;
	}
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one); /* best effort */
	for (; i < argc; i++)
		rc |= bench_file(argv[i], seconds);
	return rc;
}
