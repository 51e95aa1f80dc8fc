/*
 * flows.c: every workflow of keikai, for the tests that walk them and check their
 * documentation (tests/unit/test_flow.c). A flow that is not listed here is not
 * walked, and the walk test fails on a flow it has no driver for.
 */
#include <stddef.h>
#include <string.h>

#include "keikai/advisory.h"
#include "keikai/case.h"
#include "keikai/flow.h"
#include "keikai/lift.h"
#include "keikai/provision.h"
#include "keikai/report.h"
#include "keikai/vendor_request.h"

const struct kk_flow *const kk_flows[] = {
	&kk_report_triage, /* SPEC 2.2 */
	&kk_vendor_request_flow, /* G IV.4.2 */
	&kk_case_flow, /* SPEC 2.4, G IV.4.4 */
	&kk_vendor_status_flow, /* SPEC 2.6, 2.7, G IV.5 */
	&kk_prenotify_flow, /* SPEC 2.10, G IV.4.9 */
	&kk_case_date_flow, /* SPEC 2.8, 2.9, G IV.4.3-4.4 */
	&kk_lift_flow, /* SPEC 2.12, G IV.3(1)11 */
	&kk_advisory_flow, /* issue 12, SPEC 6, G IV.4.9 */
	NULL,
};

/* The states objects start in besides the first, NULL-terminated. */
static const struct {
	const struct kk_flow *flow;
	const char *state;
} entries[] = {
	{ &kk_report_triage, "mail" }, /* issue 11: a report that came by mail, which staff complete */
	{ NULL, NULL },
};

int kk_flow_is_entry(const struct kk_flow *f, const char *name)
{
	for (size_t i = 0; entries[i].flow; i++)
		if (entries[i].flow == f && strcmp(entries[i].state, name) == 0)
			return 1;
	return 0;
}
