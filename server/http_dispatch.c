/*
 * http_dispatch.c: the header phase of a request, where every check that needs
 * no body is made, in this order: the route, the user, the gate (the policy,
 * authz.h: sign in or 403), the route's body cap, its allowed query
 * parameters, the media type and the X-CSRF-Token of cookie API calls, then the
 * source limits and the body budget (http_guard.h).
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http_front.h"

uint64_t http_declared_length(struct kk_req *r, int *chunked)
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
enum MHD_Result http_headers_done(struct exchange *x)
{
	const char *expect = kk_req_header(&x->req, MHD_HTTP_HEADER_EXPECT);
	int chunked;

	if (!x->replied)
		return MHD_YES;
	if ((expect && strcasecmp(expect, "100-continue") == 0) || http_declared_length(&x->req, &chunked) > DRAIN_MAX)
		return http_queue_reply(x);
	return MHD_YES;
}

enum http_gate http_gate(const struct kk_route *rt, enum kk_role role)
{
	if (kk_may_some(role, rt->action))
		return GATE_PASS;
	return role == KK_ROLE_NONE ? GATE_SIGN_IN : GATE_FORBIDDEN;
}

size_t http_route_body_max(const struct kk_route *rt)
{
	return rt->body_max ? rt->body_max : HTTP_BODY_DEFAULT;
}

/* Whether name is in the route's allow-list ("status limit page", "m.*"). */
int http_param_allowed(const struct kk_route *rt, const char *name, size_t len)
{
	const char *p = rt->params ? rt->params : "";

	while (*p) {
		size_t n = strcspn(p, " ");

		if (n && p[n - 1] == '*' ? len >= n - 1 && memcmp(p, name, n - 1) == 0
					 : n == len && memcmp(p, name, n) == 0)
			return 1;
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

enum MHD_Result http_dispatch(struct exchange *x)
{
	struct kk_req *r = &x->req;
	struct http_span caps[HTTP_MAX_PARAMS];
	size_t n_caps = 0;
	char allow[64];
	int known, chunked, guard;
	const struct kk_route *rt;
	const char *unknown;

	r->wants_json = http_accept_wants_json(kk_req_header(r, MHD_HTTP_HEADER_ACCEPT));
	x->is_static = strncmp(r->path, "/static/", 8) == 0;

	rt = http_route_find(kk_routes, r->method, r->path, caps, &n_caps, &known, allow, sizeof(allow));
	x->route = rt;
	/* after the route: a public one (ROUTE_PUBLIC) gets no language cookie */
	http_choose_language(x);
	/* before a 404 too, so that its page shows who is signed in */
	if (http_establish_user(x) != 0)
		return http_headers_done(x);
	if (!rt) {
		if (known) {
			kk_reply_header(r, MHD_HTTP_HEADER_ALLOW, allow);
			http_refuse(x, 405, _("This method is not allowed here."));
		} else {
			http_refuse(x, 404, _("There is no such page."));
		}
		return http_headers_done(x);
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

	switch (http_gate(rt, r->user.role)) {
	case GATE_PASS:
		break;
	case GATE_SIGN_IN:
		if (rt->flags & ROUTE_API) {
			http_refuse(x, 401, _("Please sign in or send an API token."));
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
		return http_headers_done(x);
	case GATE_FORBIDDEN:
		http_refuse(x, 403, _("Your role does not allow this."));
		return http_headers_done(x);
	}

	if (http_declared_length(r, &chunked) > http_route_body_max(rt)) {
		http_refuse(x, 413, _("The request body is too large."));
		return http_headers_done(x);
	}
	if ((unknown = http_query_unknown(r, rt))) {
		http_refuse(x, 400, kk_req_printf(r, _("The address has a parameter this page does not take: %s"), unknown));
		return http_headers_done(x);
	}
	if (rt->flags & ROUTE_JSON) {
		if (!http_media_type_is(kk_req_header(r, MHD_HTTP_HEADER_CONTENT_TYPE), "application/json")) {
			http_refuse(x, 415, _("Content-Type must be application/json."));
			return http_headers_done(x);
		}
		/* cookie callers echo the token; bearer-token calls need none */
		if ((rt->flags & ROUTE_CSRF) && r->via_session && !http_csrf_equal(kk_req_header(r, "X-CSRF-Token"), r->csrf)) {
			http_refuse(x, 403, _("The CSRF token is missing or wrong."));
			return http_headers_done(x);
		}
	}
	if (rt->flags & ROUTE_FORM) {
		enum kk_result res = http_form_begin(x);

		if (res == KK_ENOMEM)
			return MHD_NO;
		if (res)
			return http_headers_done(x);
	}
	if ((guard = http_guard_headers(r, rt, http_declared_length(r, &chunked), &x->budgeted)) != HTTP_GUARD_PASS)
		x->replied = 1; /* a 503 for the budget goes now, before the body (nothing is held) */
	return guard == HTTP_GUARD_PASS ? MHD_YES : guard == HTTP_GUARD_CLOSE ? http_queue_reply(x) : http_headers_done(x);
}
