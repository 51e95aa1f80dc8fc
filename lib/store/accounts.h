/*
 * accounts.h: the repository of organisations, users and API tokens (tables
 * orgs, users, api_tokens; failed sign-ins are throttle.h's). Internal to the core:
 * account.c holds the rules (passwords, throttling) and calls these inside its
 * transactions. E-mail addresses arrive here already in lower case.
 */
#ifndef KEIKAI_STORE_ACCOUNTS_H
#define KEIKAI_STORE_ACCOUNTS_H

#include "keikai/account.h"
#include "keikai/store.h"

/* The columns read_user expects, and the join they come from. */
#define KK_USER_COLUMNS "u.id, u.org_id, o.name, u.email, u.name, u.role, o.vendor_id, o.recipient_id"
#define KK_USER_NCOLUMNS 8
#define KK_USER_FROM " FROM users u JOIN orgs o ON o.id = u.org_id "

/* Fills out from the KK_USER_COLUMNS of st's current row. KK_ENOMEM (err set,
 * out left empty) when a column could not be copied. */
enum kk_result kk_accounts_read_user(const struct kk_stmt *st, struct kk_user *out, struct kk_error *err);

/* The id of organisation `name`, created when missing. */
enum kk_result kk_accounts_org_ensure(struct kk_tx *tx, const char *name, int64_t now, int64_t *id,
				      struct kk_error *err);
/* Makes the organisation org_id the vendor vendor_id's: KK_ENOTFOUND when the
 * vendor does not exist, KK_ECONFLICT when the organisation is another's. */
enum kk_result kk_accounts_org_bind_vendor(struct kk_tx *tx, int64_t org_id, int64_t vendor_id,
					   struct kk_error *err);
/* Makes organisation org_id the recipient recipient_id's: KK_ENOTFOUND when
 * there is no such recipient, KK_ECONFLICT when the organisation belongs to
 * another recipient or to a vendor. */
enum kk_result kk_accounts_org_bind_recipient(struct kk_tx *tx, int64_t org_id, int64_t recipient_id,
					      struct kk_error *err);
/* Adds a user; KK_EEXISTS when the e-mail is taken. */
enum kk_result kk_accounts_user_insert(struct kk_tx *tx, int64_t org_id, const char *email, const char *name,
				       const char *role, const char *password_hash, int64_t now, int64_t *id,
				       struct kk_error *err);
/* KK_ENOTFOUND when no user has that e-mail / token hash. */
enum kk_result kk_accounts_user_by_email(struct kk_tx *tx, const char *email, struct kk_user *out,
					 struct kk_error *err);
/* Loads the user with that id (KK_ENOTFOUND if none). */
enum kk_result kk_accounts_user_by_id(struct kk_tx *tx, int64_t id, struct kk_user *out, struct kk_error *err);
enum kk_result kk_accounts_user_by_token(struct kk_tx *tx, const char *token_hash, struct kk_user *out,
					 struct kk_error *err);
/* The stored password hash (caller frees), or NULL when there is no such user. */
enum kk_result kk_accounts_password_hash(struct kk_tx *tx, const char *email, char **hash, struct kk_error *err);

enum kk_result kk_accounts_token_insert(struct kk_tx *tx, const char *token_hash, int64_t user_id, int64_t now,
					struct kk_error *err);

#endif
