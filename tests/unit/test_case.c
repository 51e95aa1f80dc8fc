/*
 * test_case.c: unit tests of the case core's views and changes (lib/case/
 * view.c, list.c, update.c, vulns.c, vendors.c, audit.c; case.h): a case as
 * each kind of reader sees it, where a denied read is a missing case (SPEC
 * 1); finders as letters, their identity only where the policy allows (G
 * IV.3(1)6); the summary always and the detail only after the vendor asked
 * (R §5.1.2); other vendors' names only when the case shares them; the
 * vulnerabilities with CVSS, CWE and CVE checked (SPEC 2.4); vendors added and
 * taken off; the list and its filters; changes, events and the audit trail;
 * and for every refused request, nothing stored. On both engines
 * (tests/unit/meson.build store_tests).
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/case.h"
#include "keikai/cwe.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "keikai/vendor_candidates.h"
#include "unit.h"

/* Every test sets up its parties with unit_parties (unit.h). */

/* A product report (body: NULL for the default one), accepted unless accept is 0. */
static void report(struct unit_parties *w, json_t *body, int accept, char id[24])
{
	if (!body)
		body = unit_report_body("product");
	if (accept)
		unit_accepted_report(w->s, &w->intake, body, id, NULL);
	else
		unit_submit(w->s, body, id, NULL);
}

/* Opens a case from report tid with both vendors on it; its ref into ref. */
static void open_case(struct unit_parties *w, const char *tid, char ref[KK_CASE_REF_MAX])
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body, *out = NULL;

	unit_case_open(w->s, &w->coord, tid, "XSS in the admin page", "A summary of the problem",
		       "The detail: steps and PoC", ref, KK_CASE_REF_MAX);
	body = json_pack("{s:I}", "vendor_id", (json_int_t)w->vid);
	cr_assert_eq(kk_case_vendor_add(w->s, &w->coord, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	body = json_pack("{s:I}", "vendor_id", (json_int_t)w->other_vid);
	cr_assert_eq(kk_case_vendor_add(w->s, &w->coord, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

static void notify(struct unit_parties *w, const char *ref, int64_t vid)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = json_pack("{s:[I]}", "vendor_ids", (json_int_t)vid), *out = NULL;

	cr_assert_eq(kk_case_notify(w->s, &w->coord, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

static void answer(struct unit_parties *w, const struct kk_user *u, const char *ref, const char *what)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = json_pack("{s:s, s:s}", "answer", what, "reason", "Not our product"), *out = NULL;

	cr_assert_eq(kk_case_answer(w->s, u, ref, body, &out, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(out);
	kk_error_release(&err);
}

/* kk_case_get as u: the result; the object into *out (NULL on failure), the message into msg. */
static enum kk_result get_as(struct unit_parties *w, const struct kk_user *u, const char *ref, json_t **out, char msg[256])
{
	struct kk_error err = KK_ERROR_INIT;
	enum kk_result res = kk_case_get(w->s, u, ref, out, &err);

	if (msg)
		snprintf(msg, 256, "%s", err.msg);
	kk_error_release(&err);
	return res;
}

/* Whether the JSON text of j contains s. */
static int holds(const json_t *j, const char *s)
{
	char *text = kk_json_dumps(j, JSON_COMPACT);
	int found = text && strstr(text, s) != NULL;

	cr_assert(text);
	free(text);
	return found;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "(none)";
}

static int64_t count(struct unit_parties *w, const char *sql, const char *param)
{
	return unit_count(w->s, sql, param);
}

/* SPEC 1, R §5.1.2: staff see every vendor and the detail; a vendor nothing
 * before it is notified, then the summary and its own entry only, the detail
 * after it asked; a denied read says what a missing case says. */
Test(case_view, each_reader)
{
	struct unit_parties w;
	char a[24], ref[KK_CASE_REF_MAX], msg[256], missing[256];
	json_t *o = NULL, *v;
	int64_t views;

	unit_parties(&w);
	report(&w, NULL, 1, a);
	open_case(&w, a, ref);

	/* the coordinator: everything but the finder's identity (no consent) */
	cr_assert_eq(get_as(&w, &w.coord, ref, &o, msg), KK_OK, "%s", msg);
	cr_assert_str_eq(str(o, "id"), ref);
	cr_assert_str_eq(str(o, "state"), "open");
	cr_assert_str_eq(str(o, "detail"), "The detail: steps and PoC");
	cr_assert(json_is_null(json_object_get(o, "day0")));
	v = json_array_get(json_object_get(o, "finders"), 0);
	cr_assert_str_eq(str(v, "label"), "Finder A");
	cr_assert_str_eq(str(v, "tracking_id"), a);
	cr_assert_null(json_object_get(v, "identity"), "G IV.3(1)6: no consent, no identity");
	cr_assert(!holds(o, "taro@example.jp") && !holds(o, "山田"));
	cr_assert_eq(json_array_size(json_object_get(o, "vendors")), 2);
	v = json_array_get(json_object_get(o, "vendors"), 0);
	cr_assert_eq(json_integer_value(json_object_get(v, "vendor_id")), w.vid);
	cr_assert_str_eq(str(v, "name"), "Example Corp");
	cr_assert(json_is_array(json_object_get(v, "contact_attempts")));
	cr_assert_str_eq(str(json_array_get(json_object_get(v, "statuses"), 0), "status"), "not_notified");
	cr_assert(json_is_true(json_object_get(json_object_get(o, "may"), "write")));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(o, "coordinator"), "id")), w.coord.id);
	cr_assert(json_is_string(json_array_get(json_object_get(o, "events"), 0)));
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "events"), 0)), "close");
	v = json_array_get(json_object_get(o, "vulnerabilities"), 0);
	cr_assert_eq(json_integer_value(json_object_get(v, "number")), 1);
	cr_assert(json_object_get(v, "description") != NULL, "staff see the vulnerability's detail");
	json_decref(o);

	/* intake: the finder's identity too (SPEC 1), but may not change the case */
	cr_assert_eq(get_as(&w, &w.intake, ref, &o, msg), KK_OK, "%s", msg);
	v = json_object_get(json_array_get(json_object_get(o, "finders"), 0), "identity");
	cr_assert_str_eq(str(v, "email"), "taro@example.jp");
	cr_assert(json_is_false(json_object_get(json_object_get(o, "may"), "write")));
	cr_assert_eq(json_array_size(json_object_get(o, "events")), 0);
	json_decref(o);

	/* a vendor on the case but not notified, another role, a missing case:
	 * all the same answer */
	snprintf(missing, sizeof(missing), "%.3s%s", ref, strcmp(ref + 3, "000000") ? "000000" : "000001");
	cr_assert_eq(get_as(&w, &w.vendor, ref, &o, msg), KK_ENOTFOUND);
	cr_assert_null(o);
	{
		char want[256], mine[256];

		snprintf(want, sizeof(want), "There is no case %s.", ref);
		cr_assert_str_eq(msg, want);
		cr_assert_eq(get_as(&w, &w.coord, missing, &o, mine), KK_ENOTFOUND);
		snprintf(want, sizeof(want), "There is no case %s.", missing);
		cr_assert_str_eq(mine, want);
	}
	cr_assert_eq(get_as(&w, &w.operator, ref, &o, msg), KK_ENOTFOUND);
	cr_assert_eq(get_as(&w, &kk_anonymous, ref, &o, msg), KK_ENOTFOUND);

	/* SPEC 2.6: notified, the vendor sees the summary and its own entry only */
	notify(&w, ref, w.vid);
	cr_assert_eq(get_as(&w, &w.vendor, ref, &o, msg), KK_OK, "%s", msg);
	cr_assert_str_eq(str(o, "summary"), "A summary of the problem");
	cr_assert_null(json_object_get(o, "detail"), "R 5.1.2: no detail before the vendor asks");
	cr_assert_null(json_object_get(o, "attachments"));
	cr_assert_null(json_object_get(o, "finders"));
	cr_assert(json_is_integer(json_object_get(o, "day0")));
	cr_assert_eq(json_array_size(json_object_get(o, "vendors")), 1);
	v = json_array_get(json_object_get(o, "vendors"), 0);
	cr_assert_eq(json_integer_value(json_object_get(v, "vendor_id")), w.vid);
	cr_assert_null(json_object_get(v, "contact_attempts"), "staff only");
	cr_assert(json_is_integer(json_object_get(v, "summary_read_at")), "the first read marks the summary read");
	cr_assert_str_eq(str(json_array_get(json_object_get(v, "statuses"), 0), "status"), "summary_read");
	cr_assert_eq(json_integer_value(json_object_get(o, "other_vendors")), 0, "the other vendor is not notified");
	cr_assert_null(json_object_get(o, "other_vendor_names"));
	v = json_array_get(json_object_get(o, "vulnerabilities"), 0);
	cr_assert_str_eq(str(v, "title"), "XSS in the admin page");
	cr_assert_null(json_object_get(v, "description"));
	cr_assert_null(json_object_get(v, "products"));
	cr_assert(!holds(o, "Other Corp") && !holds(o, "steps and PoC") && !holds(o, a));
	cr_assert(json_is_true(json_object_get(json_object_get(o, "may"), "answer")));
	cr_assert(json_is_false(json_object_get(json_object_get(o, "may"), "write")));
	json_decref(o);
	cr_assert_eq(get_as(&w, &w.other, ref, &o, msg), KK_ENOTFOUND, "the other vendor was not notified");

	/* R §5.1.2: after it asked, the detail, and each read of it is audited */
	answer(&w, &w.vendor, ref, "send_detail");
	views = count(&w, "SELECT COUNT(*) FROM audit WHERE object_type = 'case' AND action = ?", "detail.view");
	cr_assert_eq(get_as(&w, &w.vendor, ref, &o, msg), KK_OK, "%s", msg);
	cr_assert_str_eq(str(o, "detail"), "The detail: steps and PoC");
	cr_assert(json_is_array(json_object_get(o, "attachments")));
	cr_assert(json_object_get(json_array_get(json_object_get(o, "vulnerabilities"), 0), "description") != NULL);
	cr_assert(json_is_false(json_object_get(json_object_get(o, "may"), "answer")), "it answered");
	json_decref(o);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM audit WHERE object_type = 'case' AND action = ?", "detail.view"),
		     views + 1);
	unit_parties_end(&w);
}

/* SPEC 1, G IV.3(1)6: a coordinator sees a finder's identity only where that
 * finder consented; every finder is a letter in the order its report joined. */
Test(case_view, finder_identity_by_consent)
{
	struct unit_parties w;
	char a[24], b[24], ref[KK_CASE_REF_MAX];
	json_t *body = unit_report_body("product"), *o = NULL, *f;
	struct kk_error err = KK_ERROR_INIT;

	unit_parties(&w);
	report(&w, NULL, 1, a);
	unit_set(body, "consent.share_identity", json_true());
	unit_set(body, "finder.email", json_string("hanako@example.jp"));
	report(&w, body, 1, b);
	open_case(&w, a, ref);
	body = json_pack("{s:[s]}", "reports", b);
	cr_assert_eq(kk_case_update(w.s, &w.coord, ref, body, &o, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	f = json_object_get(o, "finders");
	cr_assert_eq(json_array_size(f), 2);
	cr_assert_str_eq(str(json_array_get(f, 0), "label"), "Finder A");
	cr_assert_null(json_object_get(json_array_get(f, 0), "identity"));
	cr_assert_str_eq(str(json_array_get(f, 1), "label"), "Finder B");
	cr_assert_str_eq(str(json_object_get(json_array_get(f, 1), "identity"), "email"), "hanako@example.jp");
	cr_assert(!holds(o, "taro@example.jp"));
	json_decref(o);
	kk_error_release(&err);
	unit_parties_end(&w);
}

/* issue 9 item 4: vendors see how many others there are, their names only
 * when the coordinator shares them. */
Test(case_view, other_vendor_names)
{
	struct unit_parties w;
	char a[24], ref[KK_CASE_REF_MAX];
	json_t *o = NULL, *body;
	struct kk_error err = KK_ERROR_INIT;

	unit_parties(&w);
	report(&w, NULL, 1, a);
	open_case(&w, a, ref);
	notify(&w, ref, w.vid);
	notify(&w, ref, w.other_vid);
	cr_assert_eq(get_as(&w, &w.vendor, ref, &o, NULL), KK_OK);
	cr_assert_eq(json_integer_value(json_object_get(o, "other_vendors")), 1);
	cr_assert_null(json_object_get(o, "other_vendor_names"));
	cr_assert(!holds(o, "Other Corp"));
	json_decref(o);
	body = json_pack("{s:b}", "vendors_see_names", 1);
	cr_assert_eq(kk_case_update(w.s, &w.coord, ref, body, &o, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	json_decref(o);
	cr_assert_eq(get_as(&w, &w.vendor, ref, &o, NULL), KK_OK);
	cr_assert_eq(json_array_size(json_object_get(o, "other_vendor_names")), 1);
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "other_vendor_names"), 0)), "Other Corp");
	/* never the other vendor's standing */
	cr_assert_eq(json_array_size(json_object_get(o, "vendors")), 1);
	json_decref(o);
	kk_error_release(&err);
	unit_parties_end(&w);
}

/* A vulnerability request's result, its field errors joined as "path: message; ". */
static enum kk_result vuln(struct unit_parties *w, const char *ref, int number, const char *json, json_t **out,
			   char fields[1024])
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = json_loads(json, 0, NULL), *o = NULL;
	enum kk_result res;
	const char *key;
	json_t *v;

	cr_assert(body, "%s", json);
	res = number ? kk_case_vuln_update(w->s, &w->coord, ref, number, body, &o, &err)
		     : kk_case_vuln_add(w->s, &w->coord, ref, body, &o, &err);
	fields[0] = '\0';
	if (err.fields)
		json_object_foreach(err.fields, key, v) {
			size_t n = strlen(fields);

			snprintf(fields + n, 1024 - n, "%s; ", key);
		}
	json_decref(body);
	if (out)
		*out = o;
	else
		json_decref(o);
	kk_error_release(&err);
	return res;
}

/* The field paths of got ("a; b; ") are those of want, in any order. */
static void same_fields(const char *got, const char *want)
{
	size_t n = 0;

	for (const char *p = want; (p = strstr(p, "; ")) != NULL; p += 2)
		n++;
	for (const char *p = got; (p = strstr(p, "; ")) != NULL; p += 2)
		n--;
	cr_assert_eq(n, 0, "got %s, want %s", got, want);
	for (const char *p = want; *p;) {
		const char *e = strstr(p, "; ");
		char one[64];

		/* " path; " within " " + got */
		snprintf(one, sizeof(one), " %.*s; ", (int)(e - p), p);
		cr_assert(!strncmp(got, one + 1, strlen(one + 1)) || strstr(got, one) != NULL, "%s missing from %s", one,
			  got);
		p = e + 2;
	}
}

/* SPEC 2.4: vulnerabilities with their CVSS scored, CWE and CVE checked, and
 * affected products; a new one gets a status for every vendor (SPEC 2.7). */
Test(case_vulns, add_update_and_faults)
{
	struct unit_parties w;
	char a[24], ref[KK_CASE_REF_MAX], fields[1024], xml[PATH_MAX];
	json_t *o = NULL, *p;
	struct kk_error err = KK_ERROR_INIT;
	int64_t vulns, audits;

	unit_parties(&w);
	report(&w, NULL, 1, a);
	open_case(&w, a, ref);
	notify(&w, ref, w.vid);
	cr_assert_eq(vuln(&w, ref, 0,
			  "{\"title\": \"SQL injection\", \"description\": \"In the search.\","
			  " \"cwe\": \"CWE-89\", \"cvss3\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\","
			  " \"cvss4\": \"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N\","
			  " \"cve\": \"CVE-2026-12345\", \"products\": [{\"name\": \"Example Router\","
			  " \"cpe\": \"cpe:/a:example:router:1.0\", \"versions\": \"<= 1.2.3\"}]}",
			  &o, fields),
		     KK_OK, "%s", fields);
	cr_assert_eq(json_integer_value(json_object_get(o, "number")), 2);
	cr_assert_str_eq(str(json_object_get(o, "cwe"), "id"), "CWE-89");
	cr_assert(json_is_null(json_object_get(json_object_get(o, "cwe"), "name")), "no catalogue loaded");
	cr_assert_str_eq(str(json_object_get(o, "cvss3"), "severity"), "Critical");
	cr_assert_float_eq(json_real_value(json_object_get(json_object_get(o, "cvss3"), "score")), 9.8, 1e-9);
	cr_assert_float_eq(json_real_value(json_object_get(json_object_get(o, "cvss4"), "score")), 9.3, 1e-9);
	cr_assert_str_eq(str(o, "cve"), "CVE-2026-12345");
	p = json_array_get(json_object_get(o, "products"), 0);
	cr_assert_str_eq(str(p, "cpe"), "cpe:2.3:a:example:router:1.0:*:*:*:*:*:*:*", "a 2.2 URI is kept as 2.3");
	cr_assert_str_eq(str(p, "versions"), "<= 1.2.3");
	json_decref(o);
	/* SPEC 2.7: each vendor's status for it is at that vendor's stage */
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM vendor_statuses s JOIN vulnerabilities v ON v.id = s.vulnerability_id"
			       " WHERE v.idx = 2 AND s.status = ?", "notified"), 1);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM vendor_statuses s JOIN vulnerabilities v ON v.id = s.vulnerability_id"
			       " WHERE v.idx = 2 AND s.status = ?", "not_notified"), 1);

	/* every fault at once, named, and nothing stored */
	vulns = count(&w, "SELECT COUNT(*) FROM vulnerabilities", NULL);
	audits = count(&w, "SELECT COUNT(*) FROM audit", NULL);
	cr_assert_eq(vuln(&w, ref, 0,
			  "{\"title\": \"\", \"cwe\": \"CWE-0\", \"cvss3\": \"CVSS:3.1/AV:X/AC:L\","
			  " \"cvss4\": \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\", \"cve\": \"CVE-26-1\","
			  " \"products\": [{}, {\"cpe\": \"cpe:2.3:a\"}, {\"product_id\": 999999}], \"colour\": \"red\"}",
			  NULL, fields),
		     KK_EINVAL);
	same_fields(fields, "title; cwe; cvss3; cvss4; cve; products[0]; products[1].cpe; products[2].product_id; colour; ");
	cr_assert_eq(vuln(&w, ref, 0, "{\"description\": \"no title\"}", NULL, fields), KK_EINVAL);
	cr_assert_str_eq(fields, "title; ");
	cr_assert_eq(vuln(&w, ref, 0, "[1]", NULL, fields), KK_EINVAL);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM vulnerabilities", NULL), vulns);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM audit", NULL), audits);

	/* with a catalogue loaded, an id it does not hold is refused */
	snprintf(xml, sizeof(xml), "%s/cwe/sample.xml", unit_data_dir());
	cr_assert_eq(kk_cwe_import_xml(w.s, xml, NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(vuln(&w, ref, 1, "{\"cwe\": 12345}", NULL, fields), KK_EINVAL);
	cr_assert_str_eq(fields, "cwe; ");
	cr_assert_eq(vuln(&w, ref, 1, "{\"cwe\": 79, \"title\": \"Stored XSS\", \"cvss3\": null}", &o, fields), KK_OK,
		     "%s", fields);
	cr_assert_str_eq(str(o, "title"), "Stored XSS");
	cr_assert_str_eq(str(json_object_get(o, "cwe"), "name"),
			 "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')");
	cr_assert(json_is_null(json_object_get(o, "cvss3")));
	json_decref(o);
	cr_assert_eq(vuln(&w, ref, 9, "{\"title\": \"nine\"}", NULL, fields), KK_ENOTFOUND);

	/* SPEC 1: with the detail, a vendor sees its own products and unowned ones,
	 * not those of vendors whose names the case does not share */
	{
		char json[512];

		snprintf(json, sizeof(json),
			 "{\"products\": [{\"name\": \"Example Router\", \"vendor_id\": %lld},"
			 " {\"name\": \"Other Box\", \"vendor_id\": %lld}, {\"name\": \"libfoo\"}]}",
			 (long long)w.vid, (long long)w.other_vid);
		cr_assert_eq(vuln(&w, ref, 2, json, NULL, fields), KK_OK, "%s", fields);
		answer(&w, &w.vendor, ref, "send_detail");
		cr_assert_eq(get_as(&w, &w.vendor, ref, &o, NULL), KK_OK);
		p = json_object_get(json_array_get(json_object_get(o, "vulnerabilities"), 1), "products");
		cr_assert_eq(json_array_size(p), 2);
		cr_assert_str_eq(str(json_array_get(p, 0), "name"), "Example Router");
		cr_assert_str_eq(str(json_array_get(p, 1), "name"), "libfoo");
		cr_assert(!holds(o, "Other Box"));
		json_decref(o);
		cr_assert_eq(get_as(&w, &w.coord, ref, &o, NULL), KK_OK);
		cr_assert(holds(o, "Other Box"), "staff see every product");
		json_decref(o);
	}

	/* only the coordinator writes; a vendor may not */
	{
		json_t *body = json_pack("{s:s}", "title", "by the vendor");

		cr_assert_eq(kk_case_vuln_add(w.s, &w.vendor, ref, body, &o, &err), KK_EDENIED);
		cr_assert_eq(kk_case_vuln_add(w.s, &w.other, ref, body, &o, &err), KK_ENOTFOUND);
		json_decref(body);
	}
	kk_error_release(&err);
	unit_parties_end(&w);
}

/* SPEC 2.5-2.6: vendors join a case not yet notified, with a status per
 * vulnerability, and leave it only until they were notified. */
Test(case_vendors, add_and_remove)
{
	struct unit_parties w;
	char a[24], ref[KK_CASE_REF_MAX], key[24];
	struct kk_error err = KK_ERROR_INIT;
	json_t *body, *o = NULL;
	int64_t third;

	unit_parties(&w);
	third = unit_vendor(w.s, &w.coord, "Third Corp", "psirt@third.example.jp", NULL);
	report(&w, NULL, 1, a);
	open_case(&w, a, ref);
	body = json_pack("{s:I}", "vendor_id", (json_int_t)third);
	cr_assert_eq(kk_case_vendor_add(w.s, &w.coord, ref, body, &o, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_integer_value(json_object_get(o, "vendor_id")), third);
	cr_assert_str_eq(str(o, "name"), "Third Corp");
	cr_assert(json_is_null(json_object_get(o, "notified_at")));
	cr_assert_str_eq(str(json_array_get(json_object_get(o, "statuses"), 0), "status"), "not_notified");
	json_decref(o);
	cr_assert_eq(kk_case_vendor_add(w.s, &w.coord, ref, body, &o, &err), KK_ECONFLICT, "on the case already");
	json_decref(body);
	kk_error_clear(&err);

	body = json_pack("{s:I}", "vendor_id", (json_int_t)999999);
	cr_assert_eq(kk_case_vendor_add(w.s, &w.coord, ref, body, &o, &err), KK_ENOTFOUND);
	cr_assert(json_object_get(err.fields, "vendor_id") != NULL);
	json_decref(body);
	kk_error_clear(&err);
	body = json_pack("{s:s, s:i}", "vendor_id", "17", "extra", 1);
	cr_assert_eq(kk_case_vendor_add(w.s, &w.coord, ref, body, &o, &err), KK_EINVAL);
	cr_assert(json_object_get(err.fields, "vendor_id") && json_object_get(err.fields, "extra"));
	json_decref(body);
	kk_error_clear(&err);
	body = json_pack("{s:I}", "vendor_id", (json_int_t)third);
	cr_assert_eq(kk_case_vendor_add(w.s, &w.intake, ref, body, &o, &err), KK_EDENIED);
	json_decref(body);
	kk_error_clear(&err);

	snprintf(key, sizeof(key), "%lld", (long long)third);
	cr_assert_eq(kk_case_vendor_remove(w.s, &w.coord, ref, third, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM case_vendors WHERE vendor_id = CAST(? AS BIGINT)", key), 0);
	cr_assert_eq(kk_case_vendor_remove(w.s, &w.coord, ref, third, &err), KK_ENOTFOUND);
	kk_error_clear(&err);
	notify(&w, ref, w.vid);
	cr_assert_eq(kk_case_vendor_remove(w.s, &w.coord, ref, w.vid, &err), KK_ECONFLICT, "SPEC 2.6: it was told");
	kk_error_clear(&err);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM audit WHERE object_type = 'case' AND action = ?", "vendor.remove"), 1);
	kk_error_release(&err);
	unit_parties_end(&w);
}

/* The ids of a list as "VU#1 VU#2". */
static void list_as(struct unit_parties *w, const struct kk_user *u, const char *filter, enum kk_result want, char *ids,
		    size_t n)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *c;
	size_t i;

	cr_assert_eq(kk_case_list(w->s, u, filter, &out, &err), want, "%s", err.msg);
	ids[0] = '\0';
	json_array_foreach(json_object_get(out, "cases"), i, c) {
		size_t len = strlen(ids);

		snprintf(ids + len, n - len, "%s%s", len ? " " : "", str(c, "id"));
	}
	json_decref(out);
	kk_error_release(&err);
}

/* issue 9 item 7: the list, newest first, with its filters and counts; a
 * vendor lists only the cases it was notified of. */
Test(case_list, filters_and_counts)
{
	struct unit_parties w;
	char a[24], b[24], one[KK_CASE_REF_MAX], two[KK_CASE_REF_MAX], ids[256], want[256];
	struct kk_error err = KK_ERROR_INIT;
	json_t *out = NULL, *body = json_pack("{s:s}", "reason", "Not a vulnerability");

	unit_parties(&w);
	report(&w, NULL, 1, a);
	report(&w, NULL, 1, b);
	open_case(&w, a, one);
	open_case(&w, b, two);
	notify(&w, one, w.vid);
	snprintf(want, sizeof(want), "%s %s", two, one);
	list_as(&w, &w.coord, NULL, KK_OK, ids, sizeof(ids));
	cr_assert_str_eq(ids, want);
	list_as(&w, &w.coord, "mine", KK_OK, ids, sizeof(ids));
	cr_assert_str_eq(ids, want);
	list_as(&w, &w.intake, "mine", KK_OK, ids, sizeof(ids));
	cr_assert_str_eq(ids, "");
	list_as(&w, &w.vendor, NULL, KK_OK, ids, sizeof(ids));
	cr_assert_str_eq(ids, one, "SPEC 1: only the case it was notified of");
	list_as(&w, &w.other, NULL, KK_OK, ids, sizeof(ids));
	cr_assert_str_eq(ids, "");
	list_as(&w, &w.operator, NULL, KK_EDENIED, ids, sizeof(ids));
	list_as(&w, &w.coord, "pending", KK_EINVAL, ids, sizeof(ids));

	cr_assert_eq(kk_case_event(w.s, &w.coord, two, "close", body, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(str(out, "state"), "closed");
	json_decref(out);
	list_as(&w, &w.coord, "closed", KK_OK, ids, sizeof(ids));
	cr_assert_str_eq(ids, two);
	list_as(&w, &w.coord, "open", KK_OK, ids, sizeof(ids));
	cr_assert_str_eq(ids, one);

	cr_assert_eq(kk_case_list(w.s, &w.coord, "open", &out, &err), KK_OK);
	{
		json_t *c = json_array_get(json_object_get(out, "cases"), 0);

		cr_assert_eq(json_integer_value(json_object_get(c, "vulnerabilities")), 1);
		cr_assert_eq(json_integer_value(json_object_get(c, "vendors")), 2);
		cr_assert_eq(json_integer_value(json_object_get(c, "waiting_on")), 1, "notified, not answered");
		cr_assert_eq(json_integer_value(json_object_get(c, "unanswered")), 0);
		cr_assert(json_is_integer(json_object_get(c, "day0")));
	}
	json_decref(out);
	cr_assert_eq(kk_case_list(w.s, &w.vendor, NULL, &out, &err), KK_OK);
	{
		json_t *c = json_array_get(json_object_get(out, "cases"), 0);

		cr_assert_str_eq(str(c, "stage"), "notified");
		cr_assert_null(json_object_get(c, "vendors"), "staff only");
		cr_assert_null(json_object_get(c, "waiting_on"));
	}
	json_decref(out);
	json_decref(body);
	kk_error_release(&err);
	unit_parties_end(&w);
}

/* SPEC 2.4: changes to a case, more finders joining it, its events; a body
 * with any fault changes nothing; the audit trail has every change. */
Test(case_update, changes_events_and_audit)
{
	struct unit_parties w;
	char a[24], b[24], c[24], r[24], ref[KK_CASE_REF_MAX], other[KK_CASE_REF_MAX];
	struct kk_error err = KK_ERROR_INIT;
	json_t *body, *o = NULL, *e;
	struct kk_user coord2 = { 0 };
	size_t i;

	unit_parties(&w);
	coord2 = unit_user(w.s, "coordinator", "coord2@example.jp");
	report(&w, NULL, 1, a);
	report(&w, NULL, 1, b);
	report(&w, NULL, 1, c);
	report(&w, NULL, 0, r);
	open_case(&w, a, ref);
	open_case(&w, c, other);

	body = json_pack("{s:s, s:s, s:I, s:[s]}", "title", "Stored XSS in the admin page", "detail", "New detail",
			 "coordinator_id", (json_int_t)coord2.id, "reports", b);
	cr_assert_eq(kk_case_update(w.s, &w.coord, ref, body, &o, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	cr_assert_str_eq(str(o, "title"), "Stored XSS in the admin page");
	cr_assert_str_eq(str(o, "detail"), "New detail");
	cr_assert_str_eq(str(o, "summary"), "A summary of the problem", "members not given stay");
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(o, "coordinator"), "id")), coord2.id);
	cr_assert_str_eq(str(json_array_get(json_object_get(o, "finders"), 1), "tracking_id"), b);
	json_decref(o);

	/* every fault at once; nothing of the good members is stored */
	body = json_pack("{s:s, s:I, s:[s, s, s, i], s:s, s:i, s:[i]}", "title", "Changed", "coordinator_id",
			 (json_int_t)w.intake.id, "reports", r, c, "IPA#00000000", 5, "vendors_see_names", "yes",
			 "colour", 1, "attachments", 0);
	cr_assert_eq(kk_case_update(w.s, &w.coord, ref, body, &o, &err), KK_EINVAL);
	json_decref(body);
	cr_assert_null(o);
	{
		const char *want[] = { "coordinator_id", "reports[0]", "reports[1]", "reports[2]", "reports[3]",
				       "vendors_see_names", "colour" };

		for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
			cr_assert(json_object_get(err.fields, want[k]) != NULL, "%s", want[k]);
	}
	kk_error_clear(&err);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM cases WHERE title = ?", "Changed"), 0);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM case_reports", NULL), 3);

	/* the intake may read but not change; a vendor not notified sees nothing */
	body = json_pack("{s:s}", "title", "Intake's");
	cr_assert_eq(kk_case_update(w.s, &w.intake, ref, body, &o, &err), KK_EDENIED);
	kk_error_clear(&err);
	cr_assert_eq(kk_case_update(w.s, &w.vendor, ref, body, &o, &err), KK_ENOTFOUND);
	kk_error_clear(&err);
	json_decref(body);

	/* G IV.4.4: closing needs a reason; the table decides what applies */
	cr_assert_eq(kk_case_event(w.s, &w.coord, ref, "close", NULL, &o, &err), KK_EINVAL);
	cr_assert(json_object_get(err.fields, "reason") != NULL);
	kk_error_clear(&err);
	body = json_pack("{s:s}", "reason", "Already published by the vendor");
	cr_assert_eq(kk_case_event(w.s, &w.coord, ref, "close", body, &o, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(str(o, "state"), "closed");
	cr_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "events"), 0)), "reopen");
	json_decref(o);
	cr_assert_eq(kk_case_event(w.s, &w.coord, ref, "close", body, &o, &err), KK_ECONFLICT);
	kk_error_clear(&err);
	cr_assert_eq(kk_case_event(w.s, &w.coord, ref, "publish", body, &o, &err), KK_EINVAL);
	kk_error_clear(&err);
	json_decref(body);

	/* the trail: opened, vendors added, changed, closed, oldest first */
	cr_assert_eq(kk_case_audit(w.s, &w.coord, ref, &o, &err), KK_OK, "%s", err.msg);
	{
		const char *want[] = { "open", "vendor.add", "vendor.add", "update", "close" };

		cr_assert_eq(json_array_size(json_object_get(o, "audit")), 5);
		json_array_foreach(json_object_get(o, "audit"), i, e) {
			cr_assert_str_eq(str(e, "action"), want[i]);
			cr_assert_str_eq(str(e, "object_type"), "case");
		}
		e = json_array_get(json_object_get(o, "audit"), 4);
		cr_assert_str_eq(str(e, "from"), "open");
		cr_assert_str_eq(str(e, "to"), "closed");
		cr_assert_str_eq(str(json_object_get(e, "detail"), "reason"), "Already published by the vendor");
	}
	json_decref(o);
	cr_assert_eq(kk_case_audit(w.s, &w.intake, ref, &o, &err), KK_OK);
	json_decref(o);
	notify(&w, other, w.vid);
	cr_assert_eq(kk_case_audit(w.s, &w.vendor, other, &o, &err), KK_EDENIED, "staff only");
	kk_error_clear(&err);
	cr_assert_eq(kk_case_audit(w.s, &w.vendor, ref, &o, &err), KK_ENOTFOUND);
	kk_user_release(&coord2);
	kk_error_release(&err);
	unit_parties_end(&w);
}

/* R §5.1.2: the coordinator passes report files on with the detail; a vendor
 * sees them only after it asked for the detail; only the case's own files,
 * each once. */
Test(case_update, attachments_passed_on)
{
	struct unit_parties w;
	char a[24], b[24], ref[KK_CASE_REF_MAX], id[24], other_id[24];
	struct kk_error err = KK_ERROR_INIT;
	json_t *body = unit_report_body("product"), *o = NULL, *files;

	unit_parties(&w);
	unit_set(body, "attachments",
		 json_pack("[{s:s, s:s, s:s}]", "filename", "poc.html", "content_type", "text/html", "data_base64",
			   "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="));
	report(&w, body, 1, a);
	body = unit_report_body("product");
	unit_set(body, "attachments",
		 json_pack("[{s:s, s:s, s:s}]", "filename", "other.txt", "content_type", "text/plain", "data_base64", "b3RoZXI="));
	report(&w, body, 1, b);
	open_case(&w, a, ref);
	snprintf(id, sizeof(id), "%lld",
		 (long long)count(&w, "SELECT a.id FROM attachments a JOIN reports r ON r.id = a.report_id"
				      " WHERE r.tracking_id = ?", a));
	snprintf(other_id, sizeof(other_id), "%lld",
		 (long long)count(&w, "SELECT a.id FROM attachments a JOIN reports r ON r.id = a.report_id"
				      " WHERE r.tracking_id = ?", b));

	/* staff see what may be passed on */
	cr_assert_eq(get_as(&w, &w.coord, ref, &o, NULL), KK_OK);
	files = json_object_get(o, "report_attachments");
	cr_assert_eq(json_array_size(files), 1);
	cr_assert_str_eq(str(json_array_get(files, 0), "filename"), "poc.html");
	cr_assert(json_is_false(json_object_get(json_array_get(files, 0), "passed_on")));
	cr_assert_eq(json_array_size(json_object_get(o, "attachments")), 0);
	json_decref(o);

	/* another report's file, or one twice: refused, nothing stored */
	body = json_pack("{s:[I]}", "attachments", (json_int_t)atoll(other_id));
	cr_assert_eq(kk_case_update(w.s, &w.coord, ref, body, &o, &err), KK_EINVAL);
	cr_assert(json_object_get(err.fields, "attachments") != NULL);
	json_decref(body);
	kk_error_clear(&err);
	body = json_pack("{s:[I, I]}", "attachments", (json_int_t)atoll(id), (json_int_t)atoll(id));
	cr_assert_eq(kk_case_update(w.s, &w.coord, ref, body, &o, &err), KK_EINVAL);
	cr_assert(json_object_get(err.fields, "attachments[1]") != NULL);
	json_decref(body);
	kk_error_clear(&err);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM case_attachments", NULL), 0);

	body = json_pack("{s:[I]}", "attachments", (json_int_t)atoll(id));
	cr_assert_eq(kk_case_update(w.s, &w.coord, ref, body, &o, &err), KK_OK, "%s", err.msg);
	json_decref(body);
	cr_assert_str_eq(str(json_array_get(json_object_get(o, "attachments"), 0), "filename"), "poc.html");
	cr_assert(json_is_true(json_object_get(json_array_get(json_object_get(o, "report_attachments"), 0), "passed_on")));
	json_decref(o);

	notify(&w, ref, w.vid);
	cr_assert_eq(get_as(&w, &w.vendor, ref, &o, NULL), KK_OK);
	cr_assert_null(json_object_get(o, "attachments"), "R 5.1.2: not before it asks");
	cr_assert_null(json_object_get(o, "report_attachments"));
	cr_assert(!holds(o, "poc.html"));
	json_decref(o);
	answer(&w, &w.vendor, ref, "send_detail");
	cr_assert_eq(get_as(&w, &w.vendor, ref, &o, NULL), KK_OK);
	cr_assert_str_eq(str(json_array_get(json_object_get(o, "attachments"), 0), "filename"), "poc.html");
	cr_assert_null(json_object_get(o, "report_attachments"), "staff only");
	json_decref(o);
	kk_error_release(&err);
	unit_parties_end(&w);
}
