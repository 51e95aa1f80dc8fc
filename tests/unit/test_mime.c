/*
 * test_mime.c: unit tests of the message reader (lib/mail/mime_*.c,
 * lib/mail/dsn.c; include/keikai/mime.h; issue 11, item 4).
 *
 * The messages are data files, written by hand: tests/data/mail/NAME.eml and
 * beside it NAME.json, which says what must come out (tests/data/mail/README.md
 * lists the keys). Every key a .json names is checked, so null there means
 * "must be absent". The tests below the data files check what a file cannot
 * say: the size cap, the inner parse of a decrypted PGP/MIME message, the
 * limits on hostile input, and failed allocations.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/mime.h"
#include "keikai/util.h"
#include "unit.h"

static void setup(void)
{
	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
}

TestSuite(mime, .init = setup);

/* The bytes of tests/data/mail/name; the caller frees them. */
static char *slurp(const char *name, size_t *n)
{
	char path[PATH_MAX];
	FILE *f;
	char *buf;
	long len;

	snprintf(path, sizeof(path), "%s/mail/%s", unit_data_dir(), name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot read %s (set KK_TEST_DATA)", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = kk_malloc((size_t)len + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return buf;
}

/* Checks the string field key of exp against got (JSON null: got is NULL). */
static void check_str(const char *file, const json_t *exp, const char *key, const char *got)
{
	const json_t *v = json_object_get(exp, key);

	if (!v)
		return;
	if (json_is_null(v))
		cr_expect_null(got, "%s: %s is \"%s\", expected none", file, key, got);
	else
		cr_expect(got && strcmp(got, json_string_value(v)) == 0, "%s: %s is \"%s\", expected \"%s\"", file, key,
			  got ? got : "(null)", json_string_value(v));
}

static const char *pgp_name(enum kk_mime_pgp p)
{
	return p == KK_MIME_PGP_MIME ? "mime" : p == KK_MIME_PGP_INLINE ? "inline" : "none";
}

/* Parses NAME.eml and checks it against NAME.json. */
static void check_file(const char *eml)
{
	char jname[PATH_MAX], path[PATH_MAX];
	struct kk_mime_message m;
	struct kk_error err = KK_ERROR_INIT;
	json_error_t jerr;
	json_t *exp, *v;
	const char *result;
	size_t n;
	char *data = slurp(eml, &n);
	enum kk_result rc;

	snprintf(jname, sizeof(jname), "%.*s.json", (int)(strlen(eml) - 4), eml);
	snprintf(path, sizeof(path), "%s/mail/%s", unit_data_dir(), jname);
	exp = json_load_file(path, 0, &jerr);
	cr_assert_not_null(exp, "%s: %s", path, jerr.text);
	rc = kk_mime_parse(data, n, &m, &err);
	result = json_string_value(json_object_get(exp, "result"));
	cr_assert_not_null(result, "%s: no \"result\"", jname);
	if (strcmp(result, "invalid") == 0) {
		cr_expect_eq(rc, KK_EINVAL, "%s: result %d, expected KK_EINVAL", eml, rc);
		cr_expect(err.msg[0] != '\0', "%s: a refusal says why", eml);
		goto out;
	}
	cr_assert_eq(rc, KK_OK, "%s: %s", eml, err.msg);
	check_str(eml, exp, "subject", m.subject);
	check_str(eml, exp, "message_id", m.message_id);
	check_str(eml, exp, "in_reply_to", m.in_reply_to);
	check_str(eml, exp, "references", m.references);
	check_str(eml, exp, "date", m.date);
	check_str(eml, exp, "auto_submitted", m.auto_submitted);
	check_str(eml, exp, "from", m.from);
	check_str(eml, exp, "from_name", m.from_name);
	check_str(eml, exp, "content_type", m.content_type);
	check_str(eml, exp, "text", m.text);
	check_str(eml, exp, "pgp_data", m.pgp_data);
	check_str(eml, exp, "dsn_message_id", m.dsn_message_id);
	if ((v = json_object_get(exp, "text_starts")) != NULL)
		cr_expect(m.text && strncmp(m.text, json_string_value(v), strlen(json_string_value(v))) == 0,
			  "%s: text starts \"%.40s\"", eml, m.text ? m.text : "(null)");
	if ((v = json_object_get(exp, "pgp")) != NULL)
		cr_expect_str_eq(pgp_name(m.pgp), json_string_value(v), "%s: pgp", eml);
	if (m.pgp_data)
		cr_expect_eq(m.pgp_len, strlen(m.pgp_data), "%s: pgp_len", eml);
	if ((v = json_object_get(exp, "is_dsn")) != NULL)
		cr_expect_eq(!!m.is_dsn, json_is_true(v), "%s: is_dsn", eml);
	if ((v = json_object_get(exp, "incomplete")) != NULL)
		cr_expect_eq(!!m.incomplete, json_is_true(v), "%s: incomplete", eml);
	if ((v = json_object_get(exp, "recipients")) != NULL) {
		cr_expect_eq(m.n_recipients, json_array_size(v), "%s: %zu recipients, expected %zu", eml,
			     m.n_recipients, json_array_size(v));
		for (size_t i = 0; i < m.n_recipients && i < json_array_size(v); i++)
			cr_expect_str_eq(m.recipients[i], json_string_value(json_array_get(v, i)), "%s: recipient %zu",
					 eml, i);
	}
	if ((v = json_object_get(exp, "dsn")) != NULL) {
		cr_expect_eq(m.n_dsn, json_array_size(v), "%s: %zu DSN recipients, expected %zu", eml, m.n_dsn,
			     json_array_size(v));
		for (size_t i = 0; i < m.n_dsn && i < json_array_size(v); i++) {
			const json_t *r = json_array_get(v, i);

			check_str(eml, r, "final_recipient", m.dsn[i].final_recipient);
			check_str(eml, r, "action", m.dsn[i].action);
			check_str(eml, r, "status", m.dsn[i].status);
			check_str(eml, r, "diagnostic", m.dsn[i].diagnostic);
		}
	} else if (json_is_true(json_object_get(exp, "is_dsn"))) {
		cr_expect_fail("%s: a DSN's .json lists its recipients", eml);
	}
	kk_mime_release(&m);
out:
	kk_error_release(&err);
	json_decref(exp);
	free(data);
}

/* issue 11 item 4: every data file parses to what its .json says */
Test(mime, data_files)
{
	char dir[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int count = 0;

	snprintf(dir, sizeof(dir), "%s/mail", unit_data_dir());
	d = opendir(dir);
	cr_assert_not_null(d, "cannot open %s", dir);
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l > 4 && strcmp(e->d_name + l - 4, ".eml") == 0) {
			check_file(e->d_name);
			count++;
		}
	}
	closedir(d);
	/* the cases the brief asks for are all there */
	cr_expect_geq(count, 20, "only %d messages in %s", count, dir);
}

/* the kinds of message the issue names each have a data file */
Test(mime, data_files_cover_the_cases)
{
	static const char *const names[] = {
		"plain-utf8", "quoted-printable", "base64", "iso-2022-jp", "shift-jis", "alternative", "nested",
		"pgp-mime", "inline-armor", "bounce-postfix", "bounce-exim", "dsn-delayed", "auto-reply",
		"no-headers", "binary-junk", "many-parts", "deep-nesting", "unterminated", "lf-only",
	};
	char path[PATH_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/mail/%s.json", unit_data_dir(), names[i]);
		f = fopen(path, "r");
		cr_expect_not_null(f, "missing %s", path);
		if (f)
			fclose(f);
	}
}

Test(mime, empty_and_too_big_are_refused)
{
	struct kk_mime_message m;
	struct kk_error err = KK_ERROR_INIT;
	char *big;

	cr_expect_eq(kk_mime_parse("", 0, &m, &err), KK_EINVAL);
	cr_expect(strstr(err.msg, "empty") != NULL, "%s", err.msg);
	kk_error_clear(&err);
	/* the cap is checked before anything is read: the bytes need not be mail */
	big = kk_calloc(1, (size_t)KK_MIME_MAX_BYTES + 1);
	cr_assert_not_null(big);
	cr_expect_eq(kk_mime_parse(big, (size_t)KK_MIME_MAX_BYTES + 1, &m, &err), KK_ETOOBIG);
	cr_expect(err.msg[0] != '\0');
	free(big);
	kk_error_release(&err);
}

/* The inside of a PGP/MIME message (RFC 3156 §4) with protected headers. */
Test(mime, inner_mime_entity)
{
	static const char inner[] =
		"Content-Type: multipart/mixed; boundary=\"in\"; protected-headers=\"v1\"\r\n"
		"Subject: =?UTF-8?B?5pys5b2T44Gu5Lu25ZCN?=\r\n"
		"\r\n"
		"--in\r\n"
		"Content-Type: text/plain; charset=utf-8\r\n"
		"Content-Transfer-Encoding: quoted-printable\r\n"
		"\r\n"
		"Product: Example Router=0D=0AVersion: 1.2\r\n"
		"--in--\r\n";
	struct kk_mime_message m;
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_mime_parse_inner(inner, sizeof(inner) - 1, &m, &err), KK_OK, "%s", err.msg);
	cr_expect_str_eq(m.text, "Product: Example Router\r\nVersion: 1.2");
	cr_expect_str_eq(m.subject, "本当の件名");
	cr_expect_str_eq(m.content_type, "multipart/mixed");
	kk_mime_release(&m);
}

/* Bare text, even text that starts like a header line, is the text itself. */
Test(mime, inner_bare_text)
{
	static const char *const texts[] = {
		"Product: Example Router\nVersion: 1.2\n\nSteps: open /admin\n",
		"just text\xff with a bad byte",
	};
	static const char *const want[] = {
		"Product: Example Router\nVersion: 1.2\n\nSteps: open /admin\n",
		"just text\xEF\xBF\xBD with a bad byte",
	};
	struct kk_error err = KK_ERROR_INIT;

	for (size_t i = 0; i < 2; i++) {
		struct kk_mime_message m;

		cr_assert_eq(kk_mime_parse_inner(texts[i], strlen(texts[i]), &m, &err), KK_OK, "%s", err.msg);
		cr_expect_str_eq(m.text, want[i]);
		cr_expect_eq(m.pgp, KK_MIME_PGP_NONE);
		kk_mime_release(&m);
	}
}

/* More recipients than KK_MIME_MAX_ADDRS: the first ones are kept. */
Test(mime, recipients_are_capped)
{
	char *msg;
	size_t len = 0, cap = 64 + 32 * (KK_MIME_MAX_ADDRS + 50);
	struct kk_mime_message m;
	struct kk_error err = KK_ERROR_INIT;

	msg = kk_malloc(cap);
	cr_assert_not_null(msg);
	len += (size_t)snprintf(msg + len, cap - len, "From: a@example.jp\r\nTo: ");
	for (int i = 0; i < KK_MIME_MAX_ADDRS + 50; i++)
		len += (size_t)snprintf(msg + len, cap - len, "%su%d@example.jp", i ? ", " : "", i);
	len += (size_t)snprintf(msg + len, cap - len, "\r\n\r\nbody\r\n");
	cr_assert_eq(kk_mime_parse(msg, len, &m, &err), KK_OK, "%s", err.msg);
	cr_expect_eq(m.n_recipients, KK_MIME_MAX_ADDRS);
	cr_expect_str_eq(m.recipients[0], "u0@example.jp");
	cr_expect_str_eq(m.recipients[KK_MIME_MAX_ADDRS - 1], "u99@example.jp");
	kk_mime_release(&m);
	free(msg);
}

/* A NUL inside the headers and body neither cuts the message short nor ends
 * up in a string. */
Test(mime, nul_bytes)
{
	static const char msg[] = "From: a@example.jp\r\nSubject: one\0two\r\n\r\nbody\0more\r\n";
	struct kk_mime_message m;
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_mime_parse(msg, sizeof(msg) - 1, &m, &err), KK_OK, "%s", err.msg);
	cr_expect_str_eq(m.subject, "one two");
	cr_expect_str_eq(m.text, "body\xEF\xBF\xBDmore\r\n");
	kk_mime_release(&m);
}

/* Decoded headers never carry line breaks (they could forge a header when
 * quoted in a reply). */
Test(mime, decoded_header_has_no_line_breaks)
{
	static const char msg[] = "From: a@example.jp\r\nSubject: =?UTF-8?Q?a=0D=0ABcc:_x@y?=\r\n\r\n";
	struct kk_mime_message m;
	struct kk_error err = KK_ERROR_INIT;

	cr_assert_eq(kk_mime_parse(msg, sizeof(msg) - 1, &m, &err), KK_OK, "%s", err.msg);
	cr_expect_str_eq(m.subject, "a  Bcc: x@y");
	cr_expect_null(m.text == NULL ? NULL : strchr(m.text, 'x'));
	kk_mime_release(&m);
}

/* Each allocation of a parse failing in turn: KK_ENOMEM and nothing held,
 * or a whole result (ASan finds a leak or a double free). */
Test(mime, failed_allocations)
{
	static const char *const files[] = { "nested.eml", "bounce-postfix.eml", "iso-2022-jp.eml", "addresses.eml" };

	for (size_t k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
		size_t n;
		char *data = slurp(files[k], &n);

		for (long i = 1;; i++) {
			struct kk_mime_message m;
			struct kk_error err = KK_ERROR_INIT;
			enum kk_result rc;
			int injected;

			kk_alloc_fail_at(i);
			rc = kk_mime_parse(data, n, &m, &err);
			injected = kk_alloc_injected();
			kk_alloc_fail_at(0);
			if (rc == KK_OK) {
				kk_mime_release(&m);
				/* no failure is dropped: an OK run is one that saw none */
				cr_expect(!injected, "%s: allocation %ld failed, yet the parse succeeded", files[k], i);
				cr_expect_gt(i, 1);
				break;
			}
			cr_expect_eq(rc, KK_ENOMEM, "%s, allocation %ld: %d %s", files[k], i, rc, err.msg);
			cr_expect_null(m.text);
			cr_expect_null(m.subject);
			kk_error_release(&err);
			cr_assert_lt(i, 100000);
		}
		free(data);
	}
}

/* issue 11 item 4: each charset a Japanese or European mailer sends, in an
 * encoded word; an unknown one keeps valid UTF-8 and replaces the rest. */
Test(mime, charsets_of_encoded_words)
{
	static const struct {
		const char *word, *want;
	} cases[] = {
		{ "=?EUC-JP?B?xvzL3Ljs?=", "日本語" },
		{ "=?windows-1251?Q?=CF=F0=E8=E2=E5=F2?=", "Привет" },
		{ "=?ISO-8859-2?Q?=A3=F3d=BC?=", "Łódź" },
		{ "=?iso-8859-1?Q?=80_caf=E9?=", "€ café" }, /* read as Windows-1252 */
		{ "=?windows-1252?Q?=93q=94?=", "\xE2\x80\x9Cq\xE2\x80\x9D" },
		{ "=?x-made-up?Q?caf=C3=A9?=", "café" },
		{ "=?x-made-up?Q?caf=E9?=", "caf\xEF\xBF\xBD" },
		{ "=?US-ASCII?Q?a=FFb?=", "a\xEF\xBF\xBD" "b" },
		{ "=?UTF-8?B?4oK?=", "\xEF\xBF\xBD" "\xEF\xBF\xBD" }, /* a sequence cut short */
		{ "=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "日本語" },
		{ "=?utf-8*ja?Q?=E3=81=82?=", "あ" }, /* RFC 2231 §5 language */
	};
	struct kk_error err = KK_ERROR_INIT;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kk_mime_message m;
		char *msg = kk_strdupf("From: a@example.jp\r\nSubject: %s\r\n\r\n", cases[i].word);

		cr_assert_not_null(msg);
		cr_assert_eq(kk_mime_parse(msg, strlen(msg), &m, &err), KK_OK, "%s", err.msg);
		cr_expect_str_eq(m.subject, cases[i].want, "%s", cases[i].word);
		kk_mime_release(&m);
		free(msg);
	}
}
