/*
 * test_composition.c: unit tests of lib/vendor/composition.c, embedded.c and
 * sbom_map.c with lib/store/components.c: products' components and
 * distributors, "who embeds X" through chains of products (SPEC 2.5: the
 * makers of products that embed an OSS component, and the distributors;
 * SPEC 5 last sentence: each product's composition on record), and SBOMs
 * mapped to the registry and uploaded.
 *
 * The registry is tests/data/sbom/map/registry.jsonl, loaded by the MyJVN
 * import; mapping tests are data files: for each SBOM of tests/data/sbom,
 * map/NAME.map.txt is the expected mapping, one component a line. Every
 * store is a fresh one from unit.h (SQLite, or PostgreSQL with
 * KK_TEST_ENGINE=postgresql).
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keikai/alloc.h"
#include "keikai/composition.h"
#include "keikai/sbom.h"
#include "keikai/sbom_map.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "unit.h"

static struct kk_store *registry(void)
{
	return unit_registry_store("sbom/map/registry.jsonl");
}

/* The row id of the product with MyJVN pid. */
static int64_t pid(struct kk_store *s, const char *myjvn_pid)
{
	int64_t id = unit_count(s, "SELECT id FROM products WHERE myjvn_pid = CAST(? AS BIGINT)", myjvn_pid);

	cr_assert_gt(id, 0, "no product %s", myjvn_pid);
	return id;
}

static int64_t vid(struct kk_store *s, const char *myjvn_vid)
{
	return unit_count(s, "SELECT id FROM vendors WHERE myjvn_vid = CAST(? AS BIGINT)", myjvn_vid);
}

static int64_t vendor_of(struct kk_store *s, int64_t product)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", (long long)product);
	return unit_count(s, "SELECT vendor_id FROM products WHERE id = CAST(? AS BIGINT)", buf);
}

static struct kk_user coordinator(struct kk_store *s)
{
	return unit_user(s, "coordinator", "coord@example.jp");
}

/* Adds a component to product p by its coordinator; returns its id. */
static int64_t add(struct kk_store *s, const struct kk_user *u, int64_t p, const struct kk_component_input *in)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t id = 0;

	cr_assert_eq(kk_component_add(s, u, vendor_of(s, p), p, in, &id, &err), KK_OK, "%s", err.msg);
	kk_error_release(&err);
	return id;
}

/* The "who embeds" answer as "PRODUCT_ID@DEPTH via VIA [distributors]" lines. */
static char *embedders(struct kk_store *s, const struct kk_user *u, const struct kk_embed_query *q)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_buf b;
	json_t *out = NULL, *row;
	size_t i;

	cr_assert_eq(kk_embedded_in(s, u, q, &out, &err), KK_OK, "%s", err.msg);
	kk_buf_init(&b, 65536);
	json_array_foreach(out, i, row) {
		json_t *d;
		size_t k;

		kk_buf_addf(&b, "%lld@%lld via %lld", (long long)json_integer_value(json_object_get(row, "product_id")),
			    (long long)json_integer_value(json_object_get(row, "depth")),
			    (long long)json_integer_value(json_object_get(row, "via")));
		json_array_foreach(json_object_get(row, "distributors"), k, d)
			kk_buf_addf(&b, " +%lld", (long long)json_integer_value(json_object_get(d, "vendor_id")));
		kk_buf_adds(&b, "\n");
	}
	json_decref(out);
	return kk_buf_detach(&b);
}

Test(composition, keys)
{
	struct kk_error err = KK_ERROR_INIT;
	char *k = NULL;

	/* SPEC 2.5: the key a component is found by */
	cr_assert_eq(kk_component_key("pkg:npm/%40Babel/Core@7.1.0?x=y#a", NULL, "ignored", &k, &err), KK_OK);
	cr_assert_str_eq(k, "pkg:npm/@babel/core");
	free(k);
	cr_assert_eq(kk_component_key(NULL, "cpe:/a:OpenSSL:openssl:3.0.13", NULL, &k, &err), KK_OK);
	cr_assert_str_eq(k, "openssl:openssl");
	free(k);
	cr_assert_eq(kk_component_key(NULL, NULL, "ＢｕｓｙＢｏｘ", &k, &err), KK_OK);
	cr_assert_str_eq(k, "busybox");
	free(k);
	cr_assert_eq(kk_component_key("npm/x", NULL, NULL, &k, &err), KK_EINVAL);
	cr_assert_null(k);
	kk_error_release(&err);
}

Test(composition, validation)
{
	struct kk_error err = KK_ERROR_INIT;
	struct kk_component_input in;
	json_t *body = json_pack("{s:s, s:s, s:i, s:s}", "cpe", "cpe:2.3:a:x", "purl", "pkg:", "component_product_id",
				 0, "colour", "red");

	cr_assert_eq(kk_component_from_json(body, &in, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "cpe"));
	cr_assert_not_null(json_object_get(err.fields, "purl"));
	cr_assert_not_null(json_object_get(err.fields, "component_product_id"));
	cr_assert_not_null(json_object_get(err.fields, "colour"));
	json_decref(body);
	kk_error_clear(&err);
	body = json_object();
	cr_assert_eq(kk_component_from_json(body, &in, &err), KK_EINVAL);
	cr_assert_not_null(json_object_get(err.fields, "name"));
	json_decref(body);
	kk_error_release(&err);
}

/* openssl <- rx-firmware <- RX-100 <- SD-Camera, and rx-firmware also embeds
 * SD-Camera: a cycle. */
Test(composition, transitive_and_cycles)
{
	struct kk_store *s = registry();
	struct kk_user c = coordinator(s);
	struct kk_error err = KK_ERROR_INIT;
	int64_t openssl = pid(s, "101"), rx = pid(s, "301"), fw = pid(s, "302"), cam = pid(s, "602");
	char expect[512], *got;

	add(s, &c, fw, &(struct kk_component_input){ 0, "openssl", "3.0.13", "cpe:2.3:a:openssl:openssl:3.0.13:*:*:*:*:*:*:*",
						   "pkg:generic/openssl@3.0.13" });
	add(s, &c, rx, &(struct kk_component_input){ .component_product_id = fw });
	add(s, &c, cam, &(struct kk_component_input){ .component_product_id = rx });
	add(s, &c, fw, &(struct kk_component_input){ .component_product_id = cam }); /* the cycle */
	cr_assert_eq(kk_distributor_add(s, &c, vendor_of(s, rx), rx, vid(s, "9"), &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_distributor_add(s, &c, vendor_of(s, rx), rx, vid(s, "9"), &err), KK_EEXISTS);
	kk_error_clear(&err);

	/* SPEC 2.5: by purl, directly and through the chain, each once */
	snprintf(expect, sizeof(expect), "%lld@1 via 0\n%lld@2 via %lld +%lld\n%lld@3 via %lld\n", (long long)fw,
		 (long long)rx, (long long)fw, (long long)vid(s, "9"), (long long)cam, (long long)rx);
	got = embedders(s, &c, &(struct kk_embed_query){ .purl = "pkg:generic/openssl" });
	cr_assert_str_eq(got, expect);
	free(got);
	got = embedders(s, &c, &(struct kk_embed_query){ .purl = "pkg:generic/openssl@3.0.13" });
	cr_assert_str_eq(got, expect);
	free(got);
	/* another version of the component is not embedded */
	got = embedders(s, &c, &(struct kk_embed_query){ .purl = "pkg:generic/openssl@1.1.1" });
	cr_assert_str_eq(got, "");
	free(got);
	/* by CPE pattern, and by the registered product OpenSSL whose CPE matches */
	got = embedders(s, &c, &(struct kk_embed_query){ .cpe = "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*" });
	cr_assert_str_eq(got, expect);
	free(got);
	got = embedders(s, &c, &(struct kk_embed_query){ .product_id = openssl });
	cr_assert_str_eq(got, expect);
	free(got);
	/* a product in the cycle is not reported as embedding itself */
	snprintf(expect, sizeof(expect), "%lld@1 via 0\n%lld@2 via %lld\n", (long long)cam, (long long)fw,
		 (long long)cam);
	got = embedders(s, &c, &(struct kk_embed_query){ .product_id = rx });
	cr_assert_str_eq(got, expect);
	free(got);
	kk_user_release(&c);
	kk_store_close(s);
}

Test(composition, access)
{
	struct kk_store *s = registry();
	struct kk_error err = KK_ERROR_INIT;
	struct kk_user own, other, intake;
	int64_t rx = pid(s, "301"), ms = pid(s, "401"), id = 0;
	struct kk_component_input in = { .name = "busybox", .version = "1.36.1" };
	json_t *list = NULL;

	cr_assert_eq(kk_user_add(s, "Example Networks", KK_ROLE_VENDOR, "psirt@example.jp", "P", "correct horse battery",
				 vendor_of(s, rx), NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_user_add(s, "Vercel", KK_ROLE_VENDOR, "psirt@vercel.example", "P", "correct horse battery",
				 vendor_of(s, ms), NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_user_by_email(s, "psirt@example.jp", &own, &err), KK_OK);
	cr_assert_eq(kk_user_by_email(s, "psirt@vercel.example", &other, &err), KK_OK);
	intake = unit_user(s, "intake", "intake@example.jp");
	/* SPEC 5: a vendor keeps its own products' composition */
	cr_assert_eq(kk_component_add(s, &own, vendor_of(s, rx), rx, &in, &id, &err), KK_OK, "%s", err.msg);
	/* another vendor's, and intake (no vendor.write), find nothing */
	cr_assert_eq(kk_component_add(s, &other, vendor_of(s, rx), rx, &in, NULL, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_component_add(s, &intake, vendor_of(s, rx), rx, &in, NULL, &err), KK_ENOTFOUND);
	/* the product under another vendor's id */
	cr_assert_eq(kk_component_add(s, &other, vendor_of(s, ms), rx, &in, NULL, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_components_get(s, &other, vendor_of(s, rx), rx, &list, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_component_delete(s, &other, vendor_of(s, rx), rx, id, &err), KK_ENOTFOUND);
	/* the vendor, and intake (vendor.read), read it */
	cr_assert_eq(kk_components_get(s, &intake, vendor_of(s, rx), rx, &list, &err), KK_OK);
	cr_assert_eq(json_array_size(list), 1);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "match_key")), "busybox");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "source")), "manual");
	json_decref(list);
	/* who embeds is registry.search: not for vendors */
	cr_assert_eq(kk_embedded_in(s, &own, &(struct kk_embed_query){ .product_id = rx }, &list, &err), KK_ENOTFOUND);
	cr_assert_eq(kk_component_delete(s, &own, vendor_of(s, rx), rx, id, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_component_delete(s, &own, vendor_of(s, rx), rx, id, &err), KK_ENOTFOUND);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM audit WHERE action LIKE 'component.%'", NULL), 2);
	kk_user_release(&own);
	kk_user_release(&other);
	kk_user_release(&intake);
	kk_error_release(&err);
	kk_store_close(s);
}

static json_t *load_doc(const char *name)
{
	char path[PATH_MAX];
	json_error_t jerr;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/sbom/%s", unit_data_dir(), name);
	doc = json_load_file(path, 0, &jerr);
	cr_assert_not_null(doc, "%s: %s", path, jerr.text);
	return doc;
}

/* The mapping as the .map.txt files write it: one component a line,
 * "NAME@VERSION -> BASIS VENDOR / PRODUCT; ..." or "-> unmapped". */
static char *render(const json_t *m)
{
	struct kk_buf b;
	json_t *c, *t;
	size_t i, k;

	kk_buf_init(&b, 1 << 20);
	json_array_foreach(json_object_get(m, "components"), i, c) {
		const char *v = json_string_value(json_object_get(c, "version"));

		kk_buf_addf(&b, "%s@%s ->", json_string_value(json_object_get(c, "name")), v ? v : "");
		if (json_array_size(json_object_get(c, "maps_to")) == 0)
			kk_buf_adds(&b, " unmapped");
		json_array_foreach(json_object_get(c, "maps_to"), k, t) {
			const char *vn = json_string_value(json_object_get(t, "vendor_name_en"));
			const char *pn = json_string_value(json_object_get(t, "product_name_en"));

			if (!vn)
				vn = json_string_value(json_object_get(t, "vendor_name_ja"));
			if (!pn)
				pn = json_string_value(json_object_get(t, "product_name_ja"));
			kk_buf_addf(&b, "%s %s %s / %s", k ? ";" : "", json_string_value(json_object_get(t, "basis")), vn,
				    pn ? pn : "-");
		}
		kk_buf_adds(&b, "\n");
	}
	kk_buf_addf(&b, "mapped %lld, unmapped %zu\n", (long long)json_integer_value(json_object_get(m, "mapped")),
		    json_array_size(json_object_get(m, "unmapped")));
	return kk_buf_detach(&b);
}

static char *read_text(const char *name)
{
	char path[PATH_MAX];
	FILE *f;
	char *text = kk_calloc(1, 1 << 16);
	size_t n;

	snprintf(path, sizeof(path), "%s/sbom/map/%s", unit_data_dir(), name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	n = fread(text, 1, (1 << 16) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* SPEC 2.5: each component of a real generator's SBOM mapped to the
 * registered products and vendors, and the unmapped listed. One registered
 * product (RX-100) records npm's ms by purl as the product ms. */
Test(composition, sbom_mapping_files)
{
	static const char *const files[] = {
		"cyclonedx-1.4-cyclonedx-npm.json", "cyclonedx-1.5-npm-sbom.json", "cyclonedx-1.6-cyclonedx-npm.json",
		"cyclonedx-1.6-cdxgen.json",	    "spdx-2.3-npm-sbom.json",	   "cyclonedx-1.6-handwritten.json",
		"spdx-2.3-handwritten.json",	    NULL,
	};
	struct kk_store *s = registry();
	struct kk_user c = coordinator(s);
	struct kk_error err = KK_ERROR_INIT;

	add(s, &c, pid(s, "301"), &(struct kk_component_input){ pid(s, "401"), NULL, NULL, NULL, "pkg:npm/ms" });
	for (size_t i = 0; files[i]; i++) {
		json_t *doc = load_doc(files[i]), *m = NULL;
		struct kk_sbom sbom;
		struct kk_tx tx;
		char expected_name[256], *got, *want;

		kk_sbom_init(&sbom);
		cr_assert_eq(kk_sbom_parse(doc, &sbom, &err), KK_OK, "%s: %s", files[i], err.msg);
		cr_assert_eq(kk_tx_begin(s, 0, &tx, &err), KK_OK);
		cr_assert_eq(kk_sbom_map_tx(&tx, &sbom, &m, &err), KK_OK, "%s: %s", files[i], err.msg);
		kk_tx_end(&tx, KK_OK, &err);
		got = render(m);
		snprintf(expected_name, sizeof(expected_name), "%.*s.map.txt", (int)(strlen(files[i]) - 5), files[i]);
		want = read_text(expected_name);
		cr_expect_str_eq(got, want, "%s:\n%s", files[i], got);
		free(got);
		free(want);
		json_decref(m);
		json_decref(doc);
		kk_sbom_release(&sbom);
	}
	kk_user_release(&c);
	kk_error_release(&err);
	kk_store_close(s);
}

/* SPEC 5: an upload replaces the product's SBOM components; manual ones stay;
 * a bad document stores nothing. */
Test(composition, sbom_upload)
{
	struct kk_store *s = registry();
	struct kk_user c = coordinator(s);
	struct kk_error err = KK_ERROR_INIT;
	int64_t rx = pid(s, "301");
	json_t *doc = load_doc("cyclonedx-1.6-handwritten.json"), *bad = load_doc("bad/cdx-cpe-short.json"), *m = NULL;
	char *got;
	char expect[128];

	add(s, &c, rx, &(struct kk_component_input){ .name = "vendor blob" });
	cr_assert_eq(kk_sbom_upload(s, &c, vendor_of(s, rx), rx, doc, &m, &err), KK_OK, "%s", err.msg);
	/* five components, less the router itself */
	cr_assert_eq(json_integer_value(json_object_get(m, "stored")), 4);
	json_decref(m);
	cr_assert_eq(kk_sbom_upload(s, &c, vendor_of(s, rx), rx, doc, NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM product_components WHERE source = 'sbom'", NULL), 4);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM product_components WHERE source = 'manual'", NULL), 1);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendor_sboms", NULL), 2);
	cr_assert_eq(kk_sbom_upload(s, &c, vendor_of(s, rx), rx, bad, NULL, &err), KK_EINVAL);
	cr_assert(kk_error_has_fields(&err));
	kk_error_clear(&err);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM vendor_sboms", NULL), 2);
	cr_assert_eq(unit_count(s, "SELECT count(*) FROM product_components", NULL), 5);
	/* the wrong vendor for the product */
	cr_assert_eq(kk_sbom_upload(s, &c, vid(s, "1"), rx, doc, NULL, &err), KK_ENOTFOUND);
	kk_error_clear(&err);
	/* openssl was mapped by its CPE name to the registered OpenSSL: who embeds it follows */
	snprintf(expect, sizeof(expect), "%lld@1 via 0\n", (long long)rx);
	got = embedders(s, &c, &(struct kk_embed_query){ .product_id = pid(s, "101") });
	cr_assert_str_eq(got, expect);
	free(got);
	json_decref(doc);
	json_decref(bad);
	kk_user_release(&c);
	kk_error_release(&err);
	kk_store_close(s);
}

/* A product's uploaded SBOMs (SPEC 5), and a component that is a registered
 * product named with its vendor; a vendor user sees another organisation's
 * uploader as role and organisation only (SPEC 1, as the vendor's history). */
Test(composition, sbom_list)
{
	struct kk_store *s = registry();
	struct kk_user c = coordinator(s), own, other;
	struct kk_error err = KK_ERROR_INIT;
	int64_t rx = pid(s, "301"), ms = pid(s, "401"), openssl = pid(s, "101");
	json_t *doc = load_doc("cyclonedx-1.6-handwritten.json"), *list = NULL, *row, *cp = NULL;
	size_t i;

	cr_assert_eq(kk_user_add(s, "Example Networks", KK_ROLE_VENDOR, "psirt@example.jp", "P", "correct horse battery",
				 vendor_of(s, rx), NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_user_add(s, "Vercel", KK_ROLE_VENDOR, "psirt@vercel.example", "P", "correct horse battery",
				 vendor_of(s, ms), NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_user_by_email(s, "psirt@example.jp", &own, &err), KK_OK);
	cr_assert_eq(kk_user_by_email(s, "psirt@vercel.example", &other, &err), KK_OK);
	cr_assert_eq(kk_sboms_get(s, &own, vendor_of(s, rx), rx, &list, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(list), 0);
	json_decref(list);
	cr_assert_eq(kk_sbom_upload(s, &c, vendor_of(s, rx), rx, doc, NULL, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(kk_sbom_upload(s, &own, vendor_of(s, rx), rx, doc, NULL, &err), KK_OK, "%s", err.msg);

	/* newest first: the vendor's own upload by address, the coordinator's masked */
	cr_assert_eq(kk_sboms_get(s, &own, vendor_of(s, rx), rx, &list, &err), KK_OK, "%s", err.msg);
	cr_assert_eq(json_array_size(list), 2);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 0), "uploaded_by")), "psirt@example.jp");
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 1), "uploaded_by")),
			 "coordinator (coordinator)");
	row = json_array_get(list, 1);
	cr_assert_str_eq(json_string_value(json_object_get(row, "format")), "CycloneDX");
	cr_assert_str_eq(json_string_value(json_object_get(row, "spec_version")), "1.6");
	cr_assert_str_eq(json_string_value(json_object_get(row, "document_name")), "Example Router RX-100");
	cr_assert_eq(json_integer_value(json_object_get(row, "components")), 5);
	cr_assert_null(json_object_get(row, "uploader_org"), "the organisation is not handed out on its own");
	json_decref(list);
	/* staff see every address */
	cr_assert_eq(kk_sboms_get(s, &c, vendor_of(s, rx), rx, &list, &err), KK_OK, "%s", err.msg);
	cr_assert_str_eq(json_string_value(json_object_get(json_array_get(list, 1), "uploaded_by")), "coord@example.jp");
	json_decref(list);
	/* another vendor's user finds nothing */
	cr_assert_eq(kk_sboms_get(s, &other, vendor_of(s, rx), rx, &list, &err), KK_ENOTFOUND);
	cr_assert_null(list);
	kk_error_clear(&err);

	/* openssl, mapped by its CPE name, is the registered OpenSSL of the OpenSSL Project */
	cr_assert_eq(kk_components_get(s, &own, vendor_of(s, rx), rx, &list, &err), KK_OK, "%s", err.msg);
	json_array_foreach (list, i, row) {
		if (json_integer_value(json_object_get(row, "component_product_id")) == openssl)
			cp = json_object_get(row, "component_product");
		else
			cr_assert(json_is_null(json_object_get(row, "component_product")) ||
				  json_integer_value(json_object_get(row, "component_product_id")) > 0);
	}
	cr_assert(json_is_object(cp));
	cr_assert_str_eq(json_string_value(json_object_get(cp, "product_name_en")), "OpenSSL");
	cr_assert_str_eq(json_string_value(json_object_get(cp, "vendor_name_en")), "OpenSSL Project");
	cr_assert_eq(json_integer_value(json_object_get(cp, "vendor_id")), vendor_of(s, openssl));
	json_decref(list);
	json_decref(doc);
	kk_user_release(&c);
	kk_user_release(&own);
	kk_user_release(&other);
	kk_error_release(&err);
	kk_store_close(s);
}
