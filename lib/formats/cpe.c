/*
 * cpe.c: reading and writing CPE 2.3 names (NISTIR 7695, "Naming").
 *
 * Three readers turn a formatted string, a URI or the WFN notation into the WFN
 * form of each value, written into one block sized for the worst case (twice the
 * input: a formatted string's "." or a URI's "-" becomes the quoted pair "\." or
 * "\-"). One checker, check_value, then applies the rules every value string of
 * a WFN must meet (7695 5.3.2) and records where the wild cards are, for the
 * matcher in cpe_match.c. Three writers, in cpe_bind.c, bind a name back. Each reader and writer
 * gives the results of the pseudocode of the clause it cites; where the grammar
 * and the pseudocode of the specification disagree, docs/internals/cpe.md says
 * which one keikai follows and why. Only printable ASCII is accepted (7695 5.3.2:
 * "printable UTF-8 characters with hexadecimal values between x00 and x7F").
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/cpe.h"
#include "keikai/i18n.h"
#include "keikai/util.h"
#include "keikai/banned.h"

#ifndef N_
#define N_(s) (s)
#endif

enum binding { BIND_FS, BIND_URI, BIND_WFN };

/* State of one kk_cpe_parse call. */
struct parser {
	const char *s;   /* the input */
	size_t n;        /* its length */
	enum binding binding;
	char *buf;       /* the value block, 2n + KK_CPE_NATTR + 1 bytes */
	size_t cap;
	size_t used;
	size_t off[KK_CPE_NATTR];      /* where each value starts in buf */
	size_t in_start[KK_CPE_NATTR]; /* where each value starts in the input */
	struct kk_cpe *out;
	struct kk_cpe_error *err;
};

static const char *const attr_names[KK_CPE_NATTR] = {
	"part", "vendor", "product", "version", "update", "edition",
	"language", "sw_edition", "target_sw", "target_hw", "other",
};

static const char *const reasons[KK_CPE_NERR] = {
	[KK_CPE_EOK] = N_("no error"),
	[KK_CPE_EPREFIX] = N_("a CPE name must start with cpe:2.3: (formatted string), "
			      "cpe:/ (URI) or wfn:[ (well-formed name)"),
	[KK_CPE_ECOUNT] = N_("wrong number of components"),
	[KK_CPE_EPART] = N_("part must be a (application), o (operating system), "
			    "h (hardware), ANY or NA"),
	[KK_CPE_EEMPTY] = N_("empty value (a formatted string writes ANY as * and NA as -)"),
	[KK_CPE_ECHAR] = N_("illegal character (only printable ASCII without spaces is allowed)"),
	[KK_CPE_EURI_CHAR] = N_("this character must be percent-encoded in a URI"),
	[KK_CPE_EUNQUOTED] = N_("punctuation must be quoted with a backslash in a well-formed name"),
	[KK_CPE_EQUOTED_ALNUM] = N_("a letter or digit must not be quoted"),
	[KK_CPE_EESCAPE_END] = N_("a backslash at the end of a value quotes nothing"),
	[KK_CPE_ESTAR_EMBEDDED] = N_("an unquoted * may appear only at the start or the end "
				     "of a value"),
	[KK_CPE_EQMARK_EMBEDDED] = N_("an unquoted ? may appear only at the start or the end "
				      "of a value"),
	[KK_CPE_ESTAR_ALONE] = N_("a lone unquoted * is not a value string (ANY is * in a "
				  "formatted string and an empty component in a URI)"),
	[KK_CPE_ESTAR_REPEAT] = N_("an unquoted * must not be repeated"),
	[KK_CPE_EWILD_MIX] = N_("unquoted * and ? must not be mixed next to the text "
				"of a value"),
	[KK_CPE_EHYPHEN_ALONE] = N_("a quoted hyphen by itself is not a value string"),
	[KK_CPE_EPERCENT] = N_("malformed percent-encoding (% must be followed by two "
			       "hex digits)"),
	[KK_CPE_EPERCENT_FORM] = N_("this percent-encoded character is not allowed in a CPE URI"),
	[KK_CPE_EPACKED] = N_("malformed packed edition (expected "
			      "~edition~sw_edition~target_sw~target_hw~other)"),
	[KK_CPE_ELANGUAGE] = N_("language must be a language tag such as en or en-us "
				"(RFC 5646 language and optional region)"),
	[KK_CPE_ETOO_LONG] = N_("CPE name too long"),
	[KK_CPE_ENOMEM] = N_("out of memory"),
	[KK_CPE_EWFN_SYNTAX] = N_("malformed well-formed name"),
	[KK_CPE_EWFN_ATTRIBUTE] = N_("unknown attribute in a well-formed name"),
	[KK_CPE_EWFN_DUPLICATE] = N_("attribute given twice in a well-formed name"),
};

const char *kk_cpe_strerror(enum kk_cpe_errcode code)
{
	if ((int)code < 0 || code >= KK_CPE_NERR)
		return N_("unknown error");
	return reasons[code];
}

const char *kk_cpe_attr_name(int attr)
{
	if (attr < 0 || attr >= KK_CPE_NATTR)
		return "?";
	return attr_names[attr];
}

/* ASCII classes; the locale plays no part in CPE names. */
static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(unsigned char c)
{
	return is_digit(c) || is_alpha(c);
}

/* Printable punctuation: every graphic ASCII character but letters, digits and
 * the underscore. */
static int is_punct(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !is_alnum(c) && c != '_';
}

static unsigned char to_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

static int has_prefix_ci(const char *s, size_t n, const char *prefix)
{
	size_t i;

	for (i = 0; prefix[i]; i++)
		if (i >= n || to_lower((unsigned char)s[i]) != (unsigned char)prefix[i])
			return 0;
	return 1;
}

void kk_cpe_init(struct kk_cpe *cpe)
{
	int a;

	for (a = 0; a < KK_CPE_NATTR; a++) {
		memset(&cpe->attr[a], 0, sizeof(cpe->attr[a]));
		cpe->attr[a].kind = KK_CPE_ANY;
		cpe->attr[a].str = "";
	}
	cpe->buf = NULL;
}

void kk_cpe_release(struct kk_cpe *cpe)
{
	if (!cpe)
		return;
	free(cpe->buf);
	kk_cpe_init(cpe);
}

/* Records a fault and returns the result type that goes with it. */
static enum kk_result fail(struct parser *p, enum kk_cpe_errcode code, int attr, size_t offset,
			   const char *detail)
{
	struct kk_cpe_error *e = p->err;

	if (e) {
		e->code = code;
		e->attribute = attr;
		e->offset = offset;
		snprintf(e->detail, sizeof(e->detail), "%s", detail ? detail : "");
		snprintf(e->msg, sizeof(e->msg), "%s%s%s%s%s (column %zu)",
			 attr >= 0 ? kk_cpe_attr_name(attr) : "", attr >= 0 ? ": " : "",
			 kk_cpe_strerror(code), detail ? ": " : "", detail ? detail : "",
			 offset + 1);
	}
	if (code == KK_CPE_ENOMEM)
		return KK_ENOMEM;
	if (code == KK_CPE_ETOO_LONG)
		return KK_ETOOBIG;
	return KK_EINVAL;
}

/* The input offset of the u-th character of the value of attr (a quoted pair or a
 * percent-encoded form counts as one), for error messages. */
static size_t input_offset(const struct parser *p, int attr, size_t u)
{
	size_t i = p->in_start[attr];

	while (u-- > 0 && i < p->n) {
		if (p->binding == BIND_URI)
			i += p->s[i] == '%' ? 3 : 1;
		else
			i += p->s[i] == '\\' ? 2 : 1;
	}
	return i < p->n ? i : p->n;
}

static enum kk_result set_logical(struct parser *p, int attr, enum kk_cpe_kind kind)
{
	struct kk_cpe_value *v = &p->out->attr[attr];

	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->str = "";
	return KK_OK;
}

static void begin_value(struct parser *p, int attr, size_t in_start)
{
	p->off[attr] = p->used;
	p->in_start[attr] = in_start;
}

/* No input character becomes more than two bytes, so the block never fills. */
static void put(struct parser *p, char c)
{
	assert(p->used < p->cap);
	p->buf[p->used++] = c;
}

static void put_quoted(struct parser *p, char c)
{
	assert(p->used + 1 < p->cap);
	p->buf[p->used++] = '\\';
	p->buf[p->used++] = c;
}

/* A run of unquoted wild cards: where it starts (in characters) and what it holds. */
struct run {
	size_t start;
	unsigned units, nq, ns;
	int first_star, last_star;
};

static void run_add(struct run *r, size_t unit, char c)
{
	if (r->units == 0) {
		r->start = unit;
		r->first_star = c == '*';
	}
	r->units++;
	if (c == '*')
		r->ns++;
	else
		r->nq++;
	r->last_star = c == '*';
}

/* A run next to the text of a value: one '*' or any number of '?'. */
static enum kk_cpe_errcode check_side_run(const struct run *r)
{
	if (r->ns > 1)
		return KK_CPE_ESTAR_REPEAT;
	if (r->ns == 1 && r->nq > 0)
		return KK_CPE_EWILD_MIX;
	return KK_CPE_EOK;
}

static unsigned run_code(const struct run *r)
{
	if (r->units == 0)
		return 0;
	return r->ns ? KK_CPE_STAR : r->nq;
}

/*
 * SPEC 7695 5.3.2 (Figure 5-1 and rules 4 and 6), 7696 5.2: a value string is
 * optional leading wild cards, a body without unquoted wild cards, and optional
 * trailing wild cards; a leading or trailing run is one '*' or a sequence of
 * '?'; a value of wild cards only is "?"..., "*?"..., "?"...'*' but never a lone
 * or doubled '*'; and a quoted hyphen by itself is not a value (rule 6 as its
 * text says: "\-?" is accepted although Figure 5-1 would refuse it and accept
 * "?\-"; see docs/internals/cpe.md). Fills the matching
 * fields of *val. On a fault returns its code and sets *bad to the character
 * (not byte) index where it is.
 */
static enum kk_cpe_errcode check_value(const char *v, size_t len, struct kk_cpe_value *val,
				       size_t *bad)
{
	struct run lead = { 0 }, trail = { 0 };
	size_t i = 0, unit = 0, body_start = 0, body_end = 0, chars = 0;
	int seen_text = 0;
	enum kk_cpe_errcode code;

	while (i < len) {
		size_t width = v[i] == '\\' ? 2 : 1;

		if (width == 1 && (v[i] == '*' || v[i] == '?')) {
			run_add(seen_text ? &trail : &lead, unit, v[i]);
		} else {
			if (trail.units) {
				/* wild cards followed by more text: embedded */
				*bad = trail.start;
				return trail.first_star ? KK_CPE_ESTAR_EMBEDDED
							: KK_CPE_EQMARK_EMBEDDED;
			}
			if (!seen_text) {
				seen_text = 1;
				body_start = i;
			}
			body_end = i + width;
			chars++;
		}
		i += width;
		unit++;
	}

	if (!seen_text) {
		/* only wild cards: spec_chrs *1spec_chrs */
		*bad = 0;
		if (lead.units == 1 && lead.ns == 1)
			return KK_CPE_ESTAR_ALONE;
		if (lead.ns > 1)
			return KK_CPE_ESTAR_REPEAT;
		if (lead.ns == 1 && !lead.first_star && !lead.last_star)
			return KK_CPE_EWILD_MIX;
		if (lead.ns == 0) {
			val->lead = lead.nq;
			val->trail = 0;
		} else if (lead.first_star) {
			val->lead = KK_CPE_STAR;
			val->trail = lead.nq;
		} else {
			val->lead = lead.nq;
			val->trail = KK_CPE_STAR;
		}
		val->body_off = (unsigned)len;
		val->body_len = 0;
		val->body_chars = 0;
		return KK_CPE_EOK;
	}

	code = check_side_run(&lead);
	if (code != KK_CPE_EOK) {
		*bad = lead.start;
		return code;
	}
	code = check_side_run(&trail);
	if (code != KK_CPE_EOK) {
		*bad = trail.start;
		return code;
	}
	if (lead.units == 0 && trail.units == 0 && len == 2 && v[0] == '\\' && v[1] == '-') {
		*bad = 0;
		return KK_CPE_EHYPHEN_ALONE;
	}
	val->lead = run_code(&lead);
	val->trail = run_code(&trail);
	val->body_off = (unsigned)body_start;
	val->body_len = (unsigned)(body_end - body_start);
	val->body_chars = (unsigned)chars;
	return KK_CPE_EOK;
}

/* SPEC 7695 6.2.1 and 6.1.1 (Figure 6-2): LANGTAG = 2*3ALPHA ["-" (2ALPHA / 3DIGIT)],
 * here in WFN form, where the hyphen is quoted. */
static int is_langtag(const char *v, size_t len)
{
	size_t i = 0, k;

	while (i < len && is_alpha((unsigned char)v[i]))
		i++;
	if (i < 2 || i > 3)
		return 0;
	if (i == len)
		return 1;
	if (len - i < 2 || v[i] != '\\' || v[i + 1] != '-')
		return 0;
	i += 2;
	k = len - i;
	if (k == 2)
		return is_alpha((unsigned char)v[i]) && is_alpha((unsigned char)v[i + 1]);
	if (k == 3)
		return is_digit((unsigned char)v[i]) && is_digit((unsigned char)v[i + 1]) &&
		       is_digit((unsigned char)v[i + 2]);
	return 0;
}

/* Ends the value of attr started with begin_value: terminates it, applies the
 * per-attribute rules and the value-string rules. */
static enum kk_result end_value(struct parser *p, int attr)
{
	struct kk_cpe_value *val = &p->out->attr[attr];
	const char *v = p->buf + p->off[attr];
	size_t len = p->used - p->off[attr];
	size_t bad = 0;
	enum kk_cpe_errcode code;

	put(p, '\0');
	memset(val, 0, sizeof(*val));
	val->kind = KK_CPE_STRING;
	val->str = "";  /* pointed into the block once it is complete */
	val->len = (unsigned)len;

	if (len == 0)
		return fail(p, KK_CPE_EEMPTY, attr, p->in_start[attr], NULL);
	/* SPEC 7695 5.3.3.1: part is "a", "o" or "h" */
	if (attr == KK_CPE_PART && !(len == 1 && (v[0] == 'a' || v[0] == 'o' || v[0] == 'h')))
		return fail(p, KK_CPE_EPART, attr, p->in_start[attr], NULL);
	/* SPEC 7695 5.3.3.10: a language tag */
	if (attr == KK_CPE_LANGUAGE && !is_langtag(v, len))
		return fail(p, KK_CPE_ELANGUAGE, attr, p->in_start[attr], NULL);
	code = check_value(v, len, val, &bad);
	if (code != KK_CPE_EOK)
		return fail(p, code, attr, input_offset(p, attr, bad), NULL);
	return KK_OK;
}

/*
 * SPEC 7695 6.2.3.2 unbind_value_fs and add_quoting: "*" is ANY, "-" is NA;
 * letters, digits and "_" pass; quoted characters stay quoted; unquoted * and ?
 * stay wild cards; every other printable character gets quoted, which also
 * turns the unreserved "-" and "." of Figure 6-3 into "\-" and "\.".
 */
static enum kk_result fs_value(struct parser *p, int attr, size_t b, size_t e)
{
	const char *s = p->s;
	size_t i;

	if (b == e)
		return fail(p, KK_CPE_EEMPTY, attr, b, NULL);
	if (e - b == 1 && s[b] == '*')
		return set_logical(p, attr, KK_CPE_ANY);
	if (e - b == 1 && s[b] == '-')
		return set_logical(p, attr, KK_CPE_NA);

	begin_value(p, attr, b);
	for (i = b; i < e; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_alnum(c) || c == '_') {
			/* part letters are matched without case (ABNF literals) */
			put(p, (char)(attr == KK_CPE_PART ? to_lower(c) : c));
		} else if (c == '\\') {
			unsigned char q;

			if (i + 1 >= e)
				return fail(p, KK_CPE_EESCAPE_END, attr, i, NULL);
			q = (unsigned char)s[++i];
			if (q == '_')
				put(p, '_');
			else if (is_alnum(q))
				return fail(p, KK_CPE_EQUOTED_ALNUM, attr, i - 1, NULL);
			else if (is_punct(q))
				put_quoted(p, (char)q);
			else
				return fail(p, KK_CPE_ECHAR, attr, i, NULL);
		} else if (c == '*' || c == '?') {
			put(p, (char)c);
		} else if (is_punct(c)) {
			put_quoted(p, (char)c);
		} else {
			return fail(p, KK_CPE_ECHAR, attr, i, NULL);
		}
	}
	return end_value(p, attr);
}

/*
 * SPEC 7695 6.2.3.2 unbind_fs and get_comp_fs: eleven fields after "cpe:2.3:",
 * split at colons that are not quoted. The fields are unbound from left to right
 * before the count is checked, as the pseudocode does, so a name with a bad value
 * and a missing field is reported for the value (7695 6.2.3.3.3, second case).
 */
static enum kk_result parse_fs(struct parser *p)
{
	size_t start[KK_CPE_NATTR], end[KK_CPE_NATTR];
	size_t i = 8, from = 8, count = 0, extra = 0;
	enum kk_result result = KK_OK;
	char detail[64];
	int a;

	for (;;) {
		if (i < p->n && p->s[i] == '\\') {
			i += 2; /* may step past the end: a trailing backslash */
			continue;
		}
		if (i < p->n && p->s[i] != ':') {
			i++;
			continue;
		}
		if (count < KK_CPE_NATTR) {
			start[count] = from;
			end[count] = i < p->n ? i : p->n;
		} else if (count == KK_CPE_NATTR) {
			extra = from - 1; /* the colon that opens a twelfth field */
		}
		count++;
		if (i >= p->n)
			break;
		from = ++i;
	}
	for (a = 0; a < KK_CPE_NATTR && (size_t)a < count && result == KK_OK; a++)
		result = fs_value(p, a, start[a], end[a]);
	if (result != KK_OK)
		return result;
	if (count != KK_CPE_NATTR) {
		snprintf(detail, sizeof(detail), "%zu attributes after cpe:2.3:, 11 required",
			 count);
		return fail(p, KK_CPE_ECOUNT, -1, count > KK_CPE_NATTR ? extra : p->n, detail);
	}
	return KK_OK;
}

/* SPEC 7695 6.1.2.3 pct_encode, read backwards: the characters a CPE URI may
 * carry percent-encoded (Figure 6-2); "-" and "." are never encoded. */
static int uri_encodable(int c)
{
	return is_punct((unsigned char)c) && c != '-' && c != '.';
}

/*
 * SPEC 7695 6.1.3.2 decode: "" is ANY and "-" is NA; letters are lowercased;
 * ".", "-" and "~" get quoted; %01 and %02 become the wild cards ? and *; the
 * percent-encoded forms of Figure 6-2 become quoted characters; any other form
 * is an error. Unencoded punctuation is refused, as the pseudocode's note on
 * "a fully robust implementation" asks.
 */
static enum kk_result uri_value(struct parser *p, int attr, size_t b, size_t e)
{
	const char *s = p->s;
	size_t i;

	if (b == e)
		return set_logical(p, attr, KK_CPE_ANY);
	if (e - b == 1 && s[b] == '-')
		return set_logical(p, attr, KK_CPE_NA);

	begin_value(p, attr, b);
	for (i = b; i < e; i++) {
		unsigned char c = to_lower((unsigned char)s[i]);

		if (c == '.' || c == '-' || c == '~') {
			put_quoted(p, (char)c);
		} else if (is_alnum(c) || c == '_') {
			put(p, (char)c);
		} else if (c == '%') {
			int hi = i + 2 < e ? kk_hex_digit((unsigned char)s[i + 1]) : -1;
			int lo = i + 2 < e ? kk_hex_digit((unsigned char)s[i + 2]) : -1;
			int code;

			if (hi < 0 || lo < 0)
				return fail(p, KK_CPE_EPERCENT, attr, i, NULL);
			code = hi * 16 + lo;
			if (code == 0x01) {
				put(p, '?');
			} else if (code == 0x02) {
				put(p, '*');
			} else if (uri_encodable(code)) {
				put_quoted(p, (char)code);
			} else {
				char form[8];

				snprintf(form, sizeof(form), "%%%c%c", to_lower((unsigned char)s[i + 1]),
					 to_lower((unsigned char)s[i + 2]));
				return fail(p, KK_CPE_EPERCENT_FORM, attr, i, form);
			}
			i += 2;
		} else if (is_punct(c)) {
			return fail(p, KK_CPE_EURI_CHAR, attr, i, NULL);
		} else {
			return fail(p, KK_CPE_ECHAR, attr, i, NULL);
		}
	}
	return end_value(p, attr);
}

/* SPEC 7695 6.1.3.2 unpack: "~ed~sw_ed~t_sw~t_hw~oth"; as in the pseudocode,
 * other takes the rest of the component, further tildes included. */
static enum kk_result uri_unpack(struct parser *p, size_t b, size_t e)
{
	static const int attrs[5] = { KK_CPE_EDITION, KK_CPE_SW_EDITION, KK_CPE_TARGET_SW,
				      KK_CPE_TARGET_HW, KK_CPE_OTHER };
	size_t field[6];
	size_t i = b + 1;
	enum kk_result result = KK_OK;
	int k = 0;

	field[0] = b + 1;
	while (k < 4 && i < e) {
		if (p->s[i] == '~')
			field[++k] = i + 1;
		i++;
	}
	if (k < 4) {
		char detail[48];

		snprintf(detail, sizeof(detail), "%d of the 5 fields", k + 1);
		return fail(p, KK_CPE_EPACKED, KK_CPE_EDITION, b, detail);
	}
	field[5] = e + 1;
	for (k = 0; k < 5 && result == KK_OK; k++)
		result = uri_value(p, attrs[k], field[k], field[k + 1] - 1);
	return result;
}

/* SPEC 7695 6.1.3.2 unbind_URI and get_comp_uri: up to seven colon-separated
 * components after "cpe:/" (Figure 6-1), unbound from left to right; missing
 * ones are ANY. */
static enum kk_result parse_uri(struct parser *p)
{
	static const int attrs[7] = { KK_CPE_PART, KK_CPE_VENDOR, KK_CPE_PRODUCT, KK_CPE_VERSION,
				      KK_CPE_UPDATE, KK_CPE_EDITION, KK_CPE_LANGUAGE };
	size_t start[7], end[7];
	size_t i, from = 5, count = 0, extra = 0;
	enum kk_result result = KK_OK;
	size_t c;

	for (i = 5; i <= p->n; i++) {
		if (i < p->n && p->s[i] != ':')
			continue;
		if (count < 7) {
			start[count] = from;
			end[count] = i;
		} else if (count == 7) {
			extra = from - 1; /* the colon that opens an eighth component */
		}
		count++;
		from = i + 1;
	}
	for (c = 0; c < 7 && c < count && result == KK_OK; c++) {
		if (attrs[c] == KK_CPE_EDITION && end[c] > start[c] && p->s[start[c]] == '~')
			result = uri_unpack(p, start[c], end[c]);
		else
			result = uri_value(p, attrs[c], start[c], end[c]);
	}
	if (result == KK_OK && count > 7) {
		char detail[64];

		snprintf(detail, sizeof(detail), "%zu components after cpe:/, at most 7", count);
		result = fail(p, KK_CPE_ECOUNT, -1, extra, detail);
	}
	return result;
}

static size_t skip_ws(const struct parser *p, size_t i)
{
	while (i < p->n && (p->s[i] == ' ' || p->s[i] == '\t' || p->s[i] == '\n' || p->s[i] == '\r'))
		i++;
	return i;
}

static int word_at(const struct parser *p, size_t i, const char *word)
{
	size_t k = strlen(word);

	return p->n - i >= k && memcmp(p->s + i, word, k) == 0 &&
	       (i + k == p->n || !(is_alnum((unsigned char)p->s[i + k]) || p->s[i + k] == '_'));
}

/* A quoted value string of the WFN notation, from the opening quote at *pos; on
 * success *pos is past the closing quote. SPEC 7695 5.3.2 rules 1-5. */
static enum kk_result wfn_string(struct parser *p, int attr, size_t *pos)
{
	size_t i = *pos + 1;

	begin_value(p, attr, i);
	for (;;) {
		unsigned char c;

		if (i >= p->n)
			return fail(p, KK_CPE_EWFN_SYNTAX, attr, *pos, "unterminated string");
		c = (unsigned char)p->s[i];
		if (c == '"')
			break;
		if (is_alnum(c) || c == '_') {
			put(p, (char)c);
		} else if (c == '\\') {
			unsigned char q;

			if (i + 1 >= p->n)
				return fail(p, KK_CPE_EESCAPE_END, attr, i, NULL);
			q = (unsigned char)p->s[++i];
			if (q == '_')
				put(p, '_');
			else if (is_alnum(q))
				return fail(p, KK_CPE_EQUOTED_ALNUM, attr, i - 1, NULL);
			else if (is_punct(q))
				put_quoted(p, (char)q);
			else
				return fail(p, KK_CPE_ECHAR, attr, i, NULL);
		} else if (c == '*' || c == '?') {
			put(p, (char)c);
		} else if (is_punct(c)) {
			return fail(p, KK_CPE_EUNQUOTED, attr, i, NULL);
		} else {
			return fail(p, KK_CPE_ECHAR, attr, i, NULL);
		}
		i++;
	}
	*pos = i + 1;
	return end_value(p, attr);
}

/*
 * SPEC 7695 5.1, 5.2: the notation wfn:[a1=v1,...], attributes in any order and
 * letter case, each at most once, unspecified ones ANY; logical values written
 * ANY and NA, value strings in double quotes. White space between the parts is
 * allowed, as in the specification's own wrapped examples.
 */
static enum kk_result parse_wfn(struct parser *p)
{
	int seen[KK_CPE_NATTR] = { 0 };
	size_t i = skip_ws(p, 5);
	enum kk_result result = KK_OK;

	if (i < p->n && p->s[i] == ']')
		goto close;
	for (;;) {
		size_t name = i;
		int attr = -1, a;

		while (i < p->n && (is_alpha((unsigned char)p->s[i]) || p->s[i] == '_'))
			i++;
		for (a = 0; a < KK_CPE_NATTR; a++)
			if (strlen(attr_names[a]) == i - name &&
			    has_prefix_ci(p->s + name, i - name, attr_names[a]))
				attr = a;
		if (i == name)
			return fail(p, KK_CPE_EWFN_SYNTAX, -1, name, "expected an attribute name");
		if (attr < 0)
			return fail(p, KK_CPE_EWFN_ATTRIBUTE, -1, name, NULL);
		if (seen[attr])
			return fail(p, KK_CPE_EWFN_DUPLICATE, attr, name, NULL);
		seen[attr] = 1;
		i = skip_ws(p, i);
		if (i >= p->n || p->s[i] != '=')
			return fail(p, KK_CPE_EWFN_SYNTAX, attr, i, "expected '='");
		i = skip_ws(p, i + 1);
		if (word_at(p, i, "ANY")) {
			result = set_logical(p, attr, KK_CPE_ANY);
			i += 3;
		} else if (word_at(p, i, "NA")) {
			result = set_logical(p, attr, KK_CPE_NA);
			i += 2;
		} else if (i < p->n && p->s[i] == '"') {
			result = wfn_string(p, attr, &i);
		} else {
			return fail(p, KK_CPE_EWFN_SYNTAX, attr, i,
				    "expected a quoted string, ANY or NA");
		}
		if (result != KK_OK)
			return result;
		i = skip_ws(p, i);
		if (i < p->n && p->s[i] == ',') {
			i = skip_ws(p, i + 1);
			continue;
		}
		if (i < p->n && p->s[i] == ']')
			break;
		return fail(p, KK_CPE_EWFN_SYNTAX, attr, i, "expected ',' or ']'");
	}
close:
	i = skip_ws(p, i + 1);
	if (i != p->n)
		return fail(p, KK_CPE_EWFN_SYNTAX, -1, i, "text after ']'");
	return KK_OK;
}

enum kk_result kk_cpe_parse_n(const char *s, size_t n, struct kk_cpe *out,
			      struct kk_cpe_error *err)
{
	struct parser p;
	enum kk_result result;
	int a;

	memset(&p, 0, sizeof(p));
	p.s = s;
	p.n = n;
	p.out = out;
	p.err = err;
	kk_cpe_init(out);
	if (err) {
		err->code = KK_CPE_EOK;
		err->attribute = -1;
		err->offset = 0;
		err->detail[0] = '\0';
		err->msg[0] = '\0';
	}

	if (n > KK_CPE_MAX_LEN) {
		char detail[48];

		snprintf(detail, sizeof(detail), "more than %d bytes", KK_CPE_MAX_LEN);
		result = fail(&p, KK_CPE_ETOO_LONG, -1, KK_CPE_MAX_LEN, detail);
		goto out;
	}
	if (has_prefix_ci(s, n, "cpe:2.3:")) {
		p.binding = BIND_FS;
	} else if (has_prefix_ci(s, n, "cpe:/")) {
		p.binding = BIND_URI;
	} else if (has_prefix_ci(s, n, "wfn:[")) {
		p.binding = BIND_WFN;
	} else {
		result = fail(&p, KK_CPE_EPREFIX, -1, 0, NULL);
		goto out;
	}

	p.cap = 2 * n + KK_CPE_NATTR + 1;
	p.buf = kk_malloc(p.cap);
	if (!p.buf) {
		result = fail(&p, KK_CPE_ENOMEM, -1, 0, NULL);
		goto out;
	}
	if (p.binding == BIND_FS)
		result = parse_fs(&p);
	else if (p.binding == BIND_URI)
		result = parse_uri(&p);
	else
		result = parse_wfn(&p);
	if (result != KK_OK)
		goto out;

	for (a = 0; a < KK_CPE_NATTR; a++)
		if (out->attr[a].kind == KK_CPE_STRING)
			out->attr[a].str = p.buf + p.off[a];
	out->buf = p.buf;
	p.buf = NULL;
out:
	free(p.buf);
	if (result != KK_OK)
		kk_cpe_init(out);
	return result;
}

enum kk_result kk_cpe_parse(const char *s, struct kk_cpe *out, struct kk_cpe_error *err)
{
	return kk_cpe_parse_n(s, strlen(s), out, err);
}

enum kk_result kk_cpe_copy(struct kk_cpe *dst, const struct kk_cpe *src)
{
	size_t total = 0, used = 0;
	char *buf;
	int a;

	for (a = 0; a < KK_CPE_NATTR; a++)
		if (src->attr[a].kind == KK_CPE_STRING)
			total += src->attr[a].len + 1;
	kk_cpe_init(dst);
	if (total == 0) {
		for (a = 0; a < KK_CPE_NATTR; a++)
			dst->attr[a].kind = src->attr[a].kind;
		return KK_OK;
	}
	buf = kk_malloc(total);
	if (!buf)
		return KK_ENOMEM;
	for (a = 0; a < KK_CPE_NATTR; a++) {
		dst->attr[a] = src->attr[a];
		if (src->attr[a].kind != KK_CPE_STRING) {
			dst->attr[a].str = "";
			continue;
		}
		memcpy(buf + used, src->attr[a].str, src->attr[a].len + 1);
		dst->attr[a].str = buf + used;
		used += src->attr[a].len + 1;
	}
	dst->buf = buf;
	return KK_OK;
}

int kk_cpe_uri_lossless(const struct kk_cpe *cpe)
{
	int a;
	unsigned i;

	for (a = 0; a < KK_CPE_NATTR; a++)
		for (i = 0; i < cpe->attr[a].len; i++)
			if (cpe->attr[a].str[i] >= 'A' && cpe->attr[a].str[i] <= 'Z')
				return 0;
	return 1;
}
