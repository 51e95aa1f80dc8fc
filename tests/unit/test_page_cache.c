/*
 * Unit tests of the pure helpers of the public pages' caching
 * (server/page_advisory_cache.c; issue 12: "Last-Modified/ETag,
 * Cache-Control for public pages"): HTTP dates written and read in English
 * whatever the locale, and If-None-Match matched as RFC 9110 says. The replies
 * themselves (304, the headers) are tested end to end by
 * tests/e2e/t1510-advisory-pages.test.mjs. And the store of the replies the
 * server keeps (server/portal_cache.c): by key and version, for no longer
 * than caches may keep them, within its bounds, the version read again
 * when it may have moved.
 */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "page_advisory.h"
#include "portal_cache.h"

Test(http_date, written_as_imf_fixdate)
{
	char d[PAGE_HTTP_DATE_LEN];

	page_http_date(784111777, d);
	cr_assert_str_eq(d, "Sun, 06 Nov 1994 08:49:37 GMT");
	page_http_date(1804644060, d); /* 2027-03-10T02:01:00Z */
	cr_assert_str_eq(d, "Wed, 10 Mar 2027 02:01:00 GMT");
	cr_assert_eq(page_http_date_parse(d), 1804644060);
}

Test(http_date, read_back_and_refused)
{
	cr_assert_eq(page_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
	cr_assert_eq(page_http_date_parse("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
	/* the obsolete forms, a local zone, nonsense: not a date (the condition is ignored) */
	cr_assert_eq(page_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT"), -1);
	cr_assert_eq(page_http_date_parse("Sun Nov  6 08:49:37 1994"), -1);
	cr_assert_eq(page_http_date_parse("Sun, 06 Nov 1994 08:49:37 JST"), -1);
	cr_assert_eq(page_http_date_parse("Sun, 06 Foo 1994 08:49:37 GMT"), -1);
	cr_assert_eq(page_http_date_parse("Sun, 32 Nov 1994 08:49:37 GMT"), -1);
	cr_assert_eq(page_http_date_parse("Sun, 06 Nov 1994 25:49:37 GMT"), -1);
	cr_assert_eq(page_http_date_parse("Sun, 0x Nov 1994 08:49:37 GMT"), -1);
	cr_assert_eq(page_http_date_parse(""), -1);
	cr_assert_eq(page_http_date_parse(NULL), -1);
}

Test(http_date, the_locale_does_not_matter)
{
	char d[PAGE_HTTP_DATE_LEN];

	/* the thread may be in Japanese: names stay English */
	setlocale(LC_ALL, "ja_JP.UTF-8");
	page_http_date(784111777, d);
	setlocale(LC_ALL, "C");
	cr_assert_str_eq(d, "Sun, 06 Nov 1994 08:49:37 GMT");
}

Test(etag, if_none_match)
{
	const char *e = "\"0123456789abcdef0123456789abcdef\"";

	cr_assert(page_etag_match(e, e));
	cr_assert(page_etag_match("*", e));
	cr_assert(page_etag_match("W/\"0123456789abcdef0123456789abcdef\"", e), "weak comparison");
	cr_assert(page_etag_match("\"x\", \"0123456789abcdef0123456789abcdef\"", e), "a list");
	cr_assert(page_etag_match("\"x\",W/\"0123456789abcdef0123456789abcdef\" ", e));
	cr_assert_not(page_etag_match("\"x\"", e));
	cr_assert_not(page_etag_match("\"0123456789abcdef0123456789abcde\"", e), "a prefix is not the tag");
	cr_assert_not(page_etag_match("0123456789abcdef0123456789abcdef", e), "unquoted");
	cr_assert_not(page_etag_match("", e));
	cr_assert_not(page_etag_match(NULL, e));
}

/* ---- the replies the server keeps (server/portal_cache.c; issue 12 item 6) ---- */


struct got {
	char body[64];
	char etag[PORTAL_ETAG_MAX];
	int64_t last_modified;
	int calls;
};

static void copy_reply(void *arg, struct portal_reply *reply)
{
	struct got *g = arg;

	snprintf(g->body, sizeof(g->body), "%.*s", (int)reply->body_len, reply->body);
	snprintf(g->etag, sizeof(g->etag), "%s", reply->etag);
	g->last_modified = reply->last_modified;
	g->calls++;
}

static struct portal_reply reply_of(const char *body)
{
	struct portal_reply r = { .content_type = "text/html; charset=utf-8",
				  .headers = "Cache-Control: public, max-age=300\n",
				  .body = body,
				  .body_len = strlen(body),
				  .etag = "\"e1\"",
				  .last_modified = 1804644060 };
	return r;
}

Test(portal_cache, serves_what_it_kept_for_the_same_key_and_version_only)
{
	struct portal_cache *c = portal_cache_new(NULL);
	struct kk_portal_version v1 = { 1, 2, 3 }, v2 = { 2, 2, 3 }, v3 = { 1, 2, 4 };
	struct portal_reply r = reply_of("<p>JVNVU#12345678</p>");
	struct got g = { .calls = 0 };
	size_t n, bytes;

	cr_assert_not_null(c);
	cr_assert_eq(portal_cache_put(c, "ja /advisories/JVNVU12345678", 28, &v1, 100, &r), 0);
	cr_assert_eq(portal_cache_get(c, "ja /advisories/JVNVU12345678", 28, &v1, 101, copy_reply, &g), 1);
	cr_assert_str_eq(g.body, "<p>JVNVU#12345678</p>");
	cr_assert_str_eq(g.etag, "\"e1\"");
	cr_assert_eq(g.last_modified, 1804644060);
	/* the other language, a key that is a prefix: not this reply */
	cr_assert_eq(portal_cache_get(c, "en /advisories/JVNVU12345678", 28, &v1, 101, copy_reply, &g), 0);
	cr_assert_eq(portal_cache_get(c, "ja /advisories/JVNVU1234567", 27, &v1, 101, copy_reply, &g), 0);
	cr_assert_eq(g.calls, 1);
	/* a change of any part of the version: stale, and dropped */
	cr_assert_eq(portal_cache_get(c, "ja /advisories/JVNVU12345678", 28, &v3, 101, copy_reply, &g), 0);
	portal_cache_usage(c, &n, &bytes);
	cr_assert_eq(n, 0);
	cr_assert_eq(bytes, 0);
	cr_assert_eq(portal_cache_put(c, "k", 1, &v1, 100, &r), 0);
	cr_assert_eq(portal_cache_get(c, "k", 1, &v2, 100, copy_reply, &g), 0);
	cr_assert_eq(g.calls, 1);
	portal_cache_free(c);
}

Test(portal_cache, keeps_nothing_longer_than_caches_may)
{
	struct portal_cache *c = portal_cache_new(NULL);
	struct kk_portal_version v = { 1, 0, 0 };
	struct portal_reply r = reply_of("feed");
	struct got g = { .calls = 0 };

	cr_assert_eq(portal_cache_put(c, "/feed/atom.xml", 14, &v, 1000, &r), 0);
	cr_assert_eq(portal_cache_get(c, "/feed/atom.xml", 14, &v, 1000 + PORTAL_CACHE_AGE - 1, copy_reply, &g), 1);
	cr_assert_eq(portal_cache_get(c, "/feed/atom.xml", 14, &v, 1000 + PORTAL_CACHE_AGE, copy_reply, &g), 0);
	/* a clock that went back is not trusted either */
	cr_assert_eq(portal_cache_put(c, "/feed/atom.xml", 14, &v, 1000, &r), 0);
	cr_assert_eq(portal_cache_get(c, "/feed/atom.xml", 14, &v, 999, copy_reply, &g), 0);
	cr_assert_eq(g.calls, 1);
	portal_cache_free(c);
}

Test(portal_cache, stays_within_its_bounds)
{
	struct portal_cache *c = portal_cache_new(NULL);
	struct kk_portal_version v = { 1, 0, 0 };
	size_t big_len = PORTAL_CACHE_REPLY_MAX - 1024, n, bytes;
	char *big = malloc(PORTAL_CACHE_REPLY_MAX + 2), key[32];
	struct portal_reply r;
	int kept = 0;

	cr_assert_not_null(big);
	memset(big, 'x', PORTAL_CACHE_REPLY_MAX + 1);
	big[PORTAL_CACHE_REPLY_MAX + 1] = '\0';
	r = reply_of(big);
	/* one reply over the limit is not kept */
	cr_assert_eq(portal_cache_put(c, "huge", 4, &v, 1, &r), -1);
	/* many big ones: the bytes never go over the bound */
	r.body_len = big_len;
	for (int i = 0; i < 64; i++) {
		int len = snprintf(key, sizeof(key), "/advisories/?page=%d", i);

		kept += portal_cache_put(c, key, (size_t)len, &v, 1, &r) == 0;
		portal_cache_usage(c, &n, &bytes);
		cr_assert_leq(bytes, PORTAL_CACHE_BYTES);
		cr_assert_leq(n, PORTAL_CACHE_SLOTS);
	}
	cr_assert_geq(kept, (int)(PORTAL_CACHE_BYTES / PORTAL_CACHE_REPLY_MAX) - 1);
	cr_assert_lt(kept, 64, "64 replies of 4 MiB do not fit in 64 MiB");
	/* many keys: no more replies than slots */
	r = reply_of("small");
	for (int i = 0; i < 3 * PORTAL_CACHE_SLOTS; i++) {
		int len = snprintf(key, sizeof(key), "/search?q=%d", i);

		portal_cache_put(c, key, (size_t)len, &v, 1, &r);
	}
	portal_cache_usage(c, &n, &bytes);
	cr_assert_leq(n, PORTAL_CACHE_SLOTS);
	free(big);
	portal_cache_free(c);
}

Test(portal_cache, reads_the_version_again_after_a_millisecond_or_a_change_of_its_own)
{
	struct portal_cache *c = portal_cache_new(NULL);
	struct kk_portal_version v = { 7, 1, 0 }, got = { 0 };

	/* nothing read yet: the caller reads */
	cr_assert_eq(portal_cache_version(c, 1000, 5, &got), 0);
	/* meanwhile another request with no read to go by reads too */
	cr_assert_eq(portal_cache_version(c, 1001, 5, &got), 0);
	portal_cache_version_read(c, 1000, 5, &v);
	cr_assert_eq(portal_cache_version(c, 1000 + PORTAL_VERSION_NS - 1, 5, &got), 1);
	cr_assert_eq(got.portal, 7);
	/* a change this process committed: read again at once */
	cr_assert_eq(portal_cache_version(c, 1002, 6, &got), 0);
	portal_cache_version_read(c, 1002, 6, &v);
	/* a millisecond on: one request reads, the others go by the last read */
	cr_assert_eq(portal_cache_version(c, 1002 + PORTAL_VERSION_NS, 6, &got), 0);
	cr_assert_eq(portal_cache_version(c, 1003 + PORTAL_VERSION_NS, 6, &got), 1);
	/* unless they have a change of their own to see */
	cr_assert_eq(portal_cache_version(c, 1003 + PORTAL_VERSION_NS, 7, &got), 0);
	/* a failed read: the next request reads */
	portal_cache_version_read(c, 1002 + PORTAL_VERSION_NS, 6, NULL);
	portal_cache_version_read(c, 1003 + PORTAL_VERSION_NS, 7, NULL);
	cr_assert_eq(portal_cache_version(c, 1004 + PORTAL_VERSION_NS, 6, &got), 0);
	portal_cache_free(c);
}

static int released;

static void count_release(void *shared)
{
	cr_assert_eq(shared, (void *)&released);
	released++;
}

static void share(void *arg, struct portal_reply *reply)
{
	(void)arg;
	if (!reply->shared)
		reply->shared = &released;
}

Test(portal_cache, a_shared_reply_is_released_once_whenever_it_goes)
{
	struct portal_cache *c = portal_cache_new(count_release);
	struct kk_portal_version v = { 1, 0, 0 }, v2 = { 2, 0, 0 };
	struct portal_reply r = reply_of("page");

	released = 0;
	/* made once, served again: still held */
	cr_assert_eq(portal_cache_put(c, "a", 1, &v, 1, &r), 0);
	cr_assert_eq(portal_cache_get(c, "a", 1, &v, 1, share, NULL), 1);
	cr_assert_eq(portal_cache_get(c, "a", 1, &v, 1, share, NULL), 1);
	cr_assert_eq(released, 0);
	/* stale: released */
	cr_assert_eq(portal_cache_get(c, "a", 1, &v2, 1, share, NULL), 0);
	cr_assert_eq(released, 1);
	/* replaced by a newer reply: released; the newer one starts without */
	cr_assert_eq(portal_cache_put(c, "a", 1, &v, 1, &r), 0);
	cr_assert_eq(portal_cache_get(c, "a", 1, &v, 1, share, NULL), 1);
	cr_assert_eq(portal_cache_put(c, "a", 1, &v2, 1, &r), 0);
	cr_assert_eq(released, 2);
	/* the cache freed with one held: released */
	cr_assert_eq(portal_cache_get(c, "a", 1, &v2, 1, share, NULL), 1);
	portal_cache_free(c);
	cr_assert_eq(released, 3);
}
