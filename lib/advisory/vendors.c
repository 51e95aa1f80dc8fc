/*
 * vendors.c: every vendor's status in an advisory (SPEC 2.11, G IV.4.9,
 * 付録B V.一.3(6); issue 12 item 3). The advisory lists every vendor notified
 * of the case -- live from the case's data, never copied into the advisory --
 * with its status per vulnerability, its countermeasures and its statement,
 * "no response" for a vendor that never answered, and when it last reported
 * anything. So a vendor's new status, countermeasure or statement after
 * publication shows at once; kk_advisory_vendor_updated (called by lib/case/
 * in the same transaction) adds the public history entry and bumps the
 * advisory's updated time ("updated every time", G IV.4.9). The
 * countermeasures the vendors reported also pre-fill the coordinator's first
 * draft (SPEC 6 (6), (7)).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/advisory_search.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "internal.h"
#include "store/case_vendors.h"
#include "store/cases.h"

/* SPEC 2.11, 付録B V.一.3(6): a vendor that has not reported a verification
 * result is "no response"; one that asked for the detail is investigating. */
static const char *public_status(const char *s)
{
	if (!strcmp(s, "notified") || !strcmp(s, "summary_read") || !strcmp(s, "no_response") ||
	    !strcmp(s, "not_notified"))
		return "no_response";
	if (!strcmp(s, "detail_requested"))
		return "investigating";
	return s;
}

/* A vendor's report, not the coordinator's notice or keikai's silence. */
static int vendor_made(const char *s)
{
	return strcmp(public_status(s), "no_response") != 0;
}

struct collected {
	json_t *statuses; /* vendor id -> [{"vulnerability", "status", "status_label", "updated_at"}] */
	json_t *last;     /* vendor id -> its last report's time */
};

static void note_time(json_t *last, const char *key, int64_t t)
{
	if (t && t > json_integer_value(json_object_get(last, key)))
		json_object_set_new(last, key, json_integer(t));
}

static enum kk_result collect(int64_t vendor_id, const struct kk_vendor_status *st, void *arg, struct kk_error *err)
{
	struct collected *c = arg;
	const char *shown = public_status(st->status);
	char key[24];
	json_t *arr, *row;

	snprintf(key, sizeof(key), "%lld", (long long)vendor_id);
	arr = json_object_get(c->statuses, key);
	if (!arr && (json_object_set_new(c->statuses, key, json_array()) || !(arr = json_object_get(c->statuses, key))))
		return kk_error_nomem(err);
	/* the status note is the vendor's word to the coordinator, not for the public */
	row = json_pack("{s:i, s:s, s:s, s:o}", "vulnerability", st->number, "status", shown, "status_label",
			kk_flow_state_label(&kk_vendor_status_flow, shown), "updated_at",
			vendor_made(st->status) ? json_integer(st->updated_at) : json_null());
	if (!row || json_array_append_new(arr, row))
		return kk_error_nomem(err);
	if (vendor_made(st->status))
		note_time(c->last, key, st->updated_at);
	return KK_OK;
}

/* The last time of the countermeasures cms (an array of COUNTERMEASURE). */
static int64_t cm_last(const json_t *cms)
{
	int64_t t = 0;
	json_t *cm;
	size_t i;

	json_array_foreach(cms, i, cm)
		if (json_integer_value(json_object_get(cm, "updated_at")) > t)
			t = json_integer_value(json_object_get(cm, "updated_at"));
	return t;
}

static json_t *statement_json(const struct kk_case_vendor *v)
{
	if (kk_str_empty(v->statement_ja) && kk_str_empty(v->statement_en))
		return json_null();
	return json_pack("{s:o, s:o, s:I}", "ja", kk_json_str_or_null(v->statement_ja), "en",
			 kk_json_str_or_null(v->statement_en), "updated_at", (json_int_t)v->statement_at);
}

/* Whether every status in sts is "no response" (or there is none). */
static int no_response(const json_t *sts)
{
	json_t *s;
	size_t i;

	json_array_foreach(sts, i, s)
		if (strcmp(json_string_value(json_object_get(s, "status")), "no_response") != 0)
			return 0;
	return 1;
}

enum kk_result adv_vendors_json(struct kk_tx *tx, int64_t case_id, int64_t only_vendor, json_t *arr,
				struct kk_error *err)
{
	struct collected c = { json_object(), json_object() };
	json_t *cms = json_object();
	struct kk_case_vendor *vs = NULL;
	size_t n = 0;
	enum kk_result res = c.statuses && c.last && cms ? KK_OK : kk_error_nomem(err);

	if (!res)
		res = kk_vendor_statuses_each_of_case(tx, case_id, collect, &c, err);
	if (!res)
		res = kk_countermeasures_json_of_case(tx, case_id, cms, err);
	if (!res)
		res = kk_case_vendors_list(tx, case_id, &vs, &n, err);
	for (size_t i = 0; !res && i < n; i++) {
		const struct kk_case_vendor *v = &vs[i];
		char key[24];
		json_t *sts, *mine, *entry;
		int64_t last;
		int silent;

		/* SPEC 2.11: every vendor notified of the case, none that was not */
		if (!v->notified_at || (only_vendor && v->vendor_id != only_vendor))
			continue;
		snprintf(key, sizeof(key), "%lld", (long long)v->vendor_id);
		sts = json_object_get(c.statuses, key);
		mine = json_object_get(cms, key);
		silent = no_response(sts) && !v->answered_at && !json_array_size(mine) && kk_str_empty(v->statement_ja) &&
			 kk_str_empty(v->statement_en);
		last = json_integer_value(json_object_get(c.last, key));
		if (v->answered_at > last)
			last = v->answered_at;
		if (cm_last(mine) > last)
			last = cm_last(mine);
		if (v->statement_at > last)
			last = v->statement_at;
		entry = json_pack("{s:I, s:s?, s:o, s:o, s:b, s:o, s:o, s:o, s:o}", "vendor_id", (json_int_t)v->vendor_id,
				  "name", case_vendor_name(v->name_ja, v->name_en), "name_ja",
				  kk_json_str_or_null(v->name_ja), "name_en", kk_json_str_or_null(v->name_en), "no_response",
				  silent, "statuses", sts ? json_incref(sts) : json_array(), "countermeasures",
				  mine ? json_incref(mine) : json_array(), "statement", statement_json(v), "updated_at",
				  last ? json_integer(last) : json_null());
		if (!entry || json_array_append_new(arr, entry) != 0)
			res = kk_error_nomem(err);
	}
	kk_case_vendors_free(vs, n);
	json_decref(c.statuses);
	json_decref(c.last);
	json_decref(cms);
	return res;
}

/* ---- the first draft ---- */

/* Appends a line "- PRODUCT: fixed in VERSIONS" (in the reader's language)
 * and the URLs of one countermeasure to b. */
static void cm_lines(struct kk_buf *b, const json_t *cm, enum kk_lang lang)
{
	const char *product = json_string_value(json_object_get(cm, "product_name"));
	const json_t *versions = json_object_get(cm, "fixed_versions"), *urls = json_object_get(cm, "urls"), *v;
	size_t i;

	if (!json_array_size(versions) && !json_array_size(urls))
		return;
	kk_buf_addf(b, "- %s", !kk_str_empty(product) ? product : lang == KK_LANG_EN ? "All products" : "全製品");
	if (json_array_size(versions)) {
		kk_buf_adds(b, lang == KK_LANG_EN ? ": fixed in " : ": 修正版 ");
		json_array_foreach(versions, i, v)
			kk_buf_addf(b, "%s%s", i ? ", " : "", json_string_value(v));
	}
	kk_buf_adds(b, "\n");
	json_array_foreach(urls, i, v)
		kk_buf_addf(b, "  - <%s>\n", json_string_value(v));
}

/* The countermeasures (workarounds: member workaround_LANG) of every
 * notified vendor as Markdown in lang: the vendor's name in bold, then its
 * lines. */
static char *prefill_text(struct kk_case_vendor *vs, size_t n, const json_t *cms, enum kk_lang lang, int workarounds)
{
	struct kk_buf b;

	kk_buf_init(&b, KK_ADVISORY_TEXT_MAX);
	for (size_t i = 0; i < n; i++) {
		const char *name = lang == KK_LANG_EN ? (vs[i].name_en ? vs[i].name_en : vs[i].name_ja)
						      : (vs[i].name_ja ? vs[i].name_ja : vs[i].name_en);
		const json_t *mine, *cm;
		struct kk_buf part;
		char key[24];
		size_t k;

		snprintf(key, sizeof(key), "%lld", (long long)vs[i].vendor_id);
		mine = json_object_get(cms, key);
		if (!vs[i].notified_at || !json_array_size(mine))
			continue;
		kk_buf_init(&part, KK_ADVISORY_TEXT_MAX);
		json_array_foreach(mine, k, cm) {
			const char *w = json_string_value(
				json_object_get(cm, lang == KK_LANG_EN ? "workaround_en" : "workaround_ja"));

			if (!workarounds)
				cm_lines(&part, cm, lang);
			else if (!kk_str_empty(w))
				kk_buf_addf(&part, "%s\n", w);
		}
		if (part.len)
			kk_buf_addf(&b, "%s**%s**\n\n%s", b.len ? "\n" : "", name ? name : "", part.data);
		kk_buf_release(&part);
	}
	return kk_buf_detach(&b);
}

/* Whether arr holds the string s (or, s NULL, the integer n). */
static int listed(const json_t *arr, const char *s, int64_t n)
{
	json_t *v;
	size_t i;

	json_array_foreach(arr, i, v)
		if (s ? json_is_string(v) && !strcmp(json_string_value(v), s) : json_integer_value(v) == n)
			return 1;
	return 0;
}

/* The case's vulnerabilities' CVSS (the first that has one), CVE and CWE. */
static enum kk_result prefill_vulns(struct kk_tx *tx, int64_t case_id, json_t *content, struct kk_error *err)
{
	struct kk_vuln *v = NULL;
	size_t n = 0;
	enum kk_result res = kk_vulns_list(tx, case_id, &v, &n, err);
	int bad = 0;

	for (size_t i = 0; !res && i < n; i++) {
		if (v[i].cvss3_vector && json_is_null(json_object_get(content, "cvss3")))
			bad |= json_object_set_new(content, "cvss3", json_string(v[i].cvss3_vector));
		if (v[i].cvss4_vector && json_is_null(json_object_get(content, "cvss4")))
			bad |= json_object_set_new(content, "cvss4", json_string(v[i].cvss4_vector));
		if (v[i].cve_id && !listed(json_object_get(content, "cves"), v[i].cve_id, 0))
			bad |= json_array_append_new(json_object_get(content, "cves"), json_string(v[i].cve_id));
		if (v[i].cwe_id && !listed(json_object_get(content, "cwes"), NULL, v[i].cwe_id))
			bad |= json_array_append_new(json_object_get(content, "cwes"), json_integer(v[i].cwe_id));
	}
	kk_vulns_free(v, n);
	return !res && bad ? kk_error_nomem(err) : res;
}

enum kk_result adv_prefill(struct kk_tx *tx, int64_t case_id, json_t *content, struct kk_error *err)
{
	struct kk_case_vendor *vs = NULL;
	json_t *cms = json_object(), *texts = json_object_get(content, "texts");
	size_t n = 0;
	enum kk_result res = cms ? KK_OK : kk_error_nomem(err);

	if (!res)
		res = kk_countermeasures_json_of_case(tx, case_id, cms, err);
	if (!res)
		res = kk_case_vendors_list(tx, case_id, &vs, &n, err);
	for (int l = 0; !res && l < 2; l++) {
		enum kk_lang lang = l ? KK_LANG_EN : KK_LANG_JA;
		json_t *t = json_object_get(texts, kk_lang_code(lang));
		char *cm = prefill_text(vs, n, cms, lang, 0), *wa = prefill_text(vs, n, cms, lang, 1);

		if (!cm || !wa || json_object_set_new(t, "countermeasures", json_string(cm)) ||
		    json_object_set_new(t, "workarounds", json_string(wa)))
			res = kk_error_nomem(err);
		free(cm);
		free(wa);
	}
	if (!res)
		res = prefill_vulns(tx, case_id, content, err);
	kk_case_vendors_free(vs, n);
	json_decref(cms);
	return res;
}

/* ---- after publication (G IV.4.9) ---- */

enum kk_result kk_advisory_vendor_updated(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, const char *what,
					  struct kk_error *err)
{
	struct kk_advisory a;
	int64_t now = kk_now();
	int added = 0;
	enum kk_result res = kk_advisories_load(tx, case_id, 0, NULL, &a, err);

	if (res == KK_ENOTFOUND)
		return KK_OK; /* no advisory: nothing public to update */
	if (!res && !strcmp(a.state, "published")) {
		/* G IV.4.9: "updated every time", with a history entry the feeds follow */
		res = kk_advisory_history_add(tx, a.id, what, vendor_id, 0, NULL, NULL, now, &added, err);
		if (!res)
			res = kk_advisories_touch(tx, a.id, now, err);
		/* issue 12 item 6: the search finds the vendor's new products */
		if (!res)
			res = kk_advisory_search_index(tx, a.id, err);
	}
	kk_advisory_release(&a);
	return res;
}
