/*
 * provisions.c: recipients and provisions in the database (provisions.h).
 */
#include <inttypes.h>

#include "keikai/i18n.h"
#include "keikai/vendor.h"
#include "store/provisions.h"
#include "store/rows.h"

enum kk_result kk_recipients_insert(struct kk_tx *tx, struct kk_recipient *r, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO recipients(name_ja, name_en, kind, conditions_accepted_at,"
					     " conditions_accepted_by, note, created_by, created_at)"
					     " VALUES(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, r->name_ja);
	kk_stmt_bind_text(st, 2, r->name_en);
	kk_stmt_bind_text(st, 3, r->kind);
	kk_stmt_bind_int(st, 4, r->accepted_at);
	kk_stmt_bind_text(st, 5, r->accepted_by);
	kk_stmt_bind_text(st, 6, r->note);
	kk_stmt_bind_opt_int(st, 7, r->created_by);
	kk_stmt_bind_int(st, 8, r->created_at);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		r->id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND) /* RETURNING always gives the row */
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "recipient");
	kk_stmt_free(st);
	return res;
}

static json_t *recipient_row(const struct kk_stmt *st)
{
	const char *ja = kk_stmt_is_null(st, 1) ? NULL : kk_stmt_text(st, 1);
	const char *en = kk_stmt_is_null(st, 2) ? NULL : kk_stmt_text(st, 2);

	return json_pack("{s:I, s:o, s:o, s:s, s:s, s:I, s:s, s:o, s:I}", "id", (json_int_t)kk_stmt_int(st, 0),
			 "name_ja", kk_col_text_or_null(st, 1), "name_en", kk_col_text_or_null(st, 2), "name",
			 kk_vendor_name_in(kk_lang_code(kk_i18n_current()), ja, en), "kind", kk_stmt_text(st, 3),
			 "conditions_accepted_at", (json_int_t)kk_stmt_int(st, 4), "conditions_accepted_by",
			 kk_stmt_text(st, 5), "note", kk_col_text_or_null(st, 6), "created_at",
			 (json_int_t)kk_stmt_int(st, 7));
}

enum kk_result kk_recipients_json(struct kk_tx *tx, int64_t id, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT id, name_ja, name_en, kind, conditions_accepted_at,"
					     " conditions_accepted_by, note, created_at FROM recipients"
					     " WHERE ? = 0 OR id = ? ORDER BY id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	kk_stmt_bind_int(st, 2, id);
	return kk_rows_json(st, recipient_row, arr, err);
}

static json_t *email_row(const struct kk_stmt *st)
{
	return json_string(kk_stmt_text(st, 0));
}

enum kk_result kk_recipients_emails(struct kk_tx *tx, int64_t id, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT u.email FROM users u JOIN orgs o ON o.id = u.org_id"
					     " WHERE o.recipient_id = ? AND u.role = 'recipient' ORDER BY u.id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	return kk_rows_json(st, email_row, arr, err);
}

enum kk_result kk_provisions_insert(struct kk_tx *tx, struct kk_provision *p, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO provisions(case_id, recipient_id, title, body, consulted_intake,"
					     " consulted_vendor, note, by_user, at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"
					     " RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, p->case_id);
	kk_stmt_bind_int(st, 2, p->recipient_id);
	kk_stmt_bind_text(st, 3, p->title);
	kk_stmt_bind_text(st, 4, p->body);
	kk_stmt_bind_int(st, 5, p->consulted_intake);
	kk_stmt_bind_int(st, 6, p->consulted_vendor);
	kk_stmt_bind_text(st, 7, p->note);
	kk_stmt_bind_opt_int(st, 8, p->by_user);
	kk_stmt_bind_int(st, 9, p->at);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		p->id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "provision");
	kk_stmt_free(st);
	return res;
}

static json_t *provision_row(const struct kk_stmt *st)
{
	const char *ja = kk_stmt_is_null(st, 3) ? NULL : kk_stmt_text(st, 3);
	const char *en = kk_stmt_is_null(st, 4) ? NULL : kk_stmt_text(st, 4);
	json_t *recipient = json_pack("{s:I, s:s}", "id", (json_int_t)kk_stmt_int(st, 2), "name",
				      kk_vendor_name_in(kk_lang_code(kk_i18n_current()), ja, en));

	if (!recipient)
		return NULL;
	return json_pack("{s:I, s:s, s:o, s:s, s:s, s:b, s:b, s:o, s:o, s:I}", "id", (json_int_t)kk_stmt_int(st, 0),
			 "case", kk_stmt_text(st, 1), "recipient", recipient, "title", kk_stmt_text(st, 5), "body",
			 kk_stmt_text(st, 6), "consulted_intake", (int)kk_stmt_int(st, 7), "consulted_vendor",
			 (int)kk_stmt_int(st, 8), "note", kk_col_text_or_null(st, 9), "provided_by",
			 kk_col_text_or_null(st, 10), "provided_at", (json_int_t)kk_stmt_int(st, 11));
}

enum kk_result kk_provisions_json(struct kk_tx *tx, int64_t case_id, int64_t recipient_id, int64_t id, json_t *arr,
				  struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT p.id, c.ref, p.recipient_id, r.name_ja, r.name_en, p.title, p.body, p.consulted_intake,"
		" p.consulted_vendor, p.note, u.name, p.at FROM provisions p JOIN cases c ON c.id = p.case_id"
		" JOIN recipients r ON r.id = p.recipient_id LEFT JOIN users u ON u.id = p.by_user"
		" WHERE (? = 0 OR p.case_id = ?) AND (? = 0 OR p.recipient_id = ?) AND (? = 0 OR p.id = ?)"
		" ORDER BY p.id DESC",
		err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, case_id);
	kk_stmt_bind_int(st, 3, recipient_id);
	kk_stmt_bind_int(st, 4, recipient_id);
	kk_stmt_bind_int(st, 5, id);
	kk_stmt_bind_int(st, 6, id);
	return kk_rows_json(st, provision_row, arr, err);
}

enum kk_result kk_provisions_fix_exists(struct kk_tx *tx, int64_t case_id, int *yes, struct kk_error *err)
{
	/* fixed_versions and urls are JSON arrays, NULL when none were given */
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT COUNT(*) FROM countermeasures m JOIN case_vendors cv ON cv.id = m.case_vendor_id"
		" WHERE cv.case_id = ? AND ((m.fixed_versions IS NOT NULL AND m.fixed_versions NOT IN ('', '[]'))"
		" OR (m.urls IS NOT NULL AND m.urls NOT IN ('', '[]')))",
		err);

	*yes = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_any(st, yes, err);
}
