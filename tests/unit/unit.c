/*
 * unit.c: helpers of unit.h.
 *
 * A test program leaves nothing behind. Before its first test, Criterion's
 * runner process makes one directory for the run ($TMPDIR or /tmp,
 * keikai-unit-XXXXXX) and hands it to the tests, which run in processes it
 * forks, in $KK_UNIT_TMP; every file and SQLite database of a test lives in a
 * directory of its own below it (unit_tmpdir). After the last test the runner
 * removes the directory with everything in it, whatever the tests did, crashes
 * included. On PostgreSQL each test's database is a schema named for the
 * runner (kk_p<pid>_...), and the runner drops those schemas the same way.
 */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keikai/i18n.h"
#include "keikai/keys.h"
#include "keikai/pgp.h"
#include "keikai/util.h"
#include "keikai/flow.h"
#include "keikai/alloc.h"
#include "keikai/case.h"
#include "keikai/vendor.h"
#include "unit.h"

#define UNIT_TMP_ENV "KK_UNIT_TMP"
#define UNIT_RUNNER_ENV "KK_UNIT_RUNNER" /* the runner's pid, which names the schemas */

/* 1 when the tests run on PostgreSQL: the PostgreSQL test program
 * (UNIT_POSTGRESQL), or KK_TEST_ENGINE=postgresql. */
static int on_postgresql(void)
{
	const char *engine = getenv("KK_TEST_ENGINE");

#ifdef UNIT_POSTGRESQL
	return 1;
#endif
	return engine && strcmp(engine, "postgresql") == 0;
}

/* The runner's directory for this run, set before the first test. */
static char run_dir[PATH_MAX];

ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
	const char *tmp = getenv("TMPDIR");
	char pid[24];

	(void)set;
	snprintf(run_dir, sizeof(run_dir), "%s/keikai-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	if (!mkdtemp(run_dir) || setenv(UNIT_TMP_ENV, run_dir, 1) != 0 || setenv(UNIT_RUNNER_ENV, pid, 1) != 0) {
		perror("unit.c: cannot make the run's temporary directory");
		exit(1);
	}
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) != 0)
		perror(path);
	return 0;
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
	const char *base = getenv("KEIKAI_TEST_PG");
	char cmd[PATH_MAX + 512];

	(void)stats;
	if (run_dir[0] && nftw(run_dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		perror(run_dir);
	if (!on_postgresql() || !base || !*base)
		return;
	/* one DROP per transaction: a few hundred tables at once would exceed
	 * the locks one transaction may hold */
	snprintf(cmd, sizeof(cmd),
		 "psql '%s' -qAt -v ON_ERROR_STOP=1 -c \"SELECT format('DROP SCHEMA %%I CASCADE;', nspname)"
		 " FROM pg_namespace WHERE nspname LIKE 'kk\\_p%ld\\_%%'\" | psql '%s' -q -v ON_ERROR_STOP=1 >/dev/null",
		 base, (long)getpid(), base);
	if (system(cmd) != 0)
		fprintf(stderr, "unit.c: could not drop this run's schemas (kk_p%ld_*) in %s\n", (long)getpid(), base);
}

void unit_tmpdir(char out[PATH_MAX])
{
	const char *run = getenv(UNIT_TMP_ENV);

	cr_assert(run && *run, "$%s is not set: the runner made no directory for the run", UNIT_TMP_ENV);
	snprintf(out, PATH_MAX, "%s/t-XXXXXX", run);
	cr_assert_not_null(mkdtemp(out), "cannot make a directory in %s", run);
}

/* The address of a fresh, empty database on the engine under test: a file in
 * a new directory of the run (SQLite), or a new schema in the cluster
 * KEIKAI_TEST_PG (PostgreSQL), made with psql and named for the runner. */
const char *unit_address(void)
{
	static char address[PATH_MAX];

	if (on_postgresql()) {
		const char *base = getenv("KEIKAI_TEST_PG"), *runner = getenv(UNIT_RUNNER_ENV);
		char schema[64], secret[KK_SECRET_MAX], cmd[PATH_MAX + 128];

		cr_assert(base && *base, "the PostgreSQL tests need KEIKAI_TEST_PG (tests/pg/cluster.sh start)");
		cr_assert(runner && *runner, "$%s is not set: the runner did not start the run", UNIT_RUNNER_ENV);
		kk_random_secret(secret, 8);
		snprintf(schema, sizeof(schema), "kk_p%.12s_%.16s", runner, secret);
		for (char *p = schema; *p; p++) /* an identifier: lower case, no '-' */
			*p = *p == '-' ? '_' : (*p >= 'A' && *p <= 'Z') ? (char)(*p + 32) : *p;
		snprintf(cmd, sizeof(cmd), "psql '%s' -qAt -v ON_ERROR_STOP=1 -c 'CREATE SCHEMA %s' >/dev/null", base,
			 schema);
		cr_assert_eq(system(cmd), 0, "cannot create schema %s in %s", schema, base);
		snprintf(address, sizeof(address), "%s%soptions=-csearch_path%%3D%s", base, strchr(base, '?') ? "&" : "?",
			 schema);
	} else {
		char dir[PATH_MAX];

		unit_tmpdir(dir);
		snprintf(address, sizeof(address), "%s/test.db", dir);
	}
	return address;
}

/* The keys directory of this test's PostgreSQL stores, once made. */
static char keys_env[PATH_MAX + 8];

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
	/* issue 11: attachments are sealed under the evidence key, so every
	 * store has one. SQLite's is beside the file (test.db.keys). The
	 * PostgreSQL stores of a test share a directory of the run, named by
	 * KEIKAI_KEYS (keys.h) rather than the setting keys_dir: a setting is a
	 * row, and keikai db copy's target must start empty. */
	if (on_postgresql() && !keys_env[0]) {
		char dir[PATH_MAX];

		unit_tmpdir(dir);
		snprintf(keys_env, sizeof(keys_env), "%s/keys", dir);
		cr_assert_eq(setenv("KEIKAI_KEYS", keys_env, 1), 0);
	} else if (!on_postgresql()) {
		unsetenv("KEIKAI_KEYS"); /* beside the file, never a caller's directory */
	}
	cr_assert_eq(kk_keys_create(s, &err), KK_OK, "the evidence key of %s: %s", address, err.msg);
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
	cr_assert_eq(kk_user_add(s, role_name, role, email, "Test User", "correct horse battery staple", 0, NULL, &err), KK_OK, "%s",
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

void unit_accepted_report(struct kk_store *s, const struct kk_user *intake, json_t *body, char *id, char *secret)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_decision accept = { 1, KK_REJECT_NONE, NULL };
	char id_buf[24];

	unit_submit(s, body, id ? id : id_buf, secret);
	cr_assert_eq(kk_report_decide(s, intake, id ? id : id_buf, &accept, NULL, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
}

int64_t unit_vendor(struct kk_store *s, const struct kk_user *coord, const char *name, const char *email,
		    struct kk_user *u)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = json_pack("{s:s, s:[{s:s, s:s, s:b}]}", "name_en", name, "contacts", "channel", "email", "value",
				 email, "is_primary", 1);
	int64_t id = 0;

	cr_assert_not_null(body);
	cr_assert_eq(kk_vendor_add(s, coord, body, &id, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	if (u) {
		cr_assert_eq(kk_user_add(s, name, KK_ROLE_VENDOR, email, "PSIRT", "correct horse battery staple", id,
					 NULL, &err),
			     KK_OK, "%s", err.msg);
		cr_assert_eq(kk_user_by_email(s, email, u, &err), KK_OK);
	}
	kk_error_release(&err);
	return id;
}

void unit_parties(struct unit_parties *p)
{
	memset(p, 0, sizeof(*p));
	p->s = unit_store(NULL);
	p->intake = unit_user(p->s, "intake", "intake@example.jp");
	p->coord = unit_user(p->s, "coordinator", "coord@example.jp");
	p->admin = unit_user(p->s, "admin", "admin@example.jp");
	p->operator = unit_user(p->s, "operator", "operator@example.jp");
	p->vid = unit_vendor(p->s, &p->coord, "Example Corp", "psirt@example.jp", &p->vendor);
	p->other_vid = unit_vendor(p->s, &p->coord, "Other Corp", "psirt@other.example.jp", &p->other);
}

void unit_parties_end(struct unit_parties *p)
{
	kk_user_release(&p->intake);
	kk_user_release(&p->coord);
	kk_user_release(&p->admin);
	kk_user_release(&p->operator);
	kk_user_release(&p->vendor);
	kk_user_release(&p->other);
	kk_store_close(p->s);
}

void unit_case_open(struct kk_store *s, const struct kk_user *coord, const char *tid, const char *title,
		    const char *summary, const char *detail, char *ref, size_t n)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body = json_pack("{s:[s], s:s, s:s, s:s}", "reports", tid, "title", title, "summary",
					      summary, "detail", detail);

	cr_assert_not_null(body);
	cr_assert_eq(kk_case_open(s, coord, body, &out, &err), KK_OK, "%s", err.msg);
	snprintf(ref, n, "%s", json_string_value(json_object_get(out, "id")));
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

const char *unit_data_dir(void)
{
	const char *d = getenv("KK_TEST_DATA");
	return d ? d : "tests/data";
}

struct kk_store *unit_registry_store(const char *rel)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_vendor_import_summary *sum = kk_calloc(1, sizeof(*sum));
	struct kk_error err = KK_ERROR_INIT;
	char path[PATH_MAX];

	cr_assert_not_null(sum);
	snprintf(path, sizeof(path), "%s/%s", unit_data_dir(), rel);
	cr_assert_eq(kk_vendor_import_myjvn(s, path, NULL, NULL, sum, &err), KK_OK, "%s: %s", path, err.msg);
	cr_assert_eq(sum->refused, 0, "%s: a line was refused", path);
	free(sum);
	kk_error_release(&err);
	return s;
}

char *unit_read_source(const char *rel)
{
	const char *root = getenv("KK_SOURCE_ROOT");
	char path[4096];
	FILE *f;
	char *text;
	long n;

	snprintf(path, sizeof(path), "%s/%s", root ? root : ".", rel);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	cr_assert_not_null(text);
	cr_assert_eq(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return text;
}

void unit_roles_text(unsigned roles, char *out, size_t n)
{
	size_t len = 0;

	out[0] = '\0';
	if (roles == KK_ROLES_EVERYONE) {
		snprintf(out, n, "everyone");
		return;
	}
	if (roles == KK_ROLES_SIGNED_IN) {
		snprintf(out, n, "signed in");
		return;
	}
	for (int role = 0; role < KK_ROLE_COUNT; role++)
		if (roles & KK_ROLE_BIT(role))
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? ", " : "", kk_role_name((enum kk_role)role));
}

int unit_table_rows(const char *doc, const char *marker, const char *header)
{
	const char *table = strstr(doc, marker);
	size_t hl = strlen(header);
	int rows = 0;

	cr_assert_not_null(table, "no %s table", marker);
	for (const char *p = table; (p = strstr(p, "\n| ")); p++)
		if (strncmp(p + 1, header, hl) != 0)
			rows++;
	return rows;
}

json_t *unit_json(const char *text)
{
	json_error_t jerr;
	json_t *v = json_loads(text, 0, &jerr);

	cr_assert_not_null(v, "%s: %s", text, jerr.text);
	return v;
}

int64_t unit_vendor_json(struct kk_store *s, const struct kk_user *coord, const char *text)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = unit_json(text);
	int64_t id = 0;

	cr_assert_eq(kk_vendor_add(s, coord, body, &id, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	kk_error_release(&err);
	return id;
}

struct kk_user unit_vendor_user(struct kk_store *s, int64_t vendor_id, const char *email)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user u;
	int64_t id;

	cr_assert_eq(kk_user_add(s, email, KK_ROLE_VENDOR, email, "PSIRT", "a long enough password", vendor_id, &id, &err),
		     KK_OK, "%s", err.msg);
	cr_assert_eq(kk_user_by_email(s, email, &u, &err), KK_OK);
	kk_error_release(&err);
	return u;
}

void unit_sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	cr_assert_eq(system(cmd), 0, "failed: %s", cmd);
}

char *unit_sh_out(const char *fmt, ...)
{
	char cmd[8192], *buf;
	size_t len = 0, n;
	va_list ap;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	f = popen(cmd, "r");
	cr_assert_not_null(f, "cannot run %s", cmd);
	buf = kk_calloc(1, 1 << 20);
	cr_assert_not_null(buf);
	while ((n = fread(buf + len, 1, (1 << 20) - 1 - len, f)) > 0)
		len += n;
	cr_assert_eq(pclose(f), 0, "failed: %s", cmd);
	return buf;
}

char *unit_read_file(const char *path)
{
	char *buf = kk_calloc(1, 1 << 20);
	FILE *f = fopen(path, "r");

	cr_assert_not_null(f, "cannot read %s", path);
	cr_assert_not_null(buf);
	cr_assert(fread(buf, 1, (1 << 20) - 1, f) < (1 << 20) - 1 || feof(f), "%s is over 1 MiB", path);
	fclose(f);
	return buf;
}

void unit_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "cannot write %s", path);
	cr_assert(fputs(text, f) >= 0 && fclose(f) == 0, "cannot write %s", path);
}

char *unit_mail_body(const char *text)
{
	const char *b = strstr(text, "\r\n\r\n");
	struct kk_buf joined;
	unsigned char *raw;
	char *out;
	size_t n = 0;
	int too_big = 0;

	cr_assert_not_null(b);
	kk_buf_init(&joined, 1 << 22);
	for (b += 4; *b; b++)
		if (*b != '\r' && *b != '\n')
			kk_buf_add(&joined, b, 1);
	raw = kk_base64_decode(joined.data ? joined.data : "", 1 << 22, &n, &too_big);
	kk_buf_release(&joined);
	cr_assert_not_null(raw, "the body is not base64");
	out = kk_calloc(1, n + 1);
	cr_assert_not_null(out);
	memcpy(out, raw, n);
	free(raw);
	return out;
}

char *unit_org_encrypt(struct kk_store *s, const char *plain)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp *p = NULL;
	char fpr[KK_PGP_FPR_LEN], dir[PATH_MAX], path[PATH_MAX + 16], *armored = NULL, *cipher;
	int created;

	cr_assert_eq(kk_pgp_open(s, &p, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_pgp_init(p, s, "CSIRT", "csirt@org.example", fpr, &created, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_pgp_org_key(p, s, &armored, fpr, &err), KK_OK, "%s", err.msg);
	kk_pgp_close(p);
	unit_tmpdir(dir);
	snprintf(path, sizeof(path), "%s/org.asc", dir);
	unit_write_file(path, armored);
	snprintf(path, sizeof(path), "%s/plain", dir);
	unit_write_file(path, plain);
	unit_sh("mkdir -m 700 '%s/gpg' && gpg --homedir '%s/gpg' --batch --quiet --import '%s/org.asc' 2>/dev/null", dir,
		dir, dir);
	cipher = unit_sh_out("gpg --homedir '%s/gpg' --batch --quiet --trust-model always --armor --encrypt -r %s"
			     " < '%s' 2>/dev/null; gpgconf --homedir '%s/gpg' --kill all",
			     dir, fpr, path, dir);
	cr_assert_not_null(strstr(cipher, "-----BEGIN PGP MESSAGE-----"), "%s", cipher);
	free(armored);
	kk_error_release(&err);
	return cipher;
}
