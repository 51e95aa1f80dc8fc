/*
 * Unit tests of the pure parts of the HTTP front (server/http_internal.h): route
 * matching against a table of our own and against the real one (routes.c), and
 * the parsing of Content-Type, Accept, Cookie, Authorization, percent escapes,
 * listen addresses, attachment indexes and download names; and the gate walked
 * over every route of the real table for every role (SPEC 1). The request path
 * through libmicrohttpd is covered end to end by tests/e2e.
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "keikai/advisory.h"
#include "keikai/alloc.h"
#include "keikai/report.h"
#include "keikai/sbom_map.h"
#include "http.h"
#include "http_internal.h"

static void h_list(struct kk_req *r) { (void)r; }
static void h_get(struct kk_req *r) { (void)r; }
static void h_post(struct kk_req *r) { (void)r; }
static void h_att(struct kk_req *r) { (void)r; }

static const struct kk_route table[] = {
	{ "GET", "/items", h_list, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "POST", "/items", h_post, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "GET", "/items/{}", h_get, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ "GET", "/items/{}/files/{}", h_att, KK_ACT_PUBLIC_READ, 0, 0, NULL },
	{ NULL, NULL, NULL, KK_ACT_NONE, 0, 0, NULL },
};

/* The text of capture i of path. */
static char *cap(const char *path, const struct http_span *c, size_t i)
{
	static char buf[4][128];

	snprintf(buf[i], sizeof(buf[i]), "%.*s", (int)c[i].len, path + c[i].off);
	return buf[i];
}

Test(route_match, literal_segments_match_exactly)
{
	struct http_span c[HTTP_MAX_PARAMS];
	size_t n;

	cr_assert(http_route_match("/", "/", c, &n));
	cr_assert(http_route_match("/login", "/login", c, &n));
	cr_assert_eq(n, 0);
	cr_assert_not(http_route_match("/login", "/Login", c, &n), "case matters");
	cr_assert_not(http_route_match("/login", "/login/", c, &n), "a trailing slash is another path");
	cr_assert_not(http_route_match("/login", "/loginx", c, &n));
	cr_assert_not(http_route_match("/login", "/log", c, &n));
	cr_assert_not(http_route_match("/login", "", c, &n));
	cr_assert_not(http_route_match("/", "/x", c, &n));
}

Test(route_match, braces_take_one_non_empty_segment)
{
	const char *p = "/api/v1/reports/IPA#12345678/attachments/0";
	struct http_span c[HTTP_MAX_PARAMS];
	size_t n;

	cr_assert(http_route_match("/api/v1/reports/{}/attachments/{}", p, c, &n));
	cr_assert_eq(n, 2);
	cr_assert_str_eq(cap(p, c, 0), "IPA#12345678");
	cr_assert_str_eq(cap(p, c, 1), "0");
	cr_assert_not(http_route_match("/r/{}", "/r/", c, &n), "empty segment");
	cr_assert_not(http_route_match("/r/{}", "/r", c, &n));
	cr_assert_not(http_route_match("/r/{}", "/r/a/b", c, &n), "one segment only");
	cr_assert_not(http_route_match("/r/{}", "/r//", c, &n));
	cr_assert(http_route_match("/r/{}", "/r/a b?c", c, &n), "any byte but a slash");
}

Test(route_find, finds_by_method_and_path)
{
	struct http_span c[HTTP_MAX_PARAMS];
	size_t n;
	int known;
	char allow[64];

	cr_assert_eq(http_route_find(table, "GET", "/items", c, &n, &known, allow, sizeof(allow))->handler, h_list);
	cr_assert_eq(http_route_find(table, "POST", "/items", c, &n, &known, allow, sizeof(allow))->handler, h_post);
	cr_assert_eq(http_route_find(table, "HEAD", "/items/7", c, &n, &known, allow, sizeof(allow))->handler, h_get,
		     "HEAD is served by GET");
	cr_assert_eq(n, 1);
	cr_assert_eq(http_route_find(table, "GET", "/items/7/files/2", c, &n, &known, allow, sizeof(allow))->handler,
		     h_att);
	cr_assert_eq(n, 2);
}

Test(route_find, tells_404_from_405_and_lists_the_allowed_methods)
{
	struct http_span c[HTTP_MAX_PARAMS];
	size_t n;
	int known;
	char allow[64];

	cr_assert_null(http_route_find(table, "GET", "/nothing", c, &n, &known, allow, sizeof(allow)));
	cr_assert_eq(known, 0);
	cr_assert_null(http_route_find(table, "DELETE", "/items", c, &n, &known, allow, sizeof(allow)));
	cr_assert_eq(known, 1);
	cr_assert_str_eq(allow, "GET, HEAD, POST");
	cr_assert_null(http_route_find(table, "POST", "/items/1", c, &n, &known, allow, sizeof(allow)));
	cr_assert_str_eq(allow, "GET, HEAD");
}

Test(route_find, the_real_table)
{
	struct http_span c[HTTP_MAX_PARAMS];
	size_t n;
	int known;
	char allow[64];
	const struct kk_route *rt;

	rt = http_route_find(kk_routes, "POST", "/api/v1/reports", c, &n, &known, allow, sizeof(allow));
	cr_assert(rt && rt->handler == api_report_submit && (rt->flags & ROUTE_JSON) &&
		  rt->action == KK_ACT_REPORT_SUBMIT);
	rt = http_route_find(kk_routes, "GET", "/api/v1/reports/IPA#12345678", c, &n, &known, allow, sizeof(allow));
	cr_assert(rt && rt->handler == api_report_get);
	rt = http_route_find(kk_routes, "POST", "/api/v1/reports/IPA#1/decision", c, &n, &known, allow, sizeof(allow));
	cr_assert(rt && rt->handler == api_report_decide && (rt->flags & ROUTE_CSRF));
	cr_assert_null(http_route_find(kk_routes, "PUT", "/login", c, &n, &known, allow, sizeof(allow)));
	cr_assert_str_eq(allow, "GET, HEAD, POST");
	/* every pattern is a rooted path and has at most HTTP_MAX_PARAMS captures */
	for (rt = kk_routes; rt->method; rt++) {
		size_t braces = 0;

		cr_assert_eq(rt->pattern[0], '/', "%s", rt->pattern);
		for (const char *p = rt->pattern; (p = strstr(p, "{}")) != NULL; p += 2)
			braces++;
		cr_assert_leq(braces, HTTP_MAX_PARAMS, "%s", rt->pattern);
		cr_assert((rt->flags & (ROUTE_JSON | ROUTE_FORM)) != (ROUTE_JSON | ROUTE_FORM), "%s", rt->pattern);
	}
}

Test(headers, content_type)
{
	cr_assert(http_media_type_is("application/json", "application/json"));
	cr_assert(http_media_type_is("Application/JSON; charset=utf-8", "application/json"));
	cr_assert(http_media_type_is("  application/json ;charset=UTF-8", "application/json"));
	cr_assert_not(http_media_type_is("application/jsonp", "application/json"));
	cr_assert_not(http_media_type_is("application/json-patch+json", "application/json"));
	cr_assert_not(http_media_type_is("text/plain", "application/json"));
	cr_assert_not(http_media_type_is("", "application/json"));
	cr_assert_not(http_media_type_is(NULL, "application/json"));
}

Test(headers, accept_prefers_json_only_when_asked)
{
	cr_assert(http_accept_wants_json("application/json"));
	cr_assert(http_accept_wants_json("application/json, text/plain, */*"));
	cr_assert(http_accept_wants_json("text/html;q=0.5, application/json"));
	cr_assert(http_accept_wants_json("application/json;charset=utf-8"));
	cr_assert_not(http_accept_wants_json(NULL));
	cr_assert_not(http_accept_wants_json("*/*"));
	cr_assert_not(http_accept_wants_json("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
	cr_assert_not(http_accept_wants_json("text/html, application/json"), "a tie goes to the first");
	cr_assert_not(http_accept_wants_json("application/json;q=0"));
	cr_assert_not(http_accept_wants_json("application/json;q=0.4, text/html"));
}

Test(headers, cookies)
{
	const char *h = "a=1; kk_session=abc_DEF-9; kk_csrf=\"q\" ;x=; kk_session=second";
	size_t n;
	const char *v;

	v = http_cookie_find(h, "kk_session", &n);
	cr_assert(v && n == 9 && strncmp(v, "abc_DEF-9", n) == 0, "the first wins");
	v = http_cookie_find(h, "kk_csrf", &n);
	cr_assert(v && n == 1 && *v == 'q', "quotes dropped");
	v = http_cookie_find(h, "x", &n);
	cr_assert(v && n == 0);
	cr_assert_null(http_cookie_find(h, "kk", &n), "no prefix match");
	cr_assert_null(http_cookie_find(h, "session", &n), "no suffix match");
	cr_assert_null(http_cookie_find(NULL, "a", &n));
	cr_assert_null(http_cookie_find("junk; =; ;;", "a", &n));
	v = http_cookie_find("junk; a = 2 ", "a", &n);
	cr_assert(v && n == 1 && *v == '2');
}

Test(headers, bearer_tokens)
{
	cr_assert_str_eq(http_bearer_token("Bearer kk_abc"), "kk_abc");
	cr_assert_str_eq(http_bearer_token("bearer   kk_abc"), "kk_abc");
	cr_assert_str_eq(http_bearer_token("Bearer"), "");
	cr_assert_null(http_bearer_token("Basic dXNlcjpwYXNz"));
	cr_assert_null(http_bearer_token("Bearerkk_abc"));
	cr_assert_null(http_bearer_token(NULL));
	cr_assert(http_token_syntax_ok("kk_aHRYQyB6Pz_bFSYu4-7lqeFHhgw4GqjJNgSjyefS0xY"));
	cr_assert_not(http_token_syntax_ok(""));
	cr_assert_not(http_token_syntax_ok("abc def"));
	cr_assert_not(http_token_syntax_ok("abc=="));
	char longer[KK_TOKEN_MAX + 1];

	memset(longer, 'a', KK_TOKEN_MAX);
	longer[KK_TOKEN_MAX] = '\0';
	cr_assert_not(http_token_syntax_ok(longer));
}

Test(unescape, decodes_escapes_but_never_makes_a_nul)
{
	char s1[] = "/api/v1/reports/IPA%2312345678";
	char s2[] = "a%2Fb%2fc%e3%81%82";
	char s3[] = "a%00b%zz%4";
	char s4[] = "100%";

	cr_assert_eq(http_unescape(s1), strlen("/api/v1/reports/IPA#12345678"));
	cr_assert_str_eq(s1, "/api/v1/reports/IPA#12345678");
	http_unescape(s2);
	cr_assert_str_eq(s2, "a/b/cあ");
	cr_assert_eq(http_unescape(s3), 10);
	cr_assert_str_eq(s3, "a%00b%zz%4");
	http_unescape(s4);
	cr_assert_str_eq(s4, "100%");
}

Test(listen, addresses)
{
	struct sockaddr_storage ss;
	socklen_t len;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;

	cr_assert_eq(http_listen_parse("127.0.0.1:8080", &ss, &len), 0);
	cr_assert_eq(a4->sin_family, AF_INET);
	cr_assert_eq(ntohs(a4->sin_port), 8080);
	cr_assert_eq(ntohl(a4->sin_addr.s_addr), 0x7f000001);
	cr_assert_eq(http_listen_parse("0.0.0.0:0", &ss, &len), 0, "port 0 picks a free one");
	cr_assert_eq(http_listen_parse("localhost:80", &ss, &len), 0);
	cr_assert_eq(ntohl(a4->sin_addr.s_addr), 0x7f000001);
	cr_assert_eq(http_listen_parse("[::1]:8443", &ss, &len), 0);
	cr_assert_eq(a6->sin6_family, AF_INET6);
	cr_assert_eq(ntohs(a6->sin6_port), 8443);
	cr_assert_eq(len, sizeof(struct sockaddr_in6));
	cr_assert_neq(http_listen_parse("127.0.0.1", &ss, &len), 0);
	cr_assert_neq(http_listen_parse("127.0.0.1:", &ss, &len), 0);
	cr_assert_neq(http_listen_parse(":8080", &ss, &len), 0);
	cr_assert_neq(http_listen_parse("127.0.0.1:65536", &ss, &len), 0);
	cr_assert_neq(http_listen_parse("127.0.0.1:-1", &ss, &len), 0);
	cr_assert_neq(http_listen_parse("127.0.0.1:80x", &ss, &len), 0);
	cr_assert_neq(http_listen_parse("example.org:80", &ss, &len), 0);
	cr_assert_neq(http_listen_parse("::1:80", &ss, &len), 0);
	cr_assert_neq(http_listen_parse("[::1]", &ss, &len), 0);
	cr_assert_neq(http_listen_parse(NULL, &ss, &len), 0);
}

Test(download, content_disposition)
{
	struct kk_buf b;

	kk_buf_init(&b, 4096);
	cr_assert_eq(http_content_disposition(&b, "poc.txt"), KK_OK);
	cr_assert_str_eq(b.data, "attachment; filename=\"poc.txt\"; filename*=UTF-8''poc.txt");
	kk_buf_reset(&b);
	http_content_disposition(&b, "a\"b\\c/d\r\n.txt");
	cr_assert_str_eq(b.data, "attachment; filename=\"a_b_c_d__.txt\"; filename*=UTF-8''a%22b%5Cc%2Fd%0D%0A.txt");
	kk_buf_reset(&b);
	http_content_disposition(&b, "証拠.png");
	cr_assert_str_eq(b.data, "attachment; filename=\"______.png\"; filename*=UTF-8''%E8%A8%BC%E6%8B%A0.png");
	kk_buf_reset(&b);
	http_content_disposition(&b, "");
	cr_assert_str_eq(b.data, "attachment; filename=\"download\"; filename*=UTF-8''download");
	kk_buf_release(&b);
}

Test(download, attachment_index)
{
	size_t i;

	cr_assert_eq(http_parse_index("0", &i), 0);
	cr_assert_eq(i, 0);
	cr_assert_eq(http_parse_index("12", &i), 0);
	cr_assert_eq(i, 12);
	cr_assert_neq(http_parse_index("", &i), 0);
	cr_assert_neq(http_parse_index("-1", &i), 0);
	cr_assert_neq(http_parse_index("+1", &i), 0);
	cr_assert_neq(http_parse_index("1 ", &i), 0);
	cr_assert_neq(http_parse_index("0x1", &i), 0);
	cr_assert_neq(http_parse_index("1234567890", &i), 0);
	cr_assert_neq(http_parse_index(NULL, &i), 0);
}

Test(status, core_results_map_to_http)
{
	cr_assert_eq(kk_status_for(KK_OK), 200);
	cr_assert_eq(kk_status_for(KK_EINVAL), 400);
	cr_assert_eq(kk_status_for(KK_ENOTFOUND), 404);
	cr_assert_eq(kk_status_for(KK_EDENIED), 403);
	cr_assert_eq(kk_status_for(KK_EAUTH), 401);
	cr_assert_eq(kk_status_for(KK_ETHROTTLED), 429);
	cr_assert_eq(kk_status_for(KK_ECONFLICT), 409);
	cr_assert_eq(kk_status_for(KK_EEXISTS), 409);
	cr_assert_eq(kk_status_for(KK_ETOOBIG), 413);
	cr_assert_eq(kk_status_for(KK_EDB), 500);
	cr_assert_eq(kk_status_for(KK_ENOMEM), 500);
	cr_assert_eq(kk_status_for(KK_EIO), 500);
}

/* The route walk (issue 7): every route declares an action that the policy
 * (authz.h) names, and for every role the gate answers what the policy says:
 * through when some row lets the role do it, else sign in (anonymous) or 403. */
Test(gate, every_route_for_every_role)
{
	for (const struct kk_route *rt = kk_routes; rt->method; rt++) {
		int named = 0;

		cr_assert_neq(rt->action, KK_ACT_NONE, "%s %s declares no action", rt->method, rt->pattern);
		for (const struct kk_policy_rule *p = kk_policy; p->action != KK_ACT_NONE; p++)
			named |= p->action == rt->action;
		cr_assert(named, "%s %s: no row of the policy names %s", rt->method, rt->pattern,
			  kk_action_name(rt->action));
		for (int role = 0; role <= KK_ROLE_LAST_USER; role++) {
			enum http_gate want = GATE_PASS;
			int allowed = 0;

			for (const struct kk_policy_rule *p = kk_policy; p->action != KK_ACT_NONE; p++)
				allowed |= p->action == rt->action && (p->roles & (1u << role));
			if (!allowed)
				want = role == KK_ROLE_NONE ? GATE_SIGN_IN : GATE_FORBIDDEN;
			cr_assert_eq(http_gate(rt, (enum kk_role)role), want, "%s %s for %s", rt->method, rt->pattern,
				     kk_role_name((enum kk_role)role));
		}
	}
}

/* Changes are never open to everyone except sending a report, asking to be
 * registered as a vendor (G IV.4.2), the finder writing from its status page
 * (SPEC 2.13) or asking to lift non-disclosure (SPEC 2.12: it holds the page's
 * secret) and signing in: a route that writes
 * with an action anyone may do is a hole. */
Test(gate, writes_open_to_anonymous_are_only_reports_and_sign_in)
{
	for (const struct kk_route *rt = kk_routes; rt->method; rt++) {
		if (strcmp(rt->method, "GET") == 0 || http_gate(rt, KK_ROLE_NONE) != GATE_PASS)
			continue;
		cr_assert(rt->action == KK_ACT_REPORT_SUBMIT || rt->action == KK_ACT_VENDOR_REQUEST ||
				  rt->action == KK_ACT_FINDER_MESSAGE || rt->action == KK_ACT_FINDER_LIFT ||
				  rt->action == KK_ACT_SIGN_IN,
			  "%s %s is open to anyone", rt->method, rt->pattern);
		/* and each of them is limited per source address, or is signing in */
		cr_assert(rt->action == KK_ACT_SIGN_IN || (rt->flags & ROUTE_LIMITED), "%s %s is not limited",
			  rt->method, rt->pattern);
	}
}

/* Per-route allow-lists: exact names, prefixes ending in '*', nothing else. */
Test(params, allow_list)
{
	const struct kk_route rt = { "GET", "/x", h_list, KK_ACT_PUBLIC_READ, 0, 0, "status limit m.*" };
	const struct kk_route none = { "GET", "/y", h_list, KK_ACT_PUBLIC_READ, 0, 0, NULL };

	cr_assert(http_param_allowed(&rt, "status", 6));
	cr_assert(http_param_allowed(&rt, "limit", 5));
	cr_assert(http_param_allowed(&rt, "m.AV", 4));
	cr_assert(http_param_allowed(&rt, "m.", 2));
	cr_assert_not(http_param_allowed(&rt, "m", 1));
	cr_assert_not(http_param_allowed(&rt, "stat", 4));
	cr_assert_not(http_param_allowed(&rt, "statuses", 8));
	cr_assert_not(http_param_allowed(&rt, "page", 4));
	cr_assert_not(http_param_allowed(&none, "status", 6));
	cr_assert_not(http_param_allowed(&none, "", 0));
}

/* Only the report routes take a report's body (and the API's messages of a
 * case, whose files are held to a report's limits, SPEC 2.13, and the form
 * that completes a report by mail, issue 11), and the SBOM routes an SBOM
 * (SPEC 5); every other route the default cap, which still holds the longest
 * decision note as JSON escapes. */
Test(params, body_caps_of_the_real_table)
{
	cr_assert_geq(HTTP_BODY_DEFAULT, (size_t)KK_DECISION_NOTE_MAX * 12 + 1024);
	for (const struct kk_route *rt = kk_routes; rt->method; rt++) {
		int report = rt->action == KK_ACT_REPORT_SUBMIT ||
			     (rt->action == KK_ACT_CASE_MESSAGE && (rt->flags & ROUTE_JSON) &&
			      strcmp(rt->pattern, "/api/v1/cases/{}/messages") == 0) ||
			     (rt->action == KK_ACT_REPORT_DECIDE && (rt->flags & ROUTE_FORM) &&
			      strcmp(rt->pattern, "/intake/reports/{}/complete") == 0);
		size_t len = strlen(rt->pattern);
		int sbom = len > 5 && strcmp(rt->pattern + len - 5, "/sbom") == 0;
		/* issue 12: an advisory's texts in both languages (advisory.h), by the API
		 * and by the page's form (percent-encoded, it still fits) */
		int advisory = rt->action == KK_ACT_ADVISORY_WRITE && (strcmp(rt->pattern, "/api/v1/cases/{}/advisory") == 0 ||
								       strcmp(rt->pattern, "/api/v1/cases/{}/advisory/revise") == 0 ||
								       strcmp(rt->pattern, "/cases/{}/advisory") == 0 ||
								       strcmp(rt->pattern, "/cases/{}/advisory/revise") == 0);

		cr_assert_eq(http_route_body_max(rt),
			     report ? (size_t)KK_REPORT_MAX_BODY : sbom ? (size_t)KK_SBOM_UPLOAD_MAX
							 : advisory ? (size_t)KK_ADVISORY_MAX_BODY : HTTP_BODY_DEFAULT,
			     "%s %s", rt->method, rt->pattern);
		if (rt->params)
			cr_assert(rt->params[0] != ' ' && !strstr(rt->params, "  "), "%s: malformed params", rt->pattern);
	}
}

/* A failed allocation of the request's pool is remembered, so the front answers
 * 500 rather than a page missing the piece (issue 7, errors never dropped). */
Test(pool, a_failed_allocation_is_sticky)
{
	struct kk_req r;
	char *p;

	memset(&r, 0, sizeof(r));
	p = kk_req_strdup(&r, "kept");
	cr_assert_str_eq(p, "kept");
	cr_assert_not(r.pool_failed);
	kk_alloc_fail_at(1);
	cr_assert_null(kk_req_printf(&r, "%s", "lost"));
	kk_alloc_fail_at(0);
	cr_assert(r.pool_failed);
	cr_assert_str_eq(kk_req_strdup(&r, "again"), "again");
	cr_assert(r.pool_failed, "the failure stays until the reply is made");
	for (size_t i = 0; i < r.pool_len; i++)
		free(r.pool[i]);
	free(r.pool);
}
