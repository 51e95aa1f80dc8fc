/*
 * sbom_cyclonedx.c: the CycloneDX 1.4, 1.5 and 1.6 JSON reader of kk_sbom_parse
 * (SPEC 2.5, SPEC 5). It reads bomFormat and specVersion, metadata.component
 * (the product the BOM describes), components[] with their nested components
 * (an assembly: the parent embeds them), the bom-refs of services[] (so that a
 * dependency on a service is no fault, and no component either), and
 * dependencies[] (ref depends on each of dependsOn). A component must have a
 * type and a name, as the CycloneDX schema says; what keikai keeps is listed in
 * sbom.h, and everything else in the document is ignored unread.
 */
#include <string.h>

#include "keikai/i18n.h"
#include "keikai/util.h"
#include "sbom_impl.h"

/* specVersion values this reader accepts */
static const char *const versions[] = { "1.4", "1.5", "1.6" };

static void read_component(struct sbom_ctx *c, const json_t *obj, const char *path, int depth, long parent)
{
	char p[SBOM_PATH_MAX];
	struct kk_sbom_component *comp;
	const json_t *nested, *item, *supplier;
	const char *name, *group, *version, *ref, *publisher, *supplier_name = NULL, *purl, *cpe;
	int before = c->nfields;
	long idx;
	size_t i;

	if (sbom_stopped(c))
		return;
	if (!json_is_object(obj)) {
		sbom_field(c, path, "%s", _("Must be an object."));
		c->lost_refs = 1;
		return;
	}
	if (depth > KK_SBOM_MAX_DEPTH) {
		sbom_field(c, path, _("Components may be nested at most %d deep."), KK_SBOM_MAX_DEPTH);
		c->lost_refs = 1;
		return;
	}
	sbom_text(c, obj, "type", sbom_at(p, "%s.type", path), 1);
	name = sbom_text(c, obj, "name", sbom_at(p, "%s.name", path), 1);
	group = sbom_text(c, obj, "group", sbom_at(p, "%s.group", path), 0);
	version = sbom_text(c, obj, "version", sbom_at(p, "%s.version", path), 0);
	ref = sbom_text(c, obj, "bom-ref", sbom_at(p, "%s.bom-ref", path), 0);
	publisher = sbom_text(c, obj, "publisher", sbom_at(p, "%s.publisher", path), 0);
	supplier = json_object_get(obj, "supplier");
	if (supplier && !json_is_null(supplier)) {
		if (!json_is_object(supplier))
			sbom_field(c, sbom_at(p, "%s.supplier", path), "%s", _("Must be an object."));
		else
			supplier_name = sbom_text(c, supplier, "name", sbom_at(p, "%s.supplier.name", path), 0);
	}
	purl = sbom_text(c, obj, "purl", sbom_at(p, "%s.purl", path), 0);
	cpe = sbom_text(c, obj, "cpe", sbom_at(p, "%s.cpe", path), 0);

	idx = sbom_add_component(c);
	if (idx < 0)
		return;
	comp = &c->sbom->components[idx];
	sbom_keep(c, &comp->name, name);
	sbom_keep(c, &comp->group, group);
	sbom_keep(c, &comp->version, version);
	sbom_keep(c, &comp->supplier, supplier_name ? supplier_name : publisher);
	sbom_keep_purl(c, &comp->purl, purl, sbom_at(p, "%s.purl", path));
	sbom_keep_cpe(c, &comp->cpe, cpe, 3, sbom_at(p, "%s.cpe", path));
	sbom_add_ref(c, ref, idx, sbom_at(p, "%s.bom-ref", path));
	if (parent >= 0)
		sbom_add_edge(c, (size_t)parent, (size_t)idx, KK_SBOM_CONTAINS);
	if (c->nfields > before)
		c->lost_refs = 1; /* its bom-ref may be what was wrong */

	/* comp is not used past here: the recursion may move the list */
	before = c->nfields;
	nested = sbom_list(c, obj, "components", sbom_at(p, "%s.components", path));
	if (c->nfields > before)
		c->lost_refs = 1;
	json_array_foreach(nested, i, item)
		read_component(c, item, sbom_at(p, "%s.components[%zu]", path, i), depth + 1, idx);
}

/* The bom-refs of services and their nested services: not components, but a
 * dependency may name them. */
static void read_services(struct sbom_ctx *c, const json_t *services, int depth)
{
	const json_t *item;
	size_t i;

	if (!json_is_array(services) || depth > KK_SBOM_MAX_DEPTH)
		return;
	json_array_foreach(services, i, item) {
		const char *ref = json_string_value(json_object_get(item, "bom-ref"));

		if (ref && *ref)
			sbom_add_other(c, ref);
		read_services(c, json_object_get(item, "services"), depth + 1);
	}
}

/* A dependency reference: the component's index, or -1 when it is not a
 * component (a service) or names nothing (recorded). */
static long dependency_ref(struct sbom_ctx *c, const char *ref, const char *path)
{
	long idx = sbom_resolve(c, ref, path, _("No component or service has this bom-ref."));

	return idx >= 0 ? idx : -1;
}

static void read_dependencies(struct sbom_ctx *c, const json_t *deps)
{
	char p[SBOM_PATH_MAX];
	const json_t *dep, *on, *item;
	size_t i, j;

	json_array_foreach(deps, i, dep) {
		const char *ref;
		long from;

		if (sbom_stopped(c))
			return;
		if (!json_is_object(dep)) {
			sbom_field(c, sbom_at(p, "dependencies[%zu]", i), "%s", _("Must be an object."));
			continue;
		}
		ref = sbom_text(c, dep, "ref", sbom_at(p, "dependencies[%zu].ref", i), 1);
		from = ref ? dependency_ref(c, ref, p) : -1;
		on = sbom_list(c, dep, "dependsOn", sbom_at(p, "dependencies[%zu].dependsOn", i));
		json_array_foreach(on, j, item) {
			const char *to_ref;
			long to;

			sbom_at(p, "dependencies[%zu].dependsOn[%zu]", i, j);
			if (!json_is_string(item)) {
				sbom_field(c, p, "%s", _("Must be text."));
				continue;
			}
			to_ref = json_string_value(item);
			to = dependency_ref(c, to_ref, p);
			if (from >= 0 && to >= 0)
				sbom_add_edge(c, (size_t)from, (size_t)to, KK_SBOM_DEPENDS_ON);
		}
	}
}

void sbom_read_cyclonedx(struct sbom_ctx *c, const json_t *doc)
{
	char p[SBOM_PATH_MAX];
	const char *format, *version;
	const json_t *metadata, *components, *deps, *item;
	size_t i;
	int known = 0, before;

	format = sbom_text(c, doc, "bomFormat", "bomFormat", 1);
	if (format && strcmp(format, "CycloneDX") != 0)
		sbom_field(c, "bomFormat", "%s", _("Must be \"CycloneDX\"."));
	version = sbom_text(c, doc, "specVersion", "specVersion", 1);
	for (i = 0; version && i < sizeof(versions) / sizeof(versions[0]); i++)
		known |= !strcmp(version, versions[i]);
	if (version && !known)
		sbom_field(c, "specVersion", "%s", _("keikai reads CycloneDX 1.4, 1.5 and 1.6."));
	if (c->nfields)
		return; /* not a document this reader knows: say only that */
	c->sbom->format = KK_SBOM_CYCLONEDX;
	snprintf(c->sbom->spec_version, sizeof(c->sbom->spec_version), "%s", version);

	metadata = json_object_get(doc, "metadata");
	if (metadata && !json_is_null(metadata) && !json_is_object(metadata)) {
		sbom_field(c, "metadata", "%s", _("Must be an object."));
		c->lost_refs = 1;
	} else if (metadata && json_object_get(metadata, "component") &&
		 !json_is_null(json_object_get(metadata, "component"))) {
		size_t first = c->sbom->ncomponents;

		read_component(c, json_object_get(metadata, "component"), "metadata.component", 0, -1);
		if (c->sbom->ncomponents > first)
			c->sbom->subject = (long)first;
	}
	before = c->nfields;
	components = sbom_list(c, doc, "components", "components");
	if (c->nfields > before)
		c->lost_refs = 1;
	json_array_foreach(components, i, item)
		read_component(c, item, sbom_at(p, "components[%zu]", i), 0, -1);
	read_services(c, json_object_get(doc, "services"), 0);
	deps = sbom_list(c, doc, "dependencies", "dependencies");
	read_dependencies(c, deps);
}
