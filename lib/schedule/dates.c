/*
 * dates.c: the clocks of the publication date (schedule.h; SPEC 2.8, 8,
 * G IV.4.3-4.4). date_approach reminds every party -- each notified vendor at
 * its primary e-mail address in its language, intake and the case's
 * coordinator -- clock_date_reminders business days before the one date; the
 * occasion names the date, so moving it arms the reminders again. When
 * several are due at once (a tick missed, a date set close) only the nearest
 * is sent: a vendor told "3 days left" needs no "7 days left" after it.
 * date_reached makes the case ready to publish when its date comes
 * (kk_case_date_reach, which tells the parties); nothing becomes public here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/outbox.h"
#include "keikai/util.h"
#include "internal.h"
#include "mail_templates.h"
#include "store/case_vendors.h"

#define REMINDER_MAX 16384

/* The reminder to one vendor in its language (reminder_date.txt). */
static enum kk_result tell_vendor(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				  const struct kk_case_vendor *cv, struct kk_error *err)
{
	enum kk_lang lang = sched_lang(cv->preferred_lang);
	const char *name = lang == KK_LANG_EN ? (cv->name_en ? cv->name_en : cv->name_ja)
					      : (cv->name_ja ? cv->name_ja : cv->name_en);
	char when[KK_TIME_TEXT_LEN], *address = NULL, *text = NULL;
	struct kk_buf url, b;
	enum kk_result res = kk_case_vendor_email(tx, cv->vendor_id, &address, err);

	/* SPEC 2.8: a vendor without a valid e-mail address sees the date in keikai */
	if (res == KK_ENOTFOUND)
		return KK_OK;
	if (res)
		return res;
	kk_buf_init(&url, 4096);
	kk_buf_init(&b, REMINDER_MAX);
	kk_buf_adds(&url, s->set.base_url);
	kk_buf_adds(&url, "/cases/");
	kk_buf_add_urlenc(&url, it->ref);
	res = kk_buf_result(&url);
	kk_time_text(it->at, lang, NULL, when);
	if (!res)
		res = tmpl_reminder_date(&b, lang, it->ref, name ? name : "", when, (long long)it->n, url.data);
	if (!res && !(text = kk_buf_detach(&b)))
		res = KK_ENOMEM;
	if (res)
		res = res == KK_ENOMEM ? kk_error_nomem(err)
				       : kk_error_set(err, KK_ETOOBIG, "%s", _("The reminder to the vendor could not be written."));
	else
		res = kk_outbox_queue_text(tx, "date_reminder", address, text, kk_lang_code(lang), 0, it->case_id, NULL,
					   err);
	free(text);
	free(address);
	kk_buf_release(&url);
	kk_buf_release(&b);
	return res;
}

/* SPEC 2.8: every party: the notified vendors, intake, the coordinator. */
static enum kk_result fire_approach(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				    struct kk_error *err)
{
	struct kk_case_vendor *cvs = NULL;
	size_t n = 0;
	enum kk_result res = kk_case_vendors_list(tx, it->case_id, &cvs, &n, err);

	for (size_t i = 0; !res && i < n; i++)
		if (cvs[i].notified_at)
			res = tell_vendor(s, tx, it, &cvs[i], err);
	kk_case_vendors_free(cvs, n);
	if (!res)
		res = sched_alert_staff(s, tx, it, 1, 1, err);
	return res;
}

enum kk_result sched_collect_date_approach(struct sched *s, struct kk_tx *tx, struct sched_items *out,
					   struct kk_error *err)
{
	struct kk_due *d = NULL;
	size_t n = 0;
	enum kk_result res = kk_due_set_dates(tx, &d, &n, err);

	for (size_t i = 0; !res && i < n; i++) {
		kk_day day = kk_day_of_time(d[i].t0);
		int passed = -1, next = -1;

		if (d[i].t0 <= s->now)
			continue; /* date_reached's */
		/* the list is largest first: the last one passed is the nearest */
		for (size_t k = 0; k < s->set.n_date_reminders; k++) {
			kk_day at = kk_calendar_sub_business(s->cal, day, s->set.date_reminders[k]);

			if (sched_day_start(at) <= s->now)
				passed = (int)k;
			else
				next = (int)k;
		}
		for (int pick = 0; !res && pick < 2; pick++) {
			int k = pick ? next : passed;
			struct sched_item *it;

			if (k < 0)
				continue;
			if (!(it = sched_item_new(out))) {
				res = kk_error_nomem(err);
				break;
			}
			res = sched_item_from(it, &d[i], err);
			it->clock = "date_approach";
			it->object_type = "case";
			it->n = s->set.date_reminders[k];
			/* the date in the occasion: a moved date arms the reminders again */
			snprintf(it->occasion, sizeof(it->occasion), "%lld-%d", (long long)d[i].t0,
				 s->set.date_reminders[k]);
			it->due_at = sched_day_start(kk_calendar_sub_business(s->cal, day, s->set.date_reminders[k]));
			it->what = "date_approach";
			it->at = d[i].t0;
			it->fire = fire_approach;
			/* a reminder sent waits on no one: the dashboard shows the next */
			it->hidden = !pick;
		}
	}
	kk_dues_free(d, n);
	return res;
}

static enum kk_result fire_reached(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				   struct kk_error *err)
{
	(void)s;
	/* SPEC 8: set -> ready, as keikai; the date flow tells the parties */
	return kk_case_date_reach(tx, it->case_id, err);
}

static void reached_when(const struct sched *s, const struct kk_due *d, struct sched_item *it)
{
	(void)s;
	snprintf(it->occasion, sizeof(it->occasion), "%lld", (long long)d->t0);
	it->due_at = d->t0;
	it->at = d->t0;
}

static const struct sched_due_spec reached = { "date_reached", "case", "date_reached", kk_due_set_dates,
						reached_when, fire_reached };

enum kk_result sched_collect_date_reached(struct sched *s, struct kk_tx *tx, struct sched_items *out,
					  struct kk_error *err)
{
	return sched_collect_dues(s, tx, &reached, out, err);
}
