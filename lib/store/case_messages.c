/*
 * case_messages.c: the repository of a case's threads, messages and their
 * attachments (case_messages.h; SPEC 2.13), in the SQL that SQLite and
 * PostgreSQL share (store.h). Who may read or write which thread is
 * lib/case/messages.c's; here are only the statements.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_messages.h"
#include "rows.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

#define THREAD_COLUMNS "id, case_id, vendor_id, report_id, kind, created_at"

static void read_thread(const struct kk_stmt *st, struct kk_case_thread *t)
{
	memset(t, 0, sizeof(*t));
	t->id = kk_stmt_int(st, 0);
	t->case_id = kk_stmt_int(st, 1);
	t->vendor_id = kk_stmt_int(st, 2);
	t->report_id = kk_stmt_int(st, 3);
	snprintf(t->kind, sizeof(t->kind), "%s", kk_stmt_text(st, 4));
	t->created_at = kk_stmt_int(st, 5);
}

/* kk_rows_collect's reader and releaser of threads (which own nothing) */
static enum kk_result collect_thread(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	read_thread(st, elem);
	return KK_OK;
}

static void release_nothing(void *elem)
{
}

/* Runs st (bound), a query of THREAD_COLUMNS for one row, into *out; frees st. */
static enum kk_result one_thread(struct kk_stmt *st, struct kk_case_thread *out, struct kk_error *err)
{
	enum kk_result res = kk_stmt_first(st, err);

	if (res == KK_OK)
		read_thread(st, out);
	kk_stmt_free(st);
	return res;
}

/* Runs st (bound), an INSERT … RETURNING id, into *id; frees st. */
static enum kk_result insert_returning(struct kk_stmt *st, int64_t *id, struct kk_error *err)
{
	enum kk_result res = kk_stmt_first(st, err);

	if (res == KK_ENOTFOUND) /* RETURNING always gives the row */
		res = kk_error_set(err, KK_EDB, "%s", _("The database returned no row for the new message."));
	if (res == KK_OK)
		*id = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	return res;
}

/* The thread of each kind is found by the columns that key it (case.h), in
 * this order: c the case, v the vendor, r the report. */
static const struct {
	const char *kind;
	const char *where;
	const char *keys;
} thread_keys[] = {
	{ "vendor", "kind = 'vendor' AND case_id = ? AND vendor_id = ?", "cv" },
	{ "finder", "kind = 'finder' AND report_id = ?", "r" },
	{ "finder_vendor", "kind = 'finder_vendor' AND case_id = ? AND vendor_id = ? AND report_id = ?", "cvr" },
};

enum kk_result kk_case_threads_find(struct kk_tx *tx, const char *kind, int64_t case_id, int64_t vendor_id,
				    int64_t report_id, int create, int64_t at, struct kk_case_thread *out,
				    struct kk_error *err)
{
	const char *where = NULL, *keys = "";
	struct kk_stmt *st;
	enum kk_result res;
	char sql[256];
	int finder;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(thread_keys) / sizeof(thread_keys[0]); i++)
		if (strcmp(thread_keys[i].kind, kind) == 0) {
			where = thread_keys[i].where;
			keys = thread_keys[i].keys;
		}
	if (!where)
		return kk_error_set(err, KK_EINVAL, _("There is no kind of thread \"%s\"."), kind);
	finder = strcmp(kind, "finder") == 0;
	if (create) {
		/* made at most once: two first posts at the same moment find one
		 * thread (the unique indexes of migration 10) */
		st = kk_stmt_prepare(tx,
				     "INSERT INTO case_threads(case_id, kind, vendor_id, report_id, created_at)"
				     " VALUES(?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
				     err);
		if (!st)
			return kk_error_result(err, KK_EDB);
		kk_stmt_bind_opt_int(st, 1, case_id);
		kk_stmt_bind_text(st, 2, kind);
		kk_stmt_bind_opt_int(st, 3, finder ? 0 : vendor_id);
		kk_stmt_bind_opt_int(st, 4, strcmp(kind, "vendor") == 0 ? 0 : report_id);
		kk_stmt_bind_int(st, 5, at);
		res = kk_stmt_once(st, err);
		if (res)
			return res;
	}
	snprintf(sql, sizeof(sql), "SELECT " THREAD_COLUMNS " FROM case_threads WHERE %s", where);
	st = kk_stmt_prepare(tx, sql, err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	for (int i = 0; keys[i]; i++)
		kk_stmt_bind_int(st, i + 1, keys[i] == 'c' ? case_id : keys[i] == 'v' ? vendor_id : report_id);
	res = one_thread(st, out, err);
	if (res == KK_OK && finder && case_id && !out->case_id) {
		/* the report joined a case after its finder first wrote */
		st = kk_stmt_prepare(tx, "UPDATE case_threads SET case_id = ? WHERE id = ?", err);
		if (!st)
			return kk_error_result(err, KK_EDB);
		kk_stmt_bind_int(st, 1, case_id);
		kk_stmt_bind_int(st, 2, out->id);
		res = kk_stmt_once(st, err);
		if (res == KK_OK)
			out->case_id = case_id;
	}
	return res;
}

enum kk_result kk_case_threads_load(struct kk_tx *tx, int64_t id, struct kk_case_thread *out, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " THREAD_COLUMNS " FROM case_threads WHERE id = ?", err);

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	return one_thread(st, out, err);
}

enum kk_result kk_case_threads_list(struct kk_tx *tx, int64_t case_id, int64_t report_id,
				    struct kk_case_thread **out, size_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(
		tx,
		case_id ? "SELECT " THREAD_COLUMNS " FROM case_threads WHERE case_id = ?1"
			  " OR (kind = 'finder' AND report_id IN (SELECT report_id FROM case_reports WHERE case_id = ?1))"
			  " ORDER BY id"
			: "SELECT " THREAD_COLUMNS " FROM case_threads WHERE report_id = ?1 ORDER BY id",
		err);

	*out = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id ? case_id : report_id);
	return kk_rows_collect(st, sizeof(**out), collect_thread, release_nothing, (void **)out, n, err);
}

/* ---- messages ---- */

#define MESSAGE_COLUMNS                                                                                 \
	"m.id, m.thread_id, m.author_kind, m.author_id, u.role, m.kind, m.body, m.created_at, m.answered_at" \
	" FROM case_messages m LEFT JOIN users u ON u.id = m.author_id"

/* The current row of a query of MESSAGE_COLUMNS into *m (body copied). */
static enum kk_result read_message(const struct kk_stmt *st, struct kk_case_message *m, struct kk_error *err)
{
	int lost = 0;

	memset(m, 0, sizeof(*m));
	m->id = kk_stmt_int(st, 0);
	m->thread_id = kk_stmt_int(st, 1);
	snprintf(m->author_kind, sizeof(m->author_kind), "%s", kk_stmt_text(st, 2));
	m->author_id = kk_stmt_int(st, 3);
	snprintf(m->author_role, sizeof(m->author_role), "%s", kk_stmt_text(st, 4));
	snprintf(m->kind, sizeof(m->kind), "%s", kk_stmt_text(st, 5));
	kk_stmt_dup_into(st, 6, &m->body, &lost);
	m->created_at = kk_stmt_int(st, 7);
	m->answered_at = kk_stmt_int(st, 8);
	return lost ? kk_error_nomem(err) : KK_OK;
}

enum kk_result kk_case_messages_insert(struct kk_tx *tx, struct kk_case_message *m, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO case_messages(thread_id, author_kind, author_id, kind, body,"
					     " created_at) VALUES(?, ?, ?, ?, ?, ?) RETURNING id",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, m->thread_id);
	kk_stmt_bind_text(st, 2, m->author_kind);
	kk_stmt_bind_opt_int(st, 3, m->author_id);
	kk_stmt_bind_text(st, 4, m->kind);
	kk_stmt_bind_text(st, 5, m->body);
	kk_stmt_bind_int(st, 6, m->created_at);
	return insert_returning(st, &m->id, err);
}

enum kk_result kk_case_messages_load(struct kk_tx *tx, int64_t id, struct kk_case_message *out,
				     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " MESSAGE_COLUMNS " WHERE m.id = ?", err);
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK && (res = read_message(st, out, err)) != KK_OK) {
		free(out->body);
		out->body = NULL;
	}
	kk_stmt_free(st);
	return res;
}

/* A caller's callback and its argument, for the rows of kk_rows_each. */
struct each_call {
	union {
		kk_case_message_fn *message;
		kk_case_unanswered_fn *unanswered;
		kk_message_attachment_fn *attachment;
	} fn;
	void *arg;
};

static enum kk_result each_message(const struct kk_stmt *st, void *arg, struct kk_error *err)
{
	const struct each_call *call = arg;
	struct kk_case_message m;
	enum kk_result res = read_message(st, &m, err);

	if (!res)
		res = call->fn.message(&m, call->arg, err);
	free(m.body);
	return res;
}

enum kk_result kk_case_messages_each(struct kk_tx *tx, int64_t thread_id, kk_case_message_fn *fn, void *arg,
				     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT " MESSAGE_COLUMNS " WHERE m.thread_id = ? ORDER BY m.id", err);
	struct each_call call = { .fn.message = fn, .arg = arg };

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, thread_id);
	return kk_rows_each(st, each_message, &call, err);
}

enum kk_result kk_case_messages_mark_answered(struct kk_tx *tx, int64_t thread_id, const char *author_kind,
					      int64_t at, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE case_messages SET answered_at = ? WHERE thread_id = ?"
					     " AND author_kind <> ? AND answered_at IS NULL",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, at);
	kk_stmt_bind_int(st, 2, thread_id);
	kk_stmt_bind_text(st, 3, author_kind);
	return kk_stmt_once(st, err);
}

enum kk_result kk_case_messages_waiting(struct kk_tx *tx, int64_t thread_id, int64_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT COUNT(*) FROM case_messages WHERE thread_id = ?"
					     " AND author_kind = 'finder' AND answered_at IS NULL",
					     err);

	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, thread_id);
	return kk_rows_count(st, n, err);
}

/* What waits for staff (case_messages.h), as two queries of (case_id, n): the
 * finders' open questions, and the vendors' messages after staff last wrote
 * in their thread. */
#define UNANSWERED_FINDER                                                                           \
	"SELECT cr.case_id AS case_id, COUNT(*) AS n FROM case_messages m"                          \
	" JOIN case_threads t ON t.id = m.thread_id JOIN case_reports cr ON cr.report_id = t.report_id" \
	" WHERE t.kind = 'finder' AND m.author_kind = 'finder' AND m.kind = 'question'"            \
	" AND m.answered_at IS NULL"
#define UNANSWERED_VENDOR                                                                                  \
	"SELECT t.case_id AS case_id, COUNT(*) AS n FROM case_messages m JOIN case_threads t ON t.id = m.thread_id" \
	" WHERE t.kind = 'vendor' AND m.author_kind = 'vendor' AND m.id > COALESCE((SELECT MAX(s.id)"     \
	" FROM case_messages s WHERE s.thread_id = t.id AND s.author_kind = 'staff'), 0)"

enum kk_result kk_case_messages_unanswered(struct kk_tx *tx, int64_t case_id, int64_t *n, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT COALESCE(CAST(SUM(u.n) AS BIGINT), 0) FROM (" UNANSWERED_FINDER
					     " AND cr.case_id = ?1 GROUP BY cr.case_id UNION ALL " UNANSWERED_VENDOR
					     " AND t.case_id = ?1 GROUP BY t.case_id) u",
					     err);

	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_count(st, n, err);
}

static enum kk_result each_unanswered(const struct kk_stmt *st, void *arg, struct kk_error *err)
{
	const struct each_call *call = arg;

	if (kk_stmt_int(st, 1) <= 0)
		return KK_OK;
	return call->fn.unanswered(kk_stmt_int(st, 0), kk_stmt_int(st, 1), call->arg, err);
}

enum kk_result kk_case_messages_unanswered_each(struct kk_tx *tx, kk_case_unanswered_fn *fn, void *arg,
						struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT u.case_id, CAST(SUM(u.n) AS BIGINT) FROM (" UNANSWERED_FINDER
					     " GROUP BY cr.case_id UNION ALL " UNANSWERED_VENDOR
					     " GROUP BY t.case_id) u GROUP BY u.case_id ORDER BY u.case_id",
					     err);
	struct each_call call = { .fn.unanswered = fn, .arg = arg };

	if (!st)
		return kk_error_result(err, KK_EDB);
	return kk_rows_each(st, each_unanswered, &call, err);
}

/* ---- attachments ---- */

enum kk_result kk_message_attachments_insert(struct kk_tx *tx, const struct kk_message_attachment *a,
					     struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO message_attachments(message_id, idx, filename, content_type,"
					     " size, sha256, data) VALUES(?, ?, ?, ?, ?, ?, ?)",
					     err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, a->message_id);
	kk_stmt_bind_int(st, 2, a->idx);
	kk_stmt_bind_text(st, 3, a->filename);
	kk_stmt_bind_text(st, 4, a->content_type);
	kk_stmt_bind_int(st, 5, (int64_t)a->size);
	kk_stmt_bind_text(st, 6, a->sha256);
	/* issue 11: stored sealed; size and sha256 are the plain file's */
	if (kk_rows_bind_sealed(tx, st, 7, a->data, a->size, err)) {
		kk_stmt_free(st);
		return kk_error_result(err, KK_EIO);
	}
	return kk_stmt_once(st, err);
}

static enum kk_result each_attachment(const struct kk_stmt *st, void *arg, struct kk_error *err)
{
	const struct each_call *call = arg;
	struct kk_message_attachment a = {
		.message_id = kk_stmt_int(st, 0),
		.idx = (int)kk_stmt_int(st, 1),
		.filename = kk_stmt_text(st, 2),
		.content_type = kk_stmt_text(st, 3),
		.size = (size_t)kk_stmt_int(st, 4),
		.sha256 = kk_stmt_text(st, 5),
	};

	return call->fn.attachment(&a, call->arg, err);
}

enum kk_result kk_message_attachments_each(struct kk_tx *tx, int64_t thread_id, kk_message_attachment_fn *fn,
					   void *arg, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT a.message_id, a.idx, a.filename, a.content_type, a.size, a.sha256"
					     " FROM message_attachments a JOIN case_messages m ON m.id = a.message_id"
					     " WHERE m.thread_id = ? ORDER BY a.message_id, a.idx",
					     err);
	struct each_call call = { .fn.attachment = fn, .arg = arg };

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, thread_id);
	return kk_rows_each(st, each_attachment, &call, err);
}

enum kk_result kk_message_attachments_get(struct kk_tx *tx, int64_t message_id, int idx, void **data, size_t *size,
					  char **filename, char **content_type, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT filename, content_type, data FROM message_attachments"
					     " WHERE message_id = ? AND idx = ?",
					     err);

	*data = NULL;
	*size = 0;
	*filename = *content_type = NULL;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, message_id);
	kk_stmt_bind_int(st, 2, idx);
	return kk_rows_file(tx, st, data, size, filename, content_type, err);
}

/* ---- the finders of a case ---- */

void kk_case_finders_free(struct kk_case_finder *f, size_t n)
{
	for (size_t i = 0; f && i < n; i++)
		free(f[i].email);
	free(f);
}

/* kk_rows_collect's reader and releaser of finders */
static enum kk_result collect_finder(const struct kk_stmt *st, void *elem, struct kk_error *err)
{
	struct kk_case_finder *f = elem;
	int lost = 0;

	f->report_id = kk_stmt_int(st, 0);
	snprintf(f->label, sizeof(f->label), "%s", kk_stmt_text(st, 1));
	snprintf(f->tracking_id, sizeof(f->tracking_id), "%s", kk_stmt_text(st, 2));
	f->share_identity = kk_stmt_int(st, 3) != 0;
	f->direct_contact = kk_stmt_int(st, 4) != 0;
	snprintf(f->lang, sizeof(f->lang), "%s", kk_stmt_text(st, 5));
	kk_stmt_dup_into(st, 6, &f->email, &lost);
	return lost ? kk_error_nomem(err) : KK_OK;
}

static void release_finder(void *elem)
{
	free(((struct kk_case_finder *)elem)->email);
}

enum kk_result kk_case_finders_list(struct kk_tx *tx, int64_t case_id, struct kk_case_finder **out, size_t *n,
				    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT cr.report_id, cr.finder_label, r.tracking_id, r.share_identity,"
					     " r.direct_contact, r.lang, r.finder_email FROM case_reports cr"
					     " JOIN reports r ON r.id = cr.report_id WHERE cr.case_id = ? ORDER BY cr.id",
					     err);

	*out = NULL;
	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, case_id);
	return kk_rows_collect(st, sizeof(**out), collect_finder, release_finder, (void **)out, n, err);
}

enum kk_result kk_case_vendors_set_finder_contact(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, int consent,
						  struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "UPDATE case_vendors SET finder_contact = ? WHERE case_id = ? AND vendor_id = ?",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, consent ? 1 : 0);
	kk_stmt_bind_int(st, 2, case_id);
	kk_stmt_bind_int(st, 3, vendor_id);
	res = kk_stmt_exec(st, err);
	if (res == KK_OK && kk_stmt_changes(st) != 1)
		res = KK_ENOTFOUND;
	kk_stmt_free(st);
	return res;
}
