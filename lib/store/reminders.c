/*
 * reminders.c: table reminders (reminders.h; issue 10, SPEC 8): a reminder is
 * inserted only when its key (clock, object, occasion) has no row, in the
 * transaction of what it sends, so whatever runs a tick -- twice, or two
 * servers at once -- sends it once. Also the staff's addresses the clocks
 * alert.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "reminders.h"
#include "rows.h"

enum kk_result kk_reminders_insert_new(struct kk_tx *tx, const struct kk_reminder *r, int64_t *id,
				       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO reminders(clock, object_type, object_id, occasion, due_at,"
					     " fired_at, case_id, report_id, summary) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"
					     " ON CONFLICT (clock, object_type, object_id, occasion) DO NOTHING"
					     " RETURNING id",
					     err);
	enum kk_result res;

	*id = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, r->clock);
	kk_stmt_bind_text(st, 2, r->object_type);
	kk_stmt_bind_int(st, 3, r->object_id);
	kk_stmt_bind_text(st, 4, r->occasion);
	kk_stmt_bind_int(st, 5, r->due_at);
	kk_stmt_bind_int(st, 6, r->fired_at);
	kk_stmt_bind_opt_int(st, 7, r->case_id);
	kk_stmt_bind_opt_int(st, 8, r->report_id);
	kk_stmt_bind_text(st, 9, r->summary);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		*id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = KK_OK; /* the key had a row: fired before */
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_reminders_exists(struct kk_tx *tx, const char *clock, const char *object_type, int64_t object_id,
				   const char *occasion, int *exists, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT COUNT(*) FROM reminders WHERE clock = ? AND object_type = ?"
					     " AND object_id = ? AND occasion = ?",
					     err);

	*exists = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, clock);
	kk_stmt_bind_text(st, 2, object_type);
	kk_stmt_bind_int(st, 3, object_id);
	kk_stmt_bind_text(st, 4, occasion);
	return kk_rows_any(st, exists, err);
}

static json_t *open_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:o, s:o}", "id", (json_int_t)kk_stmt_int(st, 0), "clock",
			 kk_stmt_text(st, 1), "occasion", kk_stmt_text(st, 2), "due_at",
			 (json_int_t)kk_stmt_int(st, 3), "fired_at", (json_int_t)kk_stmt_int(st, 4), "summary",
			 kk_stmt_text(st, 5), "case", kk_col_text_or_null(st, 6), "report",
			 kk_col_text_or_null(st, 7));
}

enum kk_result kk_reminders_open_json(struct kk_tx *tx, const char *clock, size_t max, json_t *arr,
				      struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT m.id, m.clock, m.occasion, m.due_at, m.fired_at, m.summary, c.ref,"
					     " r.tracking_id FROM reminders m LEFT JOIN cases c ON c.id = m.case_id"
					     " LEFT JOIN reports r ON r.id = m.report_id"
					     " WHERE m.clock = ? AND m.done_at IS NULL ORDER BY m.fired_at DESC, m.id DESC"
					     " LIMIT ?",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, clock);
	kk_stmt_bind_int(st, 2, (int64_t)max);
	return kk_rows_json(st, open_row, arr, err);
}

enum kk_result kk_reminders_done(struct kk_tx *tx, int64_t id, int64_t at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE reminders SET done_at = ? WHERE id = ? AND done_at IS NULL",
					     err);
	enum kk_result res;
	int64_t n = 0;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, at);
	kk_stmt_bind_int(st, 2, id);
	res = kk_stmt_exec(st, err);
	n = kk_stmt_changes(st);
	kk_stmt_free(st);
	if (res || n)
		return res;
	/* nothing changed: no such reminder, or one done already */
	if (!(st = kk_stmt_prepare(tx, "SELECT COUNT(*) FROM reminders WHERE id = ?", err)))
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = kk_rows_count(st, &n, err);
	if (res)
		return res;
	if (!n)
		return kk_error_set(err, KK_ENOTFOUND, _("There is no reminder %lld."), (long long)id);
	return kk_error_set(err, KK_ECONFLICT, _("The reminder %lld is done already."), (long long)id);
}

void kk_strings_free(char **list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		free(list[i]);
	free(list);
}

static enum kk_result string_read(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	char **s = elem;

	if (!(*s = kk_stmt_dup(st, 0)))
		return kk_error_nomem(err);
	return KK_OK;
}

static void string_release(void *elem)
{
	char **s = elem;

	free(*s);
	*s = NULL;
}

enum kk_result kk_reminders_staff(struct kk_tx *tx, const char *role, char ***out, size_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT email FROM users WHERE role = ? ORDER BY id", err);
	void *list = NULL;
	enum kk_result res;

	*out = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, role);
	res = kk_rows_collect(st, sizeof(char *), string_read, string_release, &list, n, err);
	*out = list;
	return res;
}

enum kk_result kk_reminders_user_email(struct kk_tx *tx, int64_t id, char **out, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT email FROM users WHERE id = ?", err);
	enum kk_result res;

	*out = NULL;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK && !(*out = kk_stmt_dup(st, 0)))
		res = kk_error_nomem(err);
	kk_stmt_free(st);
	return res;
}
