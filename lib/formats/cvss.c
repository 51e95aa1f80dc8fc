/*
 * cvss.c: reading and writing CVSS vector strings, shared by all versions: the
 * prefix, the METRIC:VALUE components, every reason a vector is rejected, the
 * canonical form, severity ratings and names.
 *
 * The parser makes one pass over the bytes and allocates nothing. Each component
 * ("AV:N") is looked up whole in a perfect hash of the version's valid components,
 * built once from the metric tables (cvss_impl.h); only a component that is not
 * there takes the general path, which splits it and names the fault. Messages are
 * built only on the error path.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>

#include "cvss_impl.h"
#include "keikai/banned.h"

#ifndef N_
#define N_(s) (s)
#endif

const struct cvss_spec *cvss_spec_of(enum kk_cvss_version v)
{
	switch (v) {
	case KK_CVSS_V2_0:
		return &cvss2_spec;
	case KK_CVSS_V3_0:
		return &cvss30_spec;
	case KK_CVSS_V3_1:
		return &cvss31_spec;
	case KK_CVSS_V4_0:
		return &cvss4_spec;
	}
	return NULL;
}

static uint32_t load_name(const char *p)
{
	uint32_t k;

	memcpy(&k, p, sizeof(k));
	return k;
}

static uint64_t load_value(const char *p)
{
	uint64_t k;

	memcpy(&k, p, sizeof(k));
	return k;
}

/* Copies n bytes at s into dst (size bytes) for a message: cut with "..." when too
 * long, bytes outside printable ASCII shown as '?'. */
static void copy_shown(char *dst, size_t size, const char *s, size_t n)
{
	size_t i, max = size - 1;
	int cut = 0;

	if (n > max) {
		n = max - 3;
		cut = 1;
	}
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		dst[i] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	if (cut) {
		memcpy(dst + i, "...", 3);
		i += 3;
	}
	dst[i] = '\0';
}

size_t kk_cvss_format_error(const struct kk_cvss_error *err,
			    const char *(*translate)(const char *), char *buf, size_t size)
{
	const char *fmt;
	int n;

#define TR(s) (translate ? translate(s) : (s))
	switch (err->code) {
	case KK_CVSS_EOK:
		fmt = TR(N_("no error"));
		n = snprintf(buf, size, "%s", fmt);
		break;
	case KK_CVSS_EEMPTY:
		fmt = TR(N_("empty vector"));
		n = snprintf(buf, size, "%s", fmt);
		break;
	case KK_CVSS_EPREFIX:
		fmt = TR(N_("unknown prefix or version '%s' (expected CVSS:3.0/, CVSS:3.1/, "
			    "CVSS:4.0/ or a v2.0 vector without prefix)"));
		n = snprintf(buf, size, fmt, err->value);
		break;
	case KK_CVSS_EEMPTY_COMPONENT:
		fmt = TR(N_("empty component at offset %zu"));
		n = snprintf(buf, size, fmt, err->offset);
		break;
	case KK_CVSS_ETRAILING_SLASH:
		fmt = TR(N_("trailing slash"));
		n = snprintf(buf, size, "%s", fmt);
		break;
	case KK_CVSS_ESYNTAX:
		fmt = TR(N_("malformed component '%s' (expected METRIC:VALUE)"));
		n = snprintf(buf, size, fmt, err->value);
		break;
	case KK_CVSS_EUNKNOWN_METRIC:
		fmt = TR(N_("unknown metric '%s'"));
		n = snprintf(buf, size, fmt, err->value);
		break;
	case KK_CVSS_EDUPLICATE:
		fmt = TR(N_("duplicate metric %s"));
		n = snprintf(buf, size, fmt, err->metric);
		break;
	case KK_CVSS_EORDER:
		fmt = TR(N_("metric %s out of order (CVSS v4.0 requires it before %s)"));
		n = snprintf(buf, size, fmt, err->metric, err->value);
		break;
	case KK_CVSS_EBAD_VALUE:
		fmt = TR(N_("bad value '%s' for metric %s"));
		n = snprintf(buf, size, fmt, err->value, err->metric);
		break;
	case KK_CVSS_EMISSING:
		fmt = TR(N_("missing mandatory metric %s"));
		n = snprintf(buf, size, fmt, err->metric);
		break;
	default:
		fmt = TR(N_("unknown error"));
		n = snprintf(buf, size, "%s", fmt);
		break;
	}
#undef TR
	return n < 0 ? 0 : (size_t)n;
}

const char *kk_cvss_strerror(enum kk_cvss_errcode code)
{
	switch (code) {
	case KK_CVSS_EOK:
		return N_("no error");
	case KK_CVSS_EEMPTY:
		return N_("empty vector");
	case KK_CVSS_EPREFIX:
		return N_("wrong prefix or unknown version");
	case KK_CVSS_EEMPTY_COMPONENT:
		return N_("empty component");
	case KK_CVSS_ETRAILING_SLASH:
		return N_("trailing slash");
	case KK_CVSS_ESYNTAX:
		return N_("malformed component");
	case KK_CVSS_EUNKNOWN_METRIC:
		return N_("unknown metric");
	case KK_CVSS_EDUPLICATE:
		return N_("duplicate metric");
	case KK_CVSS_EORDER:
		return N_("metric out of order");
	case KK_CVSS_EBAD_VALUE:
		return N_("bad value for metric");
	case KK_CVSS_EMISSING:
		return N_("missing mandatory metric");
	}
	return N_("unknown error");
}

/* Fills err (when not NULL) and returns -code. name/value may be NULL. */
static int fail(struct kk_cvss_error *err, enum kk_cvss_errcode code, size_t offset,
		const char *metric, const char *value, size_t value_len)
{
	if (err) {
		err->code = code;
		err->offset = offset;
		err->metric[0] = '\0';
		err->value[0] = '\0';
		if (metric)
			copy_shown(err->metric, sizeof(err->metric), metric, strlen(metric));
		if (value)
			copy_shown(err->value, sizeof(err->value), value, value_len);
		kk_cvss_format_error(err, NULL, err->msg, sizeof(err->msg));
	}
	return -(int)code;
}

/*
 * A component of a vector, "AV:N": its length up to the '/' or the end, where the
 * colon is, and the name and value packed NUL-padded into integers. A name longer
 * than 3 bytes or a value longer than 7, or one holding a NUL byte (which would pass
 * for the padding), packs to 0, which no metric or value has.
 */
struct component {
	size_t clen;     /* bytes up to the '/' or the end */
	size_t nlen;     /* bytes before the first colon */
	int colon;       /* there is a colon */
	int extra_colon; /* and another one after it */
	uint32_t nkey;
	uint64_t vkey;
};

static void split_component(const unsigned char *p, const unsigned char *end,
			    struct component *c)
{
	const unsigned char *start = p, *val;
	int nul = 0;

	memset(c, 0, sizeof(*c));
	for (; p < end && *p != ':' && *p != '/'; p++) {
		if (p - start < 3)
			c->nkey |= (uint32_t)*p << (8 * (p - start));
		nul |= *p == '\0';
	}
	c->nlen = (size_t)(p - start);
	if (c->nlen > 3 || nul)
		c->nkey = 0;
	if (p == end || *p == '/') {
		c->clen = c->nlen;
		return;
	}
	c->colon = 1;
	val = ++p;
	nul = 0;
	for (; p < end && *p != '/'; p++) {
		if (p - val < 8)
			c->vkey |= (uint64_t)*p << (8 * (p - val));
		nul |= *p == '\0';
		c->extra_colon |= *p == ':';
	}
	if (p - val > 7 || nul)
		c->vkey = 0;
	c->clen = (size_t)(p - start);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CVSS_SWAR 1 /* the whole-component lookup below reads 8 bytes at once */
#define ONES 0x0101010101010101ull
#define LOWS 0x7f7f7f7f7f7f7f7full

/* 0x80 in each byte of v that is 0, exactly (no false positives). */
static inline uint64_t zero_bytes(uint64_t v)
{
	return ~(((v & LOWS) + LOWS) | v | LOWS);
}

static inline uint64_t low_bytes(size_t n)
{
	return n >= 8 ? ~0ull : (1ull << (8 * n)) - 1;
}
#endif

/* v3.0 and v3.1 share their metric table. */
static int table_of(const struct cvss_spec *spec)
{
	return spec == &cvss2_spec ? 0 : spec == &cvss4_spec ? 2 : 1;
}

static void build_comp_table(int t, const struct cvss_spec *spec);
static once_flag indexes_once = ONCE_FLAG_INIT;

/* Builds the component hashes of the three metric tables; run once. */
static void build_indexes(void)
{
	build_comp_table(0, &cvss2_spec);
	build_comp_table(1, &cvss31_spec);
	build_comp_table(2, &cvss4_spec);
}

/* Index of the metric whose packed name is key, -1 when the version has none. Only
 * the general path and kk_cvss_metric look names up one by one. */
static int find_metric(const struct cvss_spec *spec, uint32_t key)
{
	for (int i = 0; i < spec->nmetrics; i++)
		if (load_name(spec->metrics[i].name) == key)
			return i;
	return -1;
}

/* Index of the value whose packed form is key (not 0), -1 when the metric has none.
 * All six slots are compared at once; unused slots are 0 and never match. */
static inline int find_value(const struct cvss_metric *m, uint64_t key)
{
	unsigned hit = (unsigned)(load_value(m->values[0]) == key) |
		       (unsigned)(load_value(m->values[1]) == key) << 1 |
		       (unsigned)(load_value(m->values[2]) == key) << 2 |
		       (unsigned)(load_value(m->values[3]) == key) << 3 |
		       (unsigned)(load_value(m->values[4]) == key) << 4 |
		       (unsigned)(load_value(m->values[5]) == key) << 5;

	return hit ? __builtin_ctz(hit) : -1;
}

static const unsigned int group_flag[] = {
	[CVSS_GROUP_BASE] = 0,
	[CVSS_GROUP_TEMPORAL] = KK_CVSS_HAS_TEMPORAL,
	[CVSS_GROUP_THREAT] = KK_CVSS_HAS_THREAT,
	[CVSS_GROUP_ENVIRONMENTAL] = KK_CVSS_HAS_ENVIRONMENTAL,
	[CVSS_GROUP_SUPPLEMENTAL] = KK_CVSS_HAS_SUPPLEMENTAL,
};

/*
 * Whole components: every valid "NAME:VALUE" of each metric table (none is longer
 * than 7 bytes) in a perfect hash of 1024 slots, keyed by its bytes and its length.
 * A component is then one 8-byte load, a search for '/' by bit operations, one
 * multiplication and one compare. Anything else (an error, the last bytes of a
 * vector shorter than 8) takes the general path, which also names the fault.
 */
#define COMP_BITS 10

struct comp_entry {
	uint64_t key;        /* 0: empty */
	unsigned char metric;
	unsigned char value; /* 1 + index, as in struct kk_cvss */
	unsigned char flag;  /* the group's KK_CVSS_HAS_* bit, 0 for X / ND */
};

static struct comp_entry comp_table[3][1u << COMP_BITS];
static uint64_t comp_mult[3];

static unsigned comp_slot(uint64_t key, uint64_t mult)
{
	return (unsigned)((key * mult) >> (64 - COMP_BITS));
}

static void build_comp_table(int t, const struct cvss_spec *spec)
{
	struct comp_entry keys[KK_CVSS_MAX_METRICS * CVSS_MAX_VALUES];
	unsigned used[KK_CVSS_MAX_METRICS * CVSS_MAX_VALUES];
	uint64_t mult = 0x9e3779b97f4a7c15ull;
	int nkeys = 0, collision = 1, nused = 0;

	for (int i = 0; i < spec->nmetrics; i++) {
		const struct cvss_metric *m = &spec->metrics[i];

		for (int v = 0; v < m->nvalues; v++) {
			struct comp_entry *k = &keys[nkeys++];
			char text[16];
			int n = snprintf(text, sizeof(text), "%s:%s", m->name, m->values[v]);

			assert(n > 0 && n < 8);
			k->key = 0;
			memcpy(&k->key, text, (size_t)n);
			k->key |= (uint64_t)n << 56;
			k->metric = (unsigned char)i;
			k->value = (unsigned char)(v + 1);
			k->flag = v + 1 == m->undefined ? 0 : (unsigned char)group_flag[m->group];
		}
	}
	/* ~120 keys in 1024 slots: some hundreds of tries */
	for (int tries = 0; collision && tries < 1 << 16; tries++, mult += 2) {
		while (nused) /* undo the last try */
			comp_table[t][used[--nused]].key = 0;
		collision = 0;
		for (int k = 0; k < nkeys; k++) {
			unsigned h = comp_slot(keys[k].key, mult);

			if (comp_table[t][h].key) {
				collision = 1;
				break;
			}
			comp_table[t][h] = keys[k];
			used[nused++] = h;
		}
		comp_mult[t] = mult;
	}
	assert(!collision);
}

/* The spec a vector's prefix names, and where its metrics start. */
static int read_prefix(const char *s, size_t len, const struct cvss_spec **spec,
		       size_t *pos, struct kk_cvss_error *err)
{
	static const struct cvss_spec *const prefixed[] = {
		&cvss31_spec, &cvss30_spec, &cvss4_spec,
	};
	const char *slash;
	size_t first;
	uint64_t head;

	/* the common case: the 8 bytes "CVSS:3.1" and a slash, compared at once */
	if (len > 8) {
		memcpy(&head, s, 8);
		for (size_t i = 0; i < sizeof(prefixed) / sizeof(prefixed[0]); i++) {
			uint64_t want;

			memcpy(&want, prefixed[i]->prefix, 8);
			if (head == want && s[8] == '/') {
				*spec = prefixed[i];
				*pos = 9;
				return 0;
			}
		}
	}
	if (len >= 5 && memcmp(s, "CVSS:", 5) == 0) {
		for (size_t i = 0; i < sizeof(prefixed) / sizeof(prefixed[0]); i++) {
			const struct cvss_spec *p = prefixed[i];
			size_t pl = p->prefix_len - 1; /* without the slash */

			if (len >= pl && memcmp(s, p->prefix, pl) == 0 &&
			    (len == pl || s[pl] == '/')) {
				*spec = p;
				*pos = len == pl ? len : pl + 1;
				return 0;
			}
		}
		slash = memchr(s, '/', len);
		first = slash ? (size_t)(slash - s) : len;
		return fail(err, KK_CVSS_EPREFIX, 0, NULL, s, first);
	}
	/* A v2.0 vector has no prefix; something that looks like one is a bad prefix
	 * rather than an unknown v2.0 metric. */
	slash = memchr(s, '/', len);
	first = slash ? (size_t)(slash - s) : len;
	if (first >= 4 && (s[0] | 0x20) == 'c' && (s[1] | 0x20) == 'v' &&
	    (s[2] | 0x20) == 's' && (s[3] | 0x20) == 's')
		return fail(err, KK_CVSS_EPREFIX, 0, NULL, s, first);
	*spec = &cvss2_spec;
	*pos = 0;
	return 0;
}

int kk_cvss_parse(const char *s, size_t len, struct kk_cvss *out, struct kk_cvss_error *err)
{
	const struct cvss_spec *spec = NULL;
	const struct cvss_metric *metrics;
	size_t pos;
	uint32_t seen = 0, mandatory;
	int last = -1, result, t;

	call_once(&indexes_once, build_indexes);
	memset(out, 0, sizeof(*out));
	if (err) {
		err->code = KK_CVSS_EOK;
		err->metric[0] = err->value[0] = err->msg[0] = '\0';
		err->offset = 0;
	}
	if (len == 0)
		return fail(err, KK_CVSS_EEMPTY, 0, NULL, NULL, 0);
	result = read_prefix(s, len, &spec, &pos, err);
	if (result)
		return result;
	metrics = spec->metrics;
	out->version = spec->version;

	/*
	 * One pass over the bytes: each component is NAME ':' VALUE up to the next '/',
	 * looked up whole (comp_table) or, failing that, piece by piece.
	 */
	t = table_of(spec);
	while (pos < len) {
		const unsigned char *p = (const unsigned char *)s + pos;
		const unsigned char *end = (const unsigned char *)s + len, *comp = p;
		struct component c;
		size_t clen = 0;
		int mi = -1, val = 0;
		unsigned flag = 0;

#ifdef CVSS_SWAR
		if (len >= 8) {
			size_t avail = len - pos, n;
			uint64_t x, slash, key;
			const struct comp_entry *e;

			/* the 8 bytes from p, or the last 8 of the vector moved down so that
			 * nothing past its end is read */
			if (avail >= 8) {
				memcpy(&x, p, 8);
			} else {
				memcpy(&x, end - 8, 8);
				x >>= 8 * (8 - avail);
			}
			slash = zero_bytes(x ^ ('/' * ONES));
			n = slash ? (size_t)__builtin_ctzll(slash) / 8 : 8;
			if (n > avail)
				n = avail;
			if (n > 0 && n < 8) {
				key = (x & low_bytes(n)) | (uint64_t)n << 56;
				e = &comp_table[t][comp_slot(key, comp_mult[t])];
				if (e->key == key) {
					mi = e->metric;
					val = e->value;
					flag = e->flag;
					clen = n;
				}
			}
		}
#endif
		if (mi < 0) {
			split_component(p, end, &c);
			if (!c.colon) {
				if (c.clen == 0)
					return fail(err, KK_CVSS_EEMPTY_COMPONENT, pos, NULL, NULL, 0);
				return fail(err, KK_CVSS_ESYNTAX, pos, NULL, (const char *)comp, c.clen);
			}
			if (c.nlen == 0 || c.extra_colon)
				return fail(err, KK_CVSS_ESYNTAX, pos, NULL, (const char *)comp, c.clen);
			mi = c.nkey ? find_metric(spec, c.nkey) : -1;
			if (mi < 0)
				return fail(err, KK_CVSS_EUNKNOWN_METRIC, pos, NULL, (const char *)comp,
					    c.nlen);
			clen = c.clen;
		}
		p += clen;
		if (seen & (1u << mi))
			return fail(err, KK_CVSS_EDUPLICATE, pos, metrics[mi].name, NULL, 0);
		if (spec->strict_order && mi < last)
			return fail(err, KK_CVSS_EORDER, pos, metrics[mi].name,
				    metrics[last].name, strlen(metrics[last].name));
		if (!val) {
			int vi = c.vkey ? find_value(&metrics[mi], c.vkey) : -1;

			if (vi < 0)
				return fail(err, KK_CVSS_EBAD_VALUE, pos, metrics[mi].name,
					    (const char *)comp + c.nlen + 1, c.clen - c.nlen - 1);
			val = vi + 1;
			flag = val == metrics[mi].undefined ? 0 : group_flag[metrics[mi].group];
		}
		seen |= 1u << mi;
		out->value[mi] = (unsigned char)val;
		out->flags |= flag;
		last = mi;
		if (p == end)
			break;
		pos = (size_t)(p - (const unsigned char *)s) + 1;
		if (pos == len)
			return fail(err, KK_CVSS_ETRAILING_SLASH, pos - 1, NULL, NULL, 0);
	}
	if (pos == len && s[len - 1] == '/')
		return fail(err, KK_CVSS_ETRAILING_SLASH, len - 1, NULL, NULL, 0);

	/* the mandatory metrics are the first ones of every table */
	mandatory = (1u << spec->nmandatory) - 1;
	if ((seen & mandatory) != mandatory) {
		for (int i = 0; i < spec->nmetrics; i++)
			if (metrics[i].mandatory && !out->value[i])
				return fail(err, KK_CVSS_EMISSING, len, metrics[i].name, NULL, 0);
	}

	spec->score(out);
	return 0;
}

int kk_cvss_parse_str(const char *vector, struct kk_cvss *out, struct kk_cvss_error *err)
{
	return kk_cvss_parse(vector, strlen(vector), out, err);
}

size_t kk_cvss_canonical(const struct kk_cvss *c, char *buf, size_t size)
{
	const struct cvss_spec *spec = cvss_spec_of(c->version);
	char tmp[KK_CVSS_VECTOR_MAX * 2];
	size_t n = 0;

	if (spec) {
		/* The prefix without its slash; each metric brings its own. */
		n = spec->prefix_len ? spec->prefix_len - 1u : 0;
		memcpy(tmp, spec->prefix, n);
		for (int i = 0; i < spec->nmetrics; i++) {
			const struct cvss_metric *m = &spec->metrics[i];
			unsigned char v = c->value[i];
			size_t nl, vl;

			if (!v || v > m->nvalues || v == m->undefined)
				continue;
			nl = strlen(m->name);
			vl = strlen(m->values[v - 1]);
			if (n)
				tmp[n++] = '/';
			memcpy(tmp + n, m->name, nl);
			n += nl;
			tmp[n++] = ':';
			memcpy(tmp + n, m->values[v - 1], vl);
			n += vl;
		}
	}
	if (size) {
		size_t k = n < size ? n : size - 1;

		memcpy(buf, tmp, k);
		buf[k] = '\0';
	}
	return n;
}

const char *kk_cvss_metric(const struct kk_cvss *c, const char *name)
{
	const struct cvss_spec *spec = cvss_spec_of(c->version);
	uint32_t key = 0;
	size_t n = strlen(name);
	int mi;

	if (!spec || n == 0 || n >= sizeof(key))
		return NULL;
	memcpy(&key, name, n);
	call_once(&indexes_once, build_indexes);
	mi = find_metric(spec, key);
	if (mi < 0 || !c->value[mi] || c->value[mi] > spec->metrics[mi].nvalues)
		return NULL;
	return spec->metrics[mi].values[c->value[mi] - 1];
}

const char *kk_cvss_version_name(enum kk_cvss_version v)
{
	switch (v) {
	case KK_CVSS_V2_0:
		return "2.0";
	case KK_CVSS_V3_0:
		return "3.0";
	case KK_CVSS_V3_1:
		return "3.1";
	case KK_CVSS_V4_0:
		return "4.0";
	}
	return "?";
}

enum kk_cvss_severity kk_cvss_rate(enum kk_cvss_version v, int tenths)
{
	if (v == KK_CVSS_V2_0) {
		/* The v2 guide defines no ratings; these are NVD's. */
		if (tenths < 40)
			return KK_CVSS_LOW;
		return tenths < 70 ? KK_CVSS_MEDIUM : KK_CVSS_HIGH;
	}
	/* CVSS v3.1 §5 and CVSS v4.0 §6, Qualitative Severity Rating Scale. */
	if (tenths <= 0)
		return KK_CVSS_NONE;
	if (tenths < 40)
		return KK_CVSS_LOW;
	if (tenths < 70)
		return KK_CVSS_MEDIUM;
	return tenths < 90 ? KK_CVSS_HIGH : KK_CVSS_CRITICAL;
}

const char *kk_cvss_severity_name(enum kk_cvss_severity s)
{
	switch (s) {
	case KK_CVSS_NONE:
		return N_("None");
	case KK_CVSS_LOW:
		return N_("Low");
	case KK_CVSS_MEDIUM:
		return N_("Medium");
	case KK_CVSS_HIGH:
		return N_("High");
	case KK_CVSS_CRITICAL:
		return N_("Critical");
	}
	return "?";
}

const char *kk_cvss_nomenclature(const struct kk_cvss *c)
{
	static const char *const names[] = { "CVSS-B", "CVSS-BT", "CVSS-BE", "CVSS-BTE" };
	int t, e;

	if (c->version != KK_CVSS_V4_0)
		return NULL;
	t = (c->flags & KK_CVSS_HAS_THREAT) != 0;
	e = (c->flags & KK_CVSS_HAS_ENVIRONMENTAL) != 0;
	return names[t + 2 * e];
}

/* SPEC 2.3, SPEC 7: triage ranks reports by the CVSS v3 base score. */
int kk_cvss_v3_base_tenths(const char *vector)
{
	struct kk_cvss c;

	if (!vector || kk_cvss_parse_str(vector, &c, NULL) != 0)
		return -1;
	if (c.version != KK_CVSS_V3_0 && c.version != KK_CVSS_V3_1)
		return -1;
	return c.base;
}
