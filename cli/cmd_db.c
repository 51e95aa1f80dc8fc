/*
 * cmd_db.c: `keikai db copy --from SRC --to DST` moves a whole deployment from
 * one database to another: SQLite to PostgreSQL, back, or alike
 * (keikai/store_copy.h). docs/cli/db.md is the manual. Exit status: 0 copied,
 * 1 a database was refused or the copy failed (nothing copied), 2 wrong usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/store_copy.h"
#include "keikai/util.h"

static const char usage[] =
	"usage: keikai db COMMAND ...   (keikai db COMMAND --help)\n"
	"  Moves a deployment between databases.\n"
	"commands:\n";

static const char usage_copy[] =
	"usage: keikai db copy --from SRC --to DST\n"
	"  Copies every table of the keikai database SRC into DST, which must hold no\n"
	"  data: SQLite to PostgreSQL, back, or alike. SRC and DST are addresses as\n"
	"  --db takes them (a file path or a postgresql:// URI); both are brought to\n"
	"  the current schema first, and a missing DST file is created. One\n"
	"  transaction: on any failure nothing is copied. Prints each table and its\n"
	"  number of rows. Stop every server writing to SRC first.\n"
	"  --from SRC  the database to copy (left unchanged apart from migrations)\n"
	"  --to DST    the database to fill\n";

/* What the copy has done so far, for the summary line. */
struct tally {
	int tables;
	long long rows;
};

static void print_table(const char *table, int64_t rows, void *arg)
{
	struct tally *t = arg;

	printf("%-14s %8lld\n", table, (long long)rows);
	t->tables++;
	t->rows += rows;
}

static int db_copy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *to = NULL;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *src = NULL, *dst = NULL;
	struct tally tally = { 0, 0 };
	char *shown_from = NULL, *shown_to = NULL;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'h': fputs(usage_copy, stdout); return 0;
		default: fputs(usage_copy, stderr); return 2;
		}
	}
	if (!from || !to || optind < argc) {
		fputs(usage_copy, stderr);
		return 2;
	}
	/* The source first: a mistyped SRC must not leave a new DST file behind. */
	if (kk_store_open(from, 0, &src, &err) || kk_store_open(to, KK_STORE_MAY_CREATE, &dst, &err) ||
	    kk_store_copy(src, dst, print_table, &tally, &err)) {
		rc = cli_fail("db copy", &err);
		goto out;
	}
	shown_from = kk_store_address_redact(from);
	shown_to = kk_store_address_redact(to);
	printf(_("keikai: copied %s (%s) to %s (%s): %d tables, %lld rows\n"), shown_from ? shown_from : "",
	       kk_store_engine(src), shown_to ? shown_to : "", kk_store_engine(dst), tally.tables, tally.rows);
	rc = 0;
out:
	free(shown_from);
	free(shown_to);
	kk_store_close(dst);
	kk_store_close(src);
	kk_error_release(&err);
	return rc;
}

static const struct cli_subcommand commands[] = {
	{ "copy", db_copy, "copy a whole deployment into an empty database" },
	{ NULL, NULL, NULL },
};

int cmd_db(int argc, char **argv)
{
	return cli_dispatch("db", usage, commands, argc, argv);
}
