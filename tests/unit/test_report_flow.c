/* The triage workflow table (lib/report_flow.c) and its documentation agree:
 * every transition in the table is a row of docs/internals/report-workflow.md
 * and the document lists no other. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/report.h"
#include "report_internal.h"

static char *read_doc(void)
{
	const char *root = getenv("KK_SOURCE_ROOT");
	char path[4096];
	FILE *f;
	char *text;
	long n;

	snprintf(path, sizeof(path), "%s/docs/internals/report-workflow.md", root ? root : ".");
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

Test(report_flow, table_and_document_agree)
{
	char *doc = read_doc(), row[256];
	int rows = 0;

	for (size_t i = 0; i < kk_report_n_transitions; i++) {
		const struct kk_report_transition *t = &kk_report_transitions[i];

		snprintf(row, sizeof(row), "| %s | %s | %s | %s |", kk_report_status_name(t->from), t->event,
			 kk_role_name(t->role), kk_report_status_name(t->to));
		cr_assert_not_null(strstr(doc, row), "the document lacks the row %s", row);
	}
	for (const char *p = strstr(doc, "<!-- transitions -->"); p && (p = strstr(p, "\n| ")); p++)
		if (strncmp(p, "\n| from", 7) != 0 && strncmp(p, "\n|---", 5) != 0 && strncmp(p, "\n| ---", 6) != 0)
			rows++;
	cr_assert_eq(rows, (int)kk_report_n_transitions, "the document has rows the table does not");
	free(doc);
}

Test(report_flow, lookups)
{
	cr_assert_not_null(kk_report_transition_find(KK_REPORT_RECEIVED, "accept"));
	cr_assert_null(kk_report_transition_find(KK_REPORT_ACCEPTED, "reject"));
	cr_assert(kk_report_transition_role_ok(KK_ROLE_INTAKE));
	cr_assert_not(kk_report_transition_role_ok(KK_ROLE_COORDINATOR));
}
