/*
 * search_bench.c: the search of published advisories (advisory_search.h;
 * issue 12 item 6, SPEC 6) over the advisories bench/search_gen.py made from
 * the NVD records. Inserts them straight into the store DB (SQLite file or
 * postgresql:// URI, made empty by the caller): a vendor per CPE vendor, a
 * case per advisory with its vendor notified, the advisory published with its
 * public ID; builds the index (kk_advisory_search_reindex, timed), then runs
 * QUERIES (default 10,000) queries drawn from the same advisories with a
 * fixed seed, through kk_advisory_search as the fronts call it (checking the
 * query, the matches, the page's advisories read and shaped as JSON), and
 * prints p50, p99 and max wall-clock and thread CPU time per query, for each
 * kind and for all, and how many matched nothing. The mix:
 *   20% ja2    a two-character Japanese word (認証, 暗号, 権限 …, the bigram index)
 *   15% ja3    a Japanese word of three characters or more (CWE names, 改ざん …)
 *   10% janame a vendor's Japanese name, or a product name with a Japanese word
 *   20% en     an English word of a random advisory's NVD description
 *   10% cve    a random advisory's CVE ID (exact)
 *   25% filter a filter alone or with a word: vendor, CPE, severity, CWE,
 *              product, dates; some ordered by relevance
 * Usage: search_bench JSONL DB [QUERIES]. BENCH_SLOW=1 prints every query over
 * 5 ms; BENCH_QUERY=WORDS times that query (q only) 200 times instead;
 * BENCH_REUSE=1 takes DB as an earlier run left it (BENCH_KEEP) and runs the
 * queries only. Figures only (STYLE.md): nothing is checked against a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keikai/advisory_search.h"
#include "keikai/alloc.h"
#include "keikai/store.h"
#include "keikai/util.h"

#define BATCH 5000
#define QUERY_SLOW_MS 5.0

/* What the queries are drawn from: a little of every advisory. */
struct sample {
	char *cve, *vendor_en, *vendor_ja, *product, *word, *cpe;
	int cwe, tenths;
	int64_t published_at;
};
static struct sample *samples;
static size_t nsamples;
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
	fprintf(stderr, "search_bench: %s: %s\n", what, err->msg);
	return 1;
}

static char *dup_or_null(const char *s)
{
	return s ? kk_strdup(s) : NULL;
}

/* An English word of five letters or more from text (the nth such), or NULL. */
static char *a_word(const char *text, unsigned nth)
{
	const char *p = text, *best = NULL;
	size_t best_n = 0, seen = 0;

	while (p && *p) {
		const char *start;

		while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		start = p;
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z'))
			p++;
		if (p - start >= 5) {
			best = start;
			best_n = (size_t)(p - start);
			if (seen++ == nth)
				break;
		}
	}
	return best ? kk_strndup(best, best_n) : NULL;
}

/* ---- loading ---- */

static struct kk_stmt *vendor_st, *case_st, *cv_st, *adv_st;
static json_t *vendor_ids; /* CPE vendor -> id */
static int reuse;          /* BENCH_REUSE: DB holds them already; read the samples only */

static enum kk_result prepare_all(struct kk_tx *tx, struct kk_error *err)
{
	vendor_st = kk_stmt_prepare(tx,
				    "INSERT INTO vendors(name_ja, name_en, cpe23, created_at, updated_at)"
				    " VALUES(?, ?, ?, ?, ?) RETURNING id",
				    err);
	case_st = kk_stmt_prepare(tx,
				  "INSERT INTO cases(ref, title, state, summary, detail, created_at, updated_at, advisory_id,"
				  " date_state, publication_at) VALUES(?, ?, 'open', '', '', ?, ?, ?, 'ready', ?) RETURNING id",
				  err);
	cv_st = kk_stmt_prepare(tx, "INSERT INTO case_vendors(case_id, vendor_id, added_at, notified_at) VALUES(?, ?, ?, ?)",
				err);
	adv_st = kk_stmt_prepare(tx,
				 "INSERT INTO advisories(case_id, state, content, revision, public_revision, public_id, kind,"
				 " cvss3_tenths, created_at, saved_at, published_at, updated_at)"
				 " VALUES(?, 'published', ?, 1, 1, ?, 'vu', ?, ?, ?, ?, ?)",
				 err);
	return vendor_st && case_st && cv_st && adv_st ? KK_OK : kk_error_result(err, KK_EDB);
}

static void free_all(void)
{
	kk_stmt_free(vendor_st);
	kk_stmt_free(case_st);
	kk_stmt_free(cv_st);
	kk_stmt_free(adv_st);
	vendor_st = case_st = cv_st = adv_st = NULL;
}

static enum kk_result first_id(struct kk_stmt *st, int64_t *id, struct kk_error *err)
{
	enum kk_result res = kk_stmt_first(st, err);

	if (!res)
		*id = kk_stmt_int(st, 0);
	kk_stmt_reset(st);
	return res;
}

/* One advisory of the JSONL line a into the store, and its sample. */
static enum kk_result insert_one(struct kk_tx *tx, const json_t *a, struct kk_error *err)
{
	const json_t *vendor = json_object_get(a, "vendor"), *content = json_object_get(a, "content");
	const char *key = json_string_value(json_object_get(vendor, "key"));
	int64_t n = json_integer_value(json_object_get(a, "n")), at = json_integer_value(json_object_get(a, "published_at"));
	int64_t vid = json_integer_value(json_object_get(vendor_ids, key)), cid = 0;
	const json_t *tenths = json_object_get(a, "cvss3_tenths"), *cwes = json_object_get(content, "cwes");
	char ref[32], pid[24], cpe[256], *text;
	struct sample *s = &samples[nsamples];
	enum kk_result res = KK_OK;

	if (reuse)
		goto sample;
	snprintf(ref, sizeof(ref), "VU#%07lld", (long long)n + 1);
	snprintf(pid, sizeof(pid), "JVNVU#%08lld", (long long)(n % 90000000) + 10000000);
	if (!vid) {
		snprintf(cpe, sizeof(cpe), "cpe:2.3:a:%s:*:*:*:*:*:*:*:*:*", key);
		kk_stmt_bind_text(vendor_st, 1, json_string_value(json_object_get(vendor, "ja")));
		kk_stmt_bind_text(vendor_st, 2, json_string_value(json_object_get(vendor, "en")));
		kk_stmt_bind_text(vendor_st, 3, cpe);
		kk_stmt_bind_int(vendor_st, 4, at);
		kk_stmt_bind_int(vendor_st, 5, at);
		res = first_id(vendor_st, &vid, err);
		if (!res && json_object_set_new(vendor_ids, key, json_integer(vid)))
			res = kk_error_nomem(err);
	}
	if (!res) {
		kk_stmt_bind_text(case_st, 1, ref);
		kk_stmt_bind_text(case_st, 2, json_string_value(json_object_get(json_object_get(json_object_get(content, "texts"), "en"), "title")));
		kk_stmt_bind_int(case_st, 3, at - 60 * 86400);
		kk_stmt_bind_int(case_st, 4, at);
		kk_stmt_bind_text(case_st, 5, pid);
		kk_stmt_bind_int(case_st, 6, at);
		res = first_id(case_st, &cid, err);
	}
	if (!res) {
		kk_stmt_bind_int(cv_st, 1, cid);
		kk_stmt_bind_int(cv_st, 2, vid);
		kk_stmt_bind_int(cv_st, 3, at - 50 * 86400);
		kk_stmt_bind_int(cv_st, 4, at - 45 * 86400);
		res = kk_stmt_exec(cv_st, err);
		kk_stmt_reset(cv_st);
	}
	if (res)
		return res;
	if (!(text = kk_json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS)))
		return kk_error_nomem(err);
	kk_stmt_bind_int(adv_st, 1, cid);
	kk_stmt_bind_text(adv_st, 2, text);
	kk_stmt_bind_text(adv_st, 3, pid);
	if (json_is_integer(tenths))
		kk_stmt_bind_int(adv_st, 4, json_integer_value(tenths));
	else
		kk_stmt_bind_null(adv_st, 4);
	kk_stmt_bind_int(adv_st, 5, at - 60 * 86400);
	kk_stmt_bind_int(adv_st, 6, at - 1 * 86400);
	kk_stmt_bind_int(adv_st, 7, at);
	kk_stmt_bind_int(adv_st, 8, at);
	res = kk_stmt_exec(adv_st, err);
	kk_stmt_reset(adv_st);
	free(text);
	if (res)
		return res;
sample:
	s->cve = dup_or_null(json_string_value(json_object_get(a, "cve")));
	s->vendor_en = dup_or_null(json_string_value(json_object_get(vendor, "en")));
	s->vendor_ja = dup_or_null(json_string_value(json_object_get(vendor, "ja")));
	s->product = dup_or_null(json_string_value(json_object_get(a, "product")));
	s->word = a_word(json_string_value(json_object_get(json_object_get(json_object_get(content, "texts"), "en"), "description")),
			 (unsigned)(rnd() % 6));
	s->cpe = dup_or_null(json_string_value(json_array_get(json_object_get(content, "cpes"), 0)));
	s->cwe = (int)json_integer_value(json_array_get(cwes, 0));
	s->tenths = json_is_integer(tenths) ? (int)json_integer_value(tenths) : -1;
	s->published_at = at;
	nsamples++;
	return KK_OK;
}

static int load(struct kk_store *st, const char *path, struct kk_error *err)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lines = 0, in_tx = 0, scap = 0;
	struct kk_tx tx;
	int open = 0;
	enum kk_result res = KK_OK;

	if (!f) {
		perror(path);
		return 1;
	}
	vendor_ids = json_object();
	while (!res && getline(&line, &cap, f) > 0) {
		json_t *a = json_loads(line, 0, NULL);

		if (!a) {
			fprintf(stderr, "search_bench: %s:%zu: not JSON\n", path, lines + 1);
			res = KK_EINVAL;
			break;
		}
		if (nsamples == scap) {
			scap = scap ? scap * 2 : 65536;
			samples = kk_realloc(samples, scap * sizeof(*samples));
			if (!samples)
				res = kk_error_nomem(err);
		}
		if (!res && !open && !reuse) {
			res = kk_tx_begin(st, 1, &tx, err);
			open = !res;
			if (!res)
				res = prepare_all(&tx, err);
		}
		if (!res) {
			memset(&samples[nsamples], 0, sizeof(samples[0]));
			res = insert_one(&tx, a, err);
		}
		json_decref(a);
		lines++;
		if (open && (res || ++in_tx == BATCH)) {
			free_all();
			res = kk_tx_end(&tx, res, err);
			open = 0;
			in_tx = 0;
		}
	}
	if (open) {
		free_all();
		res = kk_tx_end(&tx, res, err);
	}
	free(line);
	fclose(f);
	if (res)
		return die("inserting the advisories", err);
	return 0;
}

/* ---- the queries ---- */

enum kind { K_JA2, K_JA3, K_JANAME, K_EN, K_CVE, K_FILTER, K_N };
static const char *const kind_names[K_N] = { "ja2", "ja3", "janame", "en", "cve", "filter" };

/* Words of two characters from the glossary and the CWE names. */
static const char *const ja2[] = { "認証", "暗号", "権限", "情報", "入力", "検証", "初期", "競合", "整数", "解放",
				   "参照", "書式", "経路", "乱数", "署名", "証明", "領域", "制御", "設定", "境界",
				   "窃取", "遠隔", "細工", "操作", "管理", "機能", "送信", "平文", "確認", "回避" };
/* Words of three characters and more. */
static const char *const ja3[] = { "クロスサイトスクリプティング", "SQLインジェクション", "バッファオーバーフロー",
				   "サービス運用妨害", "情報漏えい", "ディレクトリトラバーサル", "解放済みメモリ",
				   "整数オーバーフロー", "不適切な認証", "パストラバーサル", "境界外書き込み",
				   "境界外読み取り", "権限管理", "任意のコード", "改ざん", "アップデート",
				   "クロスサイトリクエストフォージェリ", "NULLポインタ", "リソースの枯渇", "コマンドインジェクション",
				   "ハードコード", "不適切な入力確認", "競合状態", "ログイン可能な利用者", "隣接ネットワーク" };
static const char *const severities[] = { "critical", "high", "medium", "low" };

static const struct sample *pick(void)
{
	return &samples[rnd() % nsamples];
}

/* A query of kind k into q, its strings in buf (held until the next call). */
static void draw(enum kind k, struct kk_advisory_query *q, char buf[4][256])
{
	const struct sample *s = pick();

	memset(q, 0, sizeof(*q));
	switch (k) {
	case K_JA2:
		q->q = ja2[rnd() % (sizeof(ja2) / sizeof(ja2[0]))];
		break;
	case K_JA3:
		q->q = ja3[rnd() % (sizeof(ja3) / sizeof(ja3[0]))];
		break;
	case K_JANAME:
		for (int tries = 0; tries < 200 && !s->vendor_ja; tries++)
			s = pick();
		if (s->vendor_ja && rnd() % 2) {
			q->q = s->vendor_ja;
		} else {
			snprintf(buf[0], 256, "%s %s", s->product, ja2[rnd() % (sizeof(ja2) / sizeof(ja2[0]))]);
			q->q = buf[0];
		}
		break;
	case K_EN:
		while (!s->word)
			s = pick();
		q->q = s->word;
		break;
	case K_CVE:
		q->q = s->cve;
		break;
	default:
		switch (rnd() % 8) {
		case 0: q->vendor = s->vendor_en; break;
		case 1:
			q->vendor = s->vendor_en;
			q->q = ja2[rnd() % (sizeof(ja2) / sizeof(ja2[0]))];
			break;
		case 2:
			q->severity = severities[rnd() % 4];
			q->q = ja3[rnd() % (sizeof(ja3) / sizeof(ja3[0]))];
			break;
		case 3:
			while (!s->cwe)
				s = pick();
			snprintf(buf[0], 256, "CWE-%d", s->cwe);
			q->cwe = buf[0];
			break;
		case 4: {
			/* the vendor and product of its first CPE name */
			const char *p = s->cpe;
			int colons = 0;
			size_t i;

			for (i = 0; p && p[i] && colons < 5; i++)
				colons += p[i] == ':';
			snprintf(buf[0], 256, "%.*s", (int)(i ? i - 1 : 0), p ? p : "");
			q->cpe = buf[0];
			break;
		}
		case 5: {
			/* a year of words */
			time_t t = (time_t)s->published_at;
			struct tm tm;

			gmtime_r(&t, &tm);
			snprintf(buf[0], 256, "%04d-01-01", tm.tm_year + 1900);
			snprintf(buf[1], 256, "%04d-12-31", tm.tm_year + 1900);
			q->from = buf[0];
			q->to = buf[1];
			while (!s->word)
				s = pick();
			q->q = s->word;
			break;
		}
		case 6:
			q->product = s->product;
			break;
		default:
			q->severity = severities[rnd() % 4];
			q->q = ja2[rnd() % (sizeof(ja2) / sizeof(ja2[0]))];
			q->sort = "relevance";
			break;
		}
	}
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const char *name, double *wall, double *cpu, size_t n, size_t empty)
{
	if (!n)
		return;
	qsort(wall, n, sizeof(double), cmp_double);
	qsort(cpu, n, sizeof(double), cmp_double);
	printf("  %-7s %6zu queries  p50 %7.3f ms  p99 %7.3f ms  max %8.3f ms   (CPU p50 %7.3f  p99 %7.3f)  found nothing: %zu\n",
	       name, n, wall[n / 2] * 1e3, wall[(size_t)((double)n * 0.99)] * 1e3, wall[n - 1] * 1e3, cpu[n / 2] * 1e3,
	       cpu[(size_t)((double)n * 0.99)] * 1e3, empty);
}

static int run_queries(struct kk_store *st, size_t nq)
{
	static const int mix[] = { K_JA2, K_JA2, K_JA2, K_JA2, K_JA3, K_JA3, K_JA3, K_JANAME, K_JANAME, K_EN,
				   K_EN, K_EN, K_EN, K_CVE, K_CVE, K_FILTER, K_FILTER, K_FILTER, K_FILTER, K_FILTER };
	double *wall[K_N + 1], *cpu[K_N + 1];
	size_t n[K_N + 1] = { 0 }, empty[K_N + 1] = { 0 };
	int slow = getenv("BENCH_SLOW") != NULL;

	for (int k = 0; k <= K_N; k++) {
		wall[k] = kk_calloc(nq, sizeof(double));
		cpu[k] = kk_calloc(nq, sizeof(double));
	}
	for (size_t i = 0; i < nq; i++) {
		enum kind k = (enum kind)mix[rnd() % (sizeof(mix) / sizeof(mix[0]))];
		struct kk_error err = KK_ERROR_INIT;
		struct kk_advisory_query q;
		char buf[4][256];
		json_t *out = NULL;
		int64_t total = 0;
		double t0, c0, t, c;

		draw(k, &q, buf);
		t0 = now_s();
		c0 = cpu_s();
		if (kk_advisory_search(st, &q, &out, &total, &err) != KK_OK) {
			fprintf(stderr, "search_bench: q=%s vendor=%s cpe=%s: %s\n", q.q ? q.q : "", q.vendor ? q.vendor : "",
				q.cpe ? q.cpe : "", err.msg);
			return 1;
		}
		c = cpu_s() - c0;
		t = now_s() - t0;
		if (slow && t * 1e3 > QUERY_SLOW_MS)
			printf("  slow %-7s %8.3f ms  total %lld  q=%s vendor=%s product=%s cpe=%s severity=%s cwe=%s from=%s\n",
			       kind_names[k], t * 1e3, (long long)total, q.q ? q.q : "", q.vendor ? q.vendor : "",
			       q.product ? q.product : "", q.cpe ? q.cpe : "", q.severity ? q.severity : "", q.cwe ? q.cwe : "",
			       q.from ? q.from : "");
		wall[k][n[k]] = wall[K_N][n[K_N]] = t;
		cpu[k][n[k]++] = cpu[K_N][n[K_N]++] = c;
		empty[k] += total == 0;
		empty[K_N] += total == 0;
		json_decref(out);
		kk_error_release(&err);
	}
	for (int k = 0; k < K_N; k++)
		report(kind_names[k], wall[k], cpu[k], n[k], empty[k]);
	report("all", wall[K_N], cpu[K_N], n[K_N], empty[K_N]);
	return 0;
}

/* BENCH_QUERY: one query, 200 times (with BENCH_SEVERITY, BENCH_VENDOR). */
static int one_query(struct kk_store *st, const char *words)
{
	double wall[200], cpu[200];
	int64_t total = 0;

	for (int i = 0; i < 200; i++) {
		struct kk_error err = KK_ERROR_INIT;
		struct kk_advisory_query q = { .q = words, .severity = getenv("BENCH_SEVERITY"),
					       .vendor = getenv("BENCH_VENDOR") };
		json_t *out = NULL;
		double t0 = now_s(), c0 = cpu_s();

		if (kk_advisory_search(st, &q, &out, &total, &err) != KK_OK)
			return die(words, &err);
		cpu[i] = cpu_s() - c0;
		wall[i] = now_s() - t0;
		json_decref(out);
	}
	printf("  q=%s: %lld matches\n", words, (long long)total);
	report("query", wall, cpu, 200, 0);
	return 0;
}

int main(int argc, char **argv)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *st = NULL;
	size_t nq = argc > 3 ? (size_t)strtoul(argv[3], NULL, 10) : 10000;
	int64_t indexed = 0;
	double t0;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: search_bench JSONL DB [QUERIES]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0); /* each figure as it comes, through a pipe too */
	reuse = getenv("BENCH_REUSE") != NULL;
	if (kk_store_open(argv[2], reuse ? 0 : KK_STORE_CREATE, &st, &err) != KK_OK)
		return die(argv[2], &err);
	printf("store: %s\n", kk_store_engine(st));
	t0 = now_s();
	if ((rc = load(st, argv[1], &err)) != 0)
		return rc;
	if (!reuse)
		printf("inserted %zu advisories (with their cases, vendors, notices) in %.1f s\n", nsamples, now_s() - t0);
	t0 = now_s();
	if (!reuse && kk_advisory_search_reindex(st, &indexed, &err) != KK_OK)
		return die("reindex", &err);
	if (!reuse)
		printf("index built (kk_advisory_search_reindex, one transaction): %lld advisories in %.1f s\n",
		       (long long)indexed, now_s() - t0);
	if (getenv("BENCH_QUERY"))
		rc = one_query(st, getenv("BENCH_QUERY"));
	else
		rc = run_queries(st, nq);
	kk_store_close(st);
	return rc;
}
