/*
 * prenotify.c: a vendor's request to pre-notify its own customers under NDA
 * before publication, and the coordinator's decision (issue 10; SPEC 2.10,
 * G IV.4.9; provision.h). Asking needs the detail (case.prenotify.ask:
 * a vendor knows what it would tell only once it has it); deciding is the
 * flow's (prenotify_flow.c). A vendor sees only its own requests.
 */
#include <inttypes.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/provision.h"
#include "keikai/util.h"
#include "internal.h"
#include "prenotify_internal.h"

#define CUSTOMERS_MAX 5000 /* bytes */
#define NOTE_MAX 10000     /* bytes */

/* Request id of case cx as JSON into *out. */
static enum kk_result one_json(struct kk_tx *tx, const struct case_ctx *cx, int64_t id, json_t **out,
			       struct kk_error *err)
{
	json_t *arr = json_array();
	enum kk_result res = arr ? kk_prenotify_json(tx, cx->c.id, 0, id, arr, err) : kk_error_nomem(err);

	if (!res && !(*out = json_incref(json_array_get(arr, 0))))
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "prenotify request");
	json_decref(arr);
	return res;
}

/* The refusal before anything is read: KK_EDENIED to whoever reads cases,
 * else the 404 of a missing case (SPEC 1). */
static enum kk_result refuse(const struct kk_user *user, const char *ref, const char *why, struct kk_error *err)
{
	if (kk_may_some(user->role, KK_ACT_CASE_READ))
		return kk_error_set(err, KK_EDENIED, "%s", why);
	return case_missing(ref, err);
}

enum kk_result kk_prenotify_ask(struct kk_store *s, const struct kk_user *actor, const char *ref,
				const json_t *body, json_t **out, struct kk_error *err)
{
	static const char *const members[] = { "customers", "nda", "reason", NULL };
	struct kk_error mine = KK_ERROR_INIT;
	struct kk_prenotify r = { 0 };
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *detail = NULL;
	enum kk_result res;

	*out = NULL;
	if (!err)
		err = &mine;
	memset(&cx, 0, sizeof(cx));
	if (!kk_may_some(actor->role, KK_ACT_CASE_PRENOTIFY_ASK)) {
		res = refuse(actor, ref, _("Only a vendor of the case asks to pre-notify its customers."), err);
		goto done;
	}
	if (case_only_members(body, members, err) || json_is_object(body)) {
		r.customers = case_text(body, "customers", 1, CUSTOMERS_MAX, 1, err);
		/* G IV.4.9: only under a non-disclosure agreement */
		r.nda = json_is_true(json_object_get(body, "nda"));
		if (!r.nda)
			kk_error_field(err, "nda", "%s",
				       _("Customers are told before publication only under a non-disclosure agreement "
					 "(G IV.4.9)."));
		r.reason = case_text(body, "reason", 0, NOTE_MAX, 1, err);
	}
	if (kk_error_has_fields(err) || !json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The request could not be made."));
		goto done;
	}
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_PRENOTIFY_ASK, &tx, &cx, err);
	if (res)
		goto done;
	r.case_id = cx.c.id;
	r.vendor_id = cx.own.vendor_id;
	r.requested_by = actor->id;
	r.requested_at = kk_now();
	res = kk_prenotify_insert(&tx, &r, err);
	if (!res) {
		detail = json_pack("{s:I, s:I, s:b}", "request", (json_int_t)r.id, "vendor_id", (json_int_t)r.vendor_id,
				   "nda", 1);
		res = detail ? kk_audit_record(&tx, actor, "case", cx.c.id, "prenotify.ask", NULL, "requested", detail, err)
			     : kk_error_nomem(err);
	}
	if (!res)
		res = one_json(&tx, &cx, r.id, out, err);
	res = case_end(&tx, res, out, err);
	case_ctx_release(&cx);
done:
	json_decref(detail);
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_prenotify_decide(struct kk_store *s, const struct kk_user *actor, const char *ref, int64_t id,
				   const json_t *body, json_t **out, struct kk_error *err)
{
	static const char *const members[] = { "decision", "note", NULL };
	struct kk_error mine = KK_ERROR_INIT;
	struct prenotify_input in = { 0 };
	struct prenotify_object o;
	const char *decision = NULL;
	struct case_ctx cx;
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	if (!err)
		err = &mine;
	memset(&cx, 0, sizeof(cx));
	if (!kk_may_some(actor->role, KK_ACT_CASE_PRENOTIFY_DECIDE)) {
		res = refuse(actor, ref, _("Only the coordinator consents to pre-notification."), err);
		goto done;
	}
	if (case_only_members(body, members, err) || json_is_object(body)) {
		decision = case_text(body, "decision", 1, 16, 0, err);
		if (decision && strcmp(decision, "consent") != 0 && strcmp(decision, "refuse") != 0) {
			kk_error_field(err, "decision", "%s", _("Must be \"consent\" or \"refuse\"."));
			decision = NULL;
		}
		in.note = case_text(body, "note", decision && !strcmp(decision, "refuse"), NOTE_MAX, 1, err);
	}
	if (kk_error_has_fields(err) || !json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The decision could not be recorded."));
		goto done;
	}
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_PRENOTIFY_DECIDE, &tx, &cx, err);
	if (res)
		goto done;
	o.case_id = cx.c.id;
	o.ref = cx.c.ref;
	res = id > 0 ? kk_prenotify_load(&tx, cx.c.id, id, &o.r, err) : KK_ENOTFOUND;
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, _("There is no pre-notification request %" PRId64 " on case %s."),
				   id, ref);
	if (!res)
		res = case_fire(&tx, actor, &kk_prenotify_flow, o.r.id, &o, &in, o.r.state, decision, err);
	if (!res)
		res = one_json(&tx, &cx, o.r.id, out, err);
	res = case_end(&tx, res, out, err);
	case_ctx_release(&cx);
done:
	kk_error_release(&mine);
	return res;
}

/* A case's requests as viewer may see them (kk_prenotify_list). */
static enum kk_result list_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
				json_t **out, struct kk_error *err)
{
	/* SPEC 1: staff see every vendor's requests, a vendor its own */
	int staff = case_may(viewer, KK_ACT_CASE_VENDORS_READ, cx);
	json_t *arr = json_array();
	enum kk_result res = arr ? KK_OK : kk_error_nomem(err);

	if (!res)
		res = kk_prenotify_json(tx, cx->c.id, staff ? 0 : cx->own.vendor_id, 0, arr, err);
	if (!res && !staff && !cx->own.vendor_id)
		json_array_clear(arr);
	if (!res && !(*out = json_pack("{s:O, s:b}", "requests", arr, "may_ask",
					case_may(viewer, KK_ACT_CASE_PRENOTIFY_ASK, cx))))
		res = kk_error_nomem(err);
	json_decref(arr);
	return res;
}

enum kk_result kk_prenotify_list(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
				 struct kk_error *err)
{
	return case_read(s, viewer, ref, KK_ACT_CASE_READ, list_json, out, err);
}
