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
 * and queues the reply; for a public page asked anonymously, a reply kept from an
 * earlier reader may answer instead of the handler (http_portal.c).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "http_front.h"
#include "portal_cache.h"

#define CONN_MEMORY ((size_t)128 * 1024)
#define CONN_TIMEOUT 60u
/* With one thread per connection (the default), at most this many connections. */
#define MAX_CONNECTIONS 512u

static enum MHD_Result on_body(struct exchange *x, const char *data, size_t n)
{
	struct kk_req *r = &x->req;

	x->received += n;
	if (x->replied)
		return x->received > DRAIN_MAX ? MHD_NO : MHD_YES;
	if (x->received > http_route_body_max(x->route)) {
		/* a chunked body: the reply waits for its end (MHD cannot answer mid-body) */
		http_refuse(x, 413, _("The request body is too large."));
		return MHD_YES;
	}
	if (x->route->flags & ROUTE_JSON) {
		if (kk_buf_add(&r->body, data, n) != KK_OK)
			return MHD_NO;
	} else if (x->pp) {
		http_form_feed(x, data, n);
	}
	return MHD_YES;
}

static enum MHD_Result on_complete(struct exchange *x)
{
	struct kk_req *r = &x->req;
	const struct kk_route *rt = x->route;
	enum MHD_Result ret = MHD_NO;

	if (x->queued)
		return MHD_YES;
	http_form_end(x);
	if (x->replied)
		return http_queue_reply(x);

	if ((rt->flags & ROUTE_JSON) && !kk_utf8_valid(r->body.data ? r->body.data : "", r->body.len)) {
		http_refuse(x, 400, _("The body is not valid UTF-8."));
		return http_queue_reply(x);
	}
	if ((rt->flags & ROUTE_FORM) && (rt->flags & ROUTE_CSRF) && !http_csrf_equal(kk_req_field(r, "csrf"), r->csrf)) {
		http_refuse(x, 403, _("The form has expired or did not come from this site. Please reload the page and try again."));
		return http_queue_reply(x);
	}
	/* issue 12 item 6: a public page made before, while nothing it shows changed */
	switch (http_portal_serve(x, &ret)) {
	case PORTAL_QUEUED: return ret;
	case PORTAL_MADE: return http_queue_reply(x);
	case PORTAL_MISS: break;
	}
	rt->handler(r);
	http_portal_keep(x);
	return http_queue_reply(x);
}

static struct exchange *exchange_new(struct kk_server *srv, struct MHD_Connection *conn, const char *url,
				     const char *method)
{
	struct exchange *x = kk_calloc(1, sizeof(*x));

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
	http_guard_end(r->srv, &x->budgeted); /* the bodies' memory is given back */
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
		return http_dispatch(x);
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
	srv = kk_calloc(1, sizeof(*srv));
	if (!srv)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	srv->store = s;
	if (!(srv->portal = portal_cache_new(http_portal_release))) {
		free(srv);
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	}
	srv->secure_cookies = cfg && cfg->secure_cookies;
	http_guard_init(&srv->guard, cfg);
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
	portal_cache_free(srv->portal);
	free(srv);
}

unsigned kk_server_port(const struct kk_server *srv)
{
	return srv ? srv->port : 0;
}
