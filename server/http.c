/*
 * http.c: the HTTP front on libmicrohttpd (MHD): the daemon, the checks every
 * request goes through before its handler, and the request/reply API of http.h.
 *
 * MHD calls on_access several times per request: once when the headers are in,
 * once per piece of body, once when the body is complete. The first call finds the
 * route, the language and the user, and makes every check that needs no body
 * (role, Content-Type, X-CSRF-Token, Content-Length). A refusal found then
 * stops the buffering: the rest of the body is dropped unread or, see
 * headers_done, read and dropped. Bodies are collected under the
 * KK_REPORT_MAX_BODY cap, forms through MHD's post processor, so memory per
 * request stays bounded. The last call runs the form CSRF check and the handler
 * and queues the reply.
 *
 * Paths: MHD splits the query off at the first raw '?' and then percent-decodes
 * the path and each query argument with on_unescape (http_unescape): "%23" is '#'
 * (so "/api/v1/reports/IPA%2312345678" reaches the handler as "IPA#12345678"),
 * "%2F" is a '/' and therefore separates segments, "%00" stays as it is so
 * nothing is cut short. MHD turns '+' into ' ' in query arguments only.
 *
 * Each request owns a struct exchange (a struct kk_req and the front's private
 * state) from the first call to MHD's completion callback, which frees it and
 * everything allocated with kk_req_alloc. Each connection has a thread of its own,
 * or (--threads N) a pool of MHD threads serves them, each with its own epoll
 * loop, where one request's calls may interleave with other requests on the same
 * thread; so the language is set again on every call. The pure helpers are in
 * http_parse.c, reading the request in http_request.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "keikai/report.h"
#include "keikai/util.h"
#include "http.h"
#include "http_internal.h"

#define BODY_MAX ((size_t)KK_REPORT_MAX_BODY)
/* A refused body is read and dropped up to this much (see headers_done); past
 * it the connection is closed. */
#define DRAIN_MAX (2 * BODY_MAX)
#define REPLY_MAX (256u * 1024 * 1024)
#define HEADERS_MAX (64u * 1024)
#define FORM_FIELDS_MAX 256
#define UPLOADS_MAX 32
#define POST_BUFFER (64u * 1024)
#define CONN_MEMORY ((size_t)128 * 1024)
#define CONN_TIMEOUT 60u
/* With one thread per connection (the default), at most this many connections. */
#define MAX_CONNECTIONS 512u
#define LANG_COOKIE_AGE (365L * 24 * 3600)
#define CSRF_BYTES 32

#define CSP_HTML \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	"form-action 'self'; frame-ancestors 'none'"
#define CSP_OTHER "default-src 'none'; frame-ancestors 'none'; sandbox"

struct kk_server {
	struct MHD_Daemon *daemon;
	struct kk_store *store;
	int secure_cookies;
	unsigned port;
};

/* One request: what handlers see, and the front's own state. */
struct exchange {
	struct kk_req req; /* first, so a struct kk_req * converts back */
	const struct kk_route *route;
	struct MHD_PostProcessor *pp;
	uint64_t received;  /* body bytes seen */
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
};

static struct exchange *exchange_of(struct kk_req *r)
{
	return (struct exchange *)(void *)r;
}

/* ---- reading the request (the rest is in http_request.c) ------------------ */

/* Copies a cookie into buf; 0 when present and it fits. */
static int cookie_copy(struct kk_req *r, const char *name, char *buf, size_t size)
{
	size_t n;
	const char *v = http_cookie_find(kk_req_header(r, MHD_HTTP_HEADER_COOKIE), name, &n);

	if (!v || n >= size)
		return -1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return 0;
}

/* ---- building the reply ------------------------------------------------------ */

static int header_safe(const char *s, int is_name)
{
	if (kk_str_empty(s) && is_name)
		return 0;
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f || (is_name && (c == ':' || c == ' ')))
			return 0;
	}
	return 1;
}

void kk_reply_header(struct kk_req *r, const char *name, const char *value)
{
	/* a header that would split the response is dropped */
	if (!header_safe(name, 1) || !header_safe(value, 0))
		return;
	kk_buf_addf(&r->headers, "%s: %s\n", name, value ? value : "");
}

static int cookie_value_ok(const char *v)
{
	for (; *v; v++) {
		unsigned char c = (unsigned char)*v;

		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\')
			return 0;
	}
	return 1;
}

static void set_cookie(struct kk_req *r, const char *name, const char *value, long max_age, const char *same_site)
{
	const char *proto = kk_req_header(r, "X-Forwarded-Proto");
	int secure = r->srv->secure_cookies || (proto && strcasecmp(proto, "https") == 0);
	char line[512];
	int n;

	if (!value || max_age == 0)
		value = "";
	if (!cookie_value_ok(name) || !cookie_value_ok(value))
		return;
	n = snprintf(line, sizeof(line), "%s=%s; Path=/; HttpOnly; SameSite=%s%s", name, value, same_site,
		     secure ? "; Secure" : "");
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	if (max_age == 0)
		snprintf(line + n, sizeof(line) - (size_t)n, "; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
	else if (max_age > 0)
		snprintf(line + n, sizeof(line) - (size_t)n, "; Max-Age=%ld", max_age);
	kk_reply_header(r, MHD_HTTP_HEADER_SET_COOKIE, line);
}

void kk_reply_cookie(struct kk_req *r, const char *name, const char *value, long max_age)
{
	set_cookie(r, name, value, max_age, "Lax");
}

/* Forgets any earlier reply body. */
static void reply_begin(struct kk_req *r)
{
	struct exchange *x = exchange_of(r);

	kk_buf_reset(&r->reply);
	x->has_static = 0;
}

static int dump_to_buf(const char *p, size_t n, void *cls)
{
	return kk_buf_add(cls, p, n) == KK_OK ? 0 : -1;
}

/* The longest prefix of s that is valid UTF-8 (a message cut at a byte limit). */
static size_t utf8_prefix(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && !kk_utf8_valid(s, n))
		n--;
	return n;
}

static const char *status_message(unsigned status)
{
	switch (status) {
	case 400: return _("The request is not valid.");
	case 401: return _("Please sign in or send an API token.");
	case 403: return _("You may not do this.");
	case 404: return _("Not found.");
	case 409: return _("This is not possible in the current state.");
	case 413: return _("The request body is too large.");
	case 415: return _("The request has the wrong content type.");
	case 429: return _("Too many attempts; please try again later.");
	case 503: return _("The database cannot be reached just now; please try again shortly.");
	default: return _("An internal error occurred.");
	}
}

/* The JSON error reply; fields (not stolen) may be NULL. */
static void reply_error_msg(struct kk_req *r, unsigned status, const char *msg, const json_t *fields)
{
	json_t *body;

	if (status >= 500) {
		/* the details stay in the log, not in the answer */
		fprintf(stderr, "keikai: %s %s: %u %s\n", r->method, r->path, status, msg ? msg : "");
		msg = NULL;
	}
	if (kk_str_empty(msg))
		msg = status_message(status);
	body = json_object();
	if (body) {
		json_object_set_new(body, "error", json_stringn_nocheck(msg, utf8_prefix(msg)));
		json_object_set_new(body, "fields", json_is_object(fields) ? json_deep_copy(fields) : json_object());
	}
	if (status == 401)
		kk_reply_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"keikai\"");
	if (status == 503)
		kk_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, "5");
	kk_reply_json(r, status, body);
}

void kk_reply_json(struct kk_req *r, unsigned status, json_t *body)
{
	reply_begin(r);
	r->content_type = "application/json";
	r->status = status;
	if (body && json_dump_callback(body, dump_to_buf, &r->reply, JSON_COMPACT | JSON_REAL_PRECISION(15)) == 0) {
		json_decref(body);
		return;
	}
	json_decref(body);
	kk_buf_reset(&r->reply);
	kk_buf_adds(&r->reply, "{\"error\":\"out of memory\",\"fields\":{}}");
	r->status = 500;
}

void kk_reply_error(struct kk_req *r, unsigned status, const struct kk_error *err)
{
	reply_error_msg(r, status, err ? err->msg : NULL, err ? err->fields : NULL);
}

void kk_reply_errorf(struct kk_req *r, unsigned status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reply_error_msg(r, status, msg, NULL);
}

unsigned kk_status_for(enum kk_result res)
{
	switch (res) {
	case KK_OK: return 200;
	case KK_EINVAL: return 400;
	case KK_ENOTFOUND: return 404;
	case KK_EDENIED: return 403;
	case KK_EAUTH: return 401;
	case KK_ETHROTTLED: return 429;
	case KK_ECONFLICT: return 409;
	case KK_EEXISTS: return 409;
	case KK_ETOOBIG: return 413;
	case KK_EUNAVAILABLE: return 503;
	default: return 500;
	}
}

void kk_reply_html(struct kk_req *r, unsigned status)
{
	exchange_of(r)->has_static = 0;
	r->status = status;
	r->content_type = "text/html; charset=utf-8";
}

void kk_reply_redirect(struct kk_req *r, const char *location)
{
	/* only to a path of this site: no "//host", no "/\host", no scheme */
	if (!location || location[0] != '/' || location[1] == '/' || location[1] == '\\' ||
	    !header_safe(location, 0))
		location = "/";
	reply_begin(r);
	r->status = 303;
	r->content_type = "text/plain; charset=utf-8";
	kk_reply_header(r, MHD_HTTP_HEADER_LOCATION, location);
}

/* The content type to send for a type/subtype from storage or a handler. */
static const char *safe_content_type(const char *ct)
{
	return !kk_str_empty(ct) && header_safe(ct, 0) && strchr(ct, '/') ? ct : "application/octet-stream";
}

void kk_reply_bytes(struct kk_req *r, unsigned status, const char *content_type, const void *data, size_t n,
		    const char *download_name)
{
	reply_begin(r);
	if (n && kk_buf_add(&r->reply, data, n) != KK_OK) {
		reply_error_msg(r, 500, "out of memory for the reply", NULL);
		return;
	}
	r->status = status;
	r->content_type = kk_req_strdup(r, safe_content_type(content_type));
	if (!r->content_type)
		r->content_type = "application/octet-stream";
	if (download_name) {
		struct kk_buf cd;

		exchange_of(r)->is_download = 1;
		kk_buf_init(&cd, 4096);
		if (http_content_disposition(&cd, download_name) == KK_OK)
			kk_reply_header(r, "Content-Disposition", cd.data);
		else
			kk_reply_header(r, "Content-Disposition", "attachment");
		kk_buf_release(&cd);
	}
}

void kk_reply_static(struct kk_req *r, unsigned status, const char *content_type, const void *data, size_t n)
{
	struct exchange *x = exchange_of(r);

	reply_begin(r);
	x->has_static = 1;
	x->static_data = data;
	x->static_len = n;
	r->status = status;
	r->content_type = safe_content_type(content_type);
}

/* ---- the request's path through the front ------------------------------------ */

/* An API URL: the route says so, or (no route) the path is under /api/. */
static int is_api(struct exchange *x)
{
	return x->route ? (x->route->flags & ROUTE_API) != 0 : strncmp(x->req.path, "/api/", 5) == 0;
}

static int errors_in_json(struct exchange *x)
{
	return is_api(x) || x->req.wants_json;
}

/* Prepares the front's own refusal; the rest of the body is dropped. */
static void refuse(struct exchange *x, unsigned status, const char *msg)
{
	x->replied = 1;
	if (errors_in_json(x))
		reply_error_msg(&x->req, status, msg, NULL);
	else
		page_error(&x->req, status, msg);
	if (!x->req.status)
		reply_error_msg(&x->req, status, msg, NULL);
}

static void add_security_headers(struct exchange *x, struct MHD_Response *resp)
{
	struct kk_req *r = &x->req;
	/* evidence is a finder's file: never a page of ours, whatever type the
	 * finder declared (issue 7), so it always gets the sandbox */
	int html = !x->is_download && r->content_type && strncmp(r->content_type, "text/html", 9) == 0;

	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	/* served behind TLS: browsers keep to https (issue 7) */
	if (r->srv->secure_cookies)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (html)
		MHD_add_response_header(resp, "Content-Security-Policy", CSP_HTML);
	else if (!x->is_static)
		MHD_add_response_header(resp, "Content-Security-Policy", CSP_OTHER);
	if (!x->is_static)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
}

static enum MHD_Result queue_reply(struct exchange *x)
{
	struct kk_req *r = &x->req;
	struct MHD_Response *resp;
	enum MHD_Result ret;
	char *line, *next;

	if (!r->status)
		reply_error_msg(r, 500, "the handler gave no reply", NULL);
	if (x->has_static) {
		resp = MHD_create_response_from_buffer(x->static_len, (void *)x->static_data, MHD_RESPMEM_PERSISTENT);
	} else {
		size_t n = r->reply.len;
		char *data = kk_buf_detach(&r->reply);

		resp = data ? MHD_create_response_from_buffer(n, data, MHD_RESPMEM_MUST_FREE) : NULL;
		if (!resp)
			free(data);
	}
	if (!resp)
		return MHD_NO;
	add_security_headers(x, resp);
	if (r->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
	/* the handler's "Name: value\n" lines; the buffer is ours to cut up */
	for (line = r->headers.data; line && *line; line = next) {
		char *colon, *nl = strchr(line, '\n');

		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		MHD_add_response_header(resp, line, colon[1] == ' ' ? colon + 2 : colon + 1);
	}
	ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	x->queued = 1;
	return ret;
}

static uint64_t declared_length(struct kk_req *r, int *chunked)
{
	const char *cl = kk_req_header(r, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *te = kk_req_header(r, MHD_HTTP_HEADER_TRANSFER_ENCODING);

	*chunked = te != NULL;
	return cl ? strtoull(cl, NULL, 10) : 0;
}

/*
 * The end of the header phase. A refusal is normally sent once the body has been
 * read and dropped: a client still busy sending would otherwise meet a closed
 * socket, and the reset can destroy the answer before it reads it. It goes out at
 * once, unread body and all (MHD then closes the connection), to a client waiting
 * on "Expect: 100-continue", which has sent nothing yet, and when the declared
 * body is over DRAIN_MAX.
 */
static enum MHD_Result headers_done(struct exchange *x)
{
	const char *expect = kk_req_header(&x->req, MHD_HTTP_HEADER_EXPECT);
	int chunked;

	if (!x->replied)
		return MHD_YES;
	if ((expect && strcasecmp(expect, "100-continue") == 0) || declared_length(&x->req, &chunked) > DRAIN_MAX)
		return queue_reply(x);
	return MHD_YES;
}

static void choose_language(struct exchange *x)
{
	struct kk_req *r = &x->req;
	const char *q = kk_req_query(r, "lang");
	char buf[16];
	enum kk_lang lang;

	if (q && kk_lang_parse(q, &lang) == 0) {
		r->lang = lang;
		kk_i18n_use(lang);
		if (cookie_copy(r, KK_COOKIE_LANG, buf, sizeof(buf)) != 0 || strcmp(buf, kk_lang_code(lang)) != 0)
			kk_reply_cookie(r, KK_COOKIE_LANG, kk_lang_code(lang), LANG_COOKIE_AGE);
		return;
	}
	if (cookie_copy(r, KK_COOKIE_LANG, buf, sizeof(buf)) == 0 && kk_lang_parse(buf, &lang) == 0)
		r->lang = lang;
	else
		r->lang = kk_lang_from_accept(kk_req_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
	kk_i18n_use(r->lang);
}

/* Bearer token, else session cookie; sets r->user, via_session, session_id and
 * csrf. Returns 0, or -1 after a refusal. */
static int establish_user(struct exchange *x)
{
	struct kk_req *r = &x->req;
	struct kk_error err = KK_ERROR_INIT;
	const char *token = http_bearer_token(kk_req_header(r, MHD_HTTP_HEADER_AUTHORIZATION));
	char sid[KK_TOKEN_MAX];
	enum kk_result res;
	int rc = 0;

	if (token) {
		res = http_token_syntax_ok(token) ? kk_token_lookup(r->store, token, &r->user, &err) : KK_EAUTH;
		if (res != KK_OK) {
			unsigned status = res == KK_EAUTH || res == KK_ENOTFOUND ? 401 : kk_status_for(res);

			kk_user_release(&r->user);
			memset(&r->user, 0, sizeof(r->user));
			x->replied = 1;
			reply_error_msg(r, status, status == 401 ? _("Unknown or revoked API token.") : err.msg, NULL);
			rc = -1;
		}
		goto out;
	}
	if (!x->is_static && cookie_copy(r, KK_COOKIE_SESSION, sid, sizeof(sid)) == 0) {
		res = http_token_syntax_ok(sid) ? kk_session_lookup(r->store, sid, &r->user, r->csrf, &err)
						: KK_ENOTFOUND;
		if (res == KK_OK) {
			r->via_session = 1;
			memcpy(r->session_id, sid, sizeof(sid));
			goto out;
		}
		kk_user_release(&r->user);
		memset(&r->user, 0, sizeof(r->user));
		memset(r->csrf, 0, sizeof(r->csrf));
		if (res != KK_ENOTFOUND && res != KK_EAUTH) {
			refuse(x, kk_status_for(res), err.msg);
			rc = -1;
			goto out;
		}
		/* expired or unknown: forget it */
		kk_reply_cookie(r, KK_COOKIE_SESSION, NULL, 0);
	}
	if (cookie_copy(r, KK_COOKIE_CSRF, r->csrf, sizeof(r->csrf)) != 0 || !http_token_syntax_ok(r->csrf)) {
		memset(r->csrf, 0, sizeof(r->csrf));
		/* pages get a fresh double-submit token; the API and assets need none */
		if (!x->is_static && !is_api(x)) {
			kk_random_secret(r->csrf, CSRF_BYTES);
			set_cookie(r, KK_COOKIE_CSRF, r->csrf, -1, "Strict");
		}
	}
out:
	kk_error_release(&err);
	return rc;
}

static int csrf_equal(const char *given, const char *expected)
{
	size_t n;

	if (!given || kk_str_empty(expected))
		return 0;
	n = strlen(expected);
	return strlen(given) == n && sodium_memcmp(given, expected, n) == 0;
}

static void finish_field(struct exchange *x)
{
	struct kk_req *r = &x->req;
	json_t *v;

	if (!x->in_field)
		return;
	x->in_field = 0;
	if (x->replied)
		goto out;
	if (++x->n_fields > FORM_FIELDS_MAX) {
		refuse(x, 413, _("The form has too many fields."));
		goto out;
	}
	if (!kk_utf8_valid(x->field.data ? x->field.data : "", x->field.len) ||
	    (x->field.len && memchr(x->field.data, '\0', x->field.len))) {
		refuse(x, 400, _("The form is not valid UTF-8."));
		goto out;
	}
	if (json_object_get(r->form, x->field_name))
		goto out; /* the first value of a repeated name wins */
	v = json_stringn_nocheck(x->field.data ? x->field.data : "", x->field.len);
	if (!v || json_object_set_new(r->form, x->field_name, v) != 0)
		refuse(x, 400, _("The form is not valid UTF-8."));
out:
	kk_buf_reset(&x->field);
}

/* Whether a call of the post processor goes on with the upload begun last: MHD
 * may announce a part with an empty call at offset 0 before its first bytes,
 * also at offset 0, so a new part is told by its name or its offset. */
static int continues_upload(struct kk_req *r, const char *key, const char *filename, uint64_t off)
{
	const struct kk_upload *u = r->n_uploads ? &r->uploads[r->n_uploads - 1] : NULL;

	return u && off == u->data.len && strcmp(u->field, key) == 0 && strcmp(u->filename, filename) == 0;
}

static enum MHD_Result on_post_data(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
				    const char *content_type, const char *transfer_encoding, const char *data,
				    uint64_t off, size_t size)
{
	struct exchange *x = cls;
	struct kk_req *r = &x->req;

	(void)kind;
	(void)transfer_encoding;
	if (x->replied || !key)
		return MHD_YES;
	if (filename) {
		struct kk_upload *u;

		finish_field(x);
		if (!continues_upload(r, key, filename, off)) {
			if (r->n_uploads == UPLOADS_MAX) {
				refuse(x, 413, _("The form has too many files."));
				return MHD_YES;
			}
			if (r->n_uploads == x->uploads_cap) {
				size_t cap = x->uploads_cap ? x->uploads_cap * 2 : 4;
				struct kk_upload *ups = realloc(r->uploads, cap * sizeof(*ups));

				if (!ups)
					return MHD_NO;
				r->uploads = ups;
				x->uploads_cap = cap;
			}
			u = &r->uploads[r->n_uploads++];
			memset(u, 0, sizeof(*u));
			kk_buf_init(&u->data, BODY_MAX);
			u->field = kk_req_strdup(r, key);
			u->filename = kk_req_strdup(r, filename);
			u->content_type = kk_req_strdup(r, content_type ? content_type : "application/octet-stream");
			if (!u->field || !u->filename || !u->content_type)
				return MHD_NO;
		}
		u = &r->uploads[r->n_uploads - 1];
		if (size && kk_buf_add(&u->data, data, size) != KK_OK)
			return MHD_NO;
		return MHD_YES;
	}
	/* a field goes on while the name and the offset say so (see continues_upload) */
	if (!x->in_field || off != x->field.len || strcmp(key, x->field_name) != 0) {
		finish_field(x);
		if (x->replied)
			return MHD_YES;
		x->field_name = kk_req_strdup(r, key);
		if (!x->field_name)
			return MHD_NO;
		x->in_field = 1;
	}
	if (size && kk_buf_add(&x->field, data, size) != KK_OK)
		return MHD_NO;
	return MHD_YES;
}

/* A file input left empty arrives as a part with filename="" and no bytes. */
static void drop_empty_uploads(struct kk_req *r)
{
	size_t kept = 0;

	for (size_t i = 0; i < r->n_uploads; i++) {
		if (kk_str_empty(r->uploads[i].filename) && r->uploads[i].data.len == 0)
			kk_buf_release(&r->uploads[i].data);
		else
			r->uploads[kept++] = r->uploads[i];
	}
	r->n_uploads = kept;
}

/* The checks of the header phase. Returns after a refusal or with the body to
 * read next. */
static enum MHD_Result on_headers(struct exchange *x)
{
	struct kk_req *r = &x->req;
	struct http_span caps[HTTP_MAX_PARAMS];
	size_t n_caps = 0;
	char allow[64];
	int known, chunked;
	const struct kk_route *rt;

	choose_language(x);
	r->wants_json = http_accept_wants_json(kk_req_header(r, MHD_HTTP_HEADER_ACCEPT));
	x->is_static = strncmp(r->path, "/static/", 8) == 0;

	rt = http_route_find(kk_routes, r->method, r->path, caps, &n_caps, &known, allow, sizeof(allow));
	x->route = rt;
	/* before a 404 too, so that its page shows who is signed in */
	if (establish_user(x) != 0)
		return headers_done(x);
	if (!rt) {
		if (known) {
			kk_reply_header(r, MHD_HTTP_HEADER_ALLOW, allow);
			refuse(x, 405, _("This method is not allowed here."));
		} else {
			refuse(x, 404, _("There is no such page."));
		}
		return headers_done(x);
	}
	if (n_caps) {
		char *copy = kk_req_strdup(r, r->path);

		if (!copy)
			return MHD_NO;
		for (size_t i = 0; i < n_caps; i++) {
			copy[caps[i].off + caps[i].len] = '\0';
			r->params[i] = copy + caps[i].off;
		}
	}

	if (rt->roles != ROLES_ANY) {
		if (r->user.role == KK_ROLE_NONE) {
			if (rt->flags & ROUTE_API) {
				refuse(x, 401, _("Please sign in or send an API token."));
			} else {
				struct kk_buf loc;

				kk_buf_init(&loc, 8192);
				if (kk_buf_adds(&loc, "/login?next=") == KK_OK && kk_buf_add_urlenc(&loc, r->path) == KK_OK)
					kk_reply_redirect(r, loc.data);
				else
					kk_reply_redirect(r, "/login");
				kk_buf_release(&loc);
				x->replied = 1;
			}
			return headers_done(x);
		}
		if (!(rt->roles & ROLE_BIT(r->user.role))) {
			refuse(x, 403, _("Your role does not allow this."));
			return headers_done(x);
		}
	}

	if (declared_length(r, &chunked) > BODY_MAX) {
		refuse(x, 413, _("The request body is too large."));
		return headers_done(x);
	}
	if (rt->flags & ROUTE_JSON) {
		if (!http_media_type_is(kk_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE), "application/json")) {
			refuse(x, 415, _("Content-Type must be application/json."));
			return headers_done(x);
		}
		/* cookie callers echo the token; bearer-token calls need none */
		if ((rt->flags & ROUTE_CSRF) && r->via_session && !csrf_equal(kk_req_header(r, "X-CSRF-Token"), r->csrf)) {
			refuse(x, 403, _("The CSRF token is missing or wrong."));
			return headers_done(x);
		}
	}
	if (rt->flags & ROUTE_FORM) {
		x->pp = MHD_create_post_processor(r->conn, POST_BUFFER, on_post_data, x);
		r->form = json_object();
		if (!x->pp) {
			refuse(x, 415, _("The form must be sent as application/x-www-form-urlencoded or multipart/form-data."));
			return headers_done(x);
		}
		if (!r->form)
			return MHD_NO;
	}
	return MHD_YES;
}

static enum MHD_Result on_body(struct exchange *x, const char *data, size_t n)
{
	struct kk_req *r = &x->req;

	x->received += n;
	if (x->replied)
		return x->received > DRAIN_MAX ? MHD_NO : MHD_YES;
	if (x->received > BODY_MAX) {
		/* a chunked body: the reply waits for its end (MHD cannot answer mid-body) */
		refuse(x, 413, _("The request body is too large."));
		return MHD_YES;
	}
	if (x->route->flags & ROUTE_JSON) {
		if (kk_buf_add(&r->body, data, n) != KK_OK)
			return MHD_NO;
	} else if (x->pp) {
		if (MHD_post_process(x->pp, data, n) != MHD_YES && !x->replied)
			refuse(x, 400, _("The form data is malformed."));
	}
	return MHD_YES;
}

static enum MHD_Result on_complete(struct exchange *x)
{
	struct kk_req *r = &x->req;
	const struct kk_route *rt = x->route;

	if (x->queued)
		return MHD_YES;
	if (x->pp) {
		enum MHD_Result ok = MHD_destroy_post_processor(x->pp);

		x->pp = NULL;
		finish_field(x);
		if (ok != MHD_YES && !x->replied)
			refuse(x, 400, _("The form data is malformed."));
		drop_empty_uploads(r);
	}
	if (x->replied)
		return queue_reply(x);

	if ((rt->flags & ROUTE_JSON) && !kk_utf8_valid(r->body.data ? r->body.data : "", r->body.len)) {
		refuse(x, 400, _("The body is not valid UTF-8."));
		return queue_reply(x);
	}
	if ((rt->flags & ROUTE_FORM) && (rt->flags & ROUTE_CSRF) && !csrf_equal(kk_req_field(r, "csrf"), r->csrf)) {
		refuse(x, 403, _("The form has expired or did not come from this site. Please reload the page and try again."));
		return queue_reply(x);
	}
	rt->handler(r);
	return queue_reply(x);
}

static struct exchange *exchange_new(struct kk_server *srv, struct MHD_Connection *conn, const char *url,
				     const char *method)
{
	struct exchange *x = calloc(1, sizeof(*x));

	if (!x)
		return NULL;
	x->req.srv = srv;
	x->req.store = srv->store;
	x->req.conn = conn;
	x->req.method = method;
	x->req.path = url;
	kk_buf_init(&x->req.body, BODY_MAX);
	kk_buf_init(&x->req.reply, REPLY_MAX);
	kk_buf_init(&x->req.headers, HEADERS_MAX);
	kk_buf_init(&x->field, BODY_MAX);
	return x;
}

static void exchange_free(struct exchange *x)
{
	struct kk_req *r = &x->req;

	if (x->pp)
		MHD_destroy_post_processor(x->pp);
	kk_buf_release(&r->body);
	kk_buf_release(&r->reply);
	kk_buf_release(&r->headers);
	kk_buf_release(&x->field);
	json_decref(r->form);
	for (size_t i = 0; i < r->n_uploads; i++)
		kk_buf_release(&r->uploads[i].data);
	free(r->uploads);
	kk_user_release(&r->user);
	sodium_memzero(r->session_id, sizeof(r->session_id));
	sodium_memzero(r->csrf, sizeof(r->csrf));
	for (size_t i = 0; i < r->pool_len; i++)
		free(r->pool[i]);
	free(r->pool);
	free(x);
}

static enum MHD_Result on_access(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				 const char *version, const char *upload_data, size_t *upload_data_size,
				 void **con_cls)
{
	struct exchange *x = *con_cls;
	size_t n;

	(void)version;
	if (!x) {
		x = exchange_new(cls, conn, url, method);
		if (!x)
			return MHD_NO;
		*con_cls = x;
		return on_headers(x);
	}
	kk_i18n_use(x->req.lang);
	n = *upload_data_size;
	if (n) {
		*upload_data_size = 0;
		return on_body(x, upload_data, n);
	}
	return on_complete(x);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	if (*con_cls)
		exchange_free(*con_cls);
	*con_cls = NULL;
}

static size_t on_unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return http_unescape(s);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	fputs("keikai: http: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* ---- the daemon ------------------------------------------------------------ */

enum kk_result kk_server_start(struct kk_store *s, const struct kk_server_config *cfg, struct kk_server **out,
			       struct kk_error *err)
{
	const char *listen = cfg && cfg->listen ? cfg->listen : "127.0.0.1:8080";
	unsigned threads = cfg ? cfg->threads : 0;
	/* A report submission waits in its thread until its commit is durable, and
	 * the submissions waiting together share one commit (kk_tx_grouped). With a
	 * thread per connection every client's submission can join the commit;
	 * with a pool, a thread's other connections wait behind it. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
			 (threads ? MHD_USE_EPOLL_LINUX_ONLY : MHD_USE_THREAD_PER_CONNECTION | MHD_USE_POLL);
	struct sockaddr_storage ss;
	socklen_t len;
	const union MHD_DaemonInfo *info;
	struct kk_server *srv;
	enum kk_result res = KK_OK;
	uint16_t port;

	*out = NULL;
	if (http_listen_parse(listen, &ss, &len) != 0)
		return kk_error_set(err, KK_EINVAL, _("Not a listen address (ADDR:PORT): %s"), listen);
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	srv->store = s;
	srv->secure_cookies = cfg && cfg->secure_cookies;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* the port argument only names the port in MHD's messages; SOCK_ADDR binds */
	port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					       : ((struct sockaddr_in *)&ss)->sin_port);
	srv->daemon = MHD_start_daemon(flags, port, NULL, NULL, on_access, srv,
				       MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
				       MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
				       MHD_OPTION_CONNECTION_MEMORY_LIMIT, CONN_MEMORY,
				       MHD_OPTION_CONNECTION_TIMEOUT, CONN_TIMEOUT,
				       MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
				       MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
				       MHD_OPTION_UNESCAPE_CALLBACK, on_unescape, srv,
				       /* (a pool keeps MHD's limit: the timeout is given again) */
				       threads ? MHD_OPTION_CONNECTION_TIMEOUT : MHD_OPTION_CONNECTION_LIMIT,
				       threads ? CONN_TIMEOUT : MAX_CONNECTIONS,
				       /* last, so that one thread (no pool) can end the list here */
				       threads > 1 ? MHD_OPTION_THREAD_POOL_SIZE : MHD_OPTION_END, threads,
				       MHD_OPTION_END);
	if (!srv->daemon) {
		res = kk_error_set(err, KK_EIO, _("Cannot listen on %s: %s"), listen, strerror(errno));
		goto out;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : 0;
	printf("keikai: listening on http://%.*s:%u\n", (int)(strrchr(listen, ':') - listen), listen, srv->port);
	fflush(stdout);
out:
	if (res) {
		kk_server_stop(srv);
		srv = NULL;
	}
	*out = srv;
	return res;
}

void kk_server_stop(struct kk_server *srv)
{
	if (!srv)
		return;
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	free(srv);
}

unsigned kk_server_port(const struct kk_server *srv)
{
	return srv ? srv->port : 0;
}
