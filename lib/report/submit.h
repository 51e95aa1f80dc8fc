/*
 * report_submit.h: the two steps a submission takes besides storing the report
 * (issue 7), in the same transaction (report/store.c's store_submission).
 * Internal to the core.
 */
#ifndef KEIKAI_REPORT_SUBMIT_H
#define KEIKAI_REPORT_SUBMIT_H

#include <stdint.h>

#include "keikai/report.h"

/* Before the report is stored: counts it against its source's limit;
 * KK_ETHROTTLED (o->retry_after set) when the source is over it. Nothing to do
 * when o is NULL or sets no limit. */
enum kk_result kk_submit_limit(struct kk_tx *tx, struct kk_submit_opts *o, int64_t now, struct kk_error *err);

/* After it is stored: keeps the receipt for o's Idempotency-Key (nothing to do
 * without one); KK_ECONFLICT when another request with the key came first. */
enum kk_result kk_submit_remember(struct kk_tx *tx, const struct kk_submit_opts *o, const struct kk_report *r,
				  const char *secret, int64_t now, struct kk_error *err);

#endif
