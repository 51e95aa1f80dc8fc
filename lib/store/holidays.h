/*
 * holidays.h: the repository of the administrator's holiday list (table
 * holidays, migration 11: day 'YYYY-MM-DD', name, imported_at). Internal to
 * the core: lib/calendar/ calls it and holds no SQL; the fronts use
 * calendar.h.
 *
 * Every function works inside the caller's transaction and returns KK_OK or
 * the error of the statement that failed with err filled. err may be NULL.
 */
#ifndef KEIKAI_STORE_HOLIDAYS_H
#define KEIKAI_STORE_HOLIDAYS_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

struct kk_holiday_row {
	const char *day; /* "2026-01-01" */
	const char *name;
};

/* Replaces the whole list with rows[0..n), imported at `at`. */
enum kk_result kk_holiday_rows_replace(struct kk_tx *tx, const struct kk_holiday_row *rows, size_t n, int64_t at,
				       struct kk_error *err);

/* Calls fn for every row in order of day; a result other than KK_OK from fn
 * stops the walk and is returned (fn fills err). */
typedef enum kk_result kk_holiday_row_fn(void *arg, const char *day, const char *name, struct kk_error *err);
enum kk_result kk_holiday_rows_each(struct kk_tx *tx, kk_holiday_row_fn *fn, void *arg, struct kk_error *err);

#endif
