/*
 * view.c: a case as one viewer may see it (kk_case_get; case.h, SPEC 1,
 * R §5.1.2), and the one JSON serialiser of a case, a vulnerability and a
 * vendor's entry, which every other function of lib/case/ that answers "as
 * kk_case_get" uses. What goes in is the policy's (authz.h) answer for the
 * viewer and the case: staff see every vendor, a vendor only itself; the
 * detail only with case.detail.read; a finder's identity only with
 * report.finder.read for that finder's report.
 */
#include <stdio.h>
#include <string.h>

#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/cvss.h"
#include "keikai/cwe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "internal.h"
#include "store/accounts.h"
#include "store/case_views.h"
#include "store/cwe_entries.h"
#include "store/reports.h"

#define VIEW_MAX_EVENTS 8

json_t *case_time(int64_t t)
{
	return t ? json_integer(t) : json_null();
}

/* Sets member k of o to v (taken, NULL: out of memory); 1 when it failed. */
static int put(json_t *o, const char *k, json_t *v)
{
	return json_object_set_new(o, k, v) != 0;
}

/* {"vector", "score", "severity", "severity_label"} of a scored vector, or null. */
static json_t *cvss_json(const char *vector, int tenths, enum kk_cvss_version version)
{
	enum kk_cvss_severity sev;

	if (!vector || tenths < 0)
		return json_null();
	sev = kk_cvss_rate(version, tenths);
	return json_pack("{s:s, s:f, s:s, s:s}", "vector", vector, "score", tenths / 10.0, "severity",
			 kk_cvss_severity_name(sev), "severity_label", _(kk_cvss_severity_name(sev)));
}

/* {"id": "CWE-79", "number", "name"} with the catalogue's name in the reader's
 * language (null when the catalogue does not hold the id), or null. */
static enum kk_result cwe_json(struct kk_tx *tx, int64_t id, json_t **out, struct kk_error *err)
{
	char text[KK_CWE_ID_LEN];
	struct kk_cwe c;
	enum kk_result res;

	*out = NULL;
	if (id <= 0) {
		*out = json_null();
		return *out ? KK_OK : kk_error_nomem(err);
	}
	res = kk_cwe_entries_get(tx, (int)id, &c, err);
	if (res && res != KK_ENOTFOUND)
		return res;
	*out = json_pack("{s:s, s:I, s:o}", "id", kk_cwe_format_id((int)id, text), "number", (json_int_t)id, "name",
			 res == KK_OK ? json_string(kk_cwe_name(&c)) : json_null());
	kk_cwe_release(&c);
	return *out ? KK_OK : kk_error_nomem(err);
}

enum kk_result case_vuln_json(struct kk_tx *tx, const struct kk_vuln *v, int detail, json_t **out,
			      struct kk_error *err)
{
	json_t *o = json_object(), *cwe = NULL, *products = NULL;
	enum kk_result res = o ? cwe_json(tx, v->cwe_id, &cwe, err) : kk_error_nomem(err);
	int bad = 0;

	*out = NULL;
	if (res)
		goto fail;
	bad |= put(o, "number", json_integer(v->number));
	bad |= put(o, "title", json_string(v->title ? v->title : ""));
	bad |= put(o, "cwe", cwe);
	/* R §5.1.2: the technical content only with the detail */
	if (detail) {
		bad |= put(o, "description", kk_json_str_or_null(v->description));
		bad |= put(o, "cvss3", cvss_json(v->cvss3_vector, v->cvss3_score_tenths, KK_CVSS_V3_1));
		bad |= put(o, "cvss4", cvss_json(v->cvss4_vector, v->cvss4_score_tenths, KK_CVSS_V4_0));
		bad |= put(o, "cve", kk_json_str_or_null(v->cve_id));
		products = json_array();
		if (!products) {
			res = kk_error_nomem(err);
			goto fail;
		}
		res = kk_vuln_products_json(tx, v->id, products, err);
		if (res)
			goto fail;
		bad |= put(o, "products", json_incref(products));
		bad |= put(o, "created_at", case_time(v->created_at));
		bad |= put(o, "updated_at", case_time(v->updated_at));
	}
	if (bad) {
		res = kk_error_nomem(err);
		goto fail;
	}
	json_decref(products);
	*out = o;
	return KK_OK;
fail:
	json_decref(products);
	json_decref(o);
	return res;
}

/* A vendor's statuses: {"vulnerability", "status", "status_label", "note", "updated_at"}. */
static json_t *status_json(const struct kk_vendor_status *st)
{
	return json_pack("{s:i, s:s, s:s, s:o, s:o}", "vulnerability", st->number, "status", st->status,
			 "status_label", kk_flow_state_label(&kk_vendor_status_flow, st->status), "note",
			 kk_json_str_or_null(st->note), "updated_at", case_time(st->updated_at));
}

static json_t *statement_json(const struct kk_case_vendor *v)
{
	if (!v->statement_ja && !v->statement_en)
		return json_null();
	return json_pack("{s:o, s:o, s:o}", "ja", kk_json_str_or_null(v->statement_ja), "en",
			 kk_json_str_or_null(v->statement_en), "updated_at", case_time(v->statement_at));
}

/* The VENDOR entry of v with its statuses (taken); staff: with the contact
 * attempts. cms and attempts (taken; NULL: read here) are the vendor's when
 * the caller read every vendor's at once. */
static enum kk_result vendor_entry(struct kk_tx *tx, const struct case_ctx *cx, const struct kk_case_vendor *v,
				   json_t *statuses, json_t *cms, json_t *attempts, int staff, json_t **out,
				   struct kk_error *err)
{
	json_t *o = json_object();
	enum kk_result res = KK_OK;
	int bad, read_cms = !cms, read_attempts = staff && !attempts;

	*out = NULL;
	if (read_cms)
		cms = json_array();
	if (read_attempts)
		attempts = json_array();
	bad = !o || !cms || (staff && !attempts) || !statuses;
	if (!bad && read_cms)
		res = kk_countermeasures_json(tx, v->id, cms, err);
	if (!bad && !res && read_attempts)
		res = kk_contact_attempts_json(tx, cx->c.id, v->vendor_id, attempts, err);
	if (bad || res)
		goto fail;
	bad |= put(o, "vendor_id", json_integer(v->vendor_id));
	bad |= put(o, "name", kk_json_str_or_null(case_vendor_name(v->name_ja, v->name_en)));
	bad |= put(o, "name_ja", kk_json_str_or_null(v->name_ja));
	bad |= put(o, "name_en", kk_json_str_or_null(v->name_en));
	bad |= put(o, "added_at", case_time(v->added_at));
	bad |= put(o, "notified_at", case_time(v->notified_at));
	bad |= put(o, "summary_read_at", case_time(v->summary_read_at));
	bad |= put(o, "detail_requested_at", case_time(v->detail_requested_at));
	bad |= put(o, "answer", kk_json_str_or_null(v->answer));
	bad |= put(o, "answer_reason", kk_json_str_or_null(v->answer_reason));
	bad |= put(o, "answered_at", case_time(v->answered_at));
	bad |= put(o, "finder_contact", json_boolean(v->finder_contact));
	bad |= put(o, "statuses", json_incref(statuses));
	bad |= put(o, "countermeasures", json_incref(cms));
	bad |= put(o, "statement", statement_json(v));
	if (staff)
		bad |= put(o, "contact_attempts", json_incref(attempts));
	if (bad)
		goto fail;
	json_decref(statuses);
	json_decref(cms);
	json_decref(attempts);
	*out = o;
	return KK_OK;
fail:
	json_decref(statuses);
	json_decref(cms);
	json_decref(attempts);
	json_decref(o);
	return res ? res : kk_error_nomem(err);
}

/* The statuses of one case vendor as a JSON array (NULL: out of memory, err set). */
static json_t *own_statuses(struct kk_tx *tx, int64_t case_vendor_id, struct kk_error *err)
{
	struct kk_vendor_status *sts = NULL;
	size_t n = 0;
	json_t *arr;

	if (kk_vendor_statuses_list(tx, case_vendor_id, &sts, &n, err))
		return NULL;
	arr = json_array();
	for (size_t i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, status_json(&sts[i])) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	kk_vendor_statuses_free(sts, n);
	if (!arr)
		kk_error_nomem(err);
	return arr;
}

enum kk_result case_vendor_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
				const struct kk_case_vendor *v, json_t **out, struct kk_error *err)
{
	json_t *statuses = own_statuses(tx, v->id, err);

	*out = NULL;
	if (!statuses)
		return kk_error_result(err, KK_ENOMEM);
	return vendor_entry(tx, cx, v, statuses, NULL, NULL, case_may(viewer, KK_ACT_CASE_VENDORS_READ, cx), out, err);
}

/* Collects every vendor's statuses of a case, keyed by vendor id, in one query. */
static enum kk_result collect_status(int64_t vendor_id, const struct kk_vendor_status *st, void *arg,
				     struct kk_error *err)
{
	json_t *by_vendor = arg, *arr;
	char key[24];

	snprintf(key, sizeof(key), "%lld", (long long)vendor_id);
	arr = json_object_get(by_vendor, key);
	if (!arr && (json_object_set_new(by_vendor, key, json_array()) != 0 || !(arr = json_object_get(by_vendor, key))))
		return kk_error_nomem(err);
	return json_array_append_new(arr, status_json(st)) == 0 ? KK_OK : kk_error_nomem(err);
}

/* The array under vendor v's id in by_vendor (a new reference), or a new empty one. */
static json_t *of_vendor(json_t *by_vendor, int64_t v)
{
	char key[24];
	json_t *arr;

	snprintf(key, sizeof(key), "%lld", (long long)v);
	arr = json_object_get(by_vendor, key);
	return arr ? json_incref(arr) : json_array();
}

/* Staff: every vendor of the case, with its statuses, countermeasures and
 * contact attempts, each read for the whole case in one query (the case page
 * of 200 vendors makes a handful of queries, not a thousand). */
static enum kk_result all_vendors(struct kk_tx *tx, const struct case_ctx *cx, json_t *arr, struct kk_error *err)
{
	struct kk_case_vendor *vs = NULL;
	json_t *statuses = json_object(), *cms = json_object(), *attempts = json_object();
	size_t n = 0;
	enum kk_result res = statuses && cms && attempts ? KK_OK : kk_error_nomem(err);

	if (!res)
		res = kk_vendor_statuses_each_of_case(tx, cx->c.id, collect_status, statuses, err);
	if (!res)
		res = kk_countermeasures_json_of_case(tx, cx->c.id, cms, err);
	if (!res)
		res = kk_contact_attempts_json_of_case(tx, cx->c.id, attempts, err);
	if (!res)
		res = kk_case_vendors_list(tx, cx->c.id, &vs, &n, err);
	for (size_t i = 0; i < n && !res; i++) {
		int64_t v = vs[i].vendor_id;
		json_t *entry;

		res = vendor_entry(tx, cx, &vs[i], of_vendor(statuses, v), of_vendor(cms, v), of_vendor(attempts, v), 1,
				   &entry, err);
		if (!res && json_array_append_new(arr, entry) != 0)
			res = kk_error_nomem(err);
	}
	kk_case_vendors_free(vs, n);
	json_decref(statuses);
	json_decref(cms);
	json_decref(attempts);
	return res;
}

/* A vendor: the names of the other vendors notified, when the case shares them. */
static enum kk_result other_names(struct kk_tx *tx, const struct case_ctx *cx, json_t *arr, struct kk_error *err)
{
	struct kk_case_vendor *vs = NULL;
	size_t n = 0;
	enum kk_result res = kk_case_vendors_list(tx, cx->c.id, &vs, &n, err);

	for (size_t i = 0; i < n && !res; i++) {
		const char *name = case_vendor_name(vs[i].name_ja, vs[i].name_en);

		if (vs[i].vendor_id == cx->own.vendor_id || !vs[i].notified_at || !name)
			continue;
		if (json_array_append_new(arr, json_string(name)) != 0)
			res = kk_error_nomem(err);
	}
	kk_case_vendors_free(vs, n);
	return res;
}

/* Staff: the finders as "Finder A" …, each with what the viewer may see of it
 * (SPEC 1, G IV.3(1)6: the identity only with report.finder.read). */
static enum kk_result finders_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
				   json_t *arr, struct kk_error *err)
{
	struct kk_case_report reps[KK_CASE_REPORTS_MAX];
	size_t n = 0;
	enum kk_result res = kk_case_reports_list(tx, cx->c.id, reps, KK_CASE_REPORTS_MAX, &n, err);

	for (size_t i = 0; i < n && !res; i++) {
		struct kk_report rep;
		struct kk_object obj = { .report = &rep };
		char label[32];
		json_t *f;

		memset(&rep, 0, sizeof(rep));
		res = kk_reports_load(tx, KK_REPORT_BY_TRACKING_ID, reps[i].tracking_id, 0, &rep, err);
		if (res == KK_ENOTFOUND)
			res = kk_error_set(err, KK_EDB, _("The report %s of case %s is missing."), reps[i].tracking_id,
					   cx->c.ref);
		if (res)
			break;
		case_finder_label(reps[i].label, label, sizeof(label));
		f = json_pack("{s:s, s:s, s:s, s:b, s:b, s:o}", "label", label, "letter", reps[i].label, "tracking_id",
			      reps[i].tracking_id, "credit", rep.credit, "direct_contact", rep.direct_contact, "added_at",
			      case_time(reps[i].added_at));
		if (f && kk_may(viewer, KK_ACT_FINDER_READ, &obj)) {
			json_t *id = json_pack("{s:o, s:o, s:o}", "name", kk_json_str_or_null(rep.finder.name), "email",
					       kk_json_str_or_null(rep.finder.email), "organization",
					       kk_json_str_or_null(rep.finder.organization));

			if (put(f, "identity", id) || put(f, "credit_name", kk_json_str_or_null(rep.credit_name))) {
				json_decref(f);
				f = NULL;
			}
		}
		if (!f || json_array_append_new(arr, f) != 0)
			res = kk_error_nomem(err);
		kk_report_release(&rep);
	}
	return res;
}

/* SPEC 1, issue 9 item 4: a vendor that may not see the other vendors' names
 * does not see their products among the affected ones either. */
static void keep_own_products(json_t *vuln, int64_t vendor_id)
{
	json_t *products = json_object_get(vuln, "products");
	size_t i = 0;

	while (i < json_array_size(products)) {
		const json_t *owner = json_object_get(json_array_get(products, i), "vendor_id");

		if (json_is_integer(owner) && json_integer_value(owner) != vendor_id)
			json_array_remove(products, i);
		else
			i++;
	}
}

static enum kk_result vulns_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
				 int detail, json_t *arr, struct kk_error *err)
{
	int others_hidden = !case_may(viewer, KK_ACT_CASE_VENDOR_NAMES, cx);
	struct kk_vuln *vs = NULL;
	size_t n = 0;
	enum kk_result res = kk_vulns_list(tx, cx->c.id, &vs, &n, err);

	for (size_t i = 0; i < n && !res; i++) {
		json_t *v;

		res = case_vuln_json(tx, &vs[i], detail, &v, err);
		if (!res && others_hidden)
			keep_own_products(v, cx->own.vendor_id);
		if (!res && json_array_append_new(arr, v) != 0)
			res = kk_error_nomem(err);
	}
	kk_vulns_free(vs, n);
	return res;
}

static json_t *coordinator_json(struct kk_tx *tx, int64_t id, struct kk_error *err)
{
	struct kk_user u;
	json_t *o;
	enum kk_result res;

	if (!id)
		return json_null();
	res = kk_accounts_user_by_id(tx, id, &u, err);
	if (res == KK_ENOTFOUND)
		return json_pack("{s:I, s:n}", "id", (json_int_t)id, "name");
	if (res)
		return NULL;
	o = json_pack("{s:I, s:o}", "id", (json_int_t)id, "name", kk_json_str_or_null(u.name));
	kk_user_release(&u);
	return o;
}

/* The case flow's events viewer may fire now, and what it may do. */
static int may_json(json_t *o, const struct kk_user *viewer, const struct case_ctx *cx)
{
	struct kk_flow_step step = { .actor = viewer, .object_id = cx->c.id, .object = (void *)&cx->c };
	const char *events[VIEW_MAX_EVENTS];
	size_t n = kk_flow_events(&kk_case_flow, &step, cx->c.state, events, VIEW_MAX_EVENTS);
	json_t *ev = json_array();
	int bad = !ev;

	for (size_t i = 0; !bad && i < n && i < VIEW_MAX_EVENTS; i++)
		bad |= json_array_append_new(ev, json_string(events[i])) != 0;
	bad |= put(o, "events", ev);
	bad |= put(o, "may",
		   json_pack("{s:b, s:b, s:b, s:b, s:b, s:b}", "write", case_may(viewer, KK_ACT_CASE_WRITE, cx), "notify",
			     case_may(viewer, KK_ACT_CASE_NOTIFY, cx), "answer",
			     case_may(viewer, KK_ACT_CASE_ANSWER, cx) && !cx->own.answer, "vendor_write",
			     case_may(viewer, KK_ACT_CASE_VENDOR_WRITE, cx), "detail",
			     case_may(viewer, KK_ACT_CASE_DETAIL_READ, cx), "audit",
			     case_may(viewer, KK_ACT_CASE_AUDIT_READ, cx)));
	return bad;
}

enum kk_result case_view_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
			      json_t **out, struct kk_error *err)
{
	const struct kk_case *c = &cx->c;
	int staff = case_may(viewer, KK_ACT_CASE_VENDORS_READ, cx);
	int detail = case_may(viewer, KK_ACT_CASE_DETAIL_READ, cx);
	json_t *o = json_object(), *vulns = json_array(), *vendors = json_array();
	enum kk_result res = KK_OK;
	int bad = !o || !vulns || !vendors;

	*out = NULL;
	if (bad)
		goto fail;
	bad |= put(o, "id", json_string(c->ref));
	bad |= put(o, "title", json_string(c->title ? c->title : ""));
	bad |= put(o, "state", json_string(c->state));
	bad |= put(o, "state_label", json_string(kk_flow_state_label(&kk_case_flow, c->state)));
	bad |= put(o, "created_at", case_time(c->created_at));
	bad |= put(o, "updated_at", case_time(c->updated_at));
	/* SPEC 2.6: the first contact attempt is day 0 for every clock */
	bad |= put(o, "day0", case_time(c->day0));
	/* SPEC 2.8: the one publication date (kk_case_date_get has the rest) */
	bad |= put(o, "publication",
		   json_pack("{s:s, s:s, s:o}", "state", c->date_state, "state_label",
			     kk_flow_state_label(&kk_case_date_flow, c->date_state), "date",
			     case_time(c->publication_at ? c->publication_at : c->proposed_at)));
	bad |= put(o, "summary", json_string(c->summary ? c->summary : ""));
	/* R §5.1.2: a vendor sees the detail only after it asked for it */
	if (detail)
		bad |= put(o, "detail", json_string(c->detail ? c->detail : ""));
	bad |= put(o, "vendors_see_names", json_boolean(c->vendors_see_names));
	if (staff) {
		json_t *finders = json_array(), *coord = coordinator_json(tx, c->coordinator_id, err);

		if (!coord) {
			json_decref(finders);
			res = kk_error_result(err, KK_ENOMEM);
			goto fail;
		}
		bad |= put(o, "coordinator", coord);
		res = finders ? finders_json(tx, viewer, cx, finders, err) : kk_error_nomem(err);
		bad |= put(o, "finders", finders);
		if (res)
			goto fail;
	}
	if (staff && detail) {
		/* R §5.1.2: what the coordinator may pass on with the detail */
		json_t *files = json_array();

		res = files ? kk_case_views_report_attachments(tx, c->id, files, err) : kk_error_nomem(err);
		bad |= put(o, "report_attachments", files);
		if (res)
			goto fail;
	}
	res = vulns_json(tx, viewer, cx, detail, vulns, err);
	if (res)
		goto fail;
	bad |= put(o, "vulnerabilities", json_incref(vulns));
	if (staff) {
		res = all_vendors(tx, cx, vendors, err);
	} else if (cx->own.id) {
		json_t *mine;

		res = case_vendor_json(tx, viewer, cx, &cx->own, &mine, err);
		if (!res && json_array_append_new(vendors, mine) != 0)
			res = kk_error_nomem(err);
	}
	if (res)
		goto fail;
	bad |= put(o, "vendors", json_incref(vendors));
	if (!staff) {
		/* SPEC 1, issue 9 item 4: how many others, their names only when shared */
		int64_t others = 0;

		res = kk_case_vendors_count_notified(tx, c->id, cx->own.vendor_id, &others, err);
		if (res)
			goto fail;
		bad |= put(o, "other_vendors", json_integer(others));
		if (case_may(viewer, KK_ACT_CASE_VENDOR_NAMES, cx)) {
			json_t *names = json_array();

			res = names ? other_names(tx, cx, names, err) : kk_error_nomem(err);
			bad |= put(o, "other_vendor_names", names);
			if (res)
				goto fail;
		}
	}
	if (detail) {
		json_t *atts = json_array();

		res = atts ? kk_case_attachments_json(tx, c->id, atts, err) : kk_error_nomem(err);
		bad |= put(o, "attachments", atts);
		if (res)
			goto fail;
	}
	bad |= may_json(o, viewer, cx);
	if (bad)
		goto fail;
	json_decref(vulns);
	json_decref(vendors);
	*out = o;
	return KK_OK;
fail:
	json_decref(vulns);
	json_decref(vendors);
	json_decref(o);
	return res ? res : kk_error_nomem(err);
}

/* What a vendor's read of the detail leaves in the audit trail (R §5.1.2). */
struct detail_view {
	const struct kk_user *viewer;
	int64_t case_id;
};

static enum kk_result audit_detail_view(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	const struct detail_view *v = arg;

	return kk_audit_record(tx, v->viewer, "case", v->case_id, "detail.view", NULL, NULL, NULL, err);
}

enum kk_result kk_case_get(struct kk_store *s, const struct kk_user *viewer, const char *ref, json_t **out,
			   struct kk_error *err)
{
	int vendor = viewer->role == KK_ROLE_VENDOR;
	struct case_ctx cx;
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	memset(&cx, 0, sizeof(cx));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = case_load(&tx, viewer, ref, KK_ACT_CASE_READ, &cx, err);
	if (!res && vendor && cx.own.id && cx.own.notified_at && !cx.own.summary_read_at) {
		/* R §5.1.2: a vendor's first read marks the summary read, and the
		 * view shows it so: read again, in one write transaction */
		kk_tx_end(&tx, KK_OK, NULL);
		case_ctx_release(&cx);
		res = kk_tx_begin(s, 1, &tx, err);
		if (res)
			return res;
		res = case_load(&tx, viewer, ref, KK_ACT_CASE_READ, &cx, err);
		if (!res && cx.own.notified_at && !cx.own.summary_read_at)
			res = case_vendor_summary_read(&tx, viewer, &cx, err);
	}
	if (!res)
		res = case_view_json(&tx, viewer, &cx, out, err);
	res = kk_tx_end(&tx, res, err);
	/* R §5.1.2: every read of the detail by a vendor is on record before the
	 * vendor sees it; concurrent readers share the commit (group commit) */
	if (!res && vendor && case_may(viewer, KK_ACT_CASE_DETAIL_READ, &cx))
		res = kk_tx_grouped(s, audit_detail_view, &(struct detail_view){ viewer, cx.c.id }, err);
	if (res) {
		json_decref(*out);
		*out = NULL;
	}
	case_ctx_release(&cx);
	return res;
}
