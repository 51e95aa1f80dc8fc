/*
 * feed_unit.h: what the tests of the feeds (test_feed.c, test_feed_text.c;
 * issue 12, capability 6) share: sample advisories, writing a feed, reading it
 * back with libxml2 and XPath, and validating it with the real xmllint against
 * JVN's schemas in ../shared/data/myjvn/schemas/hnd (KK_SHARED_DATA).
 *
 * An Atom feed is validated with atom.xsd together with the xml.xsd and
 * mod_sec_3.0.xsd its strict wildcards demand: atom.xsd has its import of
 * xml.xsd commented out, so that alone it refuses even xml:lang. A test that
 * validates skips, with a message, when the shared data is absent.
 */
#ifndef KEIKAI_TEST_FEED_UNIT_H
#define KEIKAI_TEST_FEED_UNIT_H

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "keikai/feed.h"

/* 2026-04-01T10:00:00+09:00, a day later, and 2026-04-01T00:00:00+09:00. */
#define T0 INT64_C(1775005200)
#define T1 (T0 + 86400)
#define MIDNIGHT INT64_C(1774969200)

/* A Japanese advisory with every optional part: two CVEs, two CWEs (one
 * named), two CPE names (one with display names), two vendors, two links
 * (one without a title), CVSS v3.1 6.1 Medium and v4.0 9.3 Critical,
 * published T0 and revised T1. */
struct kk_feed_item feed_ja_item(void);
/* An English advisory with every optional part; its v3.1 vector has temporal
 * metrics (base 9.8, temporal 8.8), its v4.0 one a threat metric (8.1, left to
 * be computed); published T0, never revised. */
struct kk_feed_item feed_en_item(void);
/* An advisory with none of the optional parts. */
struct kk_feed_item feed_bare_item(const char *id, const char *url, int64_t published);
/* A feed in lang of the portal vuln.example.jp, its URL that of the JVNRSS or
 * the Atom feed, with a description and a publisher. */
struct kk_feed feed_sample(const char *lang, int atom, const struct kk_feed_item *items, size_t n);

/* The document of f (Atom when atom is set), which the caller frees; fails the
 * test when it cannot be written. */
char *feed_write(int atom, const struct kk_feed *f);

/* text parsed by libxml2; fails the test when it is not well-formed. */
xmlDocPtr feed_parse(const char *text);
/* expr evaluated on d with the prefixes rss, rdf, dc, dcterms, sec and a (Atom). */
xmlXPathObjectPtr feed_eval(xmlDocPtr d, const char *expr);
/* The number of nodes expr selects. */
int feed_count(xmlDocPtr d, const char *expr);
/* The string value of expr, which the caller frees. */
char *feed_string(xmlDocPtr d, const char *expr);

/* The string value of expr is want. */
#define expect_xs(d, expr, want)                                                   \
	do {                                                                       \
		char *got_ = feed_string((d), (expr));                             \
		cr_expect_str_eq(got_, (want), "%s", (expr));                      \
		free(got_);                                                        \
	} while (0)

/* The folder of JVN's XML schemas (an absolute path); skips the test when it
 * is absent. */
void feed_schema_dir(char out[PATH_MAX]);
/* xmllint's exit status on the file at path against schema; its messages in out. */
int feed_xmllint(const char *schema, const char *path, char *out, size_t n);
/* Validates text, a JVNRSS document or (atom set) an Atom feed: 0 when xmllint
 * says it is valid, else its exit status with its messages in msg. */
int feed_validate(const char *text, int atom, char *msg, size_t n);

#define expect_valid(text, atom)                                                                             \
	do {                                                                                                 \
		char msg_[4096];                                                                             \
		cr_expect_eq(feed_validate((text), (atom), msg_, sizeof(msg_)), 0, "invalid:\n%s\n%s", msg_, \
			     (text));                                                                        \
	} while (0)

#endif
