/* Unit tests of lib/report/mail.c and its templates (templates/mail/): what the
 * finder is told, in the language the finder wrote in, with times written for a
 * person in Japan's time, through a real database (SQLite or PostgreSQL) as the
 * outbox holds them. SPEC 2.1 (acknowledgement), SPEC 2.2 (decision). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/outbox.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "report/internal.h"
#include "unit.h"

/* 2026-12-01T22:04:05Z, which is 2 December 07:04 in Japan */
#define RECEIVED 1796162645
/* 2026-12-03T01:30:00Z, which is 3 December 10:30 in Japan */
#define DECIDED 1796261400

struct mail {
	char subject[256];
	char body[4096];
};

/* The index-th queued message (oldest first). */
static struct mail queued(struct kk_store *s, size_t index)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = NULL, *msg;
	struct mail m;

	cr_assert_eq(kk_outbox_list(s, &list, &err), KK_OK, "%s", err.msg);
	msg = json_array_get(list, index);
	cr_assert_not_null(msg, "message %zu of %zu", index, json_array_size(list));
	snprintf(m.subject, sizeof(m.subject), "%s", json_string_value(json_object_get(msg, "subject")));
	snprintf(m.body, sizeof(m.body), "%s", json_string_value(json_object_get(msg, "body")));
	json_decref(list);
	return m;
}

/* Submits the standard product report at RECEIVED with the calling thread in
 * lang (the language the finder writes in), then switches the thread to the
 * other language, as a server thread serving someone else would be. */
static void submit_in(struct kk_store *s, enum kk_lang lang, char *id, char *secret)
{
	kk_setting_set(s, "base_url", "https://vuln.example", NULL);
	kk_clock_freeze(RECEIVED);
	kk_i18n_use(lang);
	unit_submit(s, unit_report_body("product"), id, secret);
	kk_i18n_use(lang == KK_LANG_EN ? KK_LANG_JA : KK_LANG_EN);
}

static void decide(struct kk_store *s, const char *id, const struct kk_decision *d)
{
	struct kk_user intake = unit_user(s, "intake", "i@ipa.example");
	struct kk_error err = KK_ERROR_INIT;

	kk_clock_freeze(DECIDED);
	cr_assert_eq(kk_report_decide(s, &intake, id, d, NULL, &err), KK_OK, "%s", err.msg);
	kk_clock_set(0);
	kk_user_release(&intake);
}

/* SPEC 2.1: a finder who wrote in English is acknowledged in English, whatever
 * the language of the thread that writes the message. */
Test(report_mail, an_english_finder_is_acknowledged_in_english)
{
	struct kk_store *s = unit_store(NULL);
	char id[24], secret[KK_TOKEN_MAX], subject[256], body[4096];
	struct mail m;

	submit_in(s, KK_LANG_EN, id, secret);
	kk_clock_set(0);
	m = queued(s, 0);
	snprintf(subject, sizeof(subject), "[%s] Your vulnerability report was received", id);
	snprintf(body, sizeof(body),
		 "Dear 山田 太郎,\n"
		 "\n"
		 "Thank you for your report. We received it on 2 December 2026 07:04 (JST).\n"
		 "\n"
		 "Tracking number: %s\n"
		 "Subject: XSS in search\n"
		 "\n"
		 "You can follow its progress here; keep this link to yourself:\n"
		 "https://vuln.example/r/%s\n"
		 "\n"
		 "We will check the report and tell you whether it is accepted.\n",
		 id, secret);
	cr_assert_str_eq(m.subject, subject);
	cr_assert_str_eq(m.body, body);
	cr_assert_eq(kk_i18n_current(), KK_LANG_JA, "the thread's language is left alone");
	kk_store_close(s);
}

/* SPEC 2.1: a finder who wrote in Japanese is acknowledged in Japanese. */
Test(report_mail, a_japanese_finder_is_acknowledged_in_japanese)
{
	struct kk_store *s = unit_store(NULL);
	char id[24], secret[KK_TOKEN_MAX], subject[256], body[4096];
	struct mail m;

	submit_in(s, KK_LANG_JA, id, secret);
	kk_clock_set(0);
	m = queued(s, 0);
	snprintf(subject, sizeof(subject), "[%s] 脆弱性関連情報の届出を受け付けました", id);
	snprintf(body, sizeof(body),
		 "山田 太郎 様\n"
		 "\n"
		 "脆弱性関連情報をお届けいただき、ありがとうございます。2026年12月2日 07:04 に届出を受け付けました。\n"
		 "\n"
		 "取扱番号：%s\n"
		 "件名：XSS in search\n"
		 "\n"
		 "届出の状況は次のページで確認できます。このリンクは他人に教えないでください。\n"
		 "https://vuln.example/r/%s\n"
		 "\n"
		 "届出の内容を確認し、受理するかどうかをあらためてお知らせします。\n",
		 id, secret);
	cr_assert_str_eq(m.subject, subject);
	cr_assert_str_eq(m.body, body);
	cr_assert_eq(kk_i18n_current(), KK_LANG_EN);
	kk_store_close(s);
}

/* SPEC 2.2: the acceptance, in the finder's language (English) although the
 * deciding thread speaks Japanese, with the acceptance time and the note. */
Test(report_mail, an_acceptance_reaches_an_english_finder_in_english_with_the_note)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_decision accept = { 1, KK_REJECT_NONE, "Thank you for the clear steps.\nWe will be in touch." };
	char id[24], subject[256], body[4096];
	struct mail m;

	submit_in(s, KK_LANG_EN, id, NULL);
	decide(s, id, &accept);
	m = queued(s, 1);
	snprintf(subject, sizeof(subject), "[%s] Your vulnerability report was accepted", id);
	snprintf(body, sizeof(body),
		 "Dear 山田 太郎,\n"
		 "\n"
		 "Your report %s was accepted on 3 December 2026 10:30 (JST).\n"
		 "We will now work with the parties concerned and keep you informed.\n"
		 "\n"
		 "Note from the receiving organisation:\n"
		 "Thank you for the clear steps.\n"
		 "We will be in touch.\n",
		 id);
	cr_assert_str_eq(m.subject, subject);
	cr_assert_str_eq(m.body, body);
	kk_store_close(s);
}

/* SPEC 2.2: a rejection reaches a Japanese finder in Japanese, with the reason
 * and the note, although the deciding thread speaks English. */
Test(report_mail, a_rejection_reaches_a_japanese_finder_in_japanese_with_reason_and_note)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_decision reject = { 0, KK_REJECT_OUT_OF_SCOPE, "Not used in Japan." };
	char id[24], subject[256], body[4096], reason[512];
	struct mail m;

	submit_in(s, KK_LANG_JA, id, NULL);
	decide(s, id, &reject);
	cr_assert_eq(kk_i18n_current(), KK_LANG_EN);
	kk_i18n_use(KK_LANG_JA);
	snprintf(reason, sizeof(reason), "%s", kk_reject_reason_text(KK_REJECT_OUT_OF_SCOPE));
	kk_i18n_use(KK_LANG_EN);
	cr_assert((unsigned char)reason[0] >= 0x80, "the reason has a Japanese text: %s", reason);
	m = queued(s, 1);
	snprintf(subject, sizeof(subject), "[%s] 脆弱性関連情報の届出は不受理となりました", id);
	snprintf(body, sizeof(body),
		 "山田 太郎 様\n"
		 "\n"
		 "お届けいただいた %s は不受理となりました。\n"
		 "理由：%s\n"
		 "\n"
		 "受付機関からの連絡事項：\n"
		 "Not used in Japan.\n",
		 id, reason);
	cr_assert_str_eq(m.subject, subject);
	cr_assert_str_eq(m.body, body);
	kk_store_close(s);
}

/* A rejection without a note has no note section. */
Test(report_mail, no_note_no_note_section)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_decision reject = { 0, KK_REJECT_INCOMPLETE, NULL };
	char id[24];
	struct mail m;

	submit_in(s, KK_LANG_EN, id, NULL);
	decide(s, id, &reject);
	m = queued(s, 1);
	cr_assert_null(strstr(m.body, "Note from the receiving organisation"), "%s", m.body);
	cr_assert_not_null(strstr(m.body, "Reason: "), "%s", m.body);
	kk_store_close(s);
}

/* A message past the cap is refused whole, with a reason, and nothing is handed out. */
Test(report_mail, a_message_too_big_is_refused_whole)
{
	static char note[70000];
	struct kk_error err = KK_ERROR_INIT;
	struct kk_finder_mail out = { "", NULL };
	struct kk_report r;

	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
	memset(&r, 0, sizeof(r));
	memset(note, 'x', sizeof(note) - 1);
	snprintf(r.tracking_id, sizeof(r.tracking_id), "IPA#12345678");
	r.finder.name = "Finder";
	r.status = KK_REPORT_REJECTED;
	r.reject_reason = KK_REJECT_INCOMPLETE;
	r.decision_note = note;
	cr_assert_eq(kk_report_mail_decision(&r, KK_LANG_EN, NULL, &out, &err), KK_ETOOBIG);
	cr_assert_null(out.body);
	cr_assert_str_eq(out.subject, "");
	cr_assert_str_eq(err.msg, "The message to the finder could not be written.");
	r.decision_note = "fits";
	cr_assert_eq(kk_report_mail_decision(&r, KK_LANG_JA, NULL, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(out.subject, "[IPA#12345678] 脆弱性関連情報の届出は不受理となりました");
	cr_assert_eq(kk_i18n_current(), KK_LANG_EN, "the thread's language is left alone");
	free(out.body);
}
