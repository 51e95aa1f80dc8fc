/*
 * fold_bench.c: how fast lib/formats/fold.c folds names and scores them, on one core.
 *
 * Usage: fold_bench FILE [SECONDS]
 *   FILE     the MyJVN dictionary, JSON lines (gzip-compressed or not; read through
 *            "gzip -dcf"), whose vendor and product names (vname, pname) are the input
 *   SECONDS  about how long each figure is measured (default 1)
 *
 * Loads the names into memory (a name repeated on consecutive lines once), then, in five windows of SECONDS/5 each, runs
 * kk_fold over all of them, kk_fold_company over all of them, and kk_name_similarity
 * of each ranking key against the next, and prints the best window of each as
 * nanoseconds per call, with a checksum of the results so that a change of result
 * shows as well as a change of speed. The process is pinned to one CPU. Figures only:
 * nothing is checked against a time (STYLE.md). Exit status 1 when the file cannot be
 * read or a name is refused.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "keikai/fold.h"
#include "keikai/util.h"

struct names {
	char **s;
	size_t n, cap;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int names_add(struct names *v, const char *s)
{
	if (v->n > 0 && strcmp(v->s[v->n - 1], s) == 0)
		return 0; /* the vendor name repeats on each of its products' lines */
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 1024;
		char **p = kk_realloc(v->s, cap * sizeof(*p));

		if (!p)
			return -1;
		v->s = p;
		v->cap = cap;
	}
	if (!(v->s[v->n] = kk_strdup(s)))
		return -1;
	v->n++;
	return 0;
}

static int load(const char *path, struct names *vendors, struct names *all)
{
	char cmd[4200], line[16384];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "gzip -dcf '%s'", path);
	if (!(f = popen(cmd, "r")))
		return -1;
	while (fgets(line, sizeof(line), f)) {
		json_t *j = json_loads(line, 0, NULL);
		const char *v = json_string_value(json_object_get(j, "vname"));
		const char *p = json_string_value(json_object_get(j, "pname"));

		if ((v && (names_add(vendors, v) < 0 || names_add(all, v) < 0)) ||
		    (p && names_add(all, p) < 0)) {
			json_decref(j);
			pclose(f);
			return -1;
		}
		json_decref(j);
	}
	return pclose(f) == 0 && all->n > 0 && vendors->n > 1 ? 0 : -1;
}

typedef enum kk_result (*fold_fn)(const char *, char **, struct kk_error *);

/* One pass of fn over every name; returns a checksum of the key lengths, or -1. */
static long fold_all(fold_fn fn, const struct names *v, char **keep)
{
	long sum = 0;
	size_t i;

	for (i = 0; i < v->n; i++) {
		struct kk_error err = KK_ERROR_INIT;
		char *key;

		if (fn(v->s[i], &key, &err) != KK_OK) {
			fprintf(stderr, "fold_bench: '%s': %s\n", v->s[i], err.msg);
			return -1;
		}
		sum += (long)strlen(key);
		if (keep) {
			free(keep[i]);
			keep[i] = key;
		} else {
			free(key);
		}
	}
	return sum;
}

static long similarity_all(char **keys, size_t n)
{
	long sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i++)
		sum += kk_name_similarity(keys[i], keys[i + 1]);
	return sum;
}

/* Best of five windows, in ns per call, of what = 0 (kk_fold), 1 (company), 2 (similarity). */
static double measure(int what, const struct names *v, char **keys, double seconds, long *check)
{
	double best = 0;
	int w;

	for (w = 0; w < 5; w++) {
		double t0 = now(), t;
		long calls = 0;

		do {
			if (what == 0)
				*check = fold_all(kk_fold, v, NULL);
			else if (what == 1)
				*check = fold_all(kk_fold_company, v, NULL);
			else
				*check = similarity_all(keys, v->n);
			if (*check < 0)
				return -1;
			calls += (long)(what == 2 ? v->n - 1 : v->n);
			t = now() - t0;
		} while (t < seconds / 5);
		if (best == 0 || t * 1e9 / (double)calls < best)
			best = t * 1e9 / (double)calls;
	}
	return best;
}

int main(int argc, char **argv)
{
	struct names vendors = { 0 }, all = { 0 };
	double seconds = argc > 2 ? strtod(argv[2], NULL) : 1.0;
	cpu_set_t one;
	double ns;
	char **keys;
	long check;
	size_t i;

	if (argc < 2) {
		fprintf(stderr, "usage: fold_bench FILE [SECONDS]\n");
		return 2;
	}
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);
	if (load(argv[1], &vendors, &all) < 0) {
		fprintf(stderr, "fold_bench: cannot read names from %s\n", argv[1]);
		return 1;
	}
	keys = kk_calloc(vendors.n, sizeof(*keys));
	if (!keys || fold_all(kk_fold_company, &vendors, keys) < 0)
		return 1;
	printf("%zu names (%zu vendor names) from %s\n", all.n, vendors.n, argv[1]);
	ns = measure(0, &all, NULL, seconds, &check);
	printf("kk_fold             %8.0f ns per name  (checksum %ld)\n", ns, check);
	ns = measure(1, &all, NULL, seconds, &check);
	printf("kk_fold_company     %8.0f ns per name  (checksum %ld)\n", ns, check);
	ns = measure(2, &vendors, keys, seconds, &check);
	printf("kk_name_similarity  %8.0f ns per pair  (checksum %ld, vendor keys)\n", ns, check);
	for (i = 0; i < vendors.n; i++)
		free(keys[i]);
	free(keys);
	for (i = 0; i < all.n; i++)
		free(all.s[i]);
	for (i = 0; i < vendors.n; i++)
		free(vendors.s[i]);
	free(all.s);
	free(vendors.s);
	return 0;
}
