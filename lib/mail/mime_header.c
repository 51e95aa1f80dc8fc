/*
 * mime_header.c: header blocks of a message or a body part (RFC 5322 §2.2,
 * RFC 2045 §5), their decoding (RFC 2047 encoded words) and the parameters of
 * Content-Type and Content-Disposition (RFC 2045 §5.1, RFC 2231).
 *
 * Lenient on purpose: CR LF or bare LF ends a line, a line that is not a field
 * ends the block (it belongs to the body), an encoded word that does not
 * decode stays as it was written, and raw 8-bit or ISO-2022-JP bytes in a
 * header are read as what they most likely are. Nothing here recurses.
 */
#include <string.h>
#include <strings.h>

#include "mime_internal.h"

static int is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

/* 1 when line[0..n) starts a field: a name of printable characters, then
 * optional blanks (obsolete syntax), then ':'; *colon gets the colon's index. */
static int field_start(const char *line, size_t n, size_t *colon)
{
	size_t i = 0, name_end;

	while (i < n && line[i] > ' ' && line[i] < 127 && line[i] != ':')
		i++;
	name_end = i;
	while (i < n && is_wsp(line[i]))
		i++;
	if (name_end == 0 || i >= n || line[i] != ':')
		return 0;
	*colon = i;
	return 1;
}

/* Appends line[0..n) to the value in b, NUL bytes as spaces. */
static void add_value(struct kk_buf *b, const char *s, size_t n)
{
	const char *z;

	while (n && (z = memchr(s, '\0', n)) != NULL) {
		kk_buf_add(b, s, (size_t)(z - s));
		kk_buf_add(b, " ", 1);
		n -= (size_t)(z - s) + 1;
		s = z + 1;
	}
	kk_buf_add(b, s, n);
}

/* Ends the field whose name is name[0..nlen) and whose value is in b. */
static enum kk_result keep(struct mime_headers *h, const char *name, size_t nlen, struct kk_buf *b)
{
	struct mime_field *f;
	char *v, *start, *end;

	if (kk_buf_result(b) != KK_OK)
		return kk_buf_result(b);
	if (h->n >= MIME_MAX_FIELDS) {
		kk_buf_reset(b);
		return KK_OK;
	}
	if (h->n % 16 == 0) {
		f = kk_realloc(h->f, (h->n + 16) * sizeof(*f));
		if (!f)
			return KK_ENOMEM;
		h->f = f;
	}
	v = kk_buf_detach(b);
	if (!v)
		return KK_ENOMEM;
	/* trim the blanks around the value */
	for (start = v; is_wsp(*start); start++)
		;
	end = start + strlen(start);
	while (end > start && is_wsp(end[-1]))
		end--;
	*end = '\0';
	memmove(v, start, (size_t)(end - start) + 1);
	h->f[h->n].value = v;
	h->f[h->n].name = kk_strndup(name, nlen);
	if (!h->f[h->n].name) {
		free(v);
		return KK_ENOMEM;
	}
	h->n++;
	return KK_OK;
}

enum kk_result mime_headers_read(const char *data, size_t n, struct mime_headers *h, size_t *body)
{
	struct kk_buf b;
	size_t pos = 0, name_at = 0, name_len = 0;
	int open = 0; /* a field is being read */
	enum kk_result rc = KK_OK;

	memset(h, 0, sizeof(*h));
	kk_buf_init(&b, n + 1);
	while (pos < n) {
		const char *line = data + pos, *nl = memchr(line, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - line) : n - pos, next = pos + len + (nl ? 1 : 0), colon;
		size_t clen = len > 0 && line[len - 1] == '\r' ? len - 1 : len;

		if (clen == 0) { /* the empty line: the body follows */
			pos = next;
			break;
		}
		if (is_wsp(line[0]) && open) { /* a folded line: unfold */
			add_value(&b, line, clen);
			pos = next;
			continue;
		}
		if (!field_start(line, clen, &colon))
			break; /* not a field: the body starts here */
		if (open && (rc = keep(h, data + name_at, name_len, &b)) != KK_OK)
			goto out;
		name_at = pos;
		for (name_len = 0; name_len < colon && line[name_len] > ' '; name_len++)
			;
		open = 1;
		h->lines++;
		kk_buf_add(&b, "", 0);
		add_value(&b, line + colon + 1, clen - colon - 1);
		pos = next;
	}
	if (open && (rc = keep(h, data + name_at, name_len, &b)) != KK_OK)
		goto out;
	*body = pos;
out:
	kk_buf_release(&b);
	if (rc != KK_OK)
		mime_headers_release(h);
	return rc;
}

void mime_headers_release(struct mime_headers *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->n; i++) {
		free(h->f[i].name);
		free(h->f[i].value);
	}
	free(h->f);
	memset(h, 0, sizeof(*h));
}

const char *mime_header_get(const struct mime_headers *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcasecmp(h->f[i].name, name) == 0)
			return h->f[i].value;
	return NULL;
}

/* Control characters (after decoding, a header may hold CR LF) as spaces. */
static void no_controls(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

char *mime_header_plain(const char *raw)
{
	struct kk_buf b;
	char *s;

	kk_buf_init(&b, MIME_MAX_TEXT);
	mime_to_utf8(NULL, raw, strlen(raw), &b);
	s = kk_buf_detach(&b);
	if (s)
		no_controls(s);
	return s;
}

/* Appends raw header bytes that are not an encoded word: UTF-8 when they are,
 * ISO-2022-JP when they hold its escapes (Japanese mail sent unencoded). */
static void add_literal(struct kk_buf *b, const char *s, size_t n)
{
	mime_to_utf8(memchr(s, 0x1b, n) ? "iso-2022-jp" : NULL, s, n, b);
}

static const char b64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";

/* Decodes the encoded word at s ("=?charset?B|Q?text?=", RFC 2047 §2) into b;
 * returns its length, or 0 when s holds no well-formed word. *no_close is
 * where an earlier search for "?=" stopped without one (a blank or the end):
 * a word starting before it cannot end, which keeps a header full of "=?"
 * one pass rather than quadratic. */
static size_t encoded_word(const char *s, struct kk_buf *b, const char **no_close)
{
	const char *cs = s + 2, *q1 = cs, *text, *end;
	char charset[64];
	char enc;
	struct kk_buf raw;
	size_t clen;

	if (s[0] != '=' || s[1] != '?')
		return 0;
	/* a charset that leaves no room for its NUL is no word */
	while (*q1 && *q1 != '?' && (size_t)(q1 - cs) < sizeof(charset) - 1)
		q1++;
	if (*q1 != '?' || q1 == cs)
		return 0;
	enc = q1[1];
	if (!(enc == 'B' || enc == 'b' || enc == 'Q' || enc == 'q') || q1[2] != '?')
		return 0;
	text = q1 + 3;
	if (*no_close && text < *no_close)
		return 0;
	/* a word holds no blanks; B holds base64 only */
	for (end = text; *end && !(end[0] == '?' && end[1] == '='); end++)
		if ((unsigned char)*end <= ' ' || ((enc == 'B' || enc == 'b') && !strchr(b64_alphabet, *end)))
			break;
	if (!(end[0] == '?' && end[1] == '=')) {
		if (!*end || (unsigned char)*end <= ' ')
			*no_close = end;
		return 0;
	}
	clen = (size_t)(q1 - cs);
	memcpy(charset, cs, clen);
	charset[clen] = '\0';
	/* RFC 2231 §5: "charset*language" */
	if (strchr(charset, '*'))
		*strchr(charset, '*') = '\0';
	kk_buf_init(&raw, (size_t)(end - text) + 1);
	kk_buf_add(&raw, "", 0);
	if (enc == 'B' || enc == 'b')
		mime_base64(text, (size_t)(end - text), &raw);
	else
		mime_qp(text, (size_t)(end - text), 1, &raw);
	if (kk_buf_result(&raw) == KK_OK)
		mime_to_utf8(charset, raw.data, raw.len, b);
	else if (kk_buf_result(b) == KK_OK)
		b->failed = kk_buf_result(&raw);
	kk_buf_release(&raw);
	return (size_t)(end + 2 - s);
}

static int blanks_only(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_wsp(s[i]))
			return 0;
	return 1;
}

char *mime_header_decode(const char *raw)
{
	struct kk_buf b, w;
	size_t i = 0, lit = 0; /* lit: where the bytes not yet added begin */
	int after_word = 0;
	const char *no_close = NULL;
	char *s;

	kk_buf_init(&b, MIME_MAX_TEXT);
	kk_buf_init(&w, MIME_MAX_TEXT);
	while (raw[i]) {
		size_t len;

		if (raw[i] != '=' || raw[i + 1] != '?' || !(len = encoded_word(raw + i, &w, &no_close))) {
			i++;
			continue;
		}
		/* blanks between two encoded words are dropped (RFC 2047 §6.2) */
		if (!after_word || !blanks_only(raw + lit, i - lit))
			add_literal(&b, raw + lit, i - lit);
		kk_buf_add(&b, w.data ? w.data : "", w.len);
		if (kk_buf_result(&w) != KK_OK && kk_buf_result(&b) == KK_OK)
			b.failed = kk_buf_result(&w); /* out of memory: the header is lost, not cut */
		kk_buf_reset(&w);
		i += len;
		lit = i;
		after_word = 1;
	}
	add_literal(&b, raw + lit, i - lit);
	kk_buf_release(&w);
	s = kk_buf_detach(&b);
	if (s)
		no_controls(s);
	return s;
}

/* Lower-cases s in place. */
static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

char *mime_ctype(const char *value, int *nomem)
{
	size_t i = 0, start, slash = 0;
	char *t;

	while (is_wsp(value[i]))
		i++;
	start = i;
	while (value[i] && value[i] != ';' && !is_wsp(value[i]) && value[i] != '(') {
		if (value[i] == '/' && !slash)
			slash = i;
		i++;
	}
	if (!slash || slash == start || slash + 1 == i)
		return NULL;
	/* RFC 2045 §5.1: a type is a token; anything else names no type */
	for (size_t k = start; k < i; k++)
		if ((unsigned char)value[k] <= ' ' || (unsigned char)value[k] >= 127 ||
		    (k != slash && strchr("()<>@,;:\\\"/[]?=", value[k])))
			return NULL;
	t = kk_strndup(value + start, i - start);
	if (!t) {
		*nomem = 1;
		return NULL;
	}
	lower(t);
	return t;
}

/* Appends the %XX-encoded RFC 2231 value s[0..n) to b as bytes. */
static void pct_decode(const char *s, size_t n, struct kk_buf *b)
{
	for (size_t i = 0; i < n; i++) {
		int h = -1, l = -1;

		if (s[i] == '%' && i + 2 < n) {
			h = kk_hex_digit((unsigned char)s[i + 1]);
			l = kk_hex_digit((unsigned char)s[i + 2]);
		}
		if (h >= 0 && l >= 0) {
			char c = (char)(h * 16 + l);

			kk_buf_add(b, &c, 1);
			i += 2;
		} else {
			kk_buf_add(b, s + i, 1);
		}
	}
}

struct section {
	char *text;    /* the value, unquoted */
	int ext;       /* "*" form: charset'language'%XX */
	int set;
};

/* Reads the next "attribute=value" of a parameter list from *pp; returns 0
 * at the end. Only attributes that start with name are returned; the value
 * is unquoted into a new string (*val, the caller frees); attr points into
 * the input. */
static int next_param(const char **pp, const char *name, const char **attr, size_t *alen, char **val, int *nomem)
{
	size_t nlen = strlen(name);

	const char *p = *pp;
	struct kk_buf b;

	for (;;) {
		while (*p && *p != ';') { /* skip to the next ';' outside quotes */
			if (*p == '"') {
				for (p++; *p && *p != '"'; p++)
					if (*p == '\\' && p[1])
						p++;
				if (*p)
					p++;
				continue;
			}
			p++;
		}
		if (!*p)
			return 0;
		p++;
		while (is_wsp(*p))
			p++;
		*attr = p;
		while (*p && *p != '=' && *p != ';' && !is_wsp(*p))
			p++;
		*alen = (size_t)(p - *attr);
		while (is_wsp(*p))
			p++;
		if (*p != '=' || *alen == 0)
			continue;
		p++;
		while (is_wsp(*p))
			p++;
		/* another parameter: its value is skipped by the loop above, not copied */
		if (*alen < nlen || strncasecmp(*attr, name, nlen) != 0)
			continue;
		kk_buf_init(&b, MIME_MAX_TEXT);
		kk_buf_add(&b, "", 0);
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				kk_buf_add(&b, p, 1);
			}
			if (*p)
				p++;
		} else {
			const char *s = p;

			while (*p && *p != ';' && !is_wsp(*p))
				p++;
			kk_buf_add(&b, s, (size_t)(p - s));
		}
		*val = kk_buf_detach(&b);
		if (!*val) {
			*nomem = 1;
			return 0;
		}
		*pp = p;
		return 1;
	}
}

char *mime_param(const char *value, const char *name, int *nomem)
{
	struct section sec[MIME_MAX_SECTIONS];
	const char *p = value, *attr;
	size_t alen, nlen = strlen(name), count = 0;
	char *val, *plain = NULL, *result = NULL, charset[64] = "";
	struct kk_buf raw, out;

	memset(sec, 0, sizeof(sec));
	while (next_param(&p, name, &attr, &alen, &val, nomem)) {
		const char *rest = attr + nlen;
		size_t restlen = alen - nlen;

		if (alen < nlen || strncasecmp(attr, name, nlen) != 0) {
			free(val);
			continue;
		}
		if (restlen == 0) { /* name=value */
			if (!plain)
				plain = val;
			else
				free(val);
			continue;
		}
		if (rest[0] != '*') {
			free(val);
			continue;
		}
		/* name*=…, name*N=…, name*N*=… (RFC 2231 §3, §4) */
		{
			size_t idx = 0, k = 1;
			int ext = 0, digits = 0;

			while (k < restlen && rest[k] >= '0' && rest[k] <= '9' && digits < 3)
				idx = idx * 10 + (size_t)(rest[k++] - '0'), digits++;
			if (k < restlen && rest[k] == '*')
				ext = 1, k++;
			if (!digits)
				ext = 1;
			if (k != restlen || idx >= MIME_MAX_SECTIONS || sec[idx].set) {
				free(val);
				continue;
			}
			sec[idx].text = val;
			sec[idx].ext = ext;
			sec[idx].set = 1;
			count++;
		}
	}
	if (*nomem)
		goto out;
	if (!count || !sec[0].set) {
		result = plain;
		plain = NULL;
		goto out;
	}
	/* the sections in order, up to the first missing one */
	kk_buf_init(&raw, strlen(value) + 1);
	kk_buf_add(&raw, "", 0);
	for (size_t i = 0; i < MIME_MAX_SECTIONS && sec[i].set; i++) {
		const char *t = sec[i].text;

		if (i == 0 && sec[0].ext) {
			const char *q1 = strchr(t, '\''), *q2 = q1 ? strchr(q1 + 1, '\'') : NULL;

			if (q2) {
				size_t cl = (size_t)(q1 - t);

				if (cl < sizeof(charset)) {
					memcpy(charset, t, cl);
					charset[cl] = '\0';
				}
				t = q2 + 1;
			}
		}
		if (sec[i].ext)
			pct_decode(t, strlen(t), &raw);
		else
			kk_buf_adds(&raw, t);
	}
	kk_buf_init(&out, MIME_MAX_TEXT);
	if (kk_buf_result(&raw) == KK_OK)
		mime_to_utf8(charset[0] ? charset : NULL, raw.data, raw.len, &out);
	else
		out.failed = kk_buf_result(&raw);
	kk_buf_release(&raw);
	result = kk_buf_detach(&out);
	if (!result)
		*nomem = 1;
out:
	for (size_t i = 0; i < MIME_MAX_SECTIONS; i++)
		free(sec[i].text);
	free(plain);
	return result;
}
