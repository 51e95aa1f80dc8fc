/*
 * publish.c: the clock that publishes advisories (schedule.h; issue 12 item
 * 4, SPEC 2.8, 6). Every approved advisory of an open case whose date is
 * ready -- the clock date_reached, which runs just before this one in the
 * same tick, made it so at the agreed minute -- is published by keikai
 * itself (kk_advisory_publish, as kk_system_user): its public ID, the
 * notices and the reminder row in one transaction, so a tick run twice
 * publishes nothing twice. An advisory approved after its date publishes at
 * the next tick; a called-off date is never ready, so it never publishes.
 */
#include <stdio.h>

#include "keikai/advisory.h"
#include "internal.h"
#include "store/advisories.h"

static enum kk_result fire_publish(struct sched *s, struct kk_tx *tx, const struct sched_item *it,
				   struct kk_error *err)
{
	(void)s;
	return kk_advisory_publish(tx, &kk_system_user, it->object_id, err);
}

static void publish_when(const struct sched *s, const struct kk_due *d, struct sched_item *it)
{
	(void)s;
	/* one publication per advisory, at the case's minute (never before: the flow's guard) */
	snprintf(it->occasion, sizeof(it->occasion), "%s", "publish");
	it->due_at = d->t0;
	it->at = d->t0;
}

static const struct sched_due_spec publish = { "publish", "advisory", "publish", kk_due_advisories, publish_when,
						fire_publish };

enum kk_result sched_collect_publish(struct sched *s, struct kk_tx *tx, struct sched_items *out, struct kk_error *err)
{
	return sched_collect_dues(s, tx, &publish, out, err);
}
