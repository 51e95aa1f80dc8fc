/*
 * account.c: organisations, users, passwords, sessions and API tokens (account.h).
 *
 * Passwords: argon2id through libsodium's crypto_pwhash_str. Session ids and API
 * tokens: 256-bit random secrets of which only the SHA-256 is stored. Sign-in
 * throttling (login_throttle.c) keeps its counts in the database, so it holds
 * across threads, restarts and servers. E-mail addresses are compared in
 * lower case. The rows themselves are kept by store/accounts.c and
 * store/sessions.c.
 */
#include <pthread.h>
#include <pwquality.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/account.h"
#include "keikai/clock.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "login_throttle.h"
#include "store/accounts.h"
#include "store/sessions.h"

static const char *const role_names[] = {
	[KK_ROLE_NONE] = "anonymous",
	[KK_ROLE_INTAKE] = "intake",
	[KK_ROLE_COORDINATOR] = "coordinator",
	[KK_ROLE_VENDOR] = "vendor",
	[KK_ROLE_OPERATOR] = "operator",
	[KK_ROLE_COMMITTEE] = "committee",
	[KK_ROLE_ADMIN] = "admin",
	[KK_ROLE_RECIPIENT] = "recipient",
	[KK_ROLE_SYSTEM] = "system",
};

const struct kk_user kk_anonymous = { .role = KK_ROLE_NONE };
const struct kk_user kk_system_user = { .role = KK_ROLE_SYSTEM, .email = (char *)"keikai", .name = (char *)"keikai" };

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
	for (unsigned i = KK_ROLE_NONE + 1; s && i <= KK_ROLE_LAST_USER; i++) {
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

/* e-mail in lower case (ASCII), so both engines compare addresses alike.
 * Returns a string the caller frees, or NULL when out of memory. */
static char *email_key(const char *email)
{
	char *k = kk_strdup(email ? email : "");

	for (char *p = k; p && *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return k;
}

/* Refuses a password that is easy to guess (libpwquality's checks with its
 * defaults, cracklib's dictionary included): KK_EINVAL with a reason in the
 * caller's language (issue 7). cracklib is not thread-safe, hence the lock. */
static enum kk_result password_strong(const char *password, const char *email, struct kk_error *err)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pwquality_settings_t *settings = pwquality_default_settings();
	void *aux = NULL;
	char scratch[PWQ_MAX_ERROR_MESSAGE_LEN];
	int score;

	if (!settings)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	pthread_mutex_lock(&lock);
	score = pwquality_check(settings, password, NULL, email, &aux);
	pthread_mutex_unlock(&lock);
	pwquality_free_settings(settings);
	/* aux is whatever the check left, which only pwquality_strerror releases */
	if (score < 0)
		pwquality_strerror(scratch, sizeof(scratch), score, aux);
	switch (score) {
	case PWQ_ERROR_MEM_ALLOC: return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	case PWQ_ERROR_USER_CHECK:
	case PWQ_ERROR_GECOS_CHECK:
		return kk_error_set(err, KK_EINVAL, "%s", _("The password must not contain the e-mail address."));
	case PWQ_ERROR_CRACKLIB_CHECK:
		return kk_error_set(err, KK_EINVAL, "%s",
				    _("The password is too easy to guess: it is a dictionary word or a simple pattern. "
				      "A few unrelated words make a strong one."));
	default:
		if (score < 0)
			return kk_error_set(err, KK_EINVAL, "%s",
					    _("The password is too easy to guess. A few unrelated words make a strong one."));
		return KK_OK;
	}
}

/* kk_user_add and kk_user_add_recipient: the organisation bound to vendor_id
 * or recipient_id (0: none). */
static enum kk_result user_add(struct kk_store *s, const char *org, enum kk_role role, const char *email,
			       const char *name, const char *password, int64_t vendor_id, int64_t recipient_id,
			       int64_t *id_out, struct kk_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	struct kk_tx tx;
	int64_t now = kk_now(), org_id = 0;
	char *key;
	enum kk_result res;

	if (kk_str_empty(org) || kk_str_empty(name))
		return kk_error_set(err, KK_EINVAL, "%s", _("Organisation and name are required."));
	if (!kk_email_valid(email))
		return kk_error_set(err, KK_EINVAL, _("Not a valid e-mail address: %s"), email ? email : "");
	if (role == KK_ROLE_NONE)
		return kk_error_set(err, KK_EINVAL, "%s", _("Unknown role."));
	if (!password || strlen(password) < 8)
		return kk_error_set(err, KK_EINVAL, "%s", _("The password must have at least 8 characters."));
	if ((res = password_strong(password, email, err)) != KK_OK)
		return res;
	if (crypto_pwhash_str(hash, password, strlen(password), pw_ops, pw_mem) != 0)
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	if (!(key = email_key(email)))
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	res = kk_tx_begin(s, 1, &tx, err);
	if (!res) {
		res = kk_accounts_org_ensure(&tx, org, now, &org_id, err);
		if (!res && vendor_id)
			res = kk_accounts_org_bind_vendor(&tx, org_id, vendor_id, err);
		if (!res && recipient_id)
			res = kk_accounts_org_bind_recipient(&tx, org_id, recipient_id, err);
		if (!res)
			res = kk_accounts_user_insert(&tx, org_id, key, name, kk_role_name(role), hash, now, id_out,
						      err);
		res = kk_tx_end(&tx, res, err);
	}
	free(key);
	return res;
}

enum kk_result kk_user_add(struct kk_store *s, const char *org, enum kk_role role, const char *email,
			   const char *name, const char *password, int64_t vendor_id, int64_t *id_out,
			   struct kk_error *err)
{
	return user_add(s, org, role, email, name, password, vendor_id, 0, id_out, err);
}

enum kk_result kk_user_add_recipient(struct kk_store *s, const char *org, const char *email, const char *name,
				     const char *password, int64_t recipient_id, int64_t *id_out, struct kk_error *err)
{
	if (recipient_id < 1)
		return kk_error_set(err, KK_EINVAL, "%s", _("A recipient's user needs the recipient's id."));
	return user_add(s, org, KK_ROLE_RECIPIENT, email, name, password, 0, recipient_id, id_out, err);
}

enum kk_result kk_user_by_email(struct kk_store *s, const char *email, struct kk_user *out, struct kk_error *err)
{
	struct kk_tx tx;
	char *key = email_key(email);
	enum kk_result res = key ? kk_tx_begin(s, 0, &tx, err) : kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));

	memset(out, 0, sizeof(*out));
	if (!res) {
		res = kk_accounts_user_by_email(&tx, key, out, err);
		if (res == KK_ENOTFOUND)
			kk_error_set(err, res, _("No user with the e-mail %s."), email);
		res = kk_tx_end(&tx, res, err);
	}
	free(key);
	return res;
}

/* A hash of a password nobody knows, made at the cost of real ones, so that an
 * unknown e-mail takes as long to refuse as a wrong password. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void)
{
	char secret[KK_SECRET_MAX];

	kk_random_secret(secret, 32);
	if (crypto_pwhash_str(dummy_hash, secret, strlen(secret), pw_ops, pw_mem) != 0)
		dummy_hash[0] = '\0';
}

/* Whether password matches hash (the dummy when hash is NULL, which never
 * matches). Outside any transaction: hashing takes tens of milliseconds. */
static int password_ok(const char *hash, const char *password)
{
	if (!hash) {
		pthread_once(&dummy_once, make_dummy_hash);
		/* the same work as for a real user; the answer is no whatever it says */
		int spent = dummy_hash[0] && crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0;

		(void)spent;
		return 0;
	}
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* Claims the attempt (login_throttle.h) and reads the password hash (NULL when
 * there is no such user), in one short write transaction. */
static enum kk_result begin_attempt(struct kk_store *s, const char *key, const struct kk_login_attempt *a,
				    int64_t now, char **hash, int64_t *wait, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 1, &tx, err);

	if (res)
		return res;
	res = kk_login_throttle_claim(&tx, a, now, wait, err);
	if (!res)
		res = kk_accounts_password_hash(&tx, key, hash, err);
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_user_login(struct kk_store *s, const char *email, const char *password, const char *source,
			     struct kk_user *out, int64_t *retry_after, struct kk_error *err)
{
	struct kk_login_attempt attempt;
	struct kk_tx tx;
	char *key, *hash = NULL;
	int64_t now = kk_now(), wait = 0;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	if (retry_after)
		*retry_after = 0;
	if (kk_str_empty(email) || !password)
		return kk_error_set(err, KK_EAUTH, "%s", _("Wrong e-mail address or password."));
	if (!(key = email_key(email)))
		return kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
	kk_login_attempt_init(&attempt, key, source);
	/* a throttled attempt ends here: its password is not checked */
	res = begin_attempt(s, key, &attempt, now, &hash, &wait, err);
	if (res == KK_ETHROTTLED && retry_after)
		*retry_after = wait;
	if (res)
		goto out;
	if (!password_ok(hash, password)) {
		/* counted already, when the attempt was claimed */
		res = kk_error_set(err, KK_EAUTH, "%s", _("Wrong e-mail address or password."));
		goto out;
	}
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		goto out;
	res = kk_login_throttle_success(&tx, &attempt, err);
	if (!res)
		res = kk_accounts_user_by_email(&tx, key, out, err);
	res = kk_tx_end(&tx, res, err);
out:
	free(hash);
	free(key);
	return res;
}

enum kk_result kk_session_create(struct kk_store *s, int64_t user_id, char id_out[KK_TOKEN_MAX],
				 char csrf_out[KK_TOKEN_MAX], struct kk_error *err)
{
	char hash[65];
	struct kk_tx tx;
	int64_t now = kk_now();
	enum kk_result res;

	kk_random_secret(id_out, 32);
	kk_random_secret(csrf_out, 32);
	secret_hash(id_out, hash);
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	res = kk_sessions_insert(&tx, hash, user_id, csrf_out, now, now + KK_SESSION_TTL, err);
	return kk_tx_end(&tx, res, err);
}

enum kk_result kk_session_lookup(struct kk_store *s, const char *id, struct kk_user *out,
				 char csrf_out[KK_TOKEN_MAX], struct kk_error *err)
{
	char hash[65];
	struct kk_tx tx;
	int64_t now = kk_now(), expires_at = 0;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	secret_hash(id, hash);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_sessions_find(&tx, hash, now, now - KK_SESSION_MAX_AGE, out, csrf_out, &expires_at, err);
	res = kk_tx_end(&tx, res, err);
	if (res == KK_ENOTFOUND)
		kk_error_set(err, res, "%s", _("Your session has expired; please sign in again."));
	/* Sliding expiry: refreshed at most every five minutes, so a page view is a
	 * read and takes no write lock. A failed refresh only shortens the session,
	 * so it is not an error. */
	if (res == KK_OK && expires_at < now + KK_SESSION_TTL - 300 && kk_tx_begin(s, 1, &tx, NULL) == KK_OK)
		kk_tx_end(&tx, kk_sessions_extend(&tx, hash, now + KK_SESSION_TTL, now + KK_SESSION_TTL - 300, NULL),
			  NULL);
	return res;
}

enum kk_result kk_session_delete(struct kk_store *s, const char *id, struct kk_error *err)
{
	char hash[65];
	struct kk_tx tx;
	enum kk_result res;

	secret_hash(id, hash);
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		return res;
	return kk_tx_end(&tx, kk_sessions_delete(&tx, hash, err), err);
}

enum kk_result kk_token_create(struct kk_store *s, const char *email, char **token_out, struct kk_error *err)
{
	char secret[KK_SECRET_MAX], token[KK_SECRET_MAX + 4], hash[65];
	struct kk_user u = { 0 };
	struct kk_tx tx;
	enum kk_result res;

	*token_out = NULL;
	res = kk_user_by_email(s, email, &u, err);
	if (res)
		return res;
	kk_random_secret(secret, 32);
	snprintf(token, sizeof(token), "kk_%s", secret);
	secret_hash(token, hash);
	res = kk_tx_begin(s, 1, &tx, err);
	if (!res)
		res = kk_tx_end(&tx, kk_accounts_token_insert(&tx, hash, u.id, kk_now(), err), err);
	if (!res && !(*token_out = kk_strdup(token)))
		res = kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."));
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
	res = kk_tx_end(&tx, kk_accounts_user_by_token(&tx, hash, out, err), err);
	if (res == KK_ENOTFOUND)
		res = kk_error_set(err, KK_EAUTH, "%s", _("Unknown or revoked API token."));
	return res;
}
