/*
 * lift.c: lifting the non-disclosure request (lift.h; issue 10, SPEC 2.12,
 * G IV.2.4, IV.3(1)11). From day 0 + clock_lift_days (one year) the finder
 * asks from its status page, by its secret; staff answer each request once
 * (the flow kk_lift_flow, lift_flow.c): "lifted", or "not_yet" explaining the
 * vendor's justified delay. The finder sees the answer on its status page and
 * may ask again after "not_yet". Each request is audited on the case, each
 * answer by the flow on the request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/lift.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "finder.h"
#include "lift.h"
#include "store/lift_requests.h"

#define DAY 86400

/* SPEC 2.12, 8: the first moment the finder may ask: day 0 + clock_lift_days. */
static enum kk_result lift_from(struct kk_tx *tx, int64_t day0, int64_t *from, struct kk_error *err)
{
	char *text = NULL, *end = NULL;
	long long days;
	enum kk_result res = kk_setting_read(tx, "clock_lift_days", KK_LIFT_DEFAULT_DAYS, &text, err);

	if (res)
		return res;
	errno = 0;
	days = strtoll(text, &end, 10);
	/* `keikai settings set` validates the key; a value it would refuse counts as the default */
	if (errno || end == text || *end || days < 0 || days > 36500)
		days = 365;
	free(text);
	*from = day0 + (int64_t)days * DAY;
	return KK_OK;
}

/* The finder's own request, as its status page shows it. */
static json_t *finder_request_json(const struct kk_lift_request *l)
{
	return json_pack("{s:I, s:s, s:o, s:I, s:o, s:o, s:o}", "id", (json_int_t)l->id, "state", l->state, "reason",
			 kk_json_str_or_null(l->reason), "requested_at", (json_int_t)l->requested_at, "decision",
			 kk_json_str_or_null(l->decision), "explanation", kk_json_str_or_null(l->explanation),
			 "answered_at", l->answered_at ? json_integer(l->answered_at) : json_null());
}

/* Whether the finder may ask now, after its latest request l (id 0: none):
 * never while one waits for the answer, nor after "lifted". */
static int may_ask_after(const struct kk_lift_request *l)
{
	return !l->id || (strcmp(l->state, "answered") == 0 && l->decision && strcmp(l->decision, "not_yet") == 0);
}

/* The latest request of x's report into l (l->id 0 when none). */
static enum kk_result latest_of(struct kk_tx *tx, const struct finder_ctx *x, struct kk_lift_request *l,
				struct kk_error *err)
{
	enum kk_result res = kk_lift_requests_latest(tx, x->c.id, x->r.id, l, err);

	if (res == KK_ENOTFOUND) {
		memset(l, 0, sizeof(*l));
		return KK_OK;
	}
	return res;
}

enum kk_result lift_finder_json(struct kk_tx *tx, const struct finder_ctx *x, json_t *o, struct kk_error *err)
{
	struct kk_lift_request l = { 0 };
	char text[KK_TIME_TEXT_LEN];
	int64_t from = 0, now = kk_now();
	json_t *lift;
	enum kk_result res;

	/* SPEC 2.12: counted from day 0, so only for a report in a case whose vendors were contacted */
	if (!x->c.id || !x->c.day0 || x->r.status != KK_REPORT_ACCEPTED)
		return json_object_set_new(o, "lift", json_null()) ? kk_error_nomem(err) : KK_OK;
	res = lift_from(tx, x->c.day0, &from, err);
	if (!res)
		res = latest_of(tx, x, &l, err);
	if (res)
		return res;
	lift = json_pack("{s:I, s:s, s:b, s:b, s:o}", "from", (json_int_t)from, "from_text",
			 kk_time_text(from, kk_i18n_current(), NULL, text), "available", now >= from, "may_ask",
			 now >= from && may_ask_after(&l), "latest", l.id ? finder_request_json(&l) : json_null());
	kk_lift_request_release(&l);
	if (!lift || json_object_set_new(o, "lift", lift))
		return kk_error_nomem(err);
	return KK_OK;
}

/* Why the finder may not ask now (KK_ECONFLICT), or KK_OK. */
static enum kk_result check_may_ask(struct kk_tx *tx, const struct finder_ctx *x, const struct kk_lift_request *l,
				    struct kk_error *err)
{
	char text[KK_TIME_TEXT_LEN];
	int64_t from = 0;
	enum kk_result res;

	if (x->r.status != KK_REPORT_ACCEPTED || !x->c.id || !x->c.day0)
		return kk_error_set(err, KK_ECONFLICT, "%s",
				    _("You can ask for this one year after the vendors were first contacted about your report."));
	res = lift_from(tx, x->c.day0, &from, err);
	if (res)
		return res;
	/* SPEC 2.12, G IV.2.4: one year after day 0 */
	if (kk_now() < from)
		return kk_error_set(err, KK_ECONFLICT, _("You can ask for the non-disclosure request to be lifted from %s."),
				    kk_time_text(from, kk_i18n_current(), NULL, text));
	if (l->id && strcmp(l->state, "requested") == 0)
		return kk_error_set(err, KK_ECONFLICT, "%s", _("Your request is waiting for the staff's answer."));
	if (!may_ask_after(l))
		return kk_error_set(err, KK_ECONFLICT, "%s", _("The non-disclosure request has been lifted already."));
	return KK_OK;
}

enum kk_result kk_lift_ask(struct kk_store *s, const char *secret, const json_t *body, json_t **out,
			   struct kk_error *err)
{
	static const char *const members[] = { "reason", NULL };
	struct kk_error mine = KK_ERROR_INIT;
	struct kk_lift_request l = { 0 };
	struct finder_ctx x;
	struct kk_tx tx;
	const char *reason;
	json_t *detail = NULL;
	enum kk_result res;

	*out = NULL;
	if (!err)
		err = &mine;
	if (!json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		goto out;
	}
	case_only_members(body, members, err);
	reason = case_text(body, "reason", 0, KK_LIFT_REASON_MAX, 1, err);
	if ((res = kk_error_result(err, KK_OK)) != KK_OK)
		goto out;
	res = finder_begin(s, 1, secret, &tx, &x, err);
	if (res)
		goto out;
	res = x.c.id ? latest_of(&tx, &x, &l, err) : KK_OK;
	if (!res)
		res = check_may_ask(&tx, &x, &l, err);
	kk_lift_request_release(&l);
	if (!res) {
		l.case_id = x.c.id;
		l.report_id = x.r.id;
		snprintf(l.state, sizeof(l.state), "%s", kk_lift_flow.states[0].name);
		l.reason = kk_str_empty(reason) ? NULL : (char *)reason;
		l.requested_at = kk_now();
		res = kk_lift_requests_insert(&tx, &l, err);
	}
	if (!res && !(detail = json_pack("{s:I, s:s}", "lift_request", (json_int_t)l.id, "finder", x.label)))
		res = kk_error_nomem(err);
	/* SPEC 2.12: recorded; the finder acts by its secret, as no user */
	if (!res)
		res = kk_audit_record(&tx, &kk_anonymous, "case", x.c.id, "lift.request", NULL, l.state, detail, err);
	if (!res && !(*out = finder_request_json(&l)))
		res = kk_error_nomem(err);
	l.reason = NULL; /* the body's */
	json_decref(detail);
	finder_ctx_release(&x);
	res = case_end(&tx, res, out, err);
out:
	kk_error_release(&mine);
	return res;
}

/* Each request's "finder" letter becomes "Finder A" in the reader's language. */
static int label_finders(json_t *arr)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v) {
		const char *letter = json_string_value(json_object_get(v, "finder"));
		char label[64];

		if (letter && json_object_set_new(v, "finder", json_string(case_finder_label(letter, label, sizeof(label)))))
			return -1;
	}
	return 0;
}

/* {"open", "requests", "may_answer"} of case cx, as lift.h kk_lift_list. */
static enum kk_result list_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
				json_t **out, struct kk_error *err)
{
	json_t *all = json_array(), *open = json_array(), *v;
	enum kk_result res = all && open ? KK_OK : kk_error_nomem(err);
	size_t i;

	if (!res)
		res = kk_lift_requests_json(tx, cx->c.id, 0, NULL, all, err);
	if (!res && label_finders(all))
		res = kk_error_nomem(err);
	json_array_foreach(all, i, v) {
		if (!res && strcmp(json_string_value(json_object_get(v, "state")), "requested") == 0 &&
		    json_array_append(open, v))
			res = kk_error_nomem(err);
	}
	if (!res && !(*out = json_pack("{s:O, s:O, s:b}", "open", open, "requests", all, "may_answer",
				       case_may(viewer, KK_ACT_CASE_LIFT_ANSWER, cx))))
		res = kk_error_nomem(err);
	json_decref(all);
	json_decref(open);
	return res;
}

enum kk_result kk_lift_list(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			    struct kk_error *err)
{
	return case_read(s, viewer, ref, KK_ACT_CASE_LIFT_ANSWER, list_json, out, err);
}

/* The checked answer of body into in (field errors in err). */
static enum kk_result parse_answer(const json_t *body, struct lift_answer_input *in, struct kk_error *err)
{
	static const char *const members[] = { "decision", "explanation", NULL };
	const json_t *d = json_object_get(body, "decision");

	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	case_only_members(body, members, err);
	if (json_is_string(d) && (strcmp(json_string_value(d), "lifted") == 0 || strcmp(json_string_value(d), "not_yet") == 0))
		in->decision = json_string_value(d);
	else
		kk_error_field(err, "decision", "%s", _("Must be \"lifted\" or \"not_yet\"."));
	/* G IV.3(1)11: staff explain, and for not_yet the vendor's justified delay */
	in->explanation = case_text(body, "explanation", 1, KK_LIFT_EXPLANATION_MAX, 1, err);
	if (!kk_error_has_fields(err) && kk_str_empty(in->explanation))
		kk_error_field(err, "explanation", "%s", _("Explain the answer to the finder."));
	in->at = kk_now();
	return kk_error_result(err, KK_OK);
}

enum kk_result kk_lift_answer(struct kk_store *s, const struct kk_user *actor, const char *ref, int64_t id,
			      const json_t *body, json_t **out, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	struct lift_answer_input in = { 0 };
	struct kk_lift_request l = { 0 };
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *list = NULL, *v;
	enum kk_result res;
	size_t i;

	if (out)
		*out = NULL;
	if (!err)
		err = &mine;
	memset(&cx, 0, sizeof(cx));
	res = parse_answer(body, &in, err);
	if (res)
		goto out;
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_LIFT_ANSWER, &tx, &cx, err);
	if (res)
		goto out;
	res = kk_lift_requests_load(&tx, cx.c.id, id, &l, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, _("There is no lift request %lld in this case."), (long long)id);
	/* the flow's table: staff, once */
	if (!res)
		res = case_fire(&tx, actor, &kk_lift_flow, l.id, &l, &in, l.state, "answer", err);
	if (!res && out)
		res = list_json(&tx, actor, &cx, &list, err);
	json_array_foreach(json_object_get(list, "requests"), i, v) {
		if (json_integer_value(json_object_get(v, "id")) == l.id)
			*out = json_incref(v);
	}
	json_decref(list);
	res = case_end(&tx, res, out, err);
out:
	kk_lift_request_release(&l);
	case_ctx_release(&cx);
	kk_error_release(&mine);
	return res;
}
