/*
 * open.c: a coordinator opens a case from accepted product reports (SPEC 2.4,
 * case.h kk_case_open). Several finders reporting the same problem join one
 * case, each as a letter ("Finder A") in the order given, each keeping its own
 * report, consent and status page. The case starts open with one
 * vulnerability, and the vendors confirmed for its reports (SPEC 2.5) on it,
 * not yet notified. One transaction: the case, its reports, its first
 * vulnerability, its vendors with their statuses, and the audit record.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "internal.h"
#include "store/accounts.h"
#include "store/reports.h"

#define REF_TRIES 8

static const char *const members[] = { "reports", "title", "summary", "detail", "coordinator_id",
				       "vendors_see_names", NULL };

/* What a valid request asks for. Strings point into the body. */
struct opening {
	const char *tids[KK_CASE_REPORTS_MAX];
	size_t n;
	const char *title, *summary, *detail;
	int64_t coordinator_id;
	int see_names;
};

static void parse(const json_t *body, struct opening *o, struct kk_error *err)
{
	const json_t *reports = json_object_get(body, "reports"), *coord = json_object_get(body, "coordinator_id"),
		     *names = json_object_get(body, "vendors_see_names");
	const json_t *v;
	size_t i;

	if (!case_only_members(body, members, err) && !json_is_object(body))
		return;
	if (!json_is_array(reports) || json_array_size(reports) == 0 ||
	    json_array_size(reports) > KK_CASE_REPORTS_MAX)
		kk_error_field(err, "reports", _("Must be a list of 1 to %d tracking numbers."), KK_CASE_REPORTS_MAX);
	else
		json_array_foreach(reports, i, v) {
			char path[32];

			snprintf(path, sizeof(path), "reports[%zu]", i);
			if (!json_is_string(v) || json_string_length(v) == 0 || json_string_length(v) > 23) {
				kk_error_field(err, path, "%s", _("Must be a tracking number such as IPA#12345678."));
				continue;
			}
			for (size_t k = 0; k < o->n; k++)
				if (!strcmp(o->tids[k], json_string_value(v)))
					kk_error_field(err, path, "%s", _("This report is in the list twice."));
			o->tids[o->n++] = json_string_value(v);
		}
	o->title = case_text(body, "title", 1, KK_CASE_TITLE_MAX, 0, err);
	o->summary = case_text(body, "summary", 1, KK_CASE_TEXT_MAX, 1, err);
	o->detail = case_text(body, "detail", 1, KK_CASE_TEXT_MAX, 1, err);
	if (coord && !json_is_null(coord) && (!json_is_integer(coord) || json_integer_value(coord) < 1))
		kk_error_field(err, "coordinator_id", "%s", _("Must be a user id (a whole number from 1)."));
	else if (json_is_integer(coord))
		o->coordinator_id = json_integer_value(coord);
	if (names && !json_is_boolean(names))
		kk_error_field(err, "vendors_see_names", "%s", _("Must be true or false."));
	o->see_names = json_is_true(names);
}

enum kk_result case_check_coordinator(struct kk_tx *tx, int64_t id, struct kk_error *err)
{
	struct kk_user u = { 0 };
	enum kk_result res = kk_accounts_user_by_id(tx, id, &u, err);

	if (res == KK_ENOTFOUND || (res == KK_OK && u.role != KK_ROLE_COORDINATOR))
		res = kk_error_field(err, "coordinator_id", _("User %lld is not a coordinator."), (long long)id);
	kk_user_release(&u);
	return res;
}

enum kk_result case_check_report(struct kk_tx *tx, const char *tid, size_t i, int64_t *id, struct kk_error *err)
{
	struct kk_report r;
	char path[32];
	int64_t other = 0;
	enum kk_result res = kk_reports_load(tx, KK_REPORT_BY_TRACKING_ID, tid, 0, &r, err);

	snprintf(path, sizeof(path), "reports[%zu]", i);
	if (res == KK_ENOTFOUND)
		return kk_error_field(err, path, _("There is no report %s."), tid);
	if (res)
		return res;
	*id = r.id;
	if (r.kind != KK_REPORT_PRODUCT)
		res = kk_error_field(err, path, "%s", _("A web-site report goes to the site's operator, not into a case."));
	else if (r.status != KK_REPORT_ACCEPTED)
		res = kk_error_field(err, path, "%s", _("Only an accepted report joins a case (SPEC 2.2)."));
	if (!res)
		res = kk_case_reports_case_of(tx, r.id, &other, NULL, err);
	if (!res && other)
		res = kk_error_field(err, path, "%s", _("This report is in another case already."));
	kk_report_release(&r);
	return res;
}

/* Every check that needs the database, each fault recorded: the reports and
 * the coordinator. KK_EINVAL when there was a fault (here or before). */
static enum kk_result check_all(struct kk_tx *tx, const struct opening *o, int64_t *report_ids, struct kk_error *err)
{
	enum kk_result res = KK_OK;

	for (size_t i = 0; i < o->n && (res == KK_OK || res == KK_EINVAL); i++) {
		enum kk_result r = case_check_report(tx, o->tids[i], i, &report_ids[i], err);

		if (r)
			res = r;
	}
	if ((res == KK_OK || res == KK_EINVAL) && o->coordinator_id) {
		enum kk_result r = case_check_coordinator(tx, o->coordinator_id, err);

		if (r)
			res = r;
	}
	return res ? res : kk_error_result(err, KK_OK);
}

enum kk_result case_insert(struct kk_tx *tx, struct kk_case *c, struct kk_error *err)
{
	char *prefix = NULL, ref[KK_CASE_REF_MAX];
	enum kk_result res = kk_setting_read(tx, "case_prefix", KK_CASE_DEFAULT_PREFIX, &prefix, err);

	for (int i = 0; !res && i < REF_TRIES; i++) {
		snprintf(ref, sizeof(ref), "%s#%06u", prefix, (unsigned)randombytes_uniform(1000000));
		c->ref = ref;
		res = kk_cases_insert(tx, c, err);
		c->ref = NULL;
		if (res != KK_EEXISTS)
			break;
		res = i + 1 < REF_TRIES ? KK_OK : kk_error_set(err, KK_EDB, "%s", _("No free case number was found; try again."));
	}
	if (!res && !(c->ref = kk_strdup(ref)))
		res = kk_error_nomem(err);
	free(prefix);
	return res;
}

static enum kk_result store_case(struct kk_tx *tx, const struct kk_user *actor, const struct opening *o,
				 const int64_t *report_ids, struct kk_case *c, struct kk_error *err)
{
	int64_t now = kk_now();
	struct kk_vuln v = { .cwe_id = 0, .cvss3_score_tenths = -1, .cvss4_score_tenths = -1 };
	enum kk_result res;
	json_t *detail = NULL, *tids = json_array();

	if (!tids)
		return kk_error_nomem(err);
	c->title = (char *)o->title;
	c->summary = (char *)o->summary;
	c->detail = (char *)o->detail;
	c->state = (char *)kk_case_flow.states[0].name;
	c->coordinator_id = o->coordinator_id ? o->coordinator_id : actor->id;
	c->vendors_see_names = o->see_names;
	c->created_by = actor->id;
	c->created_at = c->updated_at = now;
	res = case_insert(tx, c, err);
	c->title = c->summary = c->detail = c->state = NULL; /* the body's, not c's */
	for (size_t i = 0; i < o->n && !res; i++) {
		char label[4];

		res = kk_case_reports_add(tx, c->id, report_ids[i], case_finder_letter((int)i, label, sizeof(label)), now,
					  err);
		/* SPEC 2.5: the vendors the coordinator confirmed for the report join the case */
		if (!res)
			res = kk_case_vendors_from_report(tx, c->id, report_ids[i], actor->id, now, err);
		if (!res && json_array_append_new(tids, json_string(o->tids[i])) != 0)
			res = kk_error_nomem(err);
	}
	if (!res) {
		v.case_id = c->id;
		v.title = (char *)o->title;
		v.created_at = v.updated_at = now;
		res = kk_vulns_insert(tx, &v, err);
	}
	if (!res)
		res = kk_vendor_statuses_fill(tx, c->id, "not_notified", now, actor->id, err);
	if (!res && !(detail = json_pack("{s:O, s:s}", "reports", tids, "title", o->title)))
		res = kk_error_nomem(err);
	if (!res)
		res = kk_audit_record(tx, actor, "case", c->id, "open", NULL, kk_case_flow.states[0].name, detail, err);
	json_decref(detail);
	json_decref(tids);
	return res;
}

enum kk_result kk_case_open(struct kk_store *s, const struct kk_user *actor, const json_t *body, json_t **out,
			    struct kk_error *err)
{
	struct kk_error local = KK_ERROR_INIT, *e = err ? err : &local; /* the faults are counted in e */
	struct opening o = { 0 };
	struct kk_case c = { 0 };
	int64_t report_ids[KK_CASE_REPORTS_MAX] = { 0 };
	struct kk_tx tx;
	enum kk_result res;

	if (out)
		*out = NULL;
	if (!kk_may(actor, KK_ACT_CASE_OPEN, NULL))
		res = kk_error_set(e, KK_EDENIED, "%s", _("Only a coordinator opens a case."));
	else if (parse(body, &o, e), !json_is_object(body))
		res = kk_error_result(e, KK_EINVAL);
	else if (!(res = kk_tx_begin(s, 1, &tx, e))) {
		/* the faults of the body and those the database shows, all at once */
		res = check_all(&tx, &o, report_ids, e);
		if (!res)
			res = store_case(&tx, actor, &o, report_ids, &c, e);
		res = kk_tx_end(&tx, res, e);
	}
	if (!res && out)
		res = kk_case_get(s, actor, c.ref, out, e);
	if (e == &local)
		kk_error_release(&local);
	kk_case_release(&c);
	return res;
}
