/*
 * advisories.h: the repository of advisories (issue 12; advisory.h): tables
 * advisories, advisory_revisions, advisory_history, advisory_comments and
 * advisory_ids (migration 13). Internal to the core: lib/advisory/ calls it
 * and holds no SQL. Conventions as store/cases.h: every function works inside
 * the caller's transaction; loads give KK_ENOTFOUND (err untouched) when there
 * is no row; structs own their strings.
 */
#ifndef KEIKAI_STORE_ADVISORIES_H
#define KEIKAI_STORE_ADVISORIES_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"
#include "reminders.h"

/* A row of advisories. */
struct kk_advisory {
	int64_t id, case_id;
	char state[16];              /* kk_advisory_flow's */
	char *content;               /* the canonical content, JSON text */
	int64_t revision;            /* the number of the latest saved revision */
	int64_t public_revision;     /* 0 before publication, 1 at it, +1 at each revision */
	char *public_id;             /* "JVNVU#12345678"; NULL before publication */
	char kind[8];                /* the kind the ID was drawn for ("jvn", "vu", "ta"); "" before */
	int cvss3_tenths, cvss4_tenths; /* -1: none */
	int64_t created_at, saved_at, saved_by, approved_at, approved_by, published_at, updated_at; /* 0: none */
};
void kk_advisory_release(struct kk_advisory *a);

/* Loads the advisory of case case_id, or (case_id 0) the one with id, or
 * (both 0) the published one whose public ID is public_id. */
enum kk_result kk_advisories_load(struct kk_tx *tx, int64_t case_id, int64_t id, const char *public_id,
				  struct kk_advisory *out, struct kk_error *err);
/* Inserts a (every column but id) and sets a->id. */
enum kk_result kk_advisories_insert(struct kk_tx *tx, struct kk_advisory *a, struct kk_error *err);
/* Stores every column of a but id, case_id and created_at if the row is still
 * in state `from`: KK_ECONFLICT otherwise (another change came first). */
enum kk_result kk_advisories_update(struct kk_tx *tx, const struct kk_advisory *a, const char *from,
				    struct kk_error *err);
/* Sets updated_at of advisory id to at (a vendor's update, G IV.4.9). */
enum kk_result kk_advisories_touch(struct kk_tx *tx, int64_t id, int64_t at, struct kk_error *err);

/* ---- revisions ---- */

/* Keeps revision number of advisory_id: the content as saved, the note
 * (may be NULL), the public revision it became (0: none), who, when. */
enum kk_result kk_advisory_revisions_insert(struct kk_tx *tx, int64_t advisory_id, int64_t number,
					    const char *content, const char *note, int64_t public_revision,
					    int64_t by, int64_t at, struct kk_error *err);
/* Marks revision number of advisory_id as the public revision public_revision
 * (the one publication showed). */
enum kk_result kk_advisory_revisions_mark(struct kk_tx *tx, int64_t advisory_id, int64_t number,
					  int64_t public_revision, struct kk_error *err);
/* [{"number", "public_revision" (or null), "at", "by" (the user's name or
 * null), "note"}], oldest first, appended to arr. */
enum kk_result kk_advisory_revisions_json(struct kk_tx *tx, int64_t advisory_id, json_t *arr, struct kk_error *err);
/* The content of revision number of advisory_id into *content (the caller frees). */
enum kk_result kk_advisory_revisions_content(struct kk_tx *tx, int64_t advisory_id, int64_t number, char **content,
					     struct kk_error *err);

/* ---- the public history ---- */

/* Adds an entry unless one of the same (advisory, kind, vendor, at) is there:
 * *added 1 when it was new. vendor_id, revision 0 and notes NULL when none. */
enum kk_result kk_advisory_history_add(struct kk_tx *tx, int64_t advisory_id, const char *kind, int64_t vendor_id,
				       int64_t revision, const char *note_ja, const char *note_en, int64_t at,
				       int *added, struct kk_error *err);
/* [{"kind", "vendor_id", "vendor_ja", "vendor_en", "revision", "note_ja",
 * "note_en", "at"}], oldest first, appended to arr. */
enum kk_result kk_advisory_history_json(struct kk_tx *tx, int64_t advisory_id, json_t *arr, struct kk_error *err);

/* ---- vendors' comments ---- */

enum kk_result kk_advisory_comments_insert(struct kk_tx *tx, int64_t advisory_id, int64_t vendor_id, int64_t by,
					   int64_t revision, const char *body, int64_t at, int64_t *id,
					   struct kk_error *err);
/* [{"id", "vendor_id", "vendor_ja", "vendor_en", "by" (the user's name),
 * "revision", "body", "at"}], oldest first (vendor_id not 0: only that
 * vendor's), appended to arr. */
enum kk_result kk_advisory_comments_json(struct kk_tx *tx, int64_t advisory_id, int64_t vendor_id, json_t *arr,
					 struct kk_error *err);

/* ---- public IDs ---- */

/* Records public_id as given to case_id at `at` unless any advisory ever had
 * it: *taken 1 when it is now the case's, 0 when it was taken before
 * (nothing written). */
enum kk_result kk_advisory_ids_take(struct kk_tx *tx, const char *public_id, int64_t case_id, int64_t at,
				    int *taken, struct kk_error *err);

/* ---- what the advisory shows of the case ---- */

/* The case's advisory_id (cases.h) becomes public_id: the finder's status
 * page shows the case published (case.h kk_case_finder_view). */
enum kk_result kk_advisory_case_published(struct kk_tx *tx, int64_t case_id, const char *public_id,
					  struct kk_error *err);

/* How many vendors of the case were notified (*n), and whether the one of
 * them, when there is exactly one, is domestic (country JP): *domestic. */
enum kk_result kk_advisory_case_vendors(struct kk_tx *tx, int64_t case_id, int64_t *n, int *domestic,
					struct kk_error *err);
/* SPEC 2.1 (オ), 6 (9): the credit names of the case's finders who consented
 * to credit, in the order their reports joined, appended to arr as strings. */
enum kk_result kk_advisory_credits_json(struct kk_tx *tx, int64_t case_id, json_t *arr, struct kk_error *err);

/* ---- lists ---- */

/* The published advisories, newest first: rows {"id", "kind", "content" (the
 * JSON text), "cvss3_tenths", "cvss4_tenths", "published_at", "updated_at",
 * "public_revision"} from row offset, at most limit, appended to arr; *total
 * how many are published. */
enum kk_result kk_advisories_public_page(struct kk_tx *tx, int limit, int64_t offset, json_t *arr, int64_t *total,
					 struct kk_error *err);
/* Every advisory (state NULL: any), newest saved first: rows {"case" (ref),
 * "state", "id" (public or null), "content", "saved_at", "published_at",
 * "updated_at"} appended to arr. */
enum kk_result kk_advisories_all_json(struct kk_tx *tx, const char *state, json_t *arr, struct kk_error *err);

/* The scheduler's (SPEC 8, issue 12 item 5): the approved advisories of open
 * cases whose date is ready, as dues: object_id the advisory, case_id, t0
 * the publication time, user_id the coordinator, ref and title the case's. */
enum kk_result kk_due_advisories(struct kk_tx *tx, struct kk_due **out, size_t *n, struct kk_error *err);

/* The outbox message id's safe_body (outbox.h): what goes to a reader
 * without a key. For notices whose whole text is public. */
enum kk_result kk_advisory_outbox_safe(struct kk_tx *tx, int64_t outbox_id, const char *safe_body,
				       struct kk_error *err);

#endif
