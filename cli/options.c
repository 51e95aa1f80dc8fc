/*
 * options.c: the one command-line parser of the keikai binary, driven by the
 * command tables of cli.h (git's parse-options, table-driven). It finds the
 * subcommand, reads the options each command declares, handles the ones every
 * command shares (--db with $KEIKAI_DB as fallback, --json, --help/-h) in one
 * place, and prints the help and the usage errors, in the language main.c chose.
 *
 * What it accepts is what getopt_long accepted before it (docs/cli/): long
 * options as `--name VALUE` or `--name=VALUE`, anywhere among the operands, up
 * to "--"; a value option takes the next argument whatever it is. It refuses
 * what getopt_long let through or reported vaguely: an unknown option, a
 * missing value, a value given to a flag, a missing required option and a wrong
 * number of operands are each named in the message, after the usage, and give
 * the exit status 2. Long options are not abbreviated.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/i18n.h"

/* The options every command shares, declared once. */
static const struct cli_option opt_db = {
	"db", 0, "ADDRESS", CLI_REQUIRED,
	N_("the database: a file path (SQLite) or a postgresql:// URI;\ndefault $KEIKAI_DB")
};
static const struct cli_option opt_json = { "json", 0, NULL, 0, N_("print JSON instead of text") };
static const struct cli_option opt_help = { "help", 'h', NULL, 0, N_("print this help") };

static size_t count_options(const struct cli_command *c)
{
	size_t n = 0;

	while (c->options && c->options[n].name)
		n++;
	assert(n <= CLI_MAX_OPTIONS);
	return n;
}

/* "keikai" and the full name: "keikai user add", or "keikai" alone. */
static void put_command(FILE *out, const char *name)
{
	fprintf(out, "keikai%s%s", *name ? " " : "", name);
}

static void put_problem(const char *name, const char *msg)
{
	put_command(stderr, name);
	fprintf(stderr, ": %s\n", msg);
}

/* Prints text, whose lines after the first start at column indent. */
static void put_indented(FILE *out, const char *text, int indent)
{
	for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1)
		fprintf(out, "%.*s\n%*s", (int)(nl - text), text, indent, "");
	fprintf(out, "%s\n", text);
}

/* "--name VALUE" or "--name, -x" into buf. */
static void option_label(const struct cli_option *o, char *buf, size_t size)
{
	if (o->letter)
		snprintf(buf, size, "--%s, -%c", o->name, o->letter);
	else if (o->value)
		snprintf(buf, size, "--%s %s", o->name, o->value);
	else
		snprintf(buf, size, "--%s", o->name);
}

static void put_synopsis_option(FILE *out, const struct cli_option *o)
{
	int optional = !(o->flags & CLI_REQUIRED);

	fprintf(out, " %s--%s%s%s%s", optional ? "[" : "", o->name, o->value ? " " : "", o->value ? o->value : "",
		optional ? "]" : "");
}

static void help_subs(const struct cli_command *c, const char *name, FILE *out, int brief)
{
	size_t width = 8;

	fprintf(out, "%s ", _("usage:"));
	put_command(out, name);
	fprintf(out, " COMMAND [options]   (");
	put_command(out, name);
	fprintf(out, " COMMAND --help)\n");
	if (!brief && c->description) {
		fputs("  ", out);
		put_indented(out, _(c->description), 2);
	}
	fprintf(out, "%s\n", _("commands:"));
	for (const struct cli_command *const *s = c->subs; *s; s++)
		if (strlen((*s)->name) > width)
			width = strlen((*s)->name);
	for (const struct cli_command *const *s = c->subs; *s; s++)
		fprintf(out, "  %-*s %s\n", (int)width, (*s)->name, _((*s)->summary));
}

void cli_help(const struct cli_command *c, const char *name, FILE *out, int brief)
{
	const struct cli_option *list[CLI_MAX_OPTIONS + 3];
	size_t n = count_options(c), count = 0, width = 0;
	char label[96];

	if (c->subs) {
		help_subs(c, name, out, brief);
		return;
	}
	/* --db and --json, the command's own options, --help last */
	if (c->flags & CLI_DB)
		list[count++] = &opt_db;
	if (c->flags & CLI_JSON)
		list[count++] = &opt_json;
	for (size_t i = 0; i < n; i++)
		list[count++] = &c->options[i];
	fprintf(out, "%s ", _("usage:"));
	put_command(out, name);
	for (size_t i = 0; i < count; i++)
		put_synopsis_option(out, list[i]);
	fprintf(out, "%s%s\n", c->operands ? " " : "", c->operands ? c->operands : "");
	if (brief)
		return;
	if (c->description) {
		fputs("  ", out);
		put_indented(out, _(c->description), 2);
	}
	list[count++] = &opt_help;
	for (size_t i = 0; i < count; i++) {
		option_label(list[i], label, sizeof(label));
		if (strlen(label) > width)
			width = strlen(label);
	}
	fprintf(out, "%s\n", _("options:"));
	for (size_t i = 0; i < count; i++) {
		option_label(list[i], label, sizeof(label));
		fprintf(out, "  %-*s  ", (int)width, label);
		put_indented(out, _(list[i]->help), (int)width + 4);
	}
}

/* The option of c that arg ("--name" without its "=value", or "-x") names:
 * one of c's own (*index set), or a shared one (*index -1). NULL: none. */
static const struct cli_option *find_option(const struct cli_command *c, const char *arg, size_t len, int *index)
{
	const struct cli_option *shared[] = { &opt_help, c->flags & CLI_DB ? &opt_db : NULL,
					      c->flags & CLI_JSON ? &opt_json : NULL };
	int letter = arg[1] != '-';
	size_t n = count_options(c);

	*index = -1;
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++) {
		const struct cli_option *o = shared[i];

		if (o && (letter ? o->letter == arg[1] && len == 2
				 : strlen(o->name) == len - 2 && strncmp(o->name, arg + 2, len - 2) == 0))
			return o;
	}
	for (size_t i = 0; i < n; i++) {
		const struct cli_option *o = &c->options[i];

		if (letter ? o->letter && o->letter == arg[1] && len == 2
			   : strlen(o->name) == len - 2 && strncmp(o->name, arg + 2, len - 2) == 0) {
			*index = (int)i;
			return o;
		}
	}
	return NULL;
}

static enum cli_parsed refuse(struct cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static enum cli_parsed refuse(struct cli_args *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->problem, sizeof(a->problem), fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

enum cli_parsed cli_parse(const struct cli_command *c, const char *name, int argc, char **argv, struct cli_args *a)
{
	size_t n = count_options(c);
	int operands = 1, dashdash = 0;

	assert(!c->subs && c->run);
	memset(a, 0, sizeof(*a));
	a->cmd = c;
	snprintf(a->name, sizeof(a->name), "%s", name);
	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		const struct cli_option *o;
		const char *value = NULL, *eq;
		size_t len;
		int index;

		if (dashdash || arg[0] != '-' || arg[1] == '\0') {
			argv[operands++] = arg; /* operands <= i: nothing unread is overwritten */
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			dashdash = 1;
			continue;
		}
		eq = arg[1] == '-' ? strchr(arg, '=') : NULL;
		len = eq ? (size_t)(eq - arg) : strlen(arg);
		o = find_option(c, arg, len, &index);
		if (!o)
			return refuse(a, _("unknown option '%.*s'"), (int)len, arg);
		if (o == &opt_help)
			return CLI_HELP;
		if (!o->value && eq)
			return refuse(a, _("the option --%s takes no value"), o->name);
		if (o->value && eq)
			value = eq + 1;
		else if (o->value && i + 1 < argc)
			value = argv[++i];
		else if (o->value)
			return refuse(a, _("the option --%s needs a value (%s)"), o->name, o->value);
		if (o == &opt_db)
			a->db = value;
		else if (o == &opt_json)
			a->json = 1;
		else
			a->values[index] = value ? value : "";
	}
	a->argc = operands - 1;
	a->argv = argv + 1;
	if (c->flags & CLI_DB && !a->db) {
		const char *env = getenv("KEIKAI_DB");

		if (!env || !*env)
			return refuse(a, "%s", _("--db ADDRESS (or KEIKAI_DB) is required"));
		a->db = env;
	}
	for (size_t i = 0; i < n; i++)
		if (c->options[i].flags & CLI_REQUIRED && !a->values[i]) {
			char label[96];

			snprintf(label, sizeof(label), "--%s%s%s", c->options[i].name, c->options[i].value ? " " : "",
				 c->options[i].value ? c->options[i].value : "");
			return refuse(a, _("%s is required"), label);
		}
	if (a->argc < c->min_operands)
		return refuse(a, _("missing operand: it takes %s"), c->operands ? c->operands : "");
	if (c->max_operands >= 0 && a->argc > c->max_operands)
		return refuse(a, _("unexpected operand '%s'"), a->argv[c->max_operands]);
	return CLI_PARSED;
}

int cli_run(const struct cli_command *c, const char *name, int argc, char **argv)
{
	struct cli_args a;

	if (c->subs) {
		char sub[64];

		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
			cli_help(c, name, stdout, 0);
			return 0;
		}
		for (const struct cli_command *const *s = c->subs; argc >= 2 && *s; s++)
			if (strcmp(argv[1], (*s)->name) == 0) {
				snprintf(sub, sizeof(sub), "%s%s%s", name, *name ? " " : "", (*s)->name);
				return cli_run(*s, sub, argc - 1, argv + 1);
			}
		cli_help(c, name, stderr, 1);
		if (argc >= 2) {
			snprintf(a.problem, sizeof(a.problem),
				 *name ? _("'%s' is not one of its subcommands") : _("'%s' is not a command"), argv[1]);
			put_problem(name, a.problem);
		}
		return 2;
	}
	switch (cli_parse(c, name, argc, argv, &a)) {
	case CLI_HELP:
		cli_help(c, name, stdout, 0);
		return 0;
	case CLI_USAGE:
		cli_help(c, name, stderr, 1);
		put_problem(name, a.problem);
		return (c->flags & CLI_SYSEXITS) ? 64 : 2;
	case CLI_PARSED:
		break;
	}
	return c->run(&a);
}

const char *cli_value(const struct cli_args *a, const char *name)
{
	size_t n = count_options(a->cmd);

	for (size_t i = 0; i < n; i++)
		if (strcmp(a->cmd->options[i].name, name) == 0)
			return a->values[i];
	assert(!"cli_value: the command declares no such option");
	return NULL;
}

int cli_usage_error(const struct cli_args *a, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_help(a->cmd, a->name, stderr, 1);
	put_problem(a->name, msg);
	return 2;
}
