/*
 * views.h: what the page handlers (server/page_*.c) hand to the compiled
 * templates (templates/NAME.html). A view holds strings already chosen, translated
 * and formatted, so templates only print; whatever a view points to lives at
 * least until the page is rendered (usually in the request's pool).
 */
#ifndef KEIKAI_VIEWS_H
#define KEIKAI_VIEWS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "assets.h"
#include "http.h"
#include "keikai/report.h"
#include "keikai/report_view.h"

/* A moment, for <time datetime="iso">text</time>; both "" when there is none. */
struct page_when {
	char iso[32];  /* 2026-11-22T03:00:00Z */
	char text[48]; /* 2026-11-22 12:00 JST, in the server's time zone */
};

/* the vendor registry's pages */
#include "vendor_views.h"
/* a product's page: composition, SBOMs, distributors, who embeds it */
#include "product_views.h"
/* the registry search page */
#include "registry_views.h"
/* the vendors of a report on the intake report page (SPEC 2.5) */
#include "candidate_views.h"
/* the case pages: dashboard, case, audit trail (SPEC 2.4-2.7) */
#include "case_views.h"
/* lifting non-disclosure and vendor-found cases (SPEC 2.12, 2.14; issue 10) */
#include "finder_views.h"
/* priority provision and pre-notification (SPEC 2.10; issue 10) */
#include "provision_views.h"
/* advisories: the public portal, the draft's page (issue 12, SPEC 6, 2.11) */
#include "advisory_views.h"
/* the search of advisories (issue 12 item 6) */
#include "search_views.h"

/* layout_head.html */
struct layout_view {
	const char *title; /* translated */
	const char *self;  /* this page's URL without lang=, already URL-encoded */
	const struct layout_links *links; /* issue 12: a public page's <link>s, or NULL */
};

/* report_form.html: one problem of a submitted report. */
struct form_problem {
	const char *path;    /* as the core reported it: "finder.email", "attachments[0].data_base64" */
	const char *anchor;  /* id of the form control to jump to, or NULL */
	const char *label;   /* translated label of that control, or NULL */
	const char *message; /* the core's message */
};

struct report_form_view {
	enum kk_report_kind kind;
	const char *action;  /* "/report/product", "/report/website", or the completion's address */
	const json_t *form;  /* submitted values (name -> string); NULL for a fresh form */
	const json_t *errors; /* path -> message; NULL when none */
	const char *error_title;
	const struct form_problem *problems; /* in the order of the form */
	size_t n_problems;
	const struct form_problem *unplaced; /* problems no form control shows */
	size_t n_unplaced;
	const char *pgp_fingerprint; /* issue 11: the organisation's key, linked; NULL when none */
	/* issue 11: intake completes a report that came by mail (the staff's
	 * heading and lead, no finder-only fields); the finder's form when 0 */
	int completing;
	const char *tracking_id; /* the report being completed */
	const char *report_href; /* its page: /intake/reports/ID */
	const char *other_kind_href; /* the completion form of the other kind */
};

/* report_state.html: where a report stands, on the finder's page and the staff's. */
struct report_state_view {
	const char *kind_label;
	const char *status_name;  /* received, accepted, rejected */
	const char *status_label; /* translated */
	struct page_when received, accepted, decided;
	const char *reason_text; /* when rejected */
};

/* report_status.html: the finder's view. Nothing about the finder or the details. */
struct report_status_view {
	const char *tracking_id;
	struct report_state_view state;
	const char *note; /* the staff's note to the finder, or NULL */
	/* SPEC 2.13, issue 9 item 6: kk_case_finder_view's object (the stage and
	 * the finder's threads; each message with "created_at_iso" and
	 * "created_at_text" added by the page), and the message form */
	const json_t *finder;
	const char *secret;          /* the page's key, for the form's address */
	const json_t *form, *errors; /* the message as typed, and its faults */
	const char *error;           /* the fault of the message as a whole, or NULL */
	const char *form_id;         /* which form failed: "form-message" or "form-thread-ID" */
};

/* login.html */
struct login_view {
	const char *email; /* as typed, on a failed attempt */
	const char *next;  /* where to go after signing in, or "" */
	const char *error; /* NULL, or why signing in failed */
};

/* intake_queue.html */
struct queue_row {
	const char *tracking_id, *kind_label, *title, *status_name, *status_label;
	struct page_when received;
	const char *score;        /* "9.8", or NULL when not rated */
	const char *severity;     /* translated, or NULL */
	const char *scope_label;  /* translated */
	const char *impact_name;  /* high, medium, low, unrated */
	const char *impact_label; /* translated */
};

struct intake_queue_view {
	const struct queue_row *rows; /* one page of the queue (SPEC 2.3) */
	size_t n_rows;
	const char *status; /* the filter: "received", "accepted", "rejected" or NULL for all */
	int64_t total;      /* reports in the whole queue, with the filter */
	int64_t page, pages; /* this page, from 1, of how many (at least 1) */
	const char *prev, *next; /* the addresses of the pages before and after, or NULL */
};

/* One audited change of a report: who, when, what, from which state to which. */
struct history_row {
	struct page_when when;
	const char *actor, *role, *action, *from, *to; /* from and to may be NULL */
};

/* One metric of the CVSS v3.1 calculator on the report page (SPEC 2.3). */
struct calc_metric {
	const char *name;  /* "AV" */
	const char *label; /* msgid */
	const char *values[5];
	const char *value_labels[5]; /* msgids */
};

/* intake_report.html */
struct intake_report_view {
	const struct kk_report_view *report; /* the core's view for the viewer (SPEC 1) */
	const char *id_enc;  /* the tracking id URL-encoded */
	const char *title;
	struct report_state_view state;
	int may_decide;       /* the triage flow offers the viewer accept or reject */
	int may_complete;     /* issue 11: a report by mail the viewer may complete */
	const json_t *form;   /* decision form values after a failed decision */
	const json_t *errors; /* decision field errors */
	const char *error;    /* the failure message, or NULL */

	/* impact assessment (SPEC 2.3, 7) */
	const struct calc_metric *metrics; /* the CVSS v3.1 base metrics */
	size_t n_metrics;
	const char *metric_value[8]; /* the current vector's value of each, or NULL */
	const char *score, *severity, *scope_label, *impact_name, *impact_label;

	const struct history_row *history; /* every state change, oldest first */
	size_t n_history;

	/* SPEC 2.5: the vendors of an accepted product report, or NULL */
	const struct report_vendors_view *vendors;
	/* SPEC 2.4: the case the report is in ("" none), or NULL when not looked up */
	const char *case_ref;
	/* issue 11: the labels of the details that came encrypted ("a, b"), or NULL */
	const char *came_encrypted;
};

/* error.html */
struct error_view {
	unsigned status;
	const char *title;
	const char *message; /* may be NULL */
};

#endif
