/*
 * countermeasures.c: what a vendor tells about a vulnerability beyond its
 * status (SPEC 2.7, G IV.5.7, SPEC 2.11): countermeasures per affected product
 * (fixed versions, patch or advisory URLs, the workaround 回避策 in Japanese
 * and English), kept current before and after publication, and the vendor's
 * statement to print with the advisory. A vendor writes its own after it asked
 * for the detail; the coordinator may write them on its behalf. Each change is
 * audited on the case with whose it is.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/advisory.h"
#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "store/vendor_records.h"
#include "vendor_status.h"

#define PRODUCT_NAME_MAX 200 /* characters */
#define VERSIONS_MAX 50      /* fixed versions of one countermeasure */
#define VERSION_LEN 100      /* characters of one */
#define URLS_MAX 20
#define URL_LEN 2000

/* The checked members of a countermeasure, into c (the strings are c's). */
static enum kk_result parse_countermeasure(const json_t *body, struct kk_countermeasure *c, struct kk_error *err)
{
	static const char *const members[] = { "vulnerability", "product_id", "product_name", "fixed_versions", "urls",
					       "workaround_ja", "workaround_en", "vendor_id", NULL };
	const json_t *pid = json_object_get(body, "product_id");
	const char *name, *wja, *wen;

	if (!case_only_members(body, members, err) && !json_is_object(body))
		return KK_EINVAL;
	c->number = case_vuln_number(body, err);
	if (pid && !json_is_null(pid) && (!json_is_integer(pid) || json_integer_value(pid) < 1))
		kk_error_field(err, "product_id", "%s", _("Must be a product id (a whole number from 1)."));
	else if (pid && !json_is_null(pid))
		c->product_id = json_integer_value(pid);
	name = case_text(body, "product_name", 0, PRODUCT_NAME_MAX, 0, err);
	wja = case_text(body, "workaround_ja", 0, KK_CASE_TEXT_MAX, 1, err);
	wen = case_text(body, "workaround_en", 0, KK_CASE_TEXT_MAX, 1, err);
	case_body_list(body, "fixed_versions", VERSIONS_MAX, VERSION_LEN, 0, &c->fixed_versions, err);
	case_body_list(body, "urls", URLS_MAX, URL_LEN, 1, &c->urls, err);
	if (!kk_error_has_fields(err) && !c->fixed_versions && !c->urls && kk_str_empty(wja) && kk_str_empty(wen))
		kk_error_field(err, "fixed_versions", "%s", _("Give fixed versions, URLs or a workaround."));
	if (kk_error_has_fields(err))
		return KK_EINVAL;
	c->product_name = name ? kk_strdup(name) : NULL;
	c->workaround_ja = wja ? kk_strdup(wja) : NULL;
	c->workaround_en = wen ? kk_strdup(wen) : NULL;
	if ((name && !c->product_name) || (wja && !c->workaround_ja) || (wen && !c->workaround_en))
		return kk_error_nomem(err);
	return KK_OK;
}

/* COUNTERMEASURE (case.h) of c. */
static json_t *countermeasure_json(const struct kk_countermeasure *c)
{
	json_t *fv = c->fixed_versions ? json_loads(c->fixed_versions, 0, NULL) : json_array();
	json_t *urls = c->urls ? json_loads(c->urls, 0, NULL) : json_array();

	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "vulnerability", c->number, "product_id",
			 c->product_id ? json_integer(c->product_id) : json_null(), "product_name",
			 kk_json_str_or_null(c->product_name), "fixed_versions", fv ? fv : json_array(), "urls",
			 urls ? urls : json_array(), "workaround_ja", kk_json_str_or_null(c->workaround_ja),
			 "workaround_en", kk_json_str_or_null(c->workaround_en), "updated_at",
			 (json_int_t)c->updated_at);
}

enum kk_result kk_case_countermeasure_put(struct kk_store *s, const struct kk_user *actor, const char *ref,
					  const json_t *body, json_t **out, struct kk_error *err)
{
	struct kk_countermeasure c = { 0 };
	struct kk_case_vendor cv = { 0 };
	struct kk_vuln v = { 0 };
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *detail = NULL;
	enum kk_result res;

	if (out)
		*out = NULL;
	memset(&cx, 0, sizeof(cx));
	res = parse_countermeasure(body, &c, err);
	if (res)
		goto done;
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_VENDOR_WRITE, &tx, &cx, err);
	if (res)
		goto done;
	res = case_whose(&tx, actor, &cx, body, &cv, err);
	if (!res && (res = kk_vulns_load(&tx, cx.c.id, c.number, &v, err)) == KK_ENOTFOUND)
		res = kk_error_field(err, "vulnerability", _("There is no vulnerability %d in this case."), c.number);
	if (!res && c.product_id) {
		struct kk_product p;

		memset(&p, 0, sizeof(p));
		res = kk_vrec_product_load(&tx, cv.vendor_id, c.product_id, &p, err);
		if (res == KK_ENOTFOUND)
			res = kk_error_field(err, "product_id", _("The vendor has no product %lld."),
					     (long long)c.product_id);
		kk_product_release(&p);
	}
	if (!res) {
		/* SPEC 2.7: the same vulnerability and product: the new one replaces the old */
		c.case_vendor_id = cv.id;
		c.vuln_id = v.id;
		c.updated_at = kk_now();
		c.updated_by = actor->id;
		res = kk_countermeasures_put(&tx, &c, err);
	}
	if (!res) {
		detail = json_pack("{s:I, s:i, s:o, s:o}", "vendor_id", (json_int_t)cv.vendor_id, "vulnerability",
				   c.number, "product_id", c.product_id ? json_integer(c.product_id) : json_null(),
				   "product_name", kk_json_str_or_null(c.product_name));
		res = detail ? kk_audit_record(&tx, actor, "case", cx.c.id, "countermeasure.put", NULL, NULL, detail,
					       err)
			     : kk_error_nomem(err);
	}
	/* G IV.4.9, issue 12: a published advisory shows the new countermeasure at once */
	if (!res)
		res = kk_advisory_vendor_updated(&tx, cx.c.id, cv.vendor_id, "vendor_countermeasure", err);
	if (!res && out && !(*out = countermeasure_json(&c)))
		res = kk_error_nomem(err);
	res = case_end(&tx, res, out, err);
done:
	json_decref(detail);
	kk_countermeasure_release(&c);
	kk_vuln_release(&v);
	kk_case_vendor_release(&cv);
	case_ctx_release(&cx);
	return res;
}

/* Replaces *slot with a copy of s (NULL clears it). */
static int set_text(char **slot, const char *s)
{
	char *copy = s ? kk_strdup(s) : NULL;

	if (s && !copy)
		return -1;
	free(*slot);
	*slot = copy;
	return 0;
}

enum kk_result kk_case_statement_put(struct kk_store *s, const struct kk_user *actor, const char *ref,
				     const json_t *body, json_t **out, struct kk_error *err)
{
	static const char *const members[] = { "ja", "en", "vendor_id", NULL };
	struct kk_case_vendor cv = { 0 };
	const char *ja, *en;
	struct case_ctx cx;
	struct kk_tx tx;
	json_t *detail = NULL;
	enum kk_result res;

	if (out)
		*out = NULL;
	memset(&cx, 0, sizeof(cx));
	if (!case_only_members(body, members, err) && !json_is_object(body))
		return KK_EINVAL;
	ja = case_text(body, "ja", 0, KK_CASE_TEXT_MAX, 1, err);
	en = case_text(body, "en", 0, KK_CASE_TEXT_MAX, 1, err);
	if (!kk_error_has_fields(err) && kk_str_empty(ja) && kk_str_empty(en))
		kk_error_field(err, "ja", "%s", _("Give the statement in Japanese, in English or both."));
	if (kk_error_has_fields(err))
		return KK_EINVAL;
	res = case_begin(s, 1, actor, ref, KK_ACT_CASE_VENDOR_WRITE, &tx, &cx, err);
	if (res)
		return res;
	res = case_whose(&tx, actor, &cx, body, &cv, err);
	if (!res && (set_text(&cv.statement_ja, kk_str_empty(ja) ? NULL : ja) != 0 ||
		     set_text(&cv.statement_en, kk_str_empty(en) ? NULL : en) != 0))
		res = kk_error_nomem(err);
	if (!res) {
		/* SPEC 2.11, 4.6: printed with the advisory when the vendor asks */
		cv.statement_at = kk_now();
		res = kk_case_vendors_save(&tx, &cv, err);
	}
	if (!res) {
		detail = json_pack("{s:I}", "vendor_id", (json_int_t)cv.vendor_id);
		res = detail ? kk_audit_record(&tx, actor, "case", cx.c.id, "statement.put", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	/* SPEC 2.11, issue 12: a published advisory shows the new statement at once */
	if (!res)
		res = kk_advisory_vendor_updated(&tx, cx.c.id, cv.vendor_id, "vendor_statement", err);
	if (!res && out &&
	    !(*out = json_pack("{s:o, s:o, s:I}", "ja", kk_json_str_or_null(cv.statement_ja), "en",
			       kk_json_str_or_null(cv.statement_en), "updated_at", (json_int_t)cv.statement_at)))
		res = kk_error_nomem(err);
	res = case_end(&tx, res, out, err);
	json_decref(detail);
	kk_case_vendor_release(&cv);
	case_ctx_release(&cx);
	return res;
}
