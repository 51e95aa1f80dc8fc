/*
 * print.c: what the commands that print registry records share (cli.h): a
 * JSON value as one line of stdout, and a name in the command line's
 * language (issue 8: `keikai vendor show|search`, `keikai import sbom`).
 */
#include <stdio.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/vendor.h"

int cli_print_json(const char *cmd, const json_t *j)
{
	struct kk_error err = KK_ERROR_INIT;
	int rc = 0;

	if (!j || json_dumpf(j, stdout, JSON_COMPACT) != 0 || putchar('\n') == EOF) {
		kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
		rc = cli_fail(cmd, &err);
		kk_error_release(&err);
	}
	return rc;
}

const char *cli_name(const char *ja, const char *en)
{
	return kk_vendor_name_in(kk_lang_code(kk_i18n_current()), ja, en);
}
