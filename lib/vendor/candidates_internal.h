/*
 * candidates_internal.h: what candidates.c shares with report_vendors.c
 * (vendor_candidates.h). Internal to lib/vendor/.
 */
#ifndef KEIKAI_VENDOR_CANDIDATES_INTERNAL_H
#define KEIKAI_VENDOR_CANDIDATES_INTERNAL_H

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/report.h"
#include "keikai/store.h"

/* Loads the report tracking_id into *rep (which the caller releases, also on
 * failure) for viewer, who must be allowed report.vendors.read and to read
 * the report (KK_ENOTFOUND otherwise). With need_accepted, KK_ECONFLICT with
 * a message unless it is an accepted product report (SPEC 2.5). */
enum kk_result candidates_report(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
				 int need_accepted, struct kk_report *rep, struct kk_error *err);

#endif
