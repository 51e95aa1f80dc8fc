/*
 * lift.c: the clock "lift" (schedule.h; SPEC 2.12, 8, G IV.2.4, IV.3(1)11):
 * clock_lift_days days after day 0 each finder of the case may ask to lift
 * the request not to disclose. Each finder is told by mail, in its report's
 * language, with its tracking number only (templates/mail/reminder_lift.txt;
 * its status page offers the request, lib/case/lift*.c), and staff are
 * alerted once per case. A lift request staff have not answered for
 * clock_question_business_days business days is a reminder to staff, who
 * must answer and explain any justified delay of the vendors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/outbox.h"
#include "keikai/util.h"
#include "internal.h"
#include "mail_templates.h"

#define LIFT_MAX 16384

/* SPEC 2.12: the finder is told, when keikai still has its address (SPEC 1:
 * finder contact data is deleted when handling ends). */
static enum kk_result tell_finder(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				  struct kk_error *err)
{
	enum kk_lang lang = sched_lang(it->lang);
	struct kk_buf b;
	char *text = NULL;
	enum kk_result res;

	(void)s;
	if (!it->address || !*it->address)
		return KK_OK;
	kk_buf_init(&b, LIFT_MAX);
	res = tmpl_reminder_lift(&b, lang, it->tracking_id, NULL);
	if (!res && !(text = kk_buf_detach(&b)))
		res = KK_ENOMEM;
	kk_buf_release(&b);
	if (res == KK_ENOMEM)
		return kk_error_nomem(err);
	if (res)
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The message to the finder could not be written."));
	res = kk_outbox_queue_text(tx, "lift_reminder", it->address, text, kk_lang_code(lang), it->report_id, 0, NULL,
				   err);
	free(text);
	return res;
}

static enum kk_result lift_open(struct sched *s, struct kk_tx *tx, struct sched_items *out, struct kk_error *err)
{
	struct kk_due *d = NULL;
	size_t n = 0;
	enum kk_result res = kk_due_case_finders(tx, &d, &n, err);

	for (size_t i = 0; !res && i < n; i++) {
		int64_t due = d[i].t0 + (int64_t)s->set.lift_days * 86400;
		struct sched_item *it;

		/* staff once per case (the rows come case by case) */
		if (i == 0 || d[i].case_id != d[i - 1].case_id) {
			if (!(it = sched_item_new(out)))
				return kk_error_nomem(err);
			res = sched_item_from(it, &d[i], err);
			free(it->vendor_ja);
			free(it->address);
			it->vendor_ja = it->address = NULL;
			it->report_id = 0;
			it->clock = "lift";
			it->object_type = "case";
			snprintf(it->occasion, sizeof(it->occasion), "lift_open");
			it->due_at = due;
			it->what = "lift_open";
			it->at = d[i].t0;
			it->fire = sched_fire_staff;
			/* once told, it waits on no one (a request is its own item) */
			it->hidden = due <= s->now;
		}
		if (res)
			break;
		if (!(it = sched_item_new(out)))
			return kk_error_nomem(err);
		res = sched_item_from(it, &d[i], err);
		/* name_ja of the row is the finder's label */
		it->finder = it->vendor_ja;
		it->vendor_ja = NULL;
		it->clock = "lift";
		it->object_type = "report";
		it->object_id = d[i].report_id;
		snprintf(it->occasion, sizeof(it->occasion), "lift_open");
		it->due_at = due;
		it->what = "lift_finder";
		it->fire = tell_finder;
		it->hidden = 1; /* the case's row stands for its finders */
	}
	kk_dues_free(d, n);
	return res;
}

static void request_when(const struct sched *s, const struct kk_due *d, struct sched_item *it)
{
	snprintf(it->occasion, sizeof(it->occasion), "unanswered");
	it->due_at = sched_business_due(s, d->t0, s->set.question_days);
	it->at = d->t0;
}

static const struct sched_due_spec requests = { "lift", "lift_request", "lift_request", kk_due_lift_requests,
						 request_when, sched_fire_staff };

enum kk_result sched_collect_lift(struct sched *s, struct kk_tx *tx, struct sched_items *out, struct kk_error *err)
{
	enum kk_result res = lift_open(s, tx, out, err);

	return res ? res : sched_collect_dues(s, tx, &requests, out, err);
}
