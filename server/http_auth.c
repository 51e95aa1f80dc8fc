/*
 * http_auth.c: who is asking, in which language: the language (?lang=, the
 * cookie, Accept-Language), the user (an API token, else a session cookie) and
 * the double-submit CSRF token of pages (SPEC 1).
 */
#include <microhttpd.h>
#include <sodium.h>
#include <string.h>

#include "http_front.h"

void http_choose_language(struct exchange *x)
{
	struct kk_req *r = &x->req;
	const char *q = kk_req_query(r, "lang");
	char buf[16];
	enum kk_lang lang;

	if (q && kk_lang_parse(q, &lang) == 0) {
		r->lang = lang;
		kk_i18n_use(lang);
		/* issue 12: caches keep a public page: nothing of one visitor goes with it */
		if (!(x->route && (x->route->flags & ROUTE_PUBLIC)) &&
		    (http_cookie_copy(r, KK_COOKIE_LANG, buf, sizeof(buf)) != 0 || strcmp(buf, kk_lang_code(lang)) != 0))
			kk_reply_cookie(r, KK_COOKIE_LANG, kk_lang_code(lang), LANG_COOKIE_AGE);
		return;
	}
	if (http_cookie_copy(r, KK_COOKIE_LANG, buf, sizeof(buf)) == 0 && kk_lang_parse(buf, &lang) == 0)
		r->lang = lang;
	else
		r->lang = kk_lang_from_accept(kk_req_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE));
	kk_i18n_use(r->lang);
}

/* Bearer token, else session cookie; sets r->user, via_session, session_id and
 * csrf. Returns 0, or -1 after a refusal. */
int http_establish_user(struct exchange *x)
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
			http_reply_error_msg(r, status, status == 401 ? _("Unknown or revoked API token.") : err.msg, NULL);
			rc = -1;
		}
		goto out;
	}
	if (!x->is_static && http_cookie_copy(r, KK_COOKIE_SESSION, sid, sizeof(sid)) == 0) {
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
			http_refuse(x, kk_status_for(res), err.msg);
			rc = -1;
			goto out;
		}
		/* expired or unknown: forget it */
		kk_reply_cookie(r, KK_COOKIE_SESSION, NULL, 0);
	}
	if (http_cookie_copy(r, KK_COOKIE_CSRF, r->csrf, sizeof(r->csrf)) != 0 || !http_token_syntax_ok(r->csrf)) {
		memset(r->csrf, 0, sizeof(r->csrf));
		/* pages get a fresh double-submit token; the API, assets and public
		 * pages (ROUTE_PUBLIC: no forms, kept by caches) need none */
		if (!x->is_static && !http_is_api(x) && !(x->route && (x->route->flags & ROUTE_PUBLIC))) {
			kk_random_secret(r->csrf, CSRF_BYTES);
			http_set_cookie(r, KK_COOKIE_CSRF, r->csrf, -1, "Strict");
		}
	}
out:
	kk_error_release(&err);
	return rc;
}

int http_csrf_equal(const char *given, const char *expected)
{
	size_t n;

	if (!given || kk_str_empty(expected))
		return 0;
	n = strlen(expected);
	return strlen(given) == n && sodium_memcmp(given, expected, n) == 0;
}
