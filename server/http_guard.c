/*
 * http_guard.c: the front's defences against floods (http_guard.h): source
 * addresses, the early refusal of a source over its report limit, and the
 * hooks of the body budget (the accounting is http_budget.c).
 *
 * Its refusals carry their own, translated message also for 503, which the
 * front's generic error reply would hide (it keeps database details out of
 * answers), and a Retry-After that says when to come back.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "keikai/report.h"
#include "keikai/util.h"
#include "http_guard.h"

/* Seconds a client refused for the budget is asked to wait. */
#define BUSY_RETRY_AFTER "5"

struct http_guard *http_guard_of(struct kk_server *srv)
{
	return (struct http_guard *)(void *)srv; /* its first member */
}

void http_guard_init(struct http_guard *g, const struct kk_server_config *cfg)
{
	http_budget_init(&g->budget, cfg ? cfg->body_budget : 0);
	g->reports_per_hour = cfg ? cfg->reports_per_hour : 0;
	g->behind_proxy = cfg && cfg->behind_proxy;
}

/* ---- source addresses ------------------------------------------------------ */

int http_source_key(const struct sockaddr *sa, char *out, size_t size)
{
	char text[INET6_ADDRSTRLEN];

	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *a4 = (const struct sockaddr_in *)(const void *)sa;

		if (!inet_ntop(AF_INET, &a4->sin_addr, text, sizeof(text)))
			return -1;
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)(const void *)sa;
		struct in6_addr prefix = a6->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(&prefix)) {
			if (!inet_ntop(AF_INET, &prefix.s6_addr[12], text, sizeof(text)))
				return -1;
		} else {
			memset(&prefix.s6_addr[8], 0, 8);
			if (!inet_ntop(AF_INET6, &prefix, text, sizeof(text)))
				return -1;
			return snprintf(out, size, "%s/64", text) < (int)size ? 0 : -1;
		}
	} else {
		return -1;
	}
	return snprintf(out, size, "%s", text) < (int)size ? 0 : -1;
}

int http_forwarded_key(const char *xff, char *out, size_t size)
{
	const char *last = xff ? strrchr(xff, ',') : NULL;
	char text[INET6_ADDRSTRLEN + 2];
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	size_t n;

	if (!xff)
		return -1;
	last = last ? last + 1 : xff;
	last += strspn(last, " \t");
	n = strcspn(last, " \t");
	if (n == 0 || n >= sizeof(text) || last[n + strspn(last + n, " \t")] != '\0')
		return -1;
	memcpy(text, last, n);
	text[n] = '\0';
	memset(&a4, 0, sizeof(a4));
	memset(&a6, 0, sizeof(a6));
	if (inet_pton(AF_INET, text, &a4.sin_addr) == 1) {
		a4.sin_family = AF_INET;
		return http_source_key((const struct sockaddr *)&a4, out, size);
	}
	if (inet_pton(AF_INET6, text, &a6.sin6_addr) == 1) {
		a6.sin6_family = AF_INET6;
		return http_source_key((const struct sockaddr *)&a6, out, size);
	}
	return -1;
}

const char *kk_req_source(struct kk_req *r)
{
	const union MHD_ConnectionInfo *ci;
	char key[HTTP_SOURCE_MAX];

	if (http_guard_of(r->srv)->behind_proxy &&
	    http_forwarded_key(kk_req_header(r, "X-Forwarded-For"), key, sizeof(key)) == 0)
		return kk_req_strdup(r, key);
	ci = MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr || http_source_key(ci->client_addr, key, sizeof(key)) != 0)
		return NULL;
	return kk_req_strdup(r, key);
}

unsigned kk_req_report_limit(struct kk_req *r)
{
	return http_guard_of(r->srv)->reports_per_hour;
}

/* ---- refusals -------------------------------------------------------------- */

static int in_json(struct kk_req *r, const struct kk_route *rt)
{
	return (rt->flags & ROUTE_API) || r->wants_json;
}

/* The server is out of room for bodies: 503, its own message, and the
 * connection closes after the answer. */
static void refuse_busy(struct kk_req *r, const struct kk_route *rt)
{
	const char *msg = _("The server is receiving too much at once; please try again in a few seconds.");

	if (in_json(r, rt))
		kk_reply_json(r, 503, json_pack("{s:s, s:{}}", "error", msg, "fields"));
	else
		page_error(r, 503, msg);
	kk_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, BUSY_RETRY_AFTER);
	kk_reply_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
}

/* The core refused (429 over the limit, or a database failure). */
static void refuse_core(struct kk_req *r, const struct kk_route *rt, enum kk_result res, const struct kk_error *err,
			int64_t retry_after)
{
	unsigned status = kk_status_for(res);
	char secs[24];

	if (in_json(r, rt))
		kk_reply_error(r, status, err);
	else
		page_error(r, status, status < 500 && err->msg[0] ? err->msg : NULL);
	if (res == KK_ETHROTTLED) {
		snprintf(secs, sizeof(secs), "%lld", (long long)retry_after);
		kk_reply_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
	}
}

/* ---- the hooks ------------------------------------------------------------- */

enum http_guard_verdict http_guard_headers(struct kk_req *r, const struct kk_route *rt, uint64_t declared,
					   size_t *held)
{
	struct http_guard *g = http_guard_of(r->srv);

	/* issue 7: an address over its limit is refused before its body is read.
	 * A request with an Idempotency-Key goes on, so that a retry learns what
	 * became of its report (SPEC 2.1); a new submission is counted again, in
	 * its own transaction, and refused there. */
	if ((rt->flags & ROUTE_LIMITED) && g->reports_per_hour && !kk_req_header(r, "Idempotency-Key")) {
		struct kk_error err = KK_ERROR_INIT;
		int64_t wait = 0;
		enum kk_result res = kk_report_limit_check(r->store, kk_req_source(r), g->reports_per_hour, &wait, &err);

		if (res != KK_OK)
			refuse_core(r, rt, res, &err, wait);
		kk_error_release(&err);
		if (res != KK_OK)
			return HTTP_GUARD_REFUSED;
	}
	/* a chunked body's length is known only at its end: it is given the most
	 * the route takes (larger ones are refused 413 as they pass it) */
	if (kk_req_header(r, MHD_HTTP_HEADER_TRANSFER_ENCODING))
		declared = http_route_body_max(rt);
	if (declared && http_budget_take(&g->budget, held, declared) != 0) {
		refuse_busy(r, rt);
		return HTTP_GUARD_CLOSE;
	}
	return HTTP_GUARD_PASS;
}

void http_guard_end(struct kk_server *srv, size_t *held)
{
	http_budget_give(&http_guard_of(srv)->budget, held);
}
