/*
 * complete.h: a report that came by mail, stored inside the caller's
 * transaction (issue 11, item 4; complete.c). Internal to the core: mail-in
 * (lib/mail/mailin.c) calls it.
 */
#ifndef KEIKAI_REPORT_COMPLETE_H
#define KEIKAI_REPORT_COMPLETE_H

#include "keikai/report.h"
#include "keikai/store.h"

/* What a message said of a new report. */
struct kk_report_mail {
	const char *subject;     /* the summary (may be NULL) */
	const char *text;        /* the text, decrypted when it came encrypted (may be NULL) */
	const char *sender;      /* the finder's address (may be NULL) */
	const char *sender_name; /* the finder's display name (may be NULL) */
	int encrypted;           /* it came encrypted to the organisation's key */
};

/* Stores a report in the state "mail" from in, inside tx, audited, with the
 * finder's acknowledgement queued (lang: ja when the text has Japanese, else
 * en); r (released by the caller) gets the report, secret_out (KK_TOKEN_MAX
 * bytes) the finder's status secret. */
enum kk_result kk_report_mail_insert(struct kk_tx *tx, const struct kk_report_mail *in, struct kk_report *r,
				     char *secret_out, struct kk_error *err);

#endif
