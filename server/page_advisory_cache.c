/*
 * page_advisory_cache.c: the reply of a public page or feed (page_advisory.h;
 * issue 12: "canonical links, Last-Modified/ETag, Cache-Control for public
 * pages"). The portal's pages and feeds are the same for every anonymous
 * reader of a language, so caches and readers may keep them: Cache-Control:
 * public, an ETag that is a hash of the bytes (so it changes whenever anything
 * shown changes, a vendor's new status as much as a revision) and
 * Last-Modified from the advisories' updated time; a reader who holds the
 * same bytes gets 304.
 *
 * Nothing of a signed-in reader is ever kept: its page names the reader and
 * holds its CSRF token, so it keeps the front's no-store, and so does any
 * reply that sets a cookie (an expired session forgotten). Errors and 404s
 * are never kept either: an advisory missing now may be published the next
 * minute.
 *
 * HTTP dates are written and read by hand: strftime and strptime would follow
 * the thread's locale.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "keikai/settings.h"
#include "page_advisory.h"

static const char *const wdays[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

void page_http_date(int64_t t, char out[PAGE_HTTP_DATE_LEN])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm)) {
		out[0] = '\0';
		return;
	}
	snprintf(out, PAGE_HTTP_DATE_LEN, "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* n decimal digits at s, or -1. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int64_t page_http_date_parse(const char *s)
{
	/* IMF-fixdate, RFC 9110 5.6.7: "Sun, 06 Nov 1994 08:49:37 GMT" */
	struct tm tm;
	int mon = -1;

	if (!s || strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
	    s[19] != ':' || s[22] != ':' || strcmp(s + 25, " GMT") != 0)
		return -1;
	for (int i = 0; i < 12; i++)
		if (!strncmp(s + 8, months[i], 3))
			mon = i;
	memset(&tm, 0, sizeof(tm));
	tm.tm_mday = digits(s + 5, 2);
	tm.tm_year = digits(s + 12, 4) - 1900;
	tm.tm_hour = digits(s + 17, 2);
	tm.tm_min = digits(s + 20, 2);
	tm.tm_sec = digits(s + 23, 2);
	if (mon < 0 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_year < 70 || tm.tm_hour < 0 || tm.tm_hour > 23 ||
	    tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60)
		return -1;
	tm.tm_mon = mon;
	return (int64_t)timegm(&tm);
}

int page_etag_match(const char *h, const char *etag)
{
	size_t n = strlen(etag);

	while (h && *h) {
		size_t len;

		h += strspn(h, " \t,");
		if (*h == '*')
			return 1;
		/* weak comparison (RFC 9110 8.8.3.2): W/ is ignored */
		if (!strncmp(h, "W/", 2))
			h += 2;
		len = strcspn(h, ",");
		while (len && (h[len - 1] == ' ' || h[len - 1] == '\t'))
			len--;
		if (len == n && !memcmp(h, etag, n))
			return 1;
		h += strcspn(h, ",");
	}
	return 0;
}

const char *page_public_base(struct kk_req *r)
{
	char *base = kk_setting_get(r->store, "base_url", "");
	const char *host = kk_req_header(r, "Host"), *proto = kk_req_header(r, "X-Forwarded-Proto");
	const char *out = NULL;
	size_t n;

	if (!base)
		return NULL;
	n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	if (n) {
		out = kk_req_printf(r, "%.*s", (int)n, base);
	} else {
		/* no public address configured: this request's own, if its host is a host */
		if (!host || !*host || strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") !=
					       strlen(host))
			host = "localhost";
		out = kk_req_printf(r, "%s://%s", proto && !strcasecmp(proto, "https") ? "https" : "http", host);
	}
	free(base);
	return out;
}

int page_public_lang_given(struct kk_req *r)
{
	const char *q = kk_req_query(r, "lang");
	enum kk_lang lang;

	return q && kk_lang_parse(q, &lang) == 0;
}

/* Whether the reply being made sets a cookie. */
static int sets_cookie(struct kk_req *r)
{
	for (const char *line = r->headers.data; line && *line;) {
		const char *nl = strchr(line, '\n');

		if (!strncasecmp(line, "Set-Cookie:", 11))
			return 1;
		line = nl ? nl + 1 : "";
	}
	return 0;
}

void page_public_reply(struct kk_req *r, int64_t last_modified, int vary_lang)
{
	unsigned char hash[16];
	char hex[2 * sizeof(hash) + 1], date[PAGE_HTTP_DATE_LEN], cc[64];

	/* SPEC 1: only the same page for everyone may be kept by anyone */
	if (r->status != 200 || r->user.role != KK_ROLE_NONE || sets_cookie(r) || kk_buf_result(&r->reply) != KK_OK)
		return;
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)(r->reply.data ? r->reply.data : ""), r->reply.len,
			   NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	snprintf(r->public_etag, sizeof(r->public_etag), "\"%s\"", hex);
	r->public_modified = last_modified;
	snprintf(cc, sizeof(cc), "public, max-age=%d", PAGE_PUBLIC_MAX_AGE);
	kk_reply_header(r, "Cache-Control", cc);
	kk_reply_header(r, "ETag", r->public_etag);
	if (last_modified > 0) {
		page_http_date(last_modified, date);
		kk_reply_header(r, "Last-Modified", date);
	}
	if (vary_lang)
		kk_reply_header(r, "Vary", "Accept-Language, Cookie");
	page_public_conditional(r);
}

void page_public_conditional(struct kk_req *r)
{
	const char *inm = kk_req_header(r, "If-None-Match"), *ims = kk_req_header(r, "If-Modified-Since");
	int fresh = 0;

	/* RFC 9110 13.2.2: If-None-Match first; If-Modified-Since only without it */
	if (inm)
		fresh = page_etag_match(inm, r->public_etag);
	else if (ims && r->public_modified > 0) {
		int64_t since = page_http_date_parse(ims);

		fresh = since >= 0 && r->public_modified <= since;
	}
	if (fresh) {
		kk_buf_reset(&r->reply);
		r->status = 304;
	}
}
