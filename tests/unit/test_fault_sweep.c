/*
 * The fault sweep (issue 7, "errors never dropped"; curl's torture tests, SQLite's
 * OOM tests): report intake (kk_report_from_json + kk_report_submit; and
 * kk_report_from_body with details encrypted to the organisation's key, issue
 * 11) and triage
 * (kk_decision_from_json + kk_report_decide, accepting and rejecting, and
 * kk_assessment_from_json + kk_report_assess) run again and again on a real
 * SQLite file, with allocation N through keikai/alloc.h failing, for N = 1, 2,
 * ... until a run sees no injected failure. Each run that met its failure must
 * end in a clean error (a result other than KK_OK, the same code and a message
 * in err), leave every table of the database exactly as it was, and (under
 * ASan, whose leak check runs when the test ends) leak nothing. Only keikai's
 * allocations (and jansson's, which go through the wrappers) are counted:
 * SQLite's are its own.
 *
 * Runs in its own suite ("fault sweep" in tests/run-all.sh), in the normal and
 * the sanitizer build.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "store/schema.h"
#include "unit.h"

/* Far above what any of the calls allocates; a sweep that gets here is looping. */
#define SWEEP_MAX 5000

/* Every row of every table (schema.c's list, in its complete order), one line
 * each, the caller frees. Taken with the injector disarmed. */
static char *snapshot(struct kk_store *s)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;
	struct kk_tx tx;
	char *out;

	kk_buf_init(&b, 256u << 20);
	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	for (const struct kk_schema_table *t = kk_schema_tables; t->name; t++) {
		char sql[256];
		struct kk_stmt *st;
		enum kk_step step;

		snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY %s", t->name, t->order);
		st = kk_stmt_prepare(&tx, sql, &err);
		cr_assert_not_null(st, "%s: %s", sql, err.msg);
		kk_buf_addf(&b, "== %s\n", t->name);
		while ((step = kk_stmt_step(st, &err)) == KK_STEP_ROW) {
			for (int i = 0; i < kk_stmt_columns(st); i++) {
				size_t n;
				const unsigned char *p;

				switch (kk_stmt_type(st, i)) {
				case KK_COL_NULL: kk_buf_adds(&b, "|null"); break;
				case KK_COL_INT: kk_buf_addf(&b, "|%lld", (long long)kk_stmt_int(st, i)); break;
				case KK_COL_TEXT: kk_buf_addf(&b, "|'%s'", kk_stmt_text(st, i)); break;
				case KK_COL_BLOB:
					p = kk_stmt_blob(st, i, &n);
					kk_buf_adds(&b, "|x");
					for (size_t j = 0; j < n; j++)
						kk_buf_addf(&b, "%02x", p[j]);
					break;
				}
			}
			kk_buf_adds(&b, "\n");
		}
		cr_assert_eq(step, KK_STEP_DONE, "%s: %s", sql, err.msg);
		kk_stmt_free(st);
	}
	kk_tx_end(&tx, KK_OK, NULL);
	cr_assert_eq(kk_buf_finish(&b, &out), KK_OK);
	return out;
}

/* One call under test: runs it once with the injector as the sweep left it,
 * releasing whatever it made; returns its result, err filled on failure. */
typedef enum kk_result sweep_fn(struct kk_store *s, void *arg, struct kk_error *err);

/*
 * Runs fn with allocation 1, 2, ... failing until a run meets no injected
 * failure, which must succeed. Returns how many runs failed (the number of
 * allocations fn makes when all goes well).
 */
static long sweep(const char *what, struct kk_store *s, sweep_fn *fn, void *arg)
{
	char *before = snapshot(s);
	long n;

	for (n = 1; n <= SWEEP_MAX; n++) {
		struct kk_error err = KK_ERROR_INIT;
		enum kk_result res;
		int injected;
		char *after;

		kk_alloc_fail_at(n);
		res = fn(s, arg, &err);
		injected = kk_alloc_injected();
		kk_alloc_fail_at(0);
		if (!injected) {
			cr_assert_eq(res, KK_OK, "%s with no failure injected: %d %s", what, res, err.msg);
			kk_error_release(&err);
			break;
		}
		/* a clean error: reported, with a message, and nothing stored */
		cr_assert_neq(res, KK_OK, "%s went on as if allocation %ld had not failed", what, n);
		cr_assert_eq(err.code, res, "%s, allocation %ld: returned %d but err says %d (%s)", what, n, res,
			     err.code, err.msg);
		cr_assert(err.msg[0], "%s, allocation %ld: error %d without a message", what, n, res);
		after = snapshot(s);
		cr_assert_str_eq(after, before, "%s, allocation %ld (%s): the database changed", what, n, err.msg);
		free(after);
		kk_error_release(&err);
	}
	cr_assert_leq(n, SWEEP_MAX, "%s: still failing after %d runs", what, SWEEP_MAX);
	free(before);
	return n - 1;
}

/* ---- the calls ---- */

struct intake {
	json_t *body;
};

static enum kk_result intake(struct kk_store *s, void *arg, struct kk_error *err)
{
	struct intake *in = arg;
	char secret[KK_TOKEN_MAX];
	struct kk_report r;
	enum kk_result res = kk_report_from_json(in->body, &r, err);

	if (!res)
		res = kk_report_submit(s, &r, secret, err);
	kk_report_release(&r);
	return res;
}

/* issue 11: the same with the details encrypted; from_body changes its body,
 * so each run takes a copy */
static enum kk_result intake_sealed(struct kk_store *s, void *arg, struct kk_error *err)
{
	struct intake *in = arg;
	char secret[KK_TOKEN_MAX];
	struct kk_report r = { 0 };
	json_t *body = json_deep_copy(in->body);
	enum kk_result res = body ? kk_report_from_body(s, body, &r, err) : kk_error_nomem(err);

	if (!res)
		res = kk_report_submit(s, &r, secret, err);
	kk_report_release(&r);
	json_decref(body);
	return res;
}

struct triage {
	const struct kk_user *actor;
	const char *id;
	json_t *body;
};

static enum kk_result decide(struct kk_store *s, void *arg, struct kk_error *err)
{
	struct triage *t = arg;
	struct kk_decision d;
	struct kk_report r;
	enum kk_result res = kk_decision_from_json(t->body, &d, err);

	if (!res)
		res = kk_report_decide(s, t->actor, t->id, &d, &r, err);
	if (!res)
		kk_report_release(&r);
	return res;
}

static enum kk_result assess(struct kk_store *s, void *arg, struct kk_error *err)
{
	struct triage *t = arg;
	struct kk_assessment a;
	struct kk_report r;
	enum kk_result res = kk_assessment_from_json(t->body, &a, err);

	if (!res)
		res = kk_report_assess(s, t->actor, t->id, &a, &r, err);
	if (!res)
		kk_report_release(&r);
	return res;
}

/* A report body with every optional part filled, evidence included, so the
 * sweep passes through each allocation intake can make. */
static json_t *full_body(void)
{
	json_t *body = unit_report_body("product");

	unit_set(body, "details.impact", json_string("An attacker runs script in the victim's session."));
	unit_set(body, "details.workaround", json_string("Turn the search box off."));
	unit_set(body, "details.cvss_vector", json_string("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"));
	unit_set(body, "finder.organization", json_string("Example Research"));
	json_object_set_new(body, "attachments",
			    json_pack("[{s:s, s:s, s:s}]", "filename", "poc.html", "content_type", "text/html",
				      "data_base64", "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="));
	return body;
}

/* SPEC 2.1: a report is stored whole, with its evidence, audit record and
 * acknowledgement, or not at all, whichever allocation fails. */
Test(fault_sweep, report_intake)
{
	struct kk_store *s = unit_store(NULL);
	struct intake in = { full_body() };
	long runs;

	kk_i18n_use(KK_LANG_JA);
	runs = sweep("intake", s, intake, &in);
	cr_assert_gt(runs, 20, "intake allocates more than this (%ld); is the injector armed?", runs);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports", NULL), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM attachments", NULL), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM outbox WHERE kind = 'acknowledgement'", NULL), 1);
	json_decref(in.body);
	kk_store_close(s);
}

/* issue 11 item 5: encrypted details are decrypted, stored with their
 * ciphertext as evidence, or nothing is, whichever allocation fails. */
Test(fault_sweep, report_intake_encrypted)
{
	struct kk_store *s = unit_store(NULL);
	char *cipher = unit_org_encrypt(s, "Environment: Example CMS 4.2\nSteps: search for <script>\nResult: it runs\n");
	struct intake in = { full_body() };
	json_t *det = json_object_get(in.body, "details");
	long runs;

	json_object_del(det, "environment");
	json_object_del(det, "steps");
	json_object_del(det, "result");
	json_object_set_new(det, "encrypted", json_string(cipher));
	kk_i18n_use(KK_LANG_EN);
	runs = sweep("intake (encrypted)", s, intake_sealed, &in);
	cr_assert_gt(runs, 20, "intake allocates more than this (%ld); is the injector armed?", runs);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE encrypted_fields IS NOT NULL", NULL), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM evidence WHERE kind = 'ciphertext'", NULL), 1);
	json_decref(in.body);
	free(cipher);
	kk_store_close(s);
}

/* SPEC 2.2: an acceptance, a rejection with a reason and a note, and an impact
 * assessment (SPEC 2.3) each commit whole, message to the finder and audit
 * record included, or leave the report as it was. */
Test(fault_sweep, triage)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_user intake_user = unit_user(s, "intake", "intake@ipa.example");
	char a[24], b[24], c[24];
	struct triage accept = { &intake_user, a, json_pack("{s:s}", "decision", "accept") };
	struct triage reject = { &intake_user, b,
				 json_pack("{s:s, s:s, s:s}", "decision", "reject", "reason", "out_of_scope", "note",
					   "対象外の製品です。Not used in Japan.") };
	struct triage assessment = { &intake_user, c,
				     json_pack("{s:s, s:{s:s, s:s, s:s}}", "cvss_vector",
					       "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "scope", "users", "many",
					       "critical_infrastructure", "yes", "attack_public", "no") };

	kk_i18n_use(KK_LANG_EN);
	unit_submit(s, unit_report_body("product"), a, NULL);
	unit_submit(s, unit_report_body("website"), b, NULL);
	unit_submit(s, unit_report_body("product"), c, NULL);

	cr_assert_gt(sweep("accept", s, decide, &accept), 5);
	cr_assert_gt(sweep("reject", s, decide, &reject), 5);
	cr_assert_gt(sweep("assess", s, assess, &assessment), 5);

	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE tracking_id = ? AND status = 'accepted'", a), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE tracking_id = ? AND status = 'rejected'", b), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM reports WHERE tracking_id = ? AND assessed_at > 0", c), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM outbox WHERE kind = 'decision'", NULL), 2);
	json_decref(accept.body);
	json_decref(reject.body);
	json_decref(assessment.body);
	kk_user_release(&intake_user);
	kk_store_close(s);
}
