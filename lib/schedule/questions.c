/*
 * questions.c: the clock "finder_question" (schedule.h; SPEC 2.13, 8,
 * G IV.2.7): a finder may ask for progress at any time and gets an answer; a
 * question still unanswered clock_question_business_days business days after
 * it was asked is a reminder to intake, which answers finders. Staff's answer
 * in the thread ends the wait (answered_at, lib/case/messages.c).
 */
#include <stdio.h>

#include "internal.h"

static void when(const struct sched *s, const struct kk_due *d, struct sched_item *it)
{
	snprintf(it->occasion, sizeof(it->occasion), "unanswered");
	it->due_at = sched_business_due(s, d->t0, s->set.question_days);
	it->at = d->t0;
}

static const struct sched_due_spec questions = { "finder_question", "message", "finder_question",
						  kk_due_questions, when, sched_fire_intake };

enum kk_result sched_collect_questions(struct sched *s, struct kk_tx *tx, struct sched_items *out,
				       struct kk_error *err)
{
	return sched_collect_dues(s, tx, &questions, out, err);
}
