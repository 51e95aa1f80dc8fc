/*
 * ack.c: the clock "ack" (schedule.h; SPEC 8, ISO/IEC 29147 §7.3): a report
 * must be acknowledged -- accepted or rejected, SPEC 2.2 -- within
 * clock_ack_days days of its receipt; one still 'received' then is a
 * reminder to intake. The report's status leaving 'received' ends the wait.
 */
#include <stdio.h>

#include "internal.h"

static void when(const struct sched *s, const struct kk_due *d, struct sched_item *it)
{
	snprintf(it->occasion, sizeof(it->occasion), "ack");
	/* SPEC 8: calendar days, counted from the moment of receipt */
	it->due_at = d->t0 + (int64_t)s->set.ack_days * 86400;
	it->at = d->t0;
}

static const struct sched_due_spec ack = { "ack", "report", "ack", kk_due_unacknowledged, when, sched_fire_intake };

enum kk_result sched_collect_ack(struct sched *s, struct kk_tx *tx, struct sched_items *out, struct kk_error *err)
{
	return sched_collect_dues(s, tx, &ack, out, err);
}
