/*
 * cli.h: the subcommands of the keikai binary and what they share. Each cmd_*.c
 * parses its options, calls the core and prints; only this front prints and exits.
 */
#ifndef KEIKAI_CLI_H
#define KEIKAI_CLI_H

#include "keikai/store.h"

int cmd_init(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_outbox(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_cpe(int argc, char **argv);
int cmd_cvss(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_cwe(int argc, char **argv);
int cmd_db(int argc, char **argv);

/* A subcommand of a command (`keikai db copy`, `keikai import cwe`). */
struct cli_subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};
/* Runs the subcommand of table subs (ended by a NULL name) that argv[1] names,
 * with argv from it on; prints usage and the table for --help (exit 0) or for a
 * missing or unknown one (exit 2). */
int cli_dispatch(const char *cmd, const char *usage, const struct cli_subcommand *subs, int argc, char **argv);

/* Prints "keikai CMD: message" to stderr and returns the exit status 1. */
int cli_fail(const char *cmd, const struct kk_error *err);

/* The database address: the --db option when given, else $KEIKAI_DB, else NULL. */
const char *cli_db(const char *option);
/* Opens the existing database at path (or $KEIKAI_DB when path is NULL),
 * printing the error on failure. NULL then. */
struct kk_store *cli_open(const char *cmd, const char *path);

/* Reads one line from stdin without its newline into a string the caller frees. */
char *cli_read_line(void);

#endif
