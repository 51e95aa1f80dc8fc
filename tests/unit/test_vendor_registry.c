/*
 * test_vendor_registry.c: the maintained vendor registry (vendor.h; issue 8,
 * SPEC 2.5, G IV.4.2): vendors, contacts and products added, read, changed
 * and removed through the core, every fault of the input listed as a field
 * error with nothing stored, every change audited, and the access policy
 * applied by the core (a vendor user of one vendor cannot see or touch
 * another: KK_ENOTFOUND). Runs on SQLite and PostgreSQL.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "keikai/account.h"
#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/vendor.h"
#include "unit.h"

static struct kk_store *s;
static struct kk_user coordinator, intake;

static void setup(void)
{
	s = unit_store(NULL);
	coordinator = unit_user(s, "coordinator", "coordinator@example.jp");
	intake = unit_user(s, "intake", "intake@example.jp");
}

static void teardown(void)
{
	kk_user_release(&coordinator);
	kk_user_release(&intake);
	kk_store_close(s);
}

TestSuite(vendor_registry, .init = setup, .fini = teardown);

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);

	cr_assert_not_null(j, "%s: %s", text, jerr.text);
	return j;
}

/* Adds a vendor from JSON text as the coordinator; returns its id. */
static int64_t add_vendor(const char *text)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = parse(text);
	int64_t id = 0;

	cr_assert_eq(kk_vendor_add(s, &coordinator, body, &id, &err), KK_OK, "%s", err.msg);
	cr_assert_gt(id, 0);
	json_decref(body);
	kk_error_release(&err);
	return id;
}

/* The names of the fields err lists, sorted, joined with spaces. */
static void field_names(const struct kk_error *err, char *out, size_t n)
{
	const char *keys[64];
	size_t k = 0;
	const char *key;
	json_t *v;

	out[0] = '\0';
	json_object_foreach(err->fields, key, v)
		if (k < 64)
			keys[k++] = key;
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			const char *t = keys[j];
			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	for (size_t i = 0; i < k; i++) {
		strncat(out, keys[i], n - strlen(out) - 1);
		if (i + 1 < k)
			strncat(out, " ", n - strlen(out) - 1);
	}
}

/* The audit records of vendor id, as the JSON array kk_audit_list gives. */
static json_t *history(int64_t id)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = NULL;

	cr_assert_eq(kk_audit_list(s, "vendor", id, &list, &err), KK_OK, "%s", err.msg);
	return list;
}

static const char *action_at(json_t *list, size_t i)
{
	return json_string_value(json_object_get(json_array_get(list, i), "action"));
}

static const char full_vendor[] =
	"{\"name_ja\":\"サンプル電機\",\"name_en\":\"Sample Denki\",\"aliases\":[\"SD\",\"サンプル電機株式会社\"],"
	"\"country\":\"JP\",\"website\":\"https://sample-denki.example/\",\"registration_type\":\"general\","
	"\"listed_publicly\":true,\"accepts_direct_reports\":true,\"intake_email\":\"psirt@sample-denki.example\","
	"\"policy_url\":\"https://sample-denki.example/psirt\",\"preferred_lang\":\"ja\","
	/* issue 11: a key that can be encrypted to (tests/data/pgp/finder.asc) */
	"\"pgp_key\":\""
	"-----BEGIN PGP PUBLIC KEY BLOCK-----\\n"
	"\\n"
	"mDMEaxBnmhYJKwYBBAHaRw8BAQdA0QTNgsfXUT5lNCp6Xn4Dq/OMWpPOFu2oIMkJ\\n"
	"JLSOK4m0I1Rlc3QgRmluZGVyIDxmaW5kZXIta2V5QGV4YW1wbGUuanA+iJAEExYI\\n"
	"ADgWIQSAonDMjeJxqNLiRiPR6jAndyxi1wUCaxBnmgIbAwULCQgHAgYVCgkICwIE\\n"
	"FgIDAQIeAQIXgAAKCRDR6jAndyxi1xNkAQDwH5OJN/Ui/StYDt3CVa1vWIyH2q/U\\n"
	"QGb7zA3tB+CaaQD/U3EreWCR5McTVMS/Ztgp597QBqyMYF2QXOizZXUfOwi4OARr\\n"
	"EGeaEgorBgEEAZdVAQUBAQdAhBWielcc6tYUsj00cnO5byHC4NIPE3U1xk6IGo1F\\n"
	"IkMDAQgHiHgEGBYIACAWIQSAonDMjeJxqNLiRiPR6jAndyxi1wUCaxBnmgIbDAAK\\n"
	"CRDR6jAndyxi1/q4AQCA/fLVnPl+d1xefjnvrsNY1XOsNxtVVzVVHT+shRIgQAEA\\n"
	"t0Kl9a+G0TDWURYqD8I9OcUF3jDBajD2l89C3MJ9uQE=\\n"
	"=ZjML\\n"
	"-----END PGP PUBLIC KEY BLOCK-----\\n"
	"\","
	"\"contacts\":[{\"channel\":\"email\",\"value\":\"psirt@sample-denki.example\",\"department\":\"PSIRT\","
	"\"is_primary\":true},{\"channel\":\"phone\",\"value\":\"+81 3 0000 0000\"}]}";

/* SPEC 2.5, G IV.4.2: a coordinator registers a vendor on the spot, with
 * every item of the registry, and reads it back. */
Test(vendor_registry, add_and_get_keep_every_member)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = add_vendor(full_vendor);
	struct kk_vendor v;
	json_t *j, *h;

	cr_assert_eq(kk_vendor_get(s, &coordinator, id, &v, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(v.name_ja, "サンプル電機");
	cr_assert_str_eq(v.name_en, "Sample Denki");
	cr_assert_eq(v.n_aliases, 2);
	cr_assert_str_eq(v.aliases[0], "SD");
	cr_assert_str_eq(v.aliases[1], "サンプル電機株式会社");
	cr_assert_str_eq(v.country, "JP");
	cr_assert_eq(v.registration_type, KK_VENDOR_GENERAL);
	cr_assert(v.listed_publicly && v.accepts_direct_reports);
	cr_assert_str_eq(v.intake_email, "psirt@sample-denki.example");
	cr_assert_str_eq(v.preferred_lang, "ja");
	cr_assert_eq(v.n_contacts, 2);
	cr_assert_eq(v.contacts[0].channel, KK_CONTACT_EMAIL);
	cr_assert(v.contacts[0].is_primary && v.contacts[0].is_valid);
	cr_assert_str_eq(v.contacts[0].department, "PSIRT");
	cr_assert_eq(v.contacts[1].channel, KK_CONTACT_PHONE);
	cr_assert_not(v.contacts[1].is_primary);
	cr_assert_eq(v.n_products, 0);
	cr_assert_eq(v.last_contact_at, 0);

	j = kk_vendor_to_json(&v, "ja");
	cr_assert_str_eq(json_string_value(json_object_get(j, "name")), "サンプル電機");
	cr_assert_eq(json_array_size(json_object_get(j, "contacts")), 2);
	cr_assert(json_is_null(json_object_get(j, "last_contact_at")));
	cr_assert_eq(json_integer_value(json_object_get(j, "product_count")), 0);
	json_decref(j);
	j = kk_vendor_to_json(&v, "en");
	cr_assert_str_eq(json_string_value(json_object_get(j, "name")), "Sample Denki");
	json_decref(j);

	/* audited: the vendor, then each contact, in one transaction */
	h = history(id);
	cr_assert_eq(json_array_size(h), 3);
	cr_assert_str_eq(action_at(h, 0), "vendor.add");
	cr_assert_str_eq(action_at(h, 1), "contact.add");
	cr_assert_str_eq(action_at(h, 2), "contact.add");
	json_decref(h);
	cr_assert_eq(unit_count(s, "SELECT version FROM registry_version", NULL), 1);
	kk_vendor_release(&v);
	kk_error_release(&err);
}

/* Every fault of a new vendor is a field error; nothing is stored. */
Test(vendor_registry, add_lists_every_fault_and_stores_nothing)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = parse("{\"aliases\":[\"A\",\"A\",7],\"country\":\"XX\",\"website\":\"ftp://example.jp\","
			     "\"registration_type\":\"big\",\"listed_publicly\":\"yes\",\"accepts_direct_reports\":true,"
			     "\"policy_url\":\"javascript:alert(1)\",\"pgp_key\":\"not a key\",\"preferred_lang\":\"fr\","
			     "\"colour\":\"red\",\"contacts\":[{\"channel\":\"pigeon\",\"value\":\"x\"},"
			     "{\"channel\":\"email\",\"value\":\"not-an-address\"},{\"channel\":\"fax\",\"value\":\"call me\"},"
			     "{\"channel\":\"web_form\"}]}");
	char names[1024];
	int64_t id = 0;

	cr_assert_eq(kk_vendor_add(s, &coordinator, body, &id, &err), KK_EINVAL);
	field_names(&err, names, sizeof(names));
	cr_assert_str_eq(names,
			 "aliases[1] aliases[2] colour contacts[0].channel contacts[1].value contacts[2].value "
			 "contacts[3].value country intake_email listed_publicly name_en name_ja pgp_key policy_url "
			 "preferred_lang registration_type website");
	cr_assert_eq(id, 0);
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM vendors", NULL), 0);
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM vendor_contacts", NULL), 0);
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM audit WHERE object_type = 'vendor'", NULL), 0);
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM registry_version", NULL), 0);
	json_decref(body);
	kk_error_release(&err);

	/* not an object at all */
	body = json_array();
	cr_assert_eq(kk_vendor_add(s, &coordinator, body, NULL, &err), KK_EINVAL);
	json_decref(body);
	kk_error_release(&err);
}

/* A patch changes only the members it gives; the audit keeps before and after
 * of those; an empty patch, or the stored values again, changes nothing. */
Test(vendor_registry, update_is_a_patch_and_audited)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = add_vendor(full_vendor);
	json_t *patch = parse("{\"country\":\"us\",\"website\":null,\"aliases\":[\"Sample\"]}"), *h, *detail;
	struct kk_vendor v;

	cr_assert_eq(kk_vendor_update(s, &coordinator, id, patch, &err), KK_OK, "%s", err.msg);
	json_decref(patch);
	cr_assert_eq(kk_vendor_get(s, &coordinator, id, &v, &err), KK_OK);
	cr_assert_str_eq(v.country, "US");
	cr_assert_null(v.website);
	cr_assert_eq(v.n_aliases, 1);
	cr_assert_str_eq(v.aliases[0], "Sample");
	cr_assert_str_eq(v.name_ja, "サンプル電機");
	cr_assert_str_eq(v.intake_email, "psirt@sample-denki.example");
	kk_vendor_release(&v);

	h = history(id);
	cr_assert_eq(json_array_size(h), 4);
	cr_assert_str_eq(action_at(h, 3), "vendor.update");
	detail = json_object_get(json_array_get(h, 3), "detail");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(detail, "before"), "country")), "JP");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(detail, "after"), "country")), "US");
	cr_assert(json_is_null(json_object_get(json_object_get(detail, "after"), "website")));
	cr_assert_eq(json_object_size(json_object_get(detail, "after")), 3, "only what changed");
	json_decref(h);

	patch = parse("{}");
	cr_assert_eq(kk_vendor_update(s, &coordinator, id, patch, &err), KK_OK);
	json_decref(patch);
	patch = parse("{\"country\":\"US\"}");
	cr_assert_eq(kk_vendor_update(s, &coordinator, id, patch, &err), KK_OK);
	json_decref(patch);
	h = history(id);
	cr_assert_eq(json_array_size(h), 4, "nothing changed, nothing audited");
	json_decref(h);

	/* the record as a whole: no name left, or direct reports without an address */
	patch = parse("{\"name_ja\":null,\"name_en\":\"\",\"intake_email\":null,\"country\":\"JPN\"}");
	cr_assert_eq(kk_vendor_update(s, &coordinator, id, patch, &err), KK_EINVAL);
	{
		char names[256];

		field_names(&err, names, sizeof(names));
		cr_assert_str_eq(names, "country intake_email name_en name_ja");
	}
	json_decref(patch);
	cr_assert_eq(kk_vendor_get(s, &coordinator, id, &v, &err), KK_OK);
	cr_assert_str_eq(v.name_ja, "サンプル電機", "nothing stored");
	cr_assert_str_eq(v.country, "US");
	kk_vendor_release(&v);

	patch = parse("{\"id\":5}");
	cr_assert_eq(kk_vendor_update(s, &coordinator, id, patch, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "id"));
	json_decref(patch);
	kk_error_release(&err);
}

/* Every contact change is audited with what it was and became; a primary
 * contact makes the channel's other primary one not primary; an invalid
 * contact is not primary. */
Test(vendor_registry, contacts_changes_are_audited)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = add_vendor(full_vendor), cid = 0, first;
	json_t *body, *h, *detail;
	struct kk_vendor v;

	cr_assert_eq(kk_vendor_get(s, &coordinator, id, &v, &err), KK_OK);
	first = v.contacts[0].id;
	kk_vendor_release(&v);

	body = parse("{\"channel\":\"email\",\"value\":\"security@sample-denki.example\",\"is_primary\":true}");
	cr_assert_eq(kk_vendor_contact_add(s, &coordinator, id, body, &cid, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	cr_assert_eq(kk_vendor_get(s, &coordinator, id, &v, &err), KK_OK);
	for (size_t i = 0; i < v.n_contacts; i++)
		if (v.contacts[i].channel == KK_CONTACT_EMAIL)
			cr_assert_eq(v.contacts[i].is_primary, v.contacts[i].id == cid);
	kk_vendor_release(&v);
	h = history(id);
	cr_assert_str_eq(action_at(h, 3), "contact.add");
	detail = json_object_get(json_array_get(h, 3), "detail");
	cr_assert_eq(json_integer_value(json_object_get(detail, "contact_id")), cid);
	cr_assert_eq(json_integer_value(json_array_get(json_object_get(detail, "demoted"), 0)), first);
	json_decref(h);

	/* invalidate: kept for the record, no longer primary */
	body = parse("{\"is_valid\":false}");
	cr_assert_eq(kk_vendor_contact_update(s, &coordinator, id, cid, body, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	h = history(id);
	cr_assert_str_eq(action_at(h, 4), "contact.update");
	detail = json_object_get(json_array_get(h, 4), "detail");
	cr_assert(json_is_true(json_object_get(json_object_get(detail, "before"), "is_valid")));
	cr_assert(json_is_false(json_object_get(json_object_get(detail, "after"), "is_valid")));
	cr_assert(json_is_false(json_object_get(json_object_get(detail, "after"), "is_primary")));
	json_decref(h);

	/* a value that does not suit the channel; nothing changes */
	body = parse("{\"channel\":\"web_form\"}");
	cr_assert_eq(kk_vendor_contact_update(s, &coordinator, id, cid, body, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "value"));
	json_decref(body);
	kk_error_clear(&err);

	cr_assert_eq(kk_vendor_contact_remove(s, &coordinator, id, cid, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_vendor_contact_remove(s, &coordinator, id, cid, &err), KK_ENOTFOUND);
	h = history(id);
	cr_assert_eq(json_array_size(h), 6);
	cr_assert_str_eq(action_at(h, 5), "contact.remove");
	detail = json_object_get(json_array_get(h, 5), "detail");
	cr_assert_str_eq(json_string_value(json_object_get(json_object_get(detail, "before"), "value")),
			 "security@sample-denki.example");
	json_decref(h);
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM vendor_contacts", NULL), 2);
	kk_error_release(&err);
}

/* Products: a CPE 2.2 URI is converted to 2.3 (SPEC 2.5); the type is one of
 * the table's; every write moves the registry's version. */
Test(vendor_registry, products)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = add_vendor(full_vendor), other = add_vendor("{\"name_en\":\"Other\"}"), pid = 0;
	json_t *body = parse("{\"name_en\":\"SD-Camera\",\"cpe\":\"cpe:/h:sample_denki:sd_camera:2.0\","
			     "\"product_type\":\"iot_device\",\"versions\":\"1.x\\n2.0\",\"end_of_support\":false}");
	struct kk_product p;
	struct kk_product_list list;
	char names[256];
	int64_t version = unit_count(s, "SELECT version FROM registry_version", NULL);

	cr_assert_eq(kk_product_add(s, &coordinator, id, body, &pid, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	cr_assert_eq(unit_count(s, "SELECT version FROM registry_version", NULL), version + 1);
	cr_assert_eq(kk_product_get(s, &coordinator, id, pid, &p, &err), KK_OK);
	cr_assert_str_eq(p.cpe23, "cpe:2.3:h:sample_denki:sd_camera:2.0:*:*:*:*:*:*:*");
	cr_assert_eq(p.type, KK_PRODUCT_IOT_DEVICE);
	cr_assert_str_eq(p.versions, "1.x\n2.0");
	kk_product_release(&p);
	/* a product is found only under its own vendor */
	cr_assert_eq(kk_product_get(s, &coordinator, other, pid, &p, &err), KK_ENOTFOUND);
	kk_product_release(&p);

	body = parse("{\"cpe\":\"cpe:2.3:h:x\",\"product_type\":\"toaster\",\"end_of_support\":1,\"versions\":7}");
	cr_assert_eq(kk_product_add(s, &coordinator, id, body, NULL, &err), KK_EINVAL);
	field_names(&err, names, sizeof(names));
	cr_assert_str_eq(names, "cpe end_of_support name_en name_ja product_type versions");
	json_decref(body);
	kk_error_clear(&err);

	body = parse("{\"end_of_support\":true,\"product_type\":null}");
	cr_assert_eq(kk_product_update(s, &coordinator, id, pid, body, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	cr_assert_eq(kk_product_get(s, &coordinator, id, pid, &p, &err), KK_OK);
	cr_assert(p.end_of_support);
	cr_assert_eq(p.type, KK_PRODUCT_TYPE_NONE);
	cr_assert_str_eq(p.name_en, "SD-Camera");
	kk_product_release(&p);
	cr_assert_eq(unit_count(s, "SELECT version FROM registry_version", NULL), version + 2);

	body = parse("{\"name_ja\":\"SDカメラ\"}");
	cr_assert_eq(kk_product_add(s, &coordinator, id, body, NULL, &err), KK_OK);
	json_decref(body);
	cr_assert_eq(kk_product_list(s, &coordinator, id, &(struct kk_vendor_page){ 1, 1 }, &list, &err), KK_OK);
	cr_assert_eq(list.total, 2);
	cr_assert_eq(list.n, 1);
	cr_assert_str_eq(list.items[0].name_en, "SD-Camera", "by name: SD-Camera before SDカメラ");
	kk_product_list_release(&list);
	cr_assert_eq(kk_product_list(s, &coordinator, id, &(struct kk_vendor_page){ 2, 1 }, &list, &err), KK_OK);
	cr_assert_eq(list.n, 1);
	cr_assert_str_eq(list.items[0].name_ja, "SDカメラ");
	kk_product_list_release(&list);

	{
		json_t *h = history(id);

		cr_assert_str_eq(action_at(h, 3), "product.add");
		cr_assert_str_eq(action_at(h, 4), "product.update");
		json_decref(h);
	}
	kk_error_release(&err);
}

/* Adds a vendor user bound to vendor_id and loads it. */
static struct kk_user vendor_user(const char *org, const char *email, int64_t vendor_id)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user u = { 0 };

	cr_assert_eq(kk_user_add(s, org, KK_ROLE_VENDOR, email, "PSIRT", "correct horse battery staple", vendor_id,
				 NULL, &err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(kk_user_by_email(s, email, &u, &err), KK_OK);
	cr_assert_eq(u.vendor_id, vendor_id);
	return u;
}

/* SPEC 2.5 through the core: a vendor user reads and changes its own vendor
 * only; another vendor is KK_ENOTFOUND, as a missing one, and stays as it was. */
Test(vendor_registry, a_vendor_user_reaches_only_its_own_vendor)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t x = add_vendor(full_vendor), y = add_vendor("{\"name_en\":\"Other Corp\"}"), cid = 0, pid = 0;
	struct kk_user ux = vendor_user("Sample Denki", "psirt@sample-denki.example", x);
	json_t *patch = parse("{\"country\":\"DE\"}");
	json_t *contact = parse("{\"channel\":\"email\",\"value\":\"new@sample-denki.example\"}");
	json_t *product = parse("{\"name_en\":\"Thing\"}");
	struct kk_vendor v;
	struct kk_vendor_list list;
	struct kk_product p;
	json_t *h = NULL;
	int64_t audits = unit_count(s, "SELECT COUNT(*) FROM audit", NULL);

	/* its own */
	cr_assert_eq(kk_vendor_get(s, &ux, x, &v, &err), KK_OK);
	kk_vendor_release(&v);
	cr_assert_eq(kk_vendor_update(s, &ux, x, patch, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_vendor_contact_add(s, &ux, x, contact, &cid, &err), KK_OK);
	cr_assert_eq(kk_product_add(s, &ux, x, product, &pid, &err), KK_OK);
	cr_assert_eq(kk_vendor_history(s, &ux, x, &h, &err), KK_OK);
	json_decref(h);
	cr_assert_eq(kk_vendor_list(s, &ux, NULL, &list, &err), KK_OK);
	cr_assert_eq(list.total, 1);
	cr_assert_eq(list.items[0].id, x);
	kk_vendor_list_release(&list);
	audits += 3;

	/* another: missing, whatever the call */
	cr_assert_eq(kk_vendor_get(s, &ux, y, &v, &err), KK_ENOTFOUND);
	kk_vendor_release(&v);
	cr_assert_eq(kk_vendor_update(s, &ux, y, patch, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_vendor_contact_add(s, &ux, y, contact, NULL, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_vendor_contact_update(s, &ux, y, cid, patch, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_vendor_contact_remove(s, &ux, y, cid, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_product_add(s, &ux, y, product, NULL, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_product_update(s, &ux, y, pid, product, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_product_get(s, &ux, y, pid, &p, &err), KK_ENOTFOUND);
	kk_product_release(&p);
	cr_assert_eq(kk_vendor_history(s, &ux, y, &h, &err), KK_ENOTFOUND);
	/* G IV.4.2: only a coordinator registers a vendor */
	cr_assert_eq(kk_vendor_add(s, &ux, product, NULL, &err), KK_ENOTFOUND);
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM audit", NULL), audits, "nothing changed");
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM vendors", NULL), 2);

	/* intake reads every vendor and changes none; the public nothing */
	cr_assert_eq(kk_vendor_get(s, &intake, y, &v, &err), KK_OK);
	kk_vendor_release(&v);
	cr_assert_eq(kk_vendor_update(s, &intake, y, patch, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_vendor_add(s, &intake, product, NULL, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_vendor_get(s, &kk_anonymous, x, &v, &err), KK_ENOTFOUND);
	kk_vendor_release(&v);
	cr_assert_eq(kk_vendor_list(s, &kk_anonymous, NULL, &list, &err), KK_OK);
	cr_assert_eq(list.n, 0);
	kk_vendor_list_release(&list);

	json_decref(patch);
	json_decref(contact);
	json_decref(product);
	kk_user_release(&ux);
	kk_error_release(&err);
}

/* The actor of history row i. */
static const char *actor_at(json_t *list, size_t i)
{
	return json_string_value(json_object_get(json_array_get(list, i), "actor"));
}

/* SPEC 1: a vendor user reads its vendor's history without other
 * organisations' users' e-mail addresses: they show as role and
 * organisation; its own organisation's users and staff see them as recorded. */
Test(vendor_registry, a_vendor_user_sees_no_other_organisations_addresses)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t x = add_vendor("{\"name_en\":\"Sample Denki\"}");
	struct kk_user ux = vendor_user("Sample Denki", "psirt@sample-denki.example", x);
	struct kk_user uy = vendor_user("Sample Denki Europe", "psirt@sample-denki.example.eu", x);
	json_t *patch = parse("{\"country\":\"DE\"}"), *patch2 = parse("{\"country\":\"FR\"}");
	json_t *h = NULL;
	char *text;

	cr_assert_eq(kk_vendor_update(s, &ux, x, patch, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_vendor_update(s, &uy, x, patch2, &err), KK_OK, "%s", err.msg);

	cr_assert_eq(kk_vendor_history(s, &ux, x, &h, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(h), 3);
	cr_assert_str_eq(action_at(h, 0), "vendor.add");
	cr_assert_str_eq(actor_at(h, 0), "coordinator (coordinator)");
	cr_assert_str_eq(actor_at(h, 1), "psirt@sample-denki.example", "its own organisation's user");
	cr_assert_str_eq(actor_at(h, 2), "vendor (Sample Denki Europe)", "another organisation of the same vendor");
	text = json_dumps(h, 0);
	cr_assert_null(strstr(text, "coordinator@example.jp"));
	cr_assert_null(strstr(text, "psirt@sample-denki.example.eu"));
	free(text);
	json_decref(h);

	/* staff see every actor as recorded */
	cr_assert_eq(kk_vendor_history(s, &intake, x, &h, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(actor_at(h, 0), "coordinator@example.jp");
	cr_assert_str_eq(actor_at(h, 2), "psirt@sample-denki.example.eu");
	json_decref(h);

	json_decref(patch);
	json_decref(patch2);
	kk_user_release(&ux);
	kk_user_release(&uy);
	kk_error_release(&err);
}

/* A user's organisation is bound to a vendor that exists, once: an unknown
 * vendor or a second vendor stores nothing. */
Test(vendor_registry, binding_users_to_vendors)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t x = add_vendor(full_vendor), y = add_vendor("{\"name_en\":\"Other Corp\"}");
	int64_t users = unit_count(s, "SELECT COUNT(*) FROM users", NULL);
	int64_t orgs = unit_count(s, "SELECT COUNT(*) FROM orgs", NULL);
	struct kk_user u = vendor_user("Sample Denki", "a@sample-denki.example", x);

	cr_assert_eq(kk_user_add(s, "Nobody Inc", KK_ROLE_VENDOR, "b@nobody.example", "B",
				 "correct horse battery staple", y + 100, NULL, &err),
		     KK_ENOTFOUND);
	cr_assert_eq(kk_user_add(s, "Sample Denki", KK_ROLE_VENDOR, "c@sample-denki.example", "C",
				 "correct horse battery staple", y, NULL, &err),
		     KK_ECONFLICT);
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM users", NULL), users + 1);
	cr_assert_eq(unit_count(s, "SELECT COUNT(*) FROM orgs", NULL), orgs + 1);
	kk_user_release(&u);
	kk_error_release(&err);
}

/* Lists are by name (English, else Japanese), paged. */
Test(vendor_registry, list_by_name_paged)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_list list;

	add_vendor("{\"name_en\":\"zeta\"}");
	add_vendor("{\"name_en\":\"Alpha\"}");
	add_vendor("{\"name_ja\":\"サンプル\"}");
	cr_assert_eq(kk_vendor_list(s, &intake, &(struct kk_vendor_page){ 1, 2 }, &list, &err), KK_OK);
	cr_assert_eq(list.total, 3);
	cr_assert_eq(list.n, 2);
	cr_assert_str_eq(list.items[0].name_en, "Alpha");
	cr_assert_str_eq(list.items[1].name_en, "zeta");
	kk_vendor_list_release(&list);
	cr_assert_eq(kk_vendor_list(s, &intake, &(struct kk_vendor_page){ 2, 2 }, &list, &err), KK_OK);
	cr_assert_eq(list.n, 1);
	cr_assert_str_eq(list.items[0].name_ja, "サンプル");
	kk_vendor_list_release(&list);
	cr_assert_eq(kk_vendor_list(s, &intake, &(struct kk_vendor_page){ 9, 2 }, &list, &err), KK_OK);
	cr_assert_eq(list.n, 0);
	cr_assert_eq(list.total, 3);
	kk_vendor_list_release(&list);
	kk_error_release(&err);
}

/* The one table of product types, with labels. */
Test(vendor_registry, product_types_table)
{
	enum kk_product_type t;
	size_t n = 0;

	for (; kk_product_types[n].name; n++) {
		cr_assert_eq(kk_product_type_parse(kk_product_types[n].name, &t), 0);
		cr_assert_eq(t, kk_product_types[n].type);
		cr_assert_str_eq(kk_product_type_name(t), kk_product_types[n].name);
		cr_assert_str_neq(kk_product_type_label(t), "");
	}
	cr_assert_eq(n, KK_PRODUCT_TYPE_COUNT - 1);
	cr_assert_eq(kk_product_type_parse("toaster", &t), -1);
	cr_assert_str_eq(kk_product_type_name(KK_PRODUCT_TYPE_NONE), "");
}

/* The rows a failed write must leave as they were. */
static int64_t rows_total(void)
{
	return unit_count(s, "SELECT (SELECT COUNT(*) FROM vendors) + (SELECT COUNT(*) FROM vendor_contacts) * 1000"
			     " + (SELECT COUNT(*) FROM products) * 1000000 + (SELECT COUNT(*) FROM audit) * 1000000000",
			  NULL) +
	       unit_count(s, "SELECT COALESCE(SUM(is_primary + 2 * is_valid), 0) FROM vendor_contacts", NULL);
}

/* Each allocation of a write failing in turn (alloc.h): a clean error with a
 * message, and nothing half-stored (issue 8: every write whole or not at all). */
Test(vendor_registry, every_failed_allocation_is_reported_and_stores_nothing)
{
	int64_t id = add_vendor(full_vendor), cid;
	json_t *vendor = parse(full_vendor);
	json_t *contact = parse("{\"channel\":\"email\",\"value\":\"new@sample-denki.example\",\"is_primary\":true}");
	json_t *patch = parse("{\"department\":\"CSIRT\",\"is_primary\":true}");
	json_t *product = parse("{\"name_en\":\"SD-Camera\",\"cpe\":\"cpe:/h:sample_denki:sd_camera:2.0\"}");
	struct kk_vendor v;

	cr_assert_eq(kk_vendor_get(s, &coordinator, id, &v, NULL), KK_OK);
	cid = v.contacts[1].id;
	kk_vendor_release(&v);
	for (int which = 0; which < 4; which++) {
		long n;

		for (n = 1; n < 400; n++) {
			struct kk_error err = KK_ERROR_INIT;
			int64_t before = rows_total();
			enum kk_result res;
			int injected;

			kk_alloc_fail_at(n);
			res = which == 0   ? kk_vendor_add(s, &coordinator, vendor, NULL, &err)
			      : which == 1 ? kk_vendor_contact_add(s, &coordinator, id, contact, NULL, &err)
			      : which == 2 ? kk_vendor_contact_update(s, &coordinator, id, cid, patch, &err)
					   : kk_product_add(s, &coordinator, id, product, NULL, &err);
			injected = kk_alloc_injected();
			kk_alloc_fail_at(0);
			if (!injected) {
				cr_assert_eq(res, KK_OK, "call %d: %s", which, err.msg);
				kk_error_release(&err);
				break;
			}
			cr_assert_neq(res, KK_OK, "call %d went on as if allocation %ld had not failed", which, n);
			cr_assert_eq(err.code, res, "call %d, allocation %ld", which, n);
			cr_assert(err.msg[0], "call %d, allocation %ld: no message", which, n);
			cr_assert_eq(rows_total(), before, "call %d, allocation %ld (%s): half-stored", which, n, err.msg);
			kk_error_release(&err);
		}
		cr_assert_lt(n, 400);
	}
	json_decref(vendor);
	json_decref(contact);
	json_decref(patch);
	json_decref(product);
}
