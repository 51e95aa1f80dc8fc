/*
 * settings.h: deployment settings kept in the database (table settings):
 * tracking_prefix, base_url, … so every server on one database agrees.
 */
#ifndef KEIKAI_SETTINGS_H
#define KEIKAI_SETTINGS_H

#include "keikai/store.h"

/* A setting, or def when unset or unreadable. Returns a string the caller frees
 * (NULL when out of memory). For display; a change that depends on a setting
 * reads it with kk_setting_read. */
char *kk_setting_get(struct kk_store *s, const char *key, const char *def);
/* The same inside a transaction. */
char *kk_setting_get_tx(struct kk_tx *tx, const char *key, const char *def);
/* A setting inside a transaction: *out gets a copy the caller frees, def's when
 * the setting is unset. A database or memory failure is an error (err set,
 * *out NULL), never the default. */
enum kk_result kk_setting_read(struct kk_tx *tx, const char *key, const char *def, char **out,
			       struct kk_error *err);
enum kk_result kk_setting_set(struct kk_store *s, const char *key, const char *value, struct kk_error *err);

#endif
