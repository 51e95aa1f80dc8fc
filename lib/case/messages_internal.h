/*
 * messages_internal.h: what messages.c (staff and vendors) and finder.c (the
 * finder's status page) share (SPEC 2.13): the validation of a message's
 * text and attachments, a message as JSON, and the notice that tells someone
 * outside keikai that a message waits for them.
 */
#ifndef KEIKAI_CASE_MESSAGES_INTERNAL_H
#define KEIKAI_CASE_MESSAGES_INTERNAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/report.h"
#include "keikai/store.h"
#include "store/case_messages.h"

/* The files a message carries, validated and decoded (message_parts.c). */
struct msg_files {
	struct kk_attachment *f;
	size_t n;
};
void msg_files_release(struct msg_files *files);

/* The text member `name` of body, required: at most KK_CASE_TEXT_MAX bytes,
 * no control characters but line breaks and tabs; *out points into body.
 * Field errors in err. */
void msg_text_field(const json_t *body, const char *name, const char **out, struct kk_error *err);

/* SPEC 2.13: body's "attachments" (optional), checked and decoded as a
 * report's evidence is (kk_attachments_from_json, report.h). Field errors
 * ("attachments[0].filename" …) in err; the caller releases files also on
 * error. */
void msg_files_from_json(const json_t *body, struct msg_files *files, struct kk_error *err);

/* Stores the files as attachments 0, 1, … of message_id. */
enum kk_result msg_files_store(struct kk_tx *tx, int64_t message_id, const struct msg_files *files,
			       struct kk_error *err);

/* The thread of message message_id into *t: KK_ENOTFOUND when there is no
 * such message. */
enum kk_result msg_thread_of(struct kk_tx *tx, int64_t message_id, struct kk_case_thread *t, struct kk_error *err);

/* Ends a reader's fetch of attachment idx of message_id: while res is KK_OK
 * (the reader may read the message's thread) reads the file into the outs
 * (a negative idx is no file), says "There is no such attachment." for a
 * missing one, then ends tx; on failure the outs are freed and zeroed. */
enum kk_result msg_attachment_end(struct kk_tx *tx, enum kk_result res, int64_t message_id, int idx, void **data,
				  size_t *size, char **filename, char **content_type, struct kk_error *err);

/* How a message shows its author to one reader. */
struct msg_names {
	const char *vendor; /* the thread's vendor, in the reader's language */
	const char *finder; /* "Finder A" to staff and vendors */
	int for_finder;     /* the reader is the finder: staff are "staff", the finder "finder" */
};

/* A thread's messages with their attachments' metadata, oldest first, as
 * case.h's message objects appended to arr; *unanswered (may be NULL) gets
 * how many of them wait for staff (case_messages.h's rule). */
enum kk_result msg_thread_json(struct kk_tx *tx, const struct kk_case_thread *t, const struct msg_names *names,
			       json_t *arr, int64_t *unanswered, struct kk_error *err);

/* The object of message m of thread t (without attachments' metadata beyond
 * files, which may be NULL). A new reference, NULL when out of memory. */
json_t *msg_json(const struct kk_case_message *m, const struct msg_names *names, const struct msg_files *files);

/* SPEC 1, 2.13: queues the mail that a message waits (templates/mail/
 * case_message.txt): to a finder (ref is then its tracking number), or to
 * vendor_id's primary valid e-mail contact in the vendor's language (no such
 * contact: nothing is queued), with the message's text (may be NULL). Issue
 * 11: the text goes out only encrypted to the reader's key; without one the
 * reader gets the content-free notice (lib/mail/compose.c). */
enum kk_result msg_notice_finder(struct kk_tx *tx, const char *address, const char *lang, const char *tracking_id,
				 int64_t report_id, int64_t case_id, const char *text, struct kk_error *err);
enum kk_result msg_notice_vendor(struct kk_tx *tx, int64_t vendor_id, const char *ref, int64_t case_id,
				 const char *text, struct kk_error *err);

#endif
