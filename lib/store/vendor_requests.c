/*
 * vendor_requests.c: the repository of vendor registration requests
 * (vendor_requests.h): the statements on table vendor_requests and the public
 * list's query, in the SQL that SQLite and PostgreSQL share (store.h). What is valid is lib/vendor/requests.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "vendor_requests.h"

#define COLUMNS                                                                                             \
	"id, status, name_ja, name_en, country, website, contact_email, department, lang, note, created_at," \
	" decided_at, decided_by, vendor_id, reason"

/* The current row of a statement that selects COLUMNS, into *out. */
static enum kk_result read_row(const struct kk_stmt *st, struct kk_vendor_request *out, struct kk_error *err)
{
	char **texts[] = { &out->name_ja, &out->name_en, &out->country, &out->website,
			   &out->contact_email, &out->department };
	static const int cols[] = { 2, 3, 4, 5, 6, 7 };
	int lost = 0;

	memset(out, 0, sizeof(*out));
	out->id = kk_stmt_int(st, 0);
	if (kk_vendor_request_status_parse(kk_stmt_text(st, 1), &out->status) != 0)
		return kk_error_set(err, KK_EDB, _("Vendor request %lld has an unknown status \"%s\"."),
				    (long long)out->id, kk_stmt_text(st, 1));
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		*texts[i] = kk_stmt_dup(st, cols[i]);
		lost |= !*texts[i] && !kk_stmt_is_null(st, cols[i]);
	}
	snprintf(out->lang, sizeof(out->lang), "%s", kk_stmt_text(st, 8));
	out->note = kk_stmt_dup(st, 9);
	lost |= !out->note && !kk_stmt_is_null(st, 9);
	out->created_at = kk_stmt_int(st, 10);
	out->decided_at = kk_stmt_int(st, 11);
	out->decided_by = kk_stmt_int(st, 12);
	out->vendor_id = kk_stmt_int(st, 13);
	out->reason = kk_stmt_dup(st, 14);
	lost |= !out->reason && !kk_stmt_is_null(st, 14);
	if (lost) {
		kk_vendor_request_release(out);
		return kk_error_nomem(err);
	}
	return KK_OK;
}

enum kk_result kk_vendor_requests_insert(struct kk_tx *tx, struct kk_vendor_request *r, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO vendor_requests(status, name_ja, name_en, country, website,"
					     " contact_email, department, lang, note, created_at)"
					     " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, kk_vendor_request_status_name(r->status));
	kk_stmt_bind_text(st, 2, r->name_ja);
	kk_stmt_bind_text(st, 3, r->name_en);
	kk_stmt_bind_text(st, 4, r->country);
	kk_stmt_bind_text(st, 5, r->website);
	kk_stmt_bind_text(st, 6, r->contact_email);
	kk_stmt_bind_text(st, 7, r->department);
	kk_stmt_bind_text(st, 8, r->lang);
	kk_stmt_bind_text(st, 9, r->note);
	kk_stmt_bind_int(st, 10, r->created_at);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		r->id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND) /* RETURNING always gives the row */
		res = kk_error_set(err, KK_EDB, "%s", _("The database returned no row for the new vendor request."));
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_vendor_requests_load(struct kk_tx *tx, int64_t id, struct kk_vendor_request *out,
				       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " COLUMNS " FROM vendor_requests WHERE id = ?", err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		res = read_row(st, out, err);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_vendor_requests_each(struct kk_tx *tx, int status, int limit, kk_vendor_request_fn *fn, void *arg,
				       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT " COLUMNS " FROM vendor_requests WHERE (CAST(?1 AS TEXT) IS NULL OR status = ?1)"
					     " ORDER BY created_at DESC, id DESC LIMIT ?2",
					     err);
	struct kk_vendor_request r;
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, status < 0 ? NULL : kk_vendor_request_status_name((enum kk_vendor_request_status)status));
	kk_stmt_bind_int(st, 2, limit);
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		res = read_row(st, &r, err);
		if (!res)
			res = fn(&r, arg, err);
		kk_vendor_request_release(&r);
	}
	if (!res && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_vendor_requests_decide(struct kk_tx *tx, const struct kk_vendor_request *r,
					 enum kk_vendor_request_status from, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE vendor_requests SET status = ?, decided_at = ?, decided_by = ?,"
					     " vendor_id = ?, reason = ? WHERE id = ? AND status = ?",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, kk_vendor_request_status_name(r->status));
	kk_stmt_bind_int(st, 2, r->decided_at);
	kk_stmt_bind_opt_int(st, 3, r->decided_by);
	kk_stmt_bind_opt_int(st, 4, r->vendor_id);
	kk_stmt_bind_text(st, 5, r->reason);
	kk_stmt_bind_int(st, 6, r->id);
	kk_stmt_bind_text(st, 7, kk_vendor_request_status_name(from));
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) != 1)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("This vendor request has been decided already."));
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_vendor_requests_public_list(struct kk_tx *tx, json_t **out, struct kk_error *err)
{
	/* G IV.4.1: only vendors that consented; the direct-report contact only
	 * where the vendor asked finders to report to it directly */
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT id, name_ja, name_en, country, website, accepts_direct_reports,"
					     " intake_email, policy_url FROM vendors WHERE listed_publicly = 1"
					     " ORDER BY COALESCE(name_en, name_ja), COALESCE(name_ja, name_en), id",
					     err);
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;
	json_t *list = json_array();

	*out = NULL;
	if (!st || !list) {
		kk_stmt_free(st);
		json_decref(list);
		return st ? kk_error_nomem(err) : kk_error_result(err, KK_EDB);
	}
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		int direct = kk_stmt_int(st, 5) != 0;
		json_t *v = json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:b, s:s?, s:s?}", "id",
				      (json_int_t)kk_stmt_int(st, 0), "name_ja", kk_stmt_is_null(st, 1) ? NULL : kk_stmt_text(st, 1),
				      "name_en", kk_stmt_is_null(st, 2) ? NULL : kk_stmt_text(st, 2), "country",
				      kk_stmt_is_null(st, 3) ? NULL : kk_stmt_text(st, 3), "website",
				      kk_stmt_is_null(st, 4) ? NULL : kk_stmt_text(st, 4), "accepts_direct_reports", direct,
				      "intake_email", direct && !kk_stmt_is_null(st, 6) ? kk_stmt_text(st, 6) : NULL,
				      "policy_url", direct && !kk_stmt_is_null(st, 7) ? kk_stmt_text(st, 7) : NULL);

		if (!v || json_array_append_new(list, v))
			res = kk_error_nomem(err);
	}
	if (!res && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	if (res)
		json_decref(list);
	else
		*out = list;
	return res;
}
