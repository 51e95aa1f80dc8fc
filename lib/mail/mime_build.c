/*
 * mime_build.c: the MIME writer of composed messages (issue 11 item 2; RFC
 * 5322, 2045, 2047). Everything it writes is 7-bit: headers in ASCII, with
 * UTF-8 text as RFC 2047 B-encoded words that never split a character, and
 * bodies in base64 lines of 76 characters, so no line comes near RFC 5322's
 * 998 and no relay needs 8BITMIME. Lines end in CRLF. ISO-2022-JP is not
 * written: every reader keikai writes to reads UTF-8.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keikai/alloc.h"
#include "keikai/util.h"
#include "compose_internal.h"

/* RFC 5322 2.1.1: lines SHOULD stay within 78 characters. */
#define LINE_SOFT 78
/* Bytes of text per encoded word: 36 bytes are 48 base64 characters, so a
 * word ("=?UTF-8?B?" ... "?=") is 60 and the first line, "Subject: " and
 * a word, stays under 78. */
#define WORD_BYTES 36
/* Bytes per base64 line: 57 bytes are 76 characters (RFC 2045 6.8). */
#define B64_LINE_BYTES 57

static int plain_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	/* text that looks like an encoded word is encoded, so it reads as written */
	return !strstr(s, "=?");
}

enum kk_result kk_mime_header(struct kk_buf *o, const char *name, const char *value)
{
	size_t col = strlen(name) + 2;
	const char *p = value;

	kk_buf_adds(o, name);
	kk_buf_adds(o, ": ");
	while (*p) {
		const char *sp = strchr(p + 1, ' ');
		size_t word = sp ? (size_t)(sp - p) : strlen(p);

		/* fold before a space when the word would pass the soft limit */
		if (p != value && *p == ' ' && col + word > LINE_SOFT) {
			kk_buf_adds(o, "\r\n");
			col = 0;
		}
		kk_buf_add(o, p, word);
		col += word;
		p += word;
	}
	return kk_buf_adds(o, "\r\n");
}

/* The length of the longest prefix of s (at most max bytes) that ends on a
 * UTF-8 character boundary; at least one character. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max;

	while (n > 0 && n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	if (n == 0) { /* a character longer than max: keep it whole */
		n = 1;
		while (n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
			n++;
	}
	return n;
}

/* Appends text as RFC 2047 B-encoded words separated by folds. */
static enum kk_result encoded_words(struct kk_buf *o, const char *text)
{
	size_t len = strlen(text), at = 0;
	char b64[sodium_base64_ENCODED_LEN(64, sodium_base64_VARIANT_ORIGINAL)];

	if (!len)
		return KK_OK;
	while (at < len) {
		size_t n = utf8_cut(text + at, len - at, WORD_BYTES);

		if (n > 64) /* only a malformed "character" could be this long */
			n = 64;
		sodium_bin2base64(b64, sizeof(b64), (const unsigned char *)text + at, n,
				  sodium_base64_VARIANT_ORIGINAL);
		if (at)
			kk_buf_adds(o, "\r\n "); /* RFC 2047 6.2: the space between words is not text */
		kk_buf_addf(o, "=?UTF-8?B?%s?=", b64);
		at += n;
	}
	return kk_buf_result(o);
}

enum kk_result kk_mime_header_text(struct kk_buf *o, const char *name, const char *text)
{
	if (plain_ascii(text))
		return kk_mime_header(o, name, text);
	kk_buf_adds(o, name);
	kk_buf_adds(o, ": ");
	encoded_words(o, text);
	return kk_buf_adds(o, "\r\n");
}

enum kk_result kk_mime_header_addr(struct kk_buf *o, const char *name, const char *display, const char *addr)
{
	int quote = 0;

	if (kk_str_empty(display))
		return kk_mime_header(o, name, addr);
	kk_buf_adds(o, name);
	kk_buf_adds(o, ": ");
	if (plain_ascii(display)) {
		/* RFC 5322 3.2.4: a display name with specials goes in quotes */
		quote = strpbrk(display, "()<>[]:;@\\,.\"") != NULL;
		if (quote)
			kk_buf_adds(o, "\"");
		for (const char *p = display; *p; p++) {
			if (quote && (*p == '"' || *p == '\\'))
				kk_buf_adds(o, "\\");
			kk_buf_add(o, p, 1);
		}
		if (quote)
			kk_buf_adds(o, "\"");
	} else {
		encoded_words(o, display);
	}
	kk_buf_addf(o, " <%s>", addr);
	return kk_buf_adds(o, "\r\n");
}

enum kk_result kk_mime_base64(struct kk_buf *o, const void *data, size_t n)
{
	const unsigned char *p = data;
	char line[sodium_base64_ENCODED_LEN(B64_LINE_BYTES, sodium_base64_VARIANT_ORIGINAL)];

	for (size_t at = 0; at < n; at += B64_LINE_BYTES) {
		size_t k = n - at < B64_LINE_BYTES ? n - at : B64_LINE_BYTES;

		sodium_bin2base64(line, sizeof(line), p + at, k, sodium_base64_VARIANT_ORIGINAL);
		kk_buf_adds(o, line);
		kk_buf_adds(o, "\r\n");
	}
	return kk_buf_result(o);
}

enum kk_result kk_mime_crlf(struct kk_buf *o, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n && p[n - 1] == '\r')
			n--;
		kk_buf_add(o, p, n);
		kk_buf_adds(o, "\r\n");
		p = nl ? nl + 1 : p + strlen(p);
	}
	return kk_buf_result(o);
}

void kk_mime_date(int64_t t, char out[32])
{
	static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;

	/* the names in English whatever the locale: RFC 5322 3.3 */
	if (!gmtime_r(&tt, &tm)) {
		snprintf(out, 32, "Thu, 01 Jan 1970 00:00:00 +0000");
		return;
	}
	snprintf(out, 32, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday % 7], tm.tm_mday,
		 months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void kk_mime_boundary(char out[40])
{
	char secret[KK_SECRET_MAX];

	/* 18 random bytes: no body line can be the boundary by chance */
	kk_random_secret(secret, 18);
	snprintf(out, 40, "kk=%s", secret);
}

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s++, n -= 2;
	return kk_strndup(s, n);
}

int kk_mime_split_from(const char *from, char **display, char **addr)
{
	const char *lt = from ? strchr(from, '<') : NULL, *gt = lt ? strchr(lt, '>') : NULL;

	*display = *addr = NULL;
	if (!from)
		return -1;
	if (lt && gt) {
		*display = trimmed(from, (size_t)(lt - from));
		*addr = trimmed(lt + 1, (size_t)(gt - lt - 1));
	} else {
		*display = kk_strdup("");
		*addr = trimmed(from, strlen(from));
	}
	if (!*display || !*addr || !kk_email_valid(*addr)) {
		free(*display);
		free(*addr);
		*display = *addr = NULL;
		return -1;
	}
	return 0;
}
