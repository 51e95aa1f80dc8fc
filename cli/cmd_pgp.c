/*
 * cmd_pgp.c: `keikai pgp init|show --db DB`, the organisation's OpenPGP key
 * (pgp.h; issue 11, item 3; SPEC 1). init makes the key pair in the keys
 * directory's gnupg/ (keys.h) unless the one on record is there, and prints
 * its fingerprint; show prints the fingerprint and the armored public key
 * that GET /pgp-key.asc serves. docs/cli/pgp.md is the manual. Exit status:
 * 0 done, 1 the key could not be made or there is none, 2 wrong usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/pgp.h"
#include "keikai/settings.h"
#include "keikai/smtp.h"
#include "keikai/util.h"

/* The key's address: --email, else smtp.from's address, else keikai@localhost. */
static char *key_email(struct kk_store *s, const char *given)
{
	char *from, *addr;

	if (given)
		return kk_strdup(given);
	from = kk_setting_get(s, "smtp.from", "");
	if (!from)
		return NULL;
	addr = from[0] ? kk_smtp_from_address(from) : NULL;
	free(from);
	return addr ? addr : kk_strdup("keikai@localhost");
}

static int init(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *name = cli_value(a, "name");
	char fpr[KK_PGP_FPR_LEN], *email = NULL;
	struct kk_store *s = cli_open(a);
	struct kk_pgp *p = NULL;
	int created = 0, rc = 1;

	if (!s)
		return 1;
	if (!(email = key_email(s, cli_value(a, "email"))))
		kk_error_nomem(&err);
	else if (!kk_pgp_open(s, &p, &err) &&
		 !kk_pgp_init(p, s, name ? name : "keikai", email, fpr, &created, &err))
		rc = 0;
	if (rc)
		cli_fail(a->name, &err);
	else if (a->json) {
		json_t *j = json_pack("{s:s, s:b}", "fingerprint", fpr, "created", created);

		rc = cli_print_json(a->name, j);
		json_decref(j);
	} else {
		fprintf(stderr, created ? _("keikai: the organisation's OpenPGP key is made\n")
					: _("keikai: the organisation already has its OpenPGP key\n"));
		printf("%s\n", fpr);
	}
	kk_pgp_close(p);
	free(email);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static int show(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	char fpr[KK_PGP_FPR_LEN], *armored = NULL;
	struct kk_store *s = cli_open(a);
	struct kk_pgp *p = NULL;
	int rc = 1;

	if (!s)
		return 1;
	if (!kk_pgp_open(s, &p, &err) && !kk_pgp_org_key(p, s, &armored, fpr, &err))
		rc = 0;
	if (rc)
		cli_fail(a->name, &err);
	else if (a->json) {
		json_t *j = json_pack("{s:s, s:s}", "fingerprint", fpr, "public_key", armored);

		rc = cli_print_json(a->name, j);
		json_decref(j);
	} else
		printf("%s\n%s", fpr, armored);
	free(armored);
	kk_pgp_close(p);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option init_options[] = {
	{ "name", 0, "NAME", 0, N_("the key's name (default: keikai)") },
	{ "email", 0, "ADDRESS", 0, N_("the key's address (default: smtp.from's, else keikai@localhost)") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command init_cmd = {
	.name = "init",
	.run = init,
	.flags = CLI_DB | CLI_JSON,
	.options = init_options,
	.summary = N_("make the organisation's OpenPGP key pair"),
	.description = N_("Makes the organisation's key pair (a signing key and an encryption subkey,\n"
			  "no passphrase) in the keys directory's gnupg/ and prints its fingerprint.\n"
			  "When the key on record is there already, prints its fingerprint and makes\n"
			  "nothing."),
};

static const struct cli_command show_cmd = {
	.name = "show",
	.run = show,
	.flags = CLI_DB | CLI_JSON,
	.summary = N_("print the organisation's fingerprint and public key"),
	.description = N_("Prints the fingerprint, then the armored public key served at /pgp-key.asc."),
};

static const struct cli_command *const subs[] = { &init_cmd, &show_cmd, NULL };

const struct cli_command cmd_pgp = {
	.name = "pgp",
	.summary = N_("the organisation's OpenPGP key (pgp init, show)"),
	.description = N_("Mail to a finder or vendor with a key on record is encrypted to that key and\n"
			  "signed with the organisation's; docs/cli/pgp.md says more."),
	.subs = subs,
};
