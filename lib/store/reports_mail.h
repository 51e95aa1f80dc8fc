/*
 * reports_mail.h: what a report that came by mail needs of the reports
 * repository (issue 11, item 4): its completion by staff (the state "mail" to "received", lib/report/flow.c).
 * Internal to the core; works inside the caller's transaction.
 */
#ifndef KEIKAI_STORE_REPORTS_MAIL_H
#define KEIKAI_STORE_REPORTS_MAIL_H

#include "keikai/report.h"
#include "keikai/store.h"

/* Saves every field a finder gives of r (as kk_reports_insert writes them),
 * its status r->status and its place in the queue, if the report is still
 * in status from; KK_ECONFLICT when someone completed it first. */
enum kk_result kk_reports_mail_complete(struct kk_tx *tx, const struct kk_report *r, enum kk_report_status from,
					struct kk_error *err);

#endif
