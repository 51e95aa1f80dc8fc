/*
 * keys.h: the directory outside the database that holds keikai's keys (issue
 * 11; SPEC 1): evidence.key, the key that seals attachments and mail evidence
 * (vault.h), and gnupg/, the organisation's GnuPG home (pgp.h). A stolen
 * database file holds neither.
 *
 * Where it is: the setting keys_dir (keikai init --keys DIR), else the
 * environment's KEIKAI_KEYS, else for SQLite the database file's path with
 * ".keys" added. A PostgreSQL store with neither has none, and what needs a
 * key says so.
 */
#ifndef KEIKAI_KEYS_H
#define KEIKAI_KEYS_H

#include "keikai/store.h"

/* The keys directory's path into *out (the caller frees). KK_ENOTFOUND, with
 * a message saying how to give one, when the store has none. */
enum kk_result kk_keys_dir(struct kk_store *s, char **out, struct kk_error *err);

/* dir/name into *out (the caller frees), after kk_keys_dir. */
enum kk_result kk_keys_path(struct kk_store *s, const char *name, char **out, struct kk_error *err);

/* Creates the keys directory (mode 0700) and the evidence key in it when they
 * are missing; never replaces a key that exists. keikai init calls it. */
enum kk_result kk_keys_create(struct kk_store *s, struct kk_error *err);

#endif
