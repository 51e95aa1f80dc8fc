/*
 * advisories.c: the repository of advisories (advisories.h; issue 12,
 * migration 13), in the SQL both engines share. What is valid, and who may
 * read or change what, is lib/advisory/'s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "advisories.h"
#include "rows.h"

#define COLUMNS                                                                                               \
	"id, case_id, state, content, revision, public_revision, public_id, kind, cvss3_tenths, cvss4_tenths," \
	" created_at, saved_at, saved_by, approved_at, approved_by, published_at, updated_at"

void kk_advisory_release(struct kk_advisory *a)
{
	if (!a)
		return;
	free(a->content);
	free(a->public_id);
	memset(a, 0, sizeof(*a));
}

static enum kk_result read_row(const struct kk_stmt *st, struct kk_advisory *a, struct kk_error *err)
{
	int lost = 0;

	memset(a, 0, sizeof(*a));
	a->id = kk_stmt_int(st, 0);
	a->case_id = kk_stmt_int(st, 1);
	snprintf(a->state, sizeof(a->state), "%s", kk_stmt_text(st, 2));
	kk_stmt_dup_into(st, 3, &a->content, &lost);
	a->revision = kk_stmt_int(st, 4);
	a->public_revision = kk_stmt_int(st, 5);
	kk_stmt_dup_into(st, 6, &a->public_id, &lost);
	snprintf(a->kind, sizeof(a->kind), "%s", kk_stmt_is_null(st, 7) ? "" : kk_stmt_text(st, 7));
	a->cvss3_tenths = kk_stmt_is_null(st, 8) ? -1 : (int)kk_stmt_int(st, 8);
	a->cvss4_tenths = kk_stmt_is_null(st, 9) ? -1 : (int)kk_stmt_int(st, 9);
	a->created_at = kk_stmt_int(st, 10);
	a->saved_at = kk_stmt_int(st, 11);
	a->saved_by = kk_stmt_int(st, 12);
	a->approved_at = kk_stmt_int(st, 13);
	a->approved_by = kk_stmt_int(st, 14);
	a->published_at = kk_stmt_int(st, 15);
	a->updated_at = kk_stmt_int(st, 16);
	if (lost) {
		kk_advisory_release(a);
		return kk_error_nomem(err);
	}
	return KK_OK;
}

enum kk_result kk_advisories_load(struct kk_tx *tx, int64_t case_id, int64_t id, const char *public_id,
				  struct kk_advisory *out, struct kk_error *err)
{
	const char *sql = case_id ? "SELECT " COLUMNS " FROM advisories WHERE case_id = ?"
			  : id	  ? "SELECT " COLUMNS " FROM advisories WHERE id = ?"
				  : "SELECT " COLUMNS " FROM advisories WHERE public_id = ? AND state = 'published'";
	struct kk_stmt *st = kk_stmt_prepare(tx, sql, err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	if (case_id || id)
		kk_stmt_bind_int(st, 1, case_id ? case_id : id);
	else
		kk_stmt_bind_text(st, 1, public_id ? public_id : "");
	res = kk_stmt_first(st, err);
	if (!res)
		res = read_row(st, out, err);
	kk_stmt_free(st);
	return res;
}

/* Binds the columns every write stores, from parameter 1 on: state, content,
 * revision, public_revision, public_id, kind, cvss3, cvss4, saved_at,
 * saved_by, approved_at, approved_by, published_at, updated_at (14). */
static void bind_mutable(struct kk_stmt *st, const struct kk_advisory *a)
{
	kk_stmt_bind_text(st, 1, a->state);
	kk_stmt_bind_text(st, 2, a->content);
	kk_stmt_bind_int(st, 3, a->revision);
	kk_stmt_bind_int(st, 4, a->public_revision);
	kk_stmt_bind_text(st, 5, a->public_id);
	kk_stmt_bind_text(st, 6, a->kind[0] ? a->kind : NULL);
	if (a->cvss3_tenths >= 0)
		kk_stmt_bind_int(st, 7, a->cvss3_tenths);
	else
		kk_stmt_bind_null(st, 7);
	if (a->cvss4_tenths >= 0)
		kk_stmt_bind_int(st, 8, a->cvss4_tenths);
	else
		kk_stmt_bind_null(st, 8);
	kk_stmt_bind_int(st, 9, a->saved_at);
	kk_stmt_bind_opt_int(st, 10, a->saved_by);
	kk_stmt_bind_opt_int(st, 11, a->approved_at);
	kk_stmt_bind_opt_int(st, 12, a->approved_by);
	kk_stmt_bind_opt_int(st, 13, a->published_at);
	kk_stmt_bind_opt_int(st, 14, a->updated_at);
}

enum kk_result kk_advisories_insert(struct kk_tx *tx, struct kk_advisory *a, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"INSERT INTO advisories(state, content, revision, public_revision, public_id, kind, cvss3_tenths,"
		" cvss4_tenths, saved_at, saved_by, approved_at, approved_by, published_at, updated_at, case_id,"
		" created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	bind_mutable(st, a);
	kk_stmt_bind_int(st, 15, a->case_id);
	kk_stmt_bind_int(st, 16, a->created_at);
	res = kk_stmt_first(st, err);
	if (!res)
		a->id = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? kk_error_set(err, KK_EDB, "%s", "INSERT … RETURNING gave no row") : res;
}

enum kk_result kk_advisories_update(struct kk_tx *tx, const struct kk_advisory *a, const char *from,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"UPDATE advisories SET state = ?, content = ?, revision = ?, public_revision = ?, public_id = ?,"
		" kind = ?, cvss3_tenths = ?, cvss4_tenths = ?, saved_at = ?, saved_by = ?, approved_at = ?,"
		" approved_by = ?, published_at = ?, updated_at = ? WHERE id = ? AND state = ?",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	bind_mutable(st, a);
	kk_stmt_bind_int(st, 15, a->id);
	kk_stmt_bind_text(st, 16, from);
	res = kk_stmt_exec(st, err);
	/* the state it was read in has moved on: another change came first */
	if (!res && kk_stmt_changes(st) != 1)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("The advisory changed meanwhile; try again."));
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_advisories_touch(struct kk_tx *tx, int64_t id, int64_t at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE advisories SET updated_at = ? WHERE id = ?", err);

	if (st) {
		kk_stmt_bind_int(st, 1, at);
		kk_stmt_bind_int(st, 2, id);
	}
	return kk_stmt_once(st, err);
}

/* ---- revisions ---- */

enum kk_result kk_advisory_revisions_insert(struct kk_tx *tx, int64_t advisory_id, int64_t number,
					    const char *content, const char *note, int64_t public_revision,
					    int64_t by, int64_t at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO advisory_revisions(advisory_id, number, content, note,"
					     " public_revision, by_user, at) VALUES(?, ?, ?, ?, ?, ?, ?)",
					     err);

	if (st) {
		kk_stmt_bind_int(st, 1, advisory_id);
		kk_stmt_bind_int(st, 2, number);
		kk_stmt_bind_text(st, 3, content);
		kk_stmt_bind_text(st, 4, note);
		kk_stmt_bind_opt_int(st, 5, public_revision);
		kk_stmt_bind_opt_int(st, 6, by);
		kk_stmt_bind_int(st, 7, at);
	}
	return kk_stmt_once(st, err);
}

enum kk_result kk_advisory_revisions_mark(struct kk_tx *tx, int64_t advisory_id, int64_t number,
					  int64_t public_revision, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "UPDATE advisory_revisions SET public_revision = ? WHERE advisory_id = ? AND number = ?", err);

	if (st) {
		kk_stmt_bind_int(st, 1, public_revision);
		kk_stmt_bind_int(st, 2, advisory_id);
		kk_stmt_bind_int(st, 3, number);
	}
	return kk_stmt_once(st, err);
}

static json_t *revision_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:o, s:I, s:o, s:o}", "number", (json_int_t)kk_stmt_int(st, 0), "public_revision",
			 kk_col_int_or_null(st, 1), "at", (json_int_t)kk_stmt_int(st, 2), "by",
			 kk_col_text_or_null(st, 3), "note", kk_col_text_or_null(st, 4));
}

enum kk_result kk_advisory_revisions_json(struct kk_tx *tx, int64_t advisory_id, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT r.number, r.public_revision, r.at, u.name, r.note"
					     " FROM advisory_revisions r LEFT JOIN users u ON u.id = r.by_user"
					     " WHERE r.advisory_id = ? ORDER BY r.number",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, advisory_id);
	return kk_rows_json(st, revision_row, arr, err);
}

enum kk_result kk_advisory_revisions_content(struct kk_tx *tx, int64_t advisory_id, int64_t number, char **content,
					     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "SELECT content FROM advisory_revisions WHERE advisory_id = ? AND number = ?", err);
	enum kk_result res;

	*content = NULL;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, advisory_id);
	kk_stmt_bind_int(st, 2, number);
	res = kk_stmt_first(st, err);
	if (!res && !(*content = kk_stmt_dup(st, 0)))
		res = kk_error_nomem(err);
	kk_stmt_free(st);
	return res;
}

/* ---- the public history ---- */

enum kk_result kk_advisory_history_add(struct kk_tx *tx, int64_t advisory_id, const char *kind, int64_t vendor_id,
				       int64_t revision, const char *note_ja, const char *note_en, int64_t at,
				       int *added, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO advisory_history(advisory_id, kind, vendor_id, revision, note_ja,"
					     " note_en, at) VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
					     err);
	enum kk_result res;

	*added = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, advisory_id);
	kk_stmt_bind_text(st, 2, kind);
	kk_stmt_bind_opt_int(st, 3, vendor_id);
	kk_stmt_bind_opt_int(st, 4, revision);
	kk_stmt_bind_text(st, 5, note_ja);
	kk_stmt_bind_text(st, 6, note_en);
	kk_stmt_bind_int(st, 7, at);
	res = kk_stmt_exec(st, err);
	if (!res)
		*added = kk_stmt_changes(st) == 1;
	kk_stmt_free(st);
	return res;
}

static json_t *history_row(const struct kk_stmt *st)
{
	return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "kind", kk_stmt_text(st, 0), "vendor_id",
			 kk_col_int_or_null(st, 1), "vendor_ja", kk_col_text_or_null(st, 2), "vendor_en",
			 kk_col_text_or_null(st, 3), "revision", kk_col_int_or_null(st, 4), "note_ja",
			 kk_col_text_or_null(st, 5), "note_en", kk_col_text_or_null(st, 6), "at",
			 (json_int_t)kk_stmt_int(st, 7));
}

enum kk_result kk_advisory_history_json(struct kk_tx *tx, int64_t advisory_id, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT h.kind, h.vendor_id, v.name_ja, v.name_en, h.revision, h.note_ja,"
					     " h.note_en, h.at FROM advisory_history h LEFT JOIN vendors v ON v.id = h.vendor_id"
					     " WHERE h.advisory_id = ? ORDER BY h.at, h.id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, advisory_id);
	return kk_rows_json(st, history_row, arr, err);
}

/* ---- vendors' comments ---- */

enum kk_result kk_advisory_comments_insert(struct kk_tx *tx, int64_t advisory_id, int64_t vendor_id, int64_t by,
					   int64_t revision, const char *body, int64_t at, int64_t *id,
					   struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO advisory_comments(advisory_id, vendor_id, by_user, revision, body, at)"
					     " VALUES(?, ?, ?, ?, ?, ?) RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, advisory_id);
	kk_stmt_bind_int(st, 2, vendor_id);
	kk_stmt_bind_opt_int(st, 3, by);
	kk_stmt_bind_int(st, 4, revision);
	kk_stmt_bind_text(st, 5, body);
	kk_stmt_bind_int(st, 6, at);
	res = kk_stmt_first(st, err);
	if (!res)
		*id = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? kk_error_set(err, KK_EDB, "%s", "INSERT … RETURNING gave no row") : res;
}

static json_t *comment_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:I, s:s, s:I}", "id", (json_int_t)kk_stmt_int(st, 0), "vendor_id",
			 (json_int_t)kk_stmt_int(st, 1), "vendor_ja", kk_col_text_or_null(st, 2), "vendor_en",
			 kk_col_text_or_null(st, 3), "by", kk_col_text_or_null(st, 4), "revision",
			 (json_int_t)kk_stmt_int(st, 5), "body", kk_stmt_text(st, 6), "at", (json_int_t)kk_stmt_int(st, 7));
}

enum kk_result kk_advisory_comments_json(struct kk_tx *tx, int64_t advisory_id, int64_t vendor_id, json_t *arr,
					 struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT c.id, c.vendor_id, v.name_ja, v.name_en, u.name, c.revision, c.body, c.at"
					     " FROM advisory_comments c JOIN vendors v ON v.id = c.vendor_id"
					     " LEFT JOIN users u ON u.id = c.by_user"
					     " WHERE c.advisory_id = ? AND (? = 0 OR c.vendor_id = ?) ORDER BY c.id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, advisory_id);
	kk_stmt_bind_int(st, 2, vendor_id);
	kk_stmt_bind_int(st, 3, vendor_id);
	return kk_rows_json(st, comment_row, arr, err);
}

/* ---- public IDs ---- */

enum kk_result kk_advisory_ids_take(struct kk_tx *tx, const char *public_id, int64_t case_id, int64_t at,
				    int *taken, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO advisory_ids(public_id, case_id, assigned_at) VALUES(?, ?, ?)"
					     " ON CONFLICT DO NOTHING",
					     err);
	enum kk_result res;

	*taken = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, public_id);
	kk_stmt_bind_int(st, 2, case_id);
	kk_stmt_bind_int(st, 3, at);
	res = kk_stmt_exec(st, err);
	if (!res)
		*taken = kk_stmt_changes(st) == 1;
	kk_stmt_free(st);
	return res;
}

/* ---- what the advisory shows of the case ---- */

enum kk_result kk_advisory_case_published(struct kk_tx *tx, int64_t case_id, const char *public_id,
					  struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE cases SET advisory_id = ? WHERE id = ?", err);

	if (st) {
		kk_stmt_bind_text(st, 1, public_id);
		kk_stmt_bind_int(st, 2, case_id);
	}
	return kk_stmt_once(st, err);
}

enum kk_result kk_advisory_case_vendors(struct kk_tx *tx, int64_t case_id, int64_t *n, int *domestic,
					struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT COUNT(*), SUM(CASE WHEN upper(COALESCE(v.country, '')) = 'JP' THEN 1"
					     " ELSE 0 END) FROM case_vendors cv JOIN vendors v ON v.id = cv.vendor_id"
					     " WHERE cv.case_id = ? AND cv.notified_at IS NOT NULL",
					     err);
	enum kk_result res;

	*n = 0;
	*domestic = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	res = kk_stmt_first(st, err);
	if (!res) {
		*n = kk_stmt_int(st, 0);
		*domestic = *n == 1 && kk_stmt_int(st, 1) == 1;
	}
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? KK_OK : res;
}

static json_t *credit_row(const struct kk_stmt *st)
{
	return json_string(kk_stmt_text(st, 0));
}

enum kk_result kk_advisory_credits_json(struct kk_tx *tx, int64_t case_id, json_t *arr, struct kk_error *err)
{
	/* SPEC 1, 2.1 (オ): only a finder who consented to credit, by the name it gave */
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT r.credit_name FROM case_reports cr JOIN reports r ON r.id = cr.report_id"
					     " WHERE cr.case_id = ? AND r.credit = 1 AND r.credit_name IS NOT NULL"
					     " AND r.credit_name <> '' ORDER BY cr.id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_json(st, credit_row, arr, err);
}

/* ---- lists ---- */

static json_t *public_row(const struct kk_stmt *st)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:I}", "id", kk_stmt_text(st, 0), "kind",
			 kk_stmt_text(st, 1), "content", kk_stmt_text(st, 2), "cvss3_tenths", kk_col_int_or_null(st, 3),
			 "cvss4_tenths", kk_col_int_or_null(st, 4), "published_at", (json_int_t)kk_stmt_int(st, 5),
			 "updated_at", (json_int_t)kk_stmt_int(st, 6), "public_revision", (json_int_t)kk_stmt_int(st, 7));
}

enum kk_result kk_advisories_public_page(struct kk_tx *tx, int limit, int64_t offset, json_t *arr, int64_t *total,
					 struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT COUNT(*) FROM advisories WHERE state = 'published'", err);
	enum kk_result res;

	*total = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	res = kk_rows_count(st, total, err);
	if (res)
		return res;
	st = kk_stmt_prepare(tx,
			     "SELECT public_id, kind, content, cvss3_tenths, cvss4_tenths, published_at,"
			     " COALESCE(updated_at, published_at), public_revision FROM advisories"
			     " WHERE state = 'published' ORDER BY published_at DESC, id DESC LIMIT ? OFFSET ?",
			     err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, limit);
	kk_stmt_bind_int(st, 2, offset);
	return kk_rows_json(st, public_row, arr, err);
}

static json_t *all_row(const struct kk_stmt *st)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:I, s:o, s:o}", "case", kk_stmt_text(st, 0), "state",
			 kk_stmt_text(st, 1), "id", kk_col_text_or_null(st, 2), "content", kk_stmt_text(st, 3),
			 "saved_at", (json_int_t)kk_stmt_int(st, 4), "published_at", kk_col_int_or_null(st, 5),
			 "updated_at", kk_col_int_or_null(st, 6));
}

enum kk_result kk_advisories_all_json(struct kk_tx *tx, const char *state, json_t *arr, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT c.ref, a.state, a.public_id, a.content, a.saved_at, a.published_at,"
					     " a.updated_at FROM advisories a JOIN cases c ON c.id = a.case_id"
					     " WHERE a.state = COALESCE(?, a.state) ORDER BY a.saved_at DESC, a.id DESC",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, state);
	return kk_rows_json(st, all_row, arr, err);
}

static void due_release(void *elem)
{
	struct kk_due *d = elem;

	free(d->ref);
	free(d->title);
	memset(d, 0, sizeof(*d));
}

static enum kk_result due_read(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	struct kk_due *d = elem;
	int lost = 0;

	memset(d, 0, sizeof(*d));
	d->object_id = kk_stmt_int(st, 0);
	d->case_id = kk_stmt_int(st, 1);
	d->t0 = kk_stmt_int(st, 2);
	d->user_id = kk_stmt_int(st, 3);
	kk_stmt_dup_into(st, 4, &d->ref, &lost);
	kk_stmt_dup_into(st, 5, &d->title, &lost);
	return lost ? kk_error_nomem(err) : KK_OK;
}

enum kk_result kk_due_advisories(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err)
{
	/* SPEC 2.8, 2.9: only a date that came (ready): never a called-off one */
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT a.id, c.id, c.publication_at, c.coordinator_id, c.ref, c.title"
					     " FROM advisories a JOIN cases c ON c.id = a.case_id"
					     " WHERE a.state = 'approved' AND c.state = 'open' AND c.date_state = 'ready'"
					     " AND c.publication_at IS NOT NULL ORDER BY c.publication_at, a.id",
					     err);
	void *list = NULL;
	enum kk_result res;

	*out = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	res = kk_rows_collect(st, sizeof(struct kk_due), due_read, due_release, &list, n, err);
	*out = list;
	return res;
}

enum kk_result kk_advisory_outbox_safe(struct kk_tx *tx, int64_t outbox_id, const char *safe_body,
				       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE outbox SET safe_body = ? WHERE id = ?", err);

	if (st) {
		kk_stmt_bind_text(st, 1, safe_body);
		kk_stmt_bind_int(st, 2, outbox_id);
	}
	return kk_stmt_once(st, err);
}
