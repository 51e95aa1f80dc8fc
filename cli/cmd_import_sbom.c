/*
 * cmd_import_sbom.c: `keikai import sbom --db ADDRESS --vendor ID --product PID
 * FILE` stores an SBOM (CycloneDX 1.4-1.6 JSON, SPDX 2.3 JSON) as the
 * composition of a registered product (sbom_map.h; SPEC 5 last sentence),
 * as POST /api/v1/vendors/{id}/sbom does, and prints how each component maps
 * to the registry (SPEC 2.5): one line a component, or the mapping JSON with
 * --json. The last line is "N components stored, M mapped, K unmapped".
 * docs/cli/import.md is the manual. Exit status: 0 stored, 1 refused (a bad
 * document names each wrong JSON path; nothing stored), 2 wrong usage.
 */
#include <jansson.h>
#include <stdio.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/sbom_map.h"
#include "keikai/util.h"

/* The name members ja and en of t hold, in the command line's language. */
static const char *name_of(const json_t *t, const char *ja, const char *en)
{
	return cli_name(json_string_value(json_object_get(t, ja)), json_string_value(json_object_get(t, en)));
}

static void print_mapping(const json_t *m)
{
	json_t *c, *t;
	size_t i, k;

	json_array_foreach(json_object_get(m, "components"), i, c) {
		const char *v = json_string_value(json_object_get(c, "version"));

		printf("%s%s%s ->", json_string_value(json_object_get(c, "name")), v ? " " : "", v ? v : "");
		if (json_array_size(json_object_get(c, "maps_to")) == 0)
			/* TRANSLATORS: a component of an SBOM that maps to no registered product or vendor */
			printf(" %s", _("unmapped"));
		json_array_foreach(json_object_get(c, "maps_to"), k, t) {
			const char *p = name_of(t, "product_name_ja", "product_name_en");

			printf("%s %s: %s%s%s", k ? ";" : "", json_string_value(json_object_get(t, "basis")),
			       name_of(t, "vendor_name_ja", "vendor_name_en"), p ? " / " : "", p ? p : "");
		}
		putchar('\n');
	}
}

static int import_sbom(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;
	int64_t vendor, product;
	json_error_t jerr;
	json_t *doc = NULL, *m = NULL;
	int rc = 1;

	if (kk_parse_id(cli_value(a, "vendor"), &vendor) != 0)
		return cli_usage_error(a, "%s", _("--vendor must be a vendor id (a whole number from 1)"));
	if (kk_parse_id(cli_value(a, "product"), &product) != 0)
		return cli_usage_error(a, "%s", _("--product must be a product id (a whole number from 1)"));
	doc = json_load_file(a->argv[0], JSON_REJECT_DUPLICATES, &jerr);
	if (!doc) {
		kk_error_set(&err, KK_EINVAL, _("%s: not a JSON document: %s (line %d)"), a->argv[0], jerr.text,
			     jerr.line);
		rc = cli_fail(a->name, &err);
		goto out;
	}
	s = cli_open(a);
	if (!s)
		goto out;
	/* the command line is an administrator to the core and its audit (cli.h) */
	if (kk_sbom_upload(s, &cli_system, vendor, product, doc, &m, &err) != KK_OK) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (a->json) {
		if (cli_print_json(a->name, m))
			goto out;
	} else {
		print_mapping(m);
	}
	printf(_("%lld components stored, %lld mapped, %zu unmapped\n"),
	       (long long)json_integer_value(json_object_get(m, "stored")),
	       (long long)json_integer_value(json_object_get(m, "mapped")),
	       json_array_size(json_object_get(m, "unmapped")));
	rc = 0;
out:
	json_decref(doc);
	json_decref(m);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option sbom_options[] = {
	{ "vendor", 0, "ID", CLI_REQUIRED, N_("the vendor whose product it is") },
	{ "product", 0, "PID", CLI_REQUIRED, N_("the product the SBOM describes") },
	{ NULL, 0, NULL, 0, NULL },
};

const struct cli_command cmd_import_sbom = {
	.name = "sbom",
	.run = import_sbom,
	.flags = CLI_DB | CLI_JSON,
	.options = sbom_options,
	.operands = "FILE",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("an SBOM as a registered product's composition"),
	.description = N_("Stores an SBOM (CycloneDX 1.4-1.6 JSON or SPDX 2.3 JSON) as the composition of\n"
			  "product PID of vendor ID: the product's components from an earlier SBOM are\n"
			  "replaced, those entered by hand stay. Prints, for each component, the\n"
			  "registered products and vendors it maps to (by purl, CPE name, name or\n"
			  "supplier) or \"unmapped\"; --json prints the mapping as JSON. A bad document\n"
			  "is refused naming each wrong JSON path, and nothing is stored."),
};
