/*
 * Unit tests of the pure helpers of the public pages' caching
 * (server/page_advisory_cache.c; issue 12: "Last-Modified/ETag,
 * Cache-Control for public pages"): HTTP dates written and read in English
 * whatever the locale, and If-None-Match matched as RFC 9110 says. The replies
 * themselves (304, the headers) are tested end to end by
 * tests/e2e/t1510-advisory-pages.test.mjs.
 */
#include <criterion/criterion.h>
#include <locale.h>
#include <string.h>

#include "page_advisory.h"

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
