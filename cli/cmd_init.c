/*
 * cmd_init.c: `keikai init --db ADDRESS [--tracking-prefix IPA] [--case-prefix VU] [--base-url URL]
 * [--keys DIR]` creates a new database at the current schema, and the keys
 * directory with the evidence key when they are missing (issue 11; keys.h).
 * docs/cli/init.md is the manual.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "keikai/case.h"
#include "keikai/i18n.h"
#include "keikai/keys.h"
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

/* issue 11: the keys directory and the evidence key, made when missing and
 * never replaced (keys.h); says which it did. */
static enum kk_result make_keys(struct kk_store *s, const char *keys, struct kk_error *err)
{
	char *dir = NULL, *path = NULL;
	enum kk_result res = KK_OK;
	int had_key;

	if (keys) {
		char *abs = cli_absolute_path(keys);

		res = abs ? kk_setting_set(s, "keys_dir", abs, err)
			  : kk_error_set(err, KK_EIO, _("The keys directory %s could not be made absolute."), keys);
		free(abs);
	}
	if (!res)
		res = kk_keys_path(s, "evidence.key", &path, err);
	if (!res)
		res = kk_keys_dir(s, &dir, err);
	had_key = path && access(path, F_OK) == 0;
	if (!res)
		res = kk_keys_create(s, err);
	if (!res)
		printf(had_key ? _("keikai: kept the evidence key %s (the keys directory %s)\n")
			       : _("keikai: created the evidence key %s (the keys directory %s; back it up: without it "
				   "stored files cannot be read)\n"),
		       path, dir);
	free(path);
	free(dir);
	return res;
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
	/* keys.h: a PostgreSQL store has no file to put its keys beside; asked
	 * before anything is made, so a refused init leaves nothing behind */
	if (strcmp(kk_store_engine_of(a->db), "postgresql") == 0 && !cli_value(a, "keys") &&
	    kk_str_empty(getenv("KEIKAI_KEYS")))
		return cli_usage_error(a, "%s", _("a PostgreSQL store needs a keys directory: give --keys DIR (or set "
						  "KEIKAI_KEYS)"));
	if (kk_store_open(a->db, KK_STORE_CREATE, &s, &err) || kk_setting_set(s, "tracking_prefix", prefix, &err) ||
	    kk_setting_set(s, "case_prefix", case_prefix, &err) || kk_setting_set(s, "base_url", base, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	shown = kk_store_address_redact(a->db);
	printf(_("keikai: created %s (%s, schema version %d, tracking numbers %s#nnnnnnnn, cases %s#nnnnnn)\n"),
	       shown ? shown : "", kk_store_engine(s), kk_store_schema_version(s), prefix, case_prefix);
	free(shown);
	if (make_keys(s, cli_value(a, "keys"), &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
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
	{ "keys", 0, "DIR", 0,
	  N_("the directory of keikai's keys, outside the database (default: $KEIKAI_KEYS, or\n"
	     "for SQLite the database file's path with .keys added)") },
	{ NULL, 0, NULL, 0, NULL },
};

const struct cli_command cmd_init = {
	.name = "init",
	.run = init,
	.flags = CLI_DB,
	.options = options,
	.summary = N_("create a new database"),
	.description = N_("Creates a new keikai database (refuses to overwrite one). ADDRESS is a file\n"
			  "path (SQLite) or a postgresql:// URI of an existing, empty database.\n"
			  "Also creates the keys directory and in it the evidence key that seals\n"
			  "stored files, unless the key is there already (it is never replaced)."),
};
