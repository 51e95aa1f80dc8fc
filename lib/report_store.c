/*
 * report_store.c: reports in the database: durable submission with evidence and
 * acknowledgement (SPEC 2.1, 3.1), loading for each reader, the queue, and the
 * accept / reject decision (SPEC 2.2) with its message to the finder.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/cvss.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "report_internal.h"

#define REPORT_COLUMNS                                                                                     \
	"id, tracking_id, kind, status, lang, received_at, accepted_at, decided_at, reject_reason,"        \
	" decision_note, finder_name, finder_email, finder_organization, finder_phone, finder_pgp_key,"   \
	" share_identity, direct_contact, credit, credit_name, product_vendor, product_name,"             \
	" product_version, website_url, summary, environment, steps, result, impact, workaround,"         \
	" cvss_vector, reported_elsewhere, reported_to, vendor_told_directly, coordinated_by,"            \
	" wants_final_result, encrypted_contact, assessed_vector, scope_users, scope_critical, scope_attack,"  \
	" assessed_at"

/* The five assessment columns, from column c on. */
static void read_assessment(sqlite3_stmt *st, int c, struct kk_report *r)
{
	r->assessed_vector = kk_column_dup(st, c);
	kk_users_parse((const char *)sqlite3_column_text(st, c + 1), &r->scope.users);
	kk_answer_parse((const char *)sqlite3_column_text(st, c + 2), &r->scope.critical_infrastructure);
	kk_answer_parse((const char *)sqlite3_column_text(st, c + 3), &r->scope.attack_public);
	r->assessed_at = sqlite3_column_int64(st, c + 4);
}

static void read_report(sqlite3_stmt *st, struct kk_report *r)
{
	const char *kind = (const char *)sqlite3_column_text(st, 2);
	const char *lang = (const char *)sqlite3_column_text(st, 4);
	int c = 0;

	r->id = sqlite3_column_int64(st, c++);
	snprintf(r->tracking_id, sizeof(r->tracking_id), "%s", (const char *)sqlite3_column_text(st, c++));
	r->kind = strcmp(kind, "website") == 0 ? KK_REPORT_WEBSITE : KK_REPORT_PRODUCT;
	c++;
	kk_report_status_parse((const char *)sqlite3_column_text(st, c++), &r->status);
	snprintf(r->lang, sizeof(r->lang), "%s", lang);
	c++;
	r->received_at = sqlite3_column_int64(st, c++);
	r->accepted_at = sqlite3_column_int64(st, c++);
	r->decided_at = sqlite3_column_int64(st, c++);
	if (sqlite3_column_type(st, c) != SQLITE_NULL)
		kk_reject_reason_parse((const char *)sqlite3_column_text(st, c), &r->reject_reason);
	c++;
	r->decision_note = kk_column_dup(st, c++);
	r->finder.name = kk_column_dup(st, c++);
	r->finder.email = kk_column_dup(st, c++);
	r->finder.organization = kk_column_dup(st, c++);
	r->finder.phone = kk_column_dup(st, c++);
	r->finder.pgp_key = kk_column_dup(st, c++);
	r->share_identity = sqlite3_column_int(st, c++);
	r->direct_contact = sqlite3_column_int(st, c++);
	r->credit = sqlite3_column_int(st, c++);
	r->credit_name = kk_column_dup(st, c++);
	r->product_vendor = kk_column_dup(st, c++);
	r->product_name = kk_column_dup(st, c++);
	r->product_version = kk_column_dup(st, c++);
	r->website_url = kk_column_dup(st, c++);
	r->summary = kk_column_dup(st, c++);
	r->environment = kk_column_dup(st, c++);
	r->steps = kk_column_dup(st, c++);
	r->result = kk_column_dup(st, c++);
	r->impact = kk_column_dup(st, c++);
	r->workaround = kk_column_dup(st, c++);
	r->cvss_vector = kk_column_dup(st, c++);
	r->reported_elsewhere = sqlite3_column_int(st, c++);
	r->reported_to = kk_column_dup(st, c++);
	r->vendor_told_directly = sqlite3_column_int(st, c++);
	r->coordinated_by = kk_column_dup(st, c++);
	r->wants_final_result = sqlite3_column_int(st, c++);
	r->encrypted_contact = sqlite3_column_int(st, c++);
	read_assessment(st, c, r);
}

static enum kk_result load_attachments(struct kk_tx *tx, struct kk_report *r, int with_data, struct kk_error *err)
{
	sqlite3_stmt *st = kk_tx_prepare(tx, "SELECT filename, content_type, size, sha256, data FROM attachments"
					     " WHERE report_id = ? ORDER BY idx", err);
	size_t cap = 0;

	if (!st)
		return KK_EDB;
	sqlite3_bind_int64(st, 1, r->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct kk_attachment *a;

		if (r->n_attachments == cap) {
			void *p = realloc(r->attachments, (cap = cap ? cap * 2 : 4) * sizeof(*a));
			if (!p) {
				sqlite3_finalize(st);
				return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
			}
			r->attachments = p;
		}
		a = &r->attachments[r->n_attachments++];
		memset(a, 0, sizeof(*a));
		a->filename = kk_column_dup(st, 0);
		a->content_type = kk_column_dup(st, 1);
		a->size = (size_t)sqlite3_column_int64(st, 2);
		snprintf(a->sha256, sizeof(a->sha256), "%s", (const char *)sqlite3_column_text(st, 3));
		if (with_data && (a->data = malloc(a->size ? a->size : 1)))
			memcpy(a->data, sqlite3_column_blob(st, 4), a->size);
	}
	sqlite3_finalize(st);
	return KK_OK;
}

/* Loads the report whose `column` equals value, inside tx. */
static enum kk_result load(struct kk_tx *tx, const char *column, const char *value, int with_data,
			   struct kk_report *r, struct kk_error *err)
{
	char sql[sizeof(REPORT_COLUMNS) + 64];
	sqlite3_stmt *st;
	enum kk_result res = KK_ENOTFOUND;

	memset(r, 0, sizeof(*r));
	snprintf(sql, sizeof(sql), "SELECT " REPORT_COLUMNS " FROM reports WHERE %s = ?", column);
	st = kk_tx_prepare(tx, sql, err);
	if (!st)
		return KK_EDB;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		read_report(st, r);
		res = KK_OK;
	}
	sqlite3_finalize(st);
	if (res == KK_OK)
		res = load_attachments(tx, r, with_data, err);
	else
		kk_error_set(err, res, "%s", _("No such report."));
	return res;
}

/* ---- messages to the finder, in the finder's language ---- */

static enum kk_result queue_to_finder(struct kk_tx *tx, const struct kk_report *r, const char *kind,
				      const char *subject, const char *body, struct kk_error *err)
{
	return kk_outbox_queue(tx, kind, r->finder.email, subject, body, r->lang, r->id, err);
}

static enum kk_result acknowledge(struct kk_tx *tx, const struct kk_report *r, const char *secret,
				  struct kk_error *err)
{
	char subject[256], when[KK_TIME_LEN];
	char *base = NULL;
	struct kk_buf body;
	sqlite3_stmt *st = kk_tx_prepare(tx, "SELECT value FROM settings WHERE key = 'base_url'", NULL);
	enum kk_result res;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		base = kk_column_dup(st, 0);
	sqlite3_finalize(st);
	snprintf(subject, sizeof(subject), _("[%s] Your vulnerability report was received"), r->tracking_id);
	kk_buf_init(&body, 16384);
	kk_buf_addf(&body, _("Dear %s,\n\nThank you for your report. We received it on %s.\n\n"), r->finder.name,
		    kk_time_format(r->received_at, when));
	kk_buf_addf(&body, _("Tracking number: %s\nSubject: %s\n\n"), r->tracking_id, r->summary);
	kk_buf_addf(&body, _("You can follow its progress here; keep this link to yourself:\n%s/r/%s\n\n"),
		    base ? base : "", secret);
	kk_buf_adds(&body, _("We will check the report and tell you whether it is accepted.\n"));
	res = body.data ? queue_to_finder(tx, r, "acknowledgement", subject, body.data, err)
			: kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	kk_buf_release(&body);
	free(base);
	return res;
}

static enum kk_result tell_decision(struct kk_tx *tx, const struct kk_report *r, struct kk_error *err)
{
	enum kk_lang saved = kk_i18n_current(), lang = KK_LANG_JA;
	char subject[256], day[KK_DATE_LEN];
	struct kk_buf body;
	enum kk_result res;

	kk_lang_parse(r->lang, &lang);
	kk_i18n_use(lang);
	kk_buf_init(&body, 32768);
	if (r->status == KK_REPORT_ACCEPTED) {
		snprintf(subject, sizeof(subject), _("[%s] Your vulnerability report was accepted"), r->tracking_id);
		kk_buf_addf(&body, _("Dear %s,\n\nYour report %s was accepted on %s.\n"), r->finder.name,
			    r->tracking_id, kk_date_format(r->accepted_at, day));
		kk_buf_adds(&body, _("We will now work with the parties concerned and keep you informed.\n"));
	} else {
		snprintf(subject, sizeof(subject), _("[%s] Your vulnerability report was not accepted"),
			 r->tracking_id);
		kk_buf_addf(&body, _("Dear %s,\n\nYour report %s was not accepted.\nReason: %s\n"), r->finder.name,
			    r->tracking_id, kk_reject_reason_text(r->reject_reason));
	}
	if (r->decision_note)
		kk_buf_addf(&body, _("\nNote from the receiving organisation:\n%s\n"), r->decision_note);
	res = body.data ? queue_to_finder(tx, r, "decision", subject, body.data, err)
			: kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	kk_buf_release(&body);
	kk_i18n_use(saved);
	return res;
}

/* ---- submission ---- */

static enum kk_result insert_report(struct kk_tx *tx, struct kk_report *r, const char *secret_hash,
				    const char *prefix, struct kk_error *err)
{
	static const char sql[] =
		"INSERT INTO reports(tracking_id, secret_hash, kind, status, lang, received_at,"
		" finder_name, finder_email, finder_organization, finder_phone, finder_pgp_key,"
		" share_identity, direct_contact, credit, credit_name, product_vendor, product_name,"
		" product_version, website_url, summary, environment, steps, result, impact, workaround,"
		" cvss_vector, reported_elsewhere, reported_to, vendor_told_directly, coordinated_by,"
		" wants_final_result, encrypted_contact) VALUES(?,?,?,'received',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
		"?,?,?,?,?,?,?,?,?)";
	sqlite3_stmt *st = kk_tx_prepare(tx, sql, err);
	enum kk_result res = KK_EDB;

	if (!st)
		return KK_EDB;
	/* Tracking numbers are random, so they say nothing about volume; retry on the
	 * rare collision. */
	for (int attempt = 0; attempt < 8 && res == KK_EDB; attempt++) {
		int c = 1;

		snprintf(r->tracking_id, sizeof(r->tracking_id), "%s#%08u", prefix, randombytes_uniform(100000000));
		sqlite3_reset(st);
		kk_bind_text(st, c++, r->tracking_id);
		kk_bind_text(st, c++, secret_hash);
		kk_bind_text(st, c++, kk_report_kind_name(r->kind));
		kk_bind_text(st, c++, r->lang);
		sqlite3_bind_int64(st, c++, r->received_at);
		kk_bind_text(st, c++, r->finder.name);
		kk_bind_text(st, c++, r->finder.email);
		kk_bind_text(st, c++, r->finder.organization);
		kk_bind_text(st, c++, r->finder.phone);
		kk_bind_text(st, c++, r->finder.pgp_key);
		sqlite3_bind_int(st, c++, r->share_identity);
		sqlite3_bind_int(st, c++, r->direct_contact);
		sqlite3_bind_int(st, c++, r->credit);
		kk_bind_text(st, c++, r->credit_name);
		kk_bind_text(st, c++, r->product_vendor);
		kk_bind_text(st, c++, r->product_name);
		kk_bind_text(st, c++, r->product_version);
		kk_bind_text(st, c++, r->website_url);
		kk_bind_text(st, c++, r->summary);
		kk_bind_text(st, c++, r->environment);
		kk_bind_text(st, c++, r->steps);
		kk_bind_text(st, c++, r->result);
		kk_bind_text(st, c++, r->impact);
		kk_bind_text(st, c++, r->workaround);
		kk_bind_text(st, c++, r->cvss_vector);
		sqlite3_bind_int(st, c++, r->reported_elsewhere);
		kk_bind_text(st, c++, r->reported_to);
		sqlite3_bind_int(st, c++, r->vendor_told_directly);
		kk_bind_text(st, c++, r->coordinated_by);
		sqlite3_bind_int(st, c++, r->wants_final_result);
		sqlite3_bind_int(st, c++, r->encrypted_contact);
		if (sqlite3_step(st) == SQLITE_DONE)
			res = KK_OK;
		else if (sqlite3_extended_errcode(tx->db) != SQLITE_CONSTRAINT_UNIQUE)
			break;
	}
	if (res)
		kk_db_error(tx->db, err);
	else
		r->id = sqlite3_last_insert_rowid(tx->db);
	sqlite3_finalize(st);
	return res;
}

static enum kk_result insert_attachments(struct kk_tx *tx, const struct kk_report *r, struct kk_error *err)
{
	sqlite3_stmt *st;
	enum kk_result res = KK_OK;

	if (!r->n_attachments)
		return KK_OK;
	st = kk_tx_prepare(tx, "INSERT INTO attachments(report_id, idx, filename, content_type, size, sha256, data)"
			       " VALUES(?, ?, ?, ?, ?, ?, ?)", err);
	if (!st)
		return KK_EDB;
	for (size_t i = 0; i < r->n_attachments && !res; i++) {
		const struct kk_attachment *a = &r->attachments[i];

		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, r->id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		kk_bind_text(st, 3, a->filename);
		kk_bind_text(st, 4, a->content_type);
		sqlite3_bind_int64(st, 5, (sqlite3_int64)a->size);
		kk_bind_text(st, 6, a->sha256);
		sqlite3_bind_blob64(st, 7, a->data ? (const void *)a->data : "", a->size, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			res = kk_db_error(tx->db, err);
	}
	sqlite3_finalize(st);
	return res;
}

static char *tracking_prefix(struct kk_tx *tx)
{
	sqlite3_stmt *st = kk_tx_prepare(tx, "SELECT value FROM settings WHERE key = 'tracking_prefix'", NULL);
	char *p = NULL;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		p = kk_column_dup(st, 0);
	sqlite3_finalize(st);
	return p ? p : strdup("IPA");
}

struct submission {
	struct kk_report *r;
	const char *secret_hash, *secret;
};

static enum kk_result store_submission(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	struct submission *sub = arg;
	struct kk_report *r = sub->r;
	char *prefix = tracking_prefix(tx);
	enum kk_result res;

	r->received_at = kk_now();
	res = prefix ? insert_report(tx, r, sub->secret_hash, prefix, err)
		     : kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	if (!res)
		res = insert_attachments(tx, r, err);
	if (!res)
		res = kk_audit_record(tx, &kk_anonymous, "report", r->id, "submit", NULL, "received", NULL, err);
	if (!res)
		res = acknowledge(tx, r, sub->secret, err);
	free(prefix);
	return res;
}

/* SPEC 2.1: nothing acknowledged is ever lost: the report, its evidence, the audit
 * record and the acknowledgement commit together, synced, before we answer. */
enum kk_result kk_report_submit(struct kk_store *s, struct kk_report *r, char *secret_out, struct kk_error *err)
{
	char hash[65];
	struct submission sub = { r, hash, secret_out };

	kk_random_secret(secret_out, 32);
	kk_sha256_hex(secret_out, strlen(secret_out), hash);
	r->status = KK_REPORT_RECEIVED;
	snprintf(r->lang, sizeof(r->lang), "%s", kk_lang_code(kk_i18n_current()));
	return kk_tx_grouped(s, store_submission, &sub, err);
}

/* ---- reading ---- */

enum kk_result kk_report_get(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
			     int with_data, struct kk_report *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = load(&tx, "tracking_id", tracking_id, with_data, out, err);
	res = kk_tx_end(&tx, res, err);
	/* SPEC 1: a report the viewer may not see does not exist for them. */
	if (res == KK_OK && !kk_report_may_view(viewer, out)) {
		kk_report_release(out);
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("No such report."));
	}
	return res;
}

enum kk_result kk_report_by_secret(struct kk_store *s, const char *secret, struct kk_report *out,
				   struct kk_error *err)
{
	char hash[65];
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	kk_sha256_hex(secret, strlen(secret), hash);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = load(&tx, "secret_hash", hash, 0, out, err);
	return kk_tx_end(&tx, res, err);
}

struct queue_entry {
	enum kk_impact impact;
	int tenths;
	int64_t received_at, id;
	json_t *row;
};

/* SPEC 2.3: high impact first regardless of arrival, then higher score, then older. */
static int queue_order(const void *a, const void *b)
{
	const struct queue_entry *x = a, *y = b;

	if (x->impact != y->impact)
		return x->impact > y->impact ? -1 : 1;
	if (x->tenths != y->tenths)
		return x->tenths > y->tenths ? -1 : 1;
	if (x->received_at != y->received_at)
		return x->received_at < y->received_at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static json_t *queue_row(sqlite3_stmt *st, struct queue_entry *e)
{
	struct kk_report r = { 0 };
	enum kk_scope scope;
	char *title;
	json_t *row;

	r.kind = strcmp((const char *)sqlite3_column_text(st, 1), "website") == 0 ? KK_REPORT_WEBSITE
										  : KK_REPORT_PRODUCT;
	r.product_vendor = (char *)sqlite3_column_text(st, 3);
	r.product_name = (char *)sqlite3_column_text(st, 4);
	r.product_version = (char *)sqlite3_column_text(st, 5);
	r.website_url = (char *)sqlite3_column_text(st, 6);
	r.cvss_vector = (char *)sqlite3_column_text(st, 9);
	read_assessment(st, 10, &r);
	e->impact = kk_report_impact(&r, &e->tenths, &scope, NULL);
	e->received_at = sqlite3_column_int64(st, 7);
	e->id = sqlite3_column_int64(st, 15);
	title = kk_report_title(&r);
	row = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s}", "tracking_id",
			(const char *)sqlite3_column_text(st, 0), "kind", kk_report_kind_name(r.kind), "status",
			(const char *)sqlite3_column_text(st, 2), "title", title ? title : "", "received_at",
			kk_json_time(e->received_at), "accepted_at", kk_json_time(sqlite3_column_int64(st, 8)),
			"base_score", e->tenths >= 0 ? json_real(e->tenths / 10.0) : json_null(), "severity",
			e->tenths >= 0 ? json_string(kk_cvss_severity_name(kk_cvss_rate(KK_CVSS_V3_1, e->tenths)))
				       : json_null(),
			"scope", kk_scope_name(scope), "impact", kk_impact_name(e->impact));
	free(title);
	free(r.assessed_vector);
	return row;
}

enum kk_result kk_report_list(struct kk_store *s, const struct kk_user *viewer, int status, json_t **out,
			      struct kk_error *err)
{
	struct queue_entry *entries = NULL;
	size_t n = 0, cap = 0;
	struct kk_tx tx;
	sqlite3_stmt *st;
	enum kk_result res;

	*out = NULL;
	if (!kk_report_may_list(viewer))
		return kk_error_set(err, KK_EDENIED, "%s", _("Your role may not see the report queue."));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	st = kk_tx_prepare(&tx, "SELECT tracking_id, kind, status, product_vendor, product_name, product_version,"
				" website_url, received_at, accepted_at, cvss_vector, assessed_vector, scope_users,"
				" scope_critical, scope_attack, assessed_at, id FROM reports"
				" WHERE ?1 < 0 OR status = ?2", err);
	if (!st)
		return kk_tx_end(&tx, KK_EDB, err);
	sqlite3_bind_int(st, 1, status);
	sqlite3_bind_text(st, 2, status >= 0 ? kk_report_status_name((enum kk_report_status)status) : "", -1,
			  SQLITE_STATIC);
	while (res == KK_OK && sqlite3_step(st) == SQLITE_ROW) {
		if (n == cap) {
			void *p = realloc(entries, (cap = cap ? cap * 2 : 64) * sizeof(*entries));

			if (!p) {
				res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
				break;
			}
			entries = p;
		}
		entries[n].row = queue_row(st, &entries[n]);
		n++;
	}
	sqlite3_finalize(st);
	qsort(entries, n, sizeof(*entries), queue_order);
	*out = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(*out, entries[i].row);
	free(entries);
	return kk_tx_end(&tx, res, err);
}

/* Ends the transaction of a change to report r and hands r to the caller (out may
 * be NULL) when it committed; releases it otherwise. */
static enum kk_result end_change(struct kk_tx *tx, enum kk_result res, struct kk_report *r, struct kk_report *out,
				 struct kk_error *err)
{
	res = kk_tx_end(tx, res, err);
	if (res == KK_OK && out)
		*out = *r;
	else
		kk_report_release(r);
	return res;
}

/* ---- impact assessment (SPEC 2.3, 7) ---- */

enum kk_result kk_report_assess(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
				const struct kk_assessment *a, struct kk_report *out, struct kk_error *err)
{
	struct kk_report r;
	struct kk_tx tx;
	sqlite3_stmt *st;
	enum kk_result res;
	json_t *detail;

	if (!kk_report_may_assess(actor))
		return kk_error_set(err, KK_EDENIED, "%s",
				    _("Only the receiving organisation and the coordinator assess impact."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = load(&tx, "tracking_id", tracking_id, 0, &r, err);
	if (res)
		goto out;
	free(r.assessed_vector);
	r.assessed_vector = kk_strdup(a->cvss_vector);
	r.scope = a->scope;
	r.assessed_at = kk_now();
	st = kk_tx_prepare(&tx, "UPDATE reports SET assessed_vector = ?, scope_users = ?, scope_critical = ?,"
				" scope_attack = ?, assessed_at = ? WHERE id = ?", err);
	if (!st) {
		res = KK_EDB;
		goto out;
	}
	kk_bind_text(st, 1, r.assessed_vector);
	kk_bind_text(st, 2, kk_users_name(r.scope.users));
	kk_bind_text(st, 3, kk_answer_name(r.scope.critical_infrastructure));
	kk_bind_text(st, 4, kk_answer_name(r.scope.attack_public));
	sqlite3_bind_int64(st, 5, r.assessed_at);
	sqlite3_bind_int64(st, 6, r.id);
	if (sqlite3_step(st) != SQLITE_DONE)
		res = kk_db_error(tx.db, err);
	sqlite3_finalize(st);
	if (res)
		goto out;
	detail = kk_impact_json(&r);
	res = kk_audit_record(&tx, actor, "report", r.id, "assess", NULL, NULL, detail, err);
	json_decref(detail);
out:
	return end_change(&tx, res, &r, out, err);
}

/* ---- triage (SPEC 2.2) ---- */

static enum kk_result apply_decision(struct kk_tx *tx, struct kk_report *r, const struct kk_report_transition *t,
				     const struct kk_decision *d, struct kk_error *err)
{
	sqlite3_stmt *st = kk_tx_prepare(tx, "UPDATE reports SET status = ?, accepted_at = ?, decided_at = ?,"
					     " reject_reason = ?, decision_note = ? WHERE id = ?", err);
	enum kk_result res = KK_OK;
	int64_t now = kk_now();

	if (!st)
		return KK_EDB;
	r->status = t->to;
	r->decided_at = now;
	r->accepted_at = d->accept ? now : 0;
	r->reject_reason = d->accept ? KK_REJECT_NONE : d->reason;
	free(r->decision_note);
	r->decision_note = kk_strdup(d->note);
	kk_bind_text(st, 1, kk_report_status_name(r->status));
	if (r->accepted_at)
		sqlite3_bind_int64(st, 2, r->accepted_at);
	sqlite3_bind_int64(st, 3, now);
	kk_bind_text(st, 4, d->accept ? NULL : kk_reject_reason_name(d->reason));
	kk_bind_text(st, 5, d->note);
	sqlite3_bind_int64(st, 6, r->id);
	if (sqlite3_step(st) != SQLITE_DONE)
		res = kk_db_error(tx->db, err);
	sqlite3_finalize(st);
	return res;
}

enum kk_result kk_report_decide(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
				const struct kk_decision *d, struct kk_report *out, struct kk_error *err)
{
	const char *event = d->accept ? "accept" : "reject";
	const struct kk_report_transition *t;
	struct kk_report r;
	struct kk_tx tx;
	enum kk_result res;
	json_t *detail;

	if (!kk_report_may_decide(actor))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only the receiving organisation decides on reports."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = load(&tx, "tracking_id", tracking_id, 0, &r, err);
	if (res)
		goto out;
	t = kk_report_transition_find(r.status, event);
	if (!t) {
		res = kk_error_set(err, KK_ECONFLICT, _("The report is already %s."), kk_report_status_label(r.status));
		goto out;
	}
	if (t->role != actor->role) {
		res = kk_error_set(err, KK_EDENIED, "%s", _("Only the receiving organisation decides on reports."));
		goto out;
	}
	res = apply_decision(&tx, &r, t, d, err);
	if (res)
		goto out;
	detail = json_pack("{s:s?, s:s?}", "reason", d->accept ? NULL : kk_reject_reason_name(d->reason), "note",
			   d->note);
	res = kk_audit_record(&tx, actor, "report", r.id, event, kk_report_status_name(t->from),
			      kk_report_status_name(t->to), detail, err);
	json_decref(detail);
	if (!res)
		res = tell_decision(&tx, &r, err);
out:
	return end_change(&tx, res, &r, out, err);
}
