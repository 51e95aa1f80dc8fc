/*
 * cmd_cpe.c: `keikai cpe parse NAME` prints the well-formed name of a CPE name and
 * both of its bindings; `keikai cpe match SOURCE TARGET` prints how the source
 * name relates to the target (NISTIR 7695 and 7696, through keikai/cpe.h).
 * docs/cli/cpe.md is the manual. Exit status: 0 done, 1 a name is invalid,
 * 2 wrong usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/cpe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

int cmd_cpe(int argc, char **argv);

static const char usage_cpe[] =
	"usage: keikai cpe parse NAME\n"
	"       keikai cpe match [--attributes] SOURCE TARGET\n"
	"  NAME, SOURCE and TARGET are CPE names: formatted strings (cpe:2.3:...),\n"
	"  URIs (cpe:/...) or well-formed names (wfn:[...]); quote them for the shell.\n"
	"  keikai cpe parse --help and keikai cpe match --help say more.\n";

static const char usage_parse[] =
	"usage: keikai cpe parse NAME\n"
	"  Prints the well-formed name and both bindings of NAME, one per line:\n"
	"    wfn: wfn:[part=\"a\",vendor=\"microsoft\",...]\n"
	"    fs: cpe:2.3:a:microsoft:...\n"
	"    uri: cpe:/a:microsoft:...\n"
	"  An invalid NAME is reported on standard error with the reason (exit status 1).\n";

static const char usage_match[] =
	"usage: keikai cpe match [--attributes] SOURCE TARGET\n"
	"  Prints how SOURCE relates to TARGET (NISTIR 7696): SUPERSET, SUBSET, EQUAL\n"
	"  or DISJOINT. SOURCE may hold wild cards (* and ? at the start or end of a\n"
	"  value); TARGET should not.\n"
	"  --attributes  first print each attribute's relation, one per line\n";

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
	char *s = malloc(n + 1);

	if (s)
		fn(cpe, s, n + 1);
	return s;
}

static int cpe_parse(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kk_cpe cpe;
	char *wfn = NULL, *fs = NULL, *uri = NULL;
	int c, rc = 1;

	kk_cpe_init(&cpe);
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': fputs(usage_parse, stdout); return 0;
		default: fputs(usage_parse, stderr); return 2;
		}
	}
	if (argc - optind != 1) {
		fputs(usage_parse, stderr);
		return 2;
	}
	if (parse_name(argv[optind], &cpe) != 0)
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

static int cpe_match(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "attributes", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kk_cpe source, target;
	enum kk_cpe_relation attrs[KK_CPE_NATTR];
	int c, a, rc = 1, show_attrs = 0;

	kk_cpe_init(&source);
	kk_cpe_init(&target);
	while ((c = getopt_long(argc, argv, "ah", opts, NULL)) != -1) {
		switch (c) {
		case 'a': show_attrs = 1; break;
		case 'h': fputs(usage_match, stdout); return 0;
		default: fputs(usage_match, stderr); return 2;
		}
	}
	if (argc - optind != 2) {
		fputs(usage_match, stderr);
		return 2;
	}
	if (parse_name(argv[optind], &source) != 0 || parse_name(argv[optind + 1], &target) != 0)
		goto out;
	if (show_attrs) {
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

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} subcommands[] = {
	{ "parse", cpe_parse },
	{ "match", cpe_match },
	{ NULL, NULL },
};

int cmd_cpe(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fputs(usage_cpe, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_cpe, stdout);
		return 0;
	}
	for (i = 0; subcommands[i].name; i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "keikai cpe: '%s' is not a cpe command\n", argv[1]);
	fputs(usage_cpe, stderr);
	return 2;
}
