/*
 * cmd_import.c: `keikai import KIND ...` loads public reference data into a
 * database. One kind so far: `keikai import cwe --db ADDRESS [XMLFILE] [--ja JSON]`,
 * MITRE's CWE catalogue and JPCERT/CC's Japanese names (keikai/cwe.h).
 * docs/cli/import.md is the manual. Exit status: 0 imported, 1 a file or the
 * database was refused (nothing stored), 2 wrong usage.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static int import_cwe(const struct cli_args *a)
{
	const char *xml = a->argc ? a->argv[0] : NULL, *ja = cli_value(a, "ja");
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	struct kk_cwe_catalog cat = { 0 };
	struct kk_store *s = NULL;
	int rc = 1;

	if (!xml && !ja)
		return cli_usage_error(a, "%s", _("give XMLFILE, --ja JSONFILE or both"));
	s = cli_open(a);
	if (!s)
		return 1;
	if (kk_cwe_import(s, xml, ja, &counts, &err) || kk_cwe_catalog_get(s, &cat, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (xml)
		printf(_("keikai: imported CWE %s (%s): %zu weaknesses, %zu categories, %zu views\n"),
		       cat.version ? cat.version : "?", cat.released ? cat.released : "?", counts.weaknesses,
		       counts.categories, counts.views);
	if (ja)
		printf(_("keikai: imported %zu Japanese names (CWE-1003 %s); %zu ids not in the catalogue skipped\n"),
		       counts.named_ja, cat.ja_version ? cat.ja_version : "?", counts.unknown_ja);
	printf(_("keikai: the catalogue holds %zu weaknesses, %zu categories, %zu views; %zu with a Japanese name\n"),
	       cat.weaknesses, cat.categories, cat.views, cat.named_ja);
	rc = 0;
out:
	kk_cwe_catalog_release(&cat);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option cwe_options[] = {
	{ "ja", 0, "JSONFILE", 0, N_("Japanese names (the catalogue must hold the ids already)") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command cwe = {
	.name = "cwe",
	.run = import_cwe,
	.flags = CLI_DB,
	.options = cwe_options,
	.operands = "[XMLFILE]",
	.max_operands = 1,
	.summary = N_("MITRE's CWE catalogue and Japanese names"),
	.description = N_("Loads MITRE's CWE catalogue (cwec_v4.x.xml) and, with --ja, Japanese names\n"
			  "in the format of JPCERT/CC's cwe-1003-ja.json; at least one of the two.\n"
			  "Entries are added or updated, Japanese names are kept when the XML is\n"
			  "imported again. Everything is one transaction: a bad file stores nothing."),
};

static const struct cli_command *const kinds[] = { &cwe, NULL };

const struct cli_command cmd_import = {
	.name = "import",
	.summary = N_("load reference data (import cwe)"),
	.description = N_("Loads public reference data into the database."),
	.subs = kinds,
};
