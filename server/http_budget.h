/*
 * http_budget.h: one budget for the request bodies the HTTP front holds in
 * memory, across all connections (issue 7: four hundred unauthenticated
 * connections each holding an 11 MiB body just short of its end took the server
 * to 4.6 GB).
 *
 * A request takes its share before its body is read: its Content-Length, or
 * for a chunked body the most a body may be; a request that would pass the
 * budget is refused (503) and its connection closed. The share goes back
 * when the request ends, however it ends. Thread-safe (one atomic counter),
 * allocates nothing.
 */
#ifndef KEIKAI_SERVER_HTTP_BUDGET_H
#define KEIKAI_SERVER_HTTP_BUDGET_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* The default, and the least a budget may be (one largest body fits). */
#define HTTP_BODY_BUDGET_DEFAULT ((size_t)256 * 1024 * 1024)
#define HTTP_BODY_BUDGET_MIN ((size_t)64 * 1024)

struct http_budget {
	size_t total;             /* bytes all bodies together may hold */
	_Atomic size_t in_use;    /* bytes promised to requests now */
};

/* A budget of total bytes (HTTP_BODY_BUDGET_DEFAULT when 0). */
void http_budget_init(struct http_budget *b, size_t total);

/*
 * Makes a request's share *held reach `want` bytes (when it holds less). 0 on
 * success; -1, with *held unchanged, when the rest of the budget is too small.
 */
int http_budget_take(struct http_budget *b, size_t *held, uint64_t want);

/* Gives back a request's share and sets *held to 0. */
void http_budget_give(struct http_budget *b, size_t *held);

/* Bytes promised now (for tests and benchmarks). */
size_t http_budget_in_use(struct http_budget *b);

/*
 * Parses a size for --body-budget: decimal bytes, or with a suffix K, M or G
 * (powers of 1024; "256M"). 0 and *out set on success; -1 when malformed, or
 * under HTTP_BODY_BUDGET_MIN, or past SIZE_MAX.
 */
int http_budget_parse(const char *s, size_t *out);

#endif
