/*
 * update.c: a coordinator changes a case (kk_case_update; case.h, SPEC
 * 2.4-2.6): its title, summary and detail, its coordinator, whether its vendors
 * see each other's names, the report attachments passed on with the detail,
 * and more accepted reports joining it (several finders of one problem, each
 * the next letter, SPEC 2.4); and fires the case flow's events
 * (kk_case_event: "close" with a reason, "reopen"). One transaction each,
 * with the audit record; a body with any fault changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "internal.h"
#include "store/accounts.h"
#include "store/reports.h"

#define REASON_MAX 2000 /* characters of the reason for an event */

static const char *const members[] = { "title", "summary", "detail", "coordinator_id", "vendors_see_names",
				       "attachments", "reports", NULL };

/* SPEC 2.4: report tid joins the case as the finder with letter n (0: "A"):
 * an accepted product report in no case yet; the vendors confirmed for it
 * (SPEC 2.5) join the case too. Field errors name reports[i]. */
static enum kk_result join_report(struct kk_tx *tx, const struct kk_user *actor, int64_t case_id, const char *tid,
				  size_t i, int n, int64_t now, json_t *joined, struct kk_error *err)
{
	char label[4];
	int64_t id = 0;
	enum kk_result res = case_check_report(tx, tid, i, &id, err);

	if (!res)
		res = kk_case_reports_add(tx, case_id, id, case_finder_letter(n, label, sizeof(label)), now, err);
	if (!res)
		res = kk_case_vendors_from_report(tx, case_id, id, actor->id, now, err);
	if (!res && json_array_append_new(joined, json_pack("{s:s, s:s}", "tracking_id", tid, "label", label)) != 0)
		res = kk_error_nomem(err);
	return res;
}

static enum kk_result join_reports(struct kk_tx *tx, const struct kk_user *actor, const struct kk_case *c,
				   const json_t *list, json_t *joined, struct kk_error *err)
{
	struct kk_case_report have[KK_CASE_REPORTS_MAX];
	size_t n = 0, i;
	int64_t now = kk_now();
	enum kk_result res = kk_case_reports_list(tx, c->id, have, KK_CASE_REPORTS_MAX, &n, err);
	const json_t *v;

	if (res)
		return res;
	if (!json_is_array(list) || json_array_size(list) == 0 || n + json_array_size(list) > KK_CASE_REPORTS_MAX)
		return kk_error_field(err, "reports", _("Must be a list of tracking numbers; a case has at most %d reports."),
				      KK_CASE_REPORTS_MAX);
	json_array_foreach(list, i, v) {
		char path[32];
		int twice = 0;
		enum kk_result r;

		snprintf(path, sizeof(path), "reports[%zu]", i);
		if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 23) {
			res = kk_error_field(err, path, "%s", _("Must be a tracking number such as IPA#12345678."));
			continue;
		}
		for (size_t k = 0; k < i; k++)
			twice |= json_equal(json_array_get(list, k), v);
		if (twice) {
			res = kk_error_field(err, path, "%s", _("This report is in the list twice."));
			continue;
		}
		/* every report is checked, so the coordinator hears of every fault at once */
		r = join_report(tx, actor, c->id, json_string_value(v), i, (int)(n + i), now, joined, err);
		if (r != KK_OK && r != KK_EINVAL)
			return r;
		if (r)
			res = r;
	}
	/* SPEC 2.7: the vendors that joined get a status for every vulnerability */
	if (!res)
		res = kk_vendor_statuses_fill(tx, c->id, "not_notified", now, actor->id, err);
	return res;
}

/* The ids of the report attachments passed on with the detail (R §5.1.2). */
static enum kk_result pass_on(struct kk_tx *tx, const struct kk_case *c, const json_t *list, struct kk_error *err)
{
	int64_t ids[64];
	size_t i, n = 0;
	const json_t *v;
	enum kk_result res;

	if (!json_is_array(list) || json_array_size(list) > sizeof(ids) / sizeof(ids[0]))
		return kk_error_field(err, "attachments", _("Must be a list of at most %zu attachment ids."),
				      sizeof(ids) / sizeof(ids[0]));
	json_array_foreach(list, i, v) {
		char path[32];

		snprintf(path, sizeof(path), "attachments[%zu]", i);
		int twice = 0;

		for (size_t k = 0; k < n; k++)
			twice |= ids[k] == json_integer_value(v);
		if (!json_is_integer(v) || json_integer_value(v) < 1)
			kk_error_field(err, path, "%s", _("Must be an attachment id (a whole number from 1)."));
		else if (twice)
			kk_error_field(err, path, "%s", _("This attachment is in the list twice."));
		else
			ids[n++] = json_integer_value(v);
	}
	if (kk_error_has_fields(err))
		return KK_EINVAL;
	res = kk_case_attachments_replace(tx, c->id, ids, n, kk_now(), err);
	if (res == KK_ENOTFOUND)
		res = kk_error_field(err, "attachments", "%s",
				     _("Only attachments of the case's reports can be passed on with the detail."));
	return res;
}

/* Checks body's simple members into c (strings stay the body's until
 * copied). Field errors in err. */
static enum kk_result take_members(struct kk_tx *tx, const json_t *body, struct kk_case *c, struct kk_error *err)
{
	const char *title = case_text(body, "title", json_object_get(body, "title") != NULL, KK_CASE_TITLE_MAX, 0, err);
	const char *summary =
		case_text(body, "summary", json_object_get(body, "summary") != NULL, KK_CASE_TEXT_MAX, 1, err);
	const char *detail = case_text(body, "detail", json_object_get(body, "detail") != NULL, KK_CASE_TEXT_MAX, 1, err);
	const json_t *coord = json_object_get(body, "coordinator_id"), *names = json_object_get(body, "vendors_see_names");
	char **slots[] = { &c->title, &c->summary, &c->detail };
	const char *texts[] = { title, summary, detail };
	enum kk_result res = KK_OK;

	if (coord && !json_is_null(coord) && (!json_is_integer(coord) || json_integer_value(coord) < 1))
		kk_error_field(err, "coordinator_id", "%s", _("Must be a user id (a whole number from 1), or null."));
	else if (json_is_integer(coord))
		res = case_check_coordinator(tx, json_integer_value(coord), err);
	if (res && res != KK_EINVAL)
		return res;
	if (names && !json_is_boolean(names))
		kk_error_field(err, "vendors_see_names", "%s", _("Must be true or false."));
	if (kk_error_has_fields(err))
		return KK_EINVAL;
	for (size_t i = 0; i < 3; i++) {
		char *copy;

		if (!texts[i])
			continue;
		if (!(copy = kk_strdup(texts[i])))
			return kk_error_nomem(err);
		free(*slots[i]);
		*slots[i] = copy;
	}
	if (coord)
		c->coordinator_id = json_is_integer(coord) ? json_integer_value(coord) : 0;
	if (names)
		c->vendors_see_names = json_is_true(names);
	return KK_OK;
}

/* The result of two checks together: a failure of the store beats a field error. */
static enum kk_result worse(enum kk_result a, enum kk_result b)
{
	return a == KK_OK || (a == KK_EINVAL && b != KK_OK) ? b : a;
}

enum kk_result kk_case_update(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
			      json_t **out, struct kk_error *err)
{
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *detail = NULL, *changed = json_array(), *joined = json_array();
	const char *key;
	json_t *v;
	enum kk_result res;

	*out = NULL;
	if (!changed || !joined) {
		res = kk_error_nomem(err);
		goto early;
	}
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_WRITE, &tx, &cx, err);
	if (res)
		goto early;
	/* every member is checked, so the coordinator hears of every fault at once;
	 * what the checks wrote is rolled back with the transaction */
	if (!json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		goto out;
	}
	case_only_members(body, members, err);
	res = worse(kk_error_has_fields(err) ? KK_EINVAL : KK_OK, take_members(&tx, body, &cx.c, err));
	if ((!res || res == KK_EINVAL) && json_object_get(body, "reports"))
		res = worse(res, join_reports(&tx, actor, &cx.c, json_object_get(body, "reports"), joined, err));
	if ((!res || res == KK_EINVAL) && json_object_get(body, "attachments"))
		res = worse(res, pass_on(&tx, &cx.c, json_object_get(body, "attachments"), err));
	if (res)
		goto out;
	json_object_foreach((json_t *)body, key, v)
		if (json_array_append_new(changed, json_string(key)) != 0)
			res = kk_error_nomem(err);
	cx.c.updated_at = kk_now();
	if (!res)
		res = kk_cases_save(&tx, &cx.c, err);
	if (!res && !(detail = json_pack("{s:O, s:O}", "changed", changed, "reports", joined)))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_audit_record(&tx, actor, "case", cx.c.id, "update", NULL, NULL, detail, err);
	if (!res)
		res = case_view_json(&tx, actor, &cx, out, err);
out:
	res = kk_tx_end(&tx, res, err);
	case_ctx_release(&cx);
early:
	if (res) {
		json_decref(*out);
		*out = NULL;
	}
	json_decref(detail);
	json_decref(changed);
	json_decref(joined);
	return res;
}

enum kk_result kk_case_event(struct kk_store *s, const struct kk_user *actor, const char *ref, const char *event,
			     const json_t *body, json_t **out, struct kk_error *err)
{
	static const char *const allowed[] = { "reason", NULL };
	const char *reason = NULL;
	struct case_ctx cx;
	struct kk_tx tx;
	int64_t id;
	enum kk_result res;

	*out = NULL;
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_WRITE, &tx, &cx, err);
	if (res)
		return res;
	if (body && !json_is_null(body)) {
		/* G IV.4.4: handling ends with a reason the record keeps */
		if (case_only_members(body, allowed, err))
			reason = case_text(body, "reason", !strcmp(event, "close"), REASON_MAX, 1, err);
	} else if (!strcmp(event, "close")) {
		kk_error_field(err, "reason", "%s", _("Required."));
	}
	if (kk_error_result(err, KK_OK) != KK_OK) {
		res = kk_error_result(err, KK_EINVAL);
		goto out;
	}
	res = case_fire(&tx, actor, &kk_case_flow, cx.c.id, &cx.c, reason, cx.c.state, event, err);
	/* read it back in its new state */
	id = cx.c.id;
	kk_case_release(&cx.c);
	if (!res)
		res = kk_cases_load(&tx, NULL, id, &cx.c, err);
	if (!res)
		res = case_view_json(&tx, actor, &cx, out, err);
out:
	res = case_end(&tx, res, out, err);
	case_ctx_release(&cx);
	return res;
}
