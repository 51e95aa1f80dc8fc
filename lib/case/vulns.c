/*
 * vulns.c: the vulnerabilities of a case (kk_case_vuln_add, kk_case_vuln_update;
 * case.h, issue 9 capability 1, SPEC 2.4): each with its title, description,
 * CWE (checked against the catalogue when one is loaded, cwe.h), CVSS v3.1 and
 * v4.0 vectors scored by the metrics module (cvss.h), an optional CVE id and
 * the affected products (registered ones by id, or a name, a CPE read by cpe.h
 * and versions). A new vulnerability gets a status for every vendor of the
 * case at the stage that vendor has reached (SPEC 2.7), in the same
 * transaction as the vulnerability and its audit record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/cpe.h"
#include "keikai/cvss.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "internal.h"
#include "store/components.h"
#include "store/cwe_entries.h"

#define PRODUCTS_MAX 100  /* affected products of one vulnerability */
#define NAME_MAX_BYTES 300 /* a product's name, a CPE name */
#define VERSIONS_MAX 1000 /* bytes of a product's affected versions */

/* What a body says, checked: the members given (has_*) and their values. */
struct vuln_input {
	int has_title, has_description, has_cwe, has_cvss3, has_cvss4, has_cve, has_products;
	char *title, *description, *cvss3, *cvss4, *cve;
	int cvss3_tenths, cvss4_tenths;
	int64_t cwe;
	struct kk_vuln_product products[PRODUCTS_MAX];
	size_t n_products;
};

static void input_release(struct vuln_input *in)
{
	free(in->title);
	free(in->description);
	free(in->cvss3);
	free(in->cvss4);
	free(in->cve);
	for (size_t i = 0; i < in->n_products; i++)
		kk_vuln_product_release(&in->products[i]);
	memset(in, 0, sizeof(*in));
}

static const char *translate(const char *msgid)
{
	return gettext(msgid);
}

/* A text member: *out a copy (NULL for null when nullable), field errors in err. */
static void text_member(const json_t *v, const char *path, size_t max_chars, int multiline, int nullable,
			char **out, struct kk_error *err)
{
	const char *s;

	if (json_is_null(v) && nullable)
		return;
	if (!json_is_string(v)) {
		kk_error_field(err, path, "%s", nullable ? _("Must be text or null.") : _("Must be text."));
		return;
	}
	s = json_string_value(v);
	if (!multiline && kk_str_empty(s))
		kk_error_field(err, path, "%s", _("Required."));
	else if (kk_has_control(s, multiline) || kk_has_bidi_control(s))
		kk_error_field(err, path, "%s", _("Must not contain control characters."));
	else if (multiline ? strlen(s) > max_chars : kk_utf8_len(s) > max_chars)
		kk_error_field(err, path, multiline ? _("At most %zu bytes.") : _("At most %zu characters."), max_chars);
	else if (!(*out = kk_strdup(s)))
		kk_error_nomem(err);
}

/* A CVSS vector of the version family wanted (3: v3.0 or v3.1; 4: v4.0),
 * scored: the v3 base score, the v4 score (SPEC 2.3). */
static void cvss_member(const json_t *v, const char *path, int family, char **out, int *tenths,
			struct kk_error *err)
{
	char canonical[KK_CVSS_VECTOR_MAX], msg[256];
	struct kk_cvss_error cerr;
	struct kk_cvss c;

	*tenths = -1;
	if (json_is_null(v))
		return;
	if (!json_is_string(v)) {
		kk_error_field(err, path, "%s", _("Must be a CVSS vector or null."));
		return;
	}
	if (kk_cvss_parse_str(json_string_value(v), &c, &cerr) != 0) {
		kk_cvss_format_error(&cerr, translate, msg, sizeof(msg));
		kk_error_field(err, path, "%s", msg);
		return;
	}
	if (family == 3 && c.version != KK_CVSS_V3_1 && c.version != KK_CVSS_V3_0) {
		kk_error_field(err, path, "%s", _("Must be a CVSS v3.1 vector (CVSS:3.1/…)."));
		return;
	}
	if (family == 4 && c.version != KK_CVSS_V4_0) {
		kk_error_field(err, path, "%s", _("Must be a CVSS v4.0 vector (CVSS:4.0/…)."));
		return;
	}
	kk_cvss_canonical(&c, canonical, sizeof(canonical));
	*tenths = family == 4 ? c.score : c.base;
	if (!(*out = kk_strdup(canonical)))
		kk_error_nomem(err);
}

static void cwe_member(struct kk_tx *tx, const json_t *v, int64_t *out, struct kk_error *err)
{
	struct kk_error perr = KK_ERROR_INIT;
	int id = 0, filled = 0;
	struct kk_cwe c;
	enum kk_result res;

	*out = 0;
	if (json_is_null(v))
		return;
	if (json_is_integer(v)) {
		if (json_integer_value(v) < 1 || json_integer_value(v) > KK_CWE_ID_MAX) {
			kk_error_field(err, "cwe", "%s", _("Must be a CWE id such as 79 or \"CWE-79\"."));
			return;
		}
		id = (int)json_integer_value(v);
	} else if (!json_is_string(v) || kk_cwe_parse_id(json_string_value(v), &id, &perr) != KK_OK) {
		kk_error_field(err, "cwe", "%s", perr.code ? perr.msg : _("Must be a CWE id such as 79 or \"CWE-79\"."));
		kk_error_release(&perr);
		return;
	}
	kk_error_release(&perr);
	/* the catalogue, when one is loaded, knows every id there is */
	res = kk_cwe_entries_filled(tx, &filled, err);
	if (!res && filled) {
		res = kk_cwe_entries_get(tx, id, &c, err);
		if (res == KK_OK)
			kk_cwe_release(&c);
		else if (res == KK_ENOTFOUND)
			kk_error_field(err, "cwe", _("The CWE catalogue has no CWE-%d."), id);
	}
	*out = id;
}

static void product_member(struct kk_tx *tx, const json_t *p, size_t i, struct kk_vuln_product *out,
			   struct kk_error *err)
{
	const json_t *pid = json_object_get(p, "product_id"), *vid = json_object_get(p, "vendor_id");
	char path[64], buf[NAME_MAX_BYTES + 1];
	const char *key;
	json_t *m;

	memset(out, 0, sizeof(*out));
	if (!json_is_object(p)) {
		snprintf(path, sizeof(path), "products[%zu]", i);
		kk_error_field(err, path, "%s", _("Must be an object with product_id, or name, cpe and versions."));
		return;
	}
	json_object_foreach((json_t *)p, key, m) {
		if (strcmp(key, "product_id") && strcmp(key, "vendor_id") && strcmp(key, "name") && strcmp(key, "cpe") &&
		    strcmp(key, "versions")) {
			snprintf(path, sizeof(path), "products[%zu].%s", i, key);
			kk_error_field(err, path, "%s", _("Not a member of an affected product."));
		}
	}
	if (pid && !json_is_null(pid)) {
		snprintf(path, sizeof(path), "products[%zu].product_id", i);
		if (!json_is_integer(pid) || json_integer_value(pid) < 1) {
			kk_error_field(err, path, "%s", _("Must be a product id (a whole number from 1)."));
		} else {
			enum kk_result res = kk_components_product_vendor(tx, json_integer_value(pid), &out->vendor_id, err);

			out->product_id = json_integer_value(pid);
			if (res == KK_ENOTFOUND)
				kk_error_field(err, path, _("There is no product %lld."), (long long)out->product_id);
		}
	}
	if (vid && !json_is_null(vid)) {
		snprintf(path, sizeof(path), "products[%zu].vendor_id", i);
		if (!json_is_integer(vid) || json_integer_value(vid) < 1)
			kk_error_field(err, path, "%s", _("Must be a vendor id (a whole number from 1)."));
		else if (out->product_id && out->vendor_id != json_integer_value(vid))
			kk_error_field(err, path, "%s", _("The product belongs to another vendor."));
		else if (kk_components_vendor_exists(tx, json_integer_value(vid), err) == KK_ENOTFOUND)
			kk_error_field(err, path, _("There is no vendor %lld."), (long long)json_integer_value(vid));
		else
			out->vendor_id = json_integer_value(vid);
	}
	snprintf(path, sizeof(path), "products[%zu].name", i);
	if (json_object_get(p, "name"))
		text_member(json_object_get(p, "name"), path, NAME_MAX_BYTES, 0, 1, &out->name, err);
	snprintf(path, sizeof(path), "products[%zu].versions", i);
	if (json_object_get(p, "versions"))
		text_member(json_object_get(p, "versions"), path, VERSIONS_MAX, 0, 1, &out->versions, err);
	m = json_object_get(p, "cpe");
	snprintf(path, sizeof(path), "products[%zu].cpe", i);
	if (m && !json_is_null(m)) {
		struct kk_cpe_error cerr;
		struct kk_cpe cpe;
		enum kk_result res;

		if (!json_is_string(m)) {
			kk_error_field(err, path, "%s", _("Must be a CPE name or null."));
			return;
		}
		/* a CPE 2.2 URI is read too, and kept as a 2.3 formatted string */
		res = kk_cpe_parse(json_string_value(m), &cpe, &cerr);
		if (res == KK_ENOMEM) {
			kk_error_nomem(err);
			return;
		}
		if (res != KK_OK) {
			kk_error_field(err, path, _("Not a CPE name: %s: %s (column %zu)."), kk_cpe_attr_name(cerr.attribute),
				       _(kk_cpe_strerror(cerr.code)), cerr.offset + 1);
			return;
		}
		if (kk_cpe_to_fs(&cpe, buf, sizeof(buf)) >= sizeof(buf))
			kk_error_field(err, path, _("At most %d bytes as a CPE 2.3 name."), NAME_MAX_BYTES);
		else if (!(out->cpe23 = kk_strdup(buf)))
			kk_error_nomem(err);
		kk_cpe_release(&cpe);
	}
	if (!out->product_id && !out->name && !out->cpe23) {
		snprintf(path, sizeof(path), "products[%zu]", i);
		kk_error_field(err, path, "%s", _("Give product_id, or a name or a CPE name."));
	}
}

/* Checks body into *in; `add`: the title is required. Field errors in err. */
static enum kk_result parse_vuln(struct kk_tx *tx, const json_t *body, int add, struct vuln_input *in,
				 struct kk_error *err)
{
	const char *key;
	json_t *v;

	memset(in, 0, sizeof(*in));
	if (!json_is_object(body))
		return kk_error_set(err, KK_EINVAL, "%s", _("The body must be a JSON object."));
	json_object_foreach((json_t *)body, key, v) {
		if (!strcmp(key, "title")) {
			in->has_title = 1;
			text_member(v, "title", KK_CASE_TITLE_MAX, 0, 0, &in->title, err);
		} else if (!strcmp(key, "description")) {
			in->has_description = 1;
			text_member(v, "description", KK_CASE_TEXT_MAX, 1, 1, &in->description, err);
		} else if (!strcmp(key, "cwe")) {
			in->has_cwe = 1;
			cwe_member(tx, v, &in->cwe, err);
		} else if (!strcmp(key, "cvss3")) {
			in->has_cvss3 = 1;
			cvss_member(v, "cvss3", 3, &in->cvss3, &in->cvss3_tenths, err);
		} else if (!strcmp(key, "cvss4")) {
			in->has_cvss4 = 1;
			cvss_member(v, "cvss4", 4, &in->cvss4, &in->cvss4_tenths, err);
		} else if (!strcmp(key, "cve")) {
			in->has_cve = 1;
			if (!json_is_null(v) && (!json_is_string(v) || !kk_cve_id_valid(json_string_value(v))))
				kk_error_field(err, "cve", "%s", _("Must be a CVE id such as CVE-2026-12345, or null."));
			else if (json_is_string(v) && !(in->cve = kk_strdup(json_string_value(v))))
				kk_error_nomem(err);
		} else if (!strcmp(key, "products")) {
			in->has_products = 1;
			if (!json_is_array(v) || json_array_size(v) > PRODUCTS_MAX) {
				kk_error_field(err, "products", _("Must be a list of at most %d products."), PRODUCTS_MAX);
				continue;
			}
			for (size_t i = 0; i < json_array_size(v); i++)
				product_member(tx, json_array_get(v, i), i, &in->products[in->n_products++], err);
		} else {
			kk_error_field(err, key, "%s", _("Not a member of a vulnerability."));
		}
		if (err && err->code == KK_ENOMEM)
			return KK_ENOMEM;
		if (err && err->code && err->code != KK_EINVAL)
			return err->code; /* the database failed while checking */
	}
	if (add && !in->has_title)
		kk_error_field(err, "title", "%s", _("Required."));
	return kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
}

/* Moves the members given from in to v. */
static void apply(struct vuln_input *in, struct kk_vuln *v)
{
#define TAKE(has, from, to) \
	if (in->has) {      \
		free(v->to);        \
		v->to = in->from;   \
		in->from = NULL;    \
	}
	TAKE(has_title, title, title)
	TAKE(has_description, description, description)
	TAKE(has_cvss3, cvss3, cvss3_vector)
	TAKE(has_cvss4, cvss4, cvss4_vector)
	TAKE(has_cve, cve, cve_id)
#undef TAKE
	if (in->has_cwe)
		v->cwe_id = in->cwe;
	if (in->has_cvss3)
		v->cvss3_score_tenths = v->cvss3_vector ? in->cvss3_tenths : -1;
	if (in->has_cvss4)
		v->cvss4_score_tenths = v->cvss4_vector ? in->cvss4_tenths : -1;
}

/* SPEC 2.7: the stage a vendor of the case has reached, for the status of a
 * vulnerability added after it joined: its two-stage standing (SPEC 2.6),
 * and not_affected when it answered that the summary does not apply. */
static const char *vendor_stage(const struct kk_case_vendor *cv)
{
	if (cv->answer && !strcmp(cv->answer, "not_applicable"))
		return "not_affected";
	if (cv->detail_requested_at)
		return "detail_requested";
	if (cv->summary_read_at)
		return "summary_read";
	if (cv->notified_at)
		return "notified";
	return "not_notified";
}

static enum kk_result statuses_for_new(struct kk_tx *tx, const struct kk_user *actor, const struct kk_vuln *v,
				       struct kk_error *err)
{
	struct kk_case_vendor *vs = NULL;
	size_t n = 0;
	enum kk_result res = kk_case_vendors_list(tx, v->case_id, &vs, &n, err);

	for (size_t i = 0; i < n && !res; i++) {
		struct kk_vendor_status st = { 0 };

		st.case_vendor_id = vs[i].id;
		st.vuln_id = v->id;
		st.number = v->number;
		snprintf(st.status, sizeof(st.status), "%s", vendor_stage(&vs[i]));
		st.updated_at = v->created_at;
		st.updated_by = actor->id;
		res = kk_vendor_statuses_insert(tx, &st, err);
	}
	kk_case_vendors_free(vs, n);
	return res;
}

static enum kk_result store_products(struct kk_tx *tx, struct vuln_input *in, const struct kk_vuln *v,
				     struct kk_error *err)
{
	if (!in->has_products)
		return KK_OK;
	return kk_vuln_products_replace(tx, v->id, in->products, in->n_products, v->updated_at, err);
}

/* The names of the members a body changes, for the audit record. */
static json_t *changed_keys(const json_t *body, int number)
{
	json_t *keys = json_array(), *d;
	const char *key;
	json_t *v;

	if (!keys)
		return NULL;
	json_object_foreach((json_t *)body, key, v)
		if (json_array_append_new(keys, json_string(key)) != 0) {
			json_decref(keys);
			return NULL;
		}
	d = json_pack("{s:i, s:o}", "number", number, "changed", keys);
	return d;
}

/* Adds a vulnerability to case cx (number is unused) from body into *in and
 * *v, or changes vulnerability `number`, and gives the audit record's detail
 * in *detail (NULL when out of memory) on KK_OK. */
typedef enum kk_result vuln_change_fn(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx,
				      int number, const json_t *body, struct vuln_input *in, struct kk_vuln *v,
				      json_t **detail, struct kk_error *err);

static enum kk_result add_vuln(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx, int number,
			  const json_t *body, struct vuln_input *in, struct kk_vuln *v, json_t **detail,
			  struct kk_error *err)
{
	enum kk_result res = parse_vuln(tx, body, 1, in, err);

	if (!res) {
		size_t n = 0;
		struct kk_vuln *all = NULL;

		res = kk_vulns_list(tx, cx->c.id, &all, &n, err);
		kk_vulns_free(all, n);
		if (!res && n >= KK_CASE_VULNS_MAX)
			res = kk_error_set(err, KK_ECONFLICT, _("A case has at most %d vulnerabilities."), KK_CASE_VULNS_MAX);
	}
	if (res)
		return res;
	v->case_id = cx->c.id;
	v->cvss3_score_tenths = v->cvss4_score_tenths = -1;
	v->created_at = v->updated_at = kk_now();
	apply(in, v);
	res = kk_vulns_insert(tx, v, err);
	if (!res)
		res = store_products(tx, in, v, err);
	/* SPEC 2.7: every vendor of the case gets a status for it */
	if (!res)
		res = statuses_for_new(tx, actor, v, err);
	if (!res)
		*detail = json_pack("{s:i, s:s}", "number", v->number, "title", v->title);
	return res;
}

static enum kk_result update_vuln(struct kk_tx *tx, const struct kk_user *actor, const struct case_ctx *cx, int number,
			     const json_t *body, struct vuln_input *in, struct kk_vuln *v, json_t **detail,
			     struct kk_error *err)
{
	enum kk_result res = kk_vulns_load(tx, cx->c.id, number, v, err);

	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, _("Case %s has no vulnerability %d."), cx->c.ref, number);
	if (!res)
		res = parse_vuln(tx, body, 0, in, err);
	if (res)
		return res;
	apply(in, v);
	v->updated_at = kk_now();
	res = kk_vulns_save(tx, v, err);
	if (!res)
		res = store_products(tx, in, v, err);
	if (!res)
		*detail = changed_keys(body, v->number);
	return res;
}

/* One change of a case's vulnerabilities by a coordinator, audited as
 * `action`; *out gets the vulnerability as case.h shows it. */
static enum kk_result vuln_change(struct kk_store *s, const struct kk_user *actor, const char *ref, int number,
				  const json_t *body, vuln_change_fn *change, const char *action, json_t **out,
				  struct kk_error *err)
{
	struct vuln_input in;
	struct kk_vuln v;
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *detail = NULL;
	enum kk_result res;

	*out = NULL;
	memset(&in, 0, sizeof(in));
	memset(&v, 0, sizeof(v));
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_WRITE, &tx, &cx, err);
	if (res)
		return res;
	res = change(&tx, actor, &cx, number, body, &in, &v, &detail, err);
	if (!res)
		res = detail ? kk_audit_record(&tx, actor, "case", cx.c.id, action, NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	if (!res)
		res = case_vuln_json(&tx, &v, 1, out, err);
	res = case_end(&tx, res, out, err);
	json_decref(detail);
	input_release(&in);
	kk_vuln_release(&v);
	case_ctx_release(&cx);
	return res;
}

enum kk_result kk_case_vuln_add(struct kk_store *s, const struct kk_user *actor, const char *ref, const json_t *body,
				json_t **out, struct kk_error *err)
{
	return vuln_change(s, actor, ref, 0, body, add_vuln, "vulnerability.add", out, err);
}

enum kk_result kk_case_vuln_update(struct kk_store *s, const struct kk_user *actor, const char *ref, int number,
				   const json_t *body, json_t **out, struct kk_error *err)
{
	return vuln_change(s, actor, ref, number, body, update_vuln, "vulnerability.update", out, err);
}
