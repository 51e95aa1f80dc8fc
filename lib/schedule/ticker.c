/*
 * ticker.c: the scheduler inside a server (schedule.h kk_ticker; issue 10,
 * SPEC 8): kk_tick at once and then every few seconds (a minute in `keikai
 * serve`) on a thread of its own (periodic.h) until it is stopped, which
 * waits for a tick in progress to end (each reminder commits on its own, so
 * none is cut in half). Every tick's outcome goes to the log callback: a
 * failure is never dropped.
 */
#include <stdlib.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/periodic.h"
#include "keikai/schedule.h"

struct kk_ticker {
	struct kk_store *store;
	kk_ticker_log_fn *log;
	void *arg;
	struct kk_periodic *thread;
};

static void run(void *p, const atomic_int *stopping)
{
	struct kk_ticker *t = p;
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL;
	enum kk_result res = kk_tick(t->store, &out, &err);

	(void)stopping; /* each reminder commits on its own: a tick ends whole */
	if (t->log)
		t->log(res, &err, out, t->arg);
	json_decref(out);
	kk_error_release(&err);
}

enum kk_result kk_ticker_start(struct kk_store *s, unsigned seconds, kk_ticker_log_fn *log, void *arg,
			       struct kk_ticker **out, struct kk_error *err)
{
	struct kk_ticker *t = kk_calloc(1, sizeof(*t));

	*out = NULL;
	if (!t)
		return kk_error_nomem(err);
	t->store = s;
	t->log = log;
	t->arg = arg;
	if (kk_periodic_start(seconds ? seconds : 60, run, t, &t->thread) != KK_OK) {
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
	kk_periodic_stop(t->thread);
	free(t);
}
