/*
 * idempotency.c: the repository of Idempotency-Key answers (idempotency.h),
 * one row per key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idempotency.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

enum kk_result kk_idem_rows_get(struct kk_tx *tx, const char *key_hash, int64_t since, struct kk_idem_row *out,
				struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT body_hash, status, created_at, answer FROM idempotency_keys"
						 " WHERE key_hash = ? AND created_at > ?", err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, key_hash);
	kk_stmt_bind_int(st, 2, since);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		const char *body_hash = kk_stmt_text(st, 0);
		const void *sealed = kk_stmt_blob(st, 3, &out->sealed_len);

		snprintf(out->body_hash, sizeof(out->body_hash), "%s", body_hash ? body_hash : "");
		out->status = kk_stmt_int(st, 1);
		out->created_at = kk_stmt_int(st, 2);
		out->sealed = kk_malloc(out->sealed_len ? out->sealed_len : 1);
		if (!out->sealed)
			res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		else if (out->sealed_len)
			memcpy(out->sealed, sealed, out->sealed_len);
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_idem_rows_insert(struct kk_tx *tx, const char *key_hash, const char *body_hash, int64_t status,
				   const unsigned char *sealed, size_t sealed_len, int64_t now, int64_t report_id,
				   struct kk_error *err)
{
	/* DO NOTHING rather than a unique violation: on PostgreSQL a failed
	 * statement would doom the whole group commit */
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO idempotency_keys(key_hash, body_hash, status, answer, created_at,"
					     " report_id) VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(key_hash) DO NOTHING"
					     " RETURNING key_hash",
					     err);
	enum kk_result res = KK_OK;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, key_hash);
	kk_stmt_bind_text(st, 2, body_hash);
	kk_stmt_bind_int(st, 3, status);
	kk_stmt_bind_blob(st, 4, sealed, sealed_len);
	kk_stmt_bind_int(st, 5, now);
	kk_stmt_bind_int(st, 6, report_id);
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW: break;
	case KK_STEP_DONE:
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("Another request with this Idempotency-Key was answered first."));
		break;
	case KK_STEP_ERROR: res = kk_stmt_result(st); break;
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_idem_rows_forget(struct kk_tx *tx, int64_t expired, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "DELETE FROM idempotency_keys WHERE created_at <= ?", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, expired);
	return kk_stmt_once(st, err);
}
