/*
 * util.c: the capped growable buffer, string checks, random secrets and hashes of
 * util.h. The buffer's failures are sticky (util.h): buf_grow records the first
 * one in b->failed and every append starts by returning it.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/clock.h"
#include "keikai/util.h"

void kk_buf_init(struct kk_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->failed = KK_OK;
}

/* Records a failed append; returns res. */
static enum kk_result buf_fail(struct kk_buf *b, enum kk_result res)
{
	if (!b->failed)
		b->failed = res;
	return res;
}

static enum kk_result buf_grow(struct kk_buf *b, size_t extra)
{
	size_t want, cap;
	char *p;

	if (b->failed)
		return b->failed;
	if (extra > b->max || b->len > b->max - extra)
		return buf_fail(b, KK_ETOOBIG);
	want = b->len + extra + 1;
	if (want <= b->cap)
		return KK_OK;
	cap = b->cap ? b->cap : 256;
	while (cap < want)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	p = kk_realloc(b->data, cap);
	if (!p)
		return buf_fail(b, KK_ENOMEM);
	b->data = p;
	b->cap = cap;
	return KK_OK;
}

enum kk_result kk_buf_add(struct kk_buf *b, const void *p, size_t n)
{
	enum kk_result res = buf_grow(b, n);

	if (res)
		return res;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return KK_OK;
}

enum kk_result kk_buf_adds(struct kk_buf *b, const char *s)
{
	return s ? kk_buf_add(b, s, strlen(s)) : KK_OK;
}

enum kk_result kk_buf_vaddf(struct kk_buf *b, const char *fmt, va_list ap)
{
	enum kk_result res;
	va_list ap2;
	int n;

	if (b->failed)
		return b->failed;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return buf_fail(b, KK_EINVAL);
	res = buf_grow(b, (size_t)n);
	if (res)
		return res;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return KK_OK;
}

enum kk_result kk_buf_addf(struct kk_buf *b, const char *fmt, ...)
{
	enum kk_result res;
	va_list ap;

	va_start(ap, fmt);
	res = kk_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return res;
}

/* The length in bytes of the bidirectional control character s starts with
 * (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), else 0; its code
 * point in *cp. */
static size_t bidi_control(const char *s, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] == 0xd8 && u[1] == 0x9c) {
		*cp = 0x061c;
		return 2;
	}
	if (u[0] != 0xe2 || (u[1] & 0xc0) != 0x80 || (u[2] & 0xc0) != 0x80)
		return 0;
	*cp = 0x2000 | ((unsigned)(u[1] & 0x3f) << 6) | (u[2] & 0x3f);
	if (*cp == 0x200e || *cp == 0x200f || (*cp >= 0x202a && *cp <= 0x202e) || (*cp >= 0x2066 && *cp <= 0x2069))
		return 3;
	return 0;
}

int kk_has_bidi_control(const char *s)
{
	unsigned cp;

	for (; s && *s; s++)
		if (bidi_control(s, &cp))
			return 1;
	return 0;
}

enum kk_result kk_buf_add_html(struct kk_buf *b, const char *s)
{
	const char *run = s;
	enum kk_result res = KK_OK;

	if (!s)
		return KK_OK;
	for (; *s && !res; s++) {
		char shown[16];
		const char *esc;
		unsigned cp;
		size_t n = 1;

		switch (*s) {
		case '&': esc = "&amp;"; break;
		case '<': esc = "&lt;"; break;
		case '>': esc = "&gt;"; break;
		case '"': esc = "&quot;"; break;
		case '\'': esc = "&#39;"; break;
		default:
			/* a control that reverses what follows is shown, not obeyed, so a
			 * name cannot pass for another ("inv\u202etxt.exe") */
			if (!(n = bidi_control(s, &cp)))
				continue;
			snprintf(shown, sizeof(shown), "[U+%04X]", cp);
			esc = shown;
			break;
		}
		res = kk_buf_add(b, run, (size_t)(s - run));
		if (!res)
			res = kk_buf_adds(b, esc);
		s += n - 1;
		run = s + 1;
	}
	return res ? res : kk_buf_add(b, run, (size_t)(s - run));
}

enum kk_result kk_buf_add_urlenc(struct kk_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	enum kk_result res = KK_OK;

	for (; s && *s && !res; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '_' || c == '.' || c == '~') {
			res = kk_buf_add(b, s, 1);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			res = kk_buf_add(b, e, 3);
		}
	}
	return res;
}

void kk_buf_reset(struct kk_buf *b)
{
	b->len = 0;
	b->failed = KK_OK;
	if (b->data)
		b->data[0] = '\0';
}

enum kk_result kk_buf_result(const struct kk_buf *b)
{
	return b->failed;
}

enum kk_result kk_buf_finish(struct kk_buf *b, char **out)
{
	enum kk_result res = b->failed;

	*out = NULL;
	if (!res && !b->data && !(b->data = kk_calloc(1, 1)))
		res = KK_ENOMEM;
	if (res) {
		kk_buf_release(b);
		return res;
	}
	*out = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return KK_OK;
}

char *kk_buf_detach(struct kk_buf *b)
{
	char *p;

	kk_buf_finish(b, &p);
	return p;
}

void kk_buf_release(struct kk_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = KK_OK;
}

int kk_str_empty(const char *s)
{
	return !s || !*s;
}

int kk_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int kk_parse_id(const char *s, int64_t *out)
{
	int64_t v = 0;

	if (!s || *s < '1' || *s > '9' || strspn(s, "0123456789") != strlen(s))
		return -1;
	for (; *s; s++) {
		if (v > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

int kk_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* overlong forms, surrogates, beyond U+10FFFF */
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return 0;
		i += len;
	}
	return 1;
}

size_t kk_utf8_len(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int kk_has_control(const char *s, int multiline)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (multiline && (c == '\n' || c == '\r' || c == '\t'))
			continue;
		if (c < 0x20 || c == 0x7f)
			return 1;
	}
	return 0;
}

int kk_email_valid(const char *s)
{
	const char *at, *dot;
	size_t n;

	if (!s)
		return 0;
	n = strlen(s);
	at = strchr(s, '@');
	if (n > 254 || !at || at == s || strchr(at + 1, '@'))
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '(' || *p == ')' || *p == ',' ||
		    *p == ';' || *p == ':' || *p == '\\' || *p == '"' || *p == '[' || *p == ']' || *p == 0x7f)
			return 0;
	dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0' || strstr(at + 1, ".."))
		return 0;
	return 1;
}

void kk_random_secret(char *out, size_t bytes)
{
	unsigned char raw[40];

	if (bytes > sizeof(raw))
		bytes = sizeof(raw);
	randombytes_buf(raw, bytes);
	sodium_bin2base64(out, KK_SECRET_MAX, raw, bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void kk_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

unsigned char *kk_base64_decode(const char *s, size_t max, size_t *out_len, int *too_big)
{
	size_t n = strlen(s), cap = n / 4 * 3 + 3;
	unsigned char *out;
	const char *end;

	*too_big = 0;
	if (cap > max + 3 && n / 4 * 3 > max + 2) {
		*too_big = 1;
		return NULL;
	}
	out = kk_malloc(cap ? cap : 1);
	if (!out) {
		*too_big = -1;
		return NULL;
	}
	if (sodium_base642bin(out, cap, s, n, "\r\n", out_len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    *end != '\0') {
		free(out);
		return NULL;
	}
	if (*out_len > max) {
		*too_big = 1;
		free(out);
		return NULL;
	}
	return out;
}

static int dump_to_buf(const char *p, size_t n, void *b)
{
	return kk_buf_add(b, p, n) == KK_OK ? 0 : -1;
}

/* The buffer's failure is sticky, so a piece whose failure jansson ignores
 * still fails the whole text. */
char *kk_json_dumps(const json_t *j, size_t flags)
{
	struct kk_buf b;

	kk_buf_init(&b, (size_t)1 << 30);
	if (json_dump_callback(j, dump_to_buf, &b, flags) != 0) {
		kk_buf_release(&b);
		return NULL;
	}
	return kk_buf_detach(&b);
}

json_t *kk_json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *kk_json_time(int64_t t)
{
	char buf[KK_TIME_LEN];

	return t ? json_string(kk_time_format(t, buf)) : json_null();
}

char *kk_strdupf(const char *fmt, ...)
{
	struct kk_buf b;
	va_list ap;

	kk_buf_init(&b, (size_t)1 << 30);
	va_start(ap, fmt);
	kk_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return kk_buf_detach(&b);
}

int kk_cve_id_valid(const char *s)
{
	size_t n = 0;

	if (!s || strncmp(s, "CVE-", 4) != 0)
		return 0;
	s += 4;
	for (int i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	if (s[0] == '0' || s[4] != '-')
		return 0;
	s += 5;
	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return n >= 4 && n <= 19 && s[n] == '\0';
}
