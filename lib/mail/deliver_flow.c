/*
 * deliver_flow.c: the delivery table (deliver.h; issue 11, item 1). The code
 * that moves an outbox row asks this table where an event leads, the store
 * writes the answer guarded by the state it came from, docs/internals/
 * delivery.md shows the same rows and tests/unit/test_deliver_flow.c walks
 * every state and event against it (and the doc's table against this one).
 */
#include <sodium.h>
#include <string.h>

#include "keikai/deliver.h"

static const struct kk_deliver_transition table[] = {
	{ "queued", "claim", "sending", "a sender takes a due message (next_at empty or past); tries + 1" },
	{ "sending", "claim", "sending", "the claim is older than the lease: its sender died; another takes it" },
	{ "sending", "sent", "sent", "the relay accepted it (2xx): sent_at, message_id, encrypted" },
	{ "sending", "transient", "queued", "4xx, no connection, TLS failure: next_at = now + backoff, last_error" },
	{ "sending", "permanent", "failed", "5xx: the message, its contact attempt and the vendor's contact failed" },
	{ "sending", "exhausted", "failed", "a transient failure on the last of smtp.max_tries tries: as permanent" },
	{ "sent", "bounce", "failed", "a delivery status notification came back (mail-in): as permanent" },
};

const struct kk_deliver_transition *kk_deliver_transition_at(size_t i)
{
	return i < sizeof(table) / sizeof(table[0]) ? &table[i] : NULL;
}

const char *kk_deliver_next(const char *from, const char *event)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].from, from) == 0 && strcmp(table[i].event, event) == 0)
			return table[i].to;
	return NULL;
}

int64_t kk_deliver_backoff(int64_t tries)
{
	int64_t delay = KK_DELIVER_BACKOFF_SECONDS;

	/* issue 11: exponential, capped, with jitter */
	for (int64_t i = 1; i < tries && delay < KK_DELIVER_BACKOFF_MAX; i++)
		delay *= 2;
	if (delay > KK_DELIVER_BACKOFF_MAX)
		delay = KK_DELIVER_BACKOFF_MAX;
	/* 80 % to 120 % */
	return delay * (80 + (int64_t)randombytes_uniform(41)) / 100;
}
