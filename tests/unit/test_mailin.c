/*
 * test_mailin.c: unit tests of mail in (lib/mail/mailin*.c, keikai/mailin.h;
 * issue 11, item 4; SPEC 2.1, 2.6, 2.13) through the real core on the engine
 * under test (SQLite, or PostgreSQL with KEIKAI_TEST_PG): a reply lands in
 * its thread, a stranger's goes to review, a bounce marks the attempt and
 * the contact failed, a report by mail (plain, and encrypted to the
 * organisation's key with the real gpg) becomes a report in "mail" that
 * intake completes, junk goes to review, and a failure at any allocation
 * leaves nothing half-stored.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keikai/alloc.h"
#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/mail.h"
#include "keikai/mailin.h"
#include "keikai/mime.h"
#include "keikai/outbox.h"
#include "keikai/pgp.h"
#include "keikai/report.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "unit.h"

#define ORG "csirt@org.example"

struct world {
	struct unit_parties p;
	char tid[24], secret[64], ref[KK_CASE_REF_MAX];
	char vendor_token[KK_MAIL_TOKEN_LEN + 1];
};

/* The reply token of the newest outbox message to recipient. */
static void token_of(struct kk_store *s, const char *recipient, char *out)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = NULL, *m;
	size_t i;

	out[0] = '\0';
	cr_assert_eq(kk_outbox_list(s, &list, &err), KK_OK, "%s", err.msg);
	json_array_foreach(list, i, m) {
		const char *t = json_string_value(json_object_get(m, "reply_token"));

		if (t && strcmp(json_string_value(json_object_get(m, "recipient")), recipient) == 0)
			snprintf(out, KK_MAIL_TOKEN_LEN + 1, "%s", t);
	}
	json_decref(list);
	cr_assert_eq(strlen(out), KK_MAIL_TOKEN_LEN, "no reply token for %s", recipient);
}

/* A case of one accepted report, its vendor (Example Corp, psirt@example.jp) notified. */
static void setup(struct world *w)
{
	struct kk_error err = KK_ERROR_INIT;
	char body[128];
	json_t *b, *out = NULL;

	unit_parties(&w->p);
	cr_assert_eq(kk_setting_set(w->p.s, "smtp.from", "CSIRT <" ORG ">", &err), KK_OK, "%s", err.msg);
	unit_accepted_report(w->p.s, &w->p.intake, unit_report_body("product"), w->tid, w->secret);
	unit_case_open(w->p.s, &w->p.coord, w->tid, "T", "S", "D", w->ref, sizeof(w->ref));
	snprintf(body, sizeof(body), "{\"vendor_ids\": [%lld]}", (long long)w->p.vid);
	b = unit_json(body);
	cr_assert_eq(kk_case_notify(w->p.s, &w->p.coord, w->ref, b, &out, &err), KK_OK, "%s", err.msg);
	json_decref(b);
	json_decref(out);
	token_of(w->p.s, "psirt@example.jp", w->vendor_token);
	kk_error_release(&err);
}

static void teardown(struct world *w)
{
	unit_parties_end(&w->p);
}

/* kk_mail_in of text (\n made CRLF), asserting it is taken. */
static struct kk_mail_in_result take(struct world *w, const char *text)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_in_result r;
	size_t n = strlen(text), o = 0;
	char *crlf = kk_malloc(2 * n + 1);

	cr_assert_not_null(crlf);
	for (size_t i = 0; i < n; i++) {
		if (text[i] == '\n')
			crlf[o++] = '\r';
		crlf[o++] = text[i];
	}
	cr_assert_eq(kk_mail_in(w->p.s, crlf, o, &r, &err), KK_OK, "%s", err.msg);
	free(crlf);
	kk_error_release(&err);
	return r;
}

static int64_t count(struct world *w, const char *sql, const char *param)
{
	return unit_count(w->p.s, sql, param);
}

/* The bodies of the vendor thread's messages, joined by "|". */
static void vendor_thread(struct world *w, char *out, size_t size)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *o = NULL, *t, *m;
	size_t i, j, len = 0;

	out[0] = '\0';
	cr_assert_eq(kk_case_threads(w->p.s, &w->p.coord, w->ref, &o, &err), KK_OK, "%s", err.msg);
	json_array_foreach(json_object_get(o, "threads"), i, t) {
		if (strcmp(json_string_value(json_object_get(t, "kind")), "vendor") != 0)
			continue;
		json_array_foreach(json_object_get(t, "messages"), j, m)
			len += (size_t)snprintf(out + len, size - len, "%s|",
						json_string_value(json_object_get(m, "body")));
	}
	json_decref(o);
	kk_error_release(&err);
}

/* issue 11 item 4, SPEC 2.13: a vendor's answer by mail is a message in its thread */
Test(mailin, reply_lands_in_the_vendor_thread)
{
	struct world w;
	struct kk_mail_in_result r;
	char msg[1024], thread[4096];

	setup(&w);
	snprintf(msg, sizeof(msg),
		 "From: PSIRT <PSIRT@example.jp>\nTo: csirt+%s@org.example\nSubject: Re: [%s] notice\n"
		 "Message-ID: <a1@example.jp>\n\nWe are looking into it.\n",
		 w.vendor_token, w.ref);
	r = take(&w, msg);
	cr_assert_eq(r.kind, KK_MAIL_IN_REPLY, "became %s: %s", kk_mail_in_kind_name(r.kind), r.reason);
	cr_assert_gt(r.thread_id, 0);
	vendor_thread(&w, thread, sizeof(thread));
	cr_assert_not_null(strstr(thread, "We are looking into it."), "thread: %s", thread);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM case_messages WHERE via = 'mail' AND author_kind = 'vendor'"
			       " AND author_address = ?", "psirt@example.jp"), 1);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM inbound_mail WHERE kind = 'reply' AND state = 'done'", NULL), 1);
	/* the original is kept as evidence */
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM evidence WHERE kind = 'mail'", NULL), 1);
	teardown(&w);
}

/* SPEC 1, 2.13: the token alone is not enough: a stranger's mail waits for staff */
Test(mailin, reply_from_a_stranger_goes_to_review)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	struct kk_mail_in_result r;
	char msg[1024], thread[4096];
	json_t *list = NULL, *one = NULL;

	setup(&w);
	snprintf(msg, sizeof(msg),
		 "From: mallory@attacker.example\nTo: csirt+%s@org.example\nSubject: Re: notice\n\nGive me the detail.\n",
		 w.vendor_token);
	r = take(&w, msg);
	cr_assert_eq(r.kind, KK_MAIL_IN_REVIEW);
	cr_assert_not_null(strstr(r.reason, "mallory@attacker.example"), "%s", r.reason);
	vendor_thread(&w, thread, sizeof(thread));
	cr_assert_null(strstr(thread, "Give me the detail."));
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM case_messages WHERE via = 'mail'", NULL), 0);
	/* the review queue shows it to intake, with the text; to a vendor it does not exist */
	cr_assert_eq(kk_inbound_list(w.p.s, &w.p.intake, &list, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(json_object_get(list, "inbound")), 1);
	cr_assert_eq(kk_inbound_get(w.p.s, &w.p.coord, r.inbound_id, &one, &err), KK_OK, "%s", err.msg);
	cr_assert_not_null(strstr(json_string_value(json_object_get(one, "text")), "Give me the detail."));
	cr_assert_eq(kk_inbound_list(w.p.s, &w.p.vendor, &list, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_inbound_dismiss_entry(w.p.s, &w.p.vendor, r.inbound_id, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_inbound_dismiss_entry(w.p.s, &w.p.intake, r.inbound_id, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_inbound_dismiss_entry(w.p.s, &w.p.intake, r.inbound_id, &err), KK_ENOTFOUND);
	json_decref(one);
	json_decref(list);
	kk_error_release(&err);
	teardown(&w);
}

/* issue 11 item 4, SPEC 2.6, 8: a bounce marks the attempt and the contact failed */
Test(mailin, bounce_marks_the_attempt_and_the_contact_failed)
{
	struct world w;
	struct kk_mail_in_result r;
	char msg[2048];

	setup(&w);
	snprintf(msg, sizeof(msg),
		 "From: MAILER-DAEMON@relay.example\nTo: csirt+%s@org.example\nSubject: Undelivered Mail\n"
		 "MIME-Version: 1.0\n"
		 "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
		 "--b1\nContent-Type: text/plain\n\nThe mail could not be delivered.\n"
		 "--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.example\n\n"
		 "Final-Recipient: rfc822; psirt@example.jp\nAction: failed\nStatus: 5.1.1\n"
		 "Diagnostic-Code: smtp; 550 5.1.1 no such user\n\n"
		 "--b1\nContent-Type: text/rfc822-headers\n\nMessage-ID: <kk.%s@org.example>\n\n--b1--\n",
		 w.vendor_token, w.vendor_token);
	r = take(&w, msg);
	cr_assert_eq(r.kind, KK_MAIL_IN_BOUNCE, "became %s: %s", kk_mail_in_kind_name(r.kind), r.reason);
	cr_assert(r.failed);
	cr_assert_not_null(strstr(r.reason, "5.1.1"), "%s", r.reason);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM outbox WHERE status = 'failed' AND reply_token = ?",
			   w.vendor_token), 1);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM contact_attempts WHERE failed_at IS NOT NULL", NULL), 1);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM vendor_contacts WHERE failed_at IS NOT NULL AND value = ?",
			   "psirt@example.jp"), 1);
	teardown(&w);
}

/* issue 11 item 4: a bounce of a later message about the case (no contact
 * attempt names it) still marks the case's vendor's contact at that address
 * failed, and no attempt */
Test(mailin, bounce_of_a_later_message_marks_the_contact_failed)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_in_result r;
	char msg[2048], token[KK_MAIL_TOKEN_LEN + 1];
	struct world w;
	struct kk_tx tx;

	setup(&w);
	cr_assert_eq(kk_tx_begin(w.p.s, 1, &tx, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx,
			       kk_tx_exec(&tx,
					  "INSERT INTO outbox(created_at, kind, recipient, subject, body, lang, case_id,"
					  " reply_token, status) SELECT 1, 'case_message', 'psirt@example.jp', 's', 'b',"
					  " 'en', id, 'laterlaterlaterlater', 'sent' FROM cases",
					  &err),
			       &err),
		     KK_OK, "%s", err.msg);
	snprintf(token, sizeof(token), "%s", "laterlaterlaterlater");
	snprintf(msg, sizeof(msg),
		 "From: MAILER-DAEMON@relay.example\nTo: csirt+%s@org.example\nSubject: Undelivered Mail\n"
		 "MIME-Version: 1.0\n"
		 "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"
		 "--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.example\n\n"
		 "Final-Recipient: rfc822; psirt@example.jp\nAction: failed\nStatus: 5.1.1\n\n--b1--\n",
		 token);
	r = take(&w, msg);
	cr_assert_eq(r.kind, KK_MAIL_IN_BOUNCE, "became %s: %s", kk_mail_in_kind_name(r.kind), r.reason);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM contact_attempts WHERE failed_at IS NOT NULL", NULL), 0);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM vendor_contacts WHERE is_valid = 0 AND value = ?",
			   "psirt@example.jp"), 1);
	kk_error_release(&err);
	teardown(&w);
}

/* A report as intake completes it: the fields of a submission. */
static enum kk_result complete(struct world *w, const char *tid, const struct kk_user *who, struct kk_error *err)
{
	json_t *b = unit_report_body("website");
	enum kk_result res;

	unit_set(b, "finder.email", json_string(""));
	kk_error_release(err);
	res = kk_report_complete(w->p.s, who, tid, b, NULL, err);
	json_decref(b);
	return res;
}

/* issue 11 item 4, SPEC 2.1: a report by mail waits in "mail" until intake completes it */
Test(mailin, report_by_mail_is_completed_then_received)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	struct kk_mail_in_result r;
	struct kk_report rep;

	setup(&w);
	r = take(&w, "From: 山田 花子 <hanako@example.jp>\nTo: CSIRT <" ORG ">\nSubject: =?UTF-8?B?44Ot44Kw44Kk44Oz55S76Z2i44GuWFNT?=\n"
		     "Content-Type: text/plain; charset=UTF-8\n\n検索欄に <script> を入れると実行されます。\n");
	cr_assert_eq(r.kind, KK_MAIL_IN_REPORT, "became %s: %s", kk_mail_in_kind_name(r.kind), r.reason);
	cr_assert_eq(kk_report_get(w.p.s, &w.p.intake, r.tracking_id, 0, &rep, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(kk_report_status_name(rep.status), "mail");
	cr_assert_str_eq(rep.summary, "ログイン画面のXSS");
	cr_assert_not_null(strstr(rep.steps, "<script>"));
	cr_assert_str_eq(rep.finder.email, "hanako@example.jp");
	cr_assert_str_eq(rep.lang, "ja");
	kk_report_release(&rep);
	/* the finder is acknowledged as a web report's finder is */
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM outbox WHERE kind = 'acknowledgement' AND recipient = ?",
			   "hanako@example.jp"), 1);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM evidence e JOIN reports r ON r.id = e.report_id"
			       " WHERE r.tracking_id = ?", r.tracking_id), 1);
	/* triage waits: accept is not an event of "mail"; only intake completes */
	{
		struct kk_decision d = { 1, KK_REJECT_NONE, NULL };

		cr_assert_eq(kk_report_decide(w.p.s, &w.p.intake, r.tracking_id, &d, NULL, &err), KK_ECONFLICT);
		kk_error_release(&err);
	}
	cr_assert_eq(complete(&w, r.tracking_id, &w.p.coord, &err), KK_EDENIED);
	cr_assert_eq(complete(&w, r.tracking_id, &w.p.intake, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_report_get(w.p.s, &w.p.intake, r.tracking_id, 0, &rep, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(kk_report_status_name(rep.status), "received");
	cr_assert_eq(rep.kind, KK_REPORT_WEBSITE);
	cr_assert_str_eq(rep.finder.email, "hanako@example.jp", "the sender stays the finder's address");
	kk_report_release(&rep);
	cr_assert_eq(complete(&w, r.tracking_id, &w.p.intake, &err), KK_ECONFLICT);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM audit WHERE action = 'complete'", NULL), 1);
	kk_error_release(&err);
	teardown(&w);
}

/* issue 11 item 4, SPEC 2.1, [P]: a report encrypted to the organisation's key (real gpg) */
Test(mailin, encrypted_report_is_decrypted_and_flagged)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	struct kk_mail_in_result r;
	struct kk_report rep;
	char *cipher, *msg;

	setup(&w);
	cipher = unit_org_encrypt(w.p.s, "The admin page takes any password: a secret only the org may read.\n");
	msg = kk_strdupf("From: finder@example.net\nTo: " ORG "\nSubject: A vulnerability\n\n%s", cipher);
	r = take(&w, msg);
	cr_assert_eq(r.kind, KK_MAIL_IN_REPORT, "became %s: %s", kk_mail_in_kind_name(r.kind), r.reason);
	cr_assert(r.encrypted);
	cr_assert_eq(kk_report_get(w.p.s, &w.p.intake, r.tracking_id, 0, &rep, &err), KK_OK, "%s", err.msg);
	cr_assert_not_null(strstr(rep.steps, "a secret only the org may read"), "%s", rep.steps);
	cr_assert_null(strstr(rep.steps, "BEGIN PGP"));
	cr_assert_str_eq(rep.lang, "en");
	cr_assert_str_eq(rep.encrypted_fields, "[\"steps\"]");
	kk_report_release(&rep);
	free(msg);
	free(cipher);
	kk_error_release(&err);
	teardown(&w);
}

/* issue 11 item 4: nothing is dropped: junk and strangers wait in review */
Test(mailin, junk_goes_to_review)
{
	struct world w;
	struct kk_mail_in_result r;
	char msg[512];

	setup(&w);
	r = take(&w, "\x01\x02 this is not a message at all");
	cr_assert_eq(r.kind, KK_MAIL_IN_REVIEW);
	r = take(&w, "From: someone@example.com\nTo: sales@other.example\nSubject: Buy now\n\nCheap.\n");
	cr_assert_eq(r.kind, KK_MAIL_IN_REVIEW);
	cr_assert_neq(r.reason[0], '\0');
	r = take(&w, "From: psirt@example.jp\nTo: csirt+aaaaaaaaaaaaaaaaaaaa@org.example\nSubject: Re\n\nHello\n");
	cr_assert_eq(r.kind, KK_MAIL_IN_REVIEW, "a token nobody has");
	snprintf(msg, sizeof(msg),
		 "From: psirt@example.jp\nTo: csirt+%s@org.example\nAuto-Submitted: auto-replied\nSubject: Out of office\n\nAway.\n",
		 w.vendor_token);
	r = take(&w, msg);
	cr_assert_eq(r.kind, KK_MAIL_IN_REVIEW, "an auto-reply");
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM inbound_mail WHERE kind = 'review' AND state = 'open'", NULL), 4);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM evidence WHERE kind = 'mail'", NULL), 4);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM reports WHERE status = 'mail'", NULL), 0);
	teardown(&w);
}

/* A message over KK_MIME_MAX_BYTES is refused with nothing stored (the MTA bounces it). */
Test(mailin, too_big_is_refused)
{
	struct kk_error err = KK_ERROR_INIT;
	struct world w;
	struct kk_mail_in_result r;
	size_t n = KK_MIME_MAX_BYTES + 1;
	char *big = kk_malloc(n);

	setup(&w);
	memset(big, 'a', n);
	cr_assert_eq(kk_mail_in(w.p.s, big, n, &r, &err), KK_ETOOBIG);
	cr_assert_eq(count(&w, "SELECT COUNT(*) FROM inbound_mail", NULL), 0);
	free(big);
	kk_error_release(&err);
	teardown(&w);
}

/* One transaction: a failure at any allocation stores nothing at all. */
Test(mailin, a_failure_leaves_nothing_half_stored)
{
	static const char *const tables[] = { "inbound_mail", "evidence", "reports", "case_messages", "outbox", "audit" };
	struct world w;
	char msg[1024];
	const char *msgs[2];

	setup(&w);
	snprintf(msg, sizeof(msg), "From: psirt@example.jp\nTo: csirt+%s@org.example\nSubject: Re\n\nA reply.\n",
		 w.vendor_token);
	msgs[0] = msg;
	msgs[1] = "From: f@example.net\nTo: " ORG "\nSubject: New\n\nA report by mail.\n";
	for (size_t k = 0; k < 2; k++) {
		for (long at = 1;; at++) {
			struct kk_error err = KK_ERROR_INIT;
			struct kk_mail_in_result r;
			int64_t before[6], after;
			enum kk_result res;
			int injected;

			for (size_t t = 0; t < 6; t++) {
				char sql[64];

				snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", tables[t]);
				before[t] = count(&w, sql, NULL);
			}
			kk_alloc_fail_at(at);
			res = kk_mail_in(w.p.s, msgs[k], strlen(msgs[k]), &r, &err);
			injected = kk_alloc_injected();
			kk_alloc_fail_at(0);
			kk_error_release(&err);
			if (!injected) {
				cr_assert_eq(res, KK_OK);
				break;
			}
			for (size_t t = 0; t < 6 && res != KK_OK; t++) {
				char sql[64];

				snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", tables[t]);
				after = count(&w, sql, NULL);
				cr_assert_eq(after, before[t], "allocation %ld of message %zu: %s changed", at, k, tables[t]);
			}
			cr_assert_lt(at, 100000);
		}
	}
	teardown(&w);
}
