/*
 * sessions.h: the repository of browser sessions (table sessions). Internal to
 * the core: account.c decides lifetimes. Sessions live in the database, so any
 * server on it answers any request.
 */
#ifndef KEIKAI_STORE_SESSIONS_H
#define KEIKAI_STORE_SESSIONS_H

#include "keikai/account.h"
#include "keikai/store.h"

enum kk_result kk_sessions_insert(struct kk_tx *tx, const char *id_hash, int64_t user_id, const char *csrf,
				  int64_t now, int64_t expires_at, struct kk_error *err);
/* The live session's user, CSRF token and expiry; KK_ENOTFOUND when none is
 * live at now or it was made before born_after. */
enum kk_result kk_sessions_find(struct kk_tx *tx, const char *id_hash, int64_t now, int64_t born_after,
				struct kk_user *out, char csrf_out[KK_TOKEN_MAX], int64_t *expires_at,
				struct kk_error *err);
/* Moves the expiry to expires_at when it is before `before`. */
enum kk_result kk_sessions_extend(struct kk_tx *tx, const char *id_hash, int64_t expires_at, int64_t before,
				  struct kk_error *err);
enum kk_result kk_sessions_delete(struct kk_tx *tx, const char *id_hash, struct kk_error *err);

#endif
