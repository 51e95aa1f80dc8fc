/*
 * registry_snap.h: the registry's products and vendors read once into memory
 * with their ranking keys (kk_fold_company) and parsed CPE names, for mapping
 * an SBOM's components (sbom_map.c) and ranking candidate vendors
 * (candidates.c). Internal to lib/vendor/. Built inside the caller's
 * transaction; freed with registry_snap_free.
 */
#ifndef KEIKAI_VENDOR_REGISTRY_SNAP_H
#define KEIKAI_VENDOR_REGISTRY_SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/cpe.h"
#include "keikai/error.h"
#include "keikai/store.h"

struct snap_entry {
	int64_t product_id; /* 0 for a vendor */
	int64_t vendor_id;
	char *name_ja, *name_en;   /* as stored */
	char *key_ja, *key_en;     /* kk_fold_company of them, or NULL */
	char *cpe_name_key;        /* the CPE's product (or vendor) attribute, '_' as ' ', folded; or NULL */
	int has_cpe;
	struct kk_cpe cpe;
};

/* A component row that is a registered product: its match key and the product. */
struct snap_link {
	char *match_key;
	int64_t product_id;
};

struct registry_snap {
	int64_t version; /* the registry's version it was read at (cached ones) */
	int refs;        /* holders of a cached one, under the cache's lock */
	void *cache;     /* the cache it belongs to (registry_snap_acquire), or NULL */
	struct snap_entry *products, *vendors;
	size_t nproducts, nvendors;
	struct snap_link *links;
	size_t nlinks;
};

enum kk_result registry_snap_load(struct kk_tx *tx, struct registry_snap *out, struct kk_error *err);

/* The snapshot of the registry of s at its current version, shared: the one
 * kept with the store (kk_store_cache) when the registry's version has not
 * moved since it was read, else a new one that replaces it. Release it with
 * registry_snap_release; it stays valid until then. */
enum kk_result registry_snap_acquire(struct kk_store *s, struct registry_snap **out, struct kk_error *err);
void registry_snap_release(struct registry_snap *snap); /* accepts NULL */
void registry_snap_free(struct registry_snap *s); /* accepts NULL */
/* The vendor entry of vendor id, or NULL. */
const struct snap_entry *registry_snap_vendor(const struct registry_snap *s, int64_t id);
/* The product entry of product id, or NULL. */
const struct snap_entry *registry_snap_product(const struct registry_snap *s, int64_t id);

#endif
