/*
 * mail_post.h: a message that came by mail, posted in a case thread as the
 * web posts one (issue 11, item 4; SPEC 2.13). Internal to the core:
 * lib/mail/mailin.c calls it inside its transaction, after it has matched
 * the sender to the thread's party; messages.c implements it beside the web's
 * posting, with the same store calls, audit record and effects.
 */
#ifndef KEIKAI_CASE_MAIL_POST_H
#define KEIKAI_CASE_MAIL_POST_H

#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

struct case_mail_post {
	const char *thread_kind; /* "vendor" or "finder" */
	int64_t case_id;         /* the case (0: a finder thread of a report in no case) */
	int64_t vendor_id;       /* a vendor thread: its vendor */
	int64_t report_id;       /* a finder thread: its report */
	int64_t author_id;       /* a vendor's user who wrote it; 0: a contact, or the finder */
	const char *text;        /* the message */
	const char *address;     /* the sender's address */
	int64_t inbound_id;      /* the inbound_mail row it came as */
};

/* Posts p in its thread (made when missing) inside tx: the message
 * (author_kind "vendor" or "finder"; a finder's waits for staff's answer as a
 * question does, G IV.2.7), marked as come by mail, and the audit record
 * "message.post". *thread_id and *message_id get their ids. KK_ETHROTTLED
 * when the finder has KK_CASE_FINDER_WAITING_MAX messages unanswered. */
enum kk_result case_message_post_mail(struct kk_tx *tx, const struct case_mail_post *p, int64_t *thread_id,
				      int64_t *message_id, struct kk_error *err);

#endif
