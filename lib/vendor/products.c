/*
 * products.c: a vendor's products (vendor.h; issue 8 capability 2, SPEC
 * 2.5): names in Japanese and English, a CPE 2.3 name (a 2.2 URI is
 * accepted and converted with the CPE module), a type from the one table,
 * the versions or ranges as free text, and whether support has ended. Every
 * write counts a change of the registry (the search index reloads) and is
 * audited on the vendor ("product.add", "product.update") in the same
 * transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "record_internal.h"
#include "store/vendor_records.h"

static const char *const product_members[] = { "name_ja", "name_en", "cpe", "product_type", "versions",
					      "end_of_support", NULL };

static void product_apply(const json_t *body, struct kk_product *p, struct kk_error *err)
{
	char *type = NULL;

	kk_vf_unknown(body, "", product_members, err);
	kk_vf_text(body, "", "name_ja", KK_VENDOR_SHORT_MAX, 0, &p->name_ja, err);
	kk_vf_text(body, "", "name_en", KK_VENDOR_SHORT_MAX, 0, &p->name_en, err);
	kk_vf_cpe(body, "", "cpe", &p->cpe23, err);
	if (json_object_get(body, "product_type")) {
		kk_vf_text(body, "", "product_type", 40, 0, &type, err);
		if (!type)
			p->type = KK_PRODUCT_TYPE_NONE;
		else if (kk_product_type_parse(type, &p->type) != 0)
			kk_error_field(err, "product_type", "%s",
				       _("Not a product type: application, os, network_device, control_system, "
					 "iot_device, library, service, hardware, firmware or other."));
		free(type);
	}
	kk_vf_text(body, "", "versions", KK_PRODUCT_VERSIONS_MAX, 1, &p->versions, err);
	kk_vf_bool(body, "", "end_of_support", &p->end_of_support, err);
	if (!p->name_ja && !p->name_en) {
		kk_error_field(err, "name_ja", "%s", _("Give the name in Japanese, in English, or both."));
		kk_error_field(err, "name_en", "%s", _("Give the name in Japanese, in English, or both."));
	}
}

/* The maintained members as JSON, for the audit's before and after. */
static json_t *product_state(const struct kk_product *p)
{
	json_t *full = kk_product_to_json(p, "en"), *out = json_object();

	for (size_t i = 0; full && out && product_members[i]; i++)
		if (json_object_set(out, product_members[i], json_object_get(full, product_members[i])))
			break;
	json_decref(full);
	if (!full || !out || json_object_size(out) != sizeof(product_members) / sizeof(product_members[0]) - 1) {
		json_decref(out);
		return NULL;
	}
	return out;
}

/* Begins a transaction on vendor_id for viewer, who must be allowed action
 * (denied looks like missing), and checks that the vendor is there. */
static enum kk_result begin_on(struct kk_store *s, const struct kk_user *viewer, enum kk_action action,
			       int64_t vendor_id, struct kk_tx *tx, struct kk_error *err)
{
	struct kk_vendor v;
	enum kk_result res;

	/* SPEC 2.5: a vendor maintains its own products, coordinators all */
	if (!kk_may(viewer, action, &(struct kk_object){ .vendor_id = vendor_id }))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	res = kk_tx_begin(s, action == KK_ACT_VENDOR_WRITE, tx, err);
	if (res)
		return res;
	res = kk_vrec_vendor_load(tx, vendor_id, 0, &v, err);
	kk_vendor_release(&v);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	if (res)
		kk_tx_end(tx, res, NULL);
	return res;
}

#define LEND_ERR(err, mine) ((err) ? (err) : (mine))

enum kk_result kk_product_add(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
			      const json_t *body, int64_t *id_out, struct kk_error *err_in)
{
	struct kk_error mine = KK_ERROR_INIT, *err = LEND_ERR(err_in, &mine);
	struct kk_product p = { 0 };
	json_t *detail = NULL;
	struct kk_tx tx;
	enum kk_result res;
	int64_t now = kk_now();

	/* field errors are collected in err: start from none */
	kk_error_clear(err);
	if (!kk_may(viewer, KK_ACT_VENDOR_WRITE, &(struct kk_object){ .vendor_id = vendor_id })) {
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
		goto out;
	}
	if (!json_is_object(body)) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		goto out;
	}
	product_apply(body, &p, err);
	if ((res = err->code) != KK_OK)
		goto out;
	p.vendor_id = vendor_id;
	if ((res = begin_on(s, viewer, KK_ACT_VENDOR_WRITE, vendor_id, &tx, err)) != KK_OK)
		goto out;
	res = kk_vrec_product_insert(&tx, &p, now, &p.id, err);
	if (res == KK_OK && !(detail = json_pack("{s:I, s:o}", "product_id", (json_int_t)p.id, "after",
						 product_state(&p))))
		res = kk_error_nomem(err);
	if (res == KK_OK)
		res = kk_audit_record(&tx, viewer, "vendor", vendor_id, "product.add", NULL, NULL, detail, err);
	res = kk_tx_end(&tx, res, err);
	if (res == KK_OK && id_out)
		*id_out = p.id;
out:
	json_decref(detail);
	kk_product_release(&p);
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_product_update(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				 int64_t product_id, const json_t *patch, struct kk_error *err_in)
{
	struct kk_error mine = KK_ERROR_INIT, *err = LEND_ERR(err_in, &mine);
	struct kk_product p = { 0 };
	json_t *before = NULL, *after = NULL, *detail = NULL;
	struct kk_tx tx;
	enum kk_result res;
	int changed = 0;

	/* field errors are collected in err: start from none */
	kk_error_clear(err);
	if (!json_is_object(patch) && kk_may(viewer, KK_ACT_VENDOR_WRITE, &(struct kk_object){ .vendor_id = vendor_id })) {
		res = kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
		goto out;
	}
	if ((res = begin_on(s, viewer, KK_ACT_VENDOR_WRITE, vendor_id, &tx, err)) != KK_OK)
		goto out;
	res = kk_vrec_product_load(&tx, vendor_id, product_id, &p, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	if (res == KK_OK && !(before = product_state(&p)))
		res = kk_error_nomem(err);
	if (res == KK_OK) {
		product_apply(patch, &p, err);
		res = err->code;
	}
	if (res == KK_OK && (!(after = product_state(&p)) || !(detail = kk_vf_diff(before, after, &changed)) ||
			     json_object_set_new(detail, "product_id", json_integer(product_id))))
		res = kk_error_nomem(err);
	if (res == KK_OK && changed)
		res = kk_vrec_product_update(&tx, &p, kk_now(), err);
	if (res == KK_OK && changed)
		res = kk_audit_record(&tx, viewer, "vendor", vendor_id, "product.update", NULL, NULL, detail, err);
	res = kk_tx_end(&tx, res, err);
out:
	json_decref(before);
	json_decref(after);
	json_decref(detail);
	kk_product_release(&p);
	kk_error_release(&mine);
	return res;
}

enum kk_result kk_product_get(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
			      int64_t product_id, struct kk_product *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if ((res = begin_on(s, viewer, KK_ACT_VENDOR_READ, vendor_id, &tx, err)) != KK_OK)
		return res;
	res = kk_vrec_product_load(&tx, vendor_id, product_id, out, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_product_list(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
			       const struct kk_vendor_page *page, struct kk_product_list *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;
	size_t offset, limit;

	memset(out, 0, sizeof(*out));
	if ((res = begin_on(s, viewer, KK_ACT_VENDOR_READ, vendor_id, &tx, err)) != KK_OK)
		return res;
	kk_vf_page_bounds(page, &offset, &limit);
	res = kk_vrec_product_list(&tx, vendor_id, offset, limit, out, err);
	return kk_tx_end(&tx, res, err);
}
