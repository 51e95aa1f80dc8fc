/*
 * page.h: what the HTML pages (page_*.c) share, implemented in page_layout.c:
 * the layout around a page's body, times for display, and labels.
 *
 * A page handler renders with page_begin (layout header into r->reply), its own
 * template, then page_end (footer and the reply). The templates and their view
 * structs are in templates/ (templates.h, views.h).
 */
#ifndef KEIKAI_SERVER_PAGE_H
#define KEIKAI_SERVER_PAGE_H

#include <stdint.h>

#include "templates.h" /* first: it opens with the system headers the templates use */
#include "http.h"
#include "keikai/report.h"

/*
 * Starts an HTML page: clears r->reply and writes the layout's head with the
 * (translated) title. self is this page's URL for the language switch, already
 * URL-encoded; NULL means the request's path.
 */
enum kk_result page_begin(struct kk_req *r, const char *title, const char *self);

/* Ends the page begun by page_begin: when res (the body's result) is KK_OK, adds
 * the footer and replies with status; otherwise replies with a 500 page. */
void page_end(struct kk_req *r, unsigned status, enum kk_result res);

/* t (seconds since the epoch, 0 = none) for display: ISO 8601 UTC and the date
 * and time in Japan (UTC+9, the guideline's calendar). */
void page_when(int64_t t, struct page_when *out);
/* The same from an ISO 8601 string as the core's JSON has it (NULL = none). */
void page_when_iso(const char *iso, struct page_when *out);

/* Where a report stands (status, kind, dates, reason), for report_state.html. */
void page_report_state(const struct kk_report *rep, struct report_state_view *out);

/* "Software product" or "Web site", translated. */
const char *page_kind_label(enum kk_report_kind kind);

/* s percent-encoded as one URL path segment, in the request's pool (NULL on failure). */
char *page_urlenc(struct kk_req *r, const char *s);

#endif
