/*
 * reports.h: the repository of reports and their evidence (tables reports,
 * attachments). Internal to the core: report/store.c holds the rules (triage,
 * assessment, tracking numbers, messages) and calls these inside its
 * transactions.
 */
#ifndef KEIKAI_STORE_REPORTS_H
#define KEIKAI_STORE_REPORTS_H

#include "keikai/report.h"
#include "keikai/store.h"

/* Inserts r as received, with r->tracking_id as given, and its place in the
 * queue (report_queue.h); sets r->id. KK_EEXISTS when the tracking id is taken
 * (nothing was written then). */
enum kk_result kk_reports_insert(struct kk_tx *tx, struct kk_report *r, const char *secret_hash,
				 struct kk_error *err);
/* Binds a report's finder-given fields and its queue rank from position c of
 * st (the order of the reports table, finder_name … encrypted_contact,
 * impact_rank, score_tenths); returns the next position. */
int kk_reports_bind_fields(struct kk_stmt *st, const struct kk_report *r, int c);
enum kk_result kk_reports_insert_attachments(struct kk_tx *tx, const struct kk_report *r, struct kk_error *err);

/* Loads a report, with its attachments (their bytes when with_data), by tracking
 * id or by the hash of its finder's secret. KK_ENOTFOUND when none. */
enum kk_report_key { KK_REPORT_BY_TRACKING_ID, KK_REPORT_BY_SECRET_HASH };
enum kk_result kk_reports_load(struct kk_tx *tx, enum kk_report_key key, const char *value, int with_data,
			       struct kk_report *r, struct kk_error *err);

/* Reads the five assessment columns (assessed_vector, scope_users,
 * scope_critical, scope_attack, assessed_at) of st's row, from column c on, into
 * r; r->assessed_vector is a copy r owns (NULL also when out of memory). */
void kk_reports_read_assessment(const struct kk_stmt *st, int c, struct kk_report *r);

/* Saves r's assessment (assessed_vector, scope, assessed_at) and with it r's
 * place in the queue (report_queue.h). */
enum kk_result kk_reports_save_assessment(struct kk_tx *tx, const struct kk_report *r, struct kk_error *err);
/* Saves r's decision (status, times, reason, note) if the report is still in
 * status from; KK_ECONFLICT when another request decided first. */
enum kk_result kk_reports_save_decision(struct kk_tx *tx, const struct kk_report *r, enum kk_report_status from,
					struct kk_error *err);

#endif
