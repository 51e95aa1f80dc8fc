/*
 * cases.h: the repository of cases (issue 9; case.h): tables cases,
 * case_reports, vulnerabilities, vulnerability_products and case_attachments
 * (migration 10). Internal to the core: lib/case/ calls it and holds no SQL.
 *
 * Every function works inside the caller's transaction and returns KK_OK or
 * the error of the statement that failed with err filled; after a failure the
 * caller ends the transaction. Loads give KK_ENOTFOUND (err untouched) when
 * there is no row. Structs are zeroed by the loads and own their strings.
 */
#ifndef KEIKAI_STORE_CASES_H
#define KEIKAI_STORE_CASES_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* A row of cases. */
struct kk_case {
	int64_t id;
	char *ref, *title, *state, *summary, *detail, *advisory_id;
	int64_t coordinator_id, created_by, created_at, updated_at;
	int64_t day0; /* 0 until the first contact attempt */
	int vendors_see_names;
	/* the publication date (issue 10; store/case_dates.h changes them) */
	char *date_state;                          /* kk_case_date_flow's: "undated", … */
	int64_t proposed_at, publication_at, ready_at; /* 0: none */
	int vendor_found;                          /* SPEC 2.14: registered by its vendor */
};
void kk_case_release(struct kk_case *c);

/* Inserts c (all but id, advisory_id) and sets c->id; KK_EEXISTS (err untouched,
 * nothing written) when the ref is taken. */
enum kk_result kk_cases_insert(struct kk_tx *tx, struct kk_case *c, struct kk_error *err);
/* Loads the case with that ref, or that id (ref NULL). */
enum kk_result kk_cases_load(struct kk_tx *tx, const char *ref, int64_t id, struct kk_case *out, struct kk_error *err);
/* Saves title, summary, detail, coordinator_id, vendors_see_names, updated_at. */
enum kk_result kk_cases_save(struct kk_tx *tx, const struct kk_case *c, struct kk_error *err);
/* Stores state `to` if the case is in `from` (KK_ECONFLICT otherwise), and updated_at. */
enum kk_result kk_cases_set_state(struct kk_tx *tx, int64_t id, const char *from, const char *to, int64_t at,
				  struct kk_error *err);
/* Sets day0 to `at` unless set; *day0 receives the case's day 0 either way. */
enum kk_result kk_cases_fix_day0(struct kk_tx *tx, int64_t id, int64_t at, int64_t *day0, struct kk_error *err);

/* The cases in reading order (newest first). For each, fn is called with the
 * row; the row is released after each call; a non-KK_OK result stops the walk.
 * vendor_id (not 0): only cases where that vendor was notified. coordinator_id
 * (not 0): only cases assigned to that user. state (not NULL): only in that state. */
typedef enum kk_result kk_case_fn(const struct kk_case *c, void *arg, struct kk_error *err);
enum kk_result kk_cases_each(struct kk_tx *tx, int64_t vendor_id, int64_t coordinator_id, const char *state,
			     kk_case_fn *fn, void *arg, struct kk_error *err);

/* ---- the reports of a case (case_reports) ---- */

struct kk_case_report {
	int64_t report_id;
	char tracking_id[32];
	char label[4]; /* "A" */
	int64_t added_at;
};
enum kk_result kk_case_reports_add(struct kk_tx *tx, int64_t case_id, int64_t report_id, const char *label,
				   int64_t at, struct kk_error *err);
/* The reports of a case in the order they joined, into out (at most max); *n how many. */
enum kk_result kk_case_reports_list(struct kk_tx *tx, int64_t case_id, struct kk_case_report *out, size_t max,
				    size_t *n, struct kk_error *err);
/* Whether some report of the case lets the vendor contact its finder directly (SPEC 2.1 エ). */
enum kk_result kk_case_reports_any_direct(struct kk_tx *tx, int64_t case_id, int *any, struct kk_error *err);
/* The case a report is in (*case_id 0 when none) and its label (>= 4 bytes, may be NULL). */
enum kk_result kk_case_reports_case_of(struct kk_tx *tx, int64_t report_id, int64_t *case_id, char *label,
				       struct kk_error *err);

/* ---- vulnerabilities and their affected products ---- */

struct kk_vuln {
	int64_t id, case_id;
	int number; /* idx: 1, 2, … within the case */
	char *title, *description, *cvss3_vector, *cvss4_vector, *cve_id;
	int64_t cwe_id;                             /* 0: none */
	int cvss3_score_tenths, cvss4_score_tenths; /* -1: none */
	int64_t created_at, updated_at;
};
void kk_vuln_release(struct kk_vuln *v);

/* Inserts v with the next number of its case (set in v->number) and sets v->id. */
enum kk_result kk_vulns_insert(struct kk_tx *tx, struct kk_vuln *v, struct kk_error *err);
/* Saves every column but id, case_id, number, created_at. */
enum kk_result kk_vulns_save(struct kk_tx *tx, const struct kk_vuln *v, struct kk_error *err);
enum kk_result kk_vulns_load(struct kk_tx *tx, int64_t case_id, int number, struct kk_vuln *out,
			     struct kk_error *err);
/* The vulnerabilities of a case by number, into *out (a kk_malloc'd array the
 * caller frees with kk_vulns_free) and *n. */
enum kk_result kk_vulns_list(struct kk_tx *tx, int64_t case_id, struct kk_vuln **out, size_t *n,
			     struct kk_error *err);
void kk_vulns_free(struct kk_vuln *v, size_t n);

struct kk_vuln_product {
	int64_t id, vuln_id, product_id, vendor_id; /* 0: none */
	char *name, *cpe23, *versions;
};
void kk_vuln_product_release(struct kk_vuln_product *p);
/* Replaces the affected products of vulnerability vuln_id with p[0..n). */
enum kk_result kk_vuln_products_replace(struct kk_tx *tx, int64_t vuln_id, const struct kk_vuln_product *p, size_t n,
					int64_t at, struct kk_error *err);
/* The affected products of vuln_id as JSON objects {"id", "product_id",
 * "vendor_id", "name", "cpe", "versions"} (product_id's registered names
 * filling name when it has none) appended to arr. */
enum kk_result kk_vuln_products_json(struct kk_tx *tx, int64_t vuln_id, json_t *arr, struct kk_error *err);

/* ---- attachments passed on with the detail (case_attachments) ---- */

/* Replaces the passed-on attachments of a case with ids[0..n) (ids of
 * attachments of the case's reports: KK_ENOTFOUND for one that is not). */
enum kk_result kk_case_attachments_replace(struct kk_tx *tx, int64_t case_id, const int64_t *ids, size_t n, int64_t at,
					   struct kk_error *err);
/* {"id", "filename", "content_type", "size", "sha256"} of each, appended to arr. */
enum kk_result kk_case_attachments_json(struct kk_tx *tx, int64_t case_id, json_t *arr, struct kk_error *err);
/* The bytes of passed-on attachment id of case_id (KK_ENOTFOUND when it is not passed on). */
enum kk_result kk_case_attachments_get(struct kk_tx *tx, int64_t case_id, int64_t id, void **data, size_t *size,
				       char **filename, char **content_type, struct kk_error *err);

#endif
