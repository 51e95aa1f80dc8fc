/*
 * search_front.h: what the search page (page_search.c) and the search API
 * (api_search.c) share (issue 12 item 6; docs/api/search.md): the query's
 * parameters as the request has them, and the query string that repeats
 * them for another page. Implemented in page_search.c.
 */
#ifndef KEIKAI_SERVER_SEARCH_FRONT_H
#define KEIKAI_SERVER_SEARCH_FRONT_H

#include <stdint.h>

#include "http.h"
#include "keikai/advisory_search.h"

/* The request's search parameters (KK_ADVISORY_SEARCH_PARAMS) into q, each
 * NULL when absent. */
void search_query_of(struct kk_req *r, struct kk_advisory_query *q);

/* "q=…&cpe=…&page=N": every search parameter the request gave but page,
 * URL-encoded, then page=N when page is not 0, in the request's pool ("" for
 * none; NULL without memory). */
const char *search_query_string(struct kk_req *r, int64_t page);

#endif
