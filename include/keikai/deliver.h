/*
 * deliver.h: the outbox goes out (issue 11, item 1). A message moves through
 * the delivery table (lib/mail/deliver_flow.c, docs/internals/delivery.md):
 *
 *   queued --claim--> sending --sent--> sent
 *                     sending --transient--> queued (next_at: backoff with jitter)
 *                     sending --permanent | tries used up--> failed
 *   sending (claim older than the lease) --claim--> sending
 *   sent --bounce--> failed (mail-in)
 *
 * A claim is committed before the relay is spoken to and guarded (UPDATE …
 * WHERE id = ? AND status = ? AND the claim it saw), so two senders never
 * take the same message. A sender that dies after the relay accepted a
 * message and before 'sent' is recorded leaves its claim to expire after the
 * lease; the message then goes again, with the same Message-ID (it is the
 * row's reply token's), so a recipient's mail program sees one message. A
 * message is sent at least once and recorded exactly once.
 */
#ifndef KEIKAI_DELIVER_H
#define KEIKAI_DELIVER_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/mail.h"
#include "keikai/store.h"

#define KK_DELIVER_LEASE_SECONDS 600     /* a claim older than this is a dead sender's */
#define KK_DELIVER_BACKOFF_SECONDS 60    /* the first retry's delay; doubled each try */
#define KK_DELIVER_BACKOFF_MAX 21600     /* at most 6 hours between tries */

/* ---- the table ---- */

struct kk_deliver_transition {
	const char *from, *event, *to;
	const char *why; /* what it means, for the docs */
};

/* The i-th transition; NULL past the end. */
const struct kk_deliver_transition *kk_deliver_transition_at(size_t i);
/* The state event leads to from state from, or NULL when the table has no
 * such transition (the caller's bug, or a row that changed under it). */
const char *kk_deliver_next(const char *from, const char *event);

/* The delay before try number tries + 1 after try number tries failed for a
 * while: 60 s * 2^(tries-1), at most 6 h, then ±20 % at random (so senders
 * that failed together do not come back together). */
int64_t kk_deliver_backoff(int64_t tries);

/* ---- the store's part (lib/store/outbox_delivery.c) ---- */

/* A claimed message: the row as compose reads it (the strings owned here). */
struct kk_outbox_claim {
	struct kk_outbox_msg msg;
	int64_t tries;      /* this try's number, from 1 */
	int64_t claimed_at; /* the claim, which recording checks is still ours */
	char *buf[7];       /* what msg's strings point into */
};
void kk_outbox_claim_release(struct kk_outbox_claim *c); /* accepts NULL; zeroes c */

/* The number of messages due at now (queued and next_at NULL or past, or
 * sending with a claim older than the lease). Reads only. */
enum kk_result kk_outbox_due_count(struct kk_store *s, int64_t now, int64_t *n, struct kk_error *err);

/* Inside write transaction tx: claims the first due message whose id is
 * greater than after (so one run sees each message once), its tries + 1,
 * status 'sending', claimed_at now; a row without a reply token gets one.
 * KK_ENOTFOUND when none is due. */
enum kk_result kk_outbox_claim_next(struct kk_tx *tx, int64_t after, int64_t now, struct kk_outbox_claim *out,
				    struct kk_error *err);

/* Records what a try came to, inside tx, if the claim is still the one c
 * holds (else *recorded = 0: another sender took the message after the
 * lease, and it records). sent: message_id, encrypted. retry: status queued,
 * next_at, last_error. Failed for good: kk_outbox_mark_failed. */
enum kk_result kk_outbox_record_sent(struct kk_tx *tx, const struct kk_outbox_claim *c, int64_t now,
				     const char *message_id, int encrypted, int *recorded, struct kk_error *err);
enum kk_result kk_outbox_record_retry(struct kk_tx *tx, const struct kk_outbox_claim *c, int64_t next_at,
				      const char *error, int *recorded, struct kk_error *err);
enum kk_result kk_outbox_record_failed(struct kk_tx *tx, const struct kk_outbox_claim *c, const char *error,
				       int *recorded, struct kk_error *err);

/* ---- a run ---- */

/* One message's outcome, for the caller's log (valid during the call). */
struct kk_deliver_outcome {
	int64_t id;
	const char *recipient;
	const char *state; /* "sent", "queued" (to be tried again) or "failed" */
	int64_t tries, next_at;
	const char *error;      /* NULL when sent */
	const char *message_id; /* when sent */
	int encrypted;
};
typedef void kk_deliver_log_fn(const struct kk_deliver_outcome *o, void *arg);

struct kk_deliver_counts {
	size_t sent, retry, failed, lost; /* lost: sent, but another sender had taken it over */
};

/* Delivers every message due now, once each: claims it, composes it (a new
 * PGP context and relay connection for the run), sends it, records the
 * outcome and calls log. KK_ECONFLICT, with a message naming the setting,
 * when smtp.url or smtp.from is not set; another error when the store
 * fails (what was recorded stays recorded). stop (may be NULL) ends the run
 * early when set. */
enum kk_result kk_deliver_due(struct kk_store *s, const atomic_int *stop, kk_deliver_log_fn *log, void *arg,
			      struct kk_deliver_counts *counts, struct kk_error *err);

/* The delivery thread of keikai serve: kk_deliver_due at once and then every
 * seconds seconds until kk_deliverer_stop, which ends a transfer in progress
 * (the message is tried again later) and waits for the thread. A run while
 * smtp.url or smtp.from is unset does nothing. Each outcome goes to log;
 * each failed run to fail. */
struct kk_deliverer;
typedef void kk_deliverer_fail_fn(const struct kk_error *err, void *arg);
enum kk_result kk_deliverer_start(struct kk_store *s, unsigned seconds, kk_deliver_log_fn *log,
				  kk_deliverer_fail_fn *fail, void *arg, struct kk_deliverer **out,
				  struct kk_error *err);
void kk_deliverer_stop(struct kk_deliverer *d); /* accepts NULL */

#endif
