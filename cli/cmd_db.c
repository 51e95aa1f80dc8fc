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
#include "keikai/keys.h"
#include "keikai/settings.h"
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

/* Issue 11 (keys.h): the copy's sealed files need the source's keys. When
 * the target would look for its keys elsewhere (a SQLite file's own ".keys",
 * or none on PostgreSQL), it is told the source's directory (the setting
 * keys_dir, an absolute path). A source without a keys directory has no
 * sealed files to read. */
static enum kk_result keep_keys(struct kk_store *src, struct kk_store *dst, struct kk_error *err)
{
	struct kk_error none = KK_ERROR_INIT;
	char *from = NULL, *abs = NULL, *to = NULL;
	enum kk_result res = KK_OK;

	if (kk_keys_dir(src, &from, &none) == KK_OK) {
		if (!(abs = cli_absolute_path(from)))
			res = kk_error_nomem(err);
		else if (kk_keys_dir(dst, &to, &none) != KK_OK || strcmp(to, abs) != 0)
			if (!(res = kk_setting_set(dst, "keys_dir", abs, err)))
				printf(_("keikai: the copy reads its sealed files with the keys in %s\n"), abs);
	}
	kk_error_release(&none);
	free(from);
	free(abs);
	free(to);
	return res;
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
	rc = keep_keys(src, dst, &err) ? cli_fail(a->name, &err) : 0;
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
