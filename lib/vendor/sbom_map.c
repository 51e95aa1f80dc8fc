/*
 * sbom_map.c: an SBOM's components mapped to registered products and vendors,
 * and the upload of a vendor's SBOM as a product's composition (sbom_map.h;
 * SPEC 2.5: the products that embed an OSS component; SPEC 5 last sentence:
 * each product's software composition on record).
 *
 * The registry is the one held in memory with its search index
 * (registry_view.h): each component costs comparisons of ranking keys and of
 * parsed CPE names, rule by rule as sbom_map.h lists them. The upload maps first, then writes the SBOM's record and its
 * components in one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/audit.h"
#include "keikai/authz.h"
#include "keikai/clock.h"
#include "keikai/composition.h"
#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "keikai/sbom_map.h"
#include "keikai/util.h"
#include "registry_view.h"
#include "store/components.h"
#include "store/vendors.h"

/* A supplier is the vendor when their names score this much (fold.h's scale). */
#define SUPPLIER_ALIKE 800

/* One target found for a component. */
struct target {
	const struct si_entry *product; /* NULL for a vendor only */
	const struct si_entry *vendor;
	const char *basis;
};

struct targets {
	struct target t[KK_SBOM_MAP_TARGETS_MAX];
	size_t n;
};

static void put(struct targets *ts, const struct si_index *ix, const struct si_entry *product,
		const struct si_entry *vendor, const char *basis)
{
	for (size_t i = 0; i < ts->n; i++)
		if (ts->t[i].product == product && (product || ts->t[i].vendor == vendor))
			return;
	if (ts->n == KK_SBOM_MAP_TARGETS_MAX)
		return;
	if (!vendor && product)
		vendor = si_vendor_of(ix, product);
	ts->t[ts->n++] = (struct target){ product, vendor, basis };
}

static int key_is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* The best similarity of the supplier's key with the vendor's names. */
static int supplier_score(const struct si_index *ix, const struct si_entry *vendor, const char *supplier_key)
{
	const struct si_rank *v = vendor ? si_rank_of(ix, vendor) : NULL;
	int best = 0, s;

	if (!v || !supplier_key)
		return 0;
	if (v->key_ja && (s = kk_name_similarity(v->key_ja, supplier_key)) > best)
		best = s;
	if (v->key_en && (s = kk_name_similarity(v->key_en, supplier_key)) > best)
		best = s;
	if (v->cpe_name_key && (s = kk_name_similarity(v->cpe_name_key, supplier_key)) > best)
		best = s;
	return best;
}

/* The CPE rule: registered names (products, else vendors) of which cpe is an
 * instance (NISTIR 7696, the registry's name as the source). */
static void by_cpe(const struct si_index *ix, const struct kk_cpe *cpe, struct targets *ts)
{
	for (uint32_t i = ix->nvendors; i < ix->nentries; i++) {
		const struct kk_cpe *p = si_cpe_of(ix, &ix->entries[i]);
		enum kk_cpe_relation rel = p ? kk_cpe_compare(p, cpe) : KK_CPE_DISJOINT;

		if (rel == KK_CPE_EQUAL || rel == KK_CPE_SUPERSET)
			put(ts, ix, &ix->entries[i], NULL, "cpe");
	}
	for (uint32_t i = 0; !ts->n && i < ix->nvendors; i++) {
		const struct kk_cpe *v = si_cpe_of(ix, &ix->entries[i]);
		enum kk_cpe_relation rel = v ? kk_cpe_compare(v, cpe) : KK_CPE_DISJOINT;

		if (rel == KK_CPE_EQUAL || rel == KK_CPE_SUPERSET)
			put(ts, ix, NULL, &ix->entries[i], "cpe-vendor");
	}
}

/* The rules of sbom_map.h, in order, for component c. */
static enum kk_result map_one(const struct si_index *ix, const struct kk_sbom_component *c, struct targets *ts,
			      struct kk_error *err)
{
	char *key = NULL, *name_key = NULL, *supplier_key = NULL;
	struct kk_error e = KK_ERROR_INIT;
	enum kk_result res = KK_OK;

	ts->n = 0;
	/* purl: a component row that is a registered product */
	if (c->purl && kk_component_key(c->purl, NULL, NULL, &key, &e) == KK_OK)
		for (uint32_t i = 0; i < ix->nlinks; i++)
			if (strcmp(ix->links[i].match_key, key) == 0)
				put(ts, ix, &ix->entries[ix->links[i].entry], NULL, "purl");
	/* cpe: NISTIR 7696, the registry's name as the source */
	if (!ts->n && c->cpe) {
		struct kk_cpe cpe;
		struct kk_cpe_error ce;

		kk_cpe_init(&cpe);
		if (kk_cpe_parse(c->cpe, &cpe, &ce) == KK_OK)
			by_cpe(ix, &cpe, ts);
		else if (ce.code == KK_CPE_ENOMEM) {
			res = kk_error_nomem(err);
		}
		kk_cpe_release(&cpe);
	}
	if (res)
		goto out;
	/* name, narrowed by the supplier */
	if (c->supplier && kk_fold_company(c->supplier, &supplier_key, &e) == KK_ENOMEM)
		res = kk_error_nomem(err);
	if (!res && !ts->n && kk_fold_company(c->name, &name_key, &e) == KK_OK && *name_key) {
		struct targets all = { .n = 0 };

		for (uint32_t i = ix->nvendors; i < ix->nentries; i++) {
			const struct si_rank *p = &ix->ranks[i];

			if (key_is(p->key_ja, name_key) || key_is(p->key_en, name_key) || key_is(p->cpe_name_key, name_key))
				put(&all, ix, &ix->entries[i], NULL, "name");
		}
		for (size_t i = 0; supplier_key && i < all.n; i++)
			if (supplier_score(ix, all.t[i].vendor, supplier_key) >= SUPPLIER_ALIKE)
				ts->t[ts->n++] = all.t[i];
		if (!ts->n)
			*ts = all;
	}
	if (!res && !ts->n && supplier_key && *supplier_key)
		for (uint32_t i = 0; i < ix->nvendors; i++)
			if (supplier_score(ix, &ix->entries[i], supplier_key) >= 990)
				put(ts, ix, NULL, &ix->entries[i], "supplier");
out:
	kk_error_release(&e);
	free(key);
	free(name_key);
	free(supplier_key);
	return res;
}

static json_t *target_json(const struct target *t)
{
	const struct si_entry *v = t->vendor;

	return json_pack("{s:o, s:I, s:s, s:o, s:o, s:o, s:o}", "product_id",
			 t->product ? json_integer(t->product->id) : json_null(), "vendor_id", (json_int_t)v->id,
			 "basis", t->basis, "product_name_ja",
			 kk_json_str_or_null(t->product ? t->product->name_ja : NULL), "product_name_en",
			 kk_json_str_or_null(t->product ? t->product->name_en : NULL), "vendor_name_ja",
			 kk_json_str_or_null(v ? v->name_ja : NULL), "vendor_name_en", kk_json_str_or_null(v ? v->name_en : NULL));
}

static json_t *component_json(size_t i, const struct kk_sbom_component *c)
{
	return json_pack("{s:I, s:s?, s:s, s:s?, s:s?, s:s?, s:s?}", "index", (json_int_t)i, "ref", c->ref, "name",
			 c->name, "version", c->version, "purl", c->purl, "cpe", c->cpe, "supplier", c->supplier);
}

/* Maps every component; the product each maps to alone by purl or CPE goes
 * into linked[i] (0 otherwise) when linked is not NULL. */
static enum kk_result map_all(struct kk_tx *tx, const struct kk_sbom *sbom, json_t **out, int64_t *linked,
			      struct kk_error *err)
{
	struct si_index *ix = NULL;
	struct targets *ts = kk_malloc(sizeof(*ts));
	json_t *comps = json_array(), *unmapped = json_array();
	size_t mapped = 0;
	enum kk_result res;

	*out = NULL;
	if (!ts || !comps || !unmapped) {
		res = kk_error_nomem(err);
		goto out;
	}
	res = si_index_acquire_tx(tx, &ix, err);
	if (res)
		goto out;
	for (size_t i = 0; i < sbom->ncomponents && !res; i++) {
		const struct kk_sbom_component *c = &sbom->components[i];
		json_t *cj = component_json(i, c), *maps = json_array();

		res = map_one(ix, c, ts, err);
		for (size_t k = 0; k < ts->n && !res && cj && maps; k++)
			if (json_array_append_new(maps, target_json(&ts->t[k])) != 0)
				res = kk_error_nomem(err);
		if (linked)
			linked[i] = ts->n == 1 && ts->t[0].product && strcmp(ts->t[0].basis, "name") != 0
					    ? ts->t[0].product->id
					    : 0;
		if (!res && (!cj || !maps || json_object_set(cj, "maps_to", maps) != 0 ||
			     json_array_append(comps, cj) != 0))
			res = kk_error_nomem(err);
		if (!res && ts->n)
			mapped++;
		else if (!res) {
			json_t *u = json_pack("{s:I, s:s?, s:s, s:s?, s:s?, s:s?}", "index", (json_int_t)i, "ref", c->ref,
					      "name", c->name, "version", c->version, "purl", c->purl, "cpe", c->cpe);

			if (!u || json_array_append_new(unmapped, u) != 0)
				res = kk_error_nomem(err);
		}
		json_decref(cj);
		json_decref(maps);
	}
	if (!res) {
		*out = json_pack("{s:s, s:s, s:O, s:I, s:O}", "format", kk_sbom_format_name(sbom->format),
				 "spec_version", sbom->spec_version, "components", comps, "mapped", (json_int_t)mapped,
				 "unmapped", unmapped);
		if (!*out)
			res = kk_error_nomem(err);
	}
out:
	si_index_release(ix);
	json_decref(comps);
	json_decref(unmapped);
	free(ts);
	return res;
}

enum kk_result kk_sbom_map_tx(struct kk_tx *tx, const struct kk_sbom *sbom, json_t **out, struct kk_error *err)
{
	return map_all(tx, sbom, out, NULL, err);
}

/* The document's name: CycloneDX metadata.component's, SPDX's "name". */
static const char *document_name(const json_t *doc, const struct kk_sbom *sbom)
{
	const char *name = json_string_value(json_object_get(doc, "name"));

	if (!name && sbom->subject >= 0)
		name = sbom->components[sbom->subject].name;
	return name;
}

/* Stores the SBOM's components as product_id's; linked[i] as in map_all. */
static enum kk_result store_components(struct kk_tx *tx, const struct kk_sbom *sbom, int64_t product_id,
				       int64_t sbom_id, const int64_t *linked, int64_t now, int64_t *stored,
				       struct kk_error *err)
{
	enum kk_result res = KK_OK;

	*stored = 0;
	for (size_t i = 0; i < sbom->ncomponents && !res; i++) {
		const struct kk_sbom_component *c = &sbom->components[i];
		struct kk_component_row row = { 0 };
		char *key = NULL;

		if ((long)i == sbom->subject)
			continue; /* the product itself */
		res = kk_component_key(c->purl, c->cpe, c->name, &key, err);
		row.product_id = product_id;
		row.component_product_id = linked[i] == product_id ? 0 : linked[i];
		row.name = c->name;
		row.version = c->version;
		row.cpe23 = c->cpe;
		row.purl = c->purl;
		row.match_key = key && *key ? key : NULL;
		row.source = "sbom";
		row.sbom_id = sbom_id;
		row.created_at = now;
		if (!res)
			res = kk_components_insert(tx, &row, NULL, err);
		if (!res)
			(*stored)++;
		free(key);
	}
	return res;
}

enum kk_result kk_sbom_upload(struct kk_store *s, const struct kk_user *actor, int64_t vendor_id,
			      int64_t product_id, const json_t *doc, json_t **out, struct kk_error *err)
{
	struct kk_sbom sbom;
	struct kk_tx tx;
	struct kk_sbom_row row = { 0 };
	int64_t *linked = NULL, owner = 0, sbom_id = 0, stored = 0, now = kk_now();
	json_t *mapping = NULL, *detail = NULL;
	enum kk_result res;

	if (out)
		*out = NULL;
	kk_sbom_init(&sbom);
	if (actor && !kk_may(actor, KK_ACT_VENDOR_WRITE, &(struct kk_object){ .vendor_id = vendor_id }))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such product."));
	res = kk_sbom_parse(doc, &sbom, err);
	if (res)
		return res;
	linked = kk_calloc(sbom.ncomponents ? sbom.ncomponents : 1, sizeof(*linked));
	if (!linked) {
		kk_sbom_release(&sbom);
		return kk_error_nomem(err);
	}
	res = kk_tx_begin(s, 1, &tx, err);
	if (res)
		goto out;
	res = kk_components_product_vendor(&tx, product_id, &owner, err);
	if (res == KK_ENOTFOUND || (!res && owner != vendor_id))
		res = kk_error_set(err, KK_ENOTFOUND, "%s", _("There is no such product."));
	if (!res)
		res = map_all(&tx, &sbom, &mapping, linked, err);
	row.vendor_id = vendor_id;
	row.product_id = product_id;
	row.format = kk_sbom_format_name(sbom.format);
	row.spec_version = sbom.spec_version;
	row.document_name = document_name(doc, &sbom);
	row.components = (int64_t)sbom.ncomponents;
	row.uploaded_by = actor ? actor->id : 0;
	row.uploaded_at = now;
	if (!res)
		res = kk_sboms_insert(&tx, &row, &sbom_id, err);
	/* SPEC 5: this SBOM replaces the last one; what was entered by hand stays */
	if (!res)
		res = kk_components_delete_sbom(&tx, product_id, err);
	if (!res)
		res = store_components(&tx, &sbom, product_id, sbom_id, linked, now, &stored, err);
	if (!res)
		res = kk_vendors_registry_touch(&tx, err);
	if (!res) {
		detail = json_pack("{s:I, s:s, s:s, s:I}", "sbom_id", (json_int_t)sbom_id, "format", row.format,
				   "spec_version", row.spec_version, "components", (json_int_t)stored);
		res = detail ? kk_audit_record(&tx, actor ? actor : &kk_anonymous, "product", product_id,
					       "sbom.upload", NULL, NULL, detail, err)
			     : kk_error_nomem(err);
	}
	res = kk_tx_end(&tx, res, err);
	if (!res && (json_object_set_new(mapping, "sbom_id", json_integer(sbom_id)) ||
		     json_object_set_new(mapping, "stored", json_integer(stored))))
		res = kk_error_nomem(err);
	if (!res && out) {
		*out = mapping;
		mapping = NULL;
	}
out:
	json_decref(mapping);
	json_decref(detail);
	free(linked);
	kk_sbom_release(&sbom);
	return res;
}
