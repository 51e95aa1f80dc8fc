/*
 * feed_impl.h: what the two feed writers (feed_jvnrss.c, feed_atom.c) share:
 * reading the checked values of an advisory (feed_check.c) and writing XML
 * through libxml2's xmlTextWriter into a capped buffer (feed_write.c). Private to
 * lib/formats.
 *
 * The writers check the whole feed first (kk_feed_check) and write only a feed
 * that passed, so the readers below never fail on a value; what can still fail
 * is memory or the buffer's cap, which feed_writer records once (sticky, like
 * struct kk_buf) and feed_close reports.
 */
#ifndef KEIKAI_FEED_IMPL_H
#define KEIKAI_FEED_IMPL_H

#include <libxml/xmlerror.h>
#include <libxml/xmlwriter.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/feed.h"

/* The namespaces both documents use (JVNRSS 3.2 and mod_sec 3.0, as in JVN's
 * jvnrss_3.2.xsd and mod_sec_3.0.xsd; Atom: RFC 4287 section 2). */
#define FEED_NS_RSS "http://purl.org/rss/1.0/"
#define FEED_NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define FEED_NS_DC "http://purl.org/dc/elements/1.1/"
#define FEED_NS_DCTERMS "http://purl.org/dc/terms/"
#define FEED_NS_SEC "http://jvn.jp/rss/mod_sec/3.0/"
#define FEED_NS_XSI "http://www.w3.org/2001/XMLSchema-instance"
#define FEED_NS_ATOM "http://www.w3.org/2005/Atom"

/* "2026-04-01T10:00:00+09:00" and its NUL. */
#define FEED_TIME_LEN 26

/*
 * Times (feed_check.c). JVN writes every date in Japan Standard Time, UTC+09:00
 * without daylight saving, as W3C-DTF "complete date plus hours, minutes and
 * seconds", which is also RFC 3339 (Atom) and xs:dateTime.
 */
/* 1 when t is a time the feeds can write: after 1970, before the year 10000. */
int feed_time_valid(int64_t t);
/* t in JST, "YYYY-MM-DDThh:mm:ss+09:00" (FEED_TIME_LEN bytes). */
void feed_time(int64_t t, char out[FEED_TIME_LEN]);
/* An item's last revision: updated, or published when updated is 0. */
int64_t feed_item_updated(const struct kk_feed_item *it);
/* The feed's time: f->updated, else its newest item's; 0 when it has neither. */
int64_t feed_updated(const struct kk_feed *f);

/*
 * A CVSS vector of an item as sec:cvss writes it (mod_sec 3.0 complexType cvss,
 * one element per score): v3.x, its base score, then its temporal and
 * environmental scores when the vector defines them (SPEC 6: "CVSS
 * base/temporal/environmental"); v4.0, its one score, typed Base (CVSS-B),
 * Temporal (CVSS-BT, threat metrics) or Environmental (CVSS-BE, CVSS-BTE). The
 * item's score and severity are those of the first entry.
 */
struct feed_cvss {
	const char *vector;  /* as given */
	const char *version; /* "3.0", "3.1", "4.0" */
	size_t n;            /* entries, 1 to 3 */
	struct {
		const char *type;     /* "Base", "Temporal", "Environmental" */
		const char *severity; /* "None" ... "Critical" */
		char score[8];        /* "9.8" */
	} e[3];
};

/* Reads the CVSS v3 (family 3) or v4 (family 4) vector, score and severity of an
 * item into *out: 0, or -1 with a translated reason in msg (n bytes) and which
 * member is at fault in *member ("vector", "score" or "severity"). */
int feed_cvss_read(const char *vector, double score, const char *severity, int family, struct feed_cvss *out,
		   const char **member, char *msg, size_t n);

/* The names sec:cpe writes for a CPE name: its 2.2 URI (JVN's form), and the
 * display names of its vendor and product, each given or else the CPE's own
 * value with the WFN quoting removed (NULL when it has none). Owned strings. */
struct feed_cpe {
	char *uri, *vendor, *product;
};
/* Reads name (with the optional display names) into *out: KK_OK; KK_EINVAL with
 * a translated reason in msg (n bytes); KK_ENOMEM. Release with feed_cpe_release
 * in every case. */
enum kk_result feed_cpe_read(const char *name, const char *vendor, const char *product, struct feed_cpe *out,
			     char *msg, size_t n);
void feed_cpe_release(struct feed_cpe *c);

/* The element of a list of n entries (NULL when the list itself is NULL). */
static inline const char *feed_at(const char *const *list, size_t i)
{
	return list ? list[i] : NULL;
}

/*
 * Writing (feed_write.c).
 */
struct feed_writer {
	xmlTextWriterPtr w;
	struct kk_buf doc;  /* the document, capped */
	struct kk_buf text; /* scratch: a text made fit for XML */
	enum kk_result failed; /* KK_OK, or why a call failed: KK_EIO (libxml2's
				* writer), KK_ENOMEM, KK_ETOOBIG (a buffer) */
	/* the thread's libxml2 error handler, put back by feed_close: while
	 * writing, libxml2's reports go nowhere (feed_close says what failed) */
	xmlStructuredErrorFunc old_handler;
	void *old_ctx;
};

/* Starts a document (the XML declaration, UTF-8, indented) that may grow to max
 * bytes. KK_OK, or KK_ENOMEM with fw released. */
enum kk_result feed_open(struct feed_writer *fw, size_t max, struct kk_error *err);
/* A feed's document begun: f checked (kk_feed_check), then opened to grow
 * as far as out may. */
enum kk_result feed_begin(const struct kk_feed *f, struct feed_writer *fw, const struct kk_buf *out,
			  struct kk_error *err);
/* Ends the document, releases fw and, when nothing failed, appends the
 * document to out. KK_OK, KK_ETOOBIG, KK_ENOMEM or KK_EIO (set in err). */
enum kk_result feed_close(struct feed_writer *fw, struct kk_buf *out, struct kk_error *err);

/* Each does nothing once fw has failed. Names are qualified ("sec:cvss") and
 * declared by the root element; every value goes through feed_clean. */
void feed_start(struct feed_writer *fw, const char *name);
void feed_end(struct feed_writer *fw);
void feed_attr(struct feed_writer *fw, const char *name, const char *value);
/* <name>text</name>; nothing when text is NULL. */
void feed_elem(struct feed_writer *fw, const char *name, const char *text);
/* <name>t in JST</name>. */
void feed_elem_time(struct feed_writer *fw, const char *name, int64_t t);

/* The mod_sec 3.0 elements of an item in the order of JVNRSS 3.2's item:
 * sec:identifier, sec:references (each CVE at CVE and at NVD, the related links,
 * each CWE), sec:cpe, sec:cvss (v3, v4). */
void feed_sec(struct feed_writer *fw, const struct kk_feed_item *it);

/* s with what XML 1.0 cannot carry replaced by U+FFFD and bidirectional
 * controls shown as "[U+202E]", in b (reset first); NULL when b failed. */
const char *feed_clean(struct kk_buf *b, const char *s);

#endif
