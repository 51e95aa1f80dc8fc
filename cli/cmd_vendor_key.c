/*
 * cmd_vendor_key.c: `keikai vendor set-key --db DB ID FILE` records a vendor's
 * OpenPGP public key (armored, from FILE; "-" clears it), through the same
 * kk_vendor_update the API's PATCH uses, so the key is checked the same way
 * (issue 11: mail to the vendor is encrypted to it; SPEC 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"

#define KEY_MAX (1u << 20)

static int set_key(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;
	json_t *patch = NULL;
	char *key = NULL;
	size_t size;
	int64_t id;
	int rc = 1;

	if (kk_parse_id(a->argv[0], &id) != 0)
		return cli_usage_error(a, _("a vendor id is a whole number from 1, not '%s'"), a->argv[0]);
	if (strcmp(a->argv[1], "-") != 0 && !(key = cli_read_file(a->argv[1], KEY_MAX, &size, &err))) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (!(patch = json_pack("{s:o}", "pgp_key", key ? json_string(key) : json_null()))) {
		kk_error_nomem(&err);
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (!(s = cli_open(a)))
		goto out;
	if (kk_vendor_update(s, &cli_system, id, patch, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	printf(key ? _("keikai: vendor %lld's PGP key is recorded\n") : _("keikai: vendor %lld has no PGP key now\n"),
	       (long long)id);
	rc = 0;
out:
	json_decref(patch);
	free(key);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

const struct cli_command cmd_vendor_set_key = {
	.name = "set-key",
	.run = set_key,
	.flags = CLI_DB,
	.operands = "ID FILE",
	.min_operands = 2,
	.max_operands = 2,
	.summary = N_("record a vendor's OpenPGP public key"),
	.description = N_("Records the armored OpenPGP public key in FILE as the vendor's key (\"-\" removes\n"
			  "it). Mail to the vendor is then encrypted to it and signed; a key that is not one\n"
			  "usable public key is refused with the reason."),
};
