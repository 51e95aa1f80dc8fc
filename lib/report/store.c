/*
 * store.c: reports through their life in the core: durable submission with
 * evidence and acknowledgement (SPEC 2.1, 3.1), loading for each reader,
 * impact assessment (SPEC 2.3) and the accept / reject decision (SPEC 2.2)
 * with its message to the finder. The rows are kept by store/reports.c, the
 * messages written by report/mail.c, the tracking numbers drawn by tracking_id.c;
 * the queue is report/queue.c.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/cvss.h"
#include "keikai/evidence.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "internal.h"
#include "mail_templates.h"
#include "submit.h"
#include "store/reports.h"
#include "tracking_id.h"

enum kk_result kk_report_queue_to_finder(struct kk_tx *tx, const struct kk_report *r, const char *kind,
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
	struct kk_submit_opts *opts; /* NULL: none (issue 7; report/submit.c) */
};

/* Stores r under a fresh tracking number, drawing again on a collision. */
static enum kk_result insert_report(struct kk_tx *tx, struct kk_report *r, const char *secret_hash,
				    struct kk_error *err)
{
	char *prefix;
	enum kk_result res = kk_setting_read(tx, "tracking_prefix", "IPA", &prefix, err);

	if (res)
		return res;
	res = KK_EEXISTS;
	for (int i = 0; i < KK_TRACKING_ID_TRIES && res == KK_EEXISTS; i++) {
		kk_tracking_id_make(prefix, r->tracking_id, sizeof(r->tracking_id));
		res = kk_reports_insert(tx, r, secret_hash, err);
	}
	if (res == KK_EEXISTS)
		res = kk_error_set(err, KK_EDB, "%s", _("No free tracking number was found; try again."));
	free(prefix);
	return res;
}

/* Issue 11 item 3, SPEC 1, 2.1: the acknowledgement quotes the report's
 * summary, so it goes whole only encrypted to the finder's key; to a finder
 * without one it carries the tracking number and the status link only
 * (templates/mail/notice_received.txt as the message's safe_body). The
 * secret is known only here, so the safe text is written here. */
static enum kk_result queue_acknowledgement(struct kk_tx *tx, const struct kk_report *r, const char *base,
					    const char *secret, struct kk_finder_mail *m, struct kk_error *err)
{
	struct kk_buf safe, url;
	enum kk_result res;

	kk_buf_init(&safe, 16384);
	kk_buf_init(&url, 4096);
	kk_buf_addf(&url, "%s/r/%s", base ? base : "", secret);
	res = kk_buf_result(&url);
	if (!res)
		res = tmpl_notice_received(&safe, kk_report_finder_lang(r), r->tracking_id, url.data);
	if (res)
		res = res == KK_ENOMEM ? kk_error_nomem(err)
				       : kk_error_set(err, KK_ETOOBIG, "%s", _("The message to the finder could not be written."));
	if (!res)
		res = kk_outbox_queue_safe(tx, "acknowledgement", r->finder.email, m->subject, m->body, safe.data,
					   r->lang, r->id, err);
	free(m->body);
	m->body = NULL;
	kk_buf_release(&safe);
	kk_buf_release(&url);
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
	res = kk_submit_limit(tx, sub->opts, r->received_at, err);
	if (!res)
		res = insert_report(tx, r, sub->secret_hash, err);
	if (!res)
		res = kk_reports_insert_attachments(tx, r, err);
	/* issue 11: encrypted details keep the message they came in, sealed (evidence.h) */
	if (!res && r->ciphertext)
		res = kk_evidence_add(tx, "ciphertext", r->id, r->ciphertext, strlen(r->ciphertext), NULL, err);
	if (!res)
		res = kk_audit_record(tx, &kk_anonymous, "report", r->id, "submit", NULL, "received", NULL, err);
	if (!res)
		res = kk_setting_read(tx, "base_url", "", &base, err);
	if (!res)
		res = kk_report_mail_received(r, kk_report_finder_lang(r), kk_report_finder_zone(r), base,
					      sub->secret, &mail, err);
	if (!res)
		res = queue_acknowledgement(tx, r, base, sub->secret, &mail, err);
	if (!res)
		res = kk_submit_remember(tx, sub->opts, r, sub->secret, r->received_at, err);
	free(base);
	return res;
}

/* SPEC 2.1: nothing acknowledged is ever lost: the report, its evidence, the audit
 * record and the acknowledgement commit together, durably, before we answer. */
enum kk_result kk_report_submit(struct kk_store *s, struct kk_report *r, char *secret_out, struct kk_error *err)
{
	return kk_report_submit_with(s, r, NULL, secret_out, err);
}

enum kk_result kk_report_submit_with(struct kk_store *s, struct kk_report *r, struct kk_submit_opts *opts,
				     char *secret_out, struct kk_error *err)
{
	char hash[65];
	struct submission sub = { r, hash, secret_out, opts };

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
	if (res == KK_OK && !kk_may(viewer, KK_ACT_REPORT_READ, &(struct kk_object){ .report = out })) {
		kk_report_release(out);
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("No such report."));
	}
	if (res == KK_OK && with_data && !kk_may(viewer, KK_ACT_EVIDENCE_READ, &(struct kk_object){ .report = out })) {
		kk_report_release(out);
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("No such report."));
	}
	return res;
}

enum kk_result kk_report_attachment_get(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
					size_t index, struct kk_report *out, const struct kk_attachment **a,
					struct kk_error *err)
{
	enum kk_result res = kk_report_get(s, viewer, tracking_id, 1, out, err);

	*a = NULL;
	if (res == KK_ENOTFOUND || (res == KK_OK && (index >= out->n_attachments || !out->attachments[index].data))) {
		kk_error_release(err);
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such attachment."));
	}
	if (res == KK_OK)
		*a = &out->attachments[index];
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

/* SPEC 1: whether actor may do `action` on r, which it must first be able to see:
 * KK_ENOTFOUND when it may not see r, KK_EDENIED when it may see but not act. */
static enum kk_result may_change(const struct kk_user *actor, enum kk_action action, const struct kk_report *r,
				 struct kk_error *err)
{
	const struct kk_object obj = { .report = r };

	if (!kk_may(actor, KK_ACT_REPORT_READ, &obj))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("No such report."));
	if (!kk_may(actor, action, &obj))
		return kk_error_set(err, KK_EDENIED, "%s", _("Your role does not allow this."));
	return KK_OK;
}

/* ---- impact assessment (SPEC 2.3, 7) ---- */

enum kk_result kk_report_assess(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
				const struct kk_assessment *a, struct kk_report *out, struct kk_error *err)
{
	struct kk_report r;
	struct kk_tx tx;
	enum kk_result res;
	json_t *detail;

	if (!kk_may_some(actor->role, KK_ACT_REPORT_ASSESS))
		return kk_error_set(err, KK_EDENIED, "%s",
				    _("Only the receiving organisation and the coordinator assess impact."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = kk_reports_load(&tx, KK_REPORT_BY_TRACKING_ID, tracking_id, 0, &r, err);
	if (!res)
		res = may_change(actor, KK_ACT_REPORT_ASSESS, &r, err);
	if (res)
		goto out;
	free(r.assessed_vector);
	r.assessed_vector = kk_strdup(a->cvss_vector);
	if (a->cvss_vector && !r.assessed_vector) { /* never the finder's vector by accident */
		res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		goto out;
	}
	r.scope = a->scope;
	r.assessed_at = kk_now();
	res = kk_reports_save_assessment(&tx, &r, err);
	if (res)
		goto out;
	detail = kk_impact_json(&r);
	res = detail ? kk_audit_record(&tx, actor, "report", r.id, "assess", NULL, NULL, detail, err)
		     : kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	json_decref(detail);
out:
	return end_change(&tx, res, &r, out, err);
}

/* ---- triage (SPEC 2.2) ---- */

enum kk_result kk_report_decide(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
				const struct kk_decision *d, struct kk_report *out, struct kk_error *err)
{
	const char *event = d->accept ? "accept" : "reject";
	struct kk_flow_step step = { .actor = actor, .input = d };
	struct kk_report r;
	struct kk_tx tx;
	enum kk_result res;

	/* a role that may never decide learns nothing, not even whether the report exists */
	if (!kk_may_some(actor->role, KK_ACT_REPORT_DECIDE))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only the receiving organisation decides on reports."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = kk_reports_load(&tx, KK_REPORT_BY_TRACKING_ID, tracking_id, 0, &r, err);
	if (!res)
		res = may_change(actor, KK_ACT_REPORT_DECIDE, &r, err);
	if (res)
		goto out;
	step.tx = &tx;
	step.object_id = r.id;
	step.object = &r;
	res = kk_flow_fire(&kk_report_triage, &step, kk_report_status_name(r.status), event, err);
out:
	return end_change(&tx, res, &r, out, err);
}
