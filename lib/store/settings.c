/*
 * settings.c: the settings repository (settings.h), one row per key.
 */
#include <stdlib.h>

#include "keikai/i18n.h"
#include "keikai/portal.h"
#include "keikai/settings.h"
#include "keikai/util.h"

enum kk_result kk_setting_read(struct kk_tx *tx, const char *key, const char *def, char **out,
			       struct kk_error *err)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT value FROM settings WHERE key = ?", err);
	enum kk_result res;

	*out = NULL;
	if (!st)
		return kk_error_result(err, KK_EDB);
	kk_stmt_bind_text(st, 1, key);
	switch (kk_stmt_step(st, err)) {
	case KK_STEP_ROW:
		res = (*out = kk_stmt_dup(st, 0)) || kk_stmt_is_null(st, 0) ? KK_OK : KK_ENOMEM;
		break;
	case KK_STEP_DONE: res = KK_OK; break;
	default: res = kk_stmt_result(st); break;
	}
	kk_stmt_free(st);
	if (!res && !*out && def && !(*out = kk_strdup(def)))
		res = KK_ENOMEM;
	if (res == KK_ENOMEM)
		kk_error_set(err, res, "%s", _("Out of memory."));
	return res;
}

char *kk_setting_get_tx(struct kk_tx *tx, const char *key, const char *def)
{
	struct kk_stmt *st = kk_stmt_prepare(tx, "SELECT value FROM settings WHERE key = ?", NULL);
	char *v = NULL;

	if (st) {
		kk_stmt_bind_text(st, 1, key);
		if (kk_stmt_step(st, NULL) == KK_STEP_ROW)
			v = kk_stmt_dup(st, 0);
		kk_stmt_free(st);
	}
	return v ? v : kk_strdup(def);
}

char *kk_setting_get(struct kk_store *s, const char *key, const char *def)
{
	struct kk_tx tx;
	char *v;

	if (kk_tx_begin(s, 0, &tx, NULL))
		return kk_strdup(def);
	v = kk_setting_get_tx(&tx, key, def);
	kk_tx_end(&tx, KK_OK, NULL);
	return v;
}

enum kk_result kk_setting_set(struct kk_store *s, const char *key, const char *value, struct kk_error *err)
{
	struct kk_tx tx;
	struct kk_stmt *st;
	enum kk_result res = kk_tx_begin(s, 1, &tx, err);

	if (res)
		return res;
	st = kk_stmt_prepare(&tx, "INSERT INTO settings(key, value) VALUES(?, ?) "
				  "ON CONFLICT(key) DO UPDATE SET value = excluded.value", err);
	if (!st)
		return kk_tx_end(&tx, KK_EDB, err);
	kk_stmt_bind_text(st, 1, key);
	kk_stmt_bind_text(st, 2, value);
	res = kk_stmt_exec(st, err);
	kk_stmt_free(st);
	/* a setting may show on the public pages (base_url, the zone): kept ones go stale */
	if (!res)
		res = kk_portal_touch(&tx, err);
	return kk_tx_end(&tx, res, err);
}
