/*
 * pgp.c: OpenPGP through GPGME (pgp.h; issue 11, item 3; SPEC 1, [P]).
 *
 * Each struct kk_pgp is one GPGME context bound to one GnuPG home: the keys
 * directory's gnupg/ (keys.h), or for kk_pgp_open(NULL) a private directory
 * made with mkdtemp and removed, after its agent is stopped, by
 * kk_pgp_close. Homes are kept short because gpg-agent's socket lives in
 * them and a Unix socket path holds about 100 bytes.
 *
 * The organisation's key has no passphrase (the keys directory, mode 0700,
 * is its protection), so the context never asks for one: pinentry is in
 * loopback mode with no passphrase callback, and a key that wanted one
 * would fail instead of hanging a server thread on a dialog.
 *
 * Recipients' keys are the ones on record (a finder's finder.pgp_key, a
 * vendor's pgp_key), checked when they were given (pgp_key.c) and again
 * here; they are used with GPGME_ENCRYPT_ALWAYS_TRUST because keikai's trust
 * in them comes from the record, not from the web of trust
 * (docs/internals/pgp.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "keikai/i18n.h"
#include "keikai/keys.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "pgp_internal.h"

extern char **environ;

/* A decrypted message may not grow past this: compression would otherwise
 * let a small ciphertext fill the server's memory. */
#define KK_PGP_PLAIN_MAX (32u * 1024 * 1024)
/* An armored message or exported key. */
#define KK_PGP_OUT_MAX (64u * 1024 * 1024)

static pthread_once_t gpgme_once = PTHREAD_ONCE_INIT;
static int gpgme_ready;

/* GPGME's documented start: check the version once before any context,
 * tell it the locale, and make sure an OpenPGP engine is there. */
static void gpgme_start(void)
{
	const char *ctype;

	if (!gpgme_check_version(NULL))
		return;
	ctype = setlocale(LC_CTYPE, NULL);
	if (ctype)
		gpgme_set_locale(NULL, LC_CTYPE, ctype);
#ifdef LC_MESSAGES
	{
		const char *messages = setlocale(LC_MESSAGES, NULL);

		if (messages)
			gpgme_set_locale(NULL, LC_MESSAGES, messages);
	}
#endif
	gpgme_ready = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP) == 0;
}

static enum kk_result pgp_fail(struct kk_error *err, const char *what, gpgme_error_t e)
{
	if (gpgme_err_code(e) == GPG_ERR_ENOMEM)
		return kk_error_nomem(err);
	return kk_error_set(err, KK_EIO, _("OpenPGP: %s failed: %s"), what, gpgme_strerror(e));
}

/* Runs `gpgconf --homedir home --kill all` and waits for it, so the agent of
 * a home about to be removed does not linger. Best effort: a home without an
 * agent, or no gpgconf, is no error. */
static void kill_agent(const char *home)
{
	char *argv[] = { "gpgconf", "--homedir", (char *)home, "--kill", "all", NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;

	if (posix_spawn_file_actions_init(&fa) != 0)
		return;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "gpgconf", &fa, NULL, argv, environ) == 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	posix_spawn_file_actions_destroy(&fa);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* The home of a context: the keys directory's gnupg/, made 0700 (with the
 * keys directory itself) when missing. */
static enum kk_result store_home(struct kk_store *s, char **out, struct kk_error *err)
{
	char *dir;
	enum kk_result res = kk_keys_dir(s, &dir, err);

	*out = NULL;
	if (res)
		return res;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		res = kk_error_set(err, KK_EIO, _("The keys directory %s could not be made: %s"), dir, strerror(errno));
	else if (!(*out = kk_strdupf("%s/gnupg", dir)))
		res = kk_error_nomem(err);
	else if (mkdir(*out, 0700) != 0 && errno != EEXIST)
		res = kk_error_set(err, KK_EIO, _("The GnuPG home %s could not be made: %s"), *out, strerror(errno));
	free(dir);
	if (res) {
		free(*out);
		*out = NULL;
	}
	return res;
}

static enum kk_result temp_home(char **out, struct kk_error *err)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !tmp[0] || strlen(tmp) > 60)
		tmp = "/tmp";
	*out = kk_strdupf("%s/kkpgp-XXXXXX", tmp);
	if (!*out)
		return kk_error_nomem(err);
	if (!mkdtemp(*out)) {
		enum kk_result res =
			kk_error_set(err, KK_EIO, _("A temporary GnuPG home could not be made in %s: %s"), tmp,
				     strerror(errno));
		free(*out);
		*out = NULL;
		return res;
	}
	return KK_OK;
}

enum kk_result kk_pgp_open(struct kk_store *s, struct kk_pgp **out, struct kk_error *err)
{
	struct kk_pgp *p;
	gpgme_error_t e;
	enum kk_result res;

	*out = NULL;
	pthread_once(&gpgme_once, gpgme_start);
	if (!gpgme_ready)
		return kk_error_set(err, KK_EIO, "%s", _("OpenPGP is not available: GnuPG (gpg) was not found."));
	p = kk_calloc(1, sizeof(*p));
	if (!p)
		return kk_error_nomem(err);
	p->temporary = s == NULL;
	res = s ? store_home(s, &p->home, err) : temp_home(&p->home, err);
	if (res) {
		free(p);
		return res;
	}
	e = gpgme_new(&p->ctx);
	if (!e)
		e = gpgme_set_protocol(p->ctx, GPGME_PROTOCOL_OpenPGP);
	if (!e)
		e = gpgme_ctx_set_engine_info(p->ctx, GPGME_PROTOCOL_OpenPGP, NULL, p->home);
	if (!e)
		e = gpgme_set_pinentry_mode(p->ctx, GPGME_PINENTRY_MODE_LOOPBACK);
	if (e) {
		res = pgp_fail(err, _("opening a context"), e);
		kk_pgp_close(p);
		return res;
	}
	gpgme_set_armor(p->ctx, 1);
	*out = p;
	return KK_OK;
}

void kk_pgp_close(struct kk_pgp *p)
{
	if (!p)
		return;
	if (p->ctx)
		gpgme_release(p->ctx);
	if (p->temporary && p->home) {
		char sock[PATH_MAX];

		/* only inspecting (gpg's show-only import) starts no agent; no
		 * allocation here, so closing cannot fail */
		snprintf(sock, sizeof(sock), "%s/S.gpg-agent", p->home);
		if (access(sock, F_OK) == 0)
			kill_agent(p->home);
		nftw(p->home, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	}
	free(p->home);
	free(p);
}

/* Reads what GPGME wrote into d into a NUL-terminated copy from the
 * allocator (*out, *n), at most max bytes. */
static enum kk_result data_take(gpgme_data_t d, size_t max, char **out, size_t *n, struct kk_error *err)
{
	struct kk_buf b;
	char chunk[8192];
	ssize_t got;
	enum kk_result res;

	*out = NULL;
	if (n)
		*n = 0;
	kk_buf_init(&b, max);
	if (gpgme_data_seek(d, 0, SEEK_SET) < 0)
		return kk_error_set(err, KK_EIO, _("OpenPGP: %s failed: %s"), "seek", strerror(errno));
	while ((got = gpgme_data_read(d, chunk, sizeof(chunk))) > 0)
		if (kk_buf_add(&b, chunk, (size_t)got))
			break;
	if (got < 0 && !kk_buf_result(&b)) {
		kk_buf_release(&b);
		return kk_error_set(err, KK_EIO, _("OpenPGP: %s failed: %s"), "read", strerror(errno));
	}
	if (n)
		*n = b.len;
	res = kk_buf_finish(&b, out);
	if (res == KK_ETOOBIG)
		return kk_error_set(err, KK_ETOOBIG, "%s", _("The OpenPGP output is larger than keikai accepts."));
	return res ? kk_error_nomem(err) : KK_OK;
}

/* The organisation's fingerprint from the setting ("" when none) into fpr. */
static enum kk_result org_fpr(struct kk_store *s, char fpr[KK_PGP_FPR_LEN], struct kk_error *err)
{
	char *set = kk_setting_get(s, "pgp_fingerprint", "");

	fpr[0] = '\0';
	if (!set)
		return kk_error_nomem(err);
	snprintf(fpr, KK_PGP_FPR_LEN, "%s", set);
	free(set);
	return KK_OK;
}

/* The organisation's key with its secret part from the home, or NULL. */
static gpgme_key_t org_secret_key(struct kk_pgp *p, const char *fpr)
{
	gpgme_key_t key = NULL;

	if (!fpr[0] || gpgme_get_key(p->ctx, fpr, &key, 1) != 0)
		return NULL;
	if (key->revoked || key->expired || key->disabled || key->invalid || !key->can_sign) {
		gpgme_key_unref(key);
		return NULL;
	}
	return key;
}

static enum kk_result no_org_key(struct kk_error *err)
{
	return kk_error_set(err, KK_ENOTFOUND, "%s",
			    _("The organisation has no OpenPGP key yet: make one with keikai pgp init."));
}

/* 1 when key has a subkey that may encrypt now. */
static int can_encrypt(gpgme_key_t key)
{
	for (gpgme_subkey_t sk = key->subkeys; sk; sk = sk->next)
		if (sk->can_encrypt && !sk->expired && !sk->revoked && !sk->disabled && !sk->invalid)
			return 1;
	return 0;
}

/* Adds an encryption subkey to key when gpg made it without one. */
static enum kk_result ensure_encryption_subkey(struct kk_pgp *p, const char *fpr, struct kk_error *err)
{
	gpgme_key_t key = NULL;
	gpgme_error_t e = gpgme_get_key(p->ctx, fpr, &key, 1);

	if (e)
		return pgp_fail(err, _("reading the new key"), e);
	if (!can_encrypt(key))
		e = gpgme_op_createsubkey(p->ctx, key, "future-default", 0, 0,
					  GPGME_CREATE_ENCR | GPGME_CREATE_NOPASSWD | GPGME_CREATE_NOEXPIRE);
	gpgme_key_unref(key);
	return e ? pgp_fail(err, _("adding the encryption subkey"), e) : KK_OK;
}

/* A name or address for the user id "name <address>": no brackets or
 * controls; an address has one '@' with something on each side and no
 * spaces (keikai@localhost is fine: a user id is not a mailbox). */
static int uid_part_valid(const char *v, int address)
{
	const char *at;

	if (kk_str_empty(v) || strlen(v) > 200 || kk_has_control(v, 0) || strpbrk(v, "<>"))
		return 0;
	if (!address)
		return 1;
	at = strchr(v, '@');
	return at && at != v && at[1] && !strchr(at + 1, '@') && !strpbrk(v, " \t\"(),;:");
}

enum kk_result kk_pgp_init(struct kk_pgp *p, struct kk_store *s, const char *name, const char *email,
			   char fpr[KK_PGP_FPR_LEN], int *created, struct kk_error *err)
{
	gpgme_key_t have;
	gpgme_genkey_result_t gen;
	gpgme_error_t e;
	char *uid;
	enum kk_result res;

	*created = 0;
	if (p->temporary)
		return kk_error_set(err, KK_EINVAL, "%s", _("The organisation's key needs the store's GnuPG home."));
	res = org_fpr(s, fpr, err);
	if (res)
		return res;
	/* idempotent: the key on record, when the home still has it */
	have = org_secret_key(p, fpr);
	if (have) {
		gpgme_key_unref(have);
		return KK_OK;
	}
	if (!uid_part_valid(name, 0) || !uid_part_valid(email, 1))
		return kk_error_set(err, KK_EINVAL, "%s",
				    _("The key's name and e-mail address must be a name without < > and a valid address."));
	uid = kk_strdupf("%s <%s>", name, email);
	if (!uid)
		return kk_error_nomem(err);
	/* ed25519 to sign and certify, cv25519 to encrypt: what gpg calls its
	 * future default; quick to make and read by every GnuPG since 2.1 */
	e = gpgme_op_createkey(p->ctx, uid, "future-default", 0, 0, NULL,
			       GPGME_CREATE_NOPASSWD | GPGME_CREATE_NOEXPIRE | GPGME_CREATE_FORCE);
	free(uid);
	if (e)
		return pgp_fail(err, _("making the key"), e);
	gen = gpgme_op_genkey_result(p->ctx);
	if (!gen || !gen->fpr)
		return kk_error_set(err, KK_EIO, _("OpenPGP: %s failed: %s"), _("making the key"), "no fingerprint");
	snprintf(fpr, KK_PGP_FPR_LEN, "%s", gen->fpr);
	res = ensure_encryption_subkey(p, fpr, err);
	if (!res)
		res = kk_setting_set(s, "pgp_fingerprint", fpr, err);
	if (!res)
		*created = 1;
	return res;
}

enum kk_result kk_pgp_org_key(struct kk_pgp *p, struct kk_store *s, char **armored, char fpr[KK_PGP_FPR_LEN],
			      struct kk_error *err)
{
	gpgme_data_t d = NULL;
	gpgme_error_t e;
	size_t n = 0;
	enum kk_result res;

	*armored = NULL;
	res = org_fpr(s, fpr, err);
	if (res)
		return res;
	if (!fpr[0])
		return no_org_key(err);
	e = gpgme_data_new(&d);
	if (!e)
		e = gpgme_op_export(p->ctx, fpr, 0, d);
	if (e) {
		gpgme_data_release(d);
		return pgp_fail(err, _("exporting the key"), e);
	}
	res = data_take(d, KK_PGP_OUT_MAX, armored, &n, err);
	gpgme_data_release(d);
	if (!res && n == 0) {
		free(*armored);
		*armored = NULL;
		res = no_org_key(err);
	}
	return res;
}

/* Imports the armored key into the home and returns it as listed there (the
 * caller unrefs), with info filled from the listing. */
static enum kk_result import_recipient(struct kk_pgp *p, const char *armored, gpgme_key_t *out,
				       struct kk_pgp_key_info *info, struct kk_error *err)
{
	gpgme_data_t d = NULL;
	gpgme_error_t e;
	enum kk_result res;

	*out = NULL;
	/* read first, without importing: junk and unusable keys never reach the keyring */
	res = kk_pgp_key_inspect(p, armored, info, err);
	if (res)
		return res;
	if (info->state != KK_PGP_KEY_USABLE)
		return kk_pgp_state_error(info, err);
	e = gpgme_data_new_from_mem(&d, armored, strlen(armored), 0);
	if (!e)
		e = gpgme_op_import(p->ctx, d);
	gpgme_data_release(d);
	if (!e)
		e = gpgme_get_key(p->ctx, info->fpr, out, 0);
	if (e)
		return pgp_fail(err, _("importing the recipient's key"), e);
	/* the keyring may know more than the block (a revocation imported earlier) */
	kk_pgp_info_of(*out, info);
	if (info->state != KK_PGP_KEY_USABLE) {
		gpgme_key_unref(*out);
		*out = NULL;
		return kk_pgp_state_error(info, err);
	}
	return KK_OK;
}

enum kk_result kk_pgp_encrypt_sign(struct kk_pgp *p, struct kk_store *s, const char *armored_key, const void *plain,
				   size_t n, char **out, struct kk_pgp_key_info *info, struct kk_error *err)
{
	struct kk_pgp_key_info local;
	char fpr[KK_PGP_FPR_LEN];
	gpgme_key_t recp[2] = { NULL, NULL }, signer = NULL;
	gpgme_data_t in = NULL, cipher = NULL;
	gpgme_encrypt_result_t er;
	gpgme_sign_result_t sr;
	gpgme_error_t e;
	enum kk_result res;

	*out = NULL;
	if (!info)
		info = &local;
	memset(info, 0, sizeof(*info));
	res = org_fpr(s, fpr, err);
	if (res)
		return res;
	signer = org_secret_key(p, fpr);
	if (!signer)
		return no_org_key(err);
	res = import_recipient(p, armored_key ? armored_key : "", &recp[0], info, err);
	if (res)
		goto out;
	gpgme_signers_clear(p->ctx);
	e = gpgme_signers_add(p->ctx, signer);
	if (!e)
		e = gpgme_data_new_from_mem(&in, plain, n, 0);
	if (!e)
		e = gpgme_data_new(&cipher);
	if (!e)
		e = gpgme_op_encrypt_sign(p->ctx, recp, GPGME_ENCRYPT_ALWAYS_TRUST, in, cipher);
	if (e) {
		res = pgp_fail(err, _("encrypting"), e);
		goto out;
	}
	er = gpgme_op_encrypt_result(p->ctx);
	sr = gpgme_op_sign_result(p->ctx);
	if ((er && er->invalid_recipients) || !sr || sr->invalid_signers || !sr->signatures) {
		res = kk_error_set(err, KK_EIO, _("OpenPGP: %s failed: %s"), _("encrypting"),
				   er && er->invalid_recipients ? gpgme_strerror(er->invalid_recipients->reason)
								: "signature");
		goto out;
	}
	res = data_take(cipher, KK_PGP_OUT_MAX, out, NULL, err);
out:
	gpgme_signers_clear(p->ctx);
	gpgme_data_release(in);
	gpgme_data_release(cipher);
	if (recp[0])
		gpgme_key_unref(recp[0]);
	gpgme_key_unref(signer);
	return res;
}

enum kk_result kk_pgp_decrypt(struct kk_pgp *p, const void *cipher, size_t n, struct kk_pgp_plain *out,
			      struct kk_error *err)
{
	gpgme_data_t in = NULL, plain = NULL;
	gpgme_verify_result_t vr;
	gpgme_error_t e;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	e = gpgme_data_new_from_mem(&in, cipher, n, 0);
	if (!e)
		e = gpgme_data_new(&plain);
	if (e) {
		res = pgp_fail(err, _("decrypting"), e);
		goto out;
	}
	e = gpgme_op_decrypt_verify(p->ctx, in, plain);
	switch (gpgme_err_code(e)) {
	case GPG_ERR_NO_ERROR:
		break;
	case GPG_ERR_NO_DATA:
	case GPG_ERR_INV_DATA:
	case GPG_ERR_INV_PACKET:
	case GPG_ERR_INV_ARMOR:
	case GPG_ERR_BAD_DATA:
		res = kk_error_set(err, KK_EINVAL, "%s", _("This is not an OpenPGP encrypted message."));
		goto out;
	case GPG_ERR_NO_SECKEY:
	case GPG_ERR_DECRYPT_FAILED:
	case GPG_ERR_WRONG_SECKEY:
	case GPG_ERR_BAD_PASSPHRASE: /* symmetric, or a key that wants a passphrase */
	case GPG_ERR_NO_PASSPHRASE:
	case GPG_ERR_CANCELED:
	case GPG_ERR_UNSUPPORTED_ALGORITHM:
	case GPG_ERR_CIPHER_ALGO:
		res = kk_error_set(err, KK_EINVAL, "%s",
				   _("This OpenPGP message cannot be decrypted with the organisation's key: encrypt it "
				     "to the key published at /pgp-key.asc."));
		goto out;
	default:
		res = pgp_fail(err, _("decrypting"), e);
		goto out;
	}
	res = data_take(plain, KK_PGP_PLAIN_MAX, &out->data, &out->n, err);
	if (res)
		goto out;
	vr = gpgme_op_verify_result(p->ctx);
	/* a good signature: valid cryptographically by a key the home holds;
	 * whether that key is the sender's is the caller's question */
	if (vr && vr->signatures && gpgme_err_code(vr->signatures->status) == GPG_ERR_NO_ERROR &&
	    vr->signatures->fpr) {
		out->signed_by = 1;
		snprintf(out->signer, sizeof(out->signer), "%s", vr->signatures->fpr);
	}
out:
	gpgme_data_release(in);
	gpgme_data_release(plain);
	return res;
}
