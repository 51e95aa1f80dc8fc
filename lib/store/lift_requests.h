/*
 * lift_requests.h: the repository of the finders' requests to lift the
 * non-disclosure request (issue 10; SPEC 2.12, G IV.2.4, IV.3(1)11): one row
 * per request, "requested" until staff answer it ("answered", with the
 * decision and its explanation). What is valid is lib/case/lift*.c's; the
 * answer is guarded by the state it was read in, so two staff answering at
 * once cannot both apply (KK_ECONFLICT).
 */
#ifndef KEIKAI_STORE_LIFT_REQUESTS_H
#define KEIKAI_STORE_LIFT_REQUESTS_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* A row of lift_requests. */
struct kk_lift_request {
	int64_t id, case_id, report_id;
	char state[16];            /* kk_lift_flow's: "requested", "answered" */
	char *reason;              /* the finder's, NULL when it gave none */
	int64_t requested_at;
	char *decision;            /* "lifted" | "not_yet"; NULL until answered */
	char *explanation;         /* staff's; NULL until answered */
	int64_t answered_by, answered_at; /* 0 until answered */
};
void kk_lift_request_release(struct kk_lift_request *l);

/* Inserts l (state, reason, requested_at, case_id, report_id) and sets l->id. */
enum kk_result kk_lift_requests_insert(struct kk_tx *tx, struct kk_lift_request *l, struct kk_error *err);
/* Loads request id of case case_id (KK_ENOTFOUND, err untouched, when the
 * case has none such). */
enum kk_result kk_lift_requests_load(struct kk_tx *tx, int64_t case_id, int64_t id, struct kk_lift_request *out,
				     struct kk_error *err);
/* The latest request of report_id in case_id into out (KK_ENOTFOUND, err
 * untouched, when it never asked). */
enum kk_result kk_lift_requests_latest(struct kk_tx *tx, int64_t case_id, int64_t report_id,
				       struct kk_lift_request *out, struct kk_error *err);
/* Stores the answer of l (decision, explanation, answered_by, answered_at,
 * state `to`) if the row is still in state `from` (KK_ECONFLICT otherwise). */
enum kk_result kk_lift_requests_answer(struct kk_tx *tx, const struct kk_lift_request *l, const char *from,
				       const char *to, struct kk_error *err);
/* The finder of report_id, for a notice: *email (NULL when keikai no longer
 * has it), *lang ("ja"/"en", >= 3 bytes) and *tracking_id (>= 24 bytes).
 * *email is the caller's to free. */
enum kk_result kk_lift_requests_finder(struct kk_tx *tx, int64_t report_id, char **email, char *lang,
				       char *tracking_id, struct kk_error *err);

/* The requests of a case, oldest first (report_id 0: every finder's; state
 * NULL: in any state), appended to arr as {"id", "report_id", "finder" (the
 * report's letter), "state", "reason", "requested_at", "decision",
 * "explanation", "answered_by" (the user's name or null), "answered_at"}. */
enum kk_result kk_lift_requests_json(struct kk_tx *tx, int64_t case_id, int64_t report_id, const char *state,
				     json_t *arr, struct kk_error *err);

#endif
