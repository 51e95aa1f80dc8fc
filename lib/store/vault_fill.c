/*
 * vault_fill.c: sealing the files stored before sealing existed (vault_fill.h;
 * issue 11, item 6; SPEC 1).
 *
 * A plain row is told from a sealed one without reading its bytes: a sealed
 * blob is always longer than the file (the vault's prefix, header and a tag
 * per chunk), so a row whose data is exactly `size` bytes long is plain.
 * length() of a blob is answered from the row's header on SQLite and from the
 * TOAST pointer on PostgreSQL, so the query that finds nothing to do reads no
 * file. (Testing the "KKV1" prefix instead would read every file each time a
 * store opens, and would take a plain file that happens to start with it for
 * a sealed one.)
 */
#include <stdlib.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/vault.h"
#include "vault_fill.h"

/* Ids read per query, so a large table is sealed in bounded memory. */
#define FILL_BATCH 64

struct sealed_table {
	const char *select_ids, *select_data, *update;
};

static const struct sealed_table tables[] = {
	{ "SELECT id FROM attachments WHERE length(data) = size ORDER BY id LIMIT 64",
	  "SELECT data FROM attachments WHERE id = ? AND length(data) = size",
	  "UPDATE attachments SET data = ? WHERE id = ?" },
	{ "SELECT id FROM message_attachments WHERE length(data) = size ORDER BY id LIMIT 64",
	  "SELECT data FROM message_attachments WHERE id = ? AND length(data) = size",
	  "UPDATE message_attachments SET data = ? WHERE id = ?" },
};

/* Reads up to FILL_BATCH ids of plain rows into ids (*n of them). */
static enum kk_result plain_ids(struct kk_tx *tx, const struct sealed_table *t, int64_t *ids, size_t *n,
				struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, t->select_ids, err);
	enum kk_step step;

	*n = 0;
	if (!st)
		return kk_error_result(err, KK_EDB);
	while (*n < FILL_BATCH && (step = kk_stmt_step(st, err)) == KK_STEP_ROW)
		ids[(*n)++] = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	return step == KK_STEP_ERROR ? kk_error_result(err, KK_EDB) : KK_OK;
}

/* Seals the row id of t, when it is still plain. */
static enum kk_result seal_row(struct kk_tx *tx, const struct sealed_table *t, int64_t id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, t->select_data, err);
	void *sealed = NULL;
	size_t n, sealed_n;
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = kk_stmt_first(st, err);
	if (res == KK_ENOTFOUND) {
		kk_stmt_free(st);
		return KK_OK; /* gone or sealed meanwhile: nothing to do */
	}
	if (!res) {
		const void *plain = kk_stmt_blob(st, 0, &n);

		res = kk_vault_seal(tx->store, plain, n, &sealed, &sealed_n, err);
	}
	kk_stmt_free(st);
	if (res)
		return res;
	st = kk_stmt_prepare(tx, t->update, err);
	if (!st) {
		free(sealed);
		return kk_error_result(err, KK_EDB);
	}
	kk_stmt_bind_blob(st, 1, sealed, sealed_n);
	kk_stmt_bind_int(st, 2, id);
	free(sealed);
	return kk_stmt_once(st, err);
}

enum kk_result kk_vault_seal_missing(struct kk_tx *tx, void *arg, struct kk_error *err)
{
	int64_t ids[FILL_BATCH];
	enum kk_result res = KK_OK;

	(void)arg;
	for (size_t i = 0; !res && i < sizeof(tables) / sizeof(tables[0]); i++) {
		size_t n;

		do {
			res = plain_ids(tx, &tables[i], ids, &n, err);
			for (size_t j = 0; !res && j < n; j++)
				res = seal_row(tx, &tables[i], ids[j], err);
		} while (!res && n == FILL_BATCH);
	}
	if (res == KK_EIO) {
		/* no keys directory, no key, or a key file that cannot be read:
		 * the rows stay plain (and readable) until a key is there; the
		 * store opens all the same. Nothing was written but sealed rows,
		 * each whole, so what was sealed before the failure is kept. */
		kk_error_clear(err);
		res = KK_OK;
	}
	return res;
}
