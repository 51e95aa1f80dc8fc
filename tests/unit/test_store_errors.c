/*
 * Unit tests of how the store reports failures (issue 7, "errors never
 * dropped"; docs/internals/errors.md): a failed step is an error, never the end
 * of the rows; a setting that cannot be read is an error, never its default; a
 * list that cannot be made whole is an error, never a shorter list. On the
 * engine under test, with the allocation injector of keikai/alloc.h.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/outbox.h"
#include "keikai/settings.h"
#include "keikai/store.h"
#include "unit.h"

/* A step that fails at run time (an overflow the engine finds while computing
 * the row) ends the loop with KK_STEP_ERROR and a result, never KK_STEP_DONE. */
Test(store_errors, a_failed_step_is_an_error_not_the_end)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_stmt *st;
	struct kk_tx tx;

	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	st = kk_stmt_prepare(&tx, "SELECT abs(CAST(? AS BIGINT))", &err);
	cr_assert_not_null(st, "%s", err.msg);
	kk_stmt_bind_int(st, 1, INT64_MIN);
	cr_assert_eq(kk_stmt_step(st, &err), KK_STEP_ERROR);
	cr_assert_eq(kk_stmt_result(st), KK_EDB);
	cr_assert_eq(err.code, KK_EDB);
	cr_assert(err.msg[0], "the failure has a message");
	kk_stmt_free(st);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_EDB, "a transaction with a failed statement does not commit");
	kk_error_release(&err);
	kk_store_close(s);
}

/* Runs fn with allocation 1, 2, ... failing until a run meets no failure, and
 * checks each failing run reports it. Returns the runs that failed. */
static long sweep(const char *what, enum kk_result (*fn)(struct kk_store *, void *, struct kk_error *),
		  struct kk_store *s, void *arg)
{
	long n;

	for (n = 1; n < 1000; n++) {
		struct kk_error err = KK_ERROR_INIT;
		enum kk_result res;
		int injected;

		kk_alloc_fail_at(n);
		res = fn(s, arg, &err);
		injected = kk_alloc_injected();
		kk_alloc_fail_at(0);
		if (!injected) {
			cr_assert_eq(res, KK_OK, "%s: %s", what, err.msg);
			kk_error_release(&err);
			break;
		}
		cr_assert_neq(res, KK_OK, "%s went on as if allocation %ld had not failed", what, n);
		cr_assert_eq(err.code, res, "%s, allocation %ld", what, n);
		kk_error_release(&err);
	}
	return n - 1;
}

static enum kk_result read_prefix(struct kk_store *s, void *arg, struct kk_error *err)
{
	struct kk_tx tx;
	char *v = NULL;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);

	if (res)
		return res;
	res = kk_setting_read(&tx, "tracking_prefix", "IPA", &v, err);
	if (!res)
		cr_assert_str_eq(v, arg, "a setting read is the stored value, never the default");
	else
		cr_assert_null(v);
	free(v);
	return kk_tx_end(&tx, res, err);
}

Test(store_errors, a_setting_that_cannot_be_read_is_an_error_not_the_default)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(read_prefix(s, "IPA", &err), KK_OK, "unset: the default");
	cr_assert_eq(kk_setting_set(s, "tracking_prefix", "JPCERT", &err), KK_OK, "%s", err.msg);
	cr_assert_gt(sweep("kk_setting_read", read_prefix, s, "JPCERT"), 0);
	kk_store_close(s);
}

static enum kk_result list_outbox(struct kk_store *s, void *arg, struct kk_error *err)
{
	json_t *list = (json_t *)1;
	enum kk_result res = kk_outbox_list(s, &list, err);

	if (!res)
		cr_assert_eq(json_array_size(list), *(size_t *)arg, "the whole list");
	else
		cr_assert_null(list, "no list at all, never a shorter one");
	json_decref(list);
	return res;
}

static enum kk_result list_audit(struct kk_store *s, void *arg, struct kk_error *err)
{
	json_t *list = (json_t *)1;
	enum kk_result res = kk_audit_list(s, "report", 1, &list, err);

	if (!res)
		cr_assert_eq(json_array_size(list), *(size_t *)arg, "the whole trail");
	else
		cr_assert_null(list, "no trail at all, never one with a gap");
	json_decref(list);
	return res;
}

Test(store_errors, a_list_is_whole_or_an_error)
{
	struct kk_store *s = unit_store(NULL);
	size_t messages = 3, records = 1;

	for (int i = 0; i < 3; i++)
		unit_submit(s, unit_report_body("product"), NULL, NULL);
	cr_assert_gt(sweep("kk_outbox_list", list_outbox, s, &messages), 3);
	cr_assert_gt(sweep("kk_audit_list", list_audit, s, &records), 1);
	kk_store_close(s);
}
