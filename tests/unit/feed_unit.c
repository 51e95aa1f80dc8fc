/*
 * feed_unit.c: the helpers of the feeds' tests (feed_unit.h).
 */
#include <criterion/criterion.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keikai/alloc.h"
#include "feed_unit.h"
#include "unit.h"

/*
 * Advisories.
 */

static const char *const ja_cves[] = { "CVE-2026-12345", "CVE-2026-1234567" };
static const char *const ja_cwes[] = { "CWE-79", "CWE-352" };
static const char *const ja_cwe_names[] = { "クロスサイトスクリプティング", NULL };
static const char *const ja_cpes[] = { "cpe:2.3:a:example\\-corp:web_admin:*:*:*:*:*:*:*:*",
				       "cpe:/h:example-corp:router_x1" };
static const char *const ja_cpe_vendors[] = { "株式会社エグザンプル", NULL };
static const char *const ja_cpe_products[] = { "Web 管理画面", NULL };
static const char *const ja_vendors[] = { "株式会社エグザンプル", "Other Corp" };
static const struct kk_feed_ref ja_refs[] = {
	{ "製品開発者のお知らせ", "https://www.example.jp/security/2026-001.html" },
	{ NULL, "https://example.org/notes?id=1&lang=ja" },
};

/* A Japanese advisory with every optional part. */
struct kk_feed_item feed_ja_item(void)
{
	return (struct kk_feed_item){
		.id = "JVNVU#12345678",
		.title = "Example Web 管理画面におけるクロスサイトスクリプティングの脆弱性",
		.summary = "株式会社エグザンプルが提供する Example Web 管理画面には、"
			   "クロスサイトスクリプティングの脆弱性が存在します。",
		.url = "https://vuln.example.jp/advisories/JVNVU12345678",
		.published = T0,
		.updated = T1,
		.cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
		.cvss3_score = 6.1,
		.cvss3_severity = "Medium",
		.cvss4_vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		.cvss4_score = 9.3,
		.cvss4_severity = "Critical",
		.cves = ja_cves,
		.n_cves = 2,
		.cwes = ja_cwes,
		.n_cwes = 2,
		.cwe_names = ja_cwe_names,
		.cpes = ja_cpes,
		.n_cpes = 2,
		.cpe_vendors = ja_cpe_vendors,
		.cpe_products = ja_cpe_products,
		.vendors = ja_vendors,
		.n_vendors = 2,
		.refs = ja_refs,
		.n_refs = 2,
	};
}

static const char *const en_cves[] = { "CVE-2025-0001" };
static const char *const en_cwes[] = { "CWE-22" };
static const char *const en_cwe_names[] = { "Path Traversal" };
static const char *const en_cpes[] = { "cpe:/a:example-corp:file_share:2.0" };
static const char *const en_vendors[] = { "Example Corp" };
static const struct kk_feed_ref en_refs[] = { { "Vendor advisory", "https://www.example.com/psirt/EX-2026-01" } };

/* An English advisory with every optional part; v3.x with temporal metrics. */
struct kk_feed_item feed_en_item(void)
{
	return (struct kk_feed_item){
		.id = "JVN#87654321",
		.title = "Example File Share vulnerable to path traversal",
		.summary = "Example File Share provided by Example Corp contains a path traversal vulnerability.",
		.url = "https://vuln.example.jp/en/advisories/JVN87654321",
		.published = T0,
		.updated = 0,
		.cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O",
		.cvss3_score = 9.8,
		.cvss3_severity = "critical",
		.cvss4_vector = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U",
		.cvss4_score = -1,
		.cvss4_severity = NULL,
		.cves = en_cves,
		.n_cves = 1,
		.cwes = en_cwes,
		.n_cwes = 1,
		.cwe_names = en_cwe_names,
		.cpes = en_cpes,
		.n_cpes = 1,
		.vendors = en_vendors,
		.n_vendors = 1,
		.refs = en_refs,
		.n_refs = 1,
	};
}

/* An advisory with none of the optional parts. */
struct kk_feed_item feed_bare_item(const char *id, const char *url, int64_t published)
{
	return (struct kk_feed_item){ .id = id, .title = "Bare advisory", .url = url, .published = published,
				      .cvss3_score = -1, .cvss4_score = -1 };
}

struct kk_feed feed_sample(const char *lang, int atom, const struct kk_feed_item *items, size_t n)
{
	int ja = !strcmp(lang, "ja");

	return (struct kk_feed){
		.title = ja ? "keikai 脆弱性対策情報" : "keikai vulnerability notes",
		.url = atom ? "https://vuln.example.jp/feed/atom.xml" : "https://vuln.example.jp/feed/jvnrss.rdf",
		.site_url = "https://vuln.example.jp/",
		.lang = lang,
		.description = ja ? "公表された脆弱性対策情報の新着" : "Newly published vulnerability notes",
		.publisher = ja ? "情報処理推進機構" : "Information-technology Promotion Agency, Japan",
		.updated = 0,
		.items = items,
		.n_items = n,
	};
}

/* The document of f; fails the test when it cannot be written. */
char *feed_write(int atom, const struct kk_feed *f)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;
	enum kk_result res;
	char *text;

	kk_buf_init(&b, 4 << 20);
	res = atom ? kk_feed_atom(f, &b, &err) : kk_feed_jvnrss(f, &b, &err);
	cr_assert_eq(res, KK_OK, "%s: %s", err.msg, err.fields ? json_dumps(err.fields, 0) : "");
	cr_assert_eq(kk_buf_finish(&b, &text), KK_OK);
	kk_error_release(&err);
	return text;
}

/*
 * Reading documents back.
 */

xmlDocPtr feed_parse(const char *text)
{
	xmlDocPtr d = xmlReadMemory(text, (int)strlen(text), "feed.xml", NULL, XML_PARSE_NONET);

	cr_assert_not_null(d, "not well-formed XML:\n%s", text);
	return d;
}

xmlXPathObjectPtr feed_eval(xmlDocPtr d, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(d);
	xmlXPathObjectPtr o;

	cr_assert_not_null(ctx);
	xmlXPathRegisterNs(ctx, BAD_CAST "rss", BAD_CAST "http://purl.org/rss/1.0/");
	xmlXPathRegisterNs(ctx, BAD_CAST "rdf", BAD_CAST "http://www.w3.org/1999/02/22-rdf-syntax-ns#");
	xmlXPathRegisterNs(ctx, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
	xmlXPathRegisterNs(ctx, BAD_CAST "dcterms", BAD_CAST "http://purl.org/dc/terms/");
	xmlXPathRegisterNs(ctx, BAD_CAST "sec", BAD_CAST "http://jvn.jp/rss/mod_sec/3.0/");
	xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");
	o = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	cr_assert_not_null(o, "bad XPath %s", expr);
	xmlXPathFreeContext(ctx);
	return o;
}

/* The number of nodes expr selects. */
int feed_count(xmlDocPtr d, const char *expr)
{
	xmlXPathObjectPtr o = feed_eval(d, expr);
	int n = o->nodesetval ? o->nodesetval->nodeNr : 0;

	xmlXPathFreeObject(o);
	return n;
}

/* The string value of expr, which the caller frees. */
char *feed_string(xmlDocPtr d, const char *expr)
{
	char buf[512];
	xmlXPathObjectPtr o;
	char *s;

	snprintf(buf, sizeof(buf), "string(%s)", expr);
	o = feed_eval(d, buf);
	s = kk_strdup((const char *)o->stringval);
	xmlXPathFreeObject(o);
	return s;
}

/*
 * Validation with the real xmllint against JVN's schemas.
 */

/* The folder of JVN's XML schemas, or skips the test when it is absent. */
void feed_schema_dir(char out[PATH_MAX])
{
	const char *d = getenv("KK_SHARED_DATA");
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/myjvn/schemas/hnd", d && *d ? d : "../shared/data");
	if (!realpath(path, out) || access(path, R_OK) != 0) {
		cr_skip_test("JVN's XML schemas not found at %s (set KK_SHARED_DATA): the feeds are not validated", path);
	}
}

/* xmllint's verdict on the file at path: its exit status, its messages in out. */
int feed_xmllint(const char *schema, const char *path, char *out, size_t n)
{
	char cmd[3 * PATH_MAX];
	size_t len = 0, got;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "xmllint --nonet --noout --schema '%s' '%s' 2>&1", schema, path);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "cannot run %s", cmd);
	while (len + 1 < n && (got = fread(out + len, 1, n - 1 - len, p)) > 0)
		len += got;
	out[len] = '\0';
	return pclose(p);
}

/* The schema an Atom feed is checked with: atom.xsd, and the declarations its
 * strict wildcards demand (xml:lang, the mod_sec elements). */
static void atom_schema(const char *dir, const char *tmp, char out[PATH_MAX])
{
	char text[4 * PATH_MAX];

	snprintf(text, sizeof(text),
		 "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
		 "  <xs:import namespace=\"http://www.w3.org/XML/1998/namespace\" schemaLocation=\"%s/xml.xsd\"/>\n"
		 "  <xs:import namespace=\"http://www.w3.org/2005/Atom\" schemaLocation=\"%s/atom.xsd\"/>\n"
		 "  <xs:import namespace=\"http://jvn.jp/rss/mod_sec/3.0/\" schemaLocation=\"%s/mod_sec_3.0.xsd\"/>\n"
		 "</xs:schema>\n",
		 dir, dir, dir);
	snprintf(out, PATH_MAX, "%s/atom-mod_sec.xsd", tmp);
	unit_write_file(out, text);
}

/* Validates text (a JVNRSS document, or Atom when atom is set): 0 when xmllint
 * says it is valid, else its exit status with its messages in msg. */
int feed_validate(const char *text, int atom, char *msg, size_t n)
{
	char dir[PATH_MAX], tmp[PATH_MAX], schema[PATH_MAX], doc[PATH_MAX];

	feed_schema_dir(dir);
	unit_tmpdir(tmp);
	if (atom)
		atom_schema(dir, tmp, schema);
	else
		snprintf(schema, sizeof(schema), "%s/jvnrss_3.2.xsd", dir);
	snprintf(doc, sizeof(doc), "%s/feed.xml", tmp);
	unit_write_file(doc, text);
	return feed_xmllint(schema, doc, msg, n);
}

