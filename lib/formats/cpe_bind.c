/*
 * cpe_bind.c: writing CPE 2.3 names (NISTIR 7695 6.1.2, 6.2.2, 5.4): binding the
 * WFN values that cpe.c read to a formatted string, a URI or the WFN notation.
 * Each writer behaves as snprintf: it returns the full length and stores what
 * fits.
 */
#include <stdio.h>
#include <string.h>

#include "keikai/cpe.h"
#include "keikai/banned.h"

/* An snprintf-like writer: counts every byte, stores those that fit. */
struct writer {
	char *buf;
	size_t size;
	size_t len;
};

static void w_putc(struct writer *w, char c)
{
	if (w->len + 1 < w->size)
		w->buf[w->len] = c;
	w->len++;
}

static void w_puts(struct writer *w, const char *s)
{
	while (*s)
		w_putc(w, *s++);
}

static size_t w_finish(struct writer *w)
{
	if (w->size > 0)
		w->buf[w->len < w->size ? w->len : w->size - 1] = '\0';
	return w->len;
}

/* SPEC 7695 6.2.2.2 bind_value_for_fs and process_quoted_chars: ANY is "*", NA
 * is "-"; quoted ".", "-" and "_" lose their backslash, every other quoted
 * character keeps it. */
static void bind_value_fs(struct writer *w, const struct kk_cpe_value *v)
{
	unsigned i;

	if (v->kind == KK_CPE_ANY) {
		w_putc(w, '*');
		return;
	}
	if (v->kind == KK_CPE_NA) {
		w_putc(w, '-');
		return;
	}
	for (i = 0; i < v->len; i++) {
		char c = v->str[i];

		if (c == '\\' && i + 1 < v->len) {
			char q = v->str[++i];

			if (q != '.' && q != '-' && q != '_')
				w_putc(w, '\\');
			w_putc(w, q);
			continue;
		}
		w_putc(w, c);
	}
}

/* SPEC 7695 6.2.2.2 bind_to_fs. */
size_t kk_cpe_to_fs(const struct kk_cpe *cpe, char *buf, size_t size)
{
	struct writer w = { buf, size, 0 };
	int a;

	w_puts(&w, "cpe:2.3:");
	for (a = 0; a < KK_CPE_NATTR; a++) {
		if (a > 0)
			w_putc(&w, ':');
		bind_value_fs(&w, &cpe->attr[a]);
	}
	return w_finish(&w);
}

/* SPEC 7695 6.1.2.3 bind_value_for_URI, transform_for_uri and pct_encode. Writes
 * nothing for ANY. */
static void bind_value_uri(struct writer *w, const struct kk_cpe_value *v)
{
	static const char hex[] = "0123456789abcdef";
	unsigned i;

	if (v->kind == KK_CPE_NA) {
		w_putc(w, '-');
		return;
	}
	for (i = 0; v->kind == KK_CPE_STRING && i < v->len; i++) {
		unsigned char c = (unsigned char)v->str[i];

		if (c == '\\' && i + 1 < v->len) {
			c = (unsigned char)v->str[++i];
			if (c == '-' || c == '.') {
				w_putc(w, (char)c);
			} else {
				w_putc(w, '%');
				w_putc(w, hex[c >> 4]);
				w_putc(w, hex[c & 15]);
			}
		} else if (c == '?') {
			w_puts(w, "%01");
		} else if (c == '*') {
			w_puts(w, "%02");
		} else {
			w_putc(w, (char)c);
		}
	}
}

/* SPEC 7695 6.1.2.3 bind_to_URI, pack and trim. */
size_t kk_cpe_to_uri(const struct kk_cpe *cpe, char *buf, size_t size)
{
	static const int attrs[7] = { KK_CPE_PART, KK_CPE_VENDOR, KK_CPE_PRODUCT, KK_CPE_VERSION,
				      KK_CPE_UPDATE, KK_CPE_EDITION, KK_CPE_LANGUAGE };
	static const int packed[5] = { KK_CPE_EDITION, KK_CPE_SW_EDITION, KK_CPE_TARGET_SW,
				       KK_CPE_TARGET_HW, KK_CPE_OTHER };
	struct writer w = { buf, size, 0 };
	size_t keep;
	int c, k;

	w_puts(&w, "cpe:/");
	keep = w.len;
	for (c = 0; c < 7; c++) {
		size_t before = w.len;

		if (attrs[c] == KK_CPE_EDITION &&
		    (cpe->attr[KK_CPE_SW_EDITION].kind != KK_CPE_ANY ||
		     cpe->attr[KK_CPE_TARGET_SW].kind != KK_CPE_ANY ||
		     cpe->attr[KK_CPE_TARGET_HW].kind != KK_CPE_ANY ||
		     cpe->attr[KK_CPE_OTHER].kind != KK_CPE_ANY)) {
			for (k = 0; k < 5; k++) {
				w_putc(&w, '~');
				bind_value_uri(&w, &cpe->attr[packed[k]]);
			}
		} else {
			bind_value_uri(&w, &cpe->attr[attrs[c]]);
		}
		if (w.len > before)
			keep = w.len; /* trim(): trailing empty components go */
		w_putc(&w, ':');
	}
	w.len = keep;
	return w_finish(&w);
}

/* The notation of SPEC 7695 5.1 and 5.3.1, every attribute listed. */
size_t kk_cpe_to_wfn(const struct kk_cpe *cpe, char *buf, size_t size)
{
	struct writer w = { buf, size, 0 };
	int a;

	w_puts(&w, "wfn:[");
	for (a = 0; a < KK_CPE_NATTR; a++) {
		const struct kk_cpe_value *v = &cpe->attr[a];

		if (a > 0)
			w_putc(&w, ',');
		w_puts(&w, kk_cpe_attr_name(a));
		w_putc(&w, '=');
		if (v->kind == KK_CPE_ANY) {
			w_puts(&w, "ANY");
		} else if (v->kind == KK_CPE_NA) {
			w_puts(&w, "NA");
		} else {
			w_putc(&w, '"');
			w_puts(&w, v->str);
			w_putc(&w, '"');
		}
	}
	w_putc(&w, ']');
	return w_finish(&w);
}
