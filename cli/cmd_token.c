/*
 * cmd_token.c: `keikai token create` makes an API bearer token for a user and
 * prints it once; only its hash is kept.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/account.h"
#include "keikai/util.h"

static const char usage[] =
	"usage: keikai token create --db ADDRESS --email E\n"
	"  Creates an API token for the user and prints it on standard output.\n"
	"  It is stored hashed and cannot be shown again.\n";

static int token_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "email", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL, *email = NULL;
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s;
	char *token = NULL;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'e': email = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (!(db = cli_db(db)) || !email) {
		fputs(usage, stderr);
		return 2;
	}
	s = cli_open("token create", db);
	if (!s)
		return 1;
	if (kk_token_create(s, email, &token, &err))
		rc = cli_fail("token create", &err);
	else {
		printf("%s\n", token);
		rc = 0;
	}
	free(token);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

int cmd_token(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "create") == 0)
		return token_create(argc - 1, argv + 1);
	fputs(usage, argc >= 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
	return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
}
