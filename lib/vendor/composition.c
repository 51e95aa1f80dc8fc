/*
 * composition.c: products' components and distributors, and "who embeds X"
 * (composition.h; SPEC 2.5 OSS downstream, SPEC 5 last sentence).
 *
 * Components are found by their match key (kk_component_key): the package
 * URL without version, the CPE name's vendor and product, or the folded name.
 * "Who embeds" starts from the component rows that match the query (by key,
 * or a CPE name by NISTIR 7696) and from the registered products the query
 * names or matches, then climbs from product to the products that embed it
 * (component_product_id, or a component named by the product's CPE key),
 * breadth first, so every product is reported once at its shortest depth and
 * a cycle ends where it closes. Rows are collected before they are followed,
 * so no statement is open while another runs.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/composition.h"
#include "keikai/cpe.h"
#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "keikai/purl.h"
#include "keikai/util.h"
#include "record_internal.h"
#include "store/components.h"
#include "store/vendors.h"

#define CPE_FS_MAX 2048

static void ascii_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* The CPE 2.3 formatted string of s into buf: 0, or -1 with err's message set. */
static int cpe_fs(const char *s, char *buf, size_t size, struct kk_error *err)
{
	struct kk_cpe c;
	struct kk_cpe_error ce;
	size_t n;

	kk_cpe_init(&c);
	if (kk_cpe_parse(s, &c, &ce) != KK_OK) {
		kk_error_set(err, ce.code == KK_CPE_ENOMEM ? KK_ENOMEM : KK_EINVAL,
			     _("Not a CPE name: %s: %s."), ce.attribute >= 0 ? kk_cpe_attr_name(ce.attribute) : "cpe",
			     _(kk_cpe_strerror(ce.code)));
		return -1;
	}
	n = kk_cpe_to_fs(&c, buf, size);
	kk_cpe_release(&c);
	if (n == 0 || n >= size) {
		kk_error_set(err, KK_EINVAL, "%s", _("The CPE name is too long."));
		return -1;
	}
	return 0;
}

/* "vendor:product" of a CPE 2.3 formatted string (lower-cased), into a new string. */
static char *cpe_key_of_fs(const char *fs)
{
	const char *p = fs + strlen("cpe:2.3:"), *start;
	int field = 0;
	char *out;

	/* fields: part, vendor, product; a ':' after a backslash is quoted */
	for (start = NULL; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p != ':')
			continue;
		field++;
		if (field == 1)
			start = p + 1;
		else if (field == 3)
			break;
	}
	if (!start)
		return kk_strdup("");
	out = kk_strndup(start, (size_t)(p - start));
	if (out)
		ascii_lower(out);
	return out;
}

enum kk_result kk_component_key(const char *purl, const char *cpe, const char *name, char **out,
				struct kk_error *err)
{
	*out = NULL;
	if (purl) {
		struct kk_purl p;
		struct kk_buf b;
		enum kk_result res;

		kk_purl_init(&p);
		res = kk_purl_parse(purl, &p, err);
		if (res)
			return res;

		kk_buf_init(&b, KK_PURL_MAX_LEN + 8);
		if (p.namespace)
			kk_buf_addf(&b, "pkg:%s/%s/%s", p.type, p.namespace, p.name);
		else
			kk_buf_addf(&b, "pkg:%s/%s", p.type, p.name);
		*out = kk_buf_detach(&b);
		kk_purl_release(&p);
		if (!*out)
			return kk_error_nomem(err);
		ascii_lower(*out);
		return KK_OK;
	}
	if (cpe) {
		char fs[CPE_FS_MAX];

		if (cpe_fs(cpe, fs, sizeof(fs), err) != 0)
			return kk_error_result(err, KK_EINVAL);
		*out = cpe_key_of_fs(fs);
		return *out ? KK_OK : kk_error_nomem(err);
	}
	if (name)
		return kk_fold(name, out, err);
	return kk_error_set(err, KK_EINVAL, "%s", _("A component needs a package URL, a CPE name or a name."));
}

/*
 * Validation.
 */

/* A text member: NULL when absent or null; -1 after recording a field error. */
static int text_member(const json_t *body, const char *key, const char **out, struct kk_error *err)
{
	const json_t *v = json_object_get(body, key);
	const char *s;

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v)) {
		kk_error_field(err, key, "%s", _("Must be text."));
		return -1;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) {
		kk_error_field(err, key, "%s", _("Must not contain NUL characters."));
		return -1;
	}
	if (kk_str_empty(s)) {
		kk_error_field(err, key, "%s", _("Required."));
		return -1;
	}
	if (strlen(s) > KK_COMPONENT_TEXT_MAX) {
		kk_error_field(err, key, _("At most %d bytes."), KK_COMPONENT_TEXT_MAX);
		return -1;
	}
	if (kk_has_control(s, 0)) {
		kk_error_field(err, key, "%s", _("Must not contain control characters."));
		return -1;
	}
	*out = s;
	return 0;
}

enum kk_result kk_component_from_json(const json_t *body, struct kk_component_input *out, struct kk_error *err)
{
	static const char *const known[] = { "component_product_id", "name", "version", "cpe", "purl", NULL };
	const json_t *id;
	const char *key;
	json_t *v;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	json_object_foreach((json_t *)body, key, v) {
		int ok = 0;

		for (size_t i = 0; known[i]; i++)
			ok |= strcmp(known[i], key) == 0;
		if (!ok)
			kk_error_field(err, key, "%s", _("Not a member of a component."));
	}
	id = json_object_get(body, "component_product_id");
	if (id && !json_is_null(id)) {
		if (!json_is_integer(id) || json_integer_value(id) < 1)
			kk_error_field(err, "component_product_id", "%s", _("Must be a product id (a whole number from 1)."));
		else
			out->component_product_id = json_integer_value(id);
	}
	text_member(body, "name", &out->name, err);
	text_member(body, "version", &out->version, err);
	if (text_member(body, "cpe", &out->cpe, err) == 0 && out->cpe) {
		struct kk_error e = KK_ERROR_INIT;
		char fs[CPE_FS_MAX];

		if (cpe_fs(out->cpe, fs, sizeof(fs), &e) != 0)
			kk_error_field(err, "cpe", "%s", e.msg);
		kk_error_release(&e);
	}
	if (text_member(body, "purl", &out->purl, err) == 0 && out->purl) {
		struct kk_error e = KK_ERROR_INIT;
		struct kk_purl p;

		kk_purl_init(&p);
		if (kk_purl_parse(out->purl, &p, &e) != KK_OK)
			kk_error_field(err, "purl", "%s", e.msg);
		kk_purl_release(&p);
		kk_error_release(&e);
	}
	if (!kk_error_has_fields(err) && !out->component_product_id && !out->name && !out->cpe && !out->purl)
		kk_error_field(err, "name", "%s",
			       _("Give the component's product id, package URL, CPE name or name."));
	return kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
}

/*
 * Access: the product must be the vendor's, and the user may act on the vendor.
 */
static enum kk_result product_of_vendor(struct kk_tx *tx, const struct kk_user *u, enum kk_action action,
					int64_t vendor_id, int64_t product_id, struct kk_error *err)
{
	int64_t owner = 0;
	enum kk_result res;

	if (u && !kk_may(u, action, &(struct kk_object){ .vendor_id = vendor_id }))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such product."));
	res = kk_components_product_vendor(tx, product_id, &owner, err);
	if (res == KK_ENOTFOUND || (res == KK_OK && owner != vendor_id))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such product."));
	return res;
}

enum kk_result kk_component_add(struct kk_store *s, const struct kk_user *actor, int64_t vendor_id,
				int64_t product_id, const struct kk_component_input *in, int64_t *id,
				struct kk_error *err)
{
	struct kk_component_row row = { 0 };
	char fs[CPE_FS_MAX], *key = NULL;
	struct kk_tx tx;
	int64_t new_id = 0, owner;
	json_t *detail = NULL;
	enum kk_result res;

	row.product_id = product_id;
	row.component_product_id = in->component_product_id;
	row.name = in->name;
	row.version = in->version;
	row.purl = in->purl;
	row.source = "manual";
	row.created_at = kk_now();
	if (in->cpe) {
		if (cpe_fs(in->cpe, fs, sizeof(fs), err) != 0)
			return kk_error_result(err, KK_EINVAL);
		row.cpe23 = fs;
	}
	if (in->component_product_id == product_id)
		return kk_error_field(err, "component_product_id", "%s", _("A product cannot embed itself."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = product_of_vendor(&tx, actor, KK_ACT_VENDOR_WRITE, vendor_id, product_id, err);
	if (!res && in->component_product_id) {
		res = kk_components_product_vendor(&tx, in->component_product_id, &owner, err);
		if (res == KK_ENOTFOUND)
			res = kk_error_field(err, "component_product_id", _("There is no product %lld."),
					     (long long)in->component_product_id);
	}
	/* a registered product is found by its id; the others by their key */
	if (!res && (in->purl || in->cpe || in->name)) {
		res = kk_component_key(in->purl, row.cpe23, in->name, &key, err);
		row.match_key = key && *key ? key : NULL;
	}
	if (!res)
		res = kk_components_insert(&tx, &row, &new_id, err);
	/* SPEC 5: a change of composition is a change of the registry */
	if (!res)
		res = kk_vendors_registry_touch(&tx, err);
	if (!res) {
		detail = json_pack("{s:I, s:o, s:s?, s:s?, s:s?, s:s?}", "component_id", (json_int_t)new_id,
				   "component_product_id",
				   in->component_product_id ? json_integer(in->component_product_id) : json_null(),
				   "name", in->name, "version", in->version, "cpe", row.cpe23, "purl", in->purl);
		res = detail ? kk_audit_record(&tx, actor ? actor : &kk_anonymous, "product", product_id,
					       "component.add", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	res = kk_tx_end(&tx, res, err);
	if (!res && id)
		*id = new_id;
	json_decref(detail);
	free(key);
	return res;
}

enum kk_result kk_component_delete(struct kk_store *s, const struct kk_user *actor, int64_t vendor_id,
				   int64_t product_id, int64_t component_id, struct kk_error *err)
{
	struct kk_tx tx;
	json_t *detail = NULL;
	enum kk_result res = kk_tx_begin(s, 1, &tx, err);

	if (res)
		return res;
	res = product_of_vendor(&tx, actor, KK_ACT_VENDOR_WRITE, vendor_id, product_id, err);
	if (!res) {
		res = kk_components_delete(&tx, product_id, component_id, err);
		if (res == KK_ENOTFOUND)
			kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such component."));
	}
	if (!res)
		res = kk_vendors_registry_touch(&tx, err);
	if (!res) {
		detail = json_pack("{s:I}", "component_id", (json_int_t)component_id);
		res = detail ? kk_audit_record(&tx, actor ? actor : &kk_anonymous, "product", product_id,
					       "component.delete", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	json_decref(detail);
	return kk_tx_end(&tx, res, err);
}

/* Reads a product's list (components, distributors or SBOMs: list) for viewer. */
static enum kk_result read_list(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				int64_t product_id,
				enum kk_result (*list)(struct kk_tx *tx, int64_t pid, json_t *arr, struct kk_error *err),
				json_t **out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	*out = json_array();
	if (!*out)
		return kk_error_nomem(err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		goto fail;
	res = product_of_vendor(&tx, viewer, KK_ACT_VENDOR_READ, vendor_id, product_id, err);
	if (!res)
		res = list(&tx, product_id, *out, err);
	res = kk_tx_end(&tx, res, err);
	if (!res)
		return KK_OK;
fail:
	json_decref(*out);
	*out = NULL;
	return res;
}

enum kk_result kk_components_get(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				 int64_t product_id, json_t **out, struct kk_error *err)
{
	return read_list(s, viewer, vendor_id, product_id, kk_components_list, out, err);
}

enum kk_result kk_distributors_get(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id,
				   int64_t product_id, json_t **out, struct kk_error *err)
{
	return read_list(s, viewer, vendor_id, product_id, kk_distributors_list, out, err);
}

/* SPEC 1: uploaders shown as kk_vendor_actor_masked says, as in the vendor's
 * history. */
enum kk_result kk_sboms_get(struct kk_store *s, const struct kk_user *viewer, int64_t vendor_id, int64_t product_id,
			    json_t **out, struct kk_error *err)
{
	enum kk_result res = read_list(s, viewer, vendor_id, product_id, kk_sboms_list, out, err);
	json_t *row, *shown;
	size_t i;

	json_array_foreach(res ? NULL : *out, i, row) {
		if (!res && !json_is_null(json_object_get(row, "uploaded_by")) &&
		    kk_vendor_actor_masked(viewer, json_integer_value(json_object_get(row, "uploader_org_id")),
					   json_string_value(json_object_get(row, "uploader_role")),
					   json_string_value(json_object_get(row, "uploader_org")), &shown) &&
		    json_object_set_new(row, "uploaded_by", shown))
			res = kk_error_nomem(err);
		json_object_del(row, "uploader_role");
		json_object_del(row, "uploader_org");
		json_object_del(row, "uploader_org_id");
	}
	if (res && *out) {
		json_decref(*out);
		*out = NULL;
	}
	return res;
}

enum kk_result kk_distributor_add(struct kk_store *s, const struct kk_user *actor, int64_t vendor_id,
				  int64_t product_id, int64_t distributor_id, struct kk_error *err)
{
	struct kk_tx tx;
	json_t *detail = NULL;
	enum kk_result res = kk_tx_begin(s, 1, &tx, err);

	if (res)
		return res;
	res = product_of_vendor(&tx, actor, KK_ACT_VENDOR_WRITE, vendor_id, product_id, err);
	if (!res && distributor_id == vendor_id)
		res = kk_error_field(err, "vendor_id", "%s", _("The product's own vendor is not its distributor."));
	if (!res) {
		res = kk_components_vendor_exists(&tx, distributor_id, err);
		if (res == KK_ENOTFOUND)
			res = kk_error_field(err, "vendor_id", _("There is no vendor %lld."), (long long)distributor_id);
	}
	if (!res) {
		res = kk_distributors_insert(&tx, product_id, distributor_id, kk_now(), err);
		if (res == KK_ECONFLICT)
			res = kk_error_set(err, KK_EEXISTS, "%s", _("That vendor is already a distributor of the product."));
	}
	if (!res)
		res = kk_vendors_registry_touch(&tx, err);
	if (!res) {
		detail = json_pack("{s:I}", "vendor_id", (json_int_t)distributor_id);
		res = detail ? kk_audit_record(&tx, actor ? actor : &kk_anonymous, "product", product_id,
					       "distributor.add", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	json_decref(detail);
	return kk_tx_end(&tx, res, err);
}
