/*
 * http_portal.c: the front's part of the portal cache (portal_cache.h;
 * issue 12 item 6, docs/internals/portal-cache.md). For a public route
 * (ROUTE_PUBLIC) asked by an anonymous reader with nothing to set on the
 * reply (no cookie to forget), the portal's version is read first; a reply
 * kept at that version for the same address, language and host is served
 * as it was made (then 304 when the reader holds it already), without the
 * handler: the same MHD response each time, made once. Else the handler runs and, when its reply is one anyone may keep
 * (page_public_reply gave it an ETag), it is kept with the version read
 * before it was made: a change committed meanwhile makes it stale, never
 * the other way round. The version is read again after this process
 * committed a change, else at most every millisecond (portal_cache.h).
 *
 * The key holds everything the bytes depend on besides the database: the
 * path and query as asked, the language chosen (the query, the cookie or
 * Accept-Language), JSON or not, and the Host and X-Forwarded-Proto the
 * portal's links are made from when base_url is not set.
 */
#include <microhttpd.h>
#include <string.h>
#include <time.h>

#include "http_front.h"
#include "page_advisory.h"
#include "portal_cache.h"

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The portal's version for this request (portal_cache_version); 0, or -1
 * when the database could not say. */
static int current_version(struct exchange *x)
{
	struct kk_req *r = &x->req;
	struct kk_error err = KK_ERROR_INIT;
	uint64_t local = kk_portal_local();
	int64_t now = mono_ns();

	if (portal_cache_version(r->srv->portal, now, local, &x->portal_version))
		return 0;
	if (kk_portal_version(r->store, &x->portal_version, &err) != KK_OK) {
		kk_error_release(&err); /* the handler reads the database next, and answers for it */
		portal_cache_version_read(r->srv->portal, now, local, NULL);
		return -1;
	}
	portal_cache_version_read(r->srv->portal, now, local, &x->portal_version);
	return 0;
}

/* s onto the key, its length first: no two different requests run together
 * into one key, whatever their values hold ('&', '=', spaces). */
static void add_field(struct kk_buf *k, const char *s)
{
	s = s ? s : "";
	kk_buf_addf(k, "%zu:", strlen(s));
	kk_buf_adds(k, s);
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	add_field(cls, key);
	add_field(cls, value);
	return MHD_YES;
}

/* The cache key of the request into x (the request's pool); 0, or -1. */
static int make_key(struct exchange *x)
{
	struct kk_req *r = &x->req;
	struct kk_buf k;
	int rc = -1;

	kk_buf_init(&k, 16 * 1024);
	add_field(&k, kk_lang_code(r->lang));
	add_field(&k, r->wants_json ? "json" : "html");
	add_field(&k, kk_req_header(r, MHD_HTTP_HEADER_HOST));
	add_field(&k, kk_req_header(r, "X-Forwarded-Proto"));
	add_field(&k, r->path);
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, &k);
	if (kk_buf_result(&k) == KK_OK && (x->portal_key = kk_req_alloc(r, k.len))) {
		memcpy(x->portal_key, k.data, k.len);
		x->portal_key_len = k.len;
		rc = 0;
	}
	kk_buf_release(&k);
	return rc;
}

/* How a kept reply is served to this request. */
struct serving {
	struct exchange *x;
	int conditional;     /* If-None-Match or If-Modified-Since: may be a 304 */
	int queued;          /* the shared response went to MHD (ret says how) */
	enum MHD_Result ret;
};

/* The kept reply into the request, as the handler would have made it. */
static void copy_kept(struct kk_req *r, const struct portal_reply *kept)
{
	r->status = 200;
	r->content_type = kk_req_strdup(r, kept->content_type);
	kk_buf_adds(&r->headers, kept->headers);
	kk_buf_add(&r->reply, kept->body, kept->body_len);
	snprintf(r->public_etag, sizeof(r->public_etag), "%s", kept->etag);
	r->public_modified = kept->last_modified;
}

/* Under the cache's lock. A request that may be answered 304 gets a copy to
 * compare; any other is queued the one MHD response made of the reply the
 * first time (MHD counts who holds it, the cache releases its hold when the
 * reply is dropped): no copy, no headers made again. */
static void serve_kept(void *arg, struct portal_reply *kept)
{
	struct serving *sv = arg;
	struct kk_req *r = &sv->x->req;

	if (sv->conditional) {
		copy_kept(r, kept);
		return;
	}
	if (!kept->shared) {
		copy_kept(r, kept);
		/* a copy short of memory answers this request alone (a 500), never
		 * becomes everyone's */
		if (r->pool_failed || kk_buf_result(&r->reply) || kk_buf_result(&r->headers) || !r->content_type)
			return;
		kept->shared = http_build_reply(sv->x);
	}
	sv->queued = 1;
	sv->ret = kept->shared ? MHD_queue_response(r->conn, 200, kept->shared) : MHD_NO;
}

enum http_portal http_portal_serve(struct exchange *x, enum MHD_Result *ret)
{
	struct kk_req *r = &x->req;
	struct serving sv = { x, 0, 0, MHD_NO };

	x->portal_key = NULL;
	/* SPEC 1: only the same page for everyone is kept, or served kept */
	if (!(x->route->flags & ROUTE_PUBLIC) || r->user.role != KK_ROLE_NONE || r->headers.len || !r->srv->portal)
		return PORTAL_MISS;
	if (current_version(x) || make_key(x))
		return PORTAL_MISS;
	sv.conditional = kk_req_header(r, "If-None-Match") || kk_req_header(r, "If-Modified-Since");
	if (!portal_cache_get(r->srv->portal, x->portal_key, x->portal_key_len, &x->portal_version,
			      mono_ns() / 1000000000, serve_kept, &sv))
		return PORTAL_MISS;
	if (sv.queued) {
		x->queued = 1;
		*ret = sv.ret;
		return PORTAL_QUEUED;
	}
	page_public_conditional(r);
	return PORTAL_MADE;
}

void http_portal_release(void *shared)
{
	MHD_destroy_response(shared);
}

void http_portal_keep(struct exchange *x)
{
	struct kk_req *r = &x->req;
	struct portal_reply reply;

	/* a 304 made for this reader has no body to keep; a failed buffer no whole one */
	if (!x->portal_key || r->status != 200 || !r->public_etag[0] || r->pool_failed || kk_buf_result(&r->reply) ||
	    kk_buf_result(&r->headers))
		return;
	reply = (struct portal_reply){
		.content_type = r->content_type,
		.headers = r->headers.data,
		.body = r->reply.data,
		.body_len = r->reply.len,
		.last_modified = r->public_modified,
	};
	snprintf(reply.etag, sizeof(reply.etag), "%s", r->public_etag);
	/* not kept (too big, no memory): the next reader's page is made again */
	(void)portal_cache_put(r->srv->portal, x->portal_key, x->portal_key_len, &x->portal_version,
			       mono_ns() / 1000000000, &reply);
}
