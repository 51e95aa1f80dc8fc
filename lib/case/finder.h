/*
 * finder.h: what the modules of lib/case/ that serve the finder share
 * (finder.c, lift.c): the report a status page's secret opens, with the case
 * it is in, loaded in a transaction, and the lift section of the status page.
 */
#ifndef KEIKAI_CASE_FINDER_H
#define KEIKAI_CASE_FINDER_H

#include <jansson.h>

#include "keikai/report.h"
#include "internal.h"

/* The report the secret opens, with the case it is in (c zeroed when none). */
struct finder_ctx {
	struct kk_report r;
	struct kk_case c; /* id 0: the report is in no case */
	char label[4];
};
void finder_ctx_release(struct finder_ctx *x);

/* Begins a transaction on s (writable when write) and loads the finder's
 * report by its secret into x (KK_ENOTFOUND, "No report has this address.",
 * for none); on failure tx is already ended (as case_begin). */
enum kk_result finder_begin(struct kk_store *s, int write, const char *secret, struct kk_tx *tx,
			    struct finder_ctx *x, struct kk_error *err);

/* SPEC 2.12 (lift.c): member "lift" of the finder's view o: null while the
 * report is in no case with a day 0, else {"from" (day 0 + clock_lift_days),
 * "from_text" (in the reader's language), "available" (the year is up),
 * "may_ask", "latest": the finder's latest request or null}. */
enum kk_result lift_finder_json(struct kk_tx *tx, const struct finder_ctx *x, json_t *o, struct kk_error *err);

#endif
