/*
 * cmd_recipient.c: `keikai recipient add|list`, the recipients of priority
 * provision (issue 10; SPEC 2.10, G IV.4.8): government bodies and
 * critical-infrastructure operators that accepted the three conditions.
 * Their users are added with `keikai user add --role recipient
 * --recipient-id ID`. docs/cli/recipient.md is the manual.
 */
#include <stdio.h>

#include "cli.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/provision.h"
#include "keikai/util.h"

static int set_text(json_t *o, const char *name, const char *v)
{
	return v ? json_object_set_new(o, name, json_string(v)) : 0;
}

static int recipient_add(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *at_text = cli_value(a, "accepted-at");
	json_t *body = json_object(), *out = NULL;
	struct kk_store *s = NULL;
	int64_t at = 0;
	int rc = 1;

	if (at_text && kk_time_parse(at_text, &at) != 0) {
		json_decref(body);
		return cli_usage_error(a, _("--accepted-at takes a date (2026-12-01) or a time (2026-12-01T09:00:00Z), not '%s'"),
				       at_text);
	}
	if (!body || set_text(body, "name_ja", cli_value(a, "name-ja")) || set_text(body, "name_en", cli_value(a, "name-en")) ||
	    set_text(body, "kind", cli_value(a, "kind")) || set_text(body, "accepted_by", cli_value(a, "accepted-by")) ||
	    set_text(body, "note", cli_value(a, "note")) ||
	    json_object_set_new(body, "conditions_accepted", json_boolean(cli_value(a, "conditions-accepted") != NULL)) ||
	    (at && json_object_set_new(body, "accepted_at", json_integer(at)))) {
		fprintf(stderr, "keikai %s: %s\n", a->name, _("Out of memory."));
		goto out;
	}
	if (!(s = cli_open(a)))
		goto out;
	if (kk_recipient_add(s, &cli_system, body, &out, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (a->json)
		rc = cli_print_json(a->name, out);
	else {
		printf(_("keikai: added recipient %lld (%s)\n"), (long long)json_integer_value(json_object_get(out, "id")),
		       json_string_value(json_object_get(out, "name")));
		rc = 0;
	}
out:
	json_decref(body);
	json_decref(out);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static int recipient_list(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = cli_open(a);
	json_t *out = NULL, *v;
	size_t i;
	int rc = 1;

	if (!s)
		return 1;
	if (kk_recipient_list(s, &cli_system, &out, &err)) {
		rc = cli_fail(a->name, &err);
	} else if (a->json) {
		rc = cli_print_json(a->name, out);
	} else {
		/* one line each: id, kind, name, who accepted the conditions */
		json_array_foreach(json_object_get(out, "recipients"), i, v)
			printf("%lld\t%s\t%s\t%s\n", (long long)json_integer_value(json_object_get(v, "id")),
			       json_string_value(json_object_get(v, "kind")), json_string_value(json_object_get(v, "name")),
			       json_string_value(json_object_get(v, "conditions_accepted_by")));
		rc = 0;
	}
	json_decref(out);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option add_options[] = {
	{ "name-ja", 0, "NAME", 0, N_("the organisation's name in Japanese (this or --name-en)") },
	{ "name-en", 0, "NAME", 0, N_("the organisation's name in English") },
	{ "kind", 0, "KIND", CLI_REQUIRED, N_("government or critical_infrastructure") },
	{ "conditions-accepted", 0, NULL, CLI_REQUIRED,
	  N_("the organisation accepted the three conditions of priority provision (G IV.4.8)") },
	{ "accepted-by", 0, "WHO", CLI_REQUIRED, N_("who accepted them for the organisation") },
	{ "accepted-at", 0, "DATE", 0, N_("when they were accepted (default: now)") },
	{ "note", 0, "TEXT", 0, N_("a note for the coordinator") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command add = {
	.name = "add",
	.run = recipient_add,
	.flags = CLI_DB | CLI_JSON,
	.options = add_options,
	.summary = N_("register a recipient of priority provision"),
	.description = N_("Registers a government body or a critical-infrastructure operator that accepted the\n"
			  "three conditions of G IV.4.8: keep the information strictly confidential within\n"
			  "itself and at its contractors, and use it only to protect its infrastructure."),
};

static const struct cli_command list = {
	.name = "list",
	.run = recipient_list,
	.flags = CLI_DB | CLI_JSON,
	.summary = N_("list the recipients of priority provision"),
	.description = N_("Prints each recipient on one line: id, kind, name and who accepted the conditions;\n"
			  "--json prints the API's object."),
};

static const struct cli_command *const subs[] = { &add, &list, NULL };

const struct cli_command cmd_recipient = {
	.name = "recipient",
	.summary = N_("manage the recipients of priority provision (recipient add|list)"),
	.description = N_("Manages the government bodies and critical-infrastructure operators to which the\n"
			  "coordinator may provide a vulnerability and its fix before publication (SPEC 2.10)."),
	.subs = subs,
};
