/*
 * ticker.c: the scheduler inside a server (schedule.h kk_ticker; issue 10,
 * SPEC 8): one thread that runs kk_tick at once and then every few seconds
 * (a minute in `keikai serve`) until it is stopped. It sleeps on a condition
 * variable, so stopping wakes it at once and waits for a tick in progress to
 * end (each reminder commits on its own, so none is cut in half). Every
 * tick's outcome goes to the log callback: a failure is never dropped.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/schedule.h"

struct kk_ticker {
	struct kk_store *store;
	unsigned seconds;
	kk_ticker_log_fn *log;
	void *arg;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int stopping;
};

static void *run(void *p)
{
	struct kk_ticker *t = p;

	for (;;) {
		struct kk_error err = KK_ERROR_INIT;
		json_t *out = NULL;
		enum kk_result res = kk_tick(t->store, &out, &err);
		struct timespec until;
		int stop;

		if (t->log)
			t->log(res, &err, out, t->arg);
		json_decref(out);
		kk_error_release(&err);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += t->seconds;
		pthread_mutex_lock(&t->lock);
		while (!t->stopping && pthread_cond_timedwait(&t->wake, &t->lock, &until) != ETIMEDOUT)
			;
		stop = t->stopping;
		pthread_mutex_unlock(&t->lock);
		if (stop)
			return NULL;
	}
}

enum kk_result kk_ticker_start(struct kk_store *s, unsigned seconds, kk_ticker_log_fn *log, void *arg,
			       struct kk_ticker **out, struct kk_error *err)
{
	struct kk_ticker *t = kk_calloc(1, sizeof(*t));
	pthread_condattr_t ca;

	*out = NULL;
	if (!t)
		return kk_error_nomem(err);
	t->store = s;
	t->seconds = seconds ? seconds : 60;
	t->log = log;
	t->arg = arg;
	pthread_mutex_init(&t->lock, NULL);
	/* the monotonic clock: a change of the wall clock does not stall it */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&t->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&t->thread, NULL, run, t) != 0) {
		pthread_cond_destroy(&t->wake);
		pthread_mutex_destroy(&t->lock);
		free(t);
		return kk_error_set(err, KK_EIO, "%s", _("The scheduler's thread could not be started."));
	}
	*out = t;
	return KK_OK;
}

void kk_ticker_stop(struct kk_ticker *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stopping = 1;
	pthread_cond_signal(&t->wake);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->wake);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
