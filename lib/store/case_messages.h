/*
 * case_messages.h: the repository of a case's threads and messages (issue 9;
 * SPEC 2.13; case.h "messages"): tables case_threads, case_messages and
 * message_attachments of migration 10, the finders of a case as the threads
 * need them, and the one column of case_vendors the messages own (the
 * vendor's consent to talk with the finder directly). Internal to the core:
 * lib/case/messages.c and finder.c call it and hold no SQL.
 *
 * A thread is one of three kinds: "vendor" (staff <-> one vendor of a case,
 * keyed by case and vendor), "finder" (staff <-> the finder of one report,
 * keyed by the report: a finder may write before the report joins a case, so
 * its case_id may be 0) and "finder_vendor" (the finder of a report <-> one
 * vendor of the case, keyed by all three).
 *
 * Conventions as store/cases.h: every function works inside the caller's
 * transaction and returns KK_OK or the error of the statement that failed with
 * err filled; loads give KK_ENOTFOUND (err untouched) when there is no row.
 */
#ifndef KEIKAI_STORE_CASE_MESSAGES_H
#define KEIKAI_STORE_CASE_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* ---- threads ---- */

struct kk_case_thread {
	int64_t id;
	int64_t case_id, vendor_id, report_id; /* 0: none (as the kind keys it) */
	char kind[16];                         /* "vendor", "finder", "finder_vendor" */
	int64_t created_at;
};

/* The thread of `kind` keyed by (case_id, vendor_id, report_id) as that kind
 * keys it (the others are ignored), into *out; with create, a missing one is
 * made (stamped at) first, else KK_ENOTFOUND. A finder thread found without a
 * case learns case_id when it is given (the report joined a case). */
enum kk_result kk_case_threads_find(struct kk_tx *tx, const char *kind, int64_t case_id, int64_t vendor_id,
				    int64_t report_id, int create, int64_t at, struct kk_case_thread *out,
				    struct kk_error *err);
/* Loads thread id. */
enum kk_result kk_case_threads_load(struct kk_tx *tx, int64_t id, struct kk_case_thread *out, struct kk_error *err);

/* The threads of a case (its vendor and finder_vendor threads, and the finder
 * threads of its reports), or with case_id 0 those of report report_id (its
 * finder thread and its finder_vendor threads), by id, into *out (kk_malloc'd,
 * the caller frees it) and *n. */
enum kk_result kk_case_threads_list(struct kk_tx *tx, int64_t case_id, int64_t report_id,
				    struct kk_case_thread **out, size_t *n, struct kk_error *err);

/* ---- messages ---- */

struct kk_case_message {
	int64_t id, thread_id;
	char author_kind[8];  /* "staff", "vendor", "finder" */
	int64_t author_id;    /* the user (staff, vendor); 0 for the finder */
	char author_role[16]; /* read: the author's role ("coordinator", "intake", …), "" for the finder */
	char kind[24];        /* "message", "question", "environment_request" */
	char *body;           /* owned by the struct when read */
	int64_t created_at, answered_at; /* answered_at 0: not yet */
};

/* Inserts m (thread_id, author_kind, author_id, kind, body, created_at) and
 * sets m->id. */
enum kk_result kk_case_messages_insert(struct kk_tx *tx, struct kk_case_message *m, struct kk_error *err);
/* Loads message id (body included; the caller frees m->body). */
enum kk_result kk_case_messages_load(struct kk_tx *tx, int64_t id, struct kk_case_message *out,
				     struct kk_error *err);
/* Calls fn for each message of thread_id, oldest first; the message's body is
 * freed after each call. A non-KK_OK result of fn stops the walk. */
typedef enum kk_result kk_case_message_fn(const struct kk_case_message *m, void *arg, struct kk_error *err);
enum kk_result kk_case_messages_each(struct kk_tx *tx, int64_t thread_id, kk_case_message_fn *fn, void *arg,
				     struct kk_error *err);
/* SPEC 2.13, G IV.2.7: someone of author_kind ("staff", "vendor") wrote in
 * thread_id: the other side's messages not yet answered are answered at `at`. */
enum kk_result kk_case_messages_mark_answered(struct kk_tx *tx, int64_t thread_id, const char *author_kind,
					      int64_t at, struct kk_error *err);

/* The finder's messages in thread_id that staff have not answered yet (*n). */
enum kk_result kk_case_messages_waiting(struct kk_tx *tx, int64_t thread_id, int64_t *n, struct kk_error *err);

/*
 * What waits for staff in case case_id (*n): the finder's questions not yet
 * answered (in the finder threads of the case's reports), and the messages a
 * vendor wrote in its thread after the last message of staff there (an
 * environment request included). The dashboard's and the case list's
 * "unanswered".
 */
enum kk_result kk_case_messages_unanswered(struct kk_tx *tx, int64_t case_id, int64_t *n, struct kk_error *err);
/* The same for every case at once: fn(case_id, n, arg) for each case with
 * n > 0, by case id. */
typedef enum kk_result kk_case_unanswered_fn(int64_t case_id, int64_t n, void *arg, struct kk_error *err);
enum kk_result kk_case_messages_unanswered_each(struct kk_tx *tx, kk_case_unanswered_fn *fn, void *arg,
						struct kk_error *err);

/* ---- attachments of messages ---- */

struct kk_message_attachment {
	int64_t message_id;
	int idx; /* 0, 1, … within its message */
	const char *filename, *content_type, *sha256;
	size_t size;
	const void *data; /* not read by kk_message_attachments_each */
};

/* Inserts a (message_id, idx, filename, content_type, size, sha256, data). */
enum kk_result kk_message_attachments_insert(struct kk_tx *tx, const struct kk_message_attachment *a,
					     struct kk_error *err);
/* Calls fn with each attachment (without data) of thread_id's messages, by
 * message and idx. */
typedef enum kk_result kk_message_attachment_fn(const struct kk_message_attachment *a, void *arg,
						struct kk_error *err);
enum kk_result kk_message_attachments_each(struct kk_tx *tx, int64_t thread_id, kk_message_attachment_fn *fn,
					   void *arg, struct kk_error *err);
/* The bytes of attachment idx of message_id: *data (kk_malloc'd, *size
 * bytes), *filename and *content_type (kk_malloc'd), the caller frees them. */
enum kk_result kk_message_attachments_get(struct kk_tx *tx, int64_t message_id, int idx, void **data, size_t *size,
					  char **filename, char **content_type, struct kk_error *err);

/* ---- the finders of a case, as the threads need them ---- */

struct kk_case_finder {
	int64_t report_id;
	char label[4];        /* "A" */
	char tracking_id[24];
	int share_identity;   /* SPEC 2.1 ウ: the coordinator may see who it is */
	int direct_contact;   /* SPEC 2.1 エ: the vendor may contact the finder directly */
	char lang[3];         /* the finder's language */
	char *email;          /* the finder's address, for the notice (never shown) */
};
/* The finders of case_id in the order their reports joined, into *out
 * (kk_malloc'd; kk_case_finders_free) and *n. */
enum kk_result kk_case_finders_list(struct kk_tx *tx, int64_t case_id, struct kk_case_finder **out, size_t *n,
				    struct kk_error *err);
void kk_case_finders_free(struct kk_case_finder *f, size_t n);

/* SPEC 2.13: the vendor's consent to talk with the finder directly
 * (case_vendors.finder_contact) of vendor_id in case_id; KK_ENOTFOUND when the
 * vendor is not on the case. */
enum kk_result kk_case_vendors_set_finder_contact(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, int consent,
						  struct kk_error *err);

#endif
