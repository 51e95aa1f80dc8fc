/*
 * report_queue.h: the intake queue's side of the reports repository (table
 * reports, columns impact_rank and score_tenths). Internal to the core:
 * lib/report/queue.c holds the rules (who may list, what a row shows) and calls
 * these inside its transaction.
 *
 * SPEC 2.3: high impact first regardless of arrival, then the higher CVSS v3 base
 * score, then the older. Each report keeps its place in that order in two
 * columns, as kk_report_impact decides it, written with the report
 * (kk_reports_insert) and with every assessment (kk_reports_save_assessment), so
 * the database orders and pages the queue through an index
 * (reports_queue, reports_status_queue) instead of the core sorting all of it.
 */
#ifndef KEIKAI_STORE_REPORT_QUEUE_H
#define KEIKAI_STORE_REPORT_QUEUE_H

#include <stdint.h>

#include "keikai/report.h"
#include "keikai/store.h"

/* impact_rank of a report not ranked yet: stored before the columns existed, or
 * by a writer that did not set them. kk_reports_rank_missing ranks it. */
#define KK_RANK_MISSING (-1)

/* r's place in the queue: *rank is its enum kk_impact, *tenths its v3 base score
 * in tenths (-1 when it has none), both as kk_report_impact decides them. */
void kk_reports_rank_of(const struct kk_report *r, int64_t *rank, int64_t *tenths);

/* The number of reports in status (every report when status < 0). */
enum kk_result kk_reports_queue_count(struct kk_tx *tx, int status, int64_t *n, struct kk_error *err);

/* Calls fn for each report of one page of the queue: those in status (every
 * status when status < 0), in queue order, skipping offset and at most limit of
 * them. The report holds only what the queue shows (kind, status, product, web
 * site, vectors, scope, times) and lives for the call. */
typedef enum kk_result kk_reports_row_fn(const struct kk_report *r, void *arg, struct kk_error *err);
enum kk_result kk_reports_queue_page(struct kk_tx *tx, int status, int64_t limit, int64_t offset,
				     kk_reports_row_fn *fn, void *arg, struct kk_error *err);

/* Ranks every report whose impact_rank is KK_RANK_MISSING, in tx (arg unused).
 * Run each time a store opens, after its migrations (schema.c): it ranks the
 * reports stored before the columns existed, and finds nothing to do after that,
 * through the index, at the cost of one query. */
enum kk_result kk_reports_rank_missing(struct kk_tx *tx, void *arg, struct kk_error *err);

#endif
