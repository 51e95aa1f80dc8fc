/*
 * report_view.h: a report as one viewer may see it (SPEC 1). The core makes the
 * view; every front shows only the view: the pages fill their templates from it
 * and the API serialises it (kk_report_view_json, the one serialiser of a
 * report). What the viewer may not see is absent (NULL), not merely hidden, so
 * no template or handler can show it by mistake.
 */
#ifndef KEIKAI_REPORT_VIEW_H
#define KEIKAI_REPORT_VIEW_H

#include <jansson.h>

#include "keikai/impact.h"
#include "keikai/report.h"

#define KK_VIEW_MAX_EVENTS 4

/* Strings point into the report the view was made from, which must outlive it. */
struct kk_report_view {
	const char *tracking_id;
	enum kk_report_kind kind;
	enum kk_report_status status;
	int64_t received_at, accepted_at, decided_at; /* 0 when not (yet) */
	enum kk_reject_reason reject_reason;          /* KK_REJECT_NONE unless rejected */
	const char *decision_note;                    /* NULL when none */

	/* SPEC 1, G IV.3(1)6: NULL when withheld from this viewer */
	const struct kk_finder *finder;
	int share_identity, direct_contact, credit; /* SPEC 2.1 ウ エ オ */
	const char *credit_name;                    /* NULL unless credit was given */

	const char *product_vendor, *product_name, *product_version; /* product reports */
	const char *website_url;                                     /* web-site reports */
	const char *summary, *environment, *steps, *result, *impact, *workaround, *cvss_vector;
	int reported_elsewhere, vendor_told_directly, wants_final_result, encrypted_contact;
	const char *reported_to, *coordinated_by;
	const struct kk_attachment *attachments; /* metadata; bytes only through kk_report_attachment_get */
	size_t n_attachments;
	const char *encrypted_fields; /* issue 11: the details that came encrypted (a JSON array), or NULL */

	/* SPEC 2.3, 7: the impact as the core judges it */
	enum kk_impact impact_rank;
	int score_tenths;          /* -1 when not rated */
	const char *score_vector;  /* the vector the score is from, or NULL */
	enum kk_scope scope;
	struct kk_scope_factors factors;
	int64_t assessed_at;

	/* what this viewer may do with the report now (authz.h, flow.h) */
	int may_download, may_assess;
	const char *events[KK_VIEW_MAX_EVENTS]; /* triage events offered, e.g. "accept" */
	size_t n_events;
};

/* Makes the view of r for viewer, who must be allowed to read r (kk_report_get
 * has checked). */
void kk_report_view_make(const struct kk_report *r, const struct kk_user *viewer, struct kk_report_view *out);

/* The view as the JSON of docs/api/reports.md. NULL when out of memory. */
json_t *kk_report_view_json(const struct kk_report_view *v);
/* Its "impact" object alone. */
json_t *kk_report_view_impact_json(const struct kk_report_view *v);

#endif
