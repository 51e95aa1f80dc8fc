/*
 * search_index.c: building the registry's search index and searching it
 * (search_index.h; SPEC 2.5: finding the vendor of a product by name or CPE).
 *
 * The build reads every vendor, alias, product and linked component once
 * (lib/store/registry_index.c), folds each name with kk_fold into one buffer
 * of keys (and, from that key, its ranking key with kk_fold_company_key),
 * indexes the byte pairs and hashed byte triples of each key (posting lists in
 * name order), parses every CPE name once and groups the entries by their CPE
 * vendor and product values. A name query looks up the rarest pair or triple
 * of its key and checks each name on that list with memmem; a CPE query
 * matches only the entries whose vendor (or product) value can match the
 * pattern's (search_query.c). Nothing here takes a lock: an index does not
 * change once built.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/registry_index.h"
#include "store/vendors.h"
#include "keikai/alloc.h"
#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "search_index.h"

/* ---- an arena for the strings of one index ---- */

#define ARENA_CHUNK (256 * 1024)

struct si_chunk {
	struct si_chunk *next;
	size_t used, size;
	char data[];
};

struct si_arena {
	struct si_chunk *head;
};

static char *arena_dup(struct si_arena *a, const char *s)
{
	size_t n;
	struct si_chunk *c;
	char *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		if (!(c = kk_malloc(sizeof(*c) + size)))
			return NULL;
		c->next = a->head;
		c->used = 0;
		c->size = size;
		a->head = c;
	}
	p = c->data + c->used;
	memcpy(p, s, n);
	c->used += n;
	return p;
}

static void arena_free(struct si_arena *a)
{
	struct si_chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

/* ---- growable arrays ---- */

/* Makes room for one more element in *arr (of *cap, elem bytes each). 0 or -1. */
int si_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	void *p;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : 1024;
	if (!(p = kk_realloc(*arr, c * elem)))
		return -1;
	*arr = p;
	*cap = c;
	return 0;
}

/* ---- reading the rows ---- */

struct alias {
	uint32_t vendor;
	const char *alias;
};

struct builder {
	struct si_index *ix;
	size_t cap_entries, cap_links;
	struct alias *aliases;
	size_t naliases, cap_aliases;
	struct kk_error *err;
};

static enum kk_result oom(struct kk_error *err)
{
	return kk_error_nomem(err);
}

/* The entry of id among entries [lo, end) (sorted by id: vendors, or products), or -1. */
static int64_t find_entry(const struct si_index *ix, uint32_t lo, uint32_t end, int64_t id)
{
	uint32_t hi = end;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ix->entries[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < end && ix->entries[lo].id == id ? (int64_t)lo : -1;
}

static int64_t vendor_entry(const struct si_index *ix, int64_t id)
{
	return find_entry(ix, 0, ix->nvendors, id);
}

const struct si_entry *si_vendor(const struct si_index *ix, int64_t id)
{
	int64_t e = vendor_entry(ix, id);

	return e < 0 ? NULL : &ix->entries[e];
}

const struct si_entry *si_product(const struct si_index *ix, int64_t id)
{
	int64_t e = find_entry(ix, ix->nvendors, ix->nentries, id);

	return e < 0 ? NULL : &ix->entries[e];
}

static enum kk_result add_entry(struct builder *b, int64_t id, const char *ja, const char *en, const char *cpe,
				struct si_entry **out)
{
	struct si_index *ix = b->ix;
	struct si_entry *e;

	if (si_grow((void **)&ix->entries, &b->cap_entries, ix->nentries, sizeof(*ix->entries)))
		return oom(b->err);
	e = &ix->entries[ix->nentries];
	memset(e, 0, sizeof(*e));
	e->id = id;
	if ((ja && !(e->name_ja = arena_dup(ix->arena, ja))) || (en && !(e->name_en = arena_dup(ix->arena, en))) ||
	    (cpe && !(e->cpe23 = arena_dup(ix->arena, cpe))))
		return oom(b->err);
	*out = e;
	ix->nentries++;
	return KK_OK;
}

static enum kk_result on_vendor(void *arg, const struct kk_registry_vendor_row *row)
{
	struct builder *b = arg;
	struct si_entry *e = NULL;
	enum kk_result res = add_entry(b, row->id, row->name_ja, row->name_en, row->cpe23, &e);

	if (res)
		return res;
	e->vendor = b->ix->nentries - 1;
	e->listed_publicly = row->listed_publicly;
	e->last_contact_at = row->last_contact_at;
	b->ix->nvendors++;
	return KK_OK;
}

static enum kk_result on_alias(void *arg, const struct kk_registry_alias_row *row)
{
	struct builder *b = arg;
	int64_t v = vendor_entry(b->ix, row->vendor_id);

	if (v < 0 || !row->alias)
		return KK_OK; /* a vendor added after the vendors were read */
	if (si_grow((void **)&b->aliases, &b->cap_aliases, b->naliases, sizeof(*b->aliases)))
		return oom(b->err);
	b->aliases[b->naliases].vendor = (uint32_t)v;
	if (!(b->aliases[b->naliases].alias = arena_dup(b->ix->arena, row->alias)))
		return oom(b->err);
	b->naliases++;
	return KK_OK;
}

static enum kk_result on_product(void *arg, const struct kk_registry_product_row *row)
{
	struct builder *b = arg;
	int64_t v = vendor_entry(b->ix, row->vendor_id);
	struct si_entry *e = NULL;
	enum kk_result res;

	if (v < 0)
		return KK_OK; /* its vendor was added after the vendors were read */
	if ((res = add_entry(b, row->id, row->name_ja, row->name_en, row->cpe23, &e)))
		return res;
	e->is_product = 1;
	e->vendor = (uint32_t)v;
	e->listed_publicly = b->ix->entries[v].listed_publicly;
	e->last_contact_at = b->ix->entries[v].last_contact_at;
	return KK_OK;
}

static enum kk_result on_link(void *arg, const struct kk_registry_link_row *row)
{
	struct builder *b = arg;
	struct si_index *ix = b->ix;
	int64_t p = find_entry(ix, ix->nvendors, ix->nentries, row->product_id);

	if (p < 0)
		return KK_OK; /* a product added after the products were read */
	if (si_grow((void **)&ix->links, &b->cap_links, ix->nlinks, sizeof(*ix->links)))
		return oom(b->err);
	ix->links[ix->nlinks].entry = (uint32_t)p;
	if (!(ix->links[ix->nlinks].match_key = arena_dup(ix->arena, row->match_key)))
		return oom(b->err);
	ix->nlinks++;
	return KK_OK;
}

/* Reads the version, then every row, in tx. */
static enum kk_result read_rows(struct kk_tx *tx, struct builder *b, struct kk_error *err)
{
	enum kk_result res = kk_vendors_registry_version(tx, &b->ix->version, err);

	if (!res)
		res = kk_registry_read_vendors(tx, on_vendor, b, err);
	if (!res)
		res = kk_registry_read_aliases(tx, on_alias, b, err);
	if (!res)
		res = kk_registry_read_products(tx, on_product, b, err);
	if (!res)
		res = kk_registry_read_links(tx, on_link, b, err);
	return res;
}

/* ---- the keys ---- */

struct keybuf {
	char *data;
	size_t len, cap;
	size_t cap_names;
};

/* Code points of key (len bytes) other than spaces. */
static uint32_t count_chars(const char *key, size_t len)
{
	uint32_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)key[i] & 0xc0) != 0x80 && key[i] != ' ';
	return n;
}

/* The ranking key of the name whose kk_fold key is key (kk_fold_company_key),
 * in the index's arena, into *rank; NULL when it is empty or refused. */
static enum kk_result rank_key(struct si_index *ix, const char *key, const char **rank, struct kk_error *err)
{
	struct kk_error ferr = KK_ERROR_INIT;
	enum kk_result res;
	char *ck = NULL;

	*rank = NULL;
	res = kk_fold_company_key(key, &ck, &ferr);
	kk_error_release(&ferr);
	if (res == KK_ENOMEM)
		return oom(err);
	if (res == KK_OK && *ck)
		*rank = arena_dup(ix->arena, ck);
	res = res == KK_OK && *ck && !*rank ? oom(err) : KK_OK;
	free(ck);
	return res;
}

/* Adds the key of name to entry e, unless the name is NULL, folds to nothing,
 * or has the key of a name of e already added. A name kk_fold refuses (not
 * UTF-8, too long) cannot be searched and is left out. When rank is not NULL,
 * *rank gets the name's ranking key (rank_key), also for a name left out as a
 * repeat. */
static enum kk_result add_name(struct si_index *ix, struct keybuf *kb, uint32_t e, const char *name,
			       const char **rank, struct kk_error *err)
{
	struct kk_error ferr = KK_ERROR_INIT;
	enum kk_result res;
	struct si_name *nm;
	char *key = NULL;
	size_t len;

	if (rank)
		*rank = NULL;
	if (!name)
		return KK_OK;
	res = kk_fold(name, &key, &ferr);
	kk_error_release(&ferr);
	if (res == KK_ENOMEM)
		return oom(err);
	if (res || !*key) {
		free(key);
		return KK_OK;
	}
	if (rank && (res = rank_key(ix, key, rank, err))) {
		free(key);
		return res;
	}
	len = strlen(key);
	for (uint32_t i = ix->entries[e].first_name; i < ix->nnames; i++)
		if (ix->names[i].len == len && memcmp(kb->data + ix->names[i].off, key, len) == 0) {
			free(key);
			return KK_OK;
		}
	if (si_grow((void **)&ix->names, &kb->cap_names, ix->nnames, sizeof(*ix->names)))
		goto nomem;
	while (kb->len + len + 1 > kb->cap) {
		size_t c = kb->cap ? kb->cap * 2 : 1 << 20;
		char *p = kk_realloc(kb->data, c);

		if (!p)
			goto nomem;
		kb->data = p;
		kb->cap = c;
	}
	nm = &ix->names[ix->nnames++];
	nm->off = (uint32_t)kb->len;
	nm->len = (uint32_t)len;
	nm->chars = count_chars(key, len);
	nm->entry = e;
	memcpy(kb->data + kb->len, key, len + 1);
	kb->len += len + 1;
	free(key);
	return KK_OK;
nomem:
	free(key);
	return oom(err);
}

/* The value of attribute attr of entry e's CPE name as a name
 * ("sample_denki" is "sample denki", quoting dropped) into buf, or NULL when
 * it has none, or one with wild cards or longer than buf. A vendor MyJVN names
 * only in Japanese is so found by the name it has in CPE names ("microsoft"
 * finds マイクロソフト). */
static const char *cpe_attr_name(const struct si_index *ix, uint32_t e, int attr, char *buf, size_t size)
{
	const struct kk_cpe_value *v = &ix->cpes[e].attr[attr];
	size_t o = 0;

	if (!ix->entries[e].has_cpe || !si_literal(v) || v->len >= size)
		return NULL;
	for (unsigned i = 0; i < v->len; i++) {
		char c = v->str[i];

		if (c == '\\' && i + 1 < v->len)
			c = v->str[++i];
		buf[o++] = c == '_' ? ' ' : c;
	}
	buf[o] = '\0';
	return buf;
}

/* The ranking key of a product's CPE product value (cpe_attr_name), which is
 * not one of its searched names, into its cpe_name_key. */
static enum kk_result product_cpe_key(struct si_index *ix, uint32_t e, char *buf, size_t size,
				      struct kk_error *err)
{
	const char *name = cpe_attr_name(ix, e, KK_CPE_PRODUCT, buf, size);
	struct kk_error ferr = KK_ERROR_INIT;
	enum kk_result res;
	char *key = NULL;

	if (!name)
		return KK_OK;
	res = kk_fold(name, &key, &ferr);
	kk_error_release(&ferr);
	if (res == KK_ENOMEM)
		return oom(err);
	res = res || !*key ? KK_OK : rank_key(ix, key, &ix->ranks[e].cpe_name_key, err);
	free(key);
	return res;
}

static enum kk_result build_names(struct si_index *ix, const struct builder *b, struct kk_error *err)
{
	char cpe_name[KK_FOLD_MAX + 1];
	struct keybuf kb = { 0 };
	enum kk_result res = KK_OK;
	size_t a = 0;

	if (!(ix->ranks = kk_calloc((size_t)ix->nentries + 1, sizeof(*ix->ranks))))
		return oom(err);
	for (uint32_t e = 0; e < ix->nentries && !res; e++) {
		struct si_entry *en = &ix->entries[e];
		struct si_rank *rk = &ix->ranks[e];

		if (e == ix->nvendors)
			ix->nvendor_names = ix->nnames;
		en->first_name = ix->nnames;
		res = add_name(ix, &kb, e, en->name_ja, &rk->key_ja, err);
		if (!res)
			res = add_name(ix, &kb, e, en->name_en, &rk->key_en, err);
		/* aliases are read in their vendors' order, the order of the entries */
		while (!res && e < ix->nvendors && a < b->naliases && b->aliases[a].vendor == e)
			res = add_name(ix, &kb, e, b->aliases[a++].alias, NULL, err);
		if (!res && e < ix->nvendors)
			res = add_name(ix, &kb, e, cpe_attr_name(ix, e, KK_CPE_VENDOR, cpe_name, sizeof(cpe_name)),
				       &rk->cpe_name_key, err);
		else if (!res)
			res = product_cpe_key(ix, e, cpe_name, sizeof(cpe_name), err);
	}
	if (ix->nentries == ix->nvendors)
		ix->nvendor_names = ix->nnames;
	ix->keys = kb.data;
	ix->keys_len = kb.len;
	return res;
}

/* ---- the names in the order of their keys, for prefix ranges ---- */

static int cmp_name_key(const void *a, const void *b, void *arg)
{
	const struct si_index *ix = arg;

	return strcmp(ix->keys + ix->names[*(const uint32_t *)a].off, ix->keys + ix->names[*(const uint32_t *)b].off);
}

/* ix->sorted: the name ids in the order of their keys. */
static enum kk_result sort_names(struct si_index *ix, struct kk_error *err)
{
	if (!(ix->sorted = kk_malloc(((size_t)ix->nnames + 1) * sizeof(*ix->sorted))))
		return oom(err);
	for (uint32_t n = 0; n < ix->nnames; n++)
		ix->sorted[n] = n;
	qsort_r(ix->sorted, ix->nnames, sizeof(*ix->sorted), cmp_name_key, ix);
	return KK_OK;
}

/* ---- posting lists of byte pairs and triples ---- */

/* Fills start/post for grams of width w (1, 2 or 3) over buckets slots. */
static enum kk_result build_postings(struct si_index *ix, int w, uint32_t buckets, uint32_t **startp,
				     uint32_t **postp, struct kk_error *err)
{
	uint32_t *start = kk_calloc((size_t)buckets + 1, sizeof(*start));
	uint32_t *last = kk_calloc(buckets, sizeof(*last));
	uint32_t *post = NULL, *fill = NULL;
	enum kk_result res = KK_OK;

	if (!start || !last)
		goto nomem;
	/* count each gram once per name (last: name + 1 that counted it) */
	for (uint32_t n = 0; n < ix->nnames; n++) {
		const unsigned char *k = (const unsigned char *)ix->keys + ix->names[n].off;

		for (uint32_t i = 0; i + (uint32_t)w <= ix->names[n].len; i++) {
			uint32_t g = w == 1 ? k[i] : w == 2 ? si_pair_of(k + i) : si_triple_of(k + i);

			if (last[g] != n + 1) {
				last[g] = n + 1;
				start[g + 1]++;
			}
		}
	}
	for (uint32_t g = 0; g < buckets; g++)
		start[g + 1] += start[g];
	if (!(post = kk_malloc(((size_t)start[buckets] + 1) * sizeof(*post))) ||
	    !(fill = kk_malloc((size_t)buckets * sizeof(*fill))))
		goto nomem;
	memcpy(fill, start, (size_t)buckets * sizeof(*fill));
	memset(last, 0, (size_t)buckets * sizeof(*last));
	for (uint32_t n = 0; n < ix->nnames; n++) {
		const unsigned char *k = (const unsigned char *)ix->keys + ix->names[n].off;

		for (uint32_t i = 0; i + (uint32_t)w <= ix->names[n].len; i++) {
			uint32_t g = w == 1 ? k[i] : w == 2 ? si_pair_of(k + i) : si_triple_of(k + i);

			if (last[g] != n + 1) {
				last[g] = n + 1;
				post[fill[g]++] = n;
			}
		}
	}
	*startp = start;
	*postp = post;
	start = post = NULL;
	goto out;
nomem:
	res = oom(err);
out:
	free(start);
	free(post);
	free(last);
	free(fill);
	return res;
}

/* ix->tri_value: per triple bucket, the one triple its names hold (+ 1), or
 * UINT32_MAX when several triples share the bucket; a one-triple key whose
 * bucket holds only it has an exact list, like a pair. */
static enum kk_result mark_triples(struct si_index *ix, struct kk_error *err)
{
	if (!(ix->tri_value = kk_calloc((size_t)1 << SI_TRI_BITS, sizeof(*ix->tri_value))))
		return oom(err);
	for (uint32_t n = 0; n < ix->nnames; n++) {
		const unsigned char *k = (const unsigned char *)ix->keys + ix->names[n].off;

		for (uint32_t i = 0; i + 3 <= ix->names[n].len; i++) {
			uint32_t v = ((uint32_t)k[i] << 16 | (uint32_t)k[i + 1] << 8 | k[i + 2]) + 1;
			uint32_t *t = &ix->tri_value[si_triple_of(k + i)];

			*t = *t == 0 || *t == v ? v : UINT32_MAX;
		}
	}
	return KK_OK;
}

/* ---- CPE names, grouped by their vendor and product values ---- */

static uint32_t hash_ci(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 16777619u;
	}
	return h;
}

static int same_ci(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && strncasecmp(a, b, an) == 0;
}

/* The group of value v in m, or -1. */
int64_t si_map_find(const struct si_attr_map *m, const struct kk_cpe_value *v)
{
	uint32_t i, g;

	if (!m->nslots)
		return -1;
	for (i = hash_ci(v->str, v->len) & (m->nslots - 1); (g = m->slot[i]) != 0; i = (i + 1) & (m->nslots - 1))
		if (same_ci(m->value[g - 1], strlen(m->value[g - 1]), v->str, v->len))
			return g - 1;
	return -1;
}

static enum kk_result build_map(struct si_index *ix, int attr, struct si_attr_map *m, struct kk_error *err)
{
	uint32_t *group = kk_malloc(((size_t)ix->nentries + 1) * sizeof(*group)), *fill = NULL;
	enum kk_result res = KK_OK;

	m->nslots = 1024;
	while (m->nslots < 2 * ix->nentries)
		m->nslots *= 2;
	m->slot = kk_calloc(m->nslots, sizeof(*m->slot));
	m->value = kk_calloc((size_t)ix->nentries + 1, sizeof(*m->value));
	m->other = kk_malloc(((size_t)ix->nentries + 1) * sizeof(*m->other));
	if (!group || !m->slot || !m->value || !m->other)
		goto nomem;
	for (uint32_t e = 0; e < ix->nentries; e++) {
		const struct kk_cpe_value *v = &ix->cpes[e].attr[attr];
		int64_t g;
		uint32_t i;

		group[e] = UINT32_MAX;
		if (!ix->entries[e].has_cpe)
			continue;
		if (!si_literal(v)) {
			m->other[m->nother++] = e;
			continue;
		}
		if ((g = si_map_find(m, v)) < 0) {
			for (i = hash_ci(v->str, v->len) & (m->nslots - 1); m->slot[i]; i = (i + 1) & (m->nslots - 1))
				;
			g = m->ngroups++;
			m->slot[i] = (uint32_t)g + 1;
			m->value[g] = v->str;
		}
		group[e] = (uint32_t)g;
	}
	m->start = kk_calloc((size_t)m->ngroups + 1, sizeof(*m->start));
	m->members = kk_malloc(((size_t)ix->nentries + 1) * sizeof(*m->members));
	fill = kk_malloc(((size_t)m->ngroups + 1) * sizeof(*fill));
	if (!m->start || !m->members || !fill)
		goto nomem;
	for (uint32_t e = 0; e < ix->nentries; e++)
		if (group[e] != UINT32_MAX)
			m->start[group[e] + 1]++;
	for (uint32_t g = 0; g < m->ngroups; g++)
		m->start[g + 1] += m->start[g];
	memcpy(fill, m->start, (size_t)m->ngroups * sizeof(*fill));
	for (uint32_t e = 0; e < ix->nentries; e++)
		if (group[e] != UINT32_MAX)
			m->members[fill[group[e]]++] = e;
	goto out;
nomem:
	res = oom(err);
out:
	free(group);
	free(fill);
	return res;
}

static void map_free(struct si_attr_map *m)
{
	free(m->slot);
	free(m->value);
	free(m->start);
	free(m->members);
	free(m->other);
}

/* Parses every entry's CPE name; one the CPE module refuses (stored before
 * names were checked) is left out of CPE searches. */
static enum kk_result parse_cpes(struct si_index *ix, struct kk_error *err)
{
	if (!(ix->cpes = kk_malloc(((size_t)ix->nentries + 1) * sizeof(*ix->cpes))))
		return oom(err);
	for (uint32_t e = 0; e < ix->nentries; e++) {
		struct kk_cpe_error cerr;
		enum kk_result res;

		kk_cpe_init(&ix->cpes[e]);
		if (!ix->entries[e].cpe23)
			continue;
		res = kk_cpe_parse(ix->entries[e].cpe23, &ix->cpes[e], &cerr);
		if (res == KK_ENOMEM) {
			for (uint32_t i = e + 1; i < ix->nentries; i++)
				kk_cpe_init(&ix->cpes[i]);
			return oom(err);
		}
		ix->entries[e].has_cpe = res == KK_OK;
	}
	return KK_OK;
}

/* ---- build ---- */

enum kk_result si_index_build(struct kk_store *s, struct si_index **out, struct kk_error *err)
{
	struct kk_tx tx;
	enum kk_result res = kk_tx_begin(s, 0, &tx, err);

	*out = NULL;
	if (res)
		return res;
	res = si_index_build_tx(&tx, out, err);
	res = kk_tx_end(&tx, res, err);
	if (res) {
		si_index_free(*out);
		*out = NULL;
	}
	return res;
}

enum kk_result si_index_build_tx(struct kk_tx *tx, struct si_index **out, struct kk_error *err)
{
	struct builder b = { 0 };
	struct si_index *ix = kk_calloc(1, sizeof(*ix));
	struct timespec t0, t1;
	enum kk_result res;

	*out = NULL;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!ix || !(ix->arena = kk_calloc(1, sizeof(*ix->arena)))) {
		free(ix);
		return oom(err);
	}
	b.ix = ix;
	b.err = err;
	res = read_rows(tx, &b, err);
	if (!res)
		res = parse_cpes(ix, err);
	if (!res)
		res = build_names(ix, &b, err);
	if (!res)
		res = sort_names(ix, err);
	if (!res)
		res = build_postings(ix, 1, 1u << 8, &ix->start1, &ix->post1, err);
	if (!res)
		res = build_postings(ix, 2, 1u << 16, &ix->start2, &ix->post2, err);
	if (!res)
		res = build_postings(ix, 3, 1u << SI_TRI_BITS, &ix->start3, &ix->post3, err);
	if (!res)
		res = mark_triples(ix, err);
	if (!res)
		res = build_map(ix, KK_CPE_VENDOR, &ix->by_vendor, err);
	if (!res)
		res = build_map(ix, KK_CPE_PRODUCT, &ix->by_product, err);
	free(b.aliases);
	if (res) {
		si_index_free(ix);
		return res;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ix->build_seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	*out = ix;
	return KK_OK;
}

void si_index_free(struct si_index *ix)
{
	if (!ix)
		return;
	if (ix->cpes)
		for (uint32_t e = 0; e < ix->nentries; e++)
			kk_cpe_release(&ix->cpes[e]);
	free(ix->cpes);
	map_free(&ix->by_vendor);
	map_free(&ix->by_product);
	free(ix->entries);
	free(ix->names);
	free(ix->sorted);
	free(ix->keys);
	free(ix->start1);
	free(ix->post1);
	free(ix->start2);
	free(ix->post2);
	free(ix->tri_value);
	free(ix->start3);
	free(ix->post3);
	free(ix->ranks);
	free(ix->links);
	arena_free(ix->arena);
	free(ix);
}
