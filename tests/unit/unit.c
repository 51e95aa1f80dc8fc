/*
 * unit.c: helpers of unit.h.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "unit.h"

/* The address of a fresh, empty database on the engine KK_TEST_ENGINE names:
 * a file in a new temp directory (SQLite), or a new schema in the cluster
 * KEIKAI_TEST_PG (PostgreSQL), made with psql. */
const char *unit_address(void)
{
	static char address[PATH_MAX];
	const char *engine = getenv("KK_TEST_ENGINE");

	if (engine && strcmp(engine, "postgresql") == 0) {
		const char *base = getenv("KEIKAI_TEST_PG");
		char schema[40], secret[KK_SECRET_MAX], cmd[PATH_MAX + 128];

		cr_assert(base && *base, "KK_TEST_ENGINE=postgresql needs KEIKAI_TEST_PG (tests/pg/cluster.sh start)");
		kk_random_secret(secret, 8);
		snprintf(schema, sizeof(schema), "kk_%.16s", secret);
		for (char *p = schema; *p; p++) /* an identifier: lower case, no '-' */
			*p = *p == '-' ? '_' : (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;
		snprintf(cmd, sizeof(cmd), "psql '%s' -qAt -v ON_ERROR_STOP=1 -c 'CREATE SCHEMA %s' >/dev/null", base,
			 schema);
		cr_assert_eq(system(cmd), 0, "cannot create schema %s in %s", schema, base);
		snprintf(address, sizeof(address), "%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?",
			 schema);
	} else {
		char dir[] = "/tmp/keikai-unit-XXXXXX";

		cr_assert_not_null(mkdtemp(dir));
		snprintf(address, sizeof(address), "%s/test.db", dir);
	}
	return address;
}

struct kk_store *unit_store(char *path_out)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = NULL;
	const char *address;

	kk_password_cost_from_env();
	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
	address = unit_address();
	cr_assert_eq(kk_store_open(address, KK_STORE_CREATE, &s, &err), KK_OK, "store %s: %s", address, err.msg);
	if (path_out)
		snprintf(path_out, PATH_MAX, "%s", address);
	return s;
}

int64_t unit_count(struct kk_store *s, const char *sql, const char *param)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	struct kk_stmt *st;
	int64_t n;

	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	st = kk_stmt_prepare(&tx, sql, &err);
	cr_assert_not_null(st, "%s: %s", sql, err.msg);
	if (param)
		kk_stmt_bind_text(st, 1, param);
	cr_assert_eq(kk_stmt_step(st, &err), KK_STEP_ROW, "%s: %s", sql, err.msg);
	n = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	kk_tx_end(&tx, KK_OK, NULL);
	return n;
}

json_t *unit_report_body(const char *kind)
{
	json_t *b = json_pack(
		"{s:s, s:{s:s, s:s, s:s, s:s, s:s}, s:{s:b, s:b, s:b, s:s},"
		" s:{s:s, s:s, s:s, s:s, s:s, s:s, s:s}, s:{s:b, s:s, s:b, s:s}, s:b, s:b}",
		"kind", kind, "finder", "name", "山田 太郎", "email", "taro@example.jp", "organization", "",
		"phone", "", "pgp_key", "", "consent", "share_identity", 0, "direct_contact", 0, "credit", 1,
		"credit_name", "Taro Yamada", "details", "summary", "XSS in search", "environment", "Chromium",
		"steps", "1. open\n2. type <script>", "result", "script runs", "impact", "", "workaround", "",
		"cvss_vector", "", "other_reports", "reported_elsewhere", 0, "to_whom", "",
		"vendor_told_directly", 0, "coordinated_by", "receiving_org", "wants_final_result", 1,
		"encrypted_contact", 0);

	if (strcmp(kind, "website") == 0)
		json_object_set_new(b, "website", json_pack("{s:s}", "url", "https://www.example.jp/login"));
	else
		json_object_set_new(b, "product", json_pack("{s:s, s:s, s:s}", "vendor", "Example Corp", "name",
							    "Example Router", "version", "1.2.3"));
	return b;
}

void unit_set(json_t *body, const char *path, json_t *value)
{
	const char *dot = strchr(path, '.');
	json_t *parent = body;

	if (dot) {
		char key[64];

		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		parent = json_object_get(body, key);
		path = dot + 1;
	}
	if (value)
		json_object_set_new(parent, path, value);
	else
		json_object_del(parent, path);
}

struct kk_user unit_user(struct kk_store *s, const char *role_name, const char *email)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user u = { 0 };
	enum kk_role role;

	cr_assert_eq(kk_role_parse(role_name, &role), 0);
	cr_assert_eq(kk_user_add(s, role_name, role, email, "Test User", "correct horse battery staple", NULL, &err), KK_OK, "%s",
		     err.msg);
	cr_assert_eq(kk_user_by_email(s, email, &u, &err), KK_OK);
	return u;
}

void unit_submit(struct kk_store *s, json_t *body, char *id, char *secret)
{
	struct kk_error err = KK_ERROR_INIT;
	char secret_buf[KK_TOKEN_MAX];
	struct kk_report r;

	cr_assert_eq(kk_report_from_json(body, &r, &err), KK_OK, "validate: %s", err.msg);
	cr_assert_eq(kk_report_submit(s, &r, secret ? secret : secret_buf, &err), KK_OK, "submit: %s", err.msg);
	if (id)
		snprintf(id, 24, "%s", r.tracking_id);
	kk_report_release(&r);
	json_decref(body);
}

const char *unit_data_dir(void)
{
	const char *d = getenv("KK_TEST_DATA");
	return d ? d : "tests/data";
}
