/*
 * periodic.h: a thread inside a server that runs a job at once and then every
 * few seconds until it is stopped (the scheduler's ticker, schedule.h; the
 * delivery worker, deliver.h). It sleeps on a condition variable over the
 * monotonic clock, so stopping wakes it at once and a change of the wall
 * clock does not stall it; stopping waits for a run in progress, which sees
 * the stop flag and may end early. It runs in the language of the thread that
 * started it, so what it logs is in the operator's language.
 */
#ifndef KEIKAI_PERIODIC_H
#define KEIKAI_PERIODIC_H

#include <stdatomic.h>

#include "keikai/error.h"

/* One run; stopping is set once kk_periodic_stop is called. */
typedef void kk_periodic_fn(void *arg, const atomic_int *stopping);

struct kk_periodic;

/* Starts the thread; KK_EIO when it cannot be made (err's message is what,
 * naming it, the caller says). */
enum kk_result kk_periodic_start(unsigned seconds, kk_periodic_fn *fn, void *arg, struct kk_periodic **out);

/* Stops the thread, waits for it and frees; accepts NULL. */
void kk_periodic_stop(struct kk_periodic *p);

#endif
