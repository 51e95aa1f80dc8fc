/*
 * queue.c: the intake queue (SPEC 2.2, 2.3): one page of reports, high
 * impact first regardless of arrival, then the higher CVSS v3 base score, then
 * the older, with the length of the whole queue, for the roles that may list it.
 *
 * The database orders and pages it (store/report_queue.c), from the rank that
 * kk_report_impact gave each report when it was stored or last assessed, so a
 * page costs the same whether the queue holds ten reports or thirty thousand.
 * What a row shows is worked out here, for the page's reports only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/authz.h"
#include "keikai/cvss.h"
#include "keikai/i18n.h"
#include "keikai/report.h"
#include "keikai/util.h"
#include "store/report_queue.h"

/* A whole number from 1 to max, in decimal digits only (no sign, no blanks), or
 * the default when s is NULL or empty. 0 on success, else -1. */
static int parse_count(const char *s, int64_t max, int64_t dflt, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s) {
		*out = dflt;
		return 0;
	}
	if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 1 || v > max)
		return -1;
	*out = v;
	return 0;
}

enum kk_result kk_queue_page_parse(const char *limit, const char *page, struct kk_queue_page *which,
				   struct kk_error *err)
{
	enum kk_result res = KK_OK;
	int64_t n;

	if (parse_count(limit, KK_QUEUE_LIMIT_MAX, KK_QUEUE_LIMIT_DEFAULT, &n) == 0)
		which->limit = (int)n;
	else
		res = kk_error_field(err, "limit", _("Must be a whole number from 1 to %d."), KK_QUEUE_LIMIT_MAX);
	if (parse_count(page, KK_QUEUE_PAGE_MAX, 1, &n) == 0)
		which->page = n;
	else
		res = kk_error_field(err, "page", _("Must be a whole number from 1 to %d."), KK_QUEUE_PAGE_MAX);
	return res ? KK_EINVAL : KK_OK;
}

/* What the queue shows of r, appended to the queue arg (whose rows have room
 * for the page). */
static enum kk_result add_row(const struct kk_report *r, void *arg, struct kk_error *err)
{
	struct kk_queue *q = arg;
	struct kk_queue_row *row = &q->rows[q->n];

	snprintf(row->tracking_id, sizeof(row->tracking_id), "%s", r->tracking_id);
	row->kind = r->kind;
	row->status = r->status;
	row->received_at = r->received_at;
	row->accepted_at = r->accepted_at;
	row->impact = kk_report_impact(r, &row->score_tenths, &row->scope, NULL);
	row->title = kk_report_title(r);
	if (!row->title)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	q->n++;
	return KK_OK;
}

void kk_queue_release(struct kk_queue *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		free(q->rows[i].title);
	free(q->rows);
	memset(q, 0, sizeof(*q));
}

enum kk_result kk_report_queue(struct kk_store *s, const struct kk_user *viewer, const struct kk_queue_page *which,
			       struct kk_queue *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = KK_OK;

	memset(out, 0, sizeof(*out));
	if (!kk_may(viewer, KK_ACT_QUEUE_READ, NULL))
		return kk_error_set(err, KK_EDENIED, "%s", _("Your role may not see the report queue."));
	if (which->limit < 1 || which->limit > KK_QUEUE_LIMIT_MAX)
		res = kk_error_field(err, "limit", _("Must be a whole number from 1 to %d."), KK_QUEUE_LIMIT_MAX);
	if (which->page < 1 || which->page > KK_QUEUE_PAGE_MAX)
		res = kk_error_field(err, "page", _("Must be a whole number from 1 to %d."), KK_QUEUE_PAGE_MAX);
	if (res)
		return KK_EINVAL;
	if (!(out->rows = kk_calloc((size_t)which->limit, sizeof(*out->rows))))
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	res = kk_tx_begin(s, 0, &tx, err);
	if (!res) {
		res = kk_reports_queue_count(&tx, which->status, &out->total, err);
		if (!res)
			res = kk_reports_queue_page(&tx, which->status, which->limit, (which->page - 1) * which->limit,
						    add_row, out, err);
		res = kk_tx_end(&tx, res, err);
	}
	if (res)
		kk_queue_release(out);
	return res;
}

json_t *kk_queue_row_json(const struct kk_queue_row *row)
{
	int t = row->score_tenths;

	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:s, s:s}", "tracking_id", row->tracking_id, "kind",
			 kk_report_kind_name(row->kind), "status", kk_report_status_name(row->status), "title",
			 row->title, "received_at", kk_json_time(row->received_at), "accepted_at",
			 kk_json_time(row->accepted_at), "base_score", t >= 0 ? json_real(t / 10.0) : json_null(),
			 "severity",
			 t >= 0 ? json_string(kk_cvss_severity_name(kk_cvss_rate(KK_CVSS_V3_1, t))) : json_null(),
			 "scope", kk_scope_name(row->scope), "impact", kk_impact_name(row->impact));
}

enum kk_result kk_report_list(struct kk_store *s, const struct kk_user *viewer, const struct kk_queue_page *which,
			      json_t **out, int64_t *total, struct kk_error *err)
{
	struct kk_queue q;
	enum kk_result res = kk_report_queue(s, viewer, which, &q, err);

	*out = NULL;
	*total = q.total;
	if (res)
		return res;
	*out = json_array();
	for (size_t i = 0; *out && i < q.n; i++) {
		if (json_array_append_new(*out, kk_queue_row_json(&q.rows[i])) != 0) {
			json_decref(*out);
			*out = NULL;
		}
	}
	kk_queue_release(&q);
	if (!*out) {
		*total = 0;
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	}
	return KK_OK;
}
