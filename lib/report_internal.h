/*
 * report_internal.h: what report.c and report_store.c share inside the core.
 */
#ifndef KEIKAI_REPORT_INTERNAL_H
#define KEIKAI_REPORT_INTERNAL_H

#include "keikai/report.h"

int kk_report_status_parse(const char *s, enum kk_report_status *out);

/* The "impact" object of a report's JSON. */
json_t *kk_impact_json(const struct kk_report *r);


/*
 * The triage workflow as a table (SPEC 2.2): from a status, an event by a role
 * leads to a status. report_store.c drives decisions through it and
 * docs/internals/report-workflow.md is checked against it by the unit tests.
 */
struct kk_report_transition {
	enum kk_report_status from;
	const char *event;
	enum kk_role role;
	enum kk_report_status to;
};

extern const struct kk_report_transition kk_report_transitions[];
extern const size_t kk_report_n_transitions;

/* The transition for (from, event), or NULL. */
const struct kk_report_transition *kk_report_transition_find(enum kk_report_status from, const char *event);
/* Whether role takes part in any transition. */
int kk_report_transition_role_ok(enum kk_role role);

#endif
