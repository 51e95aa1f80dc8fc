/*
 * report_queue.c: the intake queue's side of the reports repository
 * (report_queue.h): each report's place in the queue, one page of the queue in
 * queue order, its length, and the pass that ranks reports stored before the
 * rank columns existed.
 *
 * The order is SQL's, served by an index on both engines (schema.c, "the queue in
 * SQL"): ORDER BY impact_rank DESC, score_tenths DESC, received_at, id, a page
 * being LIMIT / OFFSET over the index first and the page's rows after
 * (QUEUE_PAGE). Both columns are NOT NULL (-1 for "none"), because SQLite and
 * PostgreSQL sort NULL at opposite ends. The statements with and without a status
 * are separate texts, so that each engine plans the filtered one on the index
 * that starts with status.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "report/internal.h"
#include "report_queue.h"
#include "reports.h"

#define QUEUE_COLUMNS                                                                                       \
	"r.tracking_id, r.kind, r.status, r.product_vendor, r.product_name, r.product_version, r.website_url," \
	" r.received_at, r.accepted_at, r.cvss_vector, r.assessed_vector, r.scope_users, r.scope_critical,"   \
	" r.scope_attack, r.assessed_at, r.id"
/* SPEC 2.3: high impact first regardless of arrival, then higher score, then older. */
#define QUEUE_ORDER "impact_rank DESC, score_tenths DESC, received_at, id"
/* One page: the ids of the page from the index alone (it holds every column the
 * order and the filter read, so a deep OFFSET skips index entries, not rows),
 * then those rows. Read in one pass, the rows of a deep page would each be
 * fetched and dropped, and PostgreSQL would rather sort the whole table. */
#define QUEUE_PAGE(where)                                                                                \
	"SELECT " QUEUE_COLUMNS " FROM reports r JOIN (SELECT id FROM reports" where " ORDER BY " QUEUE_ORDER \
	" LIMIT ? OFFSET ?) page ON page.id = r.id"                                                      \
	" ORDER BY r.impact_rank DESC, r.score_tenths DESC, r.received_at, r.id"

/* How many unranked reports kk_reports_rank_missing reads before it writes. */
#define RANK_BATCH 256

void kk_reports_rank_of(const struct kk_report *r, int64_t *rank, int64_t *tenths)
{
	enum kk_scope scope;
	int score;

	*rank = (int64_t)kk_report_impact(r, &score, &scope, NULL);
	*tenths = score;
}

enum kk_result kk_reports_queue_count(struct kk_tx *tx, int status, int64_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, status < 0 ? "SELECT count(*) FROM reports"
							    : "SELECT count(*) FROM reports WHERE status = ?", err);
	enum kk_result res;

	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	if (status >= 0)
		kk_stmt_bind_text(st, 1, kk_report_status_name((enum kk_report_status)status));
	res = kk_stmt_first(st, err);
	if (res == KK_OK)
		*n = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND) /* count(*) answers one row, even for no reports */
		res = KK_OK;
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_reports_queue_page(struct kk_tx *tx, int status, int64_t limit, int64_t offset,
				     kk_reports_row_fn *fn, void *arg, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, status < 0 ? QUEUE_PAGE("") : QUEUE_PAGE(" WHERE status = ?"), err);
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;
	int c = 1;

	if (!st)
		return kk_error_result(err, KK_EDB);
	if (status >= 0)
		kk_stmt_bind_text(st, c++, kk_report_status_name((enum kk_report_status)status));
	kk_stmt_bind_int(st, c++, limit);
	kk_stmt_bind_int(st, c, offset);
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		struct kk_report r = { 0 };
		const char *kind = kk_stmt_text(st, 1);

		snprintf(r.tracking_id, sizeof(r.tracking_id), "%s", kk_stmt_text(st, 0));
		r.kind = kind && strcmp(kind, "website") == 0 ? KK_REPORT_WEBSITE : KK_REPORT_PRODUCT;
		kk_report_status_parse(kk_stmt_text(st, 2), &r.status);
		r.product_vendor = (char *)kk_stmt_text(st, 3);
		r.product_name = (char *)kk_stmt_text(st, 4);
		r.product_version = (char *)kk_stmt_text(st, 5);
		r.website_url = (char *)kk_stmt_text(st, 6);
		r.received_at = kk_stmt_int(st, 7);
		r.accepted_at = kk_stmt_int(st, 8);
		r.cvss_vector = (char *)kk_stmt_text(st, 9);
		kk_reports_read_assessment(st, 10, &r);
		r.id = kk_stmt_int(st, 15);
		if (kk_stmt_text(st, 10) && !r.assessed_vector)
			res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
		else
			res = fn(&r, arg, err);
		free(r.assessed_vector);
	}
	if (!res && step == KK_STEP_ERROR)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

/* ---- ranking the reports stored before the columns ---- */

struct rank {
	int64_t id, rank, tenths;
};

/* Reads up to RANK_BATCH unranked reports into out and ranks them; *n is how many. */
static enum kk_result read_unranked(struct kk_tx *tx, struct rank *out, size_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT id, cvss_vector, assessed_vector, scope_users, scope_critical,"
						 " scope_attack, assessed_at FROM reports WHERE impact_rank = ? LIMIT ?", err);
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, KK_RANK_MISSING);
	kk_stmt_bind_int(st, 2, RANK_BATCH);
	while (*n < RANK_BATCH && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		struct kk_report r = { 0 };

		r.cvss_vector = (char *)kk_stmt_text(st, 1);
		kk_reports_read_assessment(st, 2, &r);
		out[*n].id = kk_stmt_int(st, 0);
		if (kk_stmt_text(st, 2) && !r.assessed_vector) {
			res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
			break;
		}
		kk_reports_rank_of(&r, &out[*n].rank, &out[*n].tenths);
		free(r.assessed_vector);
		(*n)++;
	}
	if (!res && step == KK_STEP_ERROR)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

static enum kk_result save_ranks(struct kk_tx *tx, const struct rank *ranks, size_t n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE reports SET impact_rank = ?, score_tenths = ? WHERE id = ?", err);
	enum kk_result res = KK_OK;

	if (!st)
		return kk_error_result(err, KK_EDB);
	for (size_t i = 0; i < n && !res; i++) {
		kk_stmt_reset(st);
		kk_stmt_bind_int(st, 1, ranks[i].rank);
		kk_stmt_bind_int(st, 2, ranks[i].tenths);
		kk_stmt_bind_int(st, 3, ranks[i].id);
		res = kk_stmt_exec(st, err);
	}
	kk_stmt_free(st);
	return res;
}

/* Reads a batch, then writes it: a statement is never stepped while the rows it
 * reads change. Every batch ranks what it read (a rank is 0 to 3), so the loop
 * ends. */
enum kk_result kk_reports_rank_missing(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	struct rank *batch = kk_malloc(RANK_BATCH * sizeof(*batch));
	enum kk_result res = KK_OK;
	size_t n = RANK_BATCH;

	(void)arg;
	if (!batch)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	while (!res && n == RANK_BATCH) {
		res = read_unranked(tx, batch, &n, err);
		if (!res)
			res = save_ranks(tx, batch, n, err);
	}
	free(batch);
	return res;
}
