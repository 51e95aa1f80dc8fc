/*
 * test_feed.c: unit tests of lib/formats/feed_*.c, the portal's feeds of
 * advisories in JVNRSS 3.2 and Atom 1.0 (issue 12, capability 6; SPEC 6 "RSS
 * feeds"): the documents, with zero, one and several advisories in Japanese
 * and English, every optional part present and absent.
 *
 * Each document is parsed back with libxml2, its values read with XPath (ids,
 * links, dates, CVSS, CPE), and then validated by the real xmllint against
 * JVN's schemas (feed_unit.h): last, so that without ../shared/data the test
 * skips there, after its values were checked. An item is shaped
 * like the first item of JVN's own getVulnOverviewList response, and the whole
 * Japanese JVNRSS and English Atom documents are compared with
 * tests/data/feed/ byte for byte. test_feed_text.c tests text, refusals and
 * the output buffer.
 */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/feed.h"
#include "keikai/i18n.h"
#include "feed_unit.h"
#include "unit.h"

static void setup(void)
{
	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
}

TestSuite(feed, .init = setup);

/*
 * The validator itself: JVN's own getVulnOverviewList response is valid, and a
 * feed made invalid in one attribute is refused, so that a pass below means
 * something.
 */
Test(feed, validator_accepts_jvn_and_refuses_a_bad_feed)
{
	struct kk_feed_item it = feed_ja_item();
	struct kk_feed f = feed_sample("ja", 0, &it, 1);
	char dir[PATH_MAX], path[PATH_MAX], schema[PATH_MAX], msg[4096], *text, *bad;

	feed_schema_dir(dir);
	snprintf(path, sizeof(path), "%s/../../examples/hnd/getVulnOverviewList_hnd.xml", dir);
	snprintf(schema, sizeof(schema), "%s/jvnrss_3.2.xsd", dir);
	cr_assert_eq(feed_xmllint(schema, path, msg, sizeof(msg)), 0, "%s", msg);

	text = feed_write(0, &f);
	bad = strstr(text, "severity=\"Medium\"");
	cr_assert_not_null(bad);
	memcpy(bad, "severity=\"Severe\"", 17);
	cr_expect_neq(feed_validate(text, 0, msg, sizeof(msg)), 0, "a severity mod_sec does not know passed");
	cr_expect_not_null(strstr(msg, "Severe"), "%s", msg);
	free(text);

	f = feed_sample("en", 1, &it, 1);
	text = feed_write(1, &f);
	bad = strstr(text, "<published>");
	cr_assert_not_null(bad);
	memcpy(bad + 11, "2026-04-01 10:00", 16); /* a blank for the T: no xs:dateTime */
	cr_expect_neq(feed_validate(text, 1, msg, sizeof(msg)), 0, "a bad atom:published passed:\n%s", text);
	free(text);
}

/*
 * Zero items.
 */
Test(feed, jvnrss_without_items)
{
	struct kk_feed f = feed_sample("ja", 0, NULL, 0);
	xmlDocPtr d;
	char *text;

	f.updated = T0;
	f.description = NULL;
	f.publisher = NULL;
	text = feed_write(0, &f);
	d = feed_parse(text);
	expect_xs(d, "/rdf:RDF/@xml:lang", "ja");
	expect_xs(d, "/rdf:RDF/rss:channel/@rdf:about", "https://vuln.example.jp/feed/jvnrss.rdf");
	expect_xs(d, "/rdf:RDF/rss:channel/rss:title", "keikai 脆弱性対策情報");
	expect_xs(d, "/rdf:RDF/rss:channel/rss:link", "https://vuln.example.jp/");
	/* rss:channel requires a description: the title stands in */
	expect_xs(d, "/rdf:RDF/rss:channel/rss:description", "keikai 脆弱性対策情報");
	expect_xs(d, "/rdf:RDF/rss:channel/dc:language", "ja");
	expect_xs(d, "/rdf:RDF/rss:channel/dc:date", "2026-04-01T10:00:00+09:00");
	expect_xs(d, "/rdf:RDF/rss:channel/dcterms:modified", "2026-04-01T10:00:00+09:00");
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:channel/dc:publisher"), 0);
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:channel/rss:items/rdf:Seq"), 1);
	cr_expect_eq(feed_count(d, "//rdf:li"), 0);
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:item"), 0);
	expect_valid(text, 0);
	xmlFreeDoc(d);
	free(text);
}

Test(feed, atom_without_items)
{
	struct kk_feed f = feed_sample("en", 1, NULL, 0);
	xmlDocPtr d;
	char *text;

	f.updated = MIDNIGHT;
	f.publisher = NULL;
	f.description = NULL;
	text = feed_write(1, &f);
	d = feed_parse(text);
	expect_xs(d, "/a:feed/@xml:lang", "en");
	expect_xs(d, "/a:feed/a:id", "https://vuln.example.jp/feed/atom.xml");
	expect_xs(d, "/a:feed/a:title", "keikai vulnerability notes");
	expect_xs(d, "/a:feed/a:updated", "2026-04-01T00:00:00+09:00");
	expect_xs(d, "/a:feed/a:link[@rel='self']/@href", "https://vuln.example.jp/feed/atom.xml");
	expect_xs(d, "/a:feed/a:link[@rel='self']/@type", "application/atom+xml");
	expect_xs(d, "/a:feed/a:link[@rel='alternate']/@href", "https://vuln.example.jp/");
	/* RFC 4287 4.1.1: a feed without entries still has its author */
	expect_xs(d, "/a:feed/a:author/a:name", "keikai vulnerability notes");
	expect_xs(d, "/a:feed/a:author/a:uri", "https://vuln.example.jp/");
	cr_expect_eq(feed_count(d, "/a:feed/a:subtitle"), 0);
	cr_expect_eq(feed_count(d, "/a:feed/a:entry"), 0);
	expect_valid(text, 1);
	xmlFreeDoc(d);
	free(text);
}

/*
 * One item with every part, in each language and format.
 */
Test(feed, jvnrss_one_japanese_item)
{
	struct kk_feed_item it = feed_ja_item();
	struct kk_feed f = feed_sample("ja", 0, &it, 1);
	char *text = feed_write(0, &f);
	xmlDocPtr d;

	d = feed_parse(text);
	expect_xs(d, "/rdf:RDF/rss:channel/rss:description", "公表された脆弱性対策情報の新着");
	expect_xs(d, "/rdf:RDF/rss:channel/dc:publisher", "情報処理推進機構");
	/* the feed's time is its newest item's last revision */
	expect_xs(d, "/rdf:RDF/rss:channel/dc:date", "2026-04-02T10:00:00+09:00");
	expect_xs(d, "//rdf:li/@rdf:resource", "https://vuln.example.jp/advisories/JVNVU12345678");
#define I "/rdf:RDF/rss:item[1]"
	expect_xs(d, I "/@rdf:about", "https://vuln.example.jp/advisories/JVNVU12345678");
	expect_xs(d, I "/rss:title", "Example Web 管理画面におけるクロスサイトスクリプティングの脆弱性");
	expect_xs(d, I "/rss:link", "https://vuln.example.jp/advisories/JVNVU12345678");
	expect_xs(d, I "/rss:description", it.summary);
	expect_xs(d, I "/dc:creator", "情報処理推進機構");
	expect_xs(d, I "/sec:identifier", "JVNVU#12345678");
	/* each CVE at CVE and at NVD, as JVN does; then the links; then each CWE */
	cr_expect_eq(feed_count(d, I "/sec:references"), 8);
	expect_xs(d, I "/sec:references[1]/@source", "CVE");
	expect_xs(d, I "/sec:references[1]/@id", "CVE-2026-12345");
	expect_xs(d, I "/sec:references[1]", "https://www.cve.org/CVERecord?id=CVE-2026-12345");
	expect_xs(d, I "/sec:references[2]/@source", "NVD");
	expect_xs(d, I "/sec:references[2]", "https://nvd.nist.gov/vuln/detail/CVE-2026-12345");
	expect_xs(d, I "/sec:references[4]", "https://nvd.nist.gov/vuln/detail/CVE-2026-1234567");
	expect_xs(d, I "/sec:references[5]/@title", "製品開発者のお知らせ");
	expect_xs(d, I "/sec:references[5]", "https://www.example.jp/security/2026-001.html");
	cr_expect_eq(feed_count(d, I "/sec:references[6]/@title"), 0);
	expect_xs(d, I "/sec:references[6]", "https://example.org/notes?id=1&lang=ja");
	expect_xs(d, I "/sec:references[7]/@id", "CWE-79");
	expect_xs(d, I "/sec:references[7]/@title", "クロスサイトスクリプティング(CWE-79)");
	expect_xs(d, I "/sec:references[7]", "https://cwe.mitre.org/data/definitions/79.html");
	expect_xs(d, I "/sec:references[8]/@title", "CWE-352");
	/* CPE: JVN's 2.2 URIs, with the display names given or the CPE's own */
	cr_expect_eq(feed_count(d, I "/sec:cpe"), 2);
	expect_xs(d, I "/sec:cpe[1]", "cpe:/a:example-corp:web_admin");
	expect_xs(d, I "/sec:cpe[1]/@version", "2.2");
	expect_xs(d, I "/sec:cpe[1]/@vendor", "株式会社エグザンプル");
	expect_xs(d, I "/sec:cpe[1]/@product", "Web 管理画面");
	expect_xs(d, I "/sec:cpe[2]", "cpe:/h:example-corp:router_x1");
	expect_xs(d, I "/sec:cpe[2]/@vendor", "example-corp");
	expect_xs(d, I "/sec:cpe[2]/@product", "router_x1");
	/* CVSS */
	cr_expect_eq(feed_count(d, I "/sec:cvss"), 2);
	expect_xs(d, I "/sec:cvss[1]/@version", "3.1");
	expect_xs(d, I "/sec:cvss[1]/@type", "Base");
	expect_xs(d, I "/sec:cvss[1]/@score", "6.1");
	expect_xs(d, I "/sec:cvss[1]/@severity", "Medium");
	expect_xs(d, I "/sec:cvss[1]/@vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N");
	expect_xs(d, I "/sec:cvss[2]/@version", "4.0");
	expect_xs(d, I "/sec:cvss[2]/@type", "Base");
	expect_xs(d, I "/sec:cvss[2]/@score", "9.3");
	expect_xs(d, I "/sec:cvss[2]/@severity", "Critical");
	/* dates: the last revision, the first publication */
	expect_xs(d, I "/dc:date", "2026-04-02T10:00:00+09:00");
	expect_xs(d, I "/dcterms:issued", "2026-04-01T10:00:00+09:00");
	expect_xs(d, I "/dcterms:modified", "2026-04-02T10:00:00+09:00");
#undef I
	expect_valid(text, 0);
	xmlFreeDoc(d);
	free(text);
}

Test(feed, atom_one_english_item)
{
	struct kk_feed_item it = feed_en_item();
	struct kk_feed f = feed_sample("en", 1, &it, 1);
	char *text = feed_write(1, &f);
	xmlDocPtr d;

	d = feed_parse(text);
	expect_xs(d, "/a:feed/a:subtitle", "Newly published vulnerability notes");
	expect_xs(d, "/a:feed/a:author/a:name", "Information-technology Promotion Agency, Japan");
	expect_xs(d, "/a:feed/a:updated", "2026-04-01T10:00:00+09:00");
#define E "/a:feed/a:entry[1]"
	expect_xs(d, E "/a:id", "https://vuln.example.jp/en/advisories/JVN87654321");
	expect_xs(d, E "/a:title", "Example File Share vulnerable to path traversal");
	expect_xs(d, E "/a:link[@rel='alternate']/@href", "https://vuln.example.jp/en/advisories/JVN87654321");
	expect_xs(d, E "/a:link[@rel='alternate']/@type", "text/html");
	/* updated 0: the last revision is the first publication */
	expect_xs(d, E "/a:published", "2026-04-01T10:00:00+09:00");
	expect_xs(d, E "/a:updated", "2026-04-01T10:00:00+09:00");
	expect_xs(d, E "/a:summary", it.summary);
	expect_xs(d, E "/a:category[@scheme='https://www.cve.org/']/@term", "CVE-2025-0001");
	expect_xs(d, E "/a:category[@scheme='https://cwe.mitre.org/']/@term", "CWE-22");
	expect_xs(d, E "/a:category[@scheme='https://cwe.mitre.org/']/@label", "Path Traversal");
	expect_xs(d, E "/a:category[not(@scheme)]/@term", "Example Corp");
	expect_xs(d, E "/a:link[@rel='related']/@href", "https://www.example.com/psirt/EX-2026-01");
	expect_xs(d, E "/a:link[@rel='related']/@title", "Vendor advisory");
	expect_xs(d, E "/sec:identifier", "JVN#87654321");
	expect_xs(d, E "/sec:references[@source='NVD']", "https://nvd.nist.gov/vuln/detail/CVE-2025-0001");
	expect_xs(d, E "/sec:references[@id='CWE-22']/@title", "Path Traversal(CWE-22)");
	expect_xs(d, E "/sec:cpe", "cpe:/a:example-corp:file_share:2.0");
	expect_xs(d, E "/sec:cpe/@vendor", "example-corp");
	/* v3.1 with temporal metrics: the base score, then the temporal one */
	cr_expect_eq(feed_count(d, E "/sec:cvss"), 3);
	expect_xs(d, E "/sec:cvss[1]/@type", "Base");
	expect_xs(d, E "/sec:cvss[1]/@score", "9.8");
	expect_xs(d, E "/sec:cvss[1]/@severity", "Critical");
	expect_xs(d, E "/sec:cvss[2]/@type", "Temporal");
	expect_xs(d, E "/sec:cvss[2]/@score", "8.8");
	expect_xs(d, E "/sec:cvss[2]/@severity", "High");
	/* v4.0 with a threat metric is CVSS-BT, scored and rated here */
	expect_xs(d, E "/sec:cvss[3]/@version", "4.0");
	expect_xs(d, E "/sec:cvss[3]/@type", "Temporal");
	expect_xs(d, E "/sec:cvss[3]/@score", "8.1");
	expect_xs(d, E "/sec:cvss[3]/@severity", "High");
#undef E
	expect_valid(text, 1);
	xmlFreeDoc(d);
	free(text);
}

/* The other two: Japanese Atom, English JVNRSS. */
Test(feed, atom_japanese_and_jvnrss_english)
{
	struct kk_feed_item ja = feed_ja_item(), en = feed_en_item();
	struct kk_feed fa = feed_sample("ja", 1, &ja, 1), fr = feed_sample("en", 0, &en, 1);
	char *atom = feed_write(1, &fa), *rss = feed_write(0, &fr);
	xmlDocPtr d;

	d = feed_parse(atom);
	expect_xs(d, "/a:feed/@xml:lang", "ja");
	expect_xs(d, "/a:feed/a:entry/a:title", ja.title);
	expect_xs(d, "/a:feed/a:entry/a:category[not(@scheme)][1]/@term", "株式会社エグザンプル");
	expect_xs(d, "/a:feed/a:entry/sec:cpe[1]/@product", "Web 管理画面");
	expect_xs(d, "/a:feed/a:entry/a:updated", "2026-04-02T10:00:00+09:00");
	xmlFreeDoc(d);
	d = feed_parse(rss);
	expect_xs(d, "/rdf:RDF/@xml:lang", "en");
	expect_xs(d, "/rdf:RDF/rss:channel/dc:language", "en");
	expect_xs(d, "/rdf:RDF/rss:item/rss:title", en.title);
	expect_xs(d, "/rdf:RDF/rss:item/sec:cvss[2]/@score", "8.8");
	expect_valid(atom, 1);
	expect_valid(rss, 0);
	xmlFreeDoc(d);
	free(atom);
	free(rss);
}

/*
 * Several items: the order given, the optional parts absent where absent.
 */
Test(feed, several_items_in_order)
{
	struct kk_feed_item items[4] = {
		feed_en_item(),
		feed_bare_item("JVNTA#00000001", "https://vuln.example.jp/advisories/JVNTA00000001", T0 + 7200),
		feed_ja_item(),
		feed_bare_item("JVNVU#00000002", "https://vuln.example.jp/advisories/JVNVU00000002", T0 - 86400 * 30),
	};
	char *rss, *atom;
	xmlDocPtr d;

	items[1].summary = ""; /* empty is none */
	{
		struct kk_feed fr = feed_sample("ja", 0, items, 4), fa = feed_sample("ja", 1, items, 4);

		rss = feed_write(0, &fr);
		atom = feed_write(1, &fa);
	}

	d = feed_parse(rss);
	cr_expect_eq(feed_count(d, "//rdf:li"), 4);
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:item"), 4);
	expect_xs(d, "//rdf:li[1]/@rdf:resource", "https://vuln.example.jp/en/advisories/JVN87654321");
	expect_xs(d, "//rdf:li[2]/@rdf:resource", "https://vuln.example.jp/advisories/JVNTA00000001");
	expect_xs(d, "//rdf:li[3]/@rdf:resource", "https://vuln.example.jp/advisories/JVNVU12345678");
	expect_xs(d, "//rdf:li[4]/@rdf:resource", "https://vuln.example.jp/advisories/JVNVU00000002");
	for (int i = 1; i <= 4; i++) {
		char a[160], b[160], *ra, *rb;

		snprintf(a, sizeof(a), "//rdf:li[%d]/@rdf:resource", i);
		snprintf(b, sizeof(b), "/rdf:RDF/rss:item[%d]/@rdf:about", i);
		ra = feed_string(d, a);
		rb = feed_string(d, b);
		cr_expect_str_eq(ra, rb, "item %d is not the %dth of the sequence", i, i);
		free(ra);
		free(rb);
	}
	/* the feed's time is the newest last revision of all (item 3's) */
	expect_xs(d, "/rdf:RDF/rss:channel/dc:date", "2026-04-02T10:00:00+09:00");
	/* an item without the optional parts has none of their elements */
	expect_xs(d, "/rdf:RDF/rss:item[2]/sec:identifier", "JVNTA#00000001");
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:item[2]/rss:description"), 0);
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:item[2]/sec:references"), 0);
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:item[2]/sec:cpe"), 0);
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:item[2]/sec:cvss"), 0);
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:item[4]/rss:description"), 0);
	expect_xs(d, "/rdf:RDF/rss:item[2]/dcterms:issued", "2026-04-01T12:00:00+09:00");
	expect_xs(d, "/rdf:RDF/rss:item[2]/dcterms:modified", "2026-04-01T12:00:00+09:00");
	expect_xs(d, "/rdf:RDF/rss:item[4]/dc:date", "2026-03-02T10:00:00+09:00");
	xmlFreeDoc(d);

	d = feed_parse(atom);
	cr_expect_eq(feed_count(d, "/a:feed/a:entry"), 4);
	expect_xs(d, "/a:feed/a:entry[1]/a:id", "https://vuln.example.jp/en/advisories/JVN87654321");
	expect_xs(d, "/a:feed/a:entry[2]/a:id", "https://vuln.example.jp/advisories/JVNTA00000001");
	expect_xs(d, "/a:feed/a:entry[3]/a:id", "https://vuln.example.jp/advisories/JVNVU12345678");
	expect_xs(d, "/a:feed/a:entry[4]/a:id", "https://vuln.example.jp/advisories/JVNVU00000002");
	expect_xs(d, "/a:feed/a:updated", "2026-04-02T10:00:00+09:00");
	cr_expect_eq(feed_count(d, "/a:feed/a:entry[2]/a:summary"), 0);
	cr_expect_eq(feed_count(d, "/a:feed/a:entry[2]/a:category"), 0);
	cr_expect_eq(feed_count(d, "/a:feed/a:entry[2]/a:link"), 1);
	cr_expect_eq(feed_count(d, "/a:feed/a:entry[2]/sec:*"), 1); /* sec:identifier */
	cr_expect_eq(feed_count(d, "/a:feed/a:entry[3]/a:category"), 6);
	expect_valid(rss, 0);
	expect_valid(atom, 1);
	xmlFreeDoc(d);
	free(rss);
	free(atom);
}

/* issue 12: the portal's feeds hold the newest KK_FEED_ITEMS; the writers take
 * that many and more, up to KK_FEED_ITEMS_MAX. */
Test(feed, fifty_items_and_the_limit)
{
	static struct kk_feed_item items[KK_FEED_ITEMS_MAX + 1];
	static char ids[KK_FEED_ITEMS_MAX + 1][24], urls[KK_FEED_ITEMS_MAX + 1][80];
	struct kk_error err = KK_ERROR_INIT;
	struct kk_feed f;
	struct kk_buf b;
	char *rss, *atom;
	xmlDocPtr d;

	for (int i = 0; i <= KK_FEED_ITEMS_MAX; i++) {
		snprintf(ids[i], sizeof(ids[i]), "JVNVU#%08d", 90000000 + i);
		snprintf(urls[i], sizeof(urls[i]), "https://vuln.example.jp/advisories/JVNVU%08d", 90000000 + i);
		items[i] = i % 2 ? feed_ja_item() : feed_bare_item(NULL, NULL, T0 - i * 3600);
		items[i].id = ids[i];
		items[i].url = urls[i];
	}
	f = feed_sample("ja", 0, items, KK_FEED_ITEMS);
	rss = feed_write(0, &f);
	d = feed_parse(rss);
	cr_expect_eq(feed_count(d, "/rdf:RDF/rss:item"), KK_FEED_ITEMS);
	expect_xs(d, "/rdf:RDF/rss:item[50]/sec:identifier", "JVNVU#90000049");
	xmlFreeDoc(d);

	f = feed_sample("ja", 1, items, KK_FEED_ITEMS_MAX);
	atom = feed_write(1, &f);
	d = feed_parse(atom);
	cr_expect_eq(feed_count(d, "/a:feed/a:entry"), KK_FEED_ITEMS_MAX);
	xmlFreeDoc(d);

	f.n_items = KK_FEED_ITEMS_MAX + 1;
	kk_buf_init(&b, 64 << 20);
	cr_expect_eq(kk_feed_atom(&f, &b, &err), KK_EINVAL);
	cr_expect_str_eq(json_string_value(json_object_get(err.fields, "items")), "At most 1000 items.");
	cr_expect_eq(b.len, 0);
	kk_buf_release(&b);
	kk_error_release(&err);
	expect_valid(rss, 0);
	expect_valid(atom, 1);
	free(rss);
	free(atom);
}

/* A feed without items names its time; the score and severity may be left to
 * the vector; a severity in any letter case is written as mod_sec spells it. */
Test(feed, defaults_and_what_is_required)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_feed f = feed_sample("ja", 0, NULL, 0);
	struct kk_feed_item it = feed_ja_item();
	xmlDocPtr d;
	char *text;

	cr_expect_eq(kk_feed_check(&f, &err), KK_EINVAL);
	cr_expect_str_eq(json_string_value(json_object_get(err.fields, "updated")), "Required.");
	kk_error_release(&err);

	it.cvss3_score = -1;
	it.cvss3_severity = NULL;
	it.cvss4_score = 9.3;
	it.cvss4_severity = "cRiTiCaL";
	f = feed_sample("ja", 0, &it, 1);
	cr_expect_eq(kk_feed_check(&f, &err), KK_OK, "%s", err.msg);
	text = feed_write(0, &f);
	d = feed_parse(text);
	expect_xs(d, "/rdf:RDF/rss:item/sec:cvss[1]/@score", "6.1");
	expect_xs(d, "/rdf:RDF/rss:item/sec:cvss[1]/@severity", "Medium");
	expect_xs(d, "/rdf:RDF/rss:item/sec:cvss[2]/@severity", "Critical");
	xmlFreeDoc(d);
	free(text);
	kk_error_release(&err);
}

/* The CPE name in each of its three spellings comes out as JVN's 2.2 URI. */
Test(feed, cpe_names_as_jvn_writes_them)
{
	const char *cpes[] = {
		"cpe:2.3:o:example:firmware\\+plus:1.0\\(b\\):*:*:*:*:*:*:*",
		"CPE:/A:Example:Web_Admin:2.0",
		"wfn:[part=\"a\",vendor=\"example\",product=\"tool\",version=\"3\\.1\",update=NA]",
		"cpe:2.3:a:example:app:*:*:*:*:*:android:*:*",
		"cpe:/a:example",
	};
	const char *vendors[] = { NULL, NULL, NULL, NULL, "Example" };
	struct kk_feed_item it = feed_bare_item("JVN#00000001", "https://vuln.example.jp/a", T0);
	struct kk_feed f = feed_sample("en", 0, &it, 1);
	xmlDocPtr d;
	char *text;

	it.cpes = cpes;
	it.cpe_vendors = vendors;
	it.n_cpes = 5;
	text = feed_write(0, &f);
	d = feed_parse(text);
#define C "/rdf:RDF/rss:item/sec:cpe"
	expect_xs(d, C "[1]", "cpe:/o:example:firmware%2bplus:1.0%28b%29");
	expect_xs(d, C "[1]/@product", "firmware+plus");
	expect_xs(d, C "[2]", "cpe:/a:example:web_admin:2.0");
	expect_xs(d, C "[2]/@vendor", "example");
	expect_xs(d, C "[3]", "cpe:/a:example:tool:3.1:-");
	/* extended attributes are packed into the edition (NISTIR 7695 6.1.2.3) */
	expect_xs(d, C "[4]", "cpe:/a:example:app:::~~~android~~");
	/* a name of a vendor only: no product attribute, the vendor's name given */
	expect_xs(d, C "[5]", "cpe:/a:example");
	expect_xs(d, C "[5]/@vendor", "Example");
	cr_expect_eq(feed_count(d, C "[5]/@product"), 0);
#undef C
	expect_valid(text, 0);
	xmlFreeDoc(d);
	free(text);
}

/*
 * Modelled on JVN: an item's elements in the order of the first item of JVN's
 * getVulnOverviewList response, and dates in its form.
 */

/* The names of the element children of node, a run of the same name once. */
static void shape(xmlNodePtr node, char *out, size_t n)
{
	char last[64] = "";
	size_t len = 0;

	out[0] = '\0';
	for (xmlNodePtr c = node->children; c; c = c->next) {
		char name[64];

		if (c->type != XML_ELEMENT_NODE)
			continue;
		snprintf(name, sizeof(name), "%s%s%s", c->ns && c->ns->prefix ? (const char *)c->ns->prefix : "",
			 c->ns && c->ns->prefix ? ":" : "", (const char *)c->name);
		if (strcmp(name, last) != 0 && len < n)
			len += (size_t)snprintf(out + len, n - len, "%s%s", len ? " " : "", name);
		snprintf(last, sizeof(last), "%s", name);
	}
}

Test(feed, an_item_is_shaped_like_jvns)
{
	struct kk_feed_item it = feed_ja_item();
	struct kk_feed f = feed_sample("ja", 0, &it, 1);
	char dir[PATH_MAX], path[PATH_MAX], jvn[512], ours[512], *text, *date, *date_jvn;
	xmlDocPtr dj, d;
	xmlXPathObjectPtr o;

	feed_schema_dir(dir);
	snprintf(path, sizeof(path), "%s/../../examples/hnd/getVulnOverviewList_hnd.xml", dir);
	dj = xmlReadFile(path, NULL, XML_PARSE_NONET);
	cr_assert_not_null(dj, "cannot read %s", path);
	o = feed_eval(dj, "/rdf:RDF/rss:item[1]");
	cr_assert(o->nodesetval && o->nodesetval->nodeNr == 1);
	shape(o->nodesetval->nodeTab[0], jvn, sizeof(jvn));
	xmlXPathFreeObject(o);
	cr_assert_str_eq(jvn, "title link description dc:creator sec:identifier sec:references sec:cpe sec:cvss "
			      "dc:date dcterms:issued dcterms:modified",
			 "JVN's example changed: %s", jvn);

	text = feed_write(0, &f);
	d = feed_parse(text);
	o = feed_eval(d, "/rdf:RDF/rss:item[1]");
	shape(o->nodesetval->nodeTab[0], ours, sizeof(ours));
	xmlXPathFreeObject(o);
	cr_expect_str_eq(ours, jvn);

	/* "2025-04-04T14:45:58+09:00": the same form, character class by class */
	date_jvn = feed_string(dj, "/rdf:RDF/rss:item[1]/dcterms:issued");
	date = feed_string(d, "/rdf:RDF/rss:item[1]/dcterms:issued");
	cr_assert_eq(strlen(date), strlen(date_jvn), "%s vs JVN's %s", date, date_jvn);
	for (size_t i = 0; date[i]; i++)
		cr_expect_eq(date[i] >= '0' && date[i] <= '9', date_jvn[i] >= '0' && date_jvn[i] <= '9', "%s vs %s",
			     date, date_jvn);
	cr_expect_str_eq(date + 19, date_jvn + 19); /* "+09:00" */
	free(date);
	free(date_jvn);
	xmlFreeDoc(d);
	xmlFreeDoc(dj);
	free(text);
}

/*
 * The whole documents, byte for byte (tests/data/feed/; docs/internals/feed.md
 * shows them).
 */
static void expect_file(const char *name, const char *text)
{
	char path[PATH_MAX], *want;

	snprintf(path, sizeof(path), "%s/feed/%s", unit_data_dir(), name);
	want = unit_read_file(path);
	cr_expect_str_eq(text, want, "%s differs; the feed now reads:\n%s", path, text);
	free(want);
}

Test(feed, whole_documents)
{
	struct kk_feed_item ja[2] = {
		feed_ja_item(),
		feed_bare_item("JVNTA#00000001", "https://vuln.example.jp/advisories/JVNTA00000001", T0),
	};
	struct kk_feed_item en = feed_en_item();
	struct kk_feed fr = feed_sample("ja", 0, ja, 2), fa = feed_sample("en", 1, &en, 1);
	char *rss = feed_write(0, &fr), *atom = feed_write(1, &fa);

	expect_file("jvnrss-ja.rdf", rss);
	expect_file("atom-en.xml", atom);
	free(rss);
	free(atom);
}


