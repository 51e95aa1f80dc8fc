/*
 * page_candidates.c: the vendors of a report on the intake report page
 * (templates/report_vendors.html; SPEC 2.5, G IV.4.2): the ranked candidate
 * vendors with the basis of each, the coordinator's form to confirm a set,
 * and the vendors confirmed so far. The core (vendor_candidates.h) ranks,
 * decides who may see and confirm, and records; this file only turns its JSON
 * into the view, in the reader's language, and a form into its JSON.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/authz.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "keikai/vendor_candidates.h"
#include "handlers.h"
#include "page.h"
#include "page_candidates.h"

/* The name in the reader's language when the registry has it, else the other. */
static const char *name_in(struct kk_req *r, const json_t *o, const char *ja_key, const char *en_key)
{
	return kk_vendor_name_in(kk_lang_code(r->lang), json_string_value(json_object_get(o, ja_key)),
				 json_string_value(json_object_get(o, en_key)));
}

static const char *rule_label(const char *rule)
{
	if (!rule)
		return "";
	if (strcmp(rule, "vendor-name") == 0)
		return _("vendor name");
	if (strcmp(rule, "product-name") == 0)
		return _("product name");
	if (strcmp(rule, "cpe") == 0)
		return _("CPE name");
	if (strcmp(rule, "embeds") == 0)
		return _("a registered product embeds it");
	return _("distributor");
}

/* The basis of a candidate in words: "RULE: TEXT → MATCHED; …". */
static const char *basis_text(struct kk_req *r, const json_t *basis)
{
	struct kk_buf b;
	const json_t *x;
	const char *out;
	size_t i;
	char *s;

	kk_buf_init(&b, 4096);
	json_array_foreach(basis, i, x) {
		const char *text = json_string_value(json_object_get(x, "text"));
		const char *matched = json_string_value(json_object_get(x, "matched"));

		kk_buf_addf(&b, "%s%s", i ? "; " : "", rule_label(json_string_value(json_object_get(x, "rule"))));
		if (text || matched)
			kk_buf_addf(&b, ": %s → %s", text ? text : "", matched ? matched : "");
	}
	s = kk_buf_detach(&b);
	out = s ? kk_req_strdup(r, s) : NULL;
	free(s);
	return out;
}

static const char *products_text(struct kk_req *r, const json_t *products)
{
	struct kk_buf b;
	const json_t *p;
	size_t i;
	char *s;
	const char *out;

	kk_buf_init(&b, 4096);
	json_array_foreach(products, i, p)
		kk_buf_addf(&b, "%s%s", i ? ", " : "", name_in(r, p, "product_name_ja", "product_name_en"));
	s = kk_buf_detach(&b);
	out = s ? kk_req_strdup(r, s) : NULL;
	free(s);
	return out;
}

static int is_confirmed(const json_t *confirmed, int64_t vendor_id)
{
	const json_t *c;
	size_t i;

	json_array_foreach(confirmed, i, c)
		if (json_integer_value(json_object_get(c, "vendor_id")) == vendor_id)
			return 1;
	return 0;
}

static void fill_confirmed(struct kk_req *r, struct report_vendors_view *v, const json_t *list)
{
	struct confirmed_row *rows = kk_req_alloc(r, (json_array_size(list) + 1) * sizeof(*rows));
	const json_t *c;
	size_t i;

	if (!rows)
		return;
	json_array_foreach(list, i, c) {
		const json_t *basis = json_object_get(c, "basis");
		char *text = json_is_string(basis) ? NULL : kk_json_dumps(basis, JSON_COMPACT | JSON_ENCODE_ANY);

		rows[i].vendor_id = (long long)json_integer_value(json_object_get(c, "vendor_id"));
		rows[i].name = kk_req_strdup(r, name_in(r, c, "vendor_name_ja", "vendor_name_en"));
		rows[i].basis = json_is_string(basis) ? kk_req_strdup(r, json_string_value(basis))
						      : kk_req_strdup(r, text && !json_is_null(basis) ? text : "");
		page_when_iso(json_string_value(json_object_get(c, "confirmed_at")), &rows[i].when);
		free(text);
	}
	v->confirmed = rows;
	v->n_confirmed = json_array_size(list);
}

static void fill_candidates(struct kk_req *r, struct report_vendors_view *v, const json_t *list,
			    const json_t *confirmed)
{
	struct candidate_row *rows = kk_req_alloc(r, (json_array_size(list) + 1) * sizeof(*rows));
	const json_t *c;
	size_t i;

	if (!rows)
		return;
	json_array_foreach(list, i, c) {
		int64_t id = json_integer_value(json_object_get(c, "vendor_id"));

		rows[i].field = kk_req_printf(r, "vendor.%lld", (long long)id);
		rows[i].basis_field = kk_req_printf(r, "basis.%lld", (long long)id);
		rows[i].name = kk_req_strdup(r, name_in(r, c, "vendor_name_ja", "vendor_name_en"));
		rows[i].products = products_text(r, json_object_get(c, "products"));
		rows[i].basis = basis_text(r, json_object_get(c, "basis"));
		rows[i].score = (int)json_integer_value(json_object_get(c, "score"));
		rows[i].confirmed = is_confirmed(confirmed, id);
	}
	v->candidates = rows;
	v->n_candidates = json_array_size(list);
}

const struct report_vendors_view *page_candidates_view(struct kk_req *r, const struct kk_report *rep,
						       const char *id_enc, const char *error)
{
	struct report_vendors_view *v;
	struct kk_error err = KK_ERROR_INIT;
	json_t *cands = NULL, *confirmed = NULL;

	/* SPEC 2.5: for those who identify vendors, on product reports */
	if (rep->kind != KK_REPORT_PRODUCT || !kk_may(&r->user, KK_ACT_REPORT_VENDORS_READ, NULL))
		return NULL;
	v = kk_req_alloc(r, sizeof(*v));
	if (!v)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->id_enc = id_enc;
	v->error = error;
	v->may_confirm = kk_may(&r->user, KK_ACT_REPORT_VENDORS_CONFIRM, NULL);
	if (kk_report_vendors_get(r->store, &r->user, rep->tracking_id, &confirmed, &err) == KK_OK)
		fill_confirmed(r, v, json_object_get(confirmed, "vendors"));
	kk_error_clear(&err);
	if (rep->status != KK_REPORT_ACCEPTED)
		v->notice = _("Candidate vendors are shown once the report is accepted.");
	else if (kk_vendor_candidates(r->store, &r->user, rep->tracking_id, &cands, &err) != KK_OK)
		v->notice = kk_req_strdup(r, err.msg);
	else
		fill_candidates(r, v, json_object_get(cands, "candidates"), json_object_get(confirmed, "vendors"));
	json_decref(cands);
	json_decref(confirmed);
	kk_error_release(&err);
	return v;
}

/* POST /intake/reports/{tracking_id}/vendors: the checked vendors
 * ("vendor.ID" = "1"), each with its basis ("basis.ID"), confirmed (SPEC 2.5). */
void page_report_vendors_confirm(struct kk_req *r)
{
	const char *id = r->params[0];
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = json_pack("{s:[]}", "vendors"), *list = json_object_get(body, "vendors"), *value;
	const char *key;
	enum kk_result res;
	int lost = !body;

	json_object_foreach(r->form, key, value) {
		int64_t vendor_id;
		const char *basis;

		if (lost || strncmp(key, "vendor.", 7) != 0 || kk_parse_id(key + 7, &vendor_id) != 0)
			continue;
		basis = kk_req_field(r, kk_req_printf(r, "basis.%s", key + 7));
		lost |= json_array_append_new(list, json_pack("{s:I, s:s?}", "vendor_id", (json_int_t)vendor_id, "basis",
							      basis)) != 0;
	}
	if (lost) {
		page_error(r, 500, _("Out of memory."));
		goto out;
	}
	res = kk_report_vendors_confirm(r->store, &r->user, id, body, NULL, &err);
	if (res == KK_OK) {
		char *enc = page_urlenc(r, id);

		kk_reply_redirect(r, enc ? kk_req_printf(r, "/intake/reports/%s#vendors", enc) : "/intake");
	} else if (res == KK_EINVAL && json_array_size(list) == 0) {
		page_error(r, 400, _("Check at least one vendor to confirm."));
	} else {
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such report.") : err.msg);
	}
out:
	json_decref(body);
	kk_error_release(&err);
}

/* POST /intake/reports/{tracking_id}/vendors/{vendor_id}/remove: a confirmed
 * vendor taken off the list (SPEC 2.5), back to the report. */
void page_report_vendor_remove(struct kk_req *r)
{
	const char *id = r->params[0];
	struct kk_error err = KK_ERROR_INIT;
	int64_t vendor = kk_req_param_id(r, 1, 0);
	enum kk_result res;

	if (!vendor) {
		page_error(r, 404, _("There is no such vendor among the confirmed ones."));
		return;
	}
	res = kk_report_vendors_remove(r->store, &r->user, id, vendor, NULL, &err);
	if (res == KK_OK) {
		char *enc = page_urlenc(r, id);

		kk_reply_redirect(r, enc ? kk_req_printf(r, "/intake/reports/%s#vendors", enc) : "/intake");
	} else {
		page_error(r, kk_status_for(res), err.msg);
	}
	kk_error_release(&err);
}
