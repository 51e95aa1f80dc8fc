/*
 * feed_write.c: writing a feed's XML with libxml2's xmlTextWriter (so every
 * escape is libxml2's: <, >, &, quotes, and the carriage returns and tabs an
 * attribute would lose), into a struct kk_buf whose cap bounds the document;
 * and the mod_sec 3.0 elements both feeds carry (feed_impl.h).
 *
 * What XML 1.0 cannot carry at all, escaped or not (section 2.2, Char: control
 * characters but tab, line feed and carriage return; U+FFFE and U+FFFF; bytes
 * that are not UTF-8; a NUL ends a C string anyway), is replaced by U+FFFD
 * before libxml2 sees it, so that one bad character in one advisory shows as
 * such instead of making the whole feed unreadable or refused (issue 12: the
 * feed is what the public follows). Bidirectional controls, which would make a
 * reader show a title as another text, are shown as "[U+202E]", as the portal's
 * pages do (util.h kk_buf_add_html).
 */
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "formats/feed_impl.h"

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

/* libxml2 2.12 made the error it passes const (as lib/formats/cwe_import.c). */
#if LIBXML_VERSION >= 21200
#define XML_ERROR_CONST const
#else
#define XML_ERROR_CONST
#endif

/* The output of libxml2's writer: the capped document buffer. */
static int doc_write(void *ctx, const char *p, int n)
{
	return kk_buf_add(ctx, p, (size_t)n) == KK_OK ? n : -1;
}

static int doc_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* libxml2 would print why a write failed on stderr (I/O error : write error);
 * the result says it instead. */
static void quiet(void *ctx, XML_ERROR_CONST xmlError *e)
{
	(void)ctx;
	(void)e;
}

/* A writer call's result: a failure is kept, and stops every later call. */
static void wrote(struct feed_writer *fw, int rc)
{
	if (rc < 0 && !fw->failed)
		fw->failed = KK_EIO;
}

enum kk_result feed_open(struct feed_writer *fw, size_t max, struct kk_error *err)
{
	xmlOutputBufferPtr ob;

	memset(fw, 0, sizeof(*fw));
	kk_buf_init(&fw->doc, max);
	kk_buf_init(&fw->text, max);
	pthread_once(&xml_once, xmlInitParser);
	/* the handler is the calling thread's own (libxml2's globals are per thread) */
	fw->old_handler = xmlStructuredError;
	fw->old_ctx = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(NULL, quiet);
	ob = xmlOutputBufferCreateIO(doc_write, doc_close, &fw->doc, NULL);
	fw->w = ob ? xmlNewTextWriter(ob) : NULL;
	if (!fw->w) {
		if (ob)
			xmlOutputBufferClose(ob);
		xmlSetStructuredErrorFunc(fw->old_ctx, fw->old_handler);
		return kk_error_nomem(err);
	}
	wrote(fw, xmlTextWriterSetIndent(fw->w, 1));
	wrote(fw, xmlTextWriterSetIndentString(fw->w, BAD_CAST "  "));
	if (!fw->failed)
		wrote(fw, xmlTextWriterStartDocument(fw->w, "1.0", "UTF-8", NULL));
	return KK_OK;
}

enum kk_result feed_begin(const struct kk_feed *f, struct feed_writer *fw, const struct kk_buf *out,
			  struct kk_error *err)
{
	enum kk_result res = kk_feed_check(f, err);

	return res ? res : feed_open(fw, out->max - out->len, err);
}

enum kk_result feed_close(struct feed_writer *fw, struct kk_buf *out, struct kk_error *err)
{
	enum kk_result res;
	size_t max = fw->doc.max;

	if (!fw->failed)
		wrote(fw, xmlTextWriterEndDocument(fw->w)); /* closes what is open, flushes */
	xmlFreeTextWriter(fw->w);                           /* flushes and closes the output */
	fw->w = NULL;
	xmlSetStructuredErrorFunc(fw->old_ctx, fw->old_handler);
	/* the buffers say why the writer failed when it was theirs */
	res = kk_buf_result(&fw->doc);
	if (!res)
		res = kk_buf_result(&fw->text);
	if (!res)
		res = fw->failed;
	if (!res)
		res = kk_buf_add(out, fw->doc.data ? fw->doc.data : "", fw->doc.len);
	kk_buf_release(&fw->doc);
	kk_buf_release(&fw->text);
	switch (res) {
	case KK_OK:
		return KK_OK;
	case KK_ENOMEM:
		return kk_error_nomem(err);
	case KK_ETOOBIG:
		return kk_error_set(err, KK_ETOOBIG, _("The feed would be larger than %zu bytes."), max);
	default:
		return kk_error_set(err, KK_EIO, "%s", _("The feed could not be written."));
	}
}

/*
 * Text.
 */

/* The code point of the UTF-8 sequence at s, its length in *len; -1 for a
 * malformed one (overlong, a surrogate, past U+10FFFF, cut short: *len then
 * covers the bytes that belong to it, at least 1). */
static long utf8_next(const unsigned char *s, size_t *len)
{
	unsigned c = s[0];
	size_t n;
	long cp;

	*len = 1;
	if (c < 0x80)
		return c;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return -1;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) { /* the NUL at the end stops here too */
			*len = i;
			return -1;
		}
		cp = cp << 6 | (s[i] & 0x3f);
	}
	*len = n;
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	return cp;
}

/* XML 1.0 section 2.2: Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF] (surrogates never decode, see utf8_next). */
static int xml_char(long cp)
{
	return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp != 0xfffe && cp != 0xffff);
}

/* U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069 (as util.c). */
static int bidi_control(long cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

const char *feed_clean(struct kk_buf *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, run = 0, len;
	long cp;

	/* most text needs nothing: hand it back as it is */
	for (i = 0; u[i]; i += len) {
		cp = utf8_next(u + i, &len);
		if (cp < 0 || !xml_char(cp) || bidi_control(cp))
			break;
	}
	if (!u[i])
		return s;
	kk_buf_reset(b);
	kk_buf_add(b, "", 0);
	for (i = run = 0; u[i]; i += len) {
		cp = utf8_next(u + i, &len);
		if (cp >= 0 && xml_char(cp) && !bidi_control(cp))
			continue;
		kk_buf_add(b, s + run, i - run);
		if (cp >= 0 && bidi_control(cp))
			kk_buf_addf(b, "[U+%04lX]", (unsigned long)cp);
		else
			kk_buf_adds(b, "\xef\xbf\xbd"); /* U+FFFD REPLACEMENT CHARACTER */
		run = i + len;
	}
	kk_buf_add(b, s + run, i - run);
	return kk_buf_result(b) ? NULL : b->data;
}

/*
 * Elements.
 */

void feed_start(struct feed_writer *fw, const char *name)
{
	if (!fw->failed)
		wrote(fw, xmlTextWriterStartElement(fw->w, BAD_CAST name));
}

void feed_end(struct feed_writer *fw)
{
	if (!fw->failed)
		wrote(fw, xmlTextWriterEndElement(fw->w));
}

void feed_attr(struct feed_writer *fw, const char *name, const char *value)
{
	const char *v;

	if (fw->failed)
		return;
	if (!(v = feed_clean(&fw->text, value)))
		fw->failed = kk_buf_result(&fw->text);
	else
		wrote(fw, xmlTextWriterWriteAttribute(fw->w, BAD_CAST name, BAD_CAST v));
}

void feed_elem(struct feed_writer *fw, const char *name, const char *text)
{
	const char *v;

	if (fw->failed || !text)
		return;
	if (!(v = feed_clean(&fw->text, text)))
		fw->failed = kk_buf_result(&fw->text);
	else
		wrote(fw, xmlTextWriterWriteElement(fw->w, BAD_CAST name, BAD_CAST v));
}

void feed_elem_time(struct feed_writer *fw, const char *name, int64_t t)
{
	char when[FEED_TIME_LEN];

	feed_time(t, when);
	feed_elem(fw, name, when);
}

/*
 * mod_sec 3.0 (JVN's mod_sec_3.0.xsd), as JVN's own feeds fill it.
 */

/* <sec:references source= id= title=>url</sec:references>; NULL attributes left out. */
static void sec_ref(struct feed_writer *fw, const char *source, const char *id, const char *title, const char *url)
{
	const char *v;

	feed_start(fw, "sec:references");
	if (source)
		feed_attr(fw, "source", source);
	if (id)
		feed_attr(fw, "id", id);
	if (!kk_str_empty(title))
		feed_attr(fw, "title", title);
	if (fw->failed)
		return;
	if (!(v = feed_clean(&fw->text, url)))
		fw->failed = kk_buf_result(&fw->text);
	else
		wrote(fw, xmlTextWriterWriteString(fw->w, BAD_CAST v));
	feed_end(fw);
}

static void sec_cvss(struct feed_writer *fw, int family, const char *vector, double score, const char *severity)
{
	struct feed_cvss cv;
	const char *member;
	char msg[8];

	if (!vector || feed_cvss_read(vector, score, severity, family, &cv, &member, msg, sizeof(msg)) != 0)
		return; /* kk_feed_check refused a bad one */
	for (size_t i = 0; i < cv.n; i++) {
		feed_start(fw, "sec:cvss");
		feed_attr(fw, "version", cv.version);
		feed_attr(fw, "score", cv.e[i].score);
		feed_attr(fw, "type", cv.e[i].type);
		feed_attr(fw, "severity", cv.e[i].severity);
		feed_attr(fw, "vector", cv.vector);
		feed_end(fw);
	}
}

void feed_sec(struct feed_writer *fw, const struct kk_feed_item *it)
{
	char url[128];

	feed_elem(fw, "sec:identifier", it->id);
	/* SPEC 6 item 8, related information: the CVE record and NVD's page of each
	 * CVE id (source="CVE" and "NVD", as JVN), the advisory's links, each CWE */
	for (size_t i = 0; i < it->n_cves; i++) {
		snprintf(url, sizeof(url), "https://www.cve.org/CVERecord?id=%s", it->cves[i]);
		sec_ref(fw, "CVE", it->cves[i], NULL, url);
		snprintf(url, sizeof(url), "https://nvd.nist.gov/vuln/detail/%s", it->cves[i]);
		sec_ref(fw, "NVD", it->cves[i], NULL, url);
	}
	for (size_t i = 0; i < it->n_refs; i++)
		sec_ref(fw, NULL, NULL, it->refs[i].title, it->refs[i].url);
	for (size_t i = 0; i < it->n_cwes && !fw->failed; i++) {
		const char *name = feed_at(it->cwe_names, i);
		char *title = kk_str_empty(name) ? kk_strdup(it->cwes[i]) : kk_strdupf("%s(%s)", name, it->cwes[i]);

		snprintf(url, sizeof(url), "https://cwe.mitre.org/data/definitions/%s.html", it->cwes[i] + 4);
		if (!title)
			fw->failed = KK_ENOMEM;
		else
			sec_ref(fw, NULL, it->cwes[i], title, url);
		free(title);
	}
	for (size_t i = 0; i < it->n_cpes && !fw->failed; i++) {
		struct feed_cpe cpe;
		char msg[8];

		if (feed_cpe_read(it->cpes[i], feed_at(it->cpe_vendors, i), feed_at(it->cpe_products, i), &cpe, msg,
				  sizeof(msg)) == KK_OK) {
			feed_start(fw, "sec:cpe");
			feed_attr(fw, "version", "2.2");
			feed_attr(fw, "vendor", cpe.vendor);
			if (cpe.product)
				feed_attr(fw, "product", cpe.product);
			if (!fw->failed)
				wrote(fw, xmlTextWriterWriteString(fw->w, BAD_CAST cpe.uri));
			feed_end(fw);
		} else {
			fw->failed = KK_ENOMEM; /* kk_feed_check passed it: memory ran out */
		}
		feed_cpe_release(&cpe);
	}
	sec_cvss(fw, 3, it->cvss3_vector, it->cvss3_score, it->cvss3_severity);
	sec_cvss(fw, 4, it->cvss4_vector, it->cvss4_score, it->cvss4_severity);
}
