/*
 * provision.c: priority provision (優先的な情報提供; issue 10; SPEC 2.10,
 * G IV.3(1)12, IV.4.8; provision.h). The coordinator, after consulting the
 * receiving organisation and the vendor, provides the vulnerability and its
 * fix to a recipient between the time a fix exists and publication. A
 * recipient's users read only what was provided to their own recipient and
 * never the case; what they may not read looks missing (SPEC 1).
 */
#include <inttypes.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/provision.h"
#include "keikai/util.h"
#include "internal.h"
#include "provision_internal.h"
#include "store/provisions.h"

#define TITLE_MAX_CHARS 200
#define BODY_MAX 50000 /* bytes */
#define NOTE_MAX 10000 /* bytes */

/* Checks body into p (strings borrowed from body); field errors into err. */
static void give_from_json(const json_t *body, struct kk_provision *p, struct kk_error *err)
{
	static const char *const members[] = { "recipient_id", "title", "body", "consulted_intake",
					       "consulted_vendor", "note", NULL };
	const json_t *rid = json_object_get(body, "recipient_id");

	if (!case_only_members(body, members, err) && !json_is_object(body))
		return;
	if (!json_is_integer(rid) || json_integer_value(rid) < 1)
		kk_error_field(err, "recipient_id", "%s", _("Must be a recipient id (a whole number from 1)."));
	else
		p->recipient_id = json_integer_value(rid);
	p->title = case_text(body, "title", 1, TITLE_MAX_CHARS, 0, err);
	p->body = case_text(body, "body", 1, BODY_MAX, 1, err);
	/* G IV.4.8: 「IPA および製品開発者と協議の上」 */
	p->consulted_intake = json_is_true(json_object_get(body, "consulted_intake"));
	if (!p->consulted_intake)
		kk_error_field(err, "consulted_intake", "%s",
			       _("Consult the receiving organisation first, and confirm it (G IV.4.8)."));
	p->consulted_vendor = json_is_true(json_object_get(body, "consulted_vendor"));
	if (!p->consulted_vendor)
		kk_error_field(err, "consulted_vendor", "%s", _("Consult the vendor first, and confirm it (G IV.4.8)."));
	p->note = case_text(body, "note", 0, NOTE_MAX, 1, err);
}

/* What viewer may see of the provisions in arr: a recipient does not see
 * the coordinator's note nor the consultations (they are the staff's). */
static void trim_for(const struct kk_user *viewer, json_t *arr)
{
	json_t *v;
	size_t i;

	if (kk_may(viewer, KK_ACT_PROVISION_READ, NULL))
		return;
	json_array_foreach(arr, i, v) {
		json_object_del(v, "note");
		json_object_del(v, "consulted_intake");
		json_object_del(v, "consulted_vendor");
	}
}

/* SPEC 2.10: the rules of the moment, in tx, for case cx. */
static enum kk_result may_give_now(struct kk_tx *tx, const struct case_ctx *cx, int64_t recipient_id,
				   struct kk_error *err)
{
	json_t *found = json_array();
	enum kk_result res;
	int fix = 0;

	if (!found)
		return kk_error_nomem(err);
	res = kk_recipients_json(tx, recipient_id, found, err);
	if (!res && json_array_size(found) == 0)
		res = kk_error_field(err, "recipient_id", _("There is no recipient %" PRId64 "."), recipient_id);
	json_decref(found);
	if (res)
		return res == KK_ENOTFOUND ? KK_EINVAL : res;
	/* SPEC 2.10: before publication */
	if (cx->c.date_state && strcmp(cx->c.date_state, "called_off") == 0)
		return kk_error_set(err, KK_ECONFLICT,
				    _("Publication of case %s was called off: there is nothing to provide ahead of it."),
				    cx->c.ref);
	/* G IV.4.8: 「対策方法が作成されてから一般公表日までの間に」 */
	res = kk_provisions_fix_exists(tx, cx->c.id, &fix, err);
	if (!res && !fix)
		res = kk_error_set(err, KK_ECONFLICT,
				   _("No fix exists yet for case %s: priority provision comes once a countermeasure "
				     "with fixed versions or a URL is recorded (G IV.4.8)."),
				   cx->c.ref);
	return res;
}

enum kk_result kk_provision_give(struct kk_store *s, const struct kk_user *actor, const char *ref,
				 const json_t *body, json_t **out, struct kk_error *err)
{
	struct kk_error mine = KK_ERROR_INIT;
	struct kk_provision p = { 0 };
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *arr = NULL, *detail = NULL;
	enum kk_result res;

	*out = NULL;
	if (!err)
		err = &mine;
	memset(&cx, 0, sizeof(cx));
	if (!kk_may_some(actor->role, KK_ACT_PROVISION_GIVE)) {
		/* SPEC 1: to whoever may not read the case, the case is missing */
		res = kk_may_some(actor->role, KK_ACT_CASE_READ)
			      ? kk_error_set(err, KK_EDENIED, "%s", _("Only the coordinator provides information with priority."))
			      : case_missing(ref, err);
		goto done;
	}
	give_from_json(body, &p, err);
	if (kk_error_has_fields(err) || !json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The information could not be provided."));
		goto done;
	}
	res = case_begin(s, 1, actor, ref, KK_ACT_PROVISION_GIVE, &tx, &cx, err);
	if (res)
		goto done;
	res = may_give_now(&tx, &cx, p.recipient_id, err);
	if (!res) {
		p.case_id = cx.c.id;
		p.by_user = actor->id;
		p.at = kk_now();
		res = kk_provisions_insert(&tx, &p, err);
	}
	if (!res) {
		detail = json_pack("{s:I, s:I, s:s, s:b, s:b}", "provision", (json_int_t)p.id, "recipient_id",
				   (json_int_t)p.recipient_id, "title", p.title, "consulted_intake", 1, "consulted_vendor", 1);
		res = detail ? kk_audit_record(&tx, actor, "case", cx.c.id, "provision.give", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	/* G IV.3(1)12: the finder is told; the recipient learns there is something for it */
	if (!res)
		res = provision_tell_finders(&tx, actor, cx.c.id, p.at, err);
	if (!res)
		res = provision_tell_recipient(&tx, p.recipient_id, err);
	if (!res && !(arr = json_array()))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_provisions_json(&tx, 0, 0, p.id, arr, err);
	if (!res && !(*out = json_incref(json_array_get(arr, 0))))
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "provision");
	res = case_end(&tx, res, out, err);
	case_ctx_release(&cx);
done:
	if (res && kk_error_has_fields(err) && res != KK_EINVAL)
		res = KK_EINVAL;
	json_decref(detail);
	json_decref(arr);
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_provision_list(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
				 struct kk_error *err)
{
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *arr = json_array();
	int64_t case_id = 0, recipient_id = 0;
	enum kk_result res;

	*out = NULL;
	memset(&cx, 0, sizeof(cx));
	if (!arr)
		return kk_error_nomem(err);
	if (ref) {
		/* a case's provisions: a recipient gets the 404 of a missing case (SPEC 1) */
		res = case_begin(s, 0, viewer, ref, KK_ACT_PROVISION_READ, &tx, &cx, err);
		case_id = cx.c.id;
	} else if (!kk_may_some(viewer->role, KK_ACT_PROVISION_READ)) {
		res = kk_error_set(err, KK_EDENIED, "%s", _("You may not read provisions."));
	} else {
		/* staff read every one; a recipient its own recipient's, and a user of
		 * no recipient nothing (recipient id -1 matches no row) */
		if (!kk_may(viewer, KK_ACT_PROVISION_READ, NULL))
			recipient_id = viewer->recipient_id ? viewer->recipient_id : -1;
		res = kk_tx_begin(s, 0, &tx, err);
	}
	if (res) {
		json_decref(arr);
		return res;
	}
	res = kk_provisions_json(&tx, case_id, recipient_id, 0, arr, err);
	if (!res) {
		trim_for(viewer, arr);
		if (!(*out = json_pack("{s:O}", "provisions", arr)))
			res = kk_error_nomem(err);
	}
	res = case_end(&tx, res, out, err);
	case_ctx_release(&cx);
	json_decref(arr);
	return res;
}

enum kk_result kk_provision_get(struct kk_store *s, const struct kk_user *viewer, int64_t id, json_t **out,
				struct kk_error *err)
{
	struct kk_tx tx;
	json_t *arr = json_array(), *p;
	enum kk_result res;

	*out = NULL;
	if (!arr)
		return kk_error_nomem(err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res) {
		json_decref(arr);
		return res;
	}
	res = id > 0 ? kk_provisions_json(&tx, 0, 0, id, arr, err) : KK_OK;
	p = json_array_get(arr, 0);
	/* SPEC 1: a provision the viewer may not read is a missing one */
	if (!res && (!p || !kk_may(viewer, KK_ACT_PROVISION_READ,
				   &(struct kk_object){ .recipient_id = json_integer_value(
								json_object_get(json_object_get(p, "recipient"), "id")) })))
		res = kk_error_set(err, KK_ENOTFOUND, _("There is no provision %" PRId64 "."), id);
	if (!res) {
		trim_for(viewer, arr);
		*out = json_incref(p);
	}
	res = case_end(&tx, res, out, err);
	json_decref(arr);
	return res;
}
