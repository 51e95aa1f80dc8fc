/*
 * cmd_db.c: `keikai db copy --from SRC --to DST` moves a whole deployment from
 * one database to another: SQLite to PostgreSQL, back, or alike
 * (keikai/store_copy.h). docs/cli/db.md is the manual. Exit status: 0 copied,
 * 1 a database was refused or the copy failed (nothing copied), 2 wrong usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/store_copy.h"
#include "keikai/util.h"

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

static int db_copy(const struct cli_args *a)
{
	const char *from = cli_value(a, "from"), *to = cli_value(a, "to");
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *src = NULL, *dst = NULL;
	struct tally tally = { 0, 0 };
	char *shown_from = NULL, *shown_to = NULL;
	int rc = 1;

	/* The source first: a mistyped SRC must not leave a new DST file behind. */
	if (kk_store_open(from, 0, &src, &err) || kk_store_open(to, KK_STORE_MAY_CREATE, &dst, &err) ||
	    kk_store_copy(src, dst, print_table, &tally, &err)) {
		rc = cli_fail(a->name, &err);
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

static const struct cli_option copy_options[] = {
	{ "from", 0, "SRC", CLI_REQUIRED, N_("the database to copy (left unchanged apart from migrations)") },
	{ "to", 0, "DST", CLI_REQUIRED, N_("the database to fill") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command copy = {
	.name = "copy",
	.run = db_copy,
	.options = copy_options,
	.summary = N_("copy a whole deployment into an empty database"),
	.description = N_("Copies every table of the keikai database SRC into DST, which must hold no\n"
			  "data: SQLite to PostgreSQL, back, or alike. SRC and DST are addresses as\n"
			  "--db takes them (a file path or a postgresql:// URI); both are brought to\n"
			  "the current schema first, and a missing DST file is created. One\n"
			  "transaction: on any failure nothing is copied. Prints each table and its\n"
			  "number of rows. Stop every server writing to SRC first."),
};

static const struct cli_command *const subs[] = { &copy, NULL };

const struct cli_command cmd_db = {
	.name = "db",
	.summary = N_("move a deployment between databases (db copy)"),
	.description = N_("Moves a deployment between databases."),
	.subs = subs,
};
