/*
 * pgp.h: OpenPGP through GPGME (issue 11, item 3; SPEC 1, [P]). The
 * organisation's key pair lives in the GnuPG home gnupg/ of the keys
 * directory (keys.h); its fingerprint is the setting pgp_fingerprint. A
 * recipient's key (a finder's finder.pgp_key, a vendor's pgp_key) is kept
 * armored in the database and imported when a message is encrypted to it.
 *
 * A struct kk_pgp is one GPGME context: one per thread, never shared.
 */
#ifndef KEIKAI_PGP_H
#define KEIKAI_PGP_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/store.h"

#define KK_PGP_FPR_LEN 41 /* 40 hex digits and the NUL */

struct kk_pgp;

/* Opens a context on store s's GnuPG home (creating the directory, 0700, when
 * missing). s may be NULL: then the context works in a private temporary home
 * removed by kk_pgp_close, for inspecting a key without keeping it. */
enum kk_result kk_pgp_open(struct kk_store *s, struct kk_pgp **out, struct kk_error *err);
void kk_pgp_close(struct kk_pgp *p);

/* Creates the organisation's key pair (signing and encryption, no
 * passphrase: the keys directory is the protection) for "name <email>" and
 * records its fingerprint, unless the setting names a key the home has: then
 * *created is 0 and fpr is that key's. */
enum kk_result kk_pgp_init(struct kk_pgp *p, struct kk_store *s, const char *name, const char *email,
			   char fpr[KK_PGP_FPR_LEN], int *created, struct kk_error *err);

/* The organisation's public key, armored, into *armored (the caller frees),
 * and its fingerprint. KK_ENOTFOUND when keikai pgp init has not made one. */
enum kk_result kk_pgp_org_key(struct kk_pgp *p, struct kk_store *s, char **armored, char fpr[KK_PGP_FPR_LEN],
			      struct kk_error *err);

enum kk_pgp_key_state {
	KK_PGP_KEY_USABLE = 0, /* can be encrypted to */
	KK_PGP_KEY_EXPIRED,
	KK_PGP_KEY_REVOKED,
	KK_PGP_KEY_UNUSABLE, /* disabled, invalid, or no subkey that may encrypt */
};

struct kk_pgp_key_info {
	char fpr[KK_PGP_FPR_LEN];
	char uid[256];   /* the primary user id, "" when none */
	int64_t expires; /* Unix seconds, 0 for never */
	enum kk_pgp_key_state state;
};

/* Reads one armored public key without trusting it: KK_EINVAL (naming what is
 * wrong, in the caller's language) when armored holds no OpenPGP public key,
 * or more than one; else *info says whether it can be encrypted to. */
enum kk_result kk_pgp_key_inspect(struct kk_pgp *p, const char *armored, struct kk_pgp_key_info *info,
				  struct kk_error *err);

/* What a validator calls for a key given in field (e.g. "finder.pgp_key"):
 * kk_pgp_key_inspect, then KK_EINVAL with field set to the reason (not a key,
 * several keys, expired on …, revoked, no key that can encrypt) unless the key
 * can be encrypted to. p may be NULL: then a private temporary home is used
 * and removed, so nothing is kept. info (may be NULL) gets what was read. */
enum kk_result kk_pgp_key_check(struct kk_pgp *p, const char *armored, const char *field,
				struct kk_pgp_key_info *info, struct kk_error *err);

/* A short reason for a key state, in the caller's language ("expired", …). */
const char *kk_pgp_key_state_text(enum kk_pgp_key_state state);

/* Encrypts n bytes of plain to the armored key and signs them with the
 * organisation's key, into *out (armored, NUL-terminated; the caller frees).
 * KK_EINVAL when the key cannot be encrypted to (info, may be NULL, says
 * why); KK_ENOTFOUND when the organisation has no key. */
enum kk_result kk_pgp_encrypt_sign(struct kk_pgp *p, struct kk_store *s, const char *armored_key, const void *plain,
				   size_t n, char **out, struct kk_pgp_key_info *info, struct kk_error *err);

struct kk_pgp_plain {
	char *data;   /* the plaintext, NUL-terminated (the caller frees) */
	size_t n;     /* its length */
	int signed_by; /* 1 when a good signature was on it */
	char signer[KK_PGP_FPR_LEN]; /* the signing key's fingerprint, "" when none */
};

/* Decrypts an OpenPGP message (armored or binary) encrypted to the
 * organisation's key, verifying any signature. KK_EINVAL, naming why, when it
 * is not such a message or cannot be decrypted with the organisation's key. */
enum kk_result kk_pgp_decrypt(struct kk_pgp *p, const void *cipher, size_t n, struct kk_pgp_plain *out,
			      struct kk_error *err);

#endif
