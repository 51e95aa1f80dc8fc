/*
 * mime_charset.c: text of any charset a message names, made UTF-8 (issue 11,
 * item 4). glibc's iconv does the work; this file only picks the converter a
 * charset label means in practice (Shift_JIS mail is CP932, ISO-2022-JP mail
 * carries JIS X 0201 kana and NEC row 13, ISO-8859-1 mail is Windows-1252)
 * and turns what cannot be read into U+FFFD instead of failing. A label iconv
 * does not know keeps the bytes only where they are valid UTF-8.
 *
 * ISO-2022-JP is read by hand into EUC-JP and then by iconv's EUC-JP-MS:
 * mail written by Windows puts NEC row 13 (①, ㈱) and IBM extensions under
 * the plain JIS X 0208 escape, which glibc's ISO-2022-JP converters refuse,
 * and EUC-JP-MS has them all.
 */
#include <errno.h>
#include <iconv.h>
#include <string.h>

#include "mime_internal.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

size_t mime_utf8_seq(const unsigned char *p, size_t n)
{
	size_t len;
	unsigned cp;

	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		len = 2, cp = p[0] & 0x1F;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		len = 3, cp = p[0] & 0x0F;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	/* no overlong forms, surrogates or code points past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* Valid UTF-8 as it is, anything else (and NUL) as U+FFFD. */
static enum kk_result utf8_clean(const char *in, size_t n, struct kk_buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, run = 0;

	while (i < n) {
		size_t l = p[i] ? mime_utf8_seq(p + i, n - i) : 0;

		if (l) {
			i += l;
			continue;
		}
		kk_buf_add(out, in + run, i - run);
		kk_buf_add(out, replacement, 3);
		i++;
		run = i;
	}
	kk_buf_add(out, in + run, n - run);
	return kk_buf_result(out);
}

/* The iconv name for a label, lower-cased into low; "" for "read as UTF-8". */
static const char *converter(const char *charset, char *low, size_t size)
{
	static const struct {
		const char *label, *iconv;
	} aliases[] = {
		{ "utf-8", "" }, { "utf8", "" }, { "us-ascii", "" }, { "ascii", "" },
		{ "ansi_x3.4-1968", "" }, { "unknown-8bit", "" }, { "x-unknown", "" },
		{ "shift_jis", "CP932" }, { "shift-jis", "CP932" }, { "sjis", "CP932" },
		{ "x-sjis", "CP932" }, { "ms_kanji", "CP932" }, { "csshiftjis", "CP932" },
		{ "windows-31j", "CP932" }, { "cp932", "CP932" }, { "ms932", "CP932" },
		{ "iso-2022-jp", "iso-2022-jp" }, { "csiso2022jp", "iso-2022-jp" }, { "iso-2022-jp-ms", "iso-2022-jp" },
		{ "cp50220", "iso-2022-jp" }, { "cp50221", "iso-2022-jp" }, { "cp50222", "iso-2022-jp" },
		{ "euc-jp", "EUC-JP-MS" }, { "x-euc-jp", "EUC-JP-MS" }, { "eucjp-ms", "EUC-JP-MS" }, { "euc-jp-ms", "EUC-JP-MS" },
		{ "iso-8859-1", "WINDOWS-1252" }, { "latin1", "WINDOWS-1252" }, { "us", "" },
	};
	size_t i;

	if (!charset)
		return "";
	for (i = 0; charset[i] && i + 1 < size; i++) {
		unsigned char c = (unsigned char)charset[i];

		/* a label is a token; anything else cannot name a converter */
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-_.:+()", c)))
			return "";
		low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	if (charset[i])
		return "";
	low[i] = '\0';
	for (size_t k = 0; k < sizeof(aliases) / sizeof(aliases[0]); k++)
		if (strcmp(low, aliases[k].label) == 0)
			return aliases[k].iconv;
	return low;
}

/* Appends iconv's output chunk[0..len), NUL bytes (from NUL input) as U+FFFD. */
static void put(struct kk_buf *out, const char *chunk, size_t len)
{
	const char *c = chunk, *end = chunk + len, *z;

	while ((z = memchr(c, '\0', (size_t)(end - c))) != NULL) {
		kk_buf_add(out, c, (size_t)(z - c));
		kk_buf_add(out, replacement, 3);
		c = z + 1;
	}
	kk_buf_add(out, c, (size_t)(end - c));
}

/* Runs cd over the input; a byte it cannot read is skipped as U+FFFD. */
static enum kk_result convert(iconv_t cd, const char *in, size_t n, struct kk_buf *out)
{
	char chunk[4096];
	char *ip = (char *)in, *op;
	size_t left = n, room;

	while (left > 0 && kk_buf_result(out) == KK_OK) {
		size_t r;
		int e;

		op = chunk;
		room = sizeof(chunk);
		r = iconv(cd, &ip, &left, &op, &room);
		e = errno;
		put(out, chunk, (size_t)(op - chunk));
		if (r != (size_t)-1 || e == E2BIG)
			continue;
		kk_buf_add(out, replacement, 3);
		if (e != EILSEQ)
			break; /* EINVAL: a sequence cut short at the end */
		ip++;
		left--;
	}
	/* the end of a stateful charset (ISO-2022-JP) */
	op = chunk;
	room = sizeof(chunk);
	iconv(cd, NULL, NULL, &op, &room);
	put(out, chunk, (size_t)(op - chunk));
	return kk_buf_result(out);
}

/* ISO-2022-JP (RFC 1468, with JIS X 0201 kana and JIS X 0212 as mailers
 * send them) as EUC-JP into out; a byte it cannot place becomes 0xFF, which
 * EUC-JP-MS then reads as U+FFFD. */
static enum kk_result iso2022jp_to_eucjp(const char *in, size_t n, struct kk_buf *out)
{
	enum { ASCII, KANA, X0208, X0212 } set = ASCII;
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0;

	while (i < n && kk_buf_result(out) == KK_OK) {
		unsigned char c = p[i], e[3];

		if (c == 0x1b) { /* an escape sequence switches the set */
			if (i + 2 < n && p[i + 1] == '(' && (p[i + 2] == 'B' || p[i + 2] == 'J' || p[i + 2] == 'H'))
				set = ASCII, i += 3;
			else if (i + 2 < n && p[i + 1] == '(' && p[i + 2] == 'I')
				set = KANA, i += 3;
			else if (i + 2 < n && p[i + 1] == '$' && (p[i + 2] == '@' || p[i + 2] == 'B'))
				set = X0208, i += 3;
			else if (i + 3 < n && p[i + 1] == '$' && p[i + 2] == '(' && (p[i + 3] == 'D'))
				set = X0212, i += 4;
			else if (i + 3 < n && p[i + 1] == '$' && p[i + 2] == '(' && (p[i + 3] == 'B' || p[i + 3] == '@'))
				set = X0208, i += 4;
			else
				kk_buf_add(out, "\xff", 1), i++;
			continue;
		}
		if (c == 0x0e || c == 0x0f) { /* SO / SI: kana on and off */
			set = c == 0x0e ? KANA : ASCII;
			i++;
			continue;
		}
		if (c == '\r' || c == '\n' || set == ASCII || c < 0x21 || c > 0x7e) {
			/* controls and blanks pass; 8-bit bytes have no place here */
			e[0] = c >= 0x80 ? 0xff : c;
			kk_buf_add(out, e, 1);
			i++;
			continue;
		}
		if (set == KANA) {
			e[0] = 0x8e;
			e[1] = (unsigned char)(c | 0x80);
			kk_buf_add(out, e, 2);
			i++;
			continue;
		}
		if (i + 1 >= n || p[i + 1] < 0x21 || p[i + 1] > 0x7e) {
			kk_buf_add(out, "\xff", 1);
			i++;
			continue;
		}
		if (set == X0212) {
			e[0] = 0x8f;
			e[1] = (unsigned char)(c | 0x80);
			e[2] = (unsigned char)(p[i + 1] | 0x80);
			kk_buf_add(out, e, 3);
		} else {
			e[0] = (unsigned char)(c | 0x80);
			e[1] = (unsigned char)(p[i + 1] | 0x80);
			kk_buf_add(out, e, 2);
		}
		i += 2;
	}
	return kk_buf_result(out);
}

enum kk_result mime_to_utf8(const char *charset, const char *in, size_t n, struct kk_buf *out)
{
	char low[64];
	const char *name = converter(charset, low, sizeof(low));
	iconv_t cd;
	enum kk_result rc;

	if (!*name)
		return utf8_clean(in, n, out);
	if (strcmp(name, "iso-2022-jp") == 0) {
		struct kk_buf euc;

		kk_buf_init(&euc, 2 * n + 1);
		rc = iso2022jp_to_eucjp(in, n, &euc);
		if (rc == KK_OK)
			rc = mime_to_utf8("EUC-JP-MS", euc.data ? euc.data : "", euc.len, out);
		else if (kk_buf_result(out) == KK_OK)
			out->failed = rc; /* the caller looks at out */
		kk_buf_release(&euc);
		return rc;
	}
	cd = iconv_open("UTF-8", name);
	if (cd == (iconv_t)-1)
		return utf8_clean(in, n, out);
	rc = convert(cd, in, n, out);
	iconv_close(cd);
	return rc;
}
