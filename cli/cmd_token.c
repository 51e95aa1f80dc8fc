/*
 * cmd_token.c: `keikai token create` makes an API bearer token for a user and
 * prints it once; only its hash is kept. docs/cli/token.md is the manual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/account.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static int token_create(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s;
	char *token = NULL;
	int rc = 1;

	s = cli_open(a);
	if (!s)
		return 1;
	if (kk_token_create(s, cli_value(a, "email"), &token, &err))
		rc = cli_fail(a->name, &err);
	else {
		printf("%s\n", token);
		rc = 0;
	}
	free(token);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option create_options[] = {
	{ "email", 0, "E", CLI_REQUIRED, N_("the e-mail address of the user the token acts for") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command create = {
	.name = "create",
	.run = token_create,
	.flags = CLI_DB,
	.options = create_options,
	.summary = N_("create an API token for a user"),
	.description = N_("Creates an API token for the user and prints it on standard output.\n"
			  "It is stored hashed and cannot be shown again."),
};

static const struct cli_command *const subs[] = { &create, NULL };

const struct cli_command cmd_token = {
	.name = "token",
	.summary = N_("manage API tokens (token create)"),
	.description = N_("Manages the bearer tokens of the JSON API (Authorization: Bearer TOKEN)."),
	.subs = subs,
};
