/*
 * account.c: organisations, users, passwords, sessions and API tokens (account.h).
 *
 * Passwords: argon2id through libsodium's crypto_pwhash_str. Session ids and API
 * tokens: 256-bit random secrets of which only the SHA-256 is stored. Login
 * throttling counts failures per e-mail in a sliding window, in the database, so
 * it holds across threads and restarts.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/account.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"

static const char *const role_names[] = {
	[KK_ROLE_NONE] = "anonymous",
	[KK_ROLE_INTAKE] = "intake",
	[KK_ROLE_COORDINATOR] = "coordinator",
	[KK_ROLE_VENDOR] = "vendor",
	[KK_ROLE_OPERATOR] = "operator",
	[KK_ROLE_COMMITTEE] = "committee",
	[KK_ROLE_ADMIN] = "admin",
};

const struct kk_user kk_anonymous = { 0, 0, NULL, NULL, NULL, KK_ROLE_NONE };

static unsigned long long pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

void kk_password_cost_from_env(void)
{
	const char *v = getenv("KEIKAI_PWHASH");

	if (v && strcmp(v, "fast") == 0) {
		pw_ops = crypto_pwhash_OPSLIMIT_MIN;
		pw_mem = crypto_pwhash_MEMLIMIT_MIN;
	}
}

const char *kk_role_name(enum kk_role role)
{
	return (unsigned)role < sizeof(role_names) / sizeof(role_names[0]) ? role_names[role] : "anonymous";
}

int kk_role_parse(const char *s, enum kk_role *out)
{
	for (unsigned i = KK_ROLE_NONE + 1; s && i < sizeof(role_names) / sizeof(role_names[0]); i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum kk_role)i;
			return 0;
		}
	}
	return -1;
}

void kk_user_release(struct kk_user *u)
{
	if (!u)
		return;
	free(u->org_name);
	free(u->email);
	free(u->name);
	memset(u, 0, sizeof(*u));
}

static void secret_hash(const char *secret, char out[65])
{
	kk_sha256_hex(secret, strlen(secret), out);
}

#define USER_COLUMNS "u.id, u.org_id, o.name, u.email, u.name, u.role"
#define USER_FROM " FROM users u JOIN orgs o ON o.id = u.org_id "

static void read_user(sqlite3_stmt *st, struct kk_user *u)
{
	u->id = sqlite3_column_int64(st, 0);
	u->org_id = sqlite3_column_int64(st, 1);
	u->org_name = kk_column_dup(st, 2);
	u->email = kk_column_dup(st, 3);
	u->name = kk_column_dup(st, 4);
	if (kk_role_parse((const char *)sqlite3_column_text(st, 5), &u->role) != 0)
		u->role = KK_ROLE_NONE;
}

/* Runs a one-row user query with one text parameter; KK_ENOTFOUND when no row. */
static enum kk_result user_query(struct kk_tx *tx, const char *sql, const char *param, struct kk_user *out,
				 struct kk_error *err)
{
	sqlite3_stmt *st = kk_tx_prepare(tx, sql, err);
	enum kk_result res = KK_ENOTFOUND;
	int rc;

	if (!st)
		return KK_EDB;
	sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_user(st, out);
		res = KK_OK;
	} else if (rc != SQLITE_DONE) {
		res = kk_db_error(tx->db, err);
	}
	sqlite3_finalize(st);
	return res;
}

static enum kk_result step_done(struct kk_tx *tx, sqlite3_stmt *st, struct kk_error *err)
{
	enum kk_result res = KK_OK;

	if (!st)
		return KK_EDB;
	if (sqlite3_step(st) != SQLITE_DONE)
		res = kk_db_error(tx->db, err);
	sqlite3_finalize(st);
	return res;
}

enum kk_result kk_user_add(struct kk_store *s, const char *org, enum kk_role role, const char *email,
			   const char *name, const char *password, int64_t *id_out, struct kk_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	struct kk_tx tx;
	sqlite3_stmt *st;
	enum kk_result res;
	int64_t now = kk_now();

	if (kk_str_empty(org) || kk_str_empty(name))
		return kk_error_set(err, KK_EINVAL, "%s", _("Organisation and name are required."));
	if (!kk_email_valid(email))
		return kk_error_set(err, KK_EINVAL, _("Not a valid e-mail address: %s"), email ? email : "");
	if (role == KK_ROLE_NONE)
		return kk_error_set(err, KK_EINVAL, "%s", _("Unknown role."));
	if (!password || strlen(password) < 8)
		return kk_error_set(err, KK_EINVAL, "%s", _("The password must have at least 8 characters."));
	if (crypto_pwhash_str(hash, password, strlen(password), pw_ops, pw_mem) != 0)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));

	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	st = kk_tx_prepare(&tx, "INSERT INTO orgs(name, created_at) VALUES(?, ?) ON CONFLICT(name) DO NOTHING", err);
	if (st) {
		sqlite3_bind_text(st, 1, org, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, now);
	}
	res = step_done(&tx, st, err);
	if (res)
		goto out;
	st = kk_tx_prepare(&tx,
			   "INSERT INTO users(org_id, email, name, role, password_hash, created_at) "
			   "SELECT id, ?, ?, ?, ?, ? FROM orgs WHERE name = ?",
			   err);
	if (!st) {
		res = KK_EDB;
		goto out;
	}
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, kk_role_name(role), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_text(st, 6, org, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		res = sqlite3_extended_errcode(tx.db) == SQLITE_CONSTRAINT_UNIQUE
			      ? kk_error_set(err, KK_EEXISTS, _("A user with the e-mail %s already exists."), email)
			      : kk_db_error(tx.db, err);
	} else if (id_out) {
		*id_out = sqlite3_last_insert_rowid(tx.db);
	}
	sqlite3_finalize(st);
out:
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_user_by_email(struct kk_store *s, const char *email, struct kk_user *out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);

	if (res)
		return res;
	res = user_query(&tx, "SELECT " USER_COLUMNS USER_FROM "WHERE u.email = ?", email, out, err);
	if (res == KK_ENOTFOUND)
		kk_error_set(err, res, _("No user with the e-mail %s."), email);
	return kk_tx_end(&tx, res, err);
}

static int recent_failures(struct kk_tx *tx, const char *email, int64_t now)
{
	sqlite3_stmt *st = kk_tx_prepare(tx, "SELECT count(*) FROM login_failures WHERE email = ? AND at > ?", NULL);
	int n = 0;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now - KK_LOGIN_WINDOW);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

enum kk_result kk_user_login(struct kk_store *s, const char *email, const char *password, struct kk_user *out,
			     struct kk_error *err)
{
	struct kk_tx tx;
	sqlite3_stmt *st;
	char *hash = NULL;
	int64_t now = kk_now();
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (kk_str_empty(email) || !password)
		return kk_error_set(err, KK_EAUTH, "%s", _("Wrong e-mail address or password."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	if (recent_failures(&tx, email, now) >= KK_LOGIN_MAX_FAILS) {
		res = kk_error_set(err, KK_ETHROTTLED, "%s",
				   _("Too many failed sign-in attempts. Try again in 15 minutes."));
		goto out;
	}
	st = kk_tx_prepare(&tx, "SELECT password_hash FROM users WHERE email = ?", err);
	if (!st) {
		res = KK_EDB;
		goto out;
	}
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		hash = kk_column_dup(st, 0);
	sqlite3_finalize(st);

	if (!hash || crypto_pwhash_str_verify(hash, password, strlen(password)) != 0) {
		st = kk_tx_prepare(&tx, "INSERT INTO login_failures(email, at) VALUES(?, ?)", err);
		if (st) {
			sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, now);
		}
		res = step_done(&tx, st, err);
		free(hash);
		/* the failure must count, so it is committed although the login fails */
		res = kk_tx_end(&tx, res, err);
		return res ? res : kk_error_set(err, KK_EAUTH, "%s", _("Wrong e-mail address or password."));
	}
	st = kk_tx_prepare(&tx, "DELETE FROM login_failures WHERE email = ?", err);
	if (st)
		sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	res = step_done(&tx, st, err);
	if (!res)
		res = user_query(&tx, "SELECT " USER_COLUMNS USER_FROM "WHERE u.email = ?", email, out, err);
out:
	free(hash);
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_session_create(struct kk_store *s, int64_t user_id, char id_out[KK_TOKEN_MAX],
				 char csrf_out[KK_TOKEN_MAX], struct kk_error *err)
{
	char hash[65];
	struct kk_tx tx;
	sqlite3_stmt *st;
	int64_t now = kk_now();
	enum kk_result res;

	kk_random_secret(id_out, 32);
	kk_random_secret(csrf_out, 32);
	secret_hash(id_out, hash);
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	st = kk_tx_prepare(&tx, "INSERT INTO sessions(id_hash, user_id, csrf, created_at, expires_at) "
				"VALUES(?, ?, ?, ?, ?)", err);
	if (st) {
		sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, user_id);
		sqlite3_bind_text(st, 3, csrf_out, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, now);
		sqlite3_bind_int64(st, 5, now + KK_SESSION_TTL);
	}
	res = step_done(&tx, st, err);
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_session_lookup(struct kk_store *s, const char *id, struct kk_user *out,
				 char csrf_out[KK_TOKEN_MAX], struct kk_error *err)
{
	char hash[65];
	struct kk_tx tx;
	sqlite3_stmt *st;
	int64_t now = kk_now();
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	secret_hash(id, hash);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	st = kk_tx_prepare(&tx, "SELECT " USER_COLUMNS ", s.csrf" USER_FROM
				"JOIN sessions s ON s.user_id = u.id WHERE s.id_hash = ? AND s.expires_at > ?", err);
	if (!st)
		return kk_tx_end(&tx, KK_EDB, err);
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	res = KK_ENOTFOUND;
	if (sqlite3_step(st) == SQLITE_ROW) {
		read_user(st, out);
		snprintf(csrf_out, KK_TOKEN_MAX, "%s", (const char *)sqlite3_column_text(st, 6));
		res = KK_OK;
	}
	sqlite3_finalize(st);
	res = kk_tx_end(&tx, res, err);
	if (res == KK_ENOTFOUND)
		kk_error_set(err, res, "%s", _("Your session has expired; please sign in again."));
	/* Sliding expiry: refresh at most every few minutes to keep reads cheap. */
	if (res == KK_OK && kk_tx_begin(s, 1, &tx, NULL) == KK_OK) {
		st = kk_tx_prepare(&tx, "UPDATE sessions SET expires_at = ? WHERE id_hash = ? AND expires_at < ?",
				   NULL);
		if (st) {
			sqlite3_bind_int64(st, 1, now + KK_SESSION_TTL);
			sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, now + KK_SESSION_TTL - 300);
		}
		kk_tx_end(&tx, step_done(&tx, st, NULL), NULL);
	}
	return res;
}

enum kk_result kk_session_delete(struct kk_store *s, const char *id, struct kk_error *err)
{
	char hash[65];
	struct kk_tx tx;
	sqlite3_stmt *st;
	enum kk_result res;

	secret_hash(id, hash);
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	st = kk_tx_prepare(&tx, "DELETE FROM sessions WHERE id_hash = ?", err);
	if (st)
		sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	res = step_done(&tx, st, err);
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_token_create(struct kk_store *s, const char *email, char **token_out, struct kk_error *err)
{
	char secret[KK_SECRET_MAX], hash[65];
	struct kk_user u = { 0 };
	struct kk_tx tx;
	sqlite3_stmt *st;
	enum kk_result res;

	*token_out = NULL;
	res = kk_user_by_email(s, email, &u, err);
	if (res)
		return res;
	kk_random_secret(secret, 32);
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		goto out;
	{
		char token[KK_SECRET_MAX + 4];

		snprintf(token, sizeof(token), "kk_%s", secret);
		secret_hash(token, hash);
		st = kk_tx_prepare(&tx, "INSERT INTO api_tokens(token_hash, user_id, created_at) VALUES(?, ?, ?)", err);
		if (st) {
			sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 2, u.id);
			sqlite3_bind_int64(st, 3, kk_now());
		}
		res = kk_tx_end(&tx, step_done(&tx, st, err), err);
		if (!res && !(*token_out = strdup(token)))
			res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	}
out:
	kk_user_release(&u);
	return res;
}

enum kk_result kk_token_lookup(struct kk_store *s, const char *token, struct kk_user *out, struct kk_error *err)
{
	char hash[65];
	struct kk_tx tx;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	secret_hash(token, hash);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = user_query(&tx, "SELECT " USER_COLUMNS USER_FROM "JOIN api_tokens t ON t.user_id = u.id "
			      "WHERE t.token_hash = ?", hash, out, err);
	res = kk_tx_end(&tx, res, err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EAUTH, "%s", _("Unknown or revoked API token."));
	return res;
}
