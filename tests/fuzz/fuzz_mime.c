/*
 * fuzz_mime.c: libFuzzer target for the message reader (lib/mail/mime_*.c,
 * lib/mail/dsn.c; include/keikai/mime.h; issue 11: "fuzz target for the
 * MIME/DSN parser").
 *
 * Any input must be read or refused without a crash, a leak or undefined
 * behaviour, and within the limits of mime.h. A refusal is KK_EINVAL or
 * KK_ETOOBIG with a message and nothing held. What is read must keep the
 * contract: every string valid UTF-8; header strings free of control
 * characters (they are quoted in replies); addresses lower case with an '@'
 * and no blanks; at most KK_MIME_MAX_ADDRS of them and of DSN recipients;
 * pgp_data set exactly when pgp says so, pgp_len its length. The same bytes
 * go through kk_mime_parse_inner, which must always give a text. Any
 * violation aborts, which libFuzzer reports as a crash.
 *
 * Build and run: tests/fuzz/run.sh (seeds: the .eml files of tests/data/mail), or
 *   FUZZ_TARGETS=fuzz_mime tests/fuzz/run.sh 300
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/mime.h"
#include "keikai/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what, const char *text)
{
	if (!ok) {
		fprintf(stderr, "fuzz_mime: %s: %s\n", what, text ? text : "");
		abort();
	}
}

static void utf8(const char *s, const char *what)
{
	if (s)
		check(kk_utf8_valid(s, strlen(s)), "not UTF-8", what);
}

/* A header string: UTF-8 without control characters. */
static void header(const char *s, const char *what)
{
	utf8(s, what);
	if (s)
		for (const unsigned char *p = (const unsigned char *)s; *p; p++)
			check(*p >= 0x20 && *p != 0x7f, "control character in a header", what);
}

static void address(const char *a, const char *what)
{
	check(a && *a, "empty address", what);
	header(a, what);
	check(strchr(a, '@') != NULL, "address without '@'", a);
	for (const char *p = a; *p; p++)
		check(!(*p >= 'A' && *p <= 'Z') && *p != ' ', "address not lower case or with a blank", a);
}

static void message(const struct kk_mime_message *m)
{
	header(m->subject, "subject");
	header(m->message_id, "message_id");
	header(m->in_reply_to, "in_reply_to");
	header(m->references, "references");
	header(m->date, "date");
	header(m->auto_submitted, "auto_submitted");
	header(m->from_name, "from_name");
	header(m->dsn_message_id, "dsn_message_id");
	if (m->from)
		address(m->from, "from");
	check(m->from || !m->from_name, "a name without an address", m->from_name);
	check(m->n_recipients <= KK_MIME_MAX_ADDRS, "too many recipients", NULL);
	for (size_t i = 0; i < m->n_recipients; i++)
		address(m->recipients[i], "recipient");
	check(m->content_type != NULL && strchr(m->content_type, '/') != NULL, "content type", m->content_type);
	header(m->content_type, "content_type");
	utf8(m->text, "text");
	check((m->pgp == KK_MIME_PGP_NONE) == (m->pgp_data == NULL), "pgp and pgp_data disagree", NULL);
	if (m->pgp_data)
		check(m->pgp_len == strlen(m->pgp_data), "pgp_len", NULL);
	check(m->is_dsn || m->n_dsn == 0, "DSN recipients outside a DSN", NULL);
	check(m->n_dsn <= KK_MIME_MAX_ADDRS, "too many DSN recipients", NULL);
	for (size_t i = 0; i < m->n_dsn; i++) {
		check(m->dsn[i].final_recipient != NULL, "DSN recipient without an address", NULL);
		header(m->dsn[i].final_recipient, "final_recipient");
		header(m->dsn[i].action, "action");
		header(m->dsn[i].status, "status");
		header(m->dsn[i].diagnostic, "diagnostic");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kk_mime_message m;
	struct kk_error err = KK_ERROR_INIT;
	enum kk_result rc = kk_mime_parse((const char *)data, size, &m, &err);

	if (rc == KK_OK) {
		message(&m);
		kk_mime_release(&m);
	} else {
		check(rc == KK_EINVAL || rc == KK_ETOOBIG, "unexpected result", err.msg);
		check(err.msg[0] != '\0', "a refusal without a message", NULL);
		check(m.text == NULL && m.subject == NULL && m.recipients == NULL, "a refusal holds memory", NULL);
	}
	kk_error_release(&err);

	rc = kk_mime_parse_inner((const char *)data, size, &m, &err);
	check(rc == KK_OK, "inner parse failed", err.msg);
	check(m.content_type != NULL, "inner content type", NULL);
	utf8(m.text, "inner text");
	header(m.subject, "inner subject");
	kk_mime_release(&m);
	kk_error_release(&err);
	return 0;
}
