/*
 * prenotify.h: the repository of vendors' requests to pre-notify their own
 * customers under NDA (issue 10; G IV.4.9): table prenotify_requests of
 * migration 11. Internal to the core: lib/case/prenotify.c and
 * prenotify_flow.c hold the rules.
 *
 * Conventions as store/cases.h: every function works inside the caller's
 * transaction; loads give KK_ENOTFOUND (err untouched) when there is no row.
 */
#ifndef KEIKAI_STORE_PRENOTIFY_H
#define KEIKAI_STORE_PRENOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

struct kk_prenotify {
	int64_t id, case_id, vendor_id;
	char state[16]; /* kk_prenotify_flow's: "requested", "consented", "refused" */
	const char *customers, *reason; /* borrowed (insert only) */
	int nda;
	int64_t requested_by, requested_at;
};

/* Inserts r (state "requested") and sets r->id. */
enum kk_result kk_prenotify_insert(struct kk_tx *tx, struct kk_prenotify *r, struct kk_error *err);
/* Loads the id, case, vendor and state of request id of case case_id into out. */
enum kk_result kk_prenotify_load(struct kk_tx *tx, int64_t case_id, int64_t id, struct kk_prenotify *out,
				 struct kk_error *err);
/* Writes the decision on request id, still in state `from`: KK_ECONFLICT when
 * it is no longer (someone decided first). */
enum kk_result kk_prenotify_decide_write(struct kk_tx *tx, int64_t id, const char *from, const char *to,
					 int64_t by, int64_t at, const char *note, struct kk_error *err);
/* Appends the requests of case_id (of vendor_id when not 0; request id when
 * not 0), by id, to arr as PRENOTIFY (provision.h). */
enum kk_result kk_prenotify_json(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, int64_t id, json_t *arr,
				 struct kk_error *err);

#endif
