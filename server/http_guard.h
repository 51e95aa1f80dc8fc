/*
 * http_guard.h: what the HTTP front does against floods (issue 7): it knows the
 * requester's source address (kk_req_source), refuses a source over its limit
 * on report submissions before the body is read (routes flagged ROUTE_LIMITED;
 * the count itself is the core's, kk_report_limit_check), and keeps request
 * bodies within one memory budget across all connections (http_budget.h).
 *
 * http.c calls two hooks: http_guard_headers when the headers are in,
 * http_guard_end when the request ends. A refusal has its reply written (429
 * or 503, with Retry-After, in JSON or as a page like the front's other
 * refusals) and says whether the connection must close at once.
 */
#ifndef KEIKAI_SERVER_HTTP_GUARD_H
#define KEIKAI_SERVER_HTTP_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "http.h"
#include "http_budget.h"

struct http_guard {
	struct http_budget budget;
	unsigned reports_per_hour; /* 0: no limit */
	int behind_proxy;          /* the source is the last X-Forwarded-For address */
};

/* From the server's configuration (cfg may be NULL: the defaults). */
void http_guard_init(struct http_guard *g, const struct kk_server_config *cfg);

/* The guard of a server: the first member of struct kk_server (http.c). */
struct http_guard *http_guard_of(struct kk_server *srv);

enum http_guard_verdict {
	HTTP_GUARD_PASS,    /* go on */
	HTTP_GUARD_REFUSED, /* the reply is ready; read and drop the body, then send it */
	HTTP_GUARD_CLOSE,   /* the reply is ready; send it now and close the connection */
};

/* When the headers are in and every other check has passed: the route's limit
 * on reports, then the budget for a body of `declared` bytes (Content-Length;
 * 0 when none), or of the largest body the route takes (http_route_body_max)
 * when it is chunked, its length unknown. *held is the request's share. */
enum http_guard_verdict http_guard_headers(struct kk_req *r, const struct kk_route *rt, uint64_t declared,
					   size_t *held);

/* When the request ends, however it ends: gives back its share. */
void http_guard_end(struct kk_server *srv, size_t *held);

/* ---- pure helpers, unit-tested (tests/unit/test_http.c) ---- */

#define HTTP_SOURCE_MAX 64

/* The source key of a peer address: dotted IPv4 ("203.0.113.7"; an IPv4-mapped
 * IPv6 address too), or for IPv6 its /64 prefix ("2001:db8:1:2::/64"), as one
 * host is given a whole /64. 0, or -1 for another family. */
int http_source_key(const struct sockaddr *sa, char *out, size_t size);

/* The source key of the last address of an X-Forwarded-For value (the one the
 * proxy added), as http_source_key makes it. 0, or -1 when that is not an IP
 * address. */
int http_forwarded_key(const char *xff, char *out, size_t size);

#endif
