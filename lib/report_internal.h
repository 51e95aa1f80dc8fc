/*
 * report_internal.h: what report.c, report_store.c, report_mail.c and the
 * reports repository share inside the core.
 */
#ifndef KEIKAI_REPORT_INTERNAL_H
#define KEIKAI_REPORT_INTERNAL_H

#include "keikai/report.h"

int kk_report_status_parse(const char *s, enum kk_report_status *out);

/* A message to the finder: subject and body (the caller frees body). */
struct kk_finder_mail {
	char subject[256];
	char *body;
};

/* SPEC 2.1: the acknowledgement, in the calling thread's language, with the
 * link to the finder's status page under base_url. */
enum kk_result kk_report_mail_received(const struct kk_report *r, const char *base_url, const char *secret,
				       struct kk_finder_mail *out, struct kk_error *err);
/* SPEC 2.2: the decision on r (accepted or rejected, with reason and note), in
 * the finder's language r->lang. */
enum kk_result kk_report_mail_decision(const struct kk_report *r, struct kk_finder_mail *out,
				       struct kk_error *err);

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
