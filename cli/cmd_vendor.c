/*
 * cmd_vendor.c: `keikai vendor add` registers a vendor in the registry and
 * prints its id; `keikai vendor show ID` prints its record (issue 8; SPEC
 * 2.5, G IV.4.2). The command line acts as the system: an administrator
 * whom the audit records name "keikai-cli". `keikai vendor search` is
 * cmd_vendor_search.c's. docs/cli/vendor.md is the manual.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "keikai/account.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"

const struct kk_user cli_system = { 0, 0, (char *)"keikai", (char *)"keikai-cli", (char *)"keikai CLI",
					   KK_ROLE_ADMIN, 0, 0 };

/* Sets member name of o to the text v when given. */
static int set_text(json_t *o, const char *name, const char *v)
{
	return v ? json_object_set_new(o, name, json_string(v)) : 0;
}

static int vendor_add(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	const char *email = cli_value(a, "email");
	json_t *body = json_object(), *contact;
	struct kk_store *s = NULL;
	int64_t id = 0;
	int rc = 1;

	if (!body || set_text(body, "name_ja", cli_value(a, "name-ja")) ||
	    set_text(body, "name_en", cli_value(a, "name-en")) || set_text(body, "country", cli_value(a, "country")) ||
	    set_text(body, "website", cli_value(a, "website")) ||
	    set_text(body, "preferred_lang", cli_value(a, "lang")) ||
	    json_object_set_new(body, "listed_publicly", json_boolean(cli_value(a, "listed") != NULL)))
		goto nomem;
	if (email) {
		/* the vendor's primary e-mail contact */
		contact = json_pack("{s:s, s:s, s:b}", "channel", "email", "value", email, "is_primary", 1);
		if (!contact || set_text(contact, "department", cli_value(a, "department")) ||
		    json_object_set_new(body, "contacts", json_pack("[o]", contact)))
			goto nomem;
	}
	s = cli_open(a);
	if (!s)
		goto out;
	/* G IV.4.2: registered on the spot, by the system */
	if (kk_vendor_add(s, &cli_system, body, &id, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	printf("%lld\n", (long long)id);
	rc = 0;
	goto out;
nomem:
	kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	rc = cli_fail(a->name, &err);
out:
	json_decref(body);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static void print_line(const char *label, const char *value)
{
	if (value && *value)
		printf("%s: %s\n", label, value);
}

static const char *yes_no(int v)
{
	return v ? _("yes") : _("no");
}

static void print_vendor(const struct kk_vendor *v)
{
	char when[KK_TIME_LEN];

	printf(_("vendor %lld\n"), (long long)v->id);
	print_line(_("name (Japanese)"), v->name_ja);
	print_line(_("name (English)"), v->name_en);
	for (size_t i = 0; i < v->n_aliases; i++)
		print_line(_("alias"), v->aliases[i]);
	print_line("CPE", v->cpe23);
	print_line(_("country"), v->country);
	print_line(_("website"), v->website);
	print_line(_("registration"), v->registration_type == KK_VENDOR_INDIVIDUAL ? _("Individual") : _("General"));
	print_line(_("listed publicly"), yes_no(v->listed_publicly));
	print_line(_("accepts reports directly"), yes_no(v->accepts_direct_reports));
	print_line(_("intake e-mail"), v->intake_email);
	print_line(_("disclosure policy"), v->policy_url);
	print_line(_("PGP key"), v->pgp_key ? _("given") : NULL);
	print_line(_("preferred language"), v->preferred_lang);
	print_line(_("last contact"), v->last_contact_at ? kk_time_format(v->last_contact_at, when) : _("never"));
	if (v->myjvn_vid)
		printf("MyJVN vid: %lld\n", (long long)v->myjvn_vid);
	printf(_("contacts: %zu\n"), v->n_contacts);
	for (size_t i = 0; i < v->n_contacts; i++) {
		const struct kk_vendor_contact *c = &v->contacts[i];

		printf("  %lld  %s  %s%s%s%s%s\n", (long long)c->id, kk_contact_channel_name(c->channel), c->value,
		       c->department ? "  (" : "", c->department ? c->department : "", c->department ? ")" : "",
		       !c->is_valid ? _("  [not valid]") : c->is_primary ? _("  [primary]") : "");
	}
	printf(_("products: %lld\n"), (long long)v->n_products);
}

static int vendor_show(const struct cli_args *a)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor v = { 0 };
	struct kk_store *s;
	int64_t id;
	int rc = 1;

	if (kk_parse_id(a->argv[0], &id) != 0)
		return cli_usage_error(a, _("a vendor id is a whole number from 1, not '%s'"), a->argv[0]);
	s = cli_open(a);
	if (!s)
		return 1;
	if (kk_vendor_get(s, &cli_system, id, &v, &err)) {
		rc = cli_fail(a->name, &err);
		goto out;
	}
	if (a->json) {
		json_t *o = kk_vendor_to_json(&v, kk_lang_code(kk_i18n_current()));

		rc = cli_print_json(a->name, o);
		json_decref(o);
		if (rc)
			goto out;
	} else {
		print_vendor(&v);
	}
	rc = 0;
out:
	kk_vendor_release(&v);
	kk_store_close(s);
	kk_error_release(&err);
	return rc;
}

static const struct cli_option add_options[] = {
	{ "name-ja", 0, "NAME", 0, N_("the vendor's name in Japanese (this or --name-en, or both)") },
	{ "name-en", 0, "NAME", 0, N_("the vendor's name in English") },
	{ "country", 0, "CC", 0, N_("ISO 3166-1 alpha-2 country code, such as JP") },
	{ "website", 0, "URL", 0, N_("the vendor's web site (http:// or https://)") },
	{ "email", 0, "E", 0, N_("the primary e-mail contact") },
	{ "department", 0, "D", 0, N_("the department or person of that e-mail contact") },
	{ "lang", 0, "LANG", 0, N_("the vendor's preferred language: ja or en") },
	{ "listed", 0, NULL, 0, N_("the vendor consents to the public vendor list") },
	{ NULL, 0, NULL, 0, NULL },
};

static const struct cli_command add = {
	.name = "add",
	.run = vendor_add,
	.flags = CLI_DB,
	.options = add_options,
	.summary = N_("register a vendor and print its id"),
	.description = N_("Registers a vendor in the vendor registry (G IV.4.2: on the spot) with its\n"
			  "primary e-mail contact, and prints the new vendor's id. Every fault of the\n"
			  "input is named; nothing is stored then."),
};

static const struct cli_command show = {
	.name = "show",
	.run = vendor_show,
	.flags = CLI_DB | CLI_JSON,
	.operands = "ID",
	.min_operands = 1,
	.max_operands = 1,
	.summary = N_("print a vendor's record"),
	.description = N_("Prints the vendor's names, aliases, profile, contacts and number of products;\n"
			  "--json prints it as the API's JSON object on one line."),
};

static const struct cli_command *const subs[] = { &add, &show, &cmd_vendor_search, &cmd_vendor_set_key, NULL };

const struct cli_command cmd_vendor = {
	.name = "vendor",
	.summary = N_("manage the vendor registry (vendor add, show, search, set-key)"),
	.description = N_("Registers vendors and prints their records."),
	.subs = subs,
};
