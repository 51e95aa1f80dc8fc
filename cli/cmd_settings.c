/*
 * cmd_settings.c: `keikai settings list|get KEY|set KEY VALUE --db ADDRESS`:
 * the deployment's settings (settings.h), every one of them known to
 * settings_keys.h, which checks a value before it is stored. docs/cli/settings.md
 * is the manual. Exit status: 0 done, 1 an unknown key, a bad value or the
 * database failed, 2 wrong usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/i18n.h"
#include "keikai/settings.h"
#include "keikai/settings_keys.h"
#include "keikai/smtp.h"

static int list(const struct cli_args *a)
{
	struct kk_store *s = cli_open(a);
	const struct kk_setting_key *k;
	json_t *arr = a->json ? json_array() : NULL;
	int rc = 0;

	if (!s || (a->json && !arr)) {
		json_decref(arr);
		kk_store_close(s);
		return s ? cli_print_json(a->name, NULL) : 1;
	}
	for (size_t i = 0; (k = kk_setting_key_at(i)); i++) {
		char *v = kk_setting_get(s, k->key, k->def);

		/* issue 11: the relay's password is not shown to whoever looks */
		if (v && strcmp(k->key, "smtp.url") == 0) {
			char *shown = kk_smtp_url_redact(v);

			free(v);
			v = shown;
		}
		if (!v) {
			struct kk_error err = KK_ERROR_INIT;

			kk_error_nomem(&err);
			rc = cli_fail(a->name, &err);
			break;
		}
		if (arr)
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "key", k->key, "value", v, "default",
							     k->def, "description", _(k->description)));
		else
			printf("%s=%s\n", k->key, v);
		free(v);
	}
	if (arr && !rc)
		rc = cli_print_json(a->name, arr);
	json_decref(arr);
	kk_store_close(s);
	return rc;
}

static int get(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	const struct kk_setting_key *k = kk_setting_key_find(a->argv[0]);
	struct kk_store *s;
	char *v;
	int rc = 1;

	if (!k) {
		kk_setting_check(a->argv[0], NULL, &err);
		rc = cli_fail(a->name, &err);
		kk_error_release(&err);
		return rc;
	}
	if (!(s = cli_open(a)))
		return 1;
	if ((v = kk_setting_get(s, k->key, k->def))) {
		printf("%s\n", v);
		rc = 0;
	} else {
		kk_error_nomem(&err);
		cli_fail(a->name, &err);
	}
	free(v);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static int set(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;
	int rc = 1;

	if (kk_setting_check(a->argv[0], a->argv[1], &err) || !(s = cli_open(a)) ||
	    kk_setting_set(s, a->argv[0], a->argv[1], &err)) {
		if (err.code)
			cli_fail(a->name, &err);
	} else {
		char *shown = strcmp(a->argv[0], "smtp.url") == 0 ? kk_smtp_url_redact(a->argv[1]) : NULL;

		printf("%s=%s\n", a->argv[0], shown ? shown : a->argv[1]);
		free(shown);
		rc = 0;
	}
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_command list_cmd = {
	.name = "list",
	.run = list,
	.flags = CLI_DB | CLI_JSON,
	.summary = N_("print every setting and its value"),
	.description = N_("Prints every setting keikai knows, one KEY=VALUE a line (the default when\n"
			  "it is not set). --json prints an array of {key, value, default,\n"
			  "description}."),
};

static const struct cli_command get_cmd = {
	.name = "get",
	.run = get,
	.flags = CLI_DB,
	.operands = "KEY",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("print one setting's value"),
	.description = N_("Prints the value of the setting KEY (its default when it is not set)."),
};

static const struct cli_command set_cmd = {
	.name = "set",
	.run = set,
	.flags = CLI_DB,
	.operands = "KEY VALUE",
	.min_operands = 2,
	.max_operands = 2,
	.summary = N_("change one setting"),
	.description = N_("Sets KEY to VALUE after checking it: an unknown KEY or a VALUE keikai\n"
			  "cannot use is refused, naming it, and nothing changes."),
};

static const struct cli_command *const subs[] = { &list_cmd, &get_cmd, &set_cmd, NULL };

const struct cli_command cmd_settings = {
	.name = "settings",
	.summary = N_("the deployment's settings (settings list, get, set)"),
	.description = N_("The settings every server on the database shares: prefixes, the public\n"
			  "address, the calendar (closing_days, publication_days, publication_time,\n"
			  "publication_zone) and the clocks (clock_*). docs/cli/settings.md lists\n"
			  "them."),
	.subs = subs,
};

/* issue 11: `keikai config get|set|list` is the same command under the name
 * the interface gives it; docs/cli/config.md. */
const struct cli_command cmd_config = {
	.name = "config",
	.summary = N_("the deployment's settings, smtp.* included (config list, get, set)"),
	.description = N_("The same as keikai settings: list, get KEY, set KEY VALUE. The relay\n"
			  "messages go out through is smtp.url, smtp.from, smtp.starttls,\n"
			  "smtp.ca_file and smtp.max_tries. docs/cli/config.md lists them."),
	.subs = subs,
};
