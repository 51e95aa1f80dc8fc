/*
 * audit.h: every state change is recorded: who, when, what, from which state to
 * which. Records are written in the same transaction as the change they describe.
 */
#ifndef KEIKAI_AUDIT_H
#define KEIKAI_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/account.h"
#include "keikai/store.h"

/* Appends a record inside tx. actor may be the anonymous user; from/to may be NULL;
 * detail may be NULL (it is not stolen). */
enum kk_result kk_audit_record(struct kk_tx *tx, const struct kk_user *actor, const char *object_type,
			       int64_t object_id, const char *action, const char *from_state,
			       const char *to_state, const json_t *detail, struct kk_error *err);

/* The records of one object, oldest first, as a JSON array the caller owns:
 * [{"at", "actor", "role", "action", "from", "to", "detail"}]. */
enum kk_result kk_audit_list(struct kk_store *s, const char *object_type, int64_t object_id, json_t **out,
			     struct kk_error *err);

#endif
