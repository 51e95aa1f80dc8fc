/*
 * reminders_due.c: what each clock of the scheduler waits for (reminders.h;
 * issue 10, SPEC 8). Every query selects the fourteen columns of struct
 * kk_due in its order, NULL where a column means nothing to it, so one reader
 * serves them all. The queries ask what holds now, not what changed since the
 * last tick: a tick that was missed catches up (schedule.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "reminders.h"
#include "rows.h"

void kk_dues_free(struct kk_due *d, size_t n)
{
	for (size_t i = 0; d && i < n; i++) {
		free(d[i].ref);
		free(d[i].tracking_id);
		free(d[i].title);
		free(d[i].name_ja);
		free(d[i].name_en);
		free(d[i].address);
		free(d[i].lang);
	}
	free(d);
}

static void due_release(void *elem)
{
	struct kk_due *d = elem;

	free(d->ref);
	free(d->tracking_id);
	free(d->title);
	free(d->name_ja);
	free(d->name_en);
	free(d->address);
	free(d->lang);
	memset(d, 0, sizeof(*d));
}

static enum kk_result due_read(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	struct kk_due *d = elem;
	int lost = 0;

	memset(d, 0, sizeof(*d));
	d->object_id = kk_stmt_int(st, 0);
	d->case_id = kk_stmt_int(st, 1);
	d->report_id = kk_stmt_int(st, 2);
	d->vendor_id = kk_stmt_int(st, 3);
	d->t0 = kk_stmt_int(st, 4);
	d->n = kk_stmt_int(st, 5);
	d->user_id = kk_stmt_int(st, 6);
	kk_stmt_dup_into(st, 7, &d->ref, &lost);
	kk_stmt_dup_into(st, 8, &d->tracking_id, &lost);
	kk_stmt_dup_into(st, 9, &d->title, &lost);
	kk_stmt_dup_into(st, 10, &d->name_ja, &lost);
	kk_stmt_dup_into(st, 11, &d->name_en, &lost);
	kk_stmt_dup_into(st, 12, &d->address, &lost);
	kk_stmt_dup_into(st, 13, &d->lang, &lost);
	return lost ? kk_error_nomem(err) : KK_OK;
}

static enum kk_result dues(struct kk_tx *tx, const char *sql, struct kk_due **out, size_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, sql, err);
	void *list = NULL;
	enum kk_result res;

	*out = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	res = kk_rows_collect(st, sizeof(struct kk_due), due_read, due_release, &list, n, err);
	*out = list;
	return res;
}

enum kk_result kk_due_unacknowledged(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err)
{
	/* SPEC 8: the report's product (or site) stands in for a title; staff only */
	return dues(tx,
		    "SELECT r.id, NULL, r.id, NULL, r.received_at, 0, NULL, r.tracking_id, r.tracking_id,"
		    " COALESCE(r.product_name, r.website_url), NULL, NULL, NULL, r.lang"
		    " FROM reports r WHERE r.status = 'received' ORDER BY r.received_at, r.id",
		    out, n, err);
}

enum kk_result kk_due_silent_vendors(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err)
{
	/* G IV.4.2: silent since the summary: no answer and no status a vendor
	 * reaches by answering (detail_requested and beyond, no_response and
	 * unreachable included) */
	return dues(tx,
		    "SELECT cv.id, cv.case_id, NULL, cv.vendor_id,"
		    " COALESCE((SELECT MAX(a.at) FROM contact_attempts a"
		    "   WHERE a.case_id = cv.case_id AND a.vendor_id = cv.vendor_id), cv.notified_at),"
		    " (SELECT COUNT(*) FROM contact_attempts a WHERE a.case_id = cv.case_id"
		    "   AND a.vendor_id = cv.vendor_id AND a.stage = 'reminder'),"
		    " c.coordinator_id, c.ref, NULL, c.title, v.name_ja, v.name_en, NULL, v.preferred_lang"
		    " FROM case_vendors cv JOIN cases c ON c.id = cv.case_id JOIN vendors v ON v.id = cv.vendor_id"
		    " WHERE c.state = 'open' AND cv.notified_at IS NOT NULL AND cv.answer IS NULL"
		    " AND NOT EXISTS (SELECT 1 FROM vendor_statuses s WHERE s.case_vendor_id = cv.id"
		    "   AND s.status NOT IN ('not_notified', 'notified', 'summary_read'))"
		    " AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.clock = 'vendor_silent'"
		    "   AND m.object_type = 'case_vendor' AND m.object_id = cv.id AND m.occasion = 'no_response')"
		    " ORDER BY cv.id",
		    out, n, err);
}

enum kk_result kk_due_set_dates(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err)
{
	return dues(tx,
		    "SELECT c.id, c.id, NULL, NULL, c.publication_at, 0, c.coordinator_id, c.ref, NULL, c.title,"
		    " NULL, NULL, NULL, NULL FROM cases c"
		    " WHERE c.state = 'open' AND c.date_state = 'set' AND c.publication_at IS NOT NULL"
		    " ORDER BY c.publication_at, c.id",
		    out, n, err);
}

enum kk_result kk_due_questions(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err)
{
	/* a finder's thread is keyed by the report; its case may come later */
	return dues(tx,
		    "SELECT m.id, t.case_id, t.report_id, NULL, m.created_at, 0, c.coordinator_id,"
		    " COALESCE(c.ref, r.tracking_id), r.tracking_id, c.title, NULL, NULL, NULL, r.lang"
		    " FROM case_messages m JOIN case_threads t ON t.id = m.thread_id"
		    " JOIN reports r ON r.id = t.report_id LEFT JOIN cases c ON c.id = t.case_id"
		    " WHERE t.kind = 'finder' AND m.kind = 'question' AND m.author_kind = 'finder'"
		    " AND m.answered_at IS NULL ORDER BY m.created_at, m.id",
		    out, n, err);
}

enum kk_result kk_due_case_finders(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err)
{
	return dues(tx,
		    "SELECT c.id, c.id, r.id, NULL, c.day0, 0, c.coordinator_id, c.ref, r.tracking_id, c.title,"
		    " cr.finder_label, NULL, r.finder_email, r.lang"
		    " FROM cases c JOIN case_reports cr ON cr.case_id = c.id JOIN reports r ON r.id = cr.report_id"
		    " WHERE c.state = 'open' AND c.day0 IS NOT NULL ORDER BY c.day0, c.id, cr.id",
		    out, n, err);
}

enum kk_result kk_due_lift_requests(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err)
{
	return dues(tx,
		    "SELECT l.id, l.case_id, l.report_id, NULL, l.requested_at, 0, c.coordinator_id, c.ref,"
		    " r.tracking_id, c.title, NULL, NULL, NULL, r.lang"
		    " FROM lift_requests l JOIN cases c ON c.id = l.case_id JOIN reports r ON r.id = l.report_id"
		    " WHERE l.state = 'requested' ORDER BY l.requested_at, l.id",
		    out, n, err);
}

enum kk_result kk_due_unreachable(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err)
{
	return dues(tx,
		    "SELECT cv.id, cv.case_id, NULL, cv.vendor_id, c.day0, 0, c.coordinator_id, c.ref, NULL,"
		    " c.title, v.name_ja, v.name_en, NULL, v.preferred_lang"
		    " FROM case_vendors cv JOIN cases c ON c.id = cv.case_id JOIN vendors v ON v.id = cv.vendor_id"
		    " WHERE c.state = 'open' AND c.day0 IS NOT NULL"
		    " AND EXISTS (SELECT 1 FROM vendor_statuses s WHERE s.case_vendor_id = cv.id"
		    "   AND s.status IN ('no_response', 'unreachable'))"
		    " ORDER BY c.day0, cv.id",
		    out, n, err);
}

/* ---- a vendor's channels ---- */

void kk_channels_free(struct kk_channel *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		free(c[i].value);
	free(c);
}

static void channel_release(void *elem)
{
	struct kk_channel *c = elem;

	free(c->value);
	c->value = NULL;
}

static enum kk_result channel_read(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	struct kk_channel *c = elem;
	const char *ch = kk_stmt_text(st, 1);

	memset(c, 0, sizeof(*c));
	c->id = kk_stmt_int(st, 0);
	snprintf(c->channel, sizeof(c->channel), "%s", ch ? ch : "");
	c->tried = kk_stmt_int(st, 3) != 0;
	if (!(c->value = kk_stmt_dup(st, 2)))
		return kk_error_nomem(err);
	return KK_OK;
}

enum kk_result kk_due_channels(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, struct kk_channel **out,
			       size_t *n, struct kk_error *err)
{
	/* SPEC 4.1: e-mail first (keikai sends it), then what a person must use */
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT k.id, k.channel, k.value,"
					     " CASE WHEN EXISTS (SELECT 1 FROM contact_attempts a WHERE a.case_id = ?"
					     "   AND a.vendor_id = k.vendor_id AND a.channel = k.channel"
					     "   AND lower(a.address) = lower(k.value)) THEN 1 ELSE 0 END"
					     " FROM vendor_contacts k WHERE k.vendor_id = ? AND k.is_valid = 1"
					     " ORDER BY CASE WHEN k.channel = 'email' THEN 0 ELSE 1 END,"
					     " k.is_primary DESC, k.id",
					     err);
	void *list = NULL;
	enum kk_result res;

	*out = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	kk_stmt_bind_int(st, 2, vendor_id);
	res = kk_rows_collect(st, sizeof(struct kk_channel), channel_read, channel_release, &list, n, err);
	*out = list;
	return res;
}
