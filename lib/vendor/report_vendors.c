/*
 * report_vendors.c: the vendors a coordinator confirms for a report, with the
 * basis of the choice, and the mapping of the affected system's SBOM
 * (vendor_candidates.h; SPEC 2.5, G IV.4.2). The confirmed set is what the
 * next stage notifies; each confirmation is audited on the report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/sbom_map.h"
#include "keikai/util.h"
#include "keikai/vendor_candidates.h"
#include "candidates_internal.h"
#include "store/components.h"

#define BASIS_MAX 4000 /* bytes of a basis as stored */

/* Checks body's "vendors" into ids[] and bases[] (bases: compact JSON the
 * caller frees); *n of them. Field errors in err. */
static enum kk_result parse_confirm(const json_t *body, int64_t *ids, char **bases, size_t *n, struct kk_error *err)
{
	const json_t *list = json_is_object(body) ? json_object_get(body, "vendors") : NULL;
	const char *key;
	json_t *v;
	size_t i;

	*n = 0;
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	json_object_foreach((json_t *)body, key, v)
		if (strcmp(key, "vendors") != 0)
			kk_error_field(err, key, "%s", _("Not a member of a confirmation."));
	if (!json_is_array(list) || json_array_size(list) == 0 || json_array_size(list) > KK_CONFIRM_VENDORS_MAX)
		return kk_error_field(err, "vendors", _("Must be a list of 1 to %d vendors."), KK_CONFIRM_VENDORS_MAX);
	json_array_foreach(list, i, v) {
		const json_t *id = json_object_get(v, "vendor_id"), *basis = json_object_get(v, "basis");
		char path[64];

		snprintf(path, sizeof(path), "vendors[%zu].vendor_id", i);
		if (!json_is_object(v) || !json_is_integer(id) || json_integer_value(id) < 1) {
			kk_error_field(err, path, "%s", _("Must be a vendor id (a whole number from 1)."));
			continue;
		}
		for (size_t k = 0; k < *n; k++)
			if (ids[k] == json_integer_value(id))
				kk_error_field(err, path, "%s", _("This vendor is in the list twice."));
		snprintf(path, sizeof(path), "vendors[%zu].basis", i);
		if (basis && !json_is_string(basis) && !json_is_object(basis) && !json_is_null(basis)) {
			kk_error_field(err, path, "%s", _("Must be text or an object."));
			continue;
		}
		if (json_is_string(basis) && kk_has_control(json_string_value(basis), 1)) {
			kk_error_field(err, path, "%s", _("Must not contain control characters."));
			continue;
		}
		bases[*n] = basis && !json_is_null(basis) ? kk_json_dumps(basis, JSON_COMPACT | JSON_ENCODE_ANY)
							  : kk_strdup("null");
		if (!bases[*n])
			return kk_error_nomem(err);
		ids[(*n)++] = json_integer_value(id);
		if (strlen(bases[*n - 1]) > BASIS_MAX)
			kk_error_field(err, path, _("At most %d bytes."), BASIS_MAX);
	}
	return kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
}

static enum kk_result list_json(struct kk_tx *tx, int64_t report_id, json_t **out, struct kk_error *err)
{
	json_t *list = json_array();
	enum kk_result res = list ? kk_report_vendors_list(tx, report_id, list, err) : kk_error_nomem(err);

	*out = NULL;
	if (!res && !(*out = json_pack("{s:O}", "vendors", list)))
		res = kk_error_nomem(err);
	json_decref(list);
	return res;
}

enum kk_result kk_report_vendors_confirm(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
					 const json_t *body, json_t **out, struct kk_error *err)
{
	int64_t ids[KK_CONFIRM_VENDORS_MAX];
	char *bases[KK_CONFIRM_VENDORS_MAX] = { 0 };
	struct kk_report rep;
	struct kk_tx tx;
	size_t n = 0;
	json_t *detail = NULL, *confirmed = NULL;
	enum kk_result res;

	if (out)
		*out = NULL;
	memset(&rep, 0, sizeof(rep));
	if (!kk_may(actor, KK_ACT_REPORT_VENDORS_CONFIRM, NULL))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only a coordinator confirms the vendors of a report."));
	res = candidates_report(s, actor, tracking_id, 1, &rep, err);
	if (!res)
		res = parse_confirm(body, ids, bases, &n, err);
	if (res)
		goto out;
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		goto out;
	confirmed = json_array();
	if (!confirmed)
		res = kk_error_nomem(err);
	for (size_t i = 0; i < n && !res; i++) {
		res = kk_components_vendor_exists(&tx, ids[i], err);
		if (res == KK_ENOTFOUND) {
			char path[64];

			snprintf(path, sizeof(path), "vendors[%zu].vendor_id", i);
			res = kk_error_field(err, path, _("There is no vendor %lld."), (long long)ids[i]);
		}
		/* SPEC 2.5: the choice and its basis are recorded */
		if (!res)
			res = kk_report_vendors_put(&tx, rep.id, ids[i], bases[i], actor->id, kk_now(), err);
		if (!res && json_array_append_new(confirmed, json_integer(ids[i])) != 0)
			res = kk_error_nomem(err);
	}
	if (!res) {
		detail = json_pack("{s:O}", "vendors", confirmed);
		res = detail ? kk_audit_record(&tx, actor, "report", rep.id, "vendors.confirm", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	if (!res && out)
		res = list_json(&tx, rep.id, out, err);
	res = kk_tx_end(&tx, res, err);
	if (res && out) {
		json_decref(*out);
		*out = NULL;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(bases[i]);
	json_decref(detail);
	json_decref(confirmed);
	kk_report_release(&rep);
	return res;
}

enum kk_result kk_report_vendors_remove(struct kk_store *s, const struct kk_user *actor, const char *tracking_id,
					int64_t vendor_id, json_t **out, struct kk_error *err)
{
	struct kk_report rep;
	struct kk_tx tx;
	json_t *detail = NULL;
	enum kk_result res;

	if (out)
		*out = NULL;
	memset(&rep, 0, sizeof(rep));
	if (!kk_may(actor, KK_ACT_REPORT_VENDORS_CONFIRM, NULL))
		return kk_error_set(err, KK_EDENIED, "%s", _("Only a coordinator confirms the vendors of a report."));
	res = candidates_report(s, actor, tracking_id, 1, &rep, err);
	if (res || (res = kk_tx_begin(s, 1, &tx, err)))
		goto out;
	res = kk_report_vendors_delete(&tx, rep.id, vendor_id, err);
	if (res == KK_ENOTFOUND)
		kk_error_set(err, res, _("The vendor %lld is not among the vendors confirmed for this report."),
			     (long long)vendor_id);
	if (!res) {
		detail = json_pack("{s:[I]}", "vendors", (json_int_t)vendor_id);
		res = detail ? kk_audit_record(&tx, actor, "report", rep.id, "vendors.remove", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	if (!res && out)
		res = list_json(&tx, rep.id, out, err);
	res = kk_tx_end(&tx, res, err);
	if (res && out) {
		json_decref(*out);
		*out = NULL;
	}
out:
	json_decref(detail);
	kk_report_release(&rep);
	return res;
}

enum kk_result kk_report_vendors_get(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
				     json_t **out, struct kk_error *err)
{
	struct kk_report rep;
	struct kk_tx tx;
	enum kk_result res = candidates_report(s, viewer, tracking_id, 0, &rep, err);

	*out = NULL;
	if (!res && !(res = kk_tx_begin(s, 0, &tx, err))) {
		res = list_json(&tx, rep.id, out, err);
		res = kk_tx_end(&tx, res, err);
	}
	kk_report_release(&rep);
	return res;
}

enum kk_result kk_report_sbom_map(struct kk_store *s, const struct kk_user *viewer, const char *tracking_id,
				  const json_t *doc, json_t **out, struct kk_error *err)
{
	struct kk_report rep;
	struct kk_sbom sbom;
	struct kk_tx tx;
	enum kk_result res = candidates_report(s, viewer, tracking_id, 0, &rep, err);

	*out = NULL;
	kk_sbom_init(&sbom);
	if (!res)
		res = kk_sbom_parse(doc, &sbom, err);
	if (!res && !(res = kk_tx_begin(s, 0, &tx, err))) {
		res = kk_sbom_map_tx(&tx, &sbom, out, err);
		res = kk_tx_end(&tx, res, err);
	}
	kk_sbom_release(&sbom);
	kk_report_release(&rep);
	return res;
}
