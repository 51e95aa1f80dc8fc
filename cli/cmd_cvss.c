/*
 * cmd_cvss.c: `keikai cvss [--json] [VECTOR...]` scores CVSS vectors (v2.0, v3.0,
 * v3.1, v4.0), one output line per vector, from the arguments or, without them,
 * from standard input, one vector per line. docs/cli/cvss.md is its manual.
 * Options may stand anywhere before "--"; the other arguments are vectors.
 *
 * An invalid vector is reported on standard error, in the language main.c chose
 * (gettext), and makes the exit status 1, but the others are still scored. Blanks
 * around a vector are ignored, blank lines too.
 */
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "cli.h"
#include "keikai/cvss.h"
#include "keikai/i18n.h"
#include "keikai/banned.h"

/* A score in tenths as "9.8". */
static void put_score(FILE *out, int tenths)
{
	fprintf(out, "%d.%d", tenths / 10, tenths % 10);
}

static void print_text(FILE *out, const struct kk_cvss *c, const char *canonical)
{
	enum kk_cvss_version v = c->version;

	fprintf(out, "%s  v%s", canonical, kk_cvss_version_name(v));
	if (v == KK_CVSS_V4_0) {
		fprintf(out, "  %s ", kk_cvss_nomenclature(c));
		put_score(out, c->score);
		fprintf(out, " %s\n", kk_cvss_severity_name(kk_cvss_rate(v, c->score)));
		return;
	}
	fputs("  base ", out);
	put_score(out, c->base);
	fprintf(out, " %s", kk_cvss_severity_name(kk_cvss_rate(v, c->base)));
	if (c->temporal >= 0) {
		fputs("  temporal ", out);
		put_score(out, c->temporal);
		fprintf(out, " %s", kk_cvss_severity_name(kk_cvss_rate(v, c->temporal)));
	}
	if (c->environmental >= 0) {
		fputs("  environmental ", out);
		put_score(out, c->environmental);
		fprintf(out, " %s", kk_cvss_severity_name(kk_cvss_rate(v, c->environmental)));
	}
	fputc('\n', out);
}

/* The canonical vector holds only letters, digits, ':', '.' and '/', so it needs no
 * JSON escaping. */
static void print_json(FILE *out, const struct kk_cvss *c, const char *canonical)
{
	enum kk_cvss_version v = c->version;

	fprintf(out, "{\"vector\":\"%s\",\"version\":\"%s\"", canonical, kk_cvss_version_name(v));
	if (v == KK_CVSS_V4_0) {
		fputs(",\"score\":", out);
		put_score(out, c->score);
		fprintf(out, ",\"severity\":\"%s\",\"nomenclature\":\"%s\"}\n",
			kk_cvss_severity_name(kk_cvss_rate(v, c->score)), kk_cvss_nomenclature(c));
		return;
	}
	fputs(",\"base_score\":", out);
	put_score(out, c->base);
	fprintf(out, ",\"base_severity\":\"%s\"", kk_cvss_severity_name(kk_cvss_rate(v, c->base)));
	if (c->temporal >= 0) {
		fputs(",\"temporal_score\":", out);
		put_score(out, c->temporal);
	}
	if (c->environmental >= 0) {
		fputs(",\"environmental_score\":", out);
		put_score(out, c->environmental);
	}
	fputs("}\n", out);
}

/* The input as it may be shown on a terminal: printable ASCII, cut when long. */
static void put_shown(FILE *out, const char *s, size_t n)
{
	size_t max = n > 200 ? 200 : n;

	for (size_t i = 0; i < max; i++) {
		unsigned char ch = (unsigned char)s[i];

		fputc(ch >= 0x20 && ch < 0x7f ? ch : '?', out);
	}
	if (max < n)
		fputs("...", out);
}

static const char *translate(const char *msgid)
{
	return gettext(msgid);
}

/* Scores one vector and prints it; 0, or 1 when it is invalid. */
static int score_one(const char *s, size_t n, int json)
{
	struct kk_cvss_error err;
	struct kk_cvss c;
	char canonical[KK_CVSS_VECTOR_MAX], msg[256];

	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (kk_cvss_parse(s, n, &c, &err) != 0) {
		kk_cvss_format_error(&err, translate, msg, sizeof(msg));
		fputs("keikai cvss: ", stderr);
		put_shown(stderr, s, n);
		fprintf(stderr, ": %s\n", msg);
		return 1;
	}
	kk_cvss_canonical(&c, canonical, sizeof(canonical));
	if (json)
		print_json(stdout, &c, canonical);
	else
		print_text(stdout, &c, canonical);
	return 0;
}

static int cvss(const struct cli_args *a)
{
	int rc = 0;

	if (a->argc) {
		for (int i = 0; i < a->argc; i++)
			rc |= score_one(a->argv[i], strlen(a->argv[i]), a->json);
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while ((n = getline(&line, &cap, stdin)) >= 0) {
			size_t len = (size_t)n;

			while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
				len--;
			if (strspn(line, " \t") >= len)
				continue; /* a blank line is no vector */
			rc |= score_one(line, len, a->json);
		}
		free(line);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("keikai cvss: standard output");
		return 1;
	}
	return rc;
}

const struct cli_command cmd_cvss = {
	.name = "cvss",
	.run = cvss,
	.flags = CLI_JSON,
	.operands = "[VECTOR...]",
	.max_operands = -1,
	.summary = N_("score CVSS vectors (v2.0, v3.0, v3.1, v4.0)"),
	.description = N_("Scores CVSS v2.0, v3.0, v3.1 and v4.0 vectors, one line per vector. Without\n"
			  "VECTOR, reads one vector per line from standard input. --json prints one\n"
			  "JSON object per line instead of text. A VECTOR that starts with '-' goes\n"
			  "after \"--\".\n"
			  "Exit status: 0 all vectors valid, 1 some vector invalid, 2 usage error."),
};
