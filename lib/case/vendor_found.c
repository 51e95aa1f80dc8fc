/*
 * vendor_found.c: a vendor registers a vulnerability it found in its own
 * product, with the fix (vendor_found.h; issue 10, SPEC 2.14, G IV.6). It
 * becomes a case like one opened from reports, made in one transaction: no
 * reports, the vendor alone on it and already notified (it knows everything:
 * summary read, detail asked for), its status "fixed" with the countermeasure,
 * day 0 = now with the date proposed from it (case_date_propose), and the date
 * the vendor wishes recorded as its answer to the proposed one, so the
 * coordinator, who sets the one date (SPEC 2.8), sees it. Every field is
 * checked before anything is written; the faults are named all at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/calendar.h"
#include "keikai/clock.h"
#include "keikai/cvss.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "keikai/vendor_found.h"
#include "internal.h"
#include "store/case_dates.h"
#include "store/cwe_entries.h"
#include "store/vendor_records.h"
#include "vendor_status.h"

#define PRODUCT_NAME_MAX 200 /* characters, as a countermeasure's */
#define VERSIONS_MAX 50
#define VERSION_LEN 100
#define URLS_MAX 20
#define URL_LEN 2000
#define REASON_MAX 4000 /* bytes */

static const char *const members[] = { "title", "summary", "detail", "product_id", "product_name", "cwe",
				       "cvss3", "fixed_versions", "urls", "workaround_ja", "workaround_en", "date",
				       "reason", NULL };

/* What a valid body asks for; the texts point into the body. */
struct own_finding {
	const char *title, *summary, *detail, *product_name, *workaround_ja, *workaround_en, *reason;
	int64_t product_id;
	int cwe;
	char cvss3[KK_CVSS_VECTOR_MAX];
	int cvss3_tenths;       /* -1: none */
	char *fixed_versions, *urls; /* JSON arrays (case_body_list), owned */
	const char *date;       /* "2027-03-01" or NULL */
};

static void finding_release(struct own_finding *f)
{
	free(f->fixed_versions);
	free(f->urls);
}

static const char *translate(const char *msgid)
{
	return gettext(msgid);
}

/* Whether err names field path already. */
static int has_field(const struct kk_error *err, const char *path)
{
	return err && json_object_get(err->fields, path) != NULL;
}

/* The members that need no database, each fault a field error in err. */
static void parse(const json_t *body, struct own_finding *f, struct kk_error *err)
{
	const json_t *pid = json_object_get(body, "product_id"), *cwe = json_object_get(body, "cwe"),
		     *cvss = json_object_get(body, "cvss3"), *date = json_object_get(body, "date");

	f->cvss3_tenths = -1;
	case_only_members(body, members, err);
	f->title = case_text(body, "title", 1, KK_CASE_TITLE_MAX, 0, err);
	f->summary = case_text(body, "summary", 1, KK_CASE_TEXT_MAX, 1, err);
	f->detail = case_text(body, "detail", 1, KK_CASE_TEXT_MAX, 1, err);
	if (pid && !json_is_null(pid) && (!json_is_integer(pid) || json_integer_value(pid) < 1))
		kk_error_field(err, "product_id", "%s", _("Must be a product id (a whole number from 1)."));
	else if (json_is_integer(pid))
		f->product_id = json_integer_value(pid);
	f->product_name = case_text(body, "product_name", 0, PRODUCT_NAME_MAX, 0, err);
	if (!f->product_id && kk_str_empty(f->product_name) && !json_is_integer(pid) &&
	    !has_field(err, "product_name"))
		kk_error_field(err, "product_id", "%s", _("Give one of your products, or the product's name."));
	if (json_is_integer(cwe) && json_integer_value(cwe) >= 1 && json_integer_value(cwe) <= KK_CWE_ID_MAX)
		f->cwe = (int)json_integer_value(cwe);
	else if (json_is_string(cwe)) {
		struct kk_error perr = KK_ERROR_INIT;

		if (kk_cwe_parse_id(json_string_value(cwe), &f->cwe, &perr) != KK_OK)
			kk_error_field(err, "cwe", "%s", perr.code ? perr.msg : _("Must be a CWE id such as 79 or \"CWE-79\"."));
		kk_error_release(&perr);
	} else if (cwe && !json_is_null(cwe))
		kk_error_field(err, "cwe", "%s", _("Must be a CWE id such as 79 or \"CWE-79\"."));
	if (json_is_string(cvss)) {
		struct kk_cvss_error cerr;
		struct kk_cvss c;
		char msg[256];

		if (kk_cvss_parse_str(json_string_value(cvss), &c, &cerr) != 0) {
			kk_cvss_format_error(&cerr, translate, msg, sizeof(msg));
			kk_error_field(err, "cvss3", "%s", msg);
		} else if (c.version != KK_CVSS_V3_1 && c.version != KK_CVSS_V3_0) {
			kk_error_field(err, "cvss3", "%s", _("Must be a CVSS v3.1 vector (CVSS:3.1/…)."));
		} else {
			kk_cvss_canonical(&c, f->cvss3, sizeof(f->cvss3));
			f->cvss3_tenths = c.base;
		}
	} else if (cvss && !json_is_null(cvss))
		kk_error_field(err, "cvss3", "%s", _("Must be a CVSS vector or null."));
	/* SPEC 2.14: registered "together with the fix" */
	case_body_list(body, "fixed_versions", VERSIONS_MAX, VERSION_LEN, 0, &f->fixed_versions, err);
	case_body_list(body, "urls", URLS_MAX, URL_LEN, 1, &f->urls, err);
	if (!has_field(err, "fixed_versions") && !has_field(err, "urls") && !f->fixed_versions && !f->urls)
		kk_error_field(err, "fixed_versions", "%s", _("Give the fix: fixed versions, URLs or both."));
	f->workaround_ja = case_text(body, "workaround_ja", 0, KK_CASE_TEXT_MAX, 1, err);
	f->workaround_en = case_text(body, "workaround_en", 0, KK_CASE_TEXT_MAX, 1, err);
	if (date && !json_is_null(date)) {
		if (!json_is_string(date))
			kk_error_field(err, "date", "%s", _("Must be a date such as 2027-02-18."));
		else
			f->date = json_string_value(date);
	}
	f->reason = case_text(body, "reason", f->date != NULL, REASON_MAX, 1, err);
}

/* The checks that need the database: the product is the vendor's, the CWE
 * is in the catalogue (when one is loaded), the wished date is a business
 * day in the future (*wanted). Field errors in err. */
static enum kk_result check(struct kk_tx *tx, const struct kk_user *actor, struct own_finding *f,
			    struct kk_product *p, int64_t *wanted, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	int filled = 0;

	if (f->product_id) {
		res = kk_vrec_product_load(tx, actor->vendor_id, f->product_id, p, err);
		if (res == KK_ENOTFOUND)
			res = kk_error_field(err, "product_id", _("Your vendor has no product %lld."),
					     (long long)f->product_id);
	}
	if ((!res || res == KK_EINVAL) && f->cwe && !(res = kk_cwe_entries_filled(tx, &filled, err)) && filled) {
		struct kk_cwe c;

		res = kk_cwe_entries_get(tx, f->cwe, &c, err);
		if (res == KK_OK)
			kk_cwe_release(&c);
		else if (res == KK_ENOTFOUND)
			res = kk_error_field(err, "cwe", _("The CWE catalogue has no CWE-%d."), f->cwe);
	}
	if ((!res || res == KK_EINVAL) && f->date) {
		struct kk_calendar *cal = NULL;
		char day[KK_DATE_LEN];
		kk_day d;

		res = kk_calendar_load(tx, &cal, err);
		if (!res && kk_day_parse(f->date, &d) != 0)
			kk_error_field(err, "date", "%s", _("Must be a date such as 2027-02-18."));
		else if (!res && (*wanted = kk_calendar_at(cal, d)) <= kk_now())
			kk_error_field(err, "date", _("%s is not in the future."), kk_date_format(*wanted, day));
		else if (!res && !kk_calendar_business(cal, d))
			/* SPEC 2.8: the date is a business day */
			kk_error_field(err, "date", _("%s is not a business day."), kk_date_format(*wanted, day));
		kk_calendar_free(cal);
	}
	if (res && res != KK_EINVAL)
		return res;
	return kk_error_result(err, KK_OK);
}

/* The case, its vulnerability and its vendor. */
static enum kk_result store_case(struct kk_tx *tx, const struct kk_user *actor, const struct own_finding *f,
				 const struct kk_product *p, struct kk_case *c, struct kk_case_vendor *cv,
				 struct kk_vuln *v, struct kk_error *err)
{
	struct kk_vuln_product vp = { 0 };
	int64_t now = kk_now();
	enum kk_result res;

	c->title = (char *)f->title;
	c->summary = (char *)f->summary;
	c->detail = (char *)f->detail;
	c->state = (char *)kk_case_flow.states[0].name;
	c->vendor_found = 1;
	c->created_by = actor->id;
	c->created_at = c->updated_at = now;
	res = case_insert(tx, c, err);
	c->title = c->summary = c->detail = c->state = NULL; /* the body's, not c's */
	if (res)
		return res;
	v->case_id = c->id;
	v->title = (char *)f->title;
	v->description = (char *)f->detail;
	v->cwe_id = f->cwe;
	v->cvss3_vector = f->cvss3[0] ? (char *)f->cvss3 : NULL;
	v->cvss3_score_tenths = f->cvss3_tenths;
	v->cvss4_score_tenths = -1;
	v->created_at = v->updated_at = now;
	res = kk_vulns_insert(tx, v, err);
	v->title = v->description = v->cvss3_vector = NULL;
	if (!res) {
		vp.product_id = p->id;
		vp.vendor_id = actor->vendor_id;
		vp.name = p->id ? NULL : (char *)f->product_name;
		res = kk_vuln_products_replace(tx, v->id, &vp, 1, now, err);
	}
	if (!res) {
		/* SPEC 2.14: that vendor alone, which knows it all already */
		cv->case_id = c->id;
		cv->vendor_id = actor->vendor_id;
		cv->added_by = actor->id;
		cv->added_at = now;
		res = kk_case_vendors_insert(tx, cv, err);
	}
	if (!res) {
		cv->notified_at = cv->summary_read_at = cv->detail_requested_at = now;
		res = kk_case_vendors_save(tx, cv, err);
	}
	/* registered with the fix (G IV.6) */
	if (!res)
		res = kk_vendor_statuses_fill(tx, c->id, "fixed", now, actor->id, err);
	return res;
}

/* The countermeasure, day 0 with the proposed date, the vendor's wish, the audit record. */
static enum kk_result store_rest(struct kk_tx *tx, const struct kk_user *actor, const struct own_finding *f,
				 const struct kk_product *p, const struct kk_case *c, const struct kk_case_vendor *cv,
				 const struct kk_vuln *v, int64_t wanted, struct kk_error *err)
{
	struct kk_countermeasure cm = { 0 };
	struct kk_case after = { 0 };
	int64_t now = kk_now(), day0 = 0;
	json_t *detail = NULL;
	enum kk_result res;

	cm.case_vendor_id = cv->id;
	cm.vuln_id = v->id;
	cm.number = v->number;
	cm.product_id = p->id;
	cm.product_name = p->id ? NULL : (char *)f->product_name;
	cm.fixed_versions = f->fixed_versions;
	cm.urls = f->urls;
	cm.workaround_ja = kk_str_empty(f->workaround_ja) ? NULL : (char *)f->workaround_ja;
	cm.workaround_en = kk_str_empty(f->workaround_en) ? NULL : (char *)f->workaround_en;
	cm.updated_at = now;
	cm.updated_by = actor->id;
	res = kk_countermeasures_put(tx, &cm, err);
	/* SPEC 2.6, 2.8: its registration is day 0; the date is proposed from it */
	if (!res)
		res = kk_cases_fix_day0(tx, c->id, now, &day0, err);
	if (!res)
		res = case_date_propose(tx, &kk_system_user, c->id, day0, err);
	/* SPEC 2.14: "a date agreed with the vendor": its wish is its answer to the proposal */
	if (!res && wanted && !(res = kk_cases_load(tx, NULL, c->id, &after, err)) && after.proposed_at)
		res = kk_case_dates_answer(tx, c->id, actor->vendor_id, after.proposed_at, "other", wanted, f->reason,
					   actor->id, now, err);
	if (!res && !(detail = json_pack("{s:I, s:o, s:o}", "vendor_id", (json_int_t)actor->vendor_id, "product_id",
					 p->id ? json_integer(p->id) : json_null(), "wanted_at",
					 wanted ? json_integer(wanted) : json_null())))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_audit_record(tx, actor, "case", c->id, "register_own", NULL, kk_case_flow.states[0].name, detail,
				      err);
	json_decref(detail);
	kk_case_release(&after);
	return res;
}

enum kk_result kk_case_register_own(struct kk_store *s, const struct kk_user *actor, const json_t *body,
				    json_t **out, struct kk_error *err)
{
	struct kk_error local = KK_ERROR_INIT, *e = err ? err : &local;
	struct own_finding f = { 0 };
	struct kk_object own = { .vendor_id = actor->vendor_id };
	struct kk_product p;
	struct kk_case c = { 0 };
	struct kk_case_vendor cv = { 0 };
	struct kk_vuln v = { 0 };
	struct kk_tx tx;
	int64_t wanted = 0;
	enum kk_result res;

	if (out)
		*out = NULL;
	memset(&p, 0, sizeof(p));
	/* SPEC 2.14: a vendor, for its own vendor */
	if (!actor->vendor_id || !kk_may(actor, KK_ACT_CASE_REGISTER_OWN, &own))
		res = kk_error_set(e, KK_EDENIED, "%s", _("Only a vendor registers a vulnerability it found itself."));
	else if (!json_is_object(body))
		res = kk_error_set(e, KK_EINVAL, "%s", _("The body must be a JSON object."));
	else if (parse(body, &f, e), (res = kk_error_result(e, KK_OK)) != KK_OK && res != KK_EINVAL)
		;
	else if (!(res = kk_tx_begin(s, 1, &tx, e))) {
		/* the faults of the body and those the database shows, all at once */
		res = check(&tx, actor, &f, &p, &wanted, e);
		if (!res)
			res = store_case(&tx, actor, &f, &p, &c, &cv, &v, e);
		if (!res)
			res = store_rest(&tx, actor, &f, &p, &c, &cv, &v, wanted, e);
		res = kk_tx_end(&tx, res, e);
	}
	if (!res && out)
		res = kk_case_get(s, actor, c.ref, out, e);
	finding_release(&f);
	kk_product_release(&p);
	kk_case_release(&c);
	kk_case_vendor_release(&cv);
	kk_vuln_release(&v);
	kk_error_release(&local);
	return res;
}
