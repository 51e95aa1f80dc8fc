/*
 * record_internal.h: what the maintenance files of the vendor registry
 * (record.c, contacts.c, products.c; vendor.h) share: reading the members of
 * a JSON object into typed values, each fault recorded as a field error of
 * err under its path ("contacts[0].value"), and the audit detail of a change.
 *
 * A reader touches its slot only when the member is in the object, so one
 * reader serves a new record (the slot holds the default) and a patch (the
 * slot holds the stored value). null, and "" for text, clear an optional
 * member. A slot a reader replaces is freed.
 */
#ifndef KEIKAI_VENDOR_RECORD_INTERNAL_H
#define KEIKAI_VENDOR_RECORD_INTERNAL_H

#include <jansson.h>
#include <stddef.h>

#include "keikai/account.h"
#include "keikai/error.h"
#include "keikai/store.h"
#include "keikai/vendor.h"

/* The longest path of a field error. */
#define KK_VF_PATH_MAX 64

/* prefix + key into path. */
void kk_vf_path(char *path, const char *prefix, const char *key);


/* The members of obj not in allowed (NULL-ended), each a field error. */
void kk_vf_unknown(const json_t *obj, const char *prefix, const char *const *allowed, struct kk_error *err);

/* Text of at most max_chars characters, without control characters (but
 * \n, \r, \t with multiline), valid UTF-8 without NUL. */
void kk_vf_text(const json_t *obj, const char *prefix, const char *key, size_t max_chars, int multiline,
		char **slot, struct kk_error *err);
/* true or false. */
void kk_vf_bool(const json_t *obj, const char *prefix, const char *key, int *slot, struct kk_error *err);

/* Checks of a value already read (1: good). */
int kk_vf_url_valid(const char *u);          /* http(s):// with a host */
int kk_vf_country_valid(const char *s);      /* an ISO 3166-1 alpha-2 code, upper case */
int kk_vf_phone_valid(const char *s);        /* digits, spaces and "+-()", a digit at least */

/* A CPE name (2.3 formatted string, 2.2 URI or WFN) at obj[key] into *slot
 * as a CPE 2.3 formatted string; a name kk_cpe_parse refuses is a field
 * error that says why, in the caller's language. */
void kk_vf_cpe(const json_t *obj, const char *prefix, const char *key, char **slot, struct kk_error *err);

/* Reads a contact's members from obj (paths under prefix) into *c; adding
 * requires channel and value. Then checks the result: the value suits the
 * channel; a contact not valid is not primary. */
void kk_vcontact_apply(const json_t *obj, const char *prefix, int adding, struct kk_vendor_contact *c,
		       struct kk_error *err);
/* A contact's maintained members as JSON (the audit's before and after). */
json_t *kk_vcontact_state(const struct kk_vendor_contact *c);
/* Stores contact c of vendor c->vendor_id (demoting the channel's other
 * primary contacts when c is primary) and audits "contact.add" by actor;
 * *id gets its id. */
enum kk_result kk_vcontact_insert(struct kk_tx *tx, const struct kk_user *actor, struct kk_vendor_contact *c,
				  int64_t now, struct kk_error *err);

/* Stores the new vendor v (its row and aliases; not its contacts) and
 * audits "vendor.add" by actor with its profile and, when request_id is not
 * 0, the registration request it comes from (G IV.4.2); v->id gets the new
 * id. The one way a vendor enters the registry one at a time: kk_vendor_add
 * and the approval of a request. */
enum kk_result kk_vrecord_insert(struct kk_tx *tx, const struct kk_user *actor, struct kk_vendor *v,
				 int64_t request_id, int64_t now, struct kk_error *err);

/* The offset and limit of a page (limit: the default when 0, at most
 * KK_VENDOR_PAGE_MAX). */
void kk_vf_page_bounds(const struct kk_vendor_page *page, size_t *offset, size_t *limit);

/* {"before": {...}, "after": {...}} of the members whose values differ
 * between before and after (objects of the same members), with extra
 * members (not stolen) added; *changed 1 when some member differs. NULL when
 * out of memory. */
json_t *kk_vf_diff(const json_t *before, const json_t *after, int *changed);

/* SPEC 1: what a viewer sees of a user named in a vendor's records (its
 * history, its SBOMs' uploaders). Staff (who may search the registry) and the
 * user's own organisation (org_id) see what was recorded: 0. Anyone else sees
 * the role and organisation ("coordinator (IPA)"), or the role alone: 1, with
 * *shown a new JSON string (NULL when out of memory). */
int kk_vendor_actor_masked(const struct kk_user *viewer, int64_t org_id, const char *role, const char *org,
			   json_t **shown);

#endif
