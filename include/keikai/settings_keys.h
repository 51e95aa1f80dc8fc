/*
 * settings_keys.h: every setting keikai knows (the settings table, settings.h):
 * its key, its default, what it is for and what a value must be. `keikai
 * settings list|get|set` (cli/cmd_settings.c) works from this table, so a
 * setting that is not here cannot be set, and a value is checked before it is
 * stored. The parts of the core that read a setting parse it with the same
 * functions the validators call (calendar.h, schedule.h).
 */
#ifndef KEIKAI_SETTINGS_KEYS_H
#define KEIKAI_SETTINGS_KEYS_H

#include <stddef.h>

#include "keikai/error.h"

struct kk_setting_key {
	const char *key;         /* "publication_days" */
	const char *def;         /* the value when unset */
	const char *description; /* what it is for, N_() */
	const char *expect;      /* what a value must be, N_() */
	int (*valid)(const char *value); /* 1 for a value keikai can use */
};

/* The i-th known setting, in the order `keikai settings list` prints them;
 * NULL past the end. */
const struct kk_setting_key *kk_setting_key_at(size_t i);
/* The setting key, or NULL when keikai knows no such setting. */
const struct kk_setting_key *kk_setting_key_find(const char *key);

/* KK_OK when key is a known setting and value is valid for it; else KK_EINVAL
 * with a field named key whose message names the key (and the value and what
 * it must be), in the caller's language. */
enum kk_result kk_setting_check(const char *key, const char *value, struct kk_error *err);

#endif
