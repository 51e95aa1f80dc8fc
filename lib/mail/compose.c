/*
 * compose.c: an outbox row becomes a whole message (mail.h kk_mail_compose;
 * issue 11 items 2 and 3, SPEC 1, 2.1, 2.6). What goes in clear is only what
 * routes and threads it: the organisation's address (smtp.from), the
 * recipient, "[REF] " and the generic phrase of the kind (kinds.c; never the
 * stored subject, which may hold a case's title), the Message-ID and reply
 * address carrying the row's token, the In-Reply-To of the last message sent
 * to the same person about the same case or report, and the language.
 *
 * The content is PGP/MIME (RFC 3156) when the recipient has a usable key on
 * record: a finder's (the report's finder_pgp_key) or a vendor's (vendors.
 * pgp_key, the vendor whose e-mail contact or user the recipient is, the
 * case's vendors first). Inside the encryption goes the real subject as a
 * protected header (protected-headers="v1") and the body, signed with the
 * organisation's key. Without a usable key the body is the content-free
 * notice: outbox.safe_body when the queue gave one, else the kind's notice
 * (kinds.c). A key on record that cannot be used is reported to staff
 * (key_alert.h) and the notice goes: never the content in clear.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/mail.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "compose_internal.h"
#include "key_alert.h"

/* A message's cap: a body is at most an outbox row's (64 KiB and a little)
 * and grows by a third in base64, and again in armor after encryption. */
#define MESSAGE_MAX (4u << 20)
#define NOTICE_MAX 16384

/* What a message is made of, found in the database. */
struct parts {
	const struct kk_mail_kind *kind;
	enum kk_lang lang;
	char *from_display, *from_addr; /* smtp.from */
	char *reply_addr;               /* LOCAL+TOKEN@DOMAIN */
	char *message_id;               /* <kk.TOKEN@DOMAIN> */
	char *ref;                      /* the case's ref, the tracking number, or "keikai" */
	char *tracking_id;              /* the report's, NULL when none */
	int64_t coordinator_id;
	char *base_url;
	char *in_reply_to;              /* NULL: the thread's first */
	int to_finder;                  /* the recipient is the finder of the report */
	int64_t key_vendor, key_report; /* whose key was looked up (0: nobody's) */
	char *key;                      /* the armored key on record, NULL: none */
};

static void parts_release(struct parts *p)
{
	free(p->from_display);
	free(p->from_addr);
	free(p->reply_addr);
	free(p->message_id);
	free(p->ref);
	free(p->tracking_id);
	free(p->base_url);
	free(p->in_reply_to);
	free(p->key);
}

static int token_valid(const char *t)
{
	if (!t || strlen(t) != KK_MAIL_TOKEN_LEN)
		return 0;
	for (; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= '2' && *t <= '7')))
			return 0;
	return 1;
}

/* The addresses of the message from smtp.from and the token (mail.h). */
static enum kk_result addresses(struct kk_tx *tx, const struct kk_outbox_msg *m, struct parts *p,
				struct kk_error *err)
{
	char *from = NULL;
	const char *at;
	enum kk_result res = kk_setting_read(tx, "smtp.from", NULL, &from, err);

	if (res)
		return res;
	if (kk_str_empty(from)) {
		free(from);
		return kk_error_set(err, KK_EINVAL, "%s",
				    _("The setting smtp.from is not set: keikai does not know which address to send from."));
	}
	if (kk_mime_split_from(from, &p->from_display, &p->from_addr) != 0) {
		res = kk_error_set(err, KK_EINVAL, _("The setting smtp.from holds no e-mail address: %s"), from);
		free(from);
		return res;
	}
	free(from);
	at = strrchr(p->from_addr, '@');
	p->reply_addr = kk_strdupf("%.*s+%s%s", (int)(at - p->from_addr), p->from_addr, m->reply_token, at);
	p->message_id = kk_strdupf("<kk.%s%s>", m->reply_token, at);
	if (!p->reply_addr || !p->message_id)
		return kk_error_nomem(err);
	return KK_OK;
}

/* REF: the case's ref, else the report's tracking number, else "keikai"
 * (priority provision names neither). */
static enum kk_result reference(struct kk_tx *tx, const struct kk_outbox_msg *m, struct parts *p,
				struct kk_error *err)
{
	struct kk_stmt *st;
	enum kk_result res = KK_OK;

	if (m->report_id) {
		if (!(st = kk_stmt_prepare(tx, "SELECT tracking_id FROM reports WHERE id = ?", err)))
			return kk_error_result(err, KK_EDB);
		kk_stmt_bind_int(st, 1, m->report_id);
		res = kk_stmt_first(st, err);
		if (!res && !(p->tracking_id = kk_stmt_dup(st, 0)))
			res = kk_error_nomem(err);
		kk_stmt_free(st);
		if (res == KK_ENOTFOUND)
			res = kk_error_set(err, KK_ENOTFOUND, _("Message %lld names a report that does not exist."),
					   (long long)m->id);
	}
	if (!res && m->case_id) {
		if (!(st = kk_stmt_prepare(tx, "SELECT ref, coordinator_id FROM cases WHERE id = ?", err)))
			return kk_error_result(err, KK_EDB);
		kk_stmt_bind_int(st, 1, m->case_id);
		res = kk_stmt_first(st, err);
		if (!res && !(p->ref = kk_stmt_dup(st, 0)))
			res = kk_error_nomem(err);
		if (!res)
			p->coordinator_id = kk_stmt_int(st, 1);
		kk_stmt_free(st);
		if (res == KK_ENOTFOUND)
			res = kk_error_set(err, KK_ENOTFOUND, _("Message %lld names a case that does not exist."),
					   (long long)m->id);
	}
	if (!res && !p->ref && !(p->ref = kk_strdup(p->tracking_id ? p->tracking_id : "keikai")))
		res = kk_error_nomem(err);
	return res;
}

/* The recipient's key on record: the finder's when the recipient is the
 * finder of the message's report (or of a report of its case), else the
 * vendor's whose e-mail contact or user the recipient is. */
static enum kk_result recipient_key(struct kk_tx *tx, const struct kk_outbox_msg *m, struct parts *p,
				    struct kk_error *err)
{
	struct kk_stmt *st;
	enum kk_result res;

	st = kk_stmt_prepare(tx,
			     "SELECT id, finder_pgp_key FROM reports WHERE lower(finder_email) = lower(?)"
			     " AND (id = ? OR id IN (SELECT report_id FROM case_reports WHERE case_id = ?))"
			     " ORDER BY CASE WHEN id = ? THEN 0 ELSE 1 END, id LIMIT 1",
			     err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, m->recipient);
	kk_stmt_bind_int(st, 2, m->report_id);
	kk_stmt_bind_int(st, 3, m->case_id);
	kk_stmt_bind_int(st, 4, m->report_id);
	res = kk_stmt_first(st, err);
	if (!res) {
		int lost = 0;

		p->to_finder = 1;
		p->key_report = kk_stmt_int(st, 0);
		kk_stmt_dup_into(st, 1, &p->key, &lost);
		if (lost)
			res = kk_error_nomem(err);
	}
	kk_stmt_free(st);
	if (res != KK_ENOTFOUND)
		return res;
	if (p->kind->audience == KK_MAIL_STAFF)
		return KK_OK; /* staff have no keys on record */
	st = kk_stmt_prepare(tx,
			     "SELECT v.id, v.pgp_key FROM vendors v WHERE v.id IN (SELECT vendor_id FROM vendor_contacts"
			     " WHERE channel = 'email' AND lower(value) = lower(?)) OR v.id IN (SELECT o.vendor_id"
			     " FROM users u JOIN orgs o ON o.id = u.org_id WHERE lower(u.email) = lower(?)"
			     " AND o.vendor_id IS NOT NULL)"
			     " ORDER BY CASE WHEN v.id IN (SELECT vendor_id FROM case_vendors WHERE case_id = ?)"
			     " THEN 0 ELSE 1 END, CASE WHEN v.pgp_key IS NULL THEN 1 ELSE 0 END, v.id LIMIT 1",
			     err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, m->recipient);
	kk_stmt_bind_text(st, 2, m->recipient);
	kk_stmt_bind_int(st, 3, m->case_id);
	res = kk_stmt_first(st, err);
	if (!res) {
		int lost = 0;

		p->key_vendor = kk_stmt_int(st, 0);
		kk_stmt_dup_into(st, 1, &p->key, &lost);
		if (lost)
			res = kk_error_nomem(err);
	}
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? KK_OK : res;
}

/* In-Reply-To: the last earlier message sent to the same recipient about the
 * same case (or, without a case, the same report). */
static enum kk_result thread(struct kk_tx *tx, const struct kk_outbox_msg *m, struct parts *p,
			     struct kk_error *err)
{
	struct kk_stmt *st;
	enum kk_result res;
	int lost = 0;

	if (!m->case_id && !m->report_id)
		return KK_OK;
	st = kk_stmt_prepare(tx, m->case_id ? "SELECT message_id FROM outbox WHERE case_id = ? AND lower(recipient) ="
					      " lower(?) AND id < ? AND status = 'sent' AND message_id IS NOT NULL"
					      " ORDER BY id DESC LIMIT 1"
					    : "SELECT message_id FROM outbox WHERE report_id = ? AND case_id IS NULL AND"
					      " lower(recipient) = lower(?) AND id < ? AND status = 'sent' AND"
					      " message_id IS NOT NULL ORDER BY id DESC LIMIT 1",
			     err);
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, m->case_id ? m->case_id : m->report_id);
	kk_stmt_bind_text(st, 2, m->recipient);
	/* a message not yet stored (id 0) comes after every other */
	kk_stmt_bind_int(st, 3, m->id > 0 ? m->id : INT64_MAX);
	res = kk_stmt_first(st, err);
	if (!res)
		kk_stmt_dup_into(st, 0, &p->in_reply_to, &lost);
	kk_stmt_free(st);
	if (lost)
		return kk_error_nomem(err);
	return res == KK_ENOTFOUND ? KK_OK : res;
}

/* Where a reader without a key reads the message. */
static enum kk_result notice_url(const struct parts *p, const struct kk_outbox_msg *m, struct kk_buf *url)
{
	kk_buf_adds(url, p->base_url);
	if (p->kind->notice == KK_NOTICE_PROVISION) {
		kk_buf_adds(url, "/provisions");
	} else if (m->case_id) {
		kk_buf_adds(url, "/cases/");
		kk_buf_add_urlenc(url, p->ref);
	} else if (p->kind->audience == KK_MAIL_STAFF && p->tracking_id) {
		kk_buf_adds(url, "/intake/reports/");
		kk_buf_add_urlenc(url, p->tracking_id);
	} else {
		kk_buf_adds(url, p->kind->audience == KK_MAIL_STAFF ? "/dashboard" : "/login");
	}
	return kk_buf_result(url);
}

/* The clear subject: "[REF] " and the kind's phrase in the message's
 * language (both languages for a bilingual kind). The caller frees it. */
static char *clear_subject(const struct parts *p)
{
	enum kk_lang was = kk_i18n_current();
	char *ja, *s;

	kk_i18n_use(p->lang);
	if (!p->kind->bilingual) {
		s = kk_strdupf("[%s] %s", p->ref, _(p->kind->phrase));
	} else {
		kk_i18n_use(KK_LANG_JA);
		ja = kk_strdup(_(p->kind->phrase));
		kk_i18n_use(KK_LANG_EN);
		s = ja ? kk_strdupf("[%s] %s / %s", p->ref, ja, _(p->kind->phrase)) : NULL;
		free(ja);
	}
	kk_i18n_use(was);
	return s;
}

/* The headers every message has, up to and including Content-Language. */
static enum kk_result common_headers(struct kk_buf *o, const struct kk_outbox_msg *m, const struct parts *p,
				     const char *subject)
{
	char date[32];

	kk_mime_date(kk_now(), date);
	kk_mime_header_addr(o, "From", p->from_display, p->from_addr);
	kk_mime_header(o, "To", m->recipient);
	kk_mime_header_text(o, "Subject", subject);
	kk_mime_header(o, "Date", date);
	kk_mime_header(o, "Message-ID", p->message_id);
	if (p->in_reply_to) {
		kk_mime_header(o, "In-Reply-To", p->in_reply_to);
		kk_mime_header(o, "References", p->in_reply_to);
	}
	kk_mime_header(o, "Reply-To", p->reply_addr);
	kk_mime_header(o, "MIME-Version", "1.0");
	return kk_mime_header(o, "Content-Language", kk_lang_code(p->lang));
}

/* A text/plain UTF-8 base64 body of text (LF or CRLF lines). */
static enum kk_result text_body(struct kk_buf *o, const char *text)
{
	struct kk_buf crlf;
	enum kk_result res;

	kk_buf_init(&crlf, MESSAGE_MAX);
	res = kk_mime_crlf(&crlf, text);
	if (!res)
		res = kk_mime_base64(o, crlf.data ? crlf.data : "", crlf.len);
	kk_buf_release(&crlf);
	return res;
}

/* The content-free message (SPEC 1): safe_body or the kind's notice. */
static enum kk_result plain_message(struct kk_buf *o, const struct kk_outbox_msg *m, const struct parts *p,
				    const char *subject)
{
	struct kk_buf notice, url;
	enum kk_result res;

	kk_buf_init(&notice, NOTICE_MAX);
	kk_buf_init(&url, 4096);
	if (!kk_str_empty(m->safe_body)) {
		res = kk_buf_adds(&notice, m->safe_body);
	} else {
		res = notice_url(p, m, &url);
		if (!res)
			res = kk_mail_notice_write(&notice, p->kind, p->lang, p->ref, url.data,
						   p->to_finder || p->kind->audience == KK_MAIL_FINDER);
	}
	common_headers(o, m, p, subject);
	kk_mime_header(o, "Content-Type", "text/plain; charset=UTF-8");
	kk_mime_header(o, "Content-Transfer-Encoding", "base64");
	kk_buf_adds(o, "\r\n");
	if (!res)
		res = text_body(o, notice.data);
	kk_buf_release(&notice);
	kk_buf_release(&url);
	return res ? res : kk_buf_result(o);
}

/* The entity that is encrypted: the real subject as a protected header
 * (draft-autocrypt-lamps-protected-headers) and the body. */
static enum kk_result inner_entity(struct kk_buf *o, const struct kk_outbox_msg *m, const struct parts *p)
{
	kk_mime_header(o, "Content-Type", "text/plain; charset=UTF-8; protected-headers=\"v1\"");
	kk_mime_header(o, "Content-Transfer-Encoding", "base64");
	kk_mime_header_text(o, "Subject", m->subject);
	kk_mime_header_addr(o, "From", p->from_display, p->from_addr);
	kk_mime_header(o, "To", m->recipient);
	kk_mime_header(o, "Message-ID", p->message_id);
	kk_buf_adds(o, "\r\n");
	return text_body(o, m->body);
}

/* multipart/encrypted (RFC 3156 4) around the armored ciphertext. */
static enum kk_result encrypted_message(struct kk_buf *o, const struct kk_outbox_msg *m, const struct parts *p,
					const char *subject, const char *armored)
{
	char boundary[40], ctype[128];

	kk_mime_boundary(boundary);
	snprintf(ctype, sizeof(ctype), "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"%s\"",
		 boundary);
	common_headers(o, m, p, subject);
	kk_mime_header(o, "Content-Type", ctype);
	kk_buf_adds(o, "\r\nThis is an OpenPGP/MIME encrypted message (RFC 3156).\r\n");
	kk_buf_addf(o, "--%s\r\n", boundary);
	kk_mime_header(o, "Content-Type", "application/pgp-encrypted");
	kk_mime_header(o, "Content-Description", "PGP/MIME version identification");
	kk_buf_adds(o, "\r\nVersion: 1\r\n\r\n");
	kk_buf_addf(o, "--%s\r\n", boundary);
	kk_mime_header(o, "Content-Type", "application/octet-stream; name=\"encrypted.asc\"");
	kk_mime_header(o, "Content-Description", "OpenPGP encrypted message");
	kk_mime_header(o, "Content-Disposition", "inline; filename=\"encrypted.asc\"");
	kk_buf_adds(o, "\r\n");
	kk_mime_crlf(o, armored);
	kk_buf_addf(o, "\r\n--%s--\r\n", boundary);
	return kk_buf_result(o);
}

/* Reports a key on record that cannot be used (key_alert.h). */
static enum kk_result report_key(struct kk_tx *tx, const struct kk_outbox_msg *m, const struct parts *p,
				 const struct kk_pgp_key_info *info, struct kk_error *err)
{
	struct kk_key_problem kp = { 0 };
	char hash[65];

	if (info->fpr[0]) {
		kp.fpr = info->fpr;
	} else {
		/* no key in the block: name it by its digest */
		kk_sha256_hex(p->key, strlen(p->key), hash);
		hash[40] = '\0';
		kp.fpr = hash;
	}
	kp.recipient = m->recipient;
	kp.state = info->state == KK_PGP_KEY_USABLE ? KK_PGP_KEY_UNUSABLE : info->state;
	kp.expires = info->expires;
	kp.vendor_id = p->key_vendor;
	kp.report_id = p->key_vendor ? m->report_id : p->key_report;
	kp.case_id = m->case_id;
	kp.ref = p->ref;
	return kk_key_alert(tx, &kp, NULL, err);
}

/* Encrypts to the key on record into *armored, or leaves it NULL when the
 * key cannot be used (reported to staff). */
static enum kk_result encrypt(struct kk_tx *tx, struct kk_pgp *pgp, const struct kk_outbox_msg *m,
			      const struct parts *p, char **armored, struct kk_error *err)
{
	struct kk_pgp_key_info info;
	struct kk_buf inner;
	enum kk_result res;

	*armored = NULL;
	memset(&info, 0, sizeof(info));
	if (!pgp)
		return kk_error_set(err, KK_EINVAL, "%s", _("The recipient has an OpenPGP key, but no OpenPGP context was given to encrypt with."));
	res = kk_pgp_key_inspect(pgp, p->key, &info, err);
	if (res == KK_EINVAL) {
		kk_error_clear(err);
		info.state = KK_PGP_KEY_UNUSABLE;
		info.fpr[0] = '\0';
	} else if (res) {
		return res;
	}
	if (info.state != KK_PGP_KEY_USABLE)
		return report_key(tx, m, p, &info, err);
	kk_buf_init(&inner, MESSAGE_MAX);
	res = inner_entity(&inner, m, p);
	if (res)
		res = res == KK_ENOMEM ? kk_error_nomem(err)
				       : kk_error_set(err, KK_ETOOBIG, _("Message %lld is too long to send."), (long long)m->id);
	if (!res)
		res = kk_pgp_encrypt_sign(pgp, tx->store, p->key, inner.data, inner.len, armored, &info, err);
	kk_buf_release(&inner);
	if (res == KK_EINVAL && info.state != KK_PGP_KEY_USABLE) {
		/* it could not be encrypted to after all: the same as above */
		kk_error_clear(err);
		free(*armored);
		*armored = NULL;
		return report_key(tx, m, p, &info, err);
	}
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, "%s",
				   _("The organisation has no OpenPGP key to sign with: run keikai pgp init."));
	return res;
}

static enum kk_result check(const struct kk_outbox_msg *m, struct parts *p, struct kk_error *err)
{
	if (!(p->kind = kk_mail_kind_find(m->kind)))
		return kk_error_set(err, KK_EINVAL, _("Message %lld is of kind %s, which keikai cannot compose."),
				    (long long)m->id, m->kind ? m->kind : "");
	if (!token_valid(m->reply_token))
		return kk_error_set(err, KK_EINVAL, _("Message %lld has no valid reply token."), (long long)m->id);
	if (!m->recipient || !kk_email_valid(m->recipient) || kk_has_control(m->recipient, 0))
		return kk_error_set(err, KK_EINVAL, _("Message %lld is to %s, which is not an e-mail address."),
				    (long long)m->id, m->recipient ? m->recipient : "");
	if (!m->subject || !m->body)
		return kk_error_set(err, KK_EINVAL, _("Message %lld has no subject or no body."), (long long)m->id);
	if (kk_lang_parse(m->lang, &p->lang) != 0)
		p->lang = KK_LANG_JA;
	return KK_OK;
}

enum kk_result kk_mail_compose(struct kk_tx *tx, struct kk_pgp *pgp, const struct kk_outbox_msg *m,
			       struct kk_mail_out *out, struct kk_error *err)
{
	struct parts p;
	struct kk_buf o;
	char *subject = NULL, *armored = NULL;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	kk_buf_init(&o, MESSAGE_MAX);
	res = check(m, &p, err);
	if (!res)
		res = addresses(tx, m, &p, err);
	if (!res)
		res = reference(tx, m, &p, err);
	if (!res)
		res = kk_setting_read(tx, "base_url", "", &p.base_url, err);
	if (!res)
		res = recipient_key(tx, m, &p, err);
	if (!res)
		res = thread(tx, m, &p, err);
	if (!res && !(subject = clear_subject(&p)))
		res = kk_error_nomem(err);
	if (!res && p.key)
		res = encrypt(tx, pgp, m, &p, &armored, err);
	if (!res) {
		res = armored ? encrypted_message(&o, m, &p, subject, armored) : plain_message(&o, m, &p, subject);
		if (res)
			res = res == KK_ENOMEM ? kk_error_nomem(err)
					       : kk_error_set(err, KK_ETOOBIG, _("Message %lld is too long to send."),
							      (long long)m->id);
	}
	if (!res) {
		out->n = o.len;
		out->encrypted = armored != NULL;
		out->from = p.reply_addr;
		out->message_id = p.message_id;
		p.reply_addr = p.message_id = NULL;
		out->rcpt = kk_strdup(m->recipient);
		out->data = kk_buf_detach(&o);
		if (!out->rcpt || !out->data) {
			kk_mail_out_release(out);
			res = kk_error_nomem(err);
		}
	}
	free(subject);
	free(armored);
	kk_buf_release(&o);
	parts_release(&p);
	return res;
}

void kk_mail_out_release(struct kk_mail_out *o)
{
	if (!o)
		return;
	free(o->from);
	free(o->rcpt);
	free(o->data);
	free(o->message_id);
	memset(o, 0, sizeof(*o));
}
