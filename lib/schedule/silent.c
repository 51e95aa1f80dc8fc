/*
 * silent.c: the clock "vendor_silent" (schedule.h; SPEC 2.6, 4.1, 8,
 * G IV.4.2, R §5.1.2). A vendor notified of a case that has neither answered
 * the summary nor reported anything is silent; clock_silent_business_days
 * business days after its last contact attempt keikai tries the next channel:
 * the summary notice again (notify.c's case_notice_send, as keikai: a contact
 * attempt of stage "reminder") to the vendor's next valid e-mail contact not
 * yet tried in this case. When clock_silent_rounds such rounds brought
 * nothing, or no untried address is left, the vendor's statuses become
 * "no_response" (fired by kk_system_user on the status table) and the
 * coordinator is alerted, and alerted once more for each postal, phone, fax or
 * web-form contact, which keikai cannot use and a person must (SPEC 4.1: every
 * channel is tried before a vendor is "unreachable", which stays the
 * coordinator's call). An answer or a status from the vendor ends the wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "case/internal.h"
#include "case/vendor_status.h"
#include "internal.h"

/* Loads the case and the vendor's standing in it. */
static enum kk_result load(struct kk_tx *tx, const struct sched_item *it, struct case_ctx *cx,
			   struct kk_case_vendor *cv, struct kk_error *err)
{
	enum kk_result res;

	memset(cx, 0, sizeof(*cx));
	memset(cv, 0, sizeof(*cv));
	res = kk_cases_load(tx, NULL, it->case_id, &cx->c, err);
	if (!res)
		res = kk_case_vendors_load(tx, it->case_id, it->vendor_id, cv, err);
	return res;
}

/* SPEC 2.6, 4.1: the summary notice again, on the next e-mail address. */
static enum kk_result fire_renotify(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				    struct kk_error *err)
{
	struct case_ctx cx;
	struct kk_case_vendor cv;
	int64_t day0 = 0;
	json_t *detail = NULL;
	enum kk_result res = load(tx, it, &cx, &cv, err);

	if (!res)
		res = case_notice_send(tx, &kk_system_user, &cx, &cv, it->address, s->set.base_url, s->now, 0, err);
	if (!res)
		res = case_notice_done(tx, &cx, s->now, &day0, err);
	if (!res) {
		detail = json_pack("{s:I, s:s, s:I}", "vendor_id", (json_int_t)it->vendor_id, "address", it->address,
				   "round", (json_int_t)it->n);
		res = detail ? kk_audit_record(tx, &kk_system_user, "case", it->case_id, "vendor.renotify", NULL, NULL,
					       detail, err)
			     : kk_error_nomem(err);
	}
	json_decref(detail);
	kk_case_vendor_release(&cv);
	case_ctx_release(&cx);
	return res;
}

/* G IV.4.2, SPEC 2.11: no answer: "no_response" on every status that may
 * take it, and the coordinator is told. */
static enum kk_result fire_no_response(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				       struct kk_error *err)
{
	struct case_ctx cx;
	struct kk_case_vendor cv;
	enum kk_result res = load(tx, it, &cx, &cv, err);

	if (!res)
		res = case_status_fire_from(tx, &kk_system_user, &cv, "no_response", NULL, NULL, NULL, err);
	if (!res)
		res = sched_alert_staff(s, tx, it, 0, 1, err);
	kk_case_vendor_release(&cv);
	case_ctx_release(&cx);
	return res;
}

/* The items of one silent vendor d, due at due. */
static enum kk_result vendor_items(struct sched *s, struct kk_tx *tx, const struct kk_due *d, int64_t due,
				   struct sched_items *out, struct kk_error *err)
{
	struct kk_channel *ch = NULL;
	const struct kk_channel *next = NULL;
	size_t n = 0;
	struct sched_item *it;
	enum kk_result res = kk_due_channels(tx, d->case_id, d->vendor_id, &ch, &n, err);

	for (size_t i = 0; !res && !next && i < n; i++)
		if (!strcmp(ch[i].channel, "email") && !ch[i].tried)
			next = &ch[i];
	if (!res && d->n < s->set.silent_rounds && next) {
		if (!(it = sched_item_new(out)))
			res = kk_error_nomem(err);
		else if (!(res = sched_item_from(it, d, err))) {
			it->clock = "vendor_silent";
			it->object_type = "case_vendor";
			/* one occasion per round: a round fires once */
			snprintf(it->occasion, sizeof(it->occasion), "round-%lld", (long long)d->n + 1);
			it->due_at = due;
			it->what = "renotify";
			it->n = d->n + 1;
			it->channel = kk_strdup("email");
			it->address = kk_strdup(next->value);
			if (!it->channel || !it->address)
				res = kk_error_nomem(err);
			it->fire = fire_renotify;
		}
		goto out;
	}
	/* SPEC 4.1: what only a person can use, each its own reminder; first,
	 * so that "no_response" (which ends the wait) comes last */
	for (size_t i = 0; !res && i < n; i++) {
		if (!strcmp(ch[i].channel, "email"))
			continue;
		if (!(it = sched_item_new(out))) {
			res = kk_error_nomem(err);
			break;
		}
		if ((res = sched_item_from(it, d, err)))
			break;
		it->clock = "vendor_silent";
		it->object_type = "case_vendor";
		snprintf(it->occasion, sizeof(it->occasion), "channel-%lld", (long long)ch[i].id);
		it->due_at = due;
		it->what = "channel";
		it->channel = kk_strdup(ch[i].channel);
		it->address = kk_strdup(ch[i].value);
		if (!it->channel || !it->address)
			res = kk_error_nomem(err);
		it->fire = sched_fire_coordinator;
		it->hidden = 1; /* the no_response row stands for them while waiting */
	}
	if (!res && !(it = sched_item_new(out)))
		res = kk_error_nomem(err);
	if (!res && !(res = sched_item_from(it, d, err))) {
		it->clock = "vendor_silent";
		it->object_type = "case_vendor";
		snprintf(it->occasion, sizeof(it->occasion), "no_response");
		it->due_at = due;
		it->what = "no_response";
		it->n = d->n;
		it->fire = fire_no_response;
	}
out:
	kk_channels_free(ch, n);
	return res;
}

enum kk_result sched_collect_silent(struct sched *s, struct kk_tx *tx, struct sched_items *out,
				    struct kk_error *err)
{
	struct kk_due *d = NULL;
	size_t n = 0;
	enum kk_result res = kk_due_silent_vendors(tx, &d, &n, err);

	for (size_t i = 0; !res && i < n; i++)
		/* SPEC 8: business days from the last contact attempt */
		res = vendor_items(s, tx, &d[i], sched_business_due(s, d[i].t0, s->set.silent_days), out, err);
	kk_dues_free(d, n);
	return res;
}
