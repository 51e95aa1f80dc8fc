/*
 * registry_snap.c: the registry read once into memory for SBOM mapping and
 * vendor candidates (registry_snap.h; SPEC 2.5). Each name gets its ranking
 * key (kk_fold_company) and each CPE name is parsed once, so that matching
 * many components costs comparisons only. A name that cannot be folded (not
 * UTF-8 after all) keeps no key and is matched by nothing but its CPE name.
 *
 * Folding the whole MyJVN dictionary takes about a second, so the candidates
 * of a report use one snapshot kept with the store and read again only when
 * the registry's version (vendors.h) has moved; every write to vendors,
 * products and their composition moves it. Holders count references, so a
 * snapshot replaced while in use is freed by its last holder.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "registry_snap.h"
#include "store/components.h"
#include "store/vendors.h"

#define OOM(err) kk_error_set(err, KK_ENOMEM, "%s", _("Out of memory."))

struct grow {
	struct snap_entry **items;
	size_t *n, cap;
	int vendors;
};

/* kk_fold_company of s into *key (NULL when s is NULL or cannot be folded); -1 without memory. */
static int key_of(const char *s, char **key)
{
	struct kk_error e = KK_ERROR_INIT;
	enum kk_result res;

	*key = NULL;
	if (!s)
		return 0;
	res = kk_fold_company(s, key, &e);
	kk_error_release(&e);
	if (res == KK_OK && *key && !**key) {
		free(*key);
		*key = NULL;
	}
	return res == KK_ENOMEM ? -1 : 0;
}

/* The key of a CPE attribute value (WFN form: "\" quotes), '_' read as a space. */
static int cpe_attr_key(const struct kk_cpe_value *v, char **key)
{
	char *plain;
	size_t j = 0;
	int rc;

	*key = NULL;
	if (v->kind != KK_CPE_STRING || v->lead || v->trail)
		return 0;
	plain = kk_malloc(v->len + 1);
	if (!plain)
		return -1;
	for (size_t i = 0; i < v->len; i++) {
		char c = v->str[i];

		if (c == '\\' && i + 1 < v->len)
			c = v->str[++i];
		plain[j++] = c == '_' ? ' ' : c;
	}
	plain[j] = '\0';
	rc = key_of(plain, key);
	free(plain);
	return rc;
}

static void entry_free(struct snap_entry *e)
{
	free(e->name_ja);
	free(e->name_en);
	free(e->key_ja);
	free(e->key_en);
	free(e->cpe_name_key);
	kk_cpe_release(&e->cpe);
}

static enum kk_result on_row(void *arg, const struct kk_product_brief *p, struct kk_error *err)
{
	struct grow *g = arg;
	struct snap_entry *e;
	const char *ja = g->vendors ? p->vendor_name_ja : p->name_ja;
	const char *en = g->vendors ? p->vendor_name_en : p->name_en;
	const char *cpe = g->vendors ? p->vendor_cpe23 : p->cpe23;
	int lost = 0;

	if (*g->n == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 256;
		struct snap_entry *items = kk_realloc(*g->items, cap * sizeof(*items));

		if (!items)
			return OOM(err);
		*g->items = items;
		g->cap = cap;
	}
	e = &(*g->items)[*g->n];
	memset(e, 0, sizeof(*e));
	kk_cpe_init(&e->cpe);
	(*g->n)++;
	e->product_id = p->id;
	e->vendor_id = p->vendor_id;
	e->name_ja = kk_strdup(ja);
	e->name_en = kk_strdup(en);
	lost |= (ja && !e->name_ja) || (en && !e->name_en);
	lost |= key_of(ja, &e->key_ja) | key_of(en, &e->key_en);
	if (cpe) {
		struct kk_cpe_error ce;

		if (kk_cpe_parse(cpe, &e->cpe, &ce) == KK_OK) {
			e->has_cpe = 1;
			lost |= cpe_attr_key(&e->cpe.attr[g->vendors ? KK_CPE_VENDOR : KK_CPE_PRODUCT], &e->cpe_name_key);
		} else {
			lost |= ce.code == KK_CPE_ENOMEM;
		}
	}
	return lost ? OOM(err) : KK_OK;
}

static enum kk_result on_link(void *arg, const struct kk_component_hit *h, struct kk_error *err)
{
	struct registry_snap *s = arg;
	struct snap_link *links;

	links = kk_realloc(s->links, (s->nlinks + 1) * sizeof(*links));
	if (!links)
		return OOM(err);
	s->links = links;
	links[s->nlinks].product_id = h->component_product_id;
	links[s->nlinks].match_key = kk_strdup(h->match_key);
	if (!links[s->nlinks].match_key)
		return OOM(err);
	s->nlinks++;
	return KK_OK;
}

enum kk_result registry_snap_load(struct kk_tx *tx, struct registry_snap *out, struct kk_error *err)
{
	struct grow products = { &out->products, &out->nproducts, 0, 0 };
	struct grow vendors = { &out->vendors, &out->nvendors, 0, 1 };
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	res = kk_components_products(tx, 0, 0, on_row, &products, err);
	if (!res)
		res = kk_components_vendors(tx, on_row, &vendors, err);
	if (!res)
		res = kk_components_linked(tx, on_link, out, err);
	if (res)
		registry_snap_free(out);
	return res;
}

void registry_snap_free(struct registry_snap *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nproducts; i++)
		entry_free(&s->products[i]);
	for (size_t i = 0; i < s->nvendors; i++)
		entry_free(&s->vendors[i]);
	for (size_t i = 0; i < s->nlinks; i++)
		free(s->links[i].match_key);
	free(s->products);
	free(s->vendors);
	free(s->links);
	memset(s, 0, sizeof(*s));
}

/* Entries are in id order (the queries order them), so a binary search finds one. */
static const struct snap_entry *search(const struct snap_entry *items, size_t n, int64_t id, int vendors)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t at = vendors ? items[mid].vendor_id : items[mid].product_id;

		if (at == id)
			return &items[mid];
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct snap_entry *registry_snap_vendor(const struct registry_snap *s, int64_t id)
{
	return search(s->vendors, s->nvendors, id, 1);
}

const struct snap_entry *registry_snap_product(const struct registry_snap *s, int64_t id)
{
	return search(s->products, s->nproducts, id, 0);
}

/*
 * The snapshot kept with a store.
 */

struct snap_cache {
	pthread_mutex_t lock; /* guards cur and every snapshot's refs */
	struct registry_snap *cur;
};

static void *cache_new(void)
{
	struct snap_cache *c = kk_calloc(1, sizeof(*c));

	if (c)
		pthread_mutex_init(&c->lock, NULL);
	return c;
}

static void snap_destroy(struct registry_snap *snap)
{
	registry_snap_free(snap);
	free(snap);
}

static void cache_free(void *p)
{
	struct snap_cache *c = p;

	if (c->cur && --c->cur->refs == 0)
		snap_destroy(c->cur);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

enum kk_result registry_snap_acquire(struct kk_store *s, struct registry_snap **out, struct kk_error *err)
{
	struct snap_cache *c = kk_store_cache(s, KK_STORE_SLOT_REGISTRY_SNAP, cache_new, cache_free);
	struct registry_snap *snap = NULL;
	struct kk_tx tx;
	int64_t version = 0;
	enum kk_result res;

	*out = NULL;
	if (!c)
		return OOM(err);
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_vendors_registry_version(&tx, &version, err);
	if (!res) {
		pthread_mutex_lock(&c->lock);
		if (c->cur && c->cur->version == version) {
			c->cur->refs++;
			*out = c->cur;
		}
		pthread_mutex_unlock(&c->lock);
	}
	if (!res && !*out) {
		snap = kk_calloc(1, sizeof(*snap));
		res = snap ? registry_snap_load(&tx, snap, err) : OOM(err);
	}
	res = kk_tx_end(&tx, res, err);
	if (res || *out) {
		if (res && *out) {
			registry_snap_release(*out);
			*out = NULL;
		}
		if (snap && res) {
			free(snap);
			snap = NULL;
		}
		return res;
	}
	snap->version = version;
	snap->refs = 1; /* the caller's */
	snap->cache = c;
	pthread_mutex_lock(&c->lock);
	if (!c->cur || c->cur->version <= version) {
		if (c->cur && --c->cur->refs == 0)
			snap_destroy(c->cur);
		c->cur = snap;
		snap->refs++; /* the cache's */
	}
	pthread_mutex_unlock(&c->lock);
	*out = snap;
	return KK_OK;
}

void registry_snap_release(struct registry_snap *snap)
{
	struct snap_cache *c;
	int last;

	if (!snap)
		return;
	c = snap->cache;
	pthread_mutex_lock(&c->lock);
	last = --snap->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (last)
		snap_destroy(snap);
}
