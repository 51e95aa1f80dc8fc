/*
 * cmd_cpe.c: `keikai cpe parse NAME` prints the well-formed name of a CPE name and
 * both of its bindings; `keikai cpe match SOURCE TARGET` prints how the source
 * name relates to the target (NISTIR 7695 and 7696, through keikai/cpe.h).
 * docs/cli/cpe.md is the manual. Exit status: 0 done, 1 a name is invalid,
 * 2 wrong usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/cpe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

/* Prints why name was refused, pointing at the fault when the name fits a line. */
static int report_invalid(const char *name, const struct kk_cpe_error *err)
{
	size_t len = strlen(name), i;
	int printable = len <= 160;

	fprintf(stderr, "keikai cpe: %s: ", _("invalid CPE name"));
	if (err->attribute >= 0)
		fprintf(stderr, "%s: ", kk_cpe_attr_name(err->attribute));
	fputs(_(kk_cpe_strerror(err->code)), stderr);
	if (err->detail[0])
		fprintf(stderr, ": %s", err->detail);
	fprintf(stderr, " (%s %zu)\n", _("column"), err->offset + 1);
	for (i = 0; i < len && printable; i++)
		printable = name[i] > 0x20 && name[i] < 0x7f;
	if (printable && err->offset <= len)
		fprintf(stderr, "  %s\n  %*s^\n", name, (int)err->offset, "");
	return 1;
}

static int parse_name(const char *name, struct kk_cpe *out)
{
	struct kk_cpe_error err;

	if (kk_cpe_parse(name, out, &err) != KK_OK)
		return report_invalid(name, &err);
	return 0;
}

/* A binding into a fresh buffer the caller frees, or NULL without memory. */
static char *bound_text(const struct kk_cpe *cpe,
			size_t (*fn)(const struct kk_cpe *, char *, size_t))
{
	size_t n = fn(cpe, NULL, 0);
	char *s = kk_malloc(n + 1);

	if (s)
		fn(cpe, s, n + 1);
	return s;
}

static int cpe_parse(const struct cli_args *a)
{
	struct kk_cpe cpe;
	char *wfn = NULL, *fs = NULL, *uri = NULL;
	int rc = 1;

	kk_cpe_init(&cpe);
	if (parse_name(a->argv[0], &cpe) != 0)
		goto out;
	wfn = bound_text(&cpe, kk_cpe_to_wfn);
	fs = bound_text(&cpe, kk_cpe_to_fs);
	uri = bound_text(&cpe, kk_cpe_to_uri);
	if (!wfn || !fs || !uri) {
		fprintf(stderr, "keikai cpe: %s\n", _("out of memory"));
		goto out;
	}
	printf("wfn: %s\nfs: %s\nuri: %s\n", wfn, fs, uri);
	/* SPEC 7695 6.1.3.2: unbinding a URI lowercases it */
	if (!kk_cpe_uri_lossless(&cpe))
		fprintf(stderr, "keikai cpe: %s\n",
			_("note: the URI reads back in lowercase (URI unbinding folds letter case)"));
	rc = 0;
out:
	free(wfn);
	free(fs);
	free(uri);
	kk_cpe_release(&cpe);
	return rc;
}

static int cpe_match(const struct cli_args *args)
{
	struct kk_cpe source, target;
	enum kk_cpe_relation attrs[KK_CPE_NATTR];
	int a, rc = 1;

	kk_cpe_init(&source);
	kk_cpe_init(&target);
	if (parse_name(args->argv[0], &source) != 0 || parse_name(args->argv[1], &target) != 0)
		goto out;
	if (cli_value(args, "attributes")) {
		kk_cpe_match(&source, &target, attrs);
		for (a = 0; a < KK_CPE_NATTR; a++)
			printf("%-11s %s\n", kk_cpe_attr_name(a), kk_cpe_relation_name(attrs[a]));
	}
	printf("%s\n", kk_cpe_relation_name(kk_cpe_compare(&source, &target)));
	rc = 0;
out:
	kk_cpe_release(&source);
	kk_cpe_release(&target);
	return rc;
}

static const struct cli_command parse = {
	.name = "parse",
	.run = cpe_parse,
	.operands = "NAME",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("print the well-formed name and both bindings of a name"),
	.description = N_("Prints the well-formed name and both bindings of NAME, one per line:\n"
			  "  wfn: wfn:[part=\"a\",vendor=\"microsoft\",...]\n"
			  "  fs: cpe:2.3:a:microsoft:...\n"
			  "  uri: cpe:/a:microsoft:...\n"
			  "An invalid NAME is reported on standard error with the reason (exit status 1).\n"
			  "NAME is a formatted string (cpe:2.3:...), a URI (cpe:/...) or a well-formed\n"
			  "name (wfn:[...]); quote it for the shell."),
};

static const struct cli_option match_options[] = {
	{ "attributes", 'a', NULL, 0, N_("first print each attribute's relation, one per line") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command match = {
	.name = "match",
	.run = cpe_match,
	.options = match_options,
	.operands = "SOURCE TARGET",
	.min_operands = 2,
	.max_operands = 2,
	.summary = N_("print how one name relates to another"),
	.description = N_("Prints how SOURCE relates to TARGET (NISTIR 7696): SUPERSET, SUBSET, EQUAL\n"
			  "or DISJOINT. SOURCE may hold wild cards (* and ? at the start or end of a\n"
			  "value); TARGET should not."),
};

static const struct cli_command *const subs[] = { &parse, &match, NULL };

const struct cli_command cmd_cpe = {
	.name = "cpe",
	.summary = N_("parse and match CPE names (cpe parse, cpe match)"),
	.description = N_("Reads and compares CPE 2.3 names (NISTIR 7695 and 7696): formatted strings\n"
			  "(cpe:2.3:...), URIs (cpe:/...) or well-formed names (wfn:[...]); quote them\n"
			  "for the shell."),
	.subs = subs,
};
