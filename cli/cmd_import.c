/*
 * cmd_import.c: `keikai import KIND ...` loads public reference data into a
 * database. Two kinds: `keikai import cwe --db ADDRESS [XMLFILE] [--ja JSON]`,
 * MITRE's CWE catalogue and JPCERT/CC's Japanese names (keikai/cwe.h), and
 * `keikai import myjvn-products --db ADDRESS FILE`, the MyJVN vendor/product
 * dictionary into the vendor registry (keikai/vendor.h). docs/cli/import.md is
 * the manual. Exit status of cwe: 0 imported, 1 a file or the database was
 * refused (nothing stored), 2 wrong usage; of myjvn-products: 0 every line
 * loaded, 1 a line refused or the import stopped (the batches before stay), 2
 * wrong usage.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"

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

/* Seconds on a clock that only goes forward. */
static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The progress of an import on a terminal: one line on stderr, redrawn. */
struct progress {
	double started;
};

static void show_progress(void *arg, const struct kk_vendor_import_summary *so_far)
{
	const struct progress *p = arg;
	double elapsed = seconds_now() - p->started, share = 0, rate, eta = 0;
	int filled;
	char bar[31];

	if (so_far->bytes_total)
		share = (double)so_far->bytes_read / (double)so_far->bytes_total;
	if (share > 1)
		share = 1;
	rate = elapsed > 0 ? (double)so_far->lines / elapsed : 0;
	if (share > 0)
		eta = elapsed / share - elapsed;
	filled = (int)(share * 30);
	for (int i = 0; i < 30; i++)
		bar[i] = i < filled ? '#' : '.';
	bar[30] = '\0';
	/* TRANSLATORS: the progress bar: bar, percent, lines read, lines a second, seconds left */
	fputc('\r', stderr);
	fprintf(stderr, _("[%s] %3.0f%%  %zu lines  %.0f lines/s  ETA %.0f s "), bar, share * 100,
		so_far->lines, rate, eta);
	fflush(stderr);
}

static int import_myjvn(const struct cli_args *a)
{
	struct kk_vendor_import_summary *sum = NULL;
	struct kk_error err = KK_ERROR_INIT;
	struct progress p = { seconds_now() };
	struct kk_store *s = NULL;
	int tty = isatty(STDERR_FILENO), rc = 1;
	enum kk_result res;

	sum = kk_malloc(sizeof(*sum));
	if (!sum) {
		kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
		rc = cli_fail(a->name, &err);
		goto out;
	}
	s = cli_open(a);
	if (!s)
		goto out;
	res = kk_vendor_import_myjvn(s, a->argv[0], tty ? show_progress : NULL, &p, sum, &err);
	if (tty)
		fputc('\n', stderr);
	for (size_t i = 0; i < sum->listed; i++)
		fprintf(stderr, "keikai %s: %s:%zu: %s\n", a->name, a->argv[0], sum->refusals[i].line,
			sum->refusals[i].msg);
	if (sum->refused > sum->listed)
		fprintf(stderr, _("keikai %s: %zu more refused lines not listed\n"), a->name,
			sum->refused - sum->listed);
	if (res)
		cli_fail(a->name, &err);
	if (sum->counted)
		fprintf(stderr,
			_("keikai: %zu lines read in %.1f s: %zu loaded (%zu with a CPE name repaired), %zu refused; "
			  "%" PRId64 " vendors and %" PRId64 " products added\n"),
			sum->lines, seconds_now() - p.started, sum->loaded, sum->repaired, sum->refused,
			sum->vendors_added, sum->products_added);
	else /* the totals could not be read */
		fprintf(stderr,
			_("keikai: %zu lines read in %.1f s: %zu loaded (%zu with a CPE name repaired), %zu refused\n"),
			sum->lines, seconds_now() - p.started, sum->loaded, sum->repaired, sum->refused);
	/* the registry's totals, the last line, in one form in every language */
	if (sum->counted)
		printf("%" PRId64 " vendors, %" PRId64 " products\n", sum->vendors, sum->products);
	rc = res == KK_OK && sum->refused == 0 ? 0 : 1;
out:
	free(sum);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_command myjvn_products = {
	.name = "myjvn-products",
	.run = import_myjvn,
	.flags = CLI_DB,
	.operands = "FILE",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("the MyJVN vendor/product dictionary into the vendor registry"),
	.description = N_("Loads the MyJVN vendor/product dictionary (JSON Lines, one product a line,\n"
			  "plain or gzip-compressed) into the vendor registry. Vendors and products are\n"
			  "keyed on MyJVN's vid and pid: a second run updates and adds, never duplicates.\n"
			  "A malformed line is refused with its line number and the others are loaded;\n"
			  "lines are committed in batches of 5,000. The last line printed gives the\n"
			  "registry's totals: \"N vendors, M products\". Exit status 1 when a line was\n"
			  "refused or the import stopped."),
};

static const struct cli_command *const kinds[] = { &cwe, &myjvn_products, &cmd_import_sbom, NULL };

const struct cli_command cmd_import = {
	.name = "import",
	.summary = N_("load reference data (import cwe, import myjvn-products, import sbom)"),
	.description = N_("Loads public reference data into the database."),
	.subs = kinds,
};
