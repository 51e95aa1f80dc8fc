/*
 * provision_internal.h: what provision.c and provision_notify.c share
 * (issue 10; SPEC 2.10; provision.h is the public side).
 */
#ifndef KEIKAI_CASE_PROVISION_INTERNAL_H
#define KEIKAI_CASE_PROVISION_INTERNAL_H

#include <stdint.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/store.h"

/* G IV.3(1)12: a staff message (by actor, at) in the thread of each finder of
 * case_id saying that the vulnerability and its fix were provided with
 * priority, in the finder's language, and the notice of it. */
enum kk_result provision_tell_finders(struct kk_tx *tx, const struct kk_user *actor, int64_t case_id, int64_t at,
				      struct kk_error *err);
/* SPEC 1, 2.10: to each user of recipient_id, a notice (Japanese, then
 * English) that something was provided to it, without the content. */
enum kk_result provision_tell_recipient(struct kk_tx *tx, int64_t recipient_id, struct kk_error *err);

#endif
