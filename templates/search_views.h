/*
 * search_views.h: the view of the advisory search page (templates/search.html,
 * server/page_search.c; issue 12 item 6, SPEC 6). Included by views.h. The
 * page shows only what kk_advisory_search returned; the form shows the query
 * as the reader typed it, every value printed escaped.
 */
#ifndef KEIKAI_SEARCH_VIEWS_H
#define KEIKAI_SEARCH_VIEWS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/advisory_search.h"

/* A parameter the core refused, for the summary at the top: the id of its
 * form control, its label (translated) and the core's message. */
struct search_problem {
	const char *anchor, *label, *message;
};

struct search_view {
	const json_t *form;     /* parameter -> the value as given (strings) */
	int searched;           /* some parameter was given: results (or problems) are shown */
	const json_t *errors;   /* parameter -> message, or NULL */
	const struct search_problem *problems;
	size_t n_problems;
	const json_t *list;     /* kk_advisory_search's "advisories" */
	int64_t total, page, pages;
	int more;               /* more matched than are looked at */
	const char *prev, *next; /* the pages before and after (addresses), or NULL */
	const char *lang_query; /* "lang=ja" or "lang=en": carried by the links */
	/* the feeds of the product filtered by (product, cpe), or NULL */
	const char *rss, *atom;
};

#endif
