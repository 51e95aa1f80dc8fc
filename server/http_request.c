/*
 * http_request.c: the request side of http.h: memory that lives as long as the
 * request (kk_req_alloc and friends, freed with the exchange by http.c) and
 * reading headers, cookies, query arguments and form fields.
 */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_front.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

/* ---- per-request memory --------------------------------------------------- */

void *kk_req_alloc(struct kk_req *r, size_t n)
{
	void *p;

	if (r->pool_len == r->pool_cap) {
		size_t cap = r->pool_cap ? r->pool_cap * 2 : 8;
		void **pool = kk_realloc(r->pool, cap * sizeof(*pool));

		if (!pool) {
			r->pool_failed = 1;
			return NULL;
		}
		r->pool = pool;
		r->pool_cap = cap;
	}
	p = kk_malloc(n ? n : 1);
	if (p)
		r->pool[r->pool_len++] = p;
	else
		r->pool_failed = 1; /* sticky, like a buffer's failure: checked once, before the reply */
	return p;
}

static char *req_strndup(struct kk_req *r, const char *s, size_t n)
{
	char *p = kk_req_alloc(r, n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

char *kk_req_strdup(struct kk_req *r, const char *s)
{
	return s ? req_strndup(r, s, strlen(s)) : NULL;
}

char *kk_req_printf(struct kk_req *r, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	p = kk_req_alloc(r, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- reading the request ---------------------------------------------------- */

/* Copies a cookie into buf; 0 when present and it fits. */
int http_cookie_copy(struct kk_req *r, const char *name, char *buf, size_t size)
{
	size_t n;
	const char *v = http_cookie_find(kk_req_header(r, MHD_HTTP_HEADER_COOKIE), name, &n);

	if (!v || n >= size)
		return -1;
	memcpy(buf, v, n);
	buf[n] = '\0';
	return 0;
}


const char *kk_req_header(struct kk_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *kk_req_cookie(struct kk_req *r, const char *name)
{
	size_t n;
	const char *v = http_cookie_find(kk_req_header(r, MHD_HTTP_HEADER_COOKIE), name, &n);

	return v ? req_strndup(r, v, n) : NULL;
}

const char *kk_req_query(struct kk_req *r, const char *name)
{
	const char *v = NULL;
	size_t n = 0;

	if (MHD_lookup_connection_value_n(r->conn, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v, &n) != MHD_YES)
		return NULL;
	return v ? v : "";
}

const char *kk_req_field(struct kk_req *r, const char *name)
{
	return r->form ? json_string_value(json_object_get(r->form, name)) : NULL;
}

int64_t kk_req_param_id(struct kk_req *r, int i, int reply_404)
{
	int64_t id;

	if (kk_parse_id(r->params[i], &id) == 0)
		return id;
	if (reply_404)
		kk_reply_errorf(r, 404, "%s", _("Not found."));
	return 0;
}

struct unknown_search {
	const struct kk_route *rt;
	const char *found;
};

static enum MHD_Result find_unknown(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct unknown_search *u = cls;

	(void)kind;
	(void)value;
	if (strcmp(key, "lang") == 0 || http_param_allowed(u->rt, key, strlen(key)))
		return MHD_YES;
	u->found = key;
	return MHD_NO;
}

const char *http_query_unknown(struct kk_req *r, const struct kk_route *rt)
{
	struct unknown_search u = { rt, NULL };

	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, find_unknown, &u);
	return u.found;
}
