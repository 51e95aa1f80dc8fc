/*
 * test_sbom.c: unit tests of lib/formats/sbom*.c (CycloneDX 1.4-1.6 and SPDX 2.3
 * JSON, SPEC 2.5 and SPEC 5: a product's composition) and lib/formats/purl.c.
 *
 * The documents are in tests/data/sbom (KK_TEST_DATA): five made by real
 * generators (npm sbom, @cyclonedx/cyclonedx-npm, cdxgen) over one package tree, two
 * written by hand for suppliers, CPE names and SPDX relationships, and the bad
 * ones listed in bad.txt with the JSON path each must be refused at. See
 * tests/data/sbom/README.md for how each was made. Package URLs are the data
 * files tests/data/purl/valid.txt and invalid.txt.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/i18n.h"
#include "keikai/purl.h"
#include "keikai/sbom.h"
#include "unit.h"

static void setup(void)
{
	kk_i18n_init();
	kk_i18n_use(KK_LANG_EN);
}

TestSuite(sbom, .init = setup);
TestSuite(purl, .init = setup);

static json_t *load(const char *name)
{
	char path[PATH_MAX];
	json_error_t jerr;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/sbom/%s", unit_data_dir(), name);
	doc = json_load_file(path, 0, &jerr);
	cr_assert_not_null(doc, "cannot read %s: %s (set KK_TEST_DATA)", path, jerr.text);
	return doc;
}

static void parse_ok(const char *name, struct kk_sbom *sbom)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *doc = load(name);
	enum kk_result rc = kk_sbom_parse(doc, sbom, &err);

	cr_assert_eq(rc, KK_OK, "%s: %s %s", name, err.msg, err.fields ? json_dumps(err.fields, 0) : "");
	kk_error_release(&err);
	json_decref(doc);
}

/* The component with this ref, asserted to exist. */
static const struct kk_sbom_component *comp(const struct kk_sbom *s, const char *ref)
{
	long i = kk_sbom_find(s, ref);

	cr_assert_geq(i, 0, "no component %s", ref);
	return &s->components[i];
}

static int streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void expect_comp(const struct kk_sbom *s, const char *ref, const char *name, const char *version,
			const char *purl, const char *supplier, const char *cpe)
{
	const struct kk_sbom_component *c = comp(s, ref);

	cr_expect(streq(c->name, name), "%s: name %s, expected %s", ref, c->name, name);
	cr_expect(streq(c->version, version), "%s: version %s, expected %s", ref, c->version, version);
	cr_expect(streq(c->purl, purl), "%s: purl %s, expected %s", ref, c->purl, purl);
	cr_expect(streq(c->supplier, supplier), "%s: supplier %s, expected %s", ref, c->supplier, supplier);
	cr_expect(streq(c->cpe, cpe), "%s: cpe %s, expected %s", ref, c->cpe, cpe);
}

/* How many edges from -> to with the relation there are. */
static int edges(const struct kk_sbom *s, const char *from, const char *to, enum kk_sbom_relation rel)
{
	long f = kk_sbom_find(s, from), t = kk_sbom_find(s, to);
	int n = 0;

	cr_assert(f >= 0 && t >= 0, "no component %s or %s", from, to);
	for (size_t i = 0; i < s->nedges; i++)
		n += s->edges[i].from == (size_t)f && s->edges[i].to == (size_t)t && s->edges[i].relation == rel;
	return n;
}

static size_t count_relation(const struct kk_sbom *s, enum kk_sbom_relation rel)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nedges; i++)
		n += s->edges[i].relation == rel;
	return n;
}

/* ---- real generators: the fixture tree (README.md) ---------------------------- */

/* The tree every generated document describes, by package URL: who needs whom. */
static const char *const fixture_purls[] = {
	"pkg:npm/keikai-sbom-fixture@1.0.0", "pkg:npm/debug@4.3.4", "pkg:npm/ms@2.1.2", "pkg:npm/ms@2.1.3",
	"pkg:npm/semver@7.6.0", "pkg:npm/lru-cache@6.0.0", "pkg:npm/yallist@4.0.0",
};
static const char *const fixture_deps[][2] = {
	{ "pkg:npm/keikai-sbom-fixture@1.0.0", "pkg:npm/ms@2.1.3" },
	{ "pkg:npm/keikai-sbom-fixture@1.0.0", "pkg:npm/debug@4.3.4" },
	{ "pkg:npm/keikai-sbom-fixture@1.0.0", "pkg:npm/semver@7.6.0" },
	{ "pkg:npm/debug@4.3.4", "pkg:npm/ms@2.1.2" },
	{ "pkg:npm/semver@7.6.0", "pkg:npm/lru-cache@6.0.0" },
	{ "pkg:npm/lru-cache@6.0.0", "pkg:npm/yallist@4.0.0" },
};

static long by_purl(const struct kk_sbom *s, const char *purl)
{
	for (size_t i = 0; i < s->ncomponents; i++)
		if (streq(s->components[i].purl, purl))
			return (long)i;
	return -1;
}

/* SPEC 2.5: each generator's document gives the same components and the same
 * "depends on" edges of the one package tree. */
Test(sbom, every_generator_gives_the_fixture_tree)
{
	static const char *const files[] = {
		"cyclonedx-1.4-cyclonedx-npm.json",
		"cyclonedx-1.5-npm-sbom.json",
		"cyclonedx-1.6-cyclonedx-npm.json",
		"cyclonedx-1.6-cdxgen.json",
		"spdx-2.3-npm-sbom.json",
	};

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		struct kk_sbom s;
		size_t n = sizeof(fixture_purls) / sizeof(fixture_purls[0]);

		parse_ok(files[f], &s);
		cr_assert_eq(s.ncomponents, n, "%s: %zu components", files[f], s.ncomponents);
		for (size_t i = 0; i < n; i++)
			cr_expect_geq(by_purl(&s, fixture_purls[i]), 0, "%s: no %s", files[f], fixture_purls[i]);
		cr_expect_eq(s.subject, by_purl(&s, "pkg:npm/keikai-sbom-fixture@1.0.0"), "%s: subject", files[f]);
		cr_expect_eq(count_relation(&s, KK_SBOM_DEPENDS_ON), 6, "%s", files[f]);
		for (size_t i = 0; i < sizeof(fixture_deps) / sizeof(fixture_deps[0]); i++) {
			long a = by_purl(&s, fixture_deps[i][0]), b = by_purl(&s, fixture_deps[i][1]);
			int found = 0;

			for (size_t e = 0; e < s.nedges; e++)
				found |= s.edges[e].from == (size_t)a && s.edges[e].to == (size_t)b &&
					 s.edges[e].relation == KK_SBOM_DEPENDS_ON;
			cr_expect(found, "%s: %s does not depend on %s", files[f], fixture_deps[i][0],
				  fixture_deps[i][1]);
		}
		kk_sbom_release(&s);
	}
}

Test(sbom, npm_sbom_cyclonedx_1_5)
{
	struct kk_sbom s;

	parse_ok("cyclonedx-1.5-npm-sbom.json", &s);
	cr_assert_eq(s.format, KK_SBOM_CYCLONEDX);
	cr_assert_str_eq(s.spec_version, "1.5");
	cr_assert_eq(s.subject, 0);
	/* npm names the root after its directory, "app", and gives the package name in bom-ref and purl */
	expect_comp(&s, "keikai-sbom-fixture@1.0.0", "app", "1.0.0", "pkg:npm/keikai-sbom-fixture@1.0.0", NULL, NULL);
	expect_comp(&s, "debug@4.3.4", "debug", "4.3.4", "pkg:npm/debug@4.3.4", NULL, NULL);
	expect_comp(&s, "ms@2.1.2", "ms", "2.1.2", "pkg:npm/ms@2.1.2", NULL, NULL);
	expect_comp(&s, "yallist@4.0.0", "yallist", "4.0.0", "pkg:npm/yallist@4.0.0", NULL, NULL);
	cr_assert_eq(s.nedges, 6);
	cr_assert_eq(edges(&s, "debug@4.3.4", "ms@2.1.2", KK_SBOM_DEPENDS_ON), 1);
	cr_assert_eq(edges(&s, "keikai-sbom-fixture@1.0.0", "semver@7.6.0", KK_SBOM_DEPENDS_ON), 1);
	cr_assert_eq(edges(&s, "keikai-sbom-fixture@1.0.0", "ms@2.1.2", KK_SBOM_DEPENDS_ON), 0);
	kk_sbom_release(&s);
}

/* cyclonedx-npm nests debug's own ms 2.1.2 inside debug: debug embeds it. */
Test(sbom, cyclonedx_npm_1_4_and_1_6_nested_components)
{
	static const char *const files[] = { "cyclonedx-1.4-cyclonedx-npm.json", "cyclonedx-1.6-cyclonedx-npm.json" };
	static const char *const versions[] = { "1.4", "1.6" };

	for (size_t f = 0; f < 2; f++) {
		struct kk_sbom s;

		parse_ok(files[f], &s);
		cr_assert_str_eq(s.spec_version, versions[f]);
		cr_assert_eq(s.nedges, 7, "%s: %zu edges", files[f], s.nedges);
		expect_comp(&s, "keikai-sbom-fixture@1.0.0|debug@4.3.4", "debug", "4.3.4", "pkg:npm/debug@4.3.4",
			    NULL, NULL);
		/* the nested component comes right after its parent */
		cr_assert_eq(kk_sbom_find(&s, "keikai-sbom-fixture@1.0.0|debug@4.3.4|ms@2.1.2"),
			     kk_sbom_find(&s, "keikai-sbom-fixture@1.0.0|debug@4.3.4") + 1);
		expect_comp(&s, "keikai-sbom-fixture@1.0.0|debug@4.3.4|ms@2.1.2", "ms", "2.1.2", "pkg:npm/ms@2.1.2",
			    NULL, NULL);
		cr_assert_eq(edges(&s, "keikai-sbom-fixture@1.0.0|debug@4.3.4",
				   "keikai-sbom-fixture@1.0.0|debug@4.3.4|ms@2.1.2", KK_SBOM_CONTAINS), 1);
		cr_assert_eq(count_relation(&s, KK_SBOM_CONTAINS), 1);
		kk_sbom_release(&s);
	}
}

Test(sbom, npm_sbom_spdx_2_3)
{
	struct kk_sbom s;

	parse_ok("spdx-2.3-npm-sbom.json", &s);
	cr_assert_eq(s.format, KK_SBOM_SPDX);
	cr_assert_str_eq(s.spec_version, "2.3");
	cr_assert_eq(s.ncomponents, 7);
	cr_assert_eq(s.subject, kk_sbom_find(&s, "SPDXRef-Package-keikai-sbom-fixture-1.0.0"));
	expect_comp(&s, "SPDXRef-Package-keikai-sbom-fixture-1.0.0", "keikai-sbom-fixture", "1.0.0",
		    "pkg:npm/keikai-sbom-fixture@1.0.0", NULL, NULL);
	expect_comp(&s, "SPDXRef-Package-lru-cache-6.0.0", "lru-cache", "6.0.0", "pkg:npm/lru-cache@6.0.0", NULL, NULL);
	/* "ms-2.1.3 DEPENDENCY_OF fixture": the fixture depends on ms 2.1.3 */
	cr_assert_eq(edges(&s, "SPDXRef-Package-keikai-sbom-fixture-1.0.0", "SPDXRef-Package-ms-2.1.3",
			   KK_SBOM_DEPENDS_ON), 1);
	cr_assert_eq(edges(&s, "SPDXRef-Package-ms-2.1.3", "SPDXRef-Package-keikai-sbom-fixture-1.0.0",
			   KK_SBOM_DEPENDS_ON), 0);
	cr_assert_eq(s.nedges, 6); /* DESCRIBES names the subject; it is no edge */
	kk_sbom_release(&s);
}

/* ---- hand-written: suppliers, CPE names, services, SPDX relationships ----------- */

Test(sbom, cyclonedx_suppliers_cpe_and_services)
{
	struct kk_sbom s;

	parse_ok("cyclonedx-1.6-handwritten.json", &s);
	cr_assert_eq(s.ncomponents, 5);
	cr_assert_eq(s.subject, kk_sbom_find(&s, "router"));
	/* a CPE 2.2 URI is kept as a 2.3 formatted string */
	expect_comp(&s, "router", "Example Router RX-100", "2.1.0", NULL, "Example Networks K.K.",
		    "cpe:2.3:h:example:rx-100:2.1.0:*:*:*:*:*:*:*");
	/* publisher stands in for a missing supplier */
	expect_comp(&s, "fw", "rx-firmware", "2.1.0", NULL, "Example Networks K.K.",
		    "cpe:2.3:o:example:rx-firmware:2.1.0:*:*:*:*:*:*:*");
	expect_comp(&s, "openssl", "openssl", "3.0.13", "pkg:generic/openssl@3.0.13", "OpenSSL Software Foundation",
		    "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*");
	expect_comp(&s, "log4j", "log4j-core", "2.17.1", "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1",
		    NULL, NULL);
	cr_assert_str_eq(comp(&s, "log4j")->group, "org.apache.logging.log4j");
	cr_assert_eq(edges(&s, "fw", "openssl", KK_SBOM_CONTAINS), 1);
	cr_assert_eq(edges(&s, "fw", "busybox", KK_SBOM_CONTAINS), 1);
	cr_assert_eq(edges(&s, "fw", "openssl", KK_SBOM_DEPENDS_ON), 1);
	cr_assert_eq(edges(&s, "router", "fw", KK_SBOM_DEPENDS_ON), 1);
	/* router -> update-service names a service: no fault, no edge */
	cr_assert_eq(s.nedges, 5);
	kk_sbom_release(&s);
}

Test(sbom, spdx_suppliers_cpe_and_relationships)
{
	struct kk_sbom s;

	parse_ok("spdx-2.3-handwritten.json", &s);
	cr_assert_eq(s.ncomponents, 4);
	/* no documentDescribes: the document's DESCRIBES relationship names the subject */
	cr_assert_eq(s.subject, kk_sbom_find(&s, "SPDXRef-firmware"));
	expect_comp(&s, "SPDXRef-firmware", "rx-firmware", "2.1.0", NULL, "Example Networks K.K.",
		    "cpe:2.3:o:example:rx-firmware:2.1.0:*:*:*:*:*:*:*");
	expect_comp(&s, "SPDXRef-zlib", "zlib", "1.3.1", "pkg:generic/zlib@1.3.1", "Mark Adler",
		    "cpe:2.3:a:zlib:zlib:1.3.1:*:*:*:*:*:*:*");
	expect_comp(&s, "SPDXRef-curl", "curl", "8.5.0", "pkg:github/curl/curl@curl-8_5_0", NULL, NULL);
	cr_assert_eq(edges(&s, "SPDXRef-firmware", "SPDXRef-curl", KK_SBOM_CONTAINS), 1);
	cr_assert_eq(edges(&s, "SPDXRef-curl", "SPDXRef-zlib", KK_SBOM_CONTAINS), 1); /* STATIC_LINK */
	cr_assert_eq(edges(&s, "SPDXRef-zlib", "SPDXRef-curl", KK_SBOM_CONTAINS), 1);
	cr_assert_eq(edges(&s, "SPDXRef-firmware", "SPDXRef-zlib", KK_SBOM_CONTAINS), 1); /* CONTAINED_BY */
	/* DEV_DEPENDENCY_OF, a file and another document's package make no edge */
	cr_assert_eq(s.nedges, 4);
	kk_sbom_release(&s);
}

/* A package DESCRIBED_BY the document is the subject too; relationships with the
 * document itself make no edge. */
Test(sbom, spdx_described_by)
{
	struct kk_sbom s;
	struct kk_error err = KK_ERROR_INIT;
	json_t *doc = json_loads("{\"spdxVersion\": \"SPDX-2.3\", \"SPDXID\": \"SPDXRef-DOCUMENT\","
				 " \"packages\": [{\"SPDXID\": \"SPDXRef-a\", \"name\": \"a\"},"
				 " {\"SPDXID\": \"SPDXRef-b\", \"name\": \"b\"}],"
				 " \"relationships\": [{\"spdxElementId\": \"SPDXRef-b\", \"relationshipType\":"
				 " \"DESCRIBED_BY\", \"relatedSpdxElement\": \"SPDXRef-DOCUMENT\"}]}",
				 0, NULL);

	cr_assert_not_null(doc);
	cr_assert_eq(kk_sbom_parse(doc, &s, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(s.subject, 1);
	cr_assert_eq(s.nedges, 0);
	kk_sbom_release(&s);
	json_decref(doc);
}

/* ---- refused ------------------------------------------------------------------- */

Test(sbom, every_bad_document_refused_at_its_path)
{
	char path[PATH_MAX], line[1024];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof(path), "%s/sbom/bad.txt", unit_data_dir());
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		struct kk_error err = KK_ERROR_INIT;
		char file[PATH_MAX];
		struct kk_sbom s;
		char *name = line, *field, *tab;
		json_t *doc;
		enum kk_result rc;

		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		field = strchr(line, '\t');
		cr_assert_not_null(field, "%s: no tab in %s", path, line);
		*field++ = '\0';
		tab = strchr(field, '\t');
		if (tab)
			*tab = '\0';
		snprintf(file, sizeof(file), "bad/%s.json", name);
		doc = load(file);
		rc = kk_sbom_parse(doc, &s, &err);
		cr_expect_eq(rc, KK_EINVAL, "%s: result %d", name, rc);
		cr_expect_not_null(json_object_get(err.fields, field), "%s: no error at %s: %s", name, field,
				   err.fields ? json_dumps(err.fields, 0) : "{}");
		/* one fault, one message: references to a faulty component are not counted again */
		cr_expect_eq(json_object_size(err.fields), 1, "%s: %s", name,
			     err.fields ? json_dumps(err.fields, 0) : "{}");
		/* nothing half-read */
		cr_expect_eq(s.ncomponents, 0);
		cr_expect_null(s.components);
		cr_expect_null(s.edges);
		kk_error_release(&err);
		json_decref(doc);
		n++;
	}
	fclose(f);
	cr_assert_geq(n, 20);
}

Test(sbom, not_an_sbom)
{
	static const char *const docs[] = { "[]", "\"bom\"", "{}", "{\"name\": \"x\", \"components\": []}" };

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		struct kk_error err = KK_ERROR_INIT;
		struct kk_sbom s;
		json_t *doc = json_loads(docs[i], JSON_DECODE_ANY, NULL);

		cr_assert_not_null(doc);
		cr_expect_eq(kk_sbom_parse(doc, &s, &err), KK_EINVAL, "%s", docs[i]);
		cr_expect_gt(strlen(err.msg), 0);
		cr_expect_eq(s.ncomponents, 0);
		kk_error_release(&err);
		json_decref(doc);
	}
	cr_expect_eq(kk_sbom_parse(NULL, &(struct kk_sbom){ 0 }, NULL), KK_EINVAL);
}

/* Messages come in the reader's language (po/ja.po). */
Test(sbom, messages_in_japanese)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_sbom s;
	json_t *doc = load("bad/cdx-spec-1.3.json");

	kk_i18n_use(KK_LANG_JA);
	cr_assert_eq(kk_sbom_parse(doc, &s, &err), KK_EINVAL);
	cr_assert_str_eq(json_string_value(json_object_get(err.fields, "specVersion")),
			 "keikai が読めるのは CycloneDX 1.4、1.5、1.6 です。");
	kk_i18n_use(KK_LANG_EN);
	kk_error_release(&err);
	json_decref(doc);
}

static json_t *cyclonedx(json_t *components)
{
	return json_pack("{s:s, s:s, s:o}", "bomFormat", "CycloneDX", "specVersion", "1.5", "components",
			 components);
}

static enum kk_result parse_json(json_t *doc, struct kk_error *err)
{
	struct kk_sbom s;
	enum kk_result rc = kk_sbom_parse(doc, &s, err);

	if (rc != KK_OK)
		cr_assert_eq(s.ncomponents, 0);
	kk_sbom_release(&s);
	json_decref(doc);
	return rc;
}

Test(sbom, strings_at_most_4_kib)
{
	struct kk_error err = KK_ERROR_INIT;
	char *big = malloc(KK_SBOM_MAX_STRING + 2);

	memset(big, 'a', KK_SBOM_MAX_STRING + 1);
	big[KK_SBOM_MAX_STRING + 1] = '\0';
	cr_assert_eq(parse_json(cyclonedx(json_pack("[{s:s, s:s}]", "type", "library", "name", big)), &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "components[0].name"));
	kk_error_release(&err);
	big[KK_SBOM_MAX_STRING] = '\0';
	cr_assert_eq(parse_json(cyclonedx(json_pack("[{s:s, s:s}]", "type", "library", "name", big)), &err), KK_OK);
	free(big);
}

Test(sbom, nesting_at_most_32_deep)
{
	for (int depth = KK_SBOM_MAX_DEPTH; depth <= KK_SBOM_MAX_DEPTH + 1; depth++) {
		struct kk_error err = KK_ERROR_INIT;
		json_t *inner = json_pack("{s:s, s:s}", "type", "library", "name", "leaf");
		char path[1024] = "components[0]";

		for (int i = 0; i < depth; i++) {
			inner = json_pack("{s:s, s:s, s:[o]}", "type", "library", "name", "box", "components", inner);
			strncat(path, ".components[0]", sizeof(path) - strlen(path) - 1);
		}
		if (depth == KK_SBOM_MAX_DEPTH) {
			cr_assert_eq(parse_json(cyclonedx(json_pack("[o]", inner)), &err), KK_OK);
		} else {
			cr_assert_eq(parse_json(cyclonedx(json_pack("[o]", inner)), &err), KK_EINVAL);
			cr_assert_not_null(json_object_get(err.fields, path), "%s", json_dumps(err.fields, 0));
		}
		kk_error_release(&err);
	}
}

Test(sbom, at_most_100000_components)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = json_array();

	for (int i = 0; i < KK_SBOM_MAX_COMPONENTS; i++)
		json_array_append_new(list, json_pack("{s:s, s:s}", "type", "library", "name", "c"));
	cr_assert_eq(parse_json(cyclonedx(json_incref(list)), &err), KK_OK);
	json_array_append_new(list, json_pack("{s:s, s:s}", "type", "library", "name", "one too many"));
	cr_assert_eq(parse_json(cyclonedx(list), &err), KK_ETOOBIG);
	cr_assert_gt(strlen(err.msg), 0);
	kk_error_release(&err);
}

/* One answer names many faults, but no more than KK_SBOM_MAX_FIELD_ERRORS. */
Test(sbom, field_errors_capped)
{
	struct kk_error err = KK_ERROR_INIT;
	json_t *list = json_array();

	for (int i = 0; i < 200; i++)
		json_array_append_new(list, json_pack("{s:s}", "type", "library"));
	cr_assert_eq(parse_json(cyclonedx(list), &err), KK_EINVAL);
	cr_assert_eq(json_object_size(err.fields), KK_SBOM_MAX_FIELD_ERRORS);
	cr_assert_not_null(json_object_get(err.fields, "components[0].name"));
	kk_error_release(&err);
	cr_assert_eq(parse_json(cyclonedx(json_pack("[{s:s}]", "type", "library")), NULL), KK_EINVAL);
}

/* Every allocation failing in turn: a clean KK_ENOMEM and nothing half-read. */
Test(sbom, every_allocation_failing_in_turn)
{
	static const char *const files[] = { "cyclonedx-1.6-handwritten.json", "spdx-2.3-handwritten.json",
					     "bad/spdx-duplicate-id.json" };

	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		json_t *doc = load(files[f]);
		enum kk_result clean = f < 2 ? KK_OK : KK_EINVAL;

		for (long n = 1;; n++) {
			struct kk_error err = KK_ERROR_INIT;
			struct kk_sbom s;
			enum kk_result rc;
			int injected;

			kk_alloc_fail_at(n);
			rc = kk_sbom_parse(doc, &s, &err);
			injected = kk_alloc_injected();
			kk_alloc_fail_at(0);
			if (!injected) {
				cr_assert_eq(rc, clean, "%s: %d without a failed allocation", files[f], rc);
				kk_sbom_release(&s);
				kk_error_release(&err);
				break;
			}
			cr_assert_eq(rc, KK_ENOMEM, "%s: allocation %ld failed, result %d", files[f], n, rc);
			cr_assert_eq(err.code, KK_ENOMEM);
			cr_assert_eq(s.ncomponents, 0);
			cr_assert_null(s.components);
			kk_error_release(&err);
		}
		json_decref(doc);
	}
}

/* ---- package URLs -------------------------------------------------------------- */

/* The lines of tests/data/purl/NAME that are neither blank nor comments, each
 * split at tabs into field[0..n); returns the count of lines, calling fn on each. */
static int each_line(const char *name, void (*fn)(char **field, int n, const char *where))
{
	char path[PATH_MAX], line[8192], where[PATH_MAX + 16];
	FILE *f;
	int lineno = 0, count = 0;

	snprintf(path, sizeof(path), "%s/purl/%s", unit_data_dir(), name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "cannot open %s (set KK_TEST_DATA)", path);
	while (fgets(line, sizeof(line), f)) {
		char *field[8], *p = line;
		int n = 0;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		while (n < 8) {
			field[n++] = p;
			p = strchr(p, '\t');
			if (!p)
				break;
			*p++ = '\0';
		}
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		fn(field, n, where);
		count++;
	}
	fclose(f);
	return count;
}

/* "-" in a data file: the part is absent (NULL). */
static const char *dash(const char *s)
{
	return strcmp(s, "-") ? s : NULL;
}

static void purl_valid(char **field, int n, const char *where)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_purl p;
	const char *in = field[0];

	cr_assert_eq(n, 7, "%s: %d fields", where, n);
	cr_assert_eq(kk_purl_parse(in, &p, &err), KK_OK, "%s: %s: %s", where, in, err.msg);
	cr_expect(streq(p.type, dash(field[1])), "%s: type %s", where, p.type);
	cr_expect(streq(p.namespace, dash(field[2])), "%s: namespace %s", where, p.namespace);
	cr_expect(streq(p.name, dash(field[3])), "%s: name %s", where, p.name);
	cr_expect(streq(p.version, dash(field[4])), "%s: version %s", where, p.version);
	cr_expect(streq(p.qualifiers, dash(field[5])), "%s: qualifiers %s", where, p.qualifiers);
	cr_expect(streq(p.subpath, dash(field[6])), "%s: subpath %s", where, p.subpath);
	kk_purl_release(&p);
	kk_error_release(&err);
}

static void purl_invalid(char **field, int n, const char *where)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_purl p;

	cr_expect_eq(kk_purl_parse(field[0], &p, &err), KK_EINVAL, "%s: %s accepted", where, field[0]);
	cr_expect_gt(strlen(err.msg), 0, "%s: no message", where);
	cr_expect_null(p.buf);
	kk_error_release(&err);
}

Test(purl, valid_data_file)
{
	cr_assert_geq(each_line("valid.txt", purl_valid), 15);
}

Test(purl, invalid_data_file)
{
	struct kk_purl p;

	cr_assert_geq(each_line("invalid.txt", purl_invalid), 20);
	cr_assert_eq(kk_purl_parse("", &p, NULL), KK_EINVAL);
	cr_assert_eq(kk_purl_parse(NULL, &p, NULL), KK_EINVAL);
}

Test(purl, too_long)
{
	char *s = malloc(KK_PURL_MAX_LEN + 2);
	struct kk_purl p;

	memcpy(s, "pkg:npm/", 8);
	memset(s + 8, 'a', KK_PURL_MAX_LEN - 8);
	s[KK_PURL_MAX_LEN] = '\0';
	cr_assert_eq(kk_purl_parse(s, &p, NULL), KK_OK);
	kk_purl_release(&p);
	s[KK_PURL_MAX_LEN] = 'a';
	s[KK_PURL_MAX_LEN + 1] = '\0';
	cr_assert_eq(kk_purl_parse(s, &p, NULL), KK_ETOOBIG);
	free(s);
}
