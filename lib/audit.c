/*
 * audit.c: the audit trail (audit.h). One row per state change, written inside the
 * transaction that makes the change, so the trail and the data never disagree.
 */
#include <stdlib.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

enum kk_result kk_audit_record(struct kk_tx *tx, const struct kk_user *actor, const char *object_type,
			       int64_t object_id, const char *action, const char *from_state,
			       const char *to_state, const json_t *detail, struct kk_error *err)
{
	sqlite3_stmt *st;
	char *detail_text = detail ? json_dumps(detail, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
	enum kk_result res = KK_OK;

	st = kk_tx_prepare(tx, "INSERT INTO audit(at, actor_id, actor, role, object_type, object_id, action,"
			       " from_state, to_state, detail) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	if (!st) {
		free(detail_text);
		return KK_EDB;
	}
	sqlite3_bind_int64(st, 1, kk_now());
	if (actor->id)
		sqlite3_bind_int64(st, 2, actor->id);
	kk_bind_text(st, 3, actor->email ? actor->email : "anonymous");
	kk_bind_text(st, 4, kk_role_name(actor->role));
	kk_bind_text(st, 5, object_type);
	sqlite3_bind_int64(st, 6, object_id);
	kk_bind_text(st, 7, action);
	kk_bind_text(st, 8, from_state);
	kk_bind_text(st, 9, to_state);
	kk_bind_text(st, 10, detail_text);
	if (sqlite3_step(st) != SQLITE_DONE)
		res = kk_db_error(tx->db, err);
	sqlite3_finalize(st);
	free(detail_text);
	return res;
}

static json_t *text_or_null(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? json_string((const char *)t) : json_null();
}

enum kk_result kk_audit_list(struct kk_store *s, const char *object_type, int64_t object_id, json_t **out,
			     struct kk_error *err)
{
	struct kk_tx tx;
	sqlite3_stmt *st;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);
	json_t *list;

	*out = NULL;
	if (res)
		return res;
	st = kk_tx_prepare(&tx, "SELECT at, actor, role, action, from_state, to_state, detail FROM audit "
				"WHERE object_type = ? AND object_id = ? ORDER BY id", err);
	if (!st)
		return kk_tx_end(&tx, KK_EDB, err);
	sqlite3_bind_text(st, 1, object_type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, object_id);
	list = json_array();
	while (sqlite3_step(st) == SQLITE_ROW) {
		char at[KK_TIME_LEN];
		const char *detail = (const char *)sqlite3_column_text(st, 6);

		json_array_append_new(list, json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "at",
						      kk_time_format(sqlite3_column_int64(st, 0), at), "actor",
						      text_or_null(st, 1), "role", text_or_null(st, 2), "action",
						      text_or_null(st, 3), "from", text_or_null(st, 4), "to",
						      text_or_null(st, 5), "detail",
						      detail ? json_loads(detail, 0, NULL) : json_null()));
	}
	sqlite3_finalize(st);
	*out = list;
	return kk_tx_end(&tx, KK_OK, err);
}
