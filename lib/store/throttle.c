/*
 * throttle.c: the repository of sign-in throttling (throttle.h), one row per
 * account or source address. Every change is one statement that reads and
 * writes the row together (an upsert or an UPDATE of its own values), so
 * concurrent attempts cannot both read the old count, on either engine.
 */
#include <stdio.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "throttle.h"

enum kk_result kk_throttle_count(struct kk_tx *tx, const char *scope, const char *subject, int64_t now,
				 int64_t forget_before, struct kk_throttle_row *out, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"INSERT INTO login_throttle(scope, subject, failures, last_at, prev_at) VALUES(?1, ?2, 1, ?3, 0)"
		" ON CONFLICT(scope, subject) DO UPDATE SET"
		" failures = CASE WHEN login_throttle.last_at <= ?4 THEN 1 ELSE login_throttle.failures + 1 END,"
		" prev_at = login_throttle.last_at, last_at = ?3"
		" RETURNING failures, prev_at, trusted",
		err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, scope);
	kk_stmt_bind_text(st, 2, subject);
	kk_stmt_bind_int(st, 3, now);
	kk_stmt_bind_int(st, 4, forget_before);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		const char *trusted = kk_stmt_text(st, 2);

		out->failures = kk_stmt_int(st, 0);
		out->prev_at = kk_stmt_int(st, 1);
		snprintf(out->trusted, sizeof(out->trusted), "%s", trusted ? trusted : "");
	} else if (res == KK_ENOTFOUND) {
		res = kk_error_set(err, KK_EDB, "%s", _("A database statement returned no row."));
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_throttle_reset(struct kk_tx *tx, const char *subject, const char *trusted, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE login_throttle SET failures = 0,"
						 " trusted = coalesce(?, trusted) WHERE scope = 'account' AND subject = ?",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, trusted);
	kk_stmt_bind_text(st, 2, subject);
	return kk_stmt_once(st, err);
}

enum kk_result kk_throttle_uncount(struct kk_tx *tx, const char *scope, const char *subject, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE login_throttle SET failures = failures - 1"
						 " WHERE scope = ? AND subject = ? AND failures > 0", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, scope);
	kk_stmt_bind_text(st, 2, subject);
	return kk_stmt_once(st, err);
}

enum kk_result kk_throttle_forget(struct kk_tx *tx, int64_t idle_before, int64_t trusted_before,
				  struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "DELETE FROM login_throttle WHERE last_at <= ?"
						 " AND (trusted IS NULL OR last_at <= ?)", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, idle_before);
	kk_stmt_bind_int(st, 2, trusted_before);
	return kk_stmt_once(st, err);
}
