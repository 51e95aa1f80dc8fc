/*
 * cmd_import.c: `keikai import KIND ...` loads public reference data into a
 * database. One kind so far: `keikai import cwe --db ADDRESS [XMLFILE] [--ja JSON]`,
 * MITRE's CWE catalogue and JPCERT/CC's Japanese names (keikai/cwe.h).
 * docs/cli/import.md is the manual. Exit status: 0 imported, 1 a file or the
 * database was refused (nothing stored), 2 wrong usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static const char usage[] =
	"usage: keikai import KIND --db ADDRESS ...   (keikai import KIND --help)\n"
	"  Loads public reference data into the database.\n"
	"kinds:\n";

static const char usage_cwe[] =
	"usage: keikai import cwe --db ADDRESS [XMLFILE] [--ja JSONFILE]\n"
	"  Loads MITRE's CWE catalogue (cwec_v4.x.xml) and, with --ja, Japanese names\n"
	"  in the format of JPCERT/CC's cwe-1003-ja.json; at least one of the two.\n"
	"  Entries are added or updated, Japanese names are kept when the XML is\n"
	"  imported again. Everything is one transaction: a bad file stores nothing.\n"
	"  --ja JSONFILE  Japanese names (the catalogue must hold the ids already)\n";

static int import_cwe(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "ja", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *xml = NULL, *ja = NULL;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe_counts counts;
	struct kk_cwe_catalog cat = { 0 };
	struct kk_store *s = NULL;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'j': ja = optarg; break;
		case 'h': fputs(usage_cwe, stdout); return 0;
		default: fputs(usage_cwe, stderr); return 2;
		}
	}
	if (argc - optind > 1 || (argc - optind == 0 && !ja) || !(db = cli_db(db))) {
		fputs(usage_cwe, stderr);
		return 2;
	}
	if (argc - optind == 1)
		xml = argv[optind];
	s = cli_open("import cwe", db);
	if (!s)
		return 1;
	if (kk_cwe_import(s, xml, ja, &counts, &err) || kk_cwe_catalog_get(s, &cat, &err)) {
		rc = cli_fail("import cwe", &err);
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

static const struct cli_subcommand kinds[] = {
	{ "cwe", import_cwe, "MITRE's CWE catalogue and Japanese names" },
	{ NULL, NULL, NULL },
};

int cmd_import(int argc, char **argv)
{
	return cli_dispatch("import", usage, kinds, argc, argv);
}
