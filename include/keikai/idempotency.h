/*
 * idempotency.h: Idempotency-Key for submissions (issue 7; docs/api/reports.md).
 * A client whose connection broke at the commit cannot know whether its report
 * was stored; it sends the same request again with the same key and gets the
 * first answer again, and no second report is stored.
 *
 * The first answer (its status and body, which holds the tracking id and the
 * finder's status URL, a secret) is stored in the transaction that stores the
 * report. The database learns neither the key nor the answer: the row is found
 * by a BLAKE2b hash of the key, the answer is sealed (crypto_secretbox) with a
 * key derived from the Idempotency-Key, and the body is remembered as a hash
 * keyed the same way, each derivation with its own personalisation. A key is
 * one request's for KK_IDEM_TTL seconds, whoever sends it and from wherever: a
 * retry may come from another address. Keys should therefore be random (a
 * UUID): the answer goes to whoever sends the same key with the same body.
 */
#ifndef KEIKAI_IDEMPOTENCY_H
#define KEIKAI_IDEMPOTENCY_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

#define KK_IDEM_KEY_MAX 255
#define KK_IDEM_TTL (24 * 3600)

/* What a request's key and body give; derived secrets, wiped by kk_idem_release. */
struct kk_idem {
	char id[65];              /* the row: hex hash of the key */
	unsigned char seal[32];   /* the secretbox key for the answer */
	char body_hash[65];       /* hex hash of the body, keyed by the key */
	unsigned status;          /* the status the answer is given with */
};

/* 1 when key is 1 to KK_IDEM_KEY_MAX printable ASCII characters (0x20 to 0x7e). */
int kk_idem_key_valid(const char *key);

/* Derives k from a valid key and the request body; status is the answer's. */
void kk_idem_init(struct kk_idem *k, const char *key, const void *body, size_t n, unsigned status);

/* Wipes the derived secrets. Accepts NULL. */
void kk_idem_release(struct kk_idem *k);

/*
 * The answer stored for k's key within KK_IDEM_TTL: KK_OK with *status and
 * *answer (a string the caller frees; it holds a secret); KK_ENOTFOUND when
 * there is none; KK_ECONFLICT, with a message naming the key, when it came with
 * another body.
 */
enum kk_result kk_idem_find(struct kk_store *s, const struct kk_idem *k, unsigned *status, char **answer,
			    struct kk_error *err);

/*
 * Inside the transaction that stores what it answers: stores answer (sealed)
 * for k, tied to report_id, and deletes the expired keys. KK_ECONFLICT, with
 * nothing written, when another request with the key was stored first.
 */
enum kk_result kk_idem_save(struct kk_tx *tx, const struct kk_idem *k, int64_t report_id, const char *answer,
			    int64_t now, struct kk_error *err);

#endif
