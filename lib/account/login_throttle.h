/*
 * login_throttle.h: the rules that slow down password guessing (issue 7).
 * Internal to the core: kk_user_login (account.c) calls them.
 *
 * Every sign-in attempt is judged twice: by its account (the e-mail, whether or
 * not such a user exists) and by its source address. Each counts the failures
 * in a row; once there are enough of them, every further attempt must wait 1 s,
 * 2 s, 4 s … after the last one, up to a cap (account.h). An attempt that
 * comes too early is refused without its password being checked, and changes
 * nothing. There is no lock-out: the account's delay never passes
 * KK_LOGIN_MAX_DELAY, and an attempt from the address the account last signed
 * in from does not wait for the account at all, so a stranger's guesses never
 * keep its owner out. The records are in the database, so servers sharing it
 * share them.
 */
#ifndef KEIKAI_LOGIN_THROTTLE_H
#define KEIKAI_LOGIN_THROTTLE_H

#include <stdint.h>

#include "keikai/store.h"

/* Who an attempt counts against: hashes of the e-mail (in lower case) and of
 * the source address ("" when the address is unknown). */
struct kk_login_attempt {
	char account[65];
	char address[65];
};

/* Fills a from the e-mail (already in lower case) and the source address (NULL
 * or "" when unknown). */
void kk_login_attempt_init(struct kk_login_attempt *a, const char *email, const char *source);

/*
 * Inside a write transaction: counts the attempt as a failure of its account and
 * its address before its password is checked (so that attempts sent at once,
 * to any server, are counted one by one), and judges it by the counts before
 * it. KK_ETHROTTLED, with *wait the seconds left and a message in err, when it
 * comes before the account's or the address's delay is over: the caller rolls
 * the transaction back, so a refused attempt counts for nothing. After the
 * right password, kk_login_throttle_success takes the count back.
 */
enum kk_result kk_login_throttle_claim(struct kk_tx *tx, const struct kk_login_attempt *a, int64_t now,
				       int64_t *wait, struct kk_error *err);

/* After the right password: the account's failures go back to 0 and its address
 * becomes the trusted one; the address's own count loses this attempt. */
enum kk_result kk_login_throttle_success(struct kk_tx *tx, const struct kk_login_attempt *a, struct kk_error *err);

#endif
