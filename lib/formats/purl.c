/*
 * purl.c: the package URL parser of purl.h, after the purl specification's "How
 * to parse a purl string in its components". The input is cut from both ends in
 * the specification's order; each piece is checked and decoded into one block
 * the size of the input, so a parse makes a single allocation.
 */
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/purl.h"
#include "keikai/util.h"

void kk_purl_init(struct kk_purl *purl)
{
	memset(purl, 0, sizeof(*purl));
}

void kk_purl_release(struct kk_purl *purl)
{
	if (!purl)
		return;
	free(purl->buf);
	kk_purl_init(purl);
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* The output block and where the next piece goes. */
struct out {
	char *buf;
	size_t len;
};

/*
 * Appends s[0..n) percent-decoded to o, NUL-terminated, and returns where it
 * starts; NULL when an escape is malformed or the decoded text holds a NUL or is
 * not UTF-8 (*why says which).
 */
static const char *decode(struct out *o, const char *s, size_t n, const char **why)
{
	char *start = o->buf + o->len, *w = start;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			*w++ = s[i];
			continue;
		}
		if (i + 2 >= n || kk_hex_digit(s[i + 1]) < 0 || kk_hex_digit(s[i + 2]) < 0) {
			*why = N_("A percent sign must be followed by two hexadecimal digits.");
			return NULL;
		}
		*w++ = (char)(kk_hex_digit(s[i + 1]) * 16 + kk_hex_digit(s[i + 2]));
		i += 2;
	}
	if (memchr(start, '\0', (size_t)(w - start)) || !kk_utf8_valid(start, (size_t)(w - start))) {
		*why = N_("The decoded text must be UTF-8 without NUL characters.");
		return NULL;
	}
	*w++ = '\0';
	o->len = (size_t)(w - o->buf);
	return start;
}

/*
 * Appends the '/'-separated segments of s[0..n) to o, each decoded, empty ones
 * dropped, joined by '/'. Returns the joined text, "" when there was no segment.
 * With strict set, "." and ".." are refused (the subpath).
 */
static const char *segments(struct out *o, const char *s, size_t n, int strict, const char **why)
{
	size_t start = o->len;
	size_t i = 0;
	int any = 0;

	while (i < n) {
		size_t j = i;
		const char *seg;

		while (j < n && s[j] != '/')
			j++;
		if (j > i) {
			if (any)
				o->buf[o->len - 1] = '/'; /* the previous NUL becomes the separator */
			seg = decode(o, s + i, j - i, why);
			if (!seg)
				return NULL;
			if (strict && (!strcmp(seg, ".") || !strcmp(seg, ".."))) {
				*why = N_("A subpath segment must not be \".\" or \"..\".");
				return NULL;
			}
			if (strchr(seg, '/')) {
				*why = N_("A segment must not hold an encoded slash.");
				return NULL;
			}
			any = 1;
		}
		i = j + 1;
	}
	if (!any)
		o->buf[o->len++] = '\0';
	return o->buf + start;
}

/* Checks the qualifiers "k=v&k=v" (keys unique in any case, values decodable). */
static int qualifiers_ok(const char *q, size_t n, const char **why)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i, eq;

		while (j < n && q[j] != '&')
			j++;
		if (j == i) {
			i = j + 1;
			continue;
		}
		eq = i;
		while (eq < j && q[eq] != '=')
			eq++;
		if (eq == j || eq == i) {
			*why = N_("Each qualifier must be key=value.");
			return 0;
		}
		if (is_digit(q[i])) {
			*why = N_("A qualifier key must not start with a digit.");
			return 0;
		}
		for (size_t k = i; k < eq; k++) {
			char c = q[k];

			if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '-' && c != '_') {
				*why = N_("A qualifier key may hold only letters, digits, '.', '-' and '_'.");
				return 0;
			}
		}
		for (size_t k = eq + 1; k < j; k++) {
			if (q[k] == '%' && (k + 2 >= j || kk_hex_digit(q[k + 1]) < 0 || kk_hex_digit(q[k + 2]) < 0)) {
				*why = N_("A percent sign must be followed by two hexadecimal digits.");
				return 0;
			}
		}
		/* a key given twice: compare with every later key */
		for (size_t a = j + 1; a < n;) {
			size_t b = a, e;

			while (b < n && q[b] != '&')
				b++;
			e = a;
			while (e < b && q[e] != '=')
				e++;
			if (e - a == eq - i) {
				size_t k = 0;

				while (k < eq - i && lower(q[a + k]) == lower(q[i + k]))
					k++;
				if (k == eq - i) {
					*why = N_("A qualifier key is given twice.");
					return 0;
				}
			}
			a = b + 1;
		}
		i = j + 1;
	}
	return 1;
}

static enum kk_result bad(struct kk_purl *out, struct out *o, struct kk_error *err, const char *why)
{
	free(o->buf);
	kk_purl_init(out);
	return kk_error_set(err, KK_EINVAL, "%s", _(why));
}

enum kk_result kk_purl_parse(const char *s, struct kk_purl *out, struct kk_error *err)
{
	struct out o = { NULL, 0 };
	const char *why = NULL;
	const char *end, *p, *hash, *qmark, *slash, *at;
	size_t n;

	kk_purl_init(out);
	if (!s)
		return kk_error_set(err, KK_EINVAL, "%s", _("A package URL is required."));
	n = strlen(s);
	if (n > KK_PURL_MAX_LEN)
		return kk_error_set(err, KK_ETOOBIG, _("A package URL may be at most %d bytes long."),
				    KK_PURL_MAX_LEN);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f)
			return kk_error_set(err, KK_EINVAL, "%s",
					    _("A package URL must hold only printable ASCII, with spaces percent-encoded."));
	}
	/* the pieces are at most the input, plus a NUL each and one for an empty subpath */
	o.buf = kk_malloc(n + 8);
	if (!o.buf)
		return kk_error_nomem(err);

	end = s + n;
	/* subpath: after the last '#' */
	hash = memchr(s, '#', n);
	if (hash) {
		const char *last = hash;

		while ((p = memchr(last + 1, '#', (size_t)(end - last - 1))) != NULL)
			last = p;
		hash = last;
	}
	/* qualifiers: after the last '?' before the subpath */
	qmark = NULL;
	for (p = s; p < (hash ? hash : end); p++)
		if (*p == '?')
			qmark = p;

	/* scheme */
	if (n < 4 || lower(s[0]) != 'p' || lower(s[1]) != 'k' || lower(s[2]) != 'g' || s[3] != ':')
		return bad(out, &o, err, N_("A package URL must start with \"pkg:\"."));
	p = s + 4;
	end = qmark ? qmark : hash ? hash : end;
	while (p < end && *p == '/')
		p++;
	while (end > p && end[-1] == '/')
		end--;

	/* type: up to the first '/' */
	slash = memchr(p, '/', (size_t)(end - p));
	if (!slash || slash == p)
		return bad(out, &o, err, N_("A package URL needs a type and a name: pkg:type/name."));
	if (is_digit(*p))
		return bad(out, &o, err, N_("A package type must not start with a digit."));
	out->type = o.buf + o.len;
	for (const char *t = p; t < slash; t++) {
		if (!is_alpha(*t) && !is_digit(*t) && *t != '.' && *t != '+' && *t != '-')
			return bad(out, &o, err,
				   N_("A package type may hold only letters, digits, '.', '+' and '-'."));
		o.buf[o.len++] = lower(*t);
	}
	o.buf[o.len++] = '\0';
	p = slash + 1;

	/* version: after the last '@' (of the name: not one in the namespace) */
	at = NULL;
	for (const char *t = end; t > p; t--) {
		if (t[-1] == '/')
			break;
		if (t[-1] == '@') {
			at = t - 1;
			break;
		}
	}
	if (at) {
		out->version = decode(&o, at + 1, (size_t)(end - at - 1), &why);
		if (!out->version)
			return bad(out, &o, err, why);
		if (!*out->version)
			out->version = NULL;
		end = at;
	}

	/* name: after the last '/' */
	slash = NULL;
	for (const char *t = end; t > p; t--)
		if (t[-1] == '/') {
			slash = t - 1;
			break;
		}
	out->name = decode(&o, slash ? slash + 1 : p, (size_t)(end - (slash ? slash + 1 : p)), &why);
	if (!out->name)
		return bad(out, &o, err, why);
	if (!*out->name)
		return bad(out, &o, err, N_("A package URL must name the package."));
	if (strchr(out->name, '/'))
		return bad(out, &o, err, N_("A segment must not hold an encoded slash."));

	/* namespace: what is left */
	if (slash) {
		out->namespace = segments(&o, p, (size_t)(slash - p), 0, &why);
		if (!out->namespace)
			return bad(out, &o, err, why);
		if (!*out->namespace)
			out->namespace = NULL;
	}

	if (qmark) {
		const char *qend = hash ? hash : s + n;

		if (!qualifiers_ok(qmark + 1, (size_t)(qend - qmark - 1), &why))
			return bad(out, &o, err, why);
		if (qend > qmark + 1) {
			out->qualifiers = o.buf + o.len;
			memcpy(o.buf + o.len, qmark + 1, (size_t)(qend - qmark - 1));
			o.len += (size_t)(qend - qmark - 1);
			o.buf[o.len++] = '\0';
		}
	}
	if (hash) {
		out->subpath = segments(&o, hash + 1, (size_t)(s + n - hash - 1), 1, &why);
		if (!out->subpath)
			return bad(out, &o, err, why);
		if (!*out->subpath)
			out->subpath = NULL;
	}
	out->buf = o.buf;
	return KK_OK;
}
