/*
 * unreachable.c: the clock "unreachable" (schedule.h; SPEC 4.3, 8,
 * G IV.3(2)): clock_unreachable_months months after day 0, a vendor of the
 * case whose statuses are still "no response" or "unreachable" makes
 * coordination impossible: the coordinator is alerted, for the
 * publication-judgment committee decides what follows (SPEC 4.3-4.6; a later
 * issue). A vendor that answers ends the wait.
 */
#include <stdio.h>

#include "internal.h"

static void when(const struct sched *s, const struct kk_due *d, struct sched_item *it)
{
	snprintf(it->occasion, sizeof(it->occasion), "months-%d", s->set.unreachable_months);
	/* SPEC 4.3: six months or more from day 0 (calendar months, in Japan) */
	it->due_at = sched_add_months(d->t0, s->set.unreachable_months);
	it->n = s->set.unreachable_months;
}

static const struct sched_due_spec unreachable = { "unreachable", "case_vendor", "unreachable", kk_due_unreachable,
						    when, sched_fire_coordinator };

enum kk_result sched_collect_unreachable(struct sched *s, struct kk_tx *tx, struct sched_items *out,
					 struct kk_error *err)
{
	return sched_collect_dues(s, tx, &unreachable, out, err);
}
