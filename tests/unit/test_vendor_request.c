/*
 * test_vendor_request.c: unit tests of lib/vendor/requests.c,
 * lib/vendor/public_list.c and lib/store/vendor_requests.c: vendor
 * registration requests (G IV.4.2) and the public vendor list (G IV.4.1), on
 * the engine under test (SQLite, or PostgreSQL with KEIKAI_TEST_PG). The flow
 * table itself is walked state × event × role by test_flow.c; here are the
 * validation, what an approval registers, the limit per source, who may see
 * requests, and the schema's CHECK.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor_request.h"
#include "store/vendors.h"
#include "unit.h"

static json_t *body_of(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, 0, &jerr);

	cr_assert_not_null(j, "%s: %s", text, jerr.text);
	return j;
}

/* Validates and submits text; returns the request's id. */
static int64_t submit(struct kk_store *s, const char *text)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request r;
	json_t *body = body_of(text);
	int64_t id;

	cr_assert_eq(kk_vendor_request_from_json(body, &r, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_vendor_request_submit(s, &r, NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(r.status, KK_VREQ_PENDING);
	cr_assert_gt(r.created_at, 0);
	id = r.id;
	kk_vendor_request_release(&r);
	json_decref(body);
	kk_error_release(&err);
	return id;
}

static const struct kk_user coordinator = { .id = 0, .role = KK_ROLE_COORDINATOR };

/* The members of err's fields, sorted and joined with spaces, into buf. */
static const char *field_names(const struct kk_error *err, char *buf, size_t n)
{
	const char *names[16];
	size_t k = 0, len = 0;
	const char *key;
	json_t *v;

	buf[0] = '\0';
	json_object_foreach (err->fields, key, v)
		if (k < 16)
			names[k++] = key;
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++)
			if (strcmp(names[j], names[i]) < 0) {
				const char *t = names[i];
				names[i] = names[j];
				names[j] = t;
			}
	for (size_t i = 0; i < k; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? " " : "", names[i]);
	return buf;
}

/* G IV.4.2: what a request must say, each fault on its field. */
Test(vendor_request, validation_names_every_wrong_field)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request r;
	char names[256];
	json_t *body = body_of("{\"country\": \"JPN\", \"website\": \"ftp://x\", \"contact_email\": \"nope\","
			       " \"lang\": \"fr\", \"note\": 5, \"vendor_id\": 3}");

	kk_i18n_use(KK_LANG_EN);
	cr_assert_eq(kk_vendor_request_from_json(body, &r, &err), KK_EINVAL);
	cr_assert_str_eq(field_names(&err, names, sizeof(names)),
			 "contact_email country lang name_ja note vendor_id website");
	cr_assert_str_eq(json_string_value(json_object_get(err.fields, "vendor_id")), "Unknown field.");
	kk_vendor_request_release(&r);
	kk_error_release(&err);
	json_decref(body);

	/* the smallest request: one name and the contact; blanks count as absent */
	err = (struct kk_error)KK_ERROR_INIT;
	body = body_of("{\"name_ja\": \"  \", \"name_en\": \"Acme\", \"contact_email\": \"psirt@acme.example\","
		       " \"country\": \"jp\", \"website\": \"\"}");
	kk_i18n_use(KK_LANG_JA);
	cr_assert_eq(kk_vendor_request_from_json(body, &r, &err), KK_OK, "%s", err.msg);
	cr_assert_null(r.name_ja);
	cr_assert_str_eq(r.name_en, "Acme");
	cr_assert_str_eq(r.country, "JP");
	cr_assert_null(r.website);
	cr_assert_str_eq(r.lang, "ja", "the language the request was written in");
	kk_vendor_request_release(&r);
	json_decref(body);
	kk_i18n_use(KK_LANG_EN);
}

Test(vendor_request, decision_validation)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request_decision d;
	json_t *b;

	b = body_of("{\"decision\": \"reject\"}");
	cr_assert_eq(kk_vendor_request_decision_from_json(b, &d, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "reason"));
	json_decref(b);
	kk_error_clear(&err);
	b = body_of("{\"decision\": \"approve\", \"reason\": \"x\"}");
	cr_assert_eq(kk_vendor_request_decision_from_json(b, &d, &err), KK_EINVAL);
	json_decref(b);
	kk_error_clear(&err);
	b = body_of("{\"decision\": \"reject\", \"reason\": \"Not a vendor.\"}");
	cr_assert_eq(kk_vendor_request_decision_from_json(b, &d, &err), KK_OK);
	cr_assert_eq(d.approve, 0);
	cr_assert_str_eq(d.reason, "Not a vendor.");
	json_decref(b);
	kk_error_release(&err);
}

/* G IV.4.2: approval registers the vendor with its primary contact, in one
 * transaction that also moves the registry's version and audits both. */
Test(vendor_request, approval_registers_the_vendor)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user coord = unit_user(s, "coordinator", "coord@vreq.example");
	struct kk_vendor_request_decision d = { 1, NULL };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request r;
	int64_t id = submit(s, "{\"name_ja\": \"サンプル電機\", \"name_en\": \"Sample Denki\", \"country\": \"JP\","
			       " \"website\": \"https://sample.example.jp/\", \"contact_email\": \"psirt@sample.example.jp\","
			       " \"department\": \"PSIRT\", \"lang\": \"en\"}");
	int64_t before, after;
	char vid[32];
	struct kk_tx tx;
	json_t *trail = NULL;

	cr_assert_eq(kk_tx_begin(s, 0, &tx, NULL), KK_OK);
	cr_assert_eq(kk_vendors_registry_version(&tx, &before, NULL), KK_OK);
	kk_tx_end(&tx, KK_OK, NULL);
	cr_assert_eq(kk_vendor_request_decide(s, &coord, id, &d, &r, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(r.status, KK_VREQ_APPROVED);
	cr_assert_gt(r.vendor_id, 0);
	cr_assert_eq(r.decided_by, coord.id);
	cr_assert_gt(r.decided_at, 0);
	snprintf(vid, sizeof(vid), "%lld", (long long)r.vendor_id);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendors WHERE id = CAST(? AS BIGINT) AND name_ja = 'サンプル電機'"
				   " AND name_en = 'Sample Denki' AND country = 'JP' AND preferred_lang = 'en'"
				   " AND website = 'https://sample.example.jp/' AND listed_publicly = 0", vid), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendor_contacts WHERE vendor_id = CAST(? AS BIGINT)"
				   " AND channel = 'email' AND value = 'psirt@sample.example.jp' AND department = 'PSIRT'"
				   " AND is_primary = 1 AND is_valid = 1", vid), 1);
	cr_assert_eq(kk_tx_begin(s, 0, &tx, NULL), KK_OK);
	cr_assert_eq(kk_vendors_registry_version(&tx, &after, NULL), KK_OK);
	kk_tx_end(&tx, KK_OK, NULL);
	cr_assert_gt(after, before, "search sees the new vendor");
	cr_assert_eq(kk_audit_list(s, "vendor", r.vendor_id, &trail, NULL), KK_OK);
	cr_assert_eq(json_array_size(trail), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(trail, 0), "action")), "vendor.add");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(json_array_get(trail, 0), "detail"),
						       "request_id")),
		     id, "the vendor's history names the request");
	json_decref(trail);
	cr_assert_eq(kk_audit_list(s, "vendor_request", id, &trail, NULL), KK_OK);
	cr_assert_eq(json_array_size(trail), 2, "submit, approve");
	json_decref(trail);
	kk_vendor_request_release(&r);

	/* decided once */
	cr_assert_eq(kk_vendor_request_decide(s, &coord, id, &d, NULL, &err), KK_ECONFLICT);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendors", NULL), 1);
	kk_error_release(&err);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* G IV.4.2: a rejection without a reason changes nothing. */
Test(vendor_request, rejection_needs_a_reason)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user coord = unit_user(s, "coordinator", "coord@vreq.example");
	struct kk_vendor_request_decision none = { 0, NULL }, why = { 0, "Not a product vendor." };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request r;
	int64_t id = submit(s, "{\"name_en\": \"Nobody\", \"contact_email\": \"a@nobody.example\"}");

	cr_assert_eq(kk_vendor_request_decide(s, &coord, id, &none, NULL, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "reason"));
	kk_error_clear(&err);
	cr_assert_eq(kk_vendor_request_get(s, &coord, id, &r, &err), KK_OK);
	cr_assert_eq(r.status, KK_VREQ_PENDING);
	kk_vendor_request_release(&r);
	cr_assert_eq(kk_vendor_request_decide(s, &coord, id, &why, &r, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(r.status, KK_VREQ_REJECTED);
	cr_assert_str_eq(r.reason, "Not a product vendor.");
	cr_assert_eq(r.vendor_id, 0);
	kk_vendor_request_release(&r);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendors", NULL), 0);
	kk_error_release(&err);
	kk_user_release(&coord);
	kk_store_close(s);
}

/* Anonymous submission shares the reports' hourly budget per source address. */
Test(vendor_request, limited_per_source)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_submit_opts opts = { "203.0.113.7", 1, NULL, 0 };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_vendor_request r;
	json_t *body = body_of("{\"name_en\": \"Busy\", \"contact_email\": \"a@busy.example\"}");

	cr_assert_eq(kk_vendor_request_from_json(body, &r, &err), KK_OK);
	cr_assert_eq(kk_vendor_request_submit(s, &r, &opts, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_vendor_request_submit(s, &r, &opts, &err), KK_ETHROTTLED);
	cr_assert_gt(opts.retry_after, 0);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendor_requests", NULL), 1, "nothing stored when refused");
	kk_vendor_request_release(&r);
	json_decref(body);
	kk_error_release(&err);
	kk_store_close(s);
}

/* Only those who decide see requests; to others none exists. */
Test(vendor_request, only_deciders_see_requests)
{
	struct kk_store *s = unit_store(NULL);
	int64_t id = submit(s, "{\"name_en\": \"Seen\", \"contact_email\": \"a@seen.example\"}");
	static const enum kk_role others[] = { KK_ROLE_NONE, KK_ROLE_INTAKE, KK_ROLE_VENDOR, KK_ROLE_OPERATOR,
					       KK_ROLE_COMMITTEE };
	struct kk_vendor_request r;
	json_t *list = NULL;

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		struct kk_user u = { .role = others[i] };

		cr_assert_eq(kk_vendor_request_get(s, &u, id, &r, NULL), KK_ENOTFOUND);
		cr_assert_eq(kk_vendor_request_list(s, &u, -1, 50, &list, NULL), KK_EDENIED);
		cr_assert_null(list);
	}
	cr_assert_eq(kk_vendor_request_list(s, &coordinator, KK_VREQ_PENDING, 50, &list, NULL), KK_OK);
	cr_assert_eq(json_array_size(list), 1);
	json_decref(list);
	cr_assert_eq(kk_vendor_request_list(s, &coordinator, KK_VREQ_APPROVED, 50, &list, NULL), KK_OK);
	cr_assert_eq(json_array_size(list), 0);
	json_decref(list);
	cr_assert_eq(kk_vendor_request_get(s, &coordinator, id + 1, &r, NULL), KK_ENOTFOUND);
	kk_store_close(s);
}

/* G IV.4.1: only consenting vendors, the direct contact only where asked. */
Test(vendor_request, public_list_shows_only_consenting_vendors)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	json_t *list = NULL, *a, *b;

	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_tx_end(&tx,
			       kk_tx_exec(&tx,
					  "INSERT INTO vendors(name_ja, name_en, listed_publicly, accepts_direct_reports,"
					  " intake_email, policy_url, created_at, updated_at) VALUES"
					  " (NULL, 'Alpha', 1, 1, 'sec@alpha.example', 'https://alpha.example/p', 1, 1),"
					  " ('ベータ', 'Beta', 1, 0, 'sec@beta.example', 'https://beta.example/p', 1, 1),"
					  " ('ガンマ', 'Gamma', 0, 1, 'sec@gamma.example', NULL, 1, 1)",
					  &err),
			       &err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(kk_vendor_public_list(s, &list, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(list), 2);
	a = json_array_get(list, 0);
	b = json_array_get(list, 1);
	cr_assert_str_eq(json_string_value(json_object_get(a, "name_en")), "Alpha");
	cr_assert_str_eq(json_string_value(json_object_get(a, "intake_email")), "sec@alpha.example");
	cr_assert_str_eq(json_string_value(json_object_get(a, "policy_url")), "https://alpha.example/p");
	cr_assert(json_is_true(json_object_get(a, "accepts_direct_reports")));
	cr_assert_str_eq(json_string_value(json_object_get(b, "name_ja")), "ベータ");
	cr_assert(json_is_null(json_object_get(b, "intake_email")));
	cr_assert(json_is_null(json_object_get(b, "policy_url")));
	json_decref(list);
	kk_error_release(&err);
	kk_store_close(s);
}

/* enum kk_vendor_request_status is the order of the flow's states, and the
 * schema's CHECK admits exactly them. */
Test(vendor_request, states_follow_the_table)
{
	static const enum kk_vendor_request_status all[] = { KK_VREQ_PENDING, KK_VREQ_APPROVED, KK_VREQ_REJECTED };
	struct kk_store *s = unit_store(NULL);
	int64_t id = submit(s, "{\"name_en\": \"Checked\", \"contact_email\": \"a@checked.example\"}");
	enum kk_vendor_request_status st;

	cr_assert_eq(kk_vendor_request_flow.n_states, sizeof(all) / sizeof(all[0]));
	for (size_t i = 0; i <= kk_vendor_request_flow.n_states; i++) {
		const char *name = i < kk_vendor_request_flow.n_states ? kk_vendor_request_flow.states[i].name : "withdrawn";
		struct kk_error err = KK_ERROR_INIT;
		struct kk_stmt *stmt;
		struct kk_tx tx;
		enum kk_result res;

		if (i < kk_vendor_request_flow.n_states) {
			cr_assert_str_eq(kk_vendor_request_status_name(all[i]), name);
			cr_assert_eq(kk_vendor_request_status_parse(name, &st), 0);
			cr_assert_eq(st, all[i]);
		} else {
			cr_assert_eq(kk_vendor_request_status_parse(name, &st), -1);
		}
		cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
		stmt = kk_stmt_prepare(&tx, "UPDATE vendor_requests SET status = ? WHERE id = ?", &err);
		if (stmt) {
			kk_stmt_bind_text(stmt, 1, name);
			kk_stmt_bind_int(stmt, 2, id);
		}
		res = kk_tx_end(&tx, kk_stmt_once(stmt, &err), &err);
		if (i < kk_vendor_request_flow.n_states)
			cr_assert_eq(res, KK_OK, "%s: %s", name, err.msg);
		else
			cr_assert_neq(res, KK_OK, "the schema admits a state the flow does not have");
		kk_error_release(&err);
	}
	kk_store_close(s);
}
