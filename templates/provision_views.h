/*
 * provision_views.h: what the pages of priority provision and
 * pre-notification (server/page_provisions.c; issue 10, SPEC 2.10, G IV.4.8,
 * IV.4.9) hand to their templates (templates/recipients.html,
 * provisions.html, provision.html, case_provisions.html, prenotify.html);
 * included by views.h. The views hold the core's JSON (keikai/provision.h),
 * to which the handler has added NAME_iso and NAME_text for every time
 * member (page_case_times).
 */
#ifndef KEIKAI_PROVISION_VIEWS_H
#define KEIKAI_PROVISION_VIEWS_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/provision.h"

/* A form refused by the core: what was typed, each field's fault, the fault
 * as a whole; all NULL when none was. */
struct provision_form {
	const json_t *form, *errors;
	const char *error;
};

/* recipients.html: GET /recipients, the recipients with the three conditions
 * of G IV.4.8 in both languages, and the form to register one */
struct recipients_view {
	const json_t *recipients; /* kk_recipient_list's array */
	const char *const *cond_ja, *const *cond_en; /* the conditions (provision.h) */
	size_t n_cond;
	struct provision_form f;
	int saved;
};

/* provisions.html: GET /provisions, a recipient's inbox or staff's list */
struct provisions_view {
	const json_t *provisions; /* kk_provision_list's array */
	int staff;                /* the reader may read every provision */
};

/* provision.html: GET /provisions/{id} */
struct provision_view {
	const json_t *p; /* PROVISION */
	int staff;
};

/* case_provisions.html: GET /cases/{ref}/provisions, staff's page of a case's
 * provisions and pre-notification requests, with the coordinator's forms */
struct case_provisions_view {
	const char *ref, *ref_enc;
	const json_t *provisions, *requests, *recipients; /* recipients: NULL when the reader may not give */
	int may_give, may_decide;
	struct provision_form f; /* the give form refused */
	int64_t failed_request;  /* the request whose decision was refused (0: none) */
	struct provision_form d; /* … and that refusal */
	const char *saved;       /* "given", "decided" or NULL */
};

/* prenotify.html: GET /cases/{ref}/prenotify, a vendor's own requests and the
 * form to ask */
struct prenotify_view {
	const char *ref, *ref_enc;
	const json_t *requests;
	int may_ask;
	struct provision_form f;
	int saved;
};

#endif
