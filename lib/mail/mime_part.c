/*
 * mime_part.c: the bodies of MIME entities (RFC 2045 §6, RFC 2046 §5.1):
 * transfer encodings undone, multipart bodies cut at their boundary lines,
 * and the text of an HTML part for a message that has no plain text.
 *
 * Lenient as mail readers are: base64 skips what is not in its alphabet,
 * quoted-printable keeps an '=' that starts no escape, a multipart without
 * its closing boundary ends where the data ends, and the preamble and
 * epilogue are skipped. Each function scans its input once, or, for the
 * splitter, once per boundary level (the walk bounds the levels).
 */
#include <string.h>
#include <strings.h>

#include "mime_internal.h"

enum kk_result mime_base64(const char *in, size_t n, struct kk_buf *out)
{
	unsigned acc = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];
		int v;

		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else if (c == '=') {
			/* padding ends a group; what follows (concatenated base64) starts anew */
			acc = 0;
			bits = 0;
			continue;
		} else
			continue; /* line breaks, blanks, junk */
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			char byte = (char)((acc >> (bits - 8)) & 0xFF);

			bits -= 8;
			acc &= (1u << bits) - 1;
			if (kk_buf_add(out, &byte, 1) != KK_OK)
				break;
		}
	}
	return kk_buf_result(out);
}

enum kk_result mime_qp(const char *in, size_t n, int q_header, struct kk_buf *out)
{
	size_t i = 0, run = 0;

	while (i < n) {
		int h, l;

		if (q_header && in[i] == '_') {
			kk_buf_add(out, in + run, i - run);
			kk_buf_add(out, " ", 1);
			run = ++i;
			continue;
		}
		if (in[i] != '=') {
			i++;
			continue;
		}
		kk_buf_add(out, in + run, i - run);
		if (i + 2 < n + 0 && (h = kk_hex_digit((unsigned char)in[i + 1])) >= 0 &&
		    (l = kk_hex_digit((unsigned char)in[i + 2])) >= 0) {
			char c = (char)(h * 16 + l);

			kk_buf_add(out, &c, 1);
			i += 3;
		} else if (i + 2 == n && kk_hex_digit((unsigned char)in[i + 1]) >= 0) {
			kk_buf_add(out, in + i, 2); /* "=A" at the very end */
			i += 2;
		} else {
			/* a soft line break: '=', blanks, then CR LF or LF (RFC 2045 §6.7) */
			size_t j = i + 1;

			while (j < n && (in[j] == ' ' || in[j] == '\t'))
				j++;
			if (j < n && in[j] == '\r' && j + 1 < n && in[j + 1] == '\n')
				i = j + 2;
			else if (j < n && in[j] == '\n')
				i = j + 1;
			else if (j == n)
				i = n;
			else {
				kk_buf_add(out, "=", 1); /* a bare '=' stays */
				i++;
			}
		}
		run = i;
	}
	kk_buf_add(out, in + run, n - run);
	return kk_buf_result(out);
}

enum kk_result mime_decode_body(const char *cte, const char *in, size_t n, struct kk_buf *out)
{
	char word[32] = "";
	size_t i = 0, k = 0;

	/* the first token of the value, lower case */
	if (cte) {
		while (cte[i] == ' ' || cte[i] == '\t')
			i++;
		for (; cte[i] && cte[i] != ' ' && cte[i] != '\t' && cte[i] != ';' && k + 1 < sizeof(word); i++)
			word[k++] = (char)(cte[i] >= 'A' && cte[i] <= 'Z' ? cte[i] + 32 : cte[i]);
		word[k] = '\0';
	}
	kk_buf_add(out, "", 0);
	if (strcmp(word, "base64") == 0)
		return mime_base64(in, n, out);
	if (strcmp(word, "quoted-printable") == 0)
		return mime_qp(in, n, 0, out);
	/* 7bit, 8bit, binary, x-uuencode …: as it is */
	kk_buf_add(out, in, n);
	return kk_buf_result(out);
}

void mime_split_init(struct mime_splitter *s, const char *body, size_t n, const char *boundary)
{
	memset(s, 0, sizeof(*s));
	s->body = body;
	s->n = n;
	s->boundary = boundary;
	s->blen = strlen(boundary);
}

/* Finds the next boundary line at or after from: *line its start, *after the
 * start of the next line, *close set for "--boundary--". 0 when none. */
static int find_delimiter(const struct mime_splitter *s, size_t from, size_t *line, size_t *after, int *close)
{
	while (from + 2 + s->blen <= s->n) {
		const char *p = memchr(s->body + from, '-', s->n - from);
		size_t at, i;

		if (!p)
			return 0;
		at = (size_t)(p - s->body);
		if (at + 2 + s->blen > s->n)
			return 0;
		from = at + 1;
		/* "--boundary" at the start of a line */
		if ((at > 0 && s->body[at - 1] != '\n') || s->body[at + 1] != '-' ||
		    memcmp(s->body + at + 2, s->boundary, s->blen) != 0)
			continue;
		i = at + 2 + s->blen;
		*close = i + 1 < s->n && s->body[i] == '-' && s->body[i + 1] == '-';
		if (*close)
			i += 2;
		/* then only blanks to the end of the line; otherwise a longer boundary */
		while (i < s->n && (s->body[i] == ' ' || s->body[i] == '\t' || s->body[i] == '\r'))
			i++;
		if (i < s->n && s->body[i] != '\n')
			continue;
		*line = at;
		*after = i < s->n ? i + 1 : s->n;
		return 1;
	}
	return 0;
}

int mime_split_next(struct mime_splitter *s, const char **p, size_t *len)
{
	size_t line, after, end;
	int close;

	if (s->done || s->blen == 0)
		return 0;
	if (!s->started) { /* skip the preamble */
		s->started = 1;
		if (!find_delimiter(s, 0, &line, &after, &close) || close) {
			s->done = 1;
			s->closed = close;
			return 0;
		}
		s->pos = after;
	}
	if (!find_delimiter(s, s->pos, &line, &after, &close)) {
		/* no closing boundary: the part runs to the end */
		*p = s->body + s->pos;
		*len = s->n - s->pos;
		s->done = 1;
		return 1;
	}
	/* the line break before a boundary belongs to the boundary */
	end = line;
	if (end > s->pos && s->body[end - 1] == '\n')
		end--;
	if (end > s->pos && s->body[end - 1] == '\r')
		end--;
	*p = s->body + s->pos;
	*len = end - s->pos;
	s->pos = after;
	if (close) {
		s->done = 1;
		s->closed = 1;
	}
	return 1;
}

/* The UTF-8 of code point cp (invalid ones as U+FFFD). */
static void add_cp(struct kk_buf *out, unsigned long cp)
{
	char u[4];

	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		u[0] = (char)cp;
		kk_buf_add(out, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		kk_buf_add(out, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		kk_buf_add(out, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		kk_buf_add(out, u, 4);
	}
}

/* Decodes the entity at in[0..n) (after '&'); returns the bytes read, or 0. */
static size_t entity(const char *in, size_t n, struct kk_buf *out)
{
	static const struct {
		const char *name;
		unsigned cp;
	} names[] = {
		{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' }, { "apos", '\'' },
		{ "nbsp", 0xA0 }, { "copy", 0xA9 }, { "reg", 0xAE }, { "hellip", 0x2026 },
		{ "mdash", 0x2014 }, { "ndash", 0x2013 }, { "yen", 0xA5 }, { "euro", 0x20AC },
	};
	size_t i = 0;

	if (n > 0 && in[0] == '#') {
		unsigned long cp = 0;
		int hex = n > 1 && (in[1] == 'x' || in[1] == 'X'), digits = 0;

		for (i = hex ? 2 : 1; i < n && digits < 8; i++, digits++) {
			int d = hex ? kk_hex_digit((unsigned char)in[i]) : (in[i] >= '0' && in[i] <= '9' ? in[i] - '0' : -1);

			if (d < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (!digits)
			return 0;
		add_cp(out, cp);
		return i < n && in[i] == ';' ? i + 1 : i;
	}
	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		size_t l = strlen(names[k].name);

		if (l < n && memcmp(in, names[k].name, l) == 0 && in[l] == ';') {
			add_cp(out, names[k].cp);
			return l + 1;
		}
	}
	return 0;
}

/* 1 when the tag at in[0..n) (after '<') is name, or its end tag when end. */
static int tag_is(const char *in, size_t n, const char *name, int end)
{
	size_t l = strlen(name), i = 0;

	if (end) {
		if (n < 1 || in[0] != '/')
			return 0;
		i = 1;
	}
	return n >= i + l && strncasecmp(in + i, name, l) == 0 &&
	       (n == i + l || in[i + l] == '>' || in[i + l] == ' ' || in[i + l] == '/' || in[i + l] == '\t' ||
		in[i + l] == '\n' || in[i + l] == '\r');
}

enum kk_result mime_html_text(const char *in, size_t n, struct kk_buf *out)
{
	static const char *const breaks[] = { "br", "p", "/p", "div", "/div", "tr", "li", "h1", "h2", "h3", "/h1",
					      "/h2", "/h3", "hr", "/table", "blockquote", "/blockquote" };
	size_t i = 0, run = 0;

	kk_buf_add(out, "", 0);
	while (i < n && kk_buf_result(out) == KK_OK) {
		if (in[i] == '&') {
			size_t used;

			kk_buf_add(out, in + run, i - run);
			used = entity(in + i + 1, n - i - 1, out);
			if (!used)
				kk_buf_add(out, "&", 1);
			i += used + 1;
			run = i;
			continue;
		}
		if (in[i] != '<') {
			i++;
			continue;
		}
		kk_buf_add(out, in + run, i - run);
		{
			const char *t = in + i + 1, *gt;
			size_t left = n - i - 1, tl;
			const char *skip_to = NULL;

			if (left >= 3 && memcmp(t, "!--", 3) == 0) { /* a comment */
				const char *e = memmem(t, left, "-->", 3);

				i = e ? (size_t)(e - in) + 3 : n;
				run = i;
				continue;
			}
			gt = memchr(t, '>', left);
			tl = gt ? (size_t)(gt - t) : left;
			/* what scripts, styles and the head say is not text */
			if (tag_is(t, tl, "script", 0))
				skip_to = "</script";
			else if (tag_is(t, tl, "style", 0))
				skip_to = "</style";
			else if (tag_is(t, tl, "head", 0))
				skip_to = "</head";
			for (size_t k = 0; k < sizeof(breaks) / sizeof(breaks[0]); k++)
				if (breaks[k][0] == '/' ? tag_is(t, tl, breaks[k] + 1, 1) : tag_is(t, tl, breaks[k], 0)) {
					kk_buf_add(out, "\n", 1);
					break;
				}
			i = gt ? (size_t)(gt - in) + 1 : n;
			if (skip_to) {
				size_t sl = strlen(skip_to);
				const char *e = NULL;

				for (size_t j = i; j + sl <= n; j++)
					if (in[j] == '<' && strncasecmp(in + j, skip_to, sl) == 0) {
						e = in + j;
						break;
					}
				if (e) {
					const char *g = memchr(e, '>', (size_t)(in + n - e));

					i = g ? (size_t)(g - in) + 1 : n;
				} else {
					i = n;
				}
			}
			run = i;
		}
	}
	kk_buf_add(out, in + run, i > run ? i - run : 0);
	return kk_buf_result(out);
}
