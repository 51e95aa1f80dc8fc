/*
 * provision_notify.c: who is told of a priority provision (issue 10; SPEC
 * 2.10): each finder of the case, by a staff message in the finder's thread
 * (G IV.3(1)12: 優先的な情報提供実施時の発見者への通知) and the notice such a
 * message brings, and each user of the recipient, by a notice that there is
 * something for it in keikai. No notice carries anything of the vulnerability
 * (SPEC 1: mail is not encrypted).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "mail_templates.h"
#include "messages_internal.h"
#include "provision_internal.h"
#include "store/case_messages.h"
#include "store/provisions.h"

#define NOTICE_MAX 8192

/* The finder's message, in the finder's language (lang: "ja", "en"). */
static void finder_text(const char *lang, char *buf, size_t size)
{
	enum kk_lang was = kk_i18n_current(), l = KK_LANG_JA;

	if (kk_lang_parse(lang, &l) != 0)
		l = KK_LANG_JA;
	kk_i18n_use(l);
	snprintf(buf, size, "%s",
		 _("With the coordinator's consent, the vulnerability you reported and its fix were provided "
		   "before publication to a government body or a critical-infrastructure operator, which is bound to "
		   "keep them strictly confidential and to use them only to protect its infrastructure "
		   "(priority provision, G IV.3(1)12, IV.4.8). Your non-disclosure request still stands until "
		   "publication."));
	kk_i18n_use(was);
}

enum kk_result provision_tell_finders(struct kk_tx *tx, const struct kk_user *actor, int64_t case_id, int64_t at,
				      struct kk_error *err)
{
	struct kk_case_finder *finders = NULL;
	size_t n = 0;
	char text[1024];
	enum kk_result res = kk_case_finders_list(tx, case_id, &finders, &n, err);

	for (size_t i = 0; !res && i < n; i++) {
		struct kk_case_thread t;
		struct kk_case_message m = { 0 };

		res = kk_case_threads_find(tx, "finder", case_id, 0, finders[i].report_id, 1, at, &t, err);
		if (res)
			break;
		finder_text(finders[i].lang, text, sizeof(text));
		m.thread_id = t.id;
		snprintf(m.author_kind, sizeof(m.author_kind), "staff");
		snprintf(m.author_role, sizeof(m.author_role), "%s", kk_role_name(actor->role));
		snprintf(m.kind, sizeof(m.kind), "message");
		m.author_id = actor->id;
		m.body = text;
		m.created_at = at;
		res = kk_case_messages_insert(tx, &m, err);
		if (!res)
			res = msg_notice_finder(tx, finders[i].email, finders[i].lang, finders[i].tracking_id,
						finders[i].report_id, case_id, text, err);
	}
	kk_case_finders_free(finders, n);
	return res;
}

/* The notice in lang into *text (the caller frees). */
static enum kk_result notice_text(enum kk_lang lang, const char *base, char **text, struct kk_error *err)
{
	struct kk_buf b;
	enum kk_result res;

	*text = NULL;
	kk_buf_init(&b, NOTICE_MAX);
	res = tmpl_provision_notice(&b, lang, base);
	if (res == KK_OK)
		res = kk_buf_finish(&b, text);
	else
		kk_buf_release(&b);
	if (res)
		return res == KK_ENOMEM ? kk_error_nomem(err)
					: kk_error_set(err, res, "%s", _("The notice of a provision could not be written."));
	return KK_OK;
}

enum kk_result provision_tell_recipient(struct kk_tx *tx, int64_t recipient_id, struct kk_error *err)
{
	json_t *emails = json_array(), *e;
	char *base = NULL, *ja = NULL, *en = NULL;
	struct kk_buf all;
	const char *en_body;
	char *text = NULL;
	enum kk_result res;
	size_t i;

	if (!emails)
		return kk_error_nomem(err);
	res = kk_recipients_emails(tx, recipient_id, emails, err);
	if (!res && json_array_size(emails) == 0)
		goto out;
	if (!res)
		res = kk_setting_read(tx, "base_url", "", &base, err);
	/* one notice in Japanese, then in English: a recipient's users have no language of their own */
	if (!res)
		res = notice_text(KK_LANG_JA, base, &ja, err);
	if (!res)
		res = notice_text(KK_LANG_EN, base, &en, err);
	if (!res) {
		en_body = strstr(en, "\n\n");
		kk_buf_init(&all, 2 * NOTICE_MAX);
		if (kk_buf_adds(&all, ja) || kk_buf_adds(&all, "\n-----\n\n") ||
		    kk_buf_adds(&all, en_body ? en_body + 2 : en) || kk_buf_finish(&all, &text)) {
			kk_buf_release(&all);
			res = kk_error_nomem(err);
		}
	}
	json_array_foreach(emails, i, e) {
		if (res)
			break;
		res = kk_outbox_queue_text(tx, "provision_notice", json_string_value(e), text, "ja", 0, 0, NULL, err);
	}
out:
	free(text);
	free(ja);
	free(en);
	free(base);
	json_decref(emails);
	return res;
}
