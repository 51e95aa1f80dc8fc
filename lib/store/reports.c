/*
 * reports.c: the repository of reports and their evidence (reports.h).
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vault.h"
#include "report/internal.h"
#include "report_queue.h"
#include "reports.h"
#include "rows.h"

#define REPORT_COLUMNS                                                                                      \
	"id, tracking_id, kind, status, lang, received_at, accepted_at, decided_at, reject_reason,"        \
	" decision_note, finder_name, finder_email, finder_organization, finder_phone, finder_pgp_key,"   \
	" share_identity, direct_contact, credit, credit_name, product_vendor, product_name,"             \
	" product_version, website_url, summary, environment, steps, result, impact, workaround,"         \
	" cvss_vector, reported_elsewhere, reported_to, vendor_told_directly, coordinated_by,"            \
	" wants_final_result, encrypted_contact, assessed_vector, scope_users, scope_critical, scope_attack," \
	" assessed_at, encrypted_fields"

static enum kk_report_kind kind_of(const char *kind)
{
	return kind && strcmp(kind, "website") == 0 ? KK_REPORT_WEBSITE : KK_REPORT_PRODUCT;
}

void kk_reports_read_assessment(const struct kk_stmt *st, int c, struct kk_report *r)
{
	r->assessed_vector = kk_stmt_dup(st, c);
	kk_users_parse(kk_stmt_text(st, c + 1), &r->scope.users);
	kk_answer_parse(kk_stmt_text(st, c + 2), &r->scope.critical_infrastructure);
	kk_answer_parse(kk_stmt_text(st, c + 3), &r->scope.attack_public);
	r->assessed_at = kk_stmt_int(st, c + 4);
}

/* Reads a row of REPORT_COLUMNS into r; KK_ENOMEM when a column could not be
 * copied (r then holds what was copied; the caller releases it). */
static enum kk_result read_report(const struct kk_stmt *st, struct kk_report *r, struct kk_error *err)
{
	int c = 0, lost = 0;

	r->id = kk_stmt_int(st, c++);
	snprintf(r->tracking_id, sizeof(r->tracking_id), "%s", kk_stmt_text(st, c++));
	r->kind = kind_of(kk_stmt_text(st, c++));
	kk_report_status_parse(kk_stmt_text(st, c++), &r->status);
	snprintf(r->lang, sizeof(r->lang), "%s", kk_stmt_text(st, c++));
	r->received_at = kk_stmt_int(st, c++);
	r->accepted_at = kk_stmt_int(st, c++);
	r->decided_at = kk_stmt_int(st, c++);
	if (!kk_stmt_is_null(st, c))
		kk_reject_reason_parse(kk_stmt_text(st, c), &r->reject_reason);
	c++;
	kk_stmt_dup_into(st, c++, &r->decision_note, &lost);
	kk_stmt_dup_into(st, c++, &r->finder.name, &lost);
	kk_stmt_dup_into(st, c++, &r->finder.email, &lost);
	kk_stmt_dup_into(st, c++, &r->finder.organization, &lost);
	kk_stmt_dup_into(st, c++, &r->finder.phone, &lost);
	kk_stmt_dup_into(st, c++, &r->finder.pgp_key, &lost);
	r->share_identity = (int)kk_stmt_int(st, c++);
	r->direct_contact = (int)kk_stmt_int(st, c++);
	r->credit = (int)kk_stmt_int(st, c++);
	kk_stmt_dup_into(st, c++, &r->credit_name, &lost);
	kk_stmt_dup_into(st, c++, &r->product_vendor, &lost);
	kk_stmt_dup_into(st, c++, &r->product_name, &lost);
	kk_stmt_dup_into(st, c++, &r->product_version, &lost);
	kk_stmt_dup_into(st, c++, &r->website_url, &lost);
	kk_stmt_dup_into(st, c++, &r->summary, &lost);
	kk_stmt_dup_into(st, c++, &r->environment, &lost);
	kk_stmt_dup_into(st, c++, &r->steps, &lost);
	kk_stmt_dup_into(st, c++, &r->result, &lost);
	kk_stmt_dup_into(st, c++, &r->impact, &lost);
	kk_stmt_dup_into(st, c++, &r->workaround, &lost);
	kk_stmt_dup_into(st, c++, &r->cvss_vector, &lost);
	r->reported_elsewhere = (int)kk_stmt_int(st, c++);
	kk_stmt_dup_into(st, c++, &r->reported_to, &lost);
	r->vendor_told_directly = (int)kk_stmt_int(st, c++);
	kk_stmt_dup_into(st, c++, &r->coordinated_by, &lost);
	r->wants_final_result = (int)kk_stmt_int(st, c++);
	r->encrypted_contact = (int)kk_stmt_int(st, c++);
	kk_reports_read_assessment(st, c, r);
	if (!r->assessed_vector && !kk_stmt_is_null(st, c))
		lost = 1;
	kk_stmt_dup_into(st, c + 5, &r->encrypted_fields, &lost);
	return lost ? kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory.")) : KK_OK;
}

static enum kk_result load_attachments(struct kk_tx *tx, struct kk_report *r, int with_data, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT filename, content_type, size, sha256, data FROM attachments"
						 " WHERE report_id = ? ORDER BY idx", err);
	enum kk_result res = KK_OK;
	enum kk_step step;
	size_t cap = 0;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, r->id);
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		struct kk_attachment *a;

		if (r->n_attachments == cap) {
			void *p = kk_realloc(r->attachments, (cap = cap ? cap * 2 : 4) * sizeof(*a));

			if (!p) {
				res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
				break;
			}
			r->attachments = p;
		}
		a = &r->attachments[r->n_attachments++];
		memset(a, 0, sizeof(*a));
		a->filename = kk_stmt_dup(st, 0);
		a->content_type = kk_stmt_dup(st, 1);
		if (!a->filename || !a->content_type) { /* both NOT NULL columns */
			res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
			break;
		}
		a->size = (size_t)kk_stmt_int(st, 2);
		snprintf(a->sha256, sizeof(a->sha256), "%s", kk_stmt_text(st, 3));
		if (with_data) {
			size_t n, plain_n;
			const void *data = kk_stmt_blob(st, 4, &n);
			void *plain;

			/* issue 11: stored sealed (or from before sealing) */
			res = kk_vault_open(tx->store, data, n, &plain, &plain_n, err);
			if (!res && plain_n != a->size) {
				free(plain);
				res = kk_error_set(err, KK_EINVAL, _("The stored file %s is not the size recorded for it."),
						   a->filename);
			} else if (!res) {
				a->data = plain;
			}
		}
	}
	if (!res && step == KK_STEP_ERROR)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_reports_load(struct kk_tx *tx, enum kk_report_key key, const char *value, int with_data,
			       struct kk_report *r, struct kk_error *err)
{
	static const char *const sql[] = {
		[KK_REPORT_BY_TRACKING_ID] = "SELECT " REPORT_COLUMNS " FROM reports WHERE tracking_id = ?",
		[KK_REPORT_BY_SECRET_HASH] = "SELECT " REPORT_COLUMNS " FROM reports WHERE secret_hash = ?",
	};
	struct kk_stmt *st = kk_stmt_prepare(tx, sql[key], err);
	enum kk_result res;

	memset(r, 0, sizeof(*r));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, value);
	res = kk_stmt_first(st, err);
	if (!res)
		res = read_report(st, r, err);
	else if (res == KK_ENOTFOUND)
		kk_error_set(err, res, "%s", _("No such report."));
	kk_stmt_free(st);
	if (res == KK_OK)
		res = load_attachments(tx, r, with_data, err);
	if (res) { /* nothing half-loaded reaches the caller */
		kk_report_release(r);
		memset(r, 0, sizeof(*r));
	}
	return res;
}

/* Binds what a finder gave (finder_name … encrypted_contact, in the
 * columns' order of the reports table) and the queue's rank and score
 * (SPEC 2.3: the finder's vector places it) from position c on; returns the
 * next position. Shared by storing a report and completing one that came by
 * mail (reports_mail.c). */
int kk_reports_bind_fields(struct kk_stmt *st, const struct kk_report *r, int c)
{
	int64_t rank, tenths;

	kk_reports_rank_of(r, &rank, &tenths);
	kk_stmt_bind_text(st, c++, r->finder.name);
	kk_stmt_bind_text(st, c++, r->finder.email);
	kk_stmt_bind_text(st, c++, r->finder.organization);
	kk_stmt_bind_text(st, c++, r->finder.phone);
	kk_stmt_bind_text(st, c++, r->finder.pgp_key);
	kk_stmt_bind_int(st, c++, r->share_identity);
	kk_stmt_bind_int(st, c++, r->direct_contact);
	kk_stmt_bind_int(st, c++, r->credit);
	kk_stmt_bind_text(st, c++, r->credit_name);
	kk_stmt_bind_text(st, c++, r->product_vendor);
	kk_stmt_bind_text(st, c++, r->product_name);
	kk_stmt_bind_text(st, c++, r->product_version);
	kk_stmt_bind_text(st, c++, r->website_url);
	kk_stmt_bind_text(st, c++, r->summary);
	kk_stmt_bind_text(st, c++, r->environment);
	kk_stmt_bind_text(st, c++, r->steps);
	kk_stmt_bind_text(st, c++, r->result);
	kk_stmt_bind_text(st, c++, r->impact);
	kk_stmt_bind_text(st, c++, r->workaround);
	kk_stmt_bind_text(st, c++, r->cvss_vector);
	kk_stmt_bind_int(st, c++, r->reported_elsewhere);
	kk_stmt_bind_text(st, c++, r->reported_to);
	kk_stmt_bind_int(st, c++, r->vendor_told_directly);
	kk_stmt_bind_text(st, c++, r->coordinated_by);
	kk_stmt_bind_int(st, c++, r->wants_final_result);
	kk_stmt_bind_int(st, c++, r->encrypted_contact);
	kk_stmt_bind_int(st, c++, rank);
	kk_stmt_bind_int(st, c++, tenths);
	return c;
}

enum kk_result kk_reports_insert(struct kk_tx *tx, struct kk_report *r, const char *secret_hash,
				 struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"INSERT INTO reports(tracking_id, secret_hash, kind, status, lang, received_at,"
		" finder_name, finder_email, finder_organization, finder_phone, finder_pgp_key,"
		" share_identity, direct_contact, credit, credit_name, product_vendor, product_name,"
		" product_version, website_url, summary, environment, steps, result, impact, workaround,"
		" cvss_vector, reported_elsewhere, reported_to, vendor_told_directly, coordinated_by,"
		" wants_final_result, encrypted_contact, impact_rank, score_tenths, encrypted_fields)"
		" VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
		" ON CONFLICT(tracking_id) DO NOTHING RETURNING id",
		err);
	enum kk_result res = KK_OK;
	int c = 1;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, c++, r->tracking_id);
	kk_stmt_bind_text(st, c++, secret_hash);
	kk_stmt_bind_text(st, c++, kk_report_kind_name(r->kind));
	kk_stmt_bind_text(st, c++, kk_report_status_name(r->status));
	kk_stmt_bind_text(st, c++, r->lang);
	kk_stmt_bind_int(st, c++, r->received_at);
	c = kk_reports_bind_fields(st, r, c);
	kk_stmt_bind_text(st, c++, r->encrypted_fields);
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW: r->id = kk_stmt_int(st, 0); break;
	case KK_STEP_DONE: res = KK_EEXISTS; break;
	case KK_STEP_ERROR: res = kk_stmt_result(st); break;
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_reports_insert_attachments(struct kk_tx *tx, const struct kk_report *r, struct kk_error *err)
{
	struct kk_stmt *st;
	enum kk_result res = KK_OK;

	if (!r->n_attachments)
		return KK_OK;
	st = kk_stmt_prepare(tx, "INSERT INTO attachments(report_id, idx, filename, content_type, size, sha256, data)"
				 " VALUES(?, ?, ?, ?, ?, ?, ?)", err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	for (size_t i = 0; i < r->n_attachments && !res; i++) {
		const struct kk_attachment *a = &r->attachments[i];

		kk_stmt_reset(st);
		kk_stmt_bind_int(st, 1, r->id);
		kk_stmt_bind_int(st, 2, (int64_t)i);
		kk_stmt_bind_text(st, 3, a->filename);
		kk_stmt_bind_text(st, 4, a->content_type);
		kk_stmt_bind_int(st, 5, (int64_t)a->size);
		kk_stmt_bind_text(st, 6, a->sha256);
		/* issue 11: stored sealed; size and sha256 are the plain file's */
		res = kk_rows_bind_sealed(tx, st, 7, a->data, a->size, err);
		if (!res)
			res = kk_stmt_exec(st, err);
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_reports_save_assessment(struct kk_tx *tx, const struct kk_report *r, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE reports SET assessed_vector = ?, scope_users = ?,"
						 " scope_critical = ?, scope_attack = ?, assessed_at = ?, impact_rank = ?,"
						 " score_tenths = ? WHERE id = ?", err);
	int64_t rank, tenths;

	if (st) {
		/* SPEC 2.3: the assessment moves the report in the queue */
		kk_reports_rank_of(r, &rank, &tenths);
		kk_stmt_bind_text(st, 1, r->assessed_vector);
		kk_stmt_bind_text(st, 2, kk_users_name(r->scope.users));
		kk_stmt_bind_text(st, 3, kk_answer_name(r->scope.critical_infrastructure));
		kk_stmt_bind_text(st, 4, kk_answer_name(r->scope.attack_public));
		kk_stmt_bind_int(st, 5, r->assessed_at);
		kk_stmt_bind_int(st, 6, rank);
		kk_stmt_bind_int(st, 7, tenths);
		kk_stmt_bind_int(st, 8, r->id);
	}
	return kk_stmt_once(st, err);
}

enum kk_result kk_reports_save_decision(struct kk_tx *tx, const struct kk_report *r, enum kk_report_status from,
					struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE reports SET status = ?, accepted_at = ?, decided_at = ?,"
						 " reject_reason = ?, decision_note = ? WHERE id = ? AND status = ?", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, kk_report_status_name(r->status));
	kk_stmt_bind_opt_int(st, 2, r->accepted_at);
	kk_stmt_bind_int(st, 3, r->decided_at);
	kk_stmt_bind_text(st, 4, r->status == KK_REPORT_REJECTED ? kk_reject_reason_name(r->reject_reason) : NULL);
	kk_stmt_bind_text(st, 5, r->decision_note);
	kk_stmt_bind_int(st, 6, r->id);
	kk_stmt_bind_text(st, 7, kk_report_status_name(from));
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) != 1)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("Someone else decided on the report at the same moment."));
	kk_stmt_free(st);
	return res;
}
