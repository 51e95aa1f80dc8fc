/*
 * cmd_init.c: `keikai init --db ADDRESS [--tracking-prefix IPA] [--case-prefix VU] [--base-url URL]`
 * creates a new database at the current schema. docs/cli/init.md is the manual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/case.h"
#include "keikai/i18n.h"
#include "keikai/settings.h"
#include "keikai/util.h"

static int prefix_valid(const char *p)
{
	size_t n = strlen(p);

	if (n < 1 || n > 8)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] < 'A' || p[i] > 'Z')
			return 0;
	return 1;
}

static int init(const struct cli_args *a)
{
	const char *prefix = cli_value(a, "tracking-prefix"), *base = cli_value(a, "base-url"),
		   *case_prefix = cli_value(a, "case-prefix");
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;
	char *shown;
	int rc = 1;

	if (!prefix)
		prefix = "IPA";
	if (!base)
		base = "http://127.0.0.1:8080";
	if (!case_prefix)
		case_prefix = KK_CASE_DEFAULT_PREFIX;
	if (!prefix_valid(prefix))
		return cli_usage_error(a, _("the tracking prefix must be 1 to 8 capital letters (A-Z): %s"), prefix);
	if (!prefix_valid(case_prefix))
		return cli_usage_error(a, _("the case prefix must be 1 to 8 capital letters (A-Z): %s"), case_prefix);
	if (kk_store_open(a->db, KK_STORE_CREATE, &s, &err) || kk_setting_set(s, "tracking_prefix", prefix, &err) ||
	    kk_setting_set(s, "case_prefix", case_prefix, &err) || kk_setting_set(s, "base_url", base, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	shown = kk_store_address_redact(a->db);
	printf(_("keikai: created %s (%s, schema version %d, tracking numbers %s#nnnnnnnn, cases %s#nnnnnn)\n"),
	       shown ? shown : "", kk_store_engine(s), kk_store_schema_version(s), prefix, case_prefix);
	free(shown);
	rc = 0;
out:
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option options[] = {
	{ "tracking-prefix", 0, "PREFIX", 0, N_("capital letters before '#' in tracking numbers (default IPA)") },
	{ "case-prefix", 0, "PREFIX", 0, N_("capital letters before '#' in case numbers (default VU)") },
	{ "base-url", 0, "URL", 0,
	  N_("the public address, used in links sent to finders\n(default http://127.0.0.1:8080)") },
	{ NULL, 0, NULL, 0, NULL },
};

const struct cli_command cmd_init = {
	.name = "init",
	.run = init,
	.flags = CLI_DB,
	.options = options,
	.summary = N_("create a new database"),
	.description = N_("Creates a new keikai database (refuses to overwrite one). ADDRESS is a file\n"
			  "path (SQLite) or a postgresql:// URI of an existing, empty database."),
};
