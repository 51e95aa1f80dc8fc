/*
 * cases.c: the repository of cases (cases.h): the statements on tables cases,
 * case_reports and vulnerabilities in the SQL both engines share (store.h).
 * Affected products and passed-on attachments are in case_parts.c. What is
 * valid is lib/case/'s.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "cases.h"
#include "rows.h"

#define CASE_COLUMNS                                                                                      \
	"id, ref, title, state, summary, detail, advisory_id, coordinator_id, created_by, created_at," \
	" updated_at, day0, vendors_see_names, date_state, proposed_at, publication_at, ready_at, vendor_found"

void kk_case_release(struct kk_case *c)
{
	if (!c)
		return;
	free(c->ref);
	free(c->title);
	free(c->state);
	free(c->summary);
	free(c->detail);
	free(c->advisory_id);
	free(c->date_state);
	memset(c, 0, sizeof(*c));
}

static enum kk_result read_case(const struct kk_stmt *st, struct kk_case *out, struct kk_error *err)
{
	char **texts[] = { &out->ref, &out->title, &out->state, &out->summary, &out->detail, &out->advisory_id };
	int lost = 0;

	memset(out, 0, sizeof(*out));
	out->id = kk_stmt_int(st, 0);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		kk_stmt_dup_into(st, (int)i + 1, texts[i], &lost);
	out->coordinator_id = kk_stmt_int(st, 7);
	out->created_by = kk_stmt_int(st, 8);
	out->created_at = kk_stmt_int(st, 9);
	out->updated_at = kk_stmt_int(st, 10);
	out->day0 = kk_stmt_int(st, 11);
	out->vendors_see_names = kk_stmt_int(st, 12) != 0;
	kk_stmt_dup_into(st, 13, &out->date_state, &lost);
	out->proposed_at = kk_stmt_int(st, 14);
	out->publication_at = kk_stmt_int(st, 15);
	out->ready_at = kk_stmt_int(st, 16);
	out->vendor_found = kk_stmt_int(st, 17) != 0;
	if (lost) {
		kk_case_release(out);
		return kk_error_nomem(err);
	}
	return KK_OK;
}

enum kk_result kk_cases_insert(struct kk_tx *tx, struct kk_case *c, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO cases(ref, title, state, summary, detail, coordinator_id,"
					     " vendors_see_names, created_by, created_at, updated_at, vendor_found)"
					     " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(ref) DO NOTHING RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, c->ref);
	kk_stmt_bind_text(st, 2, c->title);
	kk_stmt_bind_text(st, 3, c->state);
	kk_stmt_bind_text(st, 4, c->summary);
	kk_stmt_bind_text(st, 5, c->detail);
	kk_stmt_bind_opt_int(st, 6, c->coordinator_id);
	kk_stmt_bind_int(st, 7, c->vendors_see_names);
	kk_stmt_bind_opt_int(st, 8, c->created_by);
	kk_stmt_bind_int(st, 9, c->created_at);
	kk_stmt_bind_int(st, 10, c->updated_at);
	kk_stmt_bind_int(st, 11, c->vendor_found);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		c->id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND) /* the ref is taken: nothing was written */
		res = KK_EEXISTS;
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_cases_load(struct kk_tx *tx, const char *ref, int64_t id, struct kk_case *out, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     ref ? "SELECT " CASE_COLUMNS " FROM cases WHERE ref = ?"
						 : "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?",
					     err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	if (ref)
		kk_stmt_bind_text(st, 1, ref);
	else
		kk_stmt_bind_int(st, 1, id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		res = read_case(st, out, err);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_cases_save(struct kk_tx *tx, const struct kk_case *c, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE cases SET title = ?, summary = ?, detail = ?, coordinator_id = ?,"
					     " vendors_see_names = ?, updated_at = ? WHERE id = ?",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, c->title);
	kk_stmt_bind_text(st, 2, c->summary);
	kk_stmt_bind_text(st, 3, c->detail);
	kk_stmt_bind_opt_int(st, 4, c->coordinator_id);
	kk_stmt_bind_int(st, 5, c->vendors_see_names);
	kk_stmt_bind_int(st, 6, c->updated_at);
	kk_stmt_bind_int(st, 7, c->id);
	return kk_stmt_once(st, err);
}

enum kk_result kk_cases_set_state(struct kk_tx *tx, int64_t id, const char *from, const char *to, int64_t at,
				  struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE cases SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, to);
	kk_stmt_bind_int(st, 2, at);
	kk_stmt_bind_int(st, 3, id);
	kk_stmt_bind_text(st, 4, from);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) != 1)
		res = kk_error_set(err, KK_ECONFLICT, "%s", _("The case changed meanwhile; load it again."));
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_cases_fix_day0(struct kk_tx *tx, int64_t id, int64_t at, int64_t *day0, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE cases SET day0 = COALESCE(day0, ?), updated_at = ? WHERE id = ?"
					     " RETURNING day0",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, at);
	kk_stmt_bind_int(st, 2, at);
	kk_stmt_bind_int(st, 3, id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		*day0 = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("The case is gone."));
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_cases_each(struct kk_tx *tx, int64_t vendor_id, int64_t coordinator_id, const char *state,
			     kk_case_fn *fn, void *arg, struct kk_error *err)
{
	/* a vendor: only cases it was notified of (SPEC 1) */
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"SELECT " CASE_COLUMNS " FROM cases c WHERE"
		" (?1 = 0 OR EXISTS (SELECT 1 FROM case_vendors v WHERE v.case_id = c.id AND v.vendor_id = ?1"
		"   AND v.notified_at IS NOT NULL))"
		" AND (?2 = 0 OR c.coordinator_id = ?2) AND (CAST(?3 AS TEXT) IS NULL OR c.state = ?3)"
		" ORDER BY c.created_at DESC, c.id DESC",
		err);
	struct kk_case c;
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, vendor_id);
	kk_stmt_bind_int(st, 2, coordinator_id);
	kk_stmt_bind_text(st, 3, state);
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		res = read_case(st, &c, err);
		if (!res)
			res = fn(&c, arg, err);
		kk_case_release(&c);
	}
	if (!res && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

/* ---- the reports of a case ---- */

enum kk_result kk_case_reports_add(struct kk_tx *tx, int64_t case_id, int64_t report_id, const char *label,
				   int64_t at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "INSERT INTO case_reports(case_id, report_id, finder_label, added_at) VALUES(?, ?, ?, ?)", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, report_id);
	kk_stmt_bind_text(st, 3, label);
	kk_stmt_bind_int(st, 4, at);
	return kk_stmt_once(st, err);
}

enum kk_result kk_case_reports_list(struct kk_tx *tx, int64_t case_id, struct kk_case_report *out, size_t max,
				    size_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT cr.report_id, r.tracking_id, cr.finder_label, cr.added_at"
					     " FROM case_reports cr JOIN reports r ON r.id = cr.report_id"
					     " WHERE cr.case_id = ? ORDER BY cr.id",
					     err);
	enum kk_step step = KK_STEP_DONE;

	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	while (*n < max && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		struct kk_case_report *r = &out[(*n)++];

		r->report_id = kk_stmt_int(st, 0);
		snprintf(r->tracking_id, sizeof(r->tracking_id), "%s", kk_stmt_text(st, 1));
		snprintf(r->label, sizeof(r->label), "%s", kk_stmt_text(st, 2));
		r->added_at = kk_stmt_int(st, 3);
	}
	enum kk_result res = step == KK_STEP_ERROR ? kk_stmt_result(st) : KK_OK;

	kk_stmt_free(st);
	return res;
}

enum kk_result kk_case_reports_any_direct(struct kk_tx *tx, int64_t case_id, int *any, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT COUNT(*) FROM case_reports cr JOIN reports r ON r.id = cr.report_id"
					     " WHERE cr.case_id = ? AND r.direct_contact = 1",
					     err);

	*any = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_any(st, any, err);
}

enum kk_result kk_case_reports_case_of(struct kk_tx *tx, int64_t report_id, int64_t *case_id, char *label,
				       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT case_id, finder_label FROM case_reports WHERE report_id = ?",
					     err);
	enum kk_result res;

	*case_id = 0;
	if (label)
		label[0] = '\0';
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, report_id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		*case_id = kk_stmt_int(st, 0);
		if (label)
			snprintf(label, 4, "%s", kk_stmt_text(st, 1));
	}
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? KK_OK : res;
}

/* ---- vulnerabilities ---- */

#define VULN_COLUMNS                                                                                        \
	"id, case_id, idx, title, description, cvss3_vector, cvss4_vector, cve_id, cwe_id, cvss3_score_tenths," \
	" cvss4_score_tenths, created_at, updated_at"

void kk_vuln_release(struct kk_vuln *v)
{
	if (!v)
		return;
	free(v->title);
	free(v->description);
	free(v->cvss3_vector);
	free(v->cvss4_vector);
	free(v->cve_id);
	memset(v, 0, sizeof(*v));
}

static enum kk_result read_vuln(const struct kk_stmt *st, struct kk_vuln *out, struct kk_error *err)
{
	char **texts[] = { &out->title, &out->description, &out->cvss3_vector, &out->cvss4_vector, &out->cve_id };
	int lost = 0;

	memset(out, 0, sizeof(*out));
	out->id = kk_stmt_int(st, 0);
	out->case_id = kk_stmt_int(st, 1);
	out->number = (int)kk_stmt_int(st, 2);
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		kk_stmt_dup_into(st, (int)i + 3, texts[i], &lost);
	out->cwe_id = kk_stmt_int(st, 8);
	out->cvss3_score_tenths = (int)kk_stmt_int(st, 9);
	out->cvss4_score_tenths = (int)kk_stmt_int(st, 10);
	out->created_at = kk_stmt_int(st, 11);
	out->updated_at = kk_stmt_int(st, 12);
	if (lost) {
		kk_vuln_release(out);
		return kk_error_nomem(err);
	}
	return KK_OK;
}

static void bind_vuln(struct kk_stmt *st, int i, const struct kk_vuln *v)
{
	kk_stmt_bind_text(st, i, v->title);
	kk_stmt_bind_text(st, i + 1, v->description);
	kk_stmt_bind_opt_int(st, i + 2, v->cwe_id);
	kk_stmt_bind_text(st, i + 3, v->cvss3_vector);
	kk_stmt_bind_int(st, i + 4, v->cvss3_score_tenths);
	kk_stmt_bind_text(st, i + 5, v->cvss4_vector);
	kk_stmt_bind_int(st, i + 6, v->cvss4_score_tenths);
	kk_stmt_bind_text(st, i + 7, v->cve_id);
	kk_stmt_bind_int(st, i + 8, v->updated_at);
}

enum kk_result kk_vulns_insert(struct kk_tx *tx, struct kk_vuln *v, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		"INSERT INTO vulnerabilities(title, description, cwe_id, cvss3_vector, cvss3_score_tenths, cvss4_vector,"
		" cvss4_score_tenths, cve_id, updated_at, case_id, created_at, idx)"
		" VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?10, ?11,"
		"  (SELECT COALESCE(MAX(idx), 0) + 1 FROM vulnerabilities WHERE case_id = ?10)) RETURNING id, idx",
		err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	bind_vuln(st, 1, v);
	kk_stmt_bind_int(st, 10, v->case_id);
	kk_stmt_bind_int(st, 11, v->created_at);
	res = kk_stmt_first(st, err);
	if (res == KK_OK) {
		v->id = kk_stmt_int(st, 0);
		v->number = (int)kk_stmt_int(st, 1);
	} else if (res == KK_ENOTFOUND) {
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "vulnerability");
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_vulns_save(struct kk_tx *tx, const struct kk_vuln *v, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE vulnerabilities SET title = ?, description = ?, cwe_id = ?,"
					     " cvss3_vector = ?, cvss3_score_tenths = ?, cvss4_vector = ?,"
					     " cvss4_score_tenths = ?, cve_id = ?, updated_at = ? WHERE id = ?",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	bind_vuln(st, 1, v);
	kk_stmt_bind_int(st, 10, v->id);
	return kk_stmt_once(st, err);
}

enum kk_result kk_vulns_load(struct kk_tx *tx, int64_t case_id, int number, struct kk_vuln *out,
			     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "SELECT " VULN_COLUMNS " FROM vulnerabilities WHERE case_id = ? AND idx = ?", err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, number);
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		res = read_vuln(st, out, err);
	kk_stmt_free(st);
	return res;
}

void kk_vulns_free(struct kk_vuln *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		kk_vuln_release(&v[i]);
	free(v);
}

static enum kk_result read_vuln_elem(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	return read_vuln(st, elem, err);
}

static void release_vuln_elem(void *elem)
{
	kk_vuln_release(elem);
}

enum kk_result kk_vulns_list(struct kk_tx *tx, int64_t case_id, struct kk_vuln **out, size_t *n,
			     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx, "SELECT " VULN_COLUMNS " FROM vulnerabilities WHERE case_id = ? ORDER BY idx", err);

	*out = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_collect(st, sizeof(**out), read_vuln_elem, release_vuln_elem, (void **)out, n, err);
}
