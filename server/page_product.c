/*
 * page_product.c: a registered product as a page (SPEC 2.5 OSS downstream,
 * SPEC 5 last sentence): the product, its components (other registered
 * products, or components named by CPE, package URL or name and version; by
 * hand or from an SBOM), its uploaded SBOMs, its distributors and, for staff
 * who may search the registry, the registered products of any vendor that
 * embed it, directly or through a chain. With the forms of those who may
 * change the product (vendor.write): a component added or removed, an SBOM
 * uploaded (multipart/form-data; the mapping of its components is shown),
 * and, for coordinators, a distributor.
 *
 * The core (composition.h, sbom_map.h, vendor.h) decides who sees and changes
 * what: another vendor's product is the 404 of a missing one. A refused form
 * is shown again with what was typed and each fault next to its field; a bad
 * SBOM names what is wrong and stores nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "http_internal.h"
#include "keikai/authz.h"
#include "keikai/composition.h"
#include "keikai/i18n.h"
#include "keikai/sbom_map.h"
#include "keikai/util.h"
#include "keikai/vendor.h"
#include "page.h"

/* What a refused form or a stored SBOM adds to the page. */
struct outcome {
	unsigned status;
	const char *failed;	   /* the refused form, or NULL */
	const json_t *errors;	   /* its faults: field -> message */
	const char *error;	   /* the summary */
	const json_t *sbom_errors; /* a refused SBOM's faults: JSON path -> message */
	const json_t *mapping;	   /* an SBOM just stored (kk_sbom_upload's JSON) */
};

/* The name in the reader's language when there is one, else the other. */
static const char *pick(struct kk_req *r, const json_t *o, const char *ja, const char *en)
{
	const char *j = json_string_value(json_object_get(o, ja)), *e = json_string_value(json_object_get(o, en));

	if (r->lang == KK_LANG_JA)
		return !kk_str_empty(j) ? j : e;
	return !kk_str_empty(e) ? e : j;
}

/* The page of product pid of vendor vid, when the reader may open it; else NULL. */
static const char *product_link(struct kk_req *r, int64_t vid, int64_t pid)
{
	if (!vid || !pid || !kk_may(&r->user, KK_ACT_VENDOR_READ, &(struct kk_object){ .vendor_id = vid }))
		return NULL;
	return kk_req_printf(r, "/vendors/%lld/products/%lld", (long long)vid, (long long)pid);
}

/* An array of n rows of size bytes in the request's pool (NULL for none, or on failure: *ok 0). */
static void *rows_of(struct kk_req *r, size_t n, size_t size, int *ok)
{
	void *p = n ? kk_req_alloc(r, n * size) : NULL;

	if (n && !p)
		*ok = 0;
	else if (p)
		memset(p, 0, n * size);
	return p;
}

static void fill_components(struct kk_req *r, const json_t *list, struct product_record_view *v, int *ok)
{
	struct product_component_row *rows = rows_of(r, json_array_size(list), sizeof(*rows), ok);

	for (size_t i = 0; rows && i < json_array_size(list); i++) {
		const json_t *c = json_array_get(list, i), *cp = json_object_get(c, "component_product");
		const char *source = json_string_value(json_object_get(c, "source"));

		rows[i].id = (long long)json_integer_value(json_object_get(c, "id"));
		rows[i].name = json_string_value(json_object_get(c, "name"));
		rows[i].version = json_string_value(json_object_get(c, "version"));
		rows[i].cpe = json_string_value(json_object_get(c, "cpe"));
		rows[i].purl = json_string_value(json_object_get(c, "purl"));
		rows[i].source = source;
		rows[i].source_label = source && !strcmp(source, "sbom") ? _("SBOM") : _("By hand");
		if (json_is_object(cp)) {
			int64_t vid = json_integer_value(json_object_get(cp, "vendor_id"));

			rows[i].product = pick(r, cp, "product_name_ja", "product_name_en");
			rows[i].vendor = pick(r, cp, "vendor_name_ja", "vendor_name_en");
			rows[i].link = product_link(r, vid, json_integer_value(json_object_get(c, "component_product_id")));
		}
	}
	v->components = rows;
	v->n_components = rows ? json_array_size(list) : 0;
}

static void fill_sboms(struct kk_req *r, const json_t *list, struct product_record_view *v, int *ok)
{
	struct product_sbom_row *rows = rows_of(r, json_array_size(list), sizeof(*rows), ok);

	for (size_t i = 0; rows && i < json_array_size(list); i++) {
		const json_t *s = json_array_get(list, i);
		const char *by = json_string_value(json_object_get(s, "uploaded_by"));

		rows[i].format = json_string_value(json_object_get(s, "format"));
		rows[i].spec_version = json_string_value(json_object_get(s, "spec_version"));
		rows[i].document_name = json_string_value(json_object_get(s, "document_name"));
		rows[i].components = (long long)json_integer_value(json_object_get(s, "components"));
		rows[i].uploaded_by = by ? by : _("the command line");
		page_when_iso(json_string_value(json_object_get(s, "uploaded_at")), &rows[i].at);
	}
	v->sboms = rows;
	v->n_sboms = rows ? json_array_size(list) : 0;
}

/* Distributors ({"vendor_id", "vendor_name_*"}) or embedders (kk_embedded_in). */
static struct product_link_row *fill_links(struct kk_req *r, const json_t *list, int *ok)
{
	size_t n = json_array_size(list);
	struct product_link_row *rows = rows_of(r, n, sizeof(*rows), ok);

	for (size_t i = 0; rows && i < n; i++) {
		const json_t *e = json_array_get(list, i);
		int64_t vid = json_integer_value(json_object_get(e, "vendor_id"));
		int64_t pid = json_integer_value(json_object_get(e, "product_id"));

		rows[i].vendor_id = (long long)vid;
		rows[i].product_id = (long long)pid;
		rows[i].depth = (long long)json_integer_value(json_object_get(e, "depth"));
		rows[i].vendor = pick(r, e, "vendor_name_ja", "vendor_name_en");
		rows[i].product = pick(r, e, "product_name_ja", "product_name_en");
		rows[i].cpe = json_string_value(json_object_get(e, "cpe"));
		rows[i].link = pid ? product_link(r, vid, pid)
			       : kk_may(&r->user, KK_ACT_VENDOR_READ, &(struct kk_object){ .vendor_id = vid })
				       ? kk_req_printf(r, "/vendors/%lld", (long long)vid)
				       : NULL;
	}
	/* "via": the name of the product the chain goes through next */
	for (size_t i = 0; rows && i < n; i++) {
		json_int_t via = json_integer_value(json_object_get(json_array_get(list, i), "via"));

		for (size_t j = 0; via && j < n; j++)
			if (rows[j].product_id == via)
				rows[i].via = rows[j].product;
	}
	return rows;
}

/* The basis of a mapping (sbom_map.h), for the reader. */
static const char *basis_label(const char *b)
{
	return !b				 ? ""
	       : !strcmp(b, "purl")	 ? _("package URL")
	       : !strcmp(b, "cpe")	 ? _("CPE name")
	       : !strcmp(b, "cpe-vendor") ? _("the vendor's CPE name")
	       : !strcmp(b, "name")	 ? _("name")
	       : !strcmp(b, "supplier")	 ? _("supplier")
					 : b;
}

/* The mapping of an SBOM just stored. */
static void fill_mapping(struct kk_req *r, const json_t *m, struct product_record_view *v, int *ok)
{
	const json_t *comps = json_object_get(m, "components"), *unmapped = json_object_get(m, "unmapped");
	struct product_map_row *rows = rows_of(r, json_array_size(comps), sizeof(*rows), ok);
	struct product_map_row *un = rows_of(r, json_array_size(unmapped), sizeof(*un), ok);
	size_t n = 0;

	v->uploaded = 1;
	v->stored = (long long)json_integer_value(json_object_get(m, "stored"));
	v->mapped = (long long)json_integer_value(json_object_get(m, "mapped"));
	for (size_t i = 0; rows && *ok && i < json_array_size(comps); i++) {
		const json_t *c = json_array_get(comps, i), *to = json_object_get(c, "maps_to");

		if (!json_array_size(to))
			continue;
		rows[n].name = json_string_value(json_object_get(c, "name"));
		rows[n].version = json_string_value(json_object_get(c, "version"));
		rows[n].targets = fill_links(r, to, ok);
		rows[n].bases = rows_of(r, json_array_size(to), sizeof(*rows[n].bases), ok);
		rows[n].n_targets = rows[n].bases && rows[n].targets ? json_array_size(to) : 0;
		for (size_t j = 0; j < rows[n].n_targets; j++)
			rows[n].bases[j] = basis_label(json_string_value(json_object_get(json_array_get(to, j), "basis")));
		n++;
	}
	for (size_t i = 0; un && i < json_array_size(unmapped); i++) {
		un[i].name = json_string_value(json_object_get(json_array_get(unmapped, i), "name"));
		un[i].version = json_string_value(json_object_get(json_array_get(unmapped, i), "version"));
	}
	v->map = rows;
	v->n_map = n;
	v->unmapped = un;
	v->n_unmapped = un ? json_array_size(unmapped) : 0;
}

/* Shows product pid of vendor vid, with what out adds (NULL: nothing). */
static void render(struct kk_req *r, int64_t vid, int64_t pid, const struct outcome *out)
{
	struct kk_error err = KK_ERROR_INIT;
	struct product_record_view v = { 0 };
	struct kk_vendor vendor = { 0 };
	struct kk_product product = { 0 };
	struct kk_embed_query q = { .product_id = pid };
	const char *lang = kk_lang_code(r->lang), *saved = kk_req_query(r, "saved");
	json_t *pj = NULL, *comps = NULL, *sboms = NULL, *dists = NULL, *embed = NULL;
	enum kk_result res = vid && pid ? kk_product_get(r->store, &r->user, vid, pid, &product, &err) : KK_ENOTFOUND;
	int ok = 1;

	if (!res)
		res = kk_vendor_get(r->store, &r->user, vid, &vendor, &err);
	if (!res)
		res = kk_components_get(r->store, &r->user, vid, pid, &comps, &err);
	if (!res)
		res = kk_sboms_get(r->store, &r->user, vid, pid, &sboms, &err);
	if (!res)
		res = kk_distributors_get(r->store, &r->user, vid, pid, &dists, &err);
	v.may_embedded = kk_may(&r->user, KK_ACT_REGISTRY_SEARCH, NULL);
	if (!res && v.may_embedded)
		res = kk_embedded_in(r->store, &r->user, &q, &embed, &err);
	if (res) {
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such product.") : err.msg);
		goto done;
	}
	pj = kk_product_to_json(&product, lang);
	v.vendor_id = (long long)vid;
	v.product_id = (long long)pid;
	v.vendor_name = r->lang == KK_LANG_JA && vendor.name_ja ? vendor.name_ja
			: vendor.name_en				  ? vendor.name_en
									  : vendor.name_ja;
	v.product = pj;
	fill_components(r, comps, &v, &ok);
	fill_sboms(r, sboms, &v, &ok);
	v.distributors = fill_links(r, dists, &ok);
	v.n_distributors = v.distributors ? json_array_size(dists) : 0;
	v.embedders = fill_links(r, embed, &ok);
	v.n_embedders = v.embedders ? json_array_size(embed) : 0;
	v.may_write = kk_may(&r->user, KK_ACT_VENDOR_WRITE, &(struct kk_object){ .vendor_id = vid });
	v.may_distribute = v.may_write && v.may_embedded;
	if (!out && saved)
		v.saved = !strcmp(saved, "component")	? _("The component has been added.")
			  : !strcmp(saved, "removed")	? _("The component has been removed.")
			  : !strcmp(saved, "distributor") ? _("The distributor has been added.")
							  : NULL;
	if (out && out->mapping) {
		v.saved = _("The SBOM has been stored.");
		fill_mapping(r, out->mapping, &v, &ok);
	}
	if (out && out->failed) {
		v.failed = out->failed;
		v.form = r->form;
		v.errors = out->errors;
		v.error = out->error;
		v.sbom_errors = out->sbom_errors;
	}
	if (!pj || !ok) {
		page_error(r, 500, _("Out of memory."));
		goto done;
	}
	res = page_begin(r, json_string_value(json_object_get(pj, "name")), NULL);
	if (res == KK_OK)
		res = tmpl_product_record(&r->reply, r, &v);
	page_end(r, out ? out->status : 200, res);
done:
	json_decref(pj);
	json_decref(comps);
	json_decref(sboms);
	json_decref(dists);
	json_decref(embed);
	kk_product_release(&product);
	kk_vendor_release(&vendor);
	kk_error_release(&err);
}

/* GET /vendors/{id}/products/{pid} */
void page_product_show(struct kk_req *r)
{
	render(r, kk_req_param_id(r, 0, 0), kk_req_param_id(r, 1, 0), NULL);
}

/* The end of a form's change: back to the page when made (saved: what), the
 * page with the form open and its faults when refused, an error page else. */
static void after_change(struct kk_req *r, int64_t vid, int64_t pid, enum kk_result res, const char *saved,
			 const char *anchor, const char *failed, const struct kk_error *err)
{
	if (res == KK_OK) {
		kk_reply_redirect(r, kk_req_printf(r, "/vendors/%lld/products/%lld?saved=%s#%s", (long long)vid,
						   (long long)pid, saved, anchor));
	} else if (res == KK_EINVAL || res == KK_EEXISTS || res == KK_ECONFLICT) {
		struct outcome o = { kk_status_for(res), failed, err->fields, NULL, NULL, NULL };

		o.error = kk_error_has_fields(err) ? _("The change was not saved. Please correct the items marked below.")
						   : err->msg;
		render(r, vid, pid, &o);
	} else {
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such product.") : err->msg);
	}
}

/* POST /vendors/{id}/products/{pid}/components: a component by hand. */
void page_product_component_add(struct kk_req *r)
{
	static const char *const texts[] = { "name", "version", "cpe", "purl", NULL };
	struct kk_error err = KK_ERROR_INIT;
	struct kk_component_input in;
	int64_t vid = kk_req_param_id(r, 0, 0), pid = kk_req_param_id(r, 1, 0), cpid = 0;
	const char *num = kk_req_field(r, "component_product_id");
	json_t *body = json_object();
	enum kk_result res = body ? KK_OK : kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));

	/* blank fields are left out: the core wants at least one member */
	for (size_t i = 0; !res && texts[i]; i++) {
		const char *s = kk_req_field(r, texts[i]);

		if (!kk_str_empty(s) && json_object_set_new(body, texts[i], json_string(s)) != 0)
			res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	}
	if (!res && !kk_str_empty(num)) {
		if (kk_parse_id(num, &cpid) != 0)
			res = kk_error_field(&err, "component_product_id", "%s",
					     _("Must be a product id (a whole number from 1)."));
		else if (json_object_set_new(body, "component_product_id", json_integer(cpid)) != 0)
			res = kk_error_set(&err, KK_ENOMEM, "%s", _("Out of memory."));
	}
	if (!res)
		res = kk_component_from_json(body, &in, &err);
	if (!res)
		res = vid && pid ? kk_component_add(r->store, &r->user, vid, pid, &in, NULL, &err) : KK_ENOTFOUND;
	after_change(r, vid, pid, res, "component", "sec-components", "component-new", &err);
	json_decref(body);
	kk_error_release(&err);
}

/* POST /vendors/{id}/products/{pid}/components/{cid}/delete */
void page_product_component_remove(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t vid = kk_req_param_id(r, 0, 0), pid = kk_req_param_id(r, 1, 0), cid = kk_req_param_id(r, 2, 0);
	enum kk_result res = vid && pid && cid ? kk_component_delete(r->store, &r->user, vid, pid, cid, &err)
					       : KK_ENOTFOUND;

	if (res == KK_ENOTFOUND)
		page_error(r, 404, err.msg[0] ? err.msg : _("There is no such product."));
	else
		after_change(r, vid, pid, res, "removed", "sec-components", "component-new", &err);
	kk_error_release(&err);
}

/* POST /vendors/{id}/products/{pid}/distributors: SPEC 2.5, a vendor that ships it. */
void page_product_distributor_add(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t vid = kk_req_param_id(r, 0, 0), pid = kk_req_param_id(r, 1, 0), did = 0;
	enum kk_result res;

	if (kk_parse_id(kk_req_field(r, "vendor_id"), &did) != 0)
		res = kk_error_field(&err, "vendor_id", "%s", _("Must be a vendor id (a whole number from 1)."));
	else
		res = vid && pid ? kk_distributor_add(r->store, &r->user, vid, pid, did, &err) : KK_ENOTFOUND;
	after_change(r, vid, pid, res, "distributor", "sec-distributors", "distributor", &err);
	kk_error_release(&err);
}

/* The file of the form's "sbom" input, or NULL. */
static const struct kk_upload *sbom_file(struct kk_req *r)
{
	for (size_t i = 0; i < r->n_uploads; i++)
		if (!strcmp(r->uploads[i].field, "sbom"))
			return &r->uploads[i];
	return NULL;
}

/* POST /vendors/{id}/products/{pid}/sbom: SPEC 5, the product's SBOM as a file. */
void page_product_sbom_upload(struct kk_req *r)
{
	struct kk_error err = KK_ERROR_INIT;
	int64_t vid = kk_req_param_id(r, 0, 0), pid = kk_req_param_id(r, 1, 0);
	const struct kk_upload *u = sbom_file(r);
	struct outcome o = { 400, "sbom", NULL, NULL, NULL, NULL };
	json_t *doc = NULL, *mapping = NULL, *errors = NULL;
	json_error_t jerr;
	enum kk_result res;

	if (!u || !u->data.len) {
		res = kk_error_field(&err, "sbom", "%s", _("Choose the SBOM file to upload."));
	} else if (u->data.len > KK_SBOM_UPLOAD_MAX) {
		res = kk_error_field(&err, "sbom", _("The SBOM is larger than %u bytes."), KK_SBOM_UPLOAD_MAX);
	} else if (!(doc = json_loadb(u->data.data, u->data.len, JSON_REJECT_DUPLICATES, &jerr))) {
		res = kk_error_field(&err, "sbom", _("The file is not JSON (line %d, column %d)."), jerr.line, jerr.column);
	} else {
		res = vid && pid ? kk_sbom_upload(r->store, &r->user, vid, pid, doc, &mapping, &err) : KK_ENOTFOUND;
	}
	if (res == KK_OK) {
		o = (struct outcome){ 200, NULL, NULL, NULL, NULL, mapping };
		render(r, vid, pid, &o);
	} else if (res == KK_EINVAL || res == KK_ETOOBIG) {
		/* the file's own faults next to the input; the document's by JSON path
		 * in the summary, or the reader's one message next to the input */
		int on_file = json_object_get(err.fields, "sbom") != NULL;

		if (!on_file)
			errors = json_pack("{s:s}", "sbom",
					   kk_error_has_fields(&err) ? _("The SBOM has the errors listed above.") : err.msg);
		o.status = kk_status_for(res);
		o.errors = on_file ? err.fields : errors;
		o.sbom_errors = on_file ? NULL : err.fields;
		o.error = _("The SBOM was refused; nothing was stored.");
		if (on_file || errors)
			render(r, vid, pid, &o);
		else
			page_error(r, 500, _("Out of memory."));
	} else {
		page_error(r, kk_status_for(res), res == KK_ENOTFOUND ? _("There is no such product.") : err.msg);
	}
	json_decref(errors);
	json_decref(mapping);
	json_decref(doc);
	kk_error_release(&err);
}
