/*
 * vendors.c: the vendors of a case (kk_case_vendor_add, kk_case_vendor_remove;
 * case.h, SPEC 2.5-2.6): a coordinator adds a vendor of the registry to the
 * case, not yet notified, with a status "not_notified" for every
 * vulnerability (SPEC 2.7), and may take it off again until it was notified.
 * Notifying is notify.c's.
 */
#include <stdio.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "internal.h"
#include "store/case_views.h"
#include "store/components.h"

/* Checks body {"vendor_id": N} into *id. Field errors in err. */
static enum kk_result parse_add(const json_t *body, int64_t *id, struct kk_error *err)
{
	const json_t *v = json_is_object(body) ? json_object_get(body, "vendor_id") : NULL;
	const char *key;
	json_t *m;

	*id = 0;
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	json_object_foreach((json_t *)body, key, m)
		if (strcmp(key, "vendor_id") != 0)
			kk_error_field(err, key, "%s", _("Not a member of a vendor of a case."));
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		kk_error_field(err, "vendor_id", "%s", _("Must be a vendor id (a whole number from 1)."));
	else
		*id = json_integer_value(v);
	return kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
}

enum kk_result kk_case_vendor_add(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				  json_t **out, struct kk_error *err)
{
	struct kk_case_vendor cv, loaded;
	struct kk_case_counts counts;
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *detail = NULL;
	int64_t vendor_id = 0;
	enum kk_result res;

	*out = NULL;
	memset(&cv, 0, sizeof(cv));
	memset(&loaded, 0, sizeof(loaded));
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_WRITE, &tx, &cx, err);
	if (res)
		return res;
	res = parse_add(body, &vendor_id, err);
	if (!res) {
		res = kk_components_vendor_exists(&tx, vendor_id, err);
		if (res == KK_ENOTFOUND) {
			kk_error_field(err, "vendor_id", _("There is no vendor %lld."), (long long)vendor_id);
			res = kk_error_set(err, KK_ENOTFOUND, _("There is no vendor %lld."), (long long)vendor_id);
		}
	}
	if (!res)
		res = kk_case_views_counts(&tx, cx.c.id, &counts, err);
	if (!res && counts.vendors >= KK_CASE_VENDORS_MAX)
		res = kk_error_set(err, KK_ECONFLICT, _("A case has at most %d vendors."), KK_CASE_VENDORS_MAX);
	if (res)
		goto out;
	cv.case_id = cx.c.id;
	cv.vendor_id = vendor_id;
	cv.added_by = actor->id;
	cv.added_at = kk_now();
	res = kk_case_vendors_insert(&tx, &cv, err);
	if (res == KK_ECONFLICT)
		res = kk_error_set(err, KK_ECONFLICT, _("Vendor %lld is on case %s already."), (long long)vendor_id,
				   cx.c.ref);
	/* SPEC 2.7: a status "not_notified" for each vulnerability of the case */
	if (!res)
		res = kk_vendor_statuses_fill(&tx, cx.c.id, "not_notified", cv.added_at, actor->id, err);
	if (!res)
		res = (detail = json_pack("{s:I}", "vendor_id", (json_int_t)vendor_id)) != NULL
			      ? kk_audit_record(&tx, actor, "case", cx.c.id, "vendor.add", NULL, NULL, detail, err)
			      : kk_error_nomem(err);
	/* read back with the vendor's names */
	if (!res)
		res = kk_case_vendors_load(&tx, cx.c.id, vendor_id, &loaded, err);
	if (!res)
		res = case_vendor_json(&tx, actor, &cx, &loaded, out, err);
out:
	res = case_end(&tx, res, out, err);
	json_decref(detail);
	kk_case_vendor_release(&cv);
	kk_case_vendor_release(&loaded);
	case_ctx_release(&cx);
	return res;
}

enum kk_result kk_case_vendor_remove(struct kk_store *s, const struct kk_user *actor, const char *ref,
				     int64_t vendor_id, struct kk_error *err)
{
	struct kk_case_vendor cv;
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *detail = NULL;
	enum kk_result res;

	memset(&cv, 0, sizeof(cv));
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_WRITE, &tx, &cx, err);
	if (res)
		return res;
	res = kk_case_vendors_load(&tx, cx.c.id, vendor_id, &cv, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, _("Vendor %lld is not on case %s."), (long long)vendor_id, cx.c.ref);
	else if (!res && cv.notified_at)
		/* SPEC 2.6: a vendor that was told stays on the record */
		res = kk_error_set(err, KK_ECONFLICT, _("Vendor %lld was notified of case %s and stays on it."),
				   (long long)vendor_id, cx.c.ref);
	if (!res)
		res = kk_case_vendors_delete(&tx, cx.c.id, vendor_id, err);
	if (!res)
		res = (detail = json_pack("{s:I}", "vendor_id", (json_int_t)vendor_id)) != NULL
			      ? kk_audit_record(&tx, actor, "case", cx.c.id, "vendor.remove", NULL, NULL, detail, err)
			      : kk_error_nomem(err);
	res = kk_tx_end(&tx, res, err);
	json_decref(detail);
	kk_case_vendor_release(&cv);
	case_ctx_release(&cx);
	return res;
}
