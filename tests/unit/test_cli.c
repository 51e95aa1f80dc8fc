/*
 * test_cli.c: the command-line parser of the keikai binary (cli/options.c),
 * on command tables made for the test: options as `--name VALUE` and
 * `--name=VALUE` among the operands, "--", the shared --db (with $KEIKAI_DB),
 * --json and --help, and each way a command line is refused, with its message.
 * tests/e2e/t0800-cli.test.mjs runs the real commands.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int ran(const struct cli_args *a)
{
	(void)a;
	return 0;
}

static const struct cli_option add_options[] = {
	{ "org", 0, "NAME", CLI_REQUIRED, "the organisation" },
	{ "role", 0, "ROLE", 0, "the role" },
	{ "password-stdin", 0, NULL, 0, "read the password\nfrom standard input" },
	{ "all", 'a', NULL, 0, "everything" },
	{ NULL, 0, NULL, 0, NULL },
};

/* like `keikai user add`: a database, JSON, options of its own, one operand at most */
static const struct cli_command add = {
	.name = "add",
	.run = ran,
	.flags = CLI_DB | CLI_JSON,
	.options = add_options,
	.operands = "[FILE]",
	.max_operands = 1,
	.summary = "add one",
	.description = "Adds one.\nTwo lines.",
};

/* like `keikai cpe match`: no database, no JSON, exactly two operands */
static const struct cli_command pair = {
	.name = "pair",
	.run = ran,
	.operands = "SOURCE TARGET",
	.min_operands = 2,
	.max_operands = 2,
	.summary = "compare two",
};

/* Parses the words of line for c as `keikai NAME ...` would. */
#define ARGV_MAX 16
struct line {
	char *argv[ARGV_MAX];
	char buf[512];
	int argc;
};

static enum cli_parsed parse(const struct cli_command *c, const char *line, struct line *l, struct cli_args *a)
{
	char *save = NULL;

	snprintf(l->buf, sizeof(l->buf), "%s", line);
	l->argc = 0;
	for (char *w = strtok_r(l->buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		cr_assert_lt(l->argc, ARGV_MAX - 1);
		l->argv[l->argc++] = w;
	}
	l->argv[l->argc] = NULL;
	return cli_parse(c, c->name, l->argc, l->argv, a);
}

static void init(void)
{
	unsetenv("KEIKAI_DB");
}

TestSuite(cli, .init = init);

Test(cli, reads_options_anywhere_among_the_operands)
{
	struct line l;
	struct cli_args a;

	cr_assert_eq(parse(&add, "add file.xml --db x.db --org=IPA --password-stdin --json", &l, &a), CLI_PARSED, "%s",
		     a.problem);
	cr_assert_str_eq(a.db, "x.db");
	cr_assert_eq(a.json, 1);
	cr_assert_str_eq(cli_value(&a, "org"), "IPA", "--name=VALUE");
	cr_assert_str_eq(cli_value(&a, "password-stdin"), "", "a flag given is \"\"");
	cr_assert_null(cli_value(&a, "role"), "an option not given is NULL");
	cr_assert_null(cli_value(&a, "all"));
	cr_assert_eq(a.argc, 1);
	cr_assert_str_eq(a.argv[0], "file.xml");
	cr_assert_str_eq(a.name, "add");
}

Test(cli, a_value_option_takes_the_next_argument_and_the_last_one_wins)
{
	struct line l;
	struct cli_args a;

	/* as getopt_long did: the next argument is the value, whatever it is */
	cr_assert_eq(parse(&add, "add --db x.db --org --json --org IPA --role -a", &l, &a), CLI_PARSED, "%s", a.problem);
	cr_assert_str_eq(cli_value(&a, "org"), "IPA");
	cr_assert_str_eq(cli_value(&a, "role"), "-a");
	cr_assert_eq(a.json, 0);
	cr_assert_null(cli_value(&a, "all"));
	cr_assert_eq(parse(&add, "add --db x.db --org IPA -a", &l, &a), CLI_PARSED, "%s", a.problem);
	cr_assert_str_eq(cli_value(&a, "all"), "", "-a is --all");
}

Test(cli, a_double_dash_ends_the_options)
{
	struct line l;
	struct cli_args a;

	cr_assert_eq(parse(&pair, "pair -- --json -x", &l, &a), CLI_PARSED, "%s", a.problem);
	cr_assert_eq(a.argc, 2);
	cr_assert_str_eq(a.argv[0], "--json");
	cr_assert_str_eq(a.argv[1], "-x");
	cr_assert_eq(parse(&pair, "pair - cpe:/a", &l, &a), CLI_PARSED, "a lone '-' is an operand: %s", a.problem);
	cr_assert_str_eq(a.argv[0], "-");
}

Test(cli, an_unknown_option_is_refused_naming_it)
{
	struct line l;
	struct cli_args a;

	cr_assert_eq(parse(&add, "add --db x.db --org IPA --bogus", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "unknown option '--bogus'");
	cr_assert_eq(parse(&add, "add --db x.db --org IPA --bogus=1", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "unknown option '--bogus'", "the value is not part of the name");
	cr_assert_eq(parse(&add, "add --db x.db --org IPA -z", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "unknown option '-z'");
	cr_assert_eq(parse(&add, "add --db x.db --or IPA", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "unknown option '--or'", "long options are not abbreviated");
	/* --db and --json exist only for the commands that declare them */
	cr_assert_eq(parse(&pair, "pair a b --json", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "unknown option '--json'");
	cr_assert_eq(parse(&pair, "pair a b --db x.db", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "unknown option '--db'");
}

Test(cli, a_missing_value_is_refused_naming_the_option)
{
	struct line l;
	struct cli_args a;

	cr_assert_eq(parse(&add, "add --db x.db --org", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "the option --org needs a value (NAME)");
	cr_assert_eq(parse(&add, "add --org IPA --db", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "the option --db needs a value (ADDRESS)");
	cr_assert_eq(parse(&add, "add --db x.db --org IPA --json=yes", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "the option --json takes no value");
	cr_assert_eq(parse(&add, "add --db x.db --org IPA --password-stdin=1", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "the option --password-stdin takes no value");
}

Test(cli, required_options_and_operands_are_checked)
{
	struct line l;
	struct cli_args a;

	cr_assert_eq(parse(&add, "add --db x.db", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "--org NAME is required");
	cr_assert_eq(parse(&add, "add --db x.db --org IPA one two", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "unexpected operand 'two'");
	cr_assert_eq(parse(&pair, "pair a", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "missing operand: it takes SOURCE TARGET");
	cr_assert_eq(parse(&pair, "pair a b c", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "unexpected operand 'c'");
}

Test(cli, help_wins_wherever_it_stands_unless_an_error_comes_first)
{
	struct line l;
	struct cli_args a;

	cr_assert_eq(parse(&add, "add --help", &l, &a), CLI_HELP, "no required option is needed for --help");
	cr_assert_eq(parse(&add, "add --db x.db -h --org", &l, &a), CLI_HELP);
	cr_assert_eq(parse(&pair, "pair -h", &l, &a), CLI_HELP, "every command takes -h");
	cr_assert_eq(parse(&add, "add --bogus --help", &l, &a), CLI_USAGE, "options are read in order");
	cr_assert_eq(parse(&add, "add -- --help", &l, &a), CLI_USAGE, "after -- it is an operand");
	cr_assert_str_eq(a.problem, "--db ADDRESS (or KEIKAI_DB) is required");
}

Test(cli, db_comes_from_KEIKAI_DB_when_not_given)
{
	struct line l;
	struct cli_args a;

	cr_assert_eq(parse(&add, "add --org IPA", &l, &a), CLI_USAGE);
	cr_assert_str_eq(a.problem, "--db ADDRESS (or KEIKAI_DB) is required");
	setenv("KEIKAI_DB", "", 1);
	cr_assert_eq(parse(&add, "add --org IPA", &l, &a), CLI_USAGE, "an empty KEIKAI_DB is none");
	setenv("KEIKAI_DB", "from-env.db", 1);
	cr_assert_eq(parse(&add, "add --org IPA", &l, &a), CLI_PARSED, "%s", a.problem);
	cr_assert_str_eq(a.db, "from-env.db");
	cr_assert_eq(parse(&add, "add --org IPA --db given.db", &l, &a), CLI_PARSED, "%s", a.problem);
	cr_assert_str_eq(a.db, "given.db", "the option wins over KEIKAI_DB");
	cr_assert_eq(parse(&pair, "pair a b", &l, &a), CLI_PARSED, "%s", a.problem);
	cr_assert_null(a.db, "a command without CLI_DB has no database");
}

/* The help of c, as a string the caller frees. */
static char *help_text(const struct cli_command *c, int brief)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	cr_assert_not_null(out);
	cli_help(c, "user add", out, brief);
	cr_assert_eq(fclose(out), 0);
	return text;
}

Test(cli, help_lists_the_shared_and_the_own_options)
{
	char *full = help_text(&add, 0), *brief = help_text(&add, 1);

	cr_assert_str_eq(full,
			 "usage: keikai user add --db ADDRESS [--json] --org NAME [--role ROLE] [--password-stdin]"
			 " [--all] [FILE]\n"
			 "  Adds one.\n"
			 "  Two lines.\n"
			 "options:\n"
			 "  --db ADDRESS      the database: a file path (SQLite) or a postgresql:// URI;\n"
			 "                    default $KEIKAI_DB\n"
			 "  --json            print JSON instead of text\n"
			 "  --org NAME        the organisation\n"
			 "  --role ROLE       the role\n"
			 "  --password-stdin  read the password\n"
			 "                    from standard input\n"
			 "  --all, -a         everything\n"
			 "  --help, -h        print this help\n");
	cr_assert_str_eq(brief,
			 "usage: keikai user add --db ADDRESS [--json] --org NAME [--role ROLE] [--password-stdin]"
			 " [--all] [FILE]\n");
	free(full);
	free(brief);
}

Test(cli, a_command_with_subcommands_lists_them)
{
	static const struct cli_command *const subs[] = { &add, &pair, NULL };
	static const struct cli_command group = { .name = "user", .summary = "users", .description = "Users.",
						  .subs = subs };
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	cr_assert_not_null(out);
	cli_help(&group, "user", out, 0);
	cr_assert_eq(fclose(out), 0);
	cr_assert_str_eq(text, "usage: keikai user COMMAND [options]   (keikai user COMMAND --help)\n"
			       "  Users.\n"
			       "commands:\n"
			       "  add      add one\n"
			       "  pair     compare two\n");
	free(text);
}
