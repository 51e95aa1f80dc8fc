/*
 * mailin.c: one message in (mailin.h; issue 11, item 4; SPEC 2.1, 2.6,
 * 2.13). What can be done before the transaction is: the message is parsed
 * (mime.h) and, when it came encrypted, decrypted with the organisation's
 * key (pgp.h), so GnuPG never runs while the store is locked. Then one
 * transaction keeps the message as evidence, records it in inbound_mail and
 * routes it (docs/internals/mail-in.md has the table):
 *
 *   DSN with a token       -> bounce (failed: the message, attempt and contact failed)
 *   auto-reply             -> review
 *   token of a message     -> reply in that thread, from a contact of its party
 *   no token, to the org   -> report in the state "mail"
 *   anything else          -> review, with the reason
 *
 * A route that does not fit (a stranger, an unaccepted report, a flood)
 * falls to review with the reason; only a failure of the store itself ends
 * the transaction with nothing stored, so the MTA tries again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "keikai/case.h"
#include "keikai/clock.h"
#include "keikai/evidence.h"
#include "keikai/i18n.h"
#include "keikai/mail.h"
#include "keikai/mailin.h"
#include "keikai/mime.h"
#include "keikai/outbox.h"
#include "keikai/pgp.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "case/mail_post.h"
#include "mailin_internal.h"
#include "report/complete.h"
#include "store/cases.h"
#include "store/inbound.h"

const char *kk_mail_in_kind_name(enum kk_mail_in_kind kind)
{
	static const char *const names[] = { "review", "reply", "bounce", "report" };

	return (size_t)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "review";
}

/* What is known of the message before the transaction. */
struct incoming {
	struct kk_mime_message m;     /* the message */
	struct kk_mime_message inner; /* what was encrypted in it, once decrypted */
	int parsed;                   /* m could be read as a message */
	int encrypted;                /* it came encrypted and was decrypted */
	char *text;                   /* the text to keep: decrypted when it was encrypted, cleaned */
	char reason[256];             /* why it cannot be routed ("" when it may be) */
};

static void incoming_release(struct incoming *in)
{
	kk_mime_release(&in->m);
	kk_mime_release(&in->inner);
	free(in->text);
	memset(in, 0, sizeof(*in));
}

/* Decrypts m's OpenPGP message with the organisation's key into in->inner;
 * a message that cannot be decrypted is said in in->reason. */
static enum kk_result decrypt(struct kk_store *s, struct incoming *in, struct kk_error *err)
{
	struct kk_error why = KK_ERROR_INIT;
	struct kk_pgp_plain plain = { 0 };
	struct kk_pgp *p = NULL;
	enum kk_result res = kk_pgp_open(s, &p, &why);

	if (!res)
		res = kk_pgp_decrypt(p, in->m.pgp_data, in->m.pgp_len, &plain, &why);
	if (!res)
		res = kk_mime_parse_inner(plain.data, plain.n, &in->inner, &why);
	kk_pgp_close(p);
	free(plain.data);
	if (res == KK_ENOMEM) {
		kk_error_release(&why);
		return kk_error_nomem(err);
	}
	if (res)
		snprintf(in->reason, sizeof(in->reason), _("The message came encrypted but could not be decrypted: %s"),
			 why.msg);
	else
		in->encrypted = 1;
	kk_error_release(&why);
	return KK_OK;
}

static enum kk_result prepare(struct kk_store *s, const char *data, size_t n, struct incoming *in,
			      struct kk_error *err)
{
	struct kk_error why = KK_ERROR_INIT;
	enum kk_result res;
	const char *text;

	memset(in, 0, sizeof(*in));
	res = kk_mime_parse(data, n, &in->m, &why);
	if (res == KK_ETOOBIG || res == KK_ENOMEM) {
		kk_error_copy(err, &why);
		kk_error_release(&why);
		return res;
	}
	if (res) {
		snprintf(in->reason, sizeof(in->reason), _("The message could not be read: %s"), why.msg);
		kk_error_release(&why);
		return KK_OK;
	}
	kk_error_release(&why);
	in->parsed = 1;
	if (in->m.pgp != KK_MIME_PGP_NONE && !in->m.is_dsn) {
		res = decrypt(s, in, err);
		if (res)
			return res;
	}
	text = in->encrypted ? in->inner.text : in->m.text;
	if (text && !(in->text = mailin_clean_text(text, KK_CASE_TEXT_MAX)))
		return kk_error_nomem(err);
	return KK_OK;
}

/* ---- routing, inside the transaction ---- */

struct route {
	struct kk_tx *tx;
	struct incoming *in;
	struct kk_inbound row;
	struct kk_mail_in_result *out;
	char reason[256];
};

/* Sends the message to review, saying why (printf-style, translated). */
static void review(struct route *r, const char *fmt, const char *arg)
{
	r->out->kind = KK_MAIL_IN_REVIEW;
	snprintf(r->reason, sizeof(r->reason), fmt, arg ? arg : "");
}

/* A refusal of a route (not a failure of the store) becomes the reason for
 * review; anything else ends the transaction. */
static enum kk_result fall_to_review(struct route *r, enum kk_result res, struct kk_error *err)
{
	if (res == KK_ETHROTTLED || res == KK_ECONFLICT || res == KK_EINVAL || res == KK_ENOTFOUND) {
		review(r, "%s", err ? err->msg : "");
		kk_error_clear(err);
		return KK_OK;
	}
	return res;
}

/* The outbox row a token of the message names, into *ref: the first
 * candidate that some message has. KK_ENOTFOUND when none. */
static enum kk_result find_ref(struct route *r, struct kk_outbox_ref *ref, struct kk_error *err)
{
	char tokens[MAILIN_MAX_TOKENS][KK_MAIL_TOKEN_LEN + 1];
	size_t n = mailin_tokens(&r->in->m, tokens, MAILIN_MAX_TOKENS);
	enum kk_result res = KK_ENOTFOUND;

	for (size_t i = 0; i < n && res == KK_ENOTFOUND; i++)
		res = kk_outbox_find_token(r->tx, tokens[i], ref, err);
	return res;
}

/* RFC 3464: a failed delivery marks the message, its contact attempt and the
 * vendor's contact failed (SPEC 2.6, 8); a delay is only recorded. */
static enum kk_result route_bounce(struct route *r, struct kk_error *err)
{
	const struct kk_mime_message *m = &r->in->m;
	struct kk_outbox_ref ref;
	const struct kk_mime_dsn_rcpt *failed = NULL, *other = NULL;
	enum kk_result res = find_ref(r, &ref, err);

	if (res == KK_ENOTFOUND) {
		review(r, "%s", _("A delivery status notification about no message keikai sent."));
		return KK_OK;
	}
	if (res)
		return res;
	for (size_t i = 0; i < m->n_dsn; i++) {
		const char *action = m->dsn[i].action ? m->dsn[i].action : "";

		if (!failed && strcmp(action, "failed") == 0)
			failed = &m->dsn[i];
		else if (!other)
			other = &m->dsn[i];
	}
	r->out->kind = KK_MAIL_IN_BOUNCE;
	r->out->outbox_id = r->row.outbox_id = ref.id;
	if (failed) {
		snprintf(r->reason, sizeof(r->reason), "bounced: %s %s", failed->status ? failed->status : "",
			 failed->diagnostic ? failed->diagnostic : "");
		mailin_trim_end(r->reason);
		r->out->failed = 1;
		res = kk_outbox_mark_failed(r->tx, ref.id, r->reason, err);
	} else {
		snprintf(r->reason, sizeof(r->reason), "%s: %s", other && other->action ? other->action : "dsn",
			 other && other->status ? other->status : "");
	}
	kk_outbox_ref_release(&ref);
	return res;
}

/* The thread of the message a token names, and the sender as a contact of
 * its party: the finder of the report, or a vendor of the case. */
static enum kk_result route_reply(struct route *r, struct kk_outbox_ref *ref, struct kk_error *err)
{
	const char *sender = r->in->m.from;
	struct case_mail_post p = { .text = r->in->text, .address = sender, .inbound_id = r->row.id };
	char *finder = NULL, status[16];
	enum kk_result res = KK_OK;
	int64_t to_vendor = 0, to_user = 0;

	r->out->outbox_id = r->row.outbox_id = ref->id;
	if (ref->report_id)
		res = kk_inbound_report_finder(r->tx, ref->report_id, &finder, status, err);
	if (res == KK_ENOTFOUND)
		res = KK_OK;
	if (res)
		return res;
	if (finder && ref->recipient && strcasecmp(finder, ref->recipient) == 0) {
		/* SPEC 2.13: the finder's thread; the finder writes once the report is accepted */
		if (strcasecmp(finder, sender) != 0)
			review(r, _("The sender %s is not the finder of the report this message answers."), sender);
		else if (strcmp(status, "accepted") != 0)
			review(r, "%s", _("The finder answered about a report that has not been accepted."));
		else {
			p.thread_kind = "finder";
			p.report_id = ref->report_id;
			res = kk_case_reports_case_of(r->tx, ref->report_id, &p.case_id, status, err);
			if (res == KK_ENOTFOUND)
				res = KK_OK;
		}
	} else if (ref->case_id) {
		/* SPEC 2.6, 2.13: the thread of the vendor the sender is a contact of */
		p.thread_kind = "vendor";
		p.case_id = ref->case_id;
		res = kk_inbound_vendor_of(r->tx, ref->case_id, sender, &p.vendor_id, &p.author_id, err);
		if (!res && ref->recipient)
			res = kk_inbound_vendor_of(r->tx, ref->case_id, ref->recipient, &to_vendor, &to_user, err);
		if (res == KK_ENOTFOUND)
			res = KK_OK;
		if (!res && !p.vendor_id)
			review(r, _("The sender %s is not a contact of a vendor of this case."), sender);
		else if (!res && to_vendor && to_vendor != p.vendor_id)
			review(r, _("The sender %s is not a contact of the vendor the answered message went to."), sender);
	} else {
		review(r, "%s", _("The message this answers belongs to no thread."));
	}
	free(finder);
	if (res || r->reason[0] || !p.thread_kind)
		return res;
	if (kk_str_empty(r->in->text)) {
		review(r, "%s", _("The answer has no text."));
		return KK_OK;
	}
	res = case_message_post_mail(r->tx, &p, &r->out->thread_id, &r->out->message_id, err);
	if (!res) {
		r->out->kind = KK_MAIL_IN_REPLY;
		r->row.thread_id = r->out->thread_id;
	}
	return fall_to_review(r, res, err);
}

/* Whether the message is addressed to the organisation (smtp.from): 1 also
 * when no address is set or the message names no recipient (fetchmail may
 * keep none), so that a report is never lost to a guess. */
static enum kk_result to_org(struct route *r, int *yes, struct kk_error *err)
{
	char *org = NULL;
	enum kk_result res = kk_setting_read(r->tx, "smtp.from", "", &org, err);
	const char *addr;

	*yes = 1;
	if (res)
		return res;
	addr = mailin_bare_address(org);
	if (*addr && r->in->m.n_recipients) {
		*yes = 0;
		for (size_t i = 0; i < r->in->m.n_recipients; i++)
			*yes |= mailin_same_address(r->in->m.recipients[i], addr);
	}
	free(org);
	return KK_OK;
}

/* SPEC 2.1: a report sent by mail, in the state "mail" until intake completes it. */
static enum kk_result route_report(struct route *r, struct kk_error *err)
{
	struct kk_report_mail in = { r->in->m.subject, r->in->text, r->in->m.from, r->in->m.from_name,
				     r->in->encrypted };
	struct kk_report rep;
	char secret[KK_TOKEN_MAX];
	enum kk_result res;
	int yes;

	res = to_org(r, &yes, err);
	if (res)
		return res;
	if (!yes) {
		review(r, "%s", _("The message has no reply token and is not addressed to the organisation."));
		return KK_OK;
	}
	if (kk_str_empty(r->in->text)) {
		review(r, "%s", _("The message has no text."));
		return KK_OK;
	}
	res = kk_report_mail_insert(r->tx, &in, &rep, secret, err);
	if (!res)
		res = kk_evidence_set_report(r->tx, r->row.evidence_id, rep.id, err);
	if (!res) {
		r->out->kind = KK_MAIL_IN_REPORT;
		r->row.report_id = rep.id;
		snprintf(r->out->tracking_id, sizeof(r->out->tracking_id), "%s", rep.tracking_id);
	}
	kk_report_release(&rep);
	sodium_memzero(secret, sizeof(secret));
	return res;
}

static enum kk_result route(struct route *r, struct kk_error *err)
{
	const struct kk_mime_message *m = &r->in->m;
	struct kk_outbox_ref ref;
	enum kk_result res;

	if (!r->in->parsed) {
		review(r, "%s", r->in->reason);
		return KK_OK;
	}
	if (m->is_dsn)
		return route_bounce(r, err);
	if (mailin_is_auto_reply(m)) {
		review(r, "%s", _("An automatic reply (out of office, auto-submitted)."));
		return KK_OK;
	}
	if (!m->from) {
		review(r, "%s", _("The message has no sender address."));
		return KK_OK;
	}
	if (r->in->reason[0]) { /* it came encrypted and could not be decrypted */
		review(r, "%s", r->in->reason);
		return KK_OK;
	}
	res = find_ref(r, &ref, err);
	if (res == KK_ENOTFOUND && mailin_tokens(m, NULL, 0)) {
		review(r, "%s", _("The message carries a reply token that no message of keikai has."));
		return KK_OK;
	}
	if (res == KK_ENOTFOUND)
		return route_report(r, err);
	if (res)
		return res;
	res = route_reply(r, &ref, err);
	kk_outbox_ref_release(&ref);
	return res;
}

enum kk_result kk_mail_in(struct kk_store *s, const char *data, size_t n, struct kk_mail_in_result *out,
			  struct kk_error *err)
{
	struct incoming in;
	struct route r = { 0 };
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (n > KK_MIME_MAX_BYTES)
		return kk_error_set(err, KK_ETOOBIG, _("The message is larger than %u MiB."),
				    (unsigned)(KK_MIME_MAX_BYTES >> 20));
	res = prepare(s, data, n, &in, err);
	if (res) {
		incoming_release(&in);
		return res;
	}
	r.in = &in;
	r.out = out;
	r.row.received_at = kk_now();
	r.row.kind = "review";
	r.row.state = "open";
	r.row.sender = in.m.from;
	r.row.subject = in.m.subject;
	r.row.message_id = in.m.message_id;
	r.row.encrypted = out->encrypted = in.encrypted;
	res = kk_tx_begin(s, 1, &tx, err);
	if (res) {
		incoming_release(&in);
		return res;
	}
	r.tx = &tx;
	/* SPEC 1: the message as it came is kept, sealed, whatever it becomes */
	res = kk_evidence_add(&tx, "mail", 0, data, n, &r.row.evidence_id, err);
	if (!res)
		res = kk_inbound_insert(&tx, &r.row, err);
	if (!res)
		res = route(&r, err);
	if (!res) {
		r.row.kind = kk_mail_in_kind_name(out->kind);
		r.row.state = out->kind == KK_MAIL_IN_REVIEW ? "open" : "done";
		r.row.reason = r.reason[0] ? r.reason : NULL;
		res = kk_inbound_settle(&tx, &r.row, err);
	}
	res = kk_tx_end(&tx, res, err);
	if (!res) {
		out->inbound_id = r.row.id;
		snprintf(out->reason, sizeof(out->reason), "%s", r.reason);
	} else {
		memset(out, 0, sizeof(*out));
	}
	incoming_release(&in);
	return res;
}
