/*
 * vendor_records.h: the repository of the maintained vendor registry
 * (vendor.h, issue 8; SPEC 2.5): the rows of vendors, vendor_aliases,
 * vendor_contacts and products as lib/vendor/ maintains them one at a time.
 * The bulk statements of the MyJVN import stay in vendors.h. Internal to the
 * core: the fronts use vendor.h.
 *
 * Every function works inside the caller's transaction and returns KK_OK or
 * the error of the statement that failed (KK_EDB, KK_EUNAVAILABLE,
 * KK_ENOMEM) with err filled; loads return KK_ENOTFOUND with err untouched
 * when there is no such row. The writes of vendors, aliases and products
 * count a change of the registry (kk_vendors_registry_touch) themselves, in
 * the same transaction, so the search index sees every one.
 */
#ifndef KEIKAI_STORE_VENDOR_RECORDS_H
#define KEIKAI_STORE_VENDOR_RECORDS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/store.h"
#include "keikai/vendor.h"

/* Inserts v (its row and aliases; not its contacts), stamped now; *id gets
 * the new row's id. */
enum kk_result kk_vrec_vendor_insert(struct kk_tx *tx, const struct kk_vendor *v, int64_t now, int64_t *id,
				     struct kk_error *err);
/* Writes the maintained columns of vendor v->id and replaces its aliases;
 * updated_at becomes now. KK_ENOTFOUND when the row is gone. */
enum kk_result kk_vrec_vendor_update(struct kk_tx *tx, const struct kk_vendor *v, int64_t now,
				     struct kk_error *err);
/* Loads vendor id with its aliases; with details, its contacts (primary
 * first, then by channel and id) and its product count too. *out is the
 * caller's to release, also on error. */
enum kk_result kk_vrec_vendor_load(struct kk_tx *tx, int64_t id, int details, struct kk_vendor *out,
				   struct kk_error *err);
/* A page of vendors by name (name_en, else name_ja, case folded by lower(),
 * then id), without aliases or contacts; only (not 0) restricts it to that
 * vendor. *total gets the count of all. */
enum kk_result kk_vrec_vendor_list(struct kk_tx *tx, int64_t only, size_t offset, size_t limit,
				   struct kk_vendor_list *out, struct kk_error *err);

/* Contacts: insert (c->vendor_id, *id the new id), update (every column of
 * c->id, of vendor c->vendor_id), delete, load one (KK_ENOTFOUND when it is
 * not that vendor's). */
enum kk_result kk_vrec_contact_insert(struct kk_tx *tx, const struct kk_vendor_contact *c, int64_t now,
				      int64_t *id, struct kk_error *err);
enum kk_result kk_vrec_contact_update(struct kk_tx *tx, const struct kk_vendor_contact *c, int64_t now,
				      struct kk_error *err);
enum kk_result kk_vrec_contact_delete(struct kk_tx *tx, int64_t vendor_id, int64_t id, struct kk_error *err);
enum kk_result kk_vrec_contact_load(struct kk_tx *tx, int64_t vendor_id, int64_t id, struct kk_vendor_contact *out,
				    struct kk_error *err);
/* Makes the vendor's other primary contacts of channel (all but except) not
 * primary, stamped now; their ids (the first max) go into ids, *n how many
 * were changed. */
enum kk_result kk_vrec_contact_demote(struct kk_tx *tx, int64_t vendor_id, enum kk_contact_channel channel,
				      int64_t except, int64_t now, int64_t *ids, size_t max, size_t *n,
				      struct kk_error *err);

/* Products: insert (*id the new id), update (the maintained columns of
 * p->id of vendor p->vendor_id), load one (KK_ENOTFOUND when it is not that
 * vendor's), a page of the vendor's products by name. */
enum kk_result kk_vrec_product_insert(struct kk_tx *tx, const struct kk_product *p, int64_t now, int64_t *id,
				      struct kk_error *err);
enum kk_result kk_vrec_product_update(struct kk_tx *tx, const struct kk_product *p, int64_t now,
				      struct kk_error *err);
enum kk_result kk_vrec_product_load(struct kk_tx *tx, int64_t vendor_id, int64_t id, struct kk_product *out,
				    struct kk_error *err);
enum kk_result kk_vrec_product_list(struct kk_tx *tx, int64_t vendor_id, size_t offset, size_t limit,
				    struct kk_product_list *out, struct kk_error *err);

/* SPEC 1: who the actors of vendor vendor_id's audit history are, for a
 * vendor viewer: an object from each actor text (audit.actor) to
 * {"org_id": the organisation of its user, "org": that organisation's name},
 * org_id 0 and org null when the actor is no user of one organisation. *out
 * the caller releases. */
enum kk_result kk_vrec_history_actors(struct kk_tx *tx, int64_t vendor_id, json_t **out, struct kk_error *err);

#endif
