/* Unit tests of lib/account/account.c: users, passwords, throttling (login_throttle.c),
 * sessions, tokens. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
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
	cr_assert_eq(kk_user_login(s, "i@ipa.example", "correct horse battery staple", NULL, &in, NULL, &err), KK_OK,
		     "%s", err.msg);
	cr_assert_eq(in.id, u.id);
	kk_user_release(&in);
	cr_assert_eq(kk_user_login(s, "i@ipa.example", "wrong-password", NULL, &in, NULL, &err), KK_EAUTH);
	cr_assert_eq(kk_user_login(s, "nobody@ipa.example", "correct horse battery staple", NULL, &in, NULL, &err),
		     KK_EAUTH);
	kk_user_release(&u);
	kk_store_close(s);
}

Test(account, rejects_bad_users)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "not-an-email", "N", "correct horse battery staple", 0, NULL, &err), KK_EINVAL);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "a@b.example", "N", "short", 0, NULL, &err), KK_EINVAL);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "a@b.example", "N", "correct horse battery staple", 0, NULL, &err), KK_OK);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_VENDOR, "A@B.example", "N", "correct horse battery staple", 0, NULL, &err), KK_EEXISTS,
		     "e-mail addresses are unique regardless of case");
	kk_store_close(s);
}

/* ---- sign-in throttling (issue 7): growing delays, never a lock-out ---- */

#define RIGHT "correct horse battery staple"
#define T0 1800000000 /* the frozen clock's start */

/* One sign-in attempt at time `at` from address `from`; the result, and the
 * seconds to wait in *wait (may be NULL). */
static enum kk_result attempt(struct kk_store *s, const char *email, const char *password, const char *from,
			      int64_t at, int64_t *wait)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user in = { 0 };
	int64_t w = -1;
	enum kk_result res;

	kk_clock_freeze(at);
	res = kk_user_login(s, email, password, from, &in, &w, &err);
	cr_assert(res == KK_OK || res == KK_EAUTH || res == KK_ETHROTTLED, "%s: %d %s", email, res, err.msg);
	cr_assert(res == KK_ETHROTTLED ? w > 0 : w == 0, "retry_after %lld with result %d", (long long)w, res);
	if (res == KK_ETHROTTLED)
		cr_assert_not_null(strstr(err.msg, "try again in"), "%s", err.msg);
	if (wait)
		*wait = w;
	kk_user_release(&in);
	kk_error_release(&err);
	return res;
}

/* An address of its own for attempt i, so that only the account's delay counts. */
static const char *addr(int i)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "198.51.100.%d", i % 250);
	return buf;
}

Test(account, login_delays_grow_from_1_s_and_are_capped)
{
	static const int64_t account[] = { 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60 };

	for (int64_t n = 0; n < (int64_t)(sizeof(account) / sizeof(account[0])); n++)
		cr_assert_eq(kk_login_delay(n, KK_LOGIN_FREE_FAILS, KK_LOGIN_MAX_DELAY), account[n], "after %lld", (long long)n);
	cr_assert_eq(kk_login_delay(1000, KK_LOGIN_FREE_FAILS, KK_LOGIN_MAX_DELAY), KK_LOGIN_MAX_DELAY);
	cr_assert_eq(kk_login_delay(KK_LOGIN_ADDRESS_FREE_FAILS - 1, KK_LOGIN_ADDRESS_FREE_FAILS, 300), 0);
	cr_assert_eq(kk_login_delay(KK_LOGIN_ADDRESS_FREE_FAILS, KK_LOGIN_ADDRESS_FREE_FAILS, 300), 1);
	cr_assert_eq(kk_login_delay(KK_LOGIN_ADDRESS_FREE_FAILS + 8, KK_LOGIN_ADDRESS_FREE_FAILS, 300), 256);
	cr_assert_eq(kk_login_delay(KK_LOGIN_ADDRESS_FREE_FAILS + 9, KK_LOGIN_ADDRESS_FREE_FAILS, 300), 300);
	cr_assert_leq(KK_LOGIN_MAX_DELAY, 60, "a victim waits a minute at most");
}

/* After KK_LOGIN_FREE_FAILS failures each attempt waits 1 s, 2 s, 4 s … after
 * the last; one that comes earlier is refused unchecked, even with the right
 * password, and changes nothing. */
Test(account, login_delays_grow_and_early_attempts_are_not_checked)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "intake", "t@ipa.example");
	int64_t t = T0, wait;
	int i = 0;

	for (; i < KK_LOGIN_FREE_FAILS; i++)
		cr_assert_eq(attempt(s, "t@ipa.example", "bad password", addr(i), t, NULL), KK_EAUTH);
	for (int64_t expect = 1; expect <= 16; expect *= 2, i++) {
		/* the right password, too early: refused without being checked */
		cr_assert_eq(attempt(s, "T@IPA.example", RIGHT, addr(i), t, &wait), KK_ETHROTTLED);
		cr_assert_eq(wait, expect);
		if (expect > 1) {
			cr_assert_eq(attempt(s, "t@ipa.example", RIGHT, addr(i), t + expect - 1, &wait), KK_ETHROTTLED);
			cr_assert_eq(wait, 1, "the refusals did not move the delay");
		}
		t += expect;
		cr_assert_eq(attempt(s, "t@ipa.example", "bad password", addr(i), t, NULL), KK_EAUTH);
	}
	cr_assert_eq(attempt(s, "t@ipa.example", RIGHT, addr(i), t, &wait), KK_ETHROTTLED);
	cr_assert_eq(wait, 32);
	kk_clock_freeze(0);
	kk_user_release(&u);
	kk_store_close(s);
}

/* SPEC 1: guessing is slowed, but never locks the owner out: however many
 * failures strangers cause, the right password works once the capped delay
 * after the last of them is over. */
Test(account, a_strangers_failures_never_stop_the_right_password_after_the_capped_delay)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "intake", "v@ipa.example");
	int64_t t = T0, wait = 0;

	/* forty guesses, each as soon as it is allowed, from forty addresses */
	for (int i = 0; i < 40; i++) {
		if (attempt(s, "v@ipa.example", "guess", addr(i), t, &wait) == KK_ETHROTTLED) {
			cr_assert_leq(wait, KK_LOGIN_MAX_DELAY);
			t += wait;
			cr_assert_eq(attempt(s, "v@ipa.example", "guess", addr(i), t, NULL), KK_EAUTH);
		}
	}
	cr_assert_eq(wait, KK_LOGIN_MAX_DELAY, "the delay reached its cap");
	/* the owner, from an address never seen: the capped delay, and no more */
	cr_assert_eq(attempt(s, "v@ipa.example", RIGHT, "203.0.113.5", t + KK_LOGIN_MAX_DELAY - 1, &wait),
		     KK_ETHROTTLED);
	cr_assert_eq(wait, 1);
	cr_assert_eq(attempt(s, "v@ipa.example", RIGHT, "203.0.113.5", t + KK_LOGIN_MAX_DELAY, NULL), KK_OK);
	kk_clock_freeze(0);
	kk_user_release(&u);
	kk_store_close(s);
}

/* The address the account last signed in from waits for no account delay, so
 * a stranger timing guesses to the second cannot keep the owner out there. */
Test(account, the_owners_usual_address_is_not_held_up_by_strangers)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "intake", "o@ipa.example");
	int64_t wait;

	cr_assert_eq(attempt(s, "o@ipa.example", RIGHT, "203.0.113.9", T0, NULL), KK_OK);
	for (int i = 0; i < KK_LOGIN_FREE_FAILS + 3; i++)
		attempt(s, "o@ipa.example", "guess", addr(i), T0 + 10, NULL);
	cr_assert_eq(attempt(s, "o@ipa.example", RIGHT, addr(99), T0 + 10, &wait), KK_ETHROTTLED);
	cr_assert_eq(attempt(s, "o@ipa.example", RIGHT, "203.0.113.9", T0 + 10, NULL), KK_OK, "the usual address");
	/* and its own mistakes there still count against the address */
	kk_clock_freeze(0);
	kk_user_release(&u);
	kk_store_close(s);
}

/* The right password resets the account's count: three more failures are free. */
Test(account, success_resets_the_accounts_delay)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "intake", "r@ipa.example");
	int64_t t = T0, wait;
	int i = 0;

	for (; i < KK_LOGIN_FREE_FAILS + 2; i++) {
		if (attempt(s, "r@ipa.example", "bad", addr(i), t, &wait) == KK_ETHROTTLED) {
			t += wait;
			cr_assert_eq(attempt(s, "r@ipa.example", "bad", addr(i), t, NULL), KK_EAUTH);
		}
	}
	cr_assert_eq(attempt(s, "r@ipa.example", RIGHT, "203.0.113.1", t, &wait), KK_ETHROTTLED);
	cr_assert_eq(wait, 4);
	cr_assert_eq(attempt(s, "r@ipa.example", RIGHT, "203.0.113.1", t + 4, NULL), KK_OK);
	for (int k = 0; k < KK_LOGIN_FREE_FAILS; k++)
		cr_assert_eq(attempt(s, "r@ipa.example", "bad", addr(100 + k), t + 4, NULL), KK_EAUTH, "failure %d", k);
	cr_assert_eq(attempt(s, "r@ipa.example", "bad", addr(120), t + 4, &wait), KK_ETHROTTLED);
	cr_assert_eq(wait, 1, "counted from zero again");
	kk_clock_freeze(0);
	kk_user_release(&u);
	kk_store_close(s);
}

/* One address trying many e-mails is slowed too, whatever the e-mails are,
 * real or not; other addresses are not. */
Test(account, a_source_that_tries_many_emails_is_slowed)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "intake", "real@ipa.example");
	char email[64];
	int64_t t = T0, wait;
	int i = 0;

	for (; i < KK_LOGIN_ADDRESS_FREE_FAILS; i++) {
		snprintf(email, sizeof(email), "guess%d@ipa.example", i);
		cr_assert_eq(attempt(s, email, "password1", "192.0.2.9", t, NULL), KK_EAUTH, "%s", email);
	}
	for (int64_t expect = 1; expect <= 8; expect *= 2, i++) {
		snprintf(email, sizeof(email), "guess%d@ipa.example", i);
		cr_assert_eq(attempt(s, email, "password1", "192.0.2.9", t, &wait), KK_ETHROTTLED, "%s", email);
		cr_assert_eq(wait, expect);
		/* the address, not the account: a real user there waits too */
		cr_assert_eq(attempt(s, "real@ipa.example", RIGHT, "192.0.2.9", t, NULL), KK_ETHROTTLED);
		cr_assert_eq(attempt(s, "real@ipa.example", RIGHT, "192.0.2.10", t, NULL), KK_OK, "another address");
		t += expect;
		cr_assert_eq(attempt(s, email, "password1", "192.0.2.9", t, NULL), KK_EAUTH);
	}
	/* signing in to an account of one's own does not clear the address's count */
	cr_assert_eq(attempt(s, "real@ipa.example", RIGHT, "192.0.2.9", t + 16, NULL), KK_OK);
	cr_assert_eq(attempt(s, "guess99@ipa.example", "password1", "192.0.2.9", t + 16, &wait), KK_ETHROTTLED);
	cr_assert_eq(wait, 16);
	/* an hour of quiet, and the address starts afresh */
	cr_assert_eq(attempt(s, "guess99@ipa.example", "password1", "192.0.2.9", t + 16 + KK_LOGIN_FORGET, NULL),
		     KK_EAUTH);
	kk_clock_freeze(0);
	kk_user_release(&u);
	kk_store_close(s);
}

struct racer {
	struct kk_store *s;
	int i;
	enum kk_result res;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct kk_user in = { 0 };
	char from[32];

	snprintf(from, sizeof(from), "198.51.100.%d", r->i);
	r->res = kk_user_login(r->s, "race@ipa.example", "guess", from, &in, NULL, NULL);
	kk_user_release(&in);
	return NULL;
}

/* Guesses sent at once are counted one by one: however many race, only the
 * free ones are checked. */
Test(account, attempts_sent_at_once_are_counted_one_by_one)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user u = unit_user(s, "intake", "race@ipa.example");
	struct racer r[12];
	pthread_t t[12];
	int checked = 0, refused = 0;

	kk_clock_freeze(T0);
	for (int i = 0; i < 12; i++) {
		r[i] = (struct racer){ s, i, KK_OK };
		cr_assert_eq(pthread_create(&t[i], NULL, race, &r[i]), 0);
	}
	for (int i = 0; i < 12; i++) {
		pthread_join(t[i], NULL);
		checked += r[i].res == KK_EAUTH;
		refused += r[i].res == KK_ETHROTTLED;
	}
	cr_assert_eq(checked, KK_LOGIN_FREE_FAILS);
	cr_assert_eq(refused, 12 - KK_LOGIN_FREE_FAILS);
	kk_clock_freeze(0);
	kk_user_release(&u);
	kk_store_close(s);
}

/* Failures are forgotten after an hour of quiet, and the rows of guessed
 * e-mails go with them; only hashes are stored, never an e-mail or address. */
Test(account, throttling_forgets_and_stores_no_addresses)
{
	struct kk_store *s = unit_store(NULL);

	for (int i = 0; i < 5; i++)
		attempt(s, "nobody@ipa.example", "x", "192.0.2.77", T0 + i * 100, NULL);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM login_throttle", NULL), 2);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM login_throttle WHERE subject LIKE '%nobody%'"
				   " OR subject LIKE '%192.0.2%'", NULL), 0);
	cr_assert_eq(attempt(s, "nobody@ipa.example", "x", "192.0.2.77", T0 + 400 + KK_LOGIN_FORGET, NULL), KK_EAUTH,
		     "an hour later the account starts afresh");
	cr_assert_eq(attempt(s, "other@ipa.example", "x", NULL, T0 + 500 + 2 * KK_LOGIN_FORGET, NULL), KK_EAUTH);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM login_throttle", NULL), 1, "the old rows are gone");
	kk_clock_freeze(0);
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
		cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "w@ipa.example", "W", weak[i], 0, NULL, &err), KK_EINVAL,
			     "%s", weak[i]);
		cr_assert_not_null(strstr(err.msg, "too easy to guess"), "%s: %s", weak[i], err.msg);
	}
	kk_error_clear(&err);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "w@ipa.example", "W", "w@ipa.example!", 0, NULL, &err),
		     KK_EINVAL);
	kk_error_clear(&err);
	kk_i18n_use(KK_LANG_JA);
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "w@ipa.example", "W", "password", 0, NULL, &err), KK_EINVAL);
	cr_assert_null(strstr(err.msg, "too easy"), "the reason is in Japanese: %s", err.msg);
	kk_i18n_use(KK_LANG_EN);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM users", NULL), 0, "nothing stored");
	cr_assert_eq(kk_user_add(s, "IPA", KK_ROLE_INTAKE, "w@ipa.example", "W", "maple orbit lantern 42", 0, NULL, &err),
		     KK_OK, "%s", err.msg);
	kk_store_close(s);
}
