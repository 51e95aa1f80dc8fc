/*
 * keys.c: where keikai's keys live outside the database (keys.h), and the
 * evidence key's creation: 32 random bytes from libsodium in a file only the
 * owner reads, written to a temporary name and linked into place so a key is
 * never half-written and never replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keikai/i18n.h"
#include "keikai/keys.h"
#include "keikai/settings.h"
#include "keikai/util.h"
#include "store/store_internal.h"
#include "vault_internal.h"

enum kk_result kk_keys_dir(struct kk_store *s, char **out, struct kk_error *err)
{
	const char *env = getenv("KEIKAI_KEYS");
	char *set = NULL;
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	/* kk_setting_read, not kk_setting_get: a failed read is an error, never
	 * the default (which would put the key somewhere else) */
	res = kk_tx_begin(s, 0, &tx, err);
	if (!res)
		res = kk_tx_end(&tx, kk_setting_read(&tx, "keys_dir", "", &set, err), err);
	if (res) {
		free(set);
		return res;
	}
	if (set[0]) {
		*out = set;
		return KK_OK;
	}
	free(set);
	if (env && env[0])
		*out = kk_strdup(env);
	else if (strcmp(kk_store_engine(s), "sqlite") == 0)
		*out = kk_strdupf("%s.keys", kk_store_address(s));
	else
		return kk_error_set(err, KK_ENOTFOUND, "%s",
				    _("This store has no keys directory: give one with keikai init --keys DIR, or set "
				      "KEIKAI_KEYS."));
	return *out ? KK_OK : kk_error_nomem(err);
}

enum kk_result kk_keys_path(struct kk_store *s, const char *name, char **out, struct kk_error *err)
{
	char *dir;
	enum kk_result res = kk_keys_dir(s, &dir, err);

	*out = NULL;
	if (res)
		return res;
	*out = kk_strdupf("%s/%s", dir, name);
	free(dir);
	return *out ? KK_OK : kk_error_nomem(err);
}

/* Writes a new evidence key at path unless one is there. */
static enum kk_result create_key(const char *path, struct kk_error *err)
{
	unsigned char key[KK_VAULT_KEY_BYTES];
	char *tmp = kk_strdupf("%s.new", path);
	enum kk_result res = KK_OK;
	int fd;

	if (!tmp)
		return kk_error_nomem(err);
	randombytes_buf(key, sizeof(key));
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, key, sizeof(key)) != (ssize_t)sizeof(key) || fsync(fd) != 0)
		res = kk_error_set(err, KK_EIO, _("The evidence key %s could not be written: %s"), tmp, strerror(errno));
	if (fd >= 0 && close(fd) != 0 && !res)
		res = kk_error_set(err, KK_EIO, _("The evidence key %s could not be written: %s"), tmp, strerror(errno));
	/* link, not rename: a key that appeared meanwhile is kept */
	if (!res && link(tmp, path) != 0 && errno != EEXIST)
		res = kk_error_set(err, KK_EIO, _("The evidence key %s could not be written: %s"), path, strerror(errno));
	unlink(tmp);
	sodium_memzero(key, sizeof(key));
	free(tmp);
	return res;
}

enum kk_result kk_keys_create(struct kk_store *s, struct kk_error *err)
{
	char *dir, *path = NULL;
	enum kk_result res = kk_keys_dir(s, &dir, err);

	if (res)
		return res;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		res = kk_error_set(err, KK_EIO, _("The keys directory %s could not be made: %s"), dir, strerror(errno));
	else if (!(path = kk_strdupf("%s/%s", dir, KK_VAULT_KEY_FILE)))
		res = kk_error_nomem(err);
	else if (access(path, F_OK) != 0)
		res = create_key(path, err);
	free(path);
	free(dir);
	return res;
}
