/*
 * rows.h: turning result rows into JSON, for the repositories that hand the
 * core JSON directly (cases.h, case_vendors.h). Internal to lib/store/.
 */
#ifndef KEIKAI_STORE_ROWS_H
#define KEIKAI_STORE_ROWS_H

#include <jansson.h>

#include "keikai/error.h"
#include "keikai/store.h"

/* Appends row(st) for each row of st to arr, then frees st: KK_OK, or the
 * step's error, or KK_ENOMEM when row() gave NULL. */
enum kk_result kk_rows_json(struct kk_stmt *st, json_t *(*row)(const struct kk_stmt *st), json_t *arr,
			    struct kk_error *err);

/* The same, each row going to the array under the key of column key_col
 * (an integer, as text: "17") of the object by_key, made when first needed. */
enum kk_result kk_rows_json_grouped(struct kk_stmt *st, json_t *(*row)(const struct kk_stmt *st), int key_col,
				    json_t *by_key, struct kk_error *err);

/* Reads every row of st into a new array of elements of `size` bytes, each
 * filled by read() (which leaves an element it fails on releasable), then
 * frees st. On KK_OK *out (kk_malloc'd, NULL when no rows) holds *n elements;
 * on failure every element read is released with release() and *n is 0. */
typedef enum kk_result kk_row_read_fn(const struct kk_stmt *st, void *elem, struct kk_error *err);
enum kk_result kk_rows_collect(struct kk_stmt *st, size_t size, kk_row_read_fn *read, void (*release)(void *elem),
			       void **out, size_t *n, struct kk_error *err);

/* Column i as a JSON string, or null for SQL NULL. */
json_t *kk_col_text_or_null(const struct kk_stmt *st, int i);
/* Column i as a JSON integer, or null for SQL NULL. */
json_t *kk_col_int_or_null(const struct kk_stmt *st, int i);

#endif
