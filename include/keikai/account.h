/*
 * account.h: organisations, users and their roles, passwords, browser sessions and
 * API tokens (SPEC 1: who may see what is decided from the role).
 *
 * Passwords are hashed with argon2id; session ids and API tokens are random
 * secrets stored only as hashes, so a copy of the database opens no account.
 */
#ifndef KEIKAI_ACCOUNT_H
#define KEIKAI_ACCOUNT_H

#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

enum kk_role {
	KK_ROLE_NONE = 0,    /* anonymous: finders and the public */
	KK_ROLE_INTAKE,      /* receiving organisation (受付機関) */
	KK_ROLE_COORDINATOR, /* coordinator (調整機関) */
	KK_ROLE_VENDOR,      /* product vendor (製品開発者) */
	KK_ROLE_OPERATOR,    /* web-site operator (ウェブサイト運営者) */
	KK_ROLE_COMMITTEE,   /* publication-judgment committee (公表判定委員会) */
	KK_ROLE_ADMIN,
	KK_ROLE_RECIPIENT,   /* issue 10, SPEC 2.10: a government body or critical-infrastructure
			      * operator that receives priority provisions (G IV.4.8) */
	KK_ROLE_SYSTEM,      /* keikai itself: the scheduler's clocks (issue 10, SPEC 8); never a
			      * user's role, never parsed */
};
/* The roles a user may have, and every role. */
#define KK_ROLE_LAST_USER KK_ROLE_RECIPIENT
#define KK_ROLE_COUNT (KK_ROLE_SYSTEM + 1)

/* "intake", "coordinator", … ; "anonymous" for KK_ROLE_NONE. */
const char *kk_role_name(enum kk_role role);
/* 0 and *out set when s names a role (not "anonymous"), else -1. */
int kk_role_parse(const char *s, enum kk_role *out);

/* A signed-in user. The strings are owned by the struct; release with kk_user_release. */
struct kk_user {
	int64_t id;
	int64_t org_id;
	char *org_name;
	char *email;
	char *name;
	enum kk_role role;
	/* the vendor (vendor.h) whose users the organisation's are; 0 for none
	 * (issue 8: a vendor user reads and changes only its own vendor) */
	int64_t vendor_id;
	/* the priority-provision recipient (issue 10, SPEC 2.10) whose users the
	 * organisation's are; 0 for none: a recipient user reads only what was
	 * provided to its own recipient */
	int64_t recipient_id;
};

/* The actor of what keikai does by itself (the scheduler, SPEC 8): role
 * KK_ROLE_SYSTEM, id 0, name and e-mail "keikai" (what the audit shows). */
extern const struct kk_user kk_system_user;

void kk_user_release(struct kk_user *u);

/* The anonymous viewer, for calls made on behalf of the public. */
extern const struct kk_user kk_anonymous;

/* Adds a user, creating the organisation `org` when it does not exist. With
 * vendor_id (not 0) the organisation belongs to that vendor of the registry:
 * KK_ENOTFOUND when there is no such vendor, KK_ECONFLICT when the
 * organisation already belongs to another; nothing is stored then. */
enum kk_result kk_user_add(struct kk_store *s, const char *org, enum kk_role role, const char *email,
			   const char *name, const char *password, int64_t vendor_id, int64_t *id_out,
			   struct kk_error *err);

/* Adds a user of role recipient whose organisation belongs to the recipient
 * recipient_id (issue 10, SPEC 2.10, G IV.4.8; provision.h): KK_ENOTFOUND when
 * there is no such recipient, KK_ECONFLICT when the organisation belongs to
 * another recipient or to a vendor; nothing is stored then. */
enum kk_result kk_user_add_recipient(struct kk_store *s, const char *org, const char *email, const char *name,
				     const char *password, int64_t recipient_id, int64_t *id_out, struct kk_error *err);

/* Loads the user with that e-mail (KK_ENOTFOUND if none). */
enum kk_result kk_user_by_email(struct kk_store *s, const char *email, struct kk_user *out, struct kk_error *err);

/*
 * Checks a password (issue 7: throttled, never locked). Failed attempts are
 * counted in a row per account (the e-mail, whether or not such a user exists)
 * and per source address (source: the requester's address as the front keys
 * it, or NULL when unknown). After KK_LOGIN_FREE_FAILS failures of an account,
 * each further attempt must come at least 1 s, 2 s, 4 s … (kk_login_delay) after
 * the last, never more than KK_LOGIN_MAX_DELAY; an address has
 * KK_LOGIN_ADDRESS_FREE_FAILS and KK_LOGIN_ADDRESS_MAX_DELAY. An attempt that
 * comes earlier is refused with KK_ETHROTTLED and the seconds left in
 * *retry_after (may be NULL), its password unchecked. The right password
 * resets the account's count, and makes source its trusted address, whose
 * attempts wait for no account delay (a stranger's guesses cannot keep the
 * owner out). Counts are forgotten after KK_LOGIN_FORGET quiet seconds. A wrong
 * e-mail and a wrong password both give KK_EAUTH.
 */
#define KK_LOGIN_FREE_FAILS 3
#define KK_LOGIN_MAX_DELAY 60
#define KK_LOGIN_ADDRESS_FREE_FAILS 10
#define KK_LOGIN_ADDRESS_MAX_DELAY 300
#define KK_LOGIN_FORGET 3600
#define KK_LOGIN_TRUST_FOR (30 * 24 * 3600) /* how long an account remembers its trusted address */
enum kk_result kk_user_login(struct kk_store *s, const char *email, const char *password, const char *source,
			     struct kk_user *out, int64_t *retry_after, struct kk_error *err);

/* The delay in seconds before the next attempt after `failures` failures in a
 * row: 0 below free_fails, then 1, 2, 4 … up to cap. */
int64_t kk_login_delay(int64_t failures, int64_t free_fails, int64_t cap);

/* Browser sessions: KK_SESSION_TTL seconds from the last use, and never more
 * than KK_SESSION_MAX_AGE from the sign-in, however busy (issue 7). */
#define KK_SESSION_TTL (8 * 3600)
#define KK_SESSION_MAX_AGE (24 * 3600)
#define KK_TOKEN_MAX 64
/* Creates a session; writes its id and its CSRF token (both secrets) to the buffers. */
enum kk_result kk_session_create(struct kk_store *s, int64_t user_id, char id_out[KK_TOKEN_MAX],
				 char csrf_out[KK_TOKEN_MAX], struct kk_error *err);
/* Finds a live session and its user; refreshes its expiry. */
enum kk_result kk_session_lookup(struct kk_store *s, const char *id, struct kk_user *out,
				 char csrf_out[KK_TOKEN_MAX], struct kk_error *err);
enum kk_result kk_session_delete(struct kk_store *s, const char *id, struct kk_error *err);

/* API bearer tokens. kk_token_create returns the token (caller frees); it is
 * stored hashed and cannot be shown again. */
enum kk_result kk_token_create(struct kk_store *s, const char *email, char **token_out, struct kk_error *err);
enum kk_result kk_token_lookup(struct kk_store *s, const char *token, struct kk_user *out, struct kk_error *err);

/* KEIKAI_PWHASH=fast makes hashing cheap (tests only). */
void kk_password_cost_from_env(void);

#endif
