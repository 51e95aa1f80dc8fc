/*
 * pgp_internal.h: the GPGME context behind a struct kk_pgp (pgp.h), shared by
 * pgp.c (the home, the organisation's key, encryption, decryption) and
 * pgp_key.c (reading a key someone gave without trusting it).
 */
#ifndef KEIKAI_PGP_INTERNAL_H
#define KEIKAI_PGP_INTERNAL_H

#include <gpgme.h>

#include "keikai/pgp.h"

struct kk_pgp {
	gpgme_ctx_t ctx;
	char *home;    /* the GnuPG home the context works in */
	int temporary; /* 1 when home is a private mkdtemp directory to remove */
};

/* The state of a key GPGME listed, over its subkeys (pgp_key.c). */
enum kk_pgp_key_state kk_pgp_state_of(gpgme_key_t key);

/* Fills info from a listed key (pgp_key.c). */
void kk_pgp_info_of(gpgme_key_t key, struct kk_pgp_key_info *info);

/* Sets err to KK_EINVAL with a message naming why the key described by info
 * cannot be encrypted to ("The OpenPGP key … expired on 2024-01-02."). */
enum kk_result kk_pgp_state_error(const struct kk_pgp_key_info *info, struct kk_error *err);

#endif
