/*
 * cli.h: the commands of the keikai binary and what they share.
 *
 * Every command is a struct cli_command (git's commands[], redis's command
 * table): its name, what it runs, its flags (CLI_DB: it works on a database;
 * CLI_JSON: it can print JSON), its own options and operands, and its help. A
 * command with subcommands (`keikai db copy`) has a table of them instead of a
 * function. One parser (cli/options.c) reads every command line from these
 * tables: --db (with $KEIKAI_DB as fallback), --json and --help are declared
 * and handled there once, and an unknown option or a missing value is refused
 * naming it (exit status 2). Each cmd_*.c defines one command and calls the
 * core; only this front prints and exits. docs/cli/ is the manual.
 */
#ifndef KEIKAI_CLI_H
#define KEIKAI_CLI_H

#include <jansson.h>
#include <stdio.h>

#include "keikai/store.h"

/* Flags of a command. */
#define CLI_DB 0x1u   /* takes --db ADDRESS, required; $KEIKAI_DB when absent */
#define CLI_JSON 0x2u /* takes --json */
#define CLI_SYSEXITS 0x4u /* wrong usage exits 64 (EX_USAGE), for a command an MTA runs (mail-in) */

/* Flags of an option. */
#define CLI_REQUIRED 0x1u /* the command line must give it */

/* The most options one command may declare (besides --db, --json, --help). */
#define CLI_MAX_OPTIONS 12

/* One option of a command: --NAME, or -L when letter is set; it takes a value
 * (`--name VALUE` or `--name=VALUE`) when value names one for the help. */
struct cli_option {
	const char *name;  /* the long name without "--" */
	char letter;       /* a one-letter form, or 0 */
	const char *value; /* the value's name in the help ("NAME"); NULL: a flag */
	unsigned flags;    /* CLI_REQUIRED */
	const char *help;  /* one line for --help, marked N_() */
};

struct cli_args;

/* A command or subcommand. A command with subcommands has subs and no run. */
struct cli_command {
	const char *name;
	int (*run)(const struct cli_args *a); /* returns the exit status */
	unsigned flags;                       /* CLI_DB, CLI_JSON */
	const struct cli_option *options;     /* ended by a NULL name; NULL: none */
	const char *operands;                 /* their synopsis ("ID", "[XMLFILE]"); NULL: none */
	int min_operands, max_operands;       /* max_operands -1: any number */
	const char *summary;                  /* one line in the command list, N_() */
	const char *description;              /* lines for --help, N_(); NULL: none */
	const struct cli_command *const *subs; /* NULL-ended; NULL for a command that runs */
};

/* What the parser made of a command line, for the command's run(). */
struct cli_args {
	const struct cli_command *cmd;
	char name[64];                        /* "user add", for messages */
	const char *db;                       /* CLI_DB: --db or $KEIKAI_DB, never NULL */
	int json;                             /* CLI_JSON: 1 when --json was given */
	const char *values[CLI_MAX_OPTIONS];  /* per cmd->options entry: its value, "" for
					       * a flag given, NULL when absent */
	int argc;                             /* the operands, options taken out */
	char **argv;
	char problem[256];                    /* why the command line was refused */
};

enum cli_parsed {
	CLI_PARSED = 0, /* run the command */
	CLI_HELP,       /* --help or -h: print the help, exit status 0 */
	CLI_USAGE,      /* refused: a->problem says why; exit status 2 */
};

/* Parses argv (argv[0] is the command's name) for the command c, which has no
 * subcommands, into a; name is its full name ("user add"). Options and operands
 * may come in any order; "--" ends the options. argv is reordered: the operands
 * end up in a->argv. A later option wins over an earlier one. */
enum cli_parsed cli_parse(const struct cli_command *c, const char *name, int argc, char **argv, struct cli_args *a);

/* Runs the command line argv (argv[0] is c's name) through c: finds the
 * subcommand, parses, prints the help or the usage error, or runs it. Returns
 * the exit status: run()'s, 0 after --help, 2 for wrong usage. name is c's full
 * name, "" for keikai itself. */
int cli_run(const struct cli_command *c, const char *name, int argc, char **argv);

/* Prints the help of c (full name name) to out: all of it, or only the usage
 * lines (and the subcommands) when brief. */
void cli_help(const struct cli_command *c, const char *name, FILE *out, int brief);

/* The value of the option a's command declares as name: NULL when the command
 * line did not give it, "" for a flag it gave. */
const char *cli_value(const struct cli_args *a, const char *name);

/* Prints the usage of a's command, then "keikai NAME: " and the message, to
 * stderr; returns the exit status 2. */
int cli_usage_error(const struct cli_args *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints "keikai CMD: message" (and the fields of err) to stderr; returns 1. */
int cli_fail(const char *cmd, const struct kk_error *err);

/* Opens the existing database a->db, printing the error on failure: NULL then. */
struct kk_store *cli_open(const struct cli_args *a);

/* print.c: prints j (NULL: out of memory) as compact JSON on one line of
 * stdout; when it cannot, "keikai CMD: Out of memory." to stderr and 1, else
 * 0. */
int cli_print_json(const char *cmd, const json_t *j);
/* The name in the command line's language when there is one, else the other. */
const char *cli_name(const char *ja, const char *en);

/* files.c: the whole file at path (at most max bytes, NUL-terminated) into a
 * string the caller frees, *size its length; NULL with err set (naming the
 * file) when it cannot be read or is bigger. */
struct kk_error;
char *cli_read_file(const char *path, size_t max, size_t *size, struct kk_error *err);
/* path made absolute against the working directory, a string the caller
 * frees; NULL when the working directory cannot be read or out of memory. */
char *cli_absolute_path(const char *path);

/* Reads one line from stdin without its newline into a string the caller frees. */
char *cli_read_line(void);

/* Who the command line is to the core and its audit: an administrator named
 * "keikai-cli" (cmd_vendor.c). */
struct kk_user;
extern const struct kk_user cli_system;

extern const struct cli_command cmd_init, cmd_user, cmd_token, cmd_serve, cmd_outbox, cmd_demo, cmd_cvss, cmd_cpe,
	cmd_import, cmd_cwe, cmd_db, cmd_vendor, cmd_case;
/* cmd_advisory.c: `keikai advisory list|show` (issue 12) */
extern const struct cli_command cmd_advisory;
/* cmd_advisory_reindex.c: `keikai advisory reindex`, a subcommand of cmd_advisory */
extern const struct cli_command cmd_advisory_reindex;
/* cmd_import_sbom.c: `keikai import sbom`, a subcommand of cmd_import */
extern const struct cli_command cmd_import_sbom;
/* cmd_vendor_search.c: `keikai vendor search`, a subcommand of cmd_vendor */
extern const struct cli_command cmd_vendor_search;
/* cmd_vendor_key.c: `keikai vendor set-key` (issue 11) */
extern const struct cli_command cmd_vendor_set_key;
/* cmd_settings.c: `keikai config`, settings under the name issue 11 gives */
extern const struct cli_command cmd_config;
/* cmd_tick.c: `keikai tick`, the scheduler's clocks once (issue 10, SPEC 8) */
extern const struct cli_command cmd_tick;
/* cmd_calendar.c, cmd_holidays.c, cmd_settings.c: the calendar, the holiday list
 * and the settings (issue 10, SPEC 2.8) */
extern const struct cli_command cmd_calendar, cmd_holidays, cmd_settings;
/* cmd_mail_in.c: `keikai mail-in`, one message from an MTA (issue 11) */
extern const struct cli_command cmd_mail_in;

#endif
