/*
 * case_views.h: what the views of cases read beyond the repositories of
 * cases.h and case_vendors.h (issue 9; case.h): the counts of the case list,
 * and the case's audit trail with its vendor statuses' records. Internal to the core: lib/case/ calls it and
 * holds no SQL. Conventions as store/cases.h.
 */
#ifndef KEIKAI_STORE_CASE_VIEWS_H
#define KEIKAI_STORE_CASE_VIEWS_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* What the case list shows of a case: its vulnerabilities, its vendors, and
 * the vendors notified that have not answered the summary yet (SPEC 2.6). */
struct kk_case_counts {
	int64_t vulns, vendors, waiting_on;
};
enum kk_result kk_case_views_counts(struct kk_tx *tx, int64_t case_id, struct kk_case_counts *out,
				    struct kk_error *err);

/* Staff: the files of the case's reports that may be passed on with the
 * detail (R §5.1.2), appended to arr as {"id", "tracking_id", "finder" (the
 * letter), "index", "filename", "content_type", "size", "passed_on"}, by
 * finder and index. */
enum kk_result kk_case_views_report_attachments(struct kk_tx *tx, int64_t case_id, json_t *arr,
						struct kk_error *err);

/* The audit records of case_id (object type "case"), of its vendors'
 * statuses (object type "vendor_status") and of its lift and
 * pre-notification requests ("lift_request", "prenotify_request"), oldest
 * first, appended to arr as
 * {"at" (unix seconds), "actor", "role", "object_type", "object_id", "action",
 * "from", "to", "detail"}. */
enum kk_result kk_case_views_audit(struct kk_tx *tx, int64_t case_id, json_t *arr, struct kk_error *err);

#endif
