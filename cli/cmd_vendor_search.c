/*
 * cmd_vendor_search.c: `keikai vendor search QUERY` finds vendors and products
 * in the registry by a name (a part of one, Japanese or English) or a CPE 2.3
 * name or pattern (issue 8, capability 4; SPEC 2.5), through vendor_search.h.
 * With --json it prints one JSON object per match and line (the API's hit:
 * vendor_id, vendor_name, product_name, cpe, ...), else a table. The command
 * line searches as the system (cli_system). docs/cli/vendor.md is the manual.
 * Exit status: 0 done (also when nothing matched), 1 a bad query or a failure,
 * 2 wrong usage.
 */
#include <stdio.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor_search.h"

static int print_json(const char *cmd, const struct kk_registry_results *res)
{
	const char *lang = kk_lang_code(kk_i18n_current());
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < res->n; i++) {
		json_t *j = kk_registry_hit_json(&res->hits[i], lang);

		rc = cli_print_json(cmd, j);
		json_decref(j);
	}
	return rc;
}

static void print_table(const struct kk_registry_results *res)
{
	if (res->n)
		printf("%-8s  %s  |  %s  |  %s\n", _("ID"), _("vendor"), _("product"), "CPE");
	for (size_t i = 0; i < res->n; i++) {
		const struct kk_registry_hit *h = &res->hits[i];
		const char *product = h->product_id ? cli_name(h->product_name_ja, h->product_name_en) : NULL;

		printf("%-8lld  %s  |  %s  |  %s\n", (long long)h->vendor_id,
		       cli_name(h->vendor_name_ja, h->vendor_name_en), product ? product : "-",
		       h->cpe23 ? h->cpe23 : "-");
	}
	printf(_("%zu of %zu matches shown\n"), res->n, res->total);
}

static int vendor_search(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_registry_results res = { 0 };
	struct kk_registry_query q = { .text = a->argv[0] };
	const char *limit = cli_value(a, "limit");
	struct kk_store *s = NULL;
	int64_t n;
	int rc = 1;

	if (limit) {
		if (kk_parse_id(limit, &n) != 0 || n > KK_REGISTRY_LIMIT_MAX)
			return cli_usage_error(a, _("--limit must be a whole number from 1 to %d"), KK_REGISTRY_LIMIT_MAX);
		q.limit = (size_t)n;
	}
	if (!(s = cli_open(a)))
		return 1;
	if (kk_registry_search(s, &cli_system, &q, &res, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (a->json)
		rc = print_json(a->name, &res);
	else {
		print_table(&res);
		rc = 0;
	}
out:
	kk_registry_results_release(&res);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option search_options[] = {
	{ "limit", 'n', "N", 0, N_("print at most N matches, the best first (default 50, at most 200)") },
	{ NULL, 0, NULL, 0, NULL },
};

const struct cli_command cmd_vendor_search = {
	.name = "search",
	.run = vendor_search,
	.flags = CLI_DB | CLI_JSON,
	.options = search_options,
	.operands = "QUERY",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("find vendors and products by name or CPE name"),
	.description = N_("Finds vendors and products in the registry whose name holds QUERY (Japanese or\n"
			  "English; letter case and full-width or half-width forms do not matter), or,\n"
			  "when QUERY starts with cpe:, whose CPE name matches it (a CPE 2.3 name or\n"
			  "pattern, or a 2.2 URI). Prints the best matches first as a table, or with\n"
			  "--json one JSON object per match and line."),
};
