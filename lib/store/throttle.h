/*
 * throttle.h: the repository of sign-in throttling (table login_throttle): for
 * each account (scope "account", by e-mail) and each source address (scope
 * "address"), the failed sign-ins in a row, when the last attempt was and the
 * one before it, and for an account the address it last signed in from.
 * Internal to the core: login_throttle.c holds the rules and calls these inside
 * its transactions. Subjects and addresses arrive here already hashed.
 */
#ifndef KEIKAI_STORE_THROTTLE_H
#define KEIKAI_STORE_THROTTLE_H

#include <stdint.h>

#include "keikai/store.h"

/* A row as an attempt left it. */
struct kk_throttle_row {
	int64_t failures; /* in a row, this attempt included */
	int64_t prev_at;  /* the attempt before this one; 0 when none */
	char trusted[65]; /* the hash of an address, or "" */
};

/*
 * Counts an attempt of (scope, subject) at now in one statement, so that
 * attempts racing on any server are counted one by one: a new row with 1, else
 * the row's failures + 1 (1 when its last attempt was at or before
 * forget_before), its last attempt moved to prev_at and now made the last.
 * Fills out with the row as it now is.
 */
enum kk_result kk_throttle_count(struct kk_tx *tx, const char *scope, const char *subject, int64_t now,
				 int64_t forget_before, struct kk_throttle_row *out, struct kk_error *err);

/* After the right password: the account's failures go to 0 and trusted
 * becomes its trusted address (kept when NULL). */
enum kk_result kk_throttle_reset(struct kk_tx *tx, const char *subject, const char *trusted, struct kk_error *err);

/* Takes one attempt off the count of (scope, subject), when it has any. */
enum kk_result kk_throttle_uncount(struct kk_tx *tx, const char *scope, const char *subject, struct kk_error *err);

/* Deletes the rows last touched at or before `idle_before` that hold no trusted
 * address, and those last touched at or before `trusted_before`. */
enum kk_result kk_throttle_forget(struct kk_tx *tx, int64_t idle_before, int64_t trusted_before,
				  struct kk_error *err);

#endif
