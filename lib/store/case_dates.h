/*
 * case_dates.h: the repository of a case's publication date (issue 10; SPEC
 * 2.8, 2.9): the date columns of cases, the record of every change
 * (date_changes) and the vendors' answers (date_answers). Each change is
 * guarded by the date state it was read in, so two changes racing cannot both
 * apply (KK_ECONFLICT). What is valid is lib/case/date*.c's.
 */
#ifndef KEIKAI_STORE_CASE_DATES_H
#define KEIKAI_STORE_CASE_DATES_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"
#include "rows.h"

/* What one transition of the date flow writes to cases: date_state `to` (from
 * `from`), and, where not 0/NULL, the members below. */
struct kk_case_date_write {
	const char *from, *to;
	int64_t proposed_at;    /* propose */
	int64_t publication_at; /* set */
	const char *factors;    /* set: JSON text, NULL for none */
	int64_t ready_at;       /* reach */
	const char *called_off_reason, *called_off_note; /* call_off */
	int clear;              /* resume: publication_at, ready_at and the call-off cleared */
	int64_t at;             /* updated_at */
};
enum kk_result kk_case_dates_write(struct kk_tx *tx, int64_t case_id, const struct kk_case_date_write *w,
				   struct kk_error *err);

/* Records a change of the date: old_at (0: none) -> new_at, why, by whom (0:
 * keikai), with factors (JSON text or NULL). */
enum kk_result kk_case_dates_change(struct kk_tx *tx, int64_t case_id, int64_t old_at, int64_t new_at,
				    const char *reason, const char *factors, int64_t by, int64_t at,
				    struct kk_error *err);

/* A vendor's answer to the date for_at: "agree", or "other" with wanted_at and reason. */
enum kk_result kk_case_dates_answer(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, int64_t for_at,
				    const char *answer, int64_t wanted_at, const char *reason, int64_t by, int64_t at,
				    struct kk_error *err);

/* The case's factors and call-off: into obj members "factors" (object or
 * null), "called_off" ({"reason", "note", "at"} or null, "at" being when
 * the date state last changed). */
enum kk_result kk_case_dates_fields_json(struct kk_tx *tx, int64_t case_id, json_t *obj, struct kk_error *err);

/* Every change, oldest first: [{"old_at", "new_at", "reason", "at", "by"
 * (the user's name, null for keikai)}] appended to arr. */
enum kk_result kk_case_dates_history_json(struct kk_tx *tx, int64_t case_id, json_t *arr, struct kk_error *err);

/* The latest answer of each vendor of the case to the date for_at, in
 * by_vendor under the vendor id as text ("17"), an array of that one answer
 * {"vendor_id", "answer", "wanted_at", "reason", "at"}. vendor_id 0: every
 * vendor's. */
enum kk_result kk_case_dates_answers_json(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, int64_t for_at,
					  json_t *by_vendor, struct kk_error *err);

/* The notices of the date queued for the case since `since` (the latest
 * change), oldest first, appended to arr: [{"recipient" (null for a finder's:
 * its address is intake's, SPEC 1), "finder": bool, "at", "status"}]. */
enum kk_result kk_case_dates_told_json(struct kk_tx *tx, int64_t case_id, int64_t since, json_t *arr,
				       struct kk_error *err);

/* Those told of the case's date besides its vendors: every intake user
 * ("intake"), the case's coordinator ("coordinator") and each finder of the
 * case with an address ("finder", with its report's id, tracking id and
 * language). fn(st, arg, err) gets each as a row (kind, address, lang,
 * report_id, tracking_id). */
enum kk_result kk_case_dates_parties(struct kk_tx *tx, int64_t case_id, kk_row_fn *fn, void *arg,
				     struct kk_error *err);

#endif
