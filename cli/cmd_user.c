/*
 * cmd_user.c: `keikai user add` creates a user (and the organisation when new).
 * The password comes from standard input so it never shows in `ps`.
 * docs/cli/user.md is the manual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/account.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static int user_add(const struct cli_args *a)
{
	const char *org = cli_value(a, "org"), *role_name = cli_value(a, "role"), *email = cli_value(a, "email");
	struct kk_error err = KK_ERROR_INIT;
	const char *vendor = cli_value(a, "vendor-id"), *recipient = cli_value(a, "recipient-id");
	struct kk_store *s = NULL;
	char *password = NULL;
	enum kk_role role;
	int64_t vendor_id = 0, recipient_id = 0;
	int rc = 1;

	if (kk_role_parse(role_name, &role) != 0)
		return cli_usage_error(a, _("unknown role '%s'"), role_name);
	if (vendor && (kk_parse_id(vendor, &vendor_id) != 0))
		return cli_usage_error(a, _("--vendor-id takes a vendor id (a whole number from 1), not '%s'"), vendor);
	if (recipient && (kk_parse_id(recipient, &recipient_id) != 0))
		return cli_usage_error(a, _("--recipient-id takes a recipient id (a whole number from 1), not '%s'"),
				       recipient);
	/* SPEC 2.10: a recipient's user belongs to a recipient, and only such a user does */
	if ((role == KK_ROLE_RECIPIENT) != (recipient_id != 0))
		return cli_usage_error(a, "%s", _("--role recipient and --recipient-id go together"));
	if (vendor_id && recipient_id)
		return cli_usage_error(a, "%s", _("an organisation belongs to a vendor or to a recipient, not both"));
	password = cli_read_line();
	if (!password) {
		fprintf(stderr, "keikai %s: %s\n", a->name, _("no password on standard input"));
		return 1;
	}
	s = cli_open(a);
	if (!s)
		goto out;
	if (recipient_id ? kk_user_add_recipient(s, org, email, cli_value(a, "name"), password, recipient_id, NULL, &err)
			 : kk_user_add(s, org, role, email, cli_value(a, "name"), password, vendor_id, NULL, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	printf(_("keikai: added %s (%s, %s)\n"), email, role_name, org);
	rc = 0;
out:
	if (password) {
		memset(password, 0, strlen(password));
		free(password);
	}
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option add_options[] = {
	{ "org", 0, "NAME", CLI_REQUIRED, N_("the user's organisation (created when new)") },
	{ "role", 0, "ROLE", CLI_REQUIRED, N_("intake, coordinator, vendor, operator, committee, admin or recipient") },
	{ "email", 0, "E", CLI_REQUIRED, N_("the user's e-mail address, unique regardless of letter case") },
	{ "name", 0, "N", CLI_REQUIRED, N_("the user's name as others see it") },
	{ "password-stdin", 0, NULL, CLI_REQUIRED, N_("read the password as one line from standard input") },
	{ "vendor-id", 0, "ID", 0, N_("the vendor of the registry the organisation belongs to (keikai vendor show)") },
	{ "recipient-id", 0, "ID", 0,
	  N_("the recipient of priority provision the organisation belongs to (keikai recipient list); with --role recipient") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command add = {
	.name = "add",
	.run = user_add,
	.flags = CLI_DB,
	.options = add_options,
	.summary = N_("add a user (and the organisation when new)"),
	.description = N_("Adds a user. The password (at least 8 characters, not easy to guess) is read as\n"
			  "one line from standard input, so it never shows in the process list."),
};

static const struct cli_command *const subs[] = { &add, NULL };

const struct cli_command cmd_user = {
	.name = "user",
	.summary = N_("manage users (user add)"),
	.description = N_("Manages the users who sign in to keikai."),
	.subs = subs,
};
