/* Unit tests of lib/account.c: users, passwords, throttling, sessions, tokens. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/account.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "unit.h"

Test(account, login_checks_the_password)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user u = unit_user(s, "intake", "i@ipa.example"), in;

	cr_assert_eq(u.role, KK_ROLE_INTAKE);
	cr_assert_str_eq(u.org_name, "intake");
	cr_assert_eq(kk_user_login(s, "i@ipa.example", "correct horse battery staple", &in, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(in.id, u.id);
	kk_user_release(&in);
	cr_assert_eq(kk_user_login(s, "i@ipa.example", "wrong-password", &in, &err), KK_EAUTH);
	cr_assert_eq(kk_user_login(s, "nobody@ipa.example", "correct horse battery staple", &in, &err), KK_EAUTH);
	kk_user_release(&u);
	kk_store_close(s);
}

Test(account, rejects_bad_users)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "not-an-email", "N", "correct horse battery staple", NULL, &err), KK_EINVAL);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "a@b.example", "N", "short", NULL, &err), KK_EINVAL);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "a@b.example", "N", "correct horse battery staple", NULL, &err), KK_OK);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_VENDOR, "A@B.example", "N", "correct horse battery staple", NULL, &err), KK_EEXISTS,
		     "e-mail addresses are unique regardless of case");
	kk_store_close(s);
}

Test(account, throttles_after_repeated_failures_even_with_the_right_password)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "intake", "t@ipa.example"), in;
	int64_t now = kk_now();

	for (int i = 0; i < KK_LOGIN_MAX_FAILS; i++)
		cr_assert_eq(kk_user_login(s, "t@ipa.example", "bad-password", &in, NULL), KK_EAUTH);
	cr_assert_eq(kk_user_login(s, "t@ipa.example", "correct horse battery staple", &in, NULL), KK_ETHROTTLED);
	kk_clock_set(now + KK_LOGIN_WINDOW + 1);
	cr_assert_eq(kk_user_login(s, "t@ipa.example", "correct horse battery staple", &in, NULL), KK_OK);
	kk_clock_set(0);
	kk_user_release(&in);
	kk_user_release(&u);
	kk_store_close(s);
}

Test(account, sessions_expire_and_can_be_deleted)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "coordinator", "c@jpcert.example"), who;
	char id[KK_TOKEN_MAX], csrf[KK_TOKEN_MAX], csrf2[KK_TOKEN_MAX];
	int64_t now = kk_now();

	cr_assert_eq(kk_session_create(s, u.id, id, csrf, NULL), KK_OK);
	cr_assert_eq(kk_session_lookup(s, id, &who, csrf2, NULL), KK_OK);
	cr_assert_eq(who.role, KK_ROLE_COORDINATOR);
	cr_assert_str_eq(csrf, csrf2);
	kk_user_release(&who);
	cr_assert_eq(kk_session_lookup(s, "forged", &who, csrf2, NULL), KK_ENOTFOUND);
	kk_clock_set(now + KK_SESSION_TTL + 10);
	cr_assert_eq(kk_session_lookup(s, id, &who, csrf2, NULL), KK_ENOTFOUND);
	kk_clock_set(0);
	cr_assert_eq(kk_session_delete(s, id, NULL), KK_OK);
	cr_assert_eq(kk_session_lookup(s, id, &who, csrf2, NULL), KK_ENOTFOUND);
	kk_user_release(&u);
	kk_store_close(s);
}

Test(account, tokens_are_stored_hashed)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "vendor", "v@corp.example"), who;
	char *token = NULL;

	cr_assert_eq(kk_token_create(s, "v@corp.example", &token, NULL), KK_OK);
	cr_assert_eq(strncmp(token, "kk_", 3), 0);
	cr_assert_eq(kk_token_lookup(s, token, &who, NULL), KK_OK);
	cr_assert_eq(who.id, u.id);
	kk_user_release(&who);
	cr_assert_eq(kk_token_lookup(s, "kk_guess", &who, NULL), KK_EAUTH);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM api_tokens WHERE token_hash = ?", token), 0,
		     "the token itself is not in the database");
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM api_tokens", NULL), 1);
	free(token);
	cr_assert_eq(kk_token_create(s, "nobody@corp.example", &token, NULL), KK_ENOTFOUND);
	cr_assert_null(token);
	kk_user_release(&u);
	kk_store_close(s);
}

/* A session in use slides, but never past KK_SESSION_MAX_AGE from the sign-in
 * (issue 7): a stolen cookie does not live forever. */
Test(account, sessions_end_a_day_after_sign_in_however_busy)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "intake", "i@ipa.example"), who;
	char id[KK_TOKEN_MAX], csrf[KK_TOKEN_MAX], csrf2[KK_TOKEN_MAX];
	int64_t start = kk_now(), t;

	cr_assert_eq(kk_session_create(s, u.id, id, csrf, NULL), KK_OK);
	for (t = start + 3600; t < start + KK_SESSION_MAX_AGE; t += 3600) {
		kk_clock_set(t);
		cr_assert_eq(kk_session_lookup(s, id, &who, csrf2, NULL), KK_OK, "in use %lld s after sign-in",
			     (long long)(t - start));
		kk_user_release(&who);
	}
	cr_assert_gt(t - start, KK_SESSION_TTL, "the session slid past its idle lifetime");
	kk_clock_set(start + KK_SESSION_MAX_AGE + 1);
	cr_assert_eq(kk_session_lookup(s, id, &who, csrf2, NULL), KK_ENOTFOUND);
	kk_clock_set(0);
	kk_user_release(&u);
	kk_store_close(s);
}

/* Passwords that are easy to guess are refused with the reason (issue 7). */
Test(account, weak_passwords_are_refused_with_a_reason)
{
	static const char *const weak[] = { "password", "12345678", "password123", "qwertyuiop", "abcdefgh" };
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;

	for (size_t i = 0; i < sizeof(weak) / sizeof(weak[0]); i++) {
		kk_error_clear(&err);
		cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "w@ipa.example", "W", weak[i], NULL, &err), KK_EINVAL,
			     "%s", weak[i]);
		cr_assert_not_null(strstr(err.msg, "too easy to guess"), "%s: %s", weak[i], err.msg);
	}
	kk_error_clear(&err);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "w@ipa.example", "W", "w@ipa.example!", NULL, &err),
		     KK_EINVAL);
	kk_error_clear(&err);
	kk_i18n_use(KK_LANG_JA);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "w@ipa.example", "W", "password", NULL, &err), KK_EINVAL);
	cr_assert_null(strstr(err.msg, "too easy"), "the reason is in Japanese: %s", err.msg);
	kk_i18n_use(KK_LANG_EN);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM users", NULL), 0, "nothing stored");
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "w@ipa.example", "W", "maple orbit lantern 42", NULL, &err),
		     KK_OK, "%s", err.msg);
	kk_store_close(s);
}
