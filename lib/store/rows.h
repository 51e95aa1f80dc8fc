/*
 * rows.h: the loops over result rows that repositories share: rows into
 * JSON, for those that hand the core JSON directly (cases.h, case_vendors.h),
 * into an array of structs, to a callback, and one count. Internal to
 * lib/store/.
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

/* Calls fn(st, arg, err) on each row of st until it fails, then frees st:
 * KK_OK, fn's result, or the step's error. */
typedef enum kk_result kk_row_fn(const struct kk_stmt *st, void *arg, struct kk_error *err);
enum kk_result kk_rows_each(struct kk_stmt *st, kk_row_fn *fn, void *arg, struct kk_error *err);

/* Runs st, a query of one aggregate (COUNT, SUM …), into *n: its first
 * column, 0 when it gives no row. Frees st. */
enum kk_result kk_rows_count(struct kk_stmt *st, int64_t *n, struct kk_error *err);
/* The same for a COUNT query asked whether any row matches: *any 1 or 0 (0
 * on failure). Frees st. */
enum kk_result kk_rows_any(struct kk_stmt *st, int *any, struct kk_error *err);

/* Runs st, a query of (filename, content_type, data) for one stored file,
 * into the outs: copies the caller frees (all NULL and *size 0 unless
 * KK_OK; KK_ENOTFOUND when there is no row), data opened with tx's evidence
 * key (vault.h; issue 11: files are stored sealed). Frees st. */
enum kk_result kk_rows_file(struct kk_tx *tx, struct kk_stmt *st, void **data, size_t *size, char **filename,
			    char **content_type, struct kk_error *err);

/* Seals n bytes of data with tx's evidence key and binds them to parameter
 * i of st (issue 11: an attachment is stored sealed). Fails, binding
 * nothing, when the key cannot be read. */
enum kk_result kk_rows_bind_sealed(struct kk_tx *tx, struct kk_stmt *st, int i, const void *data, size_t n,
				   struct kk_error *err);

/* Column i as a JSON string, or null for SQL NULL. */
json_t *kk_col_text_or_null(const struct kk_stmt *st, int i);
/* Column i as a JSON integer, or null for SQL NULL. */
json_t *kk_col_int_or_null(const struct kk_stmt *st, int i);

#endif
