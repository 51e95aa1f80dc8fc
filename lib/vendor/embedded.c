/*
 * embedded.c: "which registered products embed X" (composition.h
 * kk_embedded_in; SPEC 2.5: for OSS, the makers of products that embed it
 * and the distributors; SPEC 5 last sentence).
 *
 * Depth 1 is every product with a component that matches the query: by match
 * key (a package URL, optionally of one version), by NISTIR 7696 (a CPE name
 * or pattern against the components' CPE names), or that is a registered
 * product the query names (product=, or a product whose CPE name the query
 * matches). From there the walk climbs, breadth first, to the products that
 * embed a product found: a component row naming it (component_product_id) or
 * named by its CPE key. A product is reported once, at its shortest depth; a
 * product the query itself names is not reported as embedding itself, and a
 * cycle stops where it closes. Rows are gathered into arrays before any is
 * followed, so no two statements are open at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/authz.h"
#include "keikai/composition.h"
#include "keikai/cpe.h"
#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "keikai/purl.h"
#include "keikai/util.h"
#include "store/components.h"


/* A product found, or a product the query names (seed). */
struct found {
	int64_t product_id, via;
	int depth; /* 0: a seed, the thing itself */
	json_t *component;
};

struct walk {
	struct found *items;
	size_t n, cap;
	/* the current step's matches */
	const char *version;   /* the query's version, or NULL */
	struct kk_cpe *query;  /* the query's CPE, or NULL */
	int64_t via;
	int depth;
	int over; /* KK_EMBED_RESULTS_MAX reached */
};

static struct found *find(struct walk *w, int64_t pid)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->items[i].product_id == pid)
			return &w->items[i];
	return NULL;
}

/* Records product pid at the walk's depth unless it is known; -1 without memory. */
static int add(struct walk *w, int64_t pid, json_t *component)
{
	if (find(w, pid)) {
		json_decref(component);
		return 0;
	}
	if (w->n >= KK_EMBED_RESULTS_MAX) {
		w->over = 1;
		json_decref(component);
		return 0;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 16;
		struct found *items = kk_realloc(w->items, cap * sizeof(*items));

		if (!items) {
			json_decref(component);
			return -1;
		}
		w->items = items;
		w->cap = cap;
	}
	w->items[w->n++] = (struct found){ pid, w->depth == 1 ? 0 : w->via, w->depth, component };
	return 0;
}

static json_t *hit_json(const struct kk_component_hit *h)
{
	return json_pack("{s:I, s:s?, s:s?, s:s?, s:s?}", "id", (json_int_t)h->id, "name", h->name, "version",
			 h->version, "purl", h->purl, "cpe", h->cpe23);
}

/* A component row: its product embeds what is looked for (when the version fits). */
static enum kk_result on_hit(void *arg, const struct kk_component_hit *h, struct kk_error *err)
{
	struct walk *w = arg;
	json_t *c = NULL;

	if (w->version && h->version && strcmp(w->version, h->version) != 0)
		return KK_OK;
	if (w->depth == 1 && !(c = hit_json(h)))
		return kk_error_nomem(err);
	return add(w, h->product_id, c) == 0 ? KK_OK : kk_error_nomem(err);
}

/* A component row with a CPE name: kept when it is not disjoint from the query. */
static enum kk_result on_cpe_hit(void *arg, const struct kk_component_hit *h, struct kk_error *err)
{
	struct walk *w = arg;
	struct kk_cpe c;
	struct kk_cpe_error ce;
	enum kk_cpe_relation rel;

	kk_cpe_init(&c);
	if (kk_cpe_parse(h->cpe23, &c, &ce) != KK_OK)
		return ce.code == KK_CPE_ENOMEM ? kk_error_nomem(err) : KK_OK; /* stored ones were checked */
	rel = kk_cpe_compare(w->query, &c);
	kk_cpe_release(&c);
	return rel == KK_CPE_DISJOINT ? KK_OK : on_hit(arg, h, err);
}

/* A registered product matched by the query's CPE: a seed. */
static enum kk_result on_cpe_product(void *arg, const struct kk_product_brief *p, struct kk_error *err)
{
	struct walk *w = arg;
	struct kk_cpe c;
	struct kk_cpe_error ce;
	enum kk_cpe_relation rel;

	kk_cpe_init(&c);
	if (kk_cpe_parse(p->cpe23, &c, &ce) != KK_OK)
		return ce.code == KK_CPE_ENOMEM ? kk_error_nomem(err) : KK_OK;
	rel = kk_cpe_compare(w->query, &c);
	kk_cpe_release(&c);
	if (rel == KK_CPE_DISJOINT)
		return KK_OK;
	return add(w, p->id, NULL) == 0 ? KK_OK : kk_error_nomem(err);
}

static enum kk_result cpe_of(void *arg, const struct kk_product_brief *p, struct kk_error *err)
{
	char **out = arg;

	(void)err;
	*out = p->cpe23 ? kk_strdup(p->cpe23) : NULL;
	return p->cpe23 && !*out ? KK_ENOMEM : KK_OK;
}

/* Adds, at w->depth via product pid, every product that embeds product pid. */
static enum kk_result embedders_of(struct kk_tx *tx, struct walk *w, int64_t pid, struct kk_error *err)
{
	char *cpe = NULL, *key = NULL;
	const char *saved = w->version;
	enum kk_result res;

	w->via = pid;
	w->version = NULL; /* a version names a component, not a registered product */
	res = kk_components_of_product(tx, pid, on_hit, w, err);
	if (!res)
		res = kk_components_products(tx, pid, 0, cpe_of, &cpe, err);
	if (res == KK_ENOMEM)
		kk_error_nomem(err);
	if (!res && cpe && kk_component_key(NULL, cpe, NULL, &key, err) == KK_OK)
		res = kk_components_by_key(tx, key, on_hit, w, err);
	/* a product the query names: also every component its CPE name matches */
	if (!res && cpe && w->depth == 1 && !w->query) {
		struct kk_cpe c;
		struct kk_cpe_error ce;

		kk_cpe_init(&c);
		if (kk_cpe_parse(cpe, &c, &ce) == KK_OK) {
			w->query = &c;
			res = kk_components_with_cpe(tx, on_cpe_hit, w, err);
			w->query = NULL;
		}
		kk_cpe_release(&c);
	}
	w->version = saved;
	free(cpe);
	free(key);
	return res;
}

/* The version a query narrows to: q->version, else the purl's own. */
static enum kk_result query_key(const struct kk_embed_query *q, char **key, char **version, struct kk_error *err)
{
	struct kk_purl p;
	enum kk_result res;

	*key = *version = NULL;
	kk_purl_init(&p);
	res = kk_purl_parse(q->purl, &p, err);
	if (res == KK_EINVAL || res == KK_ETOOBIG) {
		char msg[sizeof(err->msg)];

		snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
		return kk_error_field(err, "purl", "%s", msg);
	}
	if (res)
		return res;
	if (q->version || p.version) {
		*version = kk_strdup(q->version ? q->version : p.version);
		if (!*version)
			res = kk_error_nomem(err);
	}
	kk_purl_release(&p);
	if (!res)
		res = kk_component_key(q->purl, NULL, NULL, key, err);
	return res;
}

static enum kk_result results_json(struct kk_tx *tx, struct walk *w, json_t *arr, struct kk_error *err)
{
	enum kk_result res = KK_OK;

	for (int depth = 1; depth <= KK_EMBED_DEPTH_MAX && !res; depth++)
		for (size_t i = 0; i < w->n && !res; i++) {
			struct found *f = &w->items[i];
			json_t *p = NULL, *d;

			if (f->depth != depth)
				continue;
			res = kk_components_product_json(tx, f->product_id, &p, err);
			if (res == KK_ENOTFOUND) { /* gone meanwhile */
				res = KK_OK;
				continue;
			}
			d = json_array();
			if (!res && !d)
				res = kk_error_nomem(err);
			if (!res)
				res = kk_distributors_list(tx, f->product_id, d, err);
			if (!res && (json_object_set_new(p, "depth", json_integer(depth)) ||
				     json_object_set_new(p, "via", json_integer(f->via)) ||
				     json_object_set(p, "component", f->component ? f->component : json_null()) ||
				     json_object_set(p, "distributors", d) || json_array_append(arr, p)))
				res = kk_error_nomem(err);
			json_decref(d);
			json_decref(p);
		}
	return res;
}

enum kk_result kk_embedded_in_tx(struct kk_tx *tx, const struct kk_embed_query *q, json_t **out,
				 struct kk_error *err)
{
	struct walk w = { 0 };
	struct kk_cpe query;
	struct kk_cpe_error ce;
	char *key = NULL, *version = NULL;
	int given = !!q->purl + !!q->cpe + !!q->product_id + !!q->name;
	size_t from, to;
	enum kk_result res = KK_OK;

	*out = NULL;
	kk_cpe_init(&query);
	if (given != 1)
		return kk_error_field(err, "purl", "%s", _("Give exactly one of purl, cpe, product and name."));
	if (q->version && (kk_str_empty(q->version) || strlen(q->version) > KK_COMPONENT_TEXT_MAX))
		return kk_error_field(err, "version", _("At most %d bytes."), KK_COMPONENT_TEXT_MAX);
	if (q->purl)
		res = query_key(q, &key, &version, err);
	if (q->name && kk_fold(q->name, &key, err) != KK_OK)
		res = kk_error_result(err, KK_EINVAL) == KK_ENOMEM ? KK_ENOMEM
								   : kk_error_field(err, "name", "%s", _("Not a name."));
	if (q->name && q->version && !(version = kk_strdup(q->version)))
		res = kk_error_nomem(err);
	if (q->cpe && kk_cpe_parse(q->cpe, &query, &ce) != KK_OK)
		res = ce.code == KK_CPE_ENOMEM ? kk_error_nomem(err)
					       : kk_error_field(err, "cpe", _("Not a CPE name: %s: %s."),
								ce.attribute >= 0 ? kk_cpe_attr_name(ce.attribute) : "cpe",
								_(kk_cpe_strerror(ce.code)));
	if (q->cpe && !version && q->version && !(version = kk_strdup(q->version)))
		res = kk_error_nomem(err);
	if (res)
		goto out;
	/* the seeds: what the query names itself (depth 0) */
	w.depth = 0;
	if (q->product_id) {
		int64_t owner;

		res = kk_components_product_vendor(tx, q->product_id, &owner, err);
		if (res == KK_ENOTFOUND)
			res = kk_error_field(err, "product", _("There is no product %lld."), (long long)q->product_id);
		if (!res && add(&w, q->product_id, NULL) != 0)
			res = kk_error_nomem(err);
	} else if (q->cpe) {
		w.query = &query;
		res = kk_components_products(tx, 0, 1, on_cpe_product, &w, err);
	}
	/* depth 1: the components that match, and the embedders of the seeds */
	w.depth = 1;
	w.version = version;
	if (!res && key)
		res = kk_components_by_key(tx, key, on_hit, &w, err);
	if (!res && q->cpe)
		res = kk_components_with_cpe(tx, on_cpe_hit, &w, err);
	for (size_t i = 0, seeds = w.n; i < seeds && !res; i++)
		if (w.items[i].depth == 0)
			res = embedders_of(tx, &w, w.items[i].product_id, err);
	/* SPEC 2.5: and on, through every chain of registered products */
	from = 0;
	while (!res && !w.over && w.depth < KK_EMBED_DEPTH_MAX) {
		to = w.n;
		w.depth++;
		for (size_t i = from; i < to && !res; i++)
			if (w.items[i].depth == w.depth - 1 && w.items[i].depth > 0)
				res = embedders_of(tx, &w, w.items[i].product_id, err);
		if (w.n == to)
			break;
		from = to;
	}
	if (!res && !(*out = json_array()))
		res = kk_error_nomem(err);
	if (!res)
		res = results_json(tx, &w, *out, err);
out:
	if (res) {
		json_decref(*out);
		*out = NULL;
	}
	for (size_t i = 0; i < w.n; i++)
		json_decref(w.items[i].component);
	free(w.items);
	free(key);
	free(version);
	kk_cpe_release(&query);
	return res;
}

enum kk_result kk_embedded_in(struct kk_store *s, const struct kk_user *viewer, const struct kk_embed_query *q,
			      json_t **out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res;

	*out = NULL;
	if (!kk_may(viewer, KK_ACT_REGISTRY_SEARCH, NULL))
		return kk_error_set(err, KK_ENOTFOUND, "%s", _("Not found."));
	res = kk_tx_begin(s, 0, &tx, err);
	if (res)
		return res;
	res = kk_embedded_in_tx(&tx, q, out, err);
	return kk_tx_end(&tx, res, err);
}
