/*
 * registry_view.h: the registry's search index (search_index.h) as SBOM
 * mapping (sbom_map.c) and candidate vendors (candidates.c) read it, so that
 * the registry is held in memory once per store (SPEC 2.5). Internal to
 * lib/vendor/.
 *
 * Entries [0, nvendors) are the vendors and [nvendors, nentries) the
 * products, each in id order, with their names as stored, ranking keys
 * (si_rank_of) and parsed CPE names (si_cpe_of); ix->links are the
 * components on record that are registered products. An index is immutable
 * and refcounted: what points into it stays valid until it is released.
 */
#ifndef KEIKAI_VENDOR_REGISTRY_VIEW_H
#define KEIKAI_VENDOR_REGISTRY_VIEW_H

#include "search_index.h"

/* The index of s at the registry's current version (search.c), built now
 * when the one kept with the store is of another version. Release it with
 * si_index_release. */
enum kk_result si_index_acquire(struct kk_store *s, struct si_index **out, struct kk_error *err);

/* The same at the version transaction tx sees, built inside tx when the one
 * kept with the store is of another version; one built in a read transaction
 * replaces an older kept one. */
enum kk_result si_index_acquire_tx(struct kk_tx *tx, struct si_index **out, struct kk_error *err);

void si_index_release(struct si_index *ix); /* accepts NULL */

/* The entry of vendor id, or of product id; NULL when there is none. */
const struct si_entry *si_vendor(const struct si_index *ix, int64_t id);
const struct si_entry *si_product(const struct si_index *ix, int64_t id);

/* Entry e's vendor: itself for a vendor. */
static inline const struct si_entry *si_vendor_of(const struct si_index *ix, const struct si_entry *e)
{
	return &ix->entries[e->vendor];
}

/* Entry e's ranking keys. */
static inline const struct si_rank *si_rank_of(const struct si_index *ix, const struct si_entry *e)
{
	return &ix->ranks[e - ix->entries];
}

/* Entry e's parsed CPE name, or NULL when it has none (or one the CPE module refuses). */
static inline const struct kk_cpe *si_cpe_of(const struct si_index *ix, const struct si_entry *e)
{
	return e->has_cpe ? &ix->cpes[e - ix->entries] : NULL;
}

#endif
