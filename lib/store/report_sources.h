/*
 * report_sources.h: the repository of the per-address limit on report
 * submissions (table report_sources): for each source address (hashed), when
 * its current window began and how many reports it sent in it. Internal to the
 * core: report/submit.c holds the rule.
 */
#ifndef KEIKAI_STORE_REPORT_SOURCES_H
#define KEIKAI_STORE_REPORT_SOURCES_H

#include <stdint.h>

#include "keikai/store.h"

/* The source's row: reports and window start, both 0 when there is none. */
enum kk_result kk_report_sources_get(struct kk_tx *tx, const char *source, int64_t *reports,
				     int64_t *window_start, struct kk_error *err);

/*
 * Counts one more report from source at now, in one statement (so that
 * concurrent submissions, on any server, are counted one by one): in its
 * current window, or in a new one beginning now when the last began at or
 * before `expired`. *reports and *window_start are the row after the count.
 */
enum kk_result kk_report_sources_take(struct kk_tx *tx, const char *source, int64_t now, int64_t expired,
				      int64_t *reports, int64_t *window_start, struct kk_error *err);

/* Deletes the rows whose window began at or before `expired`. */
enum kk_result kk_report_sources_forget(struct kk_tx *tx, int64_t expired, struct kk_error *err);

#endif
