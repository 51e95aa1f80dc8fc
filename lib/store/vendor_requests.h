/*
 * vendor_requests.h: the repository of vendor registration requests (table
 * vendor_requests, migration 9; vendor_request.h) and the public vendor list
 * (G IV.4.1). The vendor an approval registers is stored by vendor_records.h.
 * Internal to the core: lib/vendor/requests.c and lib/vendor/public_list.c
 * call it and hold no SQL.
 *
 * Every function works inside the caller's transaction and returns KK_OK or
 * the error of the statement that failed with err filled; after a failure the
 * caller ends the transaction. err may be NULL.
 */
#ifndef KEIKAI_STORE_VENDOR_REQUESTS_H
#define KEIKAI_STORE_VENDOR_REQUESTS_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"
#include "keikai/vendor_request.h"

/* Inserts r (its status, fields and created_at) and sets r->id. */
enum kk_result kk_vendor_requests_insert(struct kk_tx *tx, struct kk_vendor_request *r, struct kk_error *err);

/* Loads request id into *out (zeroed first); KK_ENOTFOUND (err untouched)
 * when there is none. */
enum kk_result kk_vendor_requests_load(struct kk_tx *tx, int64_t id, struct kk_vendor_request *out,
				       struct kk_error *err);

/* Calls fn for each request in state status (< 0: any), newest first, at most
 * limit; the request is released after each call. A non-KK_OK result of fn
 * stops the walk and is returned. */
typedef enum kk_result kk_vendor_request_fn(const struct kk_vendor_request *r, void *arg, struct kk_error *err);
enum kk_result kk_vendor_requests_each(struct kk_tx *tx, int status, int limit, kk_vendor_request_fn *fn, void *arg,
				       struct kk_error *err);

/* Stores the decision r holds (status, decided_at, decided_by, vendor_id,
 * reason) if the request is still in state `from`: KK_ECONFLICT when it is
 * not (another coordinator decided first). */
enum kk_result kk_vendor_requests_decide(struct kk_tx *tx, const struct kk_vendor_request *r,
					 enum kk_vendor_request_status from, struct kk_error *err);

/* G IV.4.1: the listed vendors as vendor_request.h's kk_vendor_public_list
 * describes them, into *out (a new array the caller owns). */
enum kk_result kk_vendor_requests_public_list(struct kk_tx *tx, json_t **out, struct kk_error *err);

#endif
