/*
 * cmd_holidays.c: `keikai holidays import --db ADDRESS FILE` replaces the
 * administrator's holiday list with the Cabinet Office's CSV
 * (syukujitsu.csv, Shift_JIS or UTF-8; calendar.h, kk_holidays_import). The
 * list wins over the rules for every year it covers. docs/cli/holidays.md is
 * the manual. Exit status: 0 imported, 1 a bad file (nothing stored) or the
 * database failed, 2 wrong usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/alloc.h"
#include "keikai/calendar.h"
#include "keikai/i18n.h"

#define MAX_FILE (4u << 20) /* the Cabinet Office's file is about 20 KB */

static int import(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;
	size_t size, count;
	char *data = cli_read_file(a->argv[0], MAX_FILE, &size, &err);
	int rc = 1;

	if (!data || !(s = cli_open(a)))
		goto out;
	if (kk_holidays_import(s, data, size, &count, &err))
		goto out;
	printf(_("keikai: imported %zu holidays from %s\n"), count, a->argv[0]);
	rc = 0;
out:
	if (rc && err.code)
		cli_fail(a->name, &err);
	free(data);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_command import_cmd = {
	.name = "import",
	.run = import,
	.flags = CLI_DB,
	.operands = "FILE",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("load the Cabinet Office's list of national holidays"),
	.description = N_("Replaces the deployment's holiday list with FILE, the Cabinet Office's CSV\n"
			  "(syukujitsu.csv: a header line, then \"1955/1/1,元日\" a line; Shift_JIS as\n"
			  "published, or UTF-8). For every year FILE lists, the list alone decides\n"
			  "which days are holidays. A bad line is named with its number, and nothing\n"
			  "is stored."),
};

static const struct cli_command *const subs[] = { &import_cmd, NULL };

const struct cli_command cmd_holidays = {
	.name = "holidays",
	.summary = N_("the administrator's holiday list (holidays import)"),
	.description = N_("The list of national holidays the administrator loads; it wins over the\n"
			  "rules keikai computes for every year it covers."),
	.subs = subs,
};
