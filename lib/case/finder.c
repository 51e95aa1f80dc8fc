/*
 * finder.c: the finder's side of a case, for the status page its secret
 * opens (case.h; SPEC 1, 2.13, G IV.2.7, issue 9 item 6): where the report
 * stands, as one of the stages below, and the finder's own threads: the one
 * with staff, and those with vendors where both consented to talk directly.
 * No vendor's name, status or unpublished detail reaches the finder, except
 * the name of a vendor that chose to talk with it.
 *
 * The finder writes to staff at any time once the report is accepted (also
 * before it joins a case: the thread is keyed by the report), and may ask
 * for progress; staff see unanswered questions first, and a staff message in
 * the thread answers them (messages.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "finder.h"
#include "internal.h"
#include "messages_internal.h"
#include "store/case_dates.h"
#include "store/reports.h"

/* Issue 9 item 6: the stages the finder sees, in order; published and ended
 * are the two ways a case finishes. */
static const struct stage {
	const char *name, *label, *text;
} stages[] = {
	{ "accepted", N_("Accepted"), N_("Your report has been accepted. The coordinator is preparing to contact the vendors.") },
	{ "contacting", N_("Vendors being contacted"), N_("The coordinator is contacting the vendors of the product.") },
	{ "investigating", N_("Vendors investigating"), N_("The vendors are investigating the vulnerability.") },
	{ "date_set", N_("Publication date set"), N_("A date for publishing the vulnerability has been set.") },
	{ "published", N_("Published"), N_("The vulnerability and its countermeasures have been published.") },
	{ "ended", N_("Handling ended"), N_("The handling of your report has ended.") },
};
#define N_STAGES (sizeof(stages) / sizeof(stages[0]))
enum { ST_ACCEPTED, ST_CONTACTING, ST_INVESTIGATING, ST_DATE_SET, ST_PUBLISHED, ST_ENDED };

/* The statuses of a vendor that mean it is looking into the report: it asked
 * for the detail, or said what it found (the flow "vendor_status"). */
static const char *const past_summary[] = { "detail_requested", "investigating", "affected", "not_affected",
					    "fixed", "will_not_fix" };

static enum kk_result any_past_summary(int64_t vendor_id, const struct kk_vendor_status *st, void *arg,
				       struct kk_error *err)
{
	int *found = arg;

	(void)vendor_id;
	(void)err;
	for (size_t i = 0; i < sizeof(past_summary) / sizeof(past_summary[0]); i++)
		*found |= strcmp(st->status, past_summary[i]) == 0;
	return KK_OK;
}

/* Where case c stands for its finders (case.h kk_case_finder_view). */
static enum kk_result stage_of(struct kk_tx *tx, const struct kk_case *c, int *stage, struct kk_error *err)
{
	struct kk_case_vendor *v = NULL;
	size_t n = 0;
	int investigating = 0;
	enum kk_result res = KK_OK;

	/* issue 12: the public advisory id comes with publication */
	if (c->advisory_id && *c->advisory_id) {
		*stage = ST_PUBLISHED;
		return KK_OK;
	}
	if (strcmp(c->state, "closed") == 0) {
		*stage = ST_ENDED;
		return KK_OK;
	}
	/* SPEC 2.9 (オ), V 4.3.3: the vendor tells every user itself, and the
	 * finder is told that handling ends */
	if (c->date_state && strcmp(c->date_state, "called_off") == 0) {
		json_t *f = json_object();
		const char *reason;

		if (!f)
			return kk_error_nomem(err);
		res = kk_case_dates_fields_json(tx, c->id, f, err);
		reason = json_string_value(json_object_get(json_object_get(f, "called_off"), "reason"));
		if (!res && reason && strcmp(reason, "e") == 0)
			*stage = ST_ENDED;
		json_decref(f);
		if (res || *stage == ST_ENDED)
			return res;
	}
	/* issue 10 item 3: the finder is told the date once it is set */
	if (c->date_state && (strcmp(c->date_state, "set") == 0 || strcmp(c->date_state, "ready") == 0) &&
	    c->publication_at) {
		*stage = ST_DATE_SET;
		return KK_OK;
	}
	/* SPEC 2.6: the first contact attempt is day 0 */
	if (!c->day0) {
		*stage = ST_ACCEPTED;
		return KK_OK;
	}
	res = kk_case_vendors_list(tx, c->id, &v, &n, err);
	for (size_t i = 0; !res && i < n; i++)
		investigating |= v[i].detail_requested_at != 0;
	kk_case_vendors_free(v, n);
	if (!res && !investigating)
		res = kk_vendor_statuses_each_of_case(tx, c->id, any_past_summary, &investigating, err);
	*stage = investigating ? ST_INVESTIGATING : ST_CONTACTING;
	return res;
}

/* {"stage", "stage_label", "stage_text", "stages": [{"stage", "label", "reached"}]} into o. */
static int put_stages(json_t *o, int stage)
{
	json_t *list = json_array();

	for (size_t i = 0; list && i < N_STAGES; i++) {
		/* the two ends are alternatives: only the one the case took is reached */
		int reached = stage >= 0 && ((int)i <= stage && !(i == ST_PUBLISHED && stage == ST_ENDED) &&
					     !(i == ST_DATE_SET && stage == ST_ENDED));
		json_t *s = json_pack("{s:s, s:s, s:b}", "stage", stages[i].name, "label", _(stages[i].label),
				      "reached", reached);

		if (!s || json_array_append_new(list, s)) {
			json_decref(list);
			return -1;
		}
	}
	if (!list)
		return -1;
	if (stage < 0)
		return json_object_set_new(o, "stage", json_null()) || json_object_set_new(o, "stages", list);
	return json_object_set_new(o, "stage", json_string(stages[stage].name)) ||
	       json_object_set_new(o, "stage_label", json_string(_(stages[stage].label))) ||
	       json_object_set_new(o, "stage_text", json_string(_(stages[stage].text))) ||
	       json_object_set_new(o, "stages", list);
}

/* issue 10 item 3: "publication_at" and "publication_text" (the date in the
 * reader's language), both null unless the stage is date_set. -1 when out of
 * memory. */
static int put_date(json_t *o, int stage, const struct kk_case *c)
{
	char text[KK_TIME_TEXT_LEN];
	int set = stage == ST_DATE_SET && c->publication_at;

	return json_object_set_new(o, "publication_at", set ? json_integer(c->publication_at) : json_null()) ||
	       json_object_set_new(o, "publication_text",
				   set ? json_string(kk_time_text(c->publication_at, kk_i18n_current(), NULL, text))
				       : json_null());
}

void finder_ctx_release(struct finder_ctx *x)
{
	kk_report_release(&x->r);
	kk_case_release(&x->c);
	memset(x, 0, sizeof(*x));
}

static enum kk_result finder_load(struct kk_tx *tx, const char *secret, struct finder_ctx *x, struct kk_error *err)
{
	char hash[65];
	int64_t case_id = 0;
	enum kk_result res;

	memset(x, 0, sizeof(*x));
	if (kk_str_empty(secret))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("No report has this address."));
	kk_sha256_hex(secret, strlen(secret), hash);
	res = kk_reports_load(tx, KK_REPORT_BY_SECRET_HASH, hash, 0, &x->r, err);
	if (res == KK_ENOTFOUND)
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("No report has this address."));
	if (!res)
		res = kk_case_reports_case_of(tx, x->r.id, &case_id, x->label, err);
	if (!res && case_id)
		res = kk_cases_load(tx, NULL, case_id, &x->c, err);
	if (res)
		finder_ctx_release(x);
	return res;
}

enum kk_result finder_begin(struct kk_store *s, int write, const char *secret, struct kk_tx *tx,
			    struct finder_ctx *x, struct kk_error *err)
{
	enum kk_result res = kk_tx_begin(s, write, tx, err);

	if (res)
		return res;
	res = finder_load(tx, secret, x, err);
	if (res)
		return kk_tx_end(tx, res, err);
	return KK_OK;
}

/* Whether direct thread t may go on: the finder consented (SPEC 2.1 エ) and
 * its vendor still does (SPEC 2.13); *v gets the vendor's row then. */
static enum kk_result direct_open(struct kk_tx *tx, const struct finder_ctx *x, const struct kk_case_thread *t,
				  struct kk_case_vendor *v, int *open, struct kk_error *err)
{
	enum kk_result res;

	*open = 0;
	memset(v, 0, sizeof(*v));
	if (strcmp(t->kind, "finder_vendor") != 0 || !x->r.direct_contact || !x->c.id || t->case_id != x->c.id)
		return KK_OK;
	res = kk_case_vendors_load(tx, x->c.id, t->vendor_id, v, err);
	if (res == KK_ENOTFOUND)
		return KK_OK;
	*open = !res && v->finder_contact;
	return res;
}

/* The finder's threads into o: "thread" (with staff) and "direct" ([{"id",
 * "vendor", "messages"}]). */
static enum kk_result threads_json(struct kk_tx *tx, const struct finder_ctx *x, json_t *o, struct kk_error *err)
{
	struct kk_case_thread *t = NULL;
	size_t n = 0;
	json_t *staff = json_array(), *direct = json_array();
	enum kk_result res = staff && direct ? KK_OK : kk_error_nomem(err);

	if (!res)
		res = kk_case_threads_list(tx, 0, x->r.id, &t, &n, err);
	for (size_t i = 0; !res && i < n; i++) {
		struct msg_names names = { .for_finder = 1 };
		struct kk_case_vendor v;
		json_t *msgs, *d;
		int open = 0;

		if (strcmp(t[i].kind, "finder") == 0) {
			res = msg_thread_json(tx, &t[i], &names, staff, NULL, err);
			continue;
		}
		res = direct_open(tx, x, &t[i], &v, &open, err);
		if (!res && open) {
			names.vendor = case_vendor_name(v.name_ja, v.name_en);
			msgs = json_array();
			d = msgs ? json_pack("{s:I, s:s?, s:o}", "id", (json_int_t)t[i].id, "vendor", names.vendor,
					     "messages", msgs)
				 : NULL;
			if (!d || json_array_append_new(direct, d))
				res = kk_error_nomem(err);
			else
				res = msg_thread_json(tx, &t[i], &names, msgs, NULL, err);
		}
		kk_case_vendor_release(&v);
	}
	free(t);
	if (!res && (json_object_set(o, "thread", staff) || json_object_set(o, "direct", direct)))
		res = kk_error_nomem(err);
	json_decref(staff);
	json_decref(direct);
	return res;
}

enum kk_result kk_case_finder_view(struct kk_store *s, const char *secret, json_t **out, struct kk_error *err)
{
	struct finder_ctx x;
	struct kk_tx tx;
	json_t *o = NULL;
	int stage = -1;
	enum kk_result res;

	*out = NULL;
	res = finder_begin(s, 0, secret, &tx, &x, err);
	if (res)
		return res;
	/* a report not (yet) accepted has no stage: the status page says why */
	if (x.r.status == KK_REPORT_ACCEPTED)
		stage = ST_ACCEPTED;
	if (stage >= 0 && x.c.id)
		res = stage_of(&tx, &x.c, &stage, err);
	if (!res && !(o = json_pack("{s:s, s:s}", "tracking_id", x.r.tracking_id, "status",
				    kk_report_status_name(x.r.status))))
		res = kk_error_nomem(err);
	if (!res && put_stages(o, stage))
		res = kk_error_nomem(err);
	if (!res && json_object_set_new(o, "may_write", json_boolean(x.r.status == KK_REPORT_ACCEPTED)))
		res = kk_error_nomem(err);
	if (!res && put_date(o, stage, &x.c))
		res = kk_error_nomem(err);
	if (!res)
		res = lift_finder_json(&tx, &x, o, err);
	if (!res)
		res = threads_json(&tx, &x, o, err);
	finder_ctx_release(&x);
	res = kk_tx_end(&tx, res, err);
	if (res)
		json_decref(o);
	else
		*out = o;
	return res;
}

enum kk_result kk_case_finder_post(struct kk_store *s, const char *secret, const json_t *body, json_t **out,
				   struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	struct finder_ctx x;
	struct kk_tx tx;
	struct kk_case_thread t;
	struct kk_case_vendor v = { 0 };
	struct kk_case_message m = { 0 };
	struct msg_names names = { .for_finder = 1 };
	const json_t *question, *thread;
	const char *text = NULL;
	json_t *detail = NULL;
	int64_t now = kk_now(), thread_id = 0, waiting = 0;
	enum kk_result res;

	*out = NULL;
	if (!err) /* the validators collect field errors in one */
		err = &mine;
	if (!json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		goto out;
	}
	msg_text_field(body, "body", &text, err);
	question = json_object_get(body, "question");
	if (question && !json_is_null(question) && !json_is_boolean(question))
		kk_error_field(err, "question", "%s", _("Must be true or false."));
	thread = json_object_get(body, "thread");
	if (thread && !json_is_null(thread) && (!json_is_integer(thread) || (thread_id = json_integer_value(thread)) <= 0))
		kk_error_field(err, "thread", "%s", _("Must be the id of one of your threads."));
	if ((res = kk_error_result(err, KK_OK)) != KK_OK)
		goto out;
	res = finder_begin(s, 1, secret, &tx, &x, err);
	if (res)
		goto out;
	/* SPEC 2.13: the finder writes about an accepted report (before, intake
	 * has its decision to make and tell) */
	if (x.r.status != KK_REPORT_ACCEPTED) {
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("You can write to the staff once your report has been accepted."));
		goto done;
	}
	if (thread_id) {
		int open = 0;

		res = kk_case_threads_load(&tx, thread_id, &t, err);
		if (!res && t.report_id != x.r.id)
			res = KK_ENOTFOUND;
		if (!res)
			res = direct_open(&tx, &x, &t, &v, &open, err);
		if (!res && !open)
			res = KK_ENOTFOUND;
		if (res == KK_ENOTFOUND)
			res = kk_error_field(err, "thread", "%s", _("Must be the id of one of your threads."));
	} else {
		res = kk_case_threads_find(&tx, "finder", x.c.id, 0, x.r.id, 1, now, &t, err);
	}
	if (!res)
		res = kk_case_messages_waiting(&tx, t.id, &waiting, err);
	/* a flood from whoever holds the secret stops at what staff can read */
	if (!res && waiting >= KK_CASE_FINDER_WAITING_MAX)
		res = kk_error_set(err, KK_ETHROTTLED,
				   _("You have sent %d messages that have not been answered yet. Please wait for the answer."),
				   KK_CASE_FINDER_WAITING_MAX);
	if (res)
		goto done;
	m.thread_id = t.id;
	snprintf(m.author_kind, sizeof(m.author_kind), "finder");
	/* G IV.2.7: a question about progress waits for staff's answer */
	snprintf(m.kind, sizeof(m.kind), "%s", json_is_true(question) && !thread_id ? "question" : "message");
	m.body = (char *)text;
	m.created_at = now;
	res = kk_case_messages_insert(&tx, &m, err);
	if (!res && !(detail = json_pack("{s:I, s:s, s:I, s:s}", "thread", (json_int_t)t.id, "thread_kind", t.kind,
					 "message", (json_int_t)m.id, "kind", m.kind)))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_audit_record(&tx, &kk_anonymous, x.c.id ? "case" : "report", x.c.id ? x.c.id : x.r.id,
				      "message.post", NULL, NULL, detail, err);
	/* SPEC 1: the vendor in a direct thread gets the message, its text only encrypted (issue 11) */
	if (!res && thread_id)
		res = msg_notice_vendor(&tx, t.vendor_id, x.c.ref, x.c.id, text, err);
	if (!res) {
		names.vendor = thread_id ? case_vendor_name(v.name_ja, v.name_en) : NULL;
		if (!(*out = msg_json(&m, &names, NULL)))
			res = kk_error_nomem(err);
	}
	json_decref(detail);
done:
	kk_case_vendor_release(&v);
	finder_ctx_release(&x);
	res = case_end(&tx, res, out, err);
out:
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_case_finder_attachment_get(struct kk_store *s, const char *secret, int64_t message_id, int idx,
					     void **data, size_t *size, char **filename, char **content_type,
					     struct kk_error *err)
{
	struct finder_ctx x;
	struct kk_case_thread t;
	struct kk_case_vendor v = { 0 };
	struct kk_tx tx;
	enum kk_result res;
	int open = 0;

	*data = NULL;
	*size = 0;
	*filename = *content_type = NULL;
	res = finder_begin(s, 0, secret, &tx, &x, err);
	if (res)
		return res;
	res = msg_thread_of(&tx, message_id, &t, err);
	/* SPEC 1: only the finder's own threads, a direct one while it is open */
	if (!res && t.report_id != x.r.id)
		res = KK_ENOTFOUND;
	if (!res && strcmp(t.kind, "finder") != 0 && !(res = direct_open(&tx, &x, &t, &v, &open, err)) && !open)
		res = KK_ENOTFOUND;
	res = msg_attachment_end(&tx, res, message_id, idx, data, size, filename, content_type, err);
	kk_case_vendor_release(&v);
	finder_ctx_release(&x);
	return res;
}
