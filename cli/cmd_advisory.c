/*
 * cmd_advisory.c: `keikai advisory list` prints every case's advisory, newest
 * saved first, and `keikai advisory show REF|ID` one advisory whole (issue
 * 12; SPEC 6, 2.11), for the operators of the system: the command line acts
 * as the system (cli_system, an administrator), so it reads every draft. A
 * case's ref shows its advisory as staff see it; a public ID shows the
 * published advisory as the public reads it. It only reads: advisories are
 * written over the HTTP API and published by the scheduler.
 * docs/cli/advisory.md is the manual.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "keikai/advisory.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static const char *text(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* A JSON time (unix seconds or null) as text. */
static const char *when(const json_t *t, char buf[KK_TIME_LEN])
{
	return json_is_integer(t) ? kk_time_format(json_integer_value(t), buf) : "-";
}

/* The title in the command line's language, else the other. */
static const char *title(const json_t *titles)
{
	const char *ja = json_string_value(json_object_get(titles, "ja")),
		   *en = json_string_value(json_object_get(titles, "en"));
	const char *t = cli_name(kk_str_empty(ja) ? NULL : ja, kk_str_empty(en) ? NULL : en);

	return t ? t : "";
}

static int advisory_list(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = cli_open(a);
	json_t *out = NULL, *v;
	size_t i;
	int rc = 1;

	if (!s)
		return 1;
	if (kk_advisory_list(s, &cli_system, cli_value(a, "state"), &out, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	rc = 0;
	if (!a->json && json_array_size(json_object_get(out, "advisories")))
		printf("%-10s  %-9s  %-15s  %-20s  %s\n", _("case"), _("state"), _("public ID"), _("published"), _("title"));
	json_array_foreach(json_object_get(out, "advisories"), i, v) {
		char t[KK_TIME_LEN];

		if (a->json) {
			if ((rc = cli_print_json(a->name, v)) != 0)
				break;
			continue;
		}
		printf("%-10s  %-9s  %-15s  %-20s  %s\n", text(v, "case"), text(v, "state"),
		       json_is_string(json_object_get(v, "id")) ? text(v, "id") : "-",
		       when(json_object_get(v, "published_at"), t), title(json_object_get(v, "title")));
	}
	if (!a->json)
		printf(_("%zu advisory(s)\n"), json_array_size(json_object_get(out, "advisories")));
out:
	json_decref(out);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

/* RENDERED (advisory.h): the vendors and the history, for the reader. */
static void print_rendered(const json_t *r)
{
	const json_t *v, *h;
	char t[KK_TIME_LEN];
	size_t i;

	json_array_foreach(json_object_get(r, "vendors"), i, v) {
		const json_t *st;
		size_t k;

		printf("  %s  %s: %s\n", text(v, "name"), _("last update"), when(json_object_get(v, "updated_at"), t));
		json_array_foreach(json_object_get(v, "statuses"), k, st)
			printf("    %lld  %s\n", (long long)json_integer_value(json_object_get(st, "vulnerability")),
			       text(st, "status_label"));
	}
	printf(_("history:\n"));
	json_array_foreach(json_object_get(r, "history"), i, h) {
		const json_t *words = json_object_get(h, "text");

		printf("  %s  %s\n", when(json_object_get(h, "at"), t),
		       kk_i18n_current() == KK_LANG_EN ? text(words, "en") : text(words, "ja"));
	}
}

static void print_advisory(const json_t *o, int published)
{
	const json_t *r = published ? o : json_object_get(o, "rendered"), *texts = json_object_get(r, "texts");
	const json_t *t = json_object_get(texts, kk_i18n_current() == KK_LANG_EN ? "en" : "ja");
	char at[KK_TIME_LEN];

	printf("%s  %s\n", json_is_string(json_object_get(o, "id")) ? text(o, "id") : text(o, "case"),
	       text(t, "title"));
	if (!published)
		printf(_("state: %s\n"), text(o, "state_label"));
	if (json_is_string(json_object_get(o, "url")))
		printf(_("address: %s\n"), text(o, "url"));
	printf(_("published: %s\n"), when(json_object_get(o, "published_at"), at));
	printf(_("updated: %s\n"), when(json_object_get(o, "updated_at"), at));
	printf(_("revision: %lld\n"), (long long)json_integer_value(json_object_get(o, published ? "revision"
												 : "public_revision")));
	printf(_("vendors: %zu\n"), json_array_size(json_object_get(r, "vendors")));
	print_rendered(r);
}

static int advisory_show(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = cli_open(a);
	char id[KK_ADVISORY_ID_MAX];
	json_t *out = NULL;
	int rc = 1, published = kk_advisory_id_parse(a->argv[0], id, sizeof(id)) == 0;

	if (!s)
		return 1;
	if (published ? kk_advisory_public_get(s, a->argv[0], &out, &err)
		      : kk_advisory_get(s, &cli_system, a->argv[0], &out, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (a->json) {
		rc = cli_print_json(a->name, out);
	} else {
		print_advisory(out, published);
		rc = 0;
	}
out:
	json_decref(out);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option list_options[] = {
	{ "state", 0, "S", 0, N_("only the advisories in state S (draft, approved, published)") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command list = {
	.name = "list",
	.run = advisory_list,
	.flags = CLI_DB | CLI_JSON,
	.options = list_options,
	.summary = N_("list every case's advisory, newest saved first"),
	.description = N_("Prints each advisory's case, state, public ID, when it was published and its\n"
			  "title; --json prints one JSON object per advisory and line."),
};

static const struct cli_command show = {
	.name = "show",
	.run = advisory_show,
	.flags = CLI_DB | CLI_JSON,
	.operands = "REF|ID",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("print an advisory whole"),
	.description = N_("Prints the advisory of case REF (\"VU#123456\") as staff see it, or the\n"
			  "published advisory ID (\"JVNVU#12345678\" or \"JVNVU12345678\") as the public\n"
			  "reads it: its title, state, address, dates, every vendor's status and the\n"
			  "history; --json prints the API's object on one line."),
};

static const struct cli_command *const subs[] = { &list, &show, &cmd_advisory_reindex, NULL };

const struct cli_command cmd_advisory = {
	.name = "advisory",
	.summary = N_("read the advisories (advisory list, show, reindex)"),
	.description = N_("Prints the advisories for the operators of the system, who see all of them."),
	.subs = subs,
};
