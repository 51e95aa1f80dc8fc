/*
 * search_query.c: answering a query on the registry's search index
 * (search_index.h; SPEC 2.5: finding the vendor of a product by name or CPE):
 * the best `limit` matches kept in a bounded heap, all counted; a CPE query
 * matched by NISTIR 7696 on the entries its vendor or product value narrows
 * to; a name query checked on the posting list of its rarest byte pair or
 * triple, or, for a key whose list is exact, counted from the list and ranked
 * from the names in key order. docs/internals/vendor-search.md explains the
 * choices. Nothing here allocates but the heap and a scratch list.
 */
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/fold.h"
#include "search_index.h"

/* ---- the matches kept: a max-heap of the best `limit` by rank ---- */

int si_found_init(struct si_found *f, size_t limit)
{
	memset(f, 0, sizeof(*f));
	f->limit = limit;
	f->best = kk_malloc((limit + 1) * sizeof(*f->best));
	return f->best ? 0 : KK_ENOMEM;
}

void si_found_release(struct si_found *f)
{
	free(f->best);
	f->best = NULL;
	f->n = 0;
}

static void sift_down(struct si_match *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct si_match t;

		if (l < n && h[l].rank > h[m].rank)
			m = l;
		if (r < n && h[r].rank > h[m].rank)
			m = r;
		if (m == i)
			return;
		t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

static void found_add(struct si_found *f, const struct si_match *m)
{
	size_t i;

	f->total++;
	if (f->n < f->limit) {
		i = f->n++;
		f->best[i] = *m;
		while (i > 0 && f->best[(i - 1) / 2].rank < f->best[i].rank) {
			struct si_match t = f->best[i];

			f->best[i] = f->best[(i - 1) / 2];
			f->best[(i - 1) / 2] = t;
			i = (i - 1) / 2;
		}
	} else if (f->limit && m->rank < f->best[0].rank) {
		f->best[0] = *m;
		sift_down(f->best, f->n, 0);
	}
}

static int cmp_match(const void *a, const void *b)
{
	uint64_t x = ((const struct si_match *)a)->rank, y = ((const struct si_match *)b)->rank;

	return (x > y) - (x < y);
}

void si_found_sort(struct si_found *f)
{
	qsort(f->best, f->n, sizeof(*f->best), cmp_match);
}

/* rank: class, then the shorter key (code points, then bytes), then the
 * entry (its id order); smaller is better */
static uint64_t rank_of(unsigned cls, const struct si_name *nm, uint32_t entry)
{
	uint64_t chars = nm && nm->chars < 0xfff ? nm->chars : (nm ? 0xfff : 0);
	uint64_t len = nm && nm->len < 0xffff ? nm->len : (nm ? 0xffff : 0);

	return (uint64_t)cls << 60 | chars << 44 | len << 28 | (entry & 0xfffffff);
}

/* ---- CPE matching ---- */

/* Attributes of a name that are ANY (0-11). */
static unsigned any_count(const struct kk_cpe *c)
{
	unsigned n = 0;

	for (int a = 0; a < KK_CPE_NATTR; a++)
		n += c->attr[a].kind == KK_CPE_ANY;
	return n;
}

int si_cpe_matches(const struct si_index *ix, uint32_t e, const struct kk_cpe *pattern, int *rel)
{
	unsigned bits;

	if (!ix->entries[e].has_cpe)
		return 0;
	bits = kk_cpe_match(pattern, &ix->cpes[e], NULL);
	if (bits & KK_CPE_F_EQUAL)
		*rel = 0;
	else if (bits & KK_CPE_F_SUPERSET)
		*rel = 1;
	else if (bits & KK_CPE_F_SUBSET)
		*rel = 2;
	else
		return 0;
	return 1;
}

/* What a CPE search needs besides the index. */
struct cpe_query {
	const struct kk_cpe *pattern;
	int vendors_only;
	const struct si_filter *filter;
};

static void try_cpe(const struct si_index *ix, uint32_t e, const struct cpe_query *q, struct si_found *f)
{
	const struct si_entry *en = &ix->entries[e];
	struct si_match m;
	int rel, frel;

	if ((q->vendors_only && en->is_product) || !si_cpe_matches(ix, e, q->pattern, &rel))
		return;
	if (q->filter && q->filter->cpe && !si_cpe_matches(ix, e, q->filter->cpe, &frel))
		return;
	m.entry = e;
	m.name = en->first_name < ix->nnames && ix->names[en->first_name].entry == e ? en->first_name : UINT32_MAX;
	m.cls = rel;
	/* within a relation the more specific name first (fewer ANY attributes:
	 * a product before its vendor), then the shorter name */
	m.rank = rank_of((unsigned)rel, m.name == UINT32_MAX ? NULL : &ix->names[m.name], e) |
		 (uint64_t)any_count(&ix->cpes[e]) << 56;
	found_add(f, &m);
}

static void try_members(const struct si_index *ix, const struct si_attr_map *m, int64_t g,
			const struct cpe_query *q, struct si_found *f)
{
	if (g >= 0)
		for (uint32_t i = m->start[g]; i < m->start[g + 1]; i++)
			try_cpe(ix, m->members[i], q, f);
	for (uint32_t i = 0; i < m->nother; i++)
		try_cpe(ix, m->other[i], q, f);
}

enum kk_result si_search_cpe(const struct si_index *ix, const struct kk_cpe *pattern, int vendors_only,
			     const struct si_filter *filter, struct si_found *f)
{
	const struct kk_cpe_value *v = &pattern->attr[KK_CPE_VENDOR], *p = &pattern->attr[KK_CPE_PRODUCT];
	const struct cpe_query q = { pattern, vendors_only, filter };

	if (si_literal(v)) {
		try_members(ix, &ix->by_vendor, si_map_find(&ix->by_vendor, v), &q, f);
	} else if (si_literal(p)) {
		try_members(ix, &ix->by_product, si_map_find(&ix->by_product, p), &q, f);
	} else if (v->kind != KK_CPE_ANY) {
		/* a vendor with wild cards (or NA): the groups whose value it may match */
		const struct si_attr_map *m = &ix->by_vendor;

		for (uint32_t g = 0; g < m->ngroups; g++) {
			const struct kk_cpe_value *gv = &ix->cpes[m->members[m->start[g]]].attr[KK_CPE_VENDOR];

			if (kk_cpe_compare_value(v, gv) != KK_CPE_DISJOINT)
				for (uint32_t i = m->start[g]; i < m->start[g + 1]; i++)
					try_cpe(ix, m->members[i], &q, f);
		}
		for (uint32_t i = 0; i < m->nother; i++)
			try_cpe(ix, m->other[i], &q, f);
	} else {
		for (uint32_t e = 0; e < ix->nentries; e++)
			try_cpe(ix, e, &q, f);
	}
	return KK_OK;
}

/* ---- name matching ---- */

/* A byte before which a word starts: white space, ASCII punctuation, or the
 * end of "・". */
static int word_break_before(const char *key, size_t pos)
{
	unsigned char c = (unsigned char)key[pos - 1];

	if (c < 0x80)
		return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
	return pos >= 3 && memcmp(key + pos - 3, "\xe3\x83\xbb", 3) == 0;
}

/* How name n holds key (qlen bytes): an enum si_class, or SI_NCLASS when not.
 * Keys are short, so one pass of plain byte compares beats memmem's set-up;
 * a place where a word starts ends the search, as only the start is better. */
static int classify(const struct si_index *ix, uint32_t n, const char *key, size_t qlen)
{
	const char *hay = ix->keys + ix->names[n].off;
	size_t hlen = ix->names[n].len;
	char c0 = key[0], c1 = qlen > 1 ? key[1] : 0;
	int best = SI_NCLASS;

	if (qlen > hlen)
		return SI_NCLASS;
	if (memcmp(hay, key, qlen) == 0)
		return qlen == hlen ? SI_EXACT : SI_PREFIX;
	for (size_t i = 1; i + qlen <= hlen; i++) {
		if (hay[i] != c0 || (qlen > 1 && (hay[i + 1] != c1 || memcmp(hay + i + 2, key + 2, qlen - 2) != 0)))
			continue;
		if (word_break_before(hay, i))
			return SI_WORD;
		best = SI_INSIDE;
	}
	return best;
}

/* The best match of one entry so far, while its names are looked at. */
struct pending {
	struct si_match m;
	int set;
};

static void flush(const struct si_index *ix, struct pending *pd, const struct si_filter *filter,
		  struct si_found *f)
{
	int rel;

	if (!pd->set)
		return;
	pd->set = 0;
	if (filter && filter->cpe && !si_cpe_matches(ix, pd->m.entry, filter->cpe, &rel))
		return;
	found_add(f, &pd->m);
}

static void consider(const struct si_index *ix, uint32_t n, const char *key, size_t qlen,
		     struct pending *pd, const struct si_filter *filter, struct si_found *f)
{
	int cls = classify(ix, n, key, qlen);
	uint32_t e = ix->names[n].entry;
	uint64_t rank;

	if (cls == SI_NCLASS)
		return;
	rank = rank_of((unsigned)cls, &ix->names[n], e);
	if (pd->set && pd->m.entry == e) {
		if (rank < pd->m.rank) {
			pd->m.rank = rank;
			pd->m.name = n;
			pd->m.cls = cls;
		}
		return;
	}
	flush(ix, pd, filter, f);
	pd->m = (struct si_match){ .rank = rank, .entry = e, .name = n, .cls = cls };
	pd->set = 1;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct si_match *x = a, *y = b;

	if (x->entry != y->entry)
		return (x->entry > y->entry) - (x->entry < y->entry);
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* 1 when entry e is among the n entries of m (sorted by entry). */
static int has_entry(const struct si_match *m, size_t n, uint32_t e)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m[mid].entry < e)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && m[lo].entry == e;
}

/* The matches of an exact list whose names do not start with the key (those
 * of the entries in done were found by their start): each can only be a word
 * start or inside, so a name whose best possible rank cannot enter the kept
 * matches is not even looked at. */
static void rest_of_list(const struct si_index *ix, const char *key, size_t qlen, uint32_t end,
			 const uint32_t *list, uint32_t nlist, const struct si_match *done, size_t ndone,
			 struct si_found *f)
{
	struct si_match cur = { 0 };
	int have = 0;

	for (uint32_t i = 0; i <= nlist; i++) {
		uint32_t id = i < nlist ? list[i] : UINT32_MAX, e;
		const struct si_name *nm;
		uint64_t rank;
		int cls;

		if (id >= end) { /* the end: keep the last entry's best */
			if (have)
				found_add(f, &cur);
			break;
		}
		nm = &ix->names[id];
		e = nm->entry;
		if (have && cur.entry != e) {
			found_add(f, &cur);
			have = 0;
		}
		if (has_entry(done, ndone, e))
			continue;
		rank = rank_of(SI_WORD, nm, e);
		if ((f->n == f->limit && rank >= f->best[0].rank) || (have && rank >= cur.rank))
			continue; /* even as a word start it would not count */
		if ((cls = classify(ix, id, key, qlen)) == SI_NCLASS)
			continue;
		rank = rank_of((unsigned)cls, nm, e);
		if (!have || rank < cur.rank) {
			cur = (struct si_match){ .rank = rank, .entry = e, .name = id, .cls = cls };
			have = 1;
		}
	}
}

/*
 * A key of one or two bytes is in most names ("e" in 70,000), and looking at
 * each costs milliseconds. The byte and pair lists are exact (not hashed), and
 * so is the list of a triple alone in its bucket, so the entries on such a
 * list are the matches and only need counting. The best matches are those
 * whose name starts with the key (one range of the names in key order), then
 * the others on the list (rest_of_list). Returns 1 when done, -1 without
 * memory.
 */
static int search_short(const struct si_index *ix, const char *key, size_t qlen, uint32_t end,
			const uint32_t *list, uint32_t nlist, struct si_found *f)
{
	struct si_match *m = NULL;
	size_t n = 0, cap = 0, distinct = 0, total = 0;
	uint32_t lo = 0, hi = ix->nnames, prev = UINT32_MAX;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->keys + ix->names[ix->sorted[mid]].off, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < ix->nnames; lo++) {
		uint32_t id = ix->sorted[lo];
		const struct si_name *nm = &ix->names[id];

		if (nm->len < qlen || memcmp(ix->keys + nm->off, key, qlen) != 0)
			break;
		if (id >= end)
			continue;
		if (si_grow((void **)&m, &cap, n, sizeof(*m))) {
			free(m);
			return -1;
		}
		m[n].entry = nm->entry;
		m[n].name = id;
		m[n].cls = nm->len == qlen ? SI_EXACT : SI_PREFIX;
		m[n].rank = rank_of((unsigned)m[n].cls, nm, nm->entry);
		n++;
	}
	if (n)
		qsort(m, n, sizeof(*m), cmp_entry);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || m[i].entry != m[i - 1].entry) {
			found_add(f, &m[i]);
			m[distinct++] = m[i]; /* m[0 .. distinct): the entries found, by entry */
		}
	if (distinct < f->limit)
		rest_of_list(ix, key, qlen, end, list, nlist, m, distinct, f);
	free(m);
	for (uint32_t i = 0; i < nlist && list[i] < end; i++) {
		uint32_t e = ix->names[list[i]].entry;

		total += e != prev;
		prev = e;
	}
	f->total = total;
	return 1;
}

enum kk_result si_search_name(const struct si_index *ix, const char *key, int vendors_only,
			      const struct si_filter *filter, struct si_found *f)
{
	size_t qlen = strlen(key);
	uint32_t end = vendors_only ? ix->nvendor_names : ix->nnames;
	const uint32_t *list = NULL;
	uint32_t nlist = 0;
	struct pending pd = { 0 };

	if (qlen == 0)
		return KK_OK;
	if (qlen <= 2) {
		uint32_t g = qlen == 1 ? (unsigned char)key[0] : si_pair_of((const unsigned char *)key);

		list = qlen == 1 ? ix->post1 + ix->start1[g] : ix->post2 + ix->start2[g];
		nlist = qlen == 1 ? ix->start1[g + 1] - ix->start1[g] : ix->start2[g + 1] - ix->start2[g];
		if (!(filter && filter->cpe)) {
			int r = search_short(ix, key, qlen, end, list, nlist, f);

			return r < 0 ? KK_ENOMEM : KK_OK;
		}
	} else if (qlen == 3 && !(filter && filter->cpe) &&
		   ix->tri_value[si_triple_of((const unsigned char *)key)] ==
			   ((uint32_t)(unsigned char)key[0] << 16 | (uint32_t)(unsigned char)key[1] << 8 |
			    (unsigned char)key[2]) + 1) {
		/* one character of Japanese script, say: its list is exact */
		uint32_t g = si_triple_of((const unsigned char *)key);
		int r;

		list = ix->post3 + ix->start3[g];
		nlist = ix->start3[g + 1] - ix->start3[g];
		r = search_short(ix, key, qlen, end, list, nlist, f);
		return r < 0 ? KK_ENOMEM : KK_OK;
	} else if (qlen >= 3) {
		/* the rarest triple of the key narrows most */
		for (size_t i = 0; i + 3 <= qlen; i++) {
			uint32_t g = si_triple_of((const unsigned char *)key + i);
			uint32_t n = ix->start3[g + 1] - ix->start3[g];

			if (!list || n < nlist) {
				list = ix->post3 + ix->start3[g];
				nlist = n;
			}
		}
	}
	if (list) {
		for (uint32_t i = 0; i < nlist && list[i] < end; i++)
			consider(ix, list[i], key, qlen, &pd, filter, f);
	} else {
		for (uint32_t n = 0; n < end; n++)
			consider(ix, n, key, qlen, &pd, filter, f);
	}
	flush(ix, &pd, filter, f);
	return KK_OK;
}
