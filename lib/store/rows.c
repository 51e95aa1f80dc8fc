/*
 * rows.c: the shared loops over result rows (rows.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/vault.h"

#include "rows.h"

enum kk_result kk_rows_json(struct kk_stmt *st, json_t *(*row)(const struct kk_stmt *st), json_t *arr,
			    struct kk_error *err)
{
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		json_t *o = row(st);

		if (!o || json_array_append_new(arr, o) != 0)
			res = kk_error_nomem(err);
	}
	if (!res && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_rows_json_grouped(struct kk_stmt *st, json_t *(*row)(const struct kk_stmt *st), int key_col,
				    json_t *by_key, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		char key[24];
		json_t *arr, *o;

		snprintf(key, sizeof(key), "%lld", (long long)kk_stmt_int(st, key_col));
		arr = json_object_get(by_key, key);
		if (!arr && (json_object_set_new(by_key, key, json_array()) != 0 || !(arr = json_object_get(by_key, key))))
			res = kk_error_nomem(err);
		else if (!(o = row(st)) || json_array_append_new(arr, o) != 0)
			res = kk_error_nomem(err);
	}
	if (!res && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_rows_collect(struct kk_stmt *st, size_t size, kk_row_read_fn *read, void (*release)(void *elem),
			       void **out, size_t *n, struct kk_error *err)
{
	unsigned char *list = NULL;
	size_t cap = 0;
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	*out = NULL;
	*n = 0;
	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			unsigned char *grown = kk_realloc(list, ncap * size);

			if (!grown) {
				res = kk_error_nomem(err);
				break;
			}
			list = grown;
			cap = ncap;
		}
		memset(list + *n * size, 0, size);
		res = read(st, list + *n * size, err);
		(*n)++; /* a failed element is released with the others */
	}
	if (!res && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	if (res) {
		for (size_t i = 0; i < *n; i++)
			release(list + i * size);
		free(list);
		*n = 0;
	} else {
		*out = list;
	}
	return res;
}

enum kk_result kk_rows_each(struct kk_stmt *st, kk_row_fn *fn, void *arg, struct kk_error *err)
{
	enum kk_result res = KK_OK;
	enum kk_step step = KK_STEP_DONE;

	while (!res && (step = kk_stmt_step(st, err)) == KK_STEP_ROW)
		res = fn(st, arg, err);
	if (!res && step != KK_STEP_DONE)
		res = kk_stmt_result(st);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_rows_count(struct kk_stmt *st, int64_t *n, struct kk_error *err)
{
	enum kk_result res = kk_stmt_first(st, err);

	*n = 0;
	if (res == KK_OK)
		*n = kk_stmt_int(st, 0);
	else if (res == KK_ENOTFOUND) /* an aggregate always gives its row */
		res = KK_OK;
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_rows_file(struct kk_tx *tx, struct kk_stmt *st, void **data, size_t *size, char **filename,
			    char **content_type, struct kk_error *err)
{
	enum kk_result res = kk_stmt_first(st, err);

	*data = NULL;
	*size = 0;
	*filename = *content_type = NULL;
	if (res == KK_OK) {
		size_t n;
		const void *bytes = kk_stmt_blob(st, 2, &n);

		res = kk_vault_open(tx->store, bytes, n, data, size, err);
		if (!res) {
			*filename = kk_stmt_dup(st, 0);
			*content_type = kk_stmt_dup(st, 1);
			if (!*filename || !*content_type)
				res = kk_error_nomem(err);
		}
		if (res) {
			free(*filename);
			free(*content_type);
			free(*data);
			*data = NULL;
			*filename = *content_type = NULL;
			*size = 0;
		}
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_rows_bind_sealed(struct kk_tx *tx, struct kk_stmt *st, int i, const void *data, size_t n,
				   struct kk_error *err)
{
	void *sealed;
	size_t sealed_n;
	enum kk_result res = kk_vault_seal(tx->store, data, n, &sealed, &sealed_n, err);

	if (res)
		return res;
	kk_stmt_bind_blob(st, i, sealed, sealed_n); /* copied: see store.h */
	free(sealed);
	return KK_OK;
}

json_t *kk_col_text_or_null(const struct kk_stmt *st, int i)
{
	return kk_stmt_is_null(st, i) ? json_null() : json_string(kk_stmt_text(st, i));
}

json_t *kk_col_int_or_null(const struct kk_stmt *st, int i)
{
	return kk_stmt_is_null(st, i) ? json_null() : json_integer(kk_stmt_int(st, i));
}

enum kk_result kk_rows_any(struct kk_stmt *st, int *any, struct kk_error *err)
{
	int64_t n = 0;
	enum kk_result res = kk_rows_count(st, &n, err);

	*any = !res && n > 0;
	return res;
}
