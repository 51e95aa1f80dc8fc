/*
 * feed.h: the public portal's feeds of advisories (issue 12, capability 6; SPEC 6
 * "RSS feeds"): RSS 1.0 in the JVNRSS 3.2 format that JVN and MyJVN publish
 * (/feed/jvnrss.rdf) and Atom 1.0, RFC 4287 (/feed/atom.xml), for all advisories
 * or those of one vendor or product.
 *
 * A pure format module: it turns a list of advisories, already chosen and ordered
 * by the caller (newest first, KK_FEED_ITEMS of them on the portal), into one XML
 * document, and knows nothing of the store. Both documents carry the machine-
 * readable parts of an advisory with JVN's mod_sec 3.0 elements (sec:identifier,
 * sec:references for CVE, NVD, CWE and related links, sec:cpe, sec:cvss), as JVN's
 * own feeds do; the Atom feed adds atom:category for CVE ids, CWE ids and vendors.
 * docs/internals/feed.md shows both documents and says where each value goes.
 *
 * Every string is UTF-8. Free text (titles, the summary, names) is written as
 * given, escaped by libxml2's writer, except what XML 1.0 cannot carry (control
 * characters other than tab, line feed and carriage return, U+FFFE, U+FFFF,
 * bytes that are not UTF-8), each of which becomes U+FFFD, and bidirectional
 * controls (U+202E ...), shown as "[U+202E]" as the portal's pages show them.
 * Identifiers, addresses, vectors and names of the specifications (ids, URLs,
 * CVE, CWE, CPE, CVSS) are checked instead: a malformed one is refused with a
 * field error, so a feed never says something other than what was stored.
 */
#ifndef KEIKAI_FEED_H
#define KEIKAI_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "keikai/error.h"
#include "keikai/util.h"

/* How many advisories the portal's feeds hold, the newest (issue 12). */
#define KK_FEED_ITEMS 50
/* The most items kk_feed_jvnrss and kk_feed_atom accept. */
#define KK_FEED_ITEMS_MAX 1000

/* A related link of an advisory (SPEC 6 item 8): title may be NULL or "". */
struct kk_feed_ref {
	const char *title, *url;
};

struct kk_feed_item {
	const char *id;              /* the public ID, "JVNVU#12345678"; required */
	const char *title, *summary; /* plain text (the overview) in the feed's language;
				      * title required, summary NULL or "" for none */
	const char *url;             /* absolute http(s) URL of the advisory page; required */
	int64_t published, updated;  /* unix seconds: first publication (required, > 0),
				      * last revision (0: the same as published) */
	/* CVSS v3.0/v3.1 and v4.0: the vector (NULL: none), its score (< 0: computed
	 * from the vector) and severity ("None" ... "Critical", any letter case; NULL:
	 * rated from the score). A score or severity that does not match the vector is
	 * refused. */
	const char *cvss3_vector;
	double cvss3_score;
	const char *cvss3_severity;
	const char *cvss4_vector;
	double cvss4_score;
	const char *cvss4_severity;
	const char *const *cves;     /* "CVE-2026-12345" */
	size_t n_cves;
	const char *const *cwes;     /* "CWE-79" */
	size_t n_cwes;
	const char *const *cpes;     /* cpe:/ or cpe:2.3 names of affected products */
	size_t n_cpes;
	const char *const *vendors;  /* vendor names (Atom categories) */
	size_t n_vendors;
	const struct kk_feed_ref *refs;
	size_t n_refs;
	/* Optional, parallel to cwes: each CWE's name in the feed's language (NULL, or
	 * NULL entries, for none), written as JVN does, "Cross-site Scripting(CWE-79)". */
	const char *const *cwe_names;
	/* Optional, parallel to cpes: the display names of each product's vendor and of
	 * the product (sec:cpe's vendor and product). Without one, the name is the
	 * CPE's own vendor (or product) value. */
	const char *const *cpe_vendors;
	const char *const *cpe_products;
};

struct kk_feed {
	const char *title;       /* required */
	const char *url;         /* the feed's own absolute URL; required */
	const char *site_url;    /* the portal's absolute URL; required */
	const char *lang;        /* "ja" | "en"; required */
	const char *description; /* optional: the channel's description (JVNRSS requires
				  * one: the title when NULL) and Atom's subtitle */
	const char *publisher;   /* optional: the organisation (dc:publisher, Atom's
				  * author); Atom's author is the title when NULL */
	int64_t updated;         /* unix seconds; 0: the latest item's updated (then
				  * required when there are no items) */
	const struct kk_feed_item *items;
	size_t n_items;
};

/*
 * Writes f as a JVNRSS 3.2 document (RSS 1.0 with Dublin Core and mod_sec 3.0,
 * valid against JVN's jvnrss_3.2.xsd) and appends it to out. Items come out in
 * the given order. Times are W3C-DTF in Japan Standard Time
 * ("2026-04-01T10:00:00+09:00"), as JVN writes them.
 *
 * Returns KK_OK; KK_EINVAL with a field error for every malformed value (paths
 * such as "items[2].cves[0]"), nothing appended; KK_ETOOBIG when the document
 * would pass out's cap, KK_ENOMEM, or KK_EIO when libxml2's writer fails: then
 * too out is left as it was (a failure of out itself stays recorded in it, see
 * util.h). Messages are in the calling thread's language.
 */
enum kk_result kk_feed_jvnrss(const struct kk_feed *f, struct kk_buf *out, struct kk_error *err);

/*
 * Writes f as an Atom 1.0 feed (RFC 4287; valid against atom.xsd, with the
 * xml:lang attribute and the mod_sec elements it admits as foreign markup) and
 * appends it to out. Entries come out in the given order; an entry's id is the
 * advisory's URL. Times are RFC 3339 in Japan Standard Time. Results and out as
 * kk_feed_jvnrss.
 */
enum kk_result kk_feed_atom(const struct kk_feed *f, struct kk_buf *out, struct kk_error *err);

/*
 * Checks f as both writers do, without writing: KK_OK, KK_EINVAL with a field
 * error for every malformed value, or KK_ENOMEM.
 */
enum kk_result kk_feed_check(const struct kk_feed *f, struct kk_error *err);

#endif
