/*
 * periodic.c: a job run at once and then every few seconds on a thread of its
 * own (periodic.h).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/periodic.h"

struct kk_periodic {
	unsigned seconds;
	kk_periodic_fn *fn;
	void *arg;
	enum kk_lang lang;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	atomic_int stopping;
};

static void *run(void *arg)
{
	struct kk_periodic *p = arg;

	kk_i18n_use(p->lang);
	for (;;) {
		struct timespec until;
		int stop;

		p->fn(p->arg, &p->stopping);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += p->seconds;
		pthread_mutex_lock(&p->lock);
		while (!atomic_load(&p->stopping) && pthread_cond_timedwait(&p->wake, &p->lock, &until) != ETIMEDOUT)
			;
		stop = atomic_load(&p->stopping);
		pthread_mutex_unlock(&p->lock);
		if (stop)
			return NULL;
	}
}

enum kk_result kk_periodic_start(unsigned seconds, kk_periodic_fn *fn, void *arg, struct kk_periodic **out)
{
	struct kk_periodic *p = kk_calloc(1, sizeof(*p));
	pthread_condattr_t ca;

	*out = NULL;
	if (!p)
		return KK_ENOMEM;
	p->seconds = seconds;
	p->fn = fn;
	p->arg = arg;
	p->lang = kk_i18n_current();
	atomic_init(&p->stopping, 0);
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&p->thread, NULL, run, p) != 0) {
		pthread_cond_destroy(&p->wake);
		pthread_mutex_destroy(&p->lock);
		free(p);
		return KK_EIO;
	}
	*out = p;
	return KK_OK;
}

void kk_periodic_stop(struct kk_periodic *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	atomic_store(&p->stopping, 1);
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	pthread_cond_destroy(&p->wake);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
