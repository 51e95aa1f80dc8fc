/*
 * test_feed_text.c: unit tests of lib/formats/feed_*.c (issue 12, capability
 * 6): what the feeds do with text (what XML escapes comes back exactly; what
 * XML 1.0 cannot carry is replaced, and the feed stays valid), times in Japan
 * Standard Time, the refusal of every malformed value by its path, and the
 * output buffer (appended to, capped, untouched on failure, every failed
 * allocation an error). Documents are validated with the real xmllint against
 * JVN's schemas (feed_unit.h) after their values were checked: without
 * ../shared/data such a test skips there.
 */
#include <criterion/criterion.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <limits.h>
#include <math.h>
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

TestSuite(feed_text, .init = setup);

/*
 * Text: what XML must escape comes back exactly; what XML 1.0 cannot carry is
 * replaced, and the document stays valid.
 */

/* Text with everything an XML writer must escape or keep: markup, entities,
 * the CDATA end, both quotes, tab, line feed, carriage return, spaces at the
 * ends, and Japanese. */
#define TRICKY " <b>&amp; ]]> \"q\" 'a'\tx\ny\r\nz <![CDATA[ --> 脆弱性 "

Test(feed_text, markup_and_quotes_come_back_exactly)
{
	const char *vendors[] = { TRICKY "vendor" };
	const char *cwe_names[] = { TRICKY "cwe" };
	const char *cpe_vendors[] = { TRICKY "cpe vendor" };
	const char *cpe_products[] = { TRICKY "cpe product" };
	const char *cwes[] = { "CWE-79" };
	const char *cpes[] = { "cpe:/a:example:product" };
	struct kk_feed_ref refs[] = { { TRICKY "ref", "https://example.jp/?a=1&b='2'" } };
	struct kk_feed_item it = feed_bare_item("JVN#11111111", "https://vuln.example.jp/advisories/JVN11111111?x=1&y='2'", T0);
	char *rss, *atom;
	xmlDocPtr d;

	it.title = TRICKY "title";
	it.summary = TRICKY "summary";
	it.vendors = vendors;
	it.n_vendors = 1;
	it.cwes = cwes;
	it.cwe_names = cwe_names;
	it.n_cwes = 1;
	it.cpes = cpes;
	it.cpe_vendors = cpe_vendors;
	it.cpe_products = cpe_products;
	it.n_cpes = 1;
	it.refs = refs;
	it.n_refs = 1;
	{
		struct kk_feed fr = feed_sample("ja", 0, &it, 1), fa = feed_sample("ja", 1, &it, 1);

		fr.title = fa.title = TRICKY "feed";
		fr.description = fa.description = TRICKY "description";
		fr.publisher = fa.publisher = TRICKY "publisher";
		rss = feed_write(0, &fr);
		atom = feed_write(1, &fa);
	}
	/* no CDATA section is ever opened, so "]]>" is only ever text */
	cr_expect_null(strstr(rss, "<![CDATA["), "%s", rss);
	cr_expect_null(strstr(atom, "<![CDATA["), "%s", atom);

	d = feed_parse(rss);
	expect_xs(d, "/rdf:RDF/rss:channel/rss:title", TRICKY "feed");
	expect_xs(d, "/rdf:RDF/rss:channel/rss:description", TRICKY "description");
	expect_xs(d, "/rdf:RDF/rss:channel/dc:publisher", TRICKY "publisher");
	expect_xs(d, "/rdf:RDF/rss:item/@rdf:about", "https://vuln.example.jp/advisories/JVN11111111?x=1&y='2'");
	expect_xs(d, "/rdf:RDF/rss:item/rss:title", TRICKY "title");
	expect_xs(d, "/rdf:RDF/rss:item/rss:description", TRICKY "summary");
	expect_xs(d, "/rdf:RDF/rss:item/sec:references[1]/@title", TRICKY "ref");
	expect_xs(d, "/rdf:RDF/rss:item/sec:references[1]", "https://example.jp/?a=1&b='2'");
	expect_xs(d, "/rdf:RDF/rss:item/sec:references[2]/@title", TRICKY "cwe(CWE-79)");
	expect_xs(d, "/rdf:RDF/rss:item/sec:cpe/@vendor", TRICKY "cpe vendor");
	expect_xs(d, "/rdf:RDF/rss:item/sec:cpe/@product", TRICKY "cpe product");
	xmlFreeDoc(d);

	d = feed_parse(atom);
	expect_xs(d, "/a:feed/a:title", TRICKY "feed");
	expect_xs(d, "/a:feed/a:subtitle", TRICKY "description");
	expect_xs(d, "/a:feed/a:author/a:name", TRICKY "publisher");
	expect_xs(d, "/a:feed/a:entry/a:title", TRICKY "title");
	expect_xs(d, "/a:feed/a:entry/a:summary", TRICKY "summary");
	expect_xs(d, "/a:feed/a:entry/a:category[not(@scheme)]/@term", TRICKY "vendor");
	expect_xs(d, "/a:feed/a:entry/a:category[@term='CWE-79']/@label", TRICKY "cwe");
	expect_xs(d, "/a:feed/a:entry/a:link[@rel='related']/@title", TRICKY "ref");
	expect_xs(d, "/a:feed/a:entry/a:link[@rel='related']/@href", "https://example.jp/?a=1&b='2'");
	expect_valid(rss, 0);
	expect_valid(atom, 1);
	xmlFreeDoc(d);
	free(rss);
	free(atom);
}

/*
 * What XML 1.0 cannot carry (section 2.2: C0 controls but tab, line feed and
 * carriage return; U+FFFE, U+FFFF; bytes that are not UTF-8) becomes U+FFFD,
 * one for each character or malformed sequence, and the feed is written and
 * valid: one bad character must not take the feed of every advisory down.
 * DEL and the C1 controls are XML characters and stay. Bidirectional controls
 * are shown as "[U+202E]", as on the portal's pages.
 */
#define FFFD "\xef\xbf\xbd"

Test(feed_text, forbidden_characters_are_replaced)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a\x01z", "a" FFFD "z" },
		{ "\x08\x0b\x0c\x1f", FFFD FFFD FFFD FFFD },
		{ "tab\tlf\ncr\r", "tab\tlf\ncr\r" },
		{ "del\x7f c1\xc2\x85", "del\x7f c1\xc2\x85" },
		{ "nonchar\xef\xbf\xbe\xef\xbf\xbf.", "nonchar" FFFD FFFD "." },
		{ "latin1 caf\xe9!", "latin1 caf" FFFD "!" },
		{ "cut \xe8\x84", "cut " FFFD },
		{ "overlong \xc0\xaf surrogate \xed\xa0\x80", "overlong " FFFD FFFD " surrogate " FFFD },
		{ "beyond \xf4\x90\x80\x80", "beyond " FFFD },
		{ "stray \x80\xbf end", "stray " FFFD FFFD " end" },
		{ "abc\xe2\x80\xae" "gpj.exe", "abc[U+202E]gpj.exe" },
		{ "\xe2\x81\xa6x\xe2\x81\xa9 \xd8\x9c", "[U+2066]x[U+2069] [U+061C]" },
		{ "emoji \xf0\x9f\x94\x92 ok", "emoji \xf0\x9f\x94\x92 ok" },
	};
	size_t n = sizeof(cases) / sizeof(cases[0]);
	struct kk_feed_item items[sizeof(cases) / sizeof(cases[0])];
	char ids[sizeof(cases) / sizeof(cases[0])][24], urls[sizeof(cases) / sizeof(cases[0])][80], *docs[2];

	for (size_t i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "JVN#%08zu", i);
		snprintf(urls[i], sizeof(urls[i]), "https://vuln.example.jp/advisories/JVN%08zu", i);
		items[i] = feed_bare_item(ids[i], urls[i], T0);
		items[i].title = cases[i].in;
		items[i].summary = cases[i].in;
	}
	for (int atom = 0; atom <= 1; atom++) {
		struct kk_feed f = feed_sample("en", atom, items, n);
		char path[96];
		xmlDocPtr d;

		f.title = cases[0].in;
		docs[atom] = feed_write(atom, &f);
		d = feed_parse(docs[atom]);
		expect_xs(d, atom ? "/a:feed/a:title" : "/rdf:RDF/rss:channel/rss:title", cases[0].out);
		for (size_t i = 0; i < n; i++) {
			char *got;

			snprintf(path, sizeof(path), atom ? "/a:feed/a:entry[%zu]/a:title" : "/rdf:RDF/rss:item[%zu]/rss:title",
				 i + 1);
			got = feed_string(d, path);
			cr_expect_str_eq(got, cases[i].out, "case %zu (%s)", i, atom ? "Atom" : "JVNRSS");
			free(got);
			snprintf(path, sizeof(path),
				 atom ? "/a:feed/a:entry[%zu]/a:summary" : "/rdf:RDF/rss:item[%zu]/rss:description", i + 1);
			got = feed_string(d, path);
			cr_expect_str_eq(got, cases[i].out, "case %zu (%s)", i, atom ? "Atom" : "JVNRSS");
			free(got);
		}
		xmlFreeDoc(d);
	}
	expect_valid(docs[0], 0);
	expect_valid(docs[1], 1);
	free(docs[0]);
	free(docs[1]);
}

/* Random bytes in every free text never make a document that does not parse
 * (a seeded generator, so a failure can be replayed). */
Test(feed_text, random_text_always_parses)
{
	enum { N = 40, LEN = 48 };
	static char text[N][6][LEN + 1];
	static struct kk_feed_item items[N];
	static struct kk_feed_ref refs[N];
	static const char *vendors[N][1], *cwe_names[N][1];
	static char ids[N][24], urls[N][80];
	static const char *const cwes[] = { "CWE-20" };
	uint64_t x = 0x9e3779b97f4a7c15u;
	char *docs[2];

	for (int i = 0; i < N; i++) {
		for (int j = 0; j < 6; j++) {
			int len = 1 + (int)(x % LEN);

			for (int k = 0; k < len; k++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				text[i][j][k] = (char)(1 + x % 255);
			}
			text[i][j][len] = '\0';
		}
		snprintf(ids[i], sizeof(ids[i]), "JVNVU#%08d", i);
		snprintf(urls[i], sizeof(urls[i]), "https://vuln.example.jp/advisories/JVNVU%08d", i);
		items[i] = feed_bare_item(ids[i], urls[i], T0);
		items[i].title = text[i][0];
		items[i].summary = text[i][1];
		refs[i] = (struct kk_feed_ref){ text[i][2], "https://example.jp/" };
		items[i].refs = &refs[i];
		items[i].n_refs = 1;
		vendors[i][0] = text[i][3];
		items[i].vendors = vendors[i];
		items[i].n_vendors = 1;
		cwe_names[i][0] = text[i][4];
		items[i].cwes = cwes;
		items[i].cwe_names = cwe_names[i];
		items[i].n_cwes = 1;
	}
	for (int atom = 0; atom <= 1; atom++) {
		struct kk_feed f = feed_sample("ja", atom, items, N);
		xmlDocPtr d;

		f.description = text[0][5];
		docs[atom] = feed_write(atom, &f);
		d = feed_parse(docs[atom]);
		cr_expect_eq(feed_count(d, atom ? "/a:feed/a:entry" : "/rdf:RDF/rss:item"), N);
		xmlFreeDoc(d);
	}
	expect_valid(docs[0], 0);
	expect_valid(docs[1], 1);
	free(docs[0]);
	free(docs[1]);
}

/*
 * Times: W3C-DTF in Japan Standard Time, as JVN writes them.
 */
Test(feed_text, times_in_japan_standard_time)
{
	static const struct {
		int64_t t;
		const char *jst;
	} cases[] = {
		{ 1, "1970-01-01T09:00:01+09:00" },
		{ MIDNIGHT - 1, "2026-03-31T23:59:59+09:00" },
		{ MIDNIGHT, "2026-04-01T00:00:00+09:00" },
		{ INT64_C(951750000), "2000-02-29T00:00:00+09:00" }, /* 2000-02-28T15:00:00Z */
		{ INT64_C(253402300799) - 9 * 3600, "9999-12-31T23:59:59+09:00" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kk_feed_item it = feed_bare_item("JVN#00000001", "https://vuln.example.jp/a", cases[i].t);
		struct kk_feed fr = feed_sample("ja", 0, &it, 1), fa = feed_sample("ja", 1, &it, 1);
		char *rss = feed_write(0, &fr), *atom = feed_write(1, &fa);
		xmlDocPtr d = feed_parse(rss);

		expect_xs(d, "/rdf:RDF/rss:item/dcterms:issued", cases[i].jst);
		expect_xs(d, "/rdf:RDF/rss:channel/dc:date", cases[i].jst);
		xmlFreeDoc(d);
		d = feed_parse(atom);
		expect_xs(d, "/a:feed/a:entry/a:published", cases[i].jst);
		xmlFreeDoc(d);
		if (i == sizeof(cases) / sizeof(cases[0]) - 1) {
			/* the extremes are xs:dateTime too */
			expect_valid(rss, 0);
			expect_valid(atom, 1);
		}
		free(rss);
		free(atom);
	}
}

/*
 * Refusals: every malformed value is named by its path, with a message in the
 * caller's language, and nothing is written.
 */

static const char *const bad_cves[] = { "CVE-26-1234", "CVE-2026-123", "cve-2026-12345", NULL };
static const char *const bad_cwes[] = { "79", "CWE-079", "CWE-", "CWE-79x" };
static const char *const bad_cpes[] = { "cpe:/a", "not a cpe", "cpe:2.3:a:vendor:product:*:*:*:*:*:*:*", NULL };
static const char *const bad_vendors[] = { "", NULL };
static const struct kk_feed_ref bad_refs[] = { { "ftp", "ftp://example.jp/" }, { "js", "javascript:alert(1)" },
					       { "space", "https://example.jp/a b" }, { "nohost", "https://" },
					       { "ctl", "https://example.jp/\x01" }, { "none", NULL } };

Test(feed_text, malformed_values_are_refused_by_path)
{
	static const struct {
		const char *path, *msg;
	} want[] = {
		{ "title", "Required." },
		{ "url", "Must be an http:// or https:// address." },
		{ "site_url", "Required." },
		{ "lang", "Must be \"ja\" or \"en\"." },
		{ "items[0].id", "Must be one line without control characters." },
		{ "items[0].title", "Required." },
		{ "items[0].url", "Must be an http:// or https:// address." },
		{ "items[0].published", "Must be a time from 1970 to 9999." },
		{ "items[0].cvss3_vector", "Must be a CVSS v3.1 vector (CVSS:3.1/…)." },
		{ "items[0].cvss4_score", "The vector's score is 9.3, not 9.2." },
		{ "items[0].cves[0]", "Must be a CVE id such as CVE-2026-12345." },
		{ "items[0].cves[1]", "Must be a CVE id such as CVE-2026-12345." },
		{ "items[0].cves[2]", "Must be a CVE id such as CVE-2026-12345." },
		{ "items[0].cves[3]", "Must be a CVE id such as CVE-2026-12345." },
		{ "items[0].cwes[0]", "Must be a CWE id such as \"CWE-79\"." },
		{ "items[0].cwes[1]", "Must be a CWE id such as \"CWE-79\"." },
		{ "items[0].cwes[2]", "Must be a CWE id such as \"CWE-79\"." },
		{ "items[0].cwes[3]", "Must be a CWE id such as \"CWE-79\"." },
		{ "items[0].cpes[0]", "The CPE name names no vendor: give the vendor's name." },
		{ "items[0].cpes[1]", NULL }, /* kk_cpe's reason, checked below */
		{ "items[0].cpes[2]", NULL },
		{ "items[0].cpes[3]", "Required." },
		{ "items[0].vendors[0]", "Required." },
		{ "items[0].vendors[1]", "Required." },
		{ "items[0].refs[0].url", "Must be an http:// or https:// address." },
		{ "items[0].refs[1].url", "Must be an http:// or https:// address." },
		{ "items[0].refs[2].url", "Must be an http:// or https:// address." },
		{ "items[0].refs[3].url", "Must be an http:// or https:// address." },
		{ "items[0].refs[4].url", "Must be an http:// or https:// address." },
		{ "items[0].refs[5].url", "Required." },
		{ "items[1].id", "Required." },
		{ "items[1].updated", "Cannot be before the first publication." },
		{ "items[1].cvss3_severity", "The vector's severity is Medium." },
		{ "items[1].cvss4_vector", NULL }, /* kk_cvss's reason */
		{ "items[2].url", "Required." },
		{ "items[2].published", "Must be a time from 1970 to 9999." },
		{ "items[2].updated", "Must be a time from 1970 to 9999." },
		{ "items[2].cvss3_severity", "Must be None, Low, Medium, High or Critical." },
		{ "items[2].cvss4_vector", "Must be a CVSS v4.0 vector (CVSS:4.0/…)." },
		{ "items[3].id", "Must be one line without control characters." },
		{ "items[3].cvss3_score", "Must be a score from 0.0 to 10.0." },
		{ "items[3].cvss4_score", "Must be a score from 0.0 to 10.0." },
	};
	struct kk_feed_item items[4] = { feed_ja_item(), feed_ja_item(), feed_ja_item(), feed_ja_item() };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_feed f = feed_sample("fr", 0, items, 4);
	struct kk_buf b;
	const char *key;
	json_t *v;

	f.title = "";
	f.url = "http:/vuln.example.jp/feed";
	f.site_url = NULL;
	items[0].id = "JVN#1\n2";
	items[0].title = NULL;
	items[0].url = "vuln.example.jp/advisories/JVN1";
	items[0].published = 0;
	items[0].cvss3_vector = items[0].cvss4_vector; /* v4.0 where v3.x belongs */
	items[0].cvss4_score = 9.2;
	items[0].cves = bad_cves;
	items[0].n_cves = 4;
	items[0].cwes = bad_cwes;
	items[0].cwe_names = NULL;
	items[0].n_cwes = 4;
	items[0].cpes = bad_cpes;
	items[0].cpe_vendors = NULL;
	items[0].cpe_products = NULL;
	items[0].n_cpes = 4;
	items[0].vendors = bad_vendors;
	items[0].n_vendors = 2;
	items[0].refs = bad_refs;
	items[0].n_refs = 6;
	items[1].id = "";
	items[1].updated = items[1].published - 1;
	items[1].cvss3_severity = "Critical"; /* the vector says Medium */
	items[1].cvss3_score = -1;
	items[1].cvss4_vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:X/SC:N/SI:N/SA:N";
	items[2].url = "";
	items[2].published = -5;
	items[2].updated = INT64_C(253402300799);
	items[2].cvss3_severity = "Severe";
	items[2].cvss4_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	items[3].id = "JVN#\xff";
	items[3].cvss3_score = NAN;
	items[3].cvss4_score = 10.1;

	for (int atom = 0; atom <= 1; atom++) {
		kk_buf_init(&b, 1 << 20);
		kk_buf_adds(&b, "kept");
		cr_assert_eq(atom ? kk_feed_atom(&f, &b, &err) : kk_feed_jvnrss(&f, &b, &err), KK_EINVAL);
		cr_expect_str_eq(b.data, "kept", "something was written");
		cr_expect_eq(kk_buf_result(&b), KK_OK);
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			const char *got = json_string_value(json_object_get(err.fields, want[i].path));

			cr_expect_not_null(got, "no error at %s", want[i].path);
			if (got && want[i].msg)
				cr_expect_str_eq(got, want[i].msg, "at %s", want[i].path);
		}
		/* no error anywhere else */
		json_object_foreach(err.fields, key, v) {
			size_t i;

			for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
				if (!strcmp(key, want[i].path))
					break;
			cr_expect_lt(i, sizeof(want) / sizeof(want[0]), "unexpected error at %s: %s", key,
				     json_string_value(v));
		}
		cr_expect_not_null(strstr(json_string_value(json_object_get(err.fields, "items[0].cpes[1]")),
					  "Not a CPE name: "));
		cr_expect_not_null(strstr(json_string_value(json_object_get(err.fields, "items[0].cpes[2]")),
					  "Not a CPE name: "));
		cr_expect_not_null(strstr(json_string_value(json_object_get(err.fields, "items[1].cvss4_vector")),
					  "VA"));
		cr_expect_eq(kk_feed_check(&f, NULL), KK_EINVAL);
		kk_buf_release(&b);
		kk_error_release(&err);
	}
}

/*
 * Output: appended to what out holds; bounded by out's cap; all or nothing.
 */
Test(feed_text, appended_and_capped)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_feed_item it = feed_ja_item();
	struct kk_feed f = feed_sample("ja", 0, &it, 1);
	struct kk_buf b;
	char *whole = feed_write(0, &f);
	size_t len = strlen(whole);

	kk_buf_init(&b, 1 << 20);
	kk_buf_adds(&b, "before|");
	cr_assert_eq(kk_feed_jvnrss(&f, &b, &err), KK_OK);
	cr_expect_eq(b.len, 7 + len);
	cr_expect_eq(memcmp(b.data, "before|", 7), 0);
	cr_expect_str_eq(b.data + 7, whole);
	kk_buf_release(&b);

	/* one byte short of the document: refused, out as it was */
	kk_buf_init(&b, 7 + len - 1);
	kk_buf_adds(&b, "before|");
	cr_expect_eq(kk_feed_jvnrss(&f, &b, &err), KK_ETOOBIG);
	cr_expect_eq(err.code, KK_ETOOBIG);
	cr_expect_not_null(strstr(err.msg, "The feed would be larger than"), "%s", err.msg);
	cr_expect_eq(b.len, 7);
	cr_expect_eq(kk_buf_result(&b), KK_OK);
	kk_buf_release(&b);
	kk_error_release(&err);

	/* exactly the document's size: written */
	kk_buf_init(&b, 7 + len);
	kk_buf_adds(&b, "before|");
	cr_expect_eq(kk_feed_jvnrss(&f, &b, &err), KK_OK, "%s", err.msg);
	kk_buf_release(&b);
	free(whole);
}

/* Each allocation of a writer failing in turn ends in KK_ENOMEM with out as it
 * was, never a crash or a half-written feed (docs/internals/errors.md). */
Test(feed_text, every_failed_allocation_is_an_error)
{
	struct kk_feed_item items[2] = { feed_ja_item(), feed_en_item() };

	for (int atom = 0; atom <= 1; atom++) {
		struct kk_feed f = feed_sample("ja", atom, items, 2);
		long n;

		for (n = 1; n < 10000; n++) {
			struct kk_error err = KK_ERROR_INIT;
			enum kk_result res;
			struct kk_buf b;
			int injected;

			kk_buf_init(&b, 1 << 20);
			kk_buf_adds(&b, "kept");
			kk_alloc_fail_at(n);
			res = atom ? kk_feed_atom(&f, &b, &err) : kk_feed_jvnrss(&f, &b, &err);
			injected = kk_alloc_injected();
			kk_alloc_fail_at(0);
			if (!injected) {
				cr_assert_eq(res, KK_OK, "%s", err.msg);
				kk_buf_release(&b);
				kk_error_release(&err);
				break;
			}
			cr_assert_eq(res, KK_ENOMEM, "allocation %ld: %d %s", n, res, err.msg);
			cr_assert_eq(err.code, KK_ENOMEM);
			cr_assert_eq(b.len, 4, "allocation %ld: out changed", n);
			cr_assert_eq(memcmp(b.data, "kept", 4), 0);
			kk_buf_release(&b);
			kk_error_release(&err);
		}
		cr_expect_gt(n, 5, "the writer made only %ld allocations", n - 1);
	}
}

