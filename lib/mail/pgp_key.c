/*
 * pgp_key.c: reading an OpenPGP public key someone gave (a finder's
 * finder.pgp_key, a vendor's pgp_key) without trusting or keeping it
 * (pgp.h; issue 11, item 3). GPGME lists the block with
 * gpgme_op_keylist_from_data_start, which runs gpg's import in show-only
 * mode: nothing reaches the keyring. The block must hold exactly one public
 * key; whether it can be encrypted to is decided over its subkeys, so a key
 * whose encryption subkey alone expired is expired, not "fine".
 *
 * kk_pgp_key_check is what validators call: with no context it works in a
 * private temporary home (kk_pgp_open(NULL)) removed at once, so validation
 * keeps nothing.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "pgp_internal.h"

/* A key someone pastes is a few kilobytes; a photo id makes it larger. */
#define KK_PGP_KEY_MAX (1024u * 1024)

static int subkey_usable(gpgme_subkey_t sk)
{
	return sk->can_encrypt && !sk->expired && !sk->revoked && !sk->disabled && !sk->invalid;
}

enum kk_pgp_key_state kk_pgp_state_of(gpgme_key_t key)
{
	int enc_expired = 0, enc_revoked = 0;

	if (key->revoked || (key->subkeys && key->subkeys->revoked))
		return KK_PGP_KEY_REVOKED;
	if (key->expired || (key->subkeys && key->subkeys->expired))
		return KK_PGP_KEY_EXPIRED;
	if (key->disabled || key->invalid)
		return KK_PGP_KEY_UNUSABLE;
	for (gpgme_subkey_t sk = key->subkeys; sk; sk = sk->next) {
		if (subkey_usable(sk))
			return KK_PGP_KEY_USABLE;
		if (sk->can_encrypt) {
			enc_expired |= sk->expired && !sk->revoked;
			enc_revoked |= sk->revoked;
		}
	}
	/* every subkey that could encrypt is spent: say how */
	if (enc_expired)
		return KK_PGP_KEY_EXPIRED;
	if (enc_revoked)
		return KK_PGP_KEY_REVOKED;
	return KK_PGP_KEY_UNUSABLE;
}

void kk_pgp_info_of(gpgme_key_t key, struct kk_pgp_key_info *info)
{
	memset(info, 0, sizeof(*info));
	snprintf(info->fpr, sizeof(info->fpr), "%s", key->fpr ? key->fpr : "");
	if (key->uids && key->uids->uid)
		snprintf(info->uid, sizeof(info->uid), "%s", key->uids->uid);
	info->state = kk_pgp_state_of(key);
	if (key->subkeys)
		info->expires = key->subkeys->expires;
	/* when only the encryption subkeys expired, the date that matters is theirs */
	if (info->state == KK_PGP_KEY_EXPIRED && key->subkeys && !key->subkeys->expired)
		for (gpgme_subkey_t sk = key->subkeys->next; sk; sk = sk->next)
			if (sk->expired && sk->expires > 0)
				info->expires = sk->expires;
}

const char *kk_pgp_key_state_text(enum kk_pgp_key_state state)
{
	switch (state) {
	case KK_PGP_KEY_USABLE:
		return _("usable");
	case KK_PGP_KEY_EXPIRED:
		return _("expired");
	case KK_PGP_KEY_REVOKED:
		return _("revoked");
	case KK_PGP_KEY_UNUSABLE:
		break;
	}
	return _("has no key that can encrypt");
}

enum kk_result kk_pgp_state_error(const struct kk_pgp_key_info *info, struct kk_error *err)
{
	char day[16] = "?";
	time_t t = (time_t)info->expires;
	struct tm tm;

	switch (info->state) {
	case KK_PGP_KEY_USABLE:
		return KK_OK;
	case KK_PGP_KEY_EXPIRED:
		if (t > 0 && gmtime_r(&t, &tm))
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
		return kk_error_set(err, KK_EINVAL, _("The OpenPGP key %s expired on %s."), info->fpr, day);
	case KK_PGP_KEY_REVOKED:
		return kk_error_set(err, KK_EINVAL, _("The OpenPGP key %s has been revoked."), info->fpr);
	case KK_PGP_KEY_UNUSABLE:
		break;
	}
	return kk_error_set(err, KK_EINVAL, _("The OpenPGP key %s has no key that can encrypt."), info->fpr);
}

enum kk_result kk_pgp_key_inspect(struct kk_pgp *p, const char *armored, struct kk_pgp_key_info *info,
				  struct kk_error *err)
{
	gpgme_data_t d = NULL;
	gpgme_key_t key, first = NULL;
	gpgme_error_t e;
	size_t len = armored ? strlen(armored) : 0;
	int count = 0, secret = 0;
	enum kk_result res = KK_OK;

	memset(info, 0, sizeof(*info));
	if (len > KK_PGP_KEY_MAX)
		return kk_error_set(err, KK_EINVAL, "%s", _("This OpenPGP key is larger than keikai accepts (1 MiB)."));
	if (len == 0)
		return kk_error_set(err, KK_EINVAL, "%s", _("This is not an OpenPGP public key."));
	e = gpgme_data_new_from_mem(&d, armored, len, 0);
	if (!e)
		e = gpgme_op_keylist_from_data_start(p->ctx, d, 0);
	if (e) {
		gpgme_data_release(d);
		if (gpgme_err_code(e) == GPG_ERR_ENOMEM)
			return kk_error_nomem(err);
		return kk_error_set(err, KK_EIO, _("OpenPGP: %s failed: %s"), _("reading the key"), gpgme_strerror(e));
	}
	while (!(e = gpgme_op_keylist_next(p->ctx, &key))) {
		count++;
		secret |= key->secret;
		if (!first)
			first = key;
		else
			gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(p->ctx);
	gpgme_data_release(d);
	/* gpg says "no data" or "invalid packet" for junk: both mean no key */
	if (secret)
		res = kk_error_set(err, KK_EINVAL, "%s",
				   _("This is a secret OpenPGP key: give the public key only, and keep the secret one "
				     "to yourself."));
	else if (count == 0)
		res = kk_error_set(err, KK_EINVAL, "%s", _("This is not an OpenPGP public key."));
	else if (count > 1)
		res = kk_error_set(err, KK_EINVAL, _("This holds %d OpenPGP keys: give exactly one."), count);
	else
		kk_pgp_info_of(first, info);
	if (first)
		gpgme_key_unref(first);
	return res;
}

enum kk_result kk_pgp_key_check(struct kk_pgp *p, const char *armored, const char *field,
				struct kk_pgp_key_info *info, struct kk_error *err)
{
	struct kk_pgp_key_info local;
	struct kk_pgp *own = NULL;
	struct kk_error why = KK_ERROR_INIT;
	enum kk_result res;

	if (!info)
		info = &local;
	if (!p) {
		res = kk_pgp_open(NULL, &own, err);
		if (res)
			return res;
		p = own;
	}
	res = kk_pgp_key_inspect(p, armored, info, &why);
	if (!res && info->state != KK_PGP_KEY_USABLE)
		res = kk_pgp_state_error(info, &why);
	kk_pgp_close(own);
	if (res == KK_EINVAL)
		res = kk_error_field(err, field, "%s", why.msg);
	else if (res) /* gpg failed: the fields found so far stay */
		kk_error_set(err, res, "%s", why.msg);
	kk_error_release(&why);
	return res;
}
