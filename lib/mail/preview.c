/*
 * preview.c: a queued message as it would go now (mail.h kk_mail_preview;
 * issue 11), for operators (`keikai outbox preview`) and tests: the row is
 * read and composed exactly as delivery composes it, in a write transaction
 * that is rolled back whatever happens, so nothing a composition writes (a
 * staff alert about an unusable key) stays.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/mail.h"
#include "keikai/util.h"
#include "store/outbox_internal.h"

static enum kk_result load(struct kk_tx *tx, int64_t id, struct kk_outbox_msg *m, char *strs[7],
			   char token[KK_MAIL_TOKEN_LEN + 1], struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "SELECT report_id, case_id, created_at, kind, recipient, subject, body,"
					     " safe_body, lang, reply_token FROM outbox WHERE id = ?",
					     err);
	enum kk_result res;
	int lost = 0;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = kk_stmt_first(st, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, _("There is no message %lld in the outbox."), (long long)id);
	if (!res) {
		m->id = id;
		m->report_id = kk_stmt_int(st, 0);
		m->case_id = kk_stmt_int(st, 1);
		m->created_at = kk_stmt_int(st, 2);
		for (int i = 0; i < 7; i++)
			kk_stmt_dup_into(st, 3 + i, &strs[i], &lost);
		m->kind = strs[0];
		m->recipient = strs[1];
		m->subject = strs[2];
		m->body = strs[3];
		m->safe_body = strs[4];
		m->lang = strs[5];
		m->reply_token = strs[6];
		/* a row queued before issue 11 gets its token when it is claimed;
		 * the preview shows one of the same shape */
		if (!m->reply_token) {
			kk_outbox_token_new(token);
			m->reply_token = token;
		}
		if (lost)
			res = kk_error_nomem(err);
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_mail_preview(struct kk_store *s, int64_t outbox_id, struct kk_mail_out *out, struct kk_error *err)
{
	struct kk_outbox_msg m;
	struct kk_pgp *pgp = NULL;
	struct kk_error scratch = KK_ERROR_INIT;
	char *strs[7] = { NULL };
	char token[KK_MAIL_TOKEN_LEN + 1];
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	res = kk_pgp_open(s, &pgp, err);
	if (!res)
		res = kk_tx_begin(s, 1, &tx, err);
	if (res) {
		kk_pgp_close(pgp);
		return res;
	}
	res = load(&tx, outbox_id, &m, strs, token, err);
	if (!res)
		res = kk_mail_compose(&tx, pgp, &m, out, err);
	/* always rolled back: a preview stores nothing */
	kk_tx_end(&tx, KK_ECONFLICT, &scratch);
	kk_error_release(&scratch);
	for (int i = 0; i < 7; i++)
		free(strs[i]);
	kk_pgp_close(pgp);
	if (res)
		kk_mail_out_release(out);
	return res;
}
