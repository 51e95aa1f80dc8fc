/*
 * outbox.c: the outbox's repository (outbox.h). A message is written in the same
 * transaction as the change it reports; delivery (a later module) reads the
 * queue and marks what it sent.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/util.h"

/* Queues one message about report_id and/or case_id (0: none); *id (may be
 * NULL) gets the message's id. */
static enum kk_result queue(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
			    const char *body, const char *lang, int64_t report_id, int64_t case_id, int64_t *id,
			    struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO outbox(created_at, kind, recipient, subject, body, lang, report_id,"
					     " case_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
					     err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, kk_now());
	kk_stmt_bind_text(st, 2, kind);
	kk_stmt_bind_text(st, 3, recipient);
	kk_stmt_bind_text(st, 4, subject);
	kk_stmt_bind_text(st, 5, body);
	kk_stmt_bind_text(st, 6, lang);
	kk_stmt_bind_opt_int(st, 7, report_id);
	kk_stmt_bind_opt_int(st, 8, case_id);
	res = kk_stmt_first(st, err);
	if (res == KK_OK && id)
		*id = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EDB, _("The database returned no row for the new %s."), "message");
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_outbox_queue(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
			       const char *body, const char *lang, int64_t report_id, struct kk_error *err)
{
	return queue(tx, kind, recipient, subject, body, lang, report_id, 0, NULL, err);
}

enum kk_result kk_outbox_queue_case(struct kk_tx *tx, const char *kind, const char *recipient, const char *subject,
				    const char *body, const char *lang, int64_t case_id, int64_t *id,
				    struct kk_error *err)
{
	return queue(tx, kind, recipient, subject, body, lang, 0, case_id, id, err);
}

enum kk_result kk_outbox_queue_text(struct kk_tx *tx, const char *kind, const char *recipient, const char *text,
				    const char *lang, int64_t report_id, int64_t case_id, int64_t *id,
				    struct kk_error *err)
{
	const char *nl = strstr(text, "\n\n");
	char *subject;
	enum kk_result res;

	if (!nl || nl == text || memchr(text, '\n', (size_t)(nl - text)))
		return kk_error_set(err, KK_ETOOBIG, _("The %s message has no subject line."), kind);
	if (!(subject = kk_strndup(text, (size_t)(nl - text))))
		return kk_error_nomem(err);
	res = queue(tx, kind, recipient, subject, nl + 2, lang, report_id, case_id, id, err);
	free(subject);
	return res;
}

enum kk_result kk_outbox_list(struct kk_store *s, json_t **out, struct kk_error *err)
{
	struct kk_tx tx;
	struct kk_stmt *st;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);
	enum kk_step step;
	json_t *list;

	*out = NULL;
	if (res)
		return res;
	st = kk_stmt_prepare(&tx, "SELECT o.id, o.created_at, o.kind, o.recipient, o.subject, o.body, o.lang,"
				  " r.tracking_id, o.status, c.ref FROM outbox o LEFT JOIN reports r ON r.id = o.report_id"
				  " LEFT JOIN cases c ON c.id = o.case_id ORDER BY o.id", err);
	if (!st)
		return kk_tx_end(&tx, kk_error_result(err, KK_EDB), err);
	if (!(list = json_array())) {
		kk_stmt_free(st);
		return kk_tx_end(&tx, kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory.")), err);
	}
	while ((step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		char at[KK_TIME_LEN];
		const char *report = kk_stmt_text(st, 7), *case_ref = kk_stmt_text(st, 9);
		json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:o}", "id",
					(json_int_t)kk_stmt_int(st, 0), "created_at",
					kk_time_format(kk_stmt_int(st, 1), at), "kind", kk_stmt_text(st, 2),
					"recipient", kk_stmt_text(st, 3), "subject", kk_stmt_text(st, 4), "body",
					kk_stmt_text(st, 5), "lang", kk_stmt_text(st, 6), "report",
					report ? json_string(report) : json_null(), "status", kk_stmt_text(st, 8),
					"case", case_ref ? json_string(case_ref) : json_null());

		/* a message that cannot be listed fails the list rather than go missing */
		if (!row || json_array_append_new(list, row) != 0)
			break;
	}
	if (step == KK_STEP_ROW)
		res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	else
		res = step == KK_STEP_DONE ? KK_OK : kk_stmt_result(st);
	kk_stmt_free(st);
	if (res)
		json_decref(list);
	else
		*out = list;
	return kk_tx_end(&tx, res, err);
}

