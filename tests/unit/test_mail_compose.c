/*
 * test_mail_compose.c: unit tests of composing a message (lib/mail/compose.c,
 * kinds.c, mime_build.c, preview.c; keikai/mail.h; issue 11 items 2 and 3,
 * SPEC 1, 2.1, 2.6) through the real core on the engine under test, with
 * real GnuPG homes made by the test: the headers, the RFC 2047 subject, the
 * base64 body, In-Reply-To, PGP/MIME to a vendor's and a finder's key
 * (decrypted with gpg, signature checked), the content-free notice (none of
 * the body's text in it), an expired key reported to staff once, and a kind
 * table that holds every kind lib/ queues.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keikai/case.h"
#include "keikai/mail.h"
#include "keikai/pgp.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "mail/compose_internal.h"
#include "unit.h"

#define SUMMARY "Stored XSS in the frobnicator search box"
#define TITLE "Frobnicator search XSS"
#define DETAIL "Send <script>alert(1)</script> as q"

/* ---- shell and files (as test_pgp.c) ---- */

#define GPG "gpg --batch --quiet --no-tty --homedir '%s' "

/* A GnuPG home with one key for uid (made at faked time when not ""), its
 * armored public key into *armored (the caller frees). */
static void party_key(char h[PATH_MAX], const char *uid, const char *faked, const char *expire, char **armored)
{
	unit_tmpdir(h);
	chmod(h, 0700);
	unit_sh(GPG "--passphrase '' --pinentry-mode loopback %s --quick-gen-key '%s' future-default default %s 2>/dev/null",
	   h, faked, uid, expire);
	*armored = unit_sh_out(GPG "--armor --export '%s'", h, uid);
	cr_assert(strstr(*armored, "BEGIN PGP PUBLIC KEY BLOCK"));
}

/* ---- the world: parties, settings, the organisation's key ---- */

struct world {
	struct unit_parties p;
	struct kk_pgp *pgp;
	char org_fpr[KK_PGP_FPR_LEN];
	char tid[24], secret[64], ref[KK_CASE_REF_MAX];
};

static void setup(struct world *w, int with_case)
{
	struct kk_error err = KK_ERROR_INIT;
	char keys[PATH_MAX];
	json_t *body;
	int created = 0;

	memset(w, 0, sizeof(*w));
	unit_parties(&w->p);
	unit_tmpdir(keys);
	cr_assert_eq(kk_setting_set(w->p.s, "keys_dir", keys, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_setting_set(w->p.s, "smtp.from", "CSIRT 調整 <cert@org.example>", &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_setting_set(w->p.s, "base_url", "https://keikai.example", &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_pgp_open(w->p.s, &w->pgp, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_pgp_init(w->pgp, w->p.s, "Org", "cert@org.example", w->org_fpr, &created, &err), KK_OK,
		     "%s", err.msg);
	body = unit_report_body("product");
	unit_set(body, "details.summary", json_string(SUMMARY));
	if (with_case) {
		json_t *b, *out = NULL;
		char text[128];

		unit_accepted_report(w->p.s, &w->p.intake, body, w->tid, w->secret);
		unit_case_open(w->p.s, &w->p.coord, w->tid, TITLE, SUMMARY, DETAIL, w->ref, sizeof(w->ref));
		snprintf(text, sizeof(text), "{\"vendor_ids\": [%lld]}", (long long)w->p.vid);
		b = unit_json(text);
		cr_assert_eq(kk_case_notify(w->p.s, &w->p.coord, w->ref, b, &out, &err), KK_OK, "%s", err.msg);
		json_decref(b);
		json_decref(out);
	} else {
		unit_submit(w->p.s, body, w->tid, w->secret); /* takes body */
	}
	kk_error_release(&err);
}

static void teardown(struct world *w)
{
	kk_pgp_close(w->pgp);
	unit_parties_end(&w->p);
}

/* Runs sql with one text and one integer parameter in a write transaction. */
static void exec2(struct kk_store *s, const char *sql, const char *text, int64_t id)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	struct kk_stmt *st;

	cr_assert_eq(kk_tx_begin(s, 1, &tx, &err), KK_OK, "%s", err.msg);
	st = kk_stmt_prepare(&tx, sql, &err);
	cr_assert_not_null(st, "%s", err.msg);
	kk_stmt_bind_text(st, 1, text);
	kk_stmt_bind_int(st, 2, id);
	cr_assert_eq(kk_stmt_exec(st, &err), KK_OK, "%s", err.msg);
	kk_stmt_free(st);
	cr_assert_eq(kk_tx_end(&tx, KK_OK, &err), KK_OK, "%s", err.msg);
}

/* The text in column 0 of sql's first row (one integer parameter), the caller frees. */
static char *text_of(struct kk_store *s, const char *sql, int64_t id)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_tx tx;
	struct kk_stmt *st;
	char *v;

	cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK, "%s", err.msg);
	st = kk_stmt_prepare(&tx, sql, &err);
	cr_assert_not_null(st, "%s", err.msg);
	kk_stmt_bind_int(st, 1, id);
	cr_assert_eq(kk_stmt_first(st, &err), KK_OK, "%s: %s", sql, err.msg);
	v = kk_stmt_dup(st, 0);
	kk_stmt_free(st);
	kk_tx_end(&tx, KK_OK, &err);
	return v;
}

/* The newest message of kind. */
static int64_t message_of(struct world *w, const char *kind)
{
	int64_t id = unit_count(w->p.s, "SELECT max(id) FROM outbox WHERE kind = ?", kind);

	cr_assert_gt(id, 0, "no %s queued", kind);
	return id;
}

/* Composes message id in a committed write transaction, as delivery does. */
static enum kk_result compose_row(struct world *w, int64_t id, struct kk_mail_out *out, struct kk_error *err)
{
	struct kk_outbox_msg m = { 0 };
	struct kk_tx tx;
	struct kk_stmt *st;
	char *strs[7] = { NULL };
	enum kk_result res;

	cr_assert_eq(kk_tx_begin(w->p.s, 1, &tx, err), KK_OK, "%s", err->msg);
	st = kk_stmt_prepare(&tx,
			     "SELECT report_id, case_id, kind, recipient, subject, body, safe_body, lang, reply_token"
			     " FROM outbox WHERE id = ?",
			     err);
	cr_assert_not_null(st, "%s", err->msg);
	kk_stmt_bind_int(st, 1, id);
	cr_assert_eq(kk_stmt_first(st, err), KK_OK, "%s", err->msg);
	m.id = id;
	m.report_id = kk_stmt_int(st, 0);
	m.case_id = kk_stmt_int(st, 1);
	for (int i = 0; i < 7; i++)
		strs[i] = kk_stmt_dup(st, 2 + i);
	kk_stmt_free(st);
	m.kind = strs[0];
	m.recipient = strs[1];
	m.subject = strs[2];
	m.body = strs[3];
	m.safe_body = strs[4];
	m.lang = strs[5];
	m.reply_token = strs[6];
	res = kk_mail_compose(&tx, w->pgp, &m, out, err);
	res = kk_tx_end(&tx, res, err);
	for (int i = 0; i < 7; i++)
		free(strs[i]);
	return res;
}

/* The value of header name (unfolded, as written) of message text (the caller frees), or NULL. */
static char *header(const char *text, const char *name)
{
	const char *end = strstr(text, "\r\n\r\n"), *p = text;
	size_t n = strlen(name);

	while (p && p < end) {
		if (!strncmp(p, name, n) && p[n] == ':') {
			const char *v = p + n + 2, *e = v;
			struct kk_buf b;

			kk_buf_init(&b, 65536);
			/* a folded header continues on lines that begin with a space */
			while ((e = strstr(e, "\r\n")) && e[2] == ' ')
				e += 2;
			kk_buf_add(&b, v, (size_t)(e - v));
			return kk_buf_detach(&b);
		}
		p = strstr(p, "\r\n");
		p = p ? p + 2 : NULL;
	}
	return NULL;
}

/* Every line of text ends in CRLF and is at most max characters. */
static void assert_lines(const char *text, size_t max)
{
	for (const char *p = text; *p;) {
		const char *e = strstr(p, "\r\n");

		cr_assert_not_null(e, "a line without CRLF: %s", p);
		cr_assert_leq((size_t)(e - p), max, "a line of %zu characters", (size_t)(e - p));
		cr_assert_null(memchr(p, '\n', (size_t)(e - p)), "a bare LF");
		p = e + 2;
	}
}

/* ---- the MIME writer ---- */

Test(mail_mime, subject_is_rfc2047_words_that_decode_to_the_text)
{
	const char *subject = "[VU#123456] 脆弱性に関するお知らせ: 製品の確認をお願いします（重要・再送）";
	struct kk_buf o;
	char *value;
	struct kk_buf back;

	kk_buf_init(&o, 65536);
	kk_buf_init(&back, 65536);
	cr_assert_eq(kk_mime_header_text(&o, "Subject", subject), KK_OK);
	assert_lines(o.data, 78);
	cr_assert(strncmp(o.data, "Subject: =?UTF-8?B?", 19) == 0, "%s", o.data);
	/* each word decodes to whole characters (none is split) and together to the text */
	for (const char *p = o.data; (p = strstr(p, "=?UTF-8?B?"));) {
		const char *e = strstr(p + 10, "?=");
		char b64[128];
		size_t n = 0;
		int big = 0;
		unsigned char *raw;

		cr_assert_not_null(e);
		cr_assert_lt((size_t)(e + 2 - p), (size_t)76, "an encoded word over 75 characters");
		snprintf(b64, sizeof(b64), "%.*s", (int)(e - p - 10), p + 10);
		raw = kk_base64_decode(b64, 128, &n, &big);
		cr_assert_not_null(raw);
		cr_assert(kk_utf8_valid((const char *)raw, n), "a word splits a character");
		kk_buf_add(&back, raw, n);
		free(raw);
		p = e + 2;
	}
	cr_assert_str_eq(back.data, subject);
	kk_buf_release(&back);
	/* plain ASCII goes as it is */
	kk_buf_reset(&o);
	kk_mime_header_text(&o, "Subject", "[VU#1] Vulnerability notice");
	cr_assert_str_eq(o.data, "Subject: [VU#1] Vulnerability notice\r\n");
	kk_buf_adds(&o, "\r\n");
	value = header(o.data, "Subject");
	cr_assert_str_eq(value, "[VU#1] Vulnerability notice");
	free(value);
	kk_buf_release(&o);
}

Test(mail_mime, base64_body_round_trips_in_76_character_lines)
{
	struct kk_buf o, text;
	char *back;

	kk_buf_init(&o, 1 << 20);
	kk_buf_init(&text, 1 << 20);
	kk_buf_adds(&o, "H: x\r\n\r\n");
	for (int i = 0; i < 200; i++)
		kk_buf_addf(&text, "行 %d: ünïcødé and ASCII, 脆弱性 %d\n", i, i * 7);
	cr_assert_eq(kk_mime_base64(&o, text.data, text.len), KK_OK);
	assert_lines(o.data, 76);
	back = unit_mail_body(o.data);
	cr_assert_str_eq(back, text.data);
	free(back);
	kk_buf_release(&o);
	kk_buf_release(&text);
}

Test(mail_mime, from_setting_splits_into_name_and_address)
{
	char *d, *a;

	cr_assert_eq(kk_mime_split_from("CSIRT <cert@org.example>", &d, &a), 0);
	cr_assert_str_eq(d, "CSIRT");
	cr_assert_str_eq(a, "cert@org.example");
	free(d);
	free(a);
	cr_assert_eq(kk_mime_split_from("cert@org.example", &d, &a), 0);
	cr_assert_str_eq(d, "");
	cr_assert_str_eq(a, "cert@org.example");
	free(d);
	free(a);
	cr_assert_eq(kk_mime_split_from("no address here", &d, &a), -1);
}

/* ---- the kind table ---- */

/* Adds every [a-z_]+ string literal between "(" at p and its ")" to found. */
static void literals_of_call(const char *p, char found[64][32], size_t *n)
{
	int depth = 0;

	for (; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return;
		else if (*p == '"') {
			const char *e = strchr(p + 1, '"');
			size_t len = e ? (size_t)(e - p - 1) : 0;
			int word = len > 0 && len < 32;

			for (size_t i = 0; word && i < len; i++)
				word = (p[1 + i] >= 'a' && p[1 + i] <= 'z') || p[1 + i] == '_';
			/* the language codes are arguments too, not kinds */
			if (word && !(len == 2 && (!strncmp(p + 1, "ja", 2) || !strncmp(p + 1, "en", 2))) && *n < 64)
				snprintf(found[(*n)++], 32, "%.*s", (int)len, p + 1);
			if (!e)
				return;
			p = e;
		}
	}
}

static void scan(const char *dir, char found[64][32], size_t *n, size_t *calls)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	cr_assert_not_null(d, "cannot list %s", dir);
	while ((e = readdir(d))) {
		char path[PATH_MAX];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			scan(path, found, n, calls);
		} else if (strlen(e->d_name) > 2 && !strcmp(e->d_name + strlen(e->d_name) - 2, ".c") &&
			   strcmp(e->d_name, "outbox.c") != 0) {
			const char *root = getenv("KK_SOURCE_ROOT");
			char *text = unit_read_source(path + strlen(root) + 1);
			static const char *const fns[] = { "kk_outbox_queue(", "kk_outbox_queue_case(",
							   "kk_outbox_queue_text(", "kk_outbox_queue_safe(",
							   "kk_report_queue_to_finder(" };

			for (size_t f = 0; f < sizeof(fns) / sizeof(fns[0]); f++)
				for (const char *p = text; (p = strstr(p, fns[f])); p += strlen(fns[f])) {
					literals_of_call(p + strlen(fns[f]) - 1, found, n);
					(*calls)++;
				}
			free(text);
		}
	}
	closedir(d);
}

Test(mail_kinds, every_kind_lib_queues_is_in_the_table)
{
	const char *root = getenv("KK_SOURCE_ROOT");
	char dir[PATH_MAX], found[64][32];
	size_t n = 0, calls = 0;

	cr_assert_not_null(root, "KK_SOURCE_ROOT is not set");
	snprintf(dir, sizeof(dir), "%s/lib", root);
	scan(dir, found, &n, &calls);
	/* the scan must have seen the queue calls of issues 2-10, not nothing */
	cr_assert_geq(calls, 10, "only %zu queue calls found", calls);
	cr_assert_geq(n, 10, "only %zu kinds found", n);
	for (size_t i = 0; i < n; i++)
		cr_assert_not_null(kk_mail_kind_find(found[i]), "kind %s is queued but not in lib/mail/kinds.c", found[i]);
	cr_assert_null(kk_mail_kind_find("no_such_kind"));
}

/* ---- composing ---- */

Test(mail_compose, acknowledgement_without_key_has_tracking_number_and_link_only)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	struct world w;
	int64_t id;
	char *token, *v, *body, expect[256];

	setup(&w, 0);
	id = message_of(&w, "acknowledgement");
	token = text_of(w.p.s, "SELECT reply_token FROM outbox WHERE id = ?", id);
	cr_assert_eq(compose_row(&w, id, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(out.encrypted, 0);
	assert_lines(out.data, 998);
	/* mail.h: the envelope sender is the reply address, the Message-ID carries the token */
	snprintf(expect, sizeof(expect), "cert+%s@org.example", token);
	cr_assert_str_eq(out.from, expect);
	cr_assert_str_eq(out.rcpt, "taro@example.jp");
	v = header(out.data, "Reply-To");
	cr_assert_str_eq(v, expect);
	free(v);
	snprintf(expect, sizeof(expect), "<kk.%s@org.example>", token);
	cr_assert_str_eq(out.message_id, expect);
	v = header(out.data, "Message-ID");
	cr_assert_str_eq(v, expect);
	free(v);
	v = header(out.data, "From");
	cr_assert(strstr(v, "=?UTF-8?B?") && strstr(v, "<cert@org.example>"), "%s", v);
	free(v);
	v = header(out.data, "Content-Type");
	cr_assert_str_eq(v, "text/plain; charset=UTF-8");
	free(v);
	v = header(out.data, "Content-Transfer-Encoding");
	cr_assert_str_eq(v, "base64");
	free(v);
	cr_assert_null(header(out.data, "In-Reply-To"), "the first message of a thread");
	/* the report's language */
	v = header(out.data, "Content-Language");
	body = text_of(w.p.s, "SELECT lang FROM reports WHERE id = (SELECT report_id FROM outbox WHERE id = ?)", id);
	cr_assert_str_eq(v, body);
	free(v);
	free(body);
	/* SPEC 1: the summary nowhere, raw or decoded; the number and the link are there */
	cr_assert_null(strstr(out.data, SUMMARY));
	body = unit_mail_body(out.data);
	cr_assert_null(strstr(body, SUMMARY), "%s", body);
	cr_assert(strstr(body, w.tid), "%s", body);
	snprintf(expect, sizeof(expect), "https://keikai.example/r/%s", w.secret);
	cr_assert(strstr(body, expect), "%s", body);
	free(body);
	free(token);
	kk_mail_out_release(&out);
	teardown(&w);
}

Test(mail_compose, vendor_without_key_gets_the_notice_and_a_generic_subject)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	struct world w;
	char *subject, *body, *stored;
	struct kk_buf url;

	setup(&w, 1);
	cr_assert_eq(kk_mail_preview(w.p.s, message_of(&w, "case_summary"), &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(out.encrypted, 0);
	stored = text_of(w.p.s, "SELECT body FROM outbox WHERE id = ?", message_of(&w, "case_summary"));
	cr_assert(strstr(stored, SUMMARY), "the stored body is the real one");
	free(stored);
	/* the clear subject: the ref and the phrase, never the title */
	subject = header(out.data, "Subject");
	cr_assert(strstr(subject, w.ref) || strstr(subject, "=?UTF-8?B?"), "%s", subject);
	cr_assert_null(strstr(out.data, TITLE));
	cr_assert_null(strstr(out.data, SUMMARY));
	body = unit_mail_body(out.data);
	cr_assert_null(strstr(body, TITLE), "%s", body);
	cr_assert_null(strstr(body, SUMMARY), "%s", body);
	cr_assert_null(strstr(body, "script"), "%s", body);
	kk_buf_init(&url, 1024);
	kk_buf_adds(&url, "https://keikai.example/cases/");
	kk_buf_add_urlenc(&url, w.ref);
	cr_assert(strstr(body, url.data), "%s", body);
	kk_buf_release(&url);
	free(subject);
	free(body);
	kk_mail_out_release(&out);
	teardown(&w);
}

/* Decrypts the PGP/MIME message text in home h (with the organisation's
 * public key imported): the inner entity; the signer's fingerprint into signer. */
static char *decrypt_in(struct world *w, const char *h, const char *text, char signer[KK_PGP_FPR_LEN])
{
	struct kk_error err = KK_ERROR_INIT;
	char path[PATH_MAX + 32], fpr[KK_PGP_FPR_LEN], *org = NULL, *armor, *status, *plain, *valid;
	const char *b = strstr(text, "-----BEGIN PGP MESSAGE-----"), *e = strstr(text, "-----END PGP MESSAGE-----");

	cr_assert(b && e, "no armored message in %s", text);
	cr_assert_eq(kk_pgp_org_key(w->pgp, w->p.s, &org, fpr, &err), KK_OK, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/org.asc", h);
	unit_write_file(path, org);
	unit_sh(GPG "--import '%s' 2>/dev/null", h, path);
	armor = kk_strndup(b, (size_t)(e - b) + strlen("-----END PGP MESSAGE-----"));
	snprintf(path, sizeof(path), "%s/msg.asc", h);
	unit_write_file(path, armor);
	status = unit_sh_out(GPG "--status-fd 1 --output '%s.out' --decrypt '%s' 2>/dev/null", h, path, path);
	valid = strstr(status, "[GNUPG:] VALIDSIG ");
	cr_assert_not_null(valid, "no good signature: %s", status);
	snprintf(signer, KK_PGP_FPR_LEN, "%.40s", valid + strlen("[GNUPG:] VALIDSIG "));
	snprintf(path, sizeof(path), "%s/msg.asc.out", h);
	plain = unit_sh_out("cat '%s'", path);
	free(org);
	free(armor);
	free(status);
	return plain;
}

Test(mail_compose, vendor_with_key_gets_pgp_mime_signed_by_the_organisation)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	struct world w;
	char h[PATH_MAX], signer[KK_PGP_FPR_LEN], *key, *v, *inner, *body;

	setup(&w, 1);
	party_key(h, "PSIRT <psirt@example.jp>", "", "never", &key);
	exec2(w.p.s, "UPDATE vendors SET pgp_key = ? WHERE id = ?", key, w.p.vid);
	cr_assert_eq(compose_row(&w, message_of(&w, "case_summary"), &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(out.encrypted, 1);
	assert_lines(out.data, 998);
	v = header(out.data, "Content-Type");
	cr_assert(strstr(v, "multipart/encrypted") && strstr(v, "protocol=\"application/pgp-encrypted\""), "%s", v);
	free(v);
	cr_assert(strstr(out.data, "Content-Type: application/pgp-encrypted\r\n"));
	cr_assert(strstr(out.data, "Version: 1\r\n"));
	/* nothing confidential in clear */
	cr_assert_null(strstr(out.data, TITLE));
	cr_assert_null(strstr(out.data, SUMMARY));
	inner = decrypt_in(&w, h, out.data, signer);
	cr_assert_str_eq(signer, w.org_fpr);
	cr_assert(strstr(inner, "protected-headers=\"v1\""), "%s", inner);
	/* the real subject is inside, protected (RFC 2047 in the inner header) */
	v = header(inner, "Subject");
	cr_assert_not_null(v, "%s", inner);
	free(v);
	body = unit_mail_body(inner);
	cr_assert(strstr(body, SUMMARY), "%s", body);
	cr_assert(strstr(body, TITLE), "%s", body);
	free(body);
	free(inner);
	free(key);
	kk_mail_out_release(&out);
	unit_sh("gpgconf --homedir '%s' --kill all", h);
	teardown(&w);
}

Test(mail_compose, finder_with_key_gets_the_acknowledgement_encrypted)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	struct world w;
	char h[PATH_MAX], signer[KK_PGP_FPR_LEN], *key, *inner, *body;
	int64_t id;

	setup(&w, 0);
	party_key(h, "Taro <taro@example.jp>", "", "never", &key);
	id = message_of(&w, "acknowledgement");
	exec2(w.p.s, "UPDATE reports SET finder_pgp_key = ? WHERE id = ?", key,
	      unit_count(w.p.s, "SELECT report_id FROM outbox WHERE kind = ?", "acknowledgement"));
	cr_assert_eq(compose_row(&w, id, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(out.encrypted, 1);
	inner = decrypt_in(&w, h, out.data, signer);
	body = unit_mail_body(inner);
	/* the whole acknowledgement, summary included, inside the encryption */
	cr_assert(strstr(body, SUMMARY), "%s", body);
	cr_assert(strstr(body, w.tid), "%s", body);
	free(body);
	free(inner);
	free(key);
	kk_mail_out_release(&out);
	unit_sh("gpgconf --homedir '%s' --kill all", h);
	teardown(&w);
}

Test(mail_compose, expired_key_gives_the_notice_and_alerts_staff_once)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	struct world w;
	char h[PATH_MAX], *key, *body;
	int64_t alerts;

	setup(&w, 1);
	/* made in 2020 with a day's validity: long expired */
	party_key(h, "Old <psirt@example.jp>", "--faked-system-time 20200101T000000", "1d", &key);
	exec2(w.p.s, "UPDATE vendors SET pgp_key = ? WHERE id = ?", key, w.p.vid);
	alerts = unit_count(w.p.s, "SELECT count(*) FROM outbox WHERE kind = ?", "staff_alert");
	/* a preview changes nothing */
	cr_assert_eq(kk_mail_preview(w.p.s, message_of(&w, "case_summary"), &out, &err), KK_OK, "%s", err.msg);
	kk_mail_out_release(&out);
	cr_assert_eq(unit_count(w.p.s, "SELECT count(*) FROM reminders WHERE clock = ?", "pgp_key"), 0);
	cr_assert_eq(compose_row(&w, message_of(&w, "case_summary"), &out, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(out.encrypted, 0);
	body = unit_mail_body(out.data);
	cr_assert_null(strstr(body, SUMMARY), "%s", body);
	cr_assert_null(strstr(out.data, SUMMARY));
	free(body);
	kk_mail_out_release(&out);
	/* never silently ignored: a reminder on the dashboard, an alert to staff */
	cr_assert_eq(unit_count(w.p.s, "SELECT count(*) FROM reminders WHERE clock = ?", "pgp_key"), 1);
	cr_assert_eq(unit_count(w.p.s, "SELECT count(*) FROM reminders WHERE occasion LIKE ?", "%:expired"), 1);
	cr_assert_gt(unit_count(w.p.s, "SELECT count(*) FROM outbox WHERE kind = ?", "staff_alert"), alerts);
	alerts = unit_count(w.p.s, "SELECT count(*) FROM outbox WHERE kind = ?", "staff_alert");
	/* once per key and state */
	cr_assert_eq(compose_row(&w, message_of(&w, "case_summary"), &out, &err), KK_OK, "%s", err.msg);
	kk_mail_out_release(&out);
	cr_assert_eq(unit_count(w.p.s, "SELECT count(*) FROM outbox WHERE kind = ?", "staff_alert"), alerts);
	cr_assert_eq(unit_count(w.p.s, "SELECT count(*) FROM reminders WHERE clock = ?", "pgp_key"), 1);
	free(key);
	teardown(&w);
}

Test(mail_compose, in_reply_to_names_the_last_message_sent_to_the_same_person_about_the_case)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	struct world w;
	int64_t first, second;
	char *v, *refs;

	setup(&w, 1);
	first = message_of(&w, "case_summary");
	/* the first went out with its Message-ID (as delivery records it) */
	exec2(w.p.s, "UPDATE outbox SET status = 'sent', message_id = ? WHERE id = ?", "<kk.first@org.example>", first);
	exec2(w.p.s,
	      "INSERT INTO outbox(created_at, kind, recipient, subject, body, lang, case_id, reply_token)"
	      " SELECT created_at, 'case_message', recipient, subject, body, lang, case_id, ? FROM outbox WHERE id = ?",
	      "abcdefghijklmnopqrst", first);
	second = unit_count(w.p.s, "SELECT max(id) FROM outbox WHERE reply_token = ?", "abcdefghijklmnopqrst");
	cr_assert_gt(second, first);
	cr_assert_eq(compose_row(&w, second, &out, &err), KK_OK, "%s", err.msg);
	v = header(out.data, "In-Reply-To");
	refs = header(out.data, "References");
	cr_assert_not_null(v);
	cr_assert_str_eq(v, "<kk.first@org.example>");
	cr_assert_str_eq(refs, "<kk.first@org.example>");
	free(v);
	free(refs);
	kk_mail_out_release(&out);
	/* a message to someone else about the case starts its own thread */
	exec2(w.p.s, "UPDATE outbox SET recipient = ? WHERE id = ?", "other@example.jp", second);
	cr_assert_eq(compose_row(&w, second, &out, &err), KK_OK, "%s", err.msg);
	cr_assert_null(header(out.data, "In-Reply-To"));
	kk_mail_out_release(&out);
	teardown(&w);
}

Test(mail_compose, an_unknown_kind_is_refused_by_name)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	struct world w;
	int64_t id;

	setup(&w, 0);
	id = message_of(&w, "acknowledgement");
	exec2(w.p.s, "UPDATE outbox SET kind = ? WHERE id = ?", "mystery_kind", id);
	cr_assert_eq(compose_row(&w, id, &out, &err), KK_EINVAL);
	cr_assert(strstr(err.msg, "mystery_kind"), "%s", err.msg);
	cr_assert_null(out.data);
	kk_error_release(&err);
	teardown(&w);
}

Test(mail_compose, english_finder_gets_english_words)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_mail_out out = { 0 };
	struct world w;
	int64_t id;
	char *v, *body;

	setup(&w, 0);
	id = message_of(&w, "acknowledgement");
	exec2(w.p.s, "UPDATE outbox SET lang = ?, safe_body = NULL WHERE id = ?", "en", id);
	cr_assert_eq(compose_row(&w, id, &out, &err), KK_OK, "%s", err.msg);
	v = header(out.data, "Content-Language");
	cr_assert_str_eq(v, "en");
	free(v);
	v = header(out.data, "Subject");
	cr_assert(strstr(v, w.tid) && strstr(v, "Your vulnerability report was received"), "%s", v);
	free(v);
	/* without safe_body: the kind's own notice, in English, without the summary */
	body = unit_mail_body(out.data);
	cr_assert(strstr(body, "status page"), "%s", body);
	cr_assert_null(strstr(body, SUMMARY), "%s", body);
	free(body);
	kk_mail_out_release(&out);
	teardown(&w);
}
