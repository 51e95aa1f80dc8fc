/*
 * provisions.h: the repository of priority provision (issue 10; SPEC 2.10,
 * G IV.4.8): tables recipients, provisions and orgs.recipient_id of migration
 * 11, and the one question about countermeasures the rule needs (whether a fix
 * exists). Internal to the core: lib/case/recipients.c and provision.c hold
 * the rules and call these inside their transactions.
 *
 * Conventions as store/cases.h: every function works inside the caller's
 * transaction and returns KK_OK or the error of the statement that failed with
 * err filled; loads give KK_ENOTFOUND (err untouched) when there is no row.
 */
#ifndef KEIKAI_STORE_PROVISIONS_H
#define KEIKAI_STORE_PROVISIONS_H

#include <jansson.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"

struct kk_recipient {
	int64_t id;
	const char *name_ja, *name_en, *kind, *accepted_by, *note; /* borrowed */
	int64_t accepted_at, created_by, created_at;
};

/* Inserts r (all but id) and sets r->id. */
enum kk_result kk_recipients_insert(struct kk_tx *tx, struct kk_recipient *r, struct kk_error *err);
/* Appends recipient id (0: every recipient, by id) to arr as RECIPIENT
 * (provision.h); "name" in the thread's language. */
enum kk_result kk_recipients_json(struct kk_tx *tx, int64_t id, json_t *arr, struct kk_error *err);
/* The e-mail addresses of recipient id's users, appended to arr (strings). */
enum kk_result kk_recipients_emails(struct kk_tx *tx, int64_t id, json_t *arr, struct kk_error *err);
struct kk_provision {
	int64_t id, case_id, recipient_id;
	const char *title, *body, *note; /* borrowed */
	int consulted_intake, consulted_vendor;
	int64_t by_user, at;
};

enum kk_result kk_provisions_insert(struct kk_tx *tx, struct kk_provision *p, struct kk_error *err);
/* Appends the provisions matching every non-zero key (case_id, recipient_id,
 * id), newest first, to arr as PROVISION (provision.h, every member; the core
 * drops what a recipient may not see). */
enum kk_result kk_provisions_json(struct kk_tx *tx, int64_t case_id, int64_t recipient_id, int64_t id, json_t *arr,
				  struct kk_error *err);
/* SPEC 2.10: whether some countermeasure of case_id gives fixed versions or
 * URLs (*yes). */
enum kk_result kk_provisions_fix_exists(struct kk_tx *tx, int64_t case_id, int *yes, struct kk_error *err);

#endif
