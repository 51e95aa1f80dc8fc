/*
 * vendor_search_bench.c: the registry search (vendor_search.h; issue 8,
 * SPEC 2.5) over the whole MyJVN dictionary. Imports DICT into a new SQLite
 * database DB, times the index build (the first one, then the best of three
 * rebuilds), then runs QUERIES (default 10,000) queries made from the
 * dictionary itself with a fixed seed and prints p50, p99 and max per query,
 * and how many found something (every query is taken from a real name, so all
 * should). Mixed as:
 *   30% Japanese: 1 to 6 characters from inside a Japanese name
 *   25% English: 3 to 12 bytes from inside an English name
 *   10% full-width: such an English part in full-width forms ("ＡＢＣ")
 *   35% CPE: a product's 2.3 name, a vendor pattern "cpe:2.3:a:VENDOR:*",
 *       a product pattern "cpe:2.3:*:*:PRODUCT", a vendor prefix with a wild
 *       card "cpe:2.3:*:VEN*:*", a 2.2 URI "cpe:/a:VENDOR:PRODUCT"
 * p50, p99 and max are given wall-clock and in the thread's CPU time (what
 * other processes on a shared machine took left out). BENCH_SLOW=1 prints each
 * query over 2 ms; BENCH_QUERY=TEXT times that one query 1,000 times instead.
 * Usage: vendor_search_bench DICT DB [QUERIES]; DB may exist (the import of
 * DICT then changes nothing). Figures only (STYLE.md). bench/vendor_search.sh
 * builds and runs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keikai/account.h"
#include "keikai/alloc.h"
#include "keikai/cpe.h"
#include "keikai/vendor.h"
#include "keikai/vendor_search.h"

struct name {
	char *ja, *en, *cpe;
};

static struct name *names;
static size_t nnames;
static uint64_t seed = 88172645463325252ull;

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int die(const char *what, const struct kk_error *err)
{
	fprintf(stderr, "vendor_search_bench: %s: %s\n", what, err->msg);
	return 1;
}

static int load_names(struct kk_store *s, struct kk_error *err)
{
	struct kk_tx tx;
	struct kk_stmt *st;
	size_t cap = 0;

	if (kk_tx_begin(s, 0, &tx, err))
		return -1;
	st = kk_stmt_prepare(&tx, "SELECT name_ja, name_en, cpe23 FROM products", err);
	while (st && kk_stmt_step(st, err) == KK_STEP_ROW) {
		if (nnames == cap) {
			cap = cap ? cap * 2 : 4096;
			names = kk_realloc(names, cap * sizeof(*names));
		}
		names[nnames].ja = kk_stmt_dup(st, 0);
		names[nnames].en = kk_stmt_dup(st, 1);
		names[nnames].cpe = kk_stmt_dup(st, 2);
		nnames++;
	}
	kk_stmt_free(st);
	kk_tx_end(&tx, KK_OK, err);
	return nnames ? 0 : -1;
}

static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* A part of 1-6 characters of a Japanese name, or 0 when none was drawn. */
static int japanese(char *out, size_t size)
{
	for (int tries = 0; tries < 50; tries++) {
		const char *s = names[rnd() % nnames].ja;
		size_t n, start = 0, chars = 0, i, want;

		if (!s)
			continue;
		n = strlen(s);
		for (i = 0; i < n; i += utf8_len((unsigned char)s[i]))
			chars++;
		want = 1 + rnd() % 6;
		if (want > chars)
			want = chars;
		for (i = rnd() % (chars - want + 1); i; i--)
			start += utf8_len((unsigned char)s[start]);
		for (i = start; want && i < n; want--)
			i += utf8_len((unsigned char)s[i]);
		if (i - start + 1 > size || i == start)
			continue;
		memcpy(out, s + start, i - start);
		out[i - start] = '\0';
		if (out[0] != ' ' && out[i - start - 1] != ' ')
			return 1;
	}
	return 0;
}

/* 3-12 bytes of an English name, in full-width forms when wide. */
static int english(char *out, size_t size, int wide)
{
	for (int tries = 0; tries < 50; tries++) {
		const char *s = names[rnd() % nnames].en;
		size_t n, want, start, o = 0;

		if (!s || (n = strlen(s)) < 3)
			continue;
		want = 3 + rnd() % 10;
		if (want > n)
			want = n;
		start = rnd() % (n - want + 1);
		for (size_t i = start; i < start + want; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c >= 0x80)
				break;
			if (wide && c > 0x20 && c < 0x7f) { /* U+FF01..U+FF5E */
				unsigned cp = 0xff01 + (c - 0x21);

				out[o++] = (char)(0xe0 | (cp >> 12));
				out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				out[o++] = (char)(0x80 | (cp & 0x3f));
			} else {
				out[o++] = (char)c;
			}
			if (o + 4 >= size)
				break;
		}
		out[o] = '\0';
		if (o >= 3 && out[0] != ' ' && out[o - 1] != ' ')
			return 1;
	}
	return 0;
}

/* One of the CPE forms listed at the top. */
static int cpe_query(char *out, size_t size)
{
	for (int tries = 0; tries < 50; tries++) {
		const char *s = names[rnd() % nnames].cpe;
		struct kk_cpe c;
		const char *v, *p;

		if (!s || kk_cpe_parse(s, &c, NULL) != KK_OK)
			continue;
		v = c.attr[KK_CPE_VENDOR].str;
		p = c.attr[KK_CPE_PRODUCT].str;
		switch (rnd() % 5) {
		case 0: snprintf(out, size, "%s", s); break;
		case 1: snprintf(out, size, "cpe:2.3:a:%s:*", v); break;
		case 2: snprintf(out, size, "cpe:2.3:*:*:%s", p); break;
		case 3: snprintf(out, size, "cpe:2.3:*:%.*s*:*", (int)(strlen(v) > 3 ? 3 : strlen(v)), v); break;
		default: kk_cpe_to_uri(&c, out, size); break;
		}
		kk_cpe_release(&c);
		if (kk_cpe_parse(out, &c, NULL) == KK_OK) {
			kk_cpe_release(&c);
			return 1;
		}
	}
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_import_summary sum;
	struct kk_registry_index_stats st;
	struct kk_user admin = { .role = KK_ROLE_ADMIN };
	struct kk_store *s;
	size_t nq = argc > 3 ? strtoul(argv[3], NULL, 10) : 10000, found = 0, kinds[4] = { 0 }, hit_kind[4] = { 0 };
	double t0, first, best = 1e9, *lat, *cpu;
	char q[600];

	if (argc < 3) {
		fprintf(stderr, "usage: vendor_search_bench DICT DB [QUERIES]\n");
		return 2;
	}
	if (kk_store_open(argv[2], KK_STORE_MAY_CREATE, &s, &err))
		return die("open", &err);
	t0 = now_s();
	if (kk_vendor_import_myjvn(s, argv[1], NULL, NULL, &sum, &err))
		return die("import", &err);
	printf("imported %lld vendors, %lld products in %.2f s\n", (long long)sum.vendors, (long long)sum.products,
	       now_s() - t0);
	if (kk_registry_index_stats(s, &st, &err))
		return die("index", &err);
	first = st.build_seconds;
	for (int i = 0; i < 3; i++) {
		kk_registry_index_drop(s);
		if (kk_registry_index_stats(s, &st, &err))
			return die("index", &err);
		if (st.build_seconds < best)
			best = st.build_seconds;
	}
	printf("index: %zu vendors, %zu products, %zu names; build %.0f ms first, %.0f ms best of 3\n", st.vendors,
	       st.products, st.names, first * 1e3, best * 1e3);
	if (getenv("BENCH_QUERY")) { /* one query, 1,000 times: for looking into one */
		struct kk_registry_query query = { .text = getenv("BENCH_QUERY") };
		struct kk_registry_results res = { 0 };

		t0 = now_s();
		for (int i = 0; i < 1000; i++) {
			kk_registry_results_release(&res);
			if (kk_registry_search(s, &admin, &query, &res, &err))
				return die(query.text, &err);
		}
		printf("%s: %zu found, %.3f ms per query\n", query.text, res.total, (now_s() - t0));
		kk_registry_results_release(&res);
		kk_store_close(s);
		return 0;
	}
	if (load_names(s, &err))
		return die("names", &err);
	lat = kk_malloc(nq * sizeof(*lat));
	cpu = kk_malloc(nq * sizeof(*cpu));
	for (size_t i = 0; i < nq; i++) {
		unsigned r = (unsigned)(rnd() % 100);
		int kind = r < 30 ? 0 : r < 55 ? 1 : r < 65 ? 2 : 3, ok;
		struct kk_registry_query query = { .text = q };
		struct kk_registry_results res;
		double a, c;

		ok = kind == 0 ? japanese(q, sizeof(q)) : kind == 3 ? cpe_query(q, sizeof(q)) : english(q, sizeof(q), kind == 2);
		if (!ok && !english(q, sizeof(q), 0))
			return fprintf(stderr, "vendor_search_bench: no query could be drawn\n"), 1;
		c = cpu_s();
		a = now_s();
		if (kk_registry_search(s, &admin, &query, &res, &err)) {
			fprintf(stderr, "vendor_search_bench: query %s: %s\n", q, err.msg);
			kk_error_clear(&err);
			lat[i] = now_s() - a;
			cpu[i] = cpu_s() - c;
			continue;
		}
		lat[i] = now_s() - a;
		cpu[i] = cpu_s() - c;
		if (getenv("BENCH_SLOW") && lat[i] > 2e-3)
			fprintf(stderr, "slow: %.2f ms, %zu found: %s\n", lat[i] * 1e3, res.total, q);
		kinds[kind]++;
		if (res.total) {
			found++;
			hit_kind[kind]++;
		}
		kk_registry_results_release(&res);
	}
	qsort(lat, nq, sizeof(*lat), cmp_double);
	qsort(cpu, nq, sizeof(*cpu), cmp_double);
	printf("%zu queries (%zu Japanese, %zu English, %zu full-width, %zu CPE): found something for %zu "
	       "(%zu, %zu, %zu, %zu)\n",
	       nq, kinds[0], kinds[1], kinds[2], kinds[3], found, hit_kind[0], hit_kind[1], hit_kind[2], hit_kind[3]);
	printf("wall-clock per query: p50 %.3f ms, p99 %.3f ms, max %.3f ms (goal p99 < 2 ms)\n", lat[nq / 2] * 1e3,
	       lat[nq * 99 / 100] * 1e3, lat[nq - 1] * 1e3);
	printf("CPU time of the thread per query (the same, less what other processes took): p50 %.3f ms, "
	       "p99 %.3f ms, max %.3f ms\n",
	       cpu[nq / 2] * 1e3, cpu[nq * 99 / 100] * 1e3, cpu[nq - 1] * 1e3);
	free(lat);
	free(cpu);
	kk_store_close(s);
	return 0;
}
