/*
 * case_vendors.h: the repository of the vendors of cases (issue 9; case.h):
 * tables case_vendors, vendor_statuses, countermeasures, vendor_suggestions
 * and contact_attempts (migration 10). Internal to the core: lib/case/ calls
 * it and holds no SQL. Conventions as store/cases.h.
 */
#ifndef KEIKAI_STORE_CASE_VENDORS_H
#define KEIKAI_STORE_CASE_VENDORS_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/i18n.h"
#include "keikai/store.h"

/* A row of case_vendors: a vendor's standing in a case. */
struct kk_case_vendor {
	int64_t id, case_id, vendor_id, added_by, added_at;
	int64_t notified_at, summary_read_at, detail_requested_at; /* 0: not yet */
	char *answer, *answer_reason;                              /* NULL until it answered */
	int64_t answered_at, answered_by;
	int finder_contact; /* the vendor consented to talk with the finder directly */
	char *statement_ja, *statement_en;
	int64_t statement_at;
	/* joined from vendors, for showing */
	char *name_ja, *name_en, *preferred_lang;
};
void kk_case_vendor_release(struct kk_case_vendor *v);

/* Inserts (case_id, vendor_id, added_by, added_at) and sets v->id;
 * KK_ECONFLICT when the vendor is on the case already. */
enum kk_result kk_case_vendors_insert(struct kk_tx *tx, struct kk_case_vendor *v, struct kk_error *err);
/* SPEC 2.5: the vendors confirmed for report_id (report_vendors) join the case,
 * those on it already staying as they are. */
enum kk_result kk_case_vendors_from_report(struct kk_tx *tx, int64_t case_id, int64_t report_id, int64_t by,
					   int64_t at, struct kk_error *err);
/* Deletes it (with its statuses) if it was never notified: KK_ECONFLICT otherwise. */
enum kk_result kk_case_vendors_delete(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, struct kk_error *err);
/* Loads the vendor's row of the case. */
enum kk_result kk_case_vendors_load(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, struct kk_case_vendor *out,
				    struct kk_error *err);
/* Every vendor of the case, by when it was added, into *out (kk_malloc'd; free
 * with kk_case_vendors_free) and *n. */
enum kk_result kk_case_vendors_list(struct kk_tx *tx, int64_t case_id, struct kk_case_vendor **out, size_t *n,
				    struct kk_error *err);
void kk_case_vendors_free(struct kk_case_vendor *v, size_t n);
/* Saves notified_at, summary_read_at, detail_requested_at, answer,
 * answer_reason, answered_at, answered_by, finder_contact, statement_ja,
 * statement_en, statement_at of v. */
enum kk_result kk_case_vendors_save(struct kk_tx *tx, const struct kk_case_vendor *v, struct kk_error *err);
/* How many vendors of the case were notified, other than vendor_id. */
enum kk_result kk_case_vendors_count_notified(struct kk_tx *tx, int64_t case_id, int64_t except_vendor_id, int64_t *n,
					      struct kk_error *err);

/* ---- statuses per vulnerability (vendor_statuses; the flow "vendor_status") ---- */

struct kk_vendor_status {
	int64_t id, case_vendor_id, vuln_id;
	int number; /* the vulnerability's number in the case */
	char status[24];
	char *note;
	int64_t updated_at, updated_by;
};
void kk_vendor_status_release(struct kk_vendor_status *s);
/* Inserts one row per (case_vendor_id, vuln_id) with status `status` (a vendor
 * joining the case: every vulnerability; a new vulnerability: every vendor, at
 * that vendor's stage) unless there is one; sets st->id. */
enum kk_result kk_vendor_statuses_insert(struct kk_tx *tx, struct kk_vendor_status *st, struct kk_error *err);
/* Gives every (vendor, vulnerability) of the case that has no status one, in
 * `status` (a case just opened: "not_notified"). */
enum kk_result kk_vendor_statuses_fill(struct kk_tx *tx, int64_t case_id, const char *status, int64_t at, int64_t by,
				       struct kk_error *err);
/* Stores st->status, note, updated_at, updated_by if the row is still in
 * `from`: KK_ECONFLICT otherwise (another change came first). */
enum kk_result kk_vendor_statuses_save(struct kk_tx *tx, const struct kk_vendor_status *st, const char *from,
				       struct kk_error *err);
/* The statuses of one case vendor, by vulnerability number, into *out
 * (kk_malloc'd; kk_vendor_statuses_free) and *n. */
enum kk_result kk_vendor_statuses_list(struct kk_tx *tx, int64_t case_vendor_id, struct kk_vendor_status **out,
				       size_t *n, struct kk_error *err);
void kk_vendor_statuses_free(struct kk_vendor_status *s, size_t n);
/* Every status of every vendor of a case, in one query (the case page's grid):
 * calls fn(vendor_id, status row, arg) in vendor, number order. */
typedef enum kk_result kk_vendor_status_fn(int64_t vendor_id, const struct kk_vendor_status *st, void *arg,
					   struct kk_error *err);
enum kk_result kk_vendor_statuses_each_of_case(struct kk_tx *tx, int64_t case_id, kk_vendor_status_fn *fn, void *arg,
					       struct kk_error *err);

/* ---- countermeasures ---- */

struct kk_countermeasure {
	int64_t id, case_vendor_id, vuln_id, product_id; /* product_id 0: none */
	int number;
	char *product_name, *fixed_versions, *urls; /* fixed_versions, urls: JSON arrays of strings */
	char *workaround_ja, *workaround_en;
	int64_t updated_at, updated_by;
};
void kk_countermeasure_release(struct kk_countermeasure *c);
/* Inserts c, or replaces the one of the same (case_vendor_id, vuln_id,
 * product_id, product_name); sets c->id. */
enum kk_result kk_countermeasures_put(struct kk_tx *tx, struct kk_countermeasure *c, struct kk_error *err);
/* The countermeasures of a case vendor as COUNTERMEASURE objects (case.h)
 * appended to arr. */
enum kk_result kk_countermeasures_json(struct kk_tx *tx, int64_t case_vendor_id, json_t *arr, struct kk_error *err);

/* Every vendor's countermeasures of a case in one query: by_vendor gets, under
 * each vendor id as text ("17"), the array kk_countermeasures_json gives. */
enum kk_result kk_countermeasures_json_of_case(struct kk_tx *tx, int64_t case_id, json_t *by_vendor,
					       struct kk_error *err);

/* ---- suggestions of other vendors (G IV.5) ---- */

struct kk_vendor_suggestion {
	int64_t id, case_id, by_vendor_id, vendor_id; /* vendor_id 0: named only */
	char *name, *note;
	int64_t created_by, created_at;
};
enum kk_result kk_vendor_suggestions_insert(struct kk_tx *tx, struct kk_vendor_suggestion *s, struct kk_error *err);
/* {"id", "by_vendor_id", "by_name", "vendor_id", "name", "note", "created_at",
 * "on_case"} of the case's suggestions (by_vendor_id not 0: only that vendor's),
 * appended to arr. */
enum kk_result kk_vendor_suggestions_json(struct kk_tx *tx, int64_t case_id, int64_t by_vendor_id, json_t *arr,
					  struct kk_error *err);

/* ---- contact attempts (SPEC 2.6: the first is day 0) ---- */

struct kk_contact_attempt {
	int64_t id, case_id, vendor_id;
	const char *channel, *address, *stage; /* stage: "summary", "reminder", … */
	int64_t at, by_user, outbox_id;
};
enum kk_result kk_contact_attempts_insert(struct kk_tx *tx, struct kk_contact_attempt *a, struct kk_error *err);
/* {"channel", "address", "stage", "at", "by"} of a vendor's attempts in a case,
 * oldest first, appended to arr. */
enum kk_result kk_contact_attempts_json(struct kk_tx *tx, int64_t case_id, int64_t vendor_id, json_t *arr,
					struct kk_error *err);

/* ---- notifying and answering (case_vendor_ops.c) ---- */

/* SPEC 2.6: the vendor's primary valid e-mail address (else its oldest valid
 * one) into *address, which the caller frees; KK_ENOTFOUND when it has none. */
enum kk_result kk_case_vendor_email(struct kk_tx *tx, int64_t vendor_id, char **address, struct kk_error *err);
/* Calls fn(arg, address, lang, err) for every notified vendor of case
 * case_id at its address of kk_case_vendor_email, in its preferred language
 * (Japanese when it has none); a vendor without one is passed over. Stops at
 * the first failure. */
typedef enum kk_result kk_vendor_mail_fn(void *arg, const char *address, enum kk_lang lang, struct kk_error *err);
enum kk_result kk_case_vendors_mail_each(struct kk_tx *tx, int64_t case_id, kk_vendor_mail_fn *fn, void *arg,
					 struct kk_error *err);
/* Sets vendors.last_contact_at of the vendor to at. */
enum kk_result kk_case_vendor_contacted(struct kk_tx *tx, int64_t vendor_id, int64_t at, struct kk_error *err);
/* The fixed versions of a status change (case.h kk_case_status_set): sets
 * c->fixed_versions of the countermeasure of (c->case_vendor_id, c->vuln_id)
 * that names no product, keeping its URLs and workaround, or inserts one. */
enum kk_result kk_countermeasures_set_fixed(struct kk_tx *tx, struct kk_countermeasure *c, struct kk_error *err);

/* Every vendor's attempts of a case in one query, grouped as
 * kk_countermeasures_json_of_case does. */
enum kk_result kk_contact_attempts_json_of_case(struct kk_tx *tx, int64_t case_id, json_t *by_vendor,
						struct kk_error *err);

#endif
