/*
 * internal.h: what the modules of lib/case/ share (case.h is the public side).
 * A case is always reached through case_load, which loads it with the
 * reader's vendor's standing and asks the policy, so no module can forget to.
 */
#ifndef KEIKAI_CASE_INTERNAL_H
#define KEIKAI_CASE_INTERNAL_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/authz.h"
#include "keikai/case.h"
#include "keikai/error.h"
#include "keikai/store.h"
#include "store/case_vendors.h"
#include "store/cases.h"

/* A case as one user stands to it. */
struct case_ctx {
	struct kk_case c;
	struct kk_case_vendor own;  /* the user's vendor's row; id 0 when it is not on the case */
	struct kk_case_party party; /* what the policy's case relations test (authz.h) */
	int finder_direct;          /* some finder of the case consented to direct contact (SPEC 2.1 エ) */
};
void case_ctx_release(struct case_ctx *cx);

/*
 * Loads case ref inside tx as user stands to it and checks that user may
 * perform `action` on it: KK_ENOTFOUND with case_missing's message when there
 * is no such case or the user may not even read it (case.read), KK_EDENIED
 * (err says what is refused) when the user may read it but not perform the
 * action. On KK_OK the caller releases cx.
 */
enum kk_result case_load(struct kk_tx *tx, const struct kk_user *user, const char *ref, enum kk_action action,
			 struct case_ctx *cx, struct kk_error *err);

/* Begins a transaction on s (writable when write) and loads case ref in it
 * (case_load). On KK_OK the caller ends tx and releases cx; on failure tx is
 * already ended (begin.c). */
enum kk_result case_begin(struct kk_store *s, int write, const struct kk_user *user, const char *ref,
			  enum kk_action action, struct kk_tx *tx, struct case_ctx *cx, struct kk_error *err);
/* What a read of a case builds in tx: *out from cx as viewer may see it. */
typedef enum kk_result case_view_fn(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
				    json_t **out, struct kk_error *err);
/* A read of case ref (case_begin read-only with action, fn, case_end): *out
 * is fn's answer, or NULL when anything failed. */
enum kk_result case_read(struct kk_store *s, const struct kk_user *viewer, const char *ref, enum kk_action action,
			 case_view_fn *fn, json_t **out, struct kk_error *err);

/* Ends tx with res (kk_tx_end) and, when that fails, drops the answer *out
 * (out may be NULL): no half-made answer leaves an operation that failed. */
enum kk_result case_end(struct kk_tx *tx, enum kk_result res, json_t **out, struct kk_error *err);

/* kk_may with the case as the object (its party). */
int case_may(const struct kk_user *user, enum kk_action action, const struct case_ctx *cx);

/* KK_ENOTFOUND, "There is no case REF." (the same for a denied read). */
enum kk_result case_missing(const char *ref, struct kk_error *err);

/* Whether ref is well formed: "<prefix>#<6 digits>", prefix 1-8 ASCII letters. */
int case_ref_valid(const char *ref);

/* Fires `event` of flow f on object_id (cases.id or vendor_statuses.id) in tx
 * as actor, from state `from`, with input: the one way the modules change a
 * state (flow.h). */
enum kk_result case_fire(struct kk_tx *tx, const struct kk_user *actor, const struct kk_flow *f, int64_t object_id,
			 void *object, const void *input, const char *from, const char *event, struct kk_error *err);

/* Whether body is an object with only the members named in allowed
 * (NULL-terminated); each other member is a field error. */
int case_only_members(const json_t *body, const char *const *allowed, struct kk_error *err);
/* Member `name` of body as checked text, or NULL (absent, null, or faulty: a
 * field error is recorded for a fault, and for absence when required). One
 * line of at most max characters, or with multiline at most max bytes. */
const char *case_text(const json_t *body, const char *name, int required, size_t max, int multiline,
		      struct kk_error *err);

/* Member "vulnerability" of body: the number of a vulnerability of a case
 * (1 to KK_CASE_VULNS_MAX), or 0 with a field error. */
int case_vuln_number(const json_t *body, struct kk_error *err);

/* SPEC 2.4: whether user id may be assigned a case (a coordinator); a field
 * error on "coordinator_id" when not. */
enum kk_result case_check_coordinator(struct kk_tx *tx, int64_t id, struct kk_error *err);
/* SPEC 2.4: whether report tid (member reports[i] of a request) may join a
 * case: an accepted product report in no case yet (a field error naming
 * reports[i] when not); its id goes to *id. */
enum kk_result case_check_report(struct kk_tx *tx, const char *tid, size_t i, int64_t *id, struct kk_error *err);

/* Inserts c (kk_cases_insert) under a fresh ref "<prefix>#<6 digits>" (the
 * setting case_prefix), drawing again on a collision; c->ref is set to a
 * copy the caller frees (with kk_case_release). open.c, vendor_found.c. */
enum kk_result case_insert(struct kk_tx *tx, struct kk_case *c, struct kk_error *err);

/* The finder label of the n-th report of a case (0: "A"), into buf (>= 2 bytes). */
const char *case_finder_letter(int n, char *buf, size_t size);
/* "Finder A" for letter "A", in the reader's language, into buf. */
const char *case_finder_label(const char *letter, char *buf, size_t size);
/* A vendor's name in the reader's language (the other one when it has none). */
const char *case_vendor_name(const char *name_ja, const char *name_en);

/* ---- the views (view.c): the one JSON of a case, every "*out as kk_case_get" ---- */

/* A time as JSON: unix seconds, or null for 0 (not yet). */
json_t *case_time(int64_t t);
/* The case cx as viewer may see it (kk_case_get's object), built in tx. */
enum kk_result case_view_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
			      json_t **out, struct kk_error *err);
/* The VENDOR entry (case.h) of v, as viewer may see it. */
enum kk_result case_vendor_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
				const struct kk_case_vendor *v, json_t **out, struct kk_error *err);
/* A vulnerability; detail: with its description, CVSS, CVE and products. */
enum kk_result case_vuln_json(struct kk_tx *tx, const struct kk_vuln *v, int detail, json_t **out,
			      struct kk_error *err);

/* answer.c (R §5.1.2): a notified vendor's first read of the summary: its
 * summary_read_at and its statuses notified -> summary_read, in tx; cx->own
 * is updated. */
enum kk_result case_vendor_summary_read(struct kk_tx *tx, const struct kk_user *actor, struct case_ctx *cx,
					struct kk_error *err);

/* ---- the publication date (date*.c; issue 10) ---- */

/* SPEC 2.8: day 0 is fixed at day0 (the first contact attempt, or a vendor's
 * own registration, SPEC 2.14): fires "propose" on the case's date as actor
 * (undated -> proposed, proposed_at = kk_calendar_publication(day0)) in tx;
 * nothing when the date is no longer undated. */
enum kk_result case_date_propose(struct kk_tx *tx, const struct kk_user *actor, int64_t case_id, int64_t day0,
				 struct kk_error *err);

#endif
