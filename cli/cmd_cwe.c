/*
 * cmd_cwe.c: `keikai cwe show --db ADDRESS ID` prints one entry of the CWE
 * catalogue; `keikai cwe search --db ADDRESS QUERY` lists entries whose id or name
 * matches, as a picker would (keikai/cwe.h). The catalogue is loaded with
 * `keikai import cwe`. docs/cli/cwe.md is the manual. Exit status: 0 found,
 * 1 a bad id, no such entry or no match, 2 wrong usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static const char usage[] =
	"usage: keikai cwe show --db ADDRESS [--json] ID\n"
	"       keikai cwe search --db ADDRESS [--limit N] QUERY\n"
	"  ID is written CWE-79 or 79. keikai cwe show --help and keikai cwe search\n"
	"  --help say more.\n";

static const char usage_show[] =
	"usage: keikai cwe show --db ADDRESS [--json] ID\n"
	"  Prints the entry ID (CWE-79 or 79) of the CWE catalogue: its id and kind,\n"
	"  English and Japanese names, abstraction, status and description, one per\n"
	"  line; the first line names it in the language LANG asks for.\n"
	"  --json  print the entry as one JSON object\n";

static const char usage_search[] =
	"usage: keikai cwe search --db ADDRESS [--limit N] QUERY\n"
	"  Lists the entries whose id is QUERY or whose English or Japanese name holds\n"
	"  it, weaknesses first, one per line: id, kind, abstraction, name.\n"
	"  --limit N  at most N entries, 1 to 100 (default 20)\n";

static void print_field(const char *label, const char *value)
{
	if (value)
		printf("%s: %s\n", label, value);
}

static int cwe_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe entry = { 0 };
	struct kk_store *s = NULL;
	char written[KK_CWE_ID_LEN];
	int c, id, as_json = 0, rc = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'j': as_json = 1; break;
		case 'h': fputs(usage_show, stdout); return 0;
		default: fputs(usage_show, stderr); return 2;
		}
	}
	if (argc - optind != 1 || !(db = cli_db(db))) {
		fputs(usage_show, stderr);
		return 2;
	}
	if (kk_cwe_parse_id(argv[optind], &id, &err)) {
		rc = cli_fail("cwe show", &err);
		goto out;
	}
	s = cli_open("cwe show", db);
	if (!s)
		goto out;
	if (kk_cwe_get(s, id, &entry, &err)) {
		rc = cli_fail("cwe show", &err);
		goto out;
	}
	if (as_json) {
		json_t *o = kk_cwe_to_json(&entry);

		if (!o || json_dumpf(o, stdout, JSON_INDENT(1)) != 0) {
			json_decref(o);
			kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
			rc = cli_fail("cwe show", &err);
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

static int cwe_search(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_cwe *items = NULL;
	struct kk_store *s = NULL;
	char written[KK_CWE_ID_LEN], *end;
	size_t n = 0;
	long limit = 20;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l':
			limit = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || limit < 1 || limit > 100) {
				fprintf(stderr, "keikai cwe search: --limit takes a number from 1 to 100: %s\n",
					optarg);
				return 2;
			}
			break;
		case 'h': fputs(usage_search, stdout); return 0;
		default: fputs(usage_search, stderr); return 2;
		}
	}
	if (argc - optind != 1 || !(db = cli_db(db))) {
		fputs(usage_search, stderr);
		return 2;
	}
	s = cli_open("cwe search", db);
	if (!s)
		return 1;
	if (kk_cwe_search(s, argv[optind], (size_t)limit, &items, &n, &err)) {
		rc = cli_fail("cwe search", &err);
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

int cmd_cwe(int argc, char **argv)
{
	int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);

	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return cwe_show(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "search") == 0)
		return cwe_search(argc - 1, argv + 1);
	fputs(usage, help ? stdout : stderr);
	return help ? 0 : 2;
}
