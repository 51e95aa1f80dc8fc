/*
 * report_flow.c: the triage workflow of a report as a table (SPEC 2.2: accept or
 * reject, with a reason, by the receiving organisation). Later stages of handling
 * belong to cases, not reports.
 */
#include <string.h>

#include "report_internal.h"

const struct kk_report_transition kk_report_transitions[] = {
	/* SPEC 2.2: acceptance (受理); the day it happens is the acceptance date */
	{ KK_REPORT_RECEIVED, "accept", KK_ROLE_INTAKE, KK_REPORT_ACCEPTED },
	/* SPEC 2.2: rejection with a reason the finder is told */
	{ KK_REPORT_RECEIVED, "reject", KK_ROLE_INTAKE, KK_REPORT_REJECTED },
};

const size_t kk_report_n_transitions = sizeof(kk_report_transitions) / sizeof(kk_report_transitions[0]);

const struct kk_report_transition *kk_report_transition_find(enum kk_report_status from, const char *event)
{
	for (size_t i = 0; i < kk_report_n_transitions; i++)
		if (kk_report_transitions[i].from == from && strcmp(kk_report_transitions[i].event, event) == 0)
			return &kk_report_transitions[i];
	return NULL;
}

int kk_report_transition_role_ok(enum kk_role role)
{
	for (size_t i = 0; i < kk_report_n_transitions; i++)
		if (kk_report_transitions[i].role == role)
			return 1;
	return 0;
}
