/*
 * evidence.c: the evidence repository (evidence.h; issue 11; SPEC 1). The
 * bytes are sealed before they reach the database and opened after they
 * leave it (vault.h); size and sha256 are those of the plain bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/evidence.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vault.h"
#include "rows.h"

enum kk_result kk_evidence_add(struct kk_tx *tx, const char *kind, int64_t report_id, const void *data, size_t n,
			       int64_t *id, struct kk_error *err)
{
	struct kk_stmt *st;
	char sha[65];
	void *sealed = NULL;
	size_t sealed_n = 0;
	enum kk_result res;

	if (id)
		*id = 0;
	if (!kind || (strcmp(kind, "mail") != 0 && strcmp(kind, "ciphertext") != 0))
		return kk_error_set(err, KK_EINVAL, _("Unknown kind of evidence: %s."), kind ? kind : "");
	res = kk_vault_seal(tx->store, data, n, &sealed, &sealed_n, err);
	if (res)
		return res;
	kk_sha256_hex(data, n, sha);
	st = kk_stmt_prepare(tx,
			     "INSERT INTO evidence(kind, report_id, size, sha256, data, created_at)"
			     " VALUES(?, ?, ?, ?, ?, ?) RETURNING id",
			     err);
	if (!st) {
		free(sealed);
		return kk_error_result(err, KK_EDB);
	}
	kk_stmt_bind_text(st, 1, kind);
	kk_stmt_bind_opt_int(st, 2, report_id);
	kk_stmt_bind_int(st, 3, (int64_t)n);
	kk_stmt_bind_text(st, 4, sha);
	kk_stmt_bind_blob(st, 5, sealed, sealed_n);
	kk_stmt_bind_int(st, 6, kk_now());
	free(sealed);
	res = kk_stmt_first(st, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EDB, "%s", _("The database returned no row for the new evidence."));
	if (!res && id)
		*id = kk_stmt_int(st, 0);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_evidence_get(struct kk_tx *tx, int64_t id, void **data, size_t *n, char **kind,
			       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT kind, data FROM evidence WHERE id = ?", err);
	enum kk_result res;

	*data = NULL;
	*n = 0;
	if (kind)
		*kind = NULL;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, id);
	res = kk_stmt_first(st, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_ENOTFOUND, _("There is no evidence %lld."), (long long)id);
	if (!res) {
		size_t sealed_n;
		const void *sealed = kk_stmt_blob(st, 1, &sealed_n);

		res = kk_vault_open(tx->store, sealed, sealed_n, data, n, err);
		if (!res && kind && !(*kind = kk_stmt_dup(st, 0))) {
			free(*data);
			*data = NULL;
			*n = 0;
			res = kk_error_nomem(err);
		}
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_evidence_set_report(struct kk_tx *tx, int64_t id, int64_t report_id, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "UPDATE evidence SET report_id = ? WHERE id = ?", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_opt_int(st, 1, report_id);
	kk_stmt_bind_int(st, 2, id);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) == 0)
		res = kk_error_set(err, KK_ENOTFOUND, _("There is no evidence %lld."), (long long)id);
	kk_stmt_free(st);
	return res;
}

static json_t *evidence_row(const struct kk_stmt *st)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:I}", "id", (json_int_t)kk_stmt_int(st, 0), "kind",
			 kk_stmt_text(st, 1), "size", (json_int_t)kk_stmt_int(st, 2), "sha256", kk_stmt_text(st, 3),
			 "created_at", (json_int_t)kk_stmt_int(st, 4));
}

enum kk_result kk_evidence_list(struct kk_tx *tx, int64_t report_id, json_t **out, struct kk_error *err)
{
	struct kk_stmt *st;
	enum kk_result res;

	*out = json_array();
	if (!*out)
		return kk_error_nomem(err);
	st = kk_stmt_prepare(tx,
			     "SELECT id, kind, size, sha256, created_at FROM evidence WHERE report_id = ? ORDER BY id",
			     err);
	if (!st) {
		json_decref(*out);
		*out = NULL;
		return kk_error_result(err, KK_EDB);
	}
	kk_stmt_bind_int(st, 1, report_id);
	res = kk_rows_json(st, evidence_row, *out, err);
	if (res) {
		json_decref(*out);
		*out = NULL;
	}
	return res;
}
