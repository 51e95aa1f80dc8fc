/*
 * vendor_views.h: what the vendor registry's pages (server/page_vendor*.c) hand
 * to their templates (templates/vendor_*.html); included by views.h. Like every
 * view, strings are chosen, translated and formatted already.
 */
#ifndef KEIKAI_VENDOR_VIEWS_H
#define KEIKAI_VENDOR_VIEWS_H

#include <jansson.h>
#include <stddef.h>
#include <string.h>

#include "keikai/vendor.h"
#include "keikai/vendor_request.h"

/* vendor_public.html: G IV.4.1, the listed vendors */
struct vendor_public_row {
	const char *name;       /* in the reader's language when the vendor has it */
	const char *other_name; /* the name in the other language, or NULL */
	const char *country, *website;
	int direct;             /* accepts reports directly */
	const char *intake_email, *policy_url;
};
struct vendor_public_view {
	const struct vendor_public_row *rows;
	size_t n_rows;
};

/* vendor_register.html: G IV.4.2, the registration form */
struct vendor_register_view {
	const json_t *form;   /* submitted values (name -> string); NULL for a fresh form */
	const json_t *errors; /* field -> message; NULL when none */
	const char *error;    /* the summary's message, or NULL */
};

/* vendor_requests.html: the coordinators' list of registration requests */
struct vendor_request_row {
	long long id;
	const char *status_name, *status_label;
	const char *name_ja, *name_en, *country, *website, *contact_email, *department, *lang, *note;
	const char *reason;
	long long vendor_id; /* 0 unless approved */
	struct page_when created, decided;
	int pending;
	const json_t *errors; /* the decision form's field errors, for the request just refused */
};
struct vendor_requests_view {
	const char *filter; /* the status shown, or NULL for every one */
	const struct vendor_request_row *rows;
	size_t n_rows;
	const char *error; /* a decision that failed, or NULL */
};

/* vendor_record.html: one vendor's record with its edit forms (SPEC 2.5).
 * vendor, products and history are the core's JSON (vendor.h, audit.h). */
struct vendor_history_row {
	struct page_when at;
	const char *actor, *action, *detail; /* detail: compact JSON, or NULL */
};
struct vendor_record_view {
	const json_t *vendor;   /* kk_vendor_to_json with details (contacts) */
	const json_t *products; /* [kk_product_to_json] */
	const char *aliases;    /* the aliases, one a line */
	const struct vendor_history_row *history;
	size_t n_history;
	int may_write;          /* vendor.write: the forms are shown */
	const char *saved;      /* what was just saved, translated, or NULL */
	/* a refused form: its id ("profile", "contact-new", "contact-ID",
	 * "product-new", "product-ID"), what was typed and the faults */
	const char *failed;
	const json_t *form, *errors;
	const char *error;
};

/* vendor_new.html: G IV.4.2, a coordinator registers a vendor on the spot */
struct vendor_new_view {
	const json_t *form, *errors;
	const char *error;
};

/* The string member k of o ("" when absent or not a string): for values in forms. */
static inline const char *vv_str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}
/* Whether member k of o is on: JSON true, or a form's "1" / "on". */
static inline int vv_on(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);
	return json_is_true(v) || (json_is_string(v) && (!strcmp(json_string_value(v), "1") ||
							 !strcmp(json_string_value(v), "on")));
}

#endif
