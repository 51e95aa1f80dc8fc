/*
 * audit.c: the audit trail's repository (audit.h). One row per state change,
 * written inside the transaction that makes the change, so the trail and the
 * data never disagree.
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
	char *detail_text = detail ? kk_json_dumps(detail, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
	struct kk_stmt *st;
	enum kk_result res;

	if (detail && !detail_text)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	st = kk_stmt_prepare(tx, "INSERT INTO audit(at, actor_id, actor, role, object_type, object_id, action,"
				 " from_state, to_state, detail) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	if (!st) {
		free(detail_text);
		return kk_error_result(err, KK_EDB);
	}
	kk_stmt_bind_int(st, 1, kk_now());
	kk_stmt_bind_opt_int(st, 2, actor->id);
	kk_stmt_bind_text(st, 3, actor->email ? actor->email : "anonymous");
	kk_stmt_bind_text(st, 4, kk_role_name(actor->role));
	kk_stmt_bind_text(st, 5, object_type);
	kk_stmt_bind_int(st, 6, object_id);
	kk_stmt_bind_text(st, 7, action);
	kk_stmt_bind_text(st, 8, from_state);
	kk_stmt_bind_text(st, 9, to_state);
	kk_stmt_bind_text(st, 10, detail_text);
	res = kk_stmt_exec(st, err);
	kk_stmt_free(st);
	free(detail_text);
	return res;
}

static json_t *text_or_null(const struct kk_stmt *st, int i)
{
	const char *t = kk_stmt_text(st, i);

	return t ? json_string(t) : json_null();
}

enum kk_result kk_audit_list(struct kk_store *s, const char *object_type, int64_t object_id, json_t **out,
			     struct kk_error *err)
{
	struct kk_tx tx;
	struct kk_stmt *st;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);
	enum kk_step step;
	json_t *list;

	*out = NULL;
	if (res)
		return res;
	st = kk_stmt_prepare(&tx, "SELECT at, actor, role, action, from_state, to_state, detail FROM audit "
				  "WHERE object_type = ? AND object_id = ? ORDER BY id", err);
	if (!st)
		return kk_tx_end(&tx, kk_error_result(err, KK_EDB), err);
	kk_stmt_bind_text(st, 1, object_type);
	kk_stmt_bind_int(st, 2, object_id);
	if (!(list = json_array())) {
		kk_stmt_free(st);
		return kk_tx_end(&tx, kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory.")), err);
	}
	while ((step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		char at[KK_TIME_LEN];
		const char *detail = kk_stmt_text(st, 6);
		/* json_pack takes ownership of the "o" values even when it fails */
		json_t *row = json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "at",
					kk_time_format(kk_stmt_int(st, 0), at), "actor", text_or_null(st, 1), "role",
					text_or_null(st, 2), "action", text_or_null(st, 3), "from", text_or_null(st, 4),
					"to", text_or_null(st, 5), "detail",
					detail ? json_loads(detail, 0, NULL) : json_null());

		/* a row that cannot be shown whole fails the list: a trail with a
		 * gap would read as a history that did not happen */
		if (!row || json_array_append_new(list, row) != 0)
			break;
	}
	if (step == KK_STEP_ROW)
		res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	else
		res = step == KK_STEP_DONE ? KK_OK : kk_stmt_result(st);
	kk_stmt_free(st);
	if (res)
		json_decref(list);
	else
		*out = list;
	return kk_tx_end(&tx, res, err);
}
