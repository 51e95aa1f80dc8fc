/*
 * page_advisory.h: what the advisory pages and the feeds share (issue 12,
 * SPEC 6): the portal's public address and the reply of a public page or feed
 * that caches may keep (page_advisory_cache.c).
 *
 * A public page (route flag ROUTE_PUBLIC) is the same for every anonymous
 * reader of one language: the front sets no cookie on it, and
 * page_public_reply gives it Cache-Control: public with an ETag (a hash of the
 * bytes) and Last-Modified, and answers 304 to a reader who holds it already.
 * A signed-in reader's page (its header names the reader) is never kept.
 */
#ifndef KEIKAI_SERVER_PAGE_ADVISORY_H
#define KEIKAI_SERVER_PAGE_ADVISORY_H

#include <jansson.h>
#include <stdint.h>

#include "http.h"
#include "keikai/error.h"

/* How long caches may keep a public page or feed, in seconds. */
#define PAGE_PUBLIC_MAX_AGE 300

/* The portal's public address without a trailing "/": the setting base_url,
 * or, when it is empty, http(s)://HOST of the request. In the request's pool;
 * NULL without memory. */
const char *page_public_base(struct kk_req *r);

/* Whether the request names its language (?lang=ja or ?lang=en): else the
 * page's language came from the reader's cookie or Accept-Language, and the
 * reply varies with them. */
int page_public_lang_given(struct kk_req *r);

/*
 * Finishes the reply of a public page or feed that the handler has made
 * (status 200 in r->reply): for an anonymous reader, Cache-Control: public,
 * max-age=PAGE_PUBLIC_MAX_AGE, an ETag of the bytes, Last-Modified
 * (last_modified, unix seconds; 0: none) and, when vary_lang, Vary:
 * Accept-Language, Cookie; then 304 without a body when the request's
 * If-None-Match names the ETag (or, without If-None-Match, its
 * If-Modified-Since is not older than last_modified). Any other reply (an
 * error, a signed-in reader, a reply that sets a cookie) is left as it is:
 * the front makes it no-store.
 */
void page_public_reply(struct kk_req *r, int64_t last_modified, int vary_lang);

/* The end of page_public_reply, for a reply it made (r->public_etag,
 * r->public_modified set; the portal cache serves kept ones through it):
 * 304 without a body when the reader holds these bytes already. */
void page_public_conditional(struct kk_req *r);

/*
 * Shows the advisory of case r->params[0] to its reader with status
 * (page_advisory_case.c). saved: what was just done (?saved=) or NULL;
 * failed: the form refused ("save", "revise", "approve", "withdraw",
 * "comment") with failure, errors its faults by the form's field names and
 * unplaced those no field shows (page_advisory_forms.c), or NULL.
 */
void page_advisory_render(struct kk_req *r, unsigned status, const char *saved, const char *failed,
			  const struct kk_error *failure, const json_t *errors, const json_t *unplaced);

/* Pure helpers of page_public_reply, for the unit tests: */
/* t as an HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT") into out (30 bytes). */
#define PAGE_HTTP_DATE_LEN 30
void page_http_date(int64_t t, char out[PAGE_HTTP_DATE_LEN]);
/* The unix time of an HTTP date (IMF-fixdate), or -1. */
int64_t page_http_date_parse(const char *s);
/* Whether the If-None-Match value h names etag (weak comparison; "*" too). */
int page_etag_match(const char *h, const char *etag);

#endif
