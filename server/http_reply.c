/*
 * http_reply.c: the reply side of http.h: what handlers write (JSON, pages,
 * files, redirects, cookies, headers), the front's own refusals, and the queuing
 * of the reply with the headers every answer carries (nosniff, no framing, no
 * referrer, the CSP: the page's, or the sandbox for everything else, evidence
 * above all, whatever type the finder declared).
 */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_front.h"

#define CSP_HTML \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
	"form-action 'self'; frame-ancestors 'none'"
#define CSP_OTHER "default-src 'none'; frame-ancestors 'none'; sandbox"

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
	/* a failure is sticky: queue_reply then answers 500 without these headers */
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

void http_set_cookie(struct kk_req *r, const char *name, const char *value, long max_age, const char *same_site)
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
	http_set_cookie(r, name, value, max_age, "Lax");
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
void http_reply_error_msg(struct kk_req *r, unsigned status, const char *msg, const json_t *fields)
{
	json_t *body;

	if (status >= 500) {
		/* the details stay in the log, not in the answer */
		fprintf(stderr, "keikai: %s %s: %u %s\n", r->method, r->path, status, msg ? msg : "");
		msg = NULL;
	}
	if (kk_str_empty(msg))
		msg = status_message(status);
	/* whole or not at all: NULL makes kk_reply_json answer "out of memory" */
	body = json_pack("{s:o, s:o}", "error", json_stringn_nocheck(msg, utf8_prefix(msg)), "fields",
			 json_is_object(fields) ? json_deep_copy(fields) : json_object());
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
	http_reply_error_msg(r, status, err ? err->msg : NULL, err ? err->fields : NULL);
}

void kk_reply_result(struct kk_req *r, enum kk_result res, const struct kk_error *err, unsigned ok, json_t *body)
{
	if (res == KK_OK) {
		kk_reply_json(r, ok, body);
	} else {
		json_decref(body);
		kk_reply_error(r, kk_status_for(res), err);
	}
}

void kk_reply_errorf(struct kk_req *r, unsigned status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	http_reply_error_msg(r, status, msg, NULL);
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
		http_reply_error_msg(r, 500, "out of memory for the reply", NULL);
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

/* An API URL: the route says so, or (no route) the path is under /api/. */
int http_is_api(struct exchange *x)
{
	return x->route ? (x->route->flags & ROUTE_API) != 0 : strncmp(x->req.path, "/api/", 5) == 0;
}

static int errors_in_json(struct exchange *x)
{
	return http_is_api(x) || x->req.wants_json;
}

/* Prepares the front's own refusal; the rest of the body is dropped. */
void http_refuse(struct exchange *x, unsigned status, const char *msg)
{
	x->replied = 1;
	if (errors_in_json(x))
		http_reply_error_msg(&x->req, status, msg, NULL);
	else
		page_error(&x->req, status, msg);
	if (!x->req.status)
		http_reply_error_msg(&x->req, status, msg, NULL);
}

/* Whether the handler's "Name: value\n" lines in h hold one called name. */
static int has_header(const struct kk_buf *h, const char *name)
{
	size_t n = strlen(name);

	for (const char *line = h->data; line && *line;) {
		const char *nl = strchr(line, '\n');

		if (strncasecmp(line, name, n) == 0 && line[n] == ':')
			return 1;
		line = nl ? nl + 1 : "";
	}
	return 0;
}

/* Adds the headers every answer carries; 0 when one could not be added. */
static int add_security_headers(struct exchange *x, struct MHD_Response *resp)
{
	struct kk_req *r = &x->req;
	/* evidence is a finder's file: never a page of ours, whatever type the
	 * finder declared (issue 7), so it always gets the sandbox */
	int html = !x->is_download && r->content_type && strncmp(r->content_type, "text/html", 9) == 0;

	int ok = 1;

	ok &= MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES;
	ok &= MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") == MHD_YES;
	ok &= MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_YES;
	/* served behind TLS: browsers keep to https (issue 7) */
	if (r->srv->secure_cookies)
		ok &= MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000") == MHD_YES;
	if (html)
		ok &= MHD_add_response_header(resp, "Content-Security-Policy", CSP_HTML) == MHD_YES;
	else if (!x->is_static)
		ok &= MHD_add_response_header(resp, "Content-Security-Policy", CSP_OTHER) == MHD_YES;
	/* issue 12: a public page or feed says itself how long caches keep it */
	if (!x->is_static && !has_header(&r->headers, MHD_HTTP_HEADER_CACHE_CONTROL))
		ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") == MHD_YES;
	return ok;
}

struct MHD_Response *http_build_reply(struct exchange *x)
{
	struct kk_req *r = &x->req;
	struct MHD_Response *resp;
	char *line, *next;
	int ok;

	if (!r->status)
		http_reply_error_msg(r, 500, "the handler gave no reply", NULL);
	/* never a reply or header line written in part, nor a page missing a piece
	 * the request's pool could not hold (both failures are sticky) */
	if (!x->has_static && (r->pool_failed || kk_buf_result(&r->reply) || kk_buf_result(&r->headers))) {
		kk_buf_reset(&r->headers);
		http_reply_error_msg(r, 500, "out of memory for the reply", NULL);
	}
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
		return NULL;
	ok = add_security_headers(x, resp);
	if (r->content_type)
		ok &= MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type) == MHD_YES;
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
		ok &= MHD_add_response_header(resp, line, colon[1] == ' ' ? colon + 2 : colon + 1) == MHD_YES;
	}
	if (!ok) { /* never an answer without its security headers or cookies */
		MHD_destroy_response(resp);
		return NULL;
	}
	return resp;
}

enum MHD_Result http_queue_reply(struct exchange *x)
{
	struct MHD_Response *resp = http_build_reply(x);
	enum MHD_Result ret;

	if (!resp)
		return MHD_NO; /* not even the refusal could be made: MHD closes the connection */
	ret = MHD_queue_response(x->req.conn, x->req.status, resp);
	MHD_destroy_response(resp);
	x->queued = 1;
	return ret;
}
