/*
 * accounts.c: the repository of organisations, users and API tokens
 * (accounts.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

enum kk_result kk_accounts_read_user(const struct kk_stmt *st, struct kk_user *u, struct kk_error *err)
{
	u->id = kk_stmt_int(st, 0);
	u->org_id = kk_stmt_int(st, 1);
	u->org_name = kk_stmt_dup(st, 2);
	u->email = kk_stmt_dup(st, 3);
	u->name = kk_stmt_dup(st, 4);
	if (kk_role_parse(kk_stmt_text(st, 5), &u->role) != 0)
		u->role = KK_ROLE_NONE;
	u->vendor_id = kk_stmt_int(st, 6);
	u->recipient_id = kk_stmt_int(st, 7);
	/* the three are NOT NULL columns: a NULL here is a copy that failed */
	if (!u->org_name || !u->email || !u->name) {
		kk_user_release(u);
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	}
	return KK_OK;
}

/* Runs a one-row user query with one text parameter; KK_ENOTFOUND when no row. */
static enum kk_result user_query(struct kk_tx *tx, const char *sql, const char *param, struct kk_user *out,
				 struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, sql, err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, param);
	res = kk_stmt_first(st, err);
	if (!res)
		res = kk_accounts_read_user(st, out, err);
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_accounts_org_ensure(struct kk_tx *tx, const char *name, int64_t now, int64_t *id,
				      struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "INSERT INTO orgs(name, created_at) VALUES(?, ?)"
						 " ON CONFLICT(name) DO NOTHING", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, name);
	kk_stmt_bind_int(st, 2, now);
	res = kk_stmt_once(st, err);
	if (res)
		return res;
	if (!(st = kk_stmt_prepare(tx, "SELECT id FROM orgs WHERE name = ?", err)))
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, name);
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW: *id = kk_stmt_int(st, 0); break;
	case KK_STEP_DONE:
		res = kk_error_set(err, KK_EDB, _("The organisation %s was stored but cannot be read back."), name);
		break;
	case KK_STEP_ERROR: res = kk_stmt_result(st); break;
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_accounts_org_bind_vendor(struct kk_tx *tx, int64_t org_id, int64_t vendor_id,
					   struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT id FROM vendors WHERE id = ?", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, vendor_id);
	res = kk_stmt_first(st, err);
	kk_stmt_free(st);
	if (res == KK_ENOTFOUND)
		return kk_error_set(err, res, _("No vendor with the id %" PRId64 "."), vendor_id);
	if (res)
		return res;
	/* SPEC 1: an organisation is a vendor's or a recipient's (issue 10), never both */
	if (!(st = kk_stmt_prepare(tx,
				   "UPDATE orgs SET vendor_id = ? WHERE id = ? AND (vendor_id IS NULL OR vendor_id = ?)"
				   " AND recipient_id IS NULL",
				   err)))
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, vendor_id);
	kk_stmt_bind_int(st, 2, org_id);
	kk_stmt_bind_int(st, 3, vendor_id);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) == 0)
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("The organisation already belongs to another vendor or to a recipient."));
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_accounts_org_bind_recipient(struct kk_tx *tx, int64_t org_id, int64_t recipient_id,
					      struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT id FROM recipients WHERE id = ?", err);
	enum kk_result res;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, recipient_id);
	res = kk_stmt_first(st, err);
	kk_stmt_free(st);
	if (res == KK_ENOTFOUND)
		return kk_error_set(err, res, _("There is no recipient %" PRId64 "."), recipient_id);
	if (res)
		return res;
	/* SPEC 1: an organisation is a vendor's or a recipient's, never both */
	if (!(st = kk_stmt_prepare(tx,
				   "UPDATE orgs SET recipient_id = ? WHERE id = ? AND vendor_id IS NULL"
				   " AND (recipient_id IS NULL OR recipient_id = ?)",
				   err)))
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, recipient_id);
	kk_stmt_bind_int(st, 2, org_id);
	kk_stmt_bind_int(st, 3, recipient_id);
	res = kk_stmt_exec(st, err);
	if (!res && kk_stmt_changes(st) == 0)
		res = kk_error_set(err, KK_ECONFLICT, "%s",
				   _("The organisation already belongs to another recipient or to a vendor."));
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_accounts_user_insert(struct kk_tx *tx, int64_t org_id, const char *email, const char *name,
				       const char *role, const char *password_hash, int64_t now, int64_t *id,
				       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx,
					     "INSERT INTO users(org_id, email, name, role, password_hash, created_at)"
					     " VALUES(?, ?, ?, ?, ?, ?) ON CONFLICT(email) DO NOTHING RETURNING id",
					     err);
	enum kk_result res = KK_OK;

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_int(st, 1, org_id);
	kk_stmt_bind_text(st, 2, email);
	kk_stmt_bind_text(st, 3, name);
	kk_stmt_bind_text(st, 4, role);
	kk_stmt_bind_text(st, 5, password_hash);
	kk_stmt_bind_int(st, 6, now);
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW:
		if (id)
			*id = kk_stmt_int(st, 0);
		break;
	case KK_STEP_DONE:
		res = kk_error_set(err, KK_EEXISTS, _("A user with the e-mail %s already exists."), email);
		break;
	case KK_STEP_ERROR: res = kk_stmt_result(st); break;
	}
	kk_stmt_free(st);
	return res;
}

enum kk_result kk_accounts_user_by_email(struct kk_tx *tx, const char *email, struct kk_user *out,
					 struct kk_error *err)
{
	return user_query(tx, "SELECT " KK_USER_COLUMNS KK_USER_FROM "WHERE u.email = ?", email, out, err);
}

enum kk_result kk_accounts_user_by_id(struct kk_tx *tx, int64_t id, struct kk_user *out, struct kk_error *err)
{
	char key[24];

	/* the id as text: user_query binds one text; both engines compare it as a number */
	snprintf(key, sizeof(key), "%lld", (long long)id);
	return user_query(tx, "SELECT " KK_USER_COLUMNS KK_USER_FROM "WHERE u.id = CAST(? AS BIGINT)", key, out, err);
}

enum kk_result kk_accounts_user_by_token(struct kk_tx *tx, const char *token_hash, struct kk_user *out,
					 struct kk_error *err)
{
	return user_query(tx, "SELECT " KK_USER_COLUMNS KK_USER_FROM "JOIN api_tokens t ON t.user_id = u.id "
			      "WHERE t.token_hash = ?", token_hash, out, err);
}

enum kk_result kk_accounts_password_hash(struct kk_tx *tx, const char *email, char **hash, struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT password_hash FROM users WHERE email = ?", err);
	enum kk_result res;

	*hash = NULL;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, email);
	res = kk_stmt_first(st, err);
	if (!res && !(*hash = kk_stmt_dup(st, 0)))
		res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	kk_stmt_free(st);
	return res == KK_ENOTFOUND ? KK_OK : res;
}

enum kk_result kk_accounts_token_insert(struct kk_tx *tx, const char *token_hash, int64_t user_id, int64_t now,
					struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "INSERT INTO api_tokens(token_hash, user_id, created_at)"
						 " VALUES(?, ?, ?)", err);

	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, token_hash);
	kk_stmt_bind_int(st, 2, user_id);
	kk_stmt_bind_int(st, 3, now);
	return kk_stmt_once(st, err);
}
