/*
 * deliver.c: a delivery run and the delivery thread of keikai serve
 * (deliver.h; issue 11, item 1). For each due message, in id order:
 *
 *   1. one write transaction claims it (tries + 1, status sending) and
 *      composes it (mail.h; an unusable key is reported to staff in the same
 *      transaction), and commits: the claim is durable before the relay
 *      hears of the message;
 *   2. the relay is given the message (smtp.h);
 *   3. a second write transaction records the outcome, guarded by the claim.
 *
 * A crash between 2 and 3 leaves the claim to expire (the lease), and the
 * message goes again with the same Message-ID: at least once, recorded once.
 * A message that cannot be composed keeps its claim (the try counts) and is
 * tried again later, like a relay's 4xx, so a broken one ends as failed
 * after smtp.max_tries rather than blocking the queue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keikai/alloc.h"
#include "keikai/clock.h"
#include "keikai/deliver.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/periodic.h"
#include "keikai/pgp.h"
#include "keikai/smtp.h"

/* What a run shares between its messages. */
struct run {
	struct kk_store *store;
	struct kk_pgp *pgp;
	struct kk_smtp *smtp;
	const struct kk_smtp_config *config;
	kk_deliver_log_fn *log;
	void *arg;
	struct kk_deliver_counts *counts;
};

static enum kk_result config_read(struct kk_store *s, struct kk_smtp_config *c, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);

	if (res)
		return res;
	res = kk_tx_end(&tx, kk_smtp_config_load(&tx, c, err), err);
	if (res)
		return res;
	/* issue 11: nothing goes out before the operator names the relay and the sender */
	if (!c->url[0] || !c->from[0]) {
		res = kk_error_set(err, KK_ECONFLICT,
				   _("%s is not set, so no message can be sent (keikai config set --db DB %s VALUE)."),
				   !c->url[0] ? "smtp.url" : "smtp.from", !c->url[0] ? "smtp.url" : "smtp.from");
		kk_smtp_config_release(c);
	}
	return res;
}

/* Step 1: claims the next due message after *after and composes it; a
 * compose that fails is undone alone (a savepoint), the claim stays and
 * *compose_error says why. KK_ENOTFOUND when nothing more is due. */
static enum kk_result claim(struct run *r, int64_t *after, struct kk_outbox_claim *c, struct kk_mail_out *out,
			    char *compose_error, size_t size, struct kk_error *err)
{
	struct kk_tx tx;
	struct kk_error cerr = KK_ERROR_INIT;
	enum kk_result res = kk_tx_begin(r->store, 1, &tx, err);

	if (res)
		return res;
	if ((res = kk_outbox_claim_next(&tx, *after, kk_now(), c, err)))
		return kk_tx_end(&tx, res, err);
	*after = c->msg.id;
	if ((res = kk_tx_exec(&tx, "SAVEPOINT compose", err)))
		return kk_tx_end(&tx, res, err);
	if (kk_mail_compose(&tx, r->pgp, &c->msg, out, &cerr) == KK_OK) {
		res = kk_tx_exec(&tx, "RELEASE SAVEPOINT compose", err);
	} else {
		snprintf(compose_error, size, "%s: %s", _("the message could not be composed"),
			 cerr.msg[0] ? cerr.msg : _("failed"));
		kk_mail_out_release(out);
		res = kk_tx_exec(&tx, "ROLLBACK TO SAVEPOINT compose", err);
	}
	kk_error_release(&cerr);
	res = kk_tx_end(&tx, res, err);
	if (res) {
		kk_mail_out_release(out);
		kk_outbox_claim_release(c);
	}
	return res;
}

/* Step 3: records what the try came to and tells the log. */
static enum kk_result record(struct run *r, const struct kk_outbox_claim *c, const struct kk_mail_out *out,
			     const struct kk_smtp_result *sr, struct kk_error *err)
{
	struct kk_deliver_outcome o = { .id = c->msg.id, .recipient = c->msg.recipient, .tries = c->tries };
	int64_t now = kk_now();
	struct kk_tx tx;
	int recorded = 0;
	enum kk_result res = kk_tx_begin(r->store, 1, &tx, err);

	if (res)
		return res;
	if (sr->outcome == KK_SMTP_SENT) {
		res = kk_outbox_record_sent(&tx, c, now, out->message_id, out->encrypted, &recorded, err);
		o.state = "sent";
		o.message_id = out->message_id;
		o.encrypted = out->encrypted;
	} else if (sr->outcome == KK_SMTP_TRANSIENT && c->tries < r->config->max_tries) {
		o.next_at = now + kk_deliver_backoff(c->tries);
		res = kk_outbox_record_retry(&tx, c, o.next_at, sr->error, &recorded, err);
		o.state = "queued";
		o.error = sr->error;
	} else {
		/* a 5xx, or the last try failed: the contact failed too (SPEC 2.6, 8) */
		res = kk_outbox_record_failed(&tx, c, sr->error, &recorded, err);
		o.state = "failed";
		o.error = sr->error;
	}
	if ((res = kk_tx_end(&tx, res, err)))
		return res;
	if (!recorded)
		r->counts->lost++;
	else if (sr->outcome == KK_SMTP_SENT)
		r->counts->sent++;
	else if (o.state[0] == 'q')
		r->counts->retry++;
	else
		r->counts->failed++;
	if (recorded && r->log)
		r->log(&o, r->arg);
	return KK_OK;
}

enum kk_result kk_deliver_due(struct kk_store *s, const atomic_int *stop, kk_deliver_log_fn *log, void *arg,
			      struct kk_deliver_counts *counts, struct kk_error *err)
{
	struct kk_smtp_config config;
	struct run r = { .store = s, .config = &config, .log = log, .arg = arg, .counts = counts };
	int64_t due, after = 0;
	enum kk_result res;

	memset(counts, 0, sizeof(*counts));
	if ((res = config_read(s, &config, err)))
		return res;
	if ((res = kk_outbox_due_count(s, kk_now(), &due, err)) || due == 0)
		goto out;
	if ((res = kk_pgp_open(s, &r.pgp, err)) || (res = kk_smtp_open(&config, stop, &r.smtp, err)))
		goto out;
	while (!(stop && atomic_load(stop))) {
		struct kk_outbox_claim c;
		struct kk_mail_out m;
		struct kk_smtp_result sr;

		memset(&m, 0, sizeof(m));
		memset(&sr, 0, sizeof(sr));
		res = claim(&r, &after, &c, &m, sr.error, sizeof(sr.error), err);
		if (res == KK_ENOTFOUND) {
			res = KK_OK;
			break;
		}
		if (res)
			break;
		if (sr.error[0])
			sr.outcome = KK_SMTP_TRANSIENT; /* not composed: not sent */
		else
			kk_smtp_send(r.smtp, &m, &sr);
		res = record(&r, &c, &m, &sr, err);
		kk_mail_out_release(&m);
		kk_outbox_claim_release(&c);
		if (res)
			break;
	}
out:
	kk_smtp_close(r.smtp);
	kk_pgp_close(r.pgp);
	kk_smtp_config_release(&config);
	return res;
}

/* ---- the thread inside keikai serve ---- */

struct kk_deliverer {
	struct kk_store *store;
	kk_deliver_log_fn *log;
	kk_deliverer_fail_fn *fail;
	void *arg;
	struct kk_periodic *thread;
};

/* One run; the stop flag also ends a transfer in progress (smtp.c) */
static void deliverer_run(void *p, const atomic_int *stopping)
{
	struct kk_deliverer *d = p;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_deliver_counts counts;
	enum kk_result res = kk_deliver_due(d->store, stopping, d->log, d->arg, &counts, &err);

	/* KK_ECONFLICT: no relay set; the operator may set one while we wait */
	if (res && res != KK_ECONFLICT && d->fail)
		d->fail(&err, d->arg);
	kk_error_release(&err);
}

enum kk_result kk_deliverer_start(struct kk_store *s, unsigned seconds, kk_deliver_log_fn *log,
				  kk_deliverer_fail_fn *fail, void *arg, struct kk_deliverer **out,
				  struct kk_error *err)
{
	struct kk_deliverer *d = kk_calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return kk_error_nomem(err);
	d->store = s;
	d->log = log;
	d->fail = fail;
	d->arg = arg;
	if (kk_periodic_start(seconds ? seconds : 10, deliverer_run, d, &d->thread) != KK_OK) {
		free(d);
		return kk_error_set(err, KK_EIO, "%s", _("The delivery thread could not be started."));
	}
	*out = d;
	return KK_OK;
}

void kk_deliverer_stop(struct kk_deliverer *d)
{
	if (!d)
		return;
	kk_periodic_stop(d->thread);
	free(d);
}
