/*
 * search_query.c: a search of advisories taken apart (search_internal.h;
 * issue 12 item 6; docs/api/search.md): the words of q, each filter, the
 * order and the page, every faulty member named by its parameter's name with
 * a message in the reader's language, nothing searched.
 *
 * The words are folded as the index's text is (kk_fold), then split at
 * spaces, a phrase in double quotes kept whole. A whole CVE ID or CWE ID is
 * an exact match of the advisory's CVE or CWE; a word of Latin letters,
 * digits and signs is its Latin words, whole and in order (search_words);
 * any other word of three characters or more is found anywhere in the text;
 * a shorter one is a short word (search_short_word). Filters become facets,
 * the dates a range of k.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keikai/calendar.h"
#include "keikai/cpe.h"
#include "keikai/fold.h"
#include "keikai/i18n.h"
#include "search_internal.h"

/* Japan is UTC+9: the guideline's calendar, the days of from and to. */
#define JST_OFFSET (9 * 3600)

/* s kept for as long as r, or NULL without memory. */
static const char *keep(struct search_request *r, const char *s, size_t n)
{
	json_t *j = json_stringn(s, n);

	if (!j || json_array_append_new(r->owned, j))
		return NULL;
	return json_string_value(j);
}

static int empty(const char *s)
{
	if (!s)
		return 1;
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

/* Whether s[0..n) is prefix (lower case) and then digits, from min to max of them. */
static int id_form(const char *s, size_t n, const char *prefix, size_t min, size_t max)
{
	size_t p = strlen(prefix);

	if (n < p + min || n > p + max || strncmp(s, prefix, p) != 0)
		return 0;
	for (size_t i = p; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Adds facet (kind, value) unless r has it. 0, or -1 without memory. */
static int add_facet(struct search_request *r, const char *kind, const char *value, size_t n)
{
	const char *v;

	for (size_t i = 0; i < r->n_facets; i++)
		if (!strcmp(r->facets[i].kind, kind) && strlen(r->facets[i].value) == n &&
		    !strncmp(r->facets[i].value, value, n))
			return 0;
	if (r->n_facets >= SEARCH_FACETS_MAX)
		return 0; /* cannot happen: words and filters are counted */
	if (!(v = keep(r, value, n)))
		return -1;
	r->facets[r->n_facets].kind = kind;
	r->facets[r->n_facets++].value = v;
	return 0;
}

/* Whether a folded word is Latin: ASCII only (letters, digits and signs). */
static int latin_term(const char *term)
{
	for (const char *p = term; *p; p++)
		if ((unsigned char)*p >= 0x80)
			return 0;
	return 1;
}

/* One word of the folded query, s[0..n): an exact ID, a term, or nothing
 * (no letter or digit in a short word). *words counts what it added. */
static int add_word(struct search_request *r, const char *s, size_t n, size_t *words)
{
	char *term, shortw[SEARCH_SHORT_MAX], plain[SEARCH_SHORT_MAX];
	enum kk_search_col col = KK_SEARCH_BODY;
	const char *text, *title, *pairs = NULL;
	int bad = 0;

	/* CVE-YYYY-NNNN…: the year, a hyphen, four digits or more */
	if (n >= 13 && n <= 28 && id_form(s, 8, "cve-", 4, 4) && s[8] == '-' && id_form(s + 9, n - 9, "", 4, 19)) {
		char upper[32];

		for (size_t i = 0; i < n; i++)
			upper[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
		(*words)++;
		return add_facet(r, "cve", upper, n);
	}
	if (id_form(s, n, "cwe-", 1, 9) && strtol(s + 4, NULL, 10) > 0) {
		char number[16];

		(*words)++;
		snprintf(number, sizeof(number), "%ld", strtol(s + 4, NULL, 10));
		return add_facet(r, "cwe", number, strlen(number));
	}
	if (!(term = kk_strndup(s, n)))
		return -1;
	if (latin_term(term)) {
		/* its needle: its words as the entries' words hold them, " w w " */
		struct kk_buf b;
		struct kk_error werr = KK_ERROR_INIT;

		col = KK_SEARCH_WORDS;
		kk_buf_init(&b, 2 * n + 2);
		bad = search_words(term, &b, &werr) != KK_OK;
		text = !bad && b.len ? keep(r, b.data, b.len) : NULL;
		title = text ? keep(r, term, n) : NULL;
		bad |= b.len && (!text || !title);
		kk_buf_release(&b);
		kk_error_release(&werr);
	} else if (kk_utf8_len(term) >= 3) {
		struct kk_buf b;
		struct kk_error perr = KK_ERROR_INIT;

		text = title = keep(r, term, n);
		kk_buf_init(&b, 64 * 1024);
		bad = !text || search_pairs(term, &b, &perr) != KK_OK;
		pairs = bad || !b.len ? NULL : keep(r, b.data, b.len);
		bad |= b.len && !pairs;
		kk_buf_release(&b);
		kk_error_release(&perr);
	} else {
		search_short_word(term, shortw, plain);
		col = KK_SEARCH_SHORT;
		text = shortw[0] ? keep(r, shortw, strlen(shortw)) : NULL;
		title = shortw[0] ? keep(r, plain, strlen(plain)) : NULL;
		bad = shortw[0] && (!text || !title);
	}
	free(term);
	if (bad || !text)
		return bad ? -1 : 0;
	for (size_t i = 0; i < r->n_terms; i++)
		if (r->terms[i].col == col && !strcmp(r->terms[i].text, text))
			return 0;
	(*words)++;
	if (r->n_terms < KK_ADVISORY_QUERY_TERMS_MAX) {
		r->terms[r->n_terms].col = col;
		r->terms[r->n_terms].pairs = pairs;
		r->terms[r->n_terms++].text = text;
		r->titles[r->n_titles++] = title;
	}
	return 0;
}

/* q: the words (see the top of this file). */
static void parse_words(const char *q, struct search_request *r, struct kk_error *err)
{
	char *folded = NULL;
	struct kk_error ferr = KK_ERROR_INIT;
	size_t words = 0;
	int bad = 0;

	if (empty(q))
		return;
	if (!kk_utf8_valid(q, strlen(q))) {
		kk_error_field(err, "q", "%s", _("Must be text in UTF-8."));
		return;
	}
	if (kk_utf8_len(q) > KK_ADVISORY_QUERY_MAX) {
		kk_error_field(err, "q", _("At most %d characters."), KK_ADVISORY_QUERY_MAX);
		return;
	}
	if (kk_fold(q, &folded, &ferr) != KK_OK) {
		if (ferr.code == KK_ENOMEM)
			kk_error_nomem(err);
		else
			kk_error_field(err, "q", "%s", _("Must be text in UTF-8."));
		kk_error_release(&ferr);
		return;
	}
	search_private_out(folded);
	for (const char *p = folded; *p && !bad;) {
		const char *start, *end;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (*p == '"') {
			/* a phrase: up to the closing quote (or the end), spaces kept */
			start = ++p;
			end = strchr(p, '"');
			if (!end)
				end = p + strlen(p);
			p = *end ? end + 1 : end;
			while (start < end && *start == ' ')
				start++;
			while (end > start && end[-1] == ' ')
				end--;
		} else {
			start = p;
			while (*p && *p != ' ' && *p != '"')
				p++;
			end = p;
		}
		if (end > start)
			bad = add_word(r, start, (size_t)(end - start), &words);
	}
	free(folded);
	if (bad)
		kk_error_nomem(err);
	else if (words > KK_ADVISORY_QUERY_TERMS_MAX)
		kk_error_field(err, "q", _("At most %d words."), KK_ADVISORY_QUERY_TERMS_MAX);
	else if (!words)
		kk_error_field(err, "q", "%s", _("Give at least one word with a letter or a digit."));
}

/* A filter's value, folded as the index folds names, into a facet of kind;
 * name is the parameter. */
static void parse_name(const char *value, const char *name, const char *kind, struct search_request *r,
		       struct kk_error *err)
{
	struct kk_error ferr = KK_ERROR_INIT;
	char *folded = NULL;

	if (empty(value))
		return;
	if (!kk_utf8_valid(value, strlen(value))) {
		kk_error_field(err, name, "%s", _("Must be text in UTF-8."));
		return;
	}
	if (kk_utf8_len(value) > KK_ADVISORY_FILTER_MAX) {
		kk_error_field(err, name, _("At most %d characters."), KK_ADVISORY_FILTER_MAX);
		return;
	}
	if (kk_fold(value, &folded, &ferr) != KK_OK) {
		if (ferr.code == KK_ENOMEM)
			kk_error_nomem(err);
		else
			kk_error_field(err, name, "%s", _("Must be text in UTF-8."));
	} else {
		search_private_out(folded); /* as the index's names (search_fold_append) */
		if (add_facet(r, kind, folded, strlen(folded)))
			kk_error_nomem(err);
	}
	kk_error_release(&ferr);
	free(folded);
}

/* vendor: an id (digits) or a name. */
static void parse_vendor(const char *v, struct search_request *r, struct kk_error *err)
{
	int64_t id = 0;
	char digits[24];

	if (empty(v))
		return;
	if (strspn(v, "0123456789") == strlen(v)) {
		if (kk_parse_id(v, &id) != 0 || id < 1) {
			kk_error_field(err, "vendor", "%s", _("Must be a vendor's number (1 or more) or its name."));
			return;
		}
		snprintf(digits, sizeof(digits), "%lld", (long long)id);
		if (add_facet(r, "vendor_id", digits, strlen(digits)))
			kk_error_nomem(err);
		return;
	}
	parse_name(v, "vendor", "vendor", r, err);
}

/* A CPE attribute's value when it is a name without wild cards, else NULL. */
static const char *literal(const struct kk_cpe_value *v)
{
	return v->kind == KK_CPE_STRING && !v->lead && !v->trail ? v->str : NULL;
}

/* A CPE 2.3 formatted string with fewer than its eleven attributes,
 * completed with ANY ("cpe:2.3:a:widget:server" is "…:server:*:…:*"), as the
 * registry search takes it (lib/vendor/search.c); a string the caller frees,
 * NULL for anything else (parsed as it is) or without memory. */
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

/* cpe: a CPE name naming a vendor and maybe a product (only those are compared). */
static void parse_cpe(const char *v, struct search_request *r, struct kk_error *err)
{
	struct kk_cpe cpe;
	struct kk_cpe_error cerr;
	const char *vendor, *product;
	const struct kk_cpe_value *pv;
	char key[2 * 4 * KK_ADVISORY_FILTER_MAX + 2], *full;
	enum kk_result parsed;
	size_t k = 0;

	if (empty(v))
		return;
	if (kk_utf8_len(v) > KK_ADVISORY_FILTER_MAX) {
		kk_error_field(err, "cpe", _("At most %d characters."), KK_ADVISORY_FILTER_MAX);
		return;
	}
	kk_cpe_init(&cpe);
	memset(&cerr, 0, sizeof(cerr));
	full = cpe_completed(v);
	parsed = kk_cpe_parse(full ? full : v, &cpe, &cerr);
	free(full);
	if (parsed == KK_ENOMEM) {
		kk_error_nomem(err);
		return;
	}
	if (parsed != KK_OK) {
		kk_error_field(err, "cpe", _("Not a valid CPE name: %s%s%s (column %zu)."), _(kk_cpe_strerror(cerr.code)),
			       cerr.detail[0] ? ": " : "", cerr.detail, cerr.offset + 1);
		return;
	}
	vendor = literal(&cpe.attr[KK_CPE_VENDOR]);
	pv = &cpe.attr[KK_CPE_PRODUCT];
	product = literal(pv);
	if (!vendor) {
		kk_error_field(err, "cpe", "%s", _("Name a vendor in the CPE name, as in cpe:2.3:a:VENDOR:PRODUCT."));
	} else if (!product && !(pv->kind == KK_CPE_ANY || (pv->kind == KK_CPE_STRING && pv->lead == KK_CPE_STAR &&
							   pv->body_len == 0))) {
		kk_error_field(err, "cpe", "%s",
			       _("The product of the CPE name must be a name or *, without wild cards in it."));
	} else {
		/* as the index keeps them: lower case, WFN form */
		for (const char *p = vendor; *p && k + 1 < sizeof(key); p++)
			key[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
		if (product && k + 1 < sizeof(key))
			key[k++] = ':';
		for (const char *p = product ? product : ""; *p && k + 1 < sizeof(key); p++)
			key[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
		if (add_facet(r, product ? "cpe_product" : "cpe_vendor", key, k))
			kk_error_nomem(err);
	}
	kk_cpe_release(&cpe);
}

/* severity: a rating of CVSS v3 or v4. */
static void parse_severity(const char *v, struct search_request *r, struct kk_error *err)
{
	static const char *const names[] = { "none", "low", "medium", "high", "critical", NULL };

	if (empty(v))
		return;
	for (size_t i = 0; names[i]; i++)
		if (strcasecmp(v, names[i]) == 0) {
			if (add_facet(r, "severity", names[i], strlen(names[i])))
				kk_error_nomem(err);
			return;
		}
	kk_error_field(err, "severity", "%s", _("Must be one of none, low, medium, high, critical."));
}

/* cwe: 79 or CWE-79. */
static void parse_cwe(const char *v, struct search_request *r, struct kk_error *err)
{
	const char *digits = v;
	char number[16];
	long n;

	if (empty(v))
		return;
	if (strncasecmp(v, "cwe-", 4) == 0)
		digits = v + 4;
	if (!*digits || strspn(digits, "0123456789") != strlen(digits) || strlen(digits) > 9 ||
	    (n = strtol(digits, NULL, 10)) < 1) {
		kk_error_field(err, "cwe", "%s", _("Must be a CWE number such as 79 or CWE-79."));
		return;
	}
	snprintf(number, sizeof(number), "%ld", n);
	if (add_facet(r, "cwe", number, strlen(number)))
		kk_error_nomem(err);
}

/* from and to: days in Japan, both included, as a range of k. */
static void parse_dates(const struct kk_advisory_query *q, struct search_request *r, struct kk_error *err)
{
	kk_day from = 0, to = 0;
	int has_from = !empty(q->from), has_to = !empty(q->to);

	if (has_from && kk_day_parse(q->from, &from) != 0)
		kk_error_field(err, "from", "%s", _("Must be a date written as YYYY-MM-DD."));
	if (has_to && kk_day_parse(q->to, &to) != 0)
		kk_error_field(err, "to", "%s", _("Must be a date written as YYYY-MM-DD."));
	if (kk_error_has_fields(err))
		return;
	if (has_from && has_to && to < from) {
		kk_error_field(err, "to", "%s", _("Must not be before the date in from."));
		return;
	}
	/* a day before 1970 bounds nothing from below, and nothing is published before it */
	if (has_from && (int64_t)from * 86400 - JST_OFFSET > 0)
		r->k_min = ((int64_t)from * 86400 - JST_OFFSET) << KK_SEARCH_K_SHIFT;
	if (has_to)
		r->k_max = (int64_t)(to + 1) * 86400 - JST_OFFSET > 0
				   ? ((int64_t)(to + 1) * 86400 - JST_OFFSET) << KK_SEARCH_K_SHIFT
				   : 1;
}

/* A whole number of at most 7 digits from s (absent: def), or -1. */
static int64_t number(const char *s, int64_t def)
{
	int64_t v = 0;

	if (empty(s))
		return def;
	if (strspn(s, "0123456789") != strlen(s) || strlen(s) > 7)
		return -1;
	for (const char *p = s; *p; p++)
		v = v * 10 + (*p - '0');
	return v;
}

/* sort, page, limit. */
static void parse_paging(const struct kk_advisory_query *q, struct search_request *r, struct kk_error *err)
{
	int64_t limit = number(q->limit, KK_ADVISORY_SEARCH_LIMIT_DEFAULT), page = number(q->page, 1), pages;

	if (!empty(q->sort)) {
		if (!strcmp(q->sort, "relevance"))
			r->relevance = 1;
		else if (strcmp(q->sort, "newest") != 0)
			kk_error_field(err, "sort", "%s", _("Must be newest or relevance."));
	}
	if (limit < 1 || limit > KK_ADVISORY_SEARCH_LIMIT_MAX) {
		kk_error_field(err, "limit", _("Must be a whole number from 1 to %d."), KK_ADVISORY_SEARCH_LIMIT_MAX);
		return;
	}
	r->limit = (int)limit;
	pages = (KK_ADVISORY_SEARCH_MATCH_MAX + limit - 1) / limit;
	if (page < 1)
		kk_error_field(err, "page", "%s", _("Must be a whole number from 1."));
	else if (page > pages)
		kk_error_field(err, "page",
			       _("Only the first %d matches can be paged through: narrow the search (words, a filter, "
				 "dates) to reach older ones."),
			       KK_ADVISORY_SEARCH_MATCH_MAX);
	else
		r->page = page;
}

/* The facets in the order that finds least first: the driving one is the
 * first (advisory_search.c), the narrowest kinds before the broad ones. */
static void order_facets(struct search_request *r)
{
	static const char *const order[] = { "cve",	 "vendor_id", "cpe_product", "product", "vendor",
					     "cpe_vendor", "cwe",	   "severity",	  NULL };
	struct kk_search_facet sorted[SEARCH_FACETS_MAX];
	size_t k = 0;

	for (size_t o = 0; order[o]; o++)
		for (size_t i = 0; i < r->n_facets; i++)
			if (!strcmp(r->facets[i].kind, order[o]))
				sorted[k++] = r->facets[i];
	memcpy(r->facets, sorted, k * sizeof(sorted[0]));
	r->n_facets = k;
}

enum kk_result search_request_parse(const struct kk_advisory_query *q, struct search_request *r,
				    struct kk_error *err)
{
	memset(r, 0, sizeof(*r));
	r->page = 1;
	r->limit = KK_ADVISORY_SEARCH_LIMIT_DEFAULT;
	if (!(r->owned = json_array()))
		return kk_error_nomem(err);
	parse_words(q->q, r, err);
	parse_vendor(q->vendor, r, err);
	parse_name(q->product, "product", "product", r, err);
	parse_cpe(q->cpe, r, err);
	parse_severity(q->severity, r, err);
	parse_cwe(q->cwe, r, err);
	parse_dates(q, r, err);
	parse_paging(q, r, err);
	order_facets(r);
	if (err && err->code == KK_ENOMEM)
		return KK_ENOMEM;
	return kk_error_has_fields(err) ? KK_EINVAL : KK_OK;
}

void search_request_release(struct search_request *r)
{
	if (!r)
		return;
	json_decref(r->owned);
	memset(r, 0, sizeof(*r));
}
