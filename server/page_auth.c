/*
 * page_auth.c: signing in and out through HTML forms. Staff of the receiving
 * organisation, coordinators, vendors and operators have accounts; finders do
 * not need one.
 *
 * The session id goes into the kk_session cookie (HttpOnly, SameSite=Lax, set
 * by the front) as a browser-session cookie; the core expires it after
 * KK_SESSION_TTL seconds unused. Password checks and their throttling are the
 * core's (kk_user_login), by account and by the source address the front
 * names (kk_req_source).
 */
#include <string.h>

#include "handlers.h"
#include "keikai/account.h"
#include "keikai/i18n.h"
#include "page.h"

#define SESSION_COOKIE "kk_session"

static void render_login(struct kk_req *r, unsigned status, const char *email, const char *next,
			 const char *error)
{
	struct login_view v = { .email = email ? email : "", .next = next ? next : "", .error = error };
	enum kk_result res = page_begin(r, _("Staff sign-in"), "/login");

	if (res == KK_OK)
		res = tmpl_login(&r->reply, r, &v);
	page_end(r, status, res);
}

/* 1 when next is a path of this site: "/..." but not "//host" or "/\host". */
static int local_path(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return 0;
	for (const unsigned char *p = (const unsigned char *)next; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return 0;
	}
	return 1;
}

void page_login(struct kk_req *r)
{
	const char *next = kk_req_query(r, "next");

	render_login(r, 200, NULL, local_path(next) ? next : NULL, NULL);
}

void page_login_submit(struct kk_req *r)
{
	const char *email = kk_req_field(r, "email");
	const char *password = kk_req_field(r, "password");
	const char *next = kk_req_field(r, "next");
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user user = { 0 };
	char sid[KK_TOKEN_MAX], csrf[KK_TOKEN_MAX];
	int64_t wait = 0;
	enum kk_result res;

	if (!local_path(next))
		next = NULL;
	res = kk_user_login(r->store, email ? email : "", password ? password : "", kk_req_source(r), &user, &wait,
			    &err);
	if (res == KK_EAUTH) {
		render_login(r, 401, email, next, _("Wrong e-mail address or password."));
		goto out;
	}
	if (res == KK_ETHROTTLED) {
		/* issue 7: "try again in N seconds", and the same in Retry-After */
		kk_reply_header(r, "Retry-After", kk_req_printf(r, "%lld", (long long)wait));
		render_login(r, 429, email, next, err.msg);
		goto out;
	}
	if (res == KK_OK)
		res = kk_session_create(r->store, user.id, sid, csrf, &err);
	if (res != KK_OK) {
		page_error(r, kk_status_for(res), err.msg[0] ? err.msg : NULL);
		goto out;
	}
	kk_reply_cookie(r, SESSION_COOKIE, sid, -1);
	if (!next) {
		int staff = user.role == KK_ROLE_INTAKE || user.role == KK_ROLE_COORDINATOR ||
			    user.role == KK_ROLE_ADMIN;

		next = staff ? "/intake" : "/";
	}
	kk_reply_redirect(r, next);
out:
	kk_user_release(&user);
	kk_error_release(&err);
}

void page_logout(struct kk_req *r)
{
	if (r->via_session && r->session_id[0])
		kk_session_delete(r->store, r->session_id, NULL);
	kk_reply_cookie(r, SESSION_COOKIE, "", 0);
	kk_reply_redirect(r, "/");
}
