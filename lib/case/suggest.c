/*
 * suggest.c: a vendor names other vendors whose products are likely affected
 * too (SPEC 2.7, G IV.5.2: 外部のソフトウェア製品に類似の脆弱性があると推定される場合);
 * the coordinator sees every suggestion and may add those vendors to the case
 * (kk_case_vendor_add). A vendor sees only its own suggestions, and whether a
 * vendor it named is on the case only when the case shares names (SPEC 1).
 */
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "store/components.h"
#include "vendor_status.h"

#define NAME_MAX_CHARS 200
#define NOTE_MAX 10000 /* bytes */

/* The suggestions viewer may see into *out: {"suggestions": [...]}. */
static enum kk_result list_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
				json_t **out, struct kk_error *err)
{
	int staff = case_may(viewer, KK_ACT_CASE_VENDORS_READ, cx);
	json_t *arr = json_array(), *v;
	enum kk_result res;
	size_t i;

	*out = NULL;
	if (!arr)
		return kk_error_nomem(err);
	res = kk_vendor_suggestions_json(tx, cx->c.id, staff ? 0 : cx->own.vendor_id, arr, err);
	/* SPEC 1: whether another vendor is on the case is the case's to share */
	if (!res && !case_may(viewer, KK_ACT_CASE_VENDOR_NAMES, cx))
		json_array_foreach(arr, i, v)
			json_object_del(v, "on_case");
	if (!res && !(*out = json_pack("{s:O}", "suggestions", arr)))
		res = kk_error_nomem(err);
	json_decref(arr);
	return res;
}

enum kk_result kk_case_suggestions(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
				   struct kk_error *err)
{
	return case_read(s, viewer, ref, KK_ACT_CASE_READ, list_json, out, err);
}

enum kk_result kk_case_suggest(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
			       json_t **out, struct kk_error *err)
{
	static const char *const members[] = { "vendor_id", "name", "note", NULL };
	const json_t *vid = json_object_get(body, "vendor_id");
	struct kk_vendor_suggestion sg = { 0 };
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *detail = NULL, *list = NULL, *v;
	enum kk_result res;
	size_t i;

	if (out)
		*out = NULL;
	memset(&cx, 0, sizeof(cx));
	if (actor->role != KK_ROLE_VENDOR)
		return kk_error_set(err, KK_EDENIED, "%s",
				    _("Only a vendor of the case names other vendors; a coordinator adds them."));
	if (!case_only_members(body, members, err) && !json_is_object(body))
		return KK_EINVAL;
	if (vid && !json_is_null(vid) && (!json_is_integer(vid) || json_integer_value(vid) < 1))
		kk_error_field(err, "vendor_id", "%s", _("Must be a vendor id (a whole number from 1)."));
	else if (vid && !json_is_null(vid))
		sg.vendor_id = json_integer_value(vid);
	sg.name = (char *)case_text(body, "name", 0, NAME_MAX_CHARS, 0, err);
	sg.note = (char *)case_text(body, "note", 0, NOTE_MAX, 1, err);
	if (!kk_error_has_fields(err) && !sg.vendor_id && kk_str_empty(sg.name))
		kk_error_field(err, "vendor_id", "%s", _("Name the vendor: its id in the registry, or its name."));
	if (sg.vendor_id && sg.vendor_id == actor->vendor_id)
		kk_error_field(err, "vendor_id", "%s", _("That is your own vendor."));
	if (kk_error_has_fields(err))
		return KK_EINVAL;
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_VENDOR_WRITE, &tx, &cx, err);
	if (res)
		return res;
	if (sg.vendor_id && (res = kk_components_vendor_exists(&tx, sg.vendor_id, err)) == KK_ENOTFOUND)
		res = kk_error_field(err, "vendor_id", _("There is no vendor %lld."), (long long)sg.vendor_id);
	if (!res) {
		sg.case_id = cx.c.id;
		sg.by_vendor_id = actor->vendor_id;
		sg.created_by = actor->id;
		sg.created_at = kk_now();
		res = kk_vendor_suggestions_insert(&tx, &sg, err);
	}
	if (!res) {
		detail = json_pack("{s:I, s:o, s:o}", "by_vendor_id", (json_int_t)sg.by_vendor_id, "vendor_id",
				   sg.vendor_id ? json_integer(sg.vendor_id) : json_null(), "name",
				   kk_json_str_or_null(sg.name));
		res = detail ? kk_audit_record(&tx, actor, "case", cx.c.id, "suggestion.add", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	if (!res)
		res = list_json(&tx, actor, &cx, &list, err);
	if (!res && out) {
		/* the new suggestion, as the list shows it */
		json_array_foreach(json_object_get(list, "suggestions"), i, v)
			if (json_integer_value(json_object_get(v, "id")) == sg.id)
				*out = json_incref(v);
		if (!*out)
			res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."),
					   "suggestion");
	}
	res = case_end(&tx, res, out, err);
	json_decref(list);
	json_decref(detail);
	case_ctx_release(&cx);
	return res;
}
