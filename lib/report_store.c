/*
 * report_store.c: reports through their life in the core: durable submission with
 * evidence and acknowledgement (SPEC 2.1, 3.1), loading for each reader, the
 * queue, impact assessment (SPEC 2.3) and the accept / reject decision (SPEC 2.2)
 * with its message to the finder. The rows are kept by store/reports.c, the
 * messages written by report_mail.c, the tracking numbers drawn by tracking_id.c.
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
#include "keikai/settings.h"
#include "keikai/util.h"
#include "report_internal.h"
#include "store/reports.h"
#include "tracking_id.h"

/* Queues a message for the finder of r inside tx; releases the mail's body. */
static enum kk_result queue_to_finder(struct kk_tx *tx, const struct kk_report *r, const char *kind,
				      struct kk_finder_mail *m, struct kk_error *err)
{
	enum kk_result res = kk_outbox_queue(tx, kind, r->finder.email, m->subject, m->body, r->lang, r->id, err);

	free(m->body);
	m->body = NULL;
	return res;
}

/* ---- submission ---- */

struct submission {
	struct kk_report *r;
	const char *secret_hash, *secret;
};

/* Stores r under a fresh tracking number, drawing again on a collision. */
static enum kk_result insert_report(struct kk_tx *tx, struct kk_report *r, const char *secret_hash,
				    struct kk_error *err)
{
	char *prefix = kk_setting_get_tx(tx, "tracking_prefix", "IPA");
	enum kk_result res = KK_EEXISTS;

	if (!prefix)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	for (int i = 0; i < KK_TRACKING_ID_TRIES && res == KK_EEXISTS; i++) {
		kk_tracking_id_make(prefix, r->tracking_id, sizeof(r->tracking_id));
		res = kk_reports_insert(tx, r, secret_hash, err);
	}
	if (res == KK_EEXISTS)
		res = kk_error_set(err, KK_EDB, "%s", _("No free tracking number was found; try again."));
	free(prefix);
	return res;
}

static enum kk_result store_submission(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	struct submission *sub = arg;
	struct kk_report *r = sub->r;
	struct kk_finder_mail mail = { "", NULL };
	char *base = NULL;
	enum kk_result res;

	r->received_at = kk_now();
	res = insert_report(tx, r, sub->secret_hash, err);
	if (!res)
		res = kk_reports_insert_attachments(tx, r, err);
	if (!res)
		res = kk_audit_record(tx, &kk_anonymous, "report", r->id, "submit", NULL, "received", NULL, err);
	if (!res && !(base = kk_setting_get_tx(tx, "base_url", "")))
		res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	if (!res)
		res = kk_report_mail_received(r, base, sub->secret, &mail, err);
	if (!res)
		res = queue_to_finder(tx, r, "acknowledgement", &mail, err);
	free(base);
	return res;
}

/* SPEC 2.1: nothing acknowledged is ever lost: the report, its evidence, the audit
 * record and the acknowledgement commit together, durably, before we answer. */
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
	res = kk_reports_load(&tx, KK_REPORT_BY_TRACKING_ID, tracking_id, with_data, out, err);
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
	res = kk_reports_load(&tx, KK_REPORT_BY_SECRET_HASH, hash, 0, out, err);
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

struct queue {
	struct queue_entry *entries;
	size_t n, cap;
};

static enum kk_result queue_add(const struct kk_report *r, void *arg, struct kk_error *err)
{
	struct queue *q = arg;
	struct queue_entry *e;
	enum kk_scope scope;
	char *title;

	if (q->n == q->cap) {
		void *p = realloc(q->entries, (q->cap = q->cap ? q->cap * 2 : 64) * sizeof(*q->entries));

		if (!p)
			return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		q->entries = p;
	}
	e = &q->entries[q->n];
	e->impact = kk_report_impact(r, &e->tenths, &scope, NULL);
	e->received_at = r->received_at;
	e->id = r->id;
	title = kk_report_title(r);
	e->row = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s}", "tracking_id", r->tracking_id,
			   "kind", kk_report_kind_name(r->kind), "status", kk_report_status_name(r->status), "title",
			   title ? title : "", "received_at", kk_json_time(r->received_at), "accepted_at",
			   kk_json_time(r->accepted_at), "base_score",
			   e->tenths >= 0 ? json_real(e->tenths / 10.0) : json_null(), "severity",
			   e->tenths >= 0 ? json_string(kk_cvss_severity_name(kk_cvss_rate(KK_CVSS_V3_1, e->tenths)))
					  : json_null(),
			   "scope", kk_scope_name(scope), "impact", kk_impact_name(e->impact));
	free(title);
	if (!e->row)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	q->n++;
	return KK_OK;
}

enum kk_result kk_report_list(struct kk_store *s, const struct kk_user *viewer, int status, json_t **out,
			      struct kk_error *err)
{
	struct queue q = { NULL, 0, 0 };
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	if (!kk_report_may_list(viewer))
		return kk_error_set(err, KK_EDENIED, "%s", _("Your role may not see the report queue."));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_tx_end(&tx, kk_reports_each(&tx, status, queue_add, &q, err), err);
	if (q.n)
		qsort(q.entries, q.n, sizeof(*q.entries), queue_order);
	if (!res)
		*out = json_array();
	for (size_t i = 0; i < q.n; i++) {
		if (*out)
			json_array_append_new(*out, q.entries[i].row);
		else
			json_decref(q.entries[i].row);
	}
	free(q.entries);
	return res;
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
	enum kk_result res;
	json_t *detail;

	if (!kk_report_may_assess(actor))
		return kk_error_set(err, KK_EDENIED, "%s",
				    _("Only the receiving organisation and the coordinator assess impact."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = kk_reports_load(&tx, KK_REPORT_BY_TRACKING_ID, tracking_id, 0, &r, err);
	if (res)
		goto out;
	free(r.assessed_vector);
	r.assessed_vector = kk_strdup(a->cvss_vector);
	r.scope = a->scope;
	r.assessed_at = kk_now();
	res = kk_reports_save_assessment(&tx, &r, err);
	if (res)
		goto out;
	detail = kk_impact_json(&r);
	res = kk_audit_record(&tx, actor, "report", r.id, "assess", NULL, NULL, detail, err);
	json_decref(detail);
out:
	return end_change(&tx, res, &r, out, err);
}

/* ---- triage (SPEC 2.2) ---- */

/* Records decision d on r, moving it along transition t. */
static enum kk_result apply_decision(struct kk_tx *tx, struct kk_report *r, const struct kk_report_transition *t,
				     const struct kk_decision *d, struct kk_error *err)
{
	int64_t now = kk_now();

	r->status = t->to;
	r->decided_at = now;
	r->accepted_at = d->accept ? now : 0;
	r->reject_reason = d->accept ? KK_REJECT_NONE : d->reason;
	free(r->decision_note);
	r->decision_note = kk_strdup(d->note);
	if (d->note && !r->decision_note)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	return kk_reports_save_decision(tx, r, t->from, err);
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
	res = kk_reports_load(&tx, KK_REPORT_BY_TRACKING_ID, tracking_id, 0, &r, err);
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
	if (!res) {
		struct kk_finder_mail mail = { "", NULL };

		res = kk_report_mail_decision(&r, &mail, err);
		if (!res)
			res = queue_to_finder(&tx, &r, "decision", &mail, err);
	}
out:
	return end_change(&tx, res, &r, out, err);
}
