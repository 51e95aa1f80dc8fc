/*
 * case_views.h: what the case pages (server/page_cases.c, page_case.c,
 * page_case_forms.c) hand to their templates (templates/case_*.html; SPEC
 * 2.4-2.7, 2.13); included by views.h. The pages show only what the core's
 * functions of keikai/case.h return: the views hold that JSON, to which the
 * handler has added, for every time member NAME (unix seconds), NAME_iso and
 * NAME_text for <time> (page.h page_when), and the few values a page works
 * out (days since day 0, the status moves the viewer may make).
 */
#ifndef KEIKAI_CASE_VIEWS_H
#define KEIKAI_CASE_VIEWS_H

#include <jansson.h>
#include <stddef.h>
#include <string.h>

#include "keikai/account.h"
#include "keikai/case.h"
#include "keikai/flow.h"

/* case_list.html: GET /cases, the coordinator's dashboard (SPEC 2.4, issue 9
 * item 7) or a vendor's own cases */
struct case_list_view {
	const json_t *cases; /* kk_case_list's "cases", unanswered first, each with "days" (since day 0, or null) */
	const char *filter;  /* "mine", a case state, or NULL for every case */
	int staff;           /* the staff's columns; else a vendor's (its stage) */
	int may_open;        /* case.open */
};

/* case_new.html: a case opened from accepted reports (SPEC 2.4) */
struct case_new_view {
	const json_t *form;   /* reports, title, summary, detail (prefilled or as typed) */
	const json_t *errors; /* field -> message */
	const char *error;    /* the summary's message, or NULL */
};

/* A status the viewer may set (the flow's event is named as its state). */
struct case_status_choice {
	const char *name, *label; /* label translated */
};

/* case_staff.html and case_vendor.html: one case as its reader may see it
 * (also what their parts take: case_head, case_attachments, case_status_fields,
 * case_threads) */
struct case_page_view {
	const json_t *c;           /* kk_case_get */
	const json_t *threads;     /* kk_case_threads' "threads" (NULL: none the reader may see) */
	const json_t *suggestions; /* kk_case_suggestions' "suggestions", or NULL */
	const char *ref_enc;       /* the ref as one URL path segment */
	const json_t *own;         /* a vendor: its own VENDOR entry, or NULL */
	/* the statuses the viewer may choose (staff: every move its role has) */
	const struct case_status_choice *choices;
	size_t n_choices;
	const char *saved; /* what was just saved, translated, or NULL */
	/* a refused form: its id ("update", "vuln-new", "vendor-add", "notify",
	 * "status", "status-N", "cm", "statement", "suggest", "close", "answer",
	 * "message-ID"), what was typed and each field's fault */
	const char *failed;
	const json_t *form, *errors;
	const char *error;
};

/* case_audit.html: the case's audit trail (case.audit.read) */
struct case_audit_row {
	struct page_when at;
	const char *actor, *role, *object, *action, *from, *to, *detail; /* may be NULL */
};
struct case_audit_view {
	const char *ref, *ref_enc;
	const struct case_audit_row *rows;
	size_t n_rows;
};

/* case_date.html: GET /cases/{ref}/date, the publication date of a case
 * (issue 10, SPEC 2.8, 2.9) as its reader may see it */
struct case_date_view {
	const json_t *d;     /* kk_case_date_get, with NAME_iso and NAME_text for its times */
	const char *ref, *ref_enc, *title;
	int staff;           /* the coordinator's and intake's view; else a vendor's */
	const char *saved;   /* what was just saved, translated, or NULL */
	/* a refused form ("set", "answer", "call-off", "resume"), what was typed
	 * and each field's fault */
	const char *failed;
	const json_t *form, *errors;
	const char *error;
};

/* The string member k of o, or NULL. */
static inline const char *cv_str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}
/* The integer member k of o (0 when absent). */
static inline long long cv_int(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}
/* Whether member k of o is JSON true. */
static inline int cv_true(const json_t *o, const char *k)
{
	return json_is_true(json_object_get(o, k));
}
/* Whether the case's "may" holds k. */
static inline int cv_may(const json_t *c, const char *k)
{
	return json_is_true(json_object_get(json_object_get(c, "may"), k));
}
/* Whether failed is the form id. */
static inline int cv_failed(const char *failed, const char *id)
{
	return failed && !strcmp(failed, id);
}
/* The value to show in a form field: the typed one when the form was
 * refused (form), else the stored one (src member k), else "". */
static inline const char *cv_val(const json_t *form, const json_t *src, const char *k)
{
	const char *s = json_string_value(json_object_get(form ? form : src, k));
	return s ? s : "";
}
/* The status entry of vendor v for vulnerability number n, or NULL. */
static inline const json_t *cv_status_of(const json_t *v, long long n)
{
	const json_t *st = json_object_get(v, "statuses");

	for (size_t i = 0; i < json_array_size(st); i++)
		if (json_integer_value(json_object_get(json_array_get(st, i), "vulnerability")) == n)
			return json_array_get(st, i);
	return NULL;
}

/* Whether the flow f has a move `event` from state `from` for role (its
 * guards aside): what a status form offers (SPEC 2.7: the table decides). */
static inline int cv_move_allowed(const struct kk_flow *f, const char *from, const char *event, enum kk_role role)
{
	for (size_t i = 0; from && i < f->n_transitions; i++)
		if (!strcmp(f->transitions[i].from, from) && !strcmp(f->transitions[i].event, event) &&
		    (f->transitions[i].roles & KK_ROLE_BIT(role)))
			return 1;
	return 0;
}

#endif
