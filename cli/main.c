/*
 * main.c: the keikai binary. Finds the subcommand in the table and runs it, after
 * setting up what every subcommand needs: the clock, the language, password cost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "keikai/account.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "init", cmd_init, "create a new database" },
	{ "user", cmd_user, "manage users (user add)" },
	{ "token", cmd_token, "manage API tokens (token create)" },
	{ "serve", cmd_serve, "serve the web pages and the API" },
	{ "outbox", cmd_outbox, "show queued messages (outbox list)" },
	{ "demo", cmd_demo, "fill a database with demo data" },
	{ "cvss", cmd_cvss, "score CVSS vectors (v2.0, v3.0, v3.1, v4.0)" },
	{ "cpe", cmd_cpe, "parse and match CPE names (cpe parse, cpe match)" },
	{ "import", cmd_import, "load reference data (import cwe)" },
	{ "cwe", cmd_cwe, "look up the CWE catalogue (cwe show, cwe search)" },
	{ "db", cmd_db, "move a deployment between databases (db copy)" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: keikai <command> [options]   (keikai <command> --help)\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
}

int cli_fail(const char *cmd, const struct kk_error *err)
{
	fprintf(stderr, "keikai %s: %s\n", cmd, err->msg[0] ? err->msg : "failed");
	if (err->fields) {
		const char *key;
		json_t *v;

		json_object_foreach(err->fields, key, v)
			fprintf(stderr, "  %s: %s\n", key, json_string_value(v));
	}
	return 1;
}

int cli_dispatch(const char *cmd, const char *usage, const struct cli_subcommand *subs, int argc, char **argv)
{
	int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0);
	FILE *out = help ? stdout : stderr;

	for (int i = 0; argc >= 2 && subs[i].name; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].fn(argc - 1, argv + 1);
	if (argc >= 2 && !help)
		fprintf(stderr, "keikai %s: '%s' is not one of its subcommands\n", cmd, argv[1]);
	fputs(usage, out);
	for (int i = 0; subs[i].name; i++)
		fprintf(out, "  %-8s %s\n", subs[i].name, subs[i].summary);
	return help ? 0 : 2;
}

const char *cli_db(const char *option)
{
	const char *env = getenv("KEIKAI_DB");

	return option ? option : env && *env ? env : NULL;
}

struct kk_store *cli_open(const char *cmd, const char *path)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;

	if (!(path = cli_db(path))) {
		fprintf(stderr, "keikai %s: --db ADDRESS (or KEIKAI_DB) is required\n", cmd);
		return NULL;
	}
	if (kk_store_open(path, 0, &s, &err))
		cli_fail(cmd, &err);
	kk_error_release(&err);
	return s;
}

char *cli_read_line(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);

	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

int main(int argc, char **argv)
{
	const char *lang;
	enum kk_lang l = KK_LANG_EN;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("keikai %s\n", KK_VERSION);
		return 0;
	}
	kk_i18n_init();
	/* The command line speaks the user's language when LANG says Japanese. */
	lang = getenv("LANG");
	if (lang && kk_lang_parse(lang, &l) != 0)
		l = KK_LANG_EN;
	kk_i18n_use(lang ? l : KK_LANG_EN);
	kk_clock_from_env();
	kk_password_cost_from_env();
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(argv[1], c->name) == 0)
			return c->fn(argc - 1, argv + 1);
	fprintf(stderr, "keikai: '%s' is not a command\n", argv[1]);
	usage(stderr);
	return 2;
}
