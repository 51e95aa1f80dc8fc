/*
 * test_deliver.c: unit tests of delivery (issue 11, item 1): the delivery
 * table (lib/mail/deliver_flow.c) against docs/internals/delivery.md row for
 * row and walked state x event, the backoff's bounds, the smtp.* settings'
 * validators and the password's redaction, and the store's claim and record
 * (lib/store/outbox_delivery.c, outbox.c) on the engine under test.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/deliver.h"
#include "keikai/outbox.h"
#include "keikai/smtp.h"
#include "unit.h"

/* The rows of the doc's table: "| from | event | to | what |". */
static size_t doc_rows(char rows[][3][16], size_t max)
{
	char path[PATH_MAX], line[1024];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/docs/internals/delivery.md", getenv("KK_SOURCE_ROOT"));
	cr_assert_not_null(f = fopen(path, "r"), "%s", path);
	while (fgets(line, sizeof(line), f) && n < max) {
		char a[16], b[16], c[16];

		if (sscanf(line, "| %15[a-z] | %15[a-z] | %15[a-z] |", a, b, c) == 3 && strcmp(a, "from") != 0) {
			snprintf(rows[n][0], 16, "%s", a);
			snprintf(rows[n][1], 16, "%s", b);
			snprintf(rows[n][2], 16, "%s", c);
			n++;
		}
	}
	fclose(f);
	return n;
}

Test(deliver, table_is_the_docs_table)
{
	char rows[32][3][16];
	size_t n = doc_rows(rows, 32), i;
	const struct kk_deliver_transition *t;

	cr_assert_gt(n, 0);
	for (i = 0; (t = kk_deliver_transition_at(i)); i++) {
		cr_assert_lt(i, n, "the doc lacks row %zu", i);
		cr_assert_str_eq(t->from, rows[i][0]);
		cr_assert_str_eq(t->event, rows[i][1]);
		cr_assert_str_eq(t->to, rows[i][2]);
	}
	cr_assert_eq(i, n, "the doc has %zu rows, the code %zu", n, i);
}

Test(deliver, every_state_and_event_gets_the_table_answer)
{
	static const char *const states[] = { "queued", "sending", "sent", "failed", "bogus" };
	static const char *const events[] = { "claim", "sent", "transient", "permanent", "exhausted", "bounce", "x" };
	char rows[32][3][16];
	size_t n = doc_rows(rows, 32);

	for (size_t s = 0; s < sizeof(states) / sizeof(states[0]); s++)
		for (size_t e = 0; e < sizeof(events) / sizeof(events[0]); e++) {
			const char *want = NULL, *got = kk_deliver_next(states[s], events[e]);

			for (size_t r = 0; r < n; r++)
				if (!strcmp(rows[r][0], states[s]) && !strcmp(rows[r][1], events[e]))
					want = rows[r][2];
			if (want)
				cr_assert(got && !strcmp(got, want), "%s + %s", states[s], events[e]);
			else
				cr_assert_null(got, "%s + %s", states[s], events[e]);
		}
	/* failed is final: nothing leads out of it */
	for (size_t e = 0; e < sizeof(events) / sizeof(events[0]); e++)
		cr_assert_null(kk_deliver_next("failed", events[e]));
}

Test(deliver, backoff_doubles_with_jitter_and_a_cap)
{
	for (int64_t tries = 1; tries <= 20; tries++) {
		int64_t base = KK_DELIVER_BACKOFF_SECONDS, lo, hi;

		for (int64_t i = 1; i < tries && base < KK_DELIVER_BACKOFF_MAX; i++)
			base *= 2;
		if (base > KK_DELIVER_BACKOFF_MAX)
			base = KK_DELIVER_BACKOFF_MAX;
		lo = base * 80 / 100;
		hi = base * 120 / 100;
		for (int k = 0; k < 50; k++) {
			int64_t d = kk_deliver_backoff(tries);

			cr_assert(d >= lo && d <= hi, "try %lld: %lld not in [%lld, %lld]", (long long)tries, (long long)d,
				  (long long)lo, (long long)hi);
		}
	}
}

Test(smtp, settings_validators)
{
	cr_assert(kk_smtp_url_valid(""));
	cr_assert(kk_smtp_url_valid("smtp://127.0.0.1:25"));
	cr_assert(kk_smtp_url_valid("smtps://u:p%40x@mail.example:465"));
	cr_assert(kk_smtp_url_valid("smtp://mail.example/ehlo.example"));
	cr_assert_not(kk_smtp_url_valid("http://mail.example"));
	cr_assert_not(kk_smtp_url_valid("smtp://"));
	cr_assert_not(kk_smtp_url_valid("smtp://u:p@"));
	cr_assert_not(kk_smtp_url_valid("smtp://a b"));
	cr_assert_not(kk_smtp_url_valid("smtp://mail.example/?x"));
	cr_assert(kk_smtp_from_valid("cert@org.example"));
	cr_assert(kk_smtp_from_valid("CERT <cert@org.example>"));
	cr_assert_not(kk_smtp_from_valid("cert"));
	cr_assert_not(kk_smtp_from_valid("CERT <cert@org.example"));
	cr_assert_not(kk_smtp_from_valid("<cert@org.example>"));
	cr_assert_not(kk_smtp_from_valid("a@b@c.example"));
	cr_assert(kk_smtp_starttls_valid("required") && kk_smtp_starttls_valid("try") && kk_smtp_starttls_valid("off"));
	cr_assert_not(kk_smtp_starttls_valid("yes"));
	cr_assert(kk_smtp_max_tries_valid("1") && kk_smtp_max_tries_valid("100"));
	cr_assert_not(kk_smtp_max_tries_valid("0") || kk_smtp_max_tries_valid("101") || kk_smtp_max_tries_valid("x"));
	cr_assert(kk_smtp_ca_file_valid("") && kk_smtp_ca_file_valid("/etc/ssl/ca.pem"));
	cr_assert_not(kk_smtp_ca_file_valid("ca.pem"));
}

Test(smtp, password_redacted)
{
	char *r = kk_smtp_url_redact("smtp://user:s3cret@mail.example:587");

	cr_assert_str_eq(r, "smtp://user:***@mail.example:587");
	free(r);
	r = kk_smtp_url_redact("smtp://user@mail.example:587");
	cr_assert_str_eq(r, "smtp://user@mail.example:587");
	free(r);
	r = kk_smtp_url_redact("smtps://mail.example");
	cr_assert_str_eq(r, "smtps://mail.example");
	free(r);
	r = kk_smtp_from_address("CERT <cert@org.example>");
	cr_assert_str_eq(r, "cert@org.example");
	free(r);
}

/* Queues one message to recipient: its id. */
static int64_t queue_one(struct kk_store *s, const char *recipient)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	int64_t id = 0;

	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_tx_end(&tx, kk_outbox_queue_text(&tx, "ack", recipient, "Subject\n\nBody", "en", 0, 0, &id, &err),
			       &err),
		     KK_OK, "%s", err.msg);
	return id;
}

static enum kk_result claim(struct kk_store *s, int64_t now, struct kk_outbox_claim *c)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	enum kk_result res;

	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK, "%s", err.msg);
	res = kk_outbox_claim_next(&tx, 0, now, c, &err);
	kk_tx_end(&tx, KK_OK, &err);
	kk_error_release(&err);
	return res;
}

Test(outbox, claim_is_guarded_and_the_lease_expires)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_outbox_claim c1, c2;
	struct kk_outbox_ref ref;
	struct kk_tx tx;
	int64_t now = 1800000000, id = queue_one(s, "a@finder.example"), due;
	int recorded = -1;
	char upper[KK_MAIL_TOKEN_LEN + 1];

	cr_assert_eq(kk_outbox_due_count(s, now, &due, &err), KK_OK);
	cr_assert_eq(due, 1);
	cr_assert_eq(claim(s, now, &c1), KK_OK);
	cr_assert_eq(c1.msg.id, id);
	cr_assert_eq(c1.tries, 1);
	cr_assert_eq(strlen(c1.msg.reply_token), KK_MAIL_TOKEN_LEN);
	cr_assert_eq(strspn(c1.msg.reply_token, "abcdefghijklmnopqrstuvwxyz234567"), KK_MAIL_TOKEN_LEN);
	cr_assert_str_eq(c1.msg.recipient, "a@finder.example");

	/* claimed: not due to anyone else within the lease */
	cr_assert_eq(claim(s, now + KK_DELIVER_LEASE_SECONDS - 1, &c2), KK_ENOTFOUND);
	/* the lease over: another sender takes it, try 2 */
	cr_assert_eq(claim(s, now + KK_DELIVER_LEASE_SECONDS + 1, &c2), KK_OK);
	cr_assert_eq(c2.tries, 2);
	cr_assert_str_eq(c2.msg.reply_token, c1.msg.reply_token);

	/* the first sender comes back: it records nothing; the second does, once */
	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_outbox_record_sent(&tx, &c1, now + 700, "<kk.x@org.example>", 0, &recorded, &err), KK_OK);
	cr_assert_eq(recorded, 0);
	cr_assert_eq(kk_outbox_record_sent(&tx, &c2, now + 700, "<kk.x@org.example>", 1, &recorded, &err), KK_OK);
	cr_assert_eq(recorded, 1);
	cr_assert_eq(kk_outbox_record_sent(&tx, &c2, now + 701, "<kk.x@org.example>", 1, &recorded, &err), KK_OK);
	cr_assert_eq(recorded, 0, "recorded exactly once");
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM outbox WHERE status = 'sent' AND sent_at IS NOT NULL", NULL), 1);

	/* the token finds the message, whatever case a mail system gave it */
	for (int i = 0; i < KK_MAIL_TOKEN_LEN; i++)
		upper[i] = (char)(c1.msg.reply_token[i] >= 'a' ? c1.msg.reply_token[i] - 'a' + 'A' : c1.msg.reply_token[i]);
	upper[KK_MAIL_TOKEN_LEN] = '\0';
	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK);
	cr_assert_eq(kk_outbox_find_token(&tx, upper, &ref, &err), KK_OK);
	cr_assert_eq(ref.id, id);
	cr_assert_str_eq(ref.recipient, "a@finder.example");
	kk_outbox_ref_release(&ref);
	cr_assert_eq(kk_outbox_find_token(&tx, "aaaaaaaaaaaaaaaaaaaa", &ref, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_outbox_mark_failed(&tx, id + 1000, "x", &err), KK_ENOTFOUND);
	kk_tx_end(&tx, KK_OK, &err);

	kk_outbox_claim_release(&c1);
	kk_outbox_claim_release(&c2);
	kk_error_release(&err);
	kk_store_close(s);
}

Test(outbox, retry_waits_for_next_at)
{
	struct kk_store *s = unit_store(NULL);
	struct kk_error err = KK_ERROR_INIT;
	struct kk_outbox_claim c;
	struct kk_tx tx;
	int64_t now = 1800000000;
	int recorded = 0;

	queue_one(s, "b@finder.example");
	cr_assert_eq(claim(s, now, &c), KK_OK);
	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK);
	cr_assert_eq(kk_outbox_record_retry(&tx, &c, now + 60, "451 busy", &recorded, &err), KK_OK);
	cr_assert_eq(recorded, 1);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK);
	kk_outbox_claim_release(&c);
	cr_assert_eq(claim(s, now + 59, &c), KK_ENOTFOUND);
	cr_assert_eq(claim(s, now + 60, &c), KK_OK);
	cr_assert_eq(c.tries, 2);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM outbox WHERE last_error = ?", "451 busy"), 1);
	kk_outbox_claim_release(&c);
	kk_error_release(&err);
	kk_store_close(s);
}
