/*
 * search.c: searching the vendor registry (vendor_search.h; issue 8,
 * capability 4; SPEC 2.5 vendor identification).
 *
 * Each store keeps one index (search_index.c) in its cache slot
 * (kk_store_cache): a search reads the registry's version (one small query),
 * uses the index when it was built at that version, and otherwise builds a new
 * one first, one thread at a time, while searches of the current version go on
 * in other threads. Indexes are refcounted, so the results of a search keep
 * theirs (their strings live in it) after a newer one replaced it. SBOM
 * mapping and candidate vendors use the same index (registry_view.h).
 *
 * A query is a name (folded with kk_fold and looked for inside every folded
 * name), or a CPE name or pattern (a text starting with "cpe:", or the cpe
 * field), matched by NISTIR 7696; with both, a match must satisfy both.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keikai/alloc.h"
#include "keikai/authz.h"
#include "keikai/cpe.h"
#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "keikai/vendor_search.h"
#include "registry_view.h"
#include "store/vendors.h"

/* ---- the index kept with a store ---- */

struct registry_cache {
	pthread_mutex_t lock;       /* guards cur */
	pthread_mutex_t build_lock; /* one build at a time */
	struct si_index *cur;
};

static void index_ref(struct si_index *ix)
{
	__atomic_add_fetch(&ix->refs, 1, __ATOMIC_RELAXED);
}

static void index_unref(struct si_index *ix)
{
	if (ix && __atomic_sub_fetch(&ix->refs, 1, __ATOMIC_ACQ_REL) == 0)
		si_index_free(ix);
}

static void *cache_new(void)
{
	struct registry_cache *c = kk_calloc(1, sizeof(*c));

	if (c) {
		pthread_mutex_init(&c->lock, NULL);
		pthread_mutex_init(&c->build_lock, NULL);
	}
	return c;
}

static void cache_free(void *p)
{
	struct registry_cache *c = p;

	index_unref(c->cur);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->build_lock);
	free(c);
}

/* The current index when it was built at version, referenced; else NULL. */
static struct si_index *current(struct registry_cache *c, int64_t version)
{
	struct si_index *ix;

	pthread_mutex_lock(&c->lock);
	ix = c->cur && c->cur->version == version ? c->cur : NULL;
	if (ix)
		index_ref(ix);
	pthread_mutex_unlock(&c->lock);
	return ix;
}

static enum kk_result read_version(struct kk_store *s, int64_t *version, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);

	if (res)
		return res;
	res = kk_vendors_registry_version(&tx, version, err);
	return kk_tx_end(&tx, res, err);
}

/* Keeps ix (built at a version read in a read transaction) with the store
 * unless the kept one is newer; ix gets the cache's reference when kept. */
static void keep(struct registry_cache *c, struct si_index *ix)
{
	struct si_index *old = NULL;

	pthread_mutex_lock(&c->lock);
	if (!c->cur || c->cur->version <= ix->version) {
		old = c->cur;
		c->cur = ix;
		index_ref(ix);
	}
	pthread_mutex_unlock(&c->lock);
	index_unref(old);
}

enum kk_result si_index_acquire_tx(struct kk_tx *tx, struct si_index **out, struct kk_error *err)
{
	struct registry_cache *c = kk_store_cache(tx->store, KK_STORE_SLOT_REGISTRY_INDEX, cache_new, cache_free);
	int64_t version;
	enum kk_result res;

	*out = NULL;
	if (!c)
		return kk_error_nomem(err);
	if ((res = kk_vendors_registry_version(tx, &version, err)))
		return res;
	if ((*out = current(c, version)))
		return KK_OK;
	/* Built here without the build lock: this thread holds a connection,
	 * and a builder holding the lock may be waiting for one. */
	if ((res = si_index_build_tx(tx, out, err)))
		return res;
	(*out)->refs = 1; /* the caller's */
	/* a write transaction's view may hold its own changes: not for others */
	if (!tx->write)
		keep(c, *out);
	return KK_OK;
}

void si_index_release(struct si_index *ix)
{
	index_unref(ix);
}

/* The index of s at the registry's current version (built now when needed),
 * referenced: the caller unrefs it. */
enum kk_result si_index_acquire(struct kk_store *s, struct si_index **out, struct kk_error *err)
{
	struct registry_cache *c = kk_store_cache(s, KK_STORE_SLOT_REGISTRY_INDEX, cache_new, cache_free);
	struct si_index *ix, *old;
	int64_t version;
	enum kk_result res;

	*out = NULL;
	if (!c)
		return kk_error_nomem(err);
	if ((res = read_version(s, &version, err)))
		return res;
	if ((*out = current(c, version)))
		return KK_OK;
	pthread_mutex_lock(&c->build_lock);
	/* another thread may have built it while this one waited */
	if ((*out = current(c, version))) {
		pthread_mutex_unlock(&c->build_lock);
		return KK_OK;
	}
	res = si_index_build(s, &ix, err);
	if (res == KK_OK) {
		ix->refs = 2; /* the cache's and the caller's */
		pthread_mutex_lock(&c->lock);
		old = c->cur;
		c->cur = ix;
		pthread_mutex_unlock(&c->lock);
		index_unref(old);
		*out = ix;
	}
	pthread_mutex_unlock(&c->build_lock);
	return res;
}

void kk_registry_index_drop(struct kk_store *s)
{
	struct registry_cache *c = s ? kk_store_cache(s, KK_STORE_SLOT_REGISTRY_INDEX, cache_new, cache_free) : NULL;
	struct si_index *old;

	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	old = c->cur;
	c->cur = NULL;
	pthread_mutex_unlock(&c->lock);
	index_unref(old);
}

enum kk_result kk_registry_index_stats(struct kk_store *s, struct kk_registry_index_stats *st, struct kk_error *err)
{
	struct si_index *ix;
	enum kk_result res = si_index_acquire(s, &ix, err);

	memset(st, 0, sizeof(*st));
	if (res)
		return res;
	st->version = ix->version;
	st->vendors = ix->nvendors;
	st->products = ix->nentries - ix->nvendors;
	st->names = ix->nnames;
	st->build_seconds = ix->build_seconds;
	index_unref(ix);
	return KK_OK;
}

/* ---- the query ---- */

/* The reason a CPE name was refused, translated, into field. */
static enum kk_result cpe_refused(struct kk_error *err, const char *field, const struct kk_cpe_error *ce)
{
	if (ce->code == KK_CPE_ENOMEM)
		return kk_error_nomem(err);
	if (ce->attribute >= 0)
		return kk_error_field(err, field, _("Not a valid CPE name: %s: %s%s%s (column %zu)."),
				      kk_cpe_attr_name(ce->attribute), _(kk_cpe_strerror(ce->code)),
				      ce->detail[0] ? ": " : "", ce->detail, ce->offset + 1);
	return kk_error_field(err, field, _("Not a valid CPE name: %s%s%s (column %zu)."), _(kk_cpe_strerror(ce->code)),
			      ce->detail[0] ? ": " : "", ce->detail, ce->offset + 1);
}

static int is_cpe_text(const char *s)
{
	return strncasecmp(s, "cpe:", 4) == 0;
}

/* A CPE 2.3 formatted string with fewer than its eleven attributes, completed
 * with ANY ("cpe:2.3:a:microsoft:word" is "cpe:2.3:a:microsoft:word:*:...:*"),
 * as a person writes a pattern and as a URI leaves them out; a string the
 * caller frees, NULL for anything else (parsed as it is) or without memory. */
static char *cpe_completed(const char *s)
{
	size_t colons = 0, n = strlen(s);
	struct kk_buf b;

	if (strncasecmp(s, "cpe:2.3:", 8) != 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		else if (s[i] == ':')
			colons++;
	}
	if (colons >= 12 || s[n - 1] == ':')
		return NULL;
	kk_buf_init(&b, n + 2 * 12 + 1);
	kk_buf_adds(&b, s);
	for (; colons < 12; colons++)
		kk_buf_adds(&b, ":*");
	return kk_buf_detach(&b);
}

/* kk_cpe_parse, after cpe_completed. */
static enum kk_result parse_cpe(const char *s, struct kk_cpe *out, struct kk_cpe_error *ce)
{
	char *full = cpe_completed(s);
	enum kk_result res = kk_cpe_parse(full ? full : s, out, ce);

	free(full);
	return res;
}

/* A query checked and prepared: the folded name or the parsed CPE names. */
struct prepared {
	char *key;          /* the name's kk_fold key, or NULL */
	struct kk_cpe text_cpe, cpe;
	int has_text_cpe, has_cpe;
};

static enum kk_result check_length(const char *s, const char *field, struct kk_error *err)
{
	if (strlen(s) > KK_REGISTRY_QUERY_MAX)
		return kk_error_field(err, field, _("The query is longer than %d bytes."), KK_REGISTRY_QUERY_MAX);
	return KK_OK;
}

static enum kk_result prepare(const struct kk_registry_query *q, struct prepared *p, struct kk_error *err)
{
	struct kk_cpe_error ce;
	enum kk_result res = KK_OK;
	int text = !kk_str_empty(q->text), cpe = !kk_str_empty(q->cpe);

	if (!text && !cpe)
		return kk_error_field(err, "q", "%s", _("Enter a name, or a CPE name, to search for."));
	if (text && check_length(q->text, "q", err))
		res = KK_EINVAL;
	if (cpe && check_length(q->cpe, "cpe", err))
		res = KK_EINVAL;
	if (res)
		return res;
	if (text && is_cpe_text(q->text)) {
		if (parse_cpe(q->text, &p->text_cpe, &ce) != KK_OK)
			res = cpe_refused(err, "q", &ce);
		else
			p->has_text_cpe = 1;
	} else if (text) {
		struct kk_error ferr = KK_ERROR_INIT;

		res = kk_fold(q->text, &p->key, &ferr);
		kk_error_release(&ferr);
		if (res == KK_ENOMEM)
			return kk_error_nomem(err);
		if (res)
			res = kk_error_field(err, "q", "%s", _("The query is not valid UTF-8 text."));
		else if (!*p->key)
			res = kk_error_field(err, "q", "%s", _("Enter a name, or a CPE name, to search for."));
	}
	if (cpe) {
		if (parse_cpe(q->cpe, &p->cpe, &ce) != KK_OK) {
			enum kk_result r = cpe_refused(err, "cpe", &ce);

			res = res == KK_ENOMEM ? res : r;
		} else {
			p->has_cpe = 1;
		}
	}
	return res;
}

static void prepared_release(struct prepared *p)
{
	free(p->key);
	kk_cpe_release(&p->text_cpe);
	kk_cpe_release(&p->cpe);
}

/* ---- results ---- */

/* The score of a match (vendor_search.h): a name's class sets a band, the
 * similarity of the query to the name its place in the band; a CPE match
 * scores by its relation. */
static int score_of(const struct si_index *ix, const struct si_match *m, const char *key)
{
	static const int band[SI_NCLASS] = { [SI_PREFIX] = 700, [SI_WORD] = 400, [SI_INSIDE] = 100 };
	static const int cpe_score[3] = { 1000, 950, 900 };

	if (!key)
		return cpe_score[m->cls < 3 ? m->cls : 2];
	if (m->cls == SI_EXACT)
		return 1000;
	return band[m->cls] + kk_name_similarity(key, ix->keys + ix->names[m->name].off) * 299 / 1000;
}

static void fill_hit(const struct si_index *ix, const struct si_match *m, const char *key,
		     struct kk_registry_hit *h)
{
	const struct si_entry *e = &ix->entries[m->entry], *v = &ix->entries[e->vendor];

	memset(h, 0, sizeof(*h));
	h->vendor_id = v->id;
	h->vendor_name_ja = v->name_ja;
	h->vendor_name_en = v->name_en;
	if (e->is_product) {
		h->product_id = e->id;
		h->product_name_ja = e->name_ja;
		h->product_name_en = e->name_en;
	}
	h->cpe23 = e->cpe23;
	h->listed_publicly = v->listed_publicly;
	h->last_contact_at = v->last_contact_at;
	h->score = score_of(ix, m, key);
}

enum kk_result kk_registry_search(struct kk_store *s, const struct kk_user *viewer,
				  const struct kk_registry_query *q, struct kk_registry_results *out,
				  struct kk_error *err)
{
	struct prepared p = { .key = NULL };
	struct si_found found = { 0 };
	struct si_index *ix = NULL;
	struct si_filter filter = { NULL };
	size_t limit = q->limit ? q->limit : KK_REGISTRY_LIMIT_DEFAULT;
	enum kk_result res;

	memset(out, 0, sizeof(*out));
	kk_cpe_init(&p.text_cpe);
	kk_cpe_init(&p.cpe);
	/* SPEC 2.5: searching the whole registry is the intake's and coordinator's */
	if (!kk_may(viewer, KK_ACT_REGISTRY_SEARCH, &(struct kk_object){ .vendor_id = 0 }))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	if (limit > KK_REGISTRY_LIMIT_MAX)
		limit = KK_REGISTRY_LIMIT_MAX;
	if ((res = prepare(q, &p, err)))
		goto out;
	if (si_found_init(&found, limit)) {
		res = kk_error_nomem(err);
		goto out;
	}
	if ((res = si_index_acquire(s, &ix, err)))
		goto out;
	if (p.has_text_cpe) {
		filter.cpe = p.has_cpe ? &p.cpe : NULL;
		si_search_cpe(ix, &p.text_cpe, q->vendors_only, &filter, &found);
	} else if (p.key) {
		filter.cpe = p.has_cpe ? &p.cpe : NULL;
		si_search_name(ix, p.key, q->vendors_only, &filter, &found);
	} else {
		si_search_cpe(ix, &p.cpe, q->vendors_only, NULL, &found);
	}
	si_found_sort(&found);
	if (found.n && !(out->hits = kk_calloc(found.n, sizeof(*out->hits)))) {
		res = kk_error_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < found.n; i++)
		fill_hit(ix, &found.best[i], p.has_text_cpe ? NULL : p.key, &out->hits[i]);
	out->n = found.n;
	out->total = found.total;
	out->owner = ix; /* the hits' strings live in the index */
	ix = NULL;
out:
	index_unref(ix);
	si_found_release(&found);
	prepared_release(&p);
	return res;
}

void kk_registry_results_release(struct kk_registry_results *r)
{
	if (!r)
		return;
	free(r->hits);
	index_unref(r->owner);
	memset(r, 0, sizeof(*r));
}

/* ---- JSON ---- */

json_t *kk_registry_hit_json(const struct kk_registry_hit *h, const char *lang)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:i}", "vendor_id",
			 (json_int_t)h->vendor_id, "vendor_name",
			 kk_json_str_or_null(kk_vendor_name_in(lang, h->vendor_name_ja, h->vendor_name_en)), "vendor_name_ja",
			 kk_json_str_or_null(h->vendor_name_ja), "vendor_name_en", kk_json_str_or_null(h->vendor_name_en), "product_id",
			 h->product_id ? json_integer(h->product_id) : json_null(), "product_name",
			 kk_json_str_or_null(kk_vendor_name_in(lang, h->product_name_ja, h->product_name_en)), "product_name_ja",
			 kk_json_str_or_null(h->product_name_ja), "product_name_en", kk_json_str_or_null(h->product_name_en), "cpe",
			 kk_json_str_or_null(h->cpe23), "listed_publicly", h->listed_publicly, "last_contact_at",
			 kk_json_time(h->last_contact_at), "score", h->score);
}
