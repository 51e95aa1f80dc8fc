/*
 * http_front.h: what the files of the HTTP front share, and nothing else sees:
 * the server, one request's exchange, and the steps a request goes through.
 *
 *   http.c          the libmicrohttpd glue: the daemon and the calls of a request
 *   http_dispatch.c the header phase: route, user, gate, body cap, parameters
 *   http_auth.c     language, who the user is (token or session), CSRF
 *   http_form.c     urlencoded and multipart forms
 *   http_reply.c    replies, cookies, the security headers, refusals
 *   http_request.c  per-request memory; reading headers, cookies, query, fields
 *   http_parse.c    pure parsing helpers (http_internal.h)
 *   http_guard.c    source limits and the body budget (http_guard.h)
 */
#ifndef KEIKAI_SERVER_HTTP_FRONT_H
#define KEIKAI_SERVER_HTTP_FRONT_H

#include <microhttpd.h>
#include <stdint.h>

#include "keikai/portal.h"
#include "keikai/report.h"
#include "http.h"
#include "http_guard.h"
#include "http_internal.h"

/* The largest body any route takes (a report with its evidence); routes take
 * less unless they say (http_route_body_max). */
#define BODY_MAX ((size_t)KK_REPORT_MAX_BODY)
/* A refused body is read and dropped up to this much (see http_headers_done);
 * past it the connection is closed. */
#define DRAIN_MAX (2 * BODY_MAX)
#define REPLY_MAX (256u * 1024 * 1024)
#define HEADERS_MAX (64u * 1024)
#define FORM_FIELDS_MAX 256
#define UPLOADS_MAX 32
#define POST_BUFFER (64u * 1024)
#define LANG_COOKIE_AGE (365L * 24 * 3600)
#define CSRF_BYTES 32

struct kk_server {
	struct http_guard guard; /* first, for http_guard_of: source limits and the body budget */
	struct MHD_Daemon *daemon;
	struct kk_store *store;
	struct portal_cache *portal; /* the public pages kept (portal_cache.h) */
	int secure_cookies;
	unsigned port;
};

/* One request: what handlers see, and the front's own state. */
struct exchange {
	struct kk_req req; /* first, so a struct kk_req * converts back */
	const struct kk_route *route;
	struct MHD_PostProcessor *pp;
	uint64_t received;  /* body bytes seen */
	size_t budgeted;    /* the request's share of the body budget */
	int replied;        /* a refusal is ready; the rest of the body is dropped */
	int queued;         /* the reply went to MHD */
	int is_static;      /* /static/...: no session, no CSRF cookie, cacheable */
	int is_download;    /* a file handed over (evidence): sandboxed, whatever its type */

	/* the form field being assembled by the post processor */
	char *field_name;
	struct kk_buf field;
	int in_field;
	size_t n_fields;
	size_t uploads_cap;

	/* kk_reply_static: data sent without a copy */
	const void *static_data;
	size_t static_len;
	int has_static;

	/* the portal cache (http_portal.c): the key of a public page asked
	 * anonymously (NULL: neither served kept nor kept), the portal's version
	 * read before the handler ran */
	char *portal_key;
	size_t portal_key_len;
	struct kk_portal_version portal_version;
};

static inline struct exchange *exchange_of(struct kk_req *r)
{
	return (struct exchange *)(void *)r;
}

/* http_dispatch.c: the header phase. Returns after a refusal or with the body
 * to read next. */
enum MHD_Result http_dispatch(struct exchange *x);
/* The end of the header phase after a refusal (when to send it). */
enum MHD_Result http_headers_done(struct exchange *x);
/* Content-Length (0 when none); *chunked when the body is chunked. */
uint64_t http_declared_length(struct kk_req *r, int *chunked);

/* http_auth.c */
void http_choose_language(struct exchange *x);
/* Bearer token, else session cookie; sets r->user, via_session, session_id and
 * csrf. Returns 0, or -1 after a refusal. */
int http_establish_user(struct exchange *x);
/* Compares a CSRF token in constant time; 0 when either is missing. */
int http_csrf_equal(const char *given, const char *expected);

/* http_form.c: a form body through MHD's post processor, into r->form and
 * r->uploads. begin when the headers are in (KK_EINVAL after a refusal when the
 * body is not a form, KK_ENOMEM), feed per piece of body, end when the body is
 * complete. */
enum kk_result http_form_begin(struct exchange *x);
void http_form_feed(struct exchange *x, const char *data, size_t n);
void http_form_end(struct exchange *x);

/* http_reply.c */
void http_reply_error_msg(struct kk_req *r, unsigned status, const char *msg, const json_t *fields);
void http_set_cookie(struct kk_req *r, const char *name, const char *value, long max_age, const char *same_site);
/* An API URL: the route says so, or (no route) the path is under /api/. */
int http_is_api(struct exchange *x);
/* Prepares the front's own refusal; the rest of the body is dropped. */
void http_refuse(struct exchange *x, unsigned status, const char *msg);
enum MHD_Result http_queue_reply(struct exchange *x);
/* The MHD response of the reply in x, with every header (http_queue_reply's
 * first half); NULL when it could not be made. The caller destroys it. */
struct MHD_Response *http_build_reply(struct exchange *x);

/* http_portal.c: whether a kept reply answered: not (PORTAL_MISS: the
 * handler runs, then http_portal_keep keeps what it made when anyone may
 * keep it), made into the request (PORTAL_MADE: queue it) or queued already
 * (PORTAL_QUEUED, *ret MHD_queue_response's result). http_portal_release is
 * the cache's release of a shared response. */
enum http_portal { PORTAL_MISS, PORTAL_MADE, PORTAL_QUEUED };
enum http_portal http_portal_serve(struct exchange *x, enum MHD_Result *ret);
void http_portal_keep(struct exchange *x);
void http_portal_release(void *shared);

/* http_request.c: copies a cookie into buf; 0 when present and it fits. */
int http_cookie_copy(struct kk_req *r, const char *name, char *buf, size_t size);
/* The first query parameter rt does not take ("lang" is always taken), or NULL. */
const char *http_query_unknown(struct kk_req *r, const struct kk_route *rt);

#endif
