/*
 * cmd_case.c: `keikai case list` prints the cases, newest first, and `keikai
 * case show REF` one case whole (issue 9; SPEC 2.4-2.7), for the operators of
 * the system: the command line acts as the system (cli_system, an
 * administrator), so it sees every case with every vendor and, as intake
 * does, who each finder is. docs/cli/case.md is the manual.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"

/* A JSON time (unix seconds or null) as text. */
static const char *when(const json_t *t, char buf[KK_TIME_LEN])
{
	return json_is_integer(t) ? kk_time_format(json_integer_value(t), buf) : _("not yet");
}

static const char *text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static int case_list(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = cli_open(a);
	json_t *out = NULL, *c;
	size_t i;
	int rc = 1;

	if (!s)
		return 1;
	if (kk_case_list(s, &cli_system, cli_value(a, "state"), &out, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	rc = 0;
	if (!a->json && json_array_size(json_object_get(out, "cases")))
		printf("%-10s  %-8s  %-19s  %5s  %7s  %7s  %s\n", _("case"), _("state"), _("day 0"), _("vulns"),
		       _("vendors"), _("waiting"), _("title"));
	json_array_foreach(json_object_get(out, "cases"), i, c) {
		char day0[KK_TIME_LEN];

		if (a->json) {
			if ((rc = cli_print_json(a->name, c)) != 0)
				break;
			continue;
		}
		printf("%-10s  %-8s  %-19s  %5lld  %7lld  %7lld  %s\n", text(c, "id"), text(c, "state"),
		       when(json_object_get(c, "day0"), day0),
		       (long long)json_integer_value(json_object_get(c, "vulnerabilities")),
		       (long long)json_integer_value(json_object_get(c, "vendors")),
		       (long long)json_integer_value(json_object_get(c, "waiting_on")), text(c, "title"));
	}
	if (!a->json)
		printf(_("%zu case(s)\n"), json_array_size(json_object_get(out, "cases")));
out:
	json_decref(out);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static void print_case(const json_t *c)
{
	char t[KK_TIME_LEN];
	const json_t *v, *coord = json_object_get(c, "coordinator");
	size_t i;

	printf("%s  %s\n", text(c, "id"), text(c, "title"));
	printf(_("state: %s\n"), text(c, "state_label"));
	printf(_("coordinator: %s\n"), json_is_object(coord) ? text(coord, "name") : _("none"));
	printf(_("day 0: %s\n"), when(json_object_get(c, "day0"), t));
	printf(_("vendors see each other's names: %s\n"),
	       json_is_true(json_object_get(c, "vendors_see_names")) ? _("yes") : _("no"));
	printf(_("summary:\n%s\n"), text(c, "summary"));
	printf(_("detail:\n%s\n"), text(c, "detail"));
	json_array_foreach(json_object_get(c, "finders"), i, v) {
		const json_t *id = json_object_get(v, "identity");

		printf("%s  %s", text(v, "label"), text(v, "tracking_id"));
		if (json_is_object(id))
			printf("  %s <%s>", text(id, "name"), text(id, "email"));
		printf("\n");
	}
	printf(_("vulnerabilities: %zu\n"), json_array_size(json_object_get(c, "vulnerabilities")));
	json_array_foreach(json_object_get(c, "vulnerabilities"), i, v) {
		const json_t *cwe = json_object_get(v, "cwe"), *c3 = json_object_get(v, "cvss3"),
			     *c4 = json_object_get(v, "cvss4");

		printf("  %lld  %s", (long long)json_integer_value(json_object_get(v, "number")), text(v, "title"));
		if (json_is_object(cwe))
			printf("  %s", text(cwe, "id"));
		if (json_is_object(c3))
			printf("  %s (%.1f)", text(c3, "vector"), json_real_value(json_object_get(c3, "score")));
		if (json_is_object(c4))
			printf("  %s (%.1f)", text(c4, "vector"), json_real_value(json_object_get(c4, "score")));
		if (json_is_string(json_object_get(v, "cve")))
			printf("  %s", text(v, "cve"));
		printf("\n");
	}
	printf(_("vendors: %zu\n"), json_array_size(json_object_get(c, "vendors")));
	json_array_foreach(json_object_get(c, "vendors"), i, v) {
		const json_t *st;
		size_t k;

		printf("  %lld  %s  %s: %s", (long long)json_integer_value(json_object_get(v, "vendor_id")),
		       text(v, "name"), _("notified"), when(json_object_get(v, "notified_at"), t));
		if (json_is_string(json_object_get(v, "answer")))
			printf("  %s: %s", _("answer"), text(v, "answer"));
		printf("\n");
		json_array_foreach(json_object_get(v, "statuses"), k, st)
			printf("    %lld  %s\n", (long long)json_integer_value(json_object_get(st, "vulnerability")),
			       text(st, "status_label"));
	}
}

static int case_show(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = cli_open(a);
	json_t *out = NULL;
	int rc = 1;

	if (!s)
		return 1;
	if (kk_case_get(s, &cli_system, a->argv[0], &out, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (a->json) {
		rc = cli_print_json(a->name, out);
	} else {
		print_case(out);
		rc = 0;
	}
out:
	json_decref(out);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option list_options[] = {
	{ "state", 0, "S", 0, N_("only the cases in state S (open, closed)") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command list = {
	.name = "list",
	.run = case_list,
	.flags = CLI_DB | CLI_JSON,
	.options = list_options,
	.summary = N_("list the cases, newest first"),
	.description = N_("Prints each case's id, state, day 0, number of vulnerabilities and vendors, the\n"
			  "vendors that have not answered yet, and its title; --json prints one JSON\n"
			  "object per case and line (the API's list entries)."),
};

static const struct cli_command show = {
	.name = "show",
	.run = case_show,
	.flags = CLI_DB | CLI_JSON,
	.operands = "REF",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("print a case whole"),
	.description = N_("Prints the case REF (\"VU#123456\"): its state, coordinator, day 0, summary,\n"
			  "detail, finders, vulnerabilities and every vendor with its statuses; --json\n"
			  "prints the API's object on one line."),
};

static const struct cli_command *const subs[] = { &list, &show, NULL };

const struct cli_command cmd_case = {
	.name = "case",
	.summary = N_("read the cases (case list, show)"),
	.description = N_("Prints the cases for the operators of the system, who see all of them."),
	.subs = subs,
};
