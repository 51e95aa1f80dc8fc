/*
 * sessions.c: the repository of browser sessions (sessions.h).
 */
#include <stdio.h>

#include "accounts.h"
#include "sessions.h"

enum kk_result kk_sessions_insert(struct kk_tx *tx, const char *id_hash, int64_t user_id, const char *csrf,
				  int64_t now, int64_t expires_at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "INSERT INTO sessions(id_hash, user_id, csrf, created_at, expires_at)"
						 " VALUES(?, ?, ?, ?, ?)", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, id_hash);
	kk_stmt_bind_int(st, 2, user_id);
	kk_stmt_bind_text(st, 3, csrf);
	kk_stmt_bind_int(st, 4, now);
	kk_stmt_bind_int(st, 5, expires_at);
	return kk_stmt_once(st, err);
}

enum kk_result kk_sessions_find(struct kk_tx *tx, const char *id_hash, int64_t now, int64_t born_after,
				struct kk_user *out, char csrf_out[KK_TOKEN_MAX], int64_t *expires_at,
				struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " KK_USER_COLUMNS ", s.csrf, s.expires_at" KK_USER_FROM
						 "JOIN sessions s ON s.user_id = u.id WHERE s.id_hash = ? AND s.expires_at > ? AND s.created_at > ?",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, id_hash);
	kk_stmt_bind_int(st, 2, now);
	kk_stmt_bind_int(st, 3, born_after);
	res = kk_stmt_first(st, err);
	if (!res)
		res = kk_accounts_read_user(st, out, err);
	if (!res) {
		snprintf(csrf_out, KK_TOKEN_MAX, "%s", kk_stmt_text(st, KK_USER_NCOLUMNS));
		*expires_at = kk_stmt_int(st, KK_USER_NCOLUMNS + 1);
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_sessions_extend(struct kk_tx *tx, const char *id_hash, int64_t expires_at, int64_t before,
				  struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE sessions SET expires_at = ? WHERE id_hash = ? AND expires_at < ?",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, expires_at);
	kk_stmt_bind_text(st, 2, id_hash);
	kk_stmt_bind_int(st, 3, before);
	return kk_stmt_once(st, err);
}

enum kk_result kk_sessions_delete(struct kk_tx *tx, const char *id_hash, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "DELETE FROM sessions WHERE id_hash = ?", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, id_hash);
	return kk_stmt_once(st, err);
}
