/*
 * test_pgp.c: unit tests of OpenPGP (lib/mail/pgp.c, pgp_key.c, keikai/pgp.h;
 * issue 11, item 3; SPEC 1, [P]) against real GnuPG: the keys the tests read
 * are made with the gpg command in temporary GnuPG homes (a usable key, one
 * expired by --faked-system-time, one revoked by its own revocation
 * certificate, a sign-only one), and what keikai encrypts is decrypted by gpg
 * in the recipient's home, and what gpg encrypts is decrypted by keikai. On
 * the engine under test (SQLite, or PostgreSQL with KEIKAI_TEST_PG): the
 * organisation's fingerprint is a setting.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "keikai/i18n.h"
#include "keikai/pgp.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "mail/pgp_internal.h"
#include "unit.h"

/* Field 12 of the first line of gpg's colon listing that starts with kind
 * (in a static buffer). */
static const char *field12(const char *list, const char *kind)
{
	static char caps[32];
	const char *l = list;
	int field = 1;

	if (strncmp(l, kind, strlen(kind)) != 0) {
		char pat[16];

		snprintf(pat, sizeof(pat), "\n%s", kind);
		l = strstr(list, pat);
		cr_assert_not_null(l, "no %s line in %s", kind, list);
		l++;
	}
	for (; *l && *l != '\n' && field < 12; l++)
		field += *l == ':';
	snprintf(caps, sizeof(caps), "%.*s", (int)strcspn(l, ":\n"), l);
	return caps;
}

/* A GnuPG home for a party of the test (0700, as gpg wants). */
static void home(char out[PATH_MAX])
{
	unit_tmpdir(out);
	chmod(out, 0700);
}

#define GPG "gpg --batch --quiet --no-tty --homedir '%s' "

/* The fingerprint of the only key in home h whose user id holds uid. */
static void fpr_of(const char *h, const char *uid, char fpr[KK_PGP_FPR_LEN])
{
	char *out = unit_sh_out(GPG "--with-colons --list-keys '%s'", h, uid);
	char *line = strstr(out, "\nfpr:");

	if (!line && strncmp(out, "fpr:", 4) == 0)
		line = out - 1;
	cr_assert_not_null(line, "no fingerprint for %s in %s", uid, out);
	cr_assert_eq(sscanf(line + 1, "fpr:::::::::%40[0-9A-F]:", fpr), 1, "%s", out);
	free(out);
}

/* Makes a key in home h; algo/usage/expiry as gpg --quick-gen-key takes them,
 * with extra options before the command (e.g. --faked-system-time). */
static void gen(const char *h, const char *extra, const char *uid, const char *algo, const char *usage,
		const char *expire, char fpr[KK_PGP_FPR_LEN])
{
	unit_sh(GPG "--passphrase '' --pinentry-mode loopback %s --quick-gen-key '%s' %s %s %s 2>/dev/null", h, extra, uid,
	   algo, usage, expire);
	fpr_of(h, uid, fpr);
}

/* The armored public key fpr of home h (the caller frees). */
static char *export(const char *h, const char *fpr)
{
	return unit_sh_out(GPG "--armor --export %s", h, fpr);
}

static void stop_agent(const char *h)
{
	unit_sh("gpgconf --homedir '%s' --kill all", h);
}

/* A store whose keys directory is a temporary one on either engine. */
static struct kk_store *store(char keys[PATH_MAX])
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_store *s = unit_store(NULL);

	unit_tmpdir(keys);
	cr_assert_eq(kk_setting_set(s, "keys_dir", keys, &err), KK_OK, "%s", err.msg);
	return s;
}

/* The store's context with the organisation's key made. */
static struct kk_pgp *org(struct kk_store *s, char fpr[KK_PGP_FPR_LEN])
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp *p = NULL;
	int created = -1;

	cr_assert_eq(kk_pgp_open(s, &p, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_pgp_init(p, s, "Org", "pgp@org.example", fpr, &created, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(created, 1);
	return p;
}

Test(pgp, init_makes_a_signing_and_an_encryption_key_once)
{
	struct kk_error err = KK_ERROR_INIT;
	char keys[PATH_MAX], gnupg[PATH_MAX + 8], fpr[KK_PGP_FPR_LEN], again[KK_PGP_FPR_LEN], *set, *list;
	struct kk_store *s = store(keys);
	struct kk_pgp *p = org(s, fpr);
	int created = -1, subs = 0;
	struct stat st;

	cr_assert_eq(strlen(fpr), 40);
	set = kk_setting_get(s, "pgp_fingerprint", "");
	cr_assert_str_eq(set, fpr);
	free(set);
	/* SPEC 1: the home is the keys directory's gnupg/, only the owner's */
	snprintf(gnupg, sizeof(gnupg), "%s/gnupg", keys);
	cr_assert_eq(stat(gnupg, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700);
	/* gpg itself sees a key that signs and certifies and a subkey that encrypts */
	list = unit_sh_out(GPG "--with-colons --list-secret-keys %s", gnupg, fpr);
	cr_assert_not_null(strstr(list, "uid:"), "%s", list);
	cr_assert_not_null(strstr(list, "Org <pgp@org.example>"), "%s", list);
	/* field 12 of a key's line: its capabilities (s, c, e; capitals for the whole key) */
	cr_assert_not_null(strchr(field12(list, "sec:"), 's'), "%s", list);
	cr_assert_not_null(strchr(field12(list, "sec:"), 'c'), "%s", list);
	cr_assert_not_null(strchr(field12(list, "ssb:"), 'e'), "%s", list);
	cr_assert_not_null(strchr(field12(list, "sec:"), 'E'), "the key as a whole can encrypt: %s", list);
	(void)subs;
	free(list);
	/* a second run keeps the key */
	cr_assert_eq(kk_pgp_init(p, s, "Other", "other@org.example", again, &created, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(created, 0);
	cr_assert_str_eq(again, fpr);
	kk_pgp_close(p);
	stop_agent(gnupg);
	kk_store_close(s);
}

Test(pgp, init_refuses_a_bad_user_id)
{
	struct kk_error err = KK_ERROR_INIT;
	char keys[PATH_MAX], fpr[KK_PGP_FPR_LEN];
	struct kk_store *s = store(keys);
	struct kk_pgp *p = NULL;
	int created = -1;

	cr_assert_eq(kk_pgp_open(s, &p, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_pgp_init(p, s, "Org", "not an address", fpr, &created, &err), KK_EINVAL);
	cr_assert_eq(kk_pgp_init(p, s, "Org <x>", "pgp@org.example", fpr, &created, &err), KK_EINVAL);
	cr_assert_eq(created, 0);
	kk_pgp_close(p);
	kk_store_close(s);
}

Test(pgp, org_key_is_exported_armored_and_importable)
{
	struct kk_error err = KK_ERROR_INIT;
	char keys[PATH_MAX], gnupg[PATH_MAX + 8], fpr[KK_PGP_FPR_LEN], got[KK_PGP_FPR_LEN], h[PATH_MAX],
		path[PATH_MAX + 16], *armored = NULL, *list;
	struct kk_store *s = store(keys);
	struct kk_pgp *p = NULL;

	cr_assert_eq(kk_pgp_open(s, &p, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_pgp_org_key(p, s, &armored, got, &err), KK_ENOTFOUND);
	cr_assert_null(armored);
	cr_assert_not_null(strstr(err.msg, "keikai pgp init"), "%s", err.msg);
	kk_pgp_close(p);
	p = org(s, fpr);
	cr_assert_eq(kk_pgp_org_key(p, s, &armored, got, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(got, fpr);
	cr_assert_eq(strncmp(armored, "-----BEGIN PGP PUBLIC KEY BLOCK-----", 36), 0, "%s", armored);
	cr_assert_null(strstr(armored, "PRIVATE"));
	home(h);
	snprintf(path, sizeof(path), "%s/org.asc", h);
	unit_write_file(path, armored);
	unit_sh(GPG "--import '%s' 2>/dev/null", h, path);
	list = unit_sh_out(GPG "--with-colons --list-keys %s", h, fpr);
	cr_assert_not_null(strstr(list, fpr), "%s", list);
	free(list);
	free(armored);
	kk_pgp_close(p);
	snprintf(gnupg, sizeof(gnupg), "%s/gnupg", keys);
	stop_agent(gnupg);
	stop_agent(h);
	kk_store_close(s);
}

/* The keys of the inspection tests, made once per test in one home. */
struct keys {
	char h[PATH_MAX];
	char good[KK_PGP_FPR_LEN], expired[KK_PGP_FPR_LEN], revoked[KK_PGP_FPR_LEN], signonly[KK_PGP_FPR_LEN];
};

static void make_good(struct keys *k)
{
	home(k->h);
	gen(k->h, "", "V <v@example>", "future-default", "default", "never", k->good);
}

static void make_expired(struct keys *k)
{
	/* made in 2020 with a day's validity: long expired now */
	gen(k->h, "--faked-system-time 20200101T000000", "E <e@example>", "future-default", "default", "1d",
	    k->expired);
}

/* A key revoked with the certificate gpg left in openpgp-revocs.d/. */
static void make_revoked(struct keys *k)
{
	char rev[PATH_MAX + 80], fixed[PATH_MAX + 80], *text, *colon;

	gen(k->h, "", "R <r@example>", "future-default", "default", "never", k->revoked);
	snprintf(rev, sizeof(rev), "%s/openpgp-revocs.d/%s.rev", k->h, k->revoked);
	text = unit_read_file(rev);
	/* the ':' that guards the block against an accidental import */
	colon = strstr(text, ":-----BEGIN PGP PUBLIC KEY BLOCK-----");
	cr_assert_not_null(colon, "%s", text);
	memmove(colon, colon + 1, strlen(colon));
	snprintf(fixed, sizeof(fixed), "%s/revoke.asc", k->h);
	unit_write_file(fixed, text);
	free(text);
	unit_sh(GPG "--import '%s' 2>/dev/null", k->h, fixed);
}

static void make_signonly(struct keys *k)
{
	gen(k->h, "", "S <s@example>", "ed25519", "sign", "never", k->signonly);
}

static struct kk_pgp *temp_ctx(void)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp *p = NULL;

	cr_assert_eq(kk_pgp_open(NULL, &p, &err), KK_OK, "%s", err.msg);
	return p;
}

Test(pgp, inspect_reads_a_usable_key_without_keeping_it)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp_key_info info;
	struct keys k;
	struct kk_pgp *p;
	char *armored, tmp_home[PATH_MAX];
	struct stat st;

	make_good(&k);
	armored = export(k.h, k.good);
	p = temp_ctx();
	snprintf(tmp_home, sizeof(tmp_home), "%s", p->home);
	cr_assert_eq(kk_pgp_key_inspect(p, armored, &info, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(info.state, KK_PGP_KEY_USABLE);
	cr_assert_str_eq(info.fpr, k.good);
	cr_assert_str_eq(info.uid, "V <v@example>");
	cr_assert_eq(info.expires, 0);
	/* nothing reached the keyring: listing the key in the home finds nothing */
	{
		char cmd[PATH_MAX + 200];

		snprintf(cmd, sizeof(cmd), "gpg --batch --homedir '%s' --list-keys %s >/dev/null 2>&1", tmp_home,
			 k.good);
		cr_assert_neq(system(cmd), 0, "inspecting imported the key");
	}
	kk_pgp_close(p);
	/* the private home is gone */
	cr_assert_neq(stat(tmp_home, &st), 0, "%s was left behind", tmp_home);
	free(armored);
	stop_agent(k.h);
}

Test(pgp, inspect_sees_expired_revoked_and_sign_only_keys)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp_key_info info;
	struct keys k;
	struct kk_pgp *p;
	char *armored;

	make_good(&k);
	make_expired(&k);
	make_revoked(&k);
	make_signonly(&k);
	p = temp_ctx();

	armored = export(k.h, k.expired);
	cr_assert_eq(kk_pgp_key_inspect(p, armored, &info, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(info.state, KK_PGP_KEY_EXPIRED);
	cr_assert_str_eq(info.fpr, k.expired);
	/* 2020-01-02, a day after it was made */
	cr_assert(info.expires > 1577836800 && info.expires < 1577836800 + 3 * 86400, "%lld", (long long)info.expires);
	free(armored);

	armored = export(k.h, k.revoked);
	cr_assert_eq(kk_pgp_key_inspect(p, armored, &info, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(info.state, KK_PGP_KEY_REVOKED);
	free(armored);

	armored = export(k.h, k.signonly);
	cr_assert_eq(kk_pgp_key_inspect(p, armored, &info, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(info.state, KK_PGP_KEY_UNUSABLE);
	free(armored);

	kk_pgp_close(p);
	stop_agent(k.h);
}

Test(pgp, inspect_refuses_junk_two_keys_and_secret_keys)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp_key_info info;
	struct keys k;
	struct kk_pgp *p;
	char *armored, *secret;

	kk_i18n_use(KK_LANG_EN);
	make_good(&k);
	make_signonly(&k);
	p = temp_ctx();

	cr_assert_eq(kk_pgp_key_inspect(p, "hello, this is my key", &info, &err), KK_EINVAL);
	cr_assert_not_null(strstr(err.msg, "not an OpenPGP public key"), "%s", err.msg);
	kk_error_clear(&err);
	cr_assert_eq(kk_pgp_key_inspect(p, "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY "
					   "BLOCK-----\n",
					&info, &err),
		     KK_EINVAL);
	cr_assert_not_null(strstr(err.msg, "not an OpenPGP public key"), "%s", err.msg);
	kk_error_clear(&err);
	cr_assert_eq(kk_pgp_key_inspect(p, "", &info, &err), KK_EINVAL);
	kk_error_clear(&err);

	armored = unit_sh_out(GPG "--armor --export %s %s", k.h, k.good, k.signonly);
	cr_assert_eq(kk_pgp_key_inspect(p, armored, &info, &err), KK_EINVAL);
	cr_assert_not_null(strstr(err.msg, "2 OpenPGP keys"), "%s", err.msg);
	kk_error_clear(&err);
	free(armored);

	secret = unit_sh_out(GPG "--pinentry-mode loopback --passphrase '' --armor --export-secret-keys %s", k.h, k.good);
	cr_assert_eq(kk_pgp_key_inspect(p, secret, &info, &err), KK_EINVAL);
	cr_assert_not_null(strstr(err.msg, "secret"), "%s", err.msg);
	kk_error_clear(&err);
	free(secret);

	kk_pgp_close(p);
	stop_agent(k.h);
}

Test(pgp, key_check_names_the_field_and_the_reason)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp_key_info info;
	struct keys k;
	char *armored;
	const char *why;

	kk_i18n_use(KK_LANG_EN);
	make_good(&k);
	make_expired(&k);
	make_revoked(&k);

	armored = export(k.h, k.good);
	cr_assert_eq(kk_pgp_key_check(NULL, armored, "finder.pgp_key", &info, &err), KK_OK, "%s", err.msg);
	cr_assert_null(err.fields);
	free(armored);

	armored = export(k.h, k.expired);
	cr_assert_eq(kk_pgp_key_check(NULL, armored, "finder.pgp_key", &info, &err), KK_EINVAL);
	why = json_string_value(json_object_get(err.fields, "finder.pgp_key"));
	cr_assert_not_null(why);
	cr_assert_not_null(strstr(why, "expired on 2020-01-02"), "%s", why);
	cr_assert_not_null(strstr(why, k.expired), "%s", why);
	kk_error_clear(&err);
	free(armored);

	armored = export(k.h, k.revoked);
	cr_assert_eq(kk_pgp_key_check(NULL, armored, "pgp_key", &info, &err), KK_EINVAL);
	why = json_string_value(json_object_get(err.fields, "pgp_key"));
	cr_assert_not_null(why);
	cr_assert_not_null(strstr(why, "revoked"), "%s", why);
	kk_error_clear(&err);
	free(armored);

	cr_assert_eq(kk_pgp_key_check(NULL, "junk", "pgp_key", &info, &err), KK_EINVAL);
	why = json_string_value(json_object_get(err.fields, "pgp_key"));
	cr_assert_not_null(strstr(why, "not an OpenPGP public key"), "%s", why);
	kk_error_release(&err);
	stop_agent(k.h);
}

/* keikai encrypts to V and signs; gpg in V's home decrypts it and sees the
 * organisation's good signature. */
Test(pgp, encrypt_sign_is_read_by_gpg_with_the_org_signature)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp_key_info info;
	char keys[PATH_MAX], gnupg[PATH_MAX + 8], fpr[KK_PGP_FPR_LEN], got[KK_PGP_FPR_LEN], path[PATH_MAX + 16],
		line[200], *armored, *org_pub = NULL, *cipher = NULL, *status, *plain;
	const char *text = "脆弱性の詳細: the overflow in parse()\n";
	struct kk_store *s = store(keys);
	struct kk_pgp *p;
	struct keys k;

	make_good(&k);
	armored = export(k.h, k.good);
	p = org(s, fpr);
	cr_assert_eq(kk_pgp_encrypt_sign(p, s, armored, text, strlen(text), &cipher, &info, &err), KK_OK, "%s",
		     err.msg);
	cr_assert_eq(info.state, KK_PGP_KEY_USABLE);
	cr_assert_str_eq(info.fpr, k.good);
	cr_assert_eq(strncmp(cipher, "-----BEGIN PGP MESSAGE-----", 27), 0, "%s", cipher);
	cr_assert_null(strstr(cipher, "overflow"));
	/* V learns the organisation's public key, as from /pgp-key.asc */
	cr_assert_eq(kk_pgp_org_key(p, s, &org_pub, got, &err), KK_OK, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/org.asc", k.h);
	unit_write_file(path, org_pub);
	unit_sh(GPG "--import '%s' 2>/dev/null", k.h, path);
	snprintf(path, sizeof(path), "%s/msg.asc", k.h);
	unit_write_file(path, cipher);
	status = unit_sh_out(GPG "--status-fd 1 --output '%s.out' --decrypt '%s' 2>/dev/null", k.h, path, path);
	snprintf(line, sizeof(line), "[GNUPG:] VALIDSIG ");
	cr_assert_not_null(strstr(status, "[GNUPG:] GOODSIG"), "%s", status);
	cr_assert_not_null(strstr(status, line), "%s", status);
	cr_assert_not_null(strstr(strstr(status, line), fpr), "not signed by %s: %s", fpr, status);
	cr_assert_not_null(strstr(status, "[GNUPG:] DECRYPTION_OKAY"), "%s", status);
	snprintf(path, sizeof(path), "%s/msg.asc.out", k.h);
	plain = unit_read_file(path);
	cr_assert_str_eq(plain, text);
	free(plain);
	free(status);
	free(cipher);
	free(org_pub);
	free(armored);
	kk_pgp_close(p);
	snprintf(gnupg, sizeof(gnupg), "%s/gnupg", keys);
	stop_agent(gnupg);
	stop_agent(k.h);
	kk_store_close(s);
}

Test(pgp, encrypt_sign_refuses_unusable_keys_and_a_missing_org_key)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp_key_info info;
	char keys[PATH_MAX], gnupg[PATH_MAX + 8], fpr[KK_PGP_FPR_LEN], *armored, *cipher = NULL;
	struct kk_store *s = store(keys);
	struct kk_pgp *p = NULL;
	struct keys k;

	kk_i18n_use(KK_LANG_EN);
	make_good(&k);
	make_expired(&k);
	make_revoked(&k);
	make_signonly(&k);
	/* no organisation key yet */
	armored = export(k.h, k.good);
	cr_assert_eq(kk_pgp_open(s, &p, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_pgp_encrypt_sign(p, s, armored, "x", 1, &cipher, &info, &err), KK_ENOTFOUND);
	cr_assert_null(cipher);
	kk_error_clear(&err);
	free(armored);
	kk_pgp_close(p);
	p = org(s, fpr);

	armored = export(k.h, k.expired);
	cr_assert_eq(kk_pgp_encrypt_sign(p, s, armored, "x", 1, &cipher, &info, &err), KK_EINVAL);
	cr_assert_eq(info.state, KK_PGP_KEY_EXPIRED);
	cr_assert_not_null(strstr(err.msg, "expired"), "%s", err.msg);
	cr_assert_null(cipher);
	kk_error_clear(&err);
	free(armored);

	armored = export(k.h, k.revoked);
	cr_assert_eq(kk_pgp_encrypt_sign(p, s, armored, "x", 1, &cipher, &info, &err), KK_EINVAL);
	cr_assert_eq(info.state, KK_PGP_KEY_REVOKED);
	kk_error_clear(&err);
	free(armored);

	armored = export(k.h, k.signonly);
	cr_assert_eq(kk_pgp_encrypt_sign(p, s, armored, "x", 1, &cipher, &info, &err), KK_EINVAL);
	cr_assert_eq(info.state, KK_PGP_KEY_UNUSABLE);
	cr_assert_not_null(strstr(err.msg, "no key that can encrypt"), "%s", err.msg);
	kk_error_clear(&err);
	free(armored);

	cr_assert_eq(kk_pgp_encrypt_sign(p, s, "junk", "x", 1, &cipher, &info, &err), KK_EINVAL);
	cr_assert_null(cipher);
	kk_error_release(&err);
	kk_pgp_close(p);
	snprintf(gnupg, sizeof(gnupg), "%s/gnupg", keys);
	stop_agent(gnupg);
	stop_agent(k.h);
	kk_store_close(s);
}

/* A finder encrypts with gpg to the organisation's key (the encrypted report
 * form, issue 11 item 5): keikai decrypts it; signed by a key keikai has on
 * record, the signature is reported. */
Test(pgp, decrypt_reads_what_gpg_encrypted_to_the_org_key)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_pgp_plain plain;
	char keys[PATH_MAX], gnupg[PATH_MAX + 8], fpr[KK_PGP_FPR_LEN], got[KK_PGP_FPR_LEN], path[PATH_MAX + 16],
		*org_pub = NULL, *cipher, *v_pub, *out = NULL;
	const char *text = "Environment: Linux\nSteps: send a long name\n";
	struct kk_store *s = store(keys);
	struct kk_pgp *p;
	struct keys k;

	kk_i18n_use(KK_LANG_EN);
	make_good(&k);
	p = org(s, fpr);
	cr_assert_eq(kk_pgp_org_key(p, s, &org_pub, got, &err), KK_OK, "%s", err.msg);
	snprintf(path, sizeof(path), "%s/org.asc", k.h);
	unit_write_file(path, org_pub);
	unit_sh(GPG "--import '%s' 2>/dev/null", k.h, path);
	snprintf(path, sizeof(path), "%s/plain.txt", k.h);
	unit_write_file(path, text);

	/* unsigned */
	cipher = unit_sh_out(GPG "--trust-model always --armor --encrypt -r %s -o - '%s'", k.h, fpr, path);
	cr_assert_eq(kk_pgp_decrypt(p, cipher, strlen(cipher), &plain, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(plain.data, text);
	cr_assert_eq(plain.n, strlen(text));
	cr_assert_eq(plain.signed_by, 0);
	cr_assert_str_eq(plain.signer, "");
	free(plain.data);
	free(cipher);

	/* signed by V, whose key keikai has once it encrypted to it */
	v_pub = export(k.h, k.good);
	cr_assert_eq(kk_pgp_encrypt_sign(p, s, v_pub, "x", 1, &out, NULL, &err), KK_OK, "%s", err.msg);
	cipher = unit_sh_out(GPG "--trust-model always --armor --sign --encrypt -r %s -u %s -o - '%s'", k.h, fpr, k.good,
			path);
	cr_assert_eq(kk_pgp_decrypt(p, cipher, strlen(cipher), &plain, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(plain.data, text);
	cr_assert_eq(plain.signed_by, 1);
	cr_assert_str_eq(plain.signer, k.good);
	free(plain.data);
	free(cipher);
	free(out);
	free(v_pub);

	/* binary, not armored */
	cipher = unit_sh_out(GPG "--trust-model always --encrypt -r %s -o - '%s' | base64 -w0", k.h, fpr, path);
	{
		size_t n = 0;
		int too_big = 0;
		unsigned char *bin = kk_base64_decode(cipher, 1 << 20, &n, &too_big);

		cr_assert_not_null(bin);
		cr_assert_eq(kk_pgp_decrypt(p, bin, n, &plain, &err), KK_OK, "%s", err.msg);
		cr_assert_str_eq(plain.data, text);
		free(plain.data);
		free(bin);
	}
	free(cipher);

	/* to V only: the organisation cannot read it */
	cipher = unit_sh_out(GPG "--trust-model always --armor --encrypt -r %s -o - '%s'", k.h, k.good, path);
	cr_assert_eq(kk_pgp_decrypt(p, cipher, strlen(cipher), &plain, &err), KK_EINVAL);
	cr_assert_null(plain.data);
	cr_assert_not_null(strstr(err.msg, "cannot be decrypted"), "%s", err.msg);
	kk_error_clear(&err);
	free(cipher);

	/* junk, and a message that is not encrypted at all */
	cr_assert_eq(kk_pgp_decrypt(p, "junk", 4, &plain, &err), KK_EINVAL);
	cr_assert_not_null(strstr(err.msg, "not an OpenPGP encrypted message"), "%s", err.msg);
	kk_error_clear(&err);
	cipher = unit_sh_out(GPG "--armor --sign -u %s -o - '%s'", k.h, k.good, path);
	cr_assert_eq(kk_pgp_decrypt(p, cipher, strlen(cipher), &plain, &err), KK_EINVAL);
	cr_assert_null(plain.data);
	kk_error_release(&err);
	free(cipher);

	free(org_pub);
	kk_pgp_close(p);
	snprintf(gnupg, sizeof(gnupg), "%s/gnupg", keys);
	stop_agent(gnupg);
	stop_agent(k.h);
	kk_store_close(s);
}
