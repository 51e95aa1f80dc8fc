/*
 * date.h: what the modules of a case's publication date share (issue 10;
 * date.c, date_flow.c, date_view.c, date_notices.c). case.h has the public
 * side.
 */
#ifndef KEIKAI_CASE_DATE_H
#define KEIKAI_CASE_DATE_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/flow.h"
#include "store/cases.h"

/* What an event of kk_case_date_flow brings (the step's input). */
struct case_date_input {
	int64_t at;          /* propose, set: the date */
	int64_t old_at;      /* set: the date everyone was asked to agree on before (0: none) */
	const char *factors; /* set: the factors as JSON text, or NULL */
	const char *reason;  /* set: why; call_off: "a".."e" */
	const char *note;    /* call_off, resume: optional */
};

/* The audit record's detail of an event on case c with input in. */
json_t *case_date_audit_detail(const struct kk_case *c, const struct case_date_input *in);

/* The effect of set, reach and call_off (date_notices.c): the notices to the
 * parties the event concerns, in tx. */
enum kk_result case_date_tell(struct kk_flow_step *s, struct kk_error *err);

/* The date the parties are asked to agree on: the date set, else the proposed one (0: none). */
int64_t case_date_current(const struct kk_case *c);

/* kk_case_date_get's object for cx as viewer may see it, built in tx. */
struct case_ctx;
struct kk_user;
struct kk_tx;
enum kk_result case_date_json(struct kk_tx *tx, const struct kk_user *viewer, const struct case_ctx *cx,
			      json_t **out, struct kk_error *err);


#endif
