/*
 * http.h: the HTTP front's request and reply API, shared by the route handlers
 * (api_*.c for JSON, page_*.c for HTML).
 *
 * libmicrohttpd delivers a request; http.c collects its body under a size cap,
 * finds the route in the table (routes.c), establishes who is asking (session
 * cookie or bearer token), the language, checks role and CSRF as the route
 * declares, and calls the handler with a struct kk_req. Everything a handler
 * allocates through kk_req_alloc / kk_req_strdup is freed when the request ends.
 */
#ifndef KEIKAI_SERVER_HTTP_H
#define KEIKAI_SERVER_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/authz.h"
#include "keikai/i18n.h"
#include "keikai/store.h"
#include "keikai/util.h"

struct kk_server_config {
	const char *listen;  /* "127.0.0.1:8080"; port 0 picks a free one */
	int secure_cookies;  /* set Secure on cookies (behind TLS) */
	unsigned threads;    /* a pool of this many worker threads; 0 = a thread per connection */
	/* issue 7 (http_guard.h): */
	size_t body_budget;        /* bytes of request bodies held at once; 0 = HTTP_BODY_BUDGET_DEFAULT */
	unsigned reports_per_hour; /* reports one source address may submit an hour; 0 = no limit */
	int behind_proxy;          /* the source address is the last one of X-Forwarded-For */
};

struct kk_server;

/* Starts serving s (not owned). Prints "keikai: listening on http://ADDR:PORT" on
 * stdout once connections are accepted. */
enum kk_result kk_server_start(struct kk_store *s, const struct kk_server_config *cfg, struct kk_server **out,
			       struct kk_error *err);
/* Stops and frees. Accepts NULL. */
void kk_server_stop(struct kk_server *srv);
/* The port actually bound. */
unsigned kk_server_port(const struct kk_server *srv);

/* An uploaded file of a multipart form. */
struct kk_upload {
	char *field, *filename, *content_type;
	struct kk_buf data;
};

struct kk_req {
	struct kk_server *srv;
	struct kk_store *store;
	void *conn;            /* struct MHD_Connection * */
	const char *method;    /* "GET", "POST", … */
	const char *path;      /* decoded path, without the query ("%23" is '#', "%2F" a '/') */
	const char *params[4]; /* the {} segments of the route pattern, decoded */
	struct kk_buf body;    /* the raw body (JSON routes) */
	json_t *form;          /* form fields: name -> string (form routes) */
	struct kk_upload *uploads;
	size_t n_uploads;
	enum kk_lang lang;
	struct kk_user user;   /* role KK_ROLE_NONE when anonymous */
	int via_session;       /* signed in by cookie (not bearer token) */
	char session_id[KK_TOKEN_MAX];
	char csrf[KK_TOKEN_MAX]; /* the token forms must echo in field "csrf" */
	int wants_json;        /* Accept: application/json */

	/* the reply being built */
	unsigned status;
	const char *content_type;
	struct kk_buf reply;
	struct kk_buf headers; /* "Name: value\n" lines */
	/* a public page or feed anyone may keep (page_public_reply): its ETag
	 * (quoted; empty for any other reply) and Last-Modified (0: none) */
	char public_etag[40];
	int64_t public_modified;

	/* per-request allocations, freed at the end */
	void **pool;
	size_t pool_len, pool_cap;
	int pool_failed; /* an allocation of the pool failed: the reply becomes a 500 */
};

/* The cookies the front reads and writes. kk_session: the browser session id
 * (set by the login page); kk_csrf: the double-submit CSRF token of visitors
 * without a session (HttpOnly, SameSite=Strict, set by http.c); kk_lang: the
 * language chosen with ?lang= (a year). */
#define KK_COOKIE_SESSION "kk_session"
#define KK_COOKIE_CSRF "kk_csrf"
#define KK_COOKIE_LANG "kk_lang"

/* Memory that lives until the request ends. NULL on failure. */
void *kk_req_alloc(struct kk_req *r, size_t n);
char *kk_req_strdup(struct kk_req *r, const char *s);
char *kk_req_printf(struct kk_req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Request header, cookie and query argument, or NULL. */
const char *kk_req_header(struct kk_req *r, const char *name);
const char *kk_req_cookie(struct kk_req *r, const char *name);
const char *kk_req_query(struct kk_req *r, const char *name);
/* A form field (form routes), or NULL. When a name is repeated the first value
 * wins; values are valid UTF-8 without NUL bytes (else the front answers 400). */
const char *kk_req_field(struct kk_req *r, const char *name);
/* The {} of the route's path at index i as an id (kk_parse_id); 0 when it is
 * none, after a 404 "Not found." reply when reply_404 (the API: an id that
 * cannot be names no object). */
int64_t kk_req_param_id(struct kk_req *r, int i, int reply_404);
/* The requester's source address as limits key it: "203.0.113.7", or an IPv6
 * /64 "2001:db8:1:2::/64" (http_guard.c); NULL when unknown. */
const char *kk_req_source(struct kk_req *r);
/* Reports one source address may submit an hour (0: no limit). */
unsigned kk_req_report_limit(struct kk_req *r);

/* Adds a response header. */
void kk_reply_header(struct kk_req *r, const char *name, const char *value);
/* Sets a cookie: HttpOnly, SameSite=Lax, Path=/, Secure when configured;
 * max_age < 0 for a session cookie, 0 to delete. */
void kk_reply_cookie(struct kk_req *r, const char *name, const char *value, long max_age);

/* Replies; each sets status, content type and body. The json_t is stolen. */
void kk_reply_json(struct kk_req *r, unsigned status, json_t *body);
/* {"error": msg, "fields": {…}} from err, in the request's language. */
void kk_reply_error(struct kk_req *r, unsigned status, const struct kk_error *err);
/* The answer to a core call that returned res: body (stolen) with status ok
 * when res is KK_OK, else the error err holds with kk_status_for(res) (body
 * is released). */
void kk_reply_result(struct kk_req *r, enum kk_result res, const struct kk_error *err, unsigned ok, json_t *body);
/* Same, from a status and a message. */
void kk_reply_errorf(struct kk_req *r, unsigned status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The HTTP status that fits a core result. */
unsigned kk_status_for(enum kk_result res);
/* HTML: the handler writes into r->reply and calls this. */
void kk_reply_html(struct kk_req *r, unsigned status);
void kk_reply_redirect(struct kk_req *r, const char *location);
void kk_reply_bytes(struct kk_req *r, unsigned status, const char *content_type, const void *data, size_t n,
		    const char *download_name);
/* Like kk_reply_bytes without a download name, for data that outlives the server
 * (embedded static assets): it is sent without being copied. */
void kk_reply_static(struct kk_req *r, unsigned status, const char *content_type, const void *data, size_t n);

/*
 * The HTML error page, implemented by the pages (page_*.c). The front calls it for
 * its own refusals on page routes (403 wrong role, 404, 405, 413, 415, 400 and a
 * failed CSRF check); message is translated already, or NULL for the status's
 * generic text. It must set the reply, e.g. by writing r->reply and calling
 * kk_reply_html(r, status). Defined in page_layout.c.
 */
void page_error(struct kk_req *r, unsigned status, const char *message);

/* Route flags. */
enum {
	ROUTE_JSON = 1 << 0,   /* body is JSON (Content-Type checked, size capped) */
	ROUTE_FORM = 1 << 1,   /* body is a urlencoded or multipart form */
	ROUTE_CSRF = 1 << 2,   /* form field "csrf" (or X-CSRF-Token for cookie API calls) must match */
	ROUTE_API = 1 << 3,    /* errors in JSON; 401 rather than a redirect to /login */
	ROUTE_LIMITED = 1 << 4, /* a report submission: a source over its limit is refused before the body */
	/* issue 12: a public page or feed that caches may keep: the front sets no
	 * cookie on its answer (no CSRF token, no language cookie), and the
	 * handler's own Cache-Control stands instead of no-store */
	ROUTE_PUBLIC = 1 << 5,
};

typedef void kk_handler(struct kk_req *r);

struct kk_route {
	const char *method;
	const char *pattern; /* "/api/v1/reports/{}/decision": {} matches one segment */
	kk_handler *handler;
	enum kk_action action; /* what the route does; the policy (authz.h) says who may */
	unsigned flags;
	size_t body_max;    /* the largest body it takes; 0: HTTP_BODY_DEFAULT */
	const char *params; /* the query parameters and form fields it takes, separated by
			     * spaces; "m.*" takes every name that starts "m."; NULL:
			     * none. "lang" (query) and "csrf" (forms) are always taken. */
};

/* The table, in routes.c, ending with a NULL method. */
extern const struct kk_route kk_routes[];

/* The body cap of a route that names none: enough for any JSON decision (a
 * note of KK_DECISION_NOTE_MAX characters, each escaped as \uXXXX\uXXXX). */
#define HTTP_BODY_DEFAULT ((size_t)256 * 1024)

/* rt->body_max, or HTTP_BODY_DEFAULT. */
size_t http_route_body_max(const struct kk_route *rt);
/* Whether rt takes the parameter or field `name` (len bytes) (rt->params). */
int http_param_allowed(const struct kk_route *rt, const char *name, size_t len);

/* What the front does with a request for route rt from a user of role, before
 * anything else (a pure function of the route and the policy; test_http.c walks
 * every route for every role): */
enum http_gate {
	GATE_PASS,      /* go on */
	GATE_SIGN_IN,   /* anonymous, and the action needs a role: 401, or a redirect to /login */
	GATE_FORBIDDEN, /* signed in, and no row of the policy lets the role do this: 403 */
};
enum http_gate http_gate(const struct kk_route *rt, enum kk_role role);

#endif
