/*
 * cmd_advisory_reindex.c: `keikai advisory reindex` rebuilds the search
 * index of the published advisories from scratch (issue 12 item 6;
 * keikai/advisory_search.h kk_advisory_search_reindex), a subcommand of
 * cmd_advisory. The index is kept current as advisories are published,
 * revised and updated, and what it lacks is filled in when a store opens;
 * this is for what neither sees: a vendor renamed in the registry, a new
 * CWE catalogue with names in another language. docs/cli/advisory.md is the
 * manual.
 */
#include <stdio.h>

#include "cli.h"
#include "keikai/advisory_search.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static int reindex(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = cli_open(a);
	int64_t n = 0;
	int rc = 0;

	if (!s)
		return 1;
	if (kk_advisory_search_reindex(s, &n, &err) != KK_OK)
		rc = cli_fail(a->name, &err);
	else if (a->json) {
		json_t *o = json_pack("{s:I}", "indexed", (json_int_t)n);

		rc = cli_print_json(a->name, o);
		json_decref(o);
	} else
		printf(ngettext("%lld published advisory in the search index\n",
				"%lld published advisories in the search index\n", (unsigned long)n),
		       (long long)n);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

const struct cli_command cmd_advisory_reindex = {
	.name = "reindex",
	.run = reindex,
	.flags = CLI_DB | CLI_JSON,
	.summary = N_("rebuild the search index of the published advisories"),
	.description = N_("Builds the search index (GET /search, /api/v1/advisories/search) again from\n"
			  "every published advisory, in one transaction, and prints how many it holds;\n"
			  "--json prints {\"indexed\": N}. Publishing, revising and vendors' updates keep\n"
			  "the index current by themselves: run it after renaming a vendor in the\n"
			  "registry or importing a CWE catalogue, whose names the index holds."),
};
