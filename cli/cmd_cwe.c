/*
 * cmd_cwe.c: `keikai cwe show --db ADDRESS ID` prints one entry of the CWE
 * catalogue; `keikai cwe search --db ADDRESS QUERY` lists entries whose id or name
 * matches, as a picker would (keikai/cwe.h). The catalogue is loaded with
 * `keikai import cwe`. docs/cli/cwe.md is the manual. Exit status: 0 found,
 * 1 a bad id, no such entry or no match, 2 wrong usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static void print_field(const char *label, const char *value)
{
	if (value)
		printf("%s: %s\n", label, value);
}

static int cwe_show(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe entry = { 0 };
	struct kk_store *s = NULL;
	char written[KK_CWE_ID_LEN];
	int id, rc = 1;

	if (kk_cwe_parse_id(a->argv[0], &id, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	s = cli_open(a);
	if (!s)
		goto out;
	if (kk_cwe_get(s, id, &entry, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (a->json) {
		json_t *o = kk_cwe_to_json(&entry);

		if (!o || json_dumpf(o, stdout, JSON_INDENT(1)) != 0) {
			json_decref(o);
			kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
			rc = cli_fail(a->name, &err);
			goto out;
		}
		putchar('\n');
		json_decref(o);
	} else {
		printf("%s: %s\n", kk_cwe_format_id(entry.id, written), kk_cwe_name(&entry));
		print_field("kind", kk_cwe_kind_name(entry.kind));
		print_field("name", entry.name_en);
		print_field("name_ja", entry.name_ja);
		print_field("abstraction", entry.abstraction);
		print_field("status", entry.status);
		print_field("description", entry.description);
	}
	rc = 0;
out:
	kk_cwe_release(&entry);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static int cwe_search(const struct cli_args *a)
{
	const char *given = cli_value(a, "limit");
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe *items = NULL;
	struct kk_store *s = NULL;
	char written[KK_CWE_ID_LEN], *end;
	size_t n = 0;
	long limit = 20;
	int rc = 1;

	if (given) {
		limit = strtol(given, &end, 10);
		if (*given == '\0' || *end != '\0' || limit < 1 || limit > 100)
			return cli_usage_error(a, _("--limit takes a number from 1 to 100: %s"), given);
	}
	s = cli_open(a);
	if (!s)
		return 1;
	if (kk_cwe_search(s, a->argv[0], (size_t)limit, &items, &n, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		printf("%-10s %-8s %-8s %s\n", kk_cwe_format_id(items[i].id, written), kk_cwe_kind_name(items[i].kind),
		       items[i].abstraction ? items[i].abstraction : "-", kk_cwe_name(&items[i]));
	printf(_("%zu entries\n"), n);
	rc = n ? 0 : 1;
out:
	kk_cwe_list_free(items, n);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_command show = {
	.name = "show",
	.run = cwe_show,
	.flags = CLI_DB | CLI_JSON,
	.operands = "ID",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("print one entry of the catalogue"),
	.description = N_("Prints the entry ID (CWE-79 or 79) of the CWE catalogue: its id and kind,\n"
			  "English and Japanese names, abstraction, status and description, one per\n"
			  "line; the first line names it in the language LANG asks for. --json prints\n"
			  "the entry as one JSON object."),
};

static const struct cli_option search_options[] = {
	{ "limit", 0, "N", 0, N_("at most N entries, 1 to 100 (default 20)") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command search = {
	.name = "search",
	.run = cwe_search,
	.flags = CLI_DB,
	.options = search_options,
	.operands = "QUERY",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("list the entries whose id or name matches"),
	.description = N_("Lists the entries whose id is QUERY or whose English or Japanese name holds\n"
			  "it, weaknesses first, one per line: id, kind, abstraction, name."),
};

static const struct cli_command *const subs[] = { &show, &search, NULL };

const struct cli_command cmd_cwe = {
	.name = "cwe",
	.summary = N_("look up the CWE catalogue (cwe show, cwe search)"),
	.description = N_("Looks up the CWE catalogue that keikai import cwe loaded. ID is written\n"
			  "CWE-79 or 79."),
	.subs = subs,
};
