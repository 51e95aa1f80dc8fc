/*
 * login_throttle.c: growing delays between failed sign-ins, per account and per
 * source address (login_throttle.h; the numbers are in account.h). The rows are
 * kept by store/throttle.c.
 */
#include <stdio.h>
#include <string.h>

#include "keikai/account.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "login_throttle.h"
#include "store/throttle.h"

#define SCOPE_ACCOUNT "account"
#define SCOPE_ADDRESS "address"

int64_t kk_login_delay(int64_t failures, int64_t free_fails, int64_t cap)
{
	int64_t over = failures - free_fails;

	if (over < 0)
		return 0;
	return over >= 30 || ((int64_t)1 << over) > cap ? cap : (int64_t)1 << over;
}

void kk_login_attempt_init(struct kk_login_attempt *a, const char *email, const char *source)
{
	char key[512];

	/* the scope is part of what is hashed, so an account and an address never
	 * share a subject */
	snprintf(key, sizeof(key), "account:%s", email ? email : "");
	kk_sha256_hex(key, strlen(key), a->account);
	a->address[0] = '\0';
	if (!kk_str_empty(source)) {
		snprintf(key, sizeof(key), "address:%s", source);
		kk_sha256_hex(key, strlen(key), a->address);
	}
}

/* Seconds left at now of the delay that the failures before this attempt set,
 * counted from the attempt before it. */
static int64_t wait_left(const struct kk_throttle_row *row, int64_t now, int64_t free_fails, int64_t cap)
{
	int64_t until;

	if (row->failures <= 1 || !row->prev_at)
		return 0;
	until = row->prev_at + kk_login_delay(row->failures - 1, free_fails, cap);
	return until > now ? until - now : 0;
}

enum kk_result kk_login_throttle_claim(struct kk_tx *tx, const struct kk_login_attempt *a, int64_t now,
				       int64_t *wait, struct kk_error *err)
{
	struct kk_throttle_row acct, addr;
	int has_address = a->address[0] != '\0';
	enum kk_result res;
	int64_t w;

	*wait = 0;
	/* forget what no longer counts, so guesses at made-up e-mails leave nothing */
	res = kk_throttle_forget(tx, now - KK_LOGIN_FORGET, now - KK_LOGIN_TRUST_FOR, err);
	/* Count first, then judge: the count and the reading are one statement, so
	 * attempts racing on any server are judged one after the other. A refused
	 * attempt's count goes with its transaction, which the caller rolls back. */
	if (!res)
		res = kk_throttle_count(tx, SCOPE_ACCOUNT, a->account, now, now - KK_LOGIN_FORGET, &acct, err);
	if (!res && has_address)
		res = kk_throttle_count(tx, SCOPE_ADDRESS, a->address, now, now - KK_LOGIN_FORGET, &addr, err);
	if (res)
		return res;
	/* the owner's usual address does not wait for the account's delay: a
	 * stranger elsewhere cannot keep the owner out */
	if (!has_address || strcmp(acct.trusted, a->address) != 0)
		*wait = wait_left(&acct, now, KK_LOGIN_FREE_FAILS, KK_LOGIN_MAX_DELAY);
	if (has_address) {
		w = wait_left(&addr, now, KK_LOGIN_ADDRESS_FREE_FAILS, KK_LOGIN_ADDRESS_MAX_DELAY);
		if (w > *wait)
			*wait = w;
	}
	if (*wait == 0)
		return KK_OK;
	if (*wait == 1)
		return kk_error_set(err, KK_ETHROTTLED, "%s", _("Too many attempts; try again in 1 second."));
	return kk_error_set(err, KK_ETHROTTLED, _("Too many attempts; try again in %lld seconds."), (long long)*wait);
}

enum kk_result kk_login_throttle_success(struct kk_tx *tx, const struct kk_login_attempt *a, struct kk_error *err)
{
	int has_address = a->address[0] != '\0';
	enum kk_result res;

	res = kk_throttle_reset(tx, a->account, has_address ? a->address : NULL, err);
	/* Not a reset: signing in to an account of one's own must not clear the
	 * count of an address that guesses at others'. */
	if (!res && has_address)
		res = kk_throttle_uncount(tx, SCOPE_ADDRESS, a->address, err);
	return res;
}
