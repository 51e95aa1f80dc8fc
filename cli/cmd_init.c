/*
 * cmd_init.c: `keikai init --db ADDRESS [--tracking-prefix IPA] [--base-url URL]`
 * creates a new database at the current schema.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/settings.h"
#include "keikai/util.h"

static const char usage[] =
	"usage: keikai init --db ADDRESS [--tracking-prefix PREFIX] [--base-url URL]\n"
	"  Creates a new keikai database (refuses to overwrite one).\n"
	"  --db               a file path (SQLite) or a postgresql:// URI of an existing,\n"
	"                     empty database; default $KEIKAI_DB\n"
	"  --tracking-prefix  capital letters before '#' in tracking numbers (default IPA)\n"
	"  --base-url         the public address, used in links sent to finders\n"
	"                     (default http://127.0.0.1:8080)\n";

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

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "tracking-prefix", required_argument, NULL, 'p' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *prefix = "IPA", *base = "http://127.0.0.1:8080";
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;
	char *shown;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'p': prefix = optarg; break;
		case 'b': base = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!(db = cli_db(db))) {
		fputs(usage, stderr);
		return 2;
	}
	if (!prefix_valid(prefix)) {
		fprintf(stderr, "keikai init: the tracking prefix must be 1 to 8 capital letters (A-Z): %s\n", prefix);
		return 2;
	}
	if (kk_store_open(db, KK_STORE_CREATE, &s, &err) || kk_setting_set(s, "tracking_prefix", prefix, &err) ||
	    kk_setting_set(s, "base_url", base, &err)) {
		rc = cli_fail("init", &err);
		goto out;
	}
	shown = kk_store_address_redact(db);
	printf("keikai: created %s (%s, schema version %d, tracking numbers %s#nnnnnnnn)\n", shown ? shown : "",
	       kk_store_engine(s), kk_store_schema_version(s), prefix);
	free(shown);
	rc = 0;
out:
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}
